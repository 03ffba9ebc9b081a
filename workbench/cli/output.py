"""Plain-terminal output of the CLI (Rich tables), and the JSON shapes that go with them."""

from __future__ import annotations

import os
import sys

from rich.console import Console, ConsoleRenderable, RenderHook, RichCast
from rich.table import Table
from rich.text import Text

from workbench.cli.base import unfiltered
from workbench.display.rich_text import SafeRenderable, tidy
from workbench.display.safe_text import visible
from workbench.domain.models import Quote

UNWRAPPED_WIDTH = 100_000  # columns: "as wide as the text" for output that is not on a terminal


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # closed, or not a real stream
        return False


class _SafeHook(RenderHook):
    """Passes everything a console prints through the terminal-safe rule (its segments' text)."""

    def process_renderables(self, renderables: list[ConsoleRenderable | RichCast]) -> list[ConsoleRenderable]:
        return [SafeRenderable(renderable) for renderable in renderables]


def console(stderr: bool = False) -> Console:
    """The console every Rich table and line of the command line is printed with.

    Text is never read as markup or emoji codes, and every segment passes the terminal-safe rule
    (cells are still built with ``tidy``/``visible``, so tables line up). It writes to the stream
    under ``safe_output``'s filter: on a terminal its own colour codes must reach it.
    """
    stream = unfiltered(sys.stderr if stderr else sys.stdout)
    # Into a file or a pipe, lines are not wrapped at Rich's default 80 columns (that would
    # break grep and scripts); $COLUMNS, when set, still wins.
    width = None if _is_terminal(stream) or os.environ.get("COLUMNS") else UNWRAPPED_WIDTH
    made = Console(file=stream, highlight=False, markup=False, emoji=False, width=width)
    made.push_render_hook(_SafeHook())
    return made


_console = console


def print_table(headers: list[str], rows: list[list[str]], title: str | None = None) -> None:
    table = Table(title=tidy(title, "table.title") if title is not None else None, show_edge=False)
    for header in headers:
        table.add_column(tidy(header))
    for row in rows:
        table.add_row(*(Text(visible(cell)) for cell in row))
    _console().print(table)


def print_quotes(quotes: list[Quote]) -> None:
    """The quote board as text: grouped by theme, one block per quote."""
    console = _console()
    if not quotes:
        console.print("no quotes match")
        return
    current = None
    for q in quotes:
        if q.theme != current:
            current = q.theme
            console.print(Text(f"\n{visible(q.theme)}", style="bold"))
        mark = "★" if q.selected else " "
        attrs = visible(", ".join(f"{k}={v}" for k, v in sorted(q.attributes.items())))
        head = Text(f"{mark} #{q.id} {visible(q.transcript)} {q.start}..{q.end}", style="dim")
        if attrs:
            head.append(f"  [{attrs}]", style="dim")
        console.print(head)
        console.print(Text(f"    “{visible(_elide_middle(q.elided or q.text))}”"))
        if q.comment:
            console.print(Text(f"    comment: {visible(q.comment)}", style="italic"))


def _elide_middle(text: str, width: int = 300) -> str:
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    half = (width - 5) // 2
    return f"{text[:half]} […] {text[-half:]}"
