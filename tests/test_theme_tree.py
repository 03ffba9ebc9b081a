"""A theme with its sub-themes (domain/theme_tree.py), the one walk behind stats, the matrix,
agreement and moving themes."""

from __future__ import annotations

import random

from workbench.domain.models import Theme
from workbench.domain.theme_tree import subtree, subtree_ids
from workbench.storage import queries


def theme(id: int, parent: int | None, path: str) -> Theme:
    return Theme(id=id, name=path.rsplit("/", 1)[-1], path=path, parent_id=parent, position=0, color="#888888")


TREE = [
    theme(1, None, "Trust"),
    theme(2, 1, "Trust/Agreements"),
    theme(3, 2, "Trust/Agreements/Written"),
    theme(4, None, "Trusted partners"),  # shares a path prefix, not a parent
    theme(5, 1, "Trust/Security"),
    theme(6, None, "Technology"),
]


def test_a_theme_with_its_sub_themes_in_the_given_order():
    assert subtree_ids(TREE, 1) == [1, 2, 3, 5]
    assert subtree_ids(TREE, 2) == [2, 3]
    assert subtree_ids(TREE, 4) == [4]
    assert [t.path for t in subtree(TREE, 1)] == [
        "Trust",
        "Trust/Agreements",
        "Trust/Agreements/Written",
        "Trust/Security",
    ]


def test_the_order_of_the_list_does_not_change_who_is_inside():
    shuffled = TREE[:]
    random.Random(7).shuffle(shuffled)
    for t in TREE:
        assert set(subtree_ids(shuffled, t.id)) == set(subtree_ids(TREE, t.id))
        assert subtree_ids(shuffled, t.id) == [x.id for x in shuffled if x.id in set(subtree_ids(TREE, t.id))]


def test_an_unknown_id_and_a_damaged_loop_end():
    assert subtree_ids(TREE, 99) == [99]
    looped = [theme(1, 2, "A"), theme(2, 1, "A/B")]
    assert sorted(subtree_ids(looped, 1)) == [1, 2]


def test_storage_answers_with_the_same_walk():
    for t in TREE:
        assert queries.descendant_ids(TREE, t.id) == set(subtree_ids(TREE, t.id))
