"""Cross-case analysis over a study: framework matrices, co-occurrence and coverage.

Read-only use cases. Each returns a dataclass with ``to_json()`` (the documented ``--json``
shapes, see docs/analysis.md). What they read comes from ``workbench.storage.analysis``, a few
aggregate queries, so that a study of 100,000 codings answers in well under a second.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import NamedTuple

from workbench.domain.models import Quote, Theme
from workbench.domain.sorting import natural_key
from workbench.domain.theme_tree import subtree, subtree_ids
from workbench.errors import WorkbenchError
from workbench.storage import analysis as reads
from workbench.storage.database import storage_errors_translated
from workbench.study import Study
from workbench.study.collecting import collecting_paused

BY_CASE = "case"


# -- matrices ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """Codings and distinct informants (cases) in one cell of a matrix."""

    codings: int = 0
    informants: int = 0

    def to_json(self) -> dict:
        return {"codings": self.codings, "informants": self.informants}


@dataclass
class MatrixRow:
    """One theme's row: a cell per column (the theme's own codings), and its totals."""

    theme: str  # path
    theme_id: int
    depth: int
    color: str
    cells: list[Cell]
    total: Cell
    total_with_subthemes: Cell

    def to_json(self) -> dict:
        return {
            "theme": self.theme,
            "depth": self.depth,
            "cells": [c.to_json() for c in self.cells],
            "total": self.total.to_json(),
            "total_with_subthemes": self.total_with_subthemes.to_json(),
        }


@dataclass
class Matrix:
    """Themes x cases, or themes x the values of a case attribute.

    ``columns`` are case names (``by == "case"``) or attribute values; ``None`` is the column of
    cases that have no value for the attribute (only present when they have codings).
    """

    by: str
    columns: list[str | None]
    rows: list[MatrixRow]
    column_totals: list[Cell]
    total: Cell

    def to_json(self) -> dict:
        return {
            "by": self.by,
            "columns": self.columns,
            "rows": [r.to_json() for r in self.rows],
            "column_totals": [c.to_json() for c in self.column_totals],
            "total": self.total.to_json(),
        }


@storage_errors_translated
def theme_case_matrix(study: Study, theme: str | None = None) -> Matrix:
    """Codings per theme (rows) and case (columns); ``theme`` limits the rows to it and its sub-themes."""
    names = reads.case_names(study._db)
    columns = sorted(names.values(), key=natural_key)
    return _matrix(study, BY_CASE, theme, columns, names)


@storage_errors_translated
def theme_attribute_matrix(study: Study, key: str, theme: str | None = None) -> Matrix:
    """Codings and distinct informants per theme (rows) and value of case attribute ``key``."""
    if key.casefold() == BY_CASE:
        return theme_case_matrix(study, theme)
    values = reads.attribute_values(study._db, key)
    if not values:
        known = sorted({k for attrs in study.cases().values() for k in attrs}, key=str.casefold)
        raise WorkbenchError(f"no case has an attribute {key!r} (known: {', '.join(known) or 'none'})")
    column_of: dict[int, str | None] = {case_id: None for case_id in reads.case_names(study._db)}
    column_of.update(values)
    columns: list[str | None] = sorted(set(values.values()), key=natural_key)
    key_name = next((k for attrs in study.cases().values() for k in attrs if k.casefold() == key.casefold()), key)
    return _matrix(study, key_name, theme, columns, column_of)


def _matrix(
    study: Study, by: str, theme: str | None, columns: list[str | None], column_of: dict[int, str | None]
) -> Matrix:
    themes = _theme_rows(study, theme)
    per_case: dict[int, dict[int, int]] = defaultdict(dict)
    for theme_id, case_id, n in reads.counts_by_theme_and_case(study._db):
        per_case[theme_id][case_id] = n
    listed = {t.id for t in themes}
    if None not in columns and any(
        column_of.get(case_id) is None for tid in listed for case_id in per_case.get(tid, {})
    ):
        columns = [*columns, None]  # cases without a value for the attribute, when they have codings
    index = {column: i for i, column in enumerate(columns)}
    column_cases: list[set[int]] = [set() for _ in columns]
    column_codings = [0] * len(columns)
    rows = []
    for t in themes:
        cells_codings = [0] * len(columns)
        cells_cases: list[set[int]] = [set() for _ in columns]
        for case_id, n in per_case.get(t.id, {}).items():
            i = index[column_of.get(case_id)]
            cells_codings[i] += n
            cells_cases[i].add(case_id)
            column_cases[i].add(case_id)
            column_codings[i] += n
        subtree: dict[int, int] = defaultdict(int)
        for tid in subtree_ids(themes, t.id):
            for case_id, n in per_case.get(tid, {}).items():
                subtree[case_id] += n
        own = per_case.get(t.id, {})
        rows.append(
            MatrixRow(
                theme=t.path,
                theme_id=t.id,
                depth=t.depth,
                color=t.color,
                cells=[Cell(c, len(s)) for c, s in zip(cells_codings, cells_cases)],
                total=Cell(sum(own.values()), len(own)),
                total_with_subthemes=Cell(sum(subtree.values()), len(subtree)),
            )
        )
    totals = [Cell(c, len(s)) for c, s in zip(column_codings, column_cases)]
    everyone = set().union(*column_cases) if column_cases else set()
    return Matrix(by, columns, rows, totals, Cell(sum(column_codings), len(everyone)))


@storage_errors_translated
def cell_quotes(study: Study, matrix: Matrix, row: int, column: int | None) -> list[Quote]:
    """The quotes behind one cell of a matrix: the row theme's own codings in that column's
    cases (``column`` None: the row's total, every column)."""
    theme_row = matrix.rows[row]
    quotes = [q for q in study.quotes(theme=theme_row.theme) if q.theme_id == theme_row.theme_id]
    if column is None:
        return quotes
    value = matrix.columns[column]
    if matrix.by == BY_CASE:
        return [q for q in quotes if q.case == value]
    wanted = matrix.by.casefold()

    def value_of(quote: Quote) -> str | None:
        return next((v for k, v in quote.attributes.items() if k.casefold() == wanted), None)

    return [q for q in quotes if value_of(q) == value]


# -- co-occurrence -------------------------------------------------------------------------------


class Place(NamedTuple):
    """Where two themes meet: the overlap of two codings (span), or a turn holding both (turn)."""

    transcript: str
    start: int
    end: int
    turn: int | None  # the turn's number (seq) for unit "turn"
    codings: tuple[int, ...]  # the coding ids involved

    def to_json(self) -> dict:
        return {
            "transcript": self.transcript,
            "start": self.start,
            "end": self.end,
            "turn": self.turn,
            "codings": list(self.codings),
        }


@dataclass
class Pair:
    """Two themes that code the same passages: how often, in how many informants, and where."""

    theme_a: str
    theme_b: str
    count: int
    informants: int
    places: list[Place] = field(default_factory=list)

    def to_json(self, places: bool = True) -> dict:
        data = {"themes": [self.theme_a, self.theme_b], "count": self.count, "informants": self.informants}
        if places:
            data["places"] = [p.to_json() for p in self.places]
        return data


@dataclass
class Cooccurrence:
    """Theme pairs by number of places, most frequent first."""

    unit: str
    pairs: list[Pair]

    def to_json(self, places: bool = True) -> dict:
        return {"unit": self.unit, "pairs": [p.to_json(places) for p in self.pairs]}


@storage_errors_translated
def cooccurrence(study: Study, unit: str = "span") -> Cooccurrence:
    """Themes applied to overlapping spans (``span``) or within one speaker turn (``turn``).

    Only codings by the same coder are paired: with several coders, one coder's theme next to
    another's is a question of agreement, not of co-occurrence. A theme is not paired with itself.
    """
    if unit not in ("span", "turn"):
        raise WorkbenchError(f"unit must be 'span' or 'turn', not {unit!r}")
    themes = study.themes()
    order = {t.id: i for i, t in enumerate(themes)}
    transcripts = {row[0]: row for row in reads.transcript_rows(study._db)}
    places: dict[tuple[int, int], list[Place]] = defaultdict(list)
    groups: dict[tuple[int, str], list[tuple[int, int, int, int]]] = defaultdict(list)
    with collecting_paused():
        rows = [
            (cid, tid, order.get(theme_id, -1), start, end, coder)
            for cid, tid, theme_id, start, end, coder in reads.coding_rows(study._db)
        ]
        if unit == "span":
            for cid, tid, theme, start, end, coder in rows:
                groups[(tid, coder)].append((start, end, theme, cid))
            _span_pairs(groups, transcripts, places)
        else:
            _turn_pairs(study, rows, transcripts, places)
        case_of = {row[1]: row[2] for row in transcripts.values()}
        pairs = []
        for (a, b), found in places.items():
            found.sort()
            cases = {case_of[p.transcript] for p in found}
            pairs.append(Pair(themes[a].path, themes[b].path, len(found), len(cases), found))
    index = {t.path: i for i, t in enumerate(themes)}
    pairs.sort(key=lambda p: (-p.count, index[p.theme_a], index[p.theme_b]))
    return Cooccurrence(unit, pairs)


def _span_pairs(groups, transcripts, places) -> None:
    # Each coder's codings of a transcript in start order: coding j overlaps an earlier coding i
    # exactly when j starts before i ends, so a forward scan from i finds all its partners.
    make = tuple.__new__  # Place without the keyword-handling wrapper: one per overlap
    for (transcript_id, _coder), codings in groups.items():
        name = transcripts[transcript_id][1]
        codings.sort()
        count = len(codings)
        for i in range(count):
            start_i, end_i, theme_i, id_i = codings[i]
            if theme_i < 0:
                continue
            j = i + 1
            while j < count:
                start_j, end_j, theme_j, id_j = codings[j]
                if start_j >= end_i:
                    break
                j += 1
                if theme_j == theme_i or theme_j < 0:
                    continue
                overlap_end = end_i if end_i < end_j else end_j
                if theme_i < theme_j:
                    places[(theme_i, theme_j)].append(make(Place, (name, start_j, overlap_end, None, (id_i, id_j))))
                else:
                    places[(theme_j, theme_i)].append(make(Place, (name, start_j, overlap_end, None, (id_j, id_i))))


def _turn_pairs(study, rows, transcripts, places) -> None:
    turns: dict[int, list[tuple[int, int, int]]] = defaultdict(list)  # transcript -> (start, end, seq)
    for transcript_id, seq, _speaker, start, end in reads.turn_rows(study._db):
        if end > start:
            turns[transcript_id].append((start, end, seq))
    ends = {tid: [t[1] for t in spans] for tid, spans in turns.items()}
    # Per turn: each coder's themes (pairs are made within one coder), and the coding ids by
    # theme (in id order, as the rows come).
    coder_themes: dict[tuple, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    theme_ids: dict[tuple, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for cid, transcript_id, theme, start, end, coder in rows:
        if theme < 0 or transcript_id not in turns:
            continue
        spans = turns[transcript_id]
        i = bisect.bisect_right(ends[transcript_id], start)
        while i < len(spans) and spans[i][0] < end:
            key = (transcript_id, *spans[i])
            coder_themes[key][coder].add(theme)
            theme_ids[key][theme].append(cid)
            i += 1
    names = {tid: row[1] for tid, row in transcripts.items()}
    make = tuple.__new__  # Place without the keyword-handling wrapper: this loop makes one per place
    for key in sorted(coder_themes, key=lambda k: (names[k[0]], k[3])):
        per_coder = coder_themes[key]
        if len(per_coder) == 1:
            pairs = combinations(sorted(next(iter(per_coder.values()))), 2)
        else:
            pairs = sorted(set().union(*(combinations(sorted(t), 2) for t in per_coder.values())))
        transcript_id, start, end, seq = key
        ids = theme_ids[key]
        name = names[transcript_id]
        for pair in pairs:
            places[pair].append(make(Place, (name, start, end, seq, (*ids[pair[0]], *ids[pair[1]]))))


# -- coverage ------------------------------------------------------------------------------------


class UncodedTurn(NamedTuple):
    seq: int
    speaker: str | None
    start: int
    end: int

    def to_json(self) -> dict:
        return {"turn": self.seq, "speaker": self.speaker, "start": self.start, "end": self.end}


@dataclass
class TranscriptCoverage:
    """How much of one transcript is coded."""

    transcript: str
    case: str | None
    chars: int
    coded_chars: int  # characters inside at least one coding
    codings: int
    turns: int  # turns with spoken text
    uncoded_turns: list[UncodedTurn]

    @property
    def coverage(self) -> float:
        return self.coded_chars / self.chars if self.chars else 0.0

    def to_json(self) -> dict:
        return {
            "transcript": self.transcript,
            "case": self.case,
            "chars": self.chars,
            "coded_chars": self.coded_chars,
            "coverage": self.coverage,
            "codings": self.codings,
            "turns": self.turns,
            "uncoded_turns": [t.to_json() for t in self.uncoded_turns],
        }


@dataclass
class Coverage:
    """Which informants speak to which themes, and what was never coded."""

    themes: list[tuple[str, list[str]]]  # theme path -> informants (with sub-themes), in codebook order
    cases: list[tuple[str, list[str]]]  # case -> themes coded in its transcripts (own codings)
    transcripts: list[TranscriptCoverage]

    @property
    def never_coded(self) -> list[str]:
        return [t.transcript for t in self.transcripts if t.codings == 0]

    @property
    def chars(self) -> int:
        return sum(t.chars for t in self.transcripts)

    @property
    def coded_chars(self) -> int:
        return sum(t.coded_chars for t in self.transcripts)

    def to_json(self) -> dict:
        chars = self.chars
        return {
            "themes": [{"theme": t, "informants": names} for t, names in self.themes],
            "cases": [{"case": c, "themes": paths} for c, paths in self.cases],
            "transcripts": [t.to_json() for t in self.transcripts],
            "never_coded": self.never_coded,
            "chars": chars,
            "coded_chars": self.coded_chars,
            "coverage": self.coded_chars / chars if chars else 0.0,
        }


@storage_errors_translated
def coverage(study: Study) -> Coverage:
    """Informants per theme, themes per informant, and each transcript's uncoded turns and
    character coverage (the share of its text inside at least one coding)."""
    themes = study.themes()
    names = reads.case_names(study._db)
    per_case: dict[int, set[int]] = defaultdict(set)  # theme -> cases
    for theme_id, case_id, _n in reads.counts_by_theme_and_case(study._db):
        per_case[theme_id].add(case_id)
    by_theme = []
    for t in themes:
        cases = set().union(*(per_case.get(tid, set()) for tid in subtree_ids(themes, t.id)))
        by_theme.append((t.path, sorted((names[c] for c in cases if c in names), key=natural_key)))
    by_case: dict[str, list[str]] = {name: [] for name in sorted(names.values(), key=natural_key)}
    for t in themes:
        for case_id in per_case.get(t.id, ()):
            if case_id in names:
                by_case[names[case_id]].append(t.path)

    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for _id, transcript_id, _theme, start, end, _coder in reads.coding_rows(study._db):
        spans[transcript_id].append((start, end))
    turns: dict[int, list[UncodedTurn]] = defaultdict(list)
    for transcript_id, seq, speaker, start, end in reads.turn_rows(study._db):
        if end > start:
            turns[transcript_id].append(UncodedTurn(seq, speaker, start, end))
    transcripts = []
    for transcript_id, name, _case_id, case_name, chars in reads.transcript_rows(study._db):
        union = merge_intervals(spans.get(transcript_id, []))
        starts = [s for s, _e in union]
        uncoded = [turn for turn in turns.get(transcript_id, []) if not _overlaps(union, starts, turn.start, turn.end)]
        transcripts.append(
            TranscriptCoverage(
                name,
                case_name,
                chars or 0,
                sum(e - s for s, e in union),
                len(spans.get(transcript_id, [])),
                len(turns.get(transcript_id, [])),
                uncoded,
            )
        )
    return Coverage(by_theme, list(by_case.items()), transcripts)


# -- helpers -------------------------------------------------------------------------------------


def merge_intervals(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of half-open intervals as sorted, disjoint, non-touching intervals."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def _overlaps(union: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    """Whether [start, end) meets any interval of a merged union (``starts`` = their starts)."""
    i = bisect.bisect_left(starts, end) - 1  # the last interval starting before ``end``
    return i >= 0 and union[i][1] > start


def _theme_rows(study: Study, theme: str | None) -> list[Theme]:
    themes = study.themes()
    if theme is None:
        return themes
    return subtree(themes, study.theme(theme).id)
