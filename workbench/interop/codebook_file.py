"""Reading a codebook file (YAML): the file's bytes through the one reader of a researcher's
files, the text through the domain's codebook parser."""

from __future__ import annotations

from os import PathLike

from workbench.domain.codebook import parse_codebook
from workbench.domain.models import Codebook
from workbench.interop.decode import decode_utf8
from workbench.interop.files import read_user_file

#: Thousands of themes fit in far less; this stops accidents (a transcript given as a codebook) early.
MAX_CODEBOOK_BYTES = 5 * 1024 * 1024


def load_codebook(path: str | PathLike[str]) -> Codebook:
    """Read and parse the codebook file at ``path`` (UTF-8, with or without a byte-order mark);
    every error is an ``InputError`` naming the file and, where there is one, the line."""
    data = read_user_file(path, "codebook", MAX_CODEBOOK_BYTES)
    return parse_codebook(decode_utf8(data, str(path), "codebook file"), source=str(path))
