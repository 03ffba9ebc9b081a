"""The quote board's queries: light rows for ordering and grouping every coding, and whole
quotes for just the cards in view.

A study of 100,000 codings gives 100,000 entries in about a tenth of a second, where turning
every coding into a :class:`Quote` (its text, comment, attributes) takes seconds; the board
loads whole quotes a screenful at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from workbench.domain.models import Quote, QuoteEntry, Theme
from workbench.storage.connection import Database

_FROM = """FROM codings k
           JOIN transcripts t ON t.id = k.transcript_id
           LEFT JOIN cases c ON c.id = t.case_id
           LEFT JOIN quotes q ON q.coding_id = k.id"""


def matching_cases(attributes: Mapping[str, Mapping[str, str]], where: Mapping[str, set[str]]) -> set[str]:
    """The cases whose attributes pass ``where`` (keys ANDed, values ORed, case-insensitive)."""
    wanted = {k.casefold(): {v.casefold() for v in vs} for k, vs in where.items()}
    found = set()
    for case, attrs in attributes.items():
        folded = {k.casefold(): v.casefold() for k, v in attrs.items()}
        if all(folded.get(k) in values for k, values in wanted.items()):
            found.add(case)
    return found


def quote_entries(
    db: Database,
    themes: list[Theme],
    attributes: Mapping[str, Mapping[str, str]],
    theme_ids: set[int] | None = None,
    where: Mapping[str, set[str]] | None = None,
    text_query: str = "",
) -> list[QuoteEntry]:
    """The board's rows, in the order of :func:`queries.load_quotes`: codebook order, then
    within a theme the selected quotes first in their order, then by transcript and place.

    ``where`` filters by case attributes as in ``load_quotes``; ``text_query`` keeps the
    codings whose text or comment contains it (ignoring case).
    """
    # Only ids, themes and places are read, from the covering index on codings; the order
    # within a theme comes sorted from SQLite, and the few quotes with a chapter state are
    # moved to the front in Python.
    transcripts = {
        tid: (name, case)
        for tid, name, case in db.execute(
            "SELECT t.id, t.name, c.name FROM transcripts t LEFT JOIN cases c ON c.id = t.case_id"
        )
    }
    if where:
        accepted = matching_cases(attributes, where)
        transcripts = {tid: entry for tid, entry in transcripts.items() if entry[1] in accepted}
    chapter_state = chapter_states(db, theme_ids)
    sql = """SELECT k.id, k.theme_id, k.transcript_id, k.start FROM codings k JOIN transcripts t ON t.id = k.transcript_id"""
    params: list = []
    conditions = []
    if theme_ids is not None:
        conditions.append(f"k.theme_id IN ({', '.join('?' * len(theme_ids))})")
        params.extend(sorted(theme_ids))
    if text_query:
        needle = text_query.casefold()
        db.conn.create_function("wb_contains", 2, _contains, deterministic=True)
        conditions.append(
            "(wb_contains(k.text, ?) OR k.id IN (SELECT coding_id FROM quotes WHERE wb_contains(comment, ?)))"
        )
        params += [needle, needle]
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    sql += " ORDER BY k.theme_id, t.name, k.start, k.id"
    by_theme: dict[int, list[QuoteEntry]] = {}
    no_attributes: dict[str, str] = {}
    case_attributes = {
        tid: attributes.get(case, no_attributes) if case else no_attributes
        for tid, (_name, case) in transcripts.items()
    }
    paths = {t.id: t.path for t in themes}
    unselected = (False, None)
    for coding_id, theme_id, transcript_id, start in db.execute(sql, params):
        attrs = case_attributes.get(transcript_id)
        if attrs is None:  # its case is filtered out
            continue
        selected, position = chapter_state.get(coding_id, unselected)
        by_theme.setdefault(theme_id, []).append(
            QuoteEntry(
                coding_id,
                paths.get(theme_id, "?"),
                theme_id,
                selected,
                position,
                attrs,
                transcripts[transcript_id][0],
                start,
            )
        )
    order = {t.id: i for i, t in enumerate(themes)}
    result: list[QuoteEntry] = []
    for theme_id in sorted(by_theme, key=lambda tid: order.get(tid, len(order))):
        members = by_theme[theme_id]
        # As load_quotes sorts by (not selected, position or 0): a stable partition keeps the
        # transcript order among equals without sorting thousands of entries.
        placed = [e for e in members if e.position]
        if placed:
            unplaced = [e for e in members if not e.position]
            result.extend(sorted((e for e in placed if e.selected), key=lambda e: e.position))
            result.extend(e for e in unplaced if e.selected)
            result.extend(e for e in unplaced if not e.selected)
            result.extend(sorted((e for e in placed if not e.selected), key=lambda e: e.position))
        else:
            result.extend(e for e in members if e.selected)
            result.extend(e for e in members if not e.selected)
    return result


def chapter_states(db: Database, theme_ids: set[int] | None = None) -> dict[int, tuple[bool, int | None]]:
    """{coding id: (selected, position)} of the quotes with a chapter state (selected, or still
    placed), of the given themes (None: all); every other coding is unselected and unplaced."""
    sql = "SELECT q.coding_id, q.selected, q.position FROM quotes q"
    params: list = []
    if theme_ids is not None:  # one theme's rows after a change: its quotes' state alone
        sql += f" JOIN codings k ON k.id = q.coding_id WHERE k.theme_id IN ({', '.join('?' * len(theme_ids))}) AND"
        params = sorted(theme_ids)
    else:
        sql += " WHERE"
    return {
        cid: (bool(selected), position)
        for cid, selected, position in db.execute(sql + " (q.selected OR q.position IS NOT NULL)", params)
    }


def _contains(text: str | None, needle: str) -> bool:
    return text is not None and needle in text.casefold()


def quotes_by_id(
    db: Database,
    themes: list[Theme],
    attributes: Mapping[str, Mapping[str, str]],
    ids: Iterable[int],
) -> dict[int, Quote]:
    """The quotes of the given coding ids (ids that are not codings are left out)."""
    ids = list(ids)
    if not ids:
        return {}
    paths = {t.id: t.path for t in themes}
    sql = f"""SELECT k.id, k.theme_id, k.start, k.end, k.coder, k.created, k.text,
                     t.name AS transcript, c.name AS case_name,
                     q.selected, q.position, q.comment, q.elided, q.note_after
              {_FROM} WHERE k.id IN ({", ".join("?" * len(ids))})"""
    return {row["id"]: quote_from_row(row, paths, attributes) for row in db.query(sql, ids)}


def quote_from_row(row: Mapping, paths: Mapping[int, str], attributes: Mapping[str, Mapping[str, str]]) -> Quote:
    """A :class:`Quote` from a row of the quote queries (here and in ``queries.load_quotes``)."""
    case = row["case_name"]
    return Quote(
        id=row["id"],
        transcript=row["transcript"],
        case=case,
        theme=paths.get(row["theme_id"], "?"),
        theme_id=row["theme_id"],
        start=row["start"],
        end=row["end"],
        text=row["text"],
        attributes=attributes.get(case, {}) if case else {},  # shared by a case's quotes, as read
        selected=bool(row["selected"]),
        position=row["position"],
        comment=row["comment"],
        elided=row["elided"],
        note_after=row["note_after"],
        coder=row["coder"],
        created=row["created"],
    )
