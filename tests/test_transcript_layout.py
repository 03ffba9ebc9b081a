"""The transcript pane's pure layout: safe display text, soft wrap, offset mapping, motions."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.tui.widgets import transcript_layout as tl
from workbench.tui.widgets.transcript_layout import Layout


def lines_of(layout: Layout) -> list[str]:
    return [layout.text[slice(*layout.line_range(i))] for i in range(layout.line_count)]


# -- sanitize -------------------------------------------------------------------------------


def test_sanitize_keeps_length_and_newlines():
    raw = "a\x1b]52;c;SGVsbG8=\x07b\x1b[31mred\r\n\x9b1m\tz\u202e\ud800"
    safe = tl.sanitize(raw)
    assert len(safe) == len(raw)
    assert safe.count("\n") == raw.count("\n") == 1
    assert safe.index("\n") == raw.index("\n")


def test_sanitize_leaves_nothing_a_terminal_would_act_on():
    raw = "".join(map(chr, range(0x00, 0xA0))) + "\u2028\u2029\u200e\u202e\u2066\ufeff"
    safe = tl.sanitize(raw)
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u202e\u2066\ufeff]", safe)
    assert safe[0x1B] == "\u241b"  # ESC shown as its control picture


def test_sanitize_returns_plain_text_unchanged():
    text = "Interviewer: Hur gick samarbetet? 日本語"
    assert tl.sanitize(text) is text


def test_single_cell_fast_path_agrees_with_rich():
    from rich.cells import cell_len

    for start, end in [(0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2010, 0x2027), (0x2030, 0x205E)]:
        chunk = "".join(map(chr, range(start, end + 1)))
        assert tl.cells(chunk) == len(chunk) == cell_len(chunk)


# -- wrapping -------------------------------------------------------------------------------


def test_wraps_at_word_boundaries():
    layout = Layout("the quick brown fox jumps", 10)
    assert lines_of(layout) == ["the quick ", "brown fox ", "jumps"]


def test_long_word_is_broken_at_the_width():
    assert lines_of(Layout("abcdefghijkl mno", 5)) == ["abcde", "fghij", "kl ", "mno"]


def test_newlines_and_blank_lines_are_kept():
    layout = Layout("A: one\n\nB: two\n", 20)
    assert lines_of(layout) == ["A: one\n", "\n", "B: two\n", ""]
    assert layout.line_text(0) == "A: one"
    assert layout.line_last_offset(0) == 6  # the newline


def test_empty_text_has_one_line():
    layout = Layout("", 10)
    assert layout.line_count == 1
    assert layout.offset_to_point(0) == (0, 0)
    assert layout.point_to_offset(0, 5) == 0


def test_wide_characters_take_two_cells():
    layout = Layout("日本語のテキスト", 5)
    assert lines_of(layout) == ["日本", "語の", "テキ", "スト"]
    assert layout.offset_to_point(3) == (1, 2)
    assert layout.point_to_offset(1, 3) == 3  # the right half of 語 still means 語
    assert layout.point_to_offset(1, 9) == 3  # past the end of a wrapped line: its last char


def test_combining_marks_stay_with_their_base():
    text = "e\u0301" * 6
    layout = Layout(text, 3)
    assert all(not line.startswith("\u0301") for line in lines_of(layout))
    assert all(tl.cells(layout.line_text(i)) <= 3 for i in range(layout.line_count))


def test_offset_past_soft_wrap_starts_next_line():
    layout = Layout("aaaa bbbb", 5)
    assert layout.offset_to_point(5) == (1, 0)
    assert layout.offset_to_point(9) == (1, 4)  # end of text after the last character


TEXT = st.text(
    alphabet=st.sampled_from([*"ab cd.\n!?", "日", "本", "\u0301", "\x1b", "\t", "é", " "]),
    max_size=120,
)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=2, max_value=30))
def test_lines_cover_the_text_in_order(raw, width):
    layout = Layout(tl.sanitize(raw), width)
    assert layout.starts[0] == 0
    assert all(a < b for a, b in zip(layout.starts, layout.starts[1:]))
    assert "".join(lines_of(layout)) == layout.text
    for line in lines_of(layout)[:-1] if layout.line_count > 1 else []:
        assert "\n" not in line[:-1]


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=2, max_value=30))
def test_no_line_is_wider_than_the_width(raw, width):
    layout = Layout(tl.sanitize(raw), width)
    for i in range(layout.line_count):
        assert tl.cells(layout.line_text(i)) <= width


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(min_value=2, max_value=30))
def test_every_offset_maps_to_a_point_and_back(raw, width):
    text = tl.sanitize(raw)
    layout = Layout(text, width)
    for offset in range(len(text) + 1):
        line, x = layout.offset_to_point(offset)
        start, end = layout.line_range(line)
        assert start <= offset <= end
        assert 0 <= x <= width
        back = layout.point_to_offset(line, x)
        if offset < len(text) and tl.char_width(text[offset]) == 0 and text[offset] != "\n":
            assert layout.line_of(back) == line  # a zero-width mark shares its neighbour's cell
        else:
            assert back == offset


# -- motions --------------------------------------------------------------------------------

SAMPLE = "Interviewer: How did it go? Well. We could not manage it ourselves!\n\nInformant: Yes."


def test_word_motions():
    assert tl.word_right(SAMPLE, 0) == 13  # "How"
    assert tl.word_right(SAMPLE, 14) == 17  # from inside "How" to "did"
    assert tl.word_left(SAMPLE, 17) == 13
    assert tl.word_left(SAMPLE, 15) == 13
    assert tl.word_left(SAMPLE, 0) == 0
    assert tl.word_right(SAMPLE, len(SAMPLE)) == len(SAMPLE)


def test_sentence_bounds():
    assert SAMPLE[slice(*tl.sentence_bounds(SAMPLE, 30))] == "Well."
    assert SAMPLE[slice(*tl.sentence_bounds(SAMPLE, 40))] == "We could not manage it ourselves!"
    assert SAMPLE[slice(*tl.sentence_bounds(SAMPLE, 27))] == "Interviewer: How did it go?"
    assert tl.sentence_bounds(SAMPLE, 68) == (68, 68)  # the blank line


def test_elisions_do_not_end_a_sentence():
    text = "We [...] did it. Then"
    assert text[slice(*tl.sentence_bounds(text, 2))] == "We [...] did it."


def test_next_and_previous_sentence():
    starts = []
    offset = 0
    while (offset := tl.next_sentence_start(SAMPLE, offset)) < len(SAMPLE):
        starts.append(offset)
    assert [SAMPLE[s : s + 4] for s in starts] == ["Well", "We c", "Info"]
    assert tl.previous_sentence_start(SAMPLE, starts[2]) == starts[1]
    assert tl.previous_sentence_start(SAMPLE, starts[1] + 3) == starts[1]
    assert tl.previous_sentence_start(SAMPLE, 3) == 0


def test_paragraphs():
    assert tl.paragraph_starts(SAMPLE) == [0, 69]
    assert SAMPLE[slice(*tl.paragraph_bounds(SAMPLE, 71))] == "Informant: Yes."


@pytest.mark.parametrize("span, expected", [((0, 5), (0, 3)), ((3, 5), (5, 5)), ((3, 9), (5, 7))])
def test_trim_span(span, expected):
    assert tl.trim_span("abc  de  ", *span) == expected


# -- spans and labels -----------------------------------------------------------------------


class Span:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 40)), max_size=30), st.integers(0, 100), st.integers(1, 20)
)
def test_span_index_finds_exactly_the_overlapping_spans(raw, start, length):
    spans = [Span(s, s + n) for s, n in raw]
    index = tl.SpanIndex(spans)
    found = index.overlapping(start, start + length)
    expected = [s for s in spans if s.start < start + length and s.end > start and s.end > s.start]
    assert sorted(map(id, found)) == sorted(map(id, expected))
    assert [s.start for s in found] == sorted(s.start for s in found)


class Coding(Span):
    def __init__(self, id: int, start: int, end: int) -> None:
        super().__init__(start, end)
        self.id = id


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 40)), max_size=30),
    st.data(),
    st.lists(st.tuples(st.integers(0, 60), st.integers(0, 40)), max_size=4),
    st.integers(0, 100),
    st.integers(1, 20),
)
def test_a_span_index_changed_in_place_is_the_index_built_anew(raw, data, new_raw, start, length):
    """Taking spans out and putting new ones in leaves the index as sorting them all would."""
    order = lambda c: (c.start, c.end, c.id)  # noqa: E731 - the transcript's order of codings
    spans = [Coding(i, s, s + n) for i, (s, n) in enumerate(raw)]
    index = tl.SpanIndex(spans, order=order)
    gone = data.draw(st.lists(st.sampled_from(spans), unique_by=id, max_size=4)) if spans else []
    added = [Coding(len(raw) + i, s, s + n) for i, (s, n) in enumerate(new_raw)]
    assert index.toggle(gone + added)
    kept = [s for s in spans if all(s is not g for g in gone)] + added
    rebuilt = tl.SpanIndex(kept, order=order)
    assert [id(s) for s in index.spans] == [id(s) for s in rebuilt.spans]
    assert index.starts == rebuilt.starts
    assert index.overlapping(start, start + length) == rebuilt.overlapping(start, start + length)
    assert index._max_end == rebuilt._max_end


def test_a_span_index_refuses_a_span_equal_to_one_it_holds():
    held = Coding(1, 0, 5)
    index = tl.SpanIndex([held], order=lambda c: (c.start, c.end, c.id))
    assert not index.toggle([Coding(2, 3, 9), Coding(1, 0, 5)])  # equal to the one held, not it


def test_a_span_index_takes_a_span_for_an_equal_one_that_goes():
    """A coding drawn in a new colour: the old mark goes and a new one, equal in order, comes."""
    old, other = Coding(1, 0, 5), Coding(2, 1, 3)
    index = tl.SpanIndex([old, other], order=lambda c: (c.start, c.end, c.id))
    new = Coding(1, 0, 5)
    assert index.toggle([old, new])
    assert index.spans == [new, other]


def test_labels_on_the_same_line_and_on_the_line_above():
    text = "Title of the interview\n\nInterviewer: Hello there.\n\nINFORMANT 7\nWell, yes.\nNo label"
    turns = [
        Span(text.index("Hello"), text.index("there.") + 6),
        Span(text.index("Well"), text.index("yes.") + 4),
        Span(text.index("No label"), len(text)),
    ]
    regions, labels = tl.label_ranges(text, turns)
    assert [text[s:e] for s, e in labels] == ["Interviewer:", "INFORMANT 7"]
    assert regions == [text.index("Interviewer"), text.index("INFORMANT"), text.index("No label")]


def test_a_span_index_takes_out_a_span_named_twice_once():
    first, second = Coding(1, 0, 5), Coding(2, 1, 3)
    index = tl.SpanIndex([first, second], order=lambda c: (c.start, c.end, c.id))
    assert index.toggle([first, first])
    assert index.spans == [second]
