"""Attribute values in one natural order everywhere they are listed: "cluster 2" before "cluster 10",
without regard to case, in `stats --by`, `matrix --by` and the chapter's comparison tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.domain.sorting import natural_key
from workbench.resources import codebooks_dir, sample_data_dir

# Cluster values whose plain (case-folded) order is 10, 2, 9; the natural order is 2, 9, 10.
CASES = """informant_1: {cluster: cluster 10}
informant_2: {cluster: cluster 2}
informant_3: {cluster: Cluster 9}
"""
NATURAL = ["cluster 2", "Cluster 9", "cluster 10"]
THEME = "Identity/Customer-supplier identity"
PASSAGES = {
    "informant_1": "They buy services. They are customers.",
    "informant_2": "Like you're a supplier who has failed, not a colleague who made a mistake.",
    "informant_3": "But a customer doesn't build anything.",
}


def run(*args) -> str:
    # A wide terminal, so that no table header is wrapped over two lines.
    result = CliRunner().invoke(main, [str(a) for a in args], env={"COLUMNS": "250"}, catch_exceptions=False)
    assert result.exit_code == 0, result.output + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    """Three sample transcripts in clusters "cluster 10", "cluster 2" and "Cluster 9", each with
    one selected quote under the same theme."""
    folder = tmp_path_factory.mktemp("natural")
    (folder / "cases.yaml").write_text(CASES, encoding="utf-8")
    path = folder / "study.db"
    run("init", path)
    run(
        "import",
        path,
        *(sample_data_dir() / "transcripts" / f"{name}.txt" for name in PASSAGES),
        "--cases",
        folder / "cases.yaml",
    )
    run("codebook", "load", path, codebooks_dir() / "it-collaboration.yaml")
    for name, passage in PASSAGES.items():
        run("code", path, name, THEME, "--text", passage, "--select")
    return path


def positions(text: str, values: list[str]) -> list[int]:
    found = [text.find(value) for value in values]
    assert -1 not in found, (values, text)
    return found


def test_the_key_orders_numbers_by_value_and_ignores_case():
    assert sorted(["cluster 10", "Cluster 9", "cluster 2"], key=natural_key) == NATURAL
    assert sorted(["informant_10", "Informant_9", "10", "2", None, "b", "A"], key=natural_key) == [
        "2",
        "10",
        "A",
        "b",
        "Informant_9",
        "informant_10",
        None,
    ]
    # a run of digits too long for int() still sorts, by value
    assert sorted(["x" + "9" * 5000, "x10"], key=natural_key) == ["x10", "x" + "9" * 5000]


def test_stats_by_cluster(study: Path):
    assert json.loads(run("stats", study, "--by", "cluster", "--json"))["values"] == NATURAL
    header = next(line for line in run("stats", study, "--by", "cluster").splitlines() if "cluster=" in line)
    found = positions(header, [f"cluster={value}" for value in NATURAL])
    assert found == sorted(found)


def test_matrix_by_cluster(study: Path):
    assert json.loads(run("matrix", study, "--by", "cluster", "--json"))["columns"] == NATURAL
    header = next(line for line in run("matrix", study, "--by", "cluster").splitlines() if "cluster 10" in line)
    found = positions(header, NATURAL)
    assert found == sorted(found)


def test_the_chapters_comparison_tables(study: Path):
    chapter = run("export", "chapter", study, "-o", "-", "--compare", "cluster")
    # the overview table: a pair of columns per value, in natural order
    header = next(line for line in chapter.splitlines() if line.startswith("| Theme |"))
    values = [cell.strip().removesuffix(": informants") for cell in header.strip("|").split("|")[1::2]]
    assert [v.casefold() for v in values] == [v.casefold() for v in NATURAL], header
