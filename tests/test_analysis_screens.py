"""The framework matrix and the disagreements screens, pushed over the coding screen and driven with Pilot."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from conftest import copy_study, open_workbench, screen_text, wait_for
from textual.widgets import DataTable, Static

from workbench.study import Study, analysis
from workbench.study.agreement import agreement
from workbench.tui.screens.disagreements import DisagreementsScreen
from workbench.tui.screens.matrix import FrameworkMatrixScreen


def static_text(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def run(study_path: Path, make_screen, scenario, size=(120, 34)):
    """Open the workbench on the study, push ``make_screen(study)`` over the coding screen, and
    run ``scenario(app, pilot, screen, study)``."""

    async def main():
        async with open_workbench(study_path, size) as (app, pilot):
            screen = make_screen(app.study)
            await app.push_screen(screen)
            await wait_for(pilot, lambda: app.screen is screen, f"the {type(screen).__name__}")
            return await scenario(app, pilot, screen, app.study)

    return asyncio.run(main())


@pytest.fixture(scope="module")
def second_coder_template(demo_template: Path, tmp_path_factory) -> Path:
    """The demo study with a second coder: every third demo coding left out, every fourth shifted."""
    path = copy_study(demo_template, tmp_path_factory.mktemp("screens") / "demo.db")
    with Study.open(path) as study:
        quotes = study.quotes()
        study.code_many(
            (q.transcript, q.theme, q.start + (3 if i % 4 == 0 else 0), q.end, "ben", None)
            for i, q in enumerate(quotes)
            if i % 3
        )
    return path


@pytest.fixture
def study_path(second_coder_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo study with the second coder, for one test."""
    return copy_study(second_coder_template, tmp_path / "study.db")


# -- framework matrix -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(120, 34), (80, 24)])
def test_matrix_shows_themes_by_cases_and_the_quotes_of_a_cell(study_path: Path, size):
    with Study.open(study_path) as study:
        matrix = analysis.theme_case_matrix(study)
    # The first non-empty cell in reading order, and the quotes it should list.
    row, column = next(
        (r, c) for r, line in enumerate(matrix.rows) for c, cell in enumerate(line.cells) if cell.codings
    )
    expected = matrix.rows[row].cells[column].codings

    async def scenario(app, pilot, screen, study):
        table = screen.query_one(DataTable)
        assert table.row_count == len(matrix.rows)
        assert len(table.columns) == len(matrix.columns) + 1  # and a total
        assert table.has_focus
        await pilot.press(*["down"] * row, *["right"] * column, "enter")
        await pilot.pause()
        assert len(screen.shown) == expected
        assert {q.case for q in screen.shown} == {matrix.columns[column]}
        assert {q.theme for q in screen.shown} == {matrix.rows[row].theme}
        text = static_text(screen, "#matrix-quotes")
        assert f"{expected} quote(s)" in text
        assert " ".join(screen.shown[0].text.split())[:30] in " ".join(text.split())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, FrameworkMatrixScreen)

    run(study_path, FrameworkMatrixScreen, scenario, size)


def test_matrix_switches_to_attribute_columns(study_path: Path):
    async def scenario(app, pilot, screen, study):
        choices = screen.by_choices()
        assert choices[0] == "case" and "size" in choices
        await pilot.press("b")
        await pilot.pause()
        assert screen.by == choices[1]
        while screen.by != "size":
            await pilot.press("b")
            await pilot.pause()
        table = screen.query_one(DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["larger", "smaller", "total"]
        assert "themes x size" in static_text(screen, "#matrix-title")
        # The total column of the first sub-theme row lists all its own quotes.
        row = next(i for i, r in enumerate(screen.matrix.rows) if r.total.codings)
        await pilot.press(*["down"] * row, "right", "right", "enter")
        await pilot.pause()
        assert len(screen.shown) == screen.matrix.rows[row].total.codings
        assert "all columns" in static_text(screen, "#matrix-quotes")
        for _ in range(len(choices) - choices.index("size")):
            await pilot.press("b")
        await pilot.pause()
        assert screen.by == "case"  # round again

    run(study_path, FrameworkMatrixScreen, scenario)


# -- disagreements ----------------------------------------------------------------------------------


async def measured(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 34), (80, 24)])
def test_disagreements_step_through_side_by_side(study_path: Path, size):
    with Study.open(study_path) as study:
        report = agreement(study, ["demo", "ben"])
    assert len(report.disagreements) > 3

    async def scenario(app, pilot, screen, study):
        await measured(app, pilot)
        assert screen.report is not None
        assert screen.report.disagreements == report.disagreements
        summary = static_text(screen, "#disagreement-summary")
        assert f"Disagreement 1 of {len(report.disagreements)}" in summary
        assert f"kappa {report.overall.kappa:.3f}" in summary
        first = report.disagreements[0]
        assert first.theme in static_text(screen, "#disagreement-where")
        sides = [static_text(screen, "#passage-0"), static_text(screen, "#passage-1")]
        for coder, side in zip(["demo", "ben"], sides):
            verdict = "coded it as" if coder in first.coded_by else "did not code it as"
            assert side.startswith(f"{verdict} {first.theme}")
            assert " ".join(first.text.split()) in " ".join(side.split())
        await pilot.press("n", "n")
        await pilot.pause()
        assert screen.position == 2
        assert report.disagreements[2].theme in static_text(screen, "#disagreement-where")
        await pilot.press("p")
        await pilot.pause()
        assert screen.position == 1
        await pilot.press("p", "p")  # wraps round to the last
        await pilot.pause()
        assert screen.position == len(report.disagreements) - 1
        assert "demo" in screen_text(app) and "ben" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, DisagreementsScreen)

    run(study_path, lambda s: DisagreementsScreen(s, ("demo", "ben"), "char"), scenario, size)


def test_disagreements_by_turn_and_when_coders_agree(study_path: Path):
    async def by_turn(app, pilot, screen, study):
        await measured(app, pilot)
        current = screen.current
        assert current is not None and current.turn is not None
        assert "turn" in static_text(screen, "#disagreement-where")

    run(study_path, lambda s: DisagreementsScreen(s, ["demo", "ben"], "turn"), by_turn)

    with Study.open(study_path) as study:  # a third coder who coded exactly as demo did
        study.code_many(
            (q.transcript, q.theme, q.start, q.end, "cy", None) for q in study.quotes() if q.coder == "demo"
        )

    async def agreeing(app, pilot, screen, study):
        await measured(app, pilot)
        assert "No disagreements" in static_text(screen, "#disagreement-where")
        assert "kappa 1.000" in static_text(screen, "#disagreement-summary")
        await pilot.press("n")  # nothing to step through, nothing breaks
        await pilot.pause()

    run(study_path, lambda s: DisagreementsScreen(s, ["demo", "cy"], "char"), agreeing)


def test_disagreements_report_an_error_on_the_screen(study_path: Path):
    async def scenario(app, pilot, screen, study):
        await measured(app, pilot)
        assert static_text(screen, "#disagreement-summary").startswith("error: no codings by 'zoe'")

    run(study_path, lambda s: DisagreementsScreen(s, ["demo", "zoe"], "char"), scenario)
