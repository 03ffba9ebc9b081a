"""The pickers' fuzzy matcher on the demo codebook: what it was kept over textual.fuzzy for.

benchmarks/fuzzy_compare.py has the side-by-side figures; these pin the behaviour that decided it.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from workbench.domain.theme_tree import iter_themes
from workbench.interop.codebook_file import load_codebook
from workbench.tui.fuzzy import fuzzy_filter, fuzzy_match

CODEBOOK = Path(__file__).resolve().parents[1] / "codebooks" / "it-collaboration.yaml"


@pytest.fixture(scope="module")
def paths() -> list[str]:
    found = [path for path, _ in iter_themes(load_codebook(CODEBOOK).themes)]
    return found + ["Trust and confidence/Förtroende mellan kommuner", "Collaboration/Samverkansavtal"]


def best(query: str, paths: list[str]) -> str | None:
    found = fuzzy_filter(query, paths)
    return found[0][0] if found else None


@pytest.mark.parametrize(
    "query, meant",
    [
        ("trust", "Trust and confidence"),
        ("agr", "Trust and confidence/Agreements matter"),
        ("tech", "Technology"),
        ("org cult", "Organisational culture"),
        ("geo", "Collaboration/Geographic distance"),
        ("tr/agr", "Trust and confidence/Agreements matter"),
        ("colab", "Collaboration"),
        ("FÖRTR", "Trust and confidence/Förtroende mellan kommuner"),
        # words typed across the path's segments: spaces only separate them
        ("trust confidence agreements", "Trust and confidence/Agreements matter"),
        # initials beat the same letters inside a word ("S-am-verkansavtal")
        ("am", "Trust and confidence/Agreements matter"),
        ("sr", "Trust and confidence/Security and responsibility"),
    ],
)
def test_the_meant_theme_comes_first(paths: list[str], query: str, meant: str):
    assert best(query, paths) == meant


def test_a_long_label_with_a_long_query_stays_quick():
    """The work grows with query x text, not with the number of alignments (which is what makes
    an alignment-enumerating matcher take seconds here)."""
    label = " · ".join(f"informant_{i} (case {i}) size=smaller, cluster=B, region=north" for i in range(15))
    start = time.perf_counter()
    match = fuzzy_match("informant smaller north cluster region", label)
    assert time.perf_counter() - start < 1.0
    assert match is not None and len(match.positions) == len("informantsmallernorthclusterregion")
