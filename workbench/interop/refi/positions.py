"""Selection positions as each QDA tool counts them, converted to and from the study's.

The study counts Unicode code points over the transcript as stored: line ends ``\\n``, no
byte-order mark. Other tools count differently (see docs/exchange.md):

- the **unit**: code points (Python: QualCoder, qc, the workbench) or UTF-16 code units (.NET,
  Qt, Cocoa: NVivo; a character outside the Basic Multilingual Plane, such as most emoji,
  counts 2);
- the **line ends**: a CRLF in the file counts 2 (the text as written) or 1 (made ``\\n`` first);
- the **byte-order mark**: counted as a character (a reader that keeps U+FEFF) or not.

A ``Reading`` is one such way of counting; ``TextLayout`` holds what a source file had (where its
CRLFs were, a BOM) and maps positions between the study's text and a reading. ``choose_reading``
picks the reading of an imported project from its header and, where the header leaves a choice,
from evidence: the reading that puts the most selection boundaries between words (never inside a
word, a CRLF, a surrogate pair or before a combining mark) wins.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass

from workbench.interop.decode import newlines_only

CODE_POINTS = "code points"
UTF16 = "UTF-16 code units"


@dataclass(frozen=True)
class Reading:
    """One way of counting positions: the unit, whether a CRLF counts 2, whether a BOM counts 1."""

    unit: str = CODE_POINTS
    crlf: bool = True
    bom: bool = False

    def describe(self) -> str:
        ends = "CRLF counted as 2" if self.crlf else "CRLF counted as 1"
        mark = ", byte-order mark counted" if self.bom else ""
        return f"{self.unit} ({ends}{mark})"

    def marker(self) -> str:
        """A short form written into exported headers and read back: ``utf16-crlf``."""
        return "-".join(
            [
                "utf16" if self.unit == UTF16 else "codepoints",
                "crlf" if self.crlf else "lf",
                *(["bom"] if self.bom else []),
            ]
        )

    @classmethod
    def from_marker(cls, marker: str) -> Reading | None:
        parts = marker.strip().lower().split("-")
        if len(parts) not in (2, 3) or parts[0] not in ("utf16", "codepoints") or parts[1] not in ("crlf", "lf"):
            return None
        return cls(UTF16 if parts[0] == "utf16" else CODE_POINTS, parts[1] == "crlf", parts[2:] == ["bom"])


# The standard counts the characters of the plain-text file as written: code points, a CRLF is
# two characters, and a BOM (not part of the text) none.
STANDARD = Reading(CODE_POINTS, crlf=True, bom=False)
ALL_READINGS = tuple(Reading(u, c, b) for u in (CODE_POINTS, UTF16) for c in (True, False) for b in (False, True))

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class TextLayout:
    """A source's text as the study stores it (``\\n`` line ends, no BOM) and what its file had."""

    def __init__(self, text: str, crlf_at: array | list[int] | None = None, bom: bool = False):
        self.length = len(text)
        # Indices in the stored text of the "\n"s that were CRLF in the file, as a compact array
        # (a large transcript has many lines).
        self.crlf_at = crlf_at if crlf_at is not None else array("q")
        self.bom = bom
        # Scanning with a regex keeps no copy of the text (a large transcript stays one string).
        self.astral_at = array("q", (m.start() for m in _ASTRAL.finditer(text)) if not text.isascii() else ())

    @classmethod
    def of_file_text(cls, raw: str, bom: bool = False) -> tuple[TextLayout, str]:
        """The layout of decoded file text and the text as stored (CRLF and lone CR made ``\\n``)."""
        crlf_at = crlf_positions(raw)
        text = newlines_only(raw)
        return cls(text, crlf_at, bom), text

    def to_writer(self, position: int, reading: Reading) -> int:
        """A stored position (code points, ``\\n``) as ``reading`` counts it."""
        shift = 1 if reading.bom and self.bom else 0
        if reading.crlf:
            shift += bisect.bisect_left(self.crlf_at, position)
        if reading.unit == UTF16:
            shift += bisect.bisect_left(self.astral_at, position)
        return position + shift

    def to_study(self, position: int, reading: Reading) -> int | None:
        """The stored position ``reading``'s ``position`` means, or None when it points inside a
        CRLF, a surrogate pair, the BOM, or outside the text."""
        if position < 0:
            return None
        found = bisect.bisect_left(range(self.length + 1), position, key=lambda p: self.to_writer(p, reading))
        if found > self.length or self.to_writer(found, reading) != position:
            return None
        return found


def crlf_positions(raw: str) -> array:
    """Where the ``\\n`` of each CRLF in ``raw`` will be once the CRs are removed."""
    found = array("q")
    if "\r\n" in raw:
        found.extend(match.start() - n for n, match in enumerate(re.finditer("\r\n", raw)))
    return found


def boundary_ok(text: str, position: int) -> bool:
    """Whether a selection may start or end here: not inside a word, not before a combining mark."""
    if position <= 0 or position >= len(text):
        return True
    after = text[position]
    if unicodedata.combining(after) or "\u200d" in (after, text[position - 1]) or "\ufe00" <= after <= "\ufe0f":
        return False
    return not (text[position - 1].isalnum() and after.isalnum())


@dataclass
class Evidence:
    """How well one reading fits the selections of a project: boundaries between words, of all."""

    reading: Reading
    good: int = 0
    total: int = 0

    @property
    def share(self) -> float:
        return self.good / self.total if self.total else 1.0


def evidence(reading: Reading, sources: Iterable[tuple[str, TextLayout, Iterable[tuple[int, int]]]]) -> Evidence:
    """Count the selection boundaries that land well under ``reading``."""
    result = Evidence(reading)
    for text, layout, spans in sources:
        for start, end in spans:
            for raw in (start, end):
                result.total += 1
                position = layout.to_study(raw, reading)
                result.good += position is not None and boundary_ok(text, position)
    return result


@dataclass
class ReadingChoice:
    """The reading used for a project and why, for the import report."""

    reading: Reading
    why: str
    warning: str | None = None


# What each writer is known (or assumed) to count, from the project's ``origin`` attribute. A
# list is the set of readings evidence chooses among; docs/exchange.md says where each comes from.
_ORIGINS: tuple[tuple[str, str, tuple[Reading, ...]], ...] = (
    ("nvivo", "NVivo", (Reading(UTF16, True), Reading(UTF16, False))),
    (
        "qualcoder",
        "QualCoder",
        (Reading(CODE_POINTS, False), Reading(CODE_POINTS, True), Reading(CODE_POINTS, True, True)),
    ),
    ("atlas", "ATLAS.ti", ()),
    ("maxqda", "MAXQDA", ()),
    ("qc ", "qc", (STANDARD,)),
    ("taguette", "Taguette", (STANDARD,)),
)


def _known_readings(origin: str | None) -> tuple[str | None, tuple[Reading, ...]]:
    """The tool named in ``origin`` and the readings it may have used (empty: any)."""
    value = (origin or "").strip()
    lowered = value.lower() + " "
    if lowered.startswith("workbench"):
        marker = re.search(r"positions:\s*([a-z0-9-]+)", lowered)
        reading = Reading.from_marker(marker.group(1)) if marker else None
        return "the workbench", (reading or STANDARD,)
    for needle, tool, readings in _ORIGINS:
        if needle in lowered:
            return tool, readings
    return None, ()


def choose_reading(origin: str | None, sources: list[tuple[str, TextLayout, list[tuple[int, int]]]]) -> ReadingChoice:
    """The reading of a project's positions: from its header, and where that leaves a choice (or
    is contradicted), from where the selection boundaries land."""
    tool, known = _known_readings(origin)
    said = f"origin {origin!r}" if origin else "no origin in the header"
    # Only the choices this project's texts make visible: without emoji, CRLFs or a BOM the
    # readings place every selection alike.
    astral = any(layout.astral_at for _, layout, spans in sources if spans)
    crlf = any(layout.crlf_at for _, layout, spans in sources if spans)
    bom = any(layout.bom for _, layout, spans in sources if spans)

    def visible(reading: Reading) -> Reading:
        return Reading(
            reading.unit if astral else CODE_POINTS, reading.crlf if crlf else True, reading.bom if bom else False
        )

    candidates = list(dict.fromkeys(visible(r) for r in (known or (STANDARD, *ALL_READINGS))))
    if not (astral or crlf or bom):
        return ReadingChoice(
            STANDARD,
            "every reading gives the same positions (no characters outside the BMP, "
            "no CRLF line ends, no byte-order mark in the coded texts)",
        )
    scores = {r: evidence(r, sources) for r in dict.fromkeys(visible(r) for r in ALL_READINGS)}
    best = max(candidates, key=lambda r: scores[r].good)  # the first of equals: the header's order
    overall = max(scores.values(), key=lambda e: e.good)
    chosen, warning = best, None
    fit = scores[best]
    if overall.reading not in candidates and overall.total and overall.good - fit.good >= 0.2 * overall.total:
        chosen = overall.reading
        warning = (
            f"the header ({said}) suggests {best.describe()}, but {overall.good} of {overall.total} selection "
            f"boundaries fall between words read as {overall.reading.describe()} against {fit.good} its way; "
            "the positions were read the second way"
        )
    score = scores[chosen]
    others = ", ".join(f"{e.good} as {r.describe()}" for r, e in scores.items() if r != chosen)
    basis = f"written by {tool} ({said})" if tool else said
    if len(candidates) > 1 or not known:
        basis += "; of the readings that tool may use, this one fits best" if known else "; chosen by fit"
    why = f"{basis}: {score.good} of {score.total} selection boundaries fall between words ({others})"
    return ReadingChoice(chosen, why, warning)
