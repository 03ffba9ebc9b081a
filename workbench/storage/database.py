"""Opening a study file: pragmas, migrations, transactions.

A study is one SQLite file in WAL mode with foreign keys on. Every change goes through
``transaction()``, which takes the write lock up front (``BEGIN IMMEDIATE``) so that two copies of
the program on one file queue behind each other instead of failing half-way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from workbench.errors import WorkbenchError
from workbench.storage.schema import MIGRATIONS, SCHEMA_VERSION

APPLICATION_ID = 0x57424E43  # "WBNC": marks the file as a workbench study
BUSY_TIMEOUT_MS = 10_000


def _connect(path: Path) -> sqlite_utils.Database:
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    return db


def create_database(path: Path) -> sqlite_utils.Database:
    """Create a new, empty study file at ``path``; refuse to overwrite anything."""
    if path.exists():
        raise WorkbenchError(f"{path}: already exists; choose another name (nothing was changed)")
    if not path.parent.is_dir():
        raise WorkbenchError(f"{path.parent}: no such folder")
    db = _connect(path)
    try:
        db.execute("PRAGMA journal_mode = WAL")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        _migrate(db, path)
    except BaseException:
        db.close()
        path.unlink(missing_ok=True)
        raise
    return db


def open_database(path: Path) -> sqlite_utils.Database:
    """Open an existing study file, migrating it to the current schema if it is older."""
    if not path.exists():
        raise WorkbenchError(f"{path}: no such study file (create one with `workbench init {path}`)")
    if path.is_dir():
        raise WorkbenchError(f"{path}: is a folder, not a study file")
    with path.open("rb") as handle:
        header = handle.read(16)
    if header != b"SQLite format 3\x00":
        raise WorkbenchError(f"{path}: not a workbench study (not an SQLite file)")
    db = _connect(path)
    try:
        app_id = db.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise WorkbenchError(f"{path}: an SQLite file, but not a workbench study")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise WorkbenchError(
                f"{path}: made by a newer workbench (schema {version}, this one knows {SCHEMA_VERSION}); upgrade workbench"
            )
        db.execute("PRAGMA journal_mode = WAL")
        if version < SCHEMA_VERSION:
            _migrate(db, path)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise WorkbenchError(f"{path}: cannot be read as a study ({exc})") from None
    except BaseException:
        db.close()
        raise
    return db


def _migrate(db: sqlite_utils.Database, path: Path) -> None:
    """Apply the missing migrations, each with its version bump, in one transaction."""
    with transaction(db):
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for number in range(version, SCHEMA_VERSION):
            MIGRATIONS[number](db)
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run the block as one write transaction: all of it is committed, or none of it."""
    if db.conn.in_transaction:
        # Nested use joins the outer transaction: the outer block decides.
        yield db
        return
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    else:
        db.conn.execute("COMMIT")
