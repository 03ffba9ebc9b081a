"""Read WebVTT and SubRip subtitle files as timed speech segments.

Speakers come from WebVTT voice tags (``<v Name>``) or from a ``Name:`` at the start of a cue
line; both usually appear only when the speaker changes, and a segment without a speaker
continues the previous one (see ``build_from_segments``).
"""

from __future__ import annotations

import html
import re

from workbench.domain.timed_segments import Segment
from workbench.errors import InputError
from workbench.interop.decode import newlines_only

_TIME = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
_TIMING = re.compile(rf"\s*{_TIME}\s*-->\s*{_TIME}(?:\s.*)?")
# A line that tries to be a timing line (so a typo is reported, not read as speech).
_TIMING_LIKE = re.compile(r"\s*(?:\d+:)?\d{1,2}:\d{2}[.,]\d+\s*-|.*-->")
_VOICE = re.compile(r"<v(?:\.[^\s>]*)?(?:\s+([^>]*))?>", re.IGNORECASE)
# Oral-history marks such as <[?]> are text that only looks like a tag.
_MARK = re.compile(r"<(\[[^\]<>]*\])>")
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<\d[\d:.]*>")
_ASS_TAG = re.compile(r"\{\\[^}]*\}")  # {\an8} positioning from Aegisub-made SubRip files
_PREFIX = re.compile(r"(?P<name>[^\W\d_][\w.'’\- ]{0,29}?)[ \t]?:(?=\s|$)")
_VTT_SKIP = ("NOTE", "STYLE", "REGION")


def parse_vtt(text: str, source: str) -> list[Segment]:
    """Parse WebVTT text into segments; a malformed cue timing is an ``InputError`` (file:line)."""
    lines = _lines(text)
    if not lines or not lines[0].startswith("WEBVTT"):
        raise InputError("not a WebVTT file: the first line must be WEBVTT", f"{source}:1")
    segments: list[Segment] = []
    for first, block in _blocks(lines)[1:]:  # block 0 is the WEBVTT header
        if block[0].split(" ", 1)[0].split("\t", 1)[0] in _VTT_SKIP:
            continue
        timing_at = 0 if "-->" in block[0] else 1  # an optional cue identifier comes first
        if timing_at >= len(block) or "-->" not in block[timing_at]:
            raise InputError(
                "expected a cue timing line like '00:00:01.000 --> 00:00:04.000'",
                f"{source}:{first + 1}",
            )
        start, end = _timing(block[timing_at], source, first + timing_at + 1)
        segments.extend(_cue_segments(block[timing_at + 1 :], start, end, voices=True))
    return segments


def parse_srt(text: str, source: str) -> list[Segment]:
    """Parse SubRip text into segments; a malformed cue timing is an ``InputError`` (file:line)."""
    lines = _lines(text)
    cues: list[tuple[float, float, list[str]]] = []
    for number, line in enumerate(lines, start=1):
        if _TIMING_LIKE.match(line):
            start, end = _timing(line, source, number)
            # The cue number belongs to the new cue, not to the previous cue's text.
            if cues and cues[-1][2] and cues[-1][2][-1].strip().isdigit():
                cues[-1][2].pop()
            cues.append((start, end, []))
        elif cues:
            cues[-1][2].append(line)
        elif line.strip() and not line.strip().isdigit():
            raise InputError("not a SubRip file: expected a cue number or a timing line", f"{source}:{number}")
    segments: list[Segment] = []
    for start, end, cue_lines in cues:
        segments.extend(_cue_segments(cue_lines, start, end, voices=False))
    return segments


def _lines(text: str) -> list[str]:
    return newlines_only(text.lstrip("\ufeff")).split("\n")


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks as (index of first line, lines)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = 0
    for index, line in enumerate(lines):
        if line.strip():
            if not current:
                first = index
            current.append(line)
        elif current:
            blocks.append((first, current))
            current = []
    if current:
        blocks.append((first, current))
    return blocks


def _timing(line: str, source: str, number: int) -> tuple[float, float]:
    match = _TIMING.fullmatch(line)
    if not match:
        shown = line.strip()[:60]
        raise InputError(
            f"malformed cue timing '{shown}' (expected '00:00:01.000 --> 00:00:04.000')",
            f"{source}:{number}",
        )
    groups = match.groups()
    return _seconds(groups[:4]), _seconds(groups[4:])


def _seconds(parts: tuple[str | None, ...]) -> float:
    hours, minutes, seconds, millis = parts
    whole = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return whole + int(millis.ljust(3, "0")) / 1000


def _cue_segments(lines: list[str], start: float, end: float, voices: bool) -> list[Segment]:
    """Split a cue's lines at voice tags and ``Name:`` prefixes; clean the text."""
    pieces: list[tuple[str | None, str]] = []  # (speaker or None, raw text)
    for line in lines:
        if voices and _VOICE.search(line):
            pieces.extend(_voice_pieces(line))
            continue
        cleaned = _clean(line)
        prefix = _PREFIX.match(cleaned)
        if prefix and _is_speaker(prefix.group("name")):
            pieces.append((prefix.group("name").strip(), cleaned[prefix.end() :]))
        elif pieces:
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + " " + cleaned)
        else:
            pieces.append((None, cleaned))
    segments = []
    for speaker, raw in pieces:
        words = " ".join(raw.split())
        if words or speaker:
            segments.append(Segment(speaker, words, start, end))
    return segments


def _voice_pieces(line: str) -> list[tuple[str | None, str]]:
    """``<v A>hi</v><v B>hello`` -> [("A", "hi"), ("B", "hello")]."""
    pieces: list[tuple[str | None, str]] = []
    matches = list(_VOICE.finditer(line))
    if matches[0].start() > 0:
        pieces.append((None, _clean(line[: matches[0].start()])))
    for index, match in enumerate(matches):
        stop = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        speaker = " ".join((match.group(1) or "").split()) or None
        pieces.append((speaker, _clean(line[match.end() : stop])))
    return pieces


def _clean(raw: str) -> str:
    """Drop markup, keep ``<[?]>``-style marks as ``[?]``, unescape entities."""
    text = _MARK.sub(r"\1", raw)
    text = _ASS_TAG.sub("", _TAG.sub("", text))
    return html.unescape(text).strip()


def _is_speaker(name: str) -> bool:
    """``Travis``, ``Dr. Smith``, ``Speaker 1``: 1-3 capitalised words, not a sentence."""
    words = name.split()
    return 1 <= len(words) <= 3 and all(word[0].isupper() or word[0].isdigit() for word in words)
