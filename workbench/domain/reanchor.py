"""Place codings in a changed version of their transcript.

When a transcript is re-imported (a typo corrected, names replaced), every coding's span has to
be found again in the new text. Each span is tried, in order:

1. **mapped**: the diff between the old and the new text maps the span's offsets; if the coded
   text is exactly there, the span is ``kept`` (same offsets) or ``moved`` (new offsets);
2. **unique**: the coded text occurs exactly once in the new text, and occurred only once in the
   old one, so it is the same passage moved elsewhere (``moved``);
3. **fuzzy**: the text at the mapped place (or newly written text elsewhere) is similar enough
   to the coded text (``THRESHOLD``, difflib's ratio) and still has most of its words, e.g. a
   corrected typo inside the span (``moved``, with ``edited`` set).

Anything else is ``flagged`` with the best guess and the reason, or with no place at all when
the coded text is gone. Nothing is ever placed silently on a guess.

The diff is computed once, line by line and then refined word by word and character by
character inside changed regions; each span is then mapped by bisection, so thousands of
codings in a 300,000-character transcript are placed in well under a second.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

KEPT, MOVED, FLAGGED = "kept", "moved", "flagged"
THRESHOLD = 0.8  # similarity a changed passage needs to be placed without review

_LINES = re.compile(r"[^\n]*\n|[^\n]+")
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")
_WORDS = re.compile(r"\w+|[^\w\s]")
_WORD_ONLY = re.compile(r"\w+")
_CHAR_REFINE = 200  # refine changed regions character by character up to this many characters
_MIN_CHAR_RUN = 3  # shortest run of characters inside a changed word taken as unchanged
_SMALL_REGION = 100 * 100  # token regions up to this (length times length) go straight to difflib
_CHAR_SIMILARITY = 400  # compare passages up to this length by characters, longer ones by words
_SEED = 24  # length of the probes used to look for a passage elsewhere in the new text
_MAX_PROBE_HITS = 8


@dataclass(frozen=True)
class Span:
    """A coding to place: its id, its offsets in the old text, and its coded text (None: the
    old text at those offsets)."""

    key: Hashable
    start: int
    end: int
    text: str | None = None


@dataclass(frozen=True)
class Placement:
    """Where a span went. ``start``/``end`` are None only for a flagged span with no place;
    ``near`` is the offset in the new text where the diff puts its start."""

    key: Hashable
    status: str  # KEPT, MOVED or FLAGGED
    start: int | None
    end: int | None
    reason: str | None = None  # why it is flagged
    similarity: float = 1.0  # of the coded text and the text now at start..end
    edited: bool = False  # placed over text that differs a little from the coded text
    near: int = 0


def reanchor(old: str, new: str, spans: Iterable[Span], threshold: float = THRESHOLD) -> list[Placement]:
    """Place each span of ``old`` in ``new`` (see the module notes); one result per span, in order."""
    anchor = Anchor(old, new, threshold)
    return [anchor.place(span) for span in spans]


class Anchor:
    """The diff of one old/new pair, reused for every span placed in it."""

    def __init__(self, old: str, new: str, threshold: float = THRESHOLD):
        self.old, self.new, self.threshold = old, new, threshold
        self.blocks = equal_blocks(old, new)
        self._a_starts = [a for a, _b, _n in self.blocks]
        self._b_starts = [b for _a, b, _n in self.blocks]
        self._old_counts: dict[str, int] = {}
        self._sides: dict[int, str | None] = {}

    # -- mapping offsets ------------------------------------------------------------------------

    def _gap(self, k: int) -> tuple[int, int, int, int]:
        """The changed region after block ``k`` (-1: before the first): old a1..a2, new b1..b2."""
        a1, b1 = (0, 0) if k < 0 else (self.blocks[k][0] + self.blocks[k][2], self.blocks[k][1] + self.blocks[k][2])
        a2, b2 = (len(self.old), len(self.new)) if k + 1 >= len(self.blocks) else self.blocks[k + 1][:2]
        return a1, a2, b1, b2

    def map_start(self, offset: int) -> tuple[int, bool]:
        """Where a span starting at ``offset`` starts in the new text, and whether that is exact
        (the character there is unchanged) or an estimate inside a changed region."""
        k = bisect_right(self._a_starts, offset) - 1
        if k >= 0 and offset < self.blocks[k][0] + self.blocks[k][2]:
            return self.blocks[k][1] + offset - self.blocks[k][0], True
        a1, a2, b1, b2 = self._gap(k)
        if self._side(k) == "right":
            return max(b1, b2 - (a2 - offset)), False
        return min(b1 + offset - a1, b2), False

    def map_end(self, offset: int) -> tuple[int, bool]:
        """Where a span ending at ``offset`` (exclusive) ends in the new text, and whether exact."""
        if offset <= 0:
            return 0, True
        last = offset - 1
        k = bisect_right(self._a_starts, last) - 1
        if k >= 0 and last < self.blocks[k][0] + self.blocks[k][2]:
            return self.blocks[k][1] + last - self.blocks[k][0] + 1, True
        a1, a2, b1, b2 = self._gap(k)
        side = self._side(k)
        if side == "right":
            return max(b1, b2 - (a2 - offset)), False
        if side == "left":
            return min(b1 + offset - a1, b2), False
        return (b2 if offset >= a2 else min(b1 + offset - a1, b2)), False

    def _side(self, k: int) -> str | None:
        """How the changed region after block ``k`` lines up: "left" when its old text matches the
        start of the new text (something was added at the end), "right" when it matches the end
        (something was added in front), None when it was replaced as a whole."""
        if k not in self._sides:
            a1, a2, b1, b2 = self._gap(k)
            size = min(a2 - a1, b2 - b1, 64)
            side = None
            if size and a2 - a1 != b2 - b1:
                left = sum(self.old[a1 + i] == self.new[b1 + i] for i in range(size))
                right = sum(self.old[a2 - 1 - i] == self.new[b2 - 1 - i] for i in range(size))
                if max(left, right) * 2 >= size and left != right:
                    side = "left" if left > right else "right"
            self._sides[k] = side
        return self._sides[k]

    def plausible_edit(self, coded: str, lo: int, hi: int) -> bool:
        """Whether ``new[lo:hi]`` can be the coded passage after a small edit, beyond being
        similar: it does not cut a word in two where the coded text did not, and it still has
        at least two thirds of the coded words (a corrected word counts as lost), so a short
        passage that lost one of its two words is not taken for a corrected one."""
        if self._cuts_word(coded, lo, hi):
            return False
        words = Counter(_WORD_ONLY.findall(coded))
        if not words:
            return True
        kept = sum((words & Counter(_WORD_ONLY.findall(self.new[lo:hi]))).values())
        return 3 * kept >= 2 * sum(words.values())

    def _cuts_word(self, coded: str, lo: int, hi: int) -> bool:
        """Whether ``new[lo:hi]`` starts or ends inside a word where the coded text does not."""
        text = self.new
        if coded[0].isalnum() and 0 < lo < len(text) and text[lo - 1].isalnum() and text[lo].isalnum():
            return True
        return coded[-1].isalnum() and 0 < hi < len(text) and text[hi].isalnum() and text[hi - 1].isalnum()

    def diff_similarity(self, old_lo: int, old_hi: int, new_lo: int, new_hi: int) -> float:
        """Similarity of ``old[old_lo:old_hi]`` and ``new[new_lo:new_hi]`` by the characters the
        diff pairs between them (difflib's ratio, without comparing the texts again)."""
        total = (old_hi - old_lo) + (new_hi - new_lo)
        if total <= 0:
            return 0.0
        matched = 0
        k = max(0, bisect_right(self._a_starts, old_lo) - 1)
        while k < len(self.blocks) and self.blocks[k][0] < old_hi:
            a, b, n = self.blocks[k]
            lo, hi = max(a, old_lo), min(a + n, old_hi)  # the part inside the old range ...
            lo, hi = max(lo, a + new_lo - b), min(hi, a + new_hi - b)  # ... whose new side is inside too
            matched += max(0, hi - lo)
            k += 1
        return 2 * matched / total

    def share_from_elsewhere(self, start: int, end: int, old_span: tuple[int, int]) -> float:
        """How much of ``new[start:end]`` the diff says was already in the old text outside
        ``old_span``: a passage made of that is not where a coding moved to."""
        if end <= start:
            return 0.0
        elsewhere = 0
        k = max(0, bisect_right(self._b_starts, start) - 1)
        while k < len(self.blocks) and self.blocks[k][1] < end:
            a, b, n = self.blocks[k]
            lo, hi = max(start, b), min(end, b + n)
            if hi > lo:  # the old offsets of new[lo:hi] are a + (lo - b) ...
                old_lo, old_hi = a + lo - b, a + hi - b
                inside = max(0, min(old_hi, old_span[1]) - max(old_lo, old_span[0]))
                elsewhere += (hi - lo) - inside
            k += 1
        return elsewhere / (end - start)

    # -- placing one span ---------------------------------------------------------------------

    def place(self, span: Span) -> Placement:
        """Place one span (see the module notes for the order of the attempts)."""
        start, end = max(0, min(span.start, len(self.old))), max(0, min(span.end, len(self.old)))
        coded = span.text if span.text is not None else self.old[start:end]
        new_start, start_exact = self.map_start(start)
        new_end, end_exact = self.map_end(end)
        if not coded.strip():
            return Placement(span.key, FLAGGED, None, None, "the coding covers no text", 0.0, near=new_start)
        size = len(coded)
        # 1. the coded text is exactly where an unchanged end of the span maps to
        for candidate, exact in ((new_start, start_exact), (new_end - size, end_exact)):
            if exact and candidate >= 0 and self.new.startswith(coded, candidate):
                status = KEPT if (candidate, candidate + size) == (span.start, span.end) else MOVED
                return Placement(span.key, status, candidate, candidate + size, near=candidate)
        # 2. the coded text is in the new version once, and was in the old one at most once (none:
        #    a coding flagged by an earlier re-import whose text is back)
        hits = _occurrences(self.new, coded, 2)
        if len(hits) == 1 and self._old_count(coded) <= 1:
            return Placement(span.key, MOVED, hits[0], hits[0] + size, near=new_start)
        # 3. similar text where the diff maps the span (e.g. a corrected typo inside it)
        mapped = None
        if new_end > new_start:
            if start_exact and end_exact:
                lo, hi = new_start, new_end
                exact_score = None
            else:
                exact_score, lo, hi = self._fit(coded, new_start, new_end, not start_exact, not end_exact, (start, end))
            # the exact words overlapping that place: the diff lined them up a little askew
            window = _occurrences(self.new, coded, 3, max(0, lo - size + 1), hi + size - 1)
            overlapping = [h for h in window if h < hi and h + size > lo]
            if len(overlapping) == 1 and self._old_count(coded) == 1:
                return Placement(span.key, MOVED, overlapping[0], overlapping[0] + size, near=new_start)
            if overlapping:
                nearest = min(overlapping, key=lambda h: abs(h - new_start))
                return Placement(
                    span.key,
                    FLAGGED,
                    nearest,
                    nearest + size,
                    "the coded text occurs more than once where it was; showing the nearest",
                    1.0,
                    near=new_start,
                )
            if exact_score is not None:
                score = exact_score
            elif coded == self.old[start:end] and self.diff_similarity(start, end, lo, hi) >= self.threshold:
                score = self.diff_similarity(start, end, lo, hi)  # no need to compare the texts again
            else:
                score = similarity(coded, self.new[lo:hi], self.threshold)
            mapped = (score, lo, hi)
            if score >= self.threshold and self.plausible_edit(coded, lo, hi):
                return Placement(span.key, MOVED, lo, hi, similarity=score, edited=True, near=new_start)
        return self._elsewhere(span.key, coded, hits, mapped, new_start, (start, end))

    def _elsewhere(
        self,
        key: Hashable,
        coded: str,
        hits: list[int],
        mapped: tuple[float, int, int] | None,
        near: int,
        old_span: tuple[int, int],
    ) -> Placement:
        """The last attempt, a similar passage in newly written text; else flag the best guess."""
        size = len(coded)
        if hits:
            nearest = min(hits, key=lambda h: abs(h - near))
            if len(hits) > 1:
                reason = (
                    "the coded text is no longer where it was and occurs several times elsewhere; showing the nearest"
                )
            else:
                reason = "the coded text is no longer where it was; the same words occur elsewhere, but they were there before too"
            return Placement(key, FLAGGED, nearest, nearest + size, reason, 1.0, near=near)
        candidates = sorted(self._probe(coded), reverse=True)
        fresh = [
            c
            for c in candidates
            if c[0] >= self.threshold
            and self.share_from_elsewhere(c[1], c[2], old_span) < 0.5
            and self.plausible_edit(coded, c[1], c[2])
        ]
        if fresh:
            best = fresh[0]
            rivals = [c for c in fresh[1:] if c[1] >= best[2] or c[2] <= best[1]]
            if not rivals:
                # the passage was moved (deleted here, written there) and edited a little
                return Placement(key, MOVED, best[1], best[2], similarity=best[0], edited=True, near=near)
        guesses = ([mapped] if mapped else []) + [c for c in candidates if c[0] >= 0.3]
        if not guesses:
            return Placement(key, FLAGGED, None, None, "the coded text is no longer in the transcript", 0.0, near=near)
        score, start, end = max(guesses, key=lambda g: (not self._cuts_word(coded, g[1], g[2]), g[0]))
        if fresh:
            reason = f"several passages are {_percent(self.threshold)} or more similar to the coded text; showing the closest"
        elif score >= self.threshold and not self.plausible_edit(coded, start, end):
            reason = f"the closest passage ({_percent(score)} similar) has lost some of the coded words"
        elif score >= self.threshold:
            reason = (
                f"the closest passage ({_percent(score)} similar) is text that was already elsewhere in the transcript"
            )
        else:
            reason = f"the coded text changed; the closest passage is {_percent(score)} similar"
        return Placement(key, FLAGGED, start, end, reason, score, edited=True, near=near)

    def _probe(self, coded: str) -> list[tuple[float, int, int]]:
        """Passages of the new text that share a probe (start, middle or end) with the coded text,
        with their similarity to it."""
        size = len(coded)
        seed = min(_SEED, size)
        found: dict[tuple[int, int], float] = {}
        for offset in sorted({0, (size - seed) // 2, size - seed}):
            probe = coded[offset : offset + seed]
            if not probe.strip():
                continue
            for hit in _occurrences(self.new, probe, _MAX_PROBE_HITS):
                score, start, end = self._fit(coded, hit - offset, hit - offset + size, True, True)
                if end > start:
                    found[(start, end)] = score
        return [(score, start, end) for (start, end), score in found.items()]

    def _fit(
        self, coded: str, start: int, end: int, fix_start: bool, fix_end: bool, old_span: tuple[int, int] | None = None
    ) -> tuple[float, int, int]:
        """The best window near an estimated one.

        Other starts tried: where the coded text's first characters are close by, and (for an
        offset in a changed region) that region lined up by its start or by its end; the same
        for the end. Of the windows nearly as similar to the coded text as the best one, the
        one whose first and last characters are the coded text's wins, else the estimate.
        """
        pad = max(16, len(coded) // 4)
        start, end = max(0, min(start, len(self.new))), max(0, min(end, len(self.new)))
        starts, ends = [start], [end]
        if old_span is not None:
            starts += self._gap_options(old_span[0], is_start=True) if fix_start else []
            ends += self._gap_options(old_span[1], is_start=False) if fix_end else []
        for probe in sorted({min(12, len(coded)), min(5, len(coded))}, reverse=True):
            if fix_start:
                found = _nearest(self.new, coded[:probe], start, max(0, start - pad), start + pad)
                starts += [] if found is None else [found]
            if fix_end:
                found = _nearest(self.new, coded[-probe:], end - probe, max(0, end - probe - pad), end + pad)
                ends += [] if found is None else [found + probe]
        windows = []
        for lo in dict.fromkeys(starts):
            for hi in dict.fromkeys(ends):
                if hi > lo:
                    windows.append((similarity(coded, self.new[lo:hi], self.threshold), lo, hi))
        windows = [w for w in windows if not self._cuts_word(coded, w[1], w[2])] or windows
        if not windows:
            return 0.0, start, max(start, end)
        best = max(w[0] for w in windows)
        near_best = [w for w in windows if w[0] >= best - 0.05]
        edges = [(self.new[w[1]] == coded[0]) + (self.new[w[2] - 1] == coded[-1]) for w in near_best]
        return near_best[edges.index(max(edges))]

    def _gap_options(self, offset: int, is_start: bool) -> list[int]:
        """Where an offset inside a changed region could be in the new text: the region lined up
        by its start, and by its end."""
        k = bisect_right(self._a_starts, offset - (0 if is_start else 1)) - 1
        a1, a2, b1, b2 = self._gap(k)
        if not a1 <= offset <= a2:
            return []
        return [min(b1 + offset - a1, b2), max(b1, b2 - (a2 - offset))]

    def _old_count(self, text: str) -> int:
        if text not in self._old_counts:
            self._old_counts[text] = len(_occurrences(self.old, text, 2))
        return self._old_counts[text]


# -- the diff -------------------------------------------------------------------------------------


def equal_blocks(old: str, new: str) -> list[tuple[int, int, int]]:
    """Unchanged stretches ``(old start, new start, length)``, in order, non-overlapping.

    Lines are matched first; changed lines are matched word by word, and short changed
    stretches character by character, so an edit disturbs as little of the mapping as possible.
    """
    prefix = _common_prefix(old, new)
    suffix = _common_suffix(old, new, prefix)
    out: list[tuple[int, int, int]] = []
    if prefix:
        out.append((0, 0, prefix))
    _align(old, new, prefix, len(old) - suffix, prefix, len(new) - suffix, out)
    if suffix:
        out.append((len(old) - suffix, len(new) - suffix, suffix))
    return _merge(out)


def _units(text: str, lo: int, hi: int, pattern: re.Pattern) -> tuple[list[str], list[int]]:
    """The lines or tokens of ``text[lo:hi]`` and their offsets (one more: ``hi``)."""
    units, starts = [], []
    for match in pattern.finditer(text, lo, hi):
        units.append(match.group())
        starts.append(match.start())
    starts.append(hi)
    return units, starts


def _align(old: str, new: str, a_lo: int, a_hi: int, b_lo: int, b_hi: int, out: list[tuple[int, int, int]]) -> None:
    """Lines first; the changed lines word by word; short changed stretches character by character."""
    if a_lo >= a_hi or b_lo >= b_hi:
        return
    a_lines, a_starts = _units(old, a_lo, a_hi, _LINES)
    b_lines, b_starts = _units(new, b_lo, b_hi, _LINES)
    # Blank and very common lines only extend matches, never start one: two blank lines in
    # common say nothing about where the text around them went.
    opcodes = SequenceMatcher(_blank, a_lines, b_lines).get_opcodes()
    for tag, i1, i2, j1, j2 in _absorb_repeats(opcodes, a_lines, b_lines):
        a1, a2, b1, b2 = a_starts[i1], a_starts[i2], b_starts[j1], b_starts[j2]
        if tag == "equal":
            out.append((a1, b1, a2 - a1))
        elif i2 > i1 and j2 > j1:
            _align_tokens(old, new, a1, a2, b1, b2, out)


def _absorb_repeats(
    opcodes: list[tuple[str, int, int, int, int]], a_lines: list[str], b_lines: list[str]
) -> list[tuple[str, int, int, int, int]]:
    """Join changes on both sides of one or two unchanged lines that repeat a changed line.

    With repeated lines (``Mm.``, ``Yes.``) the line diff may pair a line with the wrong copy
    next to an edit, leaving an insertion on one side and a deletion on the other; looked at
    word by word as one region, the copies line up again.
    """
    joined: list[list] = []
    for tag, i1, i2, j1, j2 in opcodes:
        if (
            tag != "equal"
            and len(joined) >= 2
            and joined[-2][0] != "equal"
            and joined[-1][0] == "equal"
            and joined[-1][2] - joined[-1][1] <= 2
        ):
            _, e1, e2, _f1, _f2 = joined[-1]
            changed = set(
                a_lines[joined[-2][1] : joined[-2][2]]
                + a_lines[i1:i2]
                + b_lines[joined[-2][3] : joined[-2][4]]
                + b_lines[j1:j2]
            )
            if any(line in changed for line in a_lines[e1:e2] if line.strip()):
                joined.pop()
                joined[-1][2], joined[-1][4] = i2, j2
                continue
        if tag != "equal" and joined and joined[-1][0] != "equal":
            joined[-1][2], joined[-1][4] = i2, j2
        else:
            joined.append([tag if tag == "equal" else "replace", i1, i2, j1, j2])
    return [tuple(op) for op in joined]


def _align_tokens(
    old: str, new: str, a_lo: int, a_hi: int, b_lo: int, b_hi: int, out: list[tuple[int, int, int]]
) -> None:
    a_tokens, a_starts = _units(old, a_lo, a_hi, _TOKENS)
    b_tokens, b_starts = _units(new, b_lo, b_hi, _TOKENS)
    blocks = sorted(_token_blocks(a_tokens, b_tokens))
    i, j = 0, 0
    for bi, bj, n in [*blocks, (len(a_tokens), len(b_tokens), 0)]:
        a1, a2, b1, b2 = a_starts[i], a_starts[bi], b_starts[j], b_starts[bj]
        if 0 < a2 - a1 <= _CHAR_REFINE and 0 < b2 - b1 <= _CHAR_REFINE:
            for ci, cj, cn in SequenceMatcher(None, old[a1:a2], new[b1:b2], autojunk=False).get_matching_blocks():
                if cn >= _MIN_CHAR_RUN:  # single letters in common are chance, not evidence
                    out.append((a1 + ci, b1 + cj, cn))
        if n:
            out.append((a_starts[bi], b_starts[bj], a_starts[bi + n] - a_starts[bi]))
        i, j = bi + n, bj + n


def _token_blocks(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """Matching runs ``(i, j, n)`` of two token lists.

    Small regions go to difflib. Large ones are split at an anchor first, a run through one of
    the rarest tokens near the middle (the idea of git's histogram diff), so that a region of
    100,000 tokens in which every line changed still takes a fraction of a second instead of
    minutes.
    """
    out: list[tuple[int, int, int]] = []
    stack = [(0, len(a), 0, len(b))]
    while stack:
        alo, ahi, blo, bhi = stack.pop()
        while alo < ahi and blo < bhi and a[alo] == b[blo]:
            out.append((alo, blo, 1))
            alo, blo = alo + 1, blo + 1
        while alo < ahi and blo < bhi and a[ahi - 1] == b[bhi - 1]:
            ahi, bhi = ahi - 1, bhi - 1
            out.append((ahi, bhi, 1))
        if alo >= ahi or blo >= bhi:
            continue
        if (ahi - alo) * (bhi - blo) <= _SMALL_REGION:
            matcher = SequenceMatcher(_blank, a[alo:ahi], b[blo:bhi], autojunk=False)
            out.extend((alo + i, blo + j, n) for i, j, n in matcher.get_matching_blocks() if n)
            continue
        anchor = _anchor(a, b, alo, ahi, blo, bhi)
        if anchor is None:
            continue  # nothing in common: all of it changed
        i, j, n = anchor
        out.append(anchor)
        stack.append((alo, i, blo, j))
        stack.append((i + n, ahi, j + n, bhi))
    return _merge(out)


def _anchor(a: list[str], b: list[str], alo: int, ahi: int, blo: int, bhi: int) -> tuple[int, int, int] | None:
    """The longest run through the rarest tokens nearest the middle of ``a[alo:ahi]``."""
    where: dict[str, list[int]] = {}
    for j in range(blo, bhi):
        where.setdefault(b[j], []).append(j)
    counts: dict[str, int] = {}
    for i in range(alo, ahi):
        counts[a[i]] = counts.get(a[i], 0) + 1
    rarest = min((counts[t] + len(where[t]) for t in counts if t in where and not t.isspace()), default=None)
    if rarest is None:
        return None
    middle = (alo + ahi) // 2
    candidates = sorted(
        (
            i
            for i in range(alo, ahi)
            if a[i] in where and counts[a[i]] + len(where[a[i]]) == rarest and not a[i].isspace()
        ),
        key=lambda i: abs(i - middle),
    )[:8]
    scale = (bhi - blo) / (ahi - alo)
    best = None
    for i in candidates:
        # a token that is not unique: try its occurrences nearest where ``i`` would be in ``b``
        positions = where[a[i]]
        k = bisect_right(positions, blo + (i - alo) * scale)
        for j in positions[max(0, k - 4) : k + 4]:
            lo = 0
            while i - lo > alo and j - lo > blo and a[i - lo - 1] == b[j - lo - 1]:
                lo += 1
            hi = 1
            while i + hi < ahi and j + hi < bhi and a[i + hi] == b[j + hi]:
                hi += 1
            if best is None or lo + hi > best[2]:
                best = (i - lo, j - lo, lo + hi)
    return best


def _blank(unit: str) -> bool:
    return unit.isspace()


def _merge(blocks: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    merged: list[tuple[int, int, int]] = []
    for a, b, n in sorted(blocks):
        if n <= 0:
            continue
        if merged and merged[-1][0] + merged[-1][2] == a and merged[-1][1] + merged[-1][2] == b:
            merged[-1] = (merged[-1][0], merged[-1][1], merged[-1][2] + n)
        else:
            merged.append((a, b, n))
    return merged


def _common_prefix(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    low, high = 0, limit
    while low < high:  # binary search on slice equality: fast for long texts
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, prefix: int) -> int:
    limit = min(len(a), len(b)) - prefix
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


# -- similarity -----------------------------------------------------------------------------------


def similarity(a: str, b: str, threshold: float = 0.0) -> float:
    """How alike two passages are, 0..1 (difflib's ratio): by characters for short passages, by
    words for long ones. When the lengths alone rule out ``threshold``, that bound is returned."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    bound = 2 * min(len(a), len(b)) / (len(a) + len(b))
    if bound < threshold:
        return bound
    if max(len(a), len(b)) <= _CHAR_SIMILARITY:
        return SequenceMatcher(None, a, b, autojunk=False).ratio()
    return SequenceMatcher(None, _WORDS.findall(a), _WORDS.findall(b), autojunk=False).ratio()


def _occurrences(text: str, needle: str, limit: int, lo: int = 0, hi: int | None = None) -> list[int]:
    """Up to ``limit`` start offsets of ``needle`` in ``text[lo:hi]`` (overlapping ones included)."""
    hi = len(text) if hi is None else hi
    hits: list[int] = []
    index = text.find(needle, lo, hi)
    while index != -1 and len(hits) < limit:
        hits.append(index)
        index = text.find(needle, index + 1, hi)
    return hits


def _nearest(text: str, needle: str, target: int, lo: int, hi: int) -> int | None:
    """The occurrence of ``needle`` starting in ``lo..hi`` closest to ``target``."""
    best = None
    index = text.find(needle, lo, hi + len(needle))
    while index != -1:
        if best is None or abs(index - target) < abs(best - target):
            best = index
        index = text.find(needle, index + 1, hi + len(needle))
    return best


def _percent(value: float) -> str:
    return f"{int(value * 100)}%"


def passage_near(text: str, offset: int) -> tuple[int, int]:
    """The non-blank line at (or else after, or before) ``offset``, without its surrounding
    whitespace: where a coding whose text is gone can be shown for review."""
    offset = max(0, min(offset, len(text)))
    for lo, hi, step in ((offset, len(text), 1), (offset - 1, -1, -1)):
        for i in range(lo, hi, step):
            if not text[i].isspace():
                start = text.rfind("\n", 0, i) + 1
                end = text.find("\n", i)
                end = len(text) if end == -1 else end
                while text[start].isspace():
                    start += 1
                while text[end - 1].isspace():
                    end -= 1
                return start, end
    return offset, offset


def place_exactly(anchor: Anchor, start: int, end: int) -> tuple[int, int] | None:
    """Where ``anchor.old[start:end]`` is in ``anchor.new``, only when the diff keeps or moves it onto
    exactly the same text (never a similar passage or a guess): for a passage someone chose in the
    old text, such as a selection on screen. None when it cannot be told for certain."""
    placed = anchor.place(Span(0, start, end))
    if placed.status == FLAGGED or placed.edited or placed.start is None:
        return None
    if anchor.new[placed.start : placed.end] != anchor.old[start:end]:
        return None
    return placed.start, placed.end
