"""The garbage collector's full passes are made while the researcher pauses, not inside a key:
after start-up the collector makes none of its own while the coding screen is open; the screen
makes one after a second without a change or a move, and gives the collector its own back when
it closes."""

from __future__ import annotations

import gc
import time
from pathlib import Path

import pytest
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


def test_young_passes_wait_for_the_keys_to_stop(study_path: Path):
    """After start-up a key's objects do not reach the collector's young threshold; the young
    generations are collected once no key has come for a moment, and the collector's own
    threshold comes back when the screen closes."""
    from workbench.tui import young_passes

    own = gc.get_threshold()
    passes: list[tuple[float, int]] = []

    def note(phase, info):
        if phase == "start":
            passes.append((time.monotonic(), info["generation"]))

    async def scenario(app, pilot):
        await wait_for(pilot, lambda: app.screen._frozen, "the board built and start-up frozen")
        threshold = gc.get_threshold()[0]
        await pilot.pause(0.2)
        gc.callbacks.append(note)
        try:
            keys = []
            for _ in range(5):
                keys.append(time.monotonic())
                await pilot.press("down")
            await pilot.pause(young_passes.AFTER_KEY * 5)
        finally:
            gc.callbacks.remove(note)
        return threshold, keys

    try:
        threshold, keys = run_workbench(study_path, scenario)
        assert threshold == young_passes.YOUNG_BETWEEN_KEYS
        # Pilot waits for each key's update, longer than AFTER_KEY: a young pass after each key,
        # made a moment after it came, never a full one.
        assert len(passes) >= len(keys), f"no young pass after each key: {passes}"
        assert max(gen for _at, gen in passes) <= 1
        assert all(any(at >= key + young_passes.AFTER_KEY for at, _ in passes) for key in keys)
        assert gc.get_threshold() == own, "the collector's own thresholds were not given back"
    finally:
        gc.set_threshold(*own)


def test_an_import_makes_no_collection_and_gives_the_collector_back_even_when_refused(tmp_path: Path):
    """Importing makes a tuple per turn and a string per line and no cycles: the collector
    makes no pass while files are read and stored, and is on again afterwards with its own
    thresholds, also after an import refused for a bad file."""
    import sys

    from workbench.errors import InputError
    from workbench.study import Study

    sample = Path(__file__).resolve().parent.parent / "sample_data"
    files = sorted((sample / "transcripts").glob("*.txt"))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    passes: list[int] = []

    def note(phase, info):
        frame = sys._getframe(1)
        while frame is not None and frame.f_code.co_name != "_import_files":
            frame = frame.f_back
        if phase == "start" and frame is not None:  # a pass while the files are read or stored
            passes.append(info["generation"])

    own = gc.get_threshold()
    with Study.create(tmp_path / "study.db") as study:
        gc.set_threshold(10, 1, 1)  # a pass every ten objects made, if the collector were on
        gc.callbacks.append(note)
        gc.collect()
        passes.clear()
        try:
            study.import_files(files, sample / "cases.yaml")
            assert passes == [] and gc.isenabled()
            with pytest.raises(InputError):
                study.import_files([bad])
            assert passes == [] and gc.isenabled()
            assert gc.get_threshold() == (10, 1, 1)
        finally:
            gc.callbacks.remove(note)
            gc.set_threshold(*own)
        assert [t.name for t in study.transcripts()] == [f.stem for f in files]


def test_the_commands_start_up_objects_are_out_of_the_collectors_way(tmp_path: Path):
    """What the command's imports made is frozen, so no collection walks it afterwards."""
    import subprocess
    import sys

    script = (
        "import gc, sys\n"
        "sys.argv = ['workbench', 'init', sys.argv[1]]\n"
        "from workbench.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(gc.get_freeze_count(), gc.isenabled())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "new.db")], capture_output=True, text=True, check=True
    )
    frozen, enabled = done.stdout.split()[-2:]
    assert int(frozen) > 10_000 and enabled == "True"
