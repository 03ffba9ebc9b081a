"""CSV files from Taguette and spreadsheets: codebooks (``tag,description,...``) and highlights
(``id,document,tag,content``).

Both are read with line-accurate errors. Column names are matched without regard to case; a few
other tools' words are accepted (``code``/``theme`` for ``tag``, ``colour``). Columns that are not
used are named in a warning, never silently ignored.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import InputError
from workbench.interop import decode
from workbench.interop.files import read_user_file

_TAG = ("tag", "code", "theme", "name", "tag path")
_DESCRIPTION = ("description", "definition", "memo")
_COLOUR = ("color", "colour")


@dataclass(frozen=True)
class CodebookRow:
    """One tag of a codebook CSV: its name (``/`` separates sub-themes), description, colour."""

    name: str
    description: str | None
    color: str | None
    line: int


@dataclass(frozen=True)
class HighlightRow:
    """One coded passage of a highlights CSV."""

    id: str | None
    document: str
    tag: str
    content: str
    line: int
    start: int | None = None  # optional columns that say where the passage starts


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], list[str]]:
    """The header, the records (each with the line it starts on) and decoding warnings of a CSV file."""
    data = read_user_file(path, "CSV", decode.MAX_TRANSCRIPT_BYTES)
    text, warnings = decode.decode_bytes(data, str(path))
    first = text.split("\n", 1)[0]
    # Spreadsheets in many countries save with ';' (or tabs) when ',' is the decimal mark.
    delimiter = "," if "," in first else ";" if ";" in first else "\t" if "\t" in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    line = 1
    try:
        for row in reader:
            if header is None:
                header = [cell.strip().lower() for cell in row]
            elif any(cell.strip() for cell in row):
                records.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"CSV cannot be read: {exc}", where=f"{path}:{reader.line_num}") from None
    if not header:
        raise InputError("the file is empty; it needs a header line", where=f"{path}:1")
    return header, records, warnings


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    return next((header.index(n) for n in names if n in header), None)


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _unused(header: list[str], used: list[int | None], path: Path) -> list[str]:
    names = [h for i, h in enumerate(header) if i not in used and h]
    return [f"{path}: column(s) not used: {', '.join(names)}"] if names else []


def read_codebook_csv(path: Path | str) -> tuple[list[CodebookRow], list[str]]:
    """Read a codebook CSV: a ``tag`` column, optional ``description`` and ``color``.

    Returns ``(rows, warnings)``. A missing tag column, an empty tag and a tag given twice are
    errors naming the line.
    """
    path = Path(path)
    header, records, warnings = _read_rows(path)
    tag = _column(header, _TAG)
    if tag is None:
        raise InputError(f"no 'tag' column (the columns are: {', '.join(header)})", where=f"{path}:1")
    description, colour = _column(header, _DESCRIPTION), _column(header, _COLOUR)
    rows: list[CodebookRow] = []
    seen: dict[str, int] = {}
    for line, row in records:
        name = "/".join(" ".join(part.split()) for part in _cell(row, tag).split("/"))
        if not name or any(not part for part in name.split("/")):
            raise InputError(f"the tag {_cell(row, tag)!r} is empty or has an empty part", where=f"{path}:{line}")
        folded = name.casefold()
        if folded in seen:
            raise InputError(f"tag {name!r} is given twice (first at line {seen[folded]})", where=f"{path}:{line}")
        seen[folded] = line
        text = row[description].strip() if description is not None and description < len(row) else ""
        rows.append(CodebookRow(name, text.replace("\r\n", "\n") or None, _cell(row, colour) or None, line))
    if not rows:
        raise InputError("the file has a header but no tags", where=f"{path}:2")
    return rows, warnings + _unused(header, [tag, description, colour], path)


def read_highlights_csv(path: Path | str) -> tuple[list[HighlightRow], list[str]]:
    """Read a highlights CSV: ``document``, ``tag`` and ``content`` columns, optional ``id`` and
    ``start``. Returns ``(rows, warnings)``."""
    path = Path(path)
    header, records, warnings = _read_rows(path)
    columns = {
        "document": _column(header, ("document", "transcript", "file")),
        "tag": _column(header, _TAG),
        "content": _column(header, ("content", "text", "highlight", "passage")),
    }
    missing = [name for name, index in columns.items() if index is None]
    if missing:
        raise InputError(
            f"missing column(s): {', '.join(missing)} (the columns are: {', '.join(header)})", where=f"{path}:1"
        )
    ident, start = _column(header, ("id",)), _column(header, ("start", "startposition"))
    rows = []
    for line, row in records:
        content_index = columns["content"]
        content = row[content_index] if content_index < len(row) else ""
        start_text = _cell(row, start)
        if start_text and not start_text.isdigit():
            raise InputError(f"start {start_text!r} is not a whole number", where=f"{path}:{line}")
        rows.append(
            HighlightRow(
                id=_cell(row, ident) or None,
                document=_cell(row, columns["document"]),
                tag=_cell(row, columns["tag"]),
                content=content,
                line=line,
                start=int(start_text) if start_text else None,
            )
        )
    return rows, warnings + _unused(header, [*columns.values(), ident, start], path)
