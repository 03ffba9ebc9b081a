"""Codings: a theme applied to a span of a transcript by a coder.

Reading them as domain objects is in ``queries`` (``load_coding``, ``load_codings``); their
quote state (selected, order, comment) is in ``quotes``.
"""

from __future__ import annotations

from typing import NamedTuple

from workbench.storage.connection import Database
from workbench.storage.rows import insert_row, insert_rows

#: What makes two codings the same: (transcript id, theme id, start, end, coder).
CodingKey = tuple[int, int, int, int, str]


class NewCoding(NamedTuple):
    """A coding to store; ``text`` is the coded passage, ``text_hash`` its hash."""

    transcript_id: int
    theme_id: int
    start: int
    end: int
    coder: str
    created: str
    text: str
    text_hash: str


def insert_coding(db: Database, coding: NewCoding) -> int:
    """Store one coding; return its id."""
    return insert_row(db, "codings", coding._asdict())


def insert_codings(db: Database, codings: list[NewCoding]) -> list[int]:
    """Store many codings at once; return their ids, in order."""
    # Run inside the caller's write transaction, so nobody else takes the ids in between.
    first = db.execute("SELECT ifnull(max(id), 0) FROM codings").fetchone()[0] + 1
    insert_rows(db, "codings", (c._asdict() for c in codings))
    return list(range(first, first + len(codings)))


def find_coding(db: Database, key: CodingKey) -> int | None:
    """The id of the coding with exactly this transcript, theme, span and coder (None: none)."""
    row = db.execute(
        "SELECT id FROM codings WHERE transcript_id = ? AND theme_id = ? AND start = ? AND end = ? AND coder = ?",
        list(key),
    ).fetchone()
    return row[0] if row else None


def coding_keys(db: Database, transcript_id: int) -> set[CodingKey]:
    """The keys of a transcript's codings, to skip exact duplicates."""
    return set(
        db.execute(
            "SELECT transcript_id, theme_id, start, end, coder FROM codings WHERE transcript_id = ?", [transcript_id]
        ).fetchall()
    )


def set_coding_theme(db: Database, coding_id: int, theme_id: int) -> None:
    """Give a coding another theme."""
    db.execute("UPDATE codings SET theme_id = ? WHERE id = ?", [theme_id, coding_id])


def delete_coding(db: Database, coding_id: int) -> None:
    """Remove a coding with its quote state."""
    db.execute("DELETE FROM quotes WHERE coding_id = ?", [coding_id])
    db.execute("DELETE FROM codings WHERE id = ?", [coding_id])


def coding_spans(db: Database, transcript_id: int) -> list[tuple[int, int, int, int]]:
    """A transcript's codings as (id, start, end, theme id), in text order."""
    return db.execute(
        "SELECT id, start, end, theme_id FROM codings WHERE transcript_id = ? ORDER BY start, end, id",
        [transcript_id],
    ).fetchall()


def coding_counts(db: Database) -> dict[str, int]:
    """Number of codings per transcript name (transcripts without codings left out)."""
    return dict(
        db.execute(
            "SELECT t.name, count(*) FROM codings k JOIN transcripts t ON t.id = k.transcript_id GROUP BY t.name"
        ).fetchall()
    )
