"""The charts of a study: the data behind the heat maps, bar charts and saturation curve.

Read-only use cases over ``workbench.study.analysis``: each returns a chart from
``workbench.domain.charts``, which the terminal (``workbench.display.charts``) and the SVG writer
(``workbench.domain.charts.svg``) draw. The heat map's numbers are the framework matrix's cells,
so a figure says what ``workbench matrix --json`` says.
"""

from __future__ import annotations

import re
from collections import defaultdict

from workbench.domain.charts.heat_map import COUNT, SHARE, HeatMap, RowLabel, make_heat_map, percent, symmetric
from workbench.domain.charts.saturation import IMPORT_ORDER, Saturation, saturation
from workbench.domain.sorting import natural_key
from workbench.errors import WorkbenchError
from workbench.storage import analysis as reads
from workbench.storage.database import storage_errors_translated
from workbench.study import Study
from workbench.study.analysis import BY_CASE, Matrix, cooccurrence, theme_attribute_matrix

NO_VALUE = "(no value)"
MODES = (COUNT, SHARE)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def attribute_keys(study: Study) -> list[str]:
    """Every case attribute's key, alphabetically."""
    return sorted({k for attrs in study.cases().values() for k in attrs}, key=str.casefold)


def interview_date_key(study: Study) -> str | None:
    """The case attribute that holds the interview dates: the first (alphabetically) whose every
    value starts with an ISO date (``2025-03-14``), or None when no attribute does."""
    cases = study.cases().values()
    for key in attribute_keys(study):
        values = [v for attrs in cases for k, v in attrs.items() if k == key]
        if values and all(_ISO_DATE.match(v.strip()) for v in values):
            return key
    return None


def matrix_heat_map(study: Study, by: str = BY_CASE, theme: str | None = None, mode: str = COUNT) -> HeatMap:
    """The framework matrix as a heat map: each theme's own codings per case or attribute value
    (``mode`` "count"), or the share of the column's informants who have such codings ("share")."""
    matrix = theme_attribute_matrix(study, by, theme)
    return _grid(study, matrix, mode, "Framework matrix")


def bar_chart(study: Study, by: str, theme: str | None = None, mode: str = COUNT) -> HeatMap:
    """Per theme, one bar per value of the case attribute ``by``: the same numbers as the heat map."""
    matrix = theme_attribute_matrix(study, by, theme)
    return _grid(study, matrix, mode, "Themes")


def _grid(study: Study, matrix: Matrix, mode: str, what: str) -> HeatMap:
    if mode not in MODES:
        raise WorkbenchError(f"mode must be 'count' or 'share', not {mode!r}")
    rows = [RowLabel(r.theme, r.depth) for r in matrix.rows]
    columns = [NO_VALUE if c is None else str(c) for c in matrix.columns]
    if mode == COUNT:
        values = [[cell.codings for cell in r.cells] for r in matrix.rows]
        title = f"{what}: codings per theme and {matrix.by}"
        return make_heat_map(title, rows, columns, values, "codings")
    sizes = _group_sizes(study, matrix)
    values = [[percent(cell.informants, size) for cell, size in zip(r.cells, sizes)] for r in matrix.rows]
    title = f"{what}: share of informants per theme and {matrix.by}"
    return make_heat_map(title, rows, columns, values, "informants", unit="%")


def _group_sizes(study: Study, matrix: Matrix) -> list[int]:
    """The number of cases in each column of ``matrix`` (all of them, coded or not)."""
    cases = study.cases()
    if matrix.by == BY_CASE:
        return [1 for _ in matrix.columns]
    wanted = matrix.by.casefold()
    count: dict[str | None, int] = defaultdict(int)
    for attrs in cases.values():
        value = next((v for k, v in attrs.items() if k.casefold() == wanted), None)
        count[value] += 1
    return [count.get(column, 0) for column in matrix.columns]


def cooccurrence_heat_map(study: Study, unit: str = "span") -> HeatMap:
    """Theme against theme: the places where both meet (overlapping spans, or one speaker turn).

    Only themes that meet another are rows and columns, in codebook order.
    """
    found = cooccurrence(study, unit)
    meeting = {p.theme_a for p in found.pairs} | {p.theme_b for p in found.pairs}
    themes = [t for t in study.themes() if t.path in meeting]
    paths = [t.path for t in themes]
    grid = symmetric(paths, [(p.theme_a, p.theme_b, p.count) for p in found.pairs])
    rows = [RowLabel(t.path, t.depth) for t in themes]
    title = f"Co-occurrence: {'overlapping codings' if unit == 'span' else 'themes in one speaker turn'}"
    return make_heat_map(title, rows, [r.name for r in rows], grid, "places")


@storage_errors_translated
def saturation_curve(study: Study, order: str | None = None, threshold: int = 1) -> Saturation:
    """New themes and sub-themes per transcript, in the order of the case attribute ``order``
    (e.g. the interview date; ISO dates sort right), or in import order (``order`` "import").

    ``order`` None takes the attribute of interview dates (:func:`interview_date_key`) when the
    cases have one, else import order. Transcripts whose case has no value for the attribute come
    last, in import order.
    """
    if order is None:
        order = interview_date_key(study) or IMPORT_ORDER
    if threshold < 1:
        raise WorkbenchError(f"the threshold must be 1 or more, not {threshold}")
    coded: dict[int, set[int]] = defaultdict(set)
    for transcript_id, theme_id in reads.transcript_theme_pairs(study._db):
        coded[transcript_id].add(theme_id)
    rows = sorted(reads.transcript_rows(study._db))  # by id: the order they were imported in
    values: dict[int, str | None] = {row[0]: None for row in rows}
    if order.casefold() not in ("", IMPORT_ORDER):
        cases = study.cases()
        keys = attribute_keys(study)
        key = next((k for k in keys if k.casefold() == order.casefold()), None)
        if key is None:
            raise WorkbenchError(f"no case has an attribute {order!r} (known: {', '.join(keys) or 'none'})")
        for transcript_id, _name, _case_id, case_name, _chars in rows:
            attrs = cases.get(case_name or "", {})
            values[transcript_id] = next((v for k, v in attrs.items() if k.casefold() == key.casefold()), None)
        position = {row[0]: i for i, row in enumerate(rows)}
        rows.sort(key=lambda row: (values[row[0]] is None, natural_key(values[row[0]] or ""), position[row[0]]))
        order = key
    else:
        order = IMPORT_ORDER
    transcripts = [(row[1], values[row[0]], coded.get(row[0], set())) for row in rows]
    return saturation(transcripts, study.themes(), threshold, order)
