"""The quote board's requests, answered by the coding screen: jump, select, reorder, comment, trim,
copy, group, filter and search the quotes, and show one theme's quotes from the palette.

Each handler takes the board's (or palette's) message by its type; Textual calls it by name.
"""

from __future__ import annotations

from workbench.display.change_words import quote_change
from workbench.domain.models import Quote
from workbench.tui.saving import Change
from workbench.tui.screens.coding_base import CodingScreenBase, comparison_keys
from workbench.tui.widgets.quote_board import QuoteBoard
from workbench.tui.widgets.theme_palette import ThemePalette

# Dialogs are imported where one opens: the first frame does without their module (and Textual's text fields).


class BoardActions(CodingScreenBase):
    """Handlers for :class:`QuoteBoard`'s messages and the palette's choice of a theme to show."""

    def on_theme_palette_theme_chosen(self, message: ThemePalette.ThemeChosen) -> None:
        """Enter on a theme shows only its quotes; again on the same theme shows all."""
        self.theme_filter = None if self.theme_filter == message.theme_id else message.theme_id
        self.refresh_board()

    def on_quote_board_jump_requested(self, message: QuoteBoard.JumpRequested) -> None:
        quote = self._quote(message.coding_id)
        if quote is not None:
            self.show_passage(quote.transcript, quote.start, quote.end)

    def on_quote_board_selection_toggled(self, message: QuoteBoard.SelectionToggled) -> None:
        quote = self._quote(message.coding_id)
        if quote is not None:
            self._select(quote, "select", selected=not quote.selected)

    def on_quote_board_move_requested(self, message: QuoteBoard.MoveRequested) -> None:
        quote = self._quote(message.coding_id)
        if quote is None or not quote.selected:
            self.notify("Only selected quotes have an order: select it with space first.", timeout=3)
            return
        self._select(quote, "move", position=max(1, quote.position + message.delta))

    def on_quote_board_comment_requested(self, message: QuoteBoard.CommentRequested) -> None:
        from workbench.tui.screens.dialogs import TextDialog

        quote = self._quote(message.coding_id)
        if quote is not None:
            self.app.push_screen(
                TextDialog("Comment (your interpretation)", quote.comment or "", multiline=True),
                lambda text: text is not None and self._select(quote, "comment", comment=text),
            )

    def on_quote_board_elide_requested(self, message: QuoteBoard.ElideRequested) -> None:
        from workbench.tui.screens.dialogs import TrimDialog

        quote = self._quote(message.coding_id)
        if quote is not None:
            self.app.push_screen(
                TrimDialog("Trim the quote: cut words to [...]", quote.text, quote.elided or quote.text),
                lambda text: (
                    text is not None
                    and self._select(quote, "trim", elided=text if text.strip() != quote.text.strip() else "")
                ),
            )

    def on_quote_board_copy_requested(self, message: QuoteBoard.CopyRequested) -> None:
        quote = self._quote(message.coding_id)
        if quote is not None:
            self.app.copy_to_clipboard(quote.elided or quote.text)
            self.notify("Quote copied to the clipboard.", timeout=2)

    def on_quote_board_grouping_requested(self, _message: QuoteBoard.GroupingRequested) -> None:
        """g: choose the attribute to group the cards by. The ones that sort cases into groups
        (size, cluster) come first; those with a value per case (a name, a date) last, marked."""
        from workbench.tui.screens.dialogs import ChoiceDialog

        cases = self.study.cases()
        grouping = comparison_keys(cases)
        keys = sorted({k for attrs in cases.values() for k in attrs}, key=lambda k: (k not in grouping, k.casefold()))
        choices: list[tuple[str, str]] = [("(no grouping)", "")]
        for key in keys:
            values = len({attrs[key] for attrs in cases.values() if key in attrs})
            if key in grouping:
                choices.append((f"{key}  ·  {values} groups", key))
            else:
                choices.append((f"{key}  ·  {values} groups (about one per case)", key))
        current = next((i for i, (_, key) in enumerate(choices) if key == (self.group_by or "")), 0)
        self.app.push_screen(ChoiceDialog("Group the quotes by…", choices, highlighted=current), self._set_grouping)

    def on_quote_board_filter_requested(self, _message: QuoteBoard.FilterRequested) -> None:
        from workbench.tui.screens.dialogs import ChoiceDialog

        values = sorted({(k, v) for attrs in self.study.cases().values() for k, v in attrs.items()})
        choices = [("(no filter: all cases)", ("", ""))] + [(f"{k} = {v}", (k, v)) for k, v in values]
        self.app.push_screen(ChoiceDialog("Show only cases with…", choices), self._set_filter)

    def search_quotes(self) -> None:
        """Ask for words to find in the quotes; the board shows only the quotes with them."""
        from workbench.tui.screens.dialogs import TextDialog

        self.app.push_screen(
            TextDialog("Search the quotes (empty: show all)", self.quote_query, enter_word="search"),
            self._search_quotes,
        )

    # -- after the dialogs -----------------------------------------------------------------------

    def _select(self, quote: Quote, kind: str, **changes) -> None:
        """Change a quote's chapter state; ``kind`` (select, move, comment, trim) names the
        change for the note that says what happened. The board's cursor stays on the quote's
        card, wherever its new place in the chapter order puts it (the note says where)."""
        changes.setdefault("selected", quote.selected)

        def done(updated: Quote) -> str:
            self.refresh_board_themes({quote.theme_id}, restated=quote.id, screen_stays=kind == "move")
            self.board.highlight(quote.id)
            return quote_change(kind, updated)

        self.saver.submit(Change(f"{kind} #{quote.id}", lambda: self.study.select(quote.id, **changes), done))

    def _set_grouping(self, key: str | None) -> None:
        if key is None:  # cancelled
            return
        self.group_by = key or None
        self.refresh_board()

    def _set_filter(self, choice: tuple[str, str] | None) -> None:
        if choice is None:  # cancelled
            return
        key, value = choice
        self.where = {key: {value}} if key else {}
        self.refresh_board()

    def _search_quotes(self, query: str | None) -> None:
        if query is None:
            return
        self.quote_query = query
        self.refresh_board()
