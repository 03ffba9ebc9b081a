"""Values a study remembers about itself (the ``study`` table: key -> text), e.g. when it was
created or the chapter export settings."""

from __future__ import annotations

from workbench.storage.connection import Database
from workbench.storage.rows import insert_row


def load_setting(db: Database, key: str) -> str | None:
    """The value stored under ``key`` (None: none)."""
    row = db.execute("SELECT value FROM study WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def store_setting(db: Database, key: str, value: str | None) -> None:
    """Store ``value`` under ``key`` (None: forget the key)."""
    db.execute("DELETE FROM study WHERE key = ?", [key])
    if value is not None:
        insert_row(db, "study", {"key": key, "value": value})


def store_setting_quietly(db: Database, key: str, value: str | None) -> None:
    """Store ``value`` under ``key`` in a transaction of its own, recording no event: for what a
    study remembers about how someone looks at it (not a change to the work, so not undoable)."""
    from workbench.storage.database import transaction

    with transaction(db):
        store_setting(db, key, value)
