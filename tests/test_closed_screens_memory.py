"""Closed dialogs are freed soon after they close, and do not pile up in memory.

Textual's widgets hold one another in cycles, and Textual 8.2 keeps every drawn widget's style
cache (with its rendered lines) in an lru_cache (workbench/tui/closed_screens.py): each dialog
opened and closed left about 2,600 objects, so a day of opening transcripts made every full
garbage collection slower (0.3-0.4 s after 120), and garbage left to pile up between passes
made one pass in an unbroken run of keys take 0.2-0.3 s.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from conftest import run_workbench, wait_for

from workbench.tui import app as app_module
from workbench.tui.closed_screens import FREE_AFTER_CLOSE
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


def test_closed_dialogs_are_freed_soon_after_they_close(study_path: Path):
    async def scenario(app, pilot):
        await open_and_close_the_transcript_list(app, pilot, 3)
        await pilot.pause(FREE_AFTER_CLOSE + 0.2)
        after_three = lines_alive_saying("Open transcript")
        await open_and_close_the_transcript_list(app, pilot, 6)
        await pilot.pause(FREE_AFTER_CLOSE + 0.2)
        return after_three, lines_alive_saying("Open transcript")

    after_three, after_nine = run_workbench(study_path, scenario)
    assert after_nine == after_three  # what is left (the last list's, at most) does not grow


def test_the_idle_collection_frees_them_too(study_path: Path, monkeypatch):
    """Without the collection after each close, the coding screen's full pass when the
    researcher pauses frees them (Textual alone would keep them)."""
    monkeypatch.setattr(app_module, "FREE_AFTER_CLOSE", 3600.0)

    def idle_collection(screen: CodingScreenBase) -> None:
        gc.collect()
        for _ in range(10):  # as many middle collections as make the screen's full pass due
            gc.collect(1)
        screen._shown_at = time.monotonic() - 60
        screen._collect_when_idle()

    async def scenario(app, pilot):
        screen = app.screen
        await open_and_close_the_transcript_list(app, pilot, 3)
        idle_collection(screen)
        after_three = lines_alive_saying("Open transcript")
        await open_and_close_the_transcript_list(app, pilot, 6)
        gc.collect()
        kept_by_textual = lines_alive_saying("Open transcript")
        idle_collection(screen)
        return after_three, kept_by_textual, lines_alive_saying("Open transcript")

    after_three, kept_by_textual, after_nine = run_workbench(study_path, scenario)
    assert kept_by_textual > after_three  # Textual alone keeps every closed list's lines
    assert after_nine == after_three
