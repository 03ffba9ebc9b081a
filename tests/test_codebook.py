"""Codebook files: parsing, errors with lines, writing back, and the shipped codebooks."""

from __future__ import annotations

import dataclasses
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.domain.codebook import dump_codebook, parse_codebook
from workbench.domain.colours import (
    DEFAULT_PALETTE,
    NAMED_COLOURS,
    default_colour,
    normalise_colour,
)
from workbench.domain.models import Codebook, ThemeSpec
from workbench.domain.theme_tree import iter_themes
from workbench.errors import InputError
from workbench.interop.codebook_file import load_codebook

REPO = Path(__file__).resolve().parents[1]
CODEBOOK_FILES = sorted(path for path in (REPO / "codebooks").glob("*") if path.suffix in (".yaml", ".yml"))


def parse(text: str) -> Codebook:
    return parse_codebook(textwrap.dedent(text).lstrip("\n"), source="book.yaml")


def error_of(text: str) -> InputError:
    with pytest.raises(InputError) as info:
        parse(text)
    return info.value


def without_lines(themes: list[ThemeSpec]) -> list[ThemeSpec]:
    """The tree with file lines cleared, so trees from different layouts compare equal."""
    return [dataclasses.replace(theme, line=None, children=without_lines(theme.children)) for theme in themes]


def iter_children(themes: list[ThemeSpec]) -> list[ThemeSpec]:
    """Every theme below the top level."""
    return [child for theme in themes for _, child in iter_themes(theme.children)]


def assert_error(text: str, line: int, *fragments: str) -> None:
    error = error_of(text)
    message = str(error)
    assert error.where == f"book.yaml:{line}", message
    assert message.startswith(f"book.yaml:{line}: ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


# --- the shipped codebooks ---------------------------------------------------------------------


def test_there_are_codebooks_to_validate():
    assert len(CODEBOOK_FILES) >= 2


@pytest.mark.parametrize("path", CODEBOOK_FILES, ids=lambda path: path.name)
def test_shipped_codebook_is_valid(path: Path):
    codebook = load_codebook(path)
    assert codebook.name and codebook.description
    assert codebook.source == str(path)
    for _, theme in iter_themes(codebook.themes):
        assert theme.description, theme.name
    top_colours = [theme.color for theme in codebook.themes]
    assert all(top_colours) and len(set(top_colours)) == len(top_colours)
    again = parse_codebook(dump_codebook(codebook))
    assert without_lines(again.themes) == without_lines(codebook.themes)


def test_it_collaboration_tree_is_exact():
    codebook = load_codebook(REPO / "codebooks" / "it-collaboration.yaml")
    assert [path for path, _ in iter_themes(codebook.themes)] == [
        "Collaboration",
        "Collaboration/Organisational inertia",
        "Collaboration/Geographic distance",
        "Collaboration/Shared services",
        "Technology",
        "Technology/Legacy systems",
        "Technology/Standardisation",
        "Trust and confidence",
        "Trust and confidence/Agreements matter",
        "Trust and confidence/Security and responsibility",
        "Identity",
        "Identity/Customer-supplier identity",
        "Identity/Local autonomy",
        "Organisational culture",
        "Organisational culture/Decision-making",
        "Effects of collaboration",
        "Effects of collaboration/Economic effects",
        "Effects of collaboration/Knowledge effects",
    ]
    for theme in codebook.themes:
        assert theme.include and theme.exclude, theme.name
    assert [theme.key for theme in codebook.themes] == list("123456")
    assert all(theme.key is None for theme in iter_children(codebook.themes))


def test_open_coding_starter_has_eight_keyed_themes():
    codebook = load_codebook(REPO / "codebooks" / "open-coding-starter.yaml")
    assert [theme.key for theme in codebook.themes] == list("12345678")
    assert "In vivo" in [theme.name for theme in codebook.themes]


# --- parsing -----------------------------------------------------------------------------------

FULL = """
    name: Study
    description: |
      Two lines
      of description.
    themes:
      - name: Trust
        key: 3
        colour: Teal
        description: Whether partners rely on each other.
        include: |
          Promises kept.
          Fair sharing.
        exclude: Small talk.
        children:
          - name: Agreements matter
            key: "a"
            color: "#ABC"
          - name: Security
      - name: Yes
"""


def test_parse_full_example():
    codebook = parse(FULL)
    assert codebook.name == "Study"
    assert codebook.description == "Two lines\nof description."
    assert codebook.source == "book.yaml"
    trust, yes = codebook.themes
    assert trust == ThemeSpec(
        name="Trust",
        key="3",
        color="#008080",
        description="Whether partners rely on each other.",
        include="Promises kept.\nFair sharing.",
        exclude="Small talk.",
        children=[
            ThemeSpec(name="Agreements matter", key="a", color="#aabbcc", line=15),
            ThemeSpec(name="Security", line=18),
        ],
        line=6,
    )
    # Scalars keep the text that was typed, so YAML 1.1 booleans stay names.
    assert yes == ThemeSpec(name="Yes", line=19)


def test_iter_themes_is_depth_first_with_paths():
    codebook = parse(FULL)
    assert [path for path, _ in iter_themes(codebook.themes)] == [
        "Trust",
        "Trust/Agreements matter",
        "Trust/Security",
        "Yes",
    ]
    assert list(iter_themes([])) == []


def test_byte_order_mark_and_crlf_are_accepted(tmp_path: Path):
    path = tmp_path / "book.yaml"
    path.write_bytes(b"\xef\xbb\xbfthemes:\r\n  - name: \xc3\x85sikt\r\n    key: 1\r\n")
    codebook = load_codebook(path)
    assert codebook.themes == [ThemeSpec(name="Åsikt", key="1", line=2)]


def test_empty_optional_fields_are_absent():
    codebook = parse(
        """
        themes:
          - name: A
            key:
            color: ""
            description: ~
            children:
        """
    )
    assert codebook.themes == [ThemeSpec(name="A", line=2)]


def test_comment_after_empty_colour_is_not_an_error():
    codebook = parse(
        """
        themes:
          - name: A
            color:  # pick later
        """
    )
    assert codebook.themes[0].color is None


def test_names_are_stripped():
    assert parse('themes:\n  - name: "  Trust "\n').themes[0].name == "Trust"


# --- one test per kind of error ----------------------------------------------------------------


def test_error_yaml_syntax():
    assert_error(
        """
        themes:
          - name: A
            description: a: b
        """,
        3,
        "YAML syntax error",
    )


def test_error_tab_indentation():
    assert_error("themes:\n\t- name: A\n", 2, "YAML syntax error", "tabs")


def test_error_unclosed_flow_list_is_clamped_to_last_line():
    assert_error("themes: [\n", 1, "YAML syntax error")


def test_error_several_documents():
    assert_error("themes:\n  - name: A\n---\nthemes: []\n", 3, "single document")


def test_error_control_character():
    assert_error("themes:\n  - name: A\x07\n", 2, "U+0007")


def test_error_alias():
    assert_error(
        """
        themes:
          - &trust
            name: Trust
          - *trust
        """,
        4,
        "aliases",
    )


def test_error_recursive_alias_does_not_hang():
    assert_error("themes: &a [*a]\n", 1, "aliases")


def test_error_empty_file():
    assert_error("", 1, "empty")
    assert_error("# only a comment\n", 1, "empty")
    assert_error("---\n", 1, "empty")


def test_error_top_level_not_a_mapping():
    assert_error("- name: A\n- name: B\n", 1, "must be a mapping", "a list")


def test_error_missing_themes():
    assert_error("name: Study\ndescription: x\n", 1, "no 'themes:'")


def test_error_themes_empty():
    assert_error("name: Study\nthemes:\n", 2, "'themes' is empty")
    assert_error("themes: []\n", 1, "'themes' is empty")


def test_error_themes_not_a_list():
    assert_error("name: Study\nthemes: Trust\n", 2, "'themes' must be a list")


def test_error_theme_not_a_mapping():
    assert_error("themes:\n  - Trust\n", 2, "each theme must be a mapping", "'Trust'")


def test_error_children_not_a_list():
    assert_error(
        """
        themes:
          - name: A
            children:
              name: B
        """,
        4,
        "'children' must be a list",
    )


def test_error_wrong_type_for_text_field():
    assert_error(
        """
        themes:
          - name: A
            description:
              - one
              - two
        """,
        4,
        "'description' must be text, not a list",
    )


def test_error_field_name_not_text():
    assert_error("themes:\n  - name: A\n    [x]: y\n", 3, "field name must be text")


def test_error_unknown_field_with_suggestion():
    assert_error(
        """
        themes:
          - name: A
            descripton: x
        """,
        3,
        "unknown field 'descripton'",
        "did you mean 'description'?",
    )


def test_error_unknown_field_uses_common_synonyms():
    assert_error("themes:\n  - name: A\n    subthemes: []\n", 3, "did you mean 'children'?")
    assert_error("codes:\n  - name: A\n", 1, "did you mean 'themes'?")


def test_error_unknown_field_without_close_match_lists_known_fields():
    text = "themes:\n  - name: A\n    zzz: 1\n"
    assert_error(text, 3, "unknown field 'zzz'", "known fields: name, key")


def test_error_field_given_twice():
    assert_error("themes:\n  - name: A\n    name: B\n", 3, "'name' is given twice", "line 2")


def test_error_color_and_colour():
    text = "themes:\n  - name: A\n    color: red\n    colour: blue\n"
    assert_error(text, 4, "either 'color' or 'colour'")


def test_error_missing_name():
    assert_error("themes:\n  - name: A\n  - key: b\n    color: red\n", 3, "no 'name:'")


def test_error_empty_name():
    assert_error("themes:\n  - name: A\n  - name: ''\n", 3, "name is empty")
    assert_error("themes:\n  - name:\n", 2, "name is empty")


def test_error_multi_line_name():
    assert_error("themes:\n  - name: |\n      two\n      lines\n", 2, "single line")


def test_error_slash_in_name():
    assert_error("themes:\n  - name: A\n  - name: Trust/Distrust\n", 3, "must not contain '/'")


def test_error_duplicate_sibling_names_ignore_case():
    assert_error(
        """
        themes:
          - name: Trust
            children:
              - name: Security
              - name: security
        """,
        5,
        "'security' is already defined under 'Trust' at line 4",
    )
    assert_error("themes:\n  - name: Trust\n  - name: TRUST\n", 3, "at the top level at line 2")


def test_same_name_under_different_parents_is_fine():
    codebook = parse(
        """
        themes:
          - name: A
            children: [{name: Other}]
          - name: B
            children: [{name: Other}]
        """
    )
    assert [path for path, _ in iter_themes(codebook.themes)] == ["A", "A/Other", "B", "B/Other"]


def test_error_duplicate_key_anywhere_names_both_lines():
    assert_error(
        """
        themes:
          - name: A
            key: "1"
          - name: B
            children:
              - name: C
                key: 1
        """,
        7,
        "key '1' is already used by theme 'A' at line 2",
    )


def test_error_key_not_single_character():
    assert_error("themes:\n  - name: A\n    key: 10\n", 3, "single character", "'10'")
    assert_error("themes:\n  - name: A\n    key: ab\n", 3, "single character")


def test_error_bad_colour():
    assert_error("themes:\n  - name: A\n    color: reddish\n", 3, "'reddish' is not a colour")
    assert_error("themes:\n  - name: A\n    colour: '#12345'\n", 3, "'#12345' is not a colour")


def test_error_unquoted_hex_colour_is_explained():
    assert_error("themes:\n  - name: A\n    color: #1f77b4\n", 3, "comment", 'color: "#1f77b4"')


def test_error_unquoted_hash_key_is_explained():
    assert_error("themes:\n  - name: A\n    key: #\n", 3, "comment", 'key: "#"')


# --- files -------------------------------------------------------------------------------------


def test_load_missing_file(tmp_path: Path):
    with pytest.raises(InputError) as info:
        load_codebook(tmp_path / "nope.yaml")
    assert info.value.where == str(tmp_path / "nope.yaml")
    assert "not found" in str(info.value)


def test_load_folder(tmp_path: Path):
    with pytest.raises(InputError) as info:
        load_codebook(tmp_path)
    assert info.value.where == str(tmp_path)


def test_load_not_utf8_names_the_line(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("themes:\n  - name: Åsikt\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        load_codebook(path)
    assert info.value.where == f"{path}:2"
    assert "UTF-8" in str(info.value)


def test_load_error_names_the_file(tmp_path: Path):
    path = tmp_path / "book.yaml"
    path.write_text("themes:\n  - name: A\n    colr: red\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_codebook(path)
    assert info.value.where == f"{path}:3"


# --- writing -----------------------------------------------------------------------------------


def test_dump_layout():
    text = dump_codebook(parse(FULL))
    assert text.startswith("name: Study\ndescription: |-\n  Two lines\n  of description.\n\nthemes:\n")
    assert '    key: "3"\n    color: "#008080"\n' in text
    assert "    include: |-\n      Promises kept.\n      Fair sharing.\n" in text
    # A blank line between top-level themes; a name YAML would read as a boolean is quoted.
    assert "\n\n  - name: 'Yes'\n" in text
    assert "colour:" not in text and "line:" not in text


def test_dump_field_order_and_omits_empty_fields():
    theme = ThemeSpec(name="A", exclude="x", include="y", description="z", color="red", key="k")
    text = dump_codebook(Codebook(themes=[theme]))
    assert text == (
        'themes:\n  - name: A\n    key: "k"\n    color: "#ff0000"\n    description: z\n    include: y\n    exclude: x\n'
    )


def test_round_trip_full_example():
    codebook = parse(FULL)
    again = parse_codebook(dump_codebook(codebook), source="book.yaml")
    assert again.name == codebook.name and again.description == codebook.description
    assert without_lines(again.themes) == without_lines(codebook.themes)
    assert dump_codebook(again) == dump_codebook(codebook)


# --- colours -----------------------------------------------------------------------------------


def test_normalise_colour():
    assert normalise_colour("#ABC") == "#aabbcc"
    assert normalise_colour("#1F77B4") == "#1f77b4"
    assert normalise_colour("RebeccaPurple") == "#663399"
    assert normalise_colour(" teal ") == "#008080"
    for bad in ("", "#12", "#1234", "#gggggg", "blurple", "1f77b4", None, 3):
        assert normalise_colour(bad) is None


def test_named_colours_and_palette():
    assert len(NAMED_COLOURS) == 148
    assert len(set(DEFAULT_PALETTE)) == 24
    assert all(normalise_colour(colour) == colour for colour in DEFAULT_PALETTE)
    assert default_colour(0) == DEFAULT_PALETTE[0]
    assert default_colour(24) == DEFAULT_PALETTE[0]


def _luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


@pytest.mark.parametrize("colour", DEFAULT_PALETTE)
def test_palette_is_readable_on_light_and_dark(colour: str):
    lum = _luminance(colour)
    assert (1.05 / (lum + 0.05)) >= 3, "contrast with white"
    assert ((lum + 0.05) / 0.05) >= 3, "contrast with black"


# --- properties --------------------------------------------------------------------------------

# Text a researcher might type, including characters YAML treats specially.
_CHARS = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    include_characters=":#-'\"&*!|>%@`{}[],?~ åäöéß",
)
_LINE = st.text(_CHARS, min_size=1, max_size=30).map(str.strip).filter(bool)
_NAME = _LINE.filter(lambda name: "/" not in name)
_MULTILINE = st.lists(_LINE, min_size=1, max_size=4).map("\n".join)
_TEXT = st.none() | _LINE | _MULTILINE
_COLOUR = st.none() | st.sampled_from(sorted(set(NAMED_COLOURS.values())))
_KEYS = list("0123456789abcdefghijklmnopqrstuvwxyz#:'\"-!?")


def _unique_names(names: list[str]) -> bool:
    return len({name.casefold() for name in names}) == len(names)


@st.composite
def _themes(draw, depth: int = 0, keys: list | None = None) -> list[ThemeSpec]:
    keys = keys if keys is not None else list(_KEYS)
    names = draw(st.lists(_NAME, min_size=1, max_size=3 if depth else 4).filter(_unique_names))
    themes = []
    for name in names:
        key = None
        if keys and draw(st.booleans()):
            key = keys.pop(draw(st.integers(0, len(keys) - 1)))
        children = draw(_themes(depth + 1, keys)) if depth < 2 and draw(st.booleans()) else []
        themes.append(
            ThemeSpec(
                name=name,
                key=key,
                color=draw(_COLOUR),
                description=draw(_TEXT),
                include=draw(_TEXT),
                exclude=draw(_TEXT),
                children=children,
            )
        )
    return themes


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(themes=_themes(), name=st.none() | _LINE, description=_TEXT)
def test_dump_then_parse_round_trips(themes, name, description):
    codebook = Codebook(themes=themes, name=name, description=description)
    text = dump_codebook(codebook)
    again = parse_codebook(text)
    assert without_lines(again.themes) == themes
    assert (again.name, again.description) == (name, description)
    assert [theme.line for _, theme in iter_themes(again.themes)] == sorted(
        theme.line for _, theme in iter_themes(again.themes)
    )


@settings(max_examples=500, deadline=None)
@given(st.text())
def test_arbitrary_text_raises_only_input_error(text):
    try:
        parse_codebook(text, source="x.yaml")
    except InputError as error:
        assert str(error).startswith("x.yaml:")
        assert "\n" not in str(error)


_YAMLISH = st.lists(
    st.sampled_from(
        [
            "themes:",
            "  - name: A",
            "  - name: B",
            "    key: 1",
            "    color: #abc",
            "    colour: red",
            "    children:",
            "      - name: C",
            "      - x",
            "    description: |",
            "      text",
            "name:",
            "  - ",
            "\t",
            "---",
            "[",
            "]",
            "{",
            "&a",
            "*a",
            "!!str",
            "? x",
            ": y",
            "    descripton: z",
            "themes: []",
        ]
    ),
    max_size=12,
).map("\n".join)


@settings(max_examples=500, deadline=None)
@given(_YAMLISH)
def test_yaml_like_text_raises_only_input_error(text):
    try:
        codebook = parse_codebook(text, source="x.yaml")
    except InputError as error:
        assert str(error).startswith("x.yaml:")
        assert "\n" not in str(error)
    else:
        assert codebook.themes
