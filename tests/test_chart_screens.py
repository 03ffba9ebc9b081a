"""The chart views of the terminal workbench: reached from the framework matrix (F5, then c),
snapshots of the heat map and the saturation view at 80x24 and 120x34, and the keys that change
what a chart shows."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from conftest import copy_study, open_workbench, run_workbench, screen_text, wait_for
from test_snapshots import check, snapshot


@pytest.mark.parametrize(
    "name, size, keys",
    [
        ("chart_heat_map_80x24", (80, 24), ["f5", "c"]),
        ("chart_heat_map_120x34", (120, 34), ["f5", "c"]),
        ("chart_saturation_80x24", (80, 24), ["f5", "c", "4"]),
        ("chart_saturation_120x34", (120, 34), ["f5", "c", "4"]),
    ],
)
def test_chart_snapshot(demo_template: Path, tmp_path: Path, name: str, size: tuple[int, int], keys: list[str]):
    study = copy_study(demo_template, tmp_path / "demo.db")
    check(name, snapshot(study, size, keys))


def test_heat_map_shows_the_matrix_numbers_and_a_legend(study_path: Path):
    from workbench.study import Study
    from workbench.study.analysis import theme_attribute_matrix

    with Study.open(study_path) as study:
        matrix = theme_attribute_matrix(study, "size")

    async def scenario(app, pilot):
        await pilot.press("f5", "b")  # columns: the first attribute after case
        for _ in range(20):
            if app.screen.by == "size":
                break
            await pilot.press("b")
        await pilot.press("c")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ChartScreen", "the chart screen")
        await pilot.pause()
        return screen_text(app)

    text = run_workbench(study_path, scenario, size=(120, 34))
    lines = text.splitlines()
    assert "larger" in text and "smaller" in text
    assert "codings: · none" in text
    for row in matrix.rows:
        name = row.theme.rsplit("/", 1)[-1]
        line = next(line for line in lines if line.strip().startswith(name))
        numbers = [int(n) for n in line.replace("·", " 0 ").split()[len(name.split()) :] if n.isdigit()]
        assert numbers == [c.codings for c in row.cells], line


def test_chart_keys_switch_charts_and_modes(study_path: Path):
    async def scenario(app, pilot):
        await pilot.press("f5", "c")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ChartScreen", "the chart screen")
        seen = {}
        await pilot.press("v")
        seen["share"] = screen_text(app)
        await pilot.press("2")
        seen["bars"] = screen_text(app)
        await pilot.press("3")
        seen["cooccurrence"] = screen_text(app)
        await pilot.press("4", "plus", "plus")
        seen["threshold"] = screen_text(app)
        await pilot.press("o")
        seen["order"] = screen_text(app)
        await pilot.press("escape")
        seen["back"] = type(app.screen).__name__
        return seen

    seen = run_workbench(study_path, scenario, size=(100, 34))
    assert "share of the group's informants" in seen["share"] and "100%" in seen["share"]
    assert "Themes: share of informants per theme and cluster" in seen["bars"]  # the mode carries over
    assert "Co-occurrence" in seen["cooccurrence"] and "Standardisation" in seen["cooccurrence"]
    assert "fewer than 3 new per transcript" in seen["threshold"]
    assert "in order of level" in seen["order"]  # the attribute after interviewed, alphabetically
    assert seen["back"] == "FrameworkMatrixScreen"


def test_chart_screen_reads_without_colour(study_path: Path, monkeypatch):
    """With NO_COLOR the shades and numbers still carry the chart: the screen's text alone holds them."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def main():
        async with open_workbench(study_path, (80, 24)) as (app, pilot):
            await pilot.press("f5", "c")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "ChartScreen", "the chart screen")
            await pilot.pause()
            return app.no_color, screen_text(app)

    no_color, text = asyncio.run(main())
    assert no_color
    assert "▒▒ 1" in text and "██ 2" in text
    assert "codings: · none  ▒ 1  █ 2" in text
