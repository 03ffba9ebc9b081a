"""Placing codings in a changed transcript: exact first, then unique, then similar; else flagged."""

from __future__ import annotations

import random
import re
import time

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workbench.domain.reanchor import (
    FLAGGED,
    KEPT,
    MOVED,
    Anchor,
    Span,
    equal_blocks,
    passage_near,
    reanchor,
    similarity,
)

# A vocabulary big enough that a passage of a few words is usually unique, as in real speech,
# with the small words that make real transcripts repetitive.
VOCABULARY = (
    "the a and of to we it they you i that is was in on for with not but so well "
    "agreement trust municipality collaboration system routine budget council steering group "
    "school network service price model order computer technician ticket catalogue process "
    "friction decision manager priority gravity habit everyday reality culture identity "
    "security responsibility document paragraph discussion politics honeymoon report "
    "vulnerability retired sick leave person host unit staff transferred phase positive "
    "cheaper better organisation different ordering afternoon harmonising biggest slowly "
    "expect nods months nothing happened line own pulls back governed directors finance "
    "backbone regulates deliver levels included revise honestly important without fragile"
).split()

SEPARATORS = [" ", " ", " ", " ", ", ", ". ", "\n", "\n\n"]


@st.composite
def transcripts(draw, min_words: int = 30, max_words: int = 160):
    """A text as tokens: (word, separator after it)."""
    count = draw(st.integers(min_words, max_words))
    words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=count, max_size=count))
    seps = draw(st.lists(st.sampled_from(SEPARATORS), min_size=count, max_size=count))
    return [[w, s] for w, s in zip(words, seps)]


def render(tokens) -> tuple[str, list[int]]:
    """The text and the offset where each token starts."""
    starts, parts, position = [], [], 0
    for word, sep in tokens:
        starts.append(position)
        parts.append(word + sep)
        position += len(word) + len(sep)
    return "".join(parts), starts


def count(text: str, passage: str) -> int:
    """Occurrences of ``passage`` in ``text``, overlapping ones included (unlike ``str.count``)."""
    return sum(1 for i in range(len(text)) if text.startswith(passage, i))


def span_of(tokens, starts, i: int, j: int) -> tuple[int, int]:
    """Offsets of tokens i..j-1 (the last one's separator excluded)."""
    return starts[i], starts[j - 1] + len(tokens[j - 1][0])


@st.composite
def spans_in(draw, tokens, count=(1, 6)):
    n = len(tokens)
    result = []
    for _ in range(draw(st.integers(*count))):
        i = draw(st.integers(0, n - 2))
        j = draw(st.integers(i + 1, min(n, i + 12)))
        result.append((i, j))
    return result


# -- properties -----------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_edits_elsewhere_keep_every_untouched_span_exactly(data):
    tokens = data.draw(transcripts())
    old, starts = render(tokens)
    # A passage said twice cannot be told apart from its copy by any diff; real ones rarely are.
    spans = [
        (i, j)
        for i, j in data.draw(spans_in(tokens))
        if count(old, old.__getitem__(slice(*span_of(tokens, starts, i, j)))) == 1
    ]
    assume(spans)
    covered = {k for i, j in spans for k in range(i, j)}
    inside = {k for i, j in spans for k in range(i + 1, j)}  # insert points strictly inside a span
    # Each token remembers its identity, so where it ends up can be followed.
    tagged = [[w, s, k] for k, (w, s) in enumerate(tokens)]
    for _ in range(data.draw(st.integers(1, 12))):
        kind = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        free = [p for p, t in enumerate(tagged) if t[2] not in covered]
        if kind == "insert":
            points = [p for p in range(len(tagged) + 1) if p == len(tagged) or tagged[p][2] not in inside]
            p = data.draw(st.sampled_from(points))
            tagged.insert(p, [data.draw(st.sampled_from(VOCABULARY)), data.draw(st.sampled_from(SEPARATORS)), None])
        elif free:
            p = data.draw(st.sampled_from(free))
            if kind == "delete" and len(tagged) > 2:
                del tagged[p]
            else:
                tagged[p][0] = data.draw(st.sampled_from(VOCABULARY)) + "x"
    new, new_starts = render([(w, s) for w, s, _k in tagged])
    position = {t[2]: p for p, t in enumerate(tagged) if t[2] is not None}
    placements = reanchor(old, new, [Span(n, *span_of(tokens, starts, i, j)) for n, (i, j) in enumerate(spans)])
    for (i, j), placement in zip(spans, placements):
        start, end = span_of(tokens, starts, i, j)
        coded = old[start:end]
        if placement.status == FLAGGED:
            # only when the edits wrote the same words again nearby, so that no diff can tell
            # the copies apart; then the best guess is one of them, and it says so
            assert count(new, coded) > 1 and "occurs" in placement.reason, (placement, coded)
            assert new[placement.start : placement.end] == coded
            continue
        assert placement.status in (KEPT, MOVED), (placement, coded)
        assert new[placement.start : placement.end] == coded
        assert placement.status == KEPT or (placement.start, placement.end) != (start, end)
        expected = new_starts[position[i]]
        if count(new, coded) == 1:
            assert placement.start == expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_span_whose_text_was_deleted_is_flagged_never_placed_silently(data):
    """The deleted words are gone from where they were (else it reads as an edit)."""
    tokens = data.draw(transcripts())
    old, starts = render(tokens)
    i = data.draw(st.integers(1, len(tokens) - 3))
    j = data.draw(st.integers(i + 1, min(len(tokens) - 1, i + 8)))
    start, end = span_of(tokens, starts, i, j)
    coded = old[start:end]
    assume(count(old, coded) == 1)  # with two copies no diff can tell which one went
    # delete the passage, perhaps with some words around it
    lo = data.draw(st.integers(max(0, i - 2), i))
    hi = data.draw(st.integers(j, min(len(tokens), j + 2)))
    new = old[: starts[lo]] + old[(starts[hi] if hi < len(tokens) else len(old)) :]
    assume(coded not in new)  # the deletion did not happen to spell it again
    # nor left the coded words around the gap, which would read as an edit of the passage
    around = new[max(0, starts[lo] - len(coded) - 10) : starts[lo] + len(coded) + 10]
    assume(not any(len(w) >= 4 and w in around for w in re.findall(r"\w+", coded)))
    (placement,) = reanchor(old, new, [Span(1, start, end)])
    assert placement.status == FLAGGED
    assert placement.reason
    if placement.start is not None:
        assert new[placement.start : placement.end] != coded


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_typo_fixed_inside_a_span_moves_the_span_with_its_text(data):
    tokens = data.draw(transcripts())
    old, starts = render(tokens)
    i = data.draw(st.integers(0, len(tokens) - 5))
    j = data.draw(st.integers(i + 4, min(len(tokens), i + 12)))
    start, end = span_of(tokens, starts, i, j)
    assume(count(old, old[start:end]) == 1)
    letters = [p for p in range(start + 1, end - 1) if old[p].isalpha()]
    p = data.draw(st.sampled_from(letters))
    fixed = data.draw(st.sampled_from([c for c in "abcdefghijklmnopqrstuvwxyz" if c != old[p]]))
    # also a change well before the span, so it moves as well as changes
    shift = data.draw(st.sampled_from(["", "Well, ", "Interviewer: right.\n\n"]))
    new = shift + old[:p] + fixed + old[p + 1 :]
    (placement,) = reanchor(old, new, [Span(1, start, end)])
    assert placement.status == MOVED, placement
    assert placement.edited
    assert (placement.start, placement.end) == (start + len(shift), end + len(shift))
    assert new[placement.start : placement.end] == (old[start:p] + fixed + old[p + 1 : end])


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.text(max_size=300))
def test_equal_blocks_are_really_equal_and_in_order(old, new):
    blocks = equal_blocks(old, new)
    previous_a = previous_b = 0
    for a, b, n in blocks:
        assert n > 0 and a >= previous_a and b >= previous_b
        assert old[a : a + n] == new[b : b + n]
        previous_a, previous_b = a + n, b + n


@settings(max_examples=100, deadline=None)
@given(
    st.text(max_size=200),
    st.text(max_size=200),
    st.lists(st.tuples(st.integers(-5, 210), st.integers(-5, 210)), max_size=5),
)
def test_any_input_gives_a_placement_inside_the_new_text(old, new, raw_spans):
    spans = [Span(n, a, b) for n, (a, b) in enumerate(raw_spans)]
    for placement in reanchor(old, new, spans):
        assert placement.status in (KEPT, MOVED, FLAGGED)
        if placement.status != FLAGGED:
            assert 0 <= placement.start < placement.end <= len(new)
        elif placement.start is not None:
            assert 0 <= placement.start <= placement.end <= len(new)
        if placement.status == FLAGGED:
            assert placement.reason


# -- examples -------------------------------------------------------------------------------------

TEXT = (
    "Interviewer: How did it start?\n\n"
    "Informant: It started with the IT agreement. We could not manage it ourselves. "
    "So we asked Lindköping for help.\n\n"
    "Interviewer: And trust?\n\n"
    "Informant: Trust is a fragile thing to build a whole IT operation on. We agree on most things.\n"
)


def place(old: str, new: str, passage: str, occurrence: int = 0):
    start = -1
    for _ in range(occurrence + 1):
        start = old.index(passage, start + 1)
    return reanchor(old, new, [Span("k", start, start + len(passage))])[0]


def test_an_unchanged_text_keeps_everything():
    (placement,) = reanchor(TEXT, TEXT, [Span(1, 13, 30)])
    assert (placement.status, placement.start, placement.end) == (KEPT, 13, 30)


def test_text_inserted_before_moves_the_span():
    new = "Interviewer: Thank you for coming.\n\n" + TEXT
    placement = place(TEXT, new, "We could not manage it ourselves.")
    assert placement.status == MOVED and not placement.edited
    assert new[placement.start : placement.end] == "We could not manage it ourselves."


def test_a_moved_paragraph_is_followed():
    para = "Informant: Trust is a fragile thing to build a whole IT operation on. We agree on most things.\n"
    new = para + "\n" + TEXT.replace(para, "")
    placement = place(TEXT, new, "Trust is a fragile thing to build a whole IT operation on.")
    assert placement.status == MOVED
    assert new[placement.start : placement.end] == "Trust is a fragile thing to build a whole IT operation on."


def test_a_moved_and_corrected_paragraph_is_followed_with_its_new_wording():
    para = "Informant: Trust is a fragile thing to build a whole IT operation on. We agree on most things.\n"
    moved = para.replace("fragile", "fraggile").replace("whole", "entire")
    new = TEXT.replace(para, "") + "\n" + moved
    placement = place(TEXT, new, "Trust is a fragile thing to build a whole IT operation on.")
    assert placement.status == MOVED and placement.edited
    assert new[placement.start : placement.end] == "Trust is a fraggile thing to build a entire IT operation on."


def test_a_replaced_name_is_flagged_with_the_replacement_as_best_guess():
    new = TEXT.replace("Lindköping", "[the other municipality]")
    placement = place(TEXT, new, "Lindköping")
    assert placement.status == FLAGGED
    assert new[placement.start : placement.end] == "[the other municipality]"
    assert "changed" in placement.reason and "%" in placement.reason


def test_a_long_passage_with_a_replaced_name_moves_with_its_new_wording():
    passage = "It started with the IT agreement. We could not manage it ourselves. So we asked Lindköping for help."
    new = TEXT.replace("Lindköping", "[...]")
    placement = place(TEXT, new, passage)
    assert placement.status == MOVED and placement.edited
    assert new[placement.start : placement.end] == passage.replace("Lindköping", "[...]")


def test_one_of_two_equal_sentences_deleted_is_never_pinned_on_the_other():
    text = "Informant: We agree on most things. Really. We agree on most things.\n"
    new = "Informant: We agree on most things. Really.\n"
    placement = place(text, new, "We agree on most things.", occurrence=1)
    assert placement.status == FLAGGED
    assert "there before too" in placement.reason


def test_a_whitespace_only_coding_is_flagged():
    (placement,) = reanchor(TEXT, TEXT + "x", [Span(1, 30, 32)])
    assert placement.status == FLAGGED and placement.start is None


def test_a_coded_copy_that_differs_from_the_old_text_is_looked_up_by_its_copy():
    start = TEXT.index("Trust is")
    placement = reanchor(TEXT, "Intro.\n" + TEXT, [Span(1, 0, 5, text="Trust is a fragile thing")])[0]
    assert placement.status == MOVED and placement.start == start + len("Intro.\n")


def test_passage_near_finds_the_line_where_the_text_was():
    text = "first line\n\n   second line  \n"
    assert passage_near(text, 11) == (15, 26)
    assert passage_near(text, len(text)) == (15, 26)
    assert passage_near("", 0) == (0, 0)


def test_similarity_uses_characters_for_short_and_words_for_long_passages():
    assert similarity("recieve", "receive") > 0.8
    long_a = "we could not manage it ourselves " * 20
    assert similarity(long_a, long_a.replace("manage", "manaage", 1)) > 0.95
    assert similarity("short", "a much much longer passage", 0.8) < 0.8


def test_mapping_takes_insertions_at_a_span_edge_outside_the_span():
    anchor = Anchor("abc def ghi", "abc XX def ghi")
    assert anchor.map_start(4) == (7, True)
    assert anchor.map_end(7) == (10, True)


# -- speed ----------------------------------------------------------------------------------------


def _big_transcript(rng: random.Random, size: int) -> str:
    words = VOCABULARY + [f"{w}{n}" for n in range(40) for w in ("name", "place", "thing")]
    parts, length = [], 0
    while length < size:
        paragraph = (
            ("Interviewer: " if rng.random() < 0.4 else "Informant: ")
            + " ".join(rng.choice(words) for _ in range(rng.randint(15, 120)))
            + ".\n\n"
        )
        parts.append(paragraph)
        length += len(paragraph)
    return "".join(parts)


def _spans(rng: random.Random, text: str, count: int) -> list[Span]:
    words = [m.span() for m in re.finditer(r"\S+", text)]
    result = []
    for key in range(count):
        i = rng.randrange(len(words) - 80)
        result.append(Span(key, words[i][0], words[i + rng.randint(2, 60)][1]))
    return result


@pytest.mark.parametrize(
    "change", ["one typo", "200 scattered edits", "a name replaced everywhere", "every speaker label renamed"]
)
def test_300000_characters_and_2000_codings_are_placed_in_a_few_seconds(change):
    rng = random.Random(7)
    old = _big_transcript(rng, 300_000)
    spans = _spans(rng, old, 2000)
    if change == "one typo":
        new = old[:150_000] + "x" + old[150_001:]
    elif change == "200 scattered edits":
        new = old
        for _ in range(200):
            p = rng.randrange(len(new))
            new = new[:p] + rng.choice(["", "hmm ", "Q"]) + new[p + rng.randint(0, 5) :]
    elif change == "a name replaced everywhere":
        new = re.sub(r"\bname1\b", "[the other municipality]", old)
    else:
        new = old.replace("Interviewer:", "I:").replace("Informant:", "R:")
    started = time.perf_counter()
    placements = reanchor(old, new, spans)
    seconds = time.perf_counter() - started
    counts = {s: sum(p.status == s for p in placements) for s in (KEPT, MOVED, FLAGGED)}
    print(f"\nre-anchoring 300,000 characters / 2,000 codings, {change}: {seconds:.2f} s, {counts}")
    assert seconds < 15  # about 0.5 s on a laptop; the bound only catches a runaway diff
    for placement, span in zip(placements, spans):
        if placement.status != FLAGGED and not placement.edited:
            assert new[placement.start : placement.end] == old[span.start : span.end]
    assert counts[FLAGGED] <= 20
