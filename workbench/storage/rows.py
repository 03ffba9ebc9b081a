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

from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, islice

from workbench.storage.connection import Database

#: Rows added by one statement in ``insert_many``. One INSERT of many rows costs SQLite and
#: Python much less per row than ``executemany`` running a one-row INSERT per row: the 8,069
#: turns of 60 interviews, with their undo rows, go in 15-17 ms instead of 25.
ROWS_PER_STATEMENT = 64
#: The fewest values any SQLite allows a statement to bind (later versions allow 32,766).
_MOST_VALUES = 999


def _insert_sql(table: str, columns: Iterable[str], rows: int = 1) -> str:
    names = list(columns)
    one_row = f"({', '.join('?' * len(names))})"
    return f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in names)}) VALUES {', '.join([one_row] * rows)}"


def insert_row(db: Database, table: str, row: Mapping[str, object]) -> int:
    """Add one row; return its rowid."""
    return db.execute(_insert_sql(table, row), list(row.values())).lastrowid


def insert_rows(db: Database, table: str, rows: Iterable[Mapping[str, object]]) -> None:
    """Add many rows with the same columns, in order (none: nothing)."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    columns = list(first)
    insert_many(db, table, columns, chain([first.values()], ([row[c] for c in columns] for row in rows)))


def insert_many(db: Database, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Add rows given as values in the order of ``columns``, in order, many rows per statement
    (so their rowids and the undo triggers' rows come in the same order as one by one).

    The rows are read a statement's worth at a time: a generator is never held whole.
    """
    width = len(columns)
    per_statement = max(1, min(ROWS_PER_STATEMENT, _MOST_VALUES // width))
    rows = iter(rows)
    while batch := list(islice(rows, per_statement)):
        # Each row checked: a short or a long one would shift every value after it.
        if (bad := next((row for row in batch if len(row) != width), None)) is not None:
            raise ValueError(f"a row for {table} has {len(bad)} value(s) for {width} columns")
        values = list(chain.from_iterable(batch))
        # Full statements all have the same text, so it is prepared once (Python's statement cache).
        db.conn.execute(_insert_sql(table, columns, len(batch)), values)


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
