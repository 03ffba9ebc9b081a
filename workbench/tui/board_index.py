"""Every coding's light board row, kept in memory, so that filters and grouping cost no query.

The quote board shows :class:`QuoteEntry` rows (id, theme, chapter state, the case's attributes).
Filtering them by theme or case attribute, or grouping them, used to read all 100,000 rows from the
study again (a quarter of a second); the index keeps the rows of every theme as last read and
filters them in memory, the same way the study's query does (``Study.quote_entries``: keys ANDed,
values ORed, both ignoring case). After a change to one theme's codings or quotes the screen
replaces that theme's rows; a change of any other kind, or any change another program made
(the study's data version moved), reads everything again.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping

from workbench.domain.models import QuoteEntry

Where = Mapping[str, set[str]]  # attribute -> accepted values, as Study.quote_entries takes it


class BoardIndex:
    """The board's rows of every theme, in board order, as of :attr:`version` of the study's data."""

    def __init__(self) -> None:
        self._by_theme: dict[int, list[QuoteEntry]] = {}
        self.version: int | None = None  # None: not loaded, or forgotten

    def is_current(self, version: int) -> bool:
        """Whether the rows are those of the study at data version ``version``."""
        return self.version is not None and self.version == version

    def forget(self) -> None:
        """Read everything again next time (after a change whose reach is unknown)."""
        self._by_theme = {}
        self.version = None

    def load(self, entries: Iterable[QuoteEntry], version: int) -> None:
        """Keep ``entries`` (every coding's row, in board order) as the rows at ``version``."""
        by_theme: dict[int, list[QuoteEntry]] = {}
        for entry in entries:
            by_theme.setdefault(entry.theme_id, []).append(entry)
        self._by_theme = by_theme
        self.version = version

    def replace_theme(self, theme_id: int, entries: list[QuoteEntry]) -> None:
        """One theme's rows changed (a coding, a removal, a selection): keep its new rows."""
        if self.version is None:
            return
        if entries:
            self._by_theme[theme_id] = list(entries)
        else:
            self._by_theme.pop(theme_id, None)

    def theme_entries(self, theme_id: int) -> list[QuoteEntry]:
        """One theme's rows, in board order (empty for a theme without codings)."""
        return list(self._by_theme.get(theme_id, ()))

    def follow_codings(self, theme_id: int, gone: set[int], new: list[QuoteEntry]) -> bool:
        """Drop the rows of the codings ``gone`` and put ``new`` codings (no chapter state yet)
        in their places, without reading the theme again; False (and nothing changed) when a
        row that goes was selected for the chapter or placed, since the theme's order then
        changes: read the theme again instead."""
        members = self._by_theme.get(theme_id, [])
        if gone and any(e.selected or e.position is not None for e in members if e.id in gone):
            return False
        if any(e.selected or e.position is not None for e in new):
            return False
        members = [e for e in members if e.id not in gone] if gone else list(members)
        for entry in new:
            _insert_unselected(members, entry)
        if members:
            self._by_theme[theme_id] = members
        else:
            self._by_theme.pop(theme_id, None)
        return True

    def restate_theme(self, theme_id: int, states: Mapping[int, tuple[bool, int | None]]) -> set[int] | None:
        """Give one theme's rows their chapter state as the study now has it (``states``:
        {coding id: (selected, position)} of its quotes that have one, as
        ``Study.chapter_states`` gives them) and put them in the study's order; return the ids
        whose state changed (None: the theme has no rows here). A selection or a new order
        renumbers a theme's selected quotes, which this does without reading its rows again."""
        members = self._by_theme.get(theme_id)
        if not members or self.version is None:
            return None
        # Most rows are plain (unselected, no place) before and after: they keep their order, and
        # only the few with a state before or now are restated and put in their places (sorting
        # all of a theme's 2,500 rows after every selection cost a few milliseconds).
        plain: list[QuoteEntry] = []
        stated: list[QuoteEntry] = []
        changed: set[int] = set()
        for entry in members:
            state = states.get(entry.id)
            if state is None and not entry.selected and not entry.position:
                plain.append(entry)
                continue
            state = state or (False, None)
            if (entry.selected, entry.position) != state:
                entry = entry._replace(selected=state[0], position=state[1])
                changed.add(entry.id)
            stated.append(entry)
        if changed:
            self._by_theme[theme_id] = _with_stated(plain, stated)
        return changed

    def entries(
        self, theme_ids: set[int] | None = None, where: Where | None = None, theme_order: list[int] | None = None
    ) -> list[QuoteEntry]:
        """The rows of ``theme_ids`` (None: every theme) whose case passes ``where``, in board
        order: themes in ``theme_order`` (the codebook's; others after them), each theme's rows
        in the study's order."""
        rank = {theme_id: i for i, theme_id in enumerate(theme_order or [])}
        themes = sorted(
            (t for t in self._by_theme if theme_ids is None or t in theme_ids), key=lambda t: rank.get(t, len(rank))
        )
        rows: list[QuoteEntry] = []
        for theme_id in themes:
            rows.extend(self._by_theme[theme_id])
        return filter_entries(rows, where)


def board_order(members: list[QuoteEntry]) -> list[QuoteEntry]:
    """One theme's rows in the study's order (``Study.quote_entries``): the selected quotes in
    their places, the selected ones without a place, the unselected ones by transcript, place and
    id, and last the unselected ones that still have a place, by it."""
    members = sorted(members, key=_unselected_key)  # mostly in this order already: near-linear
    placed = [e for e in members if e.position]
    if not placed:
        return [e for e in members if e.selected] + [e for e in members if not e.selected]
    unplaced = [e for e in members if not e.position]
    return [
        *sorted((e for e in placed if e.selected), key=lambda e: e.position),
        *(e for e in unplaced if e.selected),
        *(e for e in unplaced if not e.selected),
        *sorted((e for e in placed if not e.selected), key=lambda e: e.position),
    ]


def _with_stated(plain: list[QuoteEntry], stated: list[QuoteEntry]) -> list[QuoteEntry]:
    """A theme's rows in board order (as :func:`board_order` gives them) from its ``plain`` rows,
    already in that order, and the few others."""
    for entry in stated:
        if not entry.selected and not entry.position:  # plain now: among the plain rows
            plain.insert(bisect_left(plain, _unselected_key(entry), key=_unselected_key), entry)
    others = board_order([e for e in stated if e.selected or e.position])
    placed_unselected = [e for e in others if not e.selected]
    return [e for e in others if e.selected] + plain + placed_unselected


def _unselected_key(entry: QuoteEntry) -> tuple[str, int, int]:
    return entry.transcript, entry.start, entry.id


def _insert_unselected(members: list[QuoteEntry], entry: QuoteEntry) -> None:
    """Put ``entry`` (neither selected nor placed) among a theme's rows in board order: after the
    selected quotes, among the unselected ones by transcript, place and id, before any
    unselected quote that still has a place (as ``Study.quote_entries`` orders them)."""
    lo = 0
    while lo < len(members) and members[lo].selected:
        lo += 1
    hi = len(members)
    while hi > lo and members[hi - 1].position is not None:
        hi -= 1
    members.insert(bisect_left(members, _unselected_key(entry), lo, hi, key=_unselected_key), entry)


def filter_entries(entries: list[QuoteEntry], where: Where | None) -> list[QuoteEntry]:
    """The ``entries`` whose case attributes pass ``where`` (keys ANDed, values ORed, ignoring case).

    Entries of one case share one attributes mapping, so each case is judged once.
    """
    if not where:
        return entries
    wanted = {key.casefold(): {value.casefold() for value in values} for key, values in where.items()}
    verdicts: dict[int, bool] = {}  # id of an attributes mapping -> passes
    kept = []
    for entry in entries:
        attributes = entry.attributes
        verdict = verdicts.get(id(attributes))
        if verdict is None:
            folded = {k.casefold(): v.casefold() for k, v in attributes.items()}
            verdict = verdicts[id(attributes)] = all(folded.get(k) in vs for k, vs in wanted.items())
        if verdict:
            kept.append(entry)
    return kept
