"""Figures for searching across transcripts, and for the full-text index we chose not to keep.

Builds the research-scale study of benchmarks/run.py (``--scale full``: 60 interviews of 9,000
words, 540,000 words, plus one 300,000-character transcript and 100,000 codings), then times, in
process, the search ``workbench search`` runs (the use case, filters and context included):

- a word, a phrase, a regular expression, a word with accents folded, a search with --uncoded;
- the first search in the process (texts read and folded) and the next ones (median);
- the same texts made Swedish and stored decomposed (NFD, as macOS writes them), so that the
  slow path of the folding (characters whose fold has another length) is measured too;
- an SQLite FTS5 trigram index over the same texts: its size, build time and query time.

Run: python benchmarks/search_bench.py [--scale small|full] [--keep] [--study FILE]
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import os
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import research_study  # noqa: E402

from workbench.domain import text_search  # noqa: E402
from workbench.domain.text_search import Matcher, SearchOptions  # noqa: E402
from workbench.study import Study  # noqa: E402
from workbench.study.search import SearchFilters, search  # noqa: E402

SEARCHES = {
    "word": (SearchOptions("agreement", whole_word=True), None),
    "phrase": (SearchOptions("you know"), None),
    "regex": (SearchOptions(r"e-\w+", regex=True), None),
    "ignore_accents": (SearchOptions("procurement", ignore_accents=True), None),
    "word_uncoded": (SearchOptions("agreement", whole_word=True), SearchFilters(uncoded=True)),
    "rare_word": (SearchOptions("nowhere-to-be-found"), None),
}

# English words of the synthetic vocabulary as Swedish ones, for the NFD figures.
SWEDISH = {"trust": "förtroende", "agreement": "överenskommelse", "municipality": "kommunövergripande", "the": "då"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median_seconds(call, runs: int) -> float:
    """Median wall-clock seconds of ``call`` (see ``cpu_seconds`` on a busy machine)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cpu_seconds(call, runs: int) -> float:
    """Median processor seconds of ``call``: what it costs, whatever else the machine is doing."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        call()
        times.append(time.process_time() - started)
    return statistics.median(times)


def study_figures(path: Path, runs: int) -> dict[str, float]:
    figures: dict[str, float] = {}
    with Study.open(path) as study:
        transcripts = study.transcripts()
        figures["transcripts"] = len(transcripts)
        figures["words"] = sum(t.words for t in transcripts)
        figures["chars"] = sum(t.chars for t in transcripts)
        for name, (options, filters) in SEARCHES.items():
            text_search._folded.cache_clear()
            started, cpu = time.perf_counter(), time.process_time()
            result = search(study, options, filters)
            figures[f"search_{name}_first_seconds"] = time.perf_counter() - started
            figures[f"search_{name}_first_cpu_seconds"] = time.process_time() - cpu
            figures[f"search_{name}_seconds"] = median_seconds(lambda o=options, f=filters: search(study, o, f), runs)
            figures[f"search_{name}_cpu_seconds"] = cpu_seconds(lambda o=options, f=filters: search(study, o, f), runs)
            figures[f"search_{name}_hits"] = len(result.hits)
    return figures


def independent_hits(path: Path, regex: str) -> list[tuple[str, int, int]]:
    """The hits of ``regex`` found with ``re`` alone over the stored texts (beginning in a turn)."""
    found = []
    with Study.open(path) as study:
        for transcript in study.transcripts():
            text, turns = study.transcript_text(transcript.name), study.turns(transcript.name)
            starts = [turn.start for turn in turns]
            for match in re.finditer(regex, text, re.IGNORECASE):
                i = bisect.bisect_right(starts, match.start()) - 1
                if not turns or (i >= 0 and match.start() < turns[i].end):
                    found.append((transcript.name, match.start(), match.end()))
    return found


def check_figures(path: Path) -> dict[str, float]:
    """Whether the search finds exactly what ``re`` finds, on this study (1 = the same hits)."""
    checks = {"agreement --word": (SearchOptions("agreement", whole_word=True), r"(?<!\w)agreement(?!\w)")}
    checks["you know"] = (SearchOptions("you know"), r"you\s+know")
    checks["e-services"] = (SearchOptions("e-services"), r"e-services")
    figures = {}
    with Study.open(path) as study:
        for name, (options, regex) in checks.items():
            ours = [(h.transcript, h.start, h.end) for h in search(study, options).hits]
            figures[f"same_hits_as_re[{name}]"] = int(ours == independent_hits(path, regex))
    return figures


def nfd_figures(path: Path, runs: int) -> dict[str, float]:
    """The matcher alone over the texts made Swedish and decomposed (the fold's slow path)."""
    with Study.open(path) as study:
        texts = [study.transcript_text(t.name) for t in study.transcripts()]
    swedish = []
    for text in texts:
        for english, word in SWEDISH.items():
            text = text.replace(f" {english} ", f" {word} ")
        swedish.append(unicodedata.normalize("NFD", text))
    matcher = Matcher(SearchOptions("förtroende", whole_word=True))

    def run_all() -> int:
        return sum(len(matcher.find(text)) for text in swedish)

    text_search._folded.cache_clear()
    started, cpu = time.perf_counter(), time.process_time()
    hits = run_all()
    first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "nfd_search_word_first_seconds": first,
        "nfd_search_word_first_cpu_seconds": first_cpu,
        "nfd_search_word_seconds": median_seconds(run_all, runs),
        "nfd_search_word_cpu_seconds": cpu_seconds(run_all, runs),
        "nfd_search_word_hits": hits,
        "nfd_non_nfc_chars": sum(len(t) - len(unicodedata.normalize("NFC", t)) for t in swedish),
    }


def fts5_figures(path: Path, folder: Path, runs: int) -> dict[str, float]:
    """An FTS5 trigram index over the transcripts, in a copy of the study: size, build and query."""
    copy = folder / "fts5.db"
    shutil.copyfile(path, copy)
    db = sqlite3.connect(copy)
    db.execute("PRAGMA journal_mode=DELETE")
    before = copy.stat().st_size
    started = time.perf_counter()
    db.execute("CREATE VIRTUAL TABLE transcript_index USING fts5(text, tokenize='trigram', content='transcripts')")
    db.execute("INSERT INTO transcript_index(rowid, text) SELECT id, text FROM transcripts")
    db.commit()
    build = time.perf_counter() - started
    db.execute("VACUUM")
    size = copy.stat().st_size - before

    def query(word: str) -> int:
        return len(db.execute("SELECT rowid FROM transcript_index WHERE text MATCH ?", [f'"{word}"']).fetchall())

    figures = {
        "fts5_build_seconds": build,
        "fts5_index_bytes": size,
        "fts5_query_word_seconds": median_seconds(lambda: query("agreement"), runs),
        "fts5_word_documents": query("agreement"),
        "fts5_query_rare_seconds": median_seconds(lambda: query("nowhere-to-be-found"), runs),
    }
    db.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(research_study.SCALES), default="small")
    parser.add_argument("--keep", action="store_true", help="keep the built study")
    parser.add_argument("--study", type=Path, help="measure this study (one built before with --keep) instead")
    args = parser.parse_args()
    scale = dataclasses.replace(research_study.SCALES[args.scale], runs=1)
    folder = Path(tempfile.mkdtemp(prefix=f"wb-search-{args.scale}-"))
    try:
        if args.study:
            path = args.study
        else:
            log(f"building the {scale.name} study in {folder}")
            path = research_study.build(folder, scale).path
        figures = study_figures(path, runs=7)
        figures.update(nfd_figures(path, runs=5))
        figures.update(check_figures(path))
        figures.update(fts5_figures(path, folder, runs=7))
        figures["study_bytes"] = path.stat().st_size
        figures["load_average"] = os.getloadavg()[0]
        for key, value in figures.items():
            shown = f"{value * 1000:.1f} ms" if key.endswith("_seconds") else f"{value:,.2f}".removesuffix(".00")
            print(f"{key:40} {shown}")
    finally:
        if args.keep:
            log(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
