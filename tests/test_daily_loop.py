"""The daily coding loop on the coding screen: the board's title, the footer at every width, what
each board action says, and the questions before work is thrown away."""

from __future__ import annotations

from pathlib import Path

from conftest import run_workbench, screen_text

from workbench.study import Study

LONG = "A very long theme name that a researcher wrote to be precise about what it holds"


def test_the_board_title_shortens_the_theme_and_keeps_filter_and_grouping(study_path: Path):
    with Study.open(study_path) as study:
        study.add_theme(LONG)
        study.code("informant_7", LONG, 0, 40)

    async def scenario(app, pilot):
        screen = app.screen
        screen.theme_filter = next(t.id for t in screen.themes if t.path == LONG)
        screen.where = {"size": {"smaller"}}
        screen.group_by = "cluster"
        screen.refresh_board()
        await pilot.pause()
        return [line for line in screen_text(app).splitlines() if "size=smaller" in line]

    lines = run_workbench(study_path, scenario)
    assert lines, "the filter is not on the screen"
    assert "by cluster" in lines[0] and "A very …" in lines[0]
