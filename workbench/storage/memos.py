"""Memos: the researcher's notes on the study, a theme, a transcript or a case.

A memo is addressed by its target type and the target's id (None for the study itself); there
is at most one per target.
"""

from __future__ import annotations

from workbench.storage.connection import Database
from workbench.storage.rows import insert_row


def load_memo(db: Database, target_type: str, target_id: int | None) -> str | None:
    """The memo's text (None: there is no memo on that target)."""
    row = db.execute(
        "SELECT text FROM memos WHERE target_type = ? AND ifnull(target_id, 0) = ifnull(?, 0)",
        [target_type, target_id],
    ).fetchone()
    return row[0] if row else None


def store_memo(db: Database, target_type: str, target_id: int | None, text: str, updated: str) -> None:
    """Replace the memo on a target; a text that is only whitespace deletes it. The same text
    again changes nothing (not even the memo's time)."""
    current = load_memo(db, target_type, target_id)
    if current == text or (current is None and not text.strip()):
        return
    db.execute(
        "DELETE FROM memos WHERE target_type = ? AND ifnull(target_id, 0) = ifnull(?, 0)",
        [target_type, target_id],
    )
    if text.strip():
        insert_row(db, "memos", {"target_type": target_type, "target_id": target_id, "text": text, "updated": updated})
