"""Snapshots of a study: automatic ones before risky changes, manual ones on request, and restore.

Snapshots live in a folder beside the study, ``<study>.backups/`` (for ``thesis.db`` that is
``thesis.db.backups/``; beside the real file when the study is a symlink, which a restore
likewise replaces, leaving the link): one ordinary SQLite file each, named by UTC time and reason, e.g.
``20261126T172000.123456Z-before-delete-theme.db``. Each is written with ``VACUUM INTO`` (a
consistent copy of the last committed state) under a temporary name, flushed to disk and then
renamed, so a crash never leaves a partial file that looks like a snapshot.

Automatic snapshots (before a migration, before deleting or merging themes, before a restore)
are pruned to the newest ``KEEP_AUTOMATIC``; manual ones (``workbench backup``) are kept until you
delete them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import sqlite3
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.storage import schema
from workbench.storage.durable import sync_file, sync_folder, vacuum_into
from workbench.storage.study_file import APPLICATION_ID, busy_timeout_ms

KEEP_AUTOMATIC = 10
MANUAL = "manual"
DAMAGED = "damaged"  # suffix of a raw copy of a study that SQLite could not read
STALE_SECONDS = 3600  # temporary files older than this were left by a killed program
_NAME = re.compile(r"^(\d{8}T\d{6}\.\d{6}Z)-([a-z0-9-]+)\.db$")
_STAMP = "%Y%m%dT%H%M%S.%fZ"


@dataclass(frozen=True)
class Snapshot:
    """One snapshot file in a study's backups folder."""

    path: Path
    taken: dt.datetime  # UTC
    reason: str

    @property
    def automatic(self) -> bool:
        return self.reason != MANUAL

    @property
    def size(self) -> int:
        return self.path.stat().st_size

    def to_json(self) -> dict:
        return {
            "file": self.path.name,
            "path": str(self.path),
            "taken": self.taken.isoformat(timespec="seconds"),
            "reason": self.reason,
            "automatic": self.automatic,
            "bytes": self.size,
        }


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did: the snapshot put back, and where the replaced study was saved."""

    restored: Snapshot
    saved_current: Path | None  # None when there was no study file to save


def backups_folder(study_path: Path) -> Path:
    """The folder beside the study that holds its snapshots: beside the real file when
    ``study_path`` is a symlink."""
    real = Path(study_path).resolve()
    return real.with_name(real.name + ".backups")


def list_snapshots(study_path: Path) -> list[Snapshot]:
    """The study's snapshots, newest first (for a symlinked study, also any kept beside the link
    by an older workbench)."""
    folders = dict.fromkeys(
        [backups_folder(study_path), Path(study_path).with_name(Path(study_path).name + ".backups")]
    )
    found = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            match = _NAME.match(path.name)
            if match and path.is_file():
                taken = dt.datetime.strptime(match[1], _STAMP).replace(tzinfo=dt.UTC)
                found.append(Snapshot(path, taken, match[2]))
    return sorted(found, key=lambda s: s.path.name, reverse=True)


def snapshot(study_path: Path, db, reason: str) -> Path | None:
    """Take an automatic snapshot before a risky change and prune old ones; return its path.

    Returns None when the study is open read-only (the change will be refused anyway) or is not a
    file. Raises ``WorkbenchError`` when the snapshot cannot be written, so the risky change does
    not go ahead without it.
    """
    if getattr(db, "read_only", False) or not Path(study_path).is_file():
        return None
    path = _write_snapshot(Path(study_path).resolve(), db, reason)
    prune(study_path)
    return path


def backup(study_path: Path, db=None) -> Snapshot:
    """Take a manual snapshot (kept until deleted by hand)."""
    path = _write_snapshot(Path(study_path).resolve(), db, MANUAL)
    return next(s for s in list_snapshots(study_path) if s.path == path)


def prune(study_path: Path, keep: int = KEEP_AUTOMATIC) -> list[Path]:
    """Delete all but the newest ``keep`` automatic snapshots; return what was deleted."""
    automatic = [s for s in list_snapshots(study_path) if s.automatic]
    deleted = []
    for old in automatic[keep:]:
        for path in (old.path, Path(f"{old.path}-wal")):
            path.unlink(missing_ok=True)
        deleted.append(old.path)
    return deleted


def find_snapshot(study_path: Path, which: str | None = None) -> Snapshot:
    """A snapshot by its number in ``list_snapshots`` (1 = newest), file name or path; by default
    the newest one that is not a raw copy of a damaged file."""
    snapshots = list_snapshots(study_path)
    folder = backups_folder(study_path)
    if not snapshots:
        raise WorkbenchError(f"{study_path}: no snapshots in {folder}")
    if which is None:
        usable = [s for s in snapshots if not s.reason.endswith(DAMAGED)]
        if not usable:
            raise WorkbenchError(f"{study_path}: only copies of a damaged file in {folder}")
        return usable[0]
    if which.isdigit():
        number = int(which)
        if not 1 <= number <= len(snapshots):
            raise WorkbenchError(
                f"no snapshot number {number}; `workbench backups {study_path}` lists 1..{len(snapshots)}"
            )
        return snapshots[number - 1]
    name = Path(which).name
    for candidate in snapshots:
        if candidate.path.name == name or candidate.path.stem == name:
            return candidate
    raise WorkbenchError(f"no snapshot {which!r} in {folder}; `workbench backups {study_path}` lists them")


def restore(study_path: Path, chosen: Snapshot, actor: str) -> RestoreReport:
    """Put a snapshot back in place of the study, atomically.

    The snapshot is checked first. The current file is saved as a snapshot (a raw copy if SQLite
    cannot read it), then the snapshot is copied to a temporary file beside the study, the restore
    is recorded in its audit trail, and ``os.replace`` swaps it in: a crash leaves either the old
    study or the restored one, never a mix. Refused while another program has the study open.
    """
    shown = Path(study_path)
    study_path = shown.resolve()  # through a symlink: replace the real study, not the link
    _check_snapshot(chosen)
    _remove_stale(study_path.parent, f".{study_path.name}.restore-")
    temporary = study_path.with_name(f".{study_path.name}.restore-{uuid.uuid4().hex[:8]}")
    lock, held, saved = None, None, None
    try:
        _prepare_copy(chosen, temporary, actor)
        if study_path.exists():
            lock = _lock_exclusively(study_path, shown)
            # Read through a descriptor kept open until the swap is done: closing any descriptor
            # of the file would drop the lock SQLite holds on it (POSIX locks are per process).
            held = os.open(study_path, os.O_RDONLY)
            saved = _save_current(study_path, held, damaged=lock is None or not _readable(lock))
        # A -wal left beside the study would be replayed into the restored file: remove it first.
        for sidecar in ("-wal", "-shm", "-journal"):
            Path(f"{study_path}{sidecar}").unlink(missing_ok=True)
        os.replace(temporary, study_path)
        sync_folder(study_path.parent)
    finally:
        if lock is not None:
            lock.close()
        if held is not None:
            os.close(held)
        for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            leftover.unlink(missing_ok=True)
    prune(study_path)
    return RestoreReport(chosen, saved)


# -- writing snapshots ---------------------------------------------------------------------------


def _write_snapshot(study_path: Path, db, reason: str) -> Path:
    folder = backups_folder(study_path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise WorkbenchError(f"{folder}: cannot create the backups folder ({exc.strerror or exc})") from None
    _remove_stale(folder, ".tmp-")
    final = _new_name(folder, reason)
    conn = db.conn if db is not None else None
    own = conn is None or conn.in_transaction
    if own:
        # A separate reader sees the last committed state, never a transaction in progress.
        conn = sqlite3.connect(study_path.absolute().as_uri() + "?mode=ro", uri=True, timeout=busy_timeout_ms() / 1000)
    try:
        vacuum_into(conn, final)
    except (sqlite3.Error, OSError) as exc:
        raise WorkbenchError(f"{folder}: cannot write a snapshot of {study_path.name} ({exc})") from None
    finally:
        if own:
            conn.close()
    return final


def _new_name(folder: Path, reason: str) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")[:48].strip("-") or "snapshot"
    while True:
        stamp = dt.datetime.now(dt.UTC).strftime(_STAMP)
        path = folder / f"{stamp}-{slug}.db"
        if not path.exists():
            return path
        time.sleep(0.000_01)


def _remove_stale(folder: Path, prefix: str) -> None:
    """Remove temporary files a killed program left behind (not those another one is writing)."""
    if not folder.is_dir():
        return
    cutoff = time.time() - STALE_SECONDS
    for path in folder.glob(prefix + "*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


# -- restoring -----------------------------------------------------------------------------------


def _check_snapshot(chosen: Snapshot) -> None:
    """Refuse a snapshot that is not a readable, undamaged study this version can open."""
    uri = chosen.path.absolute().as_uri() + "?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            problem = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise WorkbenchError(f"{chosen.path.name}: not a readable snapshot ({exc}); choose another") from None
    if app_id != APPLICATION_ID or not 1 <= version <= schema.SCHEMA_VERSION:
        raise WorkbenchError(f"{chosen.path.name}: not a snapshot of a study this workbench can open; choose another")
    if problem != "ok":
        raise WorkbenchError(f"{chosen.path.name}: the snapshot is damaged ({problem}); choose another")


def _prepare_copy(chosen: Snapshot, temporary: Path, actor: str) -> None:
    """Copy the snapshot to ``temporary`` and record the restore in the copy's audit trail."""
    shutil.copyfile(chosen.path, temporary)
    conn = sqlite3.connect(str(temporary), isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        payload = {"snapshot": chosen.path.name, "taken": chosen.taken.isoformat(timespec="seconds")}
        conn.execute(
            "INSERT INTO events (at, actor, action, payload, undone) VALUES (?, ?, 'restore', ?, 0)",
            [dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), actor, json.dumps(payload)],
        )
    finally:
        conn.close()  # the last connection: checkpoints and removes the -wal
    sync_file(temporary)


def _lock_exclusively(study_path: Path, shown: Path) -> sqlite3.Connection | None:
    """Hold the study so nobody reads or writes it during the swap; None if SQLite cannot read it.

    Leaving WAL mode needs the only connection to the file, so it also tells whether another
    program has the study open.
    """
    conn = sqlite3.connect(str(study_path), isolation_level=None, timeout=busy_timeout_ms() / 1000)
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        if mode != "delete":
            raise sqlite3.OperationalError("database is locked")
        conn.execute("BEGIN EXCLUSIVE")
    except sqlite3.OperationalError as exc:
        conn.close()
        if "locked" in str(exc) or "busy" in str(exc):
            raise WorkbenchError(
                f"{shown}: open in another program (a workbench window or command); close it and try again (nothing was changed)"
            ) from None
        return None
    except sqlite3.DatabaseError:
        conn.close()
        return None
    return conn


def _readable(conn: sqlite3.Connection) -> bool:
    try:
        return conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"
    except sqlite3.DatabaseError:
        return False


def _save_current(study_path: Path, handle: int, damaged: bool) -> Path:
    """Save the study about to be replaced, read from ``handle``, as a snapshot.

    Under the exclusive lock, out of WAL mode, the file alone is a complete, consistent study.
    One that SQLite cannot read is kept as raw bytes (with any -wal) for whoever wants to look.
    """
    folder = backups_folder(study_path)
    folder.mkdir(exist_ok=True)
    final = _new_name(folder, f"before-restore-{DAMAGED}" if damaged else "before-restore")
    temporary = folder / f".tmp-{uuid.uuid4().hex[:8]}.db"
    with temporary.open("wb") as out:
        offset = 0
        while chunk := os.pread(handle, 1 << 20, offset):
            out.write(chunk)
            offset += len(chunk)
        out.flush()
        os.fsync(out.fileno())
    wal = Path(f"{study_path}-wal")
    if damaged and wal.exists():
        shutil.copyfile(wal, Path(f"{final}-wal"))
    os.replace(temporary, final)
    sync_folder(folder)
    return final
