"""Pausing Python's cycle collector while a large piece of work makes many objects and no cycles."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collecting_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a large result of plain objects is built.

    Results of tuples and strings (an analysis's rows, an import's turns) hold no reference
    cycles and are freed as they go by reference counting, yet making a few hundred thousand
    objects sets off repeated collections that each pass over every object alive, a tenth to a
    third of the work's time for nothing. The collector runs again when the work ends.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
