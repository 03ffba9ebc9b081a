"""The common cases file read without PyYAML: names, attribute names and values YAML reads as text.

Most cases files are two levels of ``name:`` and ``  attribute: value`` lines (or one line per
name, ``name: {attribute: value, ...}``) whose values are words, numbers, dates or quoted text,
with comments.
Importing PyYAML costs 12-17 ms of an import command's start on a small machine (7 of them
compiling one of its patterns), more than reading such a file. :func:`read_plain_cases` reads
exactly that shape and returns None for anything else, anything YAML would read in a way of its
own (``yes``, ``~``, ``0x1F``, ``12:30``, ``2025-3-4``, a tab, a repeated name, a double-quoted
value, an empty entry ...): the cases reader then reads the file with PyYAML,
so an error keeps PyYAML's wording and line. Whatever this returns, PyYAML's reading gives the
same (a property test compares the two).
"""

from __future__ import annotations

import datetime as dt

#: Besides letters and digits, what a value read here may hold after its first letter. No
#: ``:``, ``#``, ``,``, brackets or quotes' other uses: they mean something to YAML somewhere.
_INNER = frozenset(" _-./()&+'")

#: The longest number read here (YAML makes an integer of it, written back the same).
_DIGITS = 18

#: Words YAML reads as true, false or nothing in some spelling (``Yes``, ``OFF``, ``Null``).
_NOT_TEXT = frozenset(("yes", "no", "true", "false", "on", "off", "null", "y", "n"))


def read_plain_cases(text: str) -> dict[str, dict[str, str]] | None:
    """{transcript name: {attribute: value}} when ``text`` has the plain shape; otherwise None."""
    cases: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    indent: str | None = None  # the attributes' indentation, the same on every line
    for raw in text.split("\n"):
        line = raw.partition(" #")[0].rstrip(" ")  # a comment after a blank ends the line
        if not line or line.lstrip(" ").startswith("#"):
            continue
        if line[0] != " ":
            if current is not None and not current:
                return None  # a name without attributes: the YAML reader says what is wrong
            name, colon, rest = line.partition(": ") if ": " in line else line.partition(":")
            name = _scalar(name) if colon else None
            if name is None or name in cases:
                return None
            if not rest:
                current = cases[name] = {}
            elif (flow := _flow(rest)) is not None:
                cases[name] = flow
                current = None
            else:
                return None
            continue
        if current is None:
            return None
        spaces = line[: len(line) - len(line.lstrip(" "))]
        if indent is None:
            indent = spaces
        if spaces != indent or not _attribute(line[len(indent) :], current):
            return None
    if not cases or (current is not None and not current):
        return None
    return cases


def _flow(rest: str) -> dict[str, str] | None:
    """The attributes of ``{a: b, c: d}``, or None."""
    if not (rest.startswith("{") and rest.endswith("}")):
        return None
    attributes: dict[str, str] = {}
    for pair in rest[1:-1].split(","):
        if not _attribute(pair.strip(" "), attributes):
            return None
    return attributes or None


def _attribute(pair: str, into: dict[str, str]) -> bool:
    """Add ``key: value`` to ``into``; False if it is not plain or the key is there already."""
    key, separator, value = pair.partition(": ")
    key, value = _scalar(key) if separator else None, _scalar(value.strip(" "))
    if key is None or value is None or key in into:
        return False
    into[key] = value
    return True


def _scalar(token: str) -> str | None:
    """The text of a word, a number read back as written, or a single-quoted value; else None."""
    if len(token) >= 2 and token[0] == token[-1] == "'":
        inner = token[1:-1].strip()  # as the cases reader keeps a value: without surrounding blanks
        if not inner or "'" in inner or not all(ch.isalnum() or ch in _INNER for ch in inner):
            return None
        return inner
    if _is_date(token):
        return token  # YAML makes a date of it, stored as written (zero-padded, a real day)
    if token.isascii() and token.isdigit():
        # 010 is eight to YAML; a number of thousands of digits is refused by Python's int()
        return token if (token == "0" or token[0] != "0") and len(token) <= _DIGITS else None
    if not token or not token[0].isalpha() or token[-1] == " " or token.casefold() in _NOT_TEXT:
        return None
    if not all(ch.isalnum() or ch in _INNER for ch in token):
        return None
    return token


def _is_date(token: str) -> bool:
    """``YYYY-MM-DD`` naming a day that exists."""
    if len(token) != 10 or token[4] != "-" or token[7] != "-":
        return False
    year, month, day = token[:4], token[5:7], token[8:]
    if not all(part.isascii() and part.isdigit() for part in (year, month, day)):
        return False
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True
