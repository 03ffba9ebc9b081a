"""Tabular transcripts (.csv, .tsv): one row per utterance, with a header line.

Oral-history archives and transcription services export transcripts as a table with a time
code, a speaker and the text. The columns are found by their header, in English, German,
Swedish, French and Spanish (``Start``, ``Timecode``, ``Speaker``, ``Sprecher``, ``Talare``,
``Locuteur``, ``Hablante``, ``Text``, ``Transcript`` ...), without regard to case; or named
with ``--columns time=...,speaker=...,text=...`` (also ``end=...``). Only the text column is
required. Rows of one speaker in a row become one turn, from the first row's time to the last
row's end (the end column, else the next row's time), as turns of subtitles keep their times.
Without a speaker column every row is a turn of its own.

The delimiter (comma, semicolon, tab) is read from the header line; the encoding as for any
transcript (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252 with a warning).
Every problem is one ``InputError`` naming the file and line.
"""

from __future__ import annotations

import csv
import io
import re

from workbench.domain.models import ParsedTranscript, Turn
from workbench.domain.timed_segments import Segment, build_from_segments
from workbench.errors import InputError

ROLES = ("time", "end", "speaker", "text")

# Header words per role, compared after case folding and with spaces, '_' and '-' ignored.
_WORDS = {
    "time": """start starttime begin begintime time timecode tc timestamp in intime from
        zeit startzeit beginn anfang zeitmarke zeitstempel zeitcode
        tid starttid tidkod tidskod tidpunkt
        debut début temps tempsdedebut horodatage codetemporel
        inicio tiempo tiempodeinicio marcadetiempo codigodetiempo códigodetiempo""",
    "end": """end endtime stop out outtime to ende endzeit slut sluttid fin tempsdefin final tiempofinal""",
    "speaker": """speaker speakername person participant role who voice name
        sprecher sprecherin sprechende person redner rednerin
        talare deltagare person roll namn
        locuteur locutrice intervenant intervenante orateur participant
        hablante interlocutor orador oradora participante""",
    "text": """text transcript transcription utterance content words dialogue dialog said speech verbatim
        transkript transkription inhalt äußerung aeusserung wortlaut
        utskrift yttrande innehåll
        texte contenu énoncé enonce
        texto transcripción transcripcion contenido enunciado""",
}
_KNOWN = {role: {w for w in words.split()} for role, words in _WORDS.items()}

_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})(?:[.,](\d{1,3})|:(\d{2}))?")  # h:m:s.mmm or h:m:s:ff
_SECONDS = re.compile(r"\d+(?:[.,]\d+)?")


def parse_columns(spec: str) -> dict[str, str]:
    """``time=Start,speaker=Who`` -> ``{"time": "Start", "speaker": "Who"}``; an unknown role or
    a part without ``=`` is an ``InputError``."""
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        role, sep, column = part.partition("=")
        role = role.strip().lower()
        if not sep or not column.strip():
            raise InputError(f"--columns: {part.strip()!r} must be ROLE=COLUMN (e.g. speaker=Sprecher)")
        if role not in ROLES:
            raise InputError(f"--columns: unknown role {role!r}; the roles are {', '.join(ROLES)}")
        mapping[role] = column.strip()
    return mapping


def read_table(text: str, source: str, fmt: str, columns: dict[str, str] | None = None) -> ParsedTranscript:
    """Read a tabular transcript (already decoded text) into turns."""
    header, rows = _rows(text, source, fmt)
    index = _find_columns(header, columns or {}, source)
    segments: list[Segment] = []
    for line, row in rows:
        if len(row) > len(header) and any(cell.strip() for cell in row[len(header) :]):
            raise InputError(
                f"this row has {len(row)} cells but the header has {len(header)} (a delimiter in unquoted text?)",
                f"{source}:{line}",
            )
        words = _cell(row, index.get("text"))
        speaker = _cell(row, index.get("speaker")) or None
        start = _time(_cell(row, index.get("time")), source, line)
        end = _time(_cell(row, index.get("end")), source, line)
        if words.strip():
            segments.append(Segment(speaker, " ".join(words.split()), start, end))
    if not segments:
        raise InputError("no transcript text found in the file: every row's text cell is empty", source)
    if "end" not in index:  # a row lasts until the next one starts
        for segment, following in zip(segments, segments[1:]):
            segment.time_end = following.time_start
    if "speaker" in index:
        return build_from_segments(segments, fmt)
    return _one_turn_per_row(segments, fmt)


def _rows(text: str, source: str, fmt: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    first = text.split("\n", 1)[0]
    delimiter = "\t" if fmt == "tsv" and "\t" in first else max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            if header is None:
                if any(cell.strip() for cell in row):
                    header = [" ".join(cell.split()) for cell in row]  # a quoted line break is a space
            elif any(cell.strip() for cell in row):
                rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise InputError(f"the table cannot be read: {exc}", f"{source}:{reader.line_num}") from None
    if header is None:
        raise InputError("the file is empty; it needs a header line", f"{source}:1")
    return header, rows


def _fold(name: str) -> str:
    return re.sub(r"[\s_\-.:]+", "", name.casefold())


def _find_columns(header: list[str], named: dict[str, str], source: str) -> dict[str, int]:
    folded = [_fold(h) for h in header]
    found: dict[str, int] = {}
    for role, column in named.items():
        if _fold(column) not in folded:
            raise InputError(
                f"--columns names {column!r}, which is not in the header (the columns are: {', '.join(header)})",
                f"{source}:1",
            )
        found[role] = folded.index(_fold(column))
    for role in ROLES:
        if role in found:
            continue
        taken = set(found.values())
        match = next((i for i, h in enumerate(folded) if h in _KNOWN[role] and i not in taken), None)
        if match is not None:
            found[role] = match
    if "text" not in found:
        raise InputError(
            f"no text column (the columns are: {', '.join(header)}); name it with --columns text=COLUMN",
            f"{source}:1",
        )
    return found


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _time(value: str, source: str, line: int) -> float | None:
    """``00:01:02.5``, ``01:02``, ``[00:01:02]``, ``00:01:02:12`` (frames dropped), ``62.5`` -> seconds."""
    value = value.strip().strip("[]()")
    if not value:
        return None
    if clock := _CLOCK.fullmatch(value):
        hours, minutes, seconds, millis, _frames = clock.groups()
        if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
            raise InputError(f"time {value!r} has more than 59 minutes or seconds", f"{source}:{line}")
        total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
        return total + (int(millis.ljust(3, "0")) / 1000 if millis else 0)
    if _SECONDS.fullmatch(value):
        return float(value.replace(",", "."))
    raise InputError(f"time {value!r} is not a time code (like 00:01:02 or 62.5)", f"{source}:{line}")


def _one_turn_per_row(segments: list[Segment], fmt: str) -> ParsedTranscript:
    turns: list[Turn] = []
    pos = 0
    for segment in segments:
        if turns:
            pos += 2  # the blank line between paragraphs
        turns.append(Turn(None, pos, pos + len(segment.text), segment.time_start, segment.time_end))
        pos += len(segment.text)
    return ParsedTranscript(text="\n\n".join(s.text for s in segments), turns=turns, format=fmt)
