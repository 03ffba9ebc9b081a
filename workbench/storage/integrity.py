"""The integrity check of a study file (``PRAGMA quick_check``), started early on a thread.

Opening a study checks the whole file (``database.py``), which takes about a tenth of a second
for a large study: as long as importing what a command or the terminal workbench needs. SQLite
does the check without holding Python's interpreter lock, so a front end may start it on a thread
of its own before those imports (:func:`start_check`) and the opening then takes its result
(:func:`early_result`) instead of checking again.

Only an ``ok`` is taken from the early check. Anything else (a problem found, or the check could
not run, e.g. the file is not an SQLite file or another program locked it) leaves the opening to
check as it always does, so every message about a damaged or locked file comes from one place.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from workbench.storage.study_file import inode_of

#: Checks started and not yet taken, by the file's (device, inode).
_started: dict[tuple[int, int], tuple[threading.Thread, list[str | None]]] = {}
_lock = threading.Lock()


def start_check(path: Path) -> None:
    """Start checking the study file at ``path`` on a thread of its own (nothing if there is no
    such file or a check of it is already running)."""
    file_id = inode_of(path)
    if file_id is None:
        return
    with _lock:
        if file_id in _started:
            return
        result: list[str | None] = [None]
        thread = threading.Thread(target=_check, args=(Path(path), result), name="study-check", daemon=True)
        _started[file_id] = (thread, result)
    thread.start()


def _check(path: Path, result: list[str | None]) -> None:
    try:
        # Read-only: this connection never writes, never checkpoints, never removes the -wal.
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        try:
            result[0] = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        finally:
            conn.close()
    except (sqlite3.Error, OSError, ValueError):
        result[0] = None  # the opening checks the file itself, and says what is wrong


def early_result(path: Path) -> str | None:
    """``"ok"`` if a check started for this same file found nothing wrong; otherwise None (no
    check was started, it could not run, or it found a problem: the caller checks itself).

    Waits for a check still running, so that its connection is closed before the caller reads
    the file (closing a file Python opened would drop the locks this process holds on it)."""
    file_id = inode_of(path)
    with _lock:
        started = _started.pop(file_id, None) if file_id is not None else None
    if started is None:
        return None
    thread, result = started
    thread.join()
    return "ok" if result[0] == "ok" and inode_of(path) == file_id else None
