"""Elided quotes: a quote trimmed with ``[...]`` marking each cut."""

from __future__ import annotations

from workbench.domain.text_search import find_after
from workbench.errors import WorkbenchError

ELISION = "[...]"


def elided_parts(elided: str) -> list[str]:
    """The kept pieces of an elided form, without the marks and surrounding spaces."""
    return [part.strip() for part in elided.split(ELISION) if part.strip()]


def check_elided(original: str, elided: str) -> None:
    """Refuse an elided form that is not the original with some parts cut out.

    Every kept piece must occur in the original, in order, so a trimmed quote can never say
    something the informant did not.
    """
    position = 0
    for part in elided_parts(elided):
        found = find_after(original, part, position)  # NFC and NFD forms of a letter are equal
        if found is None:
            shown = part if len(part) <= 50 else part[:49] + "…"
            raise WorkbenchError(
                f"the elided form must be the passage with cuts marked {ELISION}; {shown!r} is not in the passage (in this order)"
            )
        position = found[1]
    if not elided_parts(elided):
        raise WorkbenchError("the elided form keeps nothing of the passage")
