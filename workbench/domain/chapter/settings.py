"""Chapter settings: what the chapter looks like, from a YAML file, the study, or the command line.

A settings file (all fields optional)::

    title: Results of the interviews
    number: 4
    lang: en                 # en or sv: the chapter's fixed words
    attribution: "(Informant {informant}, {size} municipality, cluster {cluster})"
    values:                  # value maps: stored value -> the chapter's words
      size: {larger: larger, smaller: smaller}
    labels: {size: Municipality size}   # attribute names as table headers
    compare: size            # one overview table: themes x values, informants and quotes
    compare_sections: 6      # and a table in each section with at least 6 quotes
    appendix: true           # codebook and informants as tables at the end
    all: false               # every coding, not only the selected quotes
    quote_marks: ["“", "”"]  # default by language
    words: {summary: Conclusions}       # replace any of the language's fixed words
    informant_columns: [informant, role, size]   # the informants appendix: these, in order
    language_tag: en-US      # the language a .docx/.odt is marked with (default en-GB / sv-SE)
    accept: ["over-represented:Identity"]   # write-up warnings acknowledged
    balance: 0.25            # warn when one informant gives more than this share of the quotes
    cut_mark: "[…]"          # your cuts in a quote; the transcript's own [...] stays as it is

Settings are layered: defaults, then those remembered in the study, then the file, then options.
Errors name the file and line. Scalars keep the text as typed (``yes`` stays "yes").
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field, fields, replace
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from workbench.domain.chapter.attribution import parse_template
from workbench.domain.chapter.cuts import DEFAULT_CUT_MARK
from workbench.domain.chapter.words import LANGUAGE_TAGS, WORD_KEYS
from workbench.errors import InputError, WorkbenchError

LANGUAGES = ("en", "sv")
DEFAULT_ATTRIBUTION = "({case})"
QUOTE_MARKS = {"en": ("“", "”"), "sv": ("”", "”")}
_TRUE = {"true", "yes", "on"}
_FALSE = {"false", "no", "off"}
_NULL = {"", "~", "null"}


@dataclass(frozen=True)
class ChapterSettings:
    """How to write the chapter. ``None`` means "not set" (the language's default is used)."""

    title: str | None = None
    number: str | None = None
    lang: str = "en"
    attribution: str = DEFAULT_ATTRIBUTION
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    compare: str | None = None
    appendix: bool = False
    all: bool = False
    quote_marks: tuple[str, str] | None = None
    words: dict[str, str] = field(default_factory=dict)
    informant_columns: tuple[str, ...] | None = None
    language_tag: str | None = None  # of a .docx/.odt file; default by language (en-GB, sv-SE)
    accept: tuple[str, ...] | None = None  # write-up warnings acknowledged: "check:theme" or "check"
    balance: float | None = None  # the balance check's share per informant (default 0.25)
    cut_mark: str | None = None  # how the researcher's cuts are shown (default "[…]")
    compare_sections: int | None = None  # also a table in each section with this many quotes

    @classmethod
    def from_yaml(cls, text: str, source: str = "settings") -> ChapterSettings:
        """Settings from YAML text; errors say ``source:line``."""
        return cls.layered(parse_settings(text, source))

    @classmethod
    def layered(cls, *layers: dict[str, Any]) -> ChapterSettings:
        """Defaults overridden by each layer in turn (a layer holds only what it sets)."""
        values: dict[str, Any] = {}
        for layer in layers:
            values.update({k: v for k, v in layer.items() if v is not None or k in ("compare", "number", "title")})
        settings = cls(**values)
        settings.validate()
        return settings

    def validate(self) -> None:
        if self.lang not in LANGUAGES:
            raise WorkbenchError(f"language {self.lang!r} is not one of: {', '.join(LANGUAGES)}")
        if self.number is not None and (not self.number or any(c.isspace() for c in self.number)):
            raise WorkbenchError(f"chapter number {self.number!r} must be one word, like 4 or IV")
        if self.balance is not None and not 0 < self.balance <= 1:
            raise WorkbenchError(f"balance {self.balance!r} must be a share between 0 and 1, like 0.25")
        if self.quote_marks is not None and (len(self.quote_marks) != 2 or not all(self.quote_marks)):
            raise WorkbenchError("quote_marks must be two non-empty marks, like [“, ”]")

    @property
    def document_language(self) -> str:
        """The language tag of a Word or LibreOffice file of the chapter."""
        return self.language_tag or LANGUAGE_TAGS[self.lang]

    @property
    def cuts(self) -> str:
        """How the researcher's cuts are shown in the chapter."""
        return self.cut_mark or DEFAULT_CUT_MARK

    @property
    def marks(self) -> tuple[str, str]:
        """Opening and closing quotation marks."""
        return self.quote_marks or QUOTE_MARKS[self.lang]

    def with_options(self, **options: Any) -> ChapterSettings:
        """These settings with the options that were given (``None``: not given)."""
        given = {k: v for k, v in options.items() if v is not None}
        for key in ("compare", "number", "title"):
            if given.get(key) == "":
                given[key] = None  # an empty option clears a remembered value
        if "number" in given and given["number"] is not None:
            given["number"] = str(given["number"])
        updated = replace(self, **given)
        updated.validate()
        return updated

    def to_dict(self, remembered: bool = False) -> dict[str, Any]:
        """The settings as plain data, in a fixed order; ``remembered`` leaves out ``all``
        (a full coding report is a one-off, not the next chapter's default)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if remembered and f.name == "all":
                continue
            if value is None or value == {}:
                continue
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    def to_yaml(self, remembered: bool = False) -> str:
        """YAML that ``from_yaml`` reads back to the same settings."""
        return yaml.safe_dump(self.to_dict(remembered), allow_unicode=True, sort_keys=False, width=1000)

    def to_comment_yaml(self) -> str:
        """The settings as YAML that can sit inside an HTML comment (no ``--``)."""
        text = self.to_yaml()
        if "--" in text:
            # JSON is YAML too, and its escapes keep hyphens out of the comment.
            text = json.dumps(self.to_dict(), ensure_ascii=False).replace("-", "\\u002d") + "\n"
        return text


_FIELDS = {f.name for f in fields(ChapterSettings)}


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return f"text {node.value!r}"


class _Reader:
    def __init__(self, source: str):
        self.source = source

    def fail(self, message: str, node: Node) -> None:
        raise InputError(message, where=f"{self.source}:{_line(node)}")

    def text(self, node: Node, name: str, allow_null: bool = False) -> str | None:
        if not isinstance(node, ScalarNode):
            self.fail(f"'{name}' must be text, not {_kind(node)}", node)
        if node.style is None and node.value.strip().lower() in _NULL:
            if allow_null:
                return None
            self.fail(f"'{name}' is empty", node)
        return node.value.strip() if node.style is None else node.value

    def flag(self, node: Node, name: str) -> bool:
        value = (self.text(node, name) or "").lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        self.fail(f"'{name}' must be true or false, not {node.value!r}", node)
        raise AssertionError  # fail() always raises

    def mapping(self, node: Node, name: str) -> list[tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            self.fail(f"'{name}' must be a mapping (key: value), not {_kind(node)}", node)
        seen: dict[str, int] = {}
        for key, _value in node.value:
            label = self.text(key, f"a key in '{name}'") or ""
            if label in seen:
                self.fail(f"'{label}' is given twice in '{name}' (first at line {seen[label]})", key)
            seen[label] = _line(key)
        return node.value


def parse_settings(text: str, source: str = "settings") -> dict[str, Any]:
    """Read a settings file into the fields it sets (checked); errors say ``source:line``."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise InputError(f"not valid YAML ({getattr(exc, 'problem', None) or exc})", where=where) from None
    if root is None:
        return {}
    reader = _Reader(source)
    if not isinstance(root, MappingNode):
        reader.fail(f"chapter settings must be a mapping of setting: value, not {_kind(root)}", root)
    out: dict[str, Any] = {}
    for key_node, value in reader.mapping(root, "settings"):
        name = reader.text(key_node, "setting") or ""
        if name not in _FIELDS:
            close = difflib.get_close_matches(name, sorted(_FIELDS), n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; known settings: {', '.join(sorted(_FIELDS))}"
            reader.fail(f"unknown setting '{name}'{hint}", key_node)
        if name in ("appendix", "all"):
            out[name] = reader.flag(value, name)
        elif name == "values":
            out[name] = {
                reader.text(k, "values"): {
                    reader.text(v, "a value"): reader.text(w, "a value's word") or ""
                    for v, w in reader.mapping(table, f"values: {k.value}")
                }
                for k, table in reader.mapping(value, "values")
            }
        elif name == "labels":
            out[name] = {
                reader.text(k, "labels"): reader.text(v, "a label") for k, v in reader.mapping(value, "labels")
            }
        elif name == "words":
            out[name] = {}
            for key, word in reader.mapping(value, "words"):
                label = reader.text(key, "words") or ""
                if label not in WORD_KEYS:
                    close = difflib.get_close_matches(label, sorted(WORD_KEYS), n=1, cutoff=0.6)
                    hint = (
                        f" (did you mean '{close[0]}'?)" if close else f"; known words: {', '.join(sorted(WORD_KEYS))}"
                    )
                    reader.fail(f"unknown word '{label}'{hint}", key)
                text = reader.text(word, f"words: {label}") or ""
                try:
                    text.format(ref="4.1", number="4.1", label="size", value="larger", theme="Trust")
                except (KeyError, IndexError, ValueError) as exc:
                    reader.fail(f"'words: {label}' has a placeholder that is not known here ({exc})", word)
                out[name][label] = text
        elif name == "informant_columns":
            if not isinstance(value, SequenceNode) or not value.value:
                reader.fail("'informant_columns' must be a list of attribute names, like [informant, size]", value)
            out[name] = tuple(reader.text(v, "informant_columns") for v in value.value)
        elif name == "accept":
            items = value.value if isinstance(value, SequenceNode) else [value]
            out[name] = tuple(reader.text(v, "accept") or "" for v in items)
        elif name == "compare_sections":
            text = reader.text(value, name) or ""
            if not text.isdigit() or int(text) < 1:
                reader.fail(f"'compare_sections' must be a number of quotes, like 6, not {text!r}", value)
            out[name] = int(text)
        elif name == "balance":
            text = reader.text(value, name) or ""
            try:
                share = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
            except ValueError:
                share = -1.0
            if not 0 < share <= 1:
                reader.fail(f"'balance' must be a share between 0 and 1 (like 0.25 or 25%), not {text!r}", value)
            out[name] = share
        elif name == "quote_marks":
            if not isinstance(value, SequenceNode) or len(value.value) != 2:
                reader.fail("'quote_marks' must be a list of two marks, like [“, ”]", value)
            out[name] = tuple(reader.text(v, "quote_marks") for v in value.value)
        elif name == "lang":
            lang = reader.text(value, name)
            if lang not in LANGUAGES:
                reader.fail(f"'lang' must be one of: {', '.join(LANGUAGES)}, not {lang!r}", value)
            out[name] = lang
        elif name == "attribution":
            template = reader.text(value, name, allow_null=True) or ""
            try:
                parse_template(template)
            except WorkbenchError as exc:
                reader.fail(str(exc), value)
            out[name] = template
        else:
            out[name] = reader.text(value, name, allow_null=True)
            if name == "number" and out[name] is not None and any(c.isspace() for c in out[name]):
                reader.fail(f"'number' must be one word, like 4 or IV, not {out[name]!r}", value)
    return out
