"""noScribe's HTML transcripts, and any other HTML page as a plain document.

noScribe (the offline transcription tool) writes one ``<a name="ts_START_END_SPEAKER">`` per
speech segment, START and END in milliseconds of the recording, SPEAKER its label (``S00``,
``S01`` ...; empty for a pause before anyone spoke). A paragraph starts at each change of
speaker with ``S01: [00:00:12] ...`` (or ``S01 [00:00:12]: ...`` in newer versions), the time in
a grey ``<span>``. Overlapping speech has a speaker ``//S02`` and is written inside the turn it
interrupts: ``... //S02: Ist das herrlich.// Ich kann ...``. Before the first segment come the
title and a grey header naming the tool, the audio file and the settings.

What the workbench makes of it:

- the text reads as in noScribe, paragraph for paragraph, with the speaker labels and the
  ``//`` marks of overlapping speech as written; the grey timestamps are left out of the text,
  because every turn keeps its times;
- consecutive segments of one speaker in a paragraph become one turn, timed from the first
  segment's start to the last one's end; an overlapping passage is a turn of its own speaker
  inside the paragraph, between the ``//`` marks (a speaker label written differently from the
  anchor, e.g. renamed in noScribe's editor, is the name used);
- the title and header become the transcript's memo.

An HTML file without noScribe's anchors (a Taguette document export, a page saved from a word
processor) is read as a plain document: one paragraph per block element, speaker labels as in
a ``.txt`` file. Taguette's tag labels after each highlight (``<span class="taglist">``) are
left out: they are Taguette's annotations, not what was said.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.domain.models import ParsedTranscript, Turn
from workbench.domain.transcript_text import parse_plain_text
from workbench.interop.transcripts.html_blocks import Block, HtmlDocument, parse_html

_ANCHOR = re.compile(r"ts_(\d+)_(\d+)_(.*)", re.DOTALL)
# A label at the start of a segment: "S01:", "//S02:", "Frau K.:" (timestamps already removed).
_LABEL = re.compile(r"(?P<open>//)?[ ]?(?P<name>[^\s:/][^:\n]{0,39}?)[ ]?:(?=\s|$)")
_NAME = re.compile(r"[\w.'’\- ]+")
_OPEN_MARK = re.compile(r"//[ ]?")
_CLOSE_MARK = re.compile(r"[ ]?//$")
_BARE_TIME = re.compile(r"\[\d{1,2}:\d{2}(?::\d{2})?\][ ]?")


def read_html(text: str, source: str) -> ParsedTranscript:
    """A noScribe transcript when the page has noScribe's segment anchors, else a plain document."""
    document = parse_html(text)
    if any(_segment_anchor(run.anchor) for block in document.blocks for run in block.runs):
        return _read_noscribe(document, source)
    return _read_plain(document, source)


def _segment_anchor(name: str | None) -> re.Match[str] | None:
    return _ANCHOR.fullmatch(name) if name else None


# --- plain HTML ---------------------------------------------------------------------------------


def _read_plain(document: HtmlDocument, source: str) -> ParsedTranscript:
    blocks = document.blocks
    warnings = []
    if document.taguette_tags or document.taguette_style:
        # Taguette puts the document's name in an <h1> above the text (it is the <title> too).
        if blocks and blocks[0].tag == "h1" and blocks[0].text() == document.title:
            blocks = blocks[1:]
    if document.taguette_tags:
        warnings.append(
            f"{source}: Taguette document export; its {document.taguette_tags} tag label(s) after highlights "
            "were left out (import the highlights CSV to bring the codings)"
        )
    paragraphs = [text for block in blocks if (text := block.text())]
    parsed = parse_plain_text("\n\n".join(paragraphs), "html", source)
    parsed.warnings.extend(warnings)
    return parsed


# --- noScribe -----------------------------------------------------------------------------------


@dataclass
class _Segment:
    """The text of one anchor (and of any text typed after it, outside an anchor)."""

    anchor: str | None
    raw: str = ""
    start_ms: int | None = None
    end_ms: int | None = None
    speaker: str | None = None  # from the anchor, without the // of overlapping speech


@dataclass
class _Builder:
    text: list[str] = field(default_factory=list)
    length: int = 0
    turns: list[Turn] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # anchor speaker -> label written for it
    backwards: list[str] = field(default_factory=list)  # anchors whose end comes before their start

    def add(self, piece: str) -> int:
        """Append text; return where it starts."""
        start = self.length
        self.text.append(piece)
        self.length += len(piece)
        return start


def _read_noscribe(document: HtmlDocument, source: str) -> ParsedTranscript:
    builder = _Builder()
    header: list[str] = []
    started = False
    for block in document.blocks:
        segments = _segments(block)
        if not started and not any(s.start_ms is not None for s in segments):
            if line := block.text():
                header.append(line)
            continue
        started = True
        _add_paragraph(builder, segments)
    parsed = ParsedTranscript(text="".join(builder.text), turns=builder.turns, format="noscribe")
    parsed.memo = _memo(header, document.meta.get("audio_source", ""))
    if builder.backwards:
        parsed.warnings.append(
            f"{source}: {len(builder.backwards)} segment(s) end before they start "
            f"({builder.backwards[0]}); their end is taken as their start"
        )
    return parsed


def _memo(header: list[str], audio: str) -> str | None:
    """The title and header lines, as written; the audio file from the page's head when the
    header does not name it."""
    lines = [line for block in header for line in block.split("\n")]
    if audio and not any(audio in line for line in lines):
        lines.append(f"Audio file: {audio}")
    return "\n".join(lines) or None


def _segments(block: Block) -> list[_Segment]:
    """The block's runs grouped by anchor; timestamps left out, Taguette labels too."""
    segments: list[_Segment] = []
    for run in block.runs:
        text = run.text if run.kind == "text" else " "  # a timestamp or a <br> still parts words
        match = _segment_anchor(run.anchor)
        if match and (not segments or segments[-1].anchor != run.anchor):
            start, end, speaker = int(match.group(1)), int(match.group(2)), match.group(3).strip()
            segments.append(_Segment(run.anchor, text, start, end, speaker.lstrip("/").strip() or None))
        elif segments:
            segments[-1].raw += text  # text typed after an anchor belongs to its segment
        else:
            segments.append(_Segment(None, text))
    return segments


@dataclass
class _OpenTurn:
    """A turn being built (``Turn`` itself cannot change)."""

    speaker: str | None
    start: int
    end: int
    time_start: float | None
    time_end: float | None

    def turn(self) -> Turn:
        return Turn(self.speaker, self.start, self.end, self.time_start, self.time_end)


def _add_paragraph(builder: _Builder, segments: list[_Segment]) -> None:
    """Write one paragraph as noScribe shows it and add its turns."""
    pieces = [(segment, " ".join(segment.raw.split())) for segment in segments]
    pieces = [(segment, words) for segment, words in pieces if words]
    if not pieces:
        return
    if builder.text:
        builder.add("\n\n")
    turns: list[_OpenTurn] = []
    for index, (segment, words) in enumerate(pieces):
        if index and (segment.raw[:1].isspace() or pieces[index - 1][0].raw[-1:].isspace()):
            builder.add(" ")
        begin, end, label = _spoken(words, first=index == 0)
        at = builder.add(words)
        current = turns[-1] if turns else None
        speaker = _speaker(builder, segment, label, current)
        start_s, end_s = _times(builder, segment)
        if begin == end:  # only marks or a label: part of the text, not of a turn
            continue
        if current is not None and current.speaker == speaker and not (label and index):
            current.end = at + end
            if end_s is not None:
                current.time_end = max(current.time_end or end_s, end_s)
            if current.time_start is None:
                current.time_start = start_s
        else:
            turns.append(_OpenTurn(speaker, at + begin, at + end, start_s, end_s))
    builder.turns.extend(turn.turn() for turn in turns)


def _spoken(words: str, first: bool) -> tuple[int, int, str | None]:
    """Where the spoken words of a segment's text begin and end, and the label written before
    them: a label opens a paragraph or, after ``//``, overlapping speech; ``//`` alone returns to
    the speaker who was interrupted, and a ``//`` at the end closes an overlap."""
    begin, label = 0, None
    match = _LABEL.match(words)
    if match and (first or match.group("open")) and _is_name(match.group("name")):
        begin, label = match.end(), match.group("name").strip()
    elif opening := _OPEN_MARK.match(words):
        begin = opening.end()
    while begin < len(words) and words[begin] == " ":
        begin += 1
    if stamp := _BARE_TIME.match(words, begin):  # a time typed as text after a label
        begin = stamp.end()
    end = len(words)
    if closing := _CLOSE_MARK.search(words, begin):
        end = closing.start()
    return begin, max(begin, end), label


def _is_name(name: str) -> bool:
    """A speaker label: 1-4 words of letters, digits and . ' - (S01, Interviewer, Frau K.)."""
    name = name.strip()
    return bool(name) and _NAME.fullmatch(name) is not None and 1 <= len(name.split()) <= 4


def _speaker(builder: _Builder, segment: _Segment, label: str | None, current: _OpenTurn | None) -> str | None:
    """The name to show: a label written in the text wins (and is remembered for the anchor's
    later segments); else the name last written for the anchor's speaker; a segment without a
    speaker continues the current turn."""
    if segment.speaker is None:
        if label:
            return label
        return current.speaker if current is not None else None
    if label:
        builder.names[segment.speaker] = label
    return builder.names.get(segment.speaker, segment.speaker)


def _times(builder: _Builder, segment: _Segment) -> tuple[float | None, float | None]:
    if segment.start_ms is None or segment.end_ms is None:
        return None, None
    end = segment.end_ms
    if end < segment.start_ms:
        builder.backwards.append(segment.anchor or "")
        end = segment.start_ms
    return segment.start_ms / 1000, end / 1000
