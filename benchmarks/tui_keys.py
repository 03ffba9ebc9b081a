"""Terminal figures for benchmarks/run.py: the installed `workbench` in a 120x34 pseudo-terminal.

A run of keys opens a study, goes to the long transcript and presses the keys a researcher would,
each many times, timing every update from outside (first byte, complete) and reading the
program's CPU time and peak memory from /proc. Keys that rebuild the quote board can take
seconds on a large study, so each key stops after ``seconds_per_key`` once it has
``MIN_SAMPLES`` samples; the sample count is reported with every figure.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from keystroke_latency import PtyApp, Sample, summarise  # noqa: E402

MIN_SAMPLES = 3
FIRST_SCREEN = 20_000  # bytes: a painted 120x34 screen is tens of kB; terminal set-up is less

DOWN, UP, PAGE_DOWN = b"\x1b[B", b"\x1b[A", b"\x1b[6~"
SHIFT_RIGHT, SHIFT_DOWN, SHIFT_UP = b"\x1b[1;2C", b"\x1b[1;2B", b"\x1b[1;2A"
HOME, ENTER, ESCAPE, F2, F4 = b"\x1b[H", b"\r", b"\x1b", b"\x1bOQ", b"\x1bOS"
CHAPTER_QUOTE = b"is in the chapter"  # the removal's confirmation: "#17 is in the chapter (...)"


def help_seconds(command: str, launches: int) -> list[float]:
    """Wall seconds of `workbench --help` through a pseudo-terminal, until the program ends."""
    times = []
    for _ in range(launches):
        app = PtyApp([command, "--help"])
        ended = app.wait_exit()
        if ended is not None:
            times.append(ended)
    return times


def first_paint(command: str, study: Path, launches: int, env: dict[str, str]) -> dict:
    """Cold starts: to the first painted screen (the first ``FIRST_SCREEN`` bytes of screen
    written), and to the screen complete with the quote board filled (then quiet and idle),
    with its size in bytes."""
    seconds, complete, sizes = [], [], []
    for _ in range(launches):
        app = PtyApp([command, "open", str(study)], env=env)
        try:
            written, _first, last = app.drain(timeout=300, at_least=FIRST_SCREEN)
            if last is not None:
                seconds.append(app.reached - app.started)
                complete.append(last - app.started)
                sizes.append(written)
        finally:
            app.close()
    return {"seconds": seconds, "complete": complete, "bytes": statistics.median(sizes) if sizes else 0}


class KeyRun:
    """One running workbench and the samples taken from it, key by key."""

    def __init__(self, command: str, study: Path, env: dict[str, str], repeats: int, seconds_per_key: float):
        self.app = PtyApp([command, "open", str(study)], env=env)
        self.app.drain(timeout=300, at_least=FIRST_SCREEN)
        self.repeats = repeats
        self.seconds_per_key = seconds_per_key
        self.samples: dict[str, list[Sample]] = {}
        self.peak_rss_kb: dict[str, int | None] = {}

    def press(self, *keys: bytes) -> Sample:
        """Press keys one after another, each waited for; the last one's sample."""
        sample = None
        for key in keys:
            sample = self.app.key(key)
        return sample

    def measure(self, name: str, step: Callable[[], Sample | None]) -> None:
        """Run ``step`` (one repetition; it returns the measured sample) until enough samples."""
        began = time.perf_counter()
        samples = self.samples.setdefault(name, [])
        for _ in range(self.repeats):
            sample = step()
            if sample is not None:
                samples.append(sample)
            if len(samples) >= MIN_SAMPLES and time.perf_counter() - began > self.seconds_per_key:
                break

    def close(self) -> None:
        self.app.close()


def run_keys(
    command: str, study: Path, env: dict[str, str], repeats: int, seconds_per_key: float, switch_to: str | None
) -> dict:
    """Every key figure on one study; ``switch_to`` filters the transcript list (``o``) to the
    long transcript, or None when the study opens on it already."""
    run = KeyRun(command, study, env, repeats, seconds_per_key)
    try:
        if switch_to:
            measure_switch(run, switch_to)
        run.press(F4, F2)  # the board has been built and shown; back to the transcript
        run.peak_rss_kb["opened"] = run.app.peak_rss_kb()
        measure_transcript_keys(run)
        measure_board_keys(run)
        run.peak_rss_kb["end"] = run.app.peak_rss_kb()
    finally:
        run.close()
    figures = {name: summarise(samples) for name, samples in run.samples.items() if samples}
    return {"keys": figures, "peak_rss_kb": run.peak_rss_kb}


def measure_switch(run: KeyRun, query: str) -> None:
    """``o``, type to filter, ``enter``: the time to open the long transcript. Back to the first
    transcript in the list between repetitions; the run ends on the long transcript."""

    def step() -> Sample:
        run.press(b"o", query.encode())
        sample = run.press(ENTER)
        run.press(b"o", ENTER)
        return sample

    run.measure("switch_transcript", step)
    run.press(b"o", query.encode(), ENTER)


def measure_transcript_keys(run: KeyRun) -> None:
    """Cursor and page moves, extending a selection, coding, undo and removing a coding."""
    downs = 0

    def down() -> Sample:
        nonlocal downs
        downs += 1
        sample = run.press(DOWN)
        if downs % 15 == 0:  # stay inside the visible text: a cursor move, not a scroll
            for _ in range(15):
                run.press(UP)
        return sample

    run.measure("cursor_down", down)
    run.measure("page_down", lambda: run.press(PAGE_DOWN))
    run.measure("extend_selection", lambda: run.press(SHIFT_RIGHT))
    run.press(ESCAPE)

    def apply_and_undo() -> Sample:
        run.press(b"}", b"t")  # the next turn, selected
        sample = run.press(b"1")  # the first theme
        run.samples.setdefault("undo", []).append(run.press(b"u"))
        return sample

    run.measure("apply_theme", apply_and_undo)

    def remove_and_undo() -> Sample | None:
        run.press(b".")  # the next coding
        sample = run.press(b"x")
        if b"which coding?" in run.app.output:  # several codings here, numbered: remove the first
            sample = run.press(b"1")
        if CHAPTER_QUOTE in run.app.output:
            # A quote in the chapter is removed only after a confirmation, which is not a plain
            # removal: cancelled, and the next coding tried. (Left open, the dialog took every
            # key after it, and the keys measured then changed nothing.)
            run.press(b"n")
            return None
        run.press(b"u")
        return sample

    run.measure("remove_coding", remove_and_undo)


def measure_board_keys(run: KeyRun) -> None:
    """On the quote board: move, select for the chapter, reorder, filter by an attribute."""
    run.press(F4, HOME)
    run.measure("board_cursor_down", lambda: run.press(DOWN))
    toggles = 0

    def toggle() -> Sample:
        nonlocal toggles
        toggles += 1
        return run.press(b" ")

    run.measure("board_select", toggle)
    if toggles % 2:
        run.press(b" ")  # leave the quote as it was
    # The first card is a selected quote (selected quotes come first): move it down and back.
    run.press(HOME)
    moves = 0

    def reorder() -> Sample:
        nonlocal moves
        moves += 1
        return run.press(SHIFT_DOWN if moves % 2 else SHIFT_UP)

    run.measure("board_reorder", reorder)
    if moves % 2:
        run.press(SHIFT_UP)

    def filter_and_clear() -> Sample:
        run.press(b"f", b"smaller")  # the dialog lists "key = value"; this finds size = smaller
        sample = run.press(ENTER)
        run.press(b"f", ENTER)  # the first entry: no filter
        return sample

    run.measure("board_filter", filter_and_clear)
    run.press(F2)
