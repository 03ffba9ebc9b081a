"""Profile the workbench in process: the start-up, or some keys, on a study (cProfile).

    python benchmarks/profile_keys.py STUDY --startup
    python benchmarks/profile_keys.py STUDY --setup o,l,o,n,g,enter --keys down --repeat 50
    python benchmarks/profile_keys.py STUDY --keys 1,u --setup "},t" --repeat 5

The app runs headless under Textual's Pilot at 120x34. ``--setup`` keys are pressed first,
unprofiled; then ``--keys`` are pressed ``--repeat`` times with the profiler on, waiting after
each until the app is idle (so deferred work such as the quote board's rebuild is included).
Prints the functions with the most cumulative time; ``--output`` keeps the raw profile.
The profiler counts CPU time, so Pilot's own waiting shows up little.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import time
from pathlib import Path

from workbench.study import Study
from workbench.tui.app import WorkbenchApp
from workbench.tui.config import UiConfig

SIZE = (120, 34)
SETTLE = 0.1  # seconds of pause after a key: the board waits a frame (20 ms) before rebuilding


def keys_of(text: str) -> list[str]:
    return [k for k in text.split(",") if k] if text else []


async def profile(study_path: Path, startup: bool, setup: list[str], keys: list[str], repeat: int) -> cProfile.Profile:
    profiler = cProfile.Profile(time.process_time)  # CPU: Pilot's waiting costs nothing
    study = Study.open(study_path, coder="anna")
    app = WorkbenchApp(study, UiConfig())
    if startup:
        profiler.enable()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(SETTLE)
        if startup:
            profiler.disable()
            return profiler
        for key in setup:
            await pilot.press(key)
            await pilot.pause(SETTLE)
        for _ in range(repeat):
            for key in keys:
                profiler.enable()
                await pilot.press(key)
                await pilot.pause(SETTLE)
                profiler.disable()
    return profiler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", type=Path)
    parser.add_argument("--startup", action="store_true", help="profile opening the study until it is idle")
    parser.add_argument("--setup", default="", help="comma-separated keys pressed first, not profiled")
    parser.add_argument("--keys", default="", help="comma-separated keys to profile")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--output", type=Path, help="also write the raw profile here")
    args = parser.parse_args()
    profiler = asyncio.run(profile(args.study, args.startup, keys_of(args.setup), keys_of(args.keys), args.repeat))
    if args.output:
        profiler.dump_stats(args.output)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats(args.sort)
    stats.print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
