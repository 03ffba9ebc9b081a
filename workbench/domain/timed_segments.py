"""Timed speech (subtitle cues, rows of a transcript table) made into a transcript's text and turns.

Apart from :mod:`workbench.domain.transcript_text` because only the subtitle and table readers
need it, and both are imported when such a file is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.models import ParsedTranscript, Turn


@dataclass
class Segment:
    """A piece of timed speech, e.g. one subtitle cue (speaker None: the same as before)."""

    speaker: str | None
    text: str
    time_start: float | None = None
    time_end: float | None = None


@dataclass
class _Group:
    speaker: str | None
    words: list[str]
    time_start: float | None
    time_end: float | None


def build_from_segments(segments: list[Segment], fmt: str) -> ParsedTranscript:
    """Merge consecutive segments of one speaker into turns written as ``Speaker: words``.

    Paragraphs are separated by a blank line; a turn covers the words only, from the first
    merged segment's start time to the last one's end time.
    """
    groups: list[_Group] = []
    for segment in segments:
        words = " ".join(segment.text.split())
        if not words:
            continue
        speaker = " ".join((segment.speaker or "").split()) or None
        if speaker is None and groups:
            speaker = groups[-1].speaker
        if groups and groups[-1].speaker == speaker:
            group = groups[-1]
            group.words.append(words)
            if group.time_start is None:
                group.time_start = segment.time_start
            if segment.time_end is not None:
                group.time_end = segment.time_end
        else:
            groups.append(_Group(speaker, [words], segment.time_start, segment.time_end))
    paragraphs: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for group in groups:
        if paragraphs:
            pos += 2  # the "\n\n" between paragraphs
        prefix = f"{group.speaker}: " if group.speaker else ""
        spoken = " ".join(group.words)
        start = pos + len(prefix)
        end = start + len(spoken)
        turns.append(Turn(group.speaker, start, end, group.time_start, group.time_end))
        paragraphs.append(prefix + spoken)
        pos = end
    return ParsedTranscript(text="\n\n".join(paragraphs), turns=turns, format=fmt)
