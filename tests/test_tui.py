"""The coding screen driven with Pilot the way a researcher would, checked on the study file."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_workbench, screen_text, wait_for
from textual.binding import Binding

from workbench.study import Study
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, HelpDialog, TextDialog, ThemePickerDialog
from workbench.tui.widgets.quote_board import QuoteBoard
from workbench.tui.widgets.theme_palette import ThemePalette
from workbench.tui.widgets.transcript_view import TranscriptView


def codings_of(study_path: Path, transcript: str) -> list:
    with Study.open(study_path) as study:
        return study.codings(transcript)


def test_opens_on_the_first_transcript_with_three_panes(study_path: Path):
    async def scenario(app, pilot):
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        assert screen.transcript_name == "informant_1"
        assert app.focused is screen.query_one(TranscriptView)
        svg = app.export_screenshot()
        for text in ("Themes", "Quotes", "Collaboration", "informant_1"):
            assert text in svg
        return screen.query_one(QuoteBoard).display, screen.query_one(ThemePalette).display

    assert run_workbench(study_path, scenario) == (True, True)


def test_select_a_turn_and_code_it_with_a_digit_key(study_path: Path):
    before = len(codings_of(study_path, "informant_1"))

    async def scenario(app, pilot):
        await pilot.press("}", "t")
        selection = app.screen.query_one(TranscriptView).selection
        await pilot.press("2")  # Technology
        await pilot.pause()
        return selection

    selection = run_workbench(study_path, scenario)
    codings = codings_of(study_path, "informant_1")
    assert len(codings) == before + 1
    new = [c for c in codings if (c.start, c.end) == selection]
    assert new and new[0].theme_path == "Technology" and new[0].coder == "pilot"


def test_code_with_picker_creates_an_in_vivo_sub_theme(study_path: Path):
    async def scenario(app, pilot):
        await pilot.press("s", "c")
        await wait_for(pilot, lambda: isinstance(app.screen, ThemePickerDialog), "the theme picker")
        await pilot.press(*"gravity of habit")
        await pilot.pause()
        # the last entries offer to create the typed name; pick the first "new" entry
        dialog = app.screen
        options = dialog.query_one("OptionList")
        for index in range(options.option_count):
            if "New" in str(options.get_option_at_index(index).prompt):
                options.highlighted = index
                break
        await pilot.press("enter")
        await pilot.pause()

    run_workbench(study_path, scenario)
    with Study.open(study_path) as study:
        theme = study.theme("gravity of habit")
        assert theme.parent_id is not None or theme.depth == 0
        assert [q.text for q in study.quotes(theme=theme.path)]


def test_uncode_then_undo_and_redo(study_path: Path):
    with Study.open(study_path) as study:
        first = study.codings("informant_1")[0]

    async def scenario(app, pilot):
        view = app.screen.query_one(TranscriptView)
        view.move_cursor(first.start + 1)
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        if isinstance(app.screen, ChoiceDialog):
            await pilot.press("enter")
            await pilot.pause()
        gone = first.id not in {c.id for c in app.screen.study.codings("informant_1")}
        await pilot.press("u")
        await pilot.pause()
        back = first.id in {c.id for c in app.screen.study.codings("informant_1")}
        await pilot.press("U")
        await pilot.pause()
        return gone, back

    assert run_workbench(study_path, scenario) == (True, True)
    assert first.id not in {c.id for c in codings_of(study_path, "informant_1")}


def test_quote_board_select_order_and_comment(study_path: Path):
    async def scenario(app, pilot):
        board = app.screen.query_one(QuoteBoard)
        await pilot.press("f4")
        await pilot.pause()
        # move to the first unselected quote and select it
        for _ in range(60):
            quote = board.highlighted_quote
            if quote is not None and not quote.selected:
                break
            await pilot.press("down")
        target = board.highlighted_quote
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog), "the text dialog")
        await pilot.press(*"We read this as habit.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("shift+up")
        await pilot.pause()
        return target

    target = run_workbench(study_path, scenario)
    with Study.open(study_path) as study:
        quote = study.quote(target.id)
        assert quote.selected
        assert quote.comment == "We read this as habit."
        selected = [q for q in study.quotes(selected_only=True) if q.theme_id == quote.theme_id]
        assert [q.position for q in selected] == list(range(1, len(selected) + 1))
        if len(selected) > 1:
            assert quote.position == len(selected) - 1  # moved up one from the end


def test_palette_chooses_theme_and_board_filters_and_groups(study_path: Path):
    async def scenario(app, pilot):
        screen = app.screen
        await pilot.press("f3")
        palette = screen.query_one(ThemePalette)
        palette.highlight(next(t.id for t in screen.themes if t.path == "Technology"))
        await pilot.press("enter")
        await pilot.pause()
        themes = {q.theme.split("/")[0] for q in screen.board.entries()}
        await pilot.press("f4", "g")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the grouping list")
        await pilot.press("down", "enter")  # the first attribute after "(no grouping)"
        await wait_for(pilot, lambda: screen.group_by is not None, "grouped")
        grouped = screen.group_by
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the choice dialog")
        await pilot.press(*"size = smaller")
        await pilot.press("enter")
        await pilot.pause()
        sizes = {q.attributes.get("size") for q in screen.board.entries()}
        return themes, grouped, sizes

    themes, grouped, sizes = run_workbench(study_path, scenario)
    assert themes == {"Technology"}
    assert grouped is not None
    assert sizes == {"smaller"}


def test_delete_theme_asks_and_undo_restores(study_path: Path):
    with Study.open(study_path) as study:
        before = len(study.quotes(theme="Technology"))
    assert before > 0

    async def scenario(app, pilot):
        screen = app.screen
        await pilot.press("f3")
        screen.query_one(ThemePalette).highlight(next(t.id for t in screen.themes if t.path == "Technology"))
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("y")
        await pilot.pause()
        deleted = not any(t.path == "Technology" for t in screen.themes)
        await pilot.press("u")
        await pilot.pause()
        return deleted

    assert run_workbench(study_path, scenario)
    with Study.open(study_path) as study:
        assert len(study.quotes(theme="Technology")) == before


def test_small_terminal_switches_between_transcript_and_board(study_path: Path):
    async def scenario(app, pilot):
        screen = app.screen
        narrow = screen.has_class("-narrow")
        board_hidden = not screen.query_one(QuoteBoard).display
        await pilot.press("f4")
        await pilot.pause()
        board_view = screen.query_one(QuoteBoard).display and not screen.query_one(TranscriptView).display
        await pilot.press("f4")
        await pilot.pause()
        back = screen.query_one(TranscriptView).display and app.focused is screen.query_one(TranscriptView)
        return narrow, board_hidden, board_view, back

    assert run_workbench(study_path, scenario, size=(80, 24)) == (True, True, True, True)


def test_search_and_switch_transcript(study_path: Path):
    async def scenario(app, pilot):
        screen = app.screen
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*"informant_4", "enter")
        await pilot.pause()
        opened = screen.transcript_name
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"kommun", "enter")
        await pilot.pause()
        view = screen.query_one(TranscriptView)
        text = screen.study.transcript_text(opened)
        at_hit = text[view.cursor : view.cursor + 6].lower() == "kommun"
        return opened, len(screen.search_hits) > 1, at_hit

    assert run_workbench(study_path, scenario) == ("informant_4", True, True)


@pytest.mark.parametrize("key", ["f1", "question_mark"])
def test_help_opens_and_lists_the_keys_in_words_and_their_ids_last(study_path: Path, key: str):
    async def scenario(app, pilot):
        coding = app.screen
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, HelpDialog), f"{key} to open the help")
        return coding, app.screen.rows, screen_text(app)

    coding, rows, shown = run_workbench(study_path, scenario)
    ids = [b.id for b in coding.BINDINGS if isinstance(b, Binding) and b.description and b.id]
    ids += [b.id for b in TranscriptView.BINDINGS if isinstance(b, Binding) and b.description and b.id]
    assert len(ids) > 20
    id_rows = rows[rows.index(("", "Key ids for config.yaml")) :]
    missing = [ident for ident in ids if not any(action == ident for _, action in id_rows)]
    assert not missing, f"the help leaves out {missing}"
    assert any("config.yaml" in action for _, action in id_rows)  # and says where the ids are used
    # on screen: the dialog's title, the first task and keys in words, without ids
    assert "Keys" in shown and "Reading and selecting" in shown
    assert "Next coding" in shown and "[coding." not in shown


def test_changes_from_another_program_appear_within_a_second_or_so(study_path: Path):
    async def scenario(app, pilot):
        board = app.screen.query_one(QuoteBoard)
        with Study.open(study_path, coder="cli") as other:
            other.set_case_attributes("informant_1", {"size": "medium"})
            coding = other.code("informant_1", "Technology", 0, 10).coding
        # the screen looks for outside changes once a second
        await wait_for(
            pilot,
            lambda: coding.id in {entry.id for entry in board.entries()},
            "the other program's coding on the quote board",
            timeout=3,
        )

    run_workbench(study_path, scenario)


def test_chapter_preview_and_write_match_the_command_line(study_path: Path, tmp_path: Path):
    target = tmp_path / "chapter.md"

    async def scenario(app, pilot):
        await pilot.press("E")
        await pilot.pause()
        preview = app.export_screenshot()
        await pilot.press("w")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog), "the text dialog")
        dialog_input = app.screen.query_one("Input")
        dialog_input.value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        return preview

    preview = run_workbench(study_path, scenario)
    assert "Results" in preview and "Theme" in preview  # the title and the overview table
    from workbench.study.chapter import export_chapter

    with Study.open(study_path) as study:
        assert target.read_text(encoding="utf-8") == export_chapter(study, remember=False).markdown


def test_matrix_and_agreement_open_from_the_coding_screen(study_path: Path):
    from workbench.tui.screens.matrix import FrameworkMatrixScreen

    with Study.open(study_path, coder="second") as study:
        quote = study.quotes()[0]
        study.code(quote.transcript, quote.theme, quote.start, quote.end)

    async def scenario(app, pilot):
        await pilot.press("f5")
        await pilot.pause()
        matrix = isinstance(app.screen, FrameworkMatrixScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        chooser = isinstance(app.screen, ChoiceDialog)
        await pilot.press("enter")
        await pilot.pause()
        return matrix, chooser, type(app.screen).__name__

    assert run_workbench(study_path, scenario) == (True, True, "DisagreementsScreen")


def test_review_flagged_codings_from_the_workbench(study_path: Path, tmp_path: Path):
    from workbench.study.reimport import codings_to_review, reimport_transcript

    with Study.open(study_path) as study:
        coding = study.codings("informant_1")[0]
        text = study.transcript_text("informant_1")
        changed = tmp_path / "informant_1.txt"
        changed.write_text(text.replace(coding.text, "something else entirely was said here"), encoding="utf-8")
        reimport_transcript(study, changed)
        assert [i.id for i in codings_to_review(study)] == [coding.id]

    async def scenario(app, pilot):
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the choice dialog")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the confirmation")
        await pilot.press("y")
        await pilot.pause()

    run_workbench(study_path, scenario)
    with Study.open(study_path) as study:
        assert codings_to_review(study) == []


def test_the_board_follows_each_change_in_the_order_a_full_reload_gives(study_path: Path):
    """Codings, removals, selections and undo replace only the themes they touch on the board;
    after each, the board must list exactly what the study's quote list gives, in its order."""

    async def scenario(app, pilot):
        screen = app.screen
        board = screen.query_one(QuoteBoard)

        def agrees() -> bool:
            return [e.id for e in board.entries()] == [q.id for q in screen.study.quotes()]

        checks = [agrees()]
        await pilot.press("}", "t", "2")  # code a turn with Technology
        await pilot.pause()
        new = max(e.id for e in board.entries())
        checks.append(agrees() and any(e.id == new and e.theme == "Technology" for e in board.entries()))
        screen.transcript_view.move_cursor(screen.study.coding(new).start + 1)
        await pilot.press("x")  # remove it again
        await pilot.pause()
        if isinstance(app.screen, ChoiceDialog):
            choice = app.screen.query_one("OptionList")
            choice.highlighted = next(
                i for i in range(choice.option_count) if "Technology" in str(choice.get_option_at_index(i).prompt)
            )
            await pilot.press("enter")
            await pilot.pause()
        checks.append(agrees() and new not in {e.id for e in board.entries()})
        await pilot.press("U")  # redo nothing (the removal is still in effect); undo it twice over
        await pilot.press("u")
        await pilot.pause()
        checks.append(agrees() and new in {e.id for e in board.entries()})
        board.highlight(new)
        await pilot.press("f4", "space")  # select it for the chapter: first of its theme
        await pilot.pause()
        checks.append(agrees() and board.highlighted_quote.id == new and board.highlighted_quote.selected)
        await pilot.press("u", "u", "U")  # undo the selection and the coding, redo the coding
        await pilot.pause()
        checks.append(agrees() and new in {e.id for e in board.entries()} and not board.highlighted_quote.selected)
        return checks

    assert run_workbench(study_path, scenario) == [True] * 6


def test_the_status_line_names_the_codings_under_the_cursor_in_the_same_call(study_path: Path):
    """No message round trip between the cursor and the status line: both repaint in one frame."""
    with Study.open(study_path) as study:
        first = study.codings("informant_1")[0]

    async def scenario(app, pilot):
        screen = app.screen
        screen.transcript_view.move_cursor(first.start + 1)
        under = [t.path for t in screen.status.under_cursor]  # no await in between
        screen.transcript_view.move_cursor(0 if first.start > 0 else first.end + 1)
        return under, first.theme_path

    under, theme = run_workbench(study_path, scenario)
    assert theme in under
