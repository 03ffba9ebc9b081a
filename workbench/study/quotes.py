"""The quote board: codings as quotes, filtered; selecting them for the chapter, in order, with
comments and elided forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from workbench.domain.models import Quote, QuoteEntry, Theme
from workbench.errors import WorkbenchError
from workbench.storage import queries, quote_rows
from workbench.storage import quotes as quotes_store
from workbench.study.provenance import now

if TYPE_CHECKING:  # for annotations only: the study layer does not import SQLite
    from workbench.storage.connection import Database
    from workbench.study.kept_reads import KeptReads


QuoteContext = tuple[list[Theme], dict[str, dict[str, str]]]  # the codebook, the cases


class QuotesMixin:
    """Part of :class:`workbench.study.Study` (mixed in there; uses its ``db``, ``_change``,
    themes, cases and codings)."""

    db: Database
    _kept: KeptReads

    def quotes(
        self, theme: str | None = None, where: dict[str, set[str]] | None = None, selected_only: bool = False
    ) -> list[Quote]:
        """The quote board: codings with case attributes, filtered by theme (with sub-themes),
        by case attributes and by selection."""
        themes = self.themes()
        theme_ids = queries.descendant_ids(themes, self.theme(theme).id) if theme else None
        if where:
            known = {k.casefold() for attrs in self.cases().values() for k in attrs}
            unknown = [k for k in where if k.casefold() not in known]
            if unknown:
                raise WorkbenchError(
                    f"no case has an attribute {unknown[0]!r} (known: {', '.join(sorted(known)) or 'none'})"
                )
        return queries.load_quotes(self._db, themes, theme_ids, where, selected_only)

    def quote_entries(
        self,
        theme: str | None = None,
        where: dict[str, set[str]] | None = None,
        text_query: str = "",
        theme_ids: set[int] | None = None,
    ) -> list[QuoteEntry]:
        """The quote board's light rows, in the order of :meth:`quotes` and with its filters,
        plus ``text_query`` (text or comment contains it) and exact ``theme_ids``."""
        themes = self.themes()
        if theme:
            below = queries.descendant_ids(themes, self.theme(theme).id)
            theme_ids = below if theme_ids is None else theme_ids & below
        return quote_rows.quote_entries(self._db, themes, self.cases(), theme_ids, where, text_query)

    def chapter_states(self, theme_id: int) -> dict[int, tuple[bool, int | None]]:
        """{coding id: (selected, position)} of one theme's quotes that are selected for the
        chapter or still placed; its other codings are neither."""
        return quote_rows.chapter_states(self._db, {theme_id})

    def quotes_by_id(self, ids: Iterable[int]) -> dict[int, Quote]:
        """The quotes of the given coding ids (missing ids are left out)."""
        themes, cases = self._themes_and_cases()
        return quote_rows.quotes_by_id(self._db, themes, cases, ids)

    def _themes_and_cases(self) -> QuoteContext:
        """The codebook and the cases' attributes, read again only when the file may have changed
        since: every card's quote needs both, and reading them was most of a quote board key's
        work (1.4 ms, three times for one selection, in a study of 60 cases). This program's own
        changes that leave both alone keep them (see ``workbench/study/kept_reads.py``)."""
        context = self._kept.get("quote_context")
        if context is None:
            context = (self.themes(), self.cases())
            self._kept.put("quote_context", context)
        return context  # type: ignore[return-value]

    def quote(self, coding_id: int) -> Quote:
        """The quote of one coding."""
        quotes = self.quotes_by_id([coding_id])
        if coding_id not in quotes:
            self.coding(coding_id)  # the error that says which coding is missing
        return quotes[coding_id]

    def select(
        self,
        coding_id: int,
        *,
        selected: bool = True,
        comment: str | None = None,
        position: int | None = None,
        elided: str | None = None,
        after: str | None = None,
    ) -> Quote:
        """Select a quote for the chapter (or deselect it), and set its comment, order, elided
        form or the note after it (``after``: the analysis printed right after the quote).

        ``position`` is 1-based among the selected quotes of the same theme. An empty comment,
        note or elided form clears it. Deselecting keeps the comment and the note.
        """
        coding = self._coding_among(coding_id, self._themes_and_cases()[0])
        if elided:
            from workbench.domain.elision import check_elided

            check_elided(coding.text, elided)
        current = quotes_store.quote_state(self._db, coding_id)
        payload = {"id": coding_id, "selected": selected, "comment": comment, "position": position, "elided": elided}
        if after is not None:
            payload["after"] = after
        with self._change("select" if selected else "deselect", payload):
            if current is None and (selected or comment or elided or after):  # (no state to store: no row)
                quotes_store.insert_quote_state(self._db, coding_id, now())
            changes: dict = {}
            if comment is not None:
                changes["comment"] = comment or None
            if elided is not None:
                changes["elided"] = elided or None
            if after is not None:
                changes["note_after"] = after if after.strip() else None
            if selected and not (current and current.selected):
                changes.update(selected=True, position=quotes_store.last_position(self._db, coding.theme_id) + 1)
            elif not selected:
                changes.update(selected=False, position=None)
            quotes_store.update_quote_state(self._db, coding_id, now(), **changes)
            if selected and position is not None:
                self._move(coding_id, coding.theme_id, position)
            else:
                self._renumber(coding.theme_id)
        return self.quote(coding_id)

    def _move(self, coding_id: int, theme_id: int, position: int) -> None:
        positions = quotes_store.selected_in_theme(self._db, theme_id)
        order = [i for i, _ in positions if i != coding_id]
        index = max(0, min(position - 1, len(order)))
        order.insert(index, coding_id)
        quotes_store.write_order(self._db, order, dict(positions))

    def _renumber(self, theme_id: int) -> None:
        """Number a theme's selected quotes 1, 2, 3 ... again, keeping their order."""
        positions = quotes_store.selected_in_theme(self._db, theme_id)
        quotes_store.write_order(self._db, [i for i, _ in positions], dict(positions))
