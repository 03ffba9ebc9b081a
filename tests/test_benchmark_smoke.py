"""The research-scale benchmark runs end to end at its small scale (no timing is asserted)."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"

#: Figures every run reports, at either scale, without the peer.
EXPECTED = [
    "help_seconds",
    "first_paint_seconds",
    "first_paint_bytes",
    "import_words_per_second",
    "import_seconds",
    "code_many_codings_per_second",
    "chapter_export_seconds",
    "chapter_quotes",
    "codings",
    "stats_seconds",
    "stats_by_size_seconds",
    "matrix_theme_case_seconds",
    "matrix_theme_size_seconds",
    "cooccurrence_span_seconds",
    "cooccurrence_turn_seconds",
    "coverage_seconds",
    "agreement_char_seconds",
    "agreement_turn_seconds",
    "peak_rss_mb",
    "peak_rss_end_mb",
    "cursor_down_bytes",
    "page_down_bytes",
    "load_before",
    "load_after",
] + [
    f"{key}_{figure}"
    for key in (
        "cursor_down",
        "page_down",
        "extend_selection",
        "apply_theme",
        "undo",
        "remove_coding",
        "board_cursor_down",
        "board_select",
        "board_reorder",
        "board_filter",
        "switch_transcript",
    )
    for figure in (
        "first_byte_median_ms",
        "first_byte_p99_ms",
        "median_ms",
        "p99_ms",
        "cpu_median_ms",
        "cpu_p99_ms",
        "bytes",
        "samples",
        "silent_samples",
    )
]


@pytest.mark.slow  # about 20 s: run with -m slow
@pytest.mark.skipif(not Path("/proc/self/schedstat").exists(), reason="needs Linux /proc for the program's CPU time")
def test_small_benchmark_reports_every_figure():
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    done = subprocess.run(
        [sys.executable, str(RUN), "--scale", "small", "--no-peer", "--json"],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    figures = json.loads(done.stdout)
    assert figures["scale"] == "small"
    assert figures["peer_status"].startswith("skipped")
    missing = [key for key in EXPECTED if key not in figures]
    assert not missing, missing
    for key in EXPECTED:
        value = figures[key]
        assert isinstance(value, (int, float)) and not isinstance(value, bool), (key, value)
        assert math.isfinite(value) and value >= 0, (key, value)
    assert figures["chapter_quotes"] > 0 and figures["codings"] > 0
    assert figures["cursor_down_samples"] >= 3
    # Each press changed the screen: a press that wrote nothing (a dialog left open taking the
    # keys, a key that no longer applies) timed nothing and is not a figure.
    silent = {key: value for key, value in figures.items() if key.endswith("_silent_samples") and value}
    assert not silent, silent


def test_the_report_judges_filter_and_switch_against_100_ms_and_other_keys_against_one_frame(monkeypatch):
    """A filter at 60 ms p99 meets its budget; a coding at 20 ms misses its frame."""
    monkeypatch.syspath_prepend(str(RUN.parent))
    import report

    def figures(p99: float) -> dict:
        return {"p99_ms": p99, "first_byte_p99_ms": p99, "first_byte_median_ms": 1.0, "median_ms": 1.0}

    measured = {"board_filter": 60.0, "switch_transcript": 120.0, "apply_theme": 20.0, "cursor_down": 5.0}
    r = {}
    for key, p99 in measured.items():
        r.update({f"{key}_{name}": value for name, value in figures(p99).items()})
        r.update({f"{key}_cpu_median_ms": 1.0, f"{key}_cpu_p99_ms": 1.0, f"{key}_bytes": 1, f"{key}_samples": 60})
    lines = report._key_table(r, "", "keys")
    state = {key: next(line for line in lines if report.KEY_NAMES[key] in line) for key in measured}
    assert state["board_filter"].endswith("met (first byte met)")
    assert state["switch_transcript"].endswith("MISSED (first byte missed)")
    assert state["apply_theme"].endswith("MISSED (first byte missed)")
    assert state["cursor_down"].endswith("met (first byte met)")
