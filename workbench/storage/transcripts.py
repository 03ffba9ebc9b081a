"""Transcripts and their speaker turns: storing an imported text, and what import checks against.

Reading them as domain objects is in ``queries`` (``load_transcripts``, ``load_turns``).
"""

from __future__ import annotations

from workbench.domain.models import Turn
from workbench.storage.connection import Database
from workbench.storage.rows import insert_many


def transcript_text(db: Database, transcript_id: int) -> str:
    """The full stored text of a transcript."""
    return db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()[0]


def content_hash_of(db: Database, name: str) -> str | None:
    """The content hash of the transcript named ``name`` (None: no such transcript)."""
    row = db.execute("SELECT content_hash FROM transcripts WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def name_with_content(db: Database, content_hash: str) -> str | None:
    """The name of a transcript whose text has this hash (None: none has)."""
    row = db.execute("SELECT name FROM transcripts WHERE content_hash = ?", [content_hash]).fetchone()
    return row[0] if row else None


def insert_transcript(
    db: Database,
    *,
    name: str,
    case_id: int,
    source_file: str,
    format: str,
    text: str,
    content_hash: str,
    imported_at: str,
    words: int,
) -> int:
    """Store a transcript's text; return its id."""
    # The text goes in as UTF-8 bytes made in pieces and cast to TEXT by SQLite: binding a large
    # non-ASCII str makes Python build its UTF-8 form with a buffer of twice the worst case,
    # about three copies of the text at once.
    cursor = db.conn.execute(
        "INSERT INTO transcripts (name, case_id, source_file, format, text, content_hash, imported_at, chars, words)"
        " VALUES (?, ?, ?, ?, CAST(? AS TEXT), ?, ?, ?, ?)",
        [name, case_id, source_file, format, _utf8(text), content_hash, imported_at, len(text), words],
    )
    return cursor.lastrowid


_PIECE = 1 << 20  # characters encoded at a time


def _utf8(text: str) -> bytes | bytearray:
    """``text`` as UTF-8 in one buffer of its exact size, encoded a piece at a time."""
    if text.isascii():
        return text.encode("ascii")  # one copy of exactly the text's size
    pieces = range(0, len(text), _PIECE)
    size = sum(len(text[at : at + _PIECE].encode("utf-8")) for at in pieces)
    buffer = bytearray(size)
    filled = 0
    for at in pieces:
        piece = text[at : at + _PIECE].encode("utf-8")
        buffer[filled : filled + len(piece)] = piece
        filled += len(piece)
    return buffer


_TURN_COLUMNS = ("transcript_id", "seq", "speaker", "start", "end", "time_start", "time_end")


def insert_turns(db: Database, transcript_id: int, turns: list[Turn]) -> None:
    """Store a transcript's turns, numbered in order."""
    # Plain tuples, many rows per statement: sqlite-utils' insert_all (checking every value,
    # building queries per chunk) took a quarter of an import. Same connection and transaction,
    # so the undo-log triggers on turns fire as for any insert.
    insert_many(
        db,
        "turns",
        _TURN_COLUMNS,
        # A generator, not a list: a transcript of many turns is not held twice as tuples.
        (
            (transcript_id, i, turn.speaker, turn.start, turn.end, turn.time_start, turn.time_end)
            for i, turn in enumerate(turns)
        ),
    )
