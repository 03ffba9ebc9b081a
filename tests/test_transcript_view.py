"""The transcript pane, driven through Pilot the way a researcher would use it."""

from __future__ import annotations

import asyncio
import random
import time

import pytest
from textual.app import App, ComposeResult

from workbench.domain.models import Turn
from workbench.tui.widgets.transcript_view import Mark, TranscriptView

SIZES = [(80, 24), (120, 34)]


def build(paragraphs: list[tuple[str, str]]) -> tuple[str, list[Turn]]:
    """A transcript of ``(label, spoken)`` paragraphs separated by blank lines."""
    text, turns = "", []
    for label, spoken in paragraphs:
        if text:
            text += "\n\n"
        start = len(text) + len(label)
        text += label + spoken
        turns.append(Turn(label.rstrip(": ") or None, start, len(text)))
    return text, turns


TEXT, TURNS = build(
    [
        ("Interviewer: ", "How did the collaboration start? Tell me about it."),
        (
            "Informant 7: ",
            "It started with the IT agreement. We could not manage it ourselves! So we asked the other municipality.",
        ),
        ("Interviewer: ", "And trust?"),
    ]
)
MARKS = [
    Mark(1, TURNS[1].start, TURNS[1].end, 10, "#cc3333"),
    Mark(2, TEXT.index("We could"), TEXT.index("ourselves!") + 10, 20, "#3366cc"),
]


class Host(App):
    """A bare app holding one transcript pane and recording its messages."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield TranscriptView(id="transcript")

    def on_transcript_view_cursor_moved(self, message: TranscriptView.CursorMoved) -> None:
        self.messages.append(message)

    def on_transcript_view_selection_changed(self, message: TranscriptView.SelectionChanged):
        self.messages.append(message)


def drive(size, script, text=TEXT, turns=TURNS, marks=MARKS):
    """Run ``script(pilot, view)`` in a host app of ``size`` with the transcript loaded."""

    async def main():
        app = Host()
        async with app.run_test(size=size) as pilot:
            view = app.query_one(TranscriptView)
            view.load(text, turns, marks)
            view.focus()
            await pilot.pause()
            await script(pilot, view)

    asyncio.run(main())


def strip_text(view: TranscriptView, y: int) -> str:
    return "".join(segment.text for segment in view.render_line(y))


@pytest.mark.parametrize("size", SIZES)
def test_arrows_move_and_shift_extends(size):
    async def script(pilot, view):
        assert view.cursor == 0 and view.selection is None
        await pilot.press("right", "right", "right")
        assert view.cursor == 3
        await pilot.press("shift+right", "shift+right")
        assert view.selection == (3, 5)
        await pilot.press("shift+left")
        assert view.selection == (3, 4)
        await pilot.press("left")  # plain movement drops the selection
        assert view.selection is None and view.cursor == 3
        await pilot.press("shift+end")
        assert view.selection is not None and view.selection[0] == 3

    drive(size, script)


@pytest.mark.parametrize("size", SIZES)
def test_t_selects_spoken_text_without_label(size):
    async def script(pilot, view):
        view.move_cursor(TEXT.index("IT agreement"))
        await pilot.press("t")
        assert view.selection == (TURNS[1].start, TURNS[1].end)
        assert TEXT[slice(*view.selection)].startswith("It started")
        view.move_cursor(2)  # on the label itself
        await pilot.press("t")
        assert view.selection == (TURNS[0].start, TURNS[0].end)
        await pilot.press("escape")
        assert view.selection is None

    drive(size, script)


@pytest.mark.parametrize("size", SIZES)
def test_turn_sentence_and_word_motions(size):
    async def script(pilot, view):
        await pilot.press("right_curly_bracket")
        assert view.cursor == TURNS[0].start
        await pilot.press("right_curly_bracket")
        assert view.cursor == TURNS[1].start
        await pilot.press("left_curly_bracket")
        assert view.cursor == TURNS[0].start
        await pilot.press("right_parenthesis")
        assert TEXT.startswith("Tell me", view.cursor)
        await pilot.press("right_parenthesis")  # next sentence skips the next label
        assert view.cursor == TURNS[1].start
        await pilot.press("left_parenthesis")
        assert TEXT.startswith("Tell me", view.cursor)
        await pilot.press("left_parenthesis")
        assert view.cursor == TURNS[0].start
        await pilot.press("w")
        assert TEXT.startswith("did", view.cursor)
        await pilot.press("ctrl+right", "b")
        assert TEXT.startswith("did", view.cursor)
        await pilot.press("s")
        assert TEXT[slice(*view.selection)] == "How did the collaboration start?"

    drive(size, script)


@pytest.mark.parametrize("size", SIZES)
def test_document_and_line_keys(size):
    async def script(pilot, view):
        await pilot.press("G")
        assert view.cursor == len(TEXT)
        await pilot.press("g")
        assert view.cursor == 0
        await pilot.press("ctrl+end")
        assert view.cursor == len(TEXT)
        await pilot.press("ctrl+home", "end")
        line_end = view.cursor
        assert line_end > 0
        await pilot.press("home")
        assert view.cursor == 0
        await pilot.press("j", "j", "k")
        assert view.cursor > 0
        await pilot.press("up")
        assert view.cursor == 0

    drive(size, script)


def test_vertical_moves_keep_the_column():
    text = "abcdefghij\nab\nabcdefghij"

    async def script(pilot, view):
        view.move_cursor(8)
        await pilot.press("down")
        assert view.cursor == 13  # the end of the short line
        await pilot.press("down")
        assert view.cursor == 14 + 8  # back to column 8
        await pilot.press("shift+up")
        assert view.selection == (13, 22) or view.selection == (14, 22)

    drive((80, 24), script, text=text, turns=[], marks=[])


def test_v_extends_with_plain_keys():
    async def script(pilot, view):
        await pilot.press("v", "right", "right", "right")
        assert view.selection == (0, 3)
        await pilot.press("v")  # stop extending; the selection stays until the next move
        assert view.selection == (0, 3)
        await pilot.press("right")
        assert view.selection is None

    drive((80, 24), script)


def test_messages_carry_cursor_marks_and_selection():
    async def script(pilot, view):
        target = TEXT.index("could")
        view.move_cursor(target, select_to=target + 5)
        await pilot.pause()
        moved = [m for m in pilot.app.messages if isinstance(m, TranscriptView.CursorMoved)]
        chosen = [m for m in pilot.app.messages if isinstance(m, TranscriptView.SelectionChanged)]
        assert moved[-1].offset == target
        assert [m.id for m in moved[-1].marks] == [2, 1]  # innermost first
        assert moved[-1].control is view
        assert chosen[-1].selection == (target, target + 5)
        view.clear_selection()
        await pilot.pause()
        assert pilot.app.messages[-1].selection is None

    drive((80, 24), script)


def test_public_queries():
    async def script(pilot, view):
        assert view.find_all("WE ") == [TEXT.index("We could"), TEXT.index("we asked")]
        assert view.marks_at(0) == []
        assert view.next_mark_offset(0, 1) == MARKS[0].start
        assert view.next_mark_offset(MARKS[0].start, 1) == MARKS[1].start
        assert view.next_mark_offset(MARKS[0].start, 1, theme_id=10) is None
        assert view.next_mark_offset(len(TEXT), -1) == MARKS[1].start
        assert view.next_mark_offset(0, -1) is None
        view.set_search_hits(view.find_all("trust"), 5)
        await pilot.pause()

    drive((80, 24), script)


def test_codings_draw_gutter_and_tint():
    async def script(pilot, view):
        line = view._layout.line_of(MARKS[1].start)
        strip = view.render_line(line)
        segments = list(strip)
        gutter = [s for s in segments[:2] if s.text == "\u258c"]
        assert len(gutter) == 2  # both themes on this line
        coded = [s for s in segments if "could" in s.text]
        plain = view.render_line(0)
        assert coded and coded[0].style.bgcolor != list(plain)[-1].style.bgcolor
        assert strip.cell_length == view.size.width

    drive((120, 34), script)


def test_cursor_move_repaints_only_two_lines():
    text = "\n".join(f"line {i} of the transcript" for i in range(100))

    async def script(pilot, view):
        before = {y: view.render_line(y) for y in range(10)}
        await pilot.press("down")
        after = {y: view.render_line(y) for y in range(10)}
        changed = [y for y in range(10) if before[y] is not after[y]]
        assert changed == [0, 1]

    drive((80, 24), script, text=text, turns=[], marks=[])


def test_set_marks_repaints_only_changed_lines():
    text = "\n".join(f"line {i} of the transcript" for i in range(100))

    async def script(pilot, view):
        before = {y: view.render_line(y) for y in range(10)}
        view.set_marks([Mark(9, text.index("line 5"), text.index("line 6"), 1, "#00ff00")])
        after = {y: view.render_line(y) for y in range(10)}
        assert [y for y in range(10) if before[y] is not after[y]] == [5, 6]

    drive((80, 24), script, text=text, turns=[], marks=[])


def test_lines_kept_after_moves_selections_and_drops_are_the_lines_drawn_anew():
    """Each move, extension and dropped selection repaints the lines it changed, no fewer: the
    lines kept equal the lines drawn from nothing, after every step of a random walk."""
    text = "\n".join(f"line {i} of the transcript, with a few words more" for i in range(60))
    rng = random.Random(11)

    def drawn(view):
        return [[(seg.text, seg.style) for seg in view.render_line(y)] for y in range(20)]

    async def script(pilot, view):
        for _ in range(120):
            step = rng.choice(["down", "up", "right", "left", "shift+down", "shift+right", "shift+up", "drop"])
            if step == "drop":
                view.clear_selection()
            else:
                await pilot.press(step)
            kept = drawn(view)
            view.notify_style_update()  # forget every kept line
            assert kept == drawn(view), step

    drive((80, 24), script, text=text, turns=[], marks=[Mark(1, 30, 200, 1, "#00ff00")])


def test_cursor_stays_visible():
    text = "\n".join(f"line {i}" for i in range(500))

    async def script(pilot, view):
        for _ in range(40):
            await pilot.press("down")
        assert view.cursor == text.index("line 40")
        top = view.scroll_offset.y
        assert top <= 40 < top + view.scrollable_content_region.height
        await pilot.press("pagedown", "ctrl+d")
        line = view._layout.line_of(view.cursor)
        assert view.scroll_offset.y <= line < view.scroll_offset.y + view.size.height
        view.move_cursor(text.index("line 300"), center=True)
        await pilot.pause()
        assert abs(view.scroll_offset.y + view.scrollable_content_region.height // 2 - 300) <= 1

    drive((80, 24), script, text=text, turns=[], marks=[])


def test_resize_rewraps():
    text = " ".join(["word"] * 200)

    async def script(pilot, view):
        lines = view._layout.line_count
        await pilot.resize_terminal(40, 24)
        await pilot.pause()
        assert view._layout.line_count > lines
        assert all(s.cell_length == view.size.width for s in map(view.render_line, range(5)))

    drive((120, 34), script, text=text, turns=[], marks=[])


def test_escape_sequences_never_reach_the_terminal():
    hostile = (
        "Interviewer: hi \x1b]52;c;SGVsbG8=\x07 there \x1b[31mred\r\n"
        "\x9b2J\x90q\x9c bell\x07 \u202eevil\u202c 日本語 done"
    )

    async def script(pilot, view):
        assert view._layout.line_count > 1
        for y in range(view.size.height):
            for segment in view.render_line(y):
                assert "\x1b" not in segment.text
                assert not any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in segment.text)
        # offsets still point into the stored text
        view.move_cursor(hostile.index("there"))
        assert view.cursor == hostile.index("there")

    drive((80, 24), script, text=hostile, turns=[Turn("Interviewer", 13, len(hostile))], marks=[])


def test_wide_characters_fill_the_line_exactly():
    text = "日本語のテキスト" * 30

    async def script(pilot, view):
        for y in range(5):
            assert view.render_line(y).cell_length == view.size.width
        await pilot.press("down")
        assert view.cursor == view._layout.starts[1]

    drive((80, 24), script, text=text, turns=[], marks=[])


def large_transcript(chars: int = 300_000, codings: int = 2_000):
    rnd = random.Random(7)
    words = (
        "we could not manage it ourselves the municipality agreement trust security "
        "responsibility collaboration cluster smaller larger"
    ).split()
    paragraphs, size = [], 0
    while size < chars:
        label = "Interviewer: " if len(paragraphs) % 2 == 0 else "Informant 7: "
        spoken = " ".join(rnd.choice(words) for _ in range(rnd.randint(8, 90))) + "."
        paragraphs.append((label, spoken))
        size += len(label) + len(spoken) + 2
    text, turns = build(paragraphs)
    colors = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0"]
    marks = []
    for i in range(codings):
        start = rnd.randrange(len(text) - 500)
        marks.append(Mark(i, start, start + rnd.randint(20, 480), i % 6, colors[i % 6]))
    return text, turns, marks


def test_large_transcript_loads_and_paints_quickly():
    text, turns, marks = large_transcript()
    assert len(text) >= 300_000

    async def main():
        app = Host()
        async with app.run_test(size=(120, 34)) as pilot:
            view = app.query_one(TranscriptView)
            await pilot.pause()
            began = time.perf_counter()
            view.load(text, turns, marks)
            for y in range(view.size.height):
                view.render_line(y)
            await pilot.pause()
            elapsed = time.perf_counter() - began
            print(f"load + first paint of {len(text)} chars, {len(marks)} codings: {elapsed:.3f} s")
            assert elapsed < 5
            view.focus()
            await pilot.press("G", "g", "pagedown", "down")
            assert view.cursor > 0

    asyncio.run(main())


def test_mouse_click_places_cursor_and_drag_selects():
    async def script(pilot, view):
        left = 3  # the gutter
        await pilot.click(TranscriptView, offset=(left + 5, 0))
        assert view.cursor == 5 and view.selection is None
        await pilot.mouse_down(TranscriptView, offset=(left + 13, 0))
        await pilot.hover(TranscriptView, offset=(left + 16, 0))
        await pilot.mouse_up(TranscriptView, offset=(left + 16, 0))
        assert TEXT[slice(*view.selection)] == "How"

    drive((80, 24), script)


def test_load_on_mount_before_the_first_layout():
    class MountHost(Host):
        def on_mount(self) -> None:
            self.query_one(TranscriptView).load(TEXT, TURNS, MARKS)

    async def main():
        app = MountHost()
        async with app.run_test(size=(80, 24)) as pilot:
            view = app.query_one(TranscriptView)
            view.focus()
            await pilot.pause()
            assert strip_text(view, 0).strip().startswith("Interviewer: How")
            await pilot.press("t")
            assert view.selection == (TURNS[0].start, TURNS[0].end)

    asyncio.run(main())
