"""How long a Tab takes: shell completion as the shell runs it, a whole `workbench` process each.

    python benchmarks/completion_bench.py [--runs N] [--study FILE]

Prints the median and the slowest of N runs (wall and CPU time of the child process) for a
command name, a transcript name and a theme path, on the sample study unless --study is given.
A Tab is not noticed under about 0.1-0.2 s; the floor is the interpreter's own start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from startup_bench import WORKBENCH, timed  # noqa: E402  (one way to time a child process)


def completion_timed(words: str, cword: int) -> tuple[float, float]:
    """Wall and CPU seconds of one Tab: the command asked as bash asks it."""
    env = {**os.environ, "_WORKBENCH_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    return timed([str(WORKBENCH)], env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--study", type=Path)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        study = options.study
        if study is None:
            study = Path(folder) / "demo.db"
            subprocess.run([str(WORKBENCH), "demo", "--no-open", "--path", str(study)], capture_output=True, check=True)
        cases = {
            "python -c pass (the floor)": None,
            "command name (workbench co<Tab>)": ("workbench co", 1),
            "transcript name": (f"workbench code {study} inf", 3),
            "theme path": (f"workbench code {study} informant_1 Trust\\ and\\ confidence/", 4),
        }
        print(f"{'completion':<36} {'median':>9} {'slowest':>9} {'cpu':>9}   ({options.runs} runs each)")
        for label, case in cases.items():
            walls, cpus = [], []
            for _ in range(options.runs):
                if case is None:
                    wall, cpu = timed([sys.executable, "-c", "pass"], dict(os.environ))
                else:
                    wall, cpu = completion_timed(*case)
                walls.append(wall)
                cpus.append(cpu)
            print(
                f"{label:<36} {statistics.median(walls) * 1000:>7.0f}ms {max(walls) * 1000:>7.0f}ms"
                f" {statistics.median(cpus) * 1000:>7.0f}ms"
            )


if __name__ == "__main__":
    main()
