"""Plain-text transcripts: speaker labels, timestamps, paragraphs, front matter, segments."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.timed_segments import Segment, build_from_segments
from workbench.domain.transcript_text import parse_plain_text
from workbench.errors import InputError


def spoken(parsed):
    """(speaker, spoken text) for every turn."""
    return [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns]


def assert_well_formed(parsed):
    """Turns are ordered, disjoint, inside the text, non-empty and trimmed."""
    previous_end = 0
    for turn in parsed.turns:
        assert previous_end <= turn.start < turn.end <= len(parsed.text)
        words = parsed.text[turn.start : turn.end]
        assert words.strip() == words
        previous_end = turn.end


# --- label forms --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, speaker",
    [
        ("Anna Berg: we met every week.", "Anna Berg"),
        ("I: we met every week.", "I"),
        ("R: we met every week.", "R"),
        ("Interviewer: we met every week.", "Interviewer"),
        ("Speaker 1: we met every week.", "Speaker 1"),
        ("Informant 7: we met every week.", "Informant 7"),
        ("[id1] we met every week.", "id1"),
        ("**Anna:** we met every week.", "Anna"),
        ("**Anna**: we met every week.", "Anna"),
        ("Dr. O'Neil-Smith: we met every week.", "Dr. O'Neil-Smith"),
        ("Åsa Öberg: we met every week.", "Åsa Öberg"),
    ],
)
def test_label_forms(line, speaker):
    text = f"{line}\n\nQ: and then?\n\n{line}\n"
    parsed = parse_plain_text(text, "txt")
    assert parsed.text == text  # verbatim, labels included
    assert spoken(parsed) == [
        (speaker, "we met every week."),
        ("Q", "and then?"),
        (speaker, "we met every week."),
    ]


@pytest.mark.parametrize(
    "line",
    [
        "[...] said we should meet.",
        "[the other municipality] said we should meet.",
        "[?] said we should meet.",
        "[laughs] said we should meet.",
        "What I really wanted to say then: we should meet.",
        "See http://example.org for more.",
        "At 10:30 we should meet.",
    ],
)
def test_things_that_are_not_labels(line):
    parsed = parse_plain_text(f"{line}\n\n{line}", "txt")
    assert [t.speaker for t in parsed.turns] == [None, None]
    assert spoken(parsed)[0][1] == line


def test_a_plain_label_used_once_is_running_text():
    text = "Anna: hello.\n\nNote: the tape stopped here.\n\nAnna: as I said."
    parsed = parse_plain_text(text, "txt")
    assert spoken(parsed) == [
        ("Anna", "hello.\n\nNote: the tape stopped here."),
        ("Anna", "as I said."),
    ]


def test_a_plain_label_used_twice_is_a_speaker():
    parsed = parse_plain_text("Note: one\nNote: two", "txt")
    assert spoken(parsed) == [("Note", "one"), ("Note", "two")]


def test_well_known_labels_count_even_once():
    parsed = parse_plain_text("Interviewer: just one question?", "txt")
    assert spoken(parsed) == [("Interviewer", "just one question?")]


def test_bracket_ids_with_digits_count_even_once():
    assert spoken(parse_plain_text("[id4] only once", "txt")) == [("id4", "only once")]


def test_turn_runs_until_the_next_label_without_trailing_blank_lines():
    text = "I: first line\nsecond line\n\nanother paragraph\n\n\n\nR: answer\n\n"
    parsed = parse_plain_text(text, "txt")
    assert spoken(parsed) == [
        ("I", "first line\nsecond line\n\nanother paragraph"),
        ("R", "answer"),
    ]


def test_words_on_the_line_after_the_label():
    assert spoken(parse_plain_text("I:\n  Hello there\nR: hi", "txt")) == [
        ("I", "Hello there"),
        ("R", "hi"),
    ]


def test_a_label_without_words_opens_no_turn():
    assert spoken(parse_plain_text("I:\nR: answer", "txt")) == [("R", "answer")]


def test_text_before_the_first_label_is_split_into_paragraphs():
    text = "# Interview 3\n\nRecorded in May.\nTwo lines.\n\nI: hello\nR: hi"
    parsed = parse_plain_text(text, "md")
    assert spoken(parsed) == [
        (None, "# Interview 3"),
        (None, "Recorded in May.\nTwo lines."),
        ("I", "hello"),
        ("R", "hi"),
    ]


def test_a_document_without_labels_is_one_turn_per_paragraph():
    text = "\n\n  First paragraph.  \n \n\nSecond\nparagraph.\n"
    parsed = parse_plain_text(text, "txt")
    assert parsed.text == text
    assert spoken(parsed) == [(None, "First paragraph."), (None, "Second\nparagraph.")]


# --- timestamps ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, seconds",
    [
        ("[00:01:02] Anna: words", 62.0),
        ("00:01:02 Anna: words", 62.0),
        ("(00:01:02) Anna: words", 62.0),
        ("[01:02] Anna: words", 62.0),
        ("[01:02:03.5] Anna: words", 3723.5),
        ("Anna: [00:01:02,250] words", 62.25),
        ("Anna: (00:01:02) words", 62.0),
        ("Anna: 00:01:02 words", 62.0),
        ("[id1] [00:00:07] words", 7.0),
        ("**Anna:** [01:02] words", 62.0),
    ],
)
def test_timestamps_before_or_after_the_label(line, seconds):
    parsed = parse_plain_text(f"{line}\n{line}", "txt")
    assert [t.time_start for t in parsed.turns] == [seconds, seconds]
    assert {words for _, words in spoken(parsed)} == {"words"}


def test_a_bare_clock_time_after_a_label_is_speech():
    parsed = parse_plain_text("Interviewer: 10:30 is when we met", "txt")
    assert spoken(parsed) == [("Interviewer", "10:30 is when we met")]
    assert parsed.turns[0].time_start is None


# --- front matter -------------------------------------------------------------------------------


def test_front_matter_gives_attributes_as_written():
    text = (
        "---\n"
        "case: Informant 7\n"
        "size: smaller\n"
        "date: 2021-03-04\n"
        "consent: yes\n"
        "interviews: 2\n"
        "clusters: [A, B]\n"
        "notes:\n"
        "---\n"
        "I: hello\nR: hi\n"
    )
    parsed = parse_plain_text(text, "md", "inf7.md")
    assert parsed.attributes == {
        "case": "Informant 7",
        "size": "smaller",
        "date": "2021-03-04",
        "consent": "yes",
        "interviews": "2",
        "clusters": "A, B",
        "notes": "",
    }
    assert parsed.text == "I: hello\nR: hi\n"
    assert spoken(parsed) == [("I", "hello"), ("R", "hi")]


def test_empty_front_matter():
    parsed = parse_plain_text("---\n---\nI: hi", "md")
    assert parsed.attributes == {}
    assert parsed.text == "I: hi"


def test_an_opening_rule_without_a_closing_one_is_text():
    text = "---\nI: hi\nR: ho"
    parsed = parse_plain_text(text, "md")
    assert parsed.attributes == {}
    assert parsed.text == text


@pytest.mark.parametrize(
    "front, line",
    [
        ("case: [unclosed\n", 2),
        ("case: a\nsize: b: c\n", 3),
        ("- just\n- a list\n", 2),
        ("plain words\n", 2),
        ("case: a\ncase: b\n", 3),
        ("case:\n  nested: mapping\n", 2),
    ],
)
def test_bad_front_matter_is_an_input_error_with_the_line(front, line):
    with pytest.raises(InputError) as info:
        parse_plain_text(f"---\n{front}---\nI: hi\n", "md", "inf7.md")
    assert info.value.where == f"inf7.md:{line}"
    assert "\n" not in str(info.value)
    assert "front matter" in str(info.value)


# --- segments -----------------------------------------------------------------------------------


def test_build_from_segments_merges_consecutive_speakers():
    parsed = build_from_segments(
        [
            Segment("INT", " Victor, could you\n explain ", 5.0, 9.0),
            Segment(None, "how it works?", 9.0, 12.5),
            Segment("AB", "Yes.", 13.0, 14.0),
            Segment("AB", "It is complicated.", 14.0, 20.0),
            Segment(None, "   ", 20.0, 21.0),
            Segment("INT", "Thank you.", 22.0, 23.0),
        ],
        "vtt",
    )
    assert parsed.format == "vtt"
    assert parsed.text == (
        "INT: Victor, could you explain how it works?\n\nAB: Yes. It is complicated.\n\nINT: Thank you."
    )
    assert spoken(parsed) == [
        ("INT", "Victor, could you explain how it works?"),
        ("AB", "Yes. It is complicated."),
        ("INT", "Thank you."),
    ]
    assert [(t.time_start, t.time_end) for t in parsed.turns] == [
        (5.0, 12.5),
        (13.0, 20.0),
        (22.0, 23.0),
    ]


def test_segments_without_any_speaker_are_plain_paragraphs():
    parsed = build_from_segments([Segment(None, "one", 0, 1), Segment(None, "two", 1, 2)], "srt")
    assert parsed.text == "one two"
    assert spoken(parsed) == [(None, "one two")]


def test_no_segments_give_empty_text():
    parsed = build_from_segments([], "vtt")
    assert (parsed.text, parsed.turns) == ("", [])


# --- properties ---------------------------------------------------------------------------------

# Characters that make labels, brackets, timestamps and front matter likely.
_TRICKY = st.text(alphabet=st.sampled_from(list("IRQab Ann:*[]().,-'01239\n\t-\u00e5\r")), max_size=200)


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=300), _TRICKY))
def test_parse_plain_text_never_fails_badly_and_turns_are_well_formed(text):
    try:
        parsed = parse_plain_text(text, "txt", "x.txt")
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert_well_formed(parsed)
    assert text.endswith(parsed.text)


@settings(max_examples=200)
@given(front=st.one_of(st.text(max_size=80), _TRICKY), body=_TRICKY)
def test_front_matter_never_fails_badly(front, body):
    try:
        parsed = parse_plain_text(f"---\n{front}\n---\n{body}", "md", "x.md")
    except InputError as exc:
        assert "\n" not in str(exc)
        assert str(exc).startswith("x.md:")
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in parsed.attributes.items())
    assert_well_formed(parsed)


_SEGMENTS = st.lists(
    st.builds(
        Segment,
        st.one_of(st.none(), st.sampled_from(["A", "B", "Speaker 2"])),
        st.text(max_size=30),
        st.none(),
        st.none(),
    ),
    max_size=20,
)


@given(_SEGMENTS)
def test_segment_turns_cover_exactly_the_spoken_words(segments):
    parsed = build_from_segments(segments, "vtt")
    assert_well_formed(parsed)
    words = [w for s in segments for w in s.text.split()]
    assert [w for t in parsed.turns for w in parsed.text[t.start : t.end].split()] == words
    for turn in parsed.turns:
        if turn.speaker:
            assert parsed.text[: turn.start].endswith(f"{turn.speaker}: ")
    speakers = [t.speaker for t in parsed.turns]
    assert all(a != b for a, b in zip(speakers, speakers[1:]))
