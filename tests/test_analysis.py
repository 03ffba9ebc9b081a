"""Framework matrices, co-occurrence and coverage on a small hand-built study with known answers,
and consistency checks on the demo study."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.study import Study, analysis

A = """Interviewer: How do you work together?
Anna: We trust them. The servers are old.
Interviewer: Anything else?
Anna: Nothing more.
"""
B = """Interviewer: And you?
Bo: I trust the agreement.
Interviewer: Thanks.
Bo: Welcome.
"""
C = """Interviewer: Hello.
Cy: Hi.
Interviewer: Bye.
Cy: Bye now.
"""
CASES = """a: {size: smaller, cluster: A}
b: {cluster: B}
c: {size: larger, cluster: B}
"""


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """Three transcripts (c never coded), themes Trust, Technology, Technology/Legacy.

    Coder x: a: Trust "We trust them.", Technology "We trust them. The servers", Legacy "The
    servers are old."; b: Trust "I trust the agreement.". Coder y: a: Legacy "We trust".
    """
    for name, text in (("a", A), ("b", B), ("c", C)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "cases.yaml").write_text(CASES, encoding="utf-8")
    path = tmp_path / "small.db"
    with Study.create(path, coder="x") as study:
        study.import_files([tmp_path / f"{n}.txt" for n in "abc"], cases_file=tmp_path / "cases.yaml")
        study.add_theme("Trust")
        study.add_theme("Technology")
        study.add_theme("Legacy", parent="Technology")
        for transcript, theme, passage, coder in [
            ("a", "Trust", "We trust them.", "x"),
            ("a", "Technology", "We trust them. The servers", "x"),
            ("a", "Technology/Legacy", "The servers are old.", "x"),
            ("b", "Trust", "I trust the agreement.", "x"),
            ("a", "Technology/Legacy", "We trust", "y"),
        ]:
            study.code(transcript, theme, *study.find_passage(transcript, passage), coder=coder)
    return path


def span(path: Path, transcript: str, passage: str) -> tuple[int, int]:
    with Study.open(path) as study:
        return study.find_passage(transcript, passage)


def cells(matrix: analysis.Matrix, theme: str) -> list[tuple[int, int]]:
    row = next(r for r in matrix.rows if r.theme == theme)
    return [(c.codings, c.informants) for c in row.cells]


# -- matrices -------------------------------------------------------------------------------------


def test_theme_case_matrix(small: Path):
    with Study.open(small) as study:
        m = analysis.theme_case_matrix(study)
    assert m.by == "case"
    assert m.columns == ["a", "b", "c"]
    assert [r.theme for r in m.rows] == ["Trust", "Technology", "Technology/Legacy"]
    assert cells(m, "Trust") == [(1, 1), (1, 1), (0, 0)]
    assert cells(m, "Technology") == [(1, 1), (0, 0), (0, 0)]
    assert cells(m, "Technology/Legacy") == [(2, 1), (0, 0), (0, 0)]  # both coders count
    technology = m.rows[1]
    assert (technology.total.codings, technology.total_with_subthemes.codings) == (1, 3)
    assert technology.total_with_subthemes.informants == 1
    assert [(c.codings, c.informants) for c in m.column_totals] == [(4, 1), (1, 1), (0, 0)]
    assert (m.total.codings, m.total.informants) == (5, 2)


def test_theme_attribute_matrix_with_a_case_lacking_the_attribute(small: Path):
    with Study.open(small) as study:
        m = analysis.theme_attribute_matrix(study, "SIZE")  # keys match without regard to case
    assert m.by == "size"
    assert m.columns == ["larger", "smaller", None]  # b has codings but no size
    assert cells(m, "Trust") == [(0, 0), (1, 1), (1, 1)]
    assert cells(m, "Technology/Legacy") == [(0, 0), (2, 1), (0, 0)]
    data = m.to_json()
    assert data["columns"] == ["larger", "smaller", None]
    assert data["rows"][0] == {
        "theme": "Trust",
        "depth": 0,
        "cells": [{"codings": 0, "informants": 0}, {"codings": 1, "informants": 1}, {"codings": 1, "informants": 1}],
        "total": {"codings": 2, "informants": 2},
        "total_with_subthemes": {"codings": 2, "informants": 2},
    }


def test_attribute_matrix_by_cluster_and_theme_filter(small: Path):
    with Study.open(small) as study:
        m = analysis.theme_attribute_matrix(study, "cluster", theme="Technology")
        assert analysis.theme_attribute_matrix(study, "case").columns == ["a", "b", "c"]
        with pytest.raises(WorkbenchError, match="no case has an attribute 'colour'"):
            analysis.theme_attribute_matrix(study, "colour")
    assert m.columns == ["A", "B"]
    assert [r.theme for r in m.rows] == ["Technology", "Technology/Legacy"]
    assert cells(m, "Technology/Legacy") == [(2, 1), (0, 0)]
    assert m.total.codings == 3


def test_cell_quotes(small: Path):
    with Study.open(small) as study:
        m = analysis.theme_attribute_matrix(study, "size")
        trust_smaller = analysis.cell_quotes(study, m, 0, 1)
        trust_no_size = analysis.cell_quotes(study, m, 0, 2)
        technology_all = analysis.cell_quotes(study, m, 1, None)
        by_case = analysis.theme_case_matrix(study)
        legacy_a = analysis.cell_quotes(study, by_case, 2, 0)
    assert [q.text for q in trust_smaller] == ["We trust them."]
    assert [q.text for q in trust_no_size] == ["I trust the agreement."]
    assert [q.text for q in technology_all] == ["We trust them. The servers"]  # own codings, not sub-themes'
    assert sorted(q.coder for q in legacy_a) == ["x", "y"]


# -- co-occurrence --------------------------------------------------------------------------------


def test_cooccurrence_by_span(small: Path):
    with Study.open(small) as study:
        found = analysis.cooccurrence(study, "span")
        ids = {(c.theme_path, c.coder): c.id for c in study.codings("a")}
    trust = span(small, "a", "We trust them.")
    old = span(small, "a", "The servers are old.")
    technology = span(small, "a", "We trust them. The servers")
    pairs = {(p.theme_a, p.theme_b): p for p in found.pairs}
    # y's Legacy overlaps x's Trust, but codings of different coders are not paired.
    assert set(pairs) == {("Trust", "Technology"), ("Technology", "Technology/Legacy")}
    first = pairs[("Trust", "Technology")]
    assert (first.count, first.informants) == (1, 1)
    assert first.places == [
        analysis.Place("a", trust[0], trust[1], None, (ids[("Trust", "x")], ids[("Technology", "x")]))
    ]
    second = pairs[("Technology", "Technology/Legacy")]
    assert (second.places[0].start, second.places[0].end) == (old[0], technology[1])
    assert found.to_json()["pairs"][0]["places"][0]["turn"] is None


def test_cooccurrence_by_turn(small: Path):
    with Study.open(small) as study:
        found = analysis.cooccurrence(study, "turn")
        turn = study.turns("a")[1]
        ids = {(c.theme_path, c.coder): c.id for c in study.codings("a")}
    pairs = {(p.theme_a, p.theme_b): p for p in found.pairs}
    assert set(pairs) == {("Trust", "Technology"), ("Trust", "Technology/Legacy"), ("Technology", "Technology/Legacy")}
    place = pairs[("Trust", "Technology/Legacy")].places[0]
    assert (place.transcript, place.turn, place.start, place.end) == ("a", 1, turn.start, turn.end)
    # The codings of the two themes in that turn (y's Legacy too: it is in the turn).
    assert place.codings == (ids[("Trust", "x")], ids[("Technology/Legacy", "x")], ids[("Technology/Legacy", "y")])
    with pytest.raises(WorkbenchError):
        analysis.cooccurrence(study, "page")


def test_cooccurrence_with_no_pairs(tmp_path: Path):
    (tmp_path / "solo.txt").write_text("Interviewer: Hi.\nAnna: Hello there.\n", encoding="utf-8")
    with Study.create(tmp_path / "s.db", coder="x") as study:
        study.import_files([tmp_path / "solo.txt"])
        study.add_theme("Greeting")
        study.code("solo", "Greeting", *study.find_passage("solo", "Hello there."))
        assert analysis.cooccurrence(study).pairs == []
        assert analysis.cooccurrence(study, "turn").to_json() == {"unit": "turn", "pairs": []}


# -- coverage -------------------------------------------------------------------------------------


def test_coverage(small: Path):
    with Study.open(small) as study:
        found = analysis.coverage(study)
        turns_a = study.turns("a")
    assert found.themes == [("Trust", ["a", "b"]), ("Technology", ["a"]), ("Technology/Legacy", ["a"])]
    assert found.cases == [("a", ["Trust", "Technology", "Technology/Legacy"]), ("b", ["Trust"]), ("c", [])]
    assert found.never_coded == ["c"]
    a, b, c = found.transcripts
    assert (a.transcript, a.case, a.codings, a.chars) == ("a", "a", 4, len(A))
    assert a.coded_chars == len("We trust them. The servers are old.")
    assert [t.seq for t in a.uncoded_turns] == [0, 2, 3]
    assert a.uncoded_turns[1] == analysis.UncodedTurn(2, "Interviewer", turns_a[2].start, turns_a[2].end)
    assert b.coded_chars == len("I trust the agreement.") and [t.seq for t in b.uncoded_turns] == [0, 2, 3]
    assert (c.coded_chars, c.coverage, len(c.uncoded_turns), c.turns) == (0, 0.0, 4, 4)
    data = found.to_json()
    assert data["never_coded"] == ["c"]
    assert data["coded_chars"] == a.coded_chars + b.coded_chars
    assert data["coverage"] == pytest.approx(data["coded_chars"] / (len(A) + len(B) + len(C)))
    assert data["transcripts"][0]["uncoded_turns"][0] == {
        "turn": 0,
        "speaker": "Interviewer",
        "start": turns_a[0].start,
        "end": turns_a[0].end,
    }


def test_merge_intervals():
    assert analysis.merge_intervals([(5, 9), (0, 3), (3, 4), (8, 12), (20, 21)]) == [(0, 4), (5, 12), (20, 21)]
    assert analysis.merge_intervals([]) == []


# -- the demo study ---------------------------------------------------------------------------------


def test_demo_matrices_agree_with_stats_and_quotes(study_path: Path):
    with Study.open(study_path) as study:
        by_case = analysis.theme_case_matrix(study)
        by_size = analysis.theme_attribute_matrix(study, "size")
        rows, _values = study.stats("size")
        quotes = study.quotes()
    assert by_case.total.codings == by_size.total.codings == len(quotes)
    assert by_case.total.informants == 8
    assert by_size.columns == ["larger", "smaller"]
    stats = {r.theme.path: r for r in rows}
    for row in by_size.rows:
        count = stats[row.theme]
        assert (row.total.codings, row.total.informants) == (count.codings, count.informants)
        assert (row.total_with_subthemes.codings, row.total_with_subthemes.informants) == (
            count.codings_total,
            count.informants_total,
        )
        assert sum(c.codings for c in row.cells) == row.total.codings
    for row in by_case.rows:
        for case, cell in zip(by_case.columns, row.cells):
            assert cell.codings == sum(1 for q in quotes if q.theme == row.theme and q.case == case)


def test_demo_coverage_and_cooccurrence(study_path: Path):
    with Study.open(study_path) as study:
        found = analysis.coverage(study)
        matrix = analysis.theme_case_matrix(study)
        pairs = analysis.cooccurrence(study, "turn").pairs
        quotes = study.quotes()
    assert found.never_coded == []
    assert all(0 < t.coverage < 1 for t in found.transcripts)
    assert sum(t.codings for t in found.transcripts) == len(quotes)
    informants = dict(found.themes)
    for row in matrix.rows:
        if row.theme.count("/"):  # sub-themes: informants with own codings are those of the row
            assert informants[row.theme] == [c for c, cell in zip(matrix.columns, row.cells) if cell.codings]
    for pair in pairs:
        for place in pair.places:
            themes = {q.theme for q in quotes if q.id in place.codings}
            assert themes == {pair.theme_a, pair.theme_b}


# -- the command line -------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def test_cli_matrix_json_and_table(small: Path):
    code, out = run("matrix", str(small), "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"by", "columns", "rows", "column_totals", "total"}
    assert data["columns"] == ["a", "b", "c"]
    code, out = run("matrix", str(small), "--by", "size", "--json")
    assert json.loads(out)["columns"] == ["larger", "smaller", None]
    code, out = run("matrix", str(small), "--by", "size")
    assert code == 0 and "Legacy" in out and "(no value)" in out and "2 / 1" in out
    code, out = run("matrix", str(small), "--theme", "Technology", "--json")
    assert [r["theme"] for r in json.loads(out)["rows"]] == ["Technology", "Technology/Legacy"]


def test_cli_cooccurrence_prints_aligned_columns(small: Path):
    code, out = run("cooccurrence", str(small), "--unit", "turn")
    title, header, rule, *rows = out.splitlines()
    assert code == 0 and title == "small.db: co-occurrence by turn"
    assert header.split() == ["theme", "theme", "turns", "informants", "first", "place"]
    pairs = json.loads(run("cooccurrence", str(small), "--unit", "turn", "--json")[1])["pairs"]
    assert len(rows) == len(pairs) == 3
    # every column starts where its rule starts; counts end where their rule ends
    starts = [i for i in range(len(rule)) if rule[i] == "-" and (i == 0 or rule[i - 1] == " ")]
    ends = [i for i in range(len(rule)) if rule[i] == "-" and (i + 1 == len(rule) or rule[i + 1] == " ")]
    for line, pair in zip(rows, pairs):
        first = pair["places"][0]
        cells = [
            *pair["themes"],
            str(pair["count"]),
            str(pair["informants"]),
            f"{first['transcript']} {first['start']}..{first['end']} (turn {first['turn']})",
        ]
        assert [line[starts[i] : ends[i] + 1].strip() for i in range(4)] + [line[starts[4] :]] == cells
        assert line[ends[2]] != " " and line[ends[3]] != " "  # counts aligned right
    assert header[starts[0] :].startswith("theme") and header[ends[2] - 4 : ends[2] + 1] == "turns"


def test_cli_matrix_errors_are_one_line(small: Path):
    result = CliRunner().invoke(main, ["matrix", str(small), "--by", "colour"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["error: no case has an attribute 'colour' (known: cluster, size)"]


def test_cli_cooccurrence_and_coverage(small: Path):
    code, out = run("cooccurrence", str(small), "--unit", "turn", "--json")
    data = json.loads(out)
    assert code == 0 and data["unit"] == "turn" and len(data["pairs"]) == 3
    assert set(data["pairs"][0]) == {"themes", "count", "informants", "places"}
    assert set(data["pairs"][0]["places"][0]) == {"transcript", "start", "end", "turn", "codings"}
    code, out = run("cooccurrence", str(small))
    assert code == 0 and "Technology/Legacy" in out
    code, out = run("coverage", str(small), "--json")
    data = json.loads(out)
    assert set(data) == {"themes", "cases", "transcripts", "never_coded", "chars", "coded_chars", "coverage"}
    assert data["never_coded"] == ["c"]
    code, out = run("coverage", str(small))
    assert code == 0 and "never coded: c" in out
