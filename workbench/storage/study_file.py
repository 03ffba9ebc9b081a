"""What every connection to a study file shares: the mark that makes an SQLite file a study, and
how long to wait for another program's write lock.

Opening a study (``database.py``) and taking or restoring its snapshots (``backup.py``) both need
these (and the early integrity check, ``integrity.py``, which file a path names); they live here
so that none of those modules has to import another for them.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from workbench.storage.connection import Database

APPLICATION_ID = 0x57424E43  # "WBNC": marks the file as a workbench study
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
BUSY_TIMEOUT_ENV = "WORKBENCH_BUSY_TIMEOUT"  # seconds; for slow network folders, or tests


def inode_of(path) -> tuple[int, int] | None:
    """The device and inode of the file at ``path`` (through a symlink): which file it is, whatever
    its name; None if there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def busy_timeout_ms() -> int:
    """How long to wait for another program's write to finish ($WORKBENCH_BUSY_TIMEOUT seconds)."""
    value = os.environ.get(BUSY_TIMEOUT_ENV)
    if value:
        try:
            return max(0, int(float(value) * 1000))
        except ValueError:
            raise WorkbenchError(f"${BUSY_TIMEOUT_ENV}={value!r}: expected a number of seconds") from None
    return BUSY_TIMEOUT_MS


def set_busy_timeout(db: Database, milliseconds: int) -> None:
    """Let ``db`` wait at most ``milliseconds`` for another program's write lock from now on."""
    db.execute(f"PRAGMA busy_timeout = {max(0, int(milliseconds))}")
