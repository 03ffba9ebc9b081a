"""Finding words in transcripts the way a researcher expects, in Swedish, German or English.

One matcher for every place the workbench looks for text a person typed: the search across
transcripts, ``code --text``, elided quotes and reading a chapter back.

- **Canonically equivalent text is equal.** A transcript written on macOS may store "ö" as "o"
  plus a combining diaeresis (NFD) while the researcher types "ö" (NFC). The text is compared
  in a folded form (NFC after the folds below) and every hit is mapped back to the exact code
  points of the stored text, so offsets stay what they are everywhere else: code points of the
  text as stored, end exclusive.
- **Case** is ignored by Unicode case folding (``"STRASSE"`` finds ``"straße"``) unless asked.
- **Accents** are significant ("for" does not find "för") unless ``ignore_accents`` folds them.
- **Whole words** are bounded by Unicode word characters (``\\w`` of Python's ``re``); a hyphen
  is not one, so "avdelningen" is a whole word in "IT-avdelningen".
- **Whitespace** in a plain pattern matches any run of whitespace, line breaks included, so a
  phrase is found across a line break.

A hit never begins or ends inside a character as stored: if a fold turns one stored character
into several ("ß" into "ss") and a hit covers only part of them, the hit covers the whole
stored character (with its combining marks).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from workbench.errors import WorkbenchError

# Combining accents (the blocks of combining diacritical marks), which follow the letter they belong to.
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")

# A run of characters that may fold to something of another length, with the character before
# it (a combining mark belongs to the letter before it, which may be plain ASCII).
_UNUSUAL = re.compile(r"(?s).?[^\x00-\x7f]+")


@dataclass(frozen=True)
class SearchOptions:
    """How a pattern is matched (the command line's --regex, --word, --case-sensitive, --ignore-accents)."""

    pattern: str
    regex: bool = False
    whole_word: bool = False
    case_sensitive: bool = False
    ignore_accents: bool = False


def canonical(text: str) -> str:
    """``text`` in its canonical composed form (NFC): what two equivalent texts have in common."""
    return unicodedata.normalize("NFC", text)


def _fold(text: str, case_sensitive: bool, ignore_accents: bool) -> str:
    """The form text is compared in: decomposed, case folded, accents dropped if asked, composed."""
    text = unicodedata.normalize("NFD", text)
    if not case_sensitive:
        text = unicodedata.normalize("NFD", text.casefold())
    if ignore_accents:
        text = "".join(c for c in text if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", text)


class FoldedText:
    """A text in its folded form, with the way back from folded positions to stored ones.

    Most of a transcript folds character for character (ASCII always does); only the stretches
    that do not are remembered, so building one costs little more than ``str.casefold``.
    """

    def __init__(self, text: str, case_sensitive: bool = False, ignore_accents: bool = False) -> None:
        self.text = text
        self._folded_starts: list[int] = []
        self._pieces: list[tuple[int, int, int, int]] = []
        if text.isascii():  # English, mostly: nothing to compose, lower() is the fold
            self.folded = text if case_sensitive else text.lower()
            return
        quick = text if case_sensitive else text.casefold()
        if not ignore_accents and len(quick) == len(text):  # each character folded to exactly one
            if _ACCENTS.search(quick) is None and unicodedata.is_normalized("NFC", quick):
                self.folded = quick  # positions are the same in both
                return
            if self._composed(quick):
                return
        parts: list[str] = []
        # (folded start, folded end, stored start, stored end) of each character whose fold has
        # another length or that carries combining marks; between them positions correspond 1:1.
        pieces: list[tuple[int, int, int, int]] = []
        stored = folded = 0
        for match in _UNUSUAL.finditer(text):
            plain = text[stored : match.start()]
            parts.append(plain if case_sensitive else plain.lower())  # ASCII only: lower() is its fold
            folded += len(plain)
            stored = match.start()
            run_folded, run_pieces = _fold_run(match.group(), case_sensitive, ignore_accents)
            parts.append(run_folded)
            for f_start, f_end, s_start, s_end in run_pieces:
                pieces.append((folded + f_start, folded + f_end, stored + s_start, stored + s_end))
            folded += len(run_folded)
            stored = match.end()
        tail = text[stored:]
        parts.append(tail if case_sensitive else tail.lower())
        self.folded = "".join(parts)
        self._pieces = pieces
        self._folded_starts = [p[0] for p in pieces]

    def _composed(self, quick: str) -> bool:
        """The common decomposed case (macOS): ``quick`` folds character for character except
        that letters are followed by combining accents; only those letters are looked at one by
        one. False (nothing set) when the result is not the composed form of the whole text (an
        accent of another block, a character that composes with its neighbour), for the general
        way to do it."""
        parts: list[str] = []
        pieces: list[tuple[int, int, int, int]] = []
        stored = folded = 0
        for match in _ACCENTS.finditer(quick):
            begin = max(stored, match.start() - 1)  # the letter the accents belong to
            plain = quick[stored:begin]
            parts.append(plain)
            folded += len(plain)
            piece = _compose(quick[begin : match.end()])
            parts.append(piece)
            pieces.append((folded, folded + len(piece), begin, match.end()))
            folded += len(piece)
            stored = match.end()
        parts.append(quick[stored:])
        composed = "".join(parts)
        # Each piece is canonically equivalent to what it replaces, so composed is the one NFC
        # form of the text exactly when it is in NFC (quick to check, unlike composing it all).
        if not unicodedata.is_normalized("NFC", composed):
            return False
        self.folded = composed
        self._pieces = pieces
        self._folded_starts = [p[0] for p in pieces]
        return True

    def _stored(self, position: int, is_end: bool) -> int:
        # The last remembered stretch that begins before the character at (or, for an end,
        # just before) ``position``; past it, positions correspond one to one again.
        i = bisect_right(self._folded_starts, position - 1 if is_end else position) - 1
        if i < 0:
            return position
        f_start, f_end, s_start, s_end = self._pieces[i]
        if is_end and position <= f_end:
            return s_end
        if not is_end and position < f_end:
            return s_start
        return s_end + (position - f_end)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The stored span of the folded span ``start``..``end`` (whole stored characters)."""
        if not self._pieces:
            return start, end
        return self._stored(start, False), self._stored(end, True)


@lru_cache(maxsize=4096)
def _compose(cluster: str) -> str:
    return unicodedata.normalize("NFC", cluster)


@lru_cache(maxsize=65536)
def _fold_run(
    run: str, case_sensitive: bool, ignore_accents: bool
) -> tuple[str, tuple[tuple[int, int, int, int], ...]]:
    """A run of unusual characters folded, with its pieces relative to the run (see ``FoldedText``).

    Remembered: a language has few such runs ("ö", "rö", "o\u0308" ...), each seen thousands of times.
    """
    parts = []
    pieces = []
    folded = 0
    for start, end in _clusters(run, 0, len(run)):
        piece = _fold(run[start:end], case_sensitive, ignore_accents)
        parts.append(piece)
        if len(piece) != 1 or end - start != 1:
            pieces.append((folded, folded + len(piece), start, end))
        folded += len(piece)
    return "".join(parts), tuple(pieces)


def _clusters(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``text[start:end]`` cut into characters with their combining marks."""
    found = []
    begin = start
    for i in range(start + 1, end):
        if not unicodedata.combining(text[i]):
            found.append((begin, i))
            begin = i
    found.append((begin, end))
    return found


@lru_cache(maxsize=256)
def _folded(text: str, case_sensitive: bool, ignore_accents: bool) -> FoldedText:
    return FoldedText(text, case_sensitive, ignore_accents)


def folded_text(text: str, case_sensitive: bool = False, ignore_accents: bool = False) -> FoldedText:
    """The folded form of ``text`` (remembered for the last few texts, so repeated searches are quick)."""
    return _folded(text, case_sensitive, ignore_accents)


class Matcher:
    """A compiled pattern; ``find`` gives the spans of its hits in a stored text.

    A bad regular expression is a ``WorkbenchError`` with a one-line message.
    """

    def __init__(self, options: SearchOptions) -> None:
        self.options = options
        pattern = options.pattern
        if not pattern or not pattern.strip():
            raise WorkbenchError("the search pattern is empty")
        flags = 0
        self._word_before = False  # whether to check "no word character before" by hand
        if options.regex:
            # The pattern's own letters are composed (and stripped of accents if asked) but not
            # case folded: folding would turn \S into \s. Case is left to re.IGNORECASE.
            source = _fold(pattern, True, options.ignore_accents)
            flags = re.IGNORECASE if not options.case_sensitive else 0
            if options.whole_word:
                source = rf"(?<!\w)(?:{source})(?!\w)"
        else:
            # Folded pattern against folded text: an exact match, which re finds fastest when the
            # pattern starts with its literal (so the check before a whole word is made by hand).
            words = [re.escape(_fold(word, options.case_sensitive, options.ignore_accents)) for word in pattern.split()]
            source = r"\s+".join(words)
            if options.whole_word:
                source = rf"(?:{source})(?!\w)"
                self._word_before = True
        try:
            self._compiled = re.compile(source, flags)
        except re.error as error:
            raise WorkbenchError(f"bad regular expression {pattern!r}: {error}") from None

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        """The spans (stored code points) of the hits in ``text`` (within ``start``..``end`` if given)."""
        folded = folded_text(text, self.options.case_sensitive, self.options.ignore_accents)
        target = folded.folded
        search = self._compiled.search
        hits = []
        position = 0
        while True:
            match = search(target, position)
            if match is None:
                break
            begin, finish = match.span()
            position = finish if finish > begin else begin + 1
            if finish == begin:
                continue  # an empty match finds nothing a researcher could code
            if self._word_before and begin and _is_word(target[begin - 1]):
                position = begin + 1  # not a whole word here; one may start inside this match
                continue
            span = folded.span(begin, finish)
            if span[0] < start or (end is not None and span[1] > end):
                continue
            if hits and span[0] < hits[-1][1]:
                continue  # inside the stored character of the hit before ("s" twice in "ß")
            hits.append(span)
        return hits


def _is_word(char: str) -> bool:
    """Whether ``re`` counts ``char`` as a word character (``\\w``)."""
    return char.isalnum() or char == "_"


def find_passage_spans(text: str, passage: str) -> list[tuple[int, int]]:
    """Where ``passage`` occurs in ``text`` exactly, except that canonically equivalent
    characters are equal (NFC and NFD); whitespace and case must match. For ``code --text``."""
    return Matcher(SearchOptions(re.escape(canonical(passage)), regex=True, case_sensitive=True)).find(text)


def find_after(text: str, part: str, position: int = 0) -> tuple[int, int] | None:
    """The first span at or after ``position`` where ``part`` occurs in ``text`` (canonically
    equivalent text being equal), or None: the ``str.find`` of elided quotes."""
    for start, end in find_passage_spans(text, part):
        if start >= position:
            return start, end
    return None


# -- units a hit can be widened to ---------------------------------------------------------------

# Compiled when first needed: compiling it takes longer than everything else the module does.
_SENTENCE_END = r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)]*(?=\s|$)"


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``start``..``end`` without surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def sentence_span(text: str, start: int, end: int, low: int = 0, high: int | None = None) -> tuple[int, int]:
    """The sentence (or sentences) around ``start``..``end``, kept within ``low``..``high`` (a turn).

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` (with closing quotes) before whitespace, or
    at the end of a line, as the transcript pane's sentence selection does.
    """
    high = len(text) if high is None else high
    line_start = max(low, text.rfind("\n", 0, start) + 1)
    begin = line_start
    sentence_end = re.compile(_SENTENCE_END)  # (re keeps it once compiled)
    for match in sentence_end.finditer(text, line_start, start):
        begin = match.end()
    line_end = text.find("\n", max(end - 1, start))
    finish = min(high, len(text) if line_end == -1 else line_end)
    match = sentence_end.search(text, end, finish)
    if match:
        finish = match.end()
    return trim(text, begin, finish)
