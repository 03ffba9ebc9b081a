"""Frames drawn as soon as a change allows, and none spent when a screen closes.

Two habits of Textual cost a key 20 to 60 ms after it had done its work:

- **The frame grid.** A screen's changes are drawn by a timer that ticks at most ``MAX_FPS``
  times a second (``TEXTUAL_FPS``, 60 by default) on a grid of instants fixed when it first ran.
  After a frame that began late (any frame after a quiet moment: the timer waits, paused, until
  something changes) it skips to the grid instant after next, so the next frame waited 17 to 33
  ms even for a change made right away. Every key whose change comes in two frames (a dialog
  closed, then the board's lines) paid that wait. The ``workbench`` command sets
  ``TEXTUAL_FPS`` to 240 (``workbench/__main__.py``; unless it is set already), which shortens
  that wait to 4 to 8 ms; frames are still drawn only when something changed.
- **A layout after a screen closes.** Removing a widget asks its parent for a new layout; a
  closed screen's parent is the app, which passes that on to the screen now on top: every
  widget measured and placed again (about 20 ms on the coding screen) and two more frames,
  although the screen below kept its size and content, and a second repaint of the whole
  screen. :class:`NoLayoutOnCloseScreen` and :class:`NoLayoutOnCloseApp` leave both out. (A screen whose terminal was resized meanwhile
  lays itself out when it comes back to the top, as before.)
"""

from __future__ import annotations

import time

from textual.await_remove import AwaitRemove

#: How long after a screen's removal begins the app's layout requests it causes are awaited.
LAYOUT_REQUEST_WINDOW = 0.5  # seconds; removing a dialog takes milliseconds


class NoLayoutOnCloseScreen:
    """Mixin for a :class:`~textual.screen.Screen` (put it first): when it is removed, the
    layout Textual then asks of the app (:class:`NoLayoutOnCloseApp`) is left out."""

    def remove(self) -> AwaitRemove:
        """Remove the screen (it has been closed); the screen below keeps its layout."""
        skip = getattr(self.app, "skip_layout_after_close", None)  # absent under a plain App
        if skip is not None:
            skip()
        return super().remove()


class NoLayoutOnCloseApp:
    """Mixin for the :class:`~textual.app.App` (put it first): requests for a layout of the app
    within :data:`LAYOUT_REQUEST_WINDOW` after :meth:`skip_layout_after_close` are left out,
    and so is the repaint that comes with them. (Closing a dialog makes two: the screen's
    removal and its box's.) The screen now on top was repainted whole when it came back (Textual
    does that on resume); the repaint would draw all of it a second time a few frames later (64
    KB in the full study). The app itself is asked for a layout only by Textual's removals and
    after ``App.suspend``, which the workbench does not use; widgets ask their own screen, which
    this leaves alone."""

    _skip_layout_until = 0.0

    def skip_layout_after_close(self) -> None:
        """A screen is being removed: its removal's layout request is not needed."""
        self._skip_layout_until = time.monotonic() + LAYOUT_REQUEST_WINDOW

    def refresh(self, *, repaint: bool = True, layout: bool = False, recompose: bool = False):
        if layout and not recompose and time.monotonic() < self._skip_layout_until:
            return self
        return super().refresh(repaint=repaint, layout=layout, recompose=recompose)
