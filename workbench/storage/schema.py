"""The study file's schema and its migrations.

The schema version lives in SQLite's ``PRAGMA user_version``. ``MIGRATIONS[i]`` takes a file from
version ``i`` to ``i + 1``. Released migrations are never edited: a change to the schema is a new
function appended to the list. See docs/schema.md for the tables.
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.storage.connection import Database
from workbench.storage.undo import install_triggers, reinstall_table_triggers


def _v1_initial(db: Database) -> None:
    """The first schema: transcripts, turns, cases, themes, codings, quotes, memos, events."""
    db["study"].create({"key": str, "value": str}, pk="key")
    db["cases"].create({"id": int, "name": str, "created": str}, pk="id", not_null={"name"})
    db["cases"].create_index(["name"], unique=True)
    db["case_attributes"].create(
        {"case_id": int, "key": str, "value": str},
        pk=("case_id", "key"),
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"value"},
    )
    db["transcripts"].create(
        {
            "id": int,
            "name": str,
            "case_id": int,
            "source_file": str,
            "format": str,
            "text": str,
            "content_hash": str,
            "imported_at": str,
            "chars": int,
            "words": int,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"name", "text", "content_hash", "imported_at"},
    )
    db["transcripts"].create_index(["name"], unique=True)
    db["transcripts"].create_index(["content_hash"])
    db["turns"].create(
        {
            "id": int,
            "transcript_id": int,
            "seq": int,
            "speaker": str,
            "start": int,
            "end": int,
            "time_start": float,
            "time_end": float,
        },
        pk="id",
        foreign_keys=[("transcript_id", "transcripts", "id")],
        not_null={"transcript_id", "seq", "start", "end"},
    )
    db["turns"].create_index(["transcript_id", "seq"], unique=True)
    db["themes"].create(
        {
            "id": int,
            "parent_id": int,
            "name": str,
            "position": int,
            "color": str,
            "key": str,
            "description": str,
            "include_note": str,
            "exclude_note": str,
            "created": str,
        },
        pk="id",
        foreign_keys=[("parent_id", "themes", "id")],
        not_null={"name", "position", "color"},
    )
    # Sibling names are unique (case-insensitive); top-level themes have parent_id NULL, which a
    # plain UNIQUE would not compare, hence the expression index.
    db.execute("CREATE UNIQUE INDEX idx_themes_sibling_name ON themes (ifnull(parent_id, 0), name COLLATE NOCASE)")
    db.execute("CREATE UNIQUE INDEX idx_themes_key ON themes (key) WHERE key IS NOT NULL")
    db["codings"].create(
        {
            "id": int,
            "transcript_id": int,
            "theme_id": int,
            "start": int,
            "end": int,
            "coder": str,
            "created": str,
            "text": str,
            "text_hash": str,
            "review": str,  # why this coding needs the researcher's look (e.g. moved by a re-import)
        },
        pk="id",
        foreign_keys=[("transcript_id", "transcripts", "id"), ("theme_id", "themes", "id")],
        not_null={"transcript_id", "theme_id", "start", "end", "coder", "created", "text"},
    )
    db["codings"].create_index(["transcript_id", "start"])
    db["codings"].create_index(["theme_id"])
    db["quotes"].create(
        {
            "coding_id": int,
            "selected": int,
            "position": int,
            "comment": str,
            "elided": str,
            "updated": str,
        },
        pk="coding_id",
        foreign_keys=[("coding_id", "codings", "id")],
        not_null={"selected"},
        defaults={"selected": 0},
    )
    db["memos"].create(
        {"id": int, "target_type": str, "target_id": int, "text": str, "updated": str},
        pk="id",
        not_null={"target_type", "text", "updated"},
    )
    db.execute("CREATE UNIQUE INDEX idx_memos_target ON memos (target_type, ifnull(target_id, 0))")
    db["events"].create(
        {
            "id": int,
            "at": str,
            "actor": str,
            "action": str,
            "payload": str,
            "undo_first": int,  # range of undo_log entries that reverse this event
            "undo_last": int,
            "undone": int,  # 0 done, 1 undone (redoable), 2 undone and no longer redoable
            "undone_seq": int,  # order of undoing, so redo takes the most recently undone first
        },
        pk="id",
        not_null={"at", "action", "undone"},
        defaults={"undone": 0},
    )
    install_triggers(db)


def _v2_covering_index(db: Database) -> None:
    """A covering index of codings by theme, transcript and place.

    Counts per theme and case (``workbench stats``, the theme palette, the chapter) and the
    quote board's rows (every coding of a theme in transcript order) read only this index,
    never the codings rows (which carry the coded text). It starts with ``theme_id``, so the
    v1 index on ``theme_id`` alone is dropped.
    """
    db.execute("CREATE INDEX idx_codings_theme_transcript ON codings (theme_id, transcript_id, start)")
    db.execute("DROP INDEX IF EXISTS idx_codings_theme_id")


def _v3_note_after_quote(db: Database) -> None:
    """A note after a quote (``quotes.note_after``): the analysis the chapter prints right after
    the quote, where the comment is printed before it. The quotes table's undo triggers are built
    again so that undo restores the new column too."""
    db.execute("ALTER TABLE quotes ADD COLUMN note_after TEXT")
    reinstall_table_triggers(db, "quotes")


MIGRATIONS: list[Callable[[Database], None]] = [_v1_initial, _v2_covering_index, _v3_note_after_quote]
SCHEMA_VERSION = len(MIGRATIONS)
