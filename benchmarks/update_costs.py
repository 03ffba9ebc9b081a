"""CPU time of the coding screen's own update after each change, in process (not Textual's repaint).

    python benchmarks/update_costs.py STUDY [REPEATS]

Opens STUDY (a copy: it codes and undoes) headless under Pilot at 120x34, goes to the transcript
named ``long_interview`` (as ``run.py`` builds it), and times with ``time.process_time`` the
screen's update calls (``refresh_all``, ``refresh_board``, ``refresh_board_themes``,
``open_transcript``) after: applying a theme, undo, filtering the board by an attribute and
clearing the filter, grouping it, switching transcripts, and selecting a quote. The keys'
complete cost through a terminal is ``run.py``'s; this isolates the part the workbench's own
code decides, so two versions of the code can be compared on the same study and machine
(``PYTHONPATH=other/checkout python benchmarks/update_costs.py ...``).
"""

import asyncio
import statistics
import sys
import time
from pathlib import Path

import workbench
from workbench.study import Study
from workbench.tui.app import WorkbenchApp
from workbench.tui.config import UiConfig
from workbench.tui.screens import coding_base

print("code from", Path(workbench.__file__).parent, file=sys.stderr)

spent = []
for name in ("refresh_all", "refresh_board", "open_transcript", "refresh_board_themes"):
    orig = getattr(coding_base.CodingScreenBase, name)

    def wrap(self, *a, _o=orig, _n=name, **k):
        t = time.process_time()
        r = _o(self, *a, **k)
        spent.append((_n, time.process_time() - t))
        return r

    setattr(coding_base.CodingScreenBase, name, wrap)


async def main(path, reps):
    study = Study.open(path, coder="anna")
    app = WorkbenchApp(study, UiConfig())
    app.animation_level = "none"
    figures = {}

    def take(label):
        # the outermost call's time (refresh_all calls refresh_board_themes inside)
        total = sum(t for n, t in spent if n in ("refresh_all", "refresh_board", "open_transcript"))
        figures.setdefault(label, []).append(total * 1000)
        spent.clear()

    async with app.run_test(size=(120, 34)) as pilot:
        await pilot.pause(1.5)
        screen = app.screen
        screen.open_transcript("long_interview")
        await pilot.pause(0.3)
        spent.clear()
        for _ in range(reps):
            await pilot.press("}", "t")
            await pilot.pause(0.05)
            spent.clear()
            await pilot.press("1")
            await pilot.pause(0.1)
            take("apply a theme")
            await pilot.press("u")
            await pilot.pause(0.1)
            take("undo")
            screen.where = {"size": {"smaller"}}
            screen.refresh_board()
            await pilot.pause(0.1)
            take("filter by attribute")
            screen.where = {}
            screen.refresh_board()
            await pilot.pause(0.1)
            take("clear the filter")
            screen.group_by = "cluster"
            screen.refresh_board()
            await pilot.pause(0.1)
            take("group by cluster")
            screen.group_by = None
            screen.refresh_board()
            await pilot.pause(0.1)
            spent.clear()
            screen.open_transcript(study.transcripts()[0].name)
            await pilot.pause(0.1)
            spent.clear()
            screen.open_transcript("long_interview")
            await pilot.pause(0.1)
            take("switch transcript")
        await pilot.press("f4")
        await pilot.pause(0.1)
        for _ in range(reps):
            spent.clear()
            await pilot.press("space")
            await pilot.pause(0.1)
            figures.setdefault("select (space)", []).append(
                sum(t for n, t in spent if n == "refresh_board_themes") * 1000
            )
            spent.clear()
            await pilot.press("space")
            await pilot.pause(0.1)
            spent.clear()
    for label, values in figures.items():
        print(f"{label:25} median {statistics.median(values):7.1f} ms  max {max(values):7.1f}  n={len(values)}")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 5))
