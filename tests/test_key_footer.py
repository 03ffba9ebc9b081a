"""The footer of key hints is rebuilt when the keys it shows change, and only then: closing a
dialog or moving the focus back to a pane whose keys are already shown keeps its widgets."""

from __future__ import annotations

from pathlib import Path

from conftest import run_workbench, screen_text, wait_for
from textual.widgets._footer import FooterKey

from workbench.tui.screens.dialogs import ChoiceDialog
from workbench.tui.widgets.key_footer import KeyFooter


def footer_keys(app) -> list[FooterKey]:
    return list(app.screen.query_one(KeyFooter).query(FooterKey))


def test_the_footer_is_rebuilt_only_when_its_keys_change(study_path: Path):
    async def scenario(app, pilot):
        coding = app.screen
        await wait_for(pilot, lambda: footer_keys(app), "the footer's keys")
        before = footer_keys(app)
        labels = [key.description for key in before]
        await pilot.press("o")  # the transcript list, a dialog over the screen
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the transcript list")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is coding, "the coding screen again")
        await pilot.pause()
        kept = footer_keys(app)
        await pilot.press("f4")  # the quote board: other keys
        await wait_for(pilot, lambda: [k.description for k in footer_keys(app)] != labels, "the board's keys")
        on_board = screen_text(app).rstrip("\n").splitlines()[-1]
        return before, kept, labels, on_board

    before, kept, labels, on_board = run_workbench(study_path, scenario)
    assert labels, "the footer shows no keys"
    assert [id(k) for k in kept] == [id(k) for k in before], "the footer was rebuilt with the same keys"
    assert "Select" in on_board, on_board
