"""The reads behind inter-coder agreement and merging another coder's study file.

Plain tuples, read in a few queries: ``workbench.study.agreement`` lines the coders' codings up
character by character or turn by turn over tens of thousands of rows.
"""

from __future__ import annotations

from workbench.storage.connection import Database


def _marks(values: list) -> str:
    """The ``?, ?, ...`` of an ``IN (...)`` with one mark per value."""
    return ", ".join("?" * len(values))


def coder_counts(db: Database) -> dict[str, int]:
    """Every coder in the study with their number of codings, by name."""
    return dict(db.execute("SELECT coder, count(*) FROM codings GROUP BY coder ORDER BY coder").fetchall())


def codings_by(db: Database, coders: list[str]) -> list[tuple[int, int, int, int, int, str]]:
    """(id, transcript id, theme id, start, end, coder) of the given coders' codings."""
    return db.execute(
        f"SELECT id, transcript_id, theme_id, start, end, coder FROM codings WHERE coder IN ({_marks(coders)})", coders
    ).fetchall()


def transcript_sizes(db: Database) -> list[tuple[int, str, int]]:
    """(id, name, chars) of every transcript, by name."""
    return db.execute("SELECT id, name, length(text) FROM transcripts ORDER BY name").fetchall()


def transcript_texts(db: Database, transcript_ids: list[int]) -> dict[int, str]:
    """transcript id -> text, for the given transcripts."""
    sql = f"SELECT id, text FROM transcripts WHERE id IN ({_marks(transcript_ids)})"
    return dict(db.execute(sql, transcript_ids).fetchall())


def turns_of(db: Database, transcript_ids: list[int]) -> list[tuple[int, int, str | None, int, int]]:
    """(transcript id, seq, speaker, start, end) of the given transcripts' turns, in text order."""
    return db.execute(
        f'SELECT transcript_id, seq, speaker, start, "end" FROM turns WHERE transcript_id IN ({_marks(transcript_ids)}) '
        "ORDER BY transcript_id, seq",
        transcript_ids,
    ).fetchall()


def codings_with_transcripts(db: Database) -> list[tuple[str, int, int, int, str, str, str, str]]:
    """Every coding as (transcript hash, theme id, start, end, coder, created, text, transcript
    name), by transcript name and place: what a merge matches on."""
    return db.execute(
        """SELECT t.content_hash, k.theme_id, k.start, k.end, k.coder, k.created, k.text, t.name
           FROM codings k JOIN transcripts t ON t.id = k.transcript_id ORDER BY t.name, k.start, k.id"""
    ).fetchall()


def coding_keys(db: Database) -> set[tuple[int, int, int, int, str]]:
    """(transcript id, theme id, start, end, coder) of every coding: what makes a merged one a repeat."""
    return set(db.execute("SELECT transcript_id, theme_id, start, end, coder FROM codings").fetchall())
