"""Opening a study file: pragmas, checks, migrations, transactions.

A study is one SQLite file in WAL mode with foreign keys on. Every change goes through
``transaction()``, which takes the write lock up front (``BEGIN IMMEDIATE``) so that two copies of
the program on one file queue behind each other instead of failing half-way.

Opening a study checks it before anything else happens:

- ``PRAGMA quick_check``: a damaged file is refused with one line that names it and points to
  ``workbench restore``;
- whether it can be written: a read-only file or folder, or a write lock that another program holds
  for longer than the busy timeout, opens the study **read-only** and says why
  (``db.read_only``, ``db.read_only_reason``); any change is then refused up front, never half-way;
- its schema version: an older file is snapshotted (see ``backup.py``) and then migrated in one
  transaction.

SQLite's own errors stop here: ``storage_errors()`` (used by ``transaction()`` and by opening and
creating) and ``storage_errors_translated`` (wrapped around every public ``Study`` method) raise
``StudyBusyError`` when another program holds the study and ``StorageError`` for anything else
SQLite reports (a full disk, a damaged file), each with a one-line message. Front ends never
see ``sqlite3``.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TypeVar

from workbench.errors import StorageError, StudyBusyError, WorkbenchError
from workbench.storage import integrity, schema, side_files
from workbench.storage.connection import Database
from workbench.storage.study_file import APPLICATION_ID, SQLITE_HEADER, busy_timeout_ms, inode_of

BUSY_MESSAGE = "the study is busy in another program; try again in a moment (nothing was changed)"

# Committed changes wait in the -wal until a checkpoint copies them into the study file (SQLite
# does one when the last program closes the study, and on its own once the -wal holds 4 MB). A
# transaction that adds more than this to the -wal is followed by a checkpoint, so that a plain
# copy of the file holds an import at once. Small changes that add up are not: a checkpoint after
# a coding held that key's screen for 25-45 ms; the terminal workbench copies them in its quiet
# moments (tui/saving.py).
CHECKPOINT_AFTER_BYTES = 1024 * 1024
# After a checkpoint SQLite starts the -wal over and trims the file to this size
# (``PRAGMA journal_size_limit``), so it stays small even when a reader held it during a large change.
WAL_SIZE_LIMIT = 4 * 1024 * 1024
# Less free space than this where the study lives, and SQLite's "disk I/O error" means a full disk.
LOW_DISK_SPACE = 1024 * 1024

_P = ParamSpec("_P")
_R = TypeVar("_R")


#: Study files this process has a connection to, by (device, inode), with how many. Python must
#: never open and close such a file itself: closing any descriptor of a file drops every POSIX
#: lock the process holds on it, SQLite's included, and another program closing the study would
#: then take the file for its own and delete the -wal still in use here.
_CONNECTED_HERE: Counter[tuple[int, int]] = Counter()
_CONNECTED_HERE_LOCK = threading.Lock()


#: Descriptors opened to read a study file this process is connected to, kept open until its
#: last connection closes (closing one earlier would drop SQLite's locks, see above).
_KEPT_DESCRIPTORS: dict[tuple[int, int], int] = {}


def read_raw(path: Path, limit: int | None = None) -> bytes:
    """The raw bytes of a study file (the first ``limit`` of them), read without ever dropping
    the locks this process's connections hold on it."""
    file_id = inode_of(path)
    with _CONNECTED_HERE_LOCK:
        if file_id is None or _CONNECTED_HERE[file_id] == 0:
            with Path(path).open("rb") as handle:
                return handle.read() if limit is None else handle.read(limit)
        if file_id not in _KEPT_DESCRIPTORS:
            _KEPT_DESCRIPTORS[file_id] = os.open(path, os.O_RDONLY)
        descriptor = _KEPT_DESCRIPTORS[file_id]
    size = os.fstat(descriptor).st_size if limit is None else limit
    chunks, offset = [], 0
    while offset < size:
        chunk = os.pread(descriptor, min(size - offset, 1 << 24), offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def connected_in_this_process(path: Path) -> bool:
    """Whether this process holds a connection to the file at ``path`` (so SQLite holds locks on it)."""
    file_id = inode_of(path)
    with _CONNECTED_HERE_LOCK:
        return file_id is not None and _CONNECTED_HERE[file_id] > 0


class StudyDatabase(Database):
    """A study's connection, with what the front ends need to know about how it was opened."""

    def __init__(self, conn: sqlite3.Connection, path: Path, read_only_reason: str | None = None):
        super().__init__(conn)
        self.path = path
        #: Why the study could only be opened for reading (None: it is writable).
        self.read_only_reason = read_only_reason
        #: The -wal file; SQLite keeps it beside the real file when ``path`` is a symlink.
        self.wal_path = Path(f"{path.resolve()}-wal")
        #: Which file was opened: a change is refused once ``path`` names another one, or none.
        self.file_id = inode_of(path)
        self._counted = self.file_id is not None
        if self._counted:
            with _CONNECTED_HERE_LOCK:
                _CONNECTED_HERE[self.file_id] += 1

    def close(self) -> None:
        try:
            super().close()
        finally:
            if self._counted:
                self._counted = False
                with _CONNECTED_HERE_LOCK:
                    _CONNECTED_HERE[self.file_id] -= 1
                    if _CONNECTED_HERE[self.file_id] == 0 and self.file_id in _KEPT_DESCRIPTORS:
                        os.close(_KEPT_DESCRIPTORS.pop(self.file_id))  # no SQLite lock left to drop

    def check_same_file(self) -> None:
        """Refuse a change when the study file was deleted or replaced since it was opened: the
        change would go to the old file, which nobody will open again, and be lost."""
        if self.file_id is None:
            return
        now = inode_of(self.path)
        if now == self.file_id:
            return
        if now is None:
            raise StorageError(
                f"{self.path}: the study file was deleted after it was opened, so nothing was changed; "
                f"`workbench restore {self.path}` brings back its latest snapshot"
            )
        raise StorageError(
            f"{self.path}: the study file was replaced by another file after it was opened "
            "(a restore, a sync or a copy); open it again (nothing was changed)"
        )

    @property
    def read_only(self) -> bool:
        """True when the study was opened read-only; every change is then refused."""
        return self.read_only_reason is not None


def _connect(path: Path, read_only_reason: str | None = None, immutable: bool = False) -> StudyDatabase:
    timeout = busy_timeout_ms()
    if read_only_reason is None:
        conn = sqlite3.connect(str(path), timeout=timeout / 1000, check_same_thread=False)
    else:
        uri = path.absolute().as_uri() + ("?mode=ro&immutable=1" if immutable else "?mode=ro")
        conn = sqlite3.connect(uri, uri=True, timeout=timeout / 1000, check_same_thread=False)
    db = StudyDatabase(conn, path, read_only_reason)
    db.execute(f"PRAGMA busy_timeout = {timeout}")
    db.execute("PRAGMA foreign_keys = ON")
    if read_only_reason is None:
        # FULL: a commit is on disk before the program says "saved", even if the power goes.
        db.execute("PRAGMA synchronous = FULL")
        db.execute(f"PRAGMA journal_size_limit = {WAL_SIZE_LIMIT}")
    return db


def create_database(path: Path) -> StudyDatabase:
    """Create a new, empty study file at ``path``; refuse to overwrite anything."""
    if path.exists():
        raise WorkbenchError(f"{path}: already exists; choose another name (nothing was changed)")
    if not path.parent.is_dir():
        raise WorkbenchError(f"{path.parent}: no such folder")
    with storage_errors(path):
        db = _connect(path)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            _migrate(db)
        except BaseException:
            db.close()
            path.unlink(missing_ok=True)
            raise
    return db


def open_database(path: Path) -> StudyDatabase:
    """Open an existing study file: check it, open it read-only if it cannot be written, and
    migrate it to the current schema if it is older (after a snapshot)."""
    with storage_errors(path):  # what the checks below do not name more precisely
        return _open_existing(path)


def _open_existing(path: Path) -> StudyDatabase:
    checked = integrity.early_result(path)  # first: its connection closes before the file is read here
    _check_file(path)
    reason = _why_not_writable(path)
    db = _open_checked(path, reason, checked)
    try:
        if db.read_only:
            _refuse_old_schema_read_only(db)
            return db
        try:
            _use_wal(db)
            _probe_write_lock(db)
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
            db.close()
            seconds = busy_timeout_ms() / 1000
            db = _open_checked(path, f"another program has held its write lock for over {seconds:g} s")
            _refuse_old_schema_read_only(db)
            return db
        if _version(db) < schema.SCHEMA_VERSION:
            old = _version(db)
            from workbench.storage import backup  # snapshots: imported when one is made or listed

            backup.snapshot(path, db, f"before migration v{old} to v{schema.SCHEMA_VERSION}")
            _migrate(db)
    except sqlite3.OperationalError as exc:  # e.g. a full disk: the transaction was rolled back
        db.close()
        problem = _disk_problem(path, exc) or f"{path}: cannot be opened for writing ({exc}); nothing was changed"
        raise StorageError(problem) from None
    except sqlite3.DatabaseError as exc:
        db.close()
        raise StorageError(_damaged(path, exc)) from None
    except BaseException:
        db.close()
        raise
    return db


def _check_file(path: Path) -> None:
    if not path.exists():
        raise WorkbenchError(f"{path}: no such study file (create one with `workbench init {path}`)")
    if path.is_dir():
        raise WorkbenchError(f"{path}: is a folder, not a study file")
    with _CONNECTED_HERE_LOCK:  # no connection of this process may start while the file is read
        if _CONNECTED_HERE[inode_of(path)] > 0:
            return  # checked when first opened; reading it now would drop SQLite's locks on it
        with path.open("rb") as handle:
            header = handle.read(16)
    if header != SQLITE_HEADER:
        size = path.stat().st_size
        what = "it is empty, 0 bytes" if size == 0 else f"it does not start as an SQLite file; {size} bytes"
        from workbench.storage import backup

        if backup.list_snapshots(path):  # it was a study: cut short or overwritten
            raise StorageError(_damaged(path, what))
        raise StorageError(f"{path}: not a workbench study (not an SQLite file{'; it is empty' if size == 0 else ''})")


def _why_not_writable(path: Path) -> str | None:
    real = path.resolve()  # SQLite keeps the side files beside the real file, not beside a symlink
    if not os.access(real, os.W_OK):
        return "the file is read-only"
    # SQLite keeps its -wal and -shm files beside the study; it must be able to create them.
    if not os.access(real.parent, os.W_OK | os.X_OK):
        return "its folder is read-only"
    # Side files left read-only (e.g. by a look at the study while it was read-only). Not while
    # this process is connected: they are in use, and the repair opens the study file itself.
    if connected_in_this_process(real):
        return None
    return side_files.repair(real)


def _open_checked(path: Path, read_only_reason: str | None, checked: str | None = None) -> StudyDatabase:
    """Connect, then check the application id, the schema version and the file's integrity
    (``checked``: ``"ok"`` when an early check of this file found nothing wrong, see ``integrity.py``)."""
    db = _connect(path, read_only_reason)
    try:
        try:
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
        except sqlite3.OperationalError as exc:
            # Read-only folder and no -shm file: a read-only WAL reader cannot start, but the
            # file alone is complete when there is no -wal, so read it as an unchanging file.
            wal = Path(f"{path}-wal")
            if read_only_reason is None or "readonly" not in str(exc) or wal.exists():
                raise
            db.close()
            db = _connect(path, read_only_reason, immutable=True)
            app_id = db.execute("PRAGMA application_id").fetchone()[0]
        if app_id != APPLICATION_ID:
            raise StorageError(f"{path}: an SQLite file, but not a workbench study")
        version = _version(db)
        if version > schema.SCHEMA_VERSION:
            raise WorkbenchError(
                f"{path}: made by a newer workbench (schema {version}, this one knows {schema.SCHEMA_VERSION}); upgrade workbench"
            )
        problem = checked or db.execute("PRAGMA quick_check(1)").fetchone()[0]
        if problem != "ok":
            raise StorageError(_damaged(path, problem))
    except sqlite3.OperationalError as exc:
        db.close()
        if _is_busy(exc):
            raise StudyBusyError(
                f"{path}: locked by another program that does not let others read it; close it and try again"
            ) from None
        raise StorageError(_disk_problem(path, exc) or _damaged(path, exc)) from None
    except sqlite3.DatabaseError as exc:
        db.close()
        raise StorageError(_damaged(path, exc)) from None
    except BaseException:
        db.close()
        raise
    return db


def _disk_problem(path: Path, exc: sqlite3.Error) -> str | None:
    """The one-line message for a full disk or a disk that fails to read or write (None: the
    error is another one). SQLite says "disk I/O error" when it cannot even make its side
    files, which a nearly full disk also causes; the free space tells the two apart."""
    detail = " ".join(str(exc).split())
    if "disk is full" in detail or ("disk I/O error" in detail and _free_bytes(path) < LOW_DISK_SPACE):
        return f"{path}: the disk is full ({detail}); free some disk space, then try again (nothing was changed)"
    if "disk I/O error" in detail:
        return (
            f"{path}: the disk failed to read or write the study ({detail}); check the disk and its free space, "
            "then try again (nothing was changed)"
        )
    return None


def _free_bytes(path: Path) -> int:
    import shutil  # here, on the way to an error: with bz2 and lzma it is 2 ms of every start

    try:
        return shutil.disk_usage(path.resolve().parent).free
    except OSError:
        return LOW_DISK_SPACE  # cannot tell: not "full"


def _damaged(path: Path, problem: object) -> str:
    detail = " ".join(str(problem).split())
    from workbench.storage import backup

    if backup.list_snapshots(path):
        advice = f"`workbench restore {path}` puts back its latest snapshot (`workbench backups {path}` lists them)"
    else:
        advice = f"it has no snapshots to restore; `sqlite3 {path} .recover` may save part of it"
    return f"{path}: the study file is damaged ({detail}); {advice}"


def _refuse_old_schema_read_only(db: StudyDatabase) -> None:
    if _version(db) < schema.SCHEMA_VERSION:
        raise WorkbenchError(
            f"{db.path}: made by an older workbench (schema {_version(db)}) and {db.read_only_reason}, "
            "so it cannot be upgraded; open it once with write access"
        )


def _use_wal(db: StudyDatabase) -> None:
    """Switch a file in another journal mode (e.g. a copy made with VACUUM INTO) to WAL.

    The switch needs the file to itself and does not wait on its own, so wait here, as long as
    for any other lock.
    """
    deadline = time.monotonic() + busy_timeout_ms() / 1000
    while True:
        try:
            if db.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
                return
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc):
                raise
        if time.monotonic() >= deadline:
            raise sqlite3.OperationalError("database is locked")
        time.sleep(0.05)


def _probe_write_lock(db: StudyDatabase) -> None:
    """Take and release the write lock, so a file that stays locked is found now, not mid-change."""
    db.conn.execute("BEGIN IMMEDIATE")
    db.conn.execute("ROLLBACK")


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _version(db: Database) -> int:
    return db.execute("PRAGMA user_version").fetchone()[0]


def _migrate(db: Database) -> None:
    """Apply the missing migrations, each with its version bump, in one transaction; an upgrade
    of an existing study is recorded in its audit trail."""
    with _transaction(db):
        # Read inside the transaction: another program may have migrated the file meanwhile.
        version = _version(db)
        for number in range(version, schema.SCHEMA_VERSION):
            schema.MIGRATIONS[number](db)
        db.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION}")
        if 0 < version < schema.SCHEMA_VERSION:
            db.execute(
                "INSERT INTO events (at, actor, action, payload, undone) VALUES (?, 'workbench', 'migrate', ?, 0)",
                [_utc_now(), json.dumps({"from": version, "to": schema.SCHEMA_VERSION})],
            )


def _utc_now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def data_version(db: Database) -> int:
    """A number that changes whenever another connection commits to the file."""
    return db.execute("PRAGMA data_version").fetchone()[0]


def change_mark(db: Database) -> tuple[int, int]:
    """A value that changes whenever the file may have changed: another connection committed
    (``data_version``) or this one changed a row (SQLite's count of them, which a rollback does
    not lower: at worst the value changes when nothing did)."""
    return data_version(db), db.conn.total_changes


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """Run the block as one write transaction: all of it is committed, or none of it.

    SQLite's errors in the block, or at its commit, come out as ``StudyBusyError`` or
    ``StorageError`` (after the rollback).
    """
    with storage_errors(getattr(db, "path", None)), _transaction(db):
        yield db


@contextmanager
def _transaction(db: Database) -> Iterator[Database]:
    """``transaction`` without the error translation (opening reports its own errors)."""
    reason = getattr(db, "read_only_reason", None)
    if reason is not None:
        raise WorkbenchError(f"{db.path}: opened read-only because {reason}; nothing was changed")
    if db.conn.in_transaction:
        # Nested use joins the outer transaction: the outer block decides.
        yield db
        return
    if isinstance(db, StudyDatabase):
        db.check_same_file()
    wal_before = _wal_size(db)
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException:
        # Also after a failed COMMIT (a full disk): leave the connection usable, the file unchanged.
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise
    large = _wal_size(db) - wal_before > CHECKPOINT_AFTER_BYTES  # an import, a merge: into the file now
    if large or db.checkpoint_owed:
        # Owed: a large change's checkpoint was held back by another program reading the study;
        # each change after it tries again, so the -wal does not stay large.
        db.checkpoint_owed = not checkpoint(db)


#: The page cache while a large change is written (an import): room for its new pages.
LARGE_WRITE_CACHE_KIB = 64 * 1024


@contextmanager
def room_for_a_large_write(db: Database) -> Iterator[None]:
    """A larger page cache for the block. With SQLite's default (2 MB) the pages of an import's
    texts fill the cache and are spilled to the -wal in the middle of the transaction, then
    written again; that made storing 60 interviews' turns take twice as long. The memory is
    given back when the block ends."""
    before = db.execute("PRAGMA cache_size").fetchone()[0]
    db.execute(f"PRAGMA cache_size = -{LARGE_WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        db.execute(f"PRAGMA cache_size = {before}")


# -- the -wal and the study file ---------------------------------------------------------------------


def checkpoint(db: Database) -> bool:
    """Copy the changes waiting in the -wal into the study file, and empty the -wal if nobody
    else is using it, so that a plain copy of the file alone holds every committed change.

    Never waits for another program and never raises: it does what it can at once (another
    program writing, or reading an older state, may keep some changes in the -wal until later).
    Returns True when the study file now holds every committed change; False when some wait in
    the -wal, or the study was opened read-only, or the checkpoint failed (e.g. a full disk).
    """
    if getattr(db, "read_only", False):
        return False
    try:
        if db.conn.in_transaction:
            return False
        db.execute("PRAGMA busy_timeout = 0")
        try:
            _busy, in_wal, copied = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            db.execute(f"PRAGMA busy_timeout = {busy_timeout_ms()}")
    except (sqlite3.Error, WorkbenchError):
        return False
    return in_wal == copied  # (both -1 when the study is not in WAL mode: nothing waits)


def _wal_size(db: Database) -> int:
    wal = getattr(db, "wal_path", None)
    try:
        return wal.stat().st_size if wal is not None else 0
    except OSError:
        return 0


# -- SQLite's errors as the researcher's -----------------------------------------------------------


def storage_error(exc: sqlite3.Error, path: Path | str | None = None) -> StudyBusyError | StorageError:
    """The one-line workbench error to raise in place of SQLite's ``exc`` about the study at ``path``."""
    if isinstance(exc, sqlite3.OperationalError) and _is_busy(exc):
        return StudyBusyError(BUSY_MESSAGE)
    if path is not None and (problem := _disk_problem(Path(path), exc)):
        return StorageError(problem)
    detail = " ".join(str(exc).split()) or type(exc).__name__
    if type(exc) is sqlite3.DatabaseError:  # what SQLite says of a damaged file or one that is not a database
        if path is None:
            return StorageError(f"the study file is damaged or not a study: {detail}")
        return StorageError(_damaged(Path(path), detail))
    where = f"{path}: " if path is not None else ""
    return StorageError(f"{where}database error: {detail} (nothing was changed)")


@contextmanager
def storage_errors(path: Path | str | None = None) -> Iterator[None]:
    """Raise ``StudyBusyError`` / ``StorageError`` in place of any SQLite error from the block."""
    try:
        yield
    except sqlite3.Error as exc:
        raise storage_error(exc, path) from exc


def storage_errors_translated(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Decorate a method of a ``Study``, or a use case whose first argument is a ``Study``:
    SQLite's errors in it come out as ``StudyBusyError`` / ``StorageError`` about its path."""

    @functools.wraps(method)
    def translated(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as exc:
            raise storage_error(exc, getattr(self, "path", None)) from exc

    return translated
