"""The researcher's own files: reading one they gave, writing one they asked for.

Every reader of a user file (transcripts, cases, codebooks, pseudonym maps, CSV, REFI-QDA
codebooks, a chapter to verify) calls :func:`read_user_file`, so a missing file, a folder, a
file too large or unreadable is refused before it is loaded, with the same one-line wording and
the file's name. Every export calls :func:`write_atomically`, so a failed or interrupted write
never leaves half a file where the researcher expects a whole one, a symlink's target is
written rather than the link replaced, and a device or a pipe is never replaced by a file.
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from workbench.errors import InputError

_MB = 1024 * 1024


def read_user_file(path: Path | str, what: str, limit: int) -> bytes:
    """The bytes of the file at ``path``, a ``what`` file (e.g. "transcript", "cases") the
    researcher named; refused with an ``InputError`` naming it when it is missing, a folder,
    larger than ``limit`` bytes (checked before reading) or unreadable."""
    path = Path(path)
    try:
        if path.is_dir():
            raise InputError(f"is a folder, not a {what} file", str(path))
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"is larger than the {_megabytes(limit)} MB limit for a {what} file", str(path))
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", str(path)) from None
    except (OSError, ValueError) as exc:  # no permission, a NUL in the name ...
        raise InputError(f"cannot read file: {getattr(exc, 'strerror', None) or exc}", str(path)) from None


def check_size(path: Path | str, what: str, limit: int) -> None:
    """Refuse a ``what`` file larger than ``limit`` bytes (for readers that open the file themselves)."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found", str(path)) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read file: {getattr(exc, 'strerror', None) or exc}", str(path)) from None
    if size > limit:
        raise InputError(f"is larger than the {_megabytes(limit)} MB limit for a {what} file", str(path))


def _megabytes(limit: int) -> str:
    return f"{limit / _MB:g}" if limit % _MB else str(limit // _MB)


def write_atomically(path: Path | str, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write ``data`` (bytes, or a function that writes to a binary file) to ``path``, where the
    researcher means it to go.

    - A symlink is followed (through any chain) and its target is written; the link stays.
    - The data goes to a temporary file in the target's folder, synced to disk, which then
      replaces the target in one step (and the folder is synced): a failed or interrupted write
      leaves the old file (or none), never a partial one.
    - The file keeps the mode (and, where allowed, the owner) the target had; a new file gets
      the mode the umask gives (``0666 & ~umask``), as any program's new file.
    - A target that is not a regular file (a device such as /dev/null, a FIFO, a socket, a
      folder) or a folder that does not exist is refused with an ``InputError`` naming ``path``;
      nothing is written. (Standard output is ``-``, handled by the commands.)
    """
    import tempfile  # only a write needs it: an import or a report reads

    path = Path(path)
    target, existing = _write_target(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            if callable(data):
                data(out)
            else:
                out.write(data)
            out.flush()
            _take_over(out.fileno(), existing)
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _write_target(path: Path) -> tuple[Path, os.stat_result | None]:
    """The file a write to ``path`` must replace (symlinks followed), and its status if it exists."""
    try:
        target = Path(os.path.realpath(path, strict=False))
    except OSError as exc:  # a symlink loop (Python 3.13 raises it here; older versions later)
        raise InputError(f"cannot follow the link: {exc.strerror or exc}", str(path)) from None
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    except OSError as exc:  # a loop of symlinks, no permission on a folder on the way
        raise InputError(f"cannot write the file: {exc.strerror or exc}", str(path)) from None
    if existing is not None and stat.S_ISDIR(existing.st_mode):
        raise InputError("is a folder, not a file; nothing was written", str(path))
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise InputError("not a regular file (a device, a pipe or a socket); nothing was written", str(path))
    if not target.parent.is_dir():
        raise InputError("the folder does not exist", str(path))
    return target, existing


def _take_over(descriptor: int, existing: os.stat_result | None) -> None:
    """Give the new file the old one's mode and owner, or the umask's mode for a new file."""
    if existing is None:
        os.fchmod(descriptor, 0o666 & ~_umask())  # mkstemp makes 0600; a new export is like any new file
        return
    os.fchmod(descriptor, stat.S_IMODE(existing.st_mode))
    if (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
        try:
            os.fchown(descriptor, existing.st_uid, existing.st_gid)
        except PermissionError:  # only the owner's own rights allow it; the mode is kept all the same
            pass


def _umask() -> int:
    """The process's umask (read by setting it, and putting it straight back)."""
    with _UMASK_LOCK:
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


_UMASK_LOCK = threading.Lock()


def _sync_folder(folder: Path) -> None:
    """Make the replacement itself durable: sync the folder's entry list to disk."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # a folder that cannot be opened for reading (rare); the file itself is synced
        return
    try:
        os.fsync(descriptor)
    except OSError:  # some file systems cannot sync a folder
        pass
    finally:
        os.close(descriptor)
