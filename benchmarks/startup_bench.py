"""Start-up of whole processes: reports, help, a Tab, and the TUI's first paint.

    python benchmarks/startup_bench.py [--runs N] [--study FILE] [--pages N]

Each command runs as its own process, N times; prints the median and the slowest wall time and
the median CPU time (user + system of the child). The first paint is measured through the
benchmark's pseudo-terminal harness (`tui_keys.first_paint`: wall time to the first screen written)
on the sample study unless --study is given, and with --pages N the tail of N page moves in the
running app (page down ten times, then up ten times, and again). The machine may be shared: CPU
time is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import tui_keys  # noqa: E402
from bytecode import compile_workbench  # noqa: E402
from keystroke_latency import percentile  # noqa: E402

WORKBENCH = Path(sys.executable).parent / "workbench"


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, env=env, capture_output=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--study", type=Path)
    parser.add_argument("--pages", type=int, default=0, help="also time this many page moves in the app")
    options = parser.parse_args()
    compile_workbench()
    with tempfile.TemporaryDirectory() as folder:
        study = options.study
        if study is None:
            study = Path(folder) / "demo.db"
            subprocess.run([str(WORKBENCH), "demo", "--no-open", "--path", str(study)], capture_output=True, check=True)
        config = Path(folder) / "config.yaml"
        config.write_text("", encoding="utf-8")
        env = {**os.environ, "WORKBENCH_CODER": "benchmark", "WORKBENCH_CONFIG": str(config)}
        complete = {**env, "_WORKBENCH_COMPLETE": "bash_complete"}
        cases: dict[str, tuple[list[str], dict[str, str]]] = {
            "python -c pass (the floor)": ([sys.executable, "-c", "pass"], env),
            "import workbench.cli": ([sys.executable, "-c", "import workbench.cli"], env),
            "import workbench.tui.app": ([sys.executable, "-c", "import workbench.tui.app"], env),
            "workbench --help": ([str(WORKBENCH), "--help"], env),
            "workbench stats STUDY": ([str(WORKBENCH), "stats", str(study)], env),
            "Tab: transcript name": (
                [str(WORKBENCH)],
                {**complete, "COMP_WORDS": f"workbench code {study} inf", "COMP_CWORD": "3"},
            ),
        }
        print(f"{'process':<34} {'median':>9} {'slowest':>9} {'cpu':>9}   ({options.runs} runs each)")
        for label, (argv, case_env) in cases.items():
            walls, cpus = [], []
            for _ in range(options.runs):
                wall, cpu = timed(argv, case_env)
                walls.append(wall)
                cpus.append(cpu)
            print(
                f"{label:<34} {statistics.median(walls) * 1000:>7.0f}ms {max(walls) * 1000:>7.0f}ms"
                f" {statistics.median(cpus) * 1000:>7.0f}ms"
            )
        paint = tui_keys.first_paint(str(WORKBENCH), study, options.runs, env)
        print(
            f"{'first paint (workbench open)':<34} {statistics.median(paint['seconds']) * 1000:>7.0f}ms"
            f" {max(paint['seconds']) * 1000:>7.0f}ms {'':>9}   ready {statistics.median(paint['complete']) * 1000:.0f}ms"
        )
        if options.pages:
            page_moves(study, env, options.pages)


def page_moves(study: Path, env: dict[str, str], count: int) -> None:
    """Median, p99 and slowest complete update of page down / page up, and CPU per move."""
    run = tui_keys.KeyRun(str(WORKBENCH), study, env, count, 600.0)
    try:
        moves = 0

        def move() -> tui_keys.Sample:
            nonlocal moves
            moves += 1
            key = tui_keys.PAGE_DOWN if (moves - 1) // 10 % 2 == 0 else PAGE_UP
            return run.press(key)

        run.measure("page", move)
    finally:
        run.close()
    samples = run.samples["page"]
    lasts = [s.last for s in samples if s.last is not None]
    cpus = [s.cpu for s in samples]
    print(
        f"{'page down/up (in the app)':<34} {statistics.median(lasts) * 1000:>7.1f}ms"
        f" {max(lasts) * 1000:>7.1f}ms {statistics.median(cpus) * 1000:>7.1f}ms"
        f"   p99 {percentile(lasts, 99) * 1000:.1f}ms, {len(lasts)} moves"
    )


PAGE_UP = b"\x1b[5~"

if __name__ == "__main__":
    main()
