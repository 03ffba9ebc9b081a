"""Removing names from a study file: every stored text value, the undo log, and the file's bytes.

The rules (which names, what replaces them) are in ``workbench.domain.scrub``; this module reads
and writes the values wherever they are, ends the undo history, and compacts the file so that
nothing deleted survives in it. Writes run inside the caller's transaction
(``workbench.storage.database.transaction``).

SQLite keeps deleted and overwritten content in free pages of the file and in old frames of its
write-ahead log (``STUDY-wal``) until the space is reused. ``secure_delete`` makes it overwrite
deleted content with zeros; ``compact`` copies the log into the file, rebuilds the file
(``VACUUM``) and empties the log, so afterwards the bytes of both hold only the current values.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.domain.models import Turn
from workbench.domain.word_count import count_words
from workbench.errors import WorkbenchError
from workbench.storage.connection import Database
from workbench.storage.database import read_raw, transaction
from workbench.storage.reimport import CodingUpdate
from workbench.storage.transcripts import insert_turns

StoredValue = tuple[str, str, int, str]  # table, column, rowid, value


def tables(db) -> list[str]:
    """The study's own tables (SQLite's internal ones left out), by name."""
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [row[0] for row in rows]


def text_values(db, only: Iterable[str] | None = None) -> Iterator[StoredValue]:
    """Every text value in the study (or in the tables ``only``), with where it is.

    ``db`` is a study's database or a plain ``sqlite3`` connection (e.g. to a snapshot).
    """
    for table in only or tables(db):
        columns = [row[1] for row in db.execute(f"PRAGMA table_info([{table}])").fetchall()]
        listed = ", ".join(f"[{c}]" for c in columns)
        cursor = db.execute(f"SELECT rowid, {listed} FROM [{table}]")
        try:  # closed even when the caller stops early: a statement left open would block VACUUM
            for row in cursor:
                for column, value in zip(columns, row[1:]):
                    if isinstance(value, str):
                        yield table, column, row[0], value
        finally:
            cursor.close()


def set_value(db: Database, table: str, column: str, rowid: int, value: str) -> None:
    """Give one stored value its anonymised form; one that would clash with another row's
    (two cases or themes with the same name) is refused with one line."""
    try:
        db.execute(f"UPDATE [{table}] SET [{column}] = ? WHERE rowid = ?", [value, rowid])
    except sqlite3.IntegrityError:
        raise WorkbenchError(
            f"after anonymisation two rows of {table} would have the same {column} {value!r}; "
            f"rename one first (nothing was changed)"
        ) from None


# -- transcripts and codings ------------------------------------------------------------------------


def transcript_rows(db: Database) -> list[tuple[int, str, str, str]]:
    """Every transcript as (id, name, format, text)."""
    return db.execute("SELECT id, name, format, text FROM transcripts ORDER BY id").fetchall()


def rewrite_transcript(
    db: Database,
    transcript_id: int,
    text: str,
    content_hash: str,
    turns: list[Turn],
    updates: Iterable[CodingUpdate],
) -> None:
    """Give a transcript an anonymised text and turns, and its codings their places in it
    (its file name, format and import time stay)."""
    db.execute(
        "UPDATE transcripts SET text = ?, content_hash = ?, chars = ?, words = ? WHERE id = ?",
        [text, content_hash, len(text), count_words(text), transcript_id],
    )
    db.execute("DELETE FROM turns WHERE transcript_id = ?", [transcript_id])
    insert_turns(db, transcript_id, turns)
    db.conn.executemany(
        "UPDATE codings SET start = ?, end = ?, text = ?, text_hash = ?, review = ? WHERE id = ?", updates
    )


def coded_texts(db: Database) -> list[tuple[int, str, str | None]]:
    """Every coding as (id, coded text, review flag)."""
    return db.execute("SELECT id, text, review FROM codings ORDER BY id").fetchall()


def set_coded_text(db: Database, coding_id: int, text: str, text_hash: str) -> None:
    """Store a coding's (anonymised) coded text."""
    db.execute("UPDATE codings SET text = ?, text_hash = ? WHERE id = ?", [text, text_hash, coding_id])


def trimmed_quotes(db: Database) -> list[tuple[int, str, str]]:
    """Every quote with a trimmed form, as (coding id, coded text, trimmed form)."""
    return db.execute(
        "SELECT q.coding_id, k.text, q.elided FROM quotes q JOIN codings k ON k.id = q.coding_id WHERE q.elided IS NOT NULL"
    ).fetchall()


def flag_for_review(db: Database, coding_id: int, reason: str) -> None:
    """Flag a coding for the researcher's look (``workbench review``)."""
    db.execute("UPDATE codings SET review = ? WHERE id = ?", [reason, coding_id])


# -- the undo log --------------------------------------------------------------------------------


def drop_undo_history(db: Database) -> int:
    """Delete the whole undo log: no earlier change can be undone or redone after this. The
    events stay as the audit trail. Returns how many log entries there were."""
    count = db.execute("SELECT count(*) FROM undo_log").fetchone()[0]
    db.execute("DELETE FROM undo_log")
    db.execute(
        "UPDATE events SET undo_first = NULL, undo_last = NULL, undone = CASE undone WHEN 1 THEN 2 ELSE undone END"
    )
    return count


# -- the file's bytes ----------------------------------------------------------------------------


def set_secure_delete(db: Database, on: bool) -> bool:
    """Make SQLite overwrite deleted content with zeros (or stop); returns the previous setting."""
    previous = bool(db.execute("PRAGMA secure_delete").fetchone()[0])
    db.execute(f"PRAGMA secure_delete = {'ON' if on else 'OFF'}")
    return previous


@dataclass(frozen=True)
class Compaction:
    """What compacting did: whether the write-ahead log could be emptied (not while another
    program reads the study) and whether the undo log still points at the right rows."""

    log_emptied: bool
    undo_history_kept: bool = True


def compact(db: Database) -> Compaction:
    """Copy the write-ahead log into the file, rebuild the file without free pages, and empty
    the log, so old versions of rows are nowhere in the study's bytes.

    ``VACUUM`` may renumber the rows of a table without an integer primary key (SQLite's own
    caveat); the undo log addresses rows by number, so if any moved the undo history is dropped.
    """
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = _unaliased_rowids(db)
    db.execute("VACUUM")
    kept = _unaliased_rowids(db) == before
    if not kept:
        with transaction(db):
            drop_undo_history(db)
        db.execute("VACUUM")
    busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    wal = Path(f"{db.conn.execute('PRAGMA database_list').fetchone()[2]}-wal")
    return Compaction(log_emptied=not busy and (not wal.exists() or wal.stat().st_size == 0), undo_history_kept=kept)


def _unaliased_rowids(db: Database) -> list:
    # case_attributes is the one table the undo log tracks whose primary key is not its rowid
    return db.execute("SELECT rowid, case_id, key FROM case_attributes ORDER BY rowid").fetchall()


def study_files(study_path: Path) -> list[Path]:
    """The study file and its write-ahead log, those that exist."""
    return [p for p in (Path(study_path), Path(f"{study_path}-wal")) if p.exists()]


def read_bytes(path: Path) -> bytes:
    """The raw bytes of a study file, its log or a snapshot (never dropping this process's
    SQLite locks on an open study)."""
    return read_raw(Path(path))


def snapshot_text_values(path: Path) -> list[StoredValue]:
    """Every text value in a snapshot, read without changing it (no -wal or -shm is made); none
    from a file SQLite cannot read (its raw bytes still can be)."""
    try:
        connection = sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return []
    try:
        return list(text_values(connection))
    except sqlite3.Error:
        return []
    finally:
        connection.close()


def delete_snapshot(path: Path) -> None:
    """Delete a snapshot file (and the -wal kept beside a copy of a damaged study)."""
    for file in (Path(path), Path(f"{path}-wal")):
        file.unlink(missing_ok=True)
