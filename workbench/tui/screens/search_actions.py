"""Searching from the coding screen: across every transcript (ctrl+f) and in the open one (/),
with n / N stepping through the hits and saying where they are ("3/17").

After a search across transcripts, n / N step through its hits in every transcript, opening each
in turn, and say so when they wrap round to the first (or last) hit. After a search in the open
transcript they step through that transcript's hits. Matching is the same everywhere
(``workbench.domain.text_search``): case folded, whole letters whether stored composed or not.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.tui.saving import Change
from workbench.tui.screens.coding_base import CodingScreenBase

# Dialogs are imported where one opens: the first frame does without their module (and Textual's text fields).

if TYPE_CHECKING:
    from workbench.study.search import SearchHit


class SearchActions(CodingScreenBase):
    """The coding screen's searching: the search screen, ``/`` and n / N."""

    #: The last search across transcripts: what was typed, and its hits (n / N step through them).
    found_typed = ""
    found_hits: list[SearchHit] = []
    found_index = -1

    def action_search_all(self) -> None:
        """Search every transcript (keyword in context); enter jumps to a hit, a codes them all."""
        from workbench.tui.screens.search import SearchScreen

        highlighted = self.palette.highlighted_theme
        self.app.push_screen(
            SearchScreen(self.study, self.themes, self.found_typed, highlighted.id if highlighted else None),
            self._search_done,
        )

    def _search_done(self, result) -> None:
        from workbench.tui.screens.search import CodeAll, Jump

        if isinstance(result, Jump):
            self.found_typed, self.found_hits = result.request.text, result.hits
            self.search_hits = []  # n / N now step through these hits
            self._go_to_found(result.index)
        elif isinstance(result, CodeAll):
            self.found_typed = result.request.text
            self._code_all(result)

    def _go_to_found(self, index: int, wrapped: str = "") -> None:
        hits = self.found_hits
        self.found_index = index
        hit = hits[index]
        try:
            self.show_passage(hit.transcript, hit.start, hit.end)
        except WorkbenchError as error:  # removed in another window meanwhile
            self._fail(error)
            return
        here = [h for h in hits if h.transcript == hit.transcript]
        self.transcript_view.set_search_hits([h.start for h in here], max(h.end - h.start for h in here))
        self._note_at = time.monotonic()  # the note outlives the cursor moves that follow
        self.status.show(note=f"hit {index + 1}/{len(hits)}: {hit.transcript} · a theme key codes it · n / N")
        if wrapped:
            self.notify(wrapped, timeout=3)

    def step_found(self, direction: int) -> bool:
        """n / N after a search across transcripts: the next or previous hit (False: none)."""
        if not self.found_hits:
            return False
        index = self.found_index + direction
        wrapped = ""
        if index >= len(self.found_hits):
            index, wrapped = 0, "Search wrapped to the first hit."
        elif index < 0:
            index, wrapped = len(self.found_hits) - 1, "Search wrapped to the last hit."
        self._go_to_found(index, wrapped)
        return True

    def _code_all(self, request) -> None:
        """Code the listed hits with a theme: one change through the saver, one undoable step."""

        def code():
            from workbench.study.search import code_hits

            return code_hits(self.study, request.hits, request.theme_path, request.request.unit)

        def done(report) -> str:
            self.refresh_all()
            return report.summary() + (" (u undoes)" if report.coded else "")

        self.saver.submit(Change(f"code {len(request.hits)} hits", code, done))

    # -- in the open transcript --------------------------------------------------------------------

    def action_search(self) -> None:
        from workbench.tui.screens.dialogs import TextDialog

        if self.focused is not None and self.board in self.focused.ancestors_with_self:
            self.search_quotes()
            return
        self.app.push_screen(TextDialog("Search the transcript", self.search_query, enter_word="search"), self._search)

    def _search(self, query: str | None) -> None:
        if not query:
            return
        self.search_query = query
        try:
            from workbench.domain.text_search import Matcher, SearchOptions  # when first searched

            spans = Matcher(SearchOptions(query)).find(self.transcript_view.text)
        except WorkbenchError as error:
            self._fail(error)
            return
        self.found_hits = []  # n / N now step through this transcript's hits
        self.search_hits = [start for start, _end in spans]
        self.transcript_view.set_search_hits(self.search_hits, max((e - s for s, e in spans), default=0))
        if not self.search_hits:
            self.notify(f"Not found in this transcript: {query} (ctrl+f searches every transcript)", timeout=4)
            return
        self.action_search_next(1)

    def action_search_next(self, direction: int) -> None:
        if self.step_found(direction):
            return
        if not self.search_hits:
            return
        cursor = self.transcript_view.cursor
        hits = self.search_hits
        later = [i for i, h in enumerate(hits) if h > cursor]
        earlier = [i for i, h in enumerate(hits) if h < cursor]
        wrapped = ""
        if direction > 0:
            index = later[0] if later else 0
            wrapped = "" if later else "Search wrapped to the first hit."
        else:
            index = earlier[-1] if earlier else len(hits) - 1
            wrapped = "" if earlier else "Search wrapped to the last hit."
        self.transcript_view.move_cursor(hits[index], center=True)
        self._note_at = time.monotonic()
        self.status.show(note=f"hit {index + 1}/{len(hits)} for “{self.search_query}” · n / N")
        if wrapped and len(hits) > 1:
            self.notify(wrapped, timeout=3)
