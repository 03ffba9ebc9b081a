"""Text fields that show study text through the terminal-safe rule while editing it unchanged.

A memo, a comment or a theme description may hold characters a terminal acts on. The field
keeps the text exactly as stored (saving it back changes nothing the researcher did not type)
and only what is drawn goes through the rule, one shown character per stored one, so the cursor
and a selection stay on their characters. One-line fields are Textual's ``Input`` with
:class:`workbench.display.rich_text.VisibleHighlighter`.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import TextArea

from workbench.display.rich_text import safe_copy


class SafeTextArea(TextArea):
    """A ``TextArea`` whose lines are drawn through the terminal-safe rule."""

    def get_line(self, line_index: int) -> Text:
        """The line as drawn: the stored line, safe to show (the document is not changed)."""
        return safe_copy(super().get_line(line_index))
