"""The quote board, driven through Pilot the way a researcher would use it, and its text rules."""

from __future__ import annotations

import asyncio
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import Footer

from workbench.display import quote_lines as qt
from workbench.domain.models import Quote
from workbench.tui.widgets.quote_board import QuoteBoard, QuoteCardList

SIZES = [(120, 34), (80, 24)]
TRUST = "Trust and confidence/Agreements matter"
TECH = "Technology"


def quote(
    id: int,
    theme: str = TRUST,
    text: str | None = None,
    *,
    selected: bool = False,
    position: int | None = None,
    cluster: str | None = "A",
    comment: str | None = None,
    elided: str | None = None,
    case: str | None = None,
) -> Quote:
    """A quote as Study.quotes returns it, built directly."""
    attributes = {"size": "smaller"}
    if cluster is not None:
        attributes["cluster"] = cluster
    case = case or f"informant_{id}"
    return Quote(
        id,
        case,
        case,
        theme,
        1 if theme == TRUST else 2,
        0,
        10,
        text or f"We could not manage it ourselves (quote {id}).",
        attributes,
        selected,
        position,
        comment,
        elided,
        "anna",
        "2026-11-26T17:20:00+00:00",
    )


QUOTES = [
    quote(11, selected=True, position=1, comment="We read this as dependence."),
    quote(12, cluster="B"),
    quote(13),
    quote(21, TECH, cluster="B"),
]


class Host(App):
    """A bare app holding one quote board and recording the messages it posts."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield QuoteBoard(id="quotes")
        yield Footer()

    def on_quote_board_jump_requested(self, message: QuoteBoard.JumpRequested) -> None:
        self.messages.append(message)

    def on_quote_board_selection_toggled(self, message: QuoteBoard.SelectionToggled) -> None:
        self.messages.append(message)

    def on_quote_board_move_requested(self, message: QuoteBoard.MoveRequested) -> None:
        self.messages.append(message)

    def on_quote_board_comment_requested(self, message: QuoteBoard.CommentRequested) -> None:
        self.messages.append(message)

    def on_quote_board_elide_requested(self, message: QuoteBoard.ElideRequested) -> None:
        self.messages.append(message)

    def on_quote_board_copy_requested(self, message: QuoteBoard.CopyRequested) -> None:
        self.messages.append(message)

    def on_quote_board_grouping_requested(self, message: QuoteBoard.GroupingRequested) -> None:
        self.messages.append(message)

    def on_quote_board_filter_requested(self, message: QuoteBoard.FilterRequested) -> None:
        self.messages.append(message)

    def take(self) -> list[tuple]:
        """The messages since the last call, as (name, coding id[, delta])."""
        taken = []
        for message in self.messages:
            entry: tuple = (type(message).__name__,)
            if hasattr(message, "coding_id"):
                entry += (message.coding_id,)
            if isinstance(message, QuoteBoard.MoveRequested):
                entry += (message.delta,)
            taken.append(entry)
        self.messages.clear()
        return taken


def drive(size, script, quotes=QUOTES, group_by=None):
    """Run ``script(pilot, app, board)`` with ``quotes`` on a focused board."""

    async def main():
        app = Host()
        async with app.run_test(size=size) as pilot:
            board = app.query_one(QuoteBoard)
            board.set_quotes(quotes, group_by=group_by)
            board.focus()
            await pilot.pause()
            await script(pilot, app, board)

    asyncio.run(main())


def shown(board: QuoteBoard) -> list[str]:
    """The text of the card list's visible lines, as the terminal would get it."""
    cards = board.query_one(QuoteCardList)
    return ["".join(segment.text for segment in cards.render_line(y)) for y in range(cards.size.height)]


@pytest.mark.parametrize("size", SIZES)
def test_keys_post_messages_with_the_highlighted_coding_id(size):
    async def script(pilot, app, board):
        assert board.highlighted_quote.id == 11
        await pilot.press("down")
        assert board.highlighted_quote.id == 12
        await pilot.press("space", "enter", "c", "e", "y", "g", "f")
        assert app.take() == [
            ("SelectionToggled", 12),
            ("JumpRequested", 12),
            ("CommentRequested", 12),
            ("ElideRequested", 12),
            ("CopyRequested", 12),
            ("GroupingRequested",),
            ("FilterRequested",),
        ]
        await pilot.press("shift+down")  # 12 is not selected: nothing to reorder
        assert app.take() == []
        await pilot.press("up", "shift+down", "shift+up")
        assert app.take() == [("MoveRequested", 11, 1), ("MoveRequested", 11, -1)]

    drive(size, script)


@pytest.mark.parametrize("size", SIZES)
def test_cursor_skips_headers_and_stops_at_the_ends(size):
    async def script(pilot, app, board):
        await pilot.press("up")
        assert board.highlighted_quote.id == 11  # no wrapping round to the end
        await pilot.press("j", "j", "j")  # past the "Technology" header
        assert board.highlighted_quote.id == 21
        await pilot.press("down")
        assert board.highlighted_quote.id == 21
        await pilot.press("k")
        assert board.highlighted_quote.id == 13
        await pilot.press("home")
        assert board.highlighted_quote.id == 11
        await pilot.press("end")
        assert board.highlighted_quote.id == 21
        await pilot.press("pageup")
        assert board.highlighted_quote is not None

    drive(size, script)


def test_clicks_highlight_and_a_double_click_jumps():
    async def script(pilot, app, board):
        cards = board.query_one(QuoteCardList)
        lines = shown(board)
        row = next(y for y, line in enumerate(lines) if "quote 13" in line)
        await pilot.click(cards, offset=(10, row))
        assert board.highlighted_quote.id == 13
        assert app.take() == []
        await pilot.double_click(cards, offset=(10, row))
        assert app.take()[-1] == ("JumpRequested", 13)

    drive((120, 34), script)


def test_footer_shows_the_card_keys_and_move_needs_a_selected_quote():
    async def script(pilot, app, board):
        ids = {b.binding.id for b in app.screen.active_bindings.values()}
        assert {
            "quotes.jump",
            "quotes.toggle_selected",
            "quotes.move_up",
            "quotes.move_down",
            "quotes.comment",
            "quotes.elide",
            "quotes.copy",
            "quotes.cycle_grouping",
            "quotes.filter",
            "quotes.cursor_down",
            "quotes.cursor_up",
        } <= ids
        assert board.check_action("move", (1,)) is True  # 11 is selected
        await pilot.press("down")
        assert board.check_action("move", (1,)) is None  # shown, but disabled
        board.set_quotes([])
        assert board.check_action("toggle_selected", ()) is False
        assert board.highlighted_quote is None

    drive((120, 34), script)


@pytest.mark.parametrize("size", SIZES)
def test_cards_show_mark_passage_attribution_and_comment(size):
    async def script(pilot, app, board):
        text = "\n".join(shown(board))
        assert "Trust and confidence/Agreements matter  3 quotes" in text
        assert "★ 1" in text and "☆" in text
        assert "informant_11 · size=smaller · cluster=A  #11" in text
        assert "We read this as dependence." in text

    drive(size, script)


def test_grouping_by_an_attribute_shows_each_value_under_each_theme():
    quotes = [*QUOTES, quote(14, cluster=None)]

    async def script(pilot, app, board):
        lines = [line.strip() for line in shown(board)]
        headers = [line for line in lines if "quote" in line and "·" not in line and "(" not in line]
        assert headers == [
            "Trust and confidence/Agreements matter  4 quotes",
            "cluster=A  2 quotes",
            "cluster=B  1 quote",
            "no cluster  1 quote",
            "Technology  1 quote",
            "cluster=B  1 quote",
        ]
        assert board.group_by == "Cluster"
        await pilot.press("down")  # the first A card to the second, skipping nothing
        assert board.highlighted_quote.id == 13
        await pilot.press("down")  # over the "cluster=B" header
        assert board.highlighted_quote.id == 12

    drive((120, 34), script, quotes=quotes, group_by="Cluster")


@pytest.mark.parametrize("size", SIZES)
def test_control_characters_are_shown_harmlessly(size):
    nasty = quote(31, text="red \x1b[31mALERT\x1b[0m, csi \x9b2J, bidi \u202eevil\u202c, bell\x07\nnext")

    async def script(pilot, app, board):
        lines = shown(board)
        text = "\n".join(lines)
        assert "␛[31mALERT␛[0m" in text and "␇" in text and " ¶ next" in text
        assert not any(ch in text for ch in "\x1b\x9b\x07\u202e\u202c")
        assert all(cell_len(line) == board.query_one(QuoteCardList).size.width for line in lines)
        segments = [
            segment.text for y in range(len(lines)) for segment in board.query_one(QuoteCardList).render_line(y)
        ]
        assert not any(ch in text for text in segments for ch in "\x1b\x9b\x07")

    drive(size, script, quotes=[nasty])


@pytest.mark.parametrize("size", SIZES)
def test_a_long_quote_is_shortened_in_the_middle_and_an_elided_form_wins(size):
    long_text = "Beginning of the story. " + "and then we talked about it again " * 30 + "the very end."
    quotes = [quote(41, text=long_text), quote(42, text=long_text, elided="Beginning [...] the very end.")]

    async def script(pilot, app, board):
        text = "\n".join(shown(board))
        assert "Beginning of the story." in text and "the very end." in text
        assert text.count("[…]") == 1
        assert "Beginning [...] the very end." in text

    drive(size, script, quotes=quotes)


def test_new_quotes_keep_the_highlighted_card():
    async def script(pilot, app, board):
        board.highlight(13)
        assert board.highlighted_quote.id == 13
        board.set_quotes(list(reversed(QUOTES)))  # e.g. after a selection changed the order
        assert board.highlighted_quote.id == 13
        board.set_quotes([q for q in QUOTES if q.id != 13])  # filtered out: the card in its place
        assert board.highlighted_quote.id == 21
        board.set_quotes(QUOTES, keep_highlight=False)
        assert board.highlighted_quote.id == 11
        board.set_quotes(QUOTES)
        await pilot.pause()
        assert shown(board)[0].startswith("Trust and confidence")  # the header stays in view
        board.highlight(999)  # not shown: ignored
        assert board.highlighted_quote.id == 11

    drive((120, 34), script)


def test_the_card_stays_in_place_on_screen_when_quotes_are_set_again():
    quotes = [quote(i, text=f"Passage number {i}.") for i in range(1, 60)]

    async def script(pilot, app, board):
        cards = board.query_one(QuoteCardList)
        await pilot.press(*["down"] * 30)
        await pilot.pause()
        row = next(y for y, line in enumerate(shown(board)) if "Passage number 31." in line)
        board.set_quotes(quotes)
        await pilot.pause()
        assert board.highlighted_quote.id == 31
        assert next(y for y, line in enumerate(shown(board)) if "Passage number 31." in line) == row
        assert cards.top > 0

    drive((80, 24), script, quotes=quotes)


def test_caption_and_quotes_can_be_set_before_mounting():
    async def main():
        app = Host()
        async with app.run_test(size=(80, 24)) as pilot:
            board = QuoteBoard()
            board.set_caption("Theme: Trust \x1b[2J · grouped by cluster")
            board.set_quotes(QUOTES, group_by="cluster")
            await app.mount(board, before=0)
            await pilot.pause()
            caption = str(board.query_one("#quote-board-caption").render())
            assert caption == f"Theme: Trust ␛[2J · grouped by cluster · {len(QUOTES)} quotes"
            assert board.highlighted_quote.id == 11
            assert any("cluster=B" in line for line in shown(board))

    asyncio.run(main())


def test_two_thousand_quotes_are_set_quickly():
    themes = [f"Theme {t}/Sub-theme {s}" for t in range(10) for s in range(3)]
    quotes = [
        quote(
            i,
            themes[i % len(themes)],
            "We could not manage it ourselves, so we asked. " * (1 + i % 6),
            selected=i % 7 == 0,
            position=i // 7 % 9 + 1 if i % 7 == 0 else None,
            cluster="AB"[i % 2],
            comment="We read this as dependence." if i % 5 == 0 else None,
        )
        for i in range(1, 2001)
    ]

    async def script(pilot, app, board):
        started = time.perf_counter()
        board.set_quotes(quotes, group_by="cluster")
        took = time.perf_counter() - started
        await pilot.pause()
        painted = time.perf_counter() - started
        print(f"\nset_quotes with 2,000 quotes: {took:.3f} s ({painted:.3f} s with the first paint)")
        assert took < 2
        assert board.highlighted_quote.id == quotes[0].id
        await pilot.press("end")
        assert board.highlighted_quote is not None

    drive((120, 34), script, quotes=[])


# -- the pure text rules ----------------------------------------------------------------------


def test_visible_replaces_controls_and_flattens_whitespace():
    assert qt.visible("a\x1b[31mb") == "a␛[31mb"
    assert qt.visible("csi\x9bx del\x7f") == "csi\ufffdx del␡"
    assert qt.visible("\u202eabc\u2066") == "\ufffdabc\ufffd"
    assert qt.visible("  one\ttwo   three \n\n four\r\nfive ") == "one two three ¶ four ¶ five"
    assert qt.visible("line\u2028sep") == "line ¶ sep"
    assert qt.visible("plain text") == "plain text"


@given(st.text())
def test_visible_never_lets_a_control_character_through(text):
    shown_text = qt.visible(text)
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in shown_text)
    assert not any(ch in shown_text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
    shown_text.encode("utf-8")  # no lone surrogates


def test_cut_end_marks_a_cut_with_an_ellipsis():
    assert qt.cut_end("short", 5) == "short"
    assert qt.cut_end("a longer passage", 8) == "a longe…"
    assert len(qt.cut_end("x" * 100, 70)) == 70


def test_elide_middle_keeps_beginning_and_end_at_word_boundaries():
    text = "one two three four five six seven eight nine ten eleven twelve"
    short = qt.elide_middle(text, 30)
    assert len(short) <= 30
    assert short.startswith("one two") and short.endswith("twelve")
    assert " […] " in short
    assert qt.elide_middle(text, len(text)) == text
    assert qt.elide_middle("x" * 100, 20) == "x" * 9 + " […] " + "x" * 6
    assert qt.elide_middle("abcdef", 3) == "abc"


@given(st.text(alphabet="ab ", max_size=300), st.integers(min_value=8, max_value=200))
def test_elide_middle_never_exceeds_the_limit(text, limit):
    short = qt.elide_middle(text, limit)
    assert len(short) <= limit
    if len(text) <= limit:
        assert short == text
    else:
        head, tail = short.split(" […] ")
        assert text.startswith(head) and text.endswith(tail)


def test_passage_prefers_the_elided_form():
    assert qt.passage("full text", "full [...] text", 100) == "full [...] text"
    assert qt.passage("a\x1bb", None, 100) == "a␛b"


def test_attribution_names_the_case_then_its_attributes():
    assert (
        qt.attribution("informant_7", {"size": "smaller", "cluster": "B"}, "informant_7")
        == "informant_7 · size=smaller · cluster=B"
    )
    assert qt.attribution("anna", {"role": "IT\nlead"}, "anna_2") == "anna (anna_2) · role=IT ¶ lead"
    assert qt.attribution(None, {}, "informant_3") == "informant_3"
    assert qt.attribution("c", {"informant": 7}) == "c · informant=7"


def test_selection_mark_attribute_value_and_counts():
    assert qt.selection_mark(True, 3) == "★ 3"
    assert qt.selection_mark(False, None) == "☆"
    assert qt.attribute_value({"Cluster": "A"}, "cluster") == "A"
    assert qt.attribute_value({"size": 1}, "size") == "1"
    assert qt.attribute_value({}, "size") is None
    assert qt.count_label(1) == "1 quote" and qt.count_label(0) == "0 quotes"


def test_single_cell_ranges_match_rich():
    chars = [chr(c) for c in range(0x20, 0x2060) if not qt.NOT_SINGLE_CELL.match(chr(c))]
    assert len(chars) > 800
    assert all(cell_len(ch) == 1 for ch in chars)


@given(
    st.lists(st.sampled_from([*"ab ·…漢字", "word", "  "]), max_size=80).map("".join).map(qt.visible),
    st.integers(min_value=1, max_value=40),
)
def test_wrap_offsets_fit_the_width_and_lose_nothing(text, width):
    breaks = qt.wrap_offsets(text, width)
    assert breaks == sorted(set(breaks)) and all(0 < b < len(text) for b in breaks)
    pieces = [text[a:b] for a, b in zip([0, *breaks], [*breaks, len(text)])]
    assert "".join(pieces) == text
    for piece in pieces:
        assert cell_len(piece.rstrip()) <= max(width, 2 if any(cell_len(c) == 2 for c in piece) else 1)


def test_wrap_offsets_breaks_between_words():
    assert qt.wrap_offsets("one two three", 8) == [8]
    assert qt.wrap_offsets("one two three", 6) == [4, 8]
    assert qt.wrap_offsets("short", 10) == []
    assert qt.wrap_offsets("abcdefghij", 4) == [4, 8]


def test_a_change_far_down_a_theme_loads_only_the_cards_it_shows():
    """After a change the board keeps the highlighted card where it was and, when they fit, its
    heading above it; finding that out must not load every card between the two."""
    from workbench.domain.models import QuoteEntry

    quotes = {i: quote(i, text=f"Passage {i} about trust.") for i in range(1, 2001)}
    asked: list[int] = []

    def load(ids):
        asked.extend(ids)
        return {i: quotes[i] for i in ids if i in quotes}

    entries = [QuoteEntry(i, TRUST, 1, False, None, quotes[i].attributes) for i in quotes]

    async def main():
        app = Host()
        async with app.run_test(size=(120, 34)) as pilot:
            board = app.query_one(QuoteBoard)
            board.show(entries, load)
            board.focus()
            await pilot.pause()
            await pilot.press("end")  # the last card, 2,000 cards below its theme's heading
            await pilot.pause()
            asked.clear()
            board.update_theme(TRUST, entries[:-1] + [entries[-1]._replace(selected=False)])
            await pilot.pause()
            return len(asked), board.highlighted_quote.id

    loaded, highlighted = asyncio.run(main())
    assert highlighted == 2000
    assert loaded <= 64, f"{loaded} cards loaded for one change"


def test_drawn_cards_survive_a_change_of_focus_and_not_a_change_of_colours():
    """Opening or closing a dialog moves the focus, a style update: the cards are drawn with the
    same styles and are not drawn again. A new UI theme changes their colours: they are."""

    async def script(pilot, app, board):
        cards = board.query_one(QuoteCardList)
        shown(board)
        drawn = dict(cards._cards)
        assert drawn, "no card drawn"
        board.blur()
        app.set_focus(None)
        await pilot.pause()
        shown(board)
        assert all(cards._cards.get(i, (None, None))[1] is lines for i, (_, lines) in drawn.items())
        before = [line.text for line, _ in cards._compose_screen()]
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        shown(board)
        assert all(cards._cards.get(i, (None, None))[1] is not lines for i, (_, lines) in drawn.items())
        assert [line.text for line, _ in cards._compose_screen()] == before  # the same text, new colours

    drive((120, 34), script)


def _redraw_completely(cards: QuoteCardList) -> None:
    """Compose the card list's screen again and draw every line of it."""
    cards._screen = None
    cards.refresh()


def _painted(app: App) -> list[list[tuple[str, object]]]:
    """The screen as the compositor would paint it now, from what each widget last drew."""
    return [[(segment.text, segment.style) for segment in strip] for strip in app.screen._compositor.render_strips()]


@pytest.mark.parametrize("size", SIZES)
def test_a_move_on_screen_draws_the_two_cards_again_and_leaves_no_stale_line(size):
    """A move that does not scroll keeps the board's lines and draws only the two cards whose
    highlight changed; what is painted is what a complete redraw paints."""

    async def script(pilot, app, board):
        cards = board.query_one(QuoteCardList)
        for key in ("down", "down", "up", "j"):
            kept = cards._screen
            await pilot.press(key)
            await pilot.pause()
            assert cards._screen is kept  # not laid out again
            moved = _painted(app)
            _redraw_completely(cards)
            await pilot.pause()
            assert _painted(app) == moved
        assert board.highlighted_quote.id == 13

    drive(size, script)


def test_a_change_draws_again_only_the_lines_that_differ():
    """A theme's cards change below the screen (a coding elsewhere): no line of the card list is
    drawn again. A change in view draws again every line whose content changed, and only lines,
    never the whole list."""
    quotes = [quote(100 + i) for i in range(30)] + [quote(200 + i, TECH) for i in range(5)]

    async def script(pilot, app, board):
        cards = board.query_one(QuoteCardList)
        calls: list[tuple] = []
        refresh = cards.refresh

        def recording(*regions, **options):
            calls.append(regions)
            return refresh(*regions, **options)

        cards.refresh = recording
        tech = [entry for entry in board.entries() if entry.theme == TECH]
        board.update_theme(TECH, [*tech, tech[-1]._replace(id=299)])  # below the screen
        await pilot.pause()
        assert board.count == 36 and calls == []

        top = cards.region.y
        before = _painted(app)[top : top + cards.size.height]
        trust = [entry for entry in board.entries() if entry.theme == TRUST]
        board.update_theme(TRUST, trust[1:])  # the second card moves up into the first's place
        await pilot.pause()
        assert board.count == 35 and calls
        assert all(regions for regions in calls) and len(calls) < cards.size.height
        drawn = {y for regions in calls for region in regions for y in range(region.y, region.bottom)}
        cards.refresh = refresh
        _redraw_completely(cards)  # what the screen must now show
        await pilot.pause()
        after = _painted(app)[top : top + cards.size.height]
        changed = {y for y, (old, new) in enumerate(zip(before, after, strict=True)) if old != new}
        assert changed and changed <= drawn

    drive((120, 34), script, quotes=quotes)


def _moving_board(heights: list[int]):
    """Selected quotes (ids 1, 2, ...) in chapter order, quote ``i`` about ``heights[i-1]``
    lines of passage at 80 columns, with a loader that reads their current state, and a function
    that moves one as the coding screen does (the study's new order, then the theme updated with
    the screen held)."""
    from workbench.domain.models import QuoteEntry

    words = "We could not manage it ourselves and said so to the board. "
    quotes = {
        i: quote(i, text=f"Passage {i}. " + words * max(0, height - 1), selected=True, position=i)
        for i, height in enumerate(heights, start=1)
    }

    def load(ids):
        return {i: quotes[i] for i in ids if i in quotes}

    def entries():
        order = sorted(quotes.values(), key=lambda q: q.position)
        return [QuoteEntry(q.id, TRUST, 1, True, q.position, q.attributes) for q in order]

    def move(board: QuoteBoard, coding_id: int, delta: int) -> None:
        order = [e.id for e in entries()]
        at = order.index(coding_id)
        order.insert(at + delta, order.pop(at))
        for position, i in enumerate(order, start=1):
            quotes[i] = quotes[i]._replace(position=position)
        board.update_theme(TRUST, entries(), screen_stays=True)
        board.forget_loaded(order)
        board.highlight(coding_id)

    return entries, load, move


def _drive_moving_board(heights: list[int], script) -> None:
    """Run ``script(pilot, app, board, entries, move)`` on a focused board of ``_moving_board``'s
    quotes at 80x24."""
    entries, load, move = _moving_board(heights)

    async def main():
        app = Host()
        async with app.run_test(size=(80, 24)) as pilot:
            board = app.query_one(QuoteBoard)
            board.show(entries(), load)
            board.focus()
            await pilot.pause()
            await script(pilot, app, board, entries, move)

    asyncio.run(main())


def _card_lines(cards: QuoteCardList, coding_ids: set[int]) -> set[int]:
    """The screen lines the cards of ``coding_ids`` take now (in view)."""
    return {
        y
        for y, (_line, index) in enumerate(cards._compose_screen()[: cards.size.height])
        if cards.is_card(index) and cards.rows[index].id in coding_ids
    }


def test_a_moved_card_moves_on_a_screen_that_stays_and_only_the_two_cards_are_drawn_again():
    """Reordering a quote moves its card past its neighbour as the screen stays where it was; the
    lines drawn again are those of the two cards (not the whole board, as when the card was held
    at its height and everything around it moved), and they are what a complete redraw shows."""

    async def script(pilot, app, board, entries, move):
        cards = board.query_one(QuoteCardList)
        cards.scroll_rows(10)  # card 10 at the top, the theme's heading out of view
        board.highlight(11)
        await pilot.pause()
        assert cards.top == 10
        calls: list[tuple] = []
        refresh = cards.refresh

        def recording(*regions, **options):
            calls.append(regions)
            return refresh(*regions, **options)

        for coding_id, delta, neighbour in ((11, 1, 12), (11, 1, 13), (11, -1, 13), (12, -1, 10)):
            board.highlight(coding_id)
            await pilot.pause()
            top = cards.top
            both_before = _card_lines(cards, {coding_id, neighbour})
            assert len(both_before) == cards._height(cards.highlighted) + cards._height(board._index_of(neighbour)), (
                "both cards whole in view"
            )
            before = _painted(app)
            cards.refresh = recording
            calls.clear()
            move(board, coding_id, delta)
            await pilot.pause()
            cards.refresh = refresh
            assert board.highlighted_quote.id == coding_id
            assert board.highlighted_quote.position == [e.id for e in entries()].index(coding_id) + 1
            assert cards.top == top, "the screen stayed where it was"
            assert _card_lines(cards, {coding_id, neighbour}) == both_before  # the two swapped places
            drawn = {y for regions in calls for region in regions for y in range(region.y, region.bottom)}
            assert all(regions for regions in calls), "no refresh of the whole list"
            assert drawn and drawn <= both_before
            moved = _painted(app)
            assert moved != before
            _redraw_completely(cards)
            await pilot.pause()
            assert _painted(app) == moved
        # The theme's heading just above the screen, with room for it: the screen stays all the same.
        cards.scroll_rows(1 - cards.top)
        board.highlight(cards.rows[2].id)
        await pilot.pause()
        assert cards.top == 1
        move(board, cards.rows[2].id, 1)
        await pilot.pause()
        assert cards.top == 1

    _drive_moving_board([2, 5, 3, 1, 4, 2, 6, 2] * 3, script)


def test_a_card_moved_past_the_bottom_of_the_screen_is_scrolled_just_into_view():
    async def script(pilot, app, board, entries, move):
        cards = board.query_one(QuoteCardList)
        height, card_height = cards.size.height, len(_card_lines(cards, {1}))
        last_whole = max(i for i in range(1, 13) if len(_card_lines(cards, {i})) == card_height)
        assert last_whole < 12 and card_height > 1
        board.highlight(last_whole)
        await pilot.pause()
        assert cards.top == 0
        move(board, last_whole, 1)
        await pilot.pause()
        lines = _card_lines(cards, {last_whole})
        assert cards.top > 0, "scrolled"
        assert len(lines) == card_height  # whole
        assert max(lines) + cards._height(cards.top - 1) > height - 1  # a row less scrolled, it would not be
        assert board.highlighted_quote.id == last_whole

    _drive_moving_board([3] * 12, script)
