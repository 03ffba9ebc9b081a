"""The one order for names and attribute values shown to the researcher: natural, case-insensitive."""

from __future__ import annotations

import re
import unicodedata

_NUMBERS = re.compile(r"(\d+)")


def natural_key(value: str | None) -> tuple:
    """A sort key that puts "cluster 2" before "cluster 10" and "informant_9" before "Informant_10".

    Runs of digits compare as numbers, the text between them without regard to case; None (no
    value) sorts last. Values that differ only in case or leading zeros keep a fixed order.
    """
    if value is None:
        return (1, (), "")
    # split() with a capturing group alternates text and digits, so place i holds the same kind
    # in every key: text at even places, numbers at odd ones.
    parts = _NUMBERS.split(value.casefold())
    return (0, tuple(_number(part) if i % 2 else part for i, part in enumerate(parts)), value)


def _number(digits: str) -> tuple[int, str]:
    """A run of digits as a key that orders by value without int() (which refuses 4,300+ digits)."""
    if not digits.isascii():  # other scripts' decimal digits, e.g. Arabic-Indic
        digits = "".join(str(unicodedata.decimal(ch)) for ch in digits)
    significant = digits.lstrip("0")
    return (len(significant), significant)
