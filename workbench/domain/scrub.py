"""Mapped names in everything a study stores, not only in its transcripts: the pure rules.

A study holds names in more places than its transcripts: case attributes, memos, comments,
trimmed quotes, theme names, settings (YAML), the audit trail (JSON payloads that may also name
files and folders), the undo log (SQL statements with old values), and, as bytes, deleted data
that SQLite keeps in the file until it is compacted. This module finds the names of a pseudonym
map in such values and in raw bytes, and replaces them in values whose form must survive (JSON,
YAML, names of files). ``workbench.storage.scrub`` reads and writes the values;
``workbench.study.scrub`` runs the whole clean-up.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import yaml

from workbench.domain.anonymise import AnonymisationReport, Pseudonym, PseudonymMap, apply_to_text, name_pattern

# Keys of audit-trail payloads whose values are file or folder paths: only the file name is kept.
PATH_KEYS = frozenset({"path", "file", "files", "other", "source"})


@dataclass(frozen=True)
class Found:
    """A mapped name found in a value: where (0-based offsets), as written, and its map entry."""

    start: int
    end: int
    found: str
    entry: Pseudonym


def find_names(text: str, mapping: PseudonymMap, ignore_case: bool | None = None) -> list[Found]:
    """The map's names in ``text`` as whole words, the way the map replaces them."""
    pattern = mapping.pattern(ignore_case)
    return [
        Found(m.start(), m.end(), m.group(), mapping.entry_for(m.group(), ignore_case)) for m in pattern.finditer(text)
    ]


def find_names_in_value(value: str, mapping: PseudonymMap, ignore_case: bool | None = None) -> tuple[list[Found], bool]:
    """The map's names in a stored value, also where the value quotes them: inside the strings
    of a JSON value (``\\u00c5sa``) or of an SQL statement (``O''Brien``).

    Returns the names and whether they were found in the value as written (their offsets point
    into it) rather than in a decoded form of it.
    """
    best = find_names(value, mapping, ignore_case)
    for variant in _decoded_forms(value):
        found = find_names(variant, mapping, ignore_case)
        if len(found) > len(best):
            return found, False
    return best, True


def _decoded_forms(value: str) -> list[str]:
    forms = []
    if "''" in value:
        forms.append(value.replace("''", "'"))
    if value[:1] in "{[" and "\\u" in value:
        try:
            forms.append("\n".join(_strings(json.loads(value))))
        except ValueError:
            pass
    return forms


def _strings(data) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for key, item in data.items() for s in (*_strings(key), *_strings(item))]
    if isinstance(data, list):
        return [s for item in data for s in _strings(item)]
    return []


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


# -- raw bytes ------------------------------------------------------------------------------------


def find_names_in_bytes(
    data: bytes, mapping: PseudonymMap, ignore_case: bool | None = None
) -> list[tuple[int, str, Pseudonym]]:
    """The map's names in the raw bytes of a study file (UTF-8), as (byte offset, found, entry).

    In the file, a value directly follows the bytes of the one before it in its row, so a name
    may stand right after other letters ("transcriptÅsa"). A name therefore counts where it is
    not part of a longer word, and a word is also taken to end between a lower-case letter and a
    capital, and between a letter and a digit.
    """
    text = data.decode("utf-8", "surrogateescape")  # each undecodable byte stays one character
    flags = re.IGNORECASE if (mapping.ignore_case if ignore_case is None else ignore_case) else 0
    names = [(re.compile(name_pattern(e.name), flags), e) for e in mapping.entries]  # longest first
    anywhere = re.compile("(?=(?:" + "|".join(name_pattern(e.name) for e in mapping.entries) + "))", flags)
    found: list[tuple[int, str, Pseudonym]] = []
    taken_until, counted, byte_offset = 0, 0, 0
    for candidate in anywhere.finditer(text):
        position = candidate.start()
        if position < taken_until:
            continue
        for pattern, entry in names:
            match = pattern.match(text, position)
            if match and _raw_boundary(text, position) and _raw_boundary(text, match.end()):
                byte_offset += len(text[counted:position].encode("utf-8", "surrogateescape"))
                counted = position
                found.append((byte_offset, match.group(), entry))
                taken_until = match.end()
                break
    return found


def _raw_boundary(text: str, index: int) -> bool:
    if index <= 0 or index >= len(text):
        return True
    before, after = text[index - 1], text[index]
    if not (before.isalnum() and after.isalnum()):
        return True
    return before.isdigit() != after.isdigit() or (before.islower() and after.isupper())


# -- replacing names in values with a form ---------------------------------------------------------


def anonymise_name(value: str, mapping: PseudonymMap, place: str, report: AnonymisationReport) -> str:
    """A name that identifies something (a transcript, a case, a file): its words may be joined
    by underscores (``anna_svensson.txt``), which are then read as spaces and kept."""
    new, found = apply_to_text(value, mapping, place)
    if found.replacements:
        report.replacements.extend(found.replacements)
        return new
    spaced = value.replace("_", " ")
    new, found = apply_to_text(spaced, mapping, place)
    if not found.replacements:
        return value
    report.replacements.extend(found.replacements)
    return new.replace(" ", "_")


def anonymise_payload(payload: str, mapping: PseudonymMap, place: str, report: AnonymisationReport) -> str:
    """An audit-trail payload (JSON) with the map applied to every string in it and every file or
    folder path cut down to its file name; text that is not JSON has the map applied as text."""
    try:
        data = json.loads(payload)
    except ValueError:
        return _apply(payload, mapping, place, report)
    cleaned = _clean(data, mapping, place, report, None)
    if cleaned == data:
        return payload
    return json.dumps(cleaned, ensure_ascii=False)


def _clean(data, mapping: PseudonymMap, place: str, report: AnonymisationReport, key: str | None):
    if isinstance(data, str):
        if key in PATH_KEYS and ("/" in data or "\\" in data):
            data = data.replace("\\", "/").rsplit("/", 1)[-1]  # the file name, from / and \ paths alike
        return (
            anonymise_name(data, mapping, place, report) if key in PATH_KEYS else _apply(data, mapping, place, report)
        )
    if isinstance(data, dict):
        return {_apply(k, mapping, place, report): _clean(v, mapping, place, report, k) for k, v in data.items()}
    if isinstance(data, list):
        return [_clean(item, mapping, place, report, key) for item in data]
    return data


def anonymise_setting(value: str, mapping: PseudonymMap, place: str, report: AnonymisationReport) -> str:
    """A stored setting: YAML (e.g. the chapter settings) keeps its structure, the map applied to
    its strings, so a replacement such as ``[...]`` stays text; anything else is plain text."""
    if not find_names(value, mapping):
        return value
    try:
        data = yaml.safe_load(value)
    except yaml.YAMLError:
        data = None
    if not isinstance(data, dict | list):
        return _apply(value, mapping, place, report)
    cleaned = _clean(data, mapping, place, report, None)
    return yaml.safe_dump(cleaned, allow_unicode=True, sort_keys=False, width=1000)


def _apply(text: str, mapping: PseudonymMap, place: str, report: AnonymisationReport) -> str:
    new, found = apply_to_text(text, mapping, place)
    report.replacements.extend(found.replacements)
    return new
