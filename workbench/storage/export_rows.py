"""The reads behind writing a study out (the results chapter, a REFI-QDA project) that the
everyday queries do not give in the shape an export needs: read at once, not row by row."""

from __future__ import annotations

from workbench.storage.connection import Database


def transcript_text_named(db: Database, name: str) -> str | None:
    """The text of the transcript with exactly this name (None: there is none)."""
    row = db.execute("SELECT text FROM transcripts WHERE name = ?", [name]).fetchone()
    return row[0] if row is not None else None


def memos_by_target(db: Database) -> dict[tuple[str, int | None], str]:
    """Every memo by (target type, target id); the study memo's target id is None."""
    rows = db.execute("SELECT target_type, target_id, text FROM memos").fetchall()
    return {(on, target): text for on, target, text in rows}


def case_ids(db: Database) -> dict[str, int]:
    """case name -> case id, for every case."""
    return dict(db.execute("SELECT name, id FROM cases").fetchall())


def memo_times(db: Database) -> dict[tuple[str, int | None], str]:
    """When every memo was last written, by (target type, target id)."""
    rows = db.execute("SELECT target_type, target_id, updated FROM memos").fetchall()
    return {(on, target): updated for on, target, updated in rows}


def theme_times(db: Database) -> dict[int, str]:
    """When every theme was created (themes from before that column have none)."""
    return {i: c for i, c in db.execute("SELECT id, created FROM themes WHERE created IS NOT NULL").fetchall()}
