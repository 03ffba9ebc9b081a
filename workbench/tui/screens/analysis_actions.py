"""The coding screen's action for the analysis around a quote: ``i`` on the board's highlighted
quote opens :class:`AnalysisDialog` (the note after the quote and its theme's closing memo)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.domain.models import Quote
from workbench.tui.saving import Change
from workbench.tui.screens.coding_base import CodingScreenBase

if TYPE_CHECKING:
    from workbench.tui.screens.analysis_dialog import AnalysisText


class AnalysisActions(CodingScreenBase):
    """Mixed into the coding screen: ``action_analysis``."""

    def action_analysis(self) -> None:
        """Write the note after the highlighted quote and its theme's closing memo."""
        quote = self.board.highlighted_quote
        if quote is None:
            self.notify("No quote under the cursor: move to one on the quote board (F4) first.", timeout=3)
            return
        closing = self.study.memo("closing", quote.theme) or ""
        from workbench.tui.screens.analysis_dialog import AnalysisDialog  # when first opened

        self.app.push_screen(AnalysisDialog(quote, closing), lambda result: self._save_analysis(quote, closing, result))

    def _save_analysis(self, quote: Quote, closing: str, result: AnalysisText | None) -> None:
        if result is None:  # cancelled
            return
        note_changed = result.note_after.strip() != (quote.note_after or "").strip()
        closing_changed = result.closing.strip() != closing.strip()
        if not (note_changed or closing_changed):
            return

        def save() -> None:
            if note_changed:
                self.study.select(quote.id, selected=quote.selected, after=result.note_after.strip())
            if closing_changed:
                self.study.set_memo("closing", quote.theme, result.closing.strip())

        def done(_result) -> str:
            self.refresh_board_themes({quote.theme_id})
            self.board.highlight(quote.id)
            return "analysis saved"

        self.saver.submit(Change("write the analysis", save, done))
