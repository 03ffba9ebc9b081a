"""Freeing what a closed screen leaves behind, soon after it closes.

Textual's widgets hold one another in cycles (parent and children, message queues), so a closed
dialog is freed only by a full pass of the garbage collector, which the coding screen makes when
the researcher pauses (``CodingScreenBase._collect_when_idle``), or after 100 middle passes in
an unbroken run of keys: by then ten or so dialogs and replaced transcripts had piled up, and that
pass took 0.2-0.3 s inside a key. :func:`free_closed_screens` runs a quarter of a second after a
screen closes, when its last frame is out: the full pass then finds one dialog's garbage and
takes 25-33 ms in the full-scale study.

Textual 8.2 also memoises ``StylesCache.get_inner_outer`` with ``functools.lru_cache`` on the
method, so the cache's keys hold the ``StylesCache`` of every widget ever drawn, up to 1,024,
with all the lines each rendered (Textual issue #6665): about 2,600 objects per dialog, 340,000
after 120 openings of the transcript list, which no pass could free and every full pass walked.
There is no public way to reach that cache; emptying it costs the widgets on screen the
recomputation of two styles at their next frame.
"""

from __future__ import annotations

import gc

from textual import _styles_cache

#: Seconds after a screen closes before what it left is freed: its last frames are out by then.
FREE_AFTER_CLOSE = 0.25


def forget_styles_of_removed_widgets() -> None:
    """Empty Textual's memo of inner and outer backgrounds, which holds every drawn widget's
    lines; the widgets still on screen fill it again as they draw. (Nothing to do once Textual
    no longer memoises it that way.)"""
    memo = getattr(_styles_cache.StylesCache, "get_inner_outer", None)
    cache_clear = getattr(memo, "cache_clear", None)
    if cache_clear is not None:
        cache_clear()


def free_closed_screens() -> None:
    """Free the widgets of screens that have closed: a full pass of the collector, cheap once
    the start-up's objects are frozen (before that, the coding screen's own pass does it)."""
    forget_styles_of_removed_widgets()
    if gc.get_freeze_count():
        gc.collect()
