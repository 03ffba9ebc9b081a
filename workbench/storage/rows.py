"""Writing rows: adding them, and changing a row only where its values differ.

``insert_row``/``insert_rows`` are plain ``INSERT`` statements with the columns named by a dict's
keys: what every table of the schema takes, without sqlite-utils' table API (see
``connection.py``).

Writing a value over itself is still an UPDATE: the undo triggers (``undo.py``) log it, and the
action would become an undo step that changes nothing. So every change of stored fields goes
through ``update_changed``, which leaves a row alone when nothing differs and only then sets its
"last changed" time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from workbench.storage.connection import Database


def _insert_sql(table: str, columns: Iterable[str]) -> str:
    names = list(columns)
    return f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in names)}) VALUES ({', '.join('?' * len(names))})"


def insert_row(db: Database, table: str, row: Mapping[str, object]) -> int:
    """Add one row; return its rowid."""
    return db.execute(_insert_sql(table, row), list(row.values())).lastrowid


def insert_rows(db: Database, table: str, rows: Iterable[Mapping[str, object]]) -> None:
    """Add many rows with the same columns in one statement run per row (none: nothing)."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    columns = list(first)
    values = (list(first.values()), *([row[c] for c in columns] for row in rows))
    db.conn.executemany(_insert_sql(table, columns), values)


def update_row(db: Database, table: str, row_id: int, values: Mapping[str, object]) -> None:
    """Set ``values`` on the row with this rowid."""
    assignments = ", ".join(f"[{column}] = ?" for column in values)
    db.execute(f"UPDATE [{table}] SET {assignments} WHERE rowid = ?", [*values.values(), row_id])


def update_changed(
    db: Database,
    table: str,
    key_column: str,
    key: object,
    values: dict[str, object],
    touched: dict[str, object] | None = None,
) -> bool:
    """Set ``values`` on the row whose ``key_column`` is ``key`` if any of them differs from what
    is stored, together with ``touched`` (e.g. ``{"updated": now}``); return whether it changed."""
    if not values:
        return False
    assignments = {**values, **(touched or {})}
    differs = " OR ".join(f"[{column}] IS NOT ?" for column in values)
    cursor = db.execute(
        f"UPDATE [{table}] SET {', '.join(f'[{column}] = ?' for column in assignments)} "
        f"WHERE [{key_column}] = ? AND ({differs})",
        [*assignments.values(), key, *values.values()],
    )
    return cursor.rowcount > 0
