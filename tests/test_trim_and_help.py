"""The quote board's trim editor (select words, one key cuts them to [...], a refused trim keeps
the editor open at the problem) and F1's help written for researchers."""

from __future__ import annotations

from pathlib import Path

from conftest import run_workbench, screen_text, wait_for

from workbench.domain.elision import ELISION, check_elided, elision_problem
from workbench.study import Study


async def _trim_editor(app, pilot):
    """Focus the board, open the trim editor on the highlighted card; (quote, dialog)."""
    from workbench.tui.screens.dialogs import TrimDialog

    screen = app.screen
    screen.action_focus_pane("board")
    await pilot.pause()
    quote = screen.board.highlighted_quote
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, TrimDialog), "the trim editor")
    return quote, app.screen


def _noted(app) -> list[str]:
    noted: list[str] = []
    show = app.notify
    app.notify = lambda message, *args, **kwargs: (noted.append(str(message)), show(message, *args, **kwargs))
    return noted


def test_selecting_words_and_ctrl_t_cuts_them_to_the_mark_and_saves_the_trim(study_path: Path):
    async def scenario(app, pilot):
        quote, dialog = await _trim_editor(app, pilot)
        assert "ctrl+t: [...]" in screen_text(app)  # the dialog's hint names the key
        area = dialog.area
        await pilot.press("ctrl+home")
        at_start = area.cursor_location
        await pilot.press("ctrl+end")
        at_end = area.cursor_location
        end_of_text = area.document.end
        await pilot.press("ctrl+home", "end")
        end_of_line = area.cursor_location
        first_line = area.document.get_line(0)
        await pilot.press("ctrl+home", "ctrl+right", "ctrl+shift+right", "ctrl+shift+right")
        selected = area.selected_text
        await pilot.press("ctrl+t")
        trimmed = area.text
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is not dialog, "the editor closed")
        await wait_for(pilot, lambda: "trim" in (app.screen.status.note or ""), "the note on the trim")
        return quote, at_start, at_end, end_of_text, end_of_line, first_line, selected, trimmed

    quote, at_start, at_end, end_of_text, end_of_line, first_line, selected, trimmed = run_workbench(
        study_path, scenario
    )
    assert at_start == (0, 0) and at_end == end_of_text and end_of_line == (0, len(first_line))
    assert len(selected.split()) == 2, selected  # two words were selected with shift
    assert trimmed == quote.text.replace(selected.strip(), ELISION, 1)
    check_elided(quote.text, trimmed)
    with Study.open(study_path) as study:
        assert study.quote(quote.id).elided == trimmed.strip()


def test_a_refused_trim_keeps_the_editor_open_at_the_first_place_that_does_not_match(study_path: Path):
    async def scenario(app, pilot):
        noted = _noted(app)
        quote, dialog = await _trim_editor(app, pilot)
        await pilot.press("ctrl+end", *" invented words")
        await pilot.press("ctrl+s")
        await pilot.pause()
        area = dialog.area
        return (
            quote,
            app.screen is dialog,
            area.text,
            area.document.get_index_from_location(area.cursor_location),
            noted,
        )

    quote, still_open, text, cursor, noted = run_workbench(study_path, scenario)
    assert still_open
    assert text[cursor:].lstrip().startswith("invented"), (text, cursor)
    message = next(note for note in noted if "not in the passage" in note)
    assert "\n" not in message and "invented words" in message
    opening = " ".join(quote.text.split()[:4])
    if len(quote.text.split()) > 12:  # the words quoted are the ones at the problem, not the start
        assert opening not in message, message
    with Study.open(study_path) as study:
        assert study.quote(quote.id).elided in (None, "", quote.elided)  # nothing saved


def test_the_problem_is_placed_where_the_elided_form_stops_following_the_passage():
    passage = "We drove two hours to the clinic and nobody was there when we arrived."
    assert elision_problem(passage, "We drove [...] to the clinic") is None
    problem = elision_problem(passage, "We drove [...] to the clinic and everybody was there")
    assert problem is not None
    elided = "We drove [...] to the clinic and everybody was there"
    assert elided[problem.offset :].startswith("everybody")
    assert "clinic and everybody was" in problem.message and "We drove" not in problem.message
    assert elision_problem(passage, "[...]").message == "the elided form keeps nothing of the passage"
    # Out of order is refused at the piece that comes too late.
    wrong_order = "nobody was there [...] We drove"
    assert wrong_order[elision_problem(passage, wrong_order).offset :] == "We drove"


# -- F1 ------------------------------------------------------------------------------------------

TASKS = ("Reading and selecting", "Coding", "Quotes for the chapter", "Themes", "Analysis and chapter", "Everywhere")


def test_f1_speaks_of_tasks_not_binding_ids_or_key_names(study_path: Path):
    from workbench.tui.config import UiConfig
    from workbench.tui.screens.dialogs import HelpDialog

    async def scenario(app, pilot):
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpDialog), "the help")
        return app.screen.rows, screen_text(app)

    rows, text = run_workbench(study_path, scenario, config=UiConfig(keys={"coding.undo": "ctrl+z"}))
    assert ("^z", "Undo") in rows  # a key remapped in config.yaml is shown as remapped
    headings = [action for key, action in rows if not key]
    for task in TASKS:
        assert task in headings, (task, headings)
    ids_at = headings.index("Key ids for config.yaml")
    task_rows = rows[: rows.index(("", "Key ids for config.yaml"))]
    assert ids_at == len(headings) - 1  # the ids come last, in their own section
    for key, action in task_rows:
        assert "[" not in action or ELISION in action, action
        assert "_" not in key and "full_stop" not in key, key
    assert "QuoteBoard" not in text and "Keys" in text


def test_search_boxes_say_enter_searches_not_saves(study_path: Path):
    from workbench.tui.screens.dialogs import TextDialog

    async def scenario(app, pilot):
        shown = []
        for pane in ("transcript", "board"):  # / searches the transcript, or the quotes on the board
            app.screen.action_focus_pane(pane)
            await pilot.pause()
            await pilot.press("slash")
            await wait_for(pilot, lambda: isinstance(app.screen, TextDialog), f"the search box ({pane})")
            shown.append(screen_text(app))
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, TextDialog), "the box closed")
        return shown

    for text in run_workbench(study_path, scenario):
        assert "enter: search" in text and "enter: save" not in text
