"""Pure layout logic for the transcript pane: safe display text, soft wrap and text motions.

Nothing here imports Textual, so it can be tested (and reused) on its own.

Offsets are code points of the stored text. :func:`sanitize` (the terminal-safe rule of
:mod:`workbench.display.safe_text`) maps every code point to exactly one display code point, so
an offset into the stored text is also an offset into the display text and no bookkeeping is
needed between the two.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from functools import lru_cache
from itertools import accumulate
from typing import Generic, Protocol, TypeVar

from rich.cells import get_character_cell_size

from workbench.display.cells import NOT_SINGLE_CELL
from workbench.display.safe_text import shown_in_place, visible_in_place

#: Smallest wrap width; a double-width character must always fit on a line.
MIN_WIDTH = 2
_WORD = re.compile(r"\w")
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)]*(?=\s|$)")


#: ``text`` with control and bidi characters replaced by visible symbols; same length, newlines kept.
sanitize = visible_in_place
#: True if a character is shown as it is (not replaced by :func:`sanitize`).
is_safe_char = shown_in_place


@lru_cache(maxsize=8192)
def char_width(ch: str) -> int:
    """Cells taken by one (sanitized) code point: 0, 1 or 2."""
    return get_character_cell_size(ch)


def cells(text: str) -> int:
    """Cells taken by sanitized text without newlines (sum of per-code-point widths)."""
    if NOT_SINGLE_CELL.search(text) is None:
        return len(text)
    return sum(map(char_width, text))


class Layout:
    """Sanitized text soft-wrapped at word boundaries to ``width`` cells.

    Visual line ``i`` covers offsets ``starts[i]`` to ``starts[i + 1]`` (the last one ends at
    ``len(text)``); lines are contiguous and cover the whole text in order. A newline belongs to
    the line it ends. Text that is empty or ends with a newline gets a final empty line, so that
    every offset from 0 to ``len(text)`` lies on a line.
    """

    def __init__(self, text: str, width: int) -> None:
        self.text = text
        self.width = max(MIN_WIDTH, width)
        self.starts: list[int] = _wrap(text, self.width)

    @property
    def line_count(self) -> int:
        """Number of visual lines."""
        return len(self.starts)

    def line_range(self, line: int) -> tuple[int, int]:
        """Offsets ``(start, end)`` covered by ``line`` (end exclusive, newline included)."""
        starts = self.starts
        end = starts[line + 1] if line + 1 < len(starts) else len(self.text)
        return starts[line], end

    def line_text(self, line: int) -> str:
        """The text shown on ``line`` (its newline removed)."""
        start, end = self.line_range(line)
        return self.text[start:end].rstrip("\n")

    def line_last_offset(self, line: int) -> int:
        """The last offset the cursor can take on ``line``."""
        start, end = self.line_range(line)
        if end == len(self.text) and (end == start or self.text[end - 1] != "\n"):
            return end  # the end of the text
        return max(start, end - 1)  # the newline, or the last character of a wrapped line

    def line_of(self, offset: int) -> int:
        """The line that holds ``offset`` (clamped to the text)."""
        offset = min(max(offset, 0), len(self.text))
        return max(0, bisect_right(self.starts, offset) - 1)

    def offset_to_point(self, offset: int) -> tuple[int, int]:
        """``(line, cell)`` of ``offset``."""
        offset = min(max(offset, 0), len(self.text))
        line = self.line_of(offset)
        return line, cells(self.text[self.starts[line] : offset].rstrip("\n"))

    def point_to_offset(self, line: int, cell: int) -> int:
        """The offset shown at ``cell`` on ``line`` (the nearest one the cursor can take)."""
        line = min(max(line, 0), self.line_count - 1)
        start = self.starts[line]
        last = self.line_last_offset(line)
        x = 0
        for offset in range(start, last):
            w = char_width(self.text[offset])
            if w and cell < x + w:
                return offset
            x += w
        return last


def _wrap(text: str, width: int) -> list[int]:
    """Line starts of ``text`` wrapped at ``width`` cells (see :class:`Layout`)."""
    starts: list[int] = []
    n = len(text)
    para = 0
    while para < n:
        nl = text.find("\n", para)
        end = n if nl == -1 else nl
        _wrap_paragraph(text, para, end, width, starts)
        para = end + 1
    if n == 0 or text[-1] == "\n":
        starts.append(n)
    return starts


def _wrap_paragraph(text: str, start: int, end: int, width: int, starts: list[int]) -> None:
    """Append the line starts of ``text[start:end]`` (one line without a newline)."""
    pos = start
    single = NOT_SINGLE_CELL.search(text, start, end) is None
    while True:
        starts.append(pos)
        if single:
            if end - pos <= width:
                return
            limit = pos + width  # first offset that does not fit
        else:
            limit, x = pos, 0
            while limit < end:
                x += char_width(text[limit])
                if x > width:
                    break
                limit += 1
            if limit >= end:
                return
        space = text.rfind(" ", pos, limit)
        if space >= pos:
            pos = space + 1  # break after the last space that fits
        else:
            pos = limit  # a word longer than the line
            while pos < end and char_width(text[pos]) == 0:
                pos += 1  # keep combining marks with their base character


# -- text motions ---------------------------------------------------------------------------


def _is_word(ch: str) -> bool:
    return _WORD.match(ch) is not None


def word_right(text: str, offset: int) -> int:
    """Start of the next word after ``offset`` (or the end of the text)."""
    n = len(text)
    i = offset
    while i < n and _is_word(text[i]):
        i += 1
    while i < n and not _is_word(text[i]):
        i += 1
    return i


def word_left(text: str, offset: int) -> int:
    """Start of the word before ``offset`` (or 0)."""
    i = min(offset, len(text))
    while i > 0 and not _is_word(text[i - 1]):
        i -= 1
    while i > 0 and _is_word(text[i - 1]):
        i -= 1
    return i


def _line_bounds(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end == -1 else end


def _skip_space(text: str, i: int, end: int) -> int:
    while i < end and text[i].isspace():
        i += 1
    return i


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentences ``(start, end)`` of one text line ``text[start:end]``, whitespace trimmed."""
    result = []
    pos = _skip_space(text, start, end)
    for match in _SENTENCE_END.finditer(text, pos, end):
        if match.end() > pos:
            result.append((pos, match.end()))
            pos = _skip_space(text, match.end(), end)
    if pos < end:
        result.append(trim_span(text, pos, end))
    return result


def sentence_bounds(text: str, offset: int) -> tuple[int, int]:
    """The sentence under ``offset``: ``(start, end)`` trimmed of whitespace.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (plus closing quotes) followed by whitespace,
    or at the end of a line. Between sentences the following one is chosen.
    """
    start, end = _line_bounds(text, offset)
    sentences = _sentences(text, start, end)
    for s, e in sentences:
        if offset < e or (offset == e and s < e):
            return s, e
    return (offset, offset) if not sentences else sentences[-1]


def next_sentence_start(text: str, offset: int) -> int:
    """Start of the first sentence after ``offset`` (or the end of the text)."""
    pos = offset
    while pos <= len(text):
        start, end = _line_bounds(text, pos)
        for s, _e in _sentences(text, start, end):
            if s > offset:
                return s
        pos = end + 1
    return len(text)


def previous_sentence_start(text: str, offset: int) -> int:
    """Start of the last sentence that starts before ``offset`` (or 0)."""
    pos = min(offset, len(text))
    while pos >= 0:
        start, end = _line_bounds(text, pos)
        for s, _e in reversed(_sentences(text, start, end)):
            if s < offset:
                return s
        pos = start - 1
    return 0


def paragraph_bounds(text: str, offset: int) -> tuple[int, int]:
    """The block of non-blank lines around ``offset``, trimmed of whitespace."""
    start, end = _line_bounds(text, offset)
    while start > 0:
        s, e = _line_bounds(text, start - 1)
        if not text[s:e].strip():
            break
        start = s
    while end < len(text):
        s, e = _line_bounds(text, end + 1)
        if not text[s:e].strip():
            break
        end = e
    return trim_span(text, start, end)


def paragraph_starts(text: str) -> list[int]:
    """Offsets of the first non-space character of each paragraph (blank-line separated)."""
    return [m.start(1) for m in re.finditer(r"(?:^|\n[ \t]*\n)\s*(\S)", text)]


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` narrowed to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# -- spans ----------------------------------------------------------------------------------


class Span(Protocol):
    """Anything with a ``start`` and an ``end`` offset (a coding, a turn)."""

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


S = TypeVar("S", bound=Span)


def _start_and_end(span: Span) -> tuple[int, int]:
    return span.start, span.end


class SpanIndex(Generic[S]):
    """Non-empty spans sorted by start, found by overlap in O(log n + hits)."""

    def __init__(self, spans: Iterable[S], order: Callable[[S], tuple] = _start_and_end) -> None:
        """``order``: the sort key of the spans (at least start, then end: ties may be ordered further)."""
        self._order = order
        self.spans: list[S] = sorted((s for s in spans if s.end > s.start), key=order)
        self.starts = [s.start for s in self.spans]
        self._max_end = list(accumulate((s.end for s in self.spans), max))  # running max

    def toggle(self, changed: Iterable[S]) -> bool:
        """Take out each of the ``changed`` spans the index holds (these objects) and put the
        others in, in place: a coding's change moves a few entries instead of sorting every
        span again (0.8 ms at 2,000 codings). False if a span to put in is equal in order to
        one still held (an object the index should have held itself): then the index is left
        half changed, to be built anew."""
        changed = list({id(span): span for span in changed if span.end > span.start}.values())
        positions = [self._position(span) for span in changed]
        added = [span for span, i in zip(changed, positions) if i is None]
        for i in sorted((i for i in positions if i is not None), reverse=True):
            del self.spans[i], self.starts[i], self._max_end[i]
            self._carry_max_from(i)
        if any(self._holds_equal(span) for span in added):
            return False
        for span in added:
            i = bisect_right(self.spans, self._order(span), key=self._order)
            self.spans.insert(i, span)
            self.starts.insert(i, span.start)
            self._max_end.insert(i, span.end)
            self._carry_max_from(i)
        return True

    def _holds_equal(self, span: S) -> bool:
        i = bisect_left(self.spans, self._order(span), key=self._order)
        return i < len(self.spans) and self._order(self.spans[i]) == self._order(span)

    def _position(self, span: S) -> int | None:
        """Where ``span`` itself (not an equal one) is in :attr:`spans`, or None."""
        key = self._order(span)
        i = bisect_left(self.spans, key, key=self._order)
        while i < len(self.spans) and self._order(self.spans[i]) == key:
            if self.spans[i] is span:
                return i
            i += 1
        return None

    def _carry_max_from(self, i: int) -> None:
        """Recompute the running maximum of ends from entry ``i`` on, stopping once it agrees
        with what was there past ``i`` (from then on the change cannot reach it)."""
        running = self._max_end[i - 1] if i > 0 else 0
        for j in range(i, len(self.spans)):
            running = max(running, self.spans[j].end)
            if j > i and self._max_end[j] == running:
                return
            self._max_end[j] = running

    def overlapping(self, start: int, end: int) -> list[S]:
        """Spans that share at least one offset with ``start..end``, in order of start."""
        hi = bisect_left(self.starts, end)
        lo = bisect_right(self._max_end, start)  # every span before lo ends by ``start``
        return [s for s in self.spans[lo:hi] if s.end > start]


def label_ranges(text: str, turns: Iterable[Span]) -> tuple[list[int], list[tuple[int, int]]]:
    """Where each turn's paragraph begins, and its speaker label spans (non-empty, trimmed).

    ``turns`` are sorted by start. The label is the text before a turn's start on the same
    line, or, when the spoken text starts a line, a short line just above it
    (``"Interviewer:\\nWell ..."``).
    """
    regions, labels, previous_end = [], [], 0
    for turn in turns:
        # Search back no further than the previous turn: a text without newlines stays O(n).
        begin = max(previous_end, text.rfind("\n", previous_end, turn.start) + 1)
        if begin == turn.start and turn.start > 0 and text[turn.start - 1] == "\n":
            above = max(previous_end, text.rfind("\n", previous_end, turn.start - 1) + 1)
            if 0 < len(text[above : turn.start - 1].strip()) <= 80:
                begin = above
        regions.append(begin)
        label = trim_span(text, begin, turn.start)
        if label[1] > label[0]:
            labels.append(label)
        previous_end = max(previous_end, turn.end)
    return regions, labels


# --- Markdown speaker labels and who is speaking ------------------------------------------------

_MARKUP = "*_"
#: Drawn in place of hidden markup: takes no cell, so wrapping and positions ignore it.
HIDDEN = "\u200b"
_INTERVIEWER = re.compile(r"(?i)^(?:interviewer|intervjuare|moderator|facilitator|researcher|q|i|int)(?:\s*\d+)?$")


def label_markup(text: str, labels: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The Markdown emphasis around speaker labels, as spans to hide: ``**Interviewer:**`` is
    drawn ``Interviewer:``. The stored text keeps them; only the drawing leaves them out."""
    hidden = []
    for start, end in labels:
        a = start
        while a < end and text[a] in _MARKUP:
            a += 1
        z = end
        while z > a and text[z - 1] in _MARKUP:
            z -= 1
        if a == start and z == end:
            continue
        if z > a and text[z - 1] == ":":  # **Interviewer**: -> the ** before the colon
            y = z - 1
            while y > a and text[y - 1] in _MARKUP:
                y -= 1
            if y < z - 1:
                hidden.append((y, z - 1))
        if a > start:
            hidden.append((start, a))
        if z < end:
            hidden.append((z, end))
    return sorted(hidden)


def with_hidden(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with the characters of ``spans`` replaced by :data:`HIDDEN` (same length)."""
    chars = None
    for start, end in spans:
        if chars is None:
            chars = list(text)
        chars[start:end] = HIDDEN * (end - start)
    return text if chars is None else "".join(chars)


def is_interviewer(speaker: str | None) -> bool:
    """True for the usual names of the one who asks (Interviewer, Intervjuare, Moderator, I, Q ...)."""
    return speaker is not None and bool(_INTERVIEWER.match(speaker.strip().strip("*_").strip()))


def spans_between(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    """The spans of a sorted list of non-overlapping ``spans`` that reach into ``[start, end)``."""
    i = max(0, bisect_right(spans, (start, start)) - 1)
    found = []
    while i < len(spans) and spans[i][0] < end:
        if spans[i][1] > start:
            found.append(spans[i])
        i += 1
    return found
