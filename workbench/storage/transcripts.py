"""Transcripts and their speaker turns: storing an imported text, and what import checks against.

Reading them as domain objects is in ``queries`` (``load_transcripts``, ``load_turns``).
"""

from __future__ import annotations

import sqlite_utils

from workbench.domain.models import Turn


def transcript_text(db: sqlite_utils.Database, transcript_id: int) -> str:
    """The full stored text of a transcript."""
    return db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript_id]).fetchone()[0]


def content_hash_of(db: sqlite_utils.Database, name: str) -> str | None:
    """The content hash of the transcript named ``name`` (None: no such transcript)."""
    row = db.execute("SELECT content_hash FROM transcripts WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def name_with_content(db: sqlite_utils.Database, content_hash: str) -> str | None:
    """The name of a transcript whose text has this hash (None: none has)."""
    row = db.execute("SELECT name FROM transcripts WHERE content_hash = ?", [content_hash]).fetchone()
    return row[0] if row else None


def insert_transcript(
    db: sqlite_utils.Database,
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
    return (
        db["transcripts"]
        .insert(
            {
                "name": name,
                "case_id": case_id,
                "source_file": source_file,
                "format": format,
                "text": text,
                "content_hash": content_hash,
                "imported_at": imported_at,
                "chars": len(text),
                "words": words,
            }
        )
        .last_pk
    )


def insert_turns(db: sqlite_utils.Database, transcript_id: int, turns: list[Turn]) -> None:
    """Store a transcript's turns, numbered in order."""
    # One executemany of plain tuples: sqlite-utils' insert_all (checking every value, building
    # queries per chunk) took a quarter of an import. Same connection and transaction, so the
    # undo-log triggers on turns fire as for any insert.
    db.conn.executemany(
        'INSERT INTO turns (transcript_id, seq, speaker, start, "end", time_start, time_end) VALUES (?, ?, ?, ?, ?, ?, ?)',
        # A generator, not a list: a transcript of many turns is not held twice as tuples.
        (
            (transcript_id, i, turn.speaker, turn.start, turn.end, turn.time_start, turn.time_end)
            for i, turn in enumerate(turns)
        ),
    )
