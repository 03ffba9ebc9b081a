"""A small fuzzy matcher for pickers: the query's characters must appear in order in the text.

Pure Python, no Textual, so it is cheap to test. The score rewards what people type when they
half-remember a name: runs of consecutive characters, the starts of words and of path segments
("tr/agr" finds "Trust and confidence/Agreements matter"). Matching ignores case.

Kept over ``textual.fuzzy.Matcher`` on measurement (benchmarks/fuzzy_compare.py): on the demo
codebook it ranks the meant theme first more often (spaces only separate words, so "trust
confidence agreements" still finds its theme; initials such as "am" beat a run inside a word),
and its work grows with query x text, where Textual's enumerates every alignment (tens of
milliseconds for one long label of the transcript list).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

MATCH = 1.0  # every matched character
CONTIGUOUS = 2.0  # the character right after the previous match
WORD_START = 3.0  # first character of a word
SEGMENT_START = 4.0  # first character of the text or of a path segment ("Theme/Sub-theme")
GAP = 0.05  # per skipped character between two matches, so tighter matches win
_WORD_BREAKS = " \t-_.,:;()[]\"'"
_NEG = float("-inf")


@dataclass(frozen=True)
class FuzzyMatch:
    """How well a query matches a text: a score (higher is better) and the matched positions."""

    score: float
    positions: tuple[int, ...]


def _fold(ch: str) -> str:
    folded = ch.casefold()
    return folded if len(folded) == 1 else ch  # one char per position keeps offsets right


def _bonus(text: str, index: int) -> float:
    """Extra score for matching at ``index``: segment starts beat word starts beat the rest."""
    if index == 0 or text[index - 1] == "/":
        return SEGMENT_START
    before, here = text[index - 1], text[index]
    if before in _WORD_BREAKS or (before.islower() and here.isupper()):
        return WORD_START
    return 0.0


def fuzzy_match(query: str, text: str) -> FuzzyMatch | None:
    """Match ``query`` against ``text``; None when its characters do not all appear in order.

    An empty query matches everything with score 0. Among the possible alignments the best
    scoring one is found (dynamic programming over query x text, linear in each).
    """
    query = "".join(query.split())  # spaces in the query only separate words the user typed
    if not query:
        return FuzzyMatch(0.0, ())
    q = [_fold(c) for c in query]
    t = [_fold(c) for c in text]
    if not _is_subsequence(q, t):
        return None
    n = len(t)
    bonus = [_bonus(text, j) for j in range(n)]
    # best[i][j]: best score with q[i] matched at t[j]; back[i][j]: where q[i-1] was matched
    best = [[_NEG] * n for _ in q]
    back = [[-1] * n for _ in q]
    for j in range(n):
        if t[j] == q[0]:
            best[0][j] = MATCH + bonus[j] - GAP * j * 0.2  # a late first match costs a little
    for i in range(1, len(q)):
        prev, row, links = best[i - 1], best[i], back[i]
        # running max of prev[k] + GAP*k over k <= j-2 turns the gap penalty into O(1) per step
        run_value, run_at = _NEG, -1
        for j in range(1, n):
            if j >= 2 and prev[j - 2] != _NEG and prev[j - 2] + GAP * (j - 2) > run_value:
                run_value, run_at = prev[j - 2] + GAP * (j - 2), j - 2
            if t[j] != q[i]:
                continue
            candidate, link = _NEG, -1
            if prev[j - 1] != _NEG:
                candidate, link = prev[j - 1] + CONTIGUOUS, j - 1
            if run_at >= 0 and run_value - GAP * (j - 1) > candidate:
                candidate, link = run_value - GAP * (j - 1), run_at
            if link >= 0:
                row[j], links[j] = candidate + MATCH + bonus[j], link
    last = best[-1]
    end = max(range(n), key=lambda j: last[j])
    positions = [end]
    for i in range(len(q) - 1, 0, -1):
        positions.append(back[i][positions[-1]])
    return FuzzyMatch(last[end], tuple(reversed(positions)))


def _is_subsequence(query: Sequence[str], text: Sequence[str]) -> bool:
    it = iter(text)
    return all(ch in it for ch in query)


def fuzzy_score(query: str, text: str) -> float | None:
    """The score of :func:`fuzzy_match`, or None when ``text`` does not match."""
    match = fuzzy_match(query, text)
    return None if match is None else match.score


def fuzzy_filter(query: str, items: Iterable[T], key: Callable[[T], str] = str) -> list[tuple[T, FuzzyMatch]]:
    """The items whose ``key`` matches ``query``, best first.

    Ties keep shorter texts first, then the original order, so an empty query returns every
    item in its original order.
    """
    scored = []
    for index, item in enumerate(items):
        text = key(item)
        match = fuzzy_match(query, text)
        if match is not None:
            scored.append((-match.score, len(text) if query.strip() else 0, index, item, match))
    scored.sort(key=lambda row: row[:3])
    return [(item, match) for *_, item, match in scored]
