"""The transcript pane: a Line API view of one transcript with its codings, cursor and selection.

Only visible lines are rendered; rendered lines are cached as Strips and a cursor move refreshes
just the lines it touches, so a 300,000-character transcript scrolls and codes without lag.
The wrapping and text motions live in :mod:`.transcript_layout`.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.signal import Signal
from textual.strip import Strip

from workbench.display.theme_mark import mark_style
from workbench.domain.colours import blend, normalise_colour, readable_on
from workbench.domain.models import Turn
from workbench.tui.widgets import transcript_layout as tl
from workbench.tui.widgets.plain_lines import PlainLines
from workbench.tui.widgets.prepared_text import PreparedText, PreparedTexts

GUTTER = 3  # cells left of the text: one theme mark per theme on the line
SMALL_CHANGE = 16  # marks changed at once below which they are moved one by one, not all sorted again
TINT = 0.35  # how much of a theme colour shows behind coded text
_VERTICAL = {"up", "down", "page_up", "page_down", "half_page_up", "half_page_down"}


@dataclass(frozen=True)
class Mark:
    """A coding to draw: ``text[start:end]`` carries theme ``theme_id`` shown in ``color``."""

    id: int
    start: int
    end: int
    theme_id: int
    color: str  # '#rrggbb'
    label: str = "▌"  # the theme's mark in the gutter: one character, so themes differ without colour


def _mark_order(mark: Mark) -> tuple[int, int, int]:
    """Marks in text order, as the study gives a transcript's codings: start, end, coding id."""
    return mark.start, mark.end, mark.id


def _mark_index(marks: Iterable[Mark]) -> tl.SpanIndex[Mark]:
    return tl.SpanIndex(marks, order=_mark_order)


def _moves(prefix: str, action: str, keys: dict[str, str]) -> list[Binding]:
    """One hidden binding per motion, with ids like ``transcript.cursor_down``."""
    verb = "Extend selection" if prefix == "select" else "Cursor"
    return [
        Binding(
            key,
            f"{action}('{motion}')",
            f"{verb} {motion.replace('_', ' ')}",
            show=False,
            id=f"transcript.{prefix}_{motion}",
        )
        for motion, key in keys.items()
    ]


def _joined(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Offset spans (start, end, both included) with overlapping ones joined."""
    joined: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], end))
        else:
            joined.append((start, end))
    return joined


class TranscriptView(PlainLines, ScrollView, can_focus=True):
    """A read-only, soft-wrapped transcript with coloured codings, a cursor and a selection."""

    COMPONENT_CLASSES = {
        "transcript-view--speaker",
        "transcript-view--cursor",
        "transcript-view--selection",
        "transcript-view--search-hit",
        "transcript-view--control",
        "transcript-view--interviewer",
    }
    DEFAULT_CSS = """
    TranscriptView {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        background: $surface;
        color: $foreground;
    }
    TranscriptView > .transcript-view--speaker { color: $accent; text-style: bold; }
    TranscriptView > .transcript-view--cursor { text-style: reverse; }
    TranscriptView > .transcript-view--selection { background: $primary 55%; }
    TranscriptView > .transcript-view--search-hit { background: $warning 55%; }
    TranscriptView > .transcript-view--control { color: $error; }
    /* The one who asks is set apart from the informant without colour too: italic, muted. */
    TranscriptView > .transcript-view--interviewer { color: $foreground-muted; text-style: italic; }
    """
    BINDINGS = [
        *_moves(
            "cursor",
            "move",
            {
                "up": "up,k",
                "down": "down,j",
                "left": "left",
                "right": "right",
                "word_left": "ctrl+left,b",
                "word_right": "ctrl+right,w",
                "page_up": "pageup",
                "page_down": "pagedown",
                "half_page_up": "ctrl+u",
                "half_page_down": "ctrl+d",
                "line_start": "home",
                "line_end": "end",
                "document_start": "ctrl+home,g",
                "document_end": "ctrl+end,G",
            },
        ),
        *_moves(
            "cursor",
            "move",
            {
                "sentence_next": "right_parenthesis",
                "sentence_previous": "left_parenthesis",
                "turn_next": "right_curly_bracket",
                "turn_previous": "left_curly_bracket",
            },
        ),
        *_moves(
            "select",
            "extend",
            {
                "up": "shift+up",
                "down": "shift+down",
                "left": "shift+left",
                "right": "shift+right",
                "word_left": "ctrl+shift+left",
                "word_right": "ctrl+shift+right",
                "page_up": "shift+pageup",
                "page_down": "shift+pagedown",
                "line_start": "shift+home",
                "line_end": "shift+end",
                "document_start": "ctrl+shift+home",
                "document_end": "ctrl+shift+end",
            },
        ),
        Binding("v", "toggle_mark", "Mark", id="transcript.toggle_mark"),
        Binding("s", "select_sentence", "Select sentence", id="transcript.select_sentence"),
        Binding("t", "select_turn", "Select turn", id="transcript.select_turn"),
        Binding("escape", "clear_selection", "Clear", show=False, id="transcript.clear_selection"),
    ]

    @dataclass
    class CursorMoved(Message):
        """The cursor moved to ``offset``; ``marks`` are the codings under it."""

        offset: int
        marks: list[Mark]
        view: TranscriptView | None = field(default=None, repr=False)

        @property
        def control(self) -> TranscriptView | None:
            return self.view

    @dataclass
    class SelectionChanged(Message):
        """The selection changed: ``(start, end)`` trimmed of whitespace, or None."""

        selection: tuple[int, int] | None
        view: TranscriptView | None = field(default=None, repr=False)

        @property
        def control(self) -> TranscriptView | None:
            return self.view

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        # (offset, marks under it) on every cursor move, to subscribers with immediate=True in
        # the same call: the status line then repaints in the same frame as the text. The
        # CursorMoved message follows for everyone else.
        self.cursor_moved: Signal[tuple[int, list[Mark]]] = Signal(self, "cursor-moved")
        self._text = ""
        self._safe = ""
        self._prepared_texts = PreparedTexts()  # the last few transcripts, ready to be shown again
        self._prepared: PreparedText | None = None
        self._turns: list[Turn] = []
        self._turn_regions: list[int] = []  # where each turn's paragraph (label) begins
        self._labels: list[tuple[int, int]] = []
        self._hidden: list[tuple[int, int]] = []  # Markdown markup around speaker labels
        self._asking: list[tuple[int, int]] = []  # the interviewer's turns, label included
        self._scroll_when_sized = False  # a centring scroll asked for before the pane had its size
        self._paragraphs: list[int] | None = None
        self._marks: tl.SpanIndex[Mark] = _mark_index([])
        self._layout: tl.Layout | None = None
        self._cursor = 0
        self._anchor: int | None = None
        self._extending = False
        self._goal_x: int | None = None
        self._hits: list[int] = []
        self._hit_length = 0
        self._drag_anchor: int | None = None
        self._cache: LRUCache[int, Strip] = LRUCache(1024)
        self._styles: dict[object, Style] = {}

    # -- loading --------------------------------------------------------------------------

    def load(self, text: str, turns: list[Turn], marks: list[Mark]) -> None:
        """Show ``text`` with its ``turns`` and codings; the cursor goes to the start."""
        prepared = self._prepared = self._prepared_texts.get(text, turns)
        self._text, self._safe = prepared.text, prepared.safe
        self._turns = prepared.turns
        self._turn_regions, self._labels = prepared.regions, prepared.labels
        self._hidden = prepared.hidden
        self._asking = [
            (region, turn.end)
            for region, turn in zip(self._turn_regions, self._turns)
            if tl.is_interviewer(turn.speaker)
        ]
        self._paragraphs = None
        self._cursor, self._anchor, self._extending, self._goal_x = 0, None, False, None
        self._hits = []
        self._marks = _mark_index(marks)
        self._layout = None
        self._relayout()
        self.scroll_to(y=0, animate=False)
        self.refresh()

    def set_marks(self, marks: list[Mark], changed: Iterable[Mark] | None = None) -> None:
        """Replace the codings drawn, repainting only the lines whose codings changed (``changed``:
        those codings, when the caller knows them; otherwise they are found by comparison)."""
        if changed is None:
            changed = set(self._marks.spans).symmetric_difference(marks)
        changed = list(changed)
        if len(changed) < SMALL_CHANGE:
            # The marks drawn before are the index's own objects; the new ones are new objects.
            # Anything else, or empty codings (never in the index), and it is sorted again.
            if not self._marks.toggle(changed) or len(self._marks.spans) != len(marks):
                self._marks = _mark_index(marks)
        else:
            self._marks = _mark_index(marks)
        self._invalidate_spans([(m.start, m.end) for m in changed])

    def _text_width(self) -> int:
        return self.scrollable_content_region.width - GUTTER - 1  # one cell for an end cursor

    def _relayout(self) -> None:
        width = self._text_width()
        if width <= 0:
            return  # not sized yet; on_resize will lay out
        old = self._layout
        top = old.line_range(min(self.scroll_offset.y, old.line_count - 1))[0] if old else None
        if self._prepared:
            self._layout = self._prepared.layout(width)
        else:
            self._layout = tl.Layout(tl.with_hidden(self._safe, self._hidden), width)
        self._cache.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, self._layout.line_count)
        if top is not None:
            self.scroll_to(y=self._layout.line_of(top), animate=False)

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap when the text width changes (cached lines have the old width)."""
        self._cache.clear()
        if self._layout is None or self._layout.width != max(tl.MIN_WIDTH, self._text_width()):
            self._relayout()
        if self._scroll_when_sized:
            self.call_after_refresh(self._scroll_to_cursor, True)

    def notify_style_update(self) -> None:
        """Forget cached styles and lines when the CSS (or the UI theme) changes."""
        super().notify_style_update()
        self._styles.clear()
        self._cache.clear()

    # -- public API -----------------------------------------------------------------------

    @property
    def text(self) -> str:
        """The text shown: the cursor, the selection and the codings are offsets into it."""
        return self._text

    @property
    def marks(self) -> list[Mark]:
        """The codings drawn, in text order."""
        return list(self._marks.spans)

    @property
    def cursor(self) -> int:
        """The cursor as an offset into the text."""
        return self._cursor

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected ``(start, end)`` trimmed of surrounding whitespace, or None."""
        if self._anchor is None:
            return None
        start, end = tl.trim_span(self._text, *sorted((self._anchor, self._cursor)))
        return (start, end) if end > start else None

    def move_cursor(self, offset: int, *, select_to: int | None = None, center: bool = False) -> None:
        """Put the cursor at ``offset`` (scrolled into view, or to the middle with ``center``).

        With ``select_to`` the selection spans ``offset..select_to`` (``select_to`` is the
        anchor); without it the selection is cleared.
        """
        self._extending = False
        self._set_cursor(offset, select_to, center=center)

    def clear_selection(self) -> None:
        """Drop the selection (and leave mark mode)."""
        self._extending = False
        self._set_cursor(self._cursor, None, keep_goal=True)

    def marks_at(self, offset: int) -> list[Mark]:
        """Codings that contain ``offset``, innermost first."""
        found = [m for m in self._marks.overlapping(offset, offset + 1) if m.start <= offset]
        return sorted(found, key=lambda m: (m.end - m.start, m.id))

    def find_all(self, query: str) -> list[int]:
        """Offsets where ``query`` occurs, ignoring case."""
        if not query:
            return []
        return [m.start() for m in re.finditer(re.escape(query), self._text, re.IGNORECASE)]

    def set_search_hits(self, offsets: list[int], length: int) -> None:
        """Highlight ``length`` characters at each of ``offsets`` (an empty list clears)."""
        old = [(o, o + self._hit_length) for o in self._hits]
        self._hits, self._hit_length = sorted(offsets), max(0, length)
        self._invalidate_spans(old + [(o, o + self._hit_length) for o in self._hits])

    def next_mark_offset(self, offset: int, direction: int, theme_id: int | None = None) -> int | None:
        """Start of the next (``direction`` > 0) or previous coding from ``offset``, or None."""
        starts = (
            self._marks.starts if theme_id is None else [m.start for m in self._marks.spans if m.theme_id == theme_id]
        )
        if direction > 0:
            i = bisect_right(starts, offset)
            return starts[i] if i < len(starts) else None
        i = bisect_left(starts, offset)
        return starts[i - 1] if i > 0 else None

    # -- cursor and selection -------------------------------------------------------------

    def _set_cursor(self, offset: int, anchor: int | None, *, center: bool = False, keep_goal: bool = False) -> None:
        offset = min(max(offset, 0), len(self._text))
        old_cursor, old_range, old_selection = self._cursor, self._raw_selection(), self.selection
        self._cursor, self._anchor = offset, anchor
        if not keep_goal:
            self._goal_x = None
        changed = [(old_cursor, old_cursor), (offset, offset)]
        new_range = self._raw_selection()
        if old_range != new_range:
            if old_range and new_range:  # repaint only where the two ranges differ
                changed.append(tuple(sorted((old_range[0], new_range[0]))))
                changed.append(tuple(sorted((old_range[1], new_range[1]))))
            else:
                changed.append(old_range or new_range)
        for start, end in _joined(changed):  # each line repainted once (a refresh is 0.1 ms)
            self._invalidate(start, end)
        self._scroll_to_cursor(center)
        if offset != old_cursor:
            marks = self.marks_at(offset)
            self.cursor_moved.publish((offset, marks))
            self.post_message(self.CursorMoved(offset, marks, self))
        if self.selection != old_selection:
            self.post_message(self.SelectionChanged(self.selection, self))

    def _raw_selection(self) -> tuple[int, int] | None:
        if self._anchor is None or self._anchor == self._cursor:
            return None
        return min(self._anchor, self._cursor), max(self._anchor, self._cursor)

    def cursor_in_view(self) -> bool:
        """Whether the cursor's line is on screen now."""
        layout, height = self._layout, self.scrollable_content_region.height
        if layout is None or height <= 0:
            return False
        return self.scroll_offset.y <= layout.line_of(self._cursor) < self.scroll_offset.y + height

    def _scroll_to_cursor(self, center: bool) -> None:
        layout, height = self._layout, self.scrollable_content_region.height
        # Before the pane has its size (a transcript reopened at a remembered place) the scroll
        # cannot be made yet: it is made when the size comes (``on_resize``).
        self._scroll_when_sized = center or self._scroll_when_sized
        if layout is None or height <= 0 or self.max_scroll_y < min(layout.line_count - height, 1):
            return
        self._scroll_when_sized = False
        line, top = layout.line_of(self._cursor), self.scroll_offset.y
        if center:
            self.scroll_to(y=max(0, line - height // 2), animate=False, force=True)
        elif line < top:
            self.scroll_to(y=line, animate=False)
        elif line >= top + height:
            self.scroll_to(y=line - height + 1, animate=False)

    def _invalidate_spans(self, spans: list[tuple[int, int]]) -> None:
        if len(spans) > 200:  # cheaper to repaint everything than to map each span
            self._invalidate(0, len(self._text))
        else:
            for start, end in spans:
                self._invalidate(start, end)

    def _invalidate(self, start: int, end: int) -> None:
        """Drop cached lines showing offsets ``start..end`` and repaint the visible ones."""
        if self._layout is None:
            return
        first, last = self._layout.line_of(start), self._layout.line_of(end)
        # The fewer to look at: the lines in the span, or the (up to 1,024) lines kept.
        lines = range(first, last + 1) if last - first < len(self._cache) else list(self._cache.keys())
        for line in lines:
            if first <= line <= last:
                self._cache.discard(line)
        top = self.scroll_offset.y
        first, last = max(first, top), min(last, top + self.scrollable_content_region.height - 1)
        if first <= last:
            self.refresh_lines(first, last - first + 1)

    # -- actions --------------------------------------------------------------------------

    def action_move(self, motion: str) -> None:
        """Move the cursor; the selection is kept only in mark mode (``v``)."""
        self._go(motion, self._anchor if self._extending else None)

    def action_extend(self, motion: str) -> None:
        """Move the cursor, extending the selection from its anchor."""
        self._go(motion, self._cursor if self._anchor is None else self._anchor)

    def _go(self, motion: str, anchor: int | None) -> None:
        if self._layout is None:
            return
        self._set_cursor(self._target(motion), anchor, keep_goal=motion in _VERTICAL)

    def _target(self, motion: str) -> int:
        text, cursor, layout = self._text, self._cursor, self._layout
        assert layout is not None
        if motion in _VERTICAL:
            line, x = layout.offset_to_point(cursor)
            if self._goal_x is None:
                self._goal_x = x
            page = max(1, self.scrollable_content_region.height - 1)
            step = {
                "up": -1,
                "down": 1,
                "page_up": -page,
                "page_down": page,
                "half_page_up": -(page // 2 or 1),
                "half_page_down": page // 2 or 1,
            }[motion]
            if abs(step) > 1:  # keep the cursor on the same screen row
                self.scroll_to(y=self.scroll_y + step, animate=False)
            return layout.point_to_offset(line + step, self._goal_x)
        if motion in ("left", "right"):
            return cursor + (1 if motion == "right" else -1)
        if motion == "word_left":
            return tl.word_left(text, cursor)
        if motion == "word_right":
            return tl.word_right(text, cursor)
        if motion in ("line_start", "line_end"):
            line = layout.line_of(cursor)
            return layout.starts[line] if motion == "line_start" else layout.line_last_offset(line)
        if motion in ("document_start", "document_end"):
            return 0 if motion == "document_start" else len(text)
        if motion == "sentence_next":
            return self._past_label(tl.next_sentence_start(text, cursor))
        if motion == "sentence_previous":
            target = self._past_label(tl.previous_sentence_start(text, cursor))
            if target >= cursor:  # the start was a label before the cursor's own turn
                target = self._past_label(tl.previous_sentence_start(text, self._region_start()))
            return min(target, cursor)
        stops = [t.start for t in self._turns] or self._paragraph_starts()
        if motion == "turn_next":
            i = bisect_right(stops, cursor)
            return stops[i] if i < len(stops) else len(text)
        i = bisect_left(stops, cursor)  # turn_previous
        return stops[i - 1] if i > 0 else 0

    def _paragraph_starts(self) -> list[int]:
        if self._paragraphs is None:
            self._paragraphs = tl.paragraph_starts(self._text)
        return self._paragraphs

    def _turn_index(self, offset: int) -> int | None:
        i = bisect_right(self._turn_regions, offset) - 1
        return i if i >= 0 else None

    def _region_start(self) -> int:
        i = self._turn_index(self._cursor)
        return self._turn_regions[i] if i is not None else self._cursor

    def _past_label(self, offset: int) -> int:
        """Move an offset that falls on a speaker label to the spoken text after it."""
        i = self._turn_index(offset)
        if i is not None and offset < self._turns[i].start:
            return self._turns[i].start
        return offset

    def action_toggle_mark(self) -> None:
        """Start or stop extending the selection with plain movement keys."""
        self._extending = not self._extending
        if self._extending and self._anchor is None:
            self._anchor = self._cursor

    def action_select_sentence(self) -> None:
        """Select the sentence under the cursor (never the speaker label)."""
        start, end = tl.sentence_bounds(self._text, self._cursor)
        i = self._turn_index(self._cursor)
        if i is not None and self._turns[i].start <= self._cursor <= self._turns[i].end:
            turn = self._turns[i]
            start, end = max(start, turn.start), min(end, turn.end)
        self._select(start, end)

    def action_select_turn(self) -> None:
        """Select the spoken text of the turn under the cursor (without its label)."""
        i = self._turn_index(self._cursor)
        if i is None:
            self._select(*tl.paragraph_bounds(self._text, self._cursor))
        else:
            self._select(*tl.trim_span(self._text, self._turns[i].start, self._turns[i].end))

    def _select(self, start: int, end: int) -> None:
        self._extending = False
        if end > start:
            self._set_cursor(end, start)

    def action_clear_selection(self) -> None:
        """Clear the selection; with nothing selected the key goes to the parent."""
        if self._anchor is None and not self._extending:
            raise SkipAction()
        self.clear_selection()

    # -- mouse ----------------------------------------------------------------------------

    def _offset_at(self, event: events.MouseEvent) -> int | None:
        if self._layout is None:
            return None
        point = event.get_content_offset_capture(self)
        return self._layout.point_to_offset(self.scroll_offset.y + point.y, point.x - GUTTER)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._offset_at(event)
        if offset is None or event.get_content_offset(self) is None:
            return
        self.focus()
        anchor = (self._cursor if self._anchor is None else self._anchor) if event.shift else None
        self._drag_anchor = offset if anchor is None else anchor
        self._extending = False
        self._set_cursor(offset, anchor)
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_anchor is not None:
            offset = self._offset_at(event)
            if offset is not None and offset != self._cursor:
                self._set_cursor(offset, self._drag_anchor)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_anchor is not None:
            self._drag_anchor = None
            self.release_mouse()

    # -- rendering ------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        """A component style as an overlay (alpha backgrounds blended with ours)."""
        if name not in self._styles:
            full = self.get_component_rich_style(name)
            part = self.get_component_rich_style(name, partial=True)
            style = part + Style(bgcolor=full.bgcolor) if part.bgcolor else part
            if part.color is not None and full.color is not None:  # a muted (alpha) colour, blended
                style += Style(color=full.color)
            self._styles[name] = style
        return self._styles[name]

    def _background(self) -> str:
        """The pane's background as '#rrggbb'. Textual's ANSI UI themes leave it to the terminal
        (no colour to blend with): then white for a light theme and black for a dark one."""
        base = self.rich_style.bgcolor
        if base is not None and base.triplet is not None:
            return base.triplet.hex
        return "#000000" if self.app.current_theme.dark else "#ffffff"

    def _tint(self, color: str) -> Style:
        """Coded text: the theme colour blended into the background, letters in black or white,
        whichever reads better on it, and underlined, so coding shows without colour too."""
        key = ("tint", color)
        if key not in self._styles:
            back = self._background()
            theme_colour = normalise_colour(color)
            tint = blend(back, theme_colour, TINT) if theme_colour else back
            self._styles[key] = Style(bgcolor=tint, color=readable_on(tint), underline=True)
        return self._styles[key]

    def _base_style(self) -> Style:
        """The widget's own style (``rich_style`` walks every ancestor: once per style update)."""
        if "base" not in self._styles:
            self._styles["base"] = self.rich_style
        return self._styles["base"]

    def render_line(self, y: int) -> Strip:
        """Render visual line ``y`` of the viewport (cached per line of the text)."""
        line = self.scroll_offset.y + y
        if self._layout is None or line >= self._layout.line_count:
            return Strip.blank(self.size.width, self._base_style())
        strip = self._cache.get(line)
        if strip is None:
            strip = self._padded(self._render_text_line(line), self.size.width)
            self._cache.set(line, strip)
        return strip

    def _padded(self, segments: list[Segment], width: int) -> Strip:
        """One strip of the line's segments, filled with the pane's background to ``width``: its
        length worked out once for the whole line (a strip of its own, padded after, cost a
        sixth of the line's time: each strip is made with seven caches, and measured segment by
        segment)."""
        base = self._base_style()
        length = cell_len("".join(segment.text for segment in segments))
        if length > width:  # not expected (lines are wrapped to fit): cut as Textual would
            return Strip(segments, length).adjust_cell_length(width, base)
        if length < width:
            segments.append(Segment(" " * (width - length), base))
        return Strip(segments, width)

    def _render_text_line(self, line: int) -> list[Segment]:
        assert self._layout is not None
        start, end = self._layout.line_range(line)
        shown = end - 1 if end > start and self._safe[end - 1] == "\n" else end
        base = self._base_style()
        marks = self._marks.overlapping(start, end)
        segments = self._gutter(marks, base)
        layers = self._line_layers(start, shown)
        # Every offset where some layer starts or stops splits the line into styled runs.
        points = {start, shown}
        for s, e in self._layers(marks, layers):
            points.update((max(s, start), min(e, shown)))
        raw, safe = self._text[start:shown], self._safe[start:shown]
        if raw != safe:
            for i, (a, b) in enumerate(zip(raw, safe)):
                if a != b:
                    points.update((start + i, start + i + 1))
        cuts = sorted(p for p in points if start <= p <= shown)
        for a, b in zip(cuts, cuts[1:]):
            if not _covers(layers.hidden, a):
                segments.append(Segment(self._safe[a:b], self._style_at(a, base, marks, layers)))
        if self._cursor == shown and self._layout.line_of(shown) == line:
            segments.append(Segment(" ", self._style_at(shown, base, ())))
        elif shown < end and self._in_selection(shown):
            segments.append(Segment(" ", base + self._style("transcript-view--selection")))
        return segments

    def _gutter(self, marks: list[Mark], base: Style) -> list[Segment]:
        """One cell per theme coded on the line: the theme's mark (a letter) on its colour."""
        themes: dict[int, Mark] = {}
        for mark in marks:
            themes.setdefault(mark.theme_id, mark)
        shown = list(themes.values())
        cells = [Segment(m.label[:1] or "▌", base + mark_style(m.color)) for m in shown[:GUTTER]]
        if len(shown) > GUTTER:  # more themes than cells: say so in the last one
            cells[-1] = Segment("+", base + mark_style(shown[GUTTER - 1].color))
        return cells + [Segment(" " * (GUTTER - len(cells)), base)]

    def _line_layers(self, start: int, end: int) -> _LineLayers:
        """What lies over ``start..end`` besides the codings, looked up once for the line."""
        first = bisect_left(self._hits, start - self._hit_length)
        last = bisect_left(self._hits, end, lo=first)
        return _LineLayers(
            hidden=tl.spans_between(self._hidden, start, end),
            asking=tl.spans_between(self._asking, start, end),
            labels=self._labels_between(start, end),
            hits=[(hit, hit + self._hit_length) for hit in self._hits[first:last]],
            selected=self._raw_selection(),
        )

    def _layers(self, marks: list[Mark], layers: _LineLayers):
        yield from ((m.start, m.end) for m in marks)
        yield from layers.hidden
        yield from layers.asking
        yield from layers.labels
        yield from layers.hits
        if layers.selected is not None:
            yield layers.selected
        yield self._cursor, self._cursor + 1

    def _labels_between(self, start: int, end: int) -> list[tuple[int, int]]:
        i = max(0, bisect_right(self._labels, (start, start)) - 1)
        result = []
        while i < len(self._labels) and self._labels[i][0] < end:
            if self._labels[i][1] > start:
                result.append(self._labels[i])
            i += 1
        return result

    def _in_selection(self, offset: int) -> bool:
        selected = self._raw_selection()
        return selected is not None and selected[0] <= offset < selected[1]

    def _style_at(self, offset: int, base: Style, marks, layers: _LineLayers | None = None) -> Style:
        """The style of the run that starts at ``offset``; later layers win. ``layers``: what
        lies over the offset's line, when the caller has looked it up already."""
        if layers is None:
            layers = self._line_layers(offset, offset + 1)
        style = base
        if _covers(layers.asking, offset):
            style += self._style("transcript-view--interviewer")
        if _covers(layers.labels, offset):
            style += self._style("transcript-view--speaker")
        inner = [m for m in marks if m.start <= offset < m.end]
        if inner:
            style += self._tint(min(inner, key=lambda m: (m.end - m.start, -m.start)).color)
        if offset < len(self._text) and not tl.is_safe_char(self._text[offset]):
            style += self._style("transcript-view--control")
        if _covers(layers.hits, offset):
            style += self._style("transcript-view--search-hit")
        if layers.selected is not None and layers.selected[0] <= offset < layers.selected[1]:
            style += self._style("transcript-view--selection")
        if offset == self._cursor:
            style += self._style("transcript-view--cursor")
        return style


@dataclass(frozen=True)
class _LineLayers:
    """The spans over one visual line besides its codings: hidden text, the interviewer's turns,
    speaker labels, search hits, and the selection (or None)."""

    hidden: list[tuple[int, int]]
    asking: list[tuple[int, int]]
    labels: list[tuple[int, int]]
    hits: list[tuple[int, int]]
    selected: tuple[int, int] | None


def _covers(spans: list[tuple[int, int]], offset: int) -> bool:
    """Whether one of a line's few ``spans`` holds ``offset``."""
    for start, end in spans:
        if start <= offset < end:
            return True
    return False
