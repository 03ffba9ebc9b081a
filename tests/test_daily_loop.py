"""The daily coding loop on the coding screen: the board's title, the footer at every width, what
each board action says, and the questions before work is thrown away."""

from __future__ import annotations

from pathlib import Path

from conftest import run_workbench, screen_text, wait_for

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


def test_help_the_board_with_its_count_and_quit_are_in_the_footer_at_every_width(study_path: Path):
    for size in ((80, 24), (90, 30), (120, 34), (160, 40)):

        async def scenario(app, pilot):
            last = screen_text(app).rstrip("\n").splitlines()[-1]
            count = app.screen.board.count
            return last, count, app.screen.has_class("-narrow")

        last, count, narrow = run_workbench(study_path, scenario, size)
        assert "F1  help" in last and "q  quit" in last, (size, last)
        if narrow:  # the board is hidden: the footer says where it is
            assert f"F4  board: {count} quotes" in last, (size, last)
        else:
            assert f"F4  quotes {count}" in last, (size, last)


def test_the_footer_follows_the_board_view_and_remapped_keys(study_path: Path):
    from workbench.tui.config import UiConfig

    async def scenario(app, pilot):
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.screen.has_class("-board-view"), "the board view")
        return screen_text(app).rstrip("\n").splitlines()[-1]

    last = run_workbench(study_path, scenario, (80, 24), config=UiConfig(keys={"coding.quit": "ctrl+x"}))
    assert "F4  transcript (board: " in last and "^x  quit" in last
