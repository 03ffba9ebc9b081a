"""Coming back to a study: the coding screen opens where this coder left it (the transcript, the
cursor, the quote board's theme, grouping, filter and search, the highlighted card and the pane)
and remembers that place when the workbench quits, and every few seconds while it moves, so a
dropped SSH connection or a killed terminal comes back near where it was
(:mod:`workbench.study.view_state`)."""

from __future__ import annotations

from workbench.study.view_state import ViewState, remember_view, remembered_view
from workbench.tui.screens.coding_base import CodingScreenBase

KEEP_PLACE_EVERY = 5  # screen polls (seconds) between two looks at whether the place moved


class ComingBack(CodingScreenBase):
    """Restores and remembers this coder's place in the study."""

    _card_to_highlight: int | None = None
    _place_kept: ViewState | None = None  # the place last stored while working
    _polls_since_kept = 0

    def restore_board_view(self) -> ViewState:
        """Set the quote board's theme, grouping, filter and search as they were left (before the
        board is first built), and return the whole remembered place."""
        state = remembered_view(self.study)
        themes = {t.path: t.id for t in self.study.themes()}
        self.theme_filter = themes.get(state.theme) if state.theme else None
        attributes = {k for attrs in self.study.cases().values() for k in attrs}
        self.group_by = state.group_by if state.group_by in attributes else None
        self.where = {
            key: {str(v) for v in values}
            for key, values in state.where.items()
            if key in attributes and isinstance(values, list)
        }
        self.quote_query = state.quote_query if isinstance(state.quote_query, str) else ""
        self._card_to_highlight = state.quote if isinstance(state.quote, int) else None
        return state

    def restore_place(self, state: ViewState) -> bool:
        """Open the remembered transcript at the remembered cursor and focus the remembered pane;
        False when there is no such transcript (any more)."""
        names = {t.name for t in self.study.transcripts()}
        if state.transcript not in names:
            return False
        self.open_transcript(state.transcript)
        offset = min(state.cursor, len(self.transcript_view.text))
        # Centred once the pane has its size, so the line is in the middle, not at the bottom edge.
        self.call_after_refresh(self.transcript_view.move_cursor, offset, center=True)
        if state.pane in ("palette", "board"):
            self.call_after_refresh(self.action_focus_pane, state.pane)
        return True

    def refresh_board(self) -> None:
        super().refresh_board()
        if self._card_to_highlight is not None:  # the first build after reopening
            self.board.highlight(self._card_to_highlight)
            self._card_to_highlight = None

    def current_place(self) -> ViewState:
        """Where the coder is now."""
        theme = self._theme_by_id(self.theme_filter)
        quote = self.board.highlighted_quote
        focused = self.focused
        pane = "transcript"
        if focused is not None and self.board in focused.ancestors_with_self:
            pane = "board"
        elif focused is not None and self.palette in focused.ancestors_with_self:
            pane = "palette"
        return ViewState(
            transcript=self.transcript_name,
            cursor=self.transcript_view.cursor,
            theme=theme.path if theme else None,
            group_by=self.group_by,
            where={k: sorted(v) for k, v in self.where.items()},
            quote_query=self.quote_query,
            quote=quote.id if quote else self._card_to_highlight,
            pane=pane,
        )

    def remember_place(self) -> bool:
        """Store where the coder is now in the study (quietly skipped if it cannot be written)."""
        return remember_view(self.study, self.current_place())

    def _check_outside_changes(self) -> None:
        """The screen's once-a-second look at the study; every few seconds also keep the place,
        if it moved, without waiting for another program's lock and never while changes wait."""
        super()._check_outside_changes()
        self._polls_since_kept += 1
        if self._polls_since_kept < KEEP_PLACE_EVERY or self.saver.waiting or self.saver.lost:
            return
        self._polls_since_kept = 0
        place = self.current_place()
        if place != self._place_kept and remember_view(self.study, place, wait=0.05):
            self._place_kept = place
