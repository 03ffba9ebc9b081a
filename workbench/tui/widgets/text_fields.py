"""Text fields that show study text through the terminal-safe rule while editing it unchanged.

A memo, a comment or a theme description may hold characters a terminal acts on. The field
keeps the text exactly as stored (saving it back changes nothing the researcher did not type)
and only what is drawn goes through the rule, one shown character per stored one, so the cursor
and a selection stay on their characters. One-line fields are Textual's ``Input`` with
:class:`workbench.display.rich_text.VisibleHighlighter`.
"""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import TextArea

from workbench.display.rich_text import safe_copy


class SafeTextArea(TextArea):
    """A ``TextArea`` whose lines are drawn through the terminal-safe rule.

    Besides Textual's keys (home/end: start/end of the line), ctrl+home and ctrl+end go to the
    start and end of the whole text, with shift selecting as they go.
    """

    BINDINGS = [
        Binding("ctrl+home", "text_start", "Start of text", show=False, id="text.start"),
        Binding("ctrl+end", "text_end", "End of text", show=False, id="text.end"),
        Binding("ctrl+shift+home", "text_start(True)", "Select to start", show=False, id="text.select_start"),
        Binding("ctrl+shift+end", "text_end(True)", "Select to end", show=False, id="text.select_end"),
    ]

    def get_line(self, line_index: int) -> Text:
        """The line as drawn: the stored line, safe to show (the document is not changed)."""
        return safe_copy(super().get_line(line_index))

    def action_text_start(self, select: bool = False) -> None:
        """Move the cursor to the first character (extending the selection if ``select``)."""
        self.move_cursor((0, 0), select=select)

    def action_text_end(self, select: bool = False) -> None:
        """Move the cursor after the last character (extending the selection if ``select``)."""
        self.move_cursor(self.document.end, select=select)
