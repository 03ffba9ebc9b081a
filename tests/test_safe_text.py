"""The one terminal-safe rule (display/safe_text.py), its two views, and the command line using it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from workbench.cli import main
from workbench.display import quote_lines, safe_text
from workbench.resources import codebooks_dir, sample_data_dir
from workbench.tui.widgets import transcript_layout

UNSAFE = "".join(map(chr, safe_text.STAND_INS))
ESC = "\x1b"


def test_the_rule_covers_what_a_terminal_acts_on():
    for code in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x202E, 0x2066, 0xFEFF, 0xD800, 0x2028, 0x2029):
        assert code in safe_text.STAND_INS, hex(code)
    for shown in safe_text.STAND_INS.values():
        assert shown not in safe_text.STAND_INS  # a stand-in is itself safe


def test_the_quote_board_and_the_transcript_view_use_the_one_rule():
    assert quote_lines.visible is safe_text.visible
    assert transcript_layout.sanitize is safe_text.visible_in_place
    assert transcript_layout.is_safe_char is safe_text.shown_in_place


@given(st.text(alphabet=st.sampled_from(UNSAFE + "ab \t\n"), max_size=60) | st.text(max_size=60))
def test_neither_view_lets_an_unsafe_code_point_through(text):
    one_line = safe_text.visible(text)
    assert not set(one_line) & set(UNSAFE)
    in_place = safe_text.visible_in_place(text)
    assert len(in_place) == len(text)
    assert not set(in_place) & (set(UNSAFE) - {"\n"})
    assert [i for i, ch in enumerate(in_place) if ch == "\n"] == [i for i, ch in enumerate(text) if ch == "\n"]


def test_one_line_text():
    assert safe_text.visible("a\x1b[31mb\u202e") == "a␛[31mb\ufffd"
    assert safe_text.visible(" one\ttwo \n\n three\u2028four ") == "one two ¶ three ¶ four"
    assert safe_text.visible("one\r\ntwo", line_break="") == "one two"


# -- the command line --------------------------------------------------------------------------

ODD = f"[/]{ESC}[31mred"  # an escape sequence and Rich markup that closes nothing


def run(*args, code: int = 0):
    result = CliRunner().invoke(main, [str(a) for a in args], env={"COLUMNS": "250"})
    assert result.exit_code == code, result.output
    return result


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("safe") / "study.db"
    run("init", path)
    run("import", path, *(sample_data_dir() / "transcripts" / f"informant_{n}.txt" for n in (1, 2)))
    run("codebook", "load", path, codebooks_dir() / "it-collaboration.yaml")
    run("code", path, "informant_1", "Identity/Customer-supplier identity", "--text", "They buy services.")
    run("case", "set", path, "informant_1", f"cluster={ODD}")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["stats", "STUDY", "--by", "cluster"],
        ["matrix", "STUDY", "--by", "cluster"],
        ["case", "list", "STUDY"],
    ],
)
def test_study_text_is_shown_safely_and_never_read_as_markup(study: Path, command: list[str]):
    result = run(*(study if word == "STUDY" else word for word in command))
    assert ESC not in result.output
    assert "[/]␛[31mred" in result.output


def test_an_error_naming_odd_text_is_one_safe_line(study: Path):
    missing = study.parent / f"no{ESC}[2Jsuch\nfile.txt"
    result = run("import", study, missing, code=1)
    assert ESC not in result.stderr and result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: ") and "no␛[2Jsuch ¶ file.txt" in result.stderr


def test_json_output_keeps_the_text_as_stored(study: Path):
    assert json.loads(run("case", "list", study, "--json").stdout)["informant_1"]["cluster"] == ODD


def test_the_patterns_that_find_unsafe_code_points_match_exactly_the_tables():
    from workbench.display import safe_text

    for pattern, table in (
        (safe_text._NEEDS_ONE_LINE, safe_text._ONE_LINE),
        (safe_text._NEEDS_IN_PLACE, safe_text._IN_PLACE),
    ):
        found = {c for c in range(0x110000) if pattern.match(chr(c))}
        assert found == set(table)
