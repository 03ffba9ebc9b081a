"""The garbage collector's full passes are made while the researcher pauses, not inside a key:
after start-up the collector makes none of its own while the coding screen is open; the screen
makes one after a second without a change or a move, and gives the collector its own back when
it closes."""

from __future__ import annotations

import gc
import time
from pathlib import Path

from conftest import run_workbench, wait_for

from workbench.tui.screens import coding_base


def test_full_collections_wait_for_a_pause_and_come_back_when_the_screen_closes(study_path: Path):
    own = gc.get_threshold()

    async def scenario(app, pilot):
        screen = app.screen
        await wait_for(pilot, lambda: screen._frozen, "the board built and start-up frozen")
        deferred = gc.get_threshold()[2]
        for _ in range(20):  # middle-generation passes, as a few keys would cause
            gc.collect(1)
        pending_while_busy = gc.get_count()[2]
        await pilot.press("down")  # a move: not idle
        screen._collect_when_idle()
        after_a_key = gc.get_count()[2]
        screen._shown_at = time.monotonic() - coding_base.IDLE_FOR_COLLECTING
        await pilot.press("f4", "down")  # a move on the quote board: not idle either
        screen._collect_when_idle()
        after_a_key = min(after_a_key, gc.get_count()[2])
        screen._shown_at = time.monotonic() - coding_base.IDLE_FOR_COLLECTING  # a second's pause
        screen._collect_when_idle()
        return deferred, pending_while_busy, after_a_key, gc.get_count()[2]

    try:
        deferred, busy, after_a_key, after_pause = run_workbench(study_path, scenario)
        assert deferred == coding_base.FULL_PASSES_DEFERRED
        assert busy >= 20 and after_a_key >= 20, "a full pass was made while keys came"
        assert after_pause == 0, "no full pass after a pause"
        assert gc.get_threshold() == own, "the collector's own thresholds were not given back"
    finally:
        gc.set_threshold(*own)
