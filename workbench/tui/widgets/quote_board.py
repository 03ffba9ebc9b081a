"""The quote board: every coded passage as a card, grouped by theme and optionally by a case
attribute, where the researcher picks, orders, trims and comments the quotes for the chapter.

The board only shows what the screen gives it (:meth:`QuoteBoard.set_quotes`) and asks for
changes with messages; it never touches the study. Cards live in an ``OptionList`` whose
heights and lines are computed without rendering, so 2,000 cards are set in a fraction of a
second. The text rules (safe characters, middle elision, attribution) are in :mod:`.quote_text`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.domain.models import Quote
from workbench.tui.widgets import quote_text as qt

#: Longest passage a card shows before its middle is cut out (characters).
PASSAGE_LIMIT = 240
_CARD_ACTIONS = {"jump", "toggle_selected", "move", "comment", "elide", "copy"}


class _Card(Visual):
    """A card: the selection mark in a gutter, and beside it blocks of (text, style) wrapped
    with a hanging indent. Heights come from :func:`quote_text.wrap_offsets`, without layout."""

    def __init__(self, mark: tuple[str, str], gutter: int, blocks: list[tuple[str, str]]) -> None:
        self._mark = mark
        self._gutter = gutter
        self._blocks = blocks
        self._layout: tuple[int, list[list[int]]] = (-1, [])

    def _breaks(self, width: int) -> list[list[int]]:
        inner = max(width - self._gutter, 1)
        if self._layout[0] != inner:
            self._layout = (inner, [qt.wrap_offsets(text, inner) for text, _ in self._blocks])
        return self._layout[1]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self._gutter + max(cell_len(text) for text, _ in self._blocks)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return sum(len(breaks) + 1 for breaks in self._breaks(width))

    def render_strips(self, width: int, height: int | None, style: Style,
                      options: RenderOptions) -> list[Strip]:
        inner = max(width - self._gutter, 1)
        fill = style.rich_style
        lines: list[Strip] = []
        for (text, block_style), breaks in zip(self._blocks, self._breaks(width)):
            for piece in Content.styled(text, block_style).divide(breaks):
                strip = piece.rstrip().render_strips(inner, 1, style, options)[0]
                lines.append(strip.extend_cell_length(inner, fill).crop(0, inner))
        mark = Content.styled(*self._mark).render_strips(self._gutter, 1, style, options)[0]
        mark = mark.extend_cell_length(self._gutter, fill).crop(0, self._gutter)
        blank = Strip.blank(self._gutter, fill)
        return [Strip.join([mark if y == 0 else blank, line]) for y, line in enumerate(lines)]


class QuoteCardList(OptionList, inherit_bindings=False):
    """The scrolling list of headers and cards; its keys are bound on :class:`QuoteBoard`."""

    DEFAULT_CSS = """
    QuoteCardList { height: 1fr; max-height: 100%; border: none; padding: 0; }
    QuoteCardList:focus { border: none; }
    QuoteCardList > .option-list--option-disabled { color: $foreground; }
    """

    def _card_from(self, index: int, direction: int) -> int | None:
        """The first card at or after ``index`` going in ``direction`` (-1 or 1), if any."""
        while 0 <= index < self.option_count:
            if not self.options[index].disabled:
                return index
            index += direction
        return None

    def move(self, direction: int) -> None:
        """Go to the next card up or down; stop at the ends instead of wrapping round."""
        if self.highlighted is None:
            self.action_first()
        elif (index := self._card_from(self.highlighted + direction, direction)) is not None:
            self.highlighted = index

    def page(self, direction: int) -> None:
        """Go a screenful up or down, to the nearest card (OptionList's own paging can land on
        a header at the top and lose the cursor)."""
        if self.highlighted is None or not self.option_count:
            self.action_first()
            return
        lines = self._lines
        y = self._index_to_line[self.highlighted] + direction * self.scrollable_content_region.height
        index = lines[max(0, min(y, len(lines) - 1))][0]
        found = self._card_from(index, direction)
        if found is None:
            found = self._card_from(index, -direction)
        if found is not None:
            self.highlighted = found

    async def _on_click(self, event: events.Click) -> None:
        # A click highlights a card; a double click jumps to it (the screen may change panes).
        event.prevent_default()  # OptionList's own click handler would select (jump) at once
        index = event.style.meta.get("option")
        if index is None or self.options[index].disabled:
            return
        self.highlighted = index
        if event.chain >= 2:
            self.action_select()


@dataclass
class _BoardMessage(Message):
    board: QuoteBoard | None = field(default=None, repr=False, kw_only=True)

    @property
    def control(self) -> QuoteBoard | None:
        return self.board


@dataclass
class _QuoteMessage(_BoardMessage):
    coding_id: int


class QuoteBoard(Vertical):
    """Coded passages as cards under theme headers, with the chapter's selection marked.

    Keys: arrows or ``j``/``k`` move between cards, ``enter`` jumps to the passage, ``space``
    selects it for the chapter, ``shift+up``/``shift+down`` reorder selected quotes, ``c``
    comments, ``e`` elides, ``y`` copies, ``g`` cycles the grouping attribute, ``f`` filters.
    """

    DEFAULT_CSS = """
    QuoteBoard { height: 1fr; }
    QuoteBoard > #quote-board-caption {
        height: 1; padding: 0 1; background: $panel; color: $foreground; text-style: bold;
    }
    """
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Previous", show=False, id="quotes.cursor_up"),
        Binding("down,j", "cursor(1)", "Next", show=False, id="quotes.cursor_down"),
        Binding("home", "first", "First", show=False, id="quotes.first"),
        Binding("end", "last", "Last", show=False, id="quotes.last"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="quotes.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="quotes.page_down"),
        Binding("enter", "jump", "Jump", id="quotes.jump"),
        Binding("space", "toggle_selected", "Select", id="quotes.toggle_selected"),
        Binding("shift+up", "move(-1)", "Move up", show=False, id="quotes.move_up"),
        Binding("shift+down", "move(1)", "Move down", show=False, id="quotes.move_down"),
        Binding("c", "comment", "Comment", id="quotes.comment"),
        Binding("e", "elide", "Elide", id="quotes.elide"),
        Binding("y", "copy", "Copy", show=False, id="quotes.copy"),
        Binding("g", "group", "Group", id="quotes.cycle_grouping"),
        Binding("f", "filter", "Filter", id="quotes.filter"),
    ]

    class JumpRequested(_QuoteMessage):
        """The researcher wants to see the quote in its transcript (enter)."""

    class SelectionToggled(_QuoteMessage):
        """The quote should be selected for the chapter, or no longer be (space)."""

    @dataclass
    class MoveRequested(_QuoteMessage):
        """A selected quote should move ``delta`` places among its theme's selected quotes."""

        delta: int = 0

    class CommentRequested(_QuoteMessage):
        """The researcher wants to write or edit the quote's comment (c)."""

    class ElideRequested(_QuoteMessage):
        """The researcher wants to trim the quote with ``[...]`` cuts (e)."""

    class CopyRequested(_QuoteMessage):
        """The quote should be copied to the clipboard (y)."""

    class QuoteHighlighted(_QuoteMessage):
        """The cursor moved to another card (e.g. to preview it)."""

    class GroupingRequested(_BoardMessage):
        """The screen should switch to the next grouping attribute (g)."""

    class FilterRequested(_BoardMessage):
        """The screen should let the researcher filter the board (f)."""

    def __init__(self, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._quotes: list[Quote | None] = []  # parallel to the options; None for headers
        self._index_of: dict[int, int] = {}  # coding id -> option index
        self._group_by: str | None = None
        self._caption = Static("", id="quote-board-caption", markup=False)
        self._cards = QuoteCardList(id="quote-board-list")  # made here, so data can come first
        self.passage_limit = PASSAGE_LIMIT
        # Which case attributes a card's attribution names (None: all of them); set by the screen.
        self.attribution_keys: list[str] | None = None
        self._card_cache: dict[tuple, _Card] = {}

    def compose(self) -> ComposeResult:
        yield self._caption
        yield self._cards

    def focus(self, scroll_visible: bool = True) -> QuoteBoard:
        """Give the keyboard to the list of cards."""
        self._cards.focus(scroll_visible)
        return self

    # -- what the screen calls -------------------------------------------------------------

    def set_caption(self, text: str) -> None:
        """Show ``text`` (e.g. the active theme filter and grouping) above the cards."""
        self._caption.update(qt.visible(text))

    def set_quotes(self, quotes: list[Quote], *, group_by: str | None = None,
                   keep_highlight: bool = True) -> None:
        """Show ``quotes`` (in the order given, as :meth:`Study.quotes` returns them).

        Cards are grouped by theme in order of first appearance and, with ``group_by``, under
        each theme by that case attribute's value. With ``keep_highlight`` the highlighted
        quote stays highlighted at the same height on screen (or the card now in its place,
        if it is gone); otherwise the first card is highlighted.
        """
        board = self._cards
        old_index = board.highlighted
        old = self.highlighted_quote if keep_highlight else None
        row: int | None = None  # where the highlighted card starts on screen, if it is there
        if old_index is not None and keep_highlight:
            row = board._index_to_line.get(old_index, 0) - round(board.scroll_offset.y)
            row = row if 0 <= row < board.scrollable_content_region.height else None
        self._group_by = group_by
        options, self._quotes = self._build(quotes, group_by)
        self._index_of = {q.id: i for i, q in enumerate(self._quotes) if q is not None}
        board.set_options(options)
        target = None
        if old is not None and old.id in self._index_of:
            target = self._index_of[old.id]
        elif keep_highlight and old_index is not None:
            target = self._nearest_card(old_index)
        self._highlight_index(target if target is not None else self._nearest_card(0), row)

    @property
    def highlighted_quote(self) -> Quote | None:
        """The quote under the cursor, or None when there is none."""
        index = self._cards.highlighted
        if index is None or index >= len(self._quotes):
            return None
        return self._quotes[index]

    @property
    def group_by(self) -> str | None:
        """The case attribute the cards are sub-grouped by, if any."""
        return self._group_by

    def highlight(self, coding_id: int) -> None:
        """Move the cursor to the card of coding ``coding_id`` (ignored if it is not shown)."""
        if coding_id in self._index_of:
            self._cards.highlighted = self._index_of[coding_id]

    # -- building cards ----------------------------------------------------------------------

    def _build(self, quotes: Iterable[Quote], group_by: str | None
               ) -> tuple[list[Option], list[Quote | None]]:
        by_theme: dict[str, list[Quote]] = {}
        for quote in quotes:
            by_theme.setdefault(quote.theme, []).append(quote)
        if not by_theme:
            note = "No quotes here: code a passage in a transcript, or change the filter (f)."
            return [Option(Content.styled(note, "italic"), disabled=True)], [None]
        marks = (qt.selection_mark(True, q.position) for group in by_theme.values() for q in group)
        gutter = max(len(mark) for mark in marks) + 1
        options: list[Option] = []
        shown: list[Quote | None] = []
        self._next_cache: dict[tuple, _Card] = {}
        for theme, members in by_theme.items():
            options.append(Option(self._header(qt.visible(theme), len(members), "bold $accent"),
                                  disabled=True))
            shown.append(None)
            for label, group in self._subgroups(members, group_by):
                if label is not None:
                    options.append(Option(self._header(f"  {label}", len(group), "bold"),
                                          disabled=True))
                    shown.append(None)
                for quote in group:
                    options += [Option(self._card(quote, gutter)), None]  # None: a rule below
                    shown.append(quote)
        self._card_cache = self._next_cache
        return options, shown

    @staticmethod
    def _subgroups(members: list[Quote], group_by: str | None
                   ) -> list[tuple[str | None, list[Quote]]]:
        if not group_by:
            return [(None, members)]
        groups: dict[str | None, list[Quote]] = {}
        for quote in members:
            groups.setdefault(qt.attribute_value(quote.attributes, group_by), []).append(quote)
        # Exact values, sorted: a drifted spelling shows up as its own group instead of hiding.
        order = sorted(groups, key=lambda v: (v is None, (v or "").casefold(), v or ""))
        folded = group_by.casefold()
        key = next((k for q in members for k in q.attributes if k.casefold() == folded), group_by)
        return [
            (qt.visible(f"{key}={value}" if value is not None else f"no {key}"), groups[value])
            for value in order
        ]

    @staticmethod
    def _header(text: str, count: int, style: str) -> Content:
        return Content.assemble((text, style), ("  " + qt.count_label(count), "dim"))

    def _attributed(self, quote: Quote) -> dict[str, str]:
        if self.attribution_keys is None:
            return dict(quote.attributes)
        return {k: v for k in self.attribution_keys if (v := quote.attributes.get(k)) is not None}

    def _card(self, quote: Quote, gutter: int) -> _Card:
        # Cards are reused across rebuilds while what they show is unchanged: their wrapped
        # layout is the costly part, and after one coding nearly every card is the same.
        key = (quote.id, quote.text, quote.elided, quote.comment, quote.selected, quote.position,
               tuple(sorted(self._attributed(quote).items())), quote.case, quote.transcript,
               gutter, self.passage_limit)
        card = self._card_cache.get(key)
        if card is None:
            card = self._new_card(quote, gutter)
        self._next_cache[key] = card
        return card

    def _new_card(self, quote: Quote, gutter: int) -> _Card:
        blocks = [
            (qt.passage(quote.text, quote.elided, self.passage_limit), ""),
            (f"{qt.attribution(quote.case, self._attributed(quote), quote.transcript)}  #{quote.id}", "dim"),
        ]
        if quote.comment:
            blocks.append((qt.visible(quote.comment), "italic"))
        mark_style = "bold $accent" if quote.selected else "dim"
        mark = (qt.selection_mark(quote.selected, quote.position), mark_style)
        return _Card(mark, gutter, blocks)

    # -- cursor ------------------------------------------------------------------------------

    def _nearest_card(self, index: int) -> int | None:
        cards = [i for i, q in enumerate(self._quotes) if q is not None]
        if not cards:
            return None
        after = [i for i in cards if i >= index]
        return after[0] if after else cards[-1]

    def _highlight_index(self, index: int | None, row: int | None) -> None:
        board = self._cards
        board.highlighted = index
        if index is not None and row is not None:
            # Keep the card where the eye was, not wherever the scroll to it would leave it.
            line = board._index_to_line.get(index, 0)
            board.scroll_to(y=max(line - row, 0), animate=False, immediate=True)
        self.refresh_bindings()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.refresh_bindings()
        quote = self.highlighted_quote
        if quote is not None:
            self.post_message(self.QuoteHighlighted(quote.id, board=self))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_jump()

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Card actions need a card; moving needs a card that is selected for the chapter."""
        if action in _CARD_ACTIONS:
            quote = self.highlighted_quote
            if quote is None:
                return False
            if action == "move" and not quote.selected:
                return None  # shown, but disabled
        return True

    def _post(self, kind: type[_QuoteMessage]) -> None:
        quote = self.highlighted_quote
        if quote is not None:
            self.post_message(kind(quote.id, board=self))

    def action_cursor(self, direction: int) -> None:
        self._cards.move(direction)

    def action_first(self) -> None:
        self._cards.action_first()

    def action_last(self) -> None:
        self._cards.action_last()

    def action_page(self, direction: int) -> None:
        self._cards.page(direction)

    def action_jump(self) -> None:
        self._post(self.JumpRequested)

    def action_toggle_selected(self) -> None:
        self._post(self.SelectionToggled)

    def action_move(self, delta: int) -> None:
        quote = self.highlighted_quote
        if quote is not None and quote.selected:
            self.post_message(self.MoveRequested(quote.id, delta, board=self))

    def action_comment(self) -> None:
        self._post(self.CommentRequested)

    def action_elide(self) -> None:
        self._post(self.ElideRequested)

    def action_copy(self) -> None:
        self._post(self.CopyRequested)

    def action_group(self) -> None:
        self.post_message(self.GroupingRequested(board=self))

    def action_filter(self) -> None:
        self.post_message(self.FilterRequested(board=self))
