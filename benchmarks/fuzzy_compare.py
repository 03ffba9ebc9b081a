"""The pickers' fuzzy matcher (workbench/tui/fuzzy.py) beside Textual's (textual.fuzzy.Matcher).

On the demo codebook's theme paths (codebooks/it-collaboration.yaml, with two Swedish in-vivo
sub-themes added), for queries researchers type in the "code with…" picker: where the theme they
mean ranks, the top three, and the median time to rank all paths for one query. Then the time
for one long label of the transcript list (the other picker that filters fuzzily) and longer
queries, where Textual's matcher enumerates every alignment.

    .venv/bin/python benchmarks/fuzzy_compare.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from textual.fuzzy import Matcher

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from workbench.domain.codebook import iter_themes  # noqa: E402
from workbench.interop.codebook_file import load_codebook  # noqa: E402
from workbench.tui.fuzzy import fuzzy_filter, fuzzy_match  # noqa: E402

PATHS = [path for path, _ in iter_themes(load_codebook(ROOT / "codebooks" / "it-collaboration.yaml").themes)]
PATHS += ["Trust and confidence/Förtroende mellan kommuner", "Collaboration/Samverkansavtal"]

QUERIES = {  # what a researcher types: the theme they mean
    "trust": "Trust and confidence",
    "agr": "Trust and confidence/Agreements matter",
    "tech": "Technology",
    "org cult": "Organisational culture",
    "geo": "Collaboration/Geographic distance",
    "sec": "Trust and confidence/Security and responsibility",
    "dec": "Organisational culture/Decision-making",
    "std": "Technology/Standardisation",
    "econ": "Effects of collaboration/Economic effects",
    "tr/agr": "Trust and confidence/Agreements matter",
    "loc aut": "Identity/Local autonomy",
    "shared serv": "Collaboration/Shared services",
    "coll/shar": "Collaboration/Shared services",
    "trust confidence agreements": "Trust and confidence/Agreements matter",  # words across the path
    "sr": "Trust and confidence/Security and responsibility",  # initials
    "am": "Trust and confidence/Agreements matter",
    "oi": "Collaboration/Organisational inertia",
    "ke": "Effects of collaboration/Knowledge effects",
    "ls": "Technology/Legacy systems",
    "förtr": "Trust and confidence/Förtroende mellan kommuner",  # Swedish
    "FÖRTROENDE": "Trust and confidence/Förtroende mellan kommuner",
    "samverkan": "Collaboration/Samverkansavtal",
    "colab": "Collaboration",  # typo: a letter left out
    "tehc": "Technology",  # typo: two letters swapped (neither matcher allows it)
}

LABEL = "informant_12 (Anna Lindqvist)  ·  size=smaller, cluster=B, region=north  ·  9,412 words  ·  183 codings"
LONG_QUERIES = ["inf", "anna north", "informant smaller north", "informant smaller north words"]


def ours(query: str, paths: list[str]) -> list[str]:
    return [path for path, _ in fuzzy_filter(query, paths)]


def textuals(query: str, paths: list[str]) -> list[str]:
    matcher = Matcher(query)  # one per query, as Textual's command palette makes them
    scored = [(matcher.match(path), index, path) for index, path in enumerate(paths)]
    return [path for score, _, path in sorted((row for row in scored if row[0] > 0), key=lambda r: (-r[0], r[1]))]


def median_us(call: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e6


def main() -> None:
    matchers = {"ours": ours, "textual": textuals}
    print(f"{len(PATHS)} theme paths; rank of the meant theme (1 = first, - = not found), median µs to rank all paths")
    results: dict[str, list[tuple[int | None, float]]] = {name: [] for name in matchers}
    for query, meant in QUERIES.items():
        for name, rank in matchers.items():
            found = rank(query, PATHS)
            place = found.index(meant) + 1 if meant in found else None
            us = median_us(lambda rank=rank, query=query: rank(query, PATHS), 200)
            results[name].append((place, us))
            top = " | ".join(path.rsplit("/", 1)[-1][:22] for path in found[:3])
            print(f"  {query!r:29} {name:8} rank {place or '-':>2} of {len(found):2}  {us:7.0f} µs  {top}")
    for name, rows in results.items():
        first = sum(1 for place, _ in rows if place == 1)
        print(
            f"{name:8} the meant theme first for {first} of {len(rows)} queries; "
            f"median {statistics.median(us for _, us in rows):.0f} µs per query, slowest {max(us for _, us in rows):.0f} µs"
        )
    print(f"one label of the transcript list ({len(LABEL)} characters), µs per match:")
    for query in LONG_QUERIES:
        mine = median_us(lambda query=query: fuzzy_match(query, LABEL), 20)
        theirs = median_us(lambda query=query: Matcher(query).match(LABEL), 5)
        print(f"  {query!r:32} ours {mine:8.0f}   textual {theirs:8.0f}")


if __name__ == "__main__":
    main()
