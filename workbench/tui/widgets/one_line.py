"""A widget of one line of Rich text that draws itself, for lines that change after most keys."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip
from textual.widget import Widget


class OneLineWidget(Widget):
    """A widget of one line of Rich text (its :meth:`render`), drawn straight into a strip.

    Textual's way for a widget that returns text converts it to its own content type and lays it
    out, about 0.5 ms for one line; the status line, the essential keys and the quote board's
    caption change after most keys (a coding changes the note and the board's count), so they
    draw themselves.
    """

    _base: Style | None = None  # the widget's own style (from CSS), worked out once per style change

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if self._base is None:
            self._base = self.rich_style
        base = self._base
        if y:
            return Strip.blank(width, base)
        text = self.render()
        if text.cell_len > width:
            text = text.copy()
            text.truncate(width, overflow=text.overflow or "crop")
        segments = Segment.apply_style(text.render(self.app.console), base)
        return Strip(segments).adjust_cell_length(width, base)

    def render(self) -> Text:  # pragma: no cover - each widget says what it shows
        raise NotImplementedError
