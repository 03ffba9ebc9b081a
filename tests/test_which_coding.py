"""``x`` and ``R`` on a place with several codings ask which one in the status line, answered
with one number (workbench/tui/screens/coding.py, ``_ask_which_coding``); more than nine, or the
question asked from outside the transcript, still opens the list."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_workbench, screen_text, wait_for
from textual import events

from workbench.study import Study
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.dialogs import ChoiceDialog

TRANSCRIPT = "informant_1"


def overlapping_codings(study_path: Path, themes: list[str]) -> tuple[int, list[int]]:
    """Code the same passage of the first transcript with each of ``themes`` (a theme named
    twice codes it twice, over passages that differ in length) and return a place inside all of
    them and the new codings' ids, in the order the cursor lists them (start, end, id)."""
    with Study.open(study_path, coder="pilot") as study:
        text = study.transcript_text(TRANSCRIPT)
        start = text.index("\n", len(text) // 2) + 1
        spans = []
        for n, theme in enumerate(themes):
            end = start + 30 + 7 * n
            spans.append((start, end, study.code(TRANSCRIPT, theme, start, end).coding.id))
    return start + 5, [ident for _s, _e, ident in sorted(spans)]


def codings_at(study_path: Path, place: int) -> set[int]:
    with Study.open(study_path) as study:
        return {c.id for c in study.codings(TRANSCRIPT) if c.start <= place < c.end}


async def open_at(app, pilot, place: int) -> CodingScreen:
    screen = app.screen
    screen.open_transcript(TRANSCRIPT)
    screen.transcript_view.move_cursor(place)
    screen.action_focus_pane("transcript")
    await pilot.pause()
    return screen


async def asked(app, pilot, place: int, key: str) -> tuple[CodingScreen, tuple]:
    """The coding screen with the cursor at ``place`` after ``key``, and the question asked."""
    screen = await open_at(app, pilot, place)
    await pilot.press(key)
    await pilot.pause()
    return screen, screen.status.choosing


def test_x_numbers_the_codings_in_the_status_line_and_the_number_removes_that_one(study_path: Path):
    place, ids = overlapping_codings(study_path, ["Technology", "Collaboration", "Trust and confidence"])
    before = codings_at(study_path, place)

    async def scenario(app, pilot):
        screen = await open_at(app, pilot, place)
        under = [m.id for m in screen.transcript_view.marks_at(place)]
        await pilot.press("x")
        await pilot.pause()
        asked = screen_text(app).splitlines()[-2]  # the status line, above the footer
        assert app.screen is screen, "no dialog: the question is in the status line"
        await pilot.press("2")
        await wait_for(pilot, lambda: "removed" in screen.status.note, "the removal")
        return under, asked, screen_text(app).splitlines()[-2]

    under, asked, after = run_workbench(study_path, scenario)
    assert set(ids) <= set(under)
    assert "remove which coding?" in asked and all(f" {n} " in asked for n in (1, 2, 3)), asked
    assert "Technology" in asked and "Trust and confidence" in asked
    assert "which coding" not in after
    assert codings_at(study_path, place) == before - {under[1]}


def test_any_other_key_cancels_the_question_and_does_nothing_else(study_path: Path):
    place, _ids = overlapping_codings(study_path, ["Technology", "Collaboration"])
    before = codings_at(study_path, place)

    async def scenario(app, pilot):
        screen = await open_at(app, pilot, place)
        notes = []
        for key in ("escape", "j", "down", "0", "9"):  # "9": no ninth coding here
            await pilot.press("x")
            await pilot.pause()
            cursor = screen.transcript_view.cursor
            await pilot.press(key)
            await pilot.pause()
            assert screen.transcript_view.cursor == cursor, f"{key} moved the cursor while answering"
            notes.append(screen.status.note)
        await pilot.press("1")  # a theme key again: nothing is selected, so nothing is coded
        await pilot.pause()
        return notes

    notes = run_workbench(study_path, scenario)
    assert notes == ["remove: cancelled"] * 5
    assert codings_at(study_path, place) == before


def test_codings_of_one_theme_are_told_apart_by_their_first_words(study_path: Path):
    place, _ids = overlapping_codings(study_path, ["Technology", "Technology"])

    async def scenario(app, pilot):
        _screen, (question, answers) = await asked(app, pilot, place, "x")
        await pilot.press("escape")
        return question, answers

    question, answers = run_workbench(study_path, scenario)
    assert question == "remove which coding?"
    technology = [(path, words) for path, _colour, _mark, words in answers if path == "Technology"]
    assert len(technology) >= 2 and all(words for _path, words in technology)


def test_x_and_its_answer_typed_in_one_burst_remove_the_coding_and_code_nothing(study_path: Path):
    """ "x2" arriving at once: "2" reaches the screen before "x" has asked (a bound key acts when
    it reaches the app); it must still answer the question, not code with theme 2."""
    place, _ids = overlapping_codings(study_path, ["Technology", "Collaboration"])
    with Study.open(study_path) as study:
        before = {c.id for c in study.codings(TRANSCRIPT)}

    async def scenario(app, pilot):
        screen = await open_at(app, pilot, place)
        screen.transcript_view.move_cursor(place, select_to=place + 3)  # a selection theme 2 would code
        await pilot.pause()
        under = [m.id for m in screen.transcript_view.marks_at(screen.transcript_view.cursor)]
        for key, character in [("x", "x"), ("2", "2")]:
            app.post_message(events.Key(key, character))  # as the terminal driver posts them
        await pilot.pause(0.3)
        await wait_for(pilot, lambda: "removed" in screen.status.note, "the removal")
        return under

    under = run_workbench(study_path, scenario)
    with Study.open(study_path) as study:
        assert {c.id for c in study.codings(TRANSCRIPT)} == before - {under[1]}  # and nothing coded


def test_r_asks_which_coding_the_same_way_then_lists_the_themes(study_path: Path):
    place, _ids = overlapping_codings(study_path, ["Technology", "Collaboration"])

    async def scenario(app, pilot):
        _screen, (question, _answers) = await asked(app, pilot, place, "R")
        await pilot.press("1")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the themes to recode to")
        return question, str(app.screen._title)

    question, title = run_workbench(study_path, scenario)
    assert question == "recode which coding?" and title.startswith("Change the theme to")


def test_more_than_nine_codings_are_listed_in_a_dialog(study_path: Path):
    with Study.open(study_path) as study:
        themes = [t.path for t in study.themes()][:10]
    assert len(themes) == 10
    place, ids = overlapping_codings(study_path, themes)

    async def scenario(app, pilot):
        screen = await open_at(app, pilot, place)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the list of codings")
        listed = len(app.screen.choices)
        await pilot.press("escape")
        return listed, screen.status.choosing

    listed, choosing = run_workbench(study_path, scenario)
    assert listed >= 10 and choosing is None


def test_on_a_narrow_terminal_the_answers_shorten_and_every_number_stays_in_view(study_path: Path):
    with Study.open(study_path) as study:
        paths = [t.path for t in study.themes() if "/" in t.path][:4]
    place, _ids = overlapping_codings(study_path, paths)

    async def scenario(app, pilot):
        screen = await open_at(app, pilot, place)
        count = len(screen.transcript_view.marks_at(place))
        await pilot.press("x")
        await pilot.pause()
        return count, screen_text(app).splitlines()

    count, lines = run_workbench(study_path, scenario, size=(80, 24))
    status = next(line for line in lines if "which coding?" in line)
    assert len(status.rstrip()) <= 80 and count >= 4
    numbers = re.findall(r" (\d) \S", status.split("which coding?")[1])
    assert numbers == [str(n) for n in range(1, count + 1)], status


def test_a_click_that_moves_the_cursor_or_the_focus_cancels_the_question(study_path: Path):
    """The numbers name the codings where the cursor was: once a mouse click has moved it, or
    taken the focus to another pane, a number must not remove one of them."""
    place, _ids = overlapping_codings(study_path, ["Technology", "Collaboration"])
    before = codings_at(study_path, place)

    async def scenario(app, pilot):
        screen = await open_at(app, pilot, place)
        notes = []
        for moved in ("cursor", "focus"):
            await pilot.press("x")
            await pilot.pause()
            assert screen.status.choosing is not None
            if moved == "cursor":
                screen.transcript_view.move_cursor(place + 40)  # as a click on the text does
            else:
                screen.palette.focus()  # as a click on the theme pane does
            await pilot.pause()
            notes.append((screen.status.choosing, screen.status.note))
            screen.transcript_view.move_cursor(place)
            screen.action_focus_pane("transcript")
            await pilot.pause()
        return notes

    notes = run_workbench(study_path, scenario)
    assert notes == [(None, "remove: cancelled")] * 2
    assert codings_at(study_path, place) == before
