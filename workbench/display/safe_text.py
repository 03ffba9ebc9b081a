"""The one rule for text from a study or a file on its way to the terminal.

Transcripts, names and comments can hold characters a terminal acts on instead of showing: ESC
and CSI start escape sequences (colours, cursor moves, clipboard writes), bidi controls reorder
what follows, invisible format characters hide text, a lone surrogate cannot even be encoded.
:data:`STAND_INS` lists every such code point with the visible character shown in its place.
:data:`WIDTH_STAND_INS` adds the few code points whose width terminals and Rich disagree on
(emoji skin tones, joiners, the emoji presentation selector), so a layout measured with Rich is
the layout the terminal draws. The functions below are the three ways the front ends show text:

* :func:`visible` - one line, whitespace tidied (the CLI's tables and lines, the quote board's cards);
* :func:`visible_in_line` - one line, one display code point per stored code point (dialog
  entries, where a fuzzy match's positions must stay positions in the shown text);
* :func:`visible_in_place` - one display code point per stored code point, newlines kept (the
  transcript view, memos and comments, Markdown sources: an offset into the stored text stays an
  offset into the shown text).

Nothing here imports Textual or Rich; :mod:`workbench.display.rich_text` builds Rich text with
these functions, and says where each front end applies them.
"""

from __future__ import annotations

import re
from types import MappingProxyType

#: Shown where a one-line text crosses a line break (usually a change of speaker).
LINE_BREAK = "¶"

_REPLACEMENT = 0xFFFD


def _stand_ins() -> dict[int, int]:
    table = {c: 0x2400 + c for c in range(0x20)}  # C0 controls -> their control pictures (ESC: ␛)
    table[0x09] = 0x20  # tab -> space: raw, it jumps to the next tab stop and breaks the layout
    table[0x7F] = 0x2421  # DEL -> ␡
    table.update({c: _REPLACEMENT for c in range(0x80, 0xA0)})  # C1 controls (CSI, OSC, ST ...)
    table.update({c: _REPLACEMENT for c in range(0xD800, 0xE000)})  # lone surrogates cannot be encoded
    for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF):
        table[c] = _REPLACEMENT  # bidi controls and byte-order marks reorder or hide text
    for c in (*range(0x206A, 0x2070), *range(0xFFF9, 0xFFFC), 0xE0001):
        table[c] = _REPLACEMENT  # deprecated format characters, interlinear annotations, language tag: hide text
    table[0x2028] = 0x2424  # line separator: terminals may break the line -> ␤
    table[0x2029] = ord(LINE_BREAK)  # paragraph separator
    return table


#: Every code point that must never reach the terminal raw -> the one code point shown instead.
STAND_INS = MappingProxyType(_stand_ins())

#: Skin tones (U+1F3FB-U+1F3FF) are shown as this: Rich lays out "👍🏽" as one 2-cell glyph, while
#: tmux 3.3a and many other terminals draw the tone as a second 2-cell emoji, shifting what follows.
SKIN_TONE = "◦"


def _width_stand_ins() -> dict[int, int]:
    # Measured in tmux 3.3a (cursor position after printing) against Rich 15's cell_len:
    # "👍🏽" 4 cells vs 2, "👩🏾‍🔬" 4 vs 2, "❤️" 1 vs 2; with the stand-ins both say 3, 5 and 1.
    table = {c: ord(SKIN_TONE) for c in range(0x1F3FB, 0x1F400)}
    table[0x200D] = 0x200C  # zero-width joiner -> non-joiner: each emoji of a sequence keeps its own width
    table[0xFE0F] = 0xFE0E  # emoji presentation selector -> text presentation selector
    return table


#: Code points drawn at another width than Rich measures -> one code point both measure alike.
WIDTH_STAND_INS = MappingProxyType(_width_stand_ins())


_SURROGATES = range(0xD800, 0xE000)


def _any_of(codes) -> re.Pattern[str]:
    """A pattern matching any one of ``codes``, as ranges of consecutive code points (one
    character each, over two thousand of them, took a noticeable part of every start-up). The
    rule's tables hold the lone surrogates as a whole block: it goes in as one range, not walked
    code by code."""
    whole_block = _SURROGATES[0] in codes and _SURROGATES[-1] in codes
    ranges: list[list[int]] = [[_SURROGATES[0], _SURROGATES[-1]]] if whole_block else []
    for code in sorted(code for code in codes if not (whole_block and code in _SURROGATES)):
        if ranges and code == ranges[-1][1] + 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = (re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile("[" + "".join(parts) + "]")


def _without(table: dict[int, int], codes) -> dict[int, int]:
    """``table`` less ``codes`` (a copy and a few deletions: the tables hold some 2,000 entries)."""
    table = dict(table)
    for code in codes:
        table.pop(code, None)
    return table


_EVERY_STAND_IN = {**STAND_INS, **WIDTH_STAND_INS}
# One-line text: line breaks and other whitespace are spacing (see visible()), not symbols.
_SPACING = (0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029)
_ONE_LINE = _without(_EVERY_STAND_IN, _SPACING)
_NEEDS_ONE_LINE = _any_of(_ONE_LINE)
_BREAK = re.compile(r"[ \t\v\f]*[\r\n\x85\u2028\u2029][\s]*")
_SPACES = re.compile(r"\s+")

# In place: a newline is the layout's structure and stays; every other code point is shown as
# one code point, so lengths and offsets carry over.
_IN_PLACE = _without(_EVERY_STAND_IN, [0x0A])
_NEEDS_IN_PLACE = _any_of(_IN_PLACE)
_IN_LINE = {**_IN_PLACE, 0x0A: ord(LINE_BREAK)}


def visible(text: str, line_break: str = LINE_BREAK) -> str:
    """``text`` as one line that is safe to print.

    Control, bidi and byte-order characters become visible symbols (ESC shows as ``␛``); a line
    break becomes ``line_break`` between spaces (`` ¶ ``; one space when ``line_break`` is empty)
    and any other run of whitespace a single space.
    """
    if _NEEDS_ONE_LINE.search(text):
        text = text.translate(_ONE_LINE)
    text = _BREAK.sub(f" {line_break} " if line_break else " ", text.strip())
    return _SPACES.sub(" ", text)


def visible_in_place(text: str) -> str:
    """``text`` with every unsafe code point replaced by one visible code point.

    The result has the same length as ``text`` and keeps its newlines, so offsets carry over;
    plain text is returned as it is (the same object).
    """
    if _NEEDS_IN_PLACE.search(text) is None:
        return text
    return text.translate(_IN_PLACE)


def visible_in_line(text: str) -> str:
    """``text`` on one line, one visible code point per stored code point: as
    :func:`visible_in_place`, with a newline shown as ``¶``. Plain text is returned as it is."""
    if _NEEDS_IN_PLACE.search(text) is None and "\n" not in text:
        return text
    return text.translate(_IN_LINE)


def shown_in_place(ch: str) -> bool:
    """True if :func:`visible_in_place` shows ``ch`` as it is (a newline counts as shown)."""
    return ord(ch) not in _IN_PLACE
