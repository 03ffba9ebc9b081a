"""Codebook files: YAML trees of themes, read with line-accurate errors and written back.

The format is documented for researchers in ``docs/codebook.md``. Parsing works on PyYAML's node
tree (``yaml.compose``) rather than on constructed Python objects, so every message can name the
line it is about, and scalars keep the text the researcher typed (``name: Yes`` stays "Yes").
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from workbench.domain.colours import normalise_colour
from workbench.domain.models import Codebook, ThemeSpec
from workbench.domain.theme_tree import PATH_SEPARATOR
from workbench.errors import InputError

CODEBOOK_FIELDS = ("name", "description", "themes")
THEME_FIELDS = ("name", "key", "color", "colour", "description", "include", "exclude", "children")

# Words other tools and habits use for our fields; checked before the spelling suggestion.
_FIELD_ALIASES = {
    "codes": "themes",
    "title": "name",
    "label": "name",
    "shortcut": "key",
    "hotkey": "key",
    "definition": "description",
    "inclusion": "include",
    "exclusion": "exclude",
    "themes": "children",
    "subthemes": "children",
    "sub-themes": "children",
    "sub_themes": "children",
}

_NULL_TAG = "tag:yaml.org,2002:null"
_HASH_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}")
_HASH_KEY = re.compile(r"#")


class _AliasFound(Exception):
    """Raised while composing when the YAML uses an alias (``*name``)."""

    def __init__(self, mark: yaml.Mark):
        super().__init__("alias")
        self.mark = mark


class _Loader(yaml.SafeLoader):
    """A safe loader that refuses aliases: they can make a node its own child (``&a [*a]``),
    and copying a theme by alias would only produce a duplicate name anyway."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _AliasFound(self.peek_event().start_mark)
        return super().compose_node(parent, index)


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    value = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f"text {value!r}"


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _suggest(field: str, known: Iterable[str]) -> str:
    known = tuple(known)
    alias = _FIELD_ALIASES.get(field.lower())
    if alias in known:
        return f" (did you mean '{alias}'?)"
    close = difflib.get_close_matches(field.lower(), known, n=1, cutoff=0.6)
    if close:
        return f" (did you mean '{close[0]}'?)"
    return f"; known fields: {', '.join(known)}"


class _Reader:
    """Walks one composed document, turning nodes into a Codebook or raising InputError."""

    def __init__(self, text: str, source: str):
        self.source = source
        self.lines = text.splitlines()
        self.keys: dict[str, tuple[str, int]] = {}  # shortcut key -> (theme name, line)

    def fail(self, message: str, line: int) -> NoReturn:
        raise InputError(message, where=f"{self.source}:{line}")

    def fields(self, node: MappingNode, known: tuple[str, ...]) -> dict[str, tuple[ScalarNode, Node]]:
        """The mapping's fields by name, after checking each is known and given once."""
        found: dict[str, tuple[ScalarNode, Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.fail(f"a field name must be text, not {_kind(key_node)}", _line(key_node))
            field = key_node.value
            if field not in known:
                self.fail(f"unknown field '{field}'{_suggest(field, known)}", _line(key_node))
            if field in found:
                first = _line(found[field][0])
                message = f"field '{field}' is given twice (first at line {first})"
                self.fail(message, _line(key_node))
            found[field] = (key_node, value_node)
        if "color" in found and "colour" in found:
            self.fail("give either 'color' or 'colour', not both", _line(found["colour"][0]))
        return found

    def text(self, field: str, value: Node) -> str | None:
        """A text field's value, stripped; None when empty or null."""
        if not isinstance(value, ScalarNode):
            self.fail(f"'{field}' must be text, not {_kind(value)}", _line(value))
        if value.tag == _NULL_TAG:
            return None
        return value.value.strip() or None

    def check_comment(self, field: str, key: ScalarNode, value: Node, pattern: re.Pattern) -> None:
        """Explain an empty value caused by an unquoted '#', which YAML reads as a comment.

        Only when the comment looks like the value the researcher meant (``color: #1f77b4``),
        so a real comment after an empty field (``color:  # later``) passes quietly.
        """
        if isinstance(value, ScalarNode) and value.tag == _NULL_TAG and value.value == "":
            line = self.lines[key.end_mark.line] if key.end_mark.line < len(self.lines) else ""
            rest = line[key.end_mark.column :].lstrip(" \t:")
            if pattern.fullmatch(rest.rstrip()):
                self.fail(
                    f"'{field}' is empty because YAML reads an unquoted # as a comment; "
                    f'put the value in quotes: {field}: "{rest.rstrip()}"',
                    _line(key),
                )

    def codebook(self, root: Node | None) -> Codebook:
        if root is None or (isinstance(root, ScalarNode) and root.tag == _NULL_TAG):
            self.fail("codebook is empty; it needs a 'themes:' list", 1)
        if not isinstance(root, MappingNode):
            message = f"a codebook must be a mapping with a 'themes:' list, not {_kind(root)}"
            self.fail(message, _line(root))
        fields = self.fields(root, CODEBOOK_FIELDS)
        if "themes" not in fields:
            self.fail("codebook has no 'themes:' list", _line(root))
        key_node, themes_node = fields["themes"]
        themes = self.theme_list("themes", key_node, themes_node, parent="")
        if not themes:
            self.fail("'themes' is empty; list at least one theme", _line(key_node))
        name, description = (
            self.text(field, fields[field][1]) if field in fields else None for field in ("name", "description")
        )
        return Codebook(themes=themes, name=name, description=description, source=self.source)

    def theme_list(self, field: str, key: ScalarNode, node: Node, parent: str) -> list[ThemeSpec]:
        if isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
            return []
        if not isinstance(node, SequenceNode):
            self.fail(
                f"'{field}' must be a list of themes (lines starting with '- '), not {_kind(node)}",
                _line(node),
            )
        themes: list[ThemeSpec] = []
        siblings: dict[str, ThemeSpec] = {}
        for item in node.value:
            theme = self.theme(item, parent)
            folded = theme.name.casefold()
            if folded in siblings:
                where = f"under '{parent}'" if parent else "at the top level"
                first = siblings[folded].line
                self.fail(
                    f"theme '{theme.name}' is already defined {where} at line {first} "
                    "(names of sibling themes must differ, ignoring case)",
                    theme.line,
                )
            siblings[folded] = theme
            themes.append(theme)
        return themes

    def theme(self, node: Node, parent: str) -> ThemeSpec:
        if not isinstance(node, MappingNode):
            self.fail(f"each theme must be a mapping with a 'name:' field, not {_kind(node)}", _line(node))
        line = _line(node)
        fields = self.fields(node, THEME_FIELDS)
        if "name" not in fields:
            self.fail("theme has no 'name:'", line)
        name = self.name(*fields["name"])
        path = f"{parent}{PATH_SEPARATOR}{name}" if parent else name
        theme = ThemeSpec(name=name, line=line)
        if "key" in fields:
            theme.key = self.key(*fields["key"], theme)
        colour_field = "colour" if "colour" in fields else "color"
        if colour_field in fields:
            theme.color = self.colour(colour_field, *fields[colour_field])
        for field in ("description", "include", "exclude"):
            if field in fields:
                setattr(theme, field, self.text(field, fields[field][1]))
        if "children" in fields:
            theme.children = self.theme_list("children", *fields["children"], parent=path)
        return theme

    def name(self, key: ScalarNode, value: Node) -> str:
        name = self.text("name", value)
        if name is None:
            self.fail("theme name is empty", _line(key))
        if len(name.splitlines()) > 1:
            self.fail("theme name must be a single line", _line(value))
        if PATH_SEPARATOR in name:
            self.fail(
                f"theme name '{name}' must not contain '{PATH_SEPARATOR}', which separates theme paths",
                _line(value),
            )
        return name

    def key(self, key_node: ScalarNode, value: Node, theme: ThemeSpec) -> str | None:
        self.check_comment("key", key_node, value, _HASH_KEY)
        # An unquoted digit arrives as a YAML int; its text is the digit the researcher typed.
        key = self.text("key", value)
        if key is None:
            return None
        if len(key) != 1 or not key.isprintable():
            self.fail(f"key must be a single character, not '{key}'", _line(value))
        if key in self.keys:
            other, other_line = self.keys[key]
            self.fail(f"key '{key}' is already used by theme '{other}' at line {other_line}", _line(value))
        self.keys[key] = (theme.name, theme.line)
        return key

    def colour(self, field: str, key: ScalarNode, value: Node) -> str | None:
        self.check_comment(field, key, value, _HASH_COLOUR)
        text = self.text(field, value)
        if text is None:
            return None
        colour = normalise_colour(text)
        if colour is None:
            self.fail(
                f"'{text}' is not a colour; use a colour name such as 'teal' or a hex value such as \"#1f77b4\"",
                _line(value),
            )
        return colour


def _yaml_error(exc: yaml.YAMLError, text: str) -> tuple[str, int]:
    """A one-line message and 1-based line for a PyYAML error."""
    line_count = max(1, len(text.splitlines()))
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        problem, context = exc.problem or "", exc.context or ""
        if problem.startswith("but ") and context:
            message = f"{context}, {problem}"
        elif problem and context:
            message = f"{problem} ({context})"
        else:
            message = problem or context or "cannot be read"
        if "'\\t'" in message:
            message += "; indent with spaces, not tabs"
    elif isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        message = f"character U+{code:04X} is not allowed in a YAML file"
    else:
        line, message = 1, str(exc)
    return "YAML syntax error: " + " ".join(message.split()), min(line, line_count)


def parse_codebook(text: str, source: str = "<codebook>") -> Codebook:
    """Parse codebook YAML ``text`` into a Codebook.

    ``source`` names the text in messages: every problem raises ``InputError`` with
    ``where="source:line"`` (1-based). ``ThemeSpec.line`` is the line each theme starts on.
    """
    text = text.removeprefix("\ufeff")
    try:
        root = yaml.compose(text, Loader=_Loader)
    except _AliasFound as exc:
        raise InputError(
            "YAML aliases (*name) are not supported in codebooks; write the value out",
            where=f"{source}:{exc.mark.line + 1}",
        ) from None
    except yaml.YAMLError as exc:
        message, line = _yaml_error(exc, text)
        raise InputError(message, where=f"{source}:{line}") from None
    except RecursionError:
        raise InputError("the codebook is nested too deeply", where=f"{source}:1") from None
    try:
        return _Reader(text, source).codebook(root)
    except RecursionError:
        raise InputError("the codebook is nested too deeply", where=f"{source}:1") from None


# --- writing ---------------------------------------------------------------------------------


class _Quoted(str):
    """A string always written in double quotes (keys, so "1" never turns into a number)."""


class _Dumper(yaml.SafeDumper):
    def increase_indent(self, flow=False, indentless=False):
        # Indent list items under their key, as people write them by hand.
        return super().increase_indent(flow, False)

    def ignore_aliases(self, data):
        return True


# Characters PyYAML writes raw in plain, single-quoted and block styles although YAML reads them
# as line breaks or drops them; only double quotes escape them safely.
_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if _NEEDS_ESCAPE.search(data):
        style = '"'
    else:
        style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def _represent_quoted(dumper: yaml.SafeDumper, data: _Quoted) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(data), style='"')


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Quoted, _represent_quoted)


def _theme_dict(theme: ThemeSpec) -> dict:
    data: dict = {"name": theme.name}
    if theme.key:
        data["key"] = _Quoted(theme.key)
    if theme.color:
        data["color"] = _Quoted(normalise_colour(theme.color) or theme.color)
    for field in ("description", "include", "exclude"):
        value = getattr(theme, field)
        if value:
            data[field] = value
    if theme.children:
        data["children"] = [_theme_dict(child) for child in theme.children]
    return data


def _dump(data: object) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96)


def dump_codebook(codebook: Codebook) -> str:
    """Write ``codebook`` as YAML in the codebook format.

    Fields come in the documented order, empty ones are left out, keys and colours are quoted
    and multi-line text uses block scalars; ``parse_codebook`` reads the result back to an
    equal tree (apart from ``line``). A blank line separates the top-level themes.
    """
    header = {}
    if codebook.name:
        header["name"] = codebook.name
    if codebook.description:
        header["description"] = codebook.description
    parts = [_dump(header) + "\n"] if header else []
    if not codebook.themes:
        return "".join(parts) + "themes: []\n"
    # Each top-level theme is dumped alone and indented, so blank lines can go between them
    # without touching the inside of any multi-line value.
    items = []
    for theme in codebook.themes:
        # Split on "\n" only: other line-break characters are always escaped by _represent_str.
        lines = _dump([_theme_dict(theme)]).removesuffix("\n").split("\n")
        items.append("".join(f"  {line}\n" if line else "\n" for line in lines))
    return "".join(parts) + "themes:\n" + "\n".join(items)
