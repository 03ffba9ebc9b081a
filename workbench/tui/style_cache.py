"""Letting go of the rendered lines of widgets that are gone.

Textual 8.2 memoises ``StylesCache.get_inner_outer`` with ``functools.lru_cache`` on the method,
so the cache's keys hold the ``StylesCache`` of every widget that was ever drawn, up to 1,024 of
them, with all the lines each had rendered (Textual issue #6665). Every dialog opened and closed
left about 2,600 objects behind: after 120 openings of the transcript list, 340,000, and the
garbage collector's full pass, which must walk them all, took 0.3-0.4 s instead of a few tens of
milliseconds. There is no public way to reach that cache; emptying it costs nothing but the
recomputation of two styles per widget at its next frame.
"""

from __future__ import annotations

from textual import _styles_cache


def forget_styles_of_removed_widgets() -> None:
    """Empty Textual's memo of inner and outer backgrounds, which holds every drawn widget's
    lines; the widgets still on screen fill it again as they draw. (Nothing to do once Textual
    no longer memoises it that way.)"""
    memo = getattr(_styles_cache.StylesCache, "get_inner_outer", None)
    cache_clear = getattr(memo, "cache_clear", None)
    if cache_clear is not None:
        cache_clear()
