"""Benchmarks at research scale: the figures in docs/PERFORMANCE.md, and a side-by-side with qc.

    python benchmarks/run.py --scale small|full [--json] [--peer/--no-peer] [--keep] [--save FILE]

Builds a synthetic study deterministically (seeded), then measures: `workbench --help` and the
cold start to the first painted screen; keystroke-to-repaint latency, bytes and CPU per key on
the long transcript, measured from outside through a pseudo-terminal with the installed
command; the TUI's peak memory; import throughput, chapter export, stats and analyses in
process; and, with --peer, the same work in the peer tool `qc`. Prints a table, or with --json
one JSON object whose keys name each figure and its unit. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peer_qc  # noqa: E402
import research_study  # noqa: E402
import tui_keys  # noqa: E402
from bytecode import compile_workbench  # noqa: E402
from chapter_bench import select_for_chapter  # noqa: E402
from core_figures import core_figures  # noqa: E402
from report import table  # noqa: E402
from synthetic import build_long_study  # noqa: E402

from workbench.storage.database import transaction  # noqa: E402
from workbench.study import Study  # noqa: E402

#: Seconds each key may take once it has its minimum samples (board rebuilds are slow at scale).
SECONDS_PER_KEY = {"small": 1.5, "full": 45.0}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def workbench_command() -> str:
    """The installed `workbench` beside this Python (the project's venv), else on PATH."""
    beside = Path(sys.executable).parent / "workbench"
    return str(beside) if beside.exists() else (shutil.which("workbench") or "workbench")


def flatten_keys(figures: dict[str, dict], prefix: str = "") -> dict[str, float]:
    """{key: summary} from a run of keys as flat, unit-named JSON keys."""
    flat: dict[str, float] = {}
    for key, s in figures.items():
        k = f"{prefix}{key}"
        flat[f"{k}_samples"] = s["samples"]
        flat[f"{k}_silent_samples"] = s["silent"]
        if "complete_p99_ms" not in s:  # no sample changed the screen: nothing was timed
            continue
        flat.update(
            {
                f"{k}_first_byte_median_ms": s["first_byte_median_ms"],
                f"{k}_first_byte_p99_ms": s["first_byte_p99_ms"],
                f"{k}_median_ms": s["complete_median_ms"],
                f"{k}_p99_ms": s["complete_p99_ms"],
                f"{k}_cpu_median_ms": s["cpu_median_ms"],
                f"{k}_cpu_p99_ms": s["cpu_p99_ms"],
                f"{k}_bytes": s["bytes_median"],
            }
        )
    return flat


def build_alone_study(folder: Path) -> Path:
    """The 300,000-character transcript with 2,000 codings alone in a study (as in
    keystroke_latency.py), with case attributes and 100 selected quotes for the board keys."""
    path = build_long_study(folder)
    with Study.open(path) as study:
        study.set_case_attributes("long_interview", {"size": "smaller", "cluster": "B"})
        rows = study._db.execute("SELECT id, theme_id FROM codings ORDER BY id LIMIT 100").fetchall()
        with transaction(study._db):
            select_for_chapter(study, [(coding_id, theme_id) for coding_id, theme_id in rows])
    return path


def tui_figures(scale: research_study.Scale, built: research_study.BuiltStudy, folder: Path) -> dict:
    """Start-up, keystroke, byte and memory figures through a pseudo-terminal."""
    command = workbench_command()
    config = folder / "config.yaml"
    config.write_text("", encoding="utf-8")  # the defaults, whatever the user's own config says
    env = {"WORKBENCH_CODER": research_study.CODERS[0], "WORKBENCH_CONFIG": str(config)}
    r: dict = {}
    log("workbench --help")
    helps = tui_keys.help_seconds(command, scale.launches)
    r["help_seconds"] = statistics.median(helps)
    log(f"cold starts on the study ({scale.launches})")
    paint = tui_keys.first_paint(command, built.path, scale.launches, env)
    r["first_paint_seconds"] = statistics.median(paint["seconds"])
    r["first_paint_seconds_max"] = max(paint["seconds"])
    r["ready_seconds"] = statistics.median(paint["complete"])
    r["first_paint_bytes"] = paint["bytes"]
    log("keys on the long transcript in the study")
    keys = tui_keys.run_keys(command, built.path, env, scale.key_repeats, SECONDS_PER_KEY[scale.name], switch_to="long")
    r.update(flatten_keys(keys["keys"]))
    r["peak_rss_mb"] = (keys["peak_rss_kb"]["opened"] or 0) / 1024
    r["peak_rss_end_mb"] = (keys["peak_rss_kb"]["end"] or 0) / 1024
    if scale.name == "full":
        alone = build_alone_study(folder / "alone")
        log("cold starts and keys on the long transcript alone")
        paint = tui_keys.first_paint(command, alone, scale.launches, env)
        r["alone_first_paint_seconds"] = statistics.median(paint["seconds"])
        r["alone_ready_seconds"] = statistics.median(paint["complete"])
        keys = tui_keys.run_keys(command, alone, env, scale.key_repeats, SECONDS_PER_KEY[scale.name], switch_to=None)
        r.update(flatten_keys(keys["keys"], prefix="alone_"))
        r["alone_peak_rss_mb"] = (keys["peak_rss_kb"]["opened"] or 0) / 1024
    return r


#: our in-process figure for each of the peer's in-process timings
OURS_INPROCESS = {
    "import": "import_seconds",
    "code_counts": "stats_seconds",
    "matrix": "matrix_theme_case_seconds",
    "crosstab": "cooccurrence_span_seconds",
}


def peer_figures(scale: research_study.Scale, built: research_study.BuiltStudy, folder: Path, ours: dict) -> dict:
    """The same work in qc, as ratios ours / theirs (``ours``: the in-process figures); on
    failure, why."""
    try:
        log("installing or checking the peer (qc) in benchmarks/.peer-venv")
        qc = peer_qc.ensure_peer()
        with Study.open(built.path) as study:
            codings = research_study.coding_table(study)
            theme_paths = [t.path for t in study.themes()]
        log(f"side by side with qc ({len(codings):,} codings; storing them in qc takes a while)")
        results = peer_qc.compare(
            workbench_command(),
            qc,
            built.path,
            built.files,
            built.cases_file,
            codings,
            theme_paths,
            folder / "peer",
            scale.peer_runs,
        )
    except peer_qc.PeerUnavailable as error:
        return {"peer_status": f"unavailable: {error}"}
    r: dict = {
        "peer_status": "ok",
        "peer_version": peer_qc.PACKAGE.split("==")[1],
        "peer_codings": len(codings),
        "peer_coded_lines": results.pop("peer_coded_lines"),
        "peer_coding_seconds": results.pop("peer_coding_seconds"),
    }
    for name, theirs in results.pop("inprocess").items():
        r[f"{name}_peer_inprocess_seconds"] = statistics.median(theirs)
        r[f"{name}_inprocess_ratio_ours_over_peer"] = ours[OURS_INPROCESS[name]] / statistics.median(theirs)
    for name, (ours, theirs) in results.items():
        r[f"{name}_ours_seconds"] = statistics.median(ours)
        r[f"{name}_peer_seconds"] = statistics.median(theirs)
        r[f"{name}_ratio_ours_over_peer"] = r[f"{name}_ours_seconds"] / r[f"{name}_peer_seconds"]
    return r


def run(scale: research_study.Scale, peer: bool, folder: Path) -> dict:
    """Every figure, as one flat dict."""
    r: dict = {"scale": scale.name, "cpus": os.cpu_count(), "load_before": os.getloadavg()[0]}
    log(f"building the {scale.name} study in {folder}")
    built = research_study.build(folder, scale)
    r.update(
        transcripts=scale.transcripts,
        words_per_transcript=scale.words,
        long_transcript_chars=scale.long_chars,
        long_transcript_codings=scale.long_codings,
        themes=scale.top_themes * (1 + scale.sub_themes),
    )
    r["import_seconds"] = statistics.median(built.import_seconds)
    r["import_words"] = built.words
    r["import_words_per_second"] = built.words / r["import_seconds"]
    r["code_many_codings_per_second"] = built.codings / built.code_many_seconds
    log("chapter, stats and analyses")
    r.update(core_figures(built.path, scale.runs))
    r.update(tui_figures(scale, built, folder))
    r.update(peer_figures(scale, built, folder, r) if peer else {"peer_status": "skipped (--no-peer)"})
    r["load_after"] = os.getloadavg()[0]
    return r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(research_study.SCALES), default="small")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument(
        "--peer",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="compare with qc, installed in benchmarks/.peer-venv (default: on)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated files and print where")
    parser.add_argument("--save", type=Path, help="also write the JSON object to this file")
    args = parser.parse_args()
    compile_workbench()  # as installed: compiled modules (see bytecode.py)
    folder = Path(tempfile.mkdtemp(prefix=f"wb-bench-{args.scale}-"))
    try:
        results = run(research_study.SCALES[args.scale], args.peer, folder)
    finally:
        if args.keep:
            log(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    if args.save:
        args.save.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2) if args.json else table(results))


if __name__ == "__main__":
    main()
