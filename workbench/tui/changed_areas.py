"""Frames that ask only the widgets under a change for their lines.

Textual draws the changes of a frame by cropping to one rectangle around all of them and asking
every widget inside that rectangle for all its lines. Only what lies in a changed area is then
written to the terminal. So a key that changed the quote board and the status line (the
bottom row, full width) had the transcript, the palette and their containers draw all their
lines as well, for nothing: the rectangle around the two is the whole screen. That was a
quarter of a board key's frame (0.7 of 2.6 ms) and of a cursor move's (0.25 of 1 ms).

:class:`ChangedAreasCompositor` asks only the widgets whose visible part overlaps a changed area.
Every line it writes is the one Textual writes: a widget outside every changed area has nothing
in them. This leans on three inner names of Textual's compositor (``_dirty_regions``,
``_get_renders`` and its ``_visible_widgets`` cache). Should one change, the frames are drawn
Textual's way (the same lines, only slower), and ``tests/test_changed_areas.py`` fails.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual._compositor import Compositor
from textual.geometry import Region


class ChangedAreasCompositor(Compositor):
    """A compositor whose partial updates render only the widgets under a changed area."""

    #: The changed areas of the partial update being drawn (None: none is being drawn).
    _changed_areas: list[Region] | None = None

    def render_partial_update(self):
        """Textual's partial update, with the changed areas known to :meth:`_get_renders`."""
        changed = getattr(self, "_dirty_regions", None)  # absent in another Textual: its own way
        self._changed_areas = None if changed is None else list(changed)
        try:
            return super().render_partial_update()
        finally:
            self._changed_areas = None

    def _get_renders(self, crop: Region | None = None):
        areas = self._changed_areas
        if crop is None or areas is None or len(areas) < 2:  # one area: the crop is that area
            yield from super()._get_renders(crop)
            return
        every = self.visible_widgets
        under = {widget: placed for widget, placed in every.items() if _overlaps_any(placed, areas)}
        # Textual's renders read the visible widgets from this cache: hand it only those under
        # a change while they are rendered, and put the whole map back after (unless the map
        # was rebuilt meanwhile, which drops the cache).
        self._visible_widgets = under
        try:
            yield from super()._get_renders(crop)
        finally:
            if self._visible_widgets is under:
                self._visible_widgets = every


def _overlaps_any(placed: tuple[Region, Region], areas: Iterable[Region]) -> bool:
    """Whether a widget's visible part (its region within its clip) overlaps one of ``areas``."""
    region, clip = placed
    visible = region.intersection(clip)
    return any(visible.overlaps(area) for area in areas)


class DrawsChangedAreasOnly:
    """Mixin for a :class:`~textual.screen.Screen` (put it first): its frames render only the
    widgets under a change (:class:`ChangedAreasCompositor`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._compositor = ChangedAreasCompositor()
