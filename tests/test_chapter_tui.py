"""The analysis around a quote in the terminal workbench: ``i`` on the quote board opens a dialog
with the quote in view, the note after it and its theme's closing memo; ctrl+s saves both."""

from __future__ import annotations

from pathlib import Path

from conftest import run_workbench, screen_text, wait_for

from workbench.study import Study
from workbench.study.chapter import ChapterSettings, export_chapter
from workbench.tui.screens.analysis_dialog import AnalysisDialog
from workbench.tui.widgets.quote_board import QuoteBoard


def test_a_writes_the_note_after_a_quote_and_the_closing_memo(study_path: Path):
    async def scenario(app, pilot):
        board = app.screen.query_one(QuoteBoard)
        await pilot.press("f4")
        await pilot.pause()
        for _ in range(60):
            quote = board.highlighted_quote
            if quote is not None and quote.selected:
                break
            await pilot.press("down")
        target = board.highlighted_quote
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, AnalysisDialog), "the analysis dialog")
        shown = screen_text(app)
        await pilot.press(*"Read as dependence.")
        await pilot.press("tab")
        await pilot.press(*"In sum, distance matters.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await wait_for(pilot, lambda: not isinstance(app.screen, AnalysisDialog), "the dialog to close")
        return target, shown

    target, shown = run_workbench(study_path, scenario)
    assert target.selected
    assert " ".join(target.text.split()[:3]) in " ".join(shown.split())  # the quote is in view
    with Study.open(study_path) as study:
        assert study.quote(target.id).note_after == "Read as dependence."
        assert study.memo("closing", target.theme) == "In sum, distance matters."
        markdown = export_chapter(study, ChapterSettings(), remember=False).markdown
    assert "Read as dependence." in markdown and "In sum, distance matters." in markdown
    assert markdown.index("Read as dependence.") < markdown.index("In sum, distance matters.")
