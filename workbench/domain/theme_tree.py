"""A theme with its sub-themes: from the flat list of themes a study keeps (each knows its
parent), and the paths of a codebook's tree of theme specs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator

from workbench.domain.models import Theme, ThemeSpec

#: Separates a theme's name from its parent's in a theme path (``Trust/Agreements``).
PATH_SEPARATOR = "/"


def subtree_ids(themes: Iterable[Theme], theme_id: int) -> list[int]:
    """The ids of theme ``theme_id`` and all its sub-themes, in the order of ``themes``.

    Walks ``parent_id`` links, so it does not depend on the order of ``themes`` nor on their
    paths; an id that is not among ``themes`` gives just itself.
    """
    themes = list(themes)
    children: dict[int | None, list[int]] = defaultdict(list)
    for theme in themes:
        children[theme.parent_id].append(theme.id)
    found = {theme_id}
    waiting = [theme_id]
    while waiting:
        for child in children.get(waiting.pop(), ()):
            if child not in found:  # a damaged file could link a theme to its own descendant
                found.add(child)
                waiting.append(child)
    ordered = [theme.id for theme in themes if theme.id in found]
    return ordered if theme_id in ordered else [theme_id, *ordered]


def subtree(themes: Iterable[Theme], theme_id: int) -> list[Theme]:
    """Theme ``theme_id`` and all its sub-themes, in the order of ``themes``."""
    themes = list(themes)
    inside = set(subtree_ids(themes, theme_id))
    return [theme for theme in themes if theme.id in inside]


def iter_themes(themes: Iterable[ThemeSpec]) -> Iterator[tuple[str, ThemeSpec]]:
    """Yield ``("Parent/Child", spec)`` for every theme in the tree, depth-first in file order."""
    stack = [("", iter(themes))]
    while stack:
        parent, children = stack[-1]
        theme = next(children, None)
        if theme is None:
            stack.pop()
            continue
        path = f"{parent}{PATH_SEPARATOR}{theme.name}" if parent else theme.name
        yield path, theme
        if theme.children:
            stack.append((path, iter(theme.children)))
