"""Four shades for a value between nothing and the chart's top, so a heat map reads without colour.

Level 0 is an empty cell; levels 1-4 split (0, top] into four equal parts, each drawn with one of
``SHADES`` (light to full block) in the terminal and one step darker in a figure.
"""

from __future__ import annotations

SHADES = "░▒▓█"
EMPTY = "·"
LEVELS = len(SHADES)


def level(value: int | None, top: int) -> int:
    """0 for no value (or nothing to compare with), else 1..4 by the share of ``top``."""
    if not value or value <= 0 or top <= 0:
        return 0
    return min(LEVELS, -(-LEVELS * value // top))  # ceil(4 * value / top) in integers


def level_ranges(top: int) -> list[tuple[int, int, int]]:
    """``(level, lowest, highest)`` of the whole numbers each level stands for, for the legend.

    A level no whole number falls in (when ``top`` is below 4) is left out.
    """
    ranges = []
    for k in range(1, LEVELS + 1):
        low = (k - 1) * top // LEVELS + 1
        high = k * top // LEVELS
        if low <= high:
            ranges.append((k, low, high))
    return ranges
