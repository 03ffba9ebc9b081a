"""Elided quotes: a quote trimmed with ``[...]`` marking each cut."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.domain.text_search import find_after
from workbench.errors import WorkbenchError

ELISION = "[...]"
CONTEXT_WORDS = 3  # words quoted on each side of the place where a refused trim goes wrong


@dataclass(frozen=True)
class ElisionProblem:
    """Why an elided form is refused, and where: ``offset`` is the character of the elided form
    from which it no longer follows the passage (the place for an editor's cursor)."""

    offset: int
    message: str
    words: str = ""  # the words around ``offset``, for a shorter note in an editor


def elided_parts(elided: str) -> list[str]:
    """The kept pieces of an elided form, without the marks and surrounding spaces."""
    return [part.strip() for part in elided.split(ELISION) if part.strip()]


def _parts_with_offsets(elided: str) -> list[tuple[int, str]]:
    """The kept pieces as (offset in ``elided``, piece), in order."""
    parts: list[tuple[int, str]] = []
    start = 0
    for raw in elided.split(ELISION):
        piece = raw.strip()
        if piece:
            parts.append((start + raw.index(piece), piece))
        start += len(raw) + len(ELISION)
    return parts


def _matching_prefix(original: str, part: str, position: int) -> int:
    """How many leading characters of ``part`` occur in ``original`` at or after ``position``
    (a prefix that occurs has every shorter prefix occurring too, so halving finds it)."""
    low, high = 0, len(part)
    while low < high:
        middle = (low + high + 1) // 2
        if find_after(original, part[:middle], position) is not None:
            low = middle
        else:
            high = middle - 1
    return low


def _words_around(text: str, offset: int) -> str:
    """A few words on each side of ``offset`` in ``text``, on one line, with … where cut."""
    before = text[:offset].split()
    after = text[offset:].split()
    # A word the offset falls inside belongs to both sides: keep it whole.
    if before and after and offset < len(text) and not text[offset].isspace() and not text[offset - 1].isspace():
        after[0] = before.pop() + after[0]
    shown_before = before[-CONTEXT_WORDS:]
    shown_after = after[: CONTEXT_WORDS + 1]
    words = " ".join(shown_before + shown_after)
    words = re.sub(r"\s+", " ", words)
    if len(before) > len(shown_before):
        words = "…" + words
    if len(after) > len(shown_after):
        words += "…"
    return words


def elision_problem(original: str, elided: str) -> ElisionProblem | None:
    """Why ``elided`` is not ``original`` with some parts cut out, and where; None if it is.

    Every kept piece must occur in the original, in order, so a trimmed quote can never say
    something the informant did not. The problem's offset is the first character of the elided
    form that does not follow the passage, and its message quotes the words around it.
    """
    parts = _parts_with_offsets(elided)
    if not parts:
        return ElisionProblem(0, "the elided form keeps nothing of the passage")
    position = 0
    for start, part in parts:
        found = find_after(original, part, position)  # NFC and NFD forms of a letter are equal
        if found is None:
            offset = start + _matching_prefix(original, part, position)
            words = _words_around(elided, offset)
            return ElisionProblem(
                offset,
                f"the elided form must be the passage with cuts marked {ELISION}; "
                f"{words!r} is not in the passage (in this order)",
                words,
            )
        position = found[1]
    return None


def check_elided(original: str, elided: str) -> None:
    """Refuse (WorkbenchError) an elided form that is not the original with some parts cut out."""
    problem = elision_problem(original, elided)
    if problem is not None:
        raise WorkbenchError(problem.message)
