"""The -wal and -shm files SQLite keeps beside a study, when they cannot be written.

In WAL mode SQLite keeps two side files beside the study: ``STUDY-wal`` (changes committed but
not yet copied into the study file) and ``STUDY-shm`` (an index of the -wal, rebuilt from it by
the first program that opens the study). It makes them with the study's permissions, and a
program that may only read the study cannot remove them. So a look at a study while it was
read-only (``chmod 444``, another user's copy) leaves read-only side files behind, and once the
study is writable again SQLite refuses every connection that would write: "attempt to write a
readonly database", for reads too, since every command opens the study for writing.

Opening a study repairs this when it safely can (``repair``):

- a side file the researcher owns gets the study's permissions back (``chmod``; nothing else
  changes, so this is safe even while other programs use the study);
- when no program has the study open (a lock on the study file tells, and is held during the
  repair): a ``-shm`` is removed (SQLite rebuilds it), an empty ``-wal`` is removed, and a
  ``-wal`` holding work is replaced by an identical copy the researcher owns. A ``-wal`` holding
  work is never deleted.

Otherwise ``repair`` says in one phrase which side file is in the way and what to do, and the
study opens read-only with that reason.
"""

from __future__ import annotations

import os
import stat
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # not a POSIX system: whether others have the study open cannot be told
    fcntl = None

SUFFIXES = ("-wal", "-shm")

# SQLite's lock bytes on the study file (os_unix.c): every connection to a WAL study holds a read
# lock on the SHARED range for as long as it is open.
_PENDING_BYTE = 0x40000000
_SHARED_FIRST = _PENDING_BYTE + 2
_SHARED_SIZE = 510


def repair(study: Path) -> str | None:
    """Make the side files of ``study`` (its real path, not a symlink) writable again where that
    is safe; return None when they are writable (or there are none), else why the study can only
    be read, naming the side file and what to do."""
    # Another program closing the study removes its side files at any moment: one that is gone
    # by the time it is looked at is not in the way.
    stuck = [path for path in _side_files(study) if not os.access(path, os.W_OK) and path.exists()]
    stuck = [path for path in stuck if not _give_back_permissions(path, study)]
    if not stuck:
        return None
    with _nobody_else_has_it_open(study) as alone:
        for path in stuck:
            if not path.exists():
                continue
            if not alone:
                return _in_use(path)
            problem = _rebuild(path)
            if problem:
                return problem
    return None


def _side_files(study: Path) -> list[Path]:
    return [path for path in (Path(f"{study}{suffix}") for suffix in SUFFIXES) if path.exists()]


def _give_back_permissions(path: Path, study: Path) -> bool:
    """A side file the researcher owns gets the study's permissions; True if it is now writable."""
    try:
        if path.stat().st_uid != os.geteuid():
            return False
        os.chmod(path, stat.S_IMODE(study.stat().st_mode) | stat.S_IRUSR | stat.S_IWUSR)
    except FileNotFoundError:  # removed meanwhile by the program that closed the study last
        return True
    except OSError:  # e.g. immutable (chattr +i)
        return False
    return os.access(path, os.W_OK) or not path.exists()


@contextmanager
def _nobody_else_has_it_open(study: Path) -> Iterator[bool]:
    """Yield True while a write lock on SQLite's SHARED range of the study file is held, which
    no connection (of this program or another) can have alongside; False if one has the study
    open or it cannot be told.

    An open-file-description lock (Linux) is used: unlike a classic POSIX lock, it conflicts with
    the locks SQLite holds in this very process, and closing it leaves theirs alone.
    """
    if fcntl is None or not hasattr(fcntl, "F_OFD_SETLK"):
        yield False
        return
    try:
        handle = os.open(study, os.O_RDWR)
    except OSError:
        yield False
        return
    try:
        request = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, _SHARED_FIRST, _SHARED_SIZE, 0)
        try:
            fcntl.fcntl(handle, fcntl.F_OFD_SETLK, request)
        except OSError:
            yield False
            return
        yield True
    finally:
        os.close(handle)  # drops the lock


def _rebuild(path: Path) -> str | None:
    """With nobody using the study: remove an index or an empty -wal, or replace a -wal holding
    work by an identical copy of the researcher's own. Returns a problem, or None when done."""
    try:
        holds_work = path.name.endswith("-wal") and path.stat().st_size > 0
    except FileNotFoundError:  # removed meanwhile: nothing left to repair
        return None
    try:
        if not holds_work:
            path.unlink(missing_ok=True)
            return None
        import shutil  # only for this rare repair
        import uuid

        copy = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}")
        try:
            shutil.copyfile(path, copy)
            with copy.open("rb+") as handle:
                os.fsync(handle.fileno())
            os.replace(copy, path)
        finally:
            copy.unlink(missing_ok=True)
    except OSError as exc:
        return _cannot_fix(path, holds_work, exc)
    return None


def _owner(path: Path) -> str:
    try:
        uid = path.stat().st_uid
    except OSError:
        return "unknown"
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


def _in_use(path: Path) -> str:
    return (
        f"its side file {path.name} cannot be written (it belongs to {_owner(path)}) and another program has "
        "the study open; close that program, then open the study again"
    )


def _cannot_fix(path: Path, holds_work: bool, exc: OSError) -> str:
    detail = exc.strerror or str(exc)
    if holds_work:
        return (
            f"its side file {path.name} holds work not yet in the study file and cannot be written ({detail}); "
            f"make it writable for you (it belongs to {_owner(path)}) and never delete it"
        )
    return (
        f"its side file {path.name} cannot be written or removed ({detail}); make it writable for you "
        f"(it belongs to {_owner(path)}) or remove it while no program has the study open"
    )
