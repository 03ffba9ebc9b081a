"""Adding rows many per statement (``storage.rows.insert_many``) adds exactly what one by one would."""

from __future__ import annotations

import sqlite3

import pytest

from workbench.storage.connection import Database
from workbench.storage.rows import ROWS_PER_STATEMENT, insert_many, insert_rows


def _db(columns: int) -> Database:
    db = Database(sqlite3.connect(":memory:", isolation_level=None))
    names = ", ".join(f"c{i}" for i in range(columns))
    db.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, {names})")
    return db


@pytest.mark.parametrize("count", [0, 1, ROWS_PER_STATEMENT - 1, ROWS_PER_STATEMENT, ROWS_PER_STATEMENT + 1, 1000])
def test_rows_go_in_whole_and_in_order(count: int):
    db = _db(3)
    rows = [(i, f"text {i}", None if i % 3 else i / 2) for i in range(count)]
    insert_many(db, "t", ["c0", "c1", "c2"], (row for row in rows))
    assert db.execute("SELECT c0, c1, c2 FROM t ORDER BY id").fetchall() == rows
    assert [r[0] for r in db.execute("SELECT id FROM t ORDER BY id")] == list(range(1, count + 1))


def test_a_wide_table_stays_within_the_values_a_statement_may_bind():
    db = _db(40)  # 40 columns x 64 rows would be 2,560 values; the oldest SQLite allows 999
    db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 999)
    rows = [tuple(range(i, i + 40)) for i in range(100)]
    insert_many(db, "t", [f"c{i}" for i in range(40)], rows)
    assert db.execute(f"SELECT {', '.join(f'c{i}' for i in range(40))} FROM t ORDER BY id").fetchall() == rows


@pytest.mark.parametrize(
    "rows",
    [
        [(1, 2), (3, 4, 5), (6, 7)],  # one too long
        [(1, 2, 3), (4,), (5, 6)],  # one too long and one too short: as many values in all
        [(1, 2), ()],  # an empty row
    ],
)
def test_a_row_of_the_wrong_width_is_refused_not_shifted(rows):
    db = _db(2)
    with pytest.raises(ValueError, match=r"a row for t has [013] value\(s\) for 2 columns"):
        insert_many(db, "t", ["c0", "c1"], rows)
    assert db.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def test_insert_rows_takes_the_columns_of_the_first_mapping():
    db = _db(2)
    insert_rows(db, "t", [{"c1": "b", "c0": "a"}, {"c0": "c", "c1": "d"}])
    insert_rows(db, "t", [])
    assert db.execute("SELECT c0, c1 FROM t ORDER BY id").fetchall() == [("a", "b"), ("c", "d")]
