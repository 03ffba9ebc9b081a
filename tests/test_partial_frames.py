"""Frames that draw only the lines that changed (workbench/tui/partial_frames.py): the same
bytes reach the terminal as with Textual's own compositor, on every screen and dialog."""

from __future__ import annotations

import io

from conftest import run_workbench, wait_for
from rich.console import Console
from test_frame_pacing import _screen_classes
from textual._compositor import Compositor
from textual.screen import Screen

import workbench.tui.partial_frames as partial_frames
from workbench.tui.partial_frames import ChangedLinesScreen, LineCompositor


class _Compared:
    """What the checking compositor saw: frames compared, and those that differed."""

    def __init__(self) -> None:
        self.frames = 0
        self.fewer_widgets = 0
        self.differences: list[str] = []


def _checking_compositor(compared: _Compared, console: Console):
    """A :class:`LineCompositor` that also draws each partial update as Textual would (after
    its own, so a line it left out but should have drawn is still dirty and shows up) and
    records any difference in what would be written."""

    class CheckingCompositor(LineCompositor):
        def render_partial_update(self):
            dirty = self._dirty_regions.copy()
            asked: list[object] = []
            originals = {widget: widget.render_lines for widget in self.visible_widgets}
            for widget, render_lines in originals.items():
                widget.render_lines = lambda crop, w=widget, r=render_lines: (asked.append(w), r(crop))[1]
            try:
                ours = super().render_partial_update()
            finally:
                for widget in originals:
                    del widget.render_lines
            self._dirty_regions.update(dirty)
            stock = Compositor.render_partial_update(self)
            if ours is None or stock is None:
                if (ours is None) != (stock is None):
                    compared.differences.append(f"one frame empty: ours {ours!r}, Textual's {stock!r}")
                return ours
            compared.frames += 1
            compared.fewer_widgets += len(set(asked)) < len(originals)
            if ours.render_segments(console) != stock.render_segments(console):
                compared.differences.append(f"frame {compared.frames} on {type(self).__name__}: spans {stock.spans}")
            return ours

    return CheckingCompositor


def test_every_screen_of_the_workbench_draws_changed_lines_only():
    screens = _screen_classes()
    assert len(screens) >= 10
    assert [cls.__name__ for cls in screens if not issubclass(cls, ChangedLinesScreen)] == []
    assert [cls.__name__ for cls in screens if cls.__mro__.index(ChangedLinesScreen) > cls.__mro__.index(Screen)] == []


def test_frames_write_what_textuals_compositor_would_through_a_days_keys(study_path, monkeypatch):
    compared = _Compared()
    console = Console(file=io.StringIO(), force_terminal=True, color_system="truecolor", width=200)
    monkeypatch.setattr(partial_frames, "LineCompositor", _checking_compositor(compared, console))

    async def scenario(app, pilot):
        coding = app.screen
        assert isinstance(coding._compositor, LineCompositor)
        # The transcript: moves, a page, a selection, a coding, its undo, a removal.
        await pilot.press("down", "down", "pagedown", "up", "shift+right", "shift+right", "escape")
        await pilot.press("}", "t", "1")
        await pilot.press("u", "}", "t", "2", ".")
        await pilot.press("x")
        await pilot.pause(0.1)
        if coding is not app.screen:  # several codings there: the dialog asks which
            await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is coding, "the coding screen after a removal")
        # The palette and the board: highlight, select a quote, reorder, filter through a dialog.
        await pilot.press("f3", "down", "down", "up")
        await pilot.press("f4", "home", "down", "space", "shift+down", "shift+up", "space")
        await pilot.press("f")
        await wait_for(pilot, lambda: app.screen is not coding, "the filter dialog")
        await pilot.press("down", "down", "up", "escape")
        await wait_for(pilot, lambda: app.screen is coding, "the coding screen after the dialog")
        # Help (a full screen of its own) and back, a narrow terminal and back.
        await pilot.press("f1")
        await wait_for(pilot, lambda: app.screen is not coding, "the help")
        await pilot.press("down", "escape")
        await wait_for(pilot, lambda: app.screen is coding, "the coding screen after the help")
        await pilot.resize_terminal(70, 24)
        await pilot.press("f2", "down", "}", "t", "3", "u")
        await pilot.resize_terminal(120, 34)
        await pilot.press("down", "pagedown")
        await pilot.pause(0.1)

    run_workbench(study_path, scenario)
    assert compared.differences == []
    assert compared.frames >= 30, compared.frames
    # The comparison covers frames where widgets were left out, the case that could go wrong.
    assert compared.fewer_widgets >= 20, (compared.fewer_widgets, compared.frames)


def _cells(strip, width: int, blank) -> list[tuple[str, object]]:
    """Each cell's character and style (without Textual's mouse offsets), padded to ``width``
    with ``blank`` cells, as the widget's background pads a short line."""
    cells = [
        (char, segment.style.clear_meta_and_links() if segment.style else None)
        for segment in strip
        for char in segment.text
    ]
    return cells + [(" ", blank)] * (width - len(cells))


def test_the_status_line_and_the_essential_keys_draw_what_textual_would(study_path):
    """The two lines that draw themselves (``OneLineWidget``) show the same characters in the
    same styles as Textual's own drawing of the same text, after a coding, an undo, a theme's
    counts, at two widths. A line too long for its width ends in an ellipsis at the last cell
    (Textual's own drawing wrapped it at a word and showed the first part without one)."""
    from rich.color import Color
    from textual.widget import Widget

    from workbench.tui.widgets.status_line import EssentialKeys, StatusLine

    def same_colour(style):  # Rich names ANSI colour 2 "green" one way and "color(2)" the other
        if style is None or style.color is None or style.color.number is None:
            return style
        return style + type(style)(color=Color.from_ansi(style.color.number))

    async def scenario(app, pilot):
        compared, cut = 0, 0
        for keys in ([], ["}", "t", "1"], ["u"], ["f3", "down"], ["f2", "down", "down"]):
            await pilot.press(*keys)
            for size in ((120, 34), (60, 24)):
                await pilot.resize_terminal(*size)
                await pilot.pause()
                for widget in (app.screen.query_one(StatusLine), app.screen.query_one(EssentialKeys)):
                    ours, width, text = widget.render_line(0), widget.size.width, widget.render()
                    assert ours.cell_length == width
                    if text.cell_len > width:
                        assert ours.text.endswith("…") and text.plain.startswith(ours.text[:-1]), ours.text
                        cut += 1
                        continue
                    Widget._render_content(widget)
                    textuals = widget._render_cache.lines[0]
                    blank = widget.rich_style
                    assert [(c, same_colour(s)) for c, s in _cells(ours, width, blank)] == [
                        (c, same_colour(s)) for c, s in _cells(textuals, width, blank)
                    ], (type(widget).__name__, keys, size)
                    compared += 1
        return compared, cut

    compared, cut = run_workbench(study_path, scenario)
    assert compared >= 12 and cut >= 1, (compared, cut)
