"""Read the paragraphs of a Word (.docx) transcript.

python-docx (and the lxml it loads) is imported only when a .docx is actually read: it costs
some 35 ms at start-up, and most studies never see a Word file.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from workbench.errors import InputError
from workbench.interop.decode import MAX_TRANSCRIPT_BYTES


def read_docx_paragraphs(path: Path | str) -> list[str]:
    """The document's non-empty paragraphs in reading order, table cells included.

    Raises ``InputError`` naming the file when it is missing, damaged or not a .docx.
    """
    _check_package(Path(path))
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
        return list(_paragraphs(document))
    except (PackageNotFoundError, zipfile.BadZipFile):
        # python-docx says "package not found" for any file that is not a ZIP package.
        raise InputError("not a Word (.docx) document", str(path)) from None
    # python-docx reports damaged files through many exception types (zip, XML, KeyError ...).
    except Exception as exc:  # noqa: BLE001 - every failure here means "cannot read this file"
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise InputError(f"damaged Word (.docx) document: {reason}", str(path)) from None


def _check_package(path: Path) -> None:
    """Refuse missing files and ZIP files that are not Office documents, with a plain reason."""
    if not path.is_file():
        raise InputError("file not found", str(path))
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            # The compressed size says little: refuse what would expand past the transcript limit.
            expanded = sum(info.file_size for info in archive.infolist())
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", str(path)) from None
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise InputError("not a Word (.docx) document", str(path)) from None
    if "[Content_Types].xml" not in names:
        raise InputError("not a Word (.docx) document (a ZIP file of something else)", str(path))
    if expanded > MAX_TRANSCRIPT_BYTES:
        limit = MAX_TRANSCRIPT_BYTES // (1024 * 1024)
        raise InputError(f"the document expands to more than {limit} MB; refused", str(path))


def _paragraphs(container) -> list[str]:
    """Walk paragraphs and tables in order; merged table cells are read once."""
    from docx.table import Table

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
