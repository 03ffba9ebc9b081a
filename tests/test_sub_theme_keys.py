"""Sub-themes from the keyboard: `;`, the theme's key, then the sub-theme's number."""

from __future__ import annotations

from pathlib import Path

from conftest import run_workbench, screen_text, wait_for

from workbench.study import Study
from workbench.tui.screens.dialogs import HelpDialog
from workbench.tui.widgets.transcript_view import TranscriptView


def codings_of(study_path: Path, transcript: str) -> list:
    with Study.open(study_path) as study:
        return study.codings(transcript)


def sub_themes_of(study_path: Path, parent: str) -> list[str]:
    with Study.open(study_path) as study:
        parent_id = study.theme(parent).id
        return [t.path for t in study.themes() if t.parent_id == parent_id]


def test_semicolon_key_and_number_code_with_that_sub_theme(study_path: Path):
    """Technology is theme 2; its second sub-theme (in codebook order) gets the coding."""
    second = sub_themes_of(study_path, "Technology")[1]
    before = len(codings_of(study_path, "informant_1"))

    async def scenario(app, pilot):
        await pilot.press("}", "t")
        selection = app.screen.query_one(TranscriptView).selection
        await pilot.press("semicolon", "2")
        listed = screen_text(app)  # the sub-themes are named with their numbers while choosing
        await pilot.press("2")
        await wait_for(pilot, lambda: "coded" in screen_text(app), "the coding's note")
        return selection, listed

    selection, listed = run_workbench(study_path, scenario)
    assert "sub-theme of Technology: 1 " in listed and f"2 {second.split('/')[-1]}" in listed
    codings = codings_of(study_path, "informant_1")
    assert len(codings) == before + 1
    assert [c.theme_path for c in codings if (c.start, c.end) == selection] == [second]


def test_a_wrong_chord_codes_nothing_and_says_why(study_path: Path):
    before = len(codings_of(study_path, "informant_1"))

    async def scenario(app, pilot):
        await pilot.press("}", "t", "semicolon", "2", "9")  # Technology has no ninth sub-theme
        await wait_for(pilot, lambda: "no sub-theme number" in screen_text(app), "the refusal")
        await pilot.press("semicolon", "escape")
        await wait_for(pilot, lambda: "cancelled" in screen_text(app), "the cancel note")
        await pilot.press("2")  # the chord is over: a digit codes the theme itself again
        await wait_for(pilot, lambda: "coded Technology" in screen_text(app), "a plain theme key")

    run_workbench(study_path, scenario)
    assert len(codings_of(study_path, "informant_1")) == before + 1


def test_f1_explains_the_sub_theme_keys(study_path: Path):
    async def scenario(app, pilot):
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpDialog), "the help screen")
        return app.screen.rows  # (key, what it does) rows; the screen shows them scrolled

    rows = run_workbench(study_path, scenario)
    assert any(key == "; KEY 1-9" and "sub-theme" in what for key, what in rows)


def test_at_80_columns_the_status_line_keeps_the_note_in_view(study_path: Path):
    """The study's file name gives way on a narrow terminal: the sub-themes to choose from show."""

    async def scenario(app, pilot):
        app.screen.status.show(study="a-study-file-with-a-rather-long-name-20261202-170122.db")
        await pilot.press("}", "t", "semicolon", "2")
        await pilot.pause()
        return screen_text(app)

    screen = run_workbench(study_path, scenario, size=(80, 24))
    assert "sub-theme of Technology: 1 " in screen
