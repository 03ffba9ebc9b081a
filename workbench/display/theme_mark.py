"""A theme's mark as the terminal draws it: its letter in bold, black or white on its colour.

The transcript's gutter, the theme palette and the status line use the same look, so a mark seen
in one is recognised in the others; without colour (NO_COLOR, monochrome) the bold letter remains.
"""

from __future__ import annotations

from functools import lru_cache

from rich.style import Style

from workbench.domain.colours import normalise_colour, readable_on


@lru_cache(maxsize=256)
def mark_style(colour: str) -> Style:
    """Bold black or white (whichever reads better) on ``colour``; bold alone if it is no colour."""
    value = normalise_colour(colour)
    return Style(bold=True, bgcolor=value, color=readable_on(value)) if value else Style(bold=True)
