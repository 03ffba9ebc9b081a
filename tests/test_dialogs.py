"""The modal dialogs and the fuzzy matcher behind their filters."""

from __future__ import annotations

import asyncio

import pytest
from conftest import screen_text
from rich.text import Text
from textual.app import App
from textual.widgets import Input, TextArea

from workbench.domain.models import Theme
from workbench.tui.fuzzy import fuzzy_filter, fuzzy_match, fuzzy_score
from workbench.tui.screens.dialogs import (
    ChoiceDialog,
    ConfirmDialog,
    HelpDialog,
    TextDialog,
    ThemePickerDialog,
)

SIZES = [(120, 34), (80, 24)]
THEMES = [
    Theme(1, "Collaboration", "Collaboration", None, 0, "#cc3333"),
    Theme(2, "Technology", "Technology", None, 1, "#3366cc", key="t"),
    Theme(3, "Trust and confidence", "Trust and confidence", None, 2, "#33aa55"),
    Theme(4, "Agreements matter", "Trust and confidence/Agreements matter", 3, 0, "#aaaa33"),
    Theme(5, "Security and responsibility", "Trust and confidence/Security and responsibility", 3, 1, "#aa33aa"),
    Theme(6, "Identity", "Identity", None, 3, "#33aaaa"),
]
UNSET = object()


def ask(dialog_factory, keys, size=(80, 24), check=None):
    """Push a dialog, press ``keys``, and return what it dismissed with (UNSET if still open)."""
    results: list = []

    async def main():
        app = App()
        async with app.run_test(size=size) as pilot:
            dialog = dialog_factory()
            app.push_screen(dialog, results.append)
            await pilot.pause()
            await pilot.press(*keys)
            await pilot.pause()
            if check is not None:
                await check(pilot, dialog, app)

    asyncio.run(main())
    return results[0] if results else UNSET


# -- fuzzy matcher (pure) -------------------------------------------------------------------------


def test_fuzzy_requires_characters_in_order_ignoring_case():
    assert fuzzy_match("agree", "Trust and confidence/Agreements matter") is not None
    assert fuzzy_match("AGR", "agreements") is not None
    assert fuzzy_match("rga", "agreements") is None
    assert fuzzy_match("xyz", "Collaboration") is None


def test_fuzzy_empty_query_matches_everything_and_keeps_order():
    assert fuzzy_score("", "anything") == 0
    assert [item for item, _ in fuzzy_filter("", ["b", "a", "c"])] == ["b", "a", "c"]


def test_fuzzy_positions_are_the_best_alignment():
    match = fuzzy_match("agr", "Trust and confidence/Agreements matter")
    assert match.positions == (21, 22, 23)  # the segment start, not the "a" of "and"
    assert fuzzy_match("tc", "Trust and confidence").positions == (0, 10)  # word starts


def test_fuzzy_prefers_contiguous_and_word_starts():
    assert fuzzy_score("tech", "Technology") > fuzzy_score("tech", "The church")
    assert fuzzy_score("sr", "Security and responsibility") > fuzzy_score("sr", "Sirens")
    assert fuzzy_score("conf", "Trust and confidence") > fuzzy_score("conf", "Customer info file")
    assert fuzzy_score("am", "Trust/Agreements matter") > fuzzy_score("am", "Trust/Gamma")


def test_fuzzy_filter_ranks_best_first_with_key():
    found = fuzzy_filter("agr", THEMES, key=lambda t: t.path)
    assert [t.id for t, _ in found][0] == 4
    assert all(match.score >= later.score for (_, match), (_, later) in zip(found, found[1:]))


def test_fuzzy_spaces_in_query_are_ignored():
    assert fuzzy_match("trust agr", "Trust and confidence/Agreements matter") is not None


# -- theme picker -------------------------------------------------------------------------------


def picker(highlighted_id=4):
    return lambda: ThemePickerDialog(THEMES, highlighted_id)


@pytest.mark.parametrize("size", SIZES)
def test_picker_starts_on_the_highlighted_theme_and_enter_applies_it(size):
    assert ask(picker(4), ["enter"], size) == ("existing", 4)
    assert ask(picker(None), ["enter"], size) == ("existing", 1)


@pytest.mark.parametrize("size", SIZES)
def test_picker_filters_by_fuzzy_typing(size):
    async def check(pilot, dialog, app):
        assert dialog.entries[0] == "■ Trust and confidence/Security and responsibility"
        assert all("+ New" not in e or "secr" in e for e in dialog.entries)
        assert "■ Collaboration" not in screen_text(app)

    assert ask(picker(1), [*"secr", "enter"], size) == ("existing", 5)
    ask(picker(1), [*"secr"], size, check)


@pytest.mark.parametrize("size", SIZES)
def test_arrows_move_in_the_list_while_the_input_keeps_focus(size):
    async def check(pilot, dialog, app):
        assert isinstance(app.focused, Input)
        assert dialog.option_list.highlighted == 3

    assert ask(picker(None), ["down", "down", "up", "down", "down"], size, check) is UNSET
    assert ask(picker(None), ["down", "down", "enter"], size) == ("existing", 3)


@pytest.mark.parametrize("size", SIZES)
def test_picker_offers_a_new_sub_theme_under_the_highlighted_theme(size):
    async def check(pilot, dialog, app):
        assert dialog.entries[-2:] == [
            '+ New sub-theme "Costs" under Trust and confidence',
            '+ New top-level theme "Costs"',
        ]
        assert '+ New sub-theme "Costs" under Trust and confidence' in screen_text(app)

    ask(picker(3), [*"Costs"], size, check)
    assert ask(picker(3), [*"Zzz", "enter"], size) == ("new", "Zzz", 3)
    assert ask(picker(3), [*"Zzz", "down", "enter"], size) == ("new", "Zzz", None)
    assert ask(picker(3), [*"Costs", "up", "up", "enter"], size) == ("new", "Costs", 3)


def test_picker_without_a_highlighted_theme_creates_a_top_level_theme():
    async def check(pilot, dialog, app):
        assert dialog.entries == ['+ New theme "Zzz"']

    ask(picker(None), [*"Zzz"], check=check)
    assert ask(picker(None), [*"Zzz", "enter"]) == ("new", "Zzz", None)


def test_picker_offers_nothing_new_for_an_existing_name():
    async def check(pilot, dialog, app):
        assert not any(entry.startswith("+") for entry in dialog.entries)
        assert dialog.entries[0] == "■ Identity"

    ask(picker(3), [*"identity"], check=check)


def test_picker_parent_slash_name_creates_under_that_parent():
    result = ask(picker(1), [*"Trust and confidence/Costs", "up", "enter"])
    assert result == ("new", "Costs", 3)


@pytest.mark.parametrize("size", SIZES)
def test_j_and_k_type_into_the_picker_input(size):
    async def check(pilot, dialog, app):
        assert app.focused.value == "jk"
        assert dialog.entries == ['+ New sub-theme "jk" under Collaboration', '+ New top-level theme "jk"']
        assert dialog.option_list.highlighted == 0

    ask(picker(1), ["j", "k"], size, check)


def test_the_highlighted_entry_stands_out_though_the_list_has_no_focus():
    async def check(pilot, dialog, app):
        first = [list(dialog.option_list.render_line(y))[0].style for y in range(3)]
        assert first[1].bgcolor != first[0].bgcolor and first[0].bgcolor == first[2].bgcolor
        assert first[1].bold

    ask(picker(2), [], check=check)


def test_picker_escape_cancels():
    assert ask(picker(4), [*"agr", "escape"]) is None


# -- confirm ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("keys", "answer"),
    [
        (["y"], True),
        (["enter"], True),
        (["n"], False),
        (["escape"], False),
        (["tab", "enter"], False),
    ],
)
def test_confirm(size, keys, answer):
    assert ask(lambda: ConfirmDialog("Delete theme Identity and its 3 codings?"), keys, size) is answer


def test_confirm_shows_question_and_label():
    async def check(pilot, dialog, app):
        text = screen_text(app)
        assert "Merge Technology into Identity?" in text and "Merge (y)" in text

    ask(lambda: ConfirmDialog("Merge Technology into Identity?", confirm_label="Merge"), [], check=check)


# -- text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_one_line_text_enter_submits(size):
    assert ask(lambda: TextDialog("Rename theme", "Trust"), ["end", *" and confidence ", "enter"], size) == (
        "Trust and confidence"
    )
    assert ask(lambda: TextDialog("Rename theme", "Trust"), ["escape"], size) is None


@pytest.mark.parametrize("size", SIZES)
def test_letters_never_act_as_commands_in_text_dialogs(size):
    keys = [*"jkqgGdyn"]
    assert ask(lambda: TextDialog("Name"), [*keys, "enter"], size) == "jkqgGdyn"
    assert ask(lambda: TextDialog("Memo", multiline=True), [*keys, "ctrl+s"], size) == "jkqgGdyn"


@pytest.mark.parametrize("size", SIZES)
def test_multiline_text_enter_is_a_new_line_and_ctrl_s_saves(size):
    async def check(pilot, dialog, app):
        assert isinstance(app.focused, TextArea)
        assert "ctrl+s: save" in screen_text(app)

    factory = lambda: TextDialog("Describe", "Line one", multiline=True, placeholder="What belongs here")  # noqa: E731
    ask(factory, [], size, check)
    assert ask(factory, ["enter", *"line two", "ctrl+s"], size) == "Line one\nline two"
    assert ask(factory, ["escape"], size) is None  # unchanged: escape closes at once
    assert ask(factory, ["enter", *"line two", "escape", "y"], size) is None  # changed: asks first


# -- choice -------------------------------------------------------------------------------------


CHOICES = [("size", "size"), ("cluster", "cluster"), ("role", "role"), ("organisation", "org")]


@pytest.mark.parametrize("size", SIZES)
def test_choice_enter_chooses_the_highlighted(size):
    assert ask(lambda: ChoiceDialog("Group by", CHOICES), ["enter"], size) == "size"
    assert ask(lambda: ChoiceDialog("Group by", CHOICES, highlighted=2), ["enter"], size) == "role"
    assert ask(lambda: ChoiceDialog("Group by", CHOICES), ["down", "down", "enter"], size) == "role"
    assert ask(lambda: ChoiceDialog("Group by", CHOICES), ["escape"], size) is None


@pytest.mark.parametrize("size", SIZES)
def test_choice_typing_filters(size):
    async def check(pilot, dialog, app):
        assert dialog.entries == ["organisation"]

    ask(lambda: ChoiceDialog("Group by", CHOICES), [*"orgn"], size, check)
    assert ask(lambda: ChoiceDialog("Group by", CHOICES), [*"clu", "enter"], size) == "cluster"


def test_choice_keeps_equal_values_apart_and_accepts_rich_labels():
    choices = [
        (Text("■ red", style="#ff0000"), "#ff0000"),
        ("#12 informant_7 (Trust)", 12),
        ("#13 informant_7 (Trust)", 13),
    ]
    assert ask(lambda: ChoiceDialog("Remove which coding?", choices), [*"13", "enter"]) == 13
    assert ask(lambda: ChoiceDialog("Colour", choices), [*"red", "enter"]) == "#ff0000"


def test_choice_nothing_matching_enter_does_nothing():
    assert ask(lambda: ChoiceDialog("Group by", CHOICES), [*"zzz", "enter"]) is UNSET


# -- help ---------------------------------------------------------------------------------------


HELP = [("", "Transcript"), ("j / down", "next line"), ("v", "mark the start of a selection")] + [
    (f"key{i}", f"what key {i} does") for i in range(40)
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", ["escape", "f1", "q"])
def test_help_closes_with_escape_f1_q(size, key):
    assert ask(lambda: HelpDialog(HELP), [key], size) is None


@pytest.mark.parametrize("size", SIZES)
def test_help_shows_keys_and_scrolls(size):
    async def check(pilot, dialog, app):
        text = screen_text(app)
        assert "Transcript" in text and "mark the start of a selection" in text
        assert "key39" not in text  # off screen until scrolled
        await pilot.press("end")
        await pilot.pause()
        assert "key39" in screen_text(app)
        scroller = dialog.query_one("#help-table")
        before = scroller.scroll_y
        await pilot.press("k")
        assert scroller.scroll_y == before - 1

    assert ask(lambda: HelpDialog(HELP), [], size, check) is UNSET


# -- from a worker ------------------------------------------------------------------------------


def test_push_screen_wait_in_a_worker():
    answers: list = []

    class Host(App):
        def on_mount(self) -> None:
            self.run_worker(self.ask_twice(), exclusive=True)

        async def ask_twice(self) -> None:
            answers.append(await self.push_screen_wait(ConfirmDialog("Delete?")))
            answers.append(await self.push_screen_wait(ThemePickerDialog(THEMES, 3)))

    async def main():
        app = Host()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("y")
            await pilot.pause()
            await pilot.press(*"New one", "enter")
            await pilot.pause()

    asyncio.run(main())
    assert answers == [True, ("new", "New one", 3)]
