"""The F5 matrix fits its columns to their counts; F6 says when a comparison means nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import copy_study, screen_text
from test_analysis_screens import run, static_text
from textual.widgets import DataTable

from workbench.study import Study
from workbench.tui.screens.disagreements import DisagreementsScreen
from workbench.tui.screens.matrix import FrameworkMatrixScreen, short_labels


@pytest.mark.parametrize(
    "labels, expected, prefix",
    [
        (["informant_1", "informant_2", "informant_10"], ["1", "2", "10"], "informant_"),
        (["Informant 7", "Informant 12"], ["7", "12"], "Informant "),
        (["case1", "case2"], ["1", "2"], "case"),
        (["smaller", "larger"], ["smaller", "larger"], ""),
        (["strategic", "stra"], ["strategic", "stra"], ""),  # a name would be left empty
        (["abc_x"], ["abc_x"], ""),
        (["ab1", "ab2"], ["ab1", "ab2"], ""),  # too short a prefix to be worth it
    ],
)
def test_short_labels(labels, expected, prefix):
    assert short_labels(labels) == (expected, prefix)


def test_every_informant_column_fits_at_120_columns(demo_template: Path, tmp_path: Path):
    study_path = copy_study(demo_template, tmp_path / "s.db")

    async def scenario(app, pilot, screen, study):
        table = screen.query_one(DataTable)
        widths = [column.get_render_width(table) for column in table.columns.values()]
        print(f"\nmatrix columns at 120: {widths}, table {table.virtual_size.width} of {table.size.width}")
        assert table.virtual_size.width <= table.size.width  # no informant pushed off-screen
        assert max(widths[:-1]) <= 6
        assert "informant_… left out" in static_text(screen, "#matrix-title")
        text = screen_text(app)
        for number in range(1, 9):
            assert f" {number} " in text

    run(study_path, FrameworkMatrixScreen, scenario)


def test_comparing_with_the_demo_coder_says_what_it_means(demo_template: Path, tmp_path: Path):
    study_path = copy_study(demo_template, tmp_path / "s.db")
    with Study.open(study_path, coder="me") as study:
        quote = study.quotes()[0]
        study.code(quote.transcript, quote.theme, quote.start, quote.end)

    async def scenario(app, pilot, screen, study):
        await _measured(pilot, screen)
        summary = static_text(screen, "#disagreement-summary")
        assert "'demo' is the coder of the sample study's own codings" in summary
        assert "workbench merge STUDY OTHER.db" in summary

    run(study_path, lambda s: DisagreementsScreen(s, ("demo", "me"), "char"), scenario)

    async def between_people(app, pilot, screen, study):
        await _measured(pilot, screen)
        assert "sample study" not in static_text(screen, "#disagreement-summary")

    with Study.open(study_path) as study:  # the same comparison between two people: no note
        study._db.execute("UPDATE codings SET coder = 'ann' WHERE coder = 'demo'")
        study._db.conn.commit()
    run(study_path, lambda s: DisagreementsScreen(s, ("ann", "me"), "char"), between_people)


async def _measured(pilot, screen):
    from conftest import wait_for

    await wait_for(pilot, lambda: screen.report is not None, "the agreement report")
