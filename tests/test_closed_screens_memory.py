"""Closed dialogs leave nothing behind once the coding screen's idle collection has run.

Textual 8.2 keeps every drawn widget's style cache (with its rendered lines) in an lru_cache
(workbench/tui/style_cache.py); each dialog opened and closed left about 2,600 objects, so a
day of opening transcripts made every full garbage collection slower (0.3-0.4 s after 120).
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from conftest import run_workbench, wait_for

from workbench.tui.screens.coding_base import CodingScreenBase


def lines_alive_saying(text: str) -> int:
    """How many rendered lines (Textual strips) held in memory contain ``text``."""
    return sum(1 for o in gc.get_objects() if type(o).__name__ == "Strip" and text in o.text)


async def open_and_close_the_transcript_list(app, pilot, times: int) -> None:
    screen = app.screen
    for _ in range(times):
        await pilot.press("o")
        await wait_for(pilot, lambda: app.screen is not screen, "the transcript list")
        await pilot.pause()
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen, "the list closed")
    await pilot.pause()


def idle_collection(screen: CodingScreenBase) -> None:
    """The coding screen's poll, when its full collection is due and the researcher has paused."""
    gc.collect()
    for _ in range(10):  # as many middle collections as make the screen's full pass due
        gc.collect(1)
    screen._shown_at = time.monotonic() - 60
    screen._collect_when_idle()


def test_closed_dialogs_lines_do_not_pile_up(study_path: Path):
    async def scenario(app, pilot):
        screen = app.screen
        assert isinstance(screen, CodingScreenBase)
        await open_and_close_the_transcript_list(app, pilot, 3)
        idle_collection(screen)
        after_three = lines_alive_saying("Open transcript")
        await open_and_close_the_transcript_list(app, pilot, 6)
        gc.collect()
        kept_by_textual = lines_alive_saying("Open transcript")
        idle_collection(screen)
        return after_three, kept_by_textual, lines_alive_saying("Open transcript")

    after_three, kept_by_textual, after_nine = run_workbench(study_path, scenario)
    # Textual alone keeps the lines of every closed list (if this fails, it no longer does) ...
    assert kept_by_textual > after_three
    # ... the idle pass lets them go: what is left (the last list's, at most) does not grow.
    assert after_nine == after_three
