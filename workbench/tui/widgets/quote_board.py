"""The quote board: every coded passage as a card, grouped by theme and optionally by a case
attribute, where the researcher picks, orders, trims and comments the quotes for the chapter.

The board only shows what the screen gives it and asks for changes with messages; it never
touches the study. It is virtual: the screen gives light :class:`QuoteEntry` rows (enough to
order and group 100,000 codings) and a loader, and a card's quote is loaded, wrapped and
drawn only when the card comes into view. After a change the screen replaces one theme's rows
(:meth:`QuoteBoard.update_theme`) instead of the whole board. The text rules (safe characters,
middle elision, attribution) are in :mod:`.quote_text`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import chain

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from workbench.display import quote_lines as qt
from workbench.domain.models import Quote, QuoteEntry
from workbench.tui.widgets.one_line import OneLineWidget
from workbench.tui.widgets.plain_lines import PlainLines

#: Longest passage a card shows before its middle is cut out (characters).
PASSAGE_LIMIT = 240
_CARD_ACTIONS = {"jump", "toggle_selected", "move", "comment", "elide", "copy"}
#: The component styles a drawn card is made with (the highlight is laid over it when drawn).
_CARD_STYLES = ("theme", "group", "count", "selected-mark", "mark", "meta", "comment", "note", "rule")
#: Quotes loaded at a time when cards come into view.
_LOAD_BATCH = 64
#: Drawn cards kept for reuse (a few screens' worth).
_CARD_CACHE = 2_000

#: Loads the quotes of the given coding ids (those it cannot find are left out).
QuoteLoader = Callable[[list[int]], Mapping[int, Quote]]


class _Caption(OneLineWidget):
    """The board's title line: what it shows (a theme, or all), how many quotes, then the
    filter, grouping and search. When the line is too narrow, the theme is shortened, then the
    count left out; the filter, grouping and search always show."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.head = ""
        self.tail = ""
        self.count: int | None = None  # None: the board has not been shown yet

    def update(self, head: str, tail: str = "") -> None:
        self.head, self.tail = head, tail
        self.refresh()

    def show_count(self, count: int) -> None:
        """Show how many quotes the board holds (this one line is drawn again, if it changed)."""
        if count != self.count:
            self.count = count
            self.refresh()

    def render(self) -> Text:
        width = self.content_size.width
        tail = self._tail(with_count=True)
        if width and min(cell_len(self.head), 2) + cell_len(tail) > width:  # a theme shortened to 2 cells
            tail = self._tail(with_count=False)
        head = Text(self.head)
        if width and head.cell_len + cell_len(tail) > width:
            head.truncate(max(width - cell_len(tail), 2), overflow="ellipsis")
        head.append(tail)
        head.no_wrap, head.overflow = True, "ellipsis"
        return head

    def _tail(self, with_count: bool) -> str:
        """What follows the theme, with its separator."""
        parts = [self.tail] if self.tail else []
        if with_count and self.count is not None:
            parts.insert(0, f"{self.count:,} quote{'' if self.count == 1 else 's'}")
        tail = " · ".join(parts)
        return f" · {tail}" if tail and self.head else tail


@dataclass(frozen=True, slots=True)
class _Header:
    """A theme's header (level 0) or an attribute value's header under it (level 1)."""

    text: str
    count: int
    level: int


@dataclass(frozen=True, slots=True)
class _Note:
    """A line of explanation, such as why the board is empty."""

    text: str


_Row = _Header | _Note | QuoteEntry


class QuoteCardList(PlainLines, Widget, can_focus=True):
    """The scrolling list of headers and cards, drawn a screenful at a time (Line API).

    Scrolling is by rows (a header or a whole card): the first row shown is :attr:`top`.
    Its keys are bound on :class:`QuoteBoard`.
    """

    COMPONENT_CLASSES = {
        "quote-card-list--theme",
        "quote-card-list--group",
        "quote-card-list--count",
        "quote-card-list--selected-mark",
        "quote-card-list--mark",
        "quote-card-list--meta",
        "quote-card-list--comment",
        "quote-card-list--note",
        "quote-card-list--rule",
        "quote-card-list--highlight",
        "quote-card-list--scrollbar",
    }
    DEFAULT_CSS = """
    QuoteCardList { height: 1fr; background: $surface; color: $foreground; }
    QuoteCardList > .quote-card-list--theme { color: $accent; text-style: bold; }
    QuoteCardList > .quote-card-list--group { text-style: bold; }
    QuoteCardList > .quote-card-list--count { text-style: dim; }
    QuoteCardList > .quote-card-list--selected-mark { color: $accent; text-style: bold; }
    QuoteCardList > .quote-card-list--mark { text-style: dim; }
    QuoteCardList > .quote-card-list--meta { text-style: dim; }
    QuoteCardList > .quote-card-list--comment { text-style: italic; }
    QuoteCardList > .quote-card-list--note { text-style: italic; }
    QuoteCardList > .quote-card-list--rule { color: $panel-lighten-2; }
    QuoteCardList > .quote-card-list--highlight { background: $block-cursor-blurred-background; }
    QuoteCardList:focus > .quote-card-list--highlight { background: $block-cursor-background; }
    QuoteCardList > .quote-card-list--scrollbar { color: $panel-lighten-2; }
    """

    @dataclass
    class Clicked(Message):
        """A card was clicked (``double``: twice)."""

        index: int
        double: bool

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[_Row] = [_Note("")]
        self.top = 0  # the first row on screen
        self.highlighted: int | None = None
        self.mark_width = 2
        self.passage_limit = PASSAGE_LIMIT
        self.attribution_keys: list[str] | None = None
        self._load: QuoteLoader = lambda ids: {}
        self._loaded: dict[int, Quote | None] = {}
        self._cards: dict[int, tuple[tuple, list[Strip]]] = {}  # coding id -> (what it shows, lines)
        self._styles: dict[str, Style] = {}
        # Each screen line as last drawn, with the card line, highlight and scroll bar it shows.
        self._lines_drawn: dict[int, tuple[Strip | None, tuple[bool, bool, int], Strip]] = {}
        self._screen: list[tuple[Strip, int]] | None = None  # the visible lines and their rows
        self._thumb_rows = range(0)  # the scroll bar's thumb on that screen
        self._card_styles: tuple[Style, ...] = ()  # the styles the drawn cards were drawn with
        self._card_styles_checked = False
        self._drawn: tuple | None = None  # the screen as drawn before a change, until redrawn

    # -- data ----------------------------------------------------------------------------

    def set_rows(self, rows: list[_Row], load: QuoteLoader | None = None) -> None:
        """Show ``rows``; ``load`` (if given) replaces the quote loader and its cache."""
        self.rows = rows or [_Note("")]
        if load is not None:
            self._load = load
            self._loaded.clear()
        self._changed()

    def forget_loaded(self, ids: Iterable[int] | None = None) -> None:
        """The quotes (of coding ``ids``; None: all) may have changed: load them again when drawn."""
        if ids is None:
            self._loaded.clear()
        else:
            for coding_id in ids:
                self._loaded.pop(coding_id, None)
        self._changed()

    def quote(self, index: int | None) -> Quote | None:
        """The quote of the card at row ``index`` (None for a header or no row)."""
        if index is None or not 0 <= index < len(self.rows):
            return None
        row = self.rows[index]
        if not isinstance(row, QuoteEntry):
            return None
        if row.id not in self._loaded:
            self._load_from(index)
        return self._loaded.get(row.id)

    def _load_from(self, index: int) -> None:
        """Load the quote at ``index`` and those after it that are not loaded, up to a batch;
        stop at a loaded one: after a change only that change's cards are missing."""
        ids = []
        for row in itertools.islice(self.rows, index, None):
            if isinstance(row, QuoteEntry):
                if row.id in self._loaded:
                    break
                ids.append(row.id)
                if len(ids) == _LOAD_BATCH:
                    break
        found = self._load(ids)
        self._loaded.update({i: found.get(i) for i in ids})  # None: gone from the study

    def is_card(self, index: int) -> bool:
        return 0 <= index < len(self.rows) and isinstance(self.rows[index], QuoteEntry)

    def _changed(self) -> None:
        """What the list shows may have changed. The lines are composed again when next drawn;
        once the change is made (a change often comes in several steps: rows, cursor, cards
        forgotten), only the screen lines that differ from those drawn are drawn again. A coding
        far from the cards in view then repaints none of the board (it used to repaint it all,
        two fifths of the bytes written for a coding)."""
        if self._drawn is None:
            if self._screen is None or not self.is_mounted or not self.size.height:
                self._screen = None
                self.refresh()
                return
            self._drawn = (self._screen, self.highlighted, self._thumb_rows)
            self.call_later(self._draw_changed_lines)
        self._screen = None

    def _draw_changed_lines(self) -> None:
        drawn, self._drawn = self._drawn, None
        if drawn is None:
            return
        before, highlighted_before, thumb_before = drawn
        now = self._compose_screen()
        changed = []
        for y in range(self.size.height):
            old = before[y] if y < len(before) else None
            new = now[y] if y < len(now) else None
            if old is None or new is None:
                same = old is new
            else:
                same = (
                    (old[0] is new[0] or old[0] == new[0])
                    and (old[1] == highlighted_before) == (new[1] == self.highlighted)
                    and (y in thumb_before) == (y in self._thumb_rows)
                )
            if not same:
                changed.append(y)
        self._refresh_lines(changed)

    def _refresh_rows(self, rows: set[int | None]) -> None:
        """Draw again only the screen lines of ``rows`` (the highlight is applied as lines are
        drawn): repainting the board's every line on each move of the cursor cost more."""
        self._refresh_lines([y for y, (_line, index) in enumerate(self._screen or ()) if index in rows])

    def _refresh_lines(self, lines: list[int]) -> None:
        """Repaint these screen lines (in order), a run of neighbours as one region: each
        refresh through Textual costs about 0.05 ms, and a moved card is a dozen lines."""
        width, runs = self.size.width, []
        for y in lines:
            if runs and runs[-1][1] == y:
                runs[-1][1] = y + 1
            else:
                runs.append([y, y + 1])
        if runs:
            self.refresh(*(Region(0, start, width, end - start) for start, end in runs))

    # -- cursor and scrolling ------------------------------------------------------------

    def card_from(self, index: int, direction: int) -> int | None:
        """The first card at or after ``index`` going in ``direction`` (-1 or 1), if any."""
        while 0 <= index < len(self.rows):
            if isinstance(self.rows[index], QuoteEntry):
                return index
            index += direction
        return None

    def highlight(self, index: int | None, *, row_on_screen: int | None = None) -> None:
        """Put the cursor on row ``index`` and scroll it into view (at ``row_on_screen`` if
        given, so a card stays where the eye was)."""
        before, top = self.highlighted, self.top
        self.highlighted = index
        if index is not None and self.size.height:  # not laid out yet: it starts at the top
            if row_on_screen is not None:
                self.top = self._top_for(index, row_on_screen)
            else:
                self._scroll_into_view(index)
        if self._screen is not None and self.top == top:
            self._refresh_rows({before, index})  # the same lines on screen: two cards change
        else:
            self._changed()

    def move(self, direction: int) -> None:
        """Go to the next card up or down; stop at the ends instead of wrapping round."""
        if self.highlighted is None:
            self.highlight(self.card_from(0, 1))
        elif (index := self.card_from(self.highlighted + direction, direction)) is not None:
            self.highlight(index)

    def page(self, direction: int) -> None:
        """Go a screenful up or down, to the nearest card."""
        if self.highlighted is None:
            self.highlight(self.card_from(0, 1))
            return
        index, lines = self.highlighted, 0
        while 0 <= index + direction < len(self.rows) and lines < self._view_height():
            index += direction
            lines += self._height(index)
        found = self.card_from(index, direction)
        if found is None:
            found = self.card_from(index, -direction)
        if found is not None:
            self.highlight(found)

    def first(self) -> None:
        self.highlight(self.card_from(0, 1))

    def last(self) -> None:
        self.highlight(self.card_from(len(self.rows) - 1, -1))

    def row_on_screen(self, index: int | None) -> int | None:
        """Where row ``index`` starts on screen, or None if it is not in view."""
        if index is None or index < self.top:
            return None
        y, room = 0, self._view_height()
        for i in range(self.top, index):  # every row is a line at least: a far one is off screen
            y += self._height(i)
            if y >= room:
                return None
        return y

    def scroll_rows(self, delta: int) -> None:
        """Scroll by ``delta`` rows without moving the cursor."""
        self.top = max(0, min(self.top + delta, self._last_top()))
        self._changed()

    def _view_height(self) -> int:
        return max(self.size.height, 1)

    def _scroll_into_view(self, index: int) -> None:
        if index < self.top:
            self.top = index
            while self.top > 0 and isinstance(self.rows[self.top - 1], _Header):
                self.top -= 1  # keep the headers above a card in view
            return
        if index - self.top > self._view_height():
            self.top = self._top_for(index, self._view_height() - self._height(index))
            return
        bottom = sum(self._height(i) for i in range(self.top, index + 1))
        while bottom > self._view_height() and self.top < index:
            bottom -= self._height(self.top)
            self.top += 1

    def reveal_heading(self) -> None:
        """Scroll so the heading the highlighted card sits under (its theme's, or its group's)
        is in view too, when both fit on the screen: after the board is regrouped or filtered,
        the reader still sees which group the card is in."""
        index = self.highlighted
        if index is None or not self.size.height:
            return
        heading = next((i for i in range(index - 1, -1, -1) if isinstance(self.rows[i], _Header)), None)
        if heading is None or heading >= self.top:
            return
        while heading > 0 and isinstance(self.rows[heading - 1], _Header):
            heading -= 1  # a theme's heading right above its first group's
        # Measured until the screen is full, not to the card: a card far below its heading
        # would otherwise have every card in between loaded and wrapped just to be measured.
        height, room = 0, self._view_height()
        for i in range(heading, index + 1):
            height += self._height(i)
            if height > room:
                return
        self.top = heading
        self._changed()

    def _top_for(self, index: int, y: int) -> int:
        """The first row to show so that row ``index`` starts about ``y`` lines down."""
        top, above = index, 0
        while top > 0 and above + self._height(top - 1) <= y:
            top -= 1
            above += self._height(top)
        return top

    def _last_top(self) -> int:
        return self._top_for(len(self.rows) - 1, self._view_height() - self._height(len(self.rows) - 1))

    # -- drawing -------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # A change of focus is a style update too (the highlight is brighter with the focus), and
        # opening or closing any dialog moves the focus: the drawn cards are kept when the styles
        # they are drawn with have not changed (see _card_styles_now).
        self._styles.clear()
        self._lines_drawn.clear()
        self._screen = None
        self._card_styles_checked = False

    def _card_styles_now(self) -> None:
        """Forget the drawn cards if the styles they are drawn with changed since they were drawn."""
        if self._card_styles_checked:
            return
        self._card_styles_checked = True
        styles = tuple(self._style(name) for name in _CARD_STYLES)
        if styles != self._card_styles:
            self._cards.clear()
            self._card_styles = styles

    def on_resize(self, event: events.Resize) -> None:
        self._cards.clear()
        self._screen = None

    def _style(self, name: str) -> Style:
        if name not in self._styles:
            self._styles[name] = self.get_component_rich_style(f"quote-card-list--{name}")
        return self._styles[name]

    def _text_width(self) -> int:
        return max(self.size.width - 1, 1)  # the last column is the scroll bar

    def _height(self, index: int) -> int:
        return len(self._lines(index))

    def _lines(self, index: int) -> list[Strip]:
        self._card_styles_now()
        row = self.rows[index]
        width = self._text_width()
        if isinstance(row, QuoteEntry):
            return self._card_lines(index, row, width)
        if isinstance(row, _Header):
            style = self._style("theme" if row.level == 0 else "group")
            parts = [("  " * row.level + row.text, style), ("  " + qt.count_label(row.count), self._style("count"))]
        else:
            parts = [(row.text, self._style("note"))]
        return _wrapped(parts, width)

    def _card_lines(self, index: int, entry: QuoteEntry, width: int) -> list[Strip]:
        quote = self.quote(index)
        if quote is None:  # gone from the study since the rows were made
            return [Strip([Segment("…", self._style("meta"))]).crop_extend(0, width, None)]
        attributes = self._attributed(quote)
        shows = (
            quote.text,
            quote.elided,
            quote.comment,
            quote.selected,
            quote.position,
            quote.case,
            quote.transcript,
            tuple(attributes.items()),
            width,
            self.mark_width,
            self.passage_limit,
        )
        cached = self._cards.get(quote.id)
        if cached is not None and cached[0] == shows:
            return cached[1]
        blocks = [
            (qt.passage(quote.text, quote.elided, self.passage_limit), Style.null()),
            (f"{qt.attribution(quote.case, attributes, quote.transcript)}  #{quote.id}", self._style("meta")),
        ]
        if quote.comment:
            blocks.append((qt.visible(quote.comment), self._style("comment")))
        inner = max(width - self.mark_width, 1)
        mark = Segment(
            qt.selection_mark(quote.selected, quote.position),
            self._style("selected-mark" if quote.selected else "mark"),
        )
        lines = [line for block in blocks for line in _wrapped([block], inner)]
        blank = Strip.blank(self.mark_width)
        lines = [
            Strip.join([Strip([mark]).crop_extend(0, self.mark_width, None) if y == 0 else blank, line])
            for y, line in enumerate(lines)
        ]
        lines.append(Strip([Segment("─" * width, self._style("rule"))]))
        if len(self._cards) >= _CARD_CACHE:
            self._cards.clear()
        self._cards[quote.id] = (shows, lines)
        return lines

    def _attributed(self, quote: Quote) -> dict[str, str]:
        if self.attribution_keys is None:
            return dict(quote.attributes)
        return {k: v for k in self.attribution_keys if (v := quote.attributes.get(k)) is not None}

    def _compose_screen(self) -> list[tuple[Strip, int]]:
        if self._screen is None:
            self._card_styles_now()
            self.top = max(0, min(self.top, len(self.rows) - 1))
            screen = self._fill_from(self.top)
            if len(screen) < self._view_height() and self.top > 0:  # rows went: no space left below
                self.top = self._last_top()
                screen = self._fill_from(self.top)
            self._screen = screen
            self._thumb_rows = self._thumb(screen)
        return self._screen

    def _fill_from(self, index: int) -> list[tuple[Strip, int]]:
        screen: list[tuple[Strip, int]] = []
        while len(screen) < self._view_height() and index < len(self.rows):
            screen.extend((line, index) for line in self._lines(index))
            index += 1
        return screen

    def _thumb(self, screen: list[tuple[Strip, int]]) -> range:
        """The rows of the scroll bar's thumb on ``screen`` (empty when everything fits)."""
        height = self._view_height()
        shown = len({index for _, index in screen[:height]})
        total = len(self.rows)
        if self.top == 0 and (not screen or screen[-1][1] == total - 1) and len(screen) <= height:
            return range(0)
        start = min(height - 1, self.top * height // total)
        size = max(1, shown * height // total)
        return range(start, min(height, start + size))

    def render_line(self, y: int) -> Strip:
        screen = self._compose_screen()
        line, index = screen[y] if y < len(screen) else (None, None)
        looks = (line is not None and index == self.highlighted, y in self._thumb_rows, self.size.width)
        kept = self._lines_drawn.get(y)
        if kept is not None and kept[0] is line and kept[1] == looks:
            return kept[2]  # lines are handed to the screen without another cache (plain_lines.py)
        highlighted, in_thumb, _width = looks
        if line is None:
            shown = Strip.blank(self._text_width())
        else:
            shown = line.apply_style(self._style("highlight")) if highlighted else line
        bar = Segment("┃" if in_thumb else " ", self._style("scrollbar"))
        if "base" not in self._styles:  # rich_style walks every ancestor: once per style update
            self._styles["base"] = self.rich_style
        strip = Strip.join([shown, Strip([bar])]).apply_style(self._styles["base"])
        self._lines_drawn[y] = (line, looks, strip)
        return strip

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    # -- mouse ---------------------------------------------------------------------------

    def _row_at(self, y: int) -> int | None:
        screen = self._compose_screen()
        return screen[y][1] if 0 <= y < len(screen) else None

    def on_click(self, event: events.Click) -> None:
        event.stop()
        index = self._row_at(event.y)
        if index is not None and self.is_card(index):
            self.post_message(self.Clicked(index, event.chain >= 2))

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_rows(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_rows(-3)


def _wrapped(parts: list[tuple[str, Style]], width: int) -> list[Strip]:
    """Styled text wrapped at ``width`` cells between words, each line padded to the width."""
    text = "".join(part for part, _ in parts)
    starts = [0, *qt.wrap_offsets(text, width)]
    lines = []
    for start, end in zip(starts, [*starts[1:], len(text)]):
        segments, offset = [], 0
        for part, style in parts:
            piece = part[max(start - offset, 0) : max(end - offset, 0)]
            if piece:
                segments.append(Segment(piece, style))
            offset += len(part)
        if segments:  # the spaces a line ends with are not shown
            last = segments[-1]
            segments[-1] = Segment(last.text.rstrip(), last.style)
        lines.append(Strip(segments).crop_extend(0, width, None))
    return lines


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

    class GroupingRequested(_BoardMessage):
        """The screen should switch to the next grouping attribute (g)."""

    class FilterRequested(_BoardMessage):
        """The screen should let the researcher filter the board (f)."""

    EMPTY = "No quotes here: code a passage in a transcript, or change the filter (f)."

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._groups: dict[str, list[QuoteEntry]] = {}  # theme path -> its entries, in board order
        self._segments: dict[str, list[_Row]] = {}  # theme path -> its header(s) and cards
        self._theme_order: list[str] = []
        self._highest_position: dict[str, int | None] = {}  # theme path -> its last selected quote's place
        self._group_by: str | None = None
        self._caption = _Caption(id="quote-board-caption")
        self._cards = QuoteCardList(id="quote-board-list")  # made here, so data can come first
        self._actions_state: bool | None = None
        self.passage_limit = PASSAGE_LIMIT

    def compose(self) -> ComposeResult:
        yield self._caption
        yield self._cards

    def focus(self, scroll_visible: bool = True) -> QuoteBoard:
        """Give the keyboard to the list of cards."""
        self._cards.focus(scroll_visible)
        return self

    @property
    def attribution_keys(self) -> list[str] | None:
        """Which case attributes a card's attribution names (None: all of them)."""
        return self._cards.attribution_keys

    @attribution_keys.setter
    def attribution_keys(self, keys: list[str] | None) -> None:
        self._cards.attribution_keys = keys

    # -- what the screen calls -------------------------------------------------------------

    def set_caption(self, text: str, tail: str = "") -> None:
        """Show ``text`` (what the board shows, e.g. a theme) and then ``tail`` (e.g. the filter
        and grouping) above the cards; on a narrow board ``text`` is shortened, never ``tail``."""
        self._caption.update(qt.visible(text), qt.visible(tail))

    def set_quotes(self, quotes: list[Quote], *, group_by: str | None = None, keep_highlight: bool = True) -> None:
        """Show ``quotes`` (in the order given, as :meth:`Study.quotes` returns them)."""
        loaded = {q.id: q for q in quotes}
        entries = [
            QuoteEntry(q.id, q.theme, q.theme_id, q.selected, q.position, q.attributes, q.transcript, q.start)
            for q in quotes
        ]
        self.show(
            entries,
            lambda ids: {i: loaded[i] for i in ids if i in loaded},
            group_by=group_by,
            keep_highlight=keep_highlight,
        )

    def show(
        self,
        entries: Iterable[QuoteEntry],
        load: QuoteLoader,
        *,
        group_by: str | None = None,
        theme_order: list[str] | None = None,
        keep_highlight: bool = True,
    ) -> None:
        """Show ``entries`` in the order given, their quotes loaded by ``load`` as they come into view.

        Cards are grouped by theme (in ``theme_order``, else in order of first appearance) and,
        with ``group_by``, under each theme by that case attribute's value. With
        ``keep_highlight`` the highlighted quote stays highlighted at the same height on screen
        (or the card now in its place, if it is gone); otherwise the first card is highlighted.
        """
        groups: dict[str, list[QuoteEntry]] = {}
        for entry in entries:
            groups.setdefault(entry.theme, []).append(entry)
        self._group_by = group_by
        self._theme_order = list(theme_order) if theme_order is not None else list(groups)
        self._groups = {theme: groups[theme] for theme in self._ordered(groups)}
        self._highest_position = {}
        self._segments = {theme: self._segment(theme, members) for theme, members in self._groups.items()}
        self._relayout(load, keep_highlight)

    def update_theme(self, theme: str, entries: list[QuoteEntry], *, screen_stays: bool = False) -> None:
        """Replace the cards of one theme (after a change to its codings or quotes).

        The highlighted card stays at the height it had on screen, as far as it can; with
        ``screen_stays`` (the card was moved in the chapter order) the screen stays where it is
        and the cursor follows the card, scrolling only if the card leaves the screen: the card
        is seen to move, as a line moved in an editor, and only the lines of the cards that
        swapped places are drawn again (holding the card still redrew the whole board).

        The theme's rows are spliced into the list of rows in place: a new list of every row
        (100,000 at research scale) after each change would cost its building and, being new,
        a pass of the garbage collector over every row it points to.
        """
        splice = self._splice_range(theme)
        if entries:
            self._groups[theme] = entries
            segment = self._segments[theme] = self._segment(theme, entries)
            if theme not in self._theme_order:
                self._theme_order.append(theme)
            order = self._ordered(self._groups)
            if list(self._groups) != order:
                self._groups = {t: self._groups[t] for t in order}
                self._segments = {t: self._segments[t] for t in order}
                splice = None  # a theme that was not shown: its place is found by a full rebuild
        else:
            segment = []
            self._groups.pop(theme, None)
            self._segments.pop(theme, None)
            self._highest_position.pop(theme, None)
            if not self._segments:
                splice = None  # the board is empty now: its note replaces the rows
        self._relayout(
            None, keep_highlight=True, splice=(*splice, segment) if splice else None, screen_stays=screen_stays
        )

    def forget_loaded(self, ids: Iterable[int] | None = None) -> None:
        """The quotes on screen (of coding ``ids``; None: all) may have changed (a comment, an
        elision): draw them anew."""
        self._cards.forget_loaded(ids)

    def _ordered(self, groups: Mapping[str, object]) -> list[str]:
        rank = {theme: i for i, theme in enumerate(self._theme_order)}
        return sorted(groups, key=lambda theme: rank.get(theme, len(rank)))

    def _splice_range(self, theme: str) -> tuple[int, int] | None:
        """Where ``theme``'s rows are in the card list now (start, end), if the list is made of
        the board's segments and the theme has one (None: rebuild the whole list)."""
        if theme not in self._segments or not self._cards.rows or not isinstance(self._cards.rows[0], _Header):
            return None
        start = 0
        for name, segment in self._segments.items():
            if name == theme:
                return start, start + len(segment)
            start += len(segment)
        return None

    def _relayout(
        self,
        load: QuoteLoader | None,
        keep_highlight: bool,
        splice: tuple[int, int, list[_Row]] | None = None,
        screen_stays: bool = False,
    ) -> None:
        """Show the segments anew; with ``splice`` (start, end, rows) only the rows from start to
        end are replaced by the given ones, in the list the cards already show. With
        ``screen_stays`` the first row shown stays and the highlighted card is only scrolled
        into view (see :meth:`update_theme`)."""
        cards = self._cards
        old_index = cards.highlighted
        old = self._entry(old_index) if keep_highlight else None
        held = keep_highlight and cards.is_mounted and not screen_stays
        row = cards.row_on_screen(old_index) if held else None
        if splice is not None:
            start, end, segment = splice
            rows: list[_Row] = cards.rows
            rows[start:end] = segment
        elif self._segments:
            rows = list(chain.from_iterable(self._segments.values()))
        else:
            rows = [_Note(self.EMPTY)]
        highest = max((p for p in self._highest_position.values() if p is not None), default=None)
        cards.mark_width = len(qt.selection_mark(True, highest)) + 1
        cards.passage_limit = self.passage_limit
        cards.set_rows(rows, load)
        target = self._index_of(old.id, near=old_index) if old is not None else None
        if target is None:
            target = cards.card_from(old_index if keep_highlight and old_index is not None else 0, 1)
            if target is None:
                target = cards.card_from(len(rows) - 1, -1)
        cards.highlight(target, row_on_screen=row if target is not None and old is not None else None)
        if not screen_stays:  # a heading just above the screen is not scrolled into view either
            cards.reveal_heading()
        self._caption.show_count(self.count)
        self._highlight_changed()

    def _segment(self, theme: str, members: list[QuoteEntry]) -> list[_Row]:
        self._highest_position[theme] = max((e.position for e in members if e.selected and e.position), default=None)
        rows: list[_Row] = [_Header(qt.visible(theme), len(members), 0)]
        for label, group in self._subgroups(members, self._group_by):
            if label is not None:
                rows.append(_Header(label, len(group), 1))
            rows.extend(group)
        return rows

    @staticmethod
    def _subgroups(members: list[QuoteEntry], group_by: str | None) -> list[tuple[str | None, list[QuoteEntry]]]:
        if not group_by:
            return [(None, members)]
        groups: dict[str | None, list[QuoteEntry]] = {}
        for entry in members:
            groups.setdefault(qt.attribute_value(entry.attributes, group_by), []).append(entry)
        # Exact values, sorted: a drifted spelling shows up as its own group instead of hiding.
        order = sorted(groups, key=lambda v: (v is None, (v or "").casefold(), v or ""))
        folded = group_by.casefold()
        key = next((k for e in members for k in e.attributes if k.casefold() == folded), group_by)
        return [(qt.visible(f"{key}={value}" if value is not None else f"no {key}"), groups[value]) for value in order]

    def _entry(self, index: int | None) -> QuoteEntry | None:
        rows = self._cards.rows
        if index is None or not 0 <= index < len(rows):
            return None
        row = rows[index]
        return row if isinstance(row, QuoteEntry) else None

    def _index_of(self, coding_id: int, near: int | None = None) -> int | None:
        rows = self._cards.rows
        if near is not None:  # most changes leave a card where it was, or close by
            for index in range(max(0, near - 200), min(len(rows), near + 200)):
                row = rows[index]
                if isinstance(row, QuoteEntry) and row.id == coding_id:
                    return index
        return next((i for i, row in enumerate(rows) if isinstance(row, QuoteEntry) and row.id == coding_id), None)

    @property
    def highlighted_quote(self) -> Quote | None:
        """The quote under the cursor, or None when there is none."""
        return self._cards.quote(self._cards.highlighted)

    def entries(self) -> list[QuoteEntry]:
        """Every coding the board shows, in board order."""
        return [entry for members in self._groups.values() for entry in members]

    @property
    def count(self) -> int:
        """How many cards the board shows."""
        return sum(len(members) for members in self._groups.values())

    @property
    def group_by(self) -> str | None:
        """The case attribute the cards are sub-grouped by, if any."""
        return self._group_by

    def highlight(self, coding_id: int) -> None:
        """Move the cursor to the card of coding ``coding_id`` (ignored if it is not shown)."""
        index = self._index_of(coding_id, near=self._cards.highlighted)
        if index is not None:
            self._cards.highlight(index)
            self._highlight_changed()

    # -- cursor ------------------------------------------------------------------------------

    def _highlight_changed(self) -> None:
        # The footer is rebuilt only when what it shows changes: rebuilding it on every move
        # costs more than the move. It shows the card keys only on a card; whether "move" is
        # allowed (a selected quote) is asked again when the key is pressed, and the footer
        # does not show it. (No message says which card is highlighted: nothing listened, and
        # its way up through four widgets cost every move and every change about 0.2 ms.)
        state = self._entry(self._cards.highlighted) is not None
        if state != self._actions_state:
            self._actions_state = state
            self.refresh_bindings()

    def on_quote_card_list_clicked(self, event: QuoteCardList.Clicked) -> None:
        event.stop()
        self._cards.highlight(event.index)
        self._highlight_changed()
        if event.double:
            self.action_jump()

    # -- actions -----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Card actions need a card; moving needs a card that is selected for the chapter."""
        if action in _CARD_ACTIONS:
            entry = self._entry(self._cards.highlighted)
            if entry is None:
                return False
            if action == "move" and not entry.selected:
                return None  # shown, but disabled
        return True

    def _post(self, kind: type[_QuoteMessage]) -> None:
        entry = self._entry(self._cards.highlighted)
        if entry is not None:
            self.post_message(kind(entry.id, board=self))

    def _then(self, move: Callable[[], None]) -> None:
        before = self._cards.highlighted
        move()
        if self._cards.highlighted != before:
            self._highlight_changed()

    def action_cursor(self, direction: int) -> None:
        self._then(lambda: self._cards.move(direction))

    def action_first(self) -> None:
        self._then(self._cards.first)

    def action_last(self) -> None:
        self._then(self._cards.last)

    def action_page(self, direction: int) -> None:
        self._then(lambda: self._cards.page(direction))

    def action_jump(self) -> None:
        self._post(self.JumpRequested)

    def action_toggle_selected(self) -> None:
        self._post(self.SelectionToggled)

    def action_move(self, delta: int) -> None:
        entry = self._entry(self._cards.highlighted)
        if entry is not None and entry.selected:
            self.post_message(self.MoveRequested(entry.id, delta, board=self))

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
