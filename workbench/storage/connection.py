"""A study's SQLite connection, as the storage modules use it.

Every query and every row written goes through plain ``sqlite3`` (``execute``, ``query``, and
``rows.insert_row``/``insert_rows``). sqlite-utils' table API (``db["table"].create(...)``,
``.columns``, ``.create_index``) is what builds and migrates the schema, so it is imported the
first time a table is asked for by name, not when a study is opened: a report, the completion of
a name and the terminal workbench's first screen never pay for importing it (about a quarter of
their start-up; it also imports numpy when that is installed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any


class Database:
    """One connection to a study file.

    ``execute`` and ``query`` behave as sqlite-utils' methods of the same names; anything else
    (``db["table"]``, ``db.table_names()`` ...) is sqlite-utils' ``Database`` over this same
    connection, made when first used.
    """

    #: A large change's checkpoint could not copy everything yet (another program read the study):
    #: each change after it tries again (``storage.database.transaction``).
    checkpoint_owed = False

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # As sqlite-utils does: a trigger's own changes fire triggers too (the undo log relies on it).
        self.conn.execute("PRAGMA recursive_triggers = on")
        self._tables: Any = None

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        """Run one statement; the cursor holds its rows."""
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    def query(self, sql: str, params: Any = None) -> Iterator[dict[str, Any]]:
        """The rows of a query, each as a dict of column name to value."""
        cursor = self.execute(sql, params or ())
        keys = [column[0] for column in cursor.description]
        for row in cursor:
            yield dict(zip(keys, row, strict=True))

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __getitem__(self, table: str) -> Any:
        return self._sqlite_utils()[table]

    def __getattr__(self, name: str) -> Any:
        # Only for what this class does not define: sqlite-utils' other methods.
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._sqlite_utils(), name)

    def _sqlite_utils(self) -> Any:
        if self._tables is None:
            import sqlite_utils

            # No plugins: nothing installed beside the workbench may change how a study is read.
            self._tables = sqlite_utils.Database(self.conn, recursive_triggers=False, execute_plugins=False)
        return self._tables
