"""Pure text helpers for the quote board: middle elision, attribution, card heights.

Text is made safe for the terminal by :mod:`workbench.display.safe_text` (``visible`` is
re-exported here for the board). Nothing here imports Textual, so every rule can be unit-tested
on its own.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rich.cells import cell_len

from workbench.display.cells import NOT_SINGLE_CELL
from workbench.display.safe_text import visible

__all__ = [
    "DOT",
    "NOT_SINGLE_CELL",
    "SHORTENED",
    "attribute_value",
    "attribution",
    "count_label",
    "cut_end",
    "elide_middle",
    "passage",
    "selection_mark",
    "visible",
    "wrap_offsets",
]

#: Shown where the board shortens a long passage; unlike the researcher's own "[...]" cuts,
#: it is never written anywhere.
SHORTENED = "[…]"
#: Separates the parts of an attribution line.
DOT = " · "
_WORD = re.compile(r"\S+\s*")


def elide_middle(text: str, limit: int, mark: str = SHORTENED) -> str:
    """``text`` shortened to at most ``limit`` characters by cutting out its middle.

    The beginning and the end are kept (about 3:2), cut at word boundaries when one is near,
    with `` […] `` where the middle was.
    """
    if len(text) <= limit:
        return text
    joint = f" {mark} "
    budget = limit - len(joint)
    if budget < 2:
        return text[: max(limit, 0)]
    head_len = budget * 3 // 5
    tail_len = budget - head_len
    head = text[:head_len]
    tail = text[len(text) - tail_len :]
    # Prefer whole words, unless that would throw away more than a fifth of a side.
    space = head.rfind(" ")
    if space >= head_len * 4 // 5:
        head = head[:space]
    space = tail.find(" ")
    if 0 <= space <= tail_len // 5:
        tail = tail[space + 1 :]
    return head.rstrip() + joint + tail.lstrip()


def cut_end(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, with ``…`` as the last one when it was cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + "…"


def passage(text: str, elided: str | None, limit: int) -> str:
    """The passage as a card shows it: the elided form if there is one, safe, at most ``limit``."""
    return elide_middle(visible(elided or text), limit)


def attribution(case: str | None, attributes: Mapping[str, object], transcript: str | None = None) -> str:
    """Who said it: ``"informant_7 · size=smaller · cluster=B"``.

    The case comes first (the transcript when there is no case, or both when a case has several
    transcripts), then every attribute as ``key=value`` in its stored order.
    """
    who = case or transcript or "?"
    if case and transcript and transcript != case:
        who = f"{case} ({transcript})"
    parts = [who, *(f"{key}={value}" for key, value in attributes.items())]
    return visible(DOT.join(str(part) for part in parts))


def selection_mark(selected: bool, position: int | None) -> str:
    """The mark in front of a card: ``★ 2`` for the second quote chosen for the chapter."""
    if not selected:
        return "☆"
    return f"★ {position}" if position is not None else "★"


def attribute_value(attributes: Mapping[str, object], key: str) -> str | None:
    """The value of attribute ``key`` (matched without regard to case), or None."""
    if key in attributes:
        return str(attributes[key])
    folded = key.casefold()
    for name, value in attributes.items():
        if name.casefold() == folded:
            return str(value)
    return None


def count_label(count: int, noun: str = "quote") -> str:
    """``"1 quote"``, ``"12 quotes"``."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def wrap_offsets(text: str, width: int) -> list[int]:
    """Where each line after the first starts when one-line ``text`` is wrapped at ``width`` cells.

    Lines break between words; a word longer than a line is folded. Each line, without its
    trailing spaces, fits the width. (The board measures card heights with this instead of
    laying out every card, which keeps 2,000 cards fast.)
    """
    width = max(width, 1)
    measure = len if NOT_SINGLE_CELL.search(text) is None else cell_len
    if measure(text) <= width:
        return []
    breaks: list[int] = []
    used = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match.group()
        bare = word.rstrip()
        bare_width = measure(bare)
        if used + bare_width <= width:
            used += measure(word)
            continue
        if used:
            breaks.append(start)
            used = 0
        if bare_width <= width:
            used = measure(word)
            continue
        for index, char in enumerate(bare):  # fold a word that no line can hold
            char_width = measure(char)
            if used and used + char_width > width:
                breaks.append(start + index)
                used = 0
            used += char_width
        used += len(word) - len(bare)
    return breaks
