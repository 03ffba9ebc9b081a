"""Attributions: the words after a quote that say who said it, generated from case attributes.

A template is text with ``{key}`` placeholders, e.g.
``(Informant {informant}, {size} municipality, cluster {cluster})``. A placeholder names a case
attribute (matched exactly, else ignoring case); ``{case}`` and ``{transcript}`` give the case's
and the transcript's name unless the case has an attribute of that name. ``{{`` and ``}}`` are
literal braces. A value map turns stored values into the words the chapter uses
(``size: {larger: större kommun, smaller: mindre kommun}``), so the same informant is attributed
the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from workbench.errors import WorkbenchError

ValueMaps = Mapping[str, Mapping[str, str]]
SPECIAL = ("case", "transcript")


@dataclass(frozen=True)
class Template:
    """A parsed attribution template: literal text and placeholder names, alternating."""

    source: str
    parts: tuple[tuple[str, str | None], ...]  # (literal, placeholder or None)

    @property
    def keys(self) -> list[str]:
        """The placeholders, in order of first use."""
        seen: list[str] = []
        for _literal, key in self.parts:
            if key is not None and key not in seen:
                seen.append(key)
        return seen


def parse_template(source: str) -> Template:
    """Parse a template; an unbalanced brace or an empty placeholder is an error that says where."""
    parts: list[tuple[str, str | None]] = []
    literal: list[str] = []
    i = 0
    while i < len(source):
        char = source[i]
        if source.startswith("{{", i) or source.startswith("}}", i):
            literal.append(char)
            i += 2
            continue
        if char == "}":
            raise WorkbenchError(
                f"attribution template {source!r}: '}}' at position {i + 1} closes nothing (write '}}}}' for a brace)"
            )
        if char == "{":
            end = source.find("}", i)
            nested = source.find("{", i + 1)
            if end == -1 or (nested != -1 and nested < end):
                raise WorkbenchError(f"attribution template {source!r}: '{{' at position {i + 1} is not closed")
            key = source[i + 1 : end].strip()
            if not key:
                raise WorkbenchError(f"attribution template {source!r}: empty placeholder '{{}}' at position {i + 1}")
            parts.append(("".join(literal), key))
            literal = []
            i = end + 1
            continue
        literal.append(char)
        i += 1
    parts.append(("".join(literal), None))
    return Template(source, tuple(parts))


def _lookup(attributes: Mapping[str, str], key: str) -> str | None:
    if key in attributes:
        return attributes[key]
    folded = [k for k in attributes if k.casefold() == key.casefold()]
    return attributes[folded[0]] if len(folded) == 1 else None


def map_value(maps: ValueMaps, key: str, value: str) -> tuple[str, bool]:
    """The chapter's word for ``value`` of attribute ``key``; and whether a map that exists for the
    key lacks the value (worth a warning: the value is used as stored)."""
    table = _lookup_map(maps, key)
    if table is None:
        return value, False
    if value in table:
        return table[value], False
    folded = [v for v in table if v.casefold() == value.casefold()]
    if len(folded) == 1:
        return table[folded[0]], False
    return value, True


def _lookup_map(maps: ValueMaps, key: str) -> Mapping[str, str] | None:
    if key in maps:
        return maps[key]
    folded = [k for k in maps if k.casefold() == key.casefold()]
    return maps[folded[0]] if len(folded) == 1 else None


@dataclass
class Attributor:
    """Renders attributions for cases, one text per case, and collects unmapped values."""

    template: Template
    maps: ValueMaps

    def missing(self, attributes: Mapping[str, str]) -> list[str]:
        """The template's placeholders this case cannot fill."""
        return [k for k in self.template.keys if _lookup(attributes, k) is None and k.casefold() not in SPECIAL]

    def check(self, cases: Iterable[tuple[str, Mapping[str, str]]]) -> None:
        """Refuse a template that names an attribute some case lacks; list those cases."""
        lacking: dict[str, list[str]] = {}
        for case, attributes in cases:
            for key in self.missing(attributes):
                lacking.setdefault(key, []).append(case)
        if lacking:
            key, cases_lacking = next(iter(lacking.items()))
            names = sorted(set(cases_lacking))
            more = (
                f" (and {len(lacking) - 1} more attribute(s): {', '.join(list(lacking)[1:])})"
                if len(lacking) > 1
                else ""
            )
            raise WorkbenchError(
                f"the attribution template names {{{key}}}, which {len(names)} case(s) lack: {', '.join(names)}{more};"
                f" set it with `workbench case set` or change the template"
            )

    def render(self, case: str, transcript: str, attributes: Mapping[str, str]) -> tuple[str, list[str]]:
        """The attribution of one case, and the placeholders whose value has no entry in its map."""
        out: list[str] = []
        unmapped: list[str] = []
        for literal, key in self.template.parts:
            out.append(literal)
            if key is None:
                continue
            value = _lookup(attributes, key)
            if value is None:
                if key.casefold() == "case":
                    value = case
                elif key.casefold() == "transcript":
                    value = transcript
                else:
                    raise WorkbenchError(f"case {case!r} has no attribute {key!r} for the attribution template")
            word, lacking = map_value(self.maps, key, value)
            if lacking:
                unmapped.append(f"{key}={value}")
            out.append(word)
        return "".join(out), unmapped
