"""What a search across transcripts reads: the texts, their turns and their codings, in few queries.

The search itself (folding, matching) is pure and lives in ``workbench.domain.text_search``; the
texts are read whole, because a scan of every transcript in Python is fast enough at research
scale (see docs/search.md for the measurements and why there is no full-text index).
"""

from __future__ import annotations

from typing import NamedTuple

from workbench.storage.connection import Database


class SearchedText(NamedTuple):
    """One transcript as a search sees it."""

    id: int
    name: str
    case: str | None
    text: str


def _ids_clause(ids: list[int] | None, column: str) -> tuple[str, list[int]]:
    if ids is None:
        return "", []
    return f" WHERE {column} IN ({', '.join('?' * len(ids))})", list(ids)


def searched_texts(db: Database, transcript_ids: list[int] | None = None) -> list[SearchedText]:
    """Transcripts with their case and full text (all, or those with these ids), by name."""
    where, params = _ids_clause(transcript_ids, "t.id")
    rows = db.execute(
        "SELECT t.id, t.name, c.name, t.text FROM transcripts t LEFT JOIN cases c ON c.id = t.case_id"
        + where
        + " ORDER BY t.name",
        params,
    ).fetchall()
    return [SearchedText(*row) for row in rows]


def turn_spans_by_transcript(
    db: Database, transcript_ids: list[int] | None = None
) -> dict[int, list[tuple[int, int, str | None]]]:
    """The turns of the transcripts as (start, end, speaker), in order, by transcript id."""
    where, params = _ids_clause(transcript_ids, "transcript_id")
    found: dict[int, list[tuple[int, int, str | None]]] = {}
    rows = db.execute(
        'SELECT transcript_id, start, "end", speaker FROM turns' + where + " ORDER BY transcript_id, seq", params
    ).fetchall()
    for tid, start, end, speaker in rows:
        found.setdefault(tid, []).append((start, end, speaker))
    return found


def coding_spans_by_transcript(
    db: Database, transcript_ids: list[int] | None = None
) -> dict[int, list[tuple[int, int, int, int]]]:
    """The codings of the transcripts as (id, start, end, theme id), in no particular order, by
    transcript id (unsorted: at 100,000 codings sorting in SQL costs more than the search)."""
    where, params = _ids_clause(transcript_ids, "transcript_id")
    found: dict[int, list[tuple[int, int, int, int]]] = {}
    rows = db.execute('SELECT transcript_id, id, start, "end", theme_id FROM codings' + where, params).fetchall()
    for tid, cid, start, end, theme_id in rows:
        found.setdefault(tid, []).append((cid, start, end, theme_id))
    return found
