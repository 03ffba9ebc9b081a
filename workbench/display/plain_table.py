"""Tables of the command line as plain aligned columns, and a theme's colour swatch.

Reports print plain text: columns two spaces apart under a header and a rule, which reads the
same in a terminal, a file, ``grep`` and a script, and which costs nothing to import (a Rich table
took longer to import and draw than a report's own work: ``workbench stats`` counts in 10 ms).
Cells pass the terminal-safe rule on one line; widths count terminal cells (East Asian wide
characters two, combining marks none), so names in any script line up.

The only colour is a theme's swatch (``■``), for a terminal that takes colours
(:func:`colour_swatches`): 24-bit where the terminal says so (``COLORTERM``), else the nearest of
the 256 colours every colour terminal has; none with ``NO_COLOR`` or ``TERM=dumb``.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence

from workbench.display.safe_text import visible

SWATCH = "■"


def width(text: str) -> int:
    """Terminal columns ``text`` takes: wide (East Asian) characters two, combining marks none."""
    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def one_line(cells: Sequence[str]) -> tuple[str, ...]:
    """Cells on one line, safe to print: line breaks and runs of whitespace become one space
    (spaces that indent a cell stay)."""
    return tuple(" " * (len(cell) - len(cell.lstrip(" "))) + visible(cell, line_break="") for cell in cells)


def aligned_lines(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> list[str]:
    """The header, a rule and the rows, as lines of columns two spaces apart; ``right``: the
    columns aligned right. The last column is not padded."""
    table = [one_line(header), *(one_line(row) for row in rows)]
    widths = [max(width(row[i]) for row in table) for i in range(len(header))]
    last = len(header) - 1

    def line(cells: tuple[str, ...]) -> str:
        out = []
        for i, cell in enumerate(cells):
            pad = " " * (widths[i] - width(cell))
            out.append(pad + cell if i in right else (cell if i == last else cell + pad))
        return "  ".join(out)

    rule = "  ".join("-" * w for w in widths)
    return [line(table[0]), rule, *(line(row) for row in table[1:])]


def aligned(header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """:func:`aligned_lines` as one text."""
    return "\n".join(aligned_lines(header, rows, right))


def colour_system(is_terminal: bool, environ: dict[str, str] | None = None) -> str | None:
    """``"truecolor"``, ``"256"`` or None (no colour): what a swatch may use on this output."""
    environ = os.environ if environ is None else environ
    if not is_terminal or "NO_COLOR" in environ or environ.get("TERM", "") in ("", "dumb"):
        return None
    if environ.get("COLORTERM", "").lower() in ("truecolor", "24bit"):
        return "truecolor"
    return "256"


def _xterm_256(red: int, green: int, blue: int) -> int:
    """The nearest of the 256 colours: the 6x6x6 cube or the grey ramp, whichever is closer."""
    levels = (0, 95, 135, 175, 215, 255)

    def nearest_level(value: int) -> int:
        return min(range(6), key=lambda i: abs(levels[i] - value))

    r, g, b = nearest_level(red), nearest_level(green), nearest_level(blue)
    cube = (levels[r], levels[g], levels[b])
    grey_index = min(23, max(0, round((sum((red, green, blue)) / 3 - 8) / 10)))
    grey = 8 + 10 * grey_index

    def distance(other: tuple[int, int, int]) -> int:
        return sum((a - b) ** 2 for a, b in zip((red, green, blue), other, strict=True))

    if distance((grey, grey, grey)) < distance(cube):
        return 232 + grey_index
    return 16 + 36 * r + 6 * g + b


def coloured_swatch(colour: str | None, system: str | None) -> str:
    """:data:`SWATCH` in the theme's colour (``#rrggbb``), as the colour system allows."""
    if system is None or not colour or len(colour) != 7 or not colour.startswith("#"):
        return SWATCH
    try:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return SWATCH
    code = f"38;2;{red};{green};{blue}" if system == "truecolor" else f"38;5;{_xterm_256(red, green, blue)}"
    return f"\x1b[{code}m{SWATCH}\x1b[0m"


def colour_swatches(lines: list[str], colours: Sequence[str | None], system: str | None) -> list[str]:
    """``lines`` (the header and rule first, then one row per colour) with each row's first
    swatch in its colour; unchanged without a colour system."""
    if system is None:
        return lines
    rows = [
        line.replace(SWATCH, coloured_swatch(colour, system), 1)
        for line, colour in zip(lines[2:], colours, strict=True)
    ]
    return lines[:2] + rows
