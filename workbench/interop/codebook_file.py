"""Reading a codebook file (YAML): the file's bytes through the one reader of a researcher's
files, the text through the domain's codebook parser."""

from __future__ import annotations

from os import PathLike

from workbench.domain.codebook import parse_codebook
from workbench.domain.colours import repeated_colours
from workbench.domain.models import Codebook
from workbench.domain.theme_tree import iter_themes
from workbench.interop.decode import decode_utf8
from workbench.interop.files import read_user_file

#: Thousands of themes fit in far less; this stops accidents (a transcript given as a codebook) early.
MAX_CODEBOOK_BYTES = 5 * 1024 * 1024


def load_codebook(path: str | PathLike[str]) -> Codebook:
    """Read and parse the codebook file at ``path`` (UTF-8, with or without a byte-order mark);
    every error is an ``InputError`` naming the file and, where there is one, the line."""
    data = read_user_file(path, "codebook", MAX_CODEBOOK_BYTES)
    return parse_codebook(decode_utf8(data, str(path), "codebook file"), source=str(path))


def colour_warnings(codebook: Codebook) -> list[str]:
    """One line per pair of themes in ``codebook`` whose colours look the same, naming the file
    and line: on the board and in the transcript the two could not be told apart by colour."""
    where = codebook.source or "codebook"
    lines = {path: f"{where}:{spec.line}" if spec.line else where for path, spec in iter_themes(codebook.themes)}
    return [
        f"{lines[second]}: {second!r} has the same colour as {first!r} ({colour}); "
        "give one of them another colour, or leave it out to get a distinct one"
        for first, second, colour in repeated_colours((path, spec.color) for path, spec in iter_themes(codebook.themes))
    ]
