"""The research-scale synthetic study that benchmarks/run.py measures, built deterministically.

Transcripts are written as .txt files with speaker labels and go through the real importer;
codings by two coders go in with ``Study.code_many`` (one transaction); quotes are selected for
the chapter with plain inserts. Building reports how long the import and the coding took.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chapter_bench import select_for_chapter  # noqa: E402
from synthetic import case_attributes, interview_of_words, interview_text, two_coder_spans  # noqa: E402

from workbench.storage.database import transaction  # noqa: E402
from workbench.study import Study  # noqa: E402

CODERS = ("anna", "ben")
LONG = "long_interview"


@dataclass(frozen=True)
class Scale:
    """How big the study is and how often each figure is repeated."""

    name: str
    transcripts: int  # interviews of ``words`` words each, coded by two coders
    words: int
    long_chars: int  # one more transcript, coded by one coder: the keystroke figures use it
    long_codings: int
    codings: int  # in all, the long transcript's included
    quotes: int  # selected for the chapter
    top_themes: int = 8
    sub_themes: int = 4  # per top theme: 8 + 32 = 40 themes
    key_repeats: int = 60  # presses per key in the pseudo-terminal
    launches: int = 10  # cold starts (and `--help` runs)
    runs: int = 5  # runs of each in-process figure (import, export, analyses)
    peer_runs: int = 3  # runs of each command in the side-by-side comparison


SCALES = {
    "full": Scale(
        "full", transcripts=60, words=9_000, long_chars=300_000, long_codings=2_000, codings=100_000, quotes=1_000
    ),
    "small": Scale(
        "small",
        transcripts=6,
        words=1_500,
        long_chars=60_000,
        long_codings=400,
        codings=4_000,
        quotes=100,
        key_repeats=6,
        launches=2,
        runs=2,
        peer_runs=1,
    ),
}


@dataclass
class BuiltStudy:
    """A built study and what building it measured."""

    path: Path
    folder: Path
    files: list[Path]  # the interviews (not the long transcript), as imported
    cases_file: Path
    import_seconds: list[float] = field(default_factory=list)
    words: int = 0
    code_many_seconds: float = 0.0
    codings: int = 0


def write_transcripts(folder: Path, scale: Scale, rng: random.Random) -> tuple[list[Path], Path, Path]:
    """The interview files, their cases file (8 attributes each) and the long transcript."""
    source = folder / "transcripts"
    source.mkdir(parents=True, exist_ok=True)
    files, cases = [], {}
    for n in range(1, scale.transcripts + 1):
        path = source / f"informant_{n:02d}.txt"
        path.write_text(interview_of_words(rng, scale.words), encoding="utf-8")
        files.append(path)
        cases[path.stem] = case_attributes(rng, n)
    cases_file = folder / "cases.yaml"
    cases_file.write_text(yaml.safe_dump(cases), encoding="utf-8")
    long_path = folder / f"{LONG}.txt"  # outside transcripts/: it is not part of the import figure
    long_path.write_text(interview_text(rng, scale.long_chars), encoding="utf-8")
    (folder / "long_case.yaml").write_text(
        yaml.safe_dump({LONG: case_attributes(rng, scale.transcripts + 1)}), encoding="utf-8"
    )
    return files, cases_file, long_path


def timed_import(path: Path, files: list[Path], cases_file: Path) -> tuple[float, int]:
    """Seconds and words for importing ``files`` into a new study at ``path``."""
    path.unlink(missing_ok=True)
    with Study.create(path, coder=CODERS[0]) as study:
        started = time.perf_counter()
        report = study.import_files(files, cases_file)
        return time.perf_counter() - started, report.words


def build(folder: Path, scale: Scale, seed: int = 7) -> BuiltStudy:
    """Write the files, import them (timed, ``scale.runs`` times), add themes, codings, quotes."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files, cases_file, long_path = write_transcripts(folder, scale, rng)
    built = BuiltStudy(folder / "study.db", folder, files, cases_file)
    for _run in range(scale.runs):
        seconds, built.words = timed_import(built.path, files, cases_file)
        built.import_seconds.append(seconds)
    with Study.open(built.path, coder=CODERS[0]) as study:
        study.import_files([long_path], folder / "long_case.yaml")
        for t in range(1, scale.top_themes + 1):
            study.add_theme(f"Theme {t}")
            for s in range(1, scale.sub_themes + 1):
                study.add_theme(f"Sub-theme {t}.{s}", parent=f"Theme {t}")
        rows = coding_rows(study, scale, rng)
        started = time.perf_counter()
        ids = study.code_many(rows)
        built.code_many_seconds = time.perf_counter() - started
        built.codings = len(ids)
        choose_quotes(study, scale.quotes, rng)
    return built


def coding_rows(study: Study, scale: Scale, rng: random.Random) -> list[tuple]:
    """(transcript, theme path, start, end, coder, created) for every coding of the study."""
    paths = [t.path for t in study.themes()]
    created = "2026-01-01T00:00:00+00:00"
    rows = []
    interviews = [t.name for t in study.transcripts() if t.name != LONG]
    shared = scale.codings - scale.long_codings
    for index, name in enumerate(interviews):
        count = shared // len(interviews) + (1 if index < shared % len(interviews) else 0)
        turns = [u for u in study.turns(name) if u.end - u.start > 60]
        for coder, start, end, theme in two_coder_spans(rng, turns, count, paths, CODERS):
            rows.append((name, theme, start, end, coder, created))
    turns = [u for u in study.turns(LONG) if u.end - u.start > 40]
    for i in range(scale.long_codings):
        turn = rng.choice(turns)
        start = rng.randint(turn.start, turn.end - 20)
        end = min(turn.end, start + rng.randint(20, 400))
        rows.append((LONG, paths[i % len(paths)], start, end, CODERS[0], created))
    return rows


def choose_quotes(study: Study, count: int, rng: random.Random) -> None:
    """Select ``count`` of the first coder's codings in the interviews for the chapter."""
    candidates = study._db.execute(
        "SELECT k.id, k.theme_id FROM codings k JOIN transcripts t ON t.id = k.transcript_id "
        "WHERE k.coder = ? AND t.name <> ? ORDER BY k.id",
        [CODERS[0], LONG],
    ).fetchall()
    chosen = sorted(rng.sample(candidates, min(count, len(candidates))))
    with transaction(study._db):
        select_for_chapter(study, [(coding_id, theme_id) for coding_id, theme_id in chosen])


def coding_table(study: Study) -> list[tuple[str, str, int, int, str]]:
    """(transcript, theme path, start, end, coder) of every coding in the interviews."""
    paths = {t.id: t.path for t in study.themes()}
    rows = study._db.execute(
        "SELECT t.name, k.theme_id, k.start, k.end, k.coder FROM codings k "
        "JOIN transcripts t ON t.id = k.transcript_id WHERE t.name <> ? ORDER BY k.id",
        [LONG],
    ).fetchall()
    return [(name, paths[theme_id], start, end, coder) for name, theme_id, start, end, coder in rows]
