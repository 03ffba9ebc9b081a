"""The open transcript's codings as the view draws them, updated by difference.

After a change the screen reads the transcript's coding spans again (one query over an index) and
compares them with what is drawn: only the codings that appeared, went or changed colour are new
:class:`Mark` objects, and only their lines are repainted. Building 2,000 marks and comparing
them as objects cost more than the change itself.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Mapping

from workbench.tui.widgets.transcript_view import Mark

DEFAULT_COLOUR = "#888888"  # a coding whose theme is unknown (gone in another window)

Span = tuple[int, int, int, int]  # (coding id, start, end, theme id), as Study.coding_spans gives them
DrawnKey = tuple[int, int, int, int, str, str]  # a span with its theme's colour and mark


class DrawnMarks:
    """The marks drawn for one transcript, keyed by what they show."""

    def __init__(self) -> None:
        self._drawn: dict[DrawnKey, Mark] = {}
        self._marks: list[Mark] = []  # the same marks, in the order of the spans given
        # Each drawn coding's key by its id, made when a removal first needs it: finding the
        # key by looking at all 2,000 marks cost an undo of a coding 0.4 ms.
        self._key_of: dict[int, DrawnKey] | None = None

    def add(self, span: Span, colours: Mapping[int, str], labels: Mapping[int, str]) -> tuple[list[Mark], list[Mark]]:
        """(every mark now, the new mark) after this program added one coding, ``span``, to the
        transcript: the spans need not be read again. Marks stay in the study's order of spans
        (start, end, id)."""
        coding_id, start, end, theme_id = span
        key = (coding_id, start, end, theme_id, colours.get(theme_id, DEFAULT_COLOUR), labels.get(theme_id, "▌"))
        mark = Mark(*key)
        self._drawn[key] = mark
        if self._key_of is not None:
            self._key_of[coding_id] = key
        insort(self._marks, mark, key=_span_order)
        return list(self._marks), [mark]

    def reset(self, spans: Iterable[Span], colours: Mapping[int, str], labels: Mapping[int, str]) -> list[Mark]:
        """Marks for ``spans`` (a transcript just opened): all of them new. ``colours`` and
        ``labels`` give each theme's colour and its mark (the gutter letter)."""
        self._drawn = {}
        return self._take(spans, colours, labels)[0]

    def update(
        self, spans: Iterable[Span], colours: Mapping[int, str], labels: Mapping[int, str]
    ) -> tuple[list[Mark], list[Mark]]:
        """(every mark now, the marks that appeared or went) for the transcript's ``spans`` now."""
        before = self._drawn
        marks, fresh = self._take(spans, colours, labels, before)
        gone = [mark for key, mark in before.items() if key not in self._drawn]
        return marks, fresh + gone

    def remove(self, coding_id: int) -> tuple[list[Mark], list[Mark]]:
        """(every mark now, the marks that went) after this program removed one coding from the
        transcript (undoing it): the spans need not be read again."""
        if self._key_of is None:
            self._key_of = {key[0]: key for key in self._drawn}
        key = self._key_of.pop(coding_id, None)
        if key is None:
            return list(self._marks), []
        mark = self._drawn.pop(key)
        at = bisect_left(self._marks, _span_order(mark), key=_span_order)
        if at < len(self._marks) and self._marks[at] is mark:
            del self._marks[at]
        else:  # spans given in another order than the study's
            self._marks = [kept for kept in self._marks if kept is not mark]
        return list(self._marks), [mark]

    def starts(self, theme_id: int) -> dict[int, int]:
        """{coding id: start} of the drawn codings of one theme (empty spans included)."""
        return {key[0]: key[1] for key in self._drawn if key[3] == theme_id}

    def _take(
        self,
        spans: Iterable[Span],
        colours: Mapping[int, str],
        labels: Mapping[int, str],
        before: Mapping | None = None,
    ) -> tuple[list[Mark], list[Mark]]:
        before = before or {}
        drawn: dict[DrawnKey, Mark] = {}
        marks, fresh = [], []
        for coding_id, start, end, theme_id in spans:
            key = (coding_id, start, end, theme_id, colours.get(theme_id, DEFAULT_COLOUR), labels.get(theme_id, "▌"))
            mark = before.get(key)
            if mark is None:
                mark = Mark(*key)
                fresh.append(mark)
            drawn[key] = mark
            marks.append(mark)
        self._drawn = drawn
        self._marks = marks
        self._key_of = None
        return marks, fresh


def _span_order(mark: Mark) -> tuple[int, int, int]:
    return mark.start, mark.end, mark.id
