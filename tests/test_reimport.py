"""Re-importing a corrected transcript into a real study file: codings follow their text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.domain.anonymise import parse_pseudonym_map
from workbench.errors import InputError, NotFoundError, WorkbenchError
from workbench.study import Study
from workbench.study.reimport import REVIEW_PREFIX, codings_to_review, mark_reviewed, reimport_transcript

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "transcripts" / "informant_1.txt"

GRAVITY = "There's a sort of, I call it the gravity of the old way. People go back to what they know."
COUNCILLOR = "But I've sat in meetings where a councillor says, why should our taxpayers pay for their servers?"
CUSTOMERS = "They buy services. They are customers. Then you can't be surprised when they behave like customers"
TABLES = ("transcripts", "turns", "codings", "quotes", "cases", "case_attributes", "themes", "memos")


@pytest.fixture
def study(study_path: Path):
    with Study.open(study_path, coder="tester") as opened:
        yield opened


def write_version(tmp_path: Path, replacements: list[tuple[str, str]], name: str = "informant_1.txt") -> Path:
    """A copy of the sample transcript with each ``(old, new)`` replacement made (once each)."""
    text = SAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    folder = tmp_path / "v"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# A typo fixed inside a coded passage, a sentence added near the start (everything after it
# moves), and a coded passage deleted.
EDITS = [
    ("councillor says", "councilor says"),
    ("Okay, it's recording now.", "Okay, it's recording now. Just so you know, this is the second take."),
    (CUSTOMERS + " [laughs].", "So it goes."),
]


def snapshot(study: Study) -> dict[str, list]:
    return {t: study._db.execute(f"SELECT * FROM [{t}] ORDER BY 1, 2").fetchall() for t in TABLES}


def test_a_corrected_transcript_moves_its_codings_and_flags_the_deleted_one(study: Study, tmp_path: Path):
    before = snapshot(study)
    codings = {c.text: c for c in study.codings("informant_1")}
    report = reimport_transcript(study, write_version(tmp_path, EDITS))

    assert (report.kept, report.moved, report.flagged) == (0, 4, 1)
    assert report.chars[0] == len(SAMPLE.read_text(encoding="utf-8"))
    text = study.transcript_text("informant_1")
    after = {c.id: c for c in study.codings("informant_1")}
    # the untouched passages are found exactly, at their new offsets
    for passage in (GRAVITY,):
        moved = after[codings[passage].id]
        assert text[moved.start : moved.end] == passage == moved.text
        assert moved.start > codings[passage].start
    # the corrected one follows the correction
    fixed = after[codings[COUNCILLOR].id]
    assert fixed.text == COUNCILLOR.replace("councillor", "councilor") == text[fixed.start : fixed.end]
    # the deleted one keeps what was coded and says why it needs a look
    flagged = after[codings[CUSTOMERS].id]
    assert flagged.text == CUSTOMERS
    (item,) = codings_to_review(study)
    assert item.id == flagged.id and item.reason.startswith(REVIEW_PREFIX)
    assert item.selected  # it is one of the chapter's quotes: the review says so
    assert 0 <= item.start < item.end <= len(text)
    # turns follow the new text
    turns = study.turns("informant_1")
    assert any("second take" in text[t.start : t.end] for t in turns)
    assert all(text[t.start : t.end].strip() == text[t.start : t.end] for t in turns)
    # the quote state (selection, comment) stays with each coding
    assert study.quote(fixed.id).selected and study.quote(fixed.id).comment
    # one event, undone in one step
    assert study.events(1)[0]["action"] == "reimport"
    payload = json.loads(study.events(1)[0]["payload"])
    assert (payload["kept"], payload["moved"], payload["flagged"]) == (0, 4, 1)
    reimported = snapshot(study)
    assert study.undo()["action"] == "reimport"
    assert snapshot(study) == before
    assert study.redo()["action"] == "reimport"
    assert snapshot(study) == reimported


def test_reviewing_a_flagged_coding_clears_the_flag_and_can_be_undone(study: Study, tmp_path: Path):
    reimport_transcript(study, write_version(tmp_path, EDITS))
    (item,) = codings_to_review(study)
    text = study.transcript_text("informant_1")
    start = text.index("So it goes.")
    result = mark_reviewed(study, item.id, start, start + len("So it goes."))
    assert result.text == "So it goes."
    assert codings_to_review(study) == []
    coding = study.coding(item.id)
    assert (coding.start, coding.text) == (start, "So it goes.")
    study.undo()
    assert [i.id for i in codings_to_review(study)] == [item.id]
    # accepting the best guess as it is
    accepted = mark_reviewed(study, item.id)
    assert accepted.text == text[item.start : item.end]
    assert codings_to_review(study) == []


def test_mark_reviewed_refuses_bad_spans(study: Study, tmp_path: Path):
    reimport_transcript(study, write_version(tmp_path, EDITS))
    (item,) = codings_to_review(study)
    with pytest.raises(WorkbenchError, match="outside"):
        mark_reviewed(study, item.id, 10, 10**7)
    with pytest.raises(WorkbenchError, match="both"):
        mark_reviewed(study, item.id, 10, None)
    with pytest.raises(NotFoundError):
        mark_reviewed(study, 99999)
    unflagged = next(c for c in study.codings("informant_2"))
    assert mark_reviewed(study, unflagged.id).notes == ["it was not flagged for review"]


def test_the_same_text_again_changes_nothing(study: Study, tmp_path: Path):
    path = tmp_path / "informant_1.txt"
    shutil.copy(SAMPLE, path)
    events = len(study.events())
    report = reimport_transcript(study, path)
    assert report.unchanged and report.codings == []
    assert len(study.events()) == events


def test_a_later_reimport_that_restores_the_passage_clears_the_flag(study: Study, tmp_path: Path):
    reimport_transcript(study, write_version(tmp_path, EDITS))
    assert len(codings_to_review(study)) == 1
    restored = tmp_path / "restored" / "informant_1.txt"
    restored.parent.mkdir()
    shutil.copy(SAMPLE, restored)
    report = reimport_transcript(study, restored)
    assert report.flagged == 0
    assert codings_to_review(study) == []
    text = study.transcript_text("informant_1")
    assert all(text[c.start : c.end] == c.text for c in study.codings("informant_1"))


def test_a_trimmed_quote_that_no_longer_fits_is_flagged(study: Study, tmp_path: Path):
    coding = next(c for c in study.codings("informant_1") if c.text == COUNCILLOR)
    study.select(coding.id, elided="But I've sat in meetings where a councillor says [...] pay for their servers?")
    report = reimport_transcript(study, write_version(tmp_path, EDITS[:1]))
    assert report.flagged == 1
    (item,) = codings_to_review(study)
    assert item.id == coding.id and "trimmed form" in item.reason
    # accepting it drops the trimmed form that no longer matches, and says so
    result = mark_reviewed(study, coding.id)
    assert result.notes and "trimmed form" in result.notes[0]
    assert study.quote(coding.id).elided is None


def test_another_name_with_name_option(study: Study, tmp_path: Path):
    path = write_version(tmp_path, EDITS[:1], name="informant_1_corrected.txt")
    with pytest.raises(NotFoundError, match="--name"):
        reimport_transcript(study, path)
    report = reimport_transcript(study, path, name="informant_1")
    assert report.transcript == "informant_1"
    assert (report.kept, report.moved, report.flagged) == (2, 3, 0)  # two before the fix, three after it
    assert study.transcript("informant_1").source_file == "informant_1_corrected.txt"


@pytest.mark.parametrize("problem", ["missing", "binary", "another transcript", "unknown name"])
def test_a_failed_reimport_changes_nothing(study: Study, tmp_path: Path, problem: str):
    before = snapshot(study)
    events = len(study.events())
    path = tmp_path / "informant_1.txt"
    if problem == "binary":
        path.write_bytes(b"\x00\x01\x02" * 100)
    elif problem == "another transcript":
        shutil.copy(SAMPLE.with_name("informant_2.txt"), path)
    elif problem == "unknown name":
        path = tmp_path / "informant_99.txt"
        shutil.copy(SAMPLE, path)
    with pytest.raises(WorkbenchError) as caught:
        reimport_transcript(study, path)
    assert "\n" not in str(caught.value)
    if problem in ("missing", "binary", "another transcript"):
        assert isinstance(caught.value, InputError)
    assert snapshot(study) == before and len(study.events()) == events


def test_a_new_anonymisation_on_reimport_moves_codings_and_keeps_names_out(study: Study, tmp_path: Path):
    mapping = parse_pseudonym_map('CIO: "[title]"\n"Wi-Fi": "[network]"\n', "map.yaml")
    path = tmp_path / "informant_1.txt"
    shutil.copy(SAMPLE, path)
    report = reimport_transcript(study, path, pseudonyms=mapping)
    assert report.flagged == 0 and report.moved + report.kept == 5
    assert report.anonymisation.counts() == {"[title]": 1, "[network]": 1}
    text = study.transcript_text("informant_1")
    assert "CIO" not in text and "[title]" in text
    assert "CIO" not in json.dumps(study.events(2), ensure_ascii=False)


# -- the command line -------------------------------------------------------------------------


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_cli_reimport_review_reviewed(study_path: Path, tmp_path: Path):
    path = write_version(tmp_path, EDITS)
    result = run("reimport", study_path, path, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert (report["kept"], report["moved"], report["flagged"]) == (0, 4, 1)
    assert [c["status"] for c in report["codings"]].count("flagged") == 1

    result = run("review", study_path, "--json")
    (item,) = json.loads(result.output)
    assert item["reason"].startswith(REVIEW_PREFIX) and item["coded_text"] == CUSTOMERS

    result = run("review", study_path)
    assert f"#{item['id']}" in result.output and "why:" in result.output

    result = run("reviewed", study_path, item["id"])
    assert result.exit_code == 0 and f"reviewed #{item['id']}" in result.output
    assert run("review", study_path).output.strip() == "no codings need review"


def test_cli_reimport_prints_counts_and_errors_on_one_line(study_path: Path, tmp_path: Path):
    result = run("reimport", study_path, write_version(tmp_path, EDITS))
    assert "0 kept, 4 moved, 1 flagged for review" in result.output
    result = CliRunner().invoke(main, ["reimport", str(study_path), str(tmp_path / "nothing.txt")])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")
    result = CliRunner().invoke(main, ["reviewed", str(study_path), "424242"])
    assert result.exit_code == 1 and "no coding with id 424242" in result.output
