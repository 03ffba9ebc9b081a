"""Cases (the informants or sites transcripts belong to) and their attributes.

Reading every case with its attributes is ``queries.load_case_attributes``.
"""

from __future__ import annotations

from workbench.storage.connection import Database
from workbench.storage.rows import insert_row


def case_id(db: Database, name: str) -> int | None:
    """The id of the case named exactly ``name`` (None: no such case)."""
    row = db.execute("SELECT id FROM cases WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def insert_case(db: Database, name: str, created: str) -> int:
    """Add a case without attributes; return its id."""
    return insert_row(db, "cases", {"name": name, "created": created})


def case_of_transcript(db: Database, transcript_name: str) -> tuple[int, str] | None:
    """(id, name) of the case of the transcript named ``transcript_name`` (None: no such transcript)."""
    row = db.execute(
        "SELECT c.id, c.name FROM transcripts t JOIN cases c ON c.id = t.case_id WHERE t.name = ?",
        [transcript_name],
    ).fetchone()
    return (row[0], row[1]) if row else None


def attributes_of(db: Database, case_id: int) -> dict[str, str]:
    """One case's attributes, key -> value."""
    return dict(db.execute("SELECT key, value FROM case_attributes WHERE case_id = ?", [case_id]).fetchall())


def upsert_attributes(db: Database, case_id: int, attrs: dict[str, str]) -> None:
    """Set attributes of a case, adding keys it does not have yet; a value already stored is left alone."""
    # One statement for all (the undo triggers see each insert or update as before).
    db.conn.executemany(
        """INSERT INTO case_attributes (case_id, key, value) VALUES (?, ?, ?)
           ON CONFLICT (case_id, key) DO UPDATE SET value = excluded.value WHERE value IS NOT excluded.value""",
        [(case_id, key, value) for key, value in attrs.items()],
    )


def delete_attribute(db: Database, case_id: int, key: str) -> None:
    """Remove one attribute from a case (nothing happens if it has none by that key)."""
    db.execute("DELETE FROM case_attributes WHERE case_id = ? AND key = ?", [case_id, key])
