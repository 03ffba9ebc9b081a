"""The search screen under Pilot: search every transcript, jump to a hit, code it with a theme key,
step through the hits with n / N ("3/17", a notice on wrapping), code all hits, undo."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_workbench, screen_text, wait_for

from workbench.domain.text_search import SearchOptions
from workbench.study import Study
from workbench.study.search import search
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.dialogs import ConfirmDialog, TextDialog, ThemePickerDialog
from workbench.tui.screens.search import SearchScreen, parse_request
from workbench.tui.widgets.transcript_view import TranscriptView


def dump(study_path: Path) -> dict[str, list]:
    tables = ("cases", "case_attributes", "transcripts", "turns", "themes", "codings", "quotes", "memos")
    with Study.open(study_path) as s:
        return {t: s._db.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def test_parse_request_reads_the_command_line_options():
    request = parse_request('förtroende för --word --where size=smaller --speaker "Informant A" --unit sentence')
    assert request.options.pattern == "förtroende för" and request.options.whole_word
    assert request.filters.where == {"size": {"smaller"}} and request.filters.speaker == "Informant A"
    assert request.unit == "sentence"


def test_search_jump_code_one_step_through_code_all_and_undo(study_path: Path):
    with Study.open(study_path) as study:
        expected = search(study, SearchOptions("trust", whole_word=True)).hits
    assert len(expected) > 4 and len({h.transcript for h in expected}) > 2
    notices: list[str] = []

    async def scenario(app, pilot):
        original = app.notify
        app.notify = lambda message, *a, **k: (notices.append(str(message)), original(message, *a, **k))[1]
        coding = app.screen
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen), "the search screen")
        await pilot.press(*"trust --word", "enter")
        screen = app.screen
        await wait_for(pilot, lambda: screen.request is not None and not screen.searching, "the search")
        assert [(h.transcript, h.start, h.end) for h in screen.hits] == [
            (h.transcript, h.start, h.end) for h in expected
        ]
        shown = screen_text(app)
        assert f"{len(expected)} hit(s)" in shown
        first = expected[0].transcript
        assert f"{first} {sum(1 for h in expected if h.transcript == first)}" in shown
        # Enter on the third hit: back in the transcript with the hit selected.
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodingScreen), "the coding screen")
        third = expected[2]
        view = app.screen.query_one(TranscriptView)
        assert coding.transcript_name == third.transcript and view.selection == (third.start, third.end)
        assert f"3/{len(expected)}" in screen_text(app)
        # A theme key codes it.
        key, theme_id = next(iter(coding.palette.effective_keys.items()))
        theme = next(t for t in coding.themes if t.id == theme_id)
        await pilot.press(key)

        def coded() -> bool:  # read through the app's own connection: another would count as another window
            return any(
                c.start == third.start and c.end == third.end and c.theme_path == theme.path
                for c in coding.study.codings(third.transcript)
            )

        await wait_for(pilot, coded, "the hit coded")
        await wait_for(pilot, lambda: f"coded {theme.name}" in screen_text(app), "the coding reported")
        # n / N across transcripts, with the count and a notice on wrapping.
        await pilot.press("n")
        await pilot.pause()
        assert f"4/{len(expected)}" in screen_text(app)
        await pilot.press("N", "N", "N")
        await pilot.pause()
        assert f"1/{len(expected)}" in screen_text(app)
        await pilot.press("N")
        await pilot.pause()
        assert f"{len(expected)}/{len(expected)}" in screen_text(app)
        assert coding.transcript_name == expected[-1].transcript
        assert any("wrapped" in n for n in notices)
        return theme

    theme = run_workbench(study_path, scenario)
    after_one = dump(study_path)

    async def code_all(app, pilot):
        await pilot.press("ctrl+f")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen), "the search screen")
        await pilot.press(*"trust --word", "enter")
        screen = app.screen
        await wait_for(pilot, lambda: screen.request is not None and not screen.searching, "the search")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, ThemePickerDialog), "the theme picker")
        await pilot.press(*theme.path, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        assert f"Code {len(expected)} hit(s)" in screen_text(app)
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, CodingScreen), "the coding screen")
        await wait_for(pilot, lambda: "skipped 1" in screen_text(app), "the report")
        study = app.screen.study
        coded = [c for t in study.transcripts() for c in study.codings(t.name) if c.theme_path == theme.path]
        assert {(c.transcript, c.start, c.end) for c in coded} >= {(h.transcript, h.start, h.end) for h in expected}
        await pilot.press("u")
        await wait_for(pilot, lambda: "undid" in screen_text(app), "the undo")

    run_workbench(study_path, code_all)
    assert dump(study_path) == after_one


def test_slash_in_the_transcript_counts_its_hits(study_path: Path):
    async def scenario(app, pilot):
        coding = app.screen
        text = coding.transcript_view.text
        count = len(re.findall("we", text, re.IGNORECASE))
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog), "the search line")
        await pilot.press(*"we", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CodingScreen), "the coding screen")
        assert f"/{len(coding.search_hits)}" in screen_text(app)
        return count, len(coding.search_hits)

    count, hits = run_workbench(study_path, scenario)
    assert hits == count > 1
