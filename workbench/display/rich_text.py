"""Text from a study or a file as Rich text: the way both front ends hand it to Rich and Textual.

Every string from a study or a file (theme names, case attributes, transcript names and text,
speakers, memos, comments, coder names, file names, error messages naming any of these) reaches
the terminal through :mod:`workbench.display.safe_text`'s rule, and never as markup. Where:

The command line (``workbench/cli``)
    - lines: ``cli.base.echo`` (every message line; errors through ``cli.base.fail``, one line);
    - tables: ``cli.output.console()``, a Rich console without markup, emoji codes or
      highlighting whose render hook passes every segment through :func:`safe_segments`; cells
      are built with :func:`tidy` so a table lines up;
    - JSON: ``cli.base.emit_json`` escapes every code point of the rule (``\\u202e``), which
      round-trips to the stored text;
    - data (a memo, CSV, Markdown, YAML on standard output): ``cli.base.write_data``, the exact
      text when standard output is a file or a pipe, the safe text on a terminal.

The terminal workbench (``workbench/tui``)
    - widgets and screens build their text with :func:`line`, :func:`block` and :func:`safe_copy`
      (Rich ``Text``, which Textual never reads as markup), border titles included;
    - dialogs apply the rule to every title, entry, question and help row themselves, so a
      screen hands them study text as it is;
    - text fields show the text being edited through the rule without changing it: ``Input``
      with :class:`VisibleHighlighter`, ``TextArea`` as ``tui.widgets.text_fields.SafeTextArea``;
    - Markdown widgets get :func:`markdown_source`;
    - toasts: ``WorkbenchApp.notify`` shows every message as plain, safe text;
    - the transcript pane lays out :func:`~workbench.display.safe_text.visible_in_place` text.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.highlighter import Highlighter
from rich.segment import Segment
from rich.style import StyleType
from rich.text import Text

from workbench.display.safe_text import visible, visible_in_line, visible_in_place

__all__ = [
    "SafeRenderable",
    "VisibleHighlighter",
    "block",
    "line",
    "markdown_source",
    "safe_copy",
    "safe_segments",
    "tidy",
]


def line(text: object, style: StyleType = "") -> Text:
    """``text`` on one line, safe, never markup; one shown code point per stored one (so the
    spacing stays as stored, and positions in ``text`` are positions in the result)."""
    return Text(visible_in_line(str(text)), style=style, end="")


def tidy(text: object, style: StyleType = "") -> Text:
    """``text`` on one line, safe, never markup, whitespace tidied (a table cell, a heading)."""
    return Text(visible(str(text)), style=style, end="")


def block(text: object, style: StyleType = "") -> Text:
    """``text`` with its lines, safe, never markup (a memo, a comment, a passage)."""
    return Text(visible_in_place(str(text)), style=style)


def safe_copy(text: Text) -> Text:
    """A copy of Rich ``text`` built elsewhere, its characters made safe and its styles kept."""
    copy = text.copy()
    copy.plain = visible_in_place(copy.plain)  # same length: every span still covers its characters
    return copy


def markdown_source(text: str) -> str:
    """Markdown from a study (the chapter) made safe to render: its structure (newlines) kept."""
    return visible_in_place(text)


class VisibleHighlighter(Highlighter):
    """For a Textual ``Input``: shows the value through the rule while it is edited unchanged.

    The shown text has one code point per stored code point, so the cursor and a selection
    stay on the characters they were on.
    """

    def __call__(self, text: str | Text) -> Text:
        return safe_copy(text) if isinstance(text, Text) else line(text)

    def highlight(self, text: Text) -> None:
        """Nothing to colour; :meth:`__call__` does the work."""


def safe_segments(segments: Iterable[Segment]) -> Iterable[Segment]:
    """``segments`` with the text of every one that is not a control code passed through the rule."""
    for segment in segments:
        text, style, control = segment
        if control or not text:
            yield segment
        else:
            yield Segment(visible_in_place(text), style, control)


class SafeRenderable:
    """Any Rich renderable, written with :func:`safe_segments`: whatever it was built from, no
    character of the rule reaches the terminal (the command line's console wraps all it prints)."""

    def __init__(self, renderable: RenderableType) -> None:
        self.renderable = renderable

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from safe_segments(console.render(self.renderable, options))
