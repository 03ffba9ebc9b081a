"""Re-importing a changed transcript: its codings to place, the new text written with them, and
the review of the codings the re-import flagged.

The writes run inside the caller's change (``Study._change``), so a re-import or a review is one
transaction and one undoable step.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from workbench.domain.models import ParsedTranscript
from workbench.domain.word_count import count_words
from workbench.storage.connection import Database
from workbench.storage.rows import insert_rows

CodingUpdate = tuple[int, int, str, str, str | None, int]  # start, end, text, text hash, review, coding id


class TranscriptState(NamedTuple):
    """A transcript's name, text and the hash of its text, as stored now."""

    name: str
    text: str
    content_hash: str


def transcript_state(db: Database, transcript_id: int) -> TranscriptState:
    """The stored name, text and text hash of a transcript."""
    row = db.execute("SELECT name, text, content_hash FROM transcripts WHERE id = ?", [transcript_id]).fetchone()
    return TranscriptState(*row)


def transcript_with_text(db: Database, content_hash: str, other_than: int) -> str | None:
    """The name of another transcript (not id ``other_than``) whose text has this hash, if any."""
    row = db.execute(
        "SELECT name FROM transcripts WHERE content_hash = ? AND id <> ?", [content_hash, other_than]
    ).fetchone()
    return row[0] if row else None


def codings_to_place(db: Database, transcript_id: int) -> list[tuple[int, int, int, str, str | None, str | None]]:
    """A transcript's codings as (id, start, end, coded text, review flag, trimmed quote), in text order."""
    return db.execute(
        """SELECT k.id, k.start, k.end, k.text, k.review, q.elided FROM codings k
           LEFT JOIN quotes q ON q.coding_id = k.id WHERE k.transcript_id = ? ORDER BY k.start, k.id""",
        [transcript_id],
    ).fetchall()


def replace_text(
    db: Database,
    transcript_id: int,
    parsed: ParsedTranscript,
    content_hash: str,
    source_file: str,
    imported_at: str,
    updates: Iterable[CodingUpdate],
) -> None:
    """Give a transcript the text and turns of ``parsed`` and its codings their new places."""
    text = parsed.text
    db.execute(
        """UPDATE transcripts SET text = ?, content_hash = ?, chars = ?, words = ?, source_file = ?,
           format = ?, imported_at = ? WHERE id = ?""",
        [text, content_hash, len(text), count_words(text), source_file, parsed.format, imported_at, transcript_id],
    )
    db.execute("DELETE FROM turns WHERE transcript_id = ?", [transcript_id])
    insert_rows(
        db,
        "turns",
        (
            {
                "transcript_id": transcript_id,
                "seq": i,
                "speaker": t.speaker,
                "start": t.start,
                "end": t.end,
                "time_start": t.time_start,
                "time_end": t.time_end,
            }
            for i, t in enumerate(parsed.turns)
        ),
    )
    db.conn.executemany(
        "UPDATE codings SET start = ?, end = ?, text = ?, text_hash = ?, review = ? WHERE id = ?", updates
    )


def flagged_codings(db: Database) -> list[tuple[int, str, int, int, int, str, str | None, str, bool]]:
    """Codings flagged for review as (id, transcript, theme id, start, end, coded text, the
    transcript's text at start..end now, reason, selected as a quote), by transcript and place."""
    rows = db.execute(
        """SELECT k.id, t.name, k.theme_id, k.start, k.end, k.text, substr(t.text, k.start + 1, k.end - k.start),
                  k.review, ifnull(q.selected, 0)
           FROM codings k JOIN transcripts t ON t.id = k.transcript_id LEFT JOIN quotes q ON q.coding_id = k.id
           WHERE k.review IS NOT NULL ORDER BY t.name, k.start, k.id"""
    ).fetchall()
    return [(*row[:8], bool(row[8])) for row in rows]


def review_flag(db: Database, coding_id: int) -> str | None:
    """Why a coding needs review (None: it is not flagged, or there is no such coding)."""
    row = db.execute("SELECT review FROM codings WHERE id = ?", [coding_id]).fetchone()
    return row[0] if row else None


def trimmed_form(db: Database, coding_id: int) -> str | None:
    """The trimmed (elided) form of a coding's quote, if it has one."""
    row = db.execute("SELECT elided FROM quotes WHERE coding_id = ?", [coding_id]).fetchone()
    return row[0] if row else None


def set_reviewed_span(db: Database, coding_id: int, start: int, end: int, text: str, text_hash: str) -> None:
    """Let a coding cover ``text`` at start..end and clear its review flag."""
    db.execute(
        "UPDATE codings SET start = ?, end = ?, text = ?, text_hash = ?, review = NULL WHERE id = ?",
        [start, end, text, text_hash, coding_id],
    )


def remove_trimmed_form(db: Database, coding_id: int, updated: str) -> None:
    """Drop a quote's trimmed form (it no longer fits the coded text)."""
    db.execute("UPDATE quotes SET elided = NULL, updated = ? WHERE coding_id = ?", [updated, coding_id])
