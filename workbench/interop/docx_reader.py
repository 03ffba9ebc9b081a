"""Read the paragraphs of a Word (.docx) transcript."""

from __future__ import annotations

from pathlib import Path

import docx
from docx.table import Table

from workbench.errors import InputError


def read_docx_paragraphs(path: Path | str) -> list[str]:
    """The document's non-empty paragraphs in reading order, table cells included.

    Raises ``InputError`` naming the file when it is missing, damaged or not a .docx.
    """
    try:
        document = docx.Document(str(path))
        return list(_paragraphs(document))
    # python-docx reports damaged files through many exception types (zip, XML, KeyError ...).
    except Exception as exc:  # noqa: BLE001 - every failure here means "cannot read this file"
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise InputError(f"cannot read as a Word (.docx) document: {reason}", str(path)) from None


def _paragraphs(container) -> list[str]:
    """Walk paragraphs and tables in order; merged table cells are read once."""
    found: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Table):
            seen = set()  # holds the cell elements themselves, so identity stays valid
            for row in block.rows:
                for cell in row.cells:
                    if cell._tc in seen:
                        continue
                    seen.add(cell._tc)
                    found.extend(_paragraphs(cell))
        elif block.text.strip():
            found.append(block.text)
    return found
