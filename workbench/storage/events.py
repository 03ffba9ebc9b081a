"""The audit trail: one row in ``events`` per change, with the undo-log range that reverses it.

``undone`` is 0 for a change in effect, 1 for one undone (and redoable, newest ``undone_seq``
first), 2 for one undone whose redo chain a later change ended. Events are plain dicts of their
columns (``id``, ``at``, ``actor``, ``action``, ``payload`` as JSON text, ...), as the log shows them.
"""

from __future__ import annotations

import json

from workbench.storage.connection import Database
from workbench.storage.rows import insert_row, update_row


def record_event(
    db: Database,
    at: str,
    actor: str,
    action: str,
    payload: dict,
    undo_range: tuple[int | None, int | None],
) -> int:
    """Append an event; return its id."""
    return insert_row(
        db,
        "events",
        {
            "at": at,
            "actor": actor,
            "action": action,
            "payload": json.dumps(payload, ensure_ascii=False),
            "undo_first": undo_range[0],
            "undo_last": undo_range[1],
            "undone": 0,
        },
    )


def end_redo_chain(db: Database) -> None:
    """A new change makes the undone changes no longer redoable, as in every editor."""
    db.execute("UPDATE events SET undone = 2 WHERE undone = 1")


def latest_undoable(db: Database) -> dict | None:
    """The newest change still in effect that has something to undo (None: nothing)."""
    return next(
        db.query(
            """SELECT * FROM events WHERE undone = 0 AND undo_first IS NOT NULL
               AND action NOT IN ('init') ORDER BY id DESC LIMIT 1"""
        ),
        None,
    )


def latest_redoable(db: Database) -> dict | None:
    """The most recently undone change that can still be redone (None: nothing)."""
    return next(db.query("SELECT * FROM events WHERE undone = 1 ORDER BY undone_seq DESC LIMIT 1"), None)


def mark_undone(db: Database, event_id: int, undo_event_id: int, redo_range: tuple[int | None, int | None]) -> None:
    """Mark an event undone by ``undo_event_id``; its log range is now the one that redoes it."""
    update_row(
        db,
        "events",
        event_id,
        {"undone": 1, "undone_seq": undo_event_id, "undo_first": redo_range[0], "undo_last": redo_range[1]},
    )


def mark_redone(db: Database, event_id: int, undo_range: tuple[int | None, int | None]) -> None:
    """Mark an event in effect again; its log range is again the one that undoes it."""
    update_row(
        db,
        "events",
        event_id,
        {"undone": 0, "undone_seq": None, "undo_first": undo_range[0], "undo_last": undo_range[1]},
    )


def load_events(db: Database, limit: int | None = None) -> list[dict]:
    """The events, newest first (the last ``limit`` only, if given)."""
    sql = "SELECT * FROM events ORDER BY id DESC" + (f" LIMIT {int(limit)}" if limit else "")
    return list(db.query(sql))
