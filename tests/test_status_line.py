"""The status line and the footer's essential keys, which draw their one line of text
themselves (workbench/tui/widgets/status_line.py)."""

from __future__ import annotations

from conftest import run_workbench


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
    counts, at two widths, and in another UI theme. A line too long for its width ends in an ellipsis at the last cell
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
        for keys in ([], ["}", "t", "1"], ["u"], ["f3", "down"], ["f2", "down", "down"], ["light theme"]):
            if keys == ["light theme"]:  # the lines' own colours follow a new UI theme
                app.theme = "textual-light"
            else:
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
