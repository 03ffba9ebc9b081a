"""Pseudonym maps: replace the names of people and places in transcripts, and check for leftovers.

A pseudonym map is a YAML file, kept outside the study, from each real name to what replaces it::

    Anna Svensson: "[...]"
    Lindköping: "[the other municipality]"

or, with options::

    ignore_case: true
    pseudonyms:
      Anna Svensson: "[...]"

Names are replaced as whole words, the longest first ("Anna Svensson" before "Anna"); a space
in a name also matches several spaces or a line break (not a blank line). Every replacement is reported (where,
what, with what) to the researcher; the report and the map are never written into a study or
an export. ``check_text`` lists the mapped names still present in a text, e.g. an exported
chapter.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import unquote

import yaml

from workbench.domain.chapter.markdown import unescape
from workbench.domain.models import ParsedTranscript, Turn
from workbench.errors import InputError

_OPTIONS = {"ignore_case", "pseudonyms"}
_NULL_TAG = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class Pseudonym:
    """One real name and its replacement; ``line`` is where the map gives it."""

    name: str
    replacement: str
    line: int = 0


@dataclass
class PseudonymMap:
    """The parsed map: its entries (longest name first) and whether case is ignored."""

    entries: list[Pseudonym]
    ignore_case: bool = False
    source: str = "<pseudonyms>"

    def __post_init__(self) -> None:
        self.entries = sorted(self.entries, key=lambda e: (-len(e.name), e.name))
        self._patterns: dict[bool, re.Pattern] = {}
        self._by_key = {self.key(e.name): e for e in self.entries}

    def with_ignore_case(self, ignore_case: bool) -> PseudonymMap:
        """The same map, matching with or without regard to case."""
        if ignore_case == self.ignore_case:
            return self
        _check_entries(self.entries, ignore_case, self.source)  # "Ann" and "ANN" clash without case
        return PseudonymMap(list(self.entries), ignore_case, self.source)

    def key(self, found: str) -> str:
        """How a matched name is looked up: spacing collapsed, and case folded if ignored."""
        key = " ".join(found.split())
        return key.casefold() if self.ignore_case else key

    def entry_for(self, found: str, ignore_case: bool | None = None) -> Pseudonym:
        """The entry a match of ``pattern()`` stands for."""
        entry = self._by_key.get(self.key(found))
        if entry is not None:
            return entry
        # letters that match without case but fold differently (e.g. the dotless i)
        flags = re.IGNORECASE if (self.ignore_case if ignore_case is None else ignore_case) else 0
        return next(e for e in self.entries if re.fullmatch(name_pattern(e.name), found, flags))

    def pattern(self, ignore_case: bool | None = None) -> re.Pattern:
        """One regular expression for every name: whole words, longest first."""
        ignore = self.ignore_case if ignore_case is None else ignore_case
        if ignore not in self._patterns:
            alternatives = "|".join(name_pattern(e.name) for e in self.entries)
            self._patterns[ignore] = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE if ignore else 0)
        return self._patterns[ignore]


# Spacing inside a name: spaces, tabs, or one line break (a wrapped line), but not a blank line,
# which ends a paragraph or a turn.
_SPACING = r"(?:[^\S\n]|\n(?![^\S\n]*\n))+"


def name_pattern(name: str) -> str:
    """A name as a pattern: a space in it also matches several spaces or a line break."""
    return _SPACING.join(map(re.escape, name.split()))


@dataclass(frozen=True)
class Replacement:
    """One replacement made: where (line and column in the original text, 1-based; ``offset`` is
    0-based; ``place`` says which part, e.g. "text" or "speaker"), what and with what."""

    place: str
    line: int
    column: int
    offset: int
    original: str
    replacement: str

    def describe(self) -> str:
        return f"{self.place}:{self.line}:{self.column}: {self.original!r} -> {self.replacement!r}"


@dataclass
class AnonymisationReport:
    """Every replacement made. It names the real people and places: show it to the researcher,
    never store it in a study or put it in an export."""

    replacements: list[Replacement] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. a speaker label that no longer reads as one
    # On import into a study: what replacing the names already stored there did
    # (a ``workbench.study.scrub.StudyScrub``; None when not done).
    study: object | None = None

    def counts(self) -> dict[str, int]:
        """Number of replacements per replacement text (safe to show anywhere)."""
        result: dict[str, int] = {}
        for item in self.replacements:
            result[item.replacement] = result.get(item.replacement, 0) + 1
        return result

    def to_json(self) -> list[dict]:
        return [
            {
                "place": r.place,
                "line": r.line,
                "column": r.column,
                "offset": r.offset,
                "original": r.original,
                "replacement": r.replacement,
            }
            for r in self.replacements
        ]


@dataclass(frozen=True)
class Occurrence:
    """A mapped name still present in a text (line and column 1-based)."""

    line: int
    column: int
    found: str
    name: str
    replacement: str


# -- the map file ---------------------------------------------------------------------------------


def parse_pseudonym_map(text: str, source: str = "<pseudonyms>") -> PseudonymMap:
    """Read a pseudonym map (see the module notes); ``InputError`` names ``source:line``."""
    text = text.removeprefix("\ufeff")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise InputError(f"not valid YAML: {problem}", f"{source}:{mark.line + 1 if mark else 1}") from None
    except RecursionError:
        raise InputError("nested too deeply for a pseudonym map", f"{source}:1") from None
    if root is None:
        raise InputError("the pseudonym map is empty", source)
    if not isinstance(root, yaml.MappingNode):
        raise InputError("expected 'real name: replacement' lines", f"{source}:{_line(root)}")
    keys = {k.value for k, _v in root.value if isinstance(k, yaml.ScalarNode)}
    ignore_case = False
    names = root
    if "pseudonyms" in keys and keys <= _OPTIONS:
        for key_node, value_node in root.value:
            if key_node.value == "ignore_case":
                ignore_case = _flag(value_node, source)
            else:
                names = value_node
        if not isinstance(names, yaml.MappingNode):
            raise InputError("'pseudonyms' must be 'real name: replacement' lines", f"{source}:{_line(names)}")
    entries = [_entry(k, v, source) for k, v in names.value]
    if not entries:
        raise InputError("the pseudonym map has no names", source)
    _check_entries(entries, ignore_case, source)
    return PseudonymMap(entries, ignore_case, source)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _flag(node: yaml.Node, source: str) -> bool:
    value = node.value.lower() if isinstance(node, yaml.ScalarNode) else None
    if value in ("true", "yes", "on"):
        return True
    if value in ("false", "no", "off"):
        return False
    raise InputError("ignore_case must be true or false", f"{source}:{_line(node)}")


def _entry(key: yaml.Node, value: yaml.Node, source: str) -> Pseudonym:
    where = f"{source}:{_line(key)}"
    if not isinstance(key, yaml.ScalarNode) or not key.value.strip():
        raise InputError("each real name must be plain text", where)
    name = " ".join(key.value.split())
    if not any(ch.isalnum() for ch in name):
        raise InputError(f"{name!r} is not a name (it has no letters or digits)", where)
    if not isinstance(value, yaml.ScalarNode) or value.tag == _NULL_TAG:
        raise InputError(f'{name!r} needs a replacement, e.g. "[...]"', where)
    if not value.value.strip():
        raise InputError(f'the replacement for {name!r} is empty; use "[...]" to mark a removal', where)
    if "\n" in value.value:
        raise InputError(f"the replacement for {name!r} must be one line", where)
    return Pseudonym(name, value.value, _line(key))


def _check_entries(entries: list[Pseudonym], ignore_case: bool, source: str) -> None:
    seen: dict[str, Pseudonym] = {}
    for entry in entries:
        key = entry.name.casefold() if ignore_case else entry.name
        if key in seen:
            raise InputError(f"{entry.name!r} is given twice (also on line {seen[key].line})", f"{source}:{entry.line}")
        seen[key] = entry
    probe = PseudonymMap(entries, ignore_case, source)
    for entry in entries:
        # case is ignored here even when it is not when applying: `check` ignores it too
        found = probe.pattern(ignore_case=True).search(entry.replacement)
        if found:
            raise InputError(
                f"the replacement for {entry.name!r} contains the mapped name {found.group()!r}",
                f"{source}:{entry.line}",
            )


# -- applying it ----------------------------------------------------------------------------------


def apply_to_text(text: str, mapping: PseudonymMap, place: str = "text") -> tuple[str, AnonymisationReport]:
    """Replace every mapped name in ``text``; return the new text and the report."""
    report = AnonymisationReport()
    _, result = _replace(text, mapping, place, report)
    return result, report


def _replace(
    text: str, mapping: PseudonymMap, place: str, report: AnonymisationReport
) -> tuple[list[tuple[int, int, int, int]], str]:
    """Replace names; return the edits ``(old start, old end, new start, new end)`` and the text."""
    edits: list[tuple[int, int, int, int]] = []
    parts: list[str] = []
    position, shift = 0, 0
    for match in mapping.pattern().finditer(text):
        entry = mapping.entry_for(match.group())
        parts.append(text[position : match.start()])
        parts.append(entry.replacement)
        new_start = match.start() + shift
        edits.append((match.start(), match.end(), new_start, new_start + len(entry.replacement)))
        shift += len(entry.replacement) - (match.end() - match.start())
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        report.replacements.append(Replacement(place, line, column, match.start(), match.group(), entry.replacement))
        position = match.end()
    parts.append(text[position:])
    return edits, "".join(parts)


def _mover(edits: list[tuple[int, int, int, int]]):
    """A function taking an old offset (and whether it starts a span) to the new text."""
    starts = [e[0] for e in edits]

    def move(offset: int, is_start: bool) -> int:
        k = bisect_right(starts, offset) - 1
        if k < 0:
            return offset
        old_start, old_end, new_start, new_end = edits[k]
        if offset >= old_end:
            return offset + new_end - old_end
        if offset == old_start:
            return new_start
        return new_start if is_start else new_end  # inside a replaced name: take all of it

    return move


def anonymise_parsed(parsed: ParsedTranscript, mapping: PseudonymMap) -> tuple[ParsedTranscript, AnonymisationReport]:
    """Apply a pseudonym map to a transcript read from a file, before it is stored.

    The text, the speaker names and the case attributes (from front matter) are replaced; turn
    offsets are moved with the text so every turn still covers the same words. Returns the new
    transcript and the report (for the researcher's eyes only).
    """
    result, report, _move = anonymise_with_offsets(parsed, mapping)
    return result, report


OffsetMover = Callable[[int, bool], int]


def anonymise_with_offsets(
    parsed: ParsedTranscript, mapping: PseudonymMap
) -> tuple[ParsedTranscript, AnonymisationReport, OffsetMover]:
    """``anonymise_parsed``, also returning ``move(offset, is_start)``: where an offset of the old
    text is in the new one. A span that starts or ends inside a replaced name covers all of its
    replacement, so a coding of a stored transcript moves exactly with its words."""
    report = AnonymisationReport()
    edits, text = _replace(parsed.text, mapping, "text", report)
    move = _mover(edits)
    speakers: dict[str | None, str | None] = {None: None}
    turns: list[Turn] = []
    for turn in parsed.turns:
        if turn.speaker not in speakers:
            speakers[turn.speaker] = _replace(turn.speaker, mapping, "speaker", report)[1]
        start, end = move(turn.start, True), move(turn.end, False)
        turns.append(turn._replace(speaker=speakers[turn.speaker], start=start, end=max(start, end)))
    attributes = {}
    for key, value in parsed.attributes.items():
        attributes[key] = _replace(value, mapping, f"attribute {key}", report)[1]
    memo = _replace(parsed.memo, mapping, "memo", report)[1] if parsed.memo else parsed.memo
    result = ParsedTranscript(text, turns, parsed.format, attributes, list(parsed.warnings), memo)
    return result, report, move


# -- checking for leftovers -----------------------------------------------------------------------


def check_text(text: str, mapping: PseudonymMap, ignore_case: bool = True) -> list[Occurrence]:
    """Mapped names still present in ``text``, by line.

    Meant for exported files: case is ignored unless asked otherwise (a lower-case leftover is
    still a leak), and each line is also read with Markdown escapes and percent-encoding undone,
    so ``Anna\\-Karin`` or ``Anna%20Svensson`` in a chapter are found too.
    """
    pattern = mapping.pattern(ignore_case)
    found: list[Occurrence] = []
    for number, line in enumerate(text.split("\n"), start=1):
        seen: set[str] = set()
        for variant in dict.fromkeys((line, unescape(line), unquote(line))):
            for match in pattern.finditer(variant):
                if match.group() in seen and variant != line:
                    continue
                seen.add(match.group())
                entry = mapping.entry_for(match.group(), ignore_case)
                column = match.start() + 1 if variant == line else _column(line, match.group())
                found.append(Occurrence(number, column, match.group(), entry.name, entry.replacement))
    return found


def _column(line: str, found: str) -> int:
    """Where a name found in an unescaped or decoded copy of ``line`` begins in the line itself."""
    folded = line.casefold()
    for probe in (found, found.split()[0]):
        index = folded.find(probe.casefold())
        if index >= 0:
            return index + 1
    return 1
