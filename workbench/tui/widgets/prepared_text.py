"""Transcripts prepared for drawing, kept for the last few opened, so switching back is quick.

Opening a transcript in :class:`~workbench.tui.widgets.transcript_view.TranscriptView` makes its
terminal-safe copy, finds its speaker labels and wraps it to the pane's width: about a tenth of a
second for 300,000 characters. A researcher moves between a few transcripts (the one being coded,
the one a quote came from); those stay prepared here, the least recently opened going first.
A transcript is found again only by exactly the same text and turns, so a changed one is
prepared anew.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from workbench.domain.models import Turn
from workbench.tui.widgets import transcript_layout as tl

#: How many transcripts stay prepared.
KEEP = 4


@dataclass
class PreparedText:
    """One transcript's text as the view draws it, and its wrapping per width."""

    text: str
    safe: str  # the terminal-safe copy (same length, same offsets)
    turns: list[Turn]  # sorted by start
    regions: list[int]  # where each turn's paragraph begins
    labels: list[tuple[int, int]]  # speaker label spans
    hidden: list[tuple[int, int]]  # Markdown emphasis around labels, not drawn (``tl.label_markup``)
    _layouts: dict[int, tl.Layout] = field(default_factory=dict)

    def layout(self, width: int) -> tl.Layout:
        """The text wrapped to ``width`` cells (made once per width)."""
        if width not in self._layouts:
            if len(self._layouts) >= 2:  # a resize makes a new width; old ones are seldom needed again
                self._layouts.clear()
            self._layouts[width] = tl.Layout(tl.with_hidden(self.safe, self.hidden), width)
        return self._layouts[width]


class PreparedTexts:
    """The last :data:`KEEP` transcripts prepared, by text."""

    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._kept: OrderedDict[str, PreparedText] = OrderedDict()

    def get(self, text: str, turns: list[Turn]) -> PreparedText:
        """``text`` with ``turns`` prepared: kept from before if both are the same, else made now."""
        ordered = sorted(turns, key=lambda t: t.start)
        prepared = self._kept.get(text)
        if prepared is None or prepared.turns != ordered:
            regions, labels = tl.label_ranges(text, ordered)
            hidden = tl.label_markup(text, labels)
            prepared = PreparedText(text, tl.sanitize(text), ordered, regions, labels, hidden)
            self._kept[text] = prepared
        self._kept.move_to_end(text)
        while len(self._kept) > self._keep:
            self._kept.popitem(last=False)
        return prepared
