"""Cases files read without PyYAML (``interop.plain_cases``): whatever that reading returns,
PyYAML's reading of the file returns the same; anything else is left to PyYAML."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.errors import InputError
from workbench.interop import cases
from workbench.interop.plain_cases import read_plain_cases
from workbench.resources import sample_data_dir

REPO = Path(__file__).resolve().parent.parent


def read_with_pyyaml(text: str) -> dict[str, dict[str, str]] | InputError:
    """The cases reader's PyYAML way (the pure-Python loader, whose refusals are the reader's)."""
    try:
        return cases._read_yaml_with(text, "cases.yaml", yaml.SafeLoader)
    except InputError as refusal:
        return refusal


# Words, numbers and dates read as text; and things YAML reads its own way: booleans, nulls,
# numbers in other bases or with signs, times, other dates, quotes, tags, anchors, flow and block
# indicators, comments, tabs, odd spaces, line breaks YAML knows and Python splits on.
PLAIN = [
    "informant_01",
    "Anna",
    "IT strategist",
    "Municipality 1",
    "e-services",
    "a.b",
    "O'Brien",
    "smaller",
    "B",
    "Ärztin",
    "fünf Jahre",
    "東京",
    "x2",
    "a (b)",
    "r&d",
    "c++",
    "7",
    "0",
    "12",
    "2025-03-02",
    "'quoted'",
    "' padded '",
    "9" * 18,
    "1" * 30,
]
TRICKY = [
    "2025-3-2",
    "2025-02-30",
    "0000-01-01",
    "2025-03-02 10:00:00",
    "2025-03-02T10:00:00Z",
    "yes",
    "No",
    "ON",
    "off",
    "True",
    "FALSE",
    "y",
    "N",
    "null",
    "Null",
    "~",
    "",
    "010",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "-3",
    "+4",
    "1.0",
    "1e3",
    ".5",
    ".inf",
    ".NaN",
    "12:30",
    "''",
    "'it''s'",
    "'a: b'",
    '"double"',
    "'#x'",
    "1" * 5000,
    "a #note",
    "a#b",
    "a: b",
    "a:b",
    "{x}",
    "[y]",
    "&anchor",
    "*alias",
    "!tag x",
    "!!str 7",
    "- item",
    "? key",
    "| text",
    "> text",
    "%x",
    "@x",
    "`x`",
    "a,b",
    "a\tb",
    "\ttab",
    "a\u00a0b",
    "a\u2028b",
    "a\x85b",
    "a\ufeffb",
    "a\u200bb",
    "trailing ",
    " leading",
]
NAMES = ["informant_01", "informant_02", "Anna", "'quoted name'", "7", "2025-01-01", "a b"]
ODD_NAMES = ["yes", "x: y", "- z", "#c", "", "''", "' '", "trailing ", "010"]


@st.composite
def cases_files(draw) -> str:
    """A plain cases file (entries in block or flow form, comments, blank lines), and in most of
    them one twist: a value, a name or an indentation YAML reads its own way, or an odd line."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines.append("# the cases of the study")
    indent = draw(st.sampled_from(["  ", "    "]))
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True))
    for name in names:
        pairs = draw(st.lists(st.tuples(st.sampled_from(PLAIN), st.sampled_from(PLAIN)), min_size=1, max_size=4))
        pairs = list(dict(pairs).items())  # an attribute once
        if draw(st.booleans()):
            lines.append(f"{name}: {{{', '.join(f'{k}: {v}' for k, v in pairs)}}}")
        else:
            lines.append(f"{name}:" + draw(st.sampled_from(["", "  # the first"])))
            for key, value in pairs:
                lines.append(f"{indent}{key}: {value}" + draw(st.sampled_from(["", "  ", "  # note"])))
            if draw(st.booleans()):
                lines.append(draw(st.sampled_from(["", "   ", "  # aside"])))
    twist = draw(st.sampled_from(["none", "value", "key", "name", "line", "indent"]))
    at = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    odd = draw(st.sampled_from(TRICKY))
    if twist == "value" and ": " in lines[at]:
        before, _, after = lines[at].rpartition(": ")
        lines[at] = f"{before}: {odd}" + ("}" if after.endswith("}") else "")
    elif twist == "key" and lines[at].startswith(indent):
        lines[at] = f"{indent}{odd}: {lines[at].partition(': ')[2]}"
    elif twist == "name":
        lines.insert(at, f"{draw(st.sampled_from(ODD_NAMES))}:\n{indent}role: nurse")
    elif twist == "line":
        extra = ["---", "...", "  - x", " odd: 1", "\tx: 1", "a: {}", "b:", f"{odd}: 1", "c: {x: 1"]
        lines.insert(at, draw(st.sampled_from(extra)))
    elif twist == "indent" and lines[at].startswith(indent):
        other = draw(st.sampled_from([" ", "   ", "  ", "      ", chr(9)]))
        lines[at] = other + lines[at][len(indent) :]
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=600, deadline=None)
@given(cases_files())
def test_what_is_read_without_pyyaml_is_what_pyyaml_reads(text):
    plain = read_plain_cases(text)
    if plain is not None:
        assert read_with_pyyaml(text) == plain


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab7:{},' -#\n\t'yn0.x")), max_size=60))
def test_any_text_is_read_as_pyyaml_reads_it_or_left_to_it(text):
    plain = read_plain_cases(text)
    if plain is not None:
        assert read_with_pyyaml(text) == plain


@pytest.mark.parametrize(
    "text",
    [
        (sample_data_dir() / "cases.yaml").read_text(encoding="utf-8"),
        "informant_7: {informant: 7, role: IT strategist, size: smaller, cluster: B}\n",
        "informant_01:\n  cluster: A\n  informant: 1\n  interviewed: '2025-03-02'\n  organisation: Municipality 1\n",
        "# cases\n\nanna:   # the first\n    role: nurse  # day shift\n    since: 2019-04-01\n\nben:\n    role: 'head of ward'\n",
    ],
)
def test_the_common_shapes_are_read_without_pyyaml_and_as_pyyaml_reads_them(text):
    plain = read_plain_cases(text)
    assert plain is not None
    assert plain == read_with_pyyaml(text)


@pytest.mark.parametrize(
    "text",
    [
        "a:\n  active: yes\n",  # YAML's boolean, stored as "yes" whatever the spelling
        "a:\n  code: 010\n",  # an octal number to YAML
        "a:\n  start: 12:30\n",  # a number of minutes to YAML 1.1
        "a:\n  day: 2025-3-4\n",  # a date YAML writes back zero-padded
        "a:\n  day: 2025-02-30\n",  # not a day: the YAML reader refuses it
        "a:\n  role: nurse\na:\n  role: doctor\n",  # a name twice: refused, with its line
        "a:\n",  # no attributes: refused
        "a:\n  note: ~\n",  # nothing: refused
        "a:\n\trole: nurse\n",  # a tab: refused by YAML
        'a:\n  role: "nurse"\n',  # double quotes may hold escapes
        "a:\n  role: nurse\n   site: north\n",  # another indentation
        "a:\n    role: nurse\n  site: north\n",  # less indented than the lines before
        "'':\n  role: nurse\n",  # an empty name: refused
        "a:\n  n: " + "1" * 5000 + "\n",  # a number Python will not read
        "a:\n  role: nurse\n  role: doctor\n",  # an attribute twice (YAML keeps the last)
        "",
    ],
)
def test_what_yaml_reads_its_own_way_is_left_to_pyyaml(text):
    assert read_plain_cases(text) is None


def test_a_plain_cases_file_is_read_without_importing_pyyaml_and_another_with_it(tmp_path):
    (tmp_path / "plain.yaml").write_text("a: {size: smaller}\n", encoding="utf-8")
    (tmp_path / "other.yaml").write_text("a: {active: yes}\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from workbench.interop.cases import read_cases_file\n"
        "print(read_cases_file(Path(sys.argv[1])), 'yaml' in sys.modules)\n"
        "print(read_cases_file(Path(sys.argv[2])), 'yaml' in sys.modules)\n"
    )
    argv = [str(tmp_path / "plain.yaml"), str(tmp_path / "other.yaml")]
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["{'a': {'size': 'smaller'}} False", "{'a': {'active': 'yes'}} True"]
