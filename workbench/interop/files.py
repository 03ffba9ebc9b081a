"""The researcher's own files: writing one they asked for.

Every export calls :func:`write_atomically`, so a failed or interrupted write never leaves half
a file where the researcher expects a whole one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from workbench.errors import InputError


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
