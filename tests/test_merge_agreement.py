"""Two coders' study files merged, and agreement figures on worked examples."""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np
import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.study import Study
from workbench.study.agreement import agreement, merge_study

# Exactly 100 characters, so the worked example's proportions are whole percentages.
ONE = "Interviewer: Tell me of this agreement.\nAnna: It settles what we could not settle ourselves, truly.\n"
TWO = """Interviewer: How did it start?
Anna: With a shared server room and a lot of goodwill.
Interviewer: And now?
Anna: Now the agreement carries what goodwill carried then.
"""
EXTRA = "Interviewer: Only in the second file.\nBen: Yes, only there.\n"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """anna.db (one, two) and ben.db (the same text as one under another name, and extra).

    Char worked example on "one" (100 characters):
      Trust:      anna 10..30, ben 20..40
      Technology: anna 50..60, ben 50..60
      Doubt:      ben 70..80 (a theme only ben's codebook has)
    """
    assert len(ONE) == 100
    source = tmp_path / "source"
    source.mkdir()
    anna_path, ben_path = tmp_path / "anna.db", tmp_path / "ben.db"
    with Study.create(anna_path, coder="anna") as anna:
        anna.import_files([write(source, "one.txt", ONE), write(source, "two.txt", TWO)])
        anna.add_theme("Trust", color="#33aa55")
        anna.add_theme("Technology")
        anna.code("one", "Trust", 10, 30)
        anna.code("one", "Technology", 50, 60)
        anna.code("two", "Trust", *anna.find_passage("two", "a lot of goodwill"))
    with Study.create(ben_path, coder="ben") as ben:
        ben.import_files([write(source, "interview_one.txt", ONE), write(source, "extra.txt", EXTRA)])
        ben.add_theme("trust")  # matched without regard to case
        ben.add_theme("Technology")
        ben.add_theme("Doubt", color="#aa3333", description="Where trust wavers.")
        ben.code("interview_one", "trust", 20, 40)
        ben.code("interview_one", "Technology", 50, 60)
        ben.code("interview_one", "Doubt", 70, 80)
        ben.code("extra", "Doubt", *ben.find_passage("extra", "only there"))
    return anna_path, ben_path


def test_merge_matches_by_text_and_path_and_reports_the_rest(files):
    anna_path, ben_path = files
    with Study.open(anna_path) as study:
        report = merge_study(study, ben_path)
        codings = study.codings("one")
        doubt = study.theme("Doubt")
    assert report.transcripts_matched == [("one", "interview_one")]
    assert report.transcripts_unmatched == [("extra", 1)]
    assert report.themes_added == ["Doubt"]
    assert (doubt.color, doubt.description) == ("#aa3333", "Where trust wavers.")
    assert (report.codings_added, report.codings_present, report.codings_unmatched) == (3, 0, [])
    assert report.coders == {"ben": 4}
    assert sorted((c.coder, c.theme_path, c.start, c.end) for c in codings) == [
        ("anna", "Technology", 50, 60),
        ("anna", "Trust", 10, 30),
        ("ben", "Doubt", 70, 80),
        ("ben", "Technology", 50, 60),
        ("ben", "Trust", 20, 40),
    ]
    data = report.to_json()
    assert data["transcripts_unmatched"] == [
        {"other": "extra", "codings": 1, "reason": "no transcript with the same text"}
    ]
    assert set(data) == {
        "other",
        "transcripts_matched",
        "transcripts_unmatched",
        "themes_added",
        "codings_added",
        "codings_present",
        "codings_unmatched",
        "coders",
        "warnings",
    }


def test_merging_twice_changes_nothing(files):
    anna_path, ben_path = files
    with Study.open(anna_path) as study:
        merge_study(study, ben_path)
        events = len(study.events())
        again = merge_study(study, ben_path)
        assert len(study.events()) == events
        assert len(study.codings("one")) == 5
    assert (again.codings_added, again.codings_present, again.themes_added) == (0, 3, [])
    assert any("nothing new" in w for w in again.warnings)


def test_merge_is_one_transaction(files, monkeypatch):
    anna_path, ben_path = files

    def fail(self, codings):
        raise WorkbenchError("disk full")

    with Study.open(anna_path) as study:
        monkeypatch.setattr(Study, "code_many", fail)
        with pytest.raises(WorkbenchError, match="disk full"):
            merge_study(study, ben_path)
        assert [t.path for t in study.themes()] == ["Trust", "Technology"]  # Doubt was rolled back


def test_merge_without_new_themes_and_with_a_stale_coding(files):
    anna_path, ben_path = files
    with Study.open(ben_path) as ben:
        ben._db.execute("UPDATE codings SET text = 'something else' WHERE start = 50")
        ben._db.conn.commit()
    with Study.open(anna_path) as study:
        report = merge_study(study, ben_path, create_themes=False)
    reasons = {(u["theme"], u["reason"]) for u in report.codings_unmatched}
    assert reasons == {
        ("Doubt", "no theme 'Doubt' in the study"),
        ("Technology", "the coded text does not match the transcript at its offsets"),
    }
    assert report.codings_added == 1 and report.themes_added == []


def test_merge_refuses_itself_and_non_studies(files, tmp_path):
    anna_path, _ben = files
    not_a_study = write(tmp_path, "notes.db", "hello")
    with Study.open(anna_path) as study:
        with pytest.raises(WorkbenchError, match="is this study itself"):
            merge_study(study, anna_path)
        with pytest.raises(WorkbenchError, match="not a workbench study"):
            merge_study(study, not_a_study)


def test_merge_warns_when_the_other_coder_has_the_same_name(files, tmp_path):
    anna_path, _ben = files
    other = tmp_path / "anna-laptop.db"
    with Study.create(other, coder="anna") as copy:
        copy.import_files([write(tmp_path, "one.txt", ONE)])
        copy.add_theme("Trust")
        copy.code("one", "Trust", 80, 90)
    with Study.open(anna_path) as study:
        report = merge_study(study, other)
    assert report.codings_added == 1
    assert report.warnings == [
        "coder 'anna' already had codings in this study; the merged ones were added under the same name"
    ]


# -- agreement by character -------------------------------------------------------------------------


@pytest.fixture
def merged(files) -> Path:
    anna_path, ben_path = files
    with Study.open(anna_path) as study:
        merge_study(study, ben_path)
    return anna_path


def test_char_agreement_worked_example_one_theme(merged):
    # Trust over 100 characters: both 10 (20..30), anna only 10, ben only 10, neither 70.
    # p_o = 0.8; p_e = 0.2 * 0.2 + 0.8 * 0.8 = 0.68; kappa = 0.12 / 0.32 = 0.375.
    # alpha: n = 200 values, o_01 = 20, n_0 = 160, n_1 = 40: 1 - 199 * 20 / (160 * 40) = 0.378125.
    with Study.open(merged) as study:
        report = agreement(study, ("anna", "ben"), unit="char", theme="trust")
    assert report.theme == "Trust"
    assert report.transcripts == ["one"]
    assert report.skipped == [("two", "coded only by anna")]
    [trust] = report.themes
    assert (trust.figures.units, trust.figures.agreed) == (100, 80)
    assert trust.figures.percent_agreement == pytest.approx(80.0)
    assert trust.figures.kappa == pytest.approx(0.375)
    assert trust.figures.alpha == pytest.approx(0.378125)
    assert trust.coded == {"anna": 20, "ben": 20}
    assert report.overall == trust.figures
    assert [(d.start, d.end, d.coded_by, d.not_coded_by, d.text) for d in report.disagreements] == [
        (10, 20, ("anna",), ("ben",), ONE[10:20]),
        (30, 40, ("ben",), ("anna",), ONE[30:40]),
    ]
    first, second = report.disagreements
    assert (first.turn, first.speaker) == (None, None)  # 10..20 starts in the label "Interviewer:"
    assert (second.turn, second.speaker) == (0, "Interviewer")
    assert report.applied(first) == {"anna": ["Trust"], "ben": []}
    assert report.applied(report.disagreements[1]) == {"anna": [], "ben": ["Trust"]}


def test_char_agreement_worked_example_all_themes(merged):
    # Technology: identical codings: kappa = alpha = 1. Doubt: ben only, 10 of 100:
    # p_o = 0.9 = p_e, kappa 0; alpha = 1 - 199 * 10 / (190 * 10) = -0.047368...
    # Overall pools 300 (theme, character) units: both 20, anna only 10, ben only 20, neither 250.
    # p_o = 0.9; p_e = 0.1 * (40/300) + 0.9 * (260/300) = 0.79333...; kappa = 0.10667 / 0.20667.
    # alpha: n = 600, o_01 = 30, n_1 = 70, n_0 = 530: 1 - 599 * 30 / (530 * 70).
    with Study.open(merged) as study:
        report = agreement(study, ["anna", "ben"])
    figures = {t.theme: t.figures for t in report.themes}
    assert list(figures) == ["Trust", "Technology", "Doubt"]
    assert (figures["Technology"].kappa, figures["Technology"].alpha) == (pytest.approx(1.0), pytest.approx(1.0))
    assert figures["Doubt"].percent_agreement == pytest.approx(90.0)
    assert figures["Doubt"].kappa == pytest.approx(0.0)
    assert figures["Doubt"].alpha == pytest.approx(1 - 199 * 10 / (190 * 10))
    overall = report.overall
    assert (overall.units, overall.agreed) == (300, 270)
    assert overall.kappa == pytest.approx(
        (0.9 - (0.1 * 40 / 300 + 0.9 * 260 / 300)) / (1 - (0.1 * 40 / 300 + 0.9 * 260 / 300))
    )
    assert overall.alpha == pytest.approx(1 - 599 * 30 / (530 * 70))
    assert len(report.disagreements) == 3
    assert [t.disagreements for t in report.themes] == [2, 0, 1]


def test_agreement_json_shape(merged):
    with Study.open(merged) as study:
        data = agreement(study, ["anna", "ben"]).to_json()
    assert set(data) == {"coders", "unit", "theme", "transcripts", "skipped", "overall", "themes", "disagreements"}
    assert set(data["overall"]) == {"units", "agreed", "percent_agreement", "kappa", "alpha"}
    assert set(data["themes"][0]) == {
        "theme",
        "units",
        "agreed",
        "percent_agreement",
        "kappa",
        "alpha",
        "coded",
        "disagreements",
    }
    assert data["disagreements"][0] == {
        "theme": "Trust",
        "transcript": "one",
        "start": 10,
        "end": 20,
        "turn": None,
        "speaker": None,
        "coded_by": ["anna"],
        "not_coded_by": ["ben"],
        "themes": {"anna": ["Trust"], "ben": []},
        "text": ONE[10:20],
    }
    assert data["skipped"] == [{"transcript": "two", "reason": "coded only by anna"}]
    json.dumps(data)


def test_agreement_checks_its_coders(merged):
    with Study.open(merged) as study:
        with pytest.raises(WorkbenchError, match="two different coders"):
            agreement(study, ["anna", "anna"])
        with pytest.raises(WorkbenchError, match="no codings by 'zoe'"):
            agreement(study, ["anna", "zoe"])
        with pytest.raises(WorkbenchError, match="unit must be"):
            agreement(study, ["anna", "ben"], unit="word")


# -- agreement by turn, and more than two coders ------------------------------------------------------


@pytest.fixture
def turns_study(tmp_path: Path) -> Path:
    """ "two" (4 turns): Trust: anna in turns 1 and 3, ben in turn 1; Technology: ben in turn 3.
    "three": anna and cy; ben never coded it (missing values for ben)."""
    path = tmp_path / "turns.db"
    three = "Interviewer: Next?\nCy: The servers.\nInterviewer: Old?\nCy: Very old indeed.\n"
    with Study.create(path, coder="anna") as study:
        study.import_files([write(tmp_path, "two.txt", TWO), write(tmp_path, "three.txt", three)])
        study.add_theme("Trust")
        study.add_theme("Technology")
        for transcript, theme, passage, coder in [
            ("two", "Trust", "a lot of goodwill", "anna"),
            ("two", "Trust", "what goodwill carried", "anna"),
            ("two", "Trust", "With a shared server room", "ben"),
            ("two", "Technology", "Now the agreement", "ben"),
            ("three", "Technology", "The servers.", "anna"),
            ("three", "Technology", "Very old", "cy"),
            ("three", "Trust", "Very old indeed.", "cy"),
        ]:
            study.code(transcript, theme, *study.find_passage(transcript, passage), coder=coder)
    return path


def test_turn_agreement_worked_example(turns_study):
    # Trust over the 4 turns of "two": turn 1 both, turn 3 anna only, turns 0 and 2 neither.
    # p_o = 0.75; p_e = 0.5 * 0.25 + 0.5 * 0.75 = 0.5; kappa = 0.5.
    # alpha: n = 8, o_11 = 2, o_01 = 1, n_1 = 3, n_0 = 5: 1 - 7 * 1 / (5 * 3) = 8/15.
    # Technology: turn 3 ben only: p_o = 0.75 = p_e, kappa 0; alpha = 1 - 7 * 1 / (7 * 1) = 0.
    with Study.open(turns_study) as study:
        report = agreement(study, ["anna", "ben"], unit="turn")
        turn3 = study.turns("two")[3]
    assert report.transcripts == ["two"]
    assert report.skipped == [("three", "coded only by anna")]
    trust, technology = report.themes
    assert (trust.figures.units, trust.figures.agreed) == (4, 3)
    assert trust.figures.kappa == pytest.approx(0.5)
    assert trust.figures.alpha == pytest.approx(8 / 15)
    assert trust.coded == {"anna": 2, "ben": 1}
    assert technology.figures.kappa == pytest.approx(0.0)
    assert technology.figures.alpha == pytest.approx(0.0)
    assert [(d.theme, d.turn, d.start, d.end, d.coded_by) for d in report.disagreements] == [
        ("Technology", 3, turn3.start, turn3.end, ("ben",)),
        ("Trust", 3, turn3.start, turn3.end, ("anna",)),
    ]
    assert report.disagreements[0].text == TWO[turn3.start : turn3.end]
    assert report.applied(report.disagreements[0]) == {"anna": ["Trust"], "ben": ["Technology"]}


def test_three_coders_with_missing_values_match_the_krippendorff_package(turns_study):
    coders = ["anna", "ben", "cy"]
    with Study.open(turns_study) as study:
        report = agreement(study, coders, unit="turn")
        codings = [c for name in ("three", "two") for c in study.codings(name)]
        turns = {name: study.turns(name) for name in ("three", "two")}
    assert report.transcripts == ["three", "two"]
    assert report.overall.kappa is None  # kappa is for two coders
    pooled = []
    for theme in report.themes:
        data = []  # coders x units, built here straight from the codings
        for name in ("three", "two"):
            present = {c.coder for c in codings if c.transcript == name}
            for turn in turns[name]:
                data.append(
                    [
                        (
                            1.0
                            if any(
                                c.coder == coder
                                and c.theme_path == theme.theme
                                and c.transcript == name
                                and c.start < turn.end
                                and c.end > turn.start
                                for c in codings
                            )
                            else 0.0
                        )
                        if coder in present
                        else np.nan
                        for coder in coders
                    ]
                )
        pooled.extend(data)
        expected = krippendorff.alpha(reliability_data=np.array(data).T, level_of_measurement="nominal")
        assert theme.figures.alpha == pytest.approx(expected)
    expected = krippendorff.alpha(reliability_data=np.array(pooled).T, level_of_measurement="nominal")
    assert report.overall.alpha == pytest.approx(expected)
    cy = next(d for d in report.disagreements if d.transcript == "three" and d.theme == "Trust")
    assert (cy.coded_by, cy.not_coded_by) == (("cy",), ("anna",))  # ben coded nothing in "three"


def test_coders_who_never_coded_the_same_transcript(tmp_path):
    with Study.create(tmp_path / "s.db", coder="anna") as study:
        study.import_files([write(tmp_path, "one.txt", ONE), write(tmp_path, "two.txt", TWO)])
        study.add_theme("Trust")
        study.code("one", "Trust", 10, 30)
        study.code("two", "Trust", 10, 30, coder="ben")
        report = agreement(study, ["anna", "ben"])
    assert report.transcripts == [] and report.themes == [] and report.disagreements == []
    assert report.overall.percent_agreement is None and report.overall.alpha is None


# -- the command line -----------------------------------------------------------------------------------


def test_cli_merge_and_agreement(files):
    anna_path, ben_path = files
    runner = CliRunner()
    result = runner.invoke(main, ["merge", str(anna_path), str(ben_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["codings_added"] == 3
    result = runner.invoke(main, ["merge", str(anna_path), str(ben_path)])
    assert result.exit_code == 0 and "added 0 coding(s); 3 already in the study" in result.output
    result = runner.invoke(main, ["agreement", str(anna_path), "--coders", "anna,ben", "--theme", "Trust", "--json"])
    data = json.loads(result.output)
    assert data["overall"]["kappa"] == pytest.approx(0.375)
    result = runner.invoke(main, ["agreement", str(anna_path), "--coders", "anna, ben", "--limit", "1"])
    assert result.exit_code == 0
    assert "overall" in result.output and "0.375" in result.output and "2 more disagreement" in result.output
    result = runner.invoke(main, ["agreement", str(anna_path), "--coders", "anna,ben", "--unit", "turn", "--json"])
    assert json.loads(result.output)["unit"] == "turn"


def test_cli_agreement_errors_are_one_line(files):
    anna_path, _ben = files
    for args, message in [
        (["--coders", "anna"], "error: --coders needs at least two names, e.g. --coders anna,ben"),
        (["--coders", "anna,zoe"], "error: no codings by 'zoe' in anna.db (coders: anna)"),
    ]:
        result = CliRunner().invoke(main, ["agreement", str(anna_path), *args])
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [message]
