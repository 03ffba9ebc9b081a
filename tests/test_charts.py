"""Charts: the saturation curve against a hand-worked example, the figures' numbers against
`matrix --json`, byte-identical figures, and the terminal charts without colour."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.domain.charts.shades import level, level_ranges
from workbench.study import Study
from workbench.study.charts import interview_date_key, saturation_curve

SVG = "{http://www.w3.org/2000/svg}"
WORDS = "alpha beta gamma delta epsilon zeta"


@pytest.fixture
def interviews(tmp_path: Path) -> Path:
    """Six transcripts imported as p1..p6; interviewed in the order p3, p6, p1, p5, p2, p4 (p4 has
    no date). Themes A (A/a1, A/a2), B (B/b1), C. p6 is never coded.

    Codings: p1: A/a1, A/a2 · p2: A · p3: A/a1, B · p4: B/b1 · p5: C, B/b1.
    """
    for n in range(1, 7):
        (tmp_path / f"p{n}.txt").write_text(f"Interviewer: Hello?\nP{n}: {WORDS}.\n", encoding="utf-8")
    (tmp_path / "cases.yaml").write_text(
        "p1: {interviewed: 2025-01-05}\np2: {interviewed: 2025-02-01}\np3: {interviewed: 2025-01-01}\n"
        "p4: {site: north}\np5: {interviewed: 2025-01-09}\np6: {interviewed: 2025-01-02}\n",
        encoding="utf-8",
    )
    path = tmp_path / "interviews.db"
    with Study.create(path, coder="x") as study:
        study.import_files([tmp_path / f"p{n}.txt" for n in range(1, 7)], cases_file=tmp_path / "cases.yaml")
        for theme, parent in [("A", None), ("a1", "A"), ("a2", "A"), ("B", None), ("b1", "B"), ("C", None)]:
            study.add_theme(theme, parent=parent)
        for transcript, theme, word in [
            ("p1", "A/a1", "alpha"),
            ("p1", "A/a2", "beta"),
            ("p2", "A", "gamma"),
            ("p3", "A/a1", "alpha"),
            ("p3", "B", "delta"),
            ("p4", "B/b1", "beta"),
            ("p5", "C", "epsilon"),
            ("p5", "B/b1", "zeta"),
        ]:
            study.code(transcript, theme, *study.find_passage(transcript, word))
    return path


def counts(curve) -> list[tuple[str, int, int, int, int]]:
    return [
        (s.transcript, len(s.new_themes), len(s.new_subthemes), s.cumulative_themes, s.cumulative_subthemes)
        for s in curve.steps
    ]


def test_saturation_in_interview_order_matches_the_hand_worked_example(interviews: Path):
    # By date: p3 brings A (through a1), B and a1; p6 has no codings (left out); p1 brings a2;
    # p5 brings C and b1; p2 (A) nothing new; p4 (no date, so last) b1, already seen: nothing.
    with Study.open(interviews) as study:
        assert interview_date_key(study) == "interviewed"
        curve = saturation_curve(study)
        by_threshold = {n: saturation_curve(study, "interviewed", n).point for n in (1, 2, 3, 4)}
    assert curve.order == "interviewed"
    assert counts(curve) == [
        ("p3", 2, 1, 2, 1),
        ("p1", 0, 1, 2, 2),
        ("p5", 1, 1, 3, 3),
        ("p2", 0, 0, 3, 3),
        ("p4", 0, 0, 3, 3),
    ]
    assert curve.steps[0].new_themes == ("A", "B") and curve.steps[0].new_subthemes == ("A/a1",)
    assert curve.left_out == ("p6",)
    assert [s.order_value for s in curve.steps] == ["2025-01-01", "2025-01-05", "2025-01-09", "2025-02-01", None]
    # The last transcript with at least N new: 3 (p5) for N = 1 and 2; 1 (p3, 3 new) for N = 3; none for 4.
    assert by_threshold == {1: 3, 2: 3, 3: 1, 4: 0}
    assert (curve.codebook_themes, curve.codebook_subthemes) == (3, 3)


def test_saturation_in_import_order_is_not_reached_while_the_last_transcript_brings_new_themes(interviews: Path):
    # p1: A, a1, a2 (3) · p2: nothing · p3: B (1) · p4: b1 (1) · p5: C (1): the last one still brings one.
    with Study.open(interviews) as study:
        curve = saturation_curve(study, "import")
        two = saturation_curve(study, "import", 2)
    assert counts(curve) == [
        ("p1", 1, 2, 1, 2),
        ("p2", 0, 0, 1, 2),
        ("p3", 1, 0, 2, 2),
        ("p4", 0, 1, 2, 3),
        ("p5", 1, 0, 3, 3),
    ]
    assert curve.point is None
    assert two.point == 1


def test_saturation_cli_json_and_text(interviews: Path):
    result = CliRunner().invoke(main, ["chart", str(interviews), "saturation", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["point"] == 3 and [t["transcript"] for t in data["transcripts"]] == ["p3", "p1", "p5", "p2", "p4"]
    text = CliRunner().invoke(main, ["chart", str(interviews), "saturation", "--width", "80"]).output
    assert "Saturated after transcript 3 of 5" in text
    assert "left out (no codings yet): p6" in text
    lines = text.splitlines()
    rule = next(i for i, line in enumerate(lines) if "from here on" in line)
    assert " p5 " in lines[rule - 1] and " p2 " in lines[rule + 1]


def test_unknown_order_attribute_is_one_line(interviews: Path):
    result = CliRunner().invoke(main, ["chart", str(interviews), "saturation", "--order", "date"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == ["error: no case has an attribute 'date' (known: interviewed, site)"]


# -- figures -------------------------------------------------------------------------------------


def svg_of(study: Path, tmp_path: Path, *args: str) -> ElementTree.Element:
    figure = tmp_path / "figure.svg"
    result = CliRunner().invoke(main, ["chart", str(study), *args, "--svg", str(figure)])
    assert result.exit_code == 0, result.output
    return ElementTree.fromstring(figure.read_bytes())


@pytest.mark.parametrize("by", ["case", "size", "cluster"])
def test_heat_map_svg_numbers_match_matrix_json(study_path: Path, tmp_path: Path, by: str):
    matrix = json.loads(CliRunner().invoke(main, ["matrix", str(study_path), "--by", by, "--json"]).output)
    root = svg_of(study_path, tmp_path, "matrix", "--by", by)
    expected = [[cell["codings"] for cell in row["cells"]] for row in matrix["rows"]]
    assert sum(map(sum, expected)) > 0
    # The data the figure was drawn from ...
    data = json.loads(root.find(f"{SVG}metadata").text)
    assert data["rows"] == [row["theme"] for row in matrix["rows"]]
    assert data["columns"] == [c if c is not None else "(no value)" for c in matrix["columns"]]
    assert data["values"] == expected
    # ... and what it draws: a cell per row and column, each with its number.
    drawn = [[None] * len(matrix["columns"]) for _ in matrix["rows"]]
    for rect in root.iter(f"{SVG}rect"):
        if "data-row" in rect.attrib:
            drawn[int(rect.get("data-row"))][int(rect.get("data-column"))] = int(rect.get("data-value"))
    assert drawn == expected
    shown = sorted(int(t.text) for t in root.iter(f"{SVG}text") if t.get("class") == "value")
    assert shown == sorted(v for row in expected for v in row if v)


def test_bars_svg_numbers_match_matrix_json(study_path: Path, tmp_path: Path):
    matrix = json.loads(CliRunner().invoke(main, ["matrix", str(study_path), "--by", "size", "--json"]).output)
    root = svg_of(study_path, tmp_path, "bars", "--by", "size")
    bars = {
        (int(r.get("data-row")), int(r.get("data-column"))): int(r.get("data-value"))
        for r in root.iter(f"{SVG}rect")
        if "data-row" in r.attrib
    }
    for i, row in enumerate(matrix["rows"]):
        values = [cell["codings"] for cell in row["cells"]]
        if any(values):
            assert [bars[(i, c)] for c in range(len(values))] == values
        else:
            assert (i, 0) not in bars  # a theme without codings has no bars


def test_share_is_informants_over_the_group(study_path: Path, tmp_path: Path):
    matrix = json.loads(CliRunner().invoke(main, ["matrix", str(study_path), "--by", "size", "--json"]).output)
    with Study.open(study_path) as study:
        sizes = [sum(1 for a in study.cases().values() if a.get("size") == value) for value in matrix["columns"]]
    data = json.loads(
        CliRunner().invoke(main, ["chart", str(study_path), "matrix", "--by", "size", "--share", "--json"]).output
    )
    expected = [[round(100 * c["informants"] / n) for c, n in zip(row["cells"], sizes)] for row in matrix["rows"]]
    assert data["unit"] == "%" and data["values"] == expected


def test_saturation_svg_carries_the_counts(interviews: Path, tmp_path: Path):
    root = svg_of(interviews, tmp_path, "saturation", "--lang", "sv")
    columns = {}
    for rect in root.iter(f"{SVG}rect"):
        if "data-step" in rect.attrib:
            columns.setdefault(int(rect.get("data-step")), {})[rect.get("data-kind")] = int(rect.get("data-value"))
    assert columns == {
        1: {"themes": 2, "subthemes": 1},
        2: {"themes": 0, "subthemes": 1},
        3: {"themes": 1, "subthemes": 1},
        4: {"themes": 0, "subthemes": 0},
        5: {"themes": 0, "subthemes": 0},
    }
    assert "färre än 1 nya efter transkription 3" in root.find(f"{SVG}title").text


@pytest.mark.parametrize(
    "args",
    [["matrix"], ["matrix", "--by", "size", "--share"], ["bars", "--by", "size"], ["cooccurrence"], ["saturation"]],
)
def test_figures_are_byte_identical_for_the_same_study(study_path: Path, tmp_path: Path, args: list[str]):
    other = tmp_path / "other.db"
    other.write_bytes(study_path.read_bytes())
    written = []
    for n, study in enumerate([study_path, other, study_path]):
        figure = tmp_path / f"figure-{n}.svg"
        result = CliRunner().invoke(main, ["chart", str(study), *args, "--svg", str(figure)])
        assert result.exit_code == 0, result.output
        written.append(figure.read_bytes())
    assert written[0] == written[1] == written[2]
    assert b"<svg" in written[0]


def test_png_figure_is_byte_identical(study_path: Path, tmp_path: Path):
    try:
        import cairosvg  # noqa: F401
    except (ImportError, OSError):  # the figures extra, or the Cairo library under it, is missing
        pytest.skip("PNG figures need the figures extra")
    pictures = []
    for n in range(2):
        figure = tmp_path / f"figure-{n}.png"
        result = CliRunner().invoke(main, ["chart", str(study_path), "saturation", "--png", str(figure)])
        assert result.exit_code == 0, result.output
        pictures.append(figure.read_bytes())
    assert pictures[0].startswith(b"\x89PNG") and pictures[0] == pictures[1]


def test_labels_that_xml_cannot_hold_still_give_a_valid_svg(study_path: Path, tmp_path: Path):
    with Study.open(study_path) as study:
        study.set_case_attributes("informant_1", {"size": "big\x1b[31m<&>\x00"})
    root = svg_of(study_path, tmp_path, "matrix", "--by", "size")
    data = json.loads(root.find(f"{SVG}metadata").text)
    assert "big\x1b[31m<&>\x00" in data["columns"]  # the data as stored, escaped in its JSON
    assert "big\ufffd[31m<&>\ufffd" in [t.text for t in root.iter(f"{SVG}text")]  # the label drawn


# -- the terminal --------------------------------------------------------------------------------


def test_terminal_chart_reads_without_colour(study_path: Path):
    result = CliRunner().invoke(
        main, ["chart", str(study_path), "matrix", "--by", "size", "--width", "80"], env={"NO_COLOR": "1"}
    )
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    line = next(line for line in result.output.splitlines() if "Economic effects" in line)
    assert line.split()[2:] == ["██", "4", "░░", "1"]  # larger 4 (the most: full), smaller 1
    assert "codings: · none  ░ 1  ▒ 2  ▓ 3  █ 4" in result.output
    assert all(len(line) <= 80 for line in result.output.splitlines())


def test_bars_need_an_attribute(study_path: Path):
    result = CliRunner().invoke(main, ["chart", str(study_path), "bars"])
    assert result.exit_code == 1
    assert result.output.startswith("error: chart bars needs --by KEY") and result.output.count("\n") == 1


def test_shade_levels_split_the_range_in_four():
    assert [level(v, 8) for v in range(0, 9)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert level(None, 8) == 0 and level(3, 0) == 0
    assert level_ranges(8) == [(1, 1, 2), (2, 3, 4), (3, 5, 6), (4, 7, 8)]
    assert level_ranges(2) == [(2, 1, 1), (4, 2, 2)]
    for top in range(1, 30):  # every whole number up to top is in exactly the range of its level
        for k, low, high in level_ranges(top):
            assert all(level(v, top) == k for v in range(low, high + 1))
    assert re.fullmatch(r"[░▒▓█]+", "".join("░▒▓█"))


def test_charts_of_an_empty_study_say_so(tmp_path: Path):
    path = tmp_path / "empty.db"
    Study.create(path).close()
    for kind in ("matrix", "cooccurrence", "saturation"):
        result = CliRunner().invoke(main, ["chart", str(path), kind, "--svg", str(tmp_path / f"{kind}.svg")])
        assert result.exit_code == 0, result.output
        assert "Nothing to show yet" in result.output or "nothing coded yet" in result.output
        ElementTree.parse(tmp_path / f"{kind}.svg")


def test_a_heat_map_wider_than_the_terminal_is_printed_whole(study_path: Path):
    result = CliRunner().invoke(main, ["chart", str(study_path), "matrix", "--width", "40"])
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[1]
    assert header.split() == list("ABCDEFGH") and len(header) > 40
    line = next(line for line in result.output.splitlines() if line.startswith("Identity "))
    assert line.split()[1:] == ["·", "·", "·", "▒▒", "1", "·", "·", "·", "·"]  # informant_4 (D) only
