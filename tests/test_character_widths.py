"""Emoji whose width Rich and terminals disagree on are shown in a form both measure alike.

Rich 15 lays out "👍🏽" (thumbs up + skin tone) and "👩🏾‍🔬" as one 2-cell glyph; tmux 3.3a (and many
terminals) draw the skin tone as a 2-cell emoji of its own, so each such emoji shifted the rest
of its line two cells right of where the layout put it. The display rule shows a skin tone as
"◦", a zero-width joiner as a non-joiner and the emoji presentation selector as the text one.
Checked here on text alone, and in a real terminal: tmux's cursor after printing the shown text.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from rich.cells import cell_len

from workbench.display.safe_text import SKIN_TONE, visible, visible_in_line, visible_in_place
from workbench.tui.widgets.transcript_layout import Layout, cells, char_width

SAMPLES = {
    "👍🏽": "👍◦",  # skin tone
    "👩🏾\u200d🔬": "👩◦\u200c🔬",  # skin tone inside a zero-width-joiner sequence
    "👩\u200d🔬": "👩\u200c🔬",  # joiner sequence
    "❤\ufe0f": "❤\ufe0e",  # emoji presentation selector
    "👍🏻👍🏼👍🏾👍🏿": "👍◦👍◦👍◦👍◦",  # every tone
}
#: Cells the shown forms take in tmux 3.3a, as measured (cursor position after printing).
TERMINAL_CELLS = {"👍◦": 3, "👩◦\u200c🔬": 5, "👩\u200c🔬": 4, "❤\ufe0e": 1, "👍◦👍◦👍◦👍◦": 12}


@pytest.mark.parametrize("stored", SAMPLES)
def test_every_view_shows_the_same_stand_ins(stored: str):
    shown = SAMPLES[stored]
    assert visible_in_place(stored) == shown and visible_in_line(stored) == shown and visible(stored) == shown
    assert len(visible_in_place(stored)) == len(stored)  # offsets into the transcript carry over


@pytest.mark.parametrize("stored", SAMPLES)
def test_rich_and_the_layout_measure_the_shown_form_as_the_terminal_draws_it(stored: str):
    shown = visible_in_place(stored)
    assert cell_len(shown) == TERMINAL_CELLS[shown]  # Rich (the quote board, tables, Textual)
    assert cells(shown) == sum(map(char_width, shown)) == TERMINAL_CELLS[shown]  # the transcript pane


def test_the_transcript_layout_wraps_by_the_shown_widths():
    text = "ok 👍🏽 " * 8
    layout = Layout(visible_in_place(text), 20)
    assert layout.line_count > 1
    for line in range(layout.line_count):
        shown = layout.line_text(line).rstrip()
        assert cells(shown) == cell_len(shown) <= 20  # the pane's measure is Rich's, and the terminal's


def test_the_stored_text_is_not_changed():
    stored = "Great work 👍🏽 from the 👩🏾\u200d🔬 team ❤\ufe0f"
    copy = str(stored)
    visible(stored), visible_in_place(stored), visible_in_line(stored)
    assert stored == copy and SKIN_TONE not in stored


def tmux_cursor_after(text: str) -> int:
    """The column tmux's cursor is on after a program prints ``text`` at the start of a line."""
    if shutil.which("tmux") is None:
        pytest.fail("tmux is needed to measure what a terminal draws (apt-get install tmux)")
    server = f"wbw-{uuid.uuid4().hex[:8]}"
    sample = Path(f"/tmp/{server}.txt")
    sample.write_text(text, encoding="utf-8")  # no newline: the cursor stays after the text
    tmux = ["tmux", "-L", server, "-f", "/dev/null"]
    try:
        subprocess.run([*tmux, "new-session", "-d", "-x", "100", "-y", "5", f"cat {sample}; sleep 30"], check=True)
        deadline = time.monotonic() + 10
        while not subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True, text=True).stdout.strip():
            assert time.monotonic() < deadline, "tmux showed nothing"
            time.sleep(0.05)
        time.sleep(0.2)
        cursor = subprocess.run(
            [*tmux, "display-message", "-p", "#{cursor_x}"], capture_output=True, text=True, check=True
        )
        return int(cursor.stdout)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
        sample.unlink(missing_ok=True)


@pytest.mark.parametrize("stored", ["👍🏽", "👩🏾\u200d🔬", "❤\ufe0f"])
def test_a_real_terminal_draws_the_shown_form_as_rich_measures_it(stored: str):
    shown = visible(stored)
    assert tmux_cursor_after(shown) == cell_len(shown)
