"""Frames that draw only the lines that changed.

Textual's compositor draws a partial update (a frame after a coding, an undo, a selection) by
taking the rectangle around every changed region, then asking each widget that overlaps that
rectangle for all of its visible lines; only the changed spans are written to the terminal. A
coding changes a few lines of the transcript, one row of the palette, the board's count and the
status line: the rectangle is the whole screen, so every widget on it (a dozen footer keys,
scroll bars, containers, 30 palette rows) is asked for lines nobody will see.

:class:`LineCompositor` asks a widget only when its visible part crosses a changed span, and
only for the lines from its first to its last such span. What reaches the terminal is the same,
byte for byte (``tests/test_partial_frames.py`` draws each frame both ways and compares): a
piece of a line is written only when it lies in a changed span, and every widget covering such
a piece is still drawn on that line, front to back as before.
"""

from __future__ import annotations

from typing import cast

from textual._compositor import ChopsUpdate, Compositor
from textual.geometry import Region
from textual.strip import Strip


class LineCompositor(Compositor):
    """A :class:`Compositor` whose partial updates draw only the changed lines of each widget."""

    def render_partial_update(self) -> ChopsUpdate | None:
        height = self.size.height
        update_regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        if not update_regions:
            return None
        spans = [span for span in self._regions_to_spans(update_regions) if 0 <= span[0] < height]
        if not spans:
            return None
        cuts = self.cuts
        chops = self._changed_chops(spans, cuts)
        return ChopsUpdate(chops, spans, [cut_set[1:] for cut_set in cuts])

    def _changed_chops(self, spans: list[tuple[int, int, int]], cuts: list[list[int]]) -> list[dict[int, Strip | None]]:
        """The pieces (chops) of each changed line, drawn front to back as Textual does, from
        the widgets that cross a changed span on that line; other pieces stay None (unwritten)."""
        spans_on: dict[int, list[tuple[int, int]]] = {}
        for y, x1, x2 in spans:
            spans_on.setdefault(y, []).append((x1, x2))
        changed_lines = sorted(spans_on)
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
        top, bottom = changed_lines[0], changed_lines[-1]
        for widget, (region, clip) in self.visible_widgets.items():
            x, y, width, height = region.intersection(clip)
            if not (width and height) or y > bottom or y + height <= top:
                continue
            right = x + width
            lines = [
                line
                for line in changed_lines
                if y <= line < y + height and any(x1 < right and x2 > x for x1, x2 in spans_on[line])
            ]
            if not lines:
                continue
            first, last = lines[0], lines[-1]
            strips = widget.render_lines(Region(x - region.x, first - region.y, width, last - first + 1))
            wanted = set(lines)
            for line, strip in zip(range(first, last + 1), strips):
                if line not in wanted:
                    continue
                chops_line = chops[line]
                final_cuts = [cut for cut in cuts[line] if right >= cut >= x]
                # Front to back: the first piece drawn at a cut is the one seen.
                for cut, piece in zip(final_cuts, strip.divide([cut - x for cut in final_cuts[1:]])):
                    if chops_line.get(cut) is None:
                        chops_line[cut] = piece
        return cast("list[dict[int, Strip | None]]", chops)


class ChangedLinesScreen:
    """Mixin for a :class:`~textual.screen.Screen` (put it first): its partial updates are
    drawn by a :class:`LineCompositor`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._compositor = LineCompositor()
