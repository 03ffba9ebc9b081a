"""Files shipped with workbench: the example codebooks and the sample study.

In an installed wheel they live in ``workbench/_data/``; in a source checkout (and an editable
install) they are the top-level ``codebooks/`` and ``sample_data/`` folders.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"the bundled folder {name!r} is missing from this installation")


def codebooks_dir() -> Path:
    """The folder of example codebooks (YAML)."""
    return _shipped("codebooks")


def sample_data_dir() -> Path:
    """The folder of the sample study (transcripts, cases, demo codings)."""
    return _shipped("sample_data")
