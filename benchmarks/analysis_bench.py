"""Figures for the analysis views and inter-coder agreement at 100,000 codings.

Builds a synthetic study: 60 transcripts (about 40,000 characters each), 8 case attributes,
40 themes (8 themes with 4 sub-themes each) and 100,000 codings by two coders, the second
following the first with shifted boundaries, other themes and omissions. The codings are
inserted in bulk in one transaction. Then it times each analysis (best of a few runs).

Run: python benchmarks/analysis_bench.py [CODINGS]
Prints timings only; nothing is asserted.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import case_attributes, interview_text, two_coder_spans  # noqa: E402

from workbench.storage.database import transaction  # noqa: E402
from workbench.study import (  # noqa: E402
    Study,
    analysis,  # noqa: E402
    text_hash,
)
from workbench.study.agreement import agreement, merge_study  # noqa: E402

TRANSCRIPTS = 60
CHARS = 40_000
TOP_THEMES = 8
SUB_THEMES = 4  # per top theme: 8 + 32 = 40 themes
CODERS = ("anna", "ben")


def build(folder: Path, codings: int, seed: int = 5) -> Path:
    rng = random.Random(seed)
    files = []
    cases = {}
    for n in range(1, TRANSCRIPTS + 1):
        path = folder / f"informant_{n}.txt"
        path.write_text(interview_text(rng, CHARS), encoding="utf-8")
        files.append(path)
        cases[path.stem] = case_attributes(rng, n)
    (folder / "cases.yaml").write_text(yaml.safe_dump(cases), encoding="utf-8")
    study_path = folder / "bench.db"
    with Study.create(study_path, coder=CODERS[0]) as study:
        study.import_files(files, cases_file=folder / "cases.yaml")
        for t in range(1, TOP_THEMES + 1):
            study.add_theme(f"Theme {t}")
            for s in range(1, SUB_THEMES + 1):
                study.add_theme(f"Sub-theme {t}.{s}", parent=f"Theme {t}")
        theme_ids = [t.id for t in study.themes()]
        texts = {t.id: study.transcript_text(t.name) for t in study.transcripts()}
        turns = {t.id: [u for u in study.turns(t.name) if u.end - u.start > 60] for t in study.transcripts()}
        rows = []
        per_transcript = codings // TRANSCRIPTS
        for transcript_id, text in texts.items():
            count = per_transcript + (1 if transcript_id <= codings % TRANSCRIPTS else 0)
            for coder, start, end, theme in two_coder_spans(rng, turns[transcript_id], count, theme_ids, CODERS):
                passage = text[start:end]
                rows.append(
                    {
                        "transcript_id": transcript_id,
                        "theme_id": theme,
                        "start": start,
                        "end": end,
                        "coder": coder,
                        "created": "2026-01-01T00:00:00+00:00",
                        "text": passage,
                        "text_hash": text_hash(passage),
                    }
                )
        with transaction(study._db):
            study._db["codings"].insert_all(rows, batch_size=5000)
    return study_path


def split_second_coder(study_path: Path, folder: Path) -> Path:
    """A copy of the study holding only the second coder's codings (the file a merge brings in)."""
    other = folder / "ben.db"
    with Study.open(study_path) as study:
        study._db.execute(f"VACUUM INTO '{other}'")
    with Study.open(other) as copy, transaction(copy._db):
        copy._db.execute("DELETE FROM codings WHERE coder <> ?", [CODERS[1]])
    with Study.open(study_path) as study, transaction(study._db):
        study._db.execute("DELETE FROM codings WHERE coder = ?", [CODERS[1]])
    return other


def best(fn, runs: int = 3) -> tuple[float, float, object]:
    """Best wall-clock and CPU seconds of a few runs (CPU time shows less of other programs' load)."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus), result


def main() -> None:
    codings = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        path = build(folder, codings)
        print(
            f"set-up: {TRANSCRIPTS} transcripts, {TOP_THEMES * (SUB_THEMES + 1)} themes, {codings:,} codings, "
            f"8 attributes in {time.perf_counter() - started:.1f} s"
        )
        other = split_second_coder(path, folder)
        with Study.open(path) as study:
            print(f"{'':<38} {'wall':>9} {'cpu':>9}")
            wall, cpu, report = best(lambda: merge_study(study, other), runs=1)
            print(
                f"{'merge (second coder, first time)':<38} {wall:7.3f} s {cpu:7.3f} s  {report.codings_added:,} codings added"
            )
            wall, cpu, report = best(lambda: merge_study(study, other), runs=1)
            print(
                f"{'merge again (nothing new)':<38} {wall:7.3f} s {cpu:7.3f} s  {report.codings_present:,} already present"
            )
            total = study._db.execute("SELECT count(*) FROM codings").fetchone()[0]
            print(f"codings in the study: {total:,}")
            cases = analyses(study, CODERS)
            for name, run, describe in cases:
                wall, cpu, result = best(run)
                print(f"{name:<38} {wall:7.3f} s {cpu:7.3f} s  {describe(result)}")


def analyses(study: Study, coders: tuple[str, str]) -> list[tuple[str, object, object]]:
    """The analyses a researcher runs, as (name, call, describe(result)), for this and run.py."""
    return [
        (
            "theme x case matrix",
            lambda: analysis.theme_case_matrix(study),
            lambda r: f"{len(r.rows)} x {len(r.columns)}",
        ),
        (
            "theme x attribute matrix (size)",
            lambda: analysis.theme_attribute_matrix(study, "size"),
            lambda r: f"{len(r.rows)} x {len(r.columns)}",
        ),
        (
            "co-occurrence by span",
            lambda: analysis.cooccurrence(study, "span"),
            lambda r: f"{len(r.pairs)} pairs, {sum(p.count for p in r.pairs):,} places",
        ),
        (
            "co-occurrence by turn",
            lambda: analysis.cooccurrence(study, "turn"),
            lambda r: f"{len(r.pairs)} pairs, {sum(p.count for p in r.pairs):,} places",
        ),
        (
            "coverage",
            lambda: analysis.coverage(study),
            lambda r: (
                f"{100 * r.coded_chars / r.chars:.1f}% coded, "
                f"{sum(len(t.uncoded_turns) for t in r.transcripts):,} uncoded turns"
            ),
        ),
        ("agreement by character", lambda: agreement(study, coders, unit="char"), _figures),
        ("agreement by turn", lambda: agreement(study, coders, unit="turn"), _figures),
        ("agreement by character, one theme", lambda: agreement(study, coders, theme="Theme 1"), _figures),
    ]


def _figures(report) -> str:
    o = report.overall
    return (
        f"{o.percent_agreement:.1f}% kappa {o.kappa:.3f} alpha {o.alpha:.3f}, "
        f"{len(report.disagreements):,} disagreements"
    )


if __name__ == "__main__":
    main()
