"""The reads behind cross-case analysis (framework matrices, co-occurrence, coverage).

Each is one aggregate or whole-table query returning plain tuples, so that a study of 100,000
codings is read in well under a second; ``workbench.study.analysis`` does the counting.
"""

from __future__ import annotations

from workbench.storage.connection import Database


def counts_by_theme_and_case(db: Database) -> list[tuple[int, int, int]]:
    """(theme id, case id, codings) for every pair that has codings."""
    return db.execute(
        """SELECT k.theme_id, t.case_id, count(*) FROM codings k
           JOIN transcripts t ON t.id = k.transcript_id GROUP BY k.theme_id, t.case_id"""
    ).fetchall()


def case_names(db: Database) -> dict[int, str]:
    """case id -> case name, for every case."""
    return dict(db.execute("SELECT id, name FROM cases").fetchall())


def attribute_values(db: Database, key: str) -> dict[int, str]:
    """case id -> value of attribute ``key`` (matched without regard to case)."""
    return dict(db.execute("SELECT case_id, value FROM case_attributes WHERE key = ? COLLATE NOCASE", [key]).fetchall())


def coding_rows(db: Database) -> list[tuple[int, int, int, int, int, str]]:
    """Every coding as (id, transcript id, theme id, start, end, coder), by id."""
    return db.execute("SELECT id, transcript_id, theme_id, start, end, coder FROM codings ORDER BY id").fetchall()


def transcript_rows(db: Database) -> list[tuple[int, str, int | None, str | None, int]]:
    """Every transcript as (id, name, case id, case name, chars), by name."""
    return db.execute(
        """SELECT t.id, t.name, t.case_id, c.name, length(t.text) FROM transcripts t
           LEFT JOIN cases c ON c.id = t.case_id ORDER BY t.name"""
    ).fetchall()


def turn_rows(db: Database) -> list[tuple[int, int, str | None, int, int]]:
    """Every turn as (transcript id, seq, speaker, start, end), in transcript and text order."""
    return db.execute(
        'SELECT transcript_id, seq, speaker, start, "end" FROM turns ORDER BY transcript_id, seq'
    ).fetchall()


def transcript_theme_pairs(db: Database) -> list[tuple[int, int]]:
    """(transcript id, theme id) for every theme coded at least once in a transcript."""
    return db.execute("SELECT DISTINCT transcript_id, theme_id FROM codings").fetchall()
