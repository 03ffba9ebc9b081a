"""Search across every transcript (keyword in context), and coding every hit with a theme.

Searching is read-only: :func:`search_scope` reads what a search needs from the study once (the
texts, turns, codings and case attributes of the transcripts the filters allow), and
:meth:`SearchScope.hits` matches in pure Python, one transcript at a time, so a front end can
run it away from the study's connection and show the hits as they come. Matching itself is
``workbench.domain.text_search`` (Unicode case folding, optional accent folding, whole words,
insensitive to NFC/NFD).

Which hits count: when a transcript has speaker turns, a hit must begin in the spoken text of a
turn; hits in speaker labels and timestamps are not what anyone said. A transcript without turns
is searched whole.

:func:`code_hits` applies a theme to every hit (or its sentence or turn) in one transaction and
one undoable step, skipping what is already coded with that theme.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from workbench.domain.text_search import Matcher, SearchOptions, sentence_span, trim
from workbench.domain.theme_tree import subtree_ids
from workbench.errors import WorkbenchError
from workbench.storage import search as search_store
from workbench.storage.database import storage_errors_translated
from workbench.storage.quote_rows import matching_cases
from workbench.study.core import Study

UNITS = ("hit", "sentence", "turn")
DEFAULT_CONTEXT = 40


@dataclass(frozen=True)
class SearchFilters:
    """Which hits a search keeps (the command line's --transcript, --where, --speaker, --uncoded, --coded-with)."""

    transcripts: tuple[str, ...] = ()
    where: Mapping[str, set[str]] | None = None
    speaker: str | None = None
    uncoded: bool = False
    coded_with: str | None = None


class SearchHit(NamedTuple):
    """One hit: where it is (code points of the stored text, end exclusive), who said it, and its context."""

    transcript: str
    case: str | None
    speaker: str | None
    turn: int | None  # 1-based number of the turn it begins in (None: the transcript has no turns)
    start: int
    end: int
    text: str  # the hit exactly as stored
    before: str  # up to the context's length of stored text before it
    after: str
    attributes: Mapping[str, str] = {}  # its case's (shared, never changed)

    def to_json(self) -> dict:
        """The documented ``--json`` shape of a hit."""
        return {
            "transcript": self.transcript,
            "case": self.case,
            "speaker": self.speaker,
            "turn": self.turn,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "before": self.before,
            "after": self.after,
            "attributes": dict(self.attributes),
        }


@dataclass
class _Transcript:
    name: str
    case: str | None
    text: str
    turns: list[tuple[int, int, str | None]]  # (start, end, speaker) in order
    spans: list[tuple[int, int, int, int]]  # codings: (id, start, end, theme id)
    attributes: Mapping[str, str]


@dataclass
class SearchScope:
    """Everything a search needs, read from the study once; matching it touches no file."""

    transcripts: list[_Transcript]
    filters: SearchFilters
    coded_with_ids: set[int] | None  # the --coded-with theme and its sub-themes

    def hits(self, options: SearchOptions, context: int = DEFAULT_CONTEXT) -> Iterator[tuple[str, list[SearchHit]]]:
        """(transcript name, its hits in text order) for each transcript in the scope, by name.

        Raises ``WorkbenchError`` at once for a bad pattern, before anything is matched (so a
        front end can say so before it starts matching elsewhere).
        """
        matcher = Matcher(options)
        return ((item.name, self._hits_in(item, matcher, context)) for item in self.transcripts)

    def _hits_in(self, item: _Transcript, matcher: Matcher, context: int) -> list[SearchHit]:
        text, turns, name, case, attributes = item.text, item.turns, item.name, item.case, item.attributes
        starts = [turn[0] for turn in turns]
        speaker = self.filters.speaker.casefold() if self.filters.speaker else None
        coded = _Overlaps(item.spans, self.coded_with_ids) if self.filters.uncoded or self.coded_with_ids else None
        found = []
        for start, end in matcher.find(text):
            turn_number = who = None
            if turns:
                i = bisect_right(starts, start) - 1
                if i < 0 or start >= turns[i][1]:
                    continue  # in a speaker label or between turns
                turn_number, who = i + 1, turns[i][2]
            if speaker is not None and (who or "").casefold() != speaker:
                continue
            if coded is not None and coded.any(start, end) == self.filters.uncoded:
                continue
            before = text[start - context : start] if start >= context else text[:start]
            found.append(
                SearchHit(
                    name,
                    case,
                    who,
                    turn_number,
                    start,
                    end,
                    text[start:end],
                    before,
                    text[end : end + context],
                    attributes,
                )
            )
        return found


class _Overlaps:
    """Whether a span overlaps any of some codings: a binary search over their starts, with the
    furthest end reached so far (a transcript may have thousands of codings)."""

    def __init__(self, spans: list[tuple[int, int, int, int]], theme_ids: set[int] | None) -> None:
        kept = sorted((s, e) for _id, s, e, theme in spans if theme_ids is None or theme in theme_ids)
        self.starts = [s for s, _e in kept]
        self.reach = []
        furthest = -1
        for _s, e in kept:
            furthest = max(furthest, e)
            self.reach.append(furthest)

    def any(self, start: int, end: int) -> bool:
        """Whether a coding begins before ``end`` and ends after ``start``."""
        i = bisect_left(self.starts, end)
        return i > 0 and self.reach[i - 1] > start


@storage_errors_translated
def search_scope(study: Study, filters: SearchFilters | None = None) -> SearchScope:
    """Read the transcripts the filters allow, with what matching and filtering need."""
    filters = filters or SearchFilters()
    if filters.uncoded and filters.coded_with:
        raise WorkbenchError("--uncoded and --coded-with exclude each other")
    ids = None
    if filters.transcripts:
        ids = sorted({study.transcript(name).id for name in filters.transcripts})
    cases = study.cases()
    accepted = None
    if filters.where:
        known = {k.casefold() for attrs in cases.values() for k in attrs}
        unknown = [k for k in filters.where if k.casefold() not in known]
        if unknown:
            raise WorkbenchError(
                f"no case has an attribute {unknown[0]!r} (known: {', '.join(sorted(known)) or 'none'})"
            )
        accepted = matching_cases(cases, filters.where)
    coded_with_ids = None
    if filters.coded_with:
        coded_with_ids = set(subtree_ids(study.themes(), study.theme(filters.coded_with).id))
    db = study._db  # the study layer hands its connection to storage
    texts = [
        t
        for t in search_store.searched_texts(db, ids)
        if accepted is None or (t.case is not None and t.case in accepted)
    ]
    chosen = [t.id for t in texts]
    turns = search_store.turn_spans_by_transcript(db, chosen)
    spans = search_store.coding_spans_by_transcript(db, chosen) if filters.uncoded or filters.coded_with else {}
    items = [
        _Transcript(t.name, t.case, t.text, turns.get(t.id, []), spans.get(t.id, []), cases.get(t.case or "", {}))
        for t in texts
    ]
    return SearchScope(items, filters, coded_with_ids)


@dataclass
class SearchResult:
    """Every hit of a search, with counts per transcript and per attribute value."""

    hits: list[SearchHit]
    searched: list[str]  # the transcripts searched, by name

    def per_transcript(self) -> dict[str, int]:
        """Hits per transcript searched (0 included), by name."""
        counts = dict.fromkeys(self.searched, 0)
        for hit in self.hits:
            counts[hit.transcript] += 1
        return counts

    def per_attribute(self) -> dict[str, dict[str, int]]:
        """Hits per value of each case attribute: {key: {value: hits}}."""
        counts: dict[str, dict[str, int]] = {}
        for hit in self.hits:
            for key, value in hit.attributes.items():
                per_value = counts.setdefault(key, {})
                per_value[value] = per_value.get(value, 0) + 1
        return {key: dict(sorted(values.items())) for key, values in sorted(counts.items())}


@storage_errors_translated
def search(
    study: Study, options: SearchOptions, filters: SearchFilters | None = None, context: int = DEFAULT_CONTEXT
) -> SearchResult:
    """Every hit of ``options`` in the transcripts ``filters`` allow, transcripts by name."""
    scope = search_scope(study, filters)
    hits: list[SearchHit] = []
    searched = []
    for name, found in scope.hits(options, context):
        searched.append(name)
        hits.extend(found)
    return SearchResult(hits, searched)


# -- coding the hits -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedCoding:
    """What coding one hit does: the span coded (the hit, its sentence or its turn), or why not."""

    hit: SearchHit
    start: int
    end: int
    skipped: str | None = None  # the reason, when nothing is coded for this hit


@dataclass
class CodeHitsReport:
    """What :func:`code_hits` did (or, with ``dry_run``, would do)."""

    theme: str
    unit: str
    planned: list[PlannedCoding]
    dry_run: bool

    @property
    def coded(self) -> list[PlannedCoding]:
        return [p for p in self.planned if p.skipped is None]

    @property
    def skipped(self) -> list[PlannedCoding]:
        return [p for p in self.planned if p.skipped is not None]

    def reasons(self) -> dict[str, int]:
        """How many hits were skipped, per reason."""
        counts: dict[str, int] = {}
        for item in self.skipped:
            counts[item.skipped] = counts.get(item.skipped, 0) + 1
        return counts

    def summary(self) -> str:
        verb = "would code" if self.dry_run else "coded"
        parts = [f"{verb} {len(self.coded)} passage(s) as {self.theme}"]
        parts += [f"skipped {n}: {reason}" for reason, n in sorted(self.reasons().items())]
        return "; ".join(parts)


def unit_span(text: str, turns: list[tuple[int, int, str | None]], start: int, end: int, unit: str) -> tuple[int, int]:
    """The span a hit at ``start``..``end`` is widened to: the hit, its sentence(s) or its turn
    (``turns`` as (start, end, speaker); without turns, the paragraph)."""
    if unit not in UNITS:
        raise WorkbenchError(f"unknown unit {unit!r} (choose hit, sentence or turn)")
    if unit == "hit":
        return start, end
    low, high = 0, len(text)
    i = bisect_right([t[0] for t in turns], start) - 1
    if turns and i >= 0 and start < turns[i][1]:
        low, high = turns[i][0], turns[i][1]
    elif unit == "turn":  # no turns: the paragraph
        low = text.rfind("\n\n", 0, start)
        low = 0 if low == -1 else low + 2
        high = text.find("\n\n", end)
        high = len(text) if high == -1 else high
    if unit == "turn":
        return trim(text, low, max(high, end))
    return sentence_span(text, start, end, low, max(high, end))


@storage_errors_translated
def code_hits(
    study: Study, hits: list[SearchHit], theme: str, unit: str = "hit", dry_run: bool = False
) -> CodeHitsReport:
    """Code every hit (or its sentence or turn) with ``theme``: one transaction, one undoable step.

    A span already inside a coding of that theme (by any coder) is skipped, and so is a span
    that an earlier hit of the list already gives (two hits in one sentence code it once).
    With ``dry_run`` nothing is written; the report says what would be.
    """
    target = study.theme(theme)
    names = sorted({hit.transcript for hit in hits})
    ids = {name: study.transcript(name).id for name in names}
    db = study._db  # the study layer hands its connection to storage
    texts = {t.name: t.text for t in search_store.searched_texts(db, list(ids.values()))}
    turns = search_store.turn_spans_by_transcript(db, list(ids.values()))
    spans = search_store.coding_spans_by_transcript(db, list(ids.values()))
    planned: list[PlannedCoding] = []
    taken: set[tuple[str, int, int]] = set()
    for hit in hits:
        text = texts[hit.transcript]
        if text[hit.start : hit.end] != hit.text:
            planned.append(PlannedCoding(hit, hit.start, hit.end, "the transcript changed since the search"))
            continue
        start, end = unit_span(text, turns.get(ids[hit.transcript], []), hit.start, hit.end, unit)
        reason = None
        covering = next(
            (
                cid
                for cid, s, e, theme_id in spans.get(ids[hit.transcript], [])
                if theme_id == target.id and s <= start and end <= e
            ),
            None,
        )
        if end <= start or not text[start:end].strip():
            reason = "only whitespace"
        elif covering is not None:
            reason = f"already coded with {target.path}"
        elif (hit.transcript, start, end) in taken:
            reason = f"same {unit} as an earlier hit"
        taken.add((hit.transcript, start, end))
        planned.append(PlannedCoding(hit, start, end, reason))
    report = CodeHitsReport(target.path, unit, planned, dry_run)
    if dry_run or not report.coded:
        return report
    payload = {"theme": target.path, "unit": unit, "count": len(report.coded)}
    with study.batch("code hits", payload):
        study.code_many((p.hit.transcript, target.path, p.start, p.end, None, None) for p in report.coded)
    return report
