"""Heat maps and bar charts as data: rows of themes, columns of cases, groups or themes, and a
whole number in each cell.

Values are what the table beside them would show: codings (the framework matrix's cells), places
(co-occurrence), or a percentage (the share of a group's informants who spoke to a theme).
"""

from __future__ import annotations

from dataclasses import dataclass

COUNT = "count"
SHARE = "share"


@dataclass(frozen=True)
class RowLabel:
    """A theme as a row: its path (the key in the data) and its depth in the codebook."""

    path: str
    depth: int

    @property
    def name(self) -> str:
        """The theme's own name, the last part of its path."""
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class HeatMap:
    """A grid of whole numbers, each shaded by its share of ``top``.

    ``values[r][c]`` is the cell of row ``r`` and column ``c``; ``None`` is a cell that has no
    meaning (a theme against itself in a co-occurrence map). ``unit`` is ``"%"`` for shares.
    ``measure`` names what is counted ("codings", "informants", "places").
    """

    title: str
    rows: tuple[RowLabel, ...]
    columns: tuple[str, ...]
    values: tuple[tuple[int | None, ...], ...]
    measure: str
    unit: str = ""
    top: int = 0  # what the darkest shade stands for: the largest value, or 100 for shares

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "measure": self.measure,
            "unit": self.unit,
            "top": self.top,
            "rows": [r.path for r in self.rows],
            "columns": list(self.columns),
            "values": [list(v) for v in self.values],
        }


def make_heat_map(
    title: str,
    rows: list[RowLabel],
    columns: list[str],
    values: list[list[int | None]],
    measure: str,
    unit: str = "",
) -> HeatMap:
    """A heat map whose top is 100 for percentages, else its largest value."""
    largest = max((v for row in values for v in row if v is not None), default=0)
    top = 100 if unit == "%" else largest
    return HeatMap(title, tuple(rows), tuple(columns), tuple(tuple(row) for row in values), measure, unit, top)


def percent(part: int, whole: int) -> int:
    """``part`` of ``whole`` as a whole percentage, rounded half up (0 when ``whole`` is 0)."""
    if whole <= 0:
        return 0
    return (200 * part + whole) // (2 * whole)


def symmetric(themes: list[str], pairs: list[tuple[str, str, int]]) -> list[list[int | None]]:
    """The square matrix of ``pairs`` (theme, theme, count) over ``themes``: both halves filled,
    the diagonal ``None``."""
    index = {path: i for i, path in enumerate(themes)}
    grid: list[list[int | None]] = [[0] * len(themes) for _ in themes]
    for i in range(len(themes)):
        grid[i][i] = None
    for a, b, count in pairs:
        if a in index and b in index and a != b:
            grid[index[a]][index[b]] = count
            grid[index[b]][index[a]] = count
    return grid
