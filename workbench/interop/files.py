"""The researcher's own files: reading one they gave, writing one they asked for.

Every reader of a user file (transcripts, cases, codebooks, pseudonym maps, CSV, REFI-QDA
codebooks, a chapter to verify) calls :func:`read_user_file`, so a missing file, a folder, a
file too large or unreadable is refused before it is loaded, with the same one-line wording and
the file's name. Every export calls :func:`write_atomically`, so a failed or interrupted write
never leaves half a file where the researcher expects a whole one.
"""

from __future__ import annotations

import os
import tempfile
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
    """Write ``data`` (bytes, or a function that writes to a binary file) to ``path``.

    The data goes to a temporary file in the same folder, flushed to disk, which then replaces
    ``path`` in one step: a failed or interrupted write leaves the old file (or none), never a
    partial one. Refuses a folder that does not exist with an ``InputError`` naming the file.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("the folder does not exist", str(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            if callable(data):
                data(out)
            else:
                out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
