"""Keyword in context: a hit with its context on both sides, aligned on the hit, for CLI and TUI.

Whitespace in the context (line breaks included) is shown as single spaces, and every piece
passes the terminal-safe rule; the left context is cut from its left, the right from its right,
each to a number of terminal cells, so that the hits of many lines stand in one column.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from workbench.display.safe_text import visible

ELLIPSIS = "…"


def _one_line(text: str) -> str:
    # visible() strips the ends; keep one space where the context met the hit.
    shown = visible(text, line_break="")
    if not shown:
        return " " if text and text.isspace() else ""
    lead = " " if text[:1].isspace() else ""
    tail = " " if text[-1:].isspace() else ""
    return lead + shown + tail


def fit_left(text: str, cells: int) -> str:
    """The end of ``text`` (one line, safe) in at most ``cells`` cells, padded on the left to exactly that."""
    shown = _one_line(text)
    if cell_len(shown) > cells:
        while shown and cell_len(shown) > cells - 1:
            shown = shown[1:]
        shown = ELLIPSIS + shown
    return " " * (cells - cell_len(shown)) + shown


def fit_right(text: str, cells: int) -> str:
    """The start of ``text`` (one line, safe) in at most ``cells`` cells (not padded)."""
    shown = _one_line(text)
    if cell_len(shown) > cells:
        while shown and cell_len(shown) > cells - 1:
            shown = shown[:-1]
        shown += ELLIPSIS
    return shown


def kwic_text(before: str, hit: str, after: str, left: int, right: int, hit_style: str = "bold reverse") -> Text:
    """One keyword-in-context line as Rich text: ``left`` cells of context, the hit, ``right`` cells."""
    line = Text(fit_left(before, left), end="")
    line.append(visible(hit), style=hit_style)
    line.append(fit_right(after, right))
    return line


def kwic_plain(before: str, hit: str, after: str, left: int, right: int) -> str:
    """One keyword-in-context line as plain text (the hit between ``[`` and ``]``)."""
    return f"{fit_left(before, left)}[{visible(hit)}]{fit_right(after, right)}"
