"""Writing SQLite files so they survive a power cut: a study's copy is written under a temporary
name, flushed, renamed into place, and the rename itself flushed.

Snapshots, restores and saved copies all swap whole files this way, not through
``interop/files.write_atomically`` (a sibling layer storage may not import): SQLite writes the
temporary file itself (``VACUUM INTO``), and a restore must hold the study's lock across the swap.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from pathlib import Path


def sync_file(path: Path) -> None:
    """Flush the file at ``path`` to disk."""
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def vacuum_into(conn: sqlite3.Connection, final: Path) -> None:
    """Write what ``conn`` sees (its last committed state) as a compact study file at ``final``:
    through a temporary file beside it, so ``final`` is never a partial copy. Raises
    ``sqlite3.Error`` / ``OSError``, with the temporary file removed."""
    # ".tmp-" first: the backups folder clears such leftovers of a killed program by that prefix.
    temporary = final.with_name(f".tmp-{uuid.uuid4().hex[:8]}-{final.name}")
    try:
        conn.execute("VACUUM INTO ?", [str(temporary)])
        sync_file(temporary)
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    sync_folder(final.parent)
