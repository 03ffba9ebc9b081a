"""A coding's quote state: whether it is selected for the chapter, its place among the selected
quotes of its theme (``position``, 1-based), its comment (printed before the quote), its note after the quote (the analysis printed after
it) and its elided form.

A coding has at most one row in ``quotes``; none means "not selected, no comment". Reading
whole quotes is in ``queries`` and ``quote_rows``.
"""

from __future__ import annotations

from typing import NamedTuple

from workbench.storage.connection import Database
from workbench.storage.rows import insert_row, update_changed


class QuoteState(NamedTuple):
    """The stored quote state of one coding."""

    selected: bool
    position: int | None
    comment: str | None
    elided: str | None
    note_after: str | None = None


def quote_state(db: Database, coding_id: int) -> QuoteState | None:
    """The coding's quote state (None: it has none)."""
    row = db.execute(
        "SELECT selected, position, comment, elided, note_after FROM quotes WHERE coding_id = ?", [coding_id]
    ).fetchone()
    return QuoteState(bool(row[0]), row[1], row[2], row[3], row[4]) if row else None


def insert_quote_state(db: Database, coding_id: int, updated: str) -> None:
    """Give a coding an empty, unselected quote state."""
    insert_row(db, "quotes", {"coding_id": coding_id, "selected": 0, "updated": updated})


_FIELDS = frozenset(QuoteState._fields)


def update_quote_state(db: Database, coding_id: int, updated: str, **fields: object) -> None:
    """Change the given fields of a coding's quote state (``selected``, ``position``,
    ``comment``, ``elided``, ``note_after``; None clears one) and keep the rest; ``updated`` is set only if a
    field differs from what is stored."""
    unknown = set(fields) - _FIELDS
    if unknown:
        raise TypeError(f"not a quote state field: {', '.join(sorted(unknown))}")
    if "selected" in fields:
        fields["selected"] = int(bool(fields["selected"]))
    update_changed(db, "quotes", "coding_id", coding_id, fields, {"updated": updated})


def last_position(db: Database, theme_id: int) -> int:
    """The highest position among the theme's selected quotes (0: none selected)."""
    return db.execute(
        """SELECT ifnull(max(q.position), 0) FROM quotes q JOIN codings k ON k.id = q.coding_id
           WHERE q.selected = 1 AND k.theme_id = ?""",
        [theme_id],
    ).fetchone()[0]


def selected_in_theme(db: Database, theme_id: int) -> list[tuple[int, float | None]]:
    """The theme's selected quotes, in their order: (coding id, position as stored)."""
    return db.execute(
        """SELECT q.coding_id, q.position FROM quotes q JOIN codings k ON k.id = q.coding_id
           WHERE q.selected = 1 AND k.theme_id = ? ORDER BY q.position, q.coding_id""",
        [theme_id],
    ).fetchall()


def write_order(db: Database, order: list[int], positions: dict[int, float | None]) -> None:
    """Number the given quotes 1, 2, 3 ... in this order; ``positions`` (coding id -> position
    as stored now) spares a statement for each quote already at its number (a move changes two
    or three of a theme's selected quotes, not all of them)."""
    for number, coding_id in enumerate(order, start=1):
        if positions.get(coding_id) != number:
            db.execute("UPDATE quotes SET position = ? WHERE coding_id = ?", [number, coding_id])


def move_to_end(db: Database, coding_id: int) -> None:
    """Put a quote after every other in its theme (until the theme is renumbered)."""
    db.execute("UPDATE quotes SET position = 1e9 WHERE coding_id = ?", [coding_id])
