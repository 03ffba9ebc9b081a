"""What the frames of a key ask of each widget: milliseconds of ``render_lines`` per frame.

    python benchmarks/frame_widgets.py STUDY --setup o,l,o,n,g,enter --keys },t,1,u --measure 1
    python benchmarks/frame_widgets.py STUDY --setup f4,home --keys shift+down,shift+up

Run it on a copy of a study: the keys change it. The app runs headless under Textual's Pilot at
120x34 (as ``profile_keys.py``), as a coder of its own (a coder's last place in the study is
where the app opens for them again). ``--keys`` are
pressed in turn ``--repeat`` times, waiting after each until the app is idle; the widgets'
``render_lines`` calls are timed (wall clock, no profiler) while the keys named by
``--measure`` (default: all of ``--keys``) are handled and drawn. Textual asks every widget that
overlaps the rectangle around a frame's changes for all its lines, so a widget that did not
change shows up here too; each widget is counted once per call, not once per class it inherits
``render_lines`` from.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import defaultdict
from pathlib import Path

from profile_keys import keys_of  # the scripts' folder is on the path when one is run
from textual.widget import Widget

from workbench.study import Study
from workbench.tui.app import WorkbenchApp
from workbench.tui.config import UiConfig

SIZE = (120, 34)
CODER = "frame-widgets"
SETTLE = 0.05  # seconds after a key: its frame has been drawn
SETUP_PAUSE = 0.3  # seconds after a setup key: a dialog it opens is up, a transcript it opens is shown


class WidgetTimes:
    """Milliseconds of each widget's ``render_lines`` while switched on (outermost call only)."""

    def __init__(self) -> None:
        self.on = False
        self.calls: dict[str, list[float]] = defaultdict(list)
        self._depth: dict[int, int] = defaultdict(int)
        self._wrapped: set[type] = set()

    def watch(self, widget: Widget) -> None:
        """Time ``render_lines`` of every class in the widget's ancestry that defines it."""
        for cls in type(widget).__mro__:
            if "render_lines" in cls.__dict__ and cls not in self._wrapped:
                self._wrapped.add(cls)
                cls.render_lines = self._timed(cls.__dict__["render_lines"])

    def _timed(self, render_lines):
        def timed(widget, crop):
            key = id(widget)
            self._depth[key] += 1
            started = time.perf_counter()
            try:
                return render_lines(widget, crop)
            finally:
                self._depth[key] -= 1
                if self.on and not self._depth[key]:  # the outermost call: a subclass's super() is inside it
                    name = f"{type(widget).__name__}{'#' + widget.id if widget.id else ''}"
                    self.calls[name].append((time.perf_counter() - started) * 1000)

        return timed


async def measure(
    study_path: Path, setup: list[str], keys: list[str], measured: set[str], repeat: int
) -> tuple[WidgetTimes, int]:
    times = WidgetTimes()
    presses = 0
    study = Study.open(study_path, coder=CODER)
    app = WorkbenchApp(study, UiConfig())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.5)
        for key in setup:
            await pilot.press(key)
            await pilot.pause(SETUP_PAUSE)
        await pilot.pause(1.0)  # the board filled, the transcript laid out
        for widget in app.screen.walk_children(with_self=True):
            times.watch(widget)
        for _ in range(repeat):
            for key in keys:
                times.on = key in measured
                presses += times.on
                await pilot.press(key)
                await pilot.pause(SETTLE)
                times.on = False
    study.close()
    return times, presses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", type=Path)
    parser.add_argument("--setup", default="", help="comma-separated keys pressed first, not measured")
    parser.add_argument("--keys", default="down", help="comma-separated keys pressed in turn")
    parser.add_argument("--measure", default="", help="which of the keys to measure (default: all)")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    keys = keys_of(args.keys)
    measured = set(keys_of(args.measure) or keys)
    times, presses = asyncio.run(measure(args.study, keys_of(args.setup), keys, measured, args.repeat))
    print(f"{presses} presses of {', '.join(sorted(measured))}; render_lines per press, ms (wall clock)")
    print(f"  {'widget':40} {'calls':>6} {'per press':>10} {'median call':>12}")
    rows = sorted(times.calls.items(), key=lambda item: -sum(item[1]))
    for name, calls in rows:
        print(f"  {name:40} {len(calls) / presses:6.1f} {sum(calls) / presses:10.3f} {statistics.median(calls):12.3f}")
    total = sum(sum(calls) for _, calls in rows) / presses
    print(f"  {'all widgets':40} {'':6} {total:10.3f}")


if __name__ == "__main__":
    main()
