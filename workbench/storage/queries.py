"""Reads: turn rows of the study file into domain objects. No writes here."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from workbench.domain.models import Coding, Quote, Theme, Transcript, Turn
from workbench.domain.sorting import natural_key
from workbench.domain.theme_tree import subtree_ids
from workbench.storage import quote_rows
from workbench.storage.connection import Database

if TYPE_CHECKING:
    from workbench.domain.reports import ThemeCount


def load_themes(db: Database) -> list[Theme]:
    """All themes in codebook order (depth-first, siblings by position), with their paths."""
    rows = list(db.query("SELECT * FROM themes ORDER BY position, id"))
    children: dict[int | None, list[dict]] = defaultdict(list)
    for row in rows:
        children[row["parent_id"]].append(row)
    themes: list[Theme] = []

    def walk(parent_id: int | None, prefix: str) -> None:
        for row in children.get(parent_id, []):
            path = f"{prefix}/{row['name']}" if prefix else row["name"]
            themes.append(
                Theme(
                    id=row["id"],
                    name=row["name"],
                    path=path,
                    parent_id=row["parent_id"],
                    position=row["position"],
                    color=row["color"],
                    key=row["key"],
                    description=row["description"],
                    include=row["include_note"],
                    exclude=row["exclude_note"],
                )
            )
            walk(row["id"], path)

    walk(None, "")
    return themes


def descendant_ids(themes: list[Theme], theme_id: int) -> set[int]:
    """The theme and all its sub-themes (the walk is workbench.domain.theme_tree's)."""
    return set(subtree_ids(themes, theme_id))


def load_transcripts(db: Database, name: str | None = None) -> list[Transcript]:
    """All transcripts by name, with their case name (``name``: only the one called exactly that)."""
    where = "WHERE t.name = ?" if name is not None else ""
    rows = db.query(
        f"""SELECT t.id, t.name, c.name AS case_name, t.source_file, t.format, t.content_hash,
                  t.imported_at, t.chars, t.words
           FROM transcripts t LEFT JOIN cases c ON c.id = t.case_id {where} ORDER BY t.name""",
        [name] if name is not None else [],
    )
    return [
        Transcript(
            id=r["id"],
            name=r["name"],
            case=r["case_name"],
            source_file=r["source_file"],
            format=r["format"],
            content_hash=r["content_hash"],
            imported_at=r["imported_at"],
            chars=r["chars"],
            words=r["words"],
        )
        for r in rows
    ]


def load_turns(db: Database, transcript_id: int) -> list[Turn]:
    rows = db.query(
        "SELECT speaker, start, end, time_start, time_end FROM turns WHERE transcript_id = ? ORDER BY seq",
        [transcript_id],
    )
    return [Turn(r["speaker"], r["start"], r["end"], r["time_start"], r["time_end"]) for r in rows]


def load_case_attributes(db: Database) -> dict[str, dict[str, str]]:
    """Every case's attributes: {case name: {key: value}} (cases without attributes included)."""
    result: dict[str, dict[str, str]] = {r["name"]: {} for r in db.query("SELECT name FROM cases ORDER BY name")}
    for r in db.query(
        "SELECT c.name, a.key, a.value FROM case_attributes a JOIN cases c ON c.id = a.case_id ORDER BY c.name, a.key"
    ):
        result[r["name"]][r["key"]] = r["value"]
    return result


def load_coding(db: Database, coding_id: int, themes: list[Theme]) -> Coding | None:
    row = next(
        db.query(
            """SELECT k.*, t.name AS transcript FROM codings k JOIN transcripts t ON t.id = k.transcript_id
               WHERE k.id = ?""",
            [coding_id],
        ),
        None,
    )
    if row is None:
        return None
    return _coding(row, {t.id: t.path for t in themes})


def load_codings(db: Database, transcript_id: int, themes: list[Theme]) -> list[Coding]:
    """A transcript's codings in text order."""
    paths = {t.id: t.path for t in themes}
    rows = db.query(
        """SELECT k.*, t.name AS transcript FROM codings k JOIN transcripts t ON t.id = k.transcript_id
           WHERE k.transcript_id = ? ORDER BY k.start, k.end, k.id""",
        [transcript_id],
    )
    return [_coding(r, paths) for r in rows]


def _coding(row: dict, paths: dict[int, str]) -> Coding:
    return Coding(
        id=row["id"],
        transcript=row["transcript"],
        theme_id=row["theme_id"],
        theme_path=paths.get(row["theme_id"], "?"),
        start=row["start"],
        end=row["end"],
        coder=row["coder"],
        created=row["created"],
        text=row["text"],
    )


def load_quotes(
    db: Database,
    themes: list[Theme],
    theme_ids: set[int] | None = None,
    where: dict[str, set[str]] | None = None,
    selected_only: bool = False,
) -> list[Quote]:
    """Codings as quotes, in codebook order; within a theme the selected ones first, in their order.

    ``where`` maps an attribute key to the accepted values (case-insensitive): keys are ANDed,
    values of one key ORed.
    """
    attributes = load_case_attributes(db)
    order = {t.id: i for i, t in enumerate(themes)}
    paths = {t.id: t.path for t in themes}
    sql = """SELECT k.id, k.theme_id, k.start, k.end, k.coder, k.created, k.text,
                    t.name AS transcript, c.name AS case_name,
                    q.selected, q.position, q.comment, q.elided, q.note_after
             FROM codings k
             JOIN transcripts t ON t.id = k.transcript_id
             LEFT JOIN cases c ON c.id = t.case_id
             LEFT JOIN quotes q ON q.coding_id = k.id"""
    conditions, params = [], []
    if selected_only:
        conditions.append("q.selected = 1")
    if theme_ids is not None:
        conditions.append(f"k.theme_id IN ({', '.join('?' * len(theme_ids))})")
        params.extend(sorted(theme_ids))
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    accepted = quote_rows.matching_cases(attributes, where) if where else None
    quotes = [
        quote_rows.quote_from_row(r, paths, attributes)
        for r in db.query(sql, params)
        if accepted is None or r["case_name"] in accepted
    ]
    quotes.sort(
        key=lambda q: (
            order.get(q.theme_id, len(order)),
            not q.selected,
            q.position if q.position is not None else 0,
            q.transcript,
            q.start,
            q.id,
        )
    )
    return quotes


def codings_by_theme_and_transcript(db: Database) -> list[tuple[int, int, int]]:
    """(theme id, transcript id, codings) for every pair that has codings: one pass over the
    covering index ``idx_codings_theme_transcript`` (schema v2), see :func:`codings_per_transcript`."""
    return [(theme_id, t, n) for theme_id, per in codings_per_transcript(db).items() for t, n in per.items()]


def codings_per_transcript(
    db: Database, theme_ids: set[int] | None = None, transcript: str | None = None
) -> dict[int, dict[int, int]]:
    """{theme id: {transcript id: codings}} of the given themes (None: all) in the transcript
    named ``transcript`` (None: all). Without ``transcript`` a theme or transcript without
    codings is left out; with it, each given theme has that transcript's entry, 0 if need be.

    Reads only those themes' entries of the covering index ``idx_codings_theme_transcript``, and
    with ``transcript`` only that transcript's part of each: what one change costs to count again.
    """
    conditions: list[str] = []
    params: list[object] = []
    if theme_ids is not None:
        conditions.append(f"theme_id IN ({', '.join('?' * len(theme_ids))})")
        params.extend(sorted(theme_ids))
    transcript_id = None
    if transcript is not None:
        row = db.execute("SELECT id FROM transcripts WHERE name = ?", [transcript]).fetchone()
        if row is None:
            return {}
        transcript_id = row[0]
        conditions.append("transcript_id = ?")
        params.append(transcript_id)
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    counts: dict[int, dict[int, int]] = {}
    for theme_id, in_transcript, n in db.execute(
        f"SELECT theme_id, transcript_id, count(*) FROM codings{where} GROUP BY theme_id, transcript_id", params
    ).fetchall():
        counts.setdefault(theme_id, {})[in_transcript] = n
    if transcript_id is not None:
        for theme_id in theme_ids if theme_ids is not None else list(counts):
            counts.setdefault(theme_id, {}).setdefault(transcript_id, 0)
    return counts


def cases_of_transcripts(db: Database) -> dict[int, int | None]:
    """{transcript id: its case's id, or None}."""
    return dict(db.execute("SELECT id, case_id FROM transcripts").fetchall())


def coded_cases_by_theme(db: Database) -> dict[int, set[str]]:
    """{theme id: names of the cases coded under it}, a transcript without a case by its own
    name (as a quote names its informant); sub-themes are not rolled up."""
    speaker = {
        transcript_id: case_name or name
        for transcript_id, name, case_name in db.execute(
            "SELECT t.id, t.name, c.name FROM transcripts t LEFT JOIN cases c ON c.id = t.case_id"
        )
    }
    result: dict[int, set[str]] = defaultdict(set)
    for theme_id, transcript_id, _n in codings_by_theme_and_transcript(db):
        if transcript_id in speaker:  # always, with foreign keys on
            result[theme_id].add(speaker[transcript_id])
    return dict(result)


def theme_counts(db: Database, themes: list[Theme], by: str | None = None) -> tuple[list[ThemeCount], list[str]]:
    """Counts per theme (and per value of attribute ``by``); returns (rows, values of ``by``)."""
    from workbench.domain.reports import ThemeCount  # here: a command that counts nothing need not make it

    case_of = cases_of_transcripts(db)
    # Pairs (theme, case) with counts, to roll sub-themes up without double-counting informants.
    # A transcript without a case counts as one "case" None in the totals, as it always has;
    # a theme's own informants are its distinct cases, None left out (SQL's count(DISTINCT)).
    per_case: dict[int, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    for theme_id, transcript_id, n in codings_by_theme_and_transcript(db):
        if transcript_id in case_of:  # always, with foreign keys on
            per_case[theme_id][case_of[transcript_id]] += n
    values: list[str] = []
    case_value: dict[int, str] = {}
    if by is not None:
        for r in db.query("SELECT case_id, value FROM case_attributes WHERE key = ? COLLATE NOCASE", [by]):
            case_value[r["case_id"]] = r["value"]
        values = sorted(set(case_value.values()), key=natural_key)
    rows = []
    for theme in themes:
        count = ThemeCount(theme)
        own = per_case.get(theme.id, {})
        count.codings = sum(own.values())
        count.informants = sum(1 for case_id in own if case_id is not None)
        subtree = subtree_ids(themes, theme.id)
        cases_total: dict[int | None, int] = defaultdict(int)
        for tid in subtree:
            for case_id, n in per_case.get(tid, {}).items():
                cases_total[case_id] += n
        count.codings_total = sum(cases_total.values())
        count.informants_total = len(cases_total)
        if by is not None:
            # Split counts include sub-themes: a comparison is about the theme as a whole.
            for value in values:
                in_value = [c for c in cases_total if case_value.get(c) == value]
                count.by_value[value] = (sum(cases_total[c] for c in in_value), len(in_value))
        rows.append(count)
    return rows, values
