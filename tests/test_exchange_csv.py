"""Taguette-style CSV: codebooks (tag,description,...) and highlights (id,document,tag,content)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.domain.models import ParsedTranscript
from workbench.domain.transcript_text import split_turns
from workbench.errors import InputError
from workbench.study import ImportItem, Study
from workbench.study.exchange import import_codebook_csv, import_highlights_csv, locate

INTERVIEW = """Interviewer: How did the collaboration start?

Informant 7: It started with the service desk. We could not manage it ourselves,
and the other municipality had the people.

Interviewer: And trust?

Informant 7: Trust came later. Trust came later, honestly, once the agreement was signed.
"""


@pytest.fixture
def study(tmp_path: Path) -> Study:
    with Study.create(tmp_path / "study.db", coder="tester") as s:
        s.import_texts(
            [ImportItem("informant_7", ParsedTranscript(INTERVIEW, split_turns(INTERVIEW), "txt"), "informant_7.txt")]
        )
        yield s


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    return path


# --- codebooks --------------------------------------------------------------------------------


def test_taguette_codebook_brings_its_22_tags_with_descriptions(study, shared_data):
    path = shared_data / "codebooks" / "taguette_codebook_20220303_8.csv"
    report = import_codebook_csv(study, path)
    themes = {t.path: t for t in study.themes()}
    assert len(themes) == 22 and report.counts["themes_added"] == 22
    with path.open(encoding="utf-8", newline="") as handle:
        expected = {row["tag"]: row["description"] for row in csv.DictReader(handle)}
    assert {p: t.description for p, t in themes.items()} == {k: v.strip() for k, v in expected.items()}
    suggestion = themes["Additional feature suggestion"].description
    assert suggestion.count("\n") == 5 and suggestion.startswith("Distinguish outliers")
    assert any("number of highlights" in w for w in report.warnings)  # the unused column is named
    # Loading it again changes nothing and says so.
    again = import_codebook_csv(study, path)
    assert again.counts["themes_added"] == 0 and again.counts["themes_updated"] == 0


def test_codebook_csv_subthemes_colours_and_semicolons(study, tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text(
        "Code;Description;Colour\nTrust;;teal\nTrust/Agreements matter;Written rules;#ff0000\nCost;;not-a-colour\n",
        encoding="utf-8",
    )
    report = import_codebook_csv(study, path)
    themes = {t.path: t for t in study.themes()}
    assert set(themes) == {"Trust", "Trust/Agreements matter", "Cost"}
    assert (
        themes["Trust/Agreements matter"].color == "#ff0000"
        and themes["Trust/Agreements matter"].description == "Written rules"
    )
    assert any("not-a-colour" in w and ":4:" in w for w in report.warnings)


@pytest.mark.parametrize(
    "content, message",
    [
        ("name_of_thing,description\nA,b\n", "codes.csv:1: no 'tag' column"),
        ("tag,description\nA,first\na,second\n", "codes.csv:3: tag 'a' is given twice (first at line 2)"),
        ('tag,description\nA,"multi\nline"\n ,empty\n', "codes.csv:4: the tag '' is empty"),
        ("tag,description\n", "codes.csv:2: the file has a header but no tags"),
    ],
)
def test_codebook_csv_errors_name_the_line_and_change_nothing(study, tmp_path, content, message):
    path = tmp_path / "codes.csv"
    path.write_text(content, encoding="utf-8")
    events = len(study.events())
    with pytest.raises(InputError) as error:
        import_codebook_csv(study, path)
    assert message in str(error.value)
    assert study.themes() == [] and len(study.events()) == events


# --- highlights -------------------------------------------------------------------------------


def test_highlights_are_located_by_their_text_and_the_rest_is_reported(study, tmp_path):
    study.add_theme("Trust")
    path = write_csv(
        tmp_path / "highlights.csv",
        [
            ["id", "document", "tag", "content"],
            ["1", "informant_7.docx", "Trust", "Trust came later, honestly"],  # exact; file extension ignored
            [
                "2",
                "informant_7",
                "Dependence",
                "We could not manage it ourselves, and the other",
            ],  # line break in the text
            ["3", "informant_7", "Trust", "Trust came later"],  # occurs twice: reported
            ["4", "informant_7", "Trust", "something nobody said"],  # absent: reported
            ["5", "informant_9", "Trust", "Trust came later"],  # no such transcript
            ["6", "informant_7", "", "the service desk"],  # no tag
            ["7", "informant_7", "Collaboration/Start", "It started with the service desk."],
        ],
    )
    report = import_highlights_csv(study, path)
    text = study.transcript_text("informant_7")
    coded = {(q.theme, q.text) for q in study.quotes()}
    assert ("Trust", "Trust came later, honestly") in coded
    assert ("Dependence", "We could not manage it ourselves,\nand the other") in coded
    assert ("Collaboration/Start", "It started with the service desk.") in coded
    assert len(coded) == 3 and all(q.coder == "tester" and text[q.start : q.end] == q.text for q in study.quotes())
    lost = {s.name: s.reason for s in report.not_imported}
    assert "occurs 2 times" in lost["line 4 (id 3)"]
    assert "not in the transcript" in lost["line 5 (id 4)"]
    assert lost["informant_9"] == "not in the study; 1 highlight(s) in it not placed"
    assert "no tag" in lost["line 7 (id 6)"]
    assert report.counts == {
        "highlights": 7,
        "codings_added": 3,
        "already_coded": 0,
        "documents_missing": 1,
        "in_missing_documents": 1,
        "ambiguous": 1,
        "not_located": 1,
        "skipped": 1,
        "themes_added": 3,
    }
    assert any("spacing" in w for w in report.warnings)
    json.dumps(report.to_json())


def test_a_start_column_chooses_between_occurrences_and_a_second_import_adds_nothing(study, tmp_path):
    second = INTERVIEW.index("Trust came later", INTERVIEW.index("Trust came later") + 1)
    path = write_csv(
        tmp_path / "h.csv",
        [["id", "document", "tag", "content", "start"], ["1", "informant_7", "Trust", "Trust came later", str(second)]],
    )
    import_highlights_csv(study, path, coder="ana")
    [quote] = study.quotes()
    assert (quote.start, quote.coder) == (second, "ana")
    again = import_highlights_csv(study, path, coder="ana")
    assert again.counts["codings_added"] == 0 and again.counts["already_coded"] == 1 and len(study.quotes()) == 1


def test_highlights_csv_without_the_needed_columns_is_refused(study, tmp_path):
    path = write_csv(tmp_path / "h.csv", [["id", "doc", "tag"], ["1", "informant_7", "Trust"]])
    with pytest.raises(InputError, match=r"h.csv:1: missing column\(s\): document, content"):
        import_highlights_csv(study, path)
    assert study.quotes() == [] and study.themes() == []


def test_locate_never_guesses():
    assert locate("a b a b", "a b") == (None, "the passage occurs 2 times (add a 'start' column to choose)")
    assert locate("one two\nthree", "two three") == ((4, 13), "spacing")
    assert locate("abc", "  ")[0] is None
    assert locate("abc abc", "abc", start=4) == ((4, 7), "exact")
    assert locate("abc abc", "abc", start=2)[0] is None


# --- the commands -----------------------------------------------------------------------------


def test_cli_codebook_load_csv_and_import_highlights(tmp_path, shared_data):
    runner = CliRunner()
    study = tmp_path / "s.db"
    transcript = tmp_path / "informant_7.txt"
    transcript.write_text(INTERVIEW, encoding="utf-8")
    assert runner.invoke(main, ["init", str(study)]).exit_code == 0
    assert runner.invoke(main, ["import", str(study), str(transcript)]).exit_code == 0
    result = runner.invoke(
        main, ["codebook", "load", str(study), str(shared_data / "codebooks" / "taguette_codebook_20220303_8.csv")]
    )
    assert result.exit_code == 0 and "22 themes (22 new)" in result.output
    highlights = write_csv(
        tmp_path / "h.csv",
        [
            ["id", "document", "tag", "content"],
            ["1", "informant_7", "System issue", "Trust came later, honestly"],
            ["2", "informant_7", "System issue", "nowhere"],
        ],
    )
    result = runner.invoke(main, ["import-highlights", str(study), str(highlights), "--coder", "ana", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"]["codings_added"] == 1 and len(data["not_imported"]) == 1
    result = runner.invoke(main, ["import-highlights", str(study), str(highlights)])
    assert "highlights not placed (1):" in result.output
    result = runner.invoke(main, ["import-highlights", str(study), str(tmp_path / "missing.csv")])
    assert result.exit_code == 1 and result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
