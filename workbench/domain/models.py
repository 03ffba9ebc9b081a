"""The study's nouns (see the vocabulary in the design notes).

Rows read from the store (turns, themes, transcripts, codings, quotes) are named tuples: values
that cannot change under the store, and about a tenth of a frozen dataclass's cost to define,
which every command pays at start-up (a frozen dataclass compiles five methods at import, about
1 ms each class on this machine). What a reader or a codebook builds up step by step stays a
dataclass.

Offsets are Unicode code points into the stored transcript text, end exclusive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple


class Turn(NamedTuple):
    """One speaker turn: the spoken text is ``text[start:end]`` (speaker label excluded).

    Also quicker to make than a frozen dataclass, which counts here: an import makes thousands
    (the 60 benchmark interviews split in 22 ms instead of 26).
    """

    speaker: str | None
    start: int
    end: int
    time_start: float | None = None  # seconds from the start of the recording
    time_end: float | None = None


@dataclass
class ParsedTranscript:
    """What a reader makes of one file, before it is stored."""

    text: str
    turns: list[Turn]
    format: str  # "txt", "md", "docx", "odt", "vtt", "srt", "html", "noscribe", "csv"
    attributes: dict[str, str] = field(default_factory=dict)  # e.g. from Markdown front matter
    warnings: list[str] = field(default_factory=list)
    memo: str | None = None  # what the file says about itself (a noScribe header), kept as the transcript's memo


@dataclass
class ThemeSpec:
    """A theme as written in a codebook file (a tree through ``children``)."""

    name: str
    key: str | None = None
    color: str | None = None
    description: str | None = None
    include: str | None = None
    exclude: str | None = None
    children: list[ThemeSpec] = field(default_factory=list)
    line: int | None = field(default=None, compare=False)  # line in the codebook file, for messages


@dataclass
class Codebook:
    """A parsed codebook file."""

    themes: list[ThemeSpec]
    name: str | None = None
    description: str | None = None
    source: str | None = None  # file it came from


class Theme(NamedTuple):
    """A theme stored in a study."""

    id: int
    name: str
    path: str  # "Theme/Sub-theme"
    parent_id: int | None
    position: int
    color: str
    key: str | None = None
    description: str | None = None
    include: str | None = None
    exclude: str | None = None

    @property
    def depth(self) -> int:
        return self.path.count("/")


class Transcript(NamedTuple):
    """A stored transcript (text loaded on demand by the study)."""

    id: int
    name: str
    case: str | None
    source_file: str
    format: str
    content_hash: str
    imported_at: str
    chars: int
    words: int


class Coding(NamedTuple):
    """One theme applied to one span of one transcript by one coder."""

    id: int
    transcript: str
    theme_id: int
    theme_path: str
    start: int
    end: int
    coder: str
    created: str
    text: str


class QuoteEntry(NamedTuple):
    """A coding as little as the quote board needs to order and group it; the rest of its
    :class:`Quote` is loaded only when its card comes into view."""

    id: int  # the coding id
    theme: str  # theme path
    theme_id: int
    selected: bool
    position: int | None
    attributes: Mapping[str, str]  # its case's attributes (shared, not copied)
    transcript: str = ""  # its transcript's name and where it starts there: with the id, its place
    start: int = 0  # among a theme's unselected quotes (so a new coding can be put in its place)


class Quote(NamedTuple):
    """A coding as it appears on the quote board, with its case and chapter state."""

    id: int  # the coding id
    transcript: str
    case: str | None
    theme: str  # theme path
    theme_id: int
    start: int
    end: int
    text: str
    attributes: dict[str, str]
    selected: bool
    position: int | None
    comment: str | None
    elided: str | None
    coder: str
    created: str
    note_after: str | None = None  # the analysis printed right after the quote in the chapter

    def to_json(self) -> dict:
        """The documented ``--json`` shape of a quote."""
        return {
            "id": self.id,
            "transcript": self.transcript,
            "case": self.case,
            "theme": self.theme,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "attributes": dict(self.attributes),
            "selected": self.selected,
            "position": self.position,
            "comment": self.comment,
            "elided": self.elided,
            "note_after": self.note_after,
            "coder": self.coder,
            "created": self.created,
        }
