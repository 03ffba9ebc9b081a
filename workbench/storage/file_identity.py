"""Whether a study's path still names the file a connection opened, and saving what it has elsewhere.

A sync tool, a copy put back by hand or a slip of ``rm`` can take the study file away from a
program that has it open, and SQLite does not notice: the connection goes on reading and writing
the file it opened (deleted or not), and the ``-wal`` and ``-shm`` files beside the path. Those are
found by name, so a file put in the study's place inherits the frames this connection wrote into
the ``-wal``, and the next program to open it replays them into the wrong file.

- :func:`identify` notes which files the path and its side files are (device and inode) when
  the study is opened;
- :func:`what_happened` compares the path with that: the file was deleted, or another file was
  put in its place (a sync tool's or an editor's rename, ``mv``, ``cp --remove-destination``);
- :func:`release_side_files` removes the ``-wal`` and ``-shm`` that belong to the opened file, so a
  file at the path starts clean (as ``workbench restore`` does); the connection keeps its own
  handles on them and reads on;
- :func:`write_copy` writes a consistent copy of what the connection sees (``VACUUM INTO``) to a
  new file, so the work can be saved as a new study.

Nothing here opens the study file itself: closing any handle on it would drop every lock this
process's SQLite connections hold on it (POSIX locks belong to the process), and another program
closing the study would then delete the ``-wal`` they still write to. So a copy written over the
open file in place (a plain ``cp`` onto it) is not noticed; see docs/safety.md.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.storage.connection import Database

DELETED = "the study file was deleted"
REPLACED = "the study file was replaced by another file"


class FileIdentity(NamedTuple):
    """Which files a study path and its side files were: (device, inode) each, None if absent."""

    study: tuple[int, int] | None
    wal: tuple[int, int] | None
    shm: tuple[int, int] | None


def _side(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def identify(path: Path) -> FileIdentity:
    """The files ``path`` and its ``-wal`` and ``-shm`` name now (call it right after opening)."""
    return FileIdentity(_identity(path), _identity(_side(path, "-wal")), _identity(_side(path, "-shm")))


def what_happened(path: Path, opened: FileIdentity) -> str | None:
    """None while ``path`` still names the file that was opened; otherwise what became of it
    (:data:`DELETED` or :data:`REPLACED`)."""
    if opened.study is None:
        return None  # nothing to compare with
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return DELETED
    except OSError:
        return None  # cannot look (a folder's permissions): say nothing rather than guess
    if (found.st_dev, found.st_ino) != opened.study:
        return REPLACED
    return None


def release_side_files(path: Path, opened: FileIdentity) -> list[Path]:
    """Remove the ``-wal`` and ``-shm`` beside ``path`` if they are still those of the opened file;
    return what was removed. Open connections keep reading them through their own handles."""
    removed = []
    for suffix, identity in (("-wal", opened.wal), ("-shm", opened.shm)):
        side = _side(path, suffix)
        if identity is not None and _identity(side) == identity:
            try:
                side.unlink()
            except FileNotFoundError:
                continue
            removed.append(side)
    return removed


def writable(path: Path) -> bool:
    """Whether the study file and its ``-wal`` can be written now (False for a file made read-only
    or immutable while it is open)."""
    wal = _side(path, "-wal")
    return os.access(path, os.W_OK) and (not wal.exists() or os.access(wal, os.W_OK))


def write_copy(db: Database, target: Path) -> Path:
    """Write what ``db`` sees (its last committed state) to a new study file at ``target``.

    Written under a temporary name, flushed and then renamed, so ``target`` is never a partial
    copy; an existing ``target`` is refused.
    """
    target = Path(target)
    if target.exists():
        raise WorkbenchError(f"{target}: already exists; choose another name (nothing was written)")
    if not target.parent.is_dir():
        raise WorkbenchError(f"{target.parent}: no such folder (nothing was written)")
    try:
        from workbench.storage.durable import vacuum_into  # imported when a copy is made

        vacuum_into(db.conn, target)
    except (sqlite3.Error, OSError) as exc:
        detail = " ".join(str(exc).split())
        raise WorkbenchError(f"{target}: cannot write the copy ({detail}); nothing was written") from None
    return target
