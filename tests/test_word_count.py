"""Words are counted as str.split() finds them, a piece at a time (domain/word_count.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from workbench.domain.word_count import count_words

# Words, and every kind of whitespace between them (Unicode spaces, line and paragraph separators).
PIECES = st.lists(
    st.sampled_from(["ord", "å", "信頼", " ", "\n", "\t", "\u00a0", "\u2028", "\u3000", "\x1c", "x\u0301"])
)


@given(PIECES, st.integers(min_value=1, max_value=8))
def test_counts_as_split_does_whatever_the_piece_size(pieces: list[str], piece: int):
    text = "".join(pieces)
    assert count_words(text, piece=piece) == len(text.split())


def test_a_long_run_without_whitespace_is_one_word():
    assert count_words("a" * 50 + " b", piece=7) == 2
    assert count_words("", piece=3) == 0


@given(st.text() | st.text(st.characters(max_codepoint=127)))
def test_counts_as_split_does_on_any_text(text: str):
    """Any text, and ASCII text (counted from its bytes) with every control and space in it."""
    assert count_words(text, piece=5) == len(text.split())
    assert count_words(text) == len(text.split())
