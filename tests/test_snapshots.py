"""A few deliberate snapshots of what the researcher sees, as plain text with the highlights marked.

Each test opens the demo study in the workbench, presses some keys, and compares the screen with a
file in tests/snapshots/. The text alone does not show what is selected or where the cursor is (that
is colour), so the snapshot marks it: below a screen line that has highlighted cells comes a line
with a mark under each such cell, and the snapshot ends with which widget has the focus and what
each mark stands for:

- ``~`` a selection (a ``*--selection`` component style, e.g. the selected passage);
- ``=`` a highlighted item (``*--highlight``, e.g. the quote card under the board's cursor);
- ``^`` a cursor (``*--cursor``: the transcript's cursor character, the palette's cursor row).

A cell is marked when it is drawn in the style the widget's stylesheet gives that component now
(focused and unfocused cursors look different, and each is matched as it currently looks), so a
selection that is kept in the app but not drawn does not show up.

A change to the layout shows up as a readable diff. After a deliberate change, regenerate with
``WORKBENCH_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py`` and review the diff. Animations
are off, the demo study is built with fixed content, and the status line's study and coder are fixed.
"""

from __future__ import annotations

import asyncio
import difflib
import os
from pathlib import Path

import pytest
from conftest import copy_study, open_workbench
from rich.cells import cell_len
from rich.style import Style

SNAPSHOTS = Path(__file__).parent / "snapshots"
# The looks that are marked, by the last part of a component class name, in the order they are
# drawn over each other (a cursor inside a selection is shown as the cursor).
MARKS = {"selection": "~", "highlight": "=", "option-highlighted": "=", "cursor": "^"}


def styled_cells(app) -> list[list[Style | None]]:
    """The style of every cell of the screen, row by row (a wide character fills two cells)."""
    rows = []
    for strip in app.screen._compositor.render_strips():
        row: list[Style | None] = []
        for segment in strip:
            for char in segment.text:
                row.extend([segment.style] * cell_len(char))
        rows.append(row)
    return rows


def marked_cells(app) -> tuple[dict[int, dict[int, str]], list[str]]:
    """``{row: {column: mark}}`` of the highlighted cells, and a legend line per mark used."""
    cells = styled_cells(app)
    marks: dict[int, dict[int, str]] = {}
    legend: list[str] = []
    for look, mark in MARKS.items():
        for widget in app.screen.query("*"):
            names = [n for n in getattr(widget, "COMPONENT_CLASSES", ()) if n.rsplit("--", 1)[-1] == look]
            if not names or not widget.display or not widget.region.area:
                continue
            region = widget.scrollable_content_region  # not its border nor its scroll bars
            background = widget.rich_style.bgcolor
            for name in names:
                part = widget.get_component_rich_style(name, partial=True)
                colour = widget.get_component_rich_style(name).bgcolor  # as blended over the widget
                if part.bgcolor is not None and colour != background:

                    def drawn(style, colour=colour):
                        return style.bgcolor == colour
                elif part.reverse:

                    def drawn(style):
                        return bool(style.reverse)
                else:
                    continue  # a look the text cannot tell (a colour of the letters only)
                found = False
                for y in range(region.y, min(region.bottom, len(cells))):
                    for x in range(region.x, min(region.right, len(cells[y]))):
                        if cells[y][x] is not None and drawn(cells[y][x]):
                            marks.setdefault(y, {})[x] = mark
                            found = True
                if found:
                    legend.append(f"{mark} {name} in {type(widget).__name__}#{widget.id}")
    return marks, legend


def snapshot_text(app) -> str:
    """The screen as text, a line of marks below each line with highlighted cells, then the focus
    and the legend of the marks."""
    marks, legend = marked_cells(app)
    lines = []
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        lines.append(strip.text.rstrip())
        if y in marks:
            lines.append("".join(marks[y].get(x, " ") for x in range(max(marks[y]) + 1)))
    focused = app.focused
    lines.append("─" * 20)
    lines.append(f"focus: {type(focused).__name__}#{focused.id}" if focused is not None else "focus: none")
    lines += [f"marks: {entry}" for entry in legend]
    return "\n".join(lines) + "\n"


def snapshot(study: Path, size: tuple[int, int], keys: list[str]) -> str:
    async def main():
        async with open_workbench(study, size, coder="snapshot") as (app, pilot):
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            return snapshot_text(app)

    return asyncio.run(main())


def check(name: str, text: str) -> None:
    file = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("WORKBENCH_UPDATE_SNAPSHOTS") or not file.exists():
        file.write_text(text, encoding="utf-8")
        if not os.environ.get("WORKBENCH_UPDATE_SNAPSHOTS"):
            pytest.fail(f"{file} did not exist; written now: review it and run again")
        return
    expected = file.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "expected", "now"))
        pytest.fail(f"screen differs from {file.name}:\n{diff}")


@pytest.mark.parametrize(
    "name, size, keys",
    [
        ("turn_selected_120x34", (120, 34), ["}", "t"]),
        ("coding_80x24", (80, 24), []),
        ("quote_board_80x24", (80, 24), ["f4"]),
        ("palette_focus_120x34", (120, 34), ["f3", "down"]),
    ],
)
def test_screen_snapshot(demo_template: Path, tmp_path: Path, name: str, size: tuple[int, int], keys: list[str]):
    study = copy_study(demo_template, tmp_path / "demo.db")  # the status line names the file
    check(name, snapshot(study, size, keys))


def test_the_marks_tell_a_selection_from_a_focus(demo_template: Path, tmp_path: Path):
    """The selection snapshot marks the selected passage in the transcript; the focus snapshot
    marks the palette's cursor row and names the palette as focused; neither marks the other."""
    study = copy_study(demo_template, tmp_path / "demo.db")
    selected = snapshot(study, (120, 34), ["}", "t"])
    focused = snapshot(study, (120, 34), ["f3", "down"])
    assert "~ transcript-view--selection in TranscriptView#transcript" in selected
    assert "focus: TranscriptView#transcript" in selected
    assert "transcript-view--selection" not in focused
    assert "focus: ThemePalette#palette" in focused
    selection_rows = [line for line in selected.splitlines() if set(line) <= {" ", "~", "^", "="} and "~" in line]
    assert len(selection_rows) >= 2  # a whole turn, over several lines
