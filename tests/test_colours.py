"""Theme colours that stay distinct: the palette, the choice for a new theme, repeated colours."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from workbench.domain.colours import (
    DEFAULT_PALETTE,
    colour_distance,
    contrast_ratio,
    deficient_distance,
    pick_colour,
    repeated_colours,
    simulate,
)
from workbench.domain.models import Codebook, ThemeSpec
from workbench.interop.codebook_file import load_codebook
from workbench.study import Study

REPO = Path(__file__).resolve().parent.parent
CLEAR = 8.0  # OKLab units x100: about four just-noticeable differences


def min_pair(colours, distance=colour_distance) -> float:
    return min(distance(a, b) for a, b in itertools.combinations(colours, 2))


def theme_colours(study: Study) -> dict[str, str]:
    return {theme.path: theme.color for theme in study.themes()}


def test_24_themes_without_colours_are_clearly_distinct(tmp_path: Path):
    # 6 top-level themes with 3 sub-themes each: 24 themes, none with a colour.
    specs = [
        ThemeSpec(name=f"Theme {i}", children=[ThemeSpec(name=f"Sub {i}.{j}") for j in range(3)]) for i in range(6)
    ]
    with Study.create(tmp_path / "s.db") as study:
        study.merge_codebook(Codebook(name="24", themes=specs), source="test")
        colours = list(theme_colours(study).values())
    assert len(colours) == 24
    smallest = min_pair(colours)
    print(f"\n24 themes: smallest distance {smallest:.1f} OKLab x100 (normal vision)")
    assert smallest >= CLEAR


def test_themes_added_one_by_one_are_distinct_from_siblings_and_parent(tmp_path: Path):
    with Study.create(tmp_path / "s.db") as study:
        study.add_theme("Trust")
        for name in ("Agreements", "Security", "Distance", "Inertia"):
            study.add_theme(name, parent="Trust")
        colours = theme_colours(study)
    assert min_pair(colours.values()) >= CLEAR


def test_the_first_eight_stay_apart_for_deutans_and_protans():
    smallest = min_pair(DEFAULT_PALETTE[:8], deficient_distance)
    print(f"\nfirst 8 palette colours: smallest distance for deutans/protans {smallest:.1f}")
    assert smallest >= 7.5
    # The simulation is not the identity: red and green collapse for a deutan.
    assert deficient_distance("#d00000", "#00a000") < colour_distance("#d00000", "#00a000") / 3
    assert simulate("#ffffff", "deutan") == "#ffffff"


def test_palette_colours_are_visible_on_black_and_on_white():
    for colour in DEFAULT_PALETTE:
        assert contrast_ratio(colour, "#000000") >= 3, colour
        assert contrast_ratio(colour, "#ffffff") >= 3, colour


def test_a_new_colour_avoids_siblings_first():
    siblings = ["#3074c1", "#db1643"]
    chosen = pick_colour(siblings, DEFAULT_PALETTE[2:12])
    assert chosen not in siblings
    assert min(colour_distance(chosen, c) for c in siblings) >= CLEAR
    # When the palette is used up, the colour repeats one far from the siblings.
    full = pick_colour(["#3074c1"], DEFAULT_PALETTE[1:])
    assert colour_distance(full, "#3074c1") >= CLEAR


@pytest.mark.parametrize("path", sorted((REPO / "codebooks").glob("*.yaml")), ids=lambda p: p.name)
def test_shipped_codebooks_give_every_theme_its_own_colour(path: Path, tmp_path: Path):
    assert not repeated_colours((p, t.color) for p, t in _iter(load_codebook(path)))
    with Study.create(tmp_path / "s.db") as study:
        study.load_codebook(path)
        colours = list(theme_colours(study).values())
    assert min_pair(colours) >= CLEAR


def test_the_demo_study_uses_distinct_colours(study_path: Path):
    with Study.open(study_path) as study:
        colours = theme_colours(study)
    assert len(colours) > 10
    assert min_pair(colours.values()) >= CLEAR


def test_repeated_colours_are_found_by_look_not_spelling():
    themes = [("A", "#ff0000"), ("B", "red"), ("C", "#3074c1"), ("D", None), ("E", "#3074c2")]
    assert repeated_colours(themes) == [("A", "B", "#ff0000"), ("C", "E", "#3074c2")]


def _iter(codebook):
    from workbench.domain.theme_tree import iter_themes

    return iter_themes(codebook.themes)


def test_a_codebook_that_repeats_a_colour_loads_with_a_warning(tmp_path: Path):
    from click.testing import CliRunner

    from workbench.cli import main

    book = tmp_path / "book.yaml"
    book.write_text(
        'name: Twins\nthemes:\n  - name: Trust\n    color: "#d22d43"\n  - name: Risk\n    color: "#D22D43"\n'
        "  - name: Other\n",
        encoding="utf-8",
    )
    Study.create(tmp_path / "s.db").close()
    result = CliRunner().invoke(main, ["codebook", "load", str(tmp_path / "s.db"), str(book)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        f"warning: {book}:5: 'Risk' has the same colour as 'Trust' (#d22d43); "
        "give one of them another colour, or leave it out to get a distinct one"
    ]
    checked = CliRunner().invoke(main, ["codebook", "check", str(book)])
    assert checked.exit_code == 0 and "same colour" in checked.stderr
    with Study.open(tmp_path / "s.db") as study:  # the theme without a colour still gets its own
        other = study.theme("Other").color
    assert colour_distance(other, "#d22d43") >= CLEAR
