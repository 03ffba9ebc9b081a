"""The collector's young passes between keys instead of inside them.

Python's collector looks at its youngest objects every 700 allocations, and at the middle
generation every tenth time. Drawing a frame allocates thousands of objects (lines, segments,
their caches), so a coding key in the full-scale study met a young pass in about every second
press (0.2-1.5 ms) and a middle one now and then (1.5-3.3 ms), inside the time before its frame.

Once the coding screen has started (:meth:`YoungPasses.begin`), the young threshold is raised so that one
key's objects do not reach it, and the young generations are collected when no key has come for
:data:`AFTER_KEY` seconds: the same work, done while the researcher reads what the key showed.
Keys faster than that (a held arrow key) still meet the collector's own passes, now less often.
The full passes are :mod:`workbench.tui.closed_screens`' and the coding screen's business.
"""

from __future__ import annotations

import asyncio
import gc

#: Objects allocated (net) before the collector makes a young pass of its own (Python's is 700).
YOUNG_BETWEEN_KEYS = 10_000
#: Seconds without a key after which the young generations are collected.
AFTER_KEY = 0.03


class YoungPasses:
    """Young collections after each burst of keys (the app has one; every key goes through it)."""

    def __init__(self) -> None:
        self._pending: asyncio.TimerHandle | None = None
        self._own_young: int | None = None  # the collector's threshold before begin(); None: not begun

    def begin(self) -> None:
        """From now on, collect young objects between keys (call once start-up's objects are frozen)."""
        young, middle, full = gc.get_threshold()
        if self._own_young is None:
            self._own_young = young
        gc.set_threshold(YOUNG_BETWEEN_KEYS, middle, full)

    def end(self) -> None:
        """The collector's own young threshold again (the screen is gone)."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None
        if self._own_young is not None:
            _young, middle, full = gc.get_threshold()
            gc.set_threshold(self._own_young, middle, full)
            self._own_young = None

    def key_pressed(self) -> None:
        """A key came: collect when the next :data:`AFTER_KEY` seconds pass without another."""
        if self._own_young is None:
            return
        if self._pending is not None:
            self._pending.cancel()
        self._pending = asyncio.get_running_loop().call_later(AFTER_KEY, self._collect)

    def _collect(self) -> None:
        self._pending = None
        # The middle generation when the collector would have made that pass by now (every
        # tenth young one); otherwise only the young. Either way this counts as the collector's.
        middle_due = gc.get_count()[1] >= gc.get_threshold()[1]
        gc.collect(1 if middle_due else 0)
