"""Pseudonym maps: replacing names on import or export, the report, and the leftover check."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cli import main
from workbench.domain.anonymise import anonymise_parsed, apply_to_text, check_text, parse_pseudonym_map
from workbench.domain.transcript_text import parse_plain_text
from workbench.errors import InputError
from workbench.interop.transcripts import read_transcript
from workbench.study import Study
from workbench.study.anonymise import anonymise_file, check_file, import_anonymised, load_pseudonym_map
from workbench.study.chapter import export_chapter, export_quotes_csv

MAP = """\
# real name: replacement
Anna Svensson: "[...]"
Anna: "[the informant]"
Lindköping: "[the other municipality]"
Per-Olof: "[the IT manager]"
"""


@pytest.fixture
def mapping():
    return parse_pseudonym_map(MAP, "map.yaml")


def error_of(text: str) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_pseudonym_map(text, "map.yaml")
    assert "\n" not in str(caught.value)
    return caught.value


# -- the map file ---------------------------------------------------------------------------------


def test_a_plain_map_and_one_with_options(mapping):
    assert [e.name for e in mapping.entries] == ["Anna Svensson", "Lindköping", "Per-Olof", "Anna"]  # longest first
    assert not mapping.ignore_case
    structured = parse_pseudonym_map("ignore_case: yes\npseudonyms:\n  Anna: A\n  1994: '[year]'\n", "m.yaml")
    assert structured.ignore_case
    assert {e.name: e.replacement for e in structured.entries} == {"Anna": "A", "1994": "[year]"}


@pytest.mark.parametrize(
    "text, where, words",
    [
        ("- Anna\n- Per\n", "map.yaml:1", "real name: replacement"),
        ("Anna: A\nPer: B\nAnna: C\n", "map.yaml:3", "given twice (also on line 1)"),
        ('Anna: ""\n', "map.yaml:1", "empty"),
        ("Anna:\n", "map.yaml:1", "needs a replacement"),
        ("Anna: [a, b]\n", "map.yaml:1", "needs a replacement"),
        ('Anna: "[Anna\'s brother]"\n', "map.yaml:1", "contains the mapped name"),
        ('Anna: x\nPer: "the anna case"\n', "map.yaml:2", "contains the mapped name"),
        ("Anna: x\n  bad: [\n", "map.yaml:2", "not valid YAML"),
        ("'...': x\n", "map.yaml:1", "not a name"),
        ("ignore_case: maybe\npseudonyms:\n  Anna: x\n", "map.yaml:1", "true or false"),
        ("ignore_case: true\npseudonyms:\n  Anna: x\n  ANNA: y\n", "map.yaml:4", "given twice"),
        ("pseudonyms: {}\n", "map.yaml", "no names"),
        ("", "map.yaml", "empty"),
    ],
)
def test_map_errors_name_the_line(text, where, words):
    error = error_of(text)
    assert error.where == where and words in str(error)


def test_ignore_case_from_the_command_line_rechecks_clashes(tmp_path):
    path = tmp_path / "map.yaml"
    path.write_text("Anna: x\nANNA: y\n", encoding="utf-8")
    assert len(load_pseudonym_map(path).entries) == 2
    with pytest.raises(InputError, match="given twice"):
        load_pseudonym_map(path, ignore_case=True)


def test_a_map_file_that_is_missing_or_not_utf8(tmp_path):
    with pytest.raises(InputError, match="not found"):
        load_pseudonym_map(tmp_path / "none.yaml")
    path = tmp_path / "map.yaml"
    path.write_bytes("Anna: x\nLindk\xf6ping: y\n".encode("latin-1"))
    with pytest.raises(InputError, match="UTF-8") as caught:
        load_pseudonym_map(path)
    assert caught.value.where.endswith(":2")


# -- applying it ----------------------------------------------------------------------------------


def test_longest_first_whole_words_and_a_report_of_each_replacement(mapping):
    text = "Anna Svensson met Anna in Lindköping.\nAnnabel and Per-Olof's team; anna stays."
    result, report = apply_to_text(text, mapping)
    assert result == (
        "[...] met [the informant] in [the other municipality].\nAnnabel and [the IT manager]'s team; anna stays."
    )
    assert [(r.line, r.column, r.original, r.replacement) for r in report.replacements] == [
        (1, 1, "Anna Svensson", "[...]"),
        (1, 19, "Anna", "[the informant]"),
        (1, 27, "Lindköping", "[the other municipality]"),
        (2, 13, "Per-Olof", "[the IT manager]"),
    ]
    for item in report.replacements:
        assert text[item.offset : item.offset + len(item.original)] == item.original
    assert report.counts() == {"[...]": 1, "[the informant]": 1, "[the other municipality]": 1, "[the IT manager]": 1}


def test_ignore_case_and_names_broken_over_a_line(mapping):
    result, _ = apply_to_text("ANNA svensson and lindköping", mapping.with_ignore_case(True))
    assert result == "[...] and [the other municipality]"
    result, _ = apply_to_text("said Anna\nSvensson, then\n\nAnna\n\nSvensson", mapping)
    assert result == "said [...], then\n\n[the informant]\n\nSvensson"  # a blank line ends a name


def test_anonymise_parsed_keeps_turns_speakers_and_attributes_consistent(mapping):
    text = (
        "---\ninterviewer: Anna Svensson\nmunicipality: Lindköping\n---\n"
        "Anna: We moved to Lindköping in 2016.\n\nPer-Olof: And Anna Svensson ran it.\n\n"
        "Anna: Yes, with Per-Olof.\n\nPer-Olof: Thanks.\n"
    )
    parsed = parse_plain_text(text, "md", "t.md")
    result, report = anonymise_parsed(parsed, mapping)
    assert result.attributes == {"interviewer": "[...]", "municipality": "[the other municipality]"}
    assert [t.speaker for t in result.turns] == [
        "[the informant]",
        "[the IT manager]",
        "[the informant]",
        "[the IT manager]",
    ]
    spoken = [result.text[t.start : t.end] for t in result.turns]
    assert spoken == [
        "We moved to [the other municipality] in 2016.",
        "And [...] ran it.",
        "Yes, with [the IT manager].",
        "Thanks.",
    ]
    places = {r.place for r in report.replacements}
    assert places == {"text", "speaker", "attribute interviewer", "attribute municipality"}
    assert check_text(result.text + repr(result.attributes) + repr(result.turns), mapping) == []


NAMES = ["Anna", "Lindköping", "Bo", "Per-Olof", "Kiruna"]
WORDS = ["we", "said", "that", "the", "council", "agreed", "Annabel", "Bob", "municipality", "it"]


@st.composite
def transcripts_with_names(draw):
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        speaker = draw(st.sampled_from(["Interviewer", "Anna", "Bo", "Informant"]))
        words = draw(st.lists(st.sampled_from(NAMES + WORDS), min_size=1, max_size=15))
        punctuation = draw(
            st.lists(st.sampled_from([" ", " ", ", ", ". ", "\n"]), min_size=len(words), max_size=len(words))
        )
        lines.append(f"{speaker}: " + "".join(w + p for w, p in zip(words, punctuation)).strip())
    return "\n\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None)
@given(transcripts_with_names())
def test_every_turn_says_the_same_with_names_replaced(text):
    mapping = parse_pseudonym_map("\n".join(f'"{n}": "[{n[0]}]"' for n in NAMES), "m.yaml")
    parsed = parse_plain_text(text, "txt", "t.txt")
    result, report = anonymise_parsed(parsed, mapping)
    assert len(result.turns) == len(parsed.turns)
    for old, new in zip(parsed.turns, result.turns):
        assert 0 <= new.start <= new.end <= len(result.text)
        assert result.text[new.start : new.end] == apply_to_text(text[old.start : old.end], mapping)[0]
        assert new.speaker == (apply_to_text(old.speaker, mapping)[0] if old.speaker else None)
    assert check_text(result.text, mapping, ignore_case=False) == []
    assert all(
        text[r.offset : r.offset + len(r.original)] == r.original for r in report.replacements if r.place == "text"
    )


# -- checking an export ---------------------------------------------------------------------------


def test_check_finds_leftovers_in_escaped_and_encoded_forms(mapping):
    chapter = (
        '# Results\n\n> "we went to lindköping" (Informant 7)\n\n'
        "<!-- wb:quote transcript=Anna%20Svensson -->\n"
        "Smith text \\[Per\\-Olof\\] here\n"
    )
    found = check_text(chapter, mapping)
    assert {(o.line, o.name) for o in found} >= {(3, "Lindköping"), (5, "Anna Svensson"), (6, "Per-Olof")}
    assert check_text('# Results\n\n> "we went to [the other municipality]"\n', mapping) == []


# -- the import hook, end to end: nothing of the names in the study or its exports ----------------


SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "transcripts" / "informant_1.txt"
REAL = {"CIO": "[title]", "Wi-Fi": "[the network]", "councillor": "[a politician]"}


def study_text(path: Path) -> str:
    """Every value in every table, and the raw bytes of the file, as one text."""
    connection = sqlite3.connect(path)
    parts = []
    for (table,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in connection.execute(f"SELECT * FROM [{table}]"):
            parts.extend(str(value) for value in row)
    connection.close()
    for file in path.parent.glob(path.name + "*"):
        parts.append(file.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def build(tmp_path: Path, with_map: bool) -> tuple[Path, str, str]:
    mapping = parse_pseudonym_map("".join(f'"{k}": "{v}"\n' for k, v in REAL.items()), "map.yaml")
    path = tmp_path / ("anonymised.db" if with_map else "plain.db")
    cases = tmp_path / "cases.yaml"
    cases.write_text("informant_1: {size: larger, role: CIO}\n", encoding="utf-8")
    with Study.create(path, coder="anna") as study:
        if with_map:
            imported, report = import_anonymised(study, [SAMPLE], cases, mapping)
            assert imported.imported == ["informant_1"]
            assert {r.replacement for r in report.replacements} == set(REAL.values())
            assert any(r.place == "cases informant_1 role" for r in report.replacements)
        else:
            study.import_files([SAMPLE], cases)
        study.add_theme("Economy")
        text = study.transcript_text("informant_1")
        start = text.index("But I've sat in meetings")
        end = text.index("servers?", start) + len("servers?")
        study.select(study.code("informant_1", "Economy", start, end).coding.id, comment="We read this as fear.")
        chapter = export_chapter(study).markdown
        table = export_quotes_csv(study)
    return path, chapter, table


def test_names_replaced_on_import_are_nowhere_in_the_study_or_its_exports(tmp_path):
    mapping = parse_pseudonym_map("".join(f'"{k}": "{v}"\n' for k, v in REAL.items()), "map.yaml")
    plain, plain_chapter, _ = build(tmp_path, with_map=False)
    assert check_text(plain_chapter, mapping)  # the check does see them when they are there
    assert all(name in study_text(plain) for name in REAL)

    path, chapter, table = build(tmp_path, with_map=True)
    everything = study_text(path)
    for name in REAL:
        assert name not in everything and name not in chapter and name not in table
    assert "\\[a politician\\]" in chapter and "[a politician]" in table  # escaped in Markdown
    assert check_text(chapter, mapping) == [] and check_text(table, mapping) == []
    assert "map.yaml" not in everything


def test_import_refuses_a_file_named_after_a_mapped_name_and_changes_nothing(tmp_path, mapping):
    path = tmp_path / "anna_svensson.txt"
    path.write_text("Interviewer: hello\n\nInformant: hi\n", encoding="utf-8")
    with Study.create(tmp_path / "s.db") as study:
        with pytest.raises(InputError, match="rename it"):
            import_anonymised(study, [path], None, mapping)
        assert study.transcripts() == []


# -- files and the command line -------------------------------------------------------------------


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def map_file(tmp_path) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(MAP, encoding="utf-8")
    return path


def test_apply_writes_an_anonymised_copy_and_reports_on_the_terminal_only(tmp_path, map_file):
    source = tmp_path / "talk.md"
    source.write_text("---\nname: Anna Svensson\n---\nAnna: I live in Lindköping.\n\nAnna: Yes.\n", encoding="utf-8")
    out = tmp_path / "out" / "talk.md"
    out.parent.mkdir()
    result = run("anonymise", "apply", map_file, source, "-o", out)
    assert result.exit_code == 0, result.stderr
    written = out.read_text(encoding="utf-8")
    assert (
        written
        == "---\nname: '[...]'\n---\n[the informant]: I live in [the other municipality].\n\n[the informant]: Yes.\n"
    )
    assert "'Lindköping' -> '[the other municipality]'" in result.stderr
    assert "Lindköping" not in result.stdout and "wrote" in result.stdout
    assert source.read_text(encoding="utf-8").startswith("---\nname: Anna Svensson")  # the original is untouched
    parsed = read_transcript(out)
    assert parsed.attributes == {"name": "[...]"}  # quoted as YAML, not read as a list
    assert "'Anna' became '[the informant]', which is not read as a speaker label" in result.stderr

    again = run("anonymise", "apply", map_file, source, "-o", out)
    assert again.exit_code == 1 and "--force" in again.stderr
    assert run("anonymise", "apply", map_file, source, "-o", out, "--force", "--json").exit_code == 0
    assert run("anonymise", "apply", map_file, source, "-o", source).exit_code == 1
    wrong = run("anonymise", "apply", map_file, source, "-o", tmp_path / "talk.txt")
    assert wrong.exit_code == 1 and "keep the file type" in wrong.stderr


def test_apply_to_subtitles_and_word_files(tmp_path, map_file):
    vtt = tmp_path / "talk.vtt"
    vtt.write_text("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>From Lindköping.\n", encoding="utf-8")
    report = anonymise_file(load_pseudonym_map(map_file), vtt, tmp_path / "clean.vtt")
    assert len(report.replacements) == 2
    parsed = read_transcript(tmp_path / "clean.vtt")
    assert parsed.turns[0].speaker == "[the informant]" and "Lindköping" not in parsed.text

    word = tmp_path / "talk.docx"
    document = docx.Document()
    document.add_paragraph("Interviewer: Where do you work?")
    document.add_paragraph("Anna: In Lindköping, with Per-Olof.")
    document.save(word)
    with pytest.raises(InputError, match=".txt or .md"):
        anonymise_file(load_pseudonym_map(map_file), word, tmp_path / "clean.docx")
    anonymise_file(load_pseudonym_map(map_file), word, tmp_path / "clean.txt")
    assert "Lindköping" not in (tmp_path / "clean.txt").read_text(encoding="utf-8")
    with pytest.raises(InputError, match="cannot anonymise"):
        anonymise_file(load_pseudonym_map(map_file), tmp_path / "talk.pdf", tmp_path / "x.pdf")


def test_check_exits_with_1_and_lists_leftovers(tmp_path, map_file):
    chapter = tmp_path / "chapter.md"
    chapter.write_text("# Results\n\nAs one said about lindköping, it works.\n", encoding="utf-8")
    result = run("anonymise", "check", map_file, chapter)
    assert result.exit_code == 1
    assert f"{chapter}:3:" in result.stdout and "'lindköping'" in result.stdout
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert json.loads(run("anonymise", "check", map_file, chapter, "--json").stdout)[0]["line"] == 3
    chapter.write_text("# Results\n\nAs one said about [the other municipality], it works.\n", encoding="utf-8")
    result = run("anonymise", "check", map_file, chapter)
    assert result.exit_code == 0 and "no mapped names" in result.stdout
    assert check_file(load_pseudonym_map(map_file), chapter) == []


def test_a_bad_map_is_one_error_line(tmp_path):
    bad = tmp_path / "map.yaml"
    bad.write_text("Anna: x\nAnna: y\n", encoding="utf-8")
    result = run("anonymise", "check", bad, bad)
    assert result.exit_code == 1 and result.stderr == f"error: {bad}:2: 'Anna' is given twice (also on line 1)\n"
