"""Undo and redo that survive a restart, kept in the study file itself.

Triggers on every table that holds the researcher's work write, for each row changed, the SQL
statement that reverses the change into ``undo_log`` (the technique of sqlite.org's undo/redo
note). An event records the range of log entries its transaction wrote; undoing it runs those
statements backwards, and the triggers record the reverse of *that* (the redo) as they go.
"""

from __future__ import annotations

from functools import lru_cache

from workbench.storage.connection import Database

TRACKED_TABLES = ("cases", "case_attributes", "transcripts", "turns", "themes", "codings", "quotes", "memos")


def install_triggers(db: Database) -> None:
    """Create ``undo_log`` and the triggers that fill it (part of a schema migration)."""
    db.execute("CREATE TABLE undo_log (id INTEGER PRIMARY KEY, sql TEXT NOT NULL)")
    for table in TRACKED_TABLES:
        create_table_triggers(db, table)


def reinstall_table_triggers(db: Database, table: str) -> None:
    """Build one table's undo triggers again (after a migration added a column to it), so the
    undo log restores the new column too."""
    for event in ("insert", "update", "delete"):
        db.execute(f"DROP TRIGGER IF EXISTS undo_{table}_{event}")
    create_table_triggers(db, table)


def create_table_triggers(db: Database, table: str) -> None:
    """The three triggers that write one table's changes to ``undo_log`` as their inverse."""
    columns = [row[1] for row in db.execute(f"PRAGMA table_info([{table}])")]
    set_list = "||','||".join(f"'[{c}]='||quote(old.[{c}])" for c in columns)
    value_list = "||','||".join(f"quote(old.[{c}])" for c in columns)
    column_list = ",".join(f"[{c}]" for c in columns)
    db.execute(
        f"""CREATE TRIGGER undo_{table}_insert AFTER INSERT ON [{table}] BEGIN
            INSERT INTO undo_log (sql) VALUES ('DELETE FROM [{table}] WHERE rowid='||new.rowid);
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER undo_{table}_update AFTER UPDATE ON [{table}] BEGIN
            INSERT INTO undo_log (sql) VALUES ('UPDATE [{table}] SET '||{set_list}||' WHERE rowid='||old.rowid);
        END"""
    )
    db.execute(
        f"""CREATE TRIGGER undo_{table}_delete AFTER DELETE ON [{table}] BEGIN
            INSERT INTO undo_log (sql) VALUES ('INSERT INTO [{table}] (rowid,{column_list}) VALUES ('||old.rowid||','||{value_list}||')');
        END"""
    )


def changed_any_of(db: Database, first: int, last: int, tables: tuple[str, ...]) -> bool:
    """Whether log entries ``first..last`` reverse a change to any of ``tables``: every change to
    a tracked table writes one, in one of the three forms the triggers above write."""
    if last < first:
        return False
    sql, forms = _statement_for(tables)
    return db.execute(sql, [first, last, *forms]).fetchone() is not None


@lru_cache(maxsize=8)
def _statement_for(tables: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The query of :func:`changed_any_of` and its patterns (built once: it runs after every change)."""
    forms = tuple(f"{verb} [{table}]%" for table in tables for verb in ("DELETE FROM", "UPDATE", "INSERT INTO"))
    where = " OR ".join("sql LIKE ?" for _ in forms)
    return f"SELECT 1 FROM undo_log WHERE id BETWEEN ? AND ? AND ({where}) LIMIT 1", forms


def log_position(db: Database) -> int:
    """The id of the last undo-log entry (0 when empty)."""
    return db.execute("SELECT ifnull(max(id), 0) FROM undo_log").fetchone()[0]


def replay_backwards(db: Database, first: int, last: int) -> tuple[int | None, int | None]:
    """Run log entries ``first..last`` newest first; return the range of entries this wrote."""
    before = log_position(db)
    statements = db.execute(
        "SELECT sql FROM undo_log WHERE id BETWEEN ? AND ? ORDER BY id DESC", [first, last]
    ).fetchall()
    for (sql,) in statements:
        db.execute(sql)
    after = log_position(db)
    return (before + 1, after) if after > before else (None, None)
