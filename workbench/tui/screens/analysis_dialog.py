"""Writing the analysis around a quote with the quote in view: the note printed right after it in
the chapter, and the closing memo (the synthesis) of the quote's theme.

Opened from the coding screen with ``i`` on the highlighted quote of the board. ctrl+s saves
both, escape cancels; tab moves between the two fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, Static

from workbench.display.rich_text import block, line
from workbench.domain.models import Quote
from workbench.tui.screens.dialogs import WorkbenchDialog
from workbench.tui.widgets.text_fields import SafeTextArea


@dataclass(frozen=True)
class AnalysisText:
    """What the dialog gives back: the note after the quote and the theme's closing memo."""

    note_after: str
    closing: str


class AnalysisDialog(WorkbenchDialog):
    """The quote (read only), then the note after it, then its theme's closing memo.
    Result: :class:`AnalysisText`, or None when cancelled."""

    DEFAULT_CSS = """
    AnalysisDialog > .dialog { width: 90; }
    AnalysisDialog #analysis-quote { max-height: 8; height: auto; border: none; }
    AnalysisDialog SafeTextArea { height: 6; }
    """
    BINDINGS = [Binding("ctrl+s", "submit", "Save", show=False, id="analysis.submit")]

    def __init__(self, quote: Quote, closing: str) -> None:
        super().__init__()
        self.quote = quote
        self.closing = closing

    def compose(self) -> ComposeResult:
        quote = self.quote
        with Vertical(classes="dialog") as box:
            self.titled(box, f"Analysis: {quote.theme}")
            where = quote.case or quote.transcript
            yield Label(line(f"#{quote.id} · {where}"), classes="dialog--hint")
            with VerticalScroll(id="analysis-quote"):
                yield Static(block(quote.elided or quote.text, "italic"))
            yield Label("After the quote (your analysis of it):")
            yield SafeTextArea(
                self.quote.note_after or "", soft_wrap=True, tab_behavior="focus", show_line_numbers=False, id="after"
            )
            yield Label(line(f"Closing memo of {quote.theme} (ends its section; [[Theme/Sub]] refers to another):"))
            yield SafeTextArea(
                self.closing, soft_wrap=True, tab_behavior="focus", show_line_numbers=False, id="closing"
            )
            yield Label("tab: next field · ctrl+s: save · esc: cancel", classes="dialog--hint")

    def on_mount(self) -> None:
        field = self.query_one("#after", SafeTextArea)
        field.focus()
        field.move_cursor(field.document.end)

    def action_submit(self) -> None:
        """Close with both texts."""
        self.dismiss(
            AnalysisText(self.query_one("#after", SafeTextArea).text, self.query_one("#closing", SafeTextArea).text)
        )
