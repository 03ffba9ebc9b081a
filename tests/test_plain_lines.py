"""The transcript pane and the quote board's cards hand their lines to the screen without
Textual's styles cache (``widgets/plain_lines.py``): what they hand on must be what Textual's way
would have drawn, in every state, under the app's line filters, and with any style that way
would add."""

from __future__ import annotations

import pytest
from conftest import run_workbench
from textual.geometry import Region
from textual.widget import Widget

from workbench.tui.widgets import plain_lines
from workbench.tui.widgets.quote_board import QuoteCardList
from workbench.tui.widgets.transcript_view import TranscriptView

PANES = [TranscriptView, QuoteCardList]


def textual_way(view: Widget, crop: Region):
    """The lines as Textual's own ``render_lines`` draws them, from a fresh styles cache."""
    view.refresh()  # forget what Textual's cache kept: it is compared on what it draws now
    return Widget.render_lines(view, crop)


def crops(view: Widget) -> list[Region]:
    """The whole pane, some of its lines, and a column range (as a compositor asks)."""
    width, height = view.region.size
    return [Region(0, 0, width, height), Region(0, 3, width, 5), Region(4, 1, width - 9, height - 2)]


def assert_same_lines(view: Widget, state: str) -> None:
    for crop in crops(view):
        assert view.render_lines(crop) == textual_way(view, crop), f"{state}: {type(view).__name__} {crop}"
    # No cache behind them now: the lines each pane keeps must be the lines it would draw afresh.
    whole = crops(view)[0]
    kept = view.render_lines(whole)
    own_lines_kept = view._lines_drawn if isinstance(view, QuoteCardList) else view._cache
    own_lines_kept.clear()
    assert view.render_lines(whole) == kept, f"{state}: {type(view).__name__} kept a stale line"


def assert_panes_same(app, state: str) -> None:
    for pane in PANES:
        assert_same_lines(app.screen.query_one(pane), state)


def test_the_panes_draw_what_textual_would_in_each_state(study_path):
    states: list[str] = []

    async def scenario(app, pilot):
        assert_panes_same(app, "opened")
        for keys, state in [
            (("down", "down", "right"), "cursor moved"),
            (("right_curly_bracket", "t"), "a turn selected"),
            (("1",), "the turn coded"),
            (("s",), "a sentence selected"),
            (("f2",), "the palette has the keys"),
            (("f2", "page_down"), "scrolled"),
            (("f4", "down", "down"), "the board has the keys, a card down"),
            (("space",), "a quote selected"),
            (("shift+down",), "a quote moved"),
            (("end",), "the board scrolled"),
        ]:
            await pilot.press(*keys)
            await pilot.pause()
            assert_panes_same(app, state)
            states.append(state)
        for theme in ("textual-light", "gruvbox", "nord"):
            app.theme = theme
            await pilot.pause()
            assert_panes_same(app, theme)
            states.append(theme)

    run_workbench(study_path, scenario)
    assert len(states) == 13


def test_the_app_line_filters_are_applied(study_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")  # Textual then draws every line in monochrome

    async def scenario(app, pilot):
        assert app.get_line_filters(), "NO_COLOR gives the app a line filter"
        await pilot.press("right_curly_bracket", "t")
        await pilot.pause()
        assert_panes_same(app, "monochrome")
        for pane in PANES:
            view = app.screen.query_one(pane)
            crop = crops(view)[0]
            unfiltered = [view.render_line(y) for y in crop.line_range]
            assert view.render_lines(crop) != unfiltered, f"the filter changes {pane.__name__}'s lines"

    run_workbench(study_path, scenario)


@pytest.mark.parametrize(
    "css",
    [
        "padding: 0 2;",
        "border: round red;",
        "outline: solid green;",
        "tint: red 40%;",
        "text-opacity: 50%;",
        "hatch: right red 40%;",
    ],
)
@pytest.mark.parametrize("pane", PANES)
def test_a_style_the_pane_does_not_draw_itself_goes_through_textual(study_path, pane, css, monkeypatch):
    """With any style the styles cache adds, the pane takes Textual's way; drawn its own way the
    lines would differ (so the check is needed, and this test would see it missing)."""

    async def scenario(app, pilot):
        view = app.screen.query_one(pane)
        view.set_styles(css)
        await pilot.pause()
        assert_same_lines(view, css)
        crop = crops(view)[0]
        monkeypatch.setattr(plain_lines, "draws_nothing_around", lambda styles: True)  # the check blind
        assert view.render_lines(crop) != textual_way(view, crop)

    run_workbench(study_path, scenario)


@pytest.mark.parametrize("pane", PANES)
def test_an_ancestor_s_opacity_goes_through_textual(study_path, pane):
    async def scenario(app, pilot):
        view = app.screen.query_one(pane)
        view.parent.styles.opacity = 0.5
        await pilot.pause()
        assert view.opacity == 0.5
        assert_same_lines(view, "half opaque")

    run_workbench(study_path, scenario)
