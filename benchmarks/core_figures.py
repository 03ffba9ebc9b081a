"""In-process figures for benchmarks/run.py: chapter export, stats and the analyses.

Each call is timed ``runs`` times on the built study; the median wall time is reported (CPU
time beside it shows how much of the wall time other programs on the machine took).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from analysis_bench import analyses  # noqa: E402
from chapter_bench import SETTINGS  # noqa: E402
from research_study import CODERS  # noqa: E402

from workbench.study import Study  # noqa: E402
from workbench.study.chapter import ChapterSettings, export_chapter  # noqa: E402

#: run.py's key for each analysis in analysis_bench.analyses
ANALYSIS_KEYS = {
    "theme x case matrix": "matrix_theme_case",
    "theme x attribute matrix (size)": "matrix_theme_size",
    "co-occurrence by span": "cooccurrence_span",
    "co-occurrence by turn": "cooccurrence_turn",
    "coverage": "coverage",
    "agreement by character": "agreement_char",
    "agreement by turn": "agreement_turn",
    "agreement by character, one theme": "agreement_char_one_theme",
}


def timed(call: Callable[[], object], runs: int) -> tuple[float, float, object]:
    """Median wall and CPU seconds of ``runs`` calls, and the last result."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = call()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def core_figures(path: Path, runs: int) -> dict[str, float]:
    """Chapter export, stats and every analysis on the study at ``path``."""
    figures: dict[str, float] = {}
    with Study.open(path) as study:
        settings = ChapterSettings.from_yaml(SETTINGS)
        wall, cpu, result = timed(lambda: export_chapter(study, settings, remember=False), runs)
        figures["chapter_export_seconds"] = wall
        figures["chapter_export_cpu_seconds"] = cpu
        figures["chapter_quotes"] = result.quotes
        figures["chapter_characters"] = len(result.markdown)
        figures["codings"] = study._db.execute("SELECT count(*) FROM codings").fetchone()[0]
        for key, call in (("stats", lambda: study.stats()), ("stats_by_size", lambda: study.stats(by="size"))):
            figures[f"{key}_seconds"], figures[f"{key}_cpu_seconds"], _ = timed(call, runs)
        for name, call, _describe in analyses(study, CODERS):
            key = ANALYSIS_KEYS[name]
            figures[f"{key}_seconds"], figures[f"{key}_cpu_seconds"], _ = timed(call, runs)
    return figures
