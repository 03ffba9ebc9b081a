"""Themes told apart without colour, and coded text readable in every UI theme.

Every coded span is underlined and drawn in black or white on its tint; every line with codings
carries each theme's mark (a letter, shown in the palette beside the theme) in the gutter. The
snapshots show those marks at 80x24 and 120x34, and with NO_COLOR=1.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from conftest import copy_study, open_workbench, wait_for
from test_snapshots import check, snapshot_text, styled_cells

from workbench.domain.colours import contrast_ratio
from workbench.tui.widgets.theme_palette import theme_marks
from workbench.tui.widgets.transcript_view import GUTTER


def underline_row(app, y: int) -> str:
    """A line with '_' under every underlined cell of screen row ``y``."""
    row = styled_cells(app)[y]
    return "".join("_" if style is not None and style.underline else " " for style in row).rstrip()


def marked_snapshot(app) -> str:
    """The plain snapshot, with a line of '_' under each screen line that has underlined (coded) text."""
    text = snapshot_text(app).split("\n")
    out, y = [], 0
    rows = len(app.screen._compositor.render_strips())
    for line in text:
        out.append(line)
        if y < rows and line == app.screen._compositor.render_strips()[y].text.rstrip():
            under = underline_row(app, y)
            if under:
                out.append(under)
            y += 1
    return "\n".join(out)


def test_marks_are_unique_letters_from_the_names():
    from workbench.domain.models import Theme

    names = ["Trust", "Technology", "Time", "Tt", "Ölands 1", "–"]
    themes = [Theme(id=i, parent_id=None, name=n, path=n, position=i, color="#3074c1") for i, n in enumerate(names)]
    marks = theme_marks(themes)
    assert list(marks.values()) == ["T", "E", "I", "A", "L", "B"]


async def _coded_screen(app, pilot):
    await pilot.press("full_stop")  # the first coding of the transcript
    await wait_for(pilot, lambda: app.screen.transcript_view.cursor > 0, "the cursor on a coding")
    await pilot.pause()


@pytest.mark.parametrize("ui_theme", ["textual-dark", "textual-light", "ansi-dark", "ansi-light"])
def test_coded_text_reads_well_in_every_ui_theme(study_path: Path, ui_theme: str):
    from workbench.tui.config import UiConfig

    async def main():
        async with open_workbench(study_path, config=UiConfig(ui_theme=ui_theme)) as (app, pilot):
            assert app.theme == ui_theme
            await _coded_screen(app, pilot)
            view = app.screen.transcript_view
            region = view.content_region
            coded = [
                style
                for row in styled_cells(app)[region.y : region.bottom]
                for style in row[region.x + GUTTER : region.right]
                if style is not None and style.underline and not style.reverse
            ]
            assert len(coded) > 20
            worst = min(contrast_ratio(s.color.triplet.hex, s.bgcolor.triplet.hex) for s in coded)
            print(f"\n{ui_theme}: lowest contrast of coded text {worst:.1f}:1")
            assert worst >= 4.5

    asyncio.run(main())


def test_gutter_shows_the_marks_of_the_themes_on_the_line(study_path: Path):
    async def main():
        async with open_workbench(study_path) as (app, pilot):
            await _coded_screen(app, pilot)
            screen = app.screen
            view = screen.transcript_view
            marks = {m.theme_id: m.label for m in view._marks.spans}
            assert marks and all(len(label) == 1 and label.isalnum() for label in marks.values())
            assert {screen.palette.mark_for(t) for t in marks} == set(marks.values())
            region = view.content_region
            gutters = [row[region.x : region.x + GUTTER] for row in screen_rows(app)[region.y : region.bottom]]
            assert any(set(g.strip()) & set(marks.values()) for g in gutters)

    asyncio.run(main())


def screen_rows(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


def _snapshot(study: Path, size) -> str:
    async def main():
        async with open_workbench(study, size, coder="snapshot") as (app, pilot):
            await _coded_screen(app, pilot)
            return marked_snapshot(app)

    return asyncio.run(main())


@pytest.mark.parametrize("size", [(80, 24), (120, 34)], ids=["80x24", "120x34"])
def test_theme_marks_snapshot(demo_template: Path, tmp_path: Path, size):
    study = copy_study(demo_template, tmp_path / "demo.db")
    check(f"theme_marks_{size[0]}x{size[1]}", _snapshot(study, size))


def test_theme_marks_snapshot_without_colour(demo_template: Path, tmp_path: Path, monkeypatch):
    """NO_COLOR=1: the app drops every colour; the gutter letters and underlines remain."""
    monkeypatch.setenv("NO_COLOR", "1")
    study = copy_study(demo_template, tmp_path / "demo.db")
    text = _snapshot(study, (120, 34))
    check("theme_marks_no_color_120x34", text)
    assert "_" in text


@pytest.mark.parametrize("width, least", [(80, 26), (110, 33), (120, 32), (160, 43), (200, 54)])
def test_the_palette_widens_with_the_terminal(study_path: Path, width: int, least: int):
    async def main():
        async with open_workbench(study_path, (width, 30)) as (app, pilot):
            palette = app.screen.palette
            assert palette.size.width + 2 >= least  # the border is 2 cells
            assert palette.border_subtitle == "codings · informants"
            return palette.outer_size.width

    print(f"\n{width} columns: palette {asyncio.run(main())} wide")


def test_the_status_line_names_the_highlighted_theme_in_full(study_path: Path):
    async def main():
        async with open_workbench(study_path, (80, 24)) as (app, pilot):
            await pilot.press("f3", "down")
            status = app.screen.status.render().plain
            assert "O Collaboration/Organisational inertia (2 codings by 2 informants)" in status
            await pilot.press("f2")
            await pilot.pause()
            assert "Organisational inertia (" not in app.screen.status.render().plain

    asyncio.run(main())


def test_a_study_with_two_themes_of_one_colour_gets_a_notice(study_path: Path, monkeypatch):
    from workbench.study import Study
    from workbench.tui.app import WorkbenchApp

    with Study.open(study_path) as study:
        study.update_theme("Technology", color="#3074c1")  # Collaboration's colour
    told: list[str] = []
    original = WorkbenchApp.notify

    def notify(self, message, **options):
        told.append(str(message))
        original(self, message, **options)

    monkeypatch.setattr(WorkbenchApp, "notify", notify)

    async def main():
        async with open_workbench(study_path) as (app, pilot):
            await pilot.pause()

    asyncio.run(main())
    assert [m for m in told if "same colour" in m] == [
        "Technology has the same colour as Collaboration; C on a theme changes its colour"
    ]
