"""Lines handed to the screen as the widget drew them, without a second pass through Textual's
styles cache, for a widget that draws and caches whole lines itself."""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip


class PlainLines:
    """Mixin for a :class:`~textual.widget.Widget` (put it first) whose :meth:`render_line`
    draws each line whole, in the widget's own style and full width, and keeps it.

    Textual's :meth:`render_lines` passes every line it asks for again through its styles
    cache, which adds the border, padding, outline, tint, opacity and hatch a stylesheet may
    give the widget, and keeps the result once more. For a widget with none of those that is
    work without effect: about 0.05 ms a changed line in a frame, up to 1.4 ms of the frame of a
    coding that redraws a long turn, and 1.5 to 2.5 ms of a page down. Here the lines go to the screen as :meth:`render_line` returns them,
    through the app's line filters (``NO_COLOR``, dimming) and cropped as Textual would. When the
    stylesheet gives the widget any of those styles, Textual's way is taken.
    """

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines of ``crop`` (relative to the widget) as :meth:`render_line` draws them."""
        # Looked at on every call (about 10 µs): inline styles change without a style update.
        if not draws_nothing_around(self.styles) or self.opacity != 1.0:  # opacity: with ancestors'
            return super().render_lines(crop)
        render_line = self.render_line
        strips = [render_line(y) for y in crop.line_range]
        filters = self.get_line_filters()
        if filters:
            background = self.background_colors[1]
            for filter in filters:
                strips = [strip.apply_filter(filter, background) for strip in strips]
        x1, x2 = crop.column_span
        if (x1, x2) != (0, self.region.width):
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips


def draws_nothing_around(styles) -> bool:
    """Whether Textual's styles cache would hand a content line on unchanged: the tests it makes
    for a border, padding, outline, text opacity, tint and hatch."""
    return (
        not any(edge for edge, _colour in styles.border)
        and not any(edge for edge, _colour in styles.outline)
        and not any(styles.padding)
        and styles.text_opacity == 1.0
        and not styles.tint.a
        and not (styles.has_rule("hatch") and styles.hatch != "none")
    )
