"""The daily coding loop on the coding screen: the board's title, the footer at every width, what
each board action says, and the questions before work is thrown away."""

from __future__ import annotations

from pathlib import Path

from conftest import run_workbench, screen_text, wait_for

from workbench.study import Study

LONG = "A very long theme name that a researcher wrote to be precise about what it holds"


def test_the_board_title_shortens_the_theme_and_keeps_filter_and_grouping(study_path: Path):
    with Study.open(study_path) as study:
        study.add_theme(LONG)
        study.code("informant_7", LONG, 0, 40)

    async def scenario(app, pilot):
        screen = app.screen
        screen.theme_filter = next(t.id for t in screen.themes if t.path == LONG)
        screen.where = {"size": {"smaller"}}
        screen.group_by = "cluster"
        screen.refresh_board()
        await pilot.pause()
        return [line for line in screen_text(app).splitlines() if "size=smaller" in line]

    lines = run_workbench(study_path, scenario)
    assert lines, "the filter is not on the screen"
    assert "by cluster" in lines[0] and "A very …" in lines[0]


def test_help_the_board_and_quit_are_in_the_footer_and_the_count_is_shown_at_every_width(study_path: Path):
    for size in ((80, 24), (90, 30), (120, 34), (160, 40)):

        async def scenario(app, pilot):
            lines = screen_text(app).rstrip("\n").splitlines()
            count = app.screen.board.count
            return lines, count, app.screen.has_class("-narrow")

        lines, count, narrow = run_workbench(study_path, scenario, size)
        last = lines[-1]
        assert count > 1 and "F1  help" in last and "q  quit" in last, (size, last)
        if narrow:  # the board is hidden: the footer says where it is, and how many quotes it holds
            assert f"F4  board: {count} quotes" in last, (size, last)
        else:  # side by side: the board's title line has the count, the footer stays as it is
            assert "F4  quotes " in last and str(count) not in last, (size, last)
            assert f"all themes · {count} quotes" in "\n".join(lines[:3]), (size, lines[:3])


def test_a_coding_and_its_undo_change_the_boards_count_and_leave_the_footer_alone(study_path: Path):
    """Side by side, the count is in the board's title line: a coding repaints that line, and the
    footer (a dozen widgets, all drawn again when any part of it changes) stays as it was."""

    async def scenario(app, pilot):
        def seen() -> tuple[str, str]:
            lines = screen_text(app).rstrip("\n").splitlines()
            caption = next(line for line in lines if "all themes" in line)
            return caption, lines[-1]

        screen = app.screen
        before = seen()
        await pilot.press("}", "t", "1")
        await wait_for(pilot, lambda: "coded" in screen_text(app), "the coding")
        coded = seen()
        await pilot.press("u")
        await wait_for(pilot, lambda: screen.board.count == count, "the undo")
        return before, coded, seen()

    with Study.open(study_path) as study:
        count = len(study.quotes())
    before, coded, undone = run_workbench(study_path, scenario)
    assert f"all themes · {count} quotes" in before[0], before
    assert f"all themes · {count + 1} quotes" in coded[0], coded
    assert undone == before
    assert before[1] == coded[1] == undone[1]  # the footer


def test_the_footer_follows_the_board_view_and_remapped_keys(study_path: Path):
    from workbench.tui.config import UiConfig

    async def scenario(app, pilot):
        await pilot.press("f4")
        await wait_for(pilot, lambda: app.screen.has_class("-board-view"), "the board view")
        return screen_text(app).rstrip("\n").splitlines()[-1]

    last = run_workbench(study_path, scenario, (80, 24), config=UiConfig(keys={"coding.quit": "ctrl+x"}))
    assert "F4  transcript (board: " in last and "^x  quit" in last


# -- what each board action says ---------------------------------------------------------------


async def _to_first_unselected_card(app, pilot):
    screen = app.screen
    screen.action_focus_pane("board")
    await pilot.pause()
    while not (screen.board.highlighted_quote and not screen.board.highlighted_quote.selected):
        await pilot.press("down")
    return screen.board.highlighted_quote


async def _note_after(pilot, screen, *keys, what: str) -> str:
    before = screen.status.note
    await pilot.press(*keys)
    await wait_for(pilot, lambda: screen.status.note and screen.status.note != before, what)
    return screen.status.note


def test_select_deselect_comment_trim_and_undo_say_what_happened_to_which_quote(study_path: Path):
    async def scenario(app, pilot):
        screen = app.screen
        quote = await _to_first_unselected_card(app, pilot)
        theme = quote.theme.rsplit("/", 1)[-1]
        already = sum(1 for e in screen.board.entries() if e.theme == quote.theme and e.selected)
        notes = [await _note_after(pilot, screen, "space", what="the note after selecting")]
        assert screen.board.highlighted_quote.id == quote.id  # the cursor stays on the card
        notes.append(await _note_after(pilot, screen, "c", "W", "e", " ", "r", "e", "a", "d", "ctrl+s", what="comment"))
        notes.append(await _note_after(pilot, screen, "u", what="the undo"))
        notes.append(await _note_after(pilot, screen, "U", what="the redo"))
        notes.append(await _note_after(pilot, screen, "space", what="deselecting"))
        assert screen.board.highlighted_quote.id == quote.id
        notes.append(await _note_after(pilot, screen, "u", what="undoing the deselection"))
        return quote.id, theme, already, notes

    ident, theme, already, notes = run_workbench(study_path, scenario)
    place = {0: "1st", 1: "2nd", 2: "3rd"}.get(already, f"{already + 1}th")
    assert notes == [
        f"selected #{ident} for the chapter, {place} under {theme}",
        f"comment on #{ident} saved",
        f"undid: comment on #{ident}",
        f"redid: comment on #{ident}",
        f"deselected #{ident}: no longer in the chapter",
        f"undid: deselection of #{ident}",
    ]


def test_the_words_for_changes_and_ordinals():
    from workbench.display.change_words import change_name, ordinal

    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"
    ]  # fmt: skip
    assert change_name("select", '{"id": 35, "selected": true, "elided": "a [...] b"}') == "trim of #35"
    assert change_name("select", {"id": 35, "selected": True, "position": 2}) == "order of #35"
    assert change_name("code", {"id": 3, "theme": "Trust/Agreements matter"}) == "coding #3 as Agreements matter"
    assert change_name("code", {"broken": True}) == "code"  # written by another version: still a word
    assert change_name("theme.merge", {"source": "A", "target": "B/C"}) == "merge of A into C"


# -- nothing thrown away without asking --------------------------------------------------------


def test_escape_asks_before_it_throws_away_a_changed_comment(study_path: Path):
    from workbench.tui.screens.dialogs import ConfirmDialog, TextDialog

    async def scenario(app, pilot):
        quote = await _to_first_unselected_card(app, pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog), "the comment editor")
        await pilot.press("escape")  # nothing typed: closes at once
        await wait_for(pilot, lambda: not isinstance(app.screen, TextDialog), "the editor closed")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog), "the comment editor")
        await pilot.press("N", "o", "t", "e", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("n")  # keep editing: the text is still there
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog), "back in the editor")
        kept = app.screen.value
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question again")
        await pilot.press("y")
        await wait_for(pilot, lambda: not isinstance(app.screen, (TextDialog, ConfirmDialog)), "discarded")
        return quote.id, kept

    ident, kept = run_workbench(study_path, scenario)
    assert kept == "Note"
    with Study.open(study_path) as study:
        assert study.quote(ident).comment is None


def test_x_asks_before_removing_a_coding_that_is_in_the_chapter(study_path: Path):
    from workbench.tui.screens.dialogs import ConfirmDialog

    with Study.open(study_path) as study:
        chosen = next(q for q in study.quotes(selected_only=True) if q.comment)

    async def scenario(app, pilot):
        screen = app.screen
        screen.show_passage(chosen.transcript, chosen.start + 1, chosen.start + 1)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        question = app.screen.question
        await pilot.press("n")
        await pilot.pause()
        with Study.open(study_path) as study:
            still = chosen.id in {q.id for q in study.quotes()}
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question again")
        await pilot.press("y")
        await wait_for(pilot, lambda: "removed" in screen.status.note, "the removal")
        return question, still

    question, still = run_workbench(study_path, scenario)
    assert still and f"#{chosen.id} is in the chapter" in question and "its comment" in question
    with Study.open(study_path) as study:
        assert chosen.id not in {q.id for q in study.quotes()}


# -- grouping ----------------------------------------------------------------------------------


def test_g_offers_the_attributes_that_group_cases_first_and_marks_those_with_one_per_case(study_path: Path):
    from workbench.tui.screens.dialogs import ChoiceDialog

    async def scenario(app, pilot):
        screen = app.screen
        screen.action_focus_pane("board")
        await pilot.pause()
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, ChoiceDialog), "the grouping picker")
        labels = [str(label) for label, _ in app.screen.choices]
        await pilot.press(*"size", "enter")
        await wait_for(pilot, lambda: screen.group_by == "size", "grouped by size")
        return labels, screen_text(app)

    labels, text = run_workbench(study_path, scenario)
    assert labels[0] == "(no grouping)"
    keys = [label.split()[0] for label in labels[1:]]
    marked = [label.split()[0] for label in labels[1:] if "one per case" in label]
    assert {"informant", "organisation"} <= set(marked)  # a value per informant
    assert {"size", "cluster"}.isdisjoint(marked)
    assert keys.index("size") < keys.index("informant") and keys.index("cluster") < keys.index("organisation")
    assert "by size" in text and "size=smaller" in text  # the title and a group heading


def test_after_regrouping_the_heading_above_the_card_is_in_view(study_path: Path):
    async def scenario(app, pilot):
        screen = app.screen
        await pilot.press("f4")  # the board view at 80x24
        await pilot.pause()
        for _ in range(12):
            await pilot.press("down")
        cards = screen.board.query_one("#quote-board-list")
        screen.group_by = "cluster"
        screen.refresh_board()
        await pilot.pause()
        index = cards.highlighted
        heading = max(i for i in range(index) if type(cards.rows[i]).__name__ == "_Header")
        return heading, cards.top, index

    heading, top, index = run_workbench(study_path, scenario, (80, 24))
    assert top <= heading < index


def test_the_command_palette_lists_the_workbench_first_with_keys_as_typed_and_quit_once(study_path: Path):
    async def scenario(app, pilot):
        return list(app.get_system_commands(app.screen))

    commands = run_workbench(study_path, scenario)
    titles = [c.title for c in commands]
    assert titles.count("Quit") == 1
    assert titles[0] == "Code with…"  # the workbench's own actions before Textual's (Theme, Screenshot ...)
    from workbench.tui.screens.coding import CodingScreen

    own = {b.description for b in CodingScreen.BINDINGS}
    first_textual = next(i for i, title in enumerate(titles) if title not in own)
    assert first_textual > 20 and not own & set(titles[first_textual:])
    helps = " ".join(c.help for c in commands)
    assert "full_stop" not in helps and "key: ." in helps and "key: ^e" in helps
