"""Figures for the chapter export: a study with 1,000 selected quotes from 40 informants.

Run: python benchmarks/chapter_bench.py [QUOTES]
Prints timings only; nothing is asserted.
"""

from __future__ import annotations

import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from workbench.resources import codebooks_dir
from workbench.storage.database import transaction
from workbench.study import Study
from workbench.study.chapter import ChapterSettings, export_chapter, export_quotes_csv, verify_chapter

WORDS = (
    "we could not manage it ourselves the municipality agreement trust security responsibility "
    "collaboration cluster smaller larger server support budget *really* [name] 1. # > kommunen"
).split()
INFORMANTS = 40
SETTINGS = """\
number: 4
attribution: "(Informant {informant}, {size} municipality, cluster {cluster})"
compare: size
appendix: true
"""


def interview(rng: random.Random, turns: int = 120) -> str:
    lines = []
    for turn in range(turns):
        label = "Interviewer" if turn % 2 == 0 else "Informant"
        words = [rng.choice(WORDS) for _ in range(rng.randint(10, 80))]
        lines.append(f"{label}: {' '.join(words)}.")
    return "\n\n".join(lines) + "\n"


def build(folder: Path, quotes: int, seed: int = 11) -> Path:
    """A study of 40 interviews, the sample codebook, and ``quotes`` selected, commented codings."""
    rng = random.Random(seed)
    files = []
    cases = []
    for number in range(1, INFORMANTS + 1):
        path = folder / f"informant_{number}.txt"
        path.write_text(interview(rng), encoding="utf-8")
        files.append(path)
        size = "larger" if number % 2 else "smaller"
        cluster = "AB"[number % 4 // 2]
        cases.append(f"informant_{number}: {{informant: {number}, size: {size}, cluster: {cluster}}}")
    (folder / "cases.yaml").write_text("\n".join(cases) + "\n", encoding="utf-8")
    study_path = folder / "bench.db"
    with Study.create(study_path, coder="bench") as study:
        study.import_files(files, folder / "cases.yaml")
        study.load_codebook(codebooks_dir() / "it-collaboration.yaml")
        themes = study.themes()
        transcripts = study.transcripts()
        texts = {t.id: study.transcript_text(t.name) for t in transcripts}
        # One transaction of plain inserts: the benchmark is about exporting, not about coding.
        with transaction(study._db):
            chosen = []
            for index in range(quotes):
                transcript = rng.choice(transcripts)
                text = texts[transcript.id]
                start = rng.randrange(0, len(text) - 400)
                end = start + rng.randint(40, 300)
                passage = text[start:end]
                theme = themes[index % len(themes)]
                coding_id = (
                    study._db["codings"]
                    .insert(
                        {
                            "transcript_id": transcript.id,
                            "theme_id": theme.id,
                            "start": start,
                            "end": end,
                            "coder": "bench",
                            "created": "2026-01-01T00:00:00+00:00",
                            "text": passage,
                            "text_hash": hashlib.sha256(passage.encode("utf-8")).hexdigest(),
                        }
                    )
                    .last_pk
                )
                chosen.append((coding_id, theme.id))
            select_for_chapter(study, chosen)
    return study_path


def select_for_chapter(study: Study, codings: list[tuple[int, int]]) -> None:
    """Select ``codings`` (coding id, theme id) for the chapter, in order, each with a comment.

    Plain inserts inside the caller's transaction: what is measured is the export, not selecting.
    """
    positions: dict[int, int] = {}
    rows = []
    for index, (coding_id, theme_id) in enumerate(codings):
        positions[theme_id] = positions.get(theme_id, 0) + 1
        rows.append(
            {
                "coding_id": coding_id,
                "selected": 1,
                "position": positions[theme_id],
                "comment": f"We read this as finding {index}.",
                "updated": "2026-01-01T00:00:00+00:00",
            }
        )
    study._db["quotes"].insert_all(rows, batch_size=500)


def main() -> None:
    quotes = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        path = build(Path(folder), quotes)
        print(
            f"built a study with {quotes:,} selected quotes from {INFORMANTS} informants in {time.perf_counter() - started:.2f} s"
        )
        settings = ChapterSettings.from_yaml(SETTINGS)
        with Study.open(path) as study:
            runs = []
            for _ in range(5):
                started = time.perf_counter()
                result = export_chapter(study, settings, remember=False)
                runs.append(time.perf_counter() - started)
            print(
                f"export chapter: median {statistics.median(runs) * 1000:.0f} ms, best {min(runs) * 1000:.0f} ms "
                f"({len(result.markdown):,} characters, {len(result.warnings)} warning(s))"
            )
            started = time.perf_counter()
            report = verify_chapter(study, result.markdown)
            print(f"verify chapter: {(time.perf_counter() - started) * 1000:.0f} ms ({report.summary()})")
            started = time.perf_counter()
            table = export_quotes_csv(study)
            print(
                f"export quotes csv: {(time.perf_counter() - started) * 1000:.0f} ms ({len(study.quotes()):,} rows, {len(table):,} characters)"
            )


if __name__ == "__main__":
    main()
