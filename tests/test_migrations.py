"""Schema migrations, tested from every released schema version with real data in it.

``tests/data/schema_vN.db`` is a study made by the workbench release that introduced schema
version N: the demo study plus memos, an elided quote, a removed coding and an undone change, so
every table has rows. Opening it with today's code must migrate it to the current version and keep
every row.

Adding schema version N+1 (see docs/safety.md, "Migrations"):

1. *Before* changing ``workbench/storage/schema.py``, run ``python tests/test_migrations.py``: it
   writes ``tests/data/schema_vN.db`` for the current version N if it is missing (version 1's is
   already there). Commit it; never regenerate a released fixture.
2. Append the new migration to ``MIGRATIONS``; ``test_every_released_version_has_a_fixture``
   then asks for ``schema_v{N+1}.db``: run the script again to write it with the new code.
3. If the migration renames or drops columns or tables on purpose, say how rows map in
   ``EXPECTED_CHANGES`` below, so the row check compares the right things.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from collections import Counter
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.storage import backup as store
from workbench.storage import schema
from workbench.study import Study

DATA = Path(__file__).resolve().parent / "data"
FIXTURES = sorted(DATA.glob("schema_v*.db"), key=lambda p: int(p.stem.removeprefix("schema_v")))

# {(from_version, table): {old_column: new_column or None (dropped)}}; nothing yet.
EXPECTED_CHANGES: dict[tuple[int, str], dict[str, str | None]] = {}


def make_fixture(path: Path) -> Path:
    """A study of the current schema with rows in every table (run by hand, see the docstring)."""
    from workbench.study.demo import build_demo_study

    build_demo_study(path)
    with Study.open(path, coder="fixture") as study:
        study.set_memo("study", None, "This study asks how municipalities collaborate on IT.")
        study.set_memo("theme", "Technology", "Technology shapes, and is shaped by, collaboration.")
        quote = study.quotes(selected_only=True)[0]
        words = quote.text.split()
        study.select(quote.id, elided=f"{' '.join(words[:3])} [...] {' '.join(words[-3:])}")
        study.uncode(study.quotes()[-1].id)
        study.add_theme("Leadership", color="#884488")
        study.undo()  # the theme is gone, and its redo is still waiting
    return path


def table_rows(path: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Every user table's columns and rows, read with plain sqlite3."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        result = {}
        for name in names:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info([{name}])")]
            result[name] = (columns, conn.execute(f"SELECT * FROM [{name}]").fetchall())
        return result
    finally:
        conn.close()


def version_of(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_every_released_version_has_a_fixture():
    have = {int(p.stem.removeprefix("schema_v")) for p in FIXTURES}
    missing = sorted(set(range(1, schema.SCHEMA_VERSION + 1)) - have)
    assert not missing, (
        f"no tests/data/schema_v{missing[0]}.db: run `python tests/test_migrations.py` (see its docstring)"
    )
    for fixture in FIXTURES:
        assert version_of(fixture) == int(fixture.stem.removeprefix("schema_v")), fixture.name


@pytest.fixture(params=FIXTURES, ids=lambda p: p.stem)
def old_study(request, tmp_path: Path) -> tuple[int, Path]:
    copy = tmp_path / "study.db"
    shutil.copyfile(request.param, copy)
    return int(request.param.stem.removeprefix("schema_v")), copy


def test_opening_an_old_study_migrates_it_and_keeps_every_row(old_study):
    version, path = old_study
    before = table_rows(path)
    assert all(rows for table, (_, rows) in before.items() if table != "undo_log"), "the fixture has an empty table"
    with Study.open(path) as study:
        assert study._db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert study._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        migrated = [e for e in study.events(5) if e["action"] == "migrate"]
        assert bool(migrated) == (version < schema.SCHEMA_VERSION)
    after = table_rows(path)
    for table, (columns, rows) in before.items():
        mapping = EXPECTED_CHANGES.get((version, table), {})
        kept = [c for c in columns if mapping.get(c, c) is not None]
        new_table_columns = after[table][0]
        positions = [new_table_columns.index(mapping.get(c, c)) for c in kept]
        old = Counter(tuple(row[columns.index(c)] for c in kept) for row in rows)
        new = Counter(tuple(row[i] for i in positions) for row in after[table][1])
        if table == "events":
            assert old - new == Counter(), f"{table}: rows lost"
        else:
            assert old == new, f"{table}: rows changed by opening a schema {version} study"
    snapshots = store.list_snapshots(path)
    assert bool(snapshots) == (version < schema.SCHEMA_VERSION)


def test_a_migrated_study_still_works(old_study):
    _, path = old_study
    with Study.open(path, coder="after") as study:
        quotes = study.quotes()
        selected = study.quotes(selected_only=True)
        assert quotes and selected and any(q.elided for q in selected)
        assert study.memo("theme", "Technology")
        redone = study.redo()  # the fixture's undone change can still be redone
        assert redone and redone["action"] == "theme.add"
        assert study.theme("Leadership")
        coding = study.code("informant_2", "Leadership", 0, 30).coding
        study.undo()
        study.undo()
        with pytest.raises(WorkbenchError):
            study.theme("Leadership")
        assert coding.id not in {q.id for q in study.quotes()}
        assert len(study.quotes()) == len(quotes)


def test_a_v1_study_gains_the_covering_index_of_v2(tmp_path: Path):
    """Schema v2 adds idx_codings_theme_transcript; a v1 study from users gets it in place."""
    path = tmp_path / "study.db"
    shutil.copyfile(DATA / "schema_v1.db", path)
    before = table_rows(path)
    with Study.open(path) as study:
        db = study._db
        assert db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        columns = [r[2] for r in db.execute("PRAGMA index_info(idx_codings_theme_transcript)")]
        assert columns == ["theme_id", "transcript_id", "start"]
        assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'idx_codings_theme_id'").fetchone()[0] == 0
        plan = " ".join(
            r[3]
            for r in db.execute(
                "EXPLAIN QUERY PLAN SELECT theme_id, transcript_id, count(*) FROM codings GROUP BY theme_id, transcript_id"
            )
        )
        assert "COVERING INDEX idx_codings_theme_transcript" in plan
        [event] = [e for e in study.events(5) if e["action"] == "migrate"]
        assert event["payload"] == f'{{"from": 1, "to": {schema.SCHEMA_VERSION}}}'
    after = table_rows(path)
    for table in ("codings", "quotes", "themes", "transcripts", "cases", "memos"):
        width = len(before[table][0])  # later versions may add columns at the end
        assert Counter(row[:width] for row in after[table][1]) == Counter(before[table][1]), table
    [taken] = store.list_snapshots(path)
    assert taken.reason == f"before-migration-v1-to-v{schema.SCHEMA_VERSION}"
    assert version_of(taken.path) == 1 and table_rows(taken.path) == before


def test_a_v2_study_gains_the_note_after_a_quote_and_undo_restores_it(tmp_path: Path):
    """Schema v3 adds quotes.note_after; the quotes' undo triggers cover the new column."""
    path = tmp_path / "study.db"
    shutil.copyfile(DATA / "schema_v2.db", path)
    with Study.open(path) as study:
        assert "note_after" in [r[1] for r in study._db.execute("PRAGMA table_info(quotes)")]
        quote = study.quotes(selected_only=True)[0]
        assert quote.note_after is None
        study.select(quote.id, after="We read this as the first note.")
        study.select(quote.id, after="A second thought.")
        assert study.quote(quote.id).note_after == "A second thought."
        study.undo()
        assert study.quote(quote.id).note_after == "We read this as the first note."
        study.undo()
        assert study.quote(quote.id).note_after is None


def _with_future_migration(monkeypatch, migration) -> None:
    migrations = [*schema.MIGRATIONS, migration]
    monkeypatch.setattr(schema, "MIGRATIONS", migrations)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(migrations))


def test_a_migration_is_preceded_by_a_snapshot_and_recorded(old_study, monkeypatch):
    version, path = old_study
    before = table_rows(path)

    def add_a_column(db):
        db.execute("ALTER TABLE memos ADD COLUMN author TEXT")

    _with_future_migration(monkeypatch, add_a_column)
    with Study.open(path) as study:
        assert "author" in {c.name for c in study._db["memos"].columns}
        event = study.events(1)[0]
        assert event["action"] == "migrate" and f'"to": {schema.SCHEMA_VERSION}' in event["payload"]
    [taken] = store.list_snapshots(path)
    assert taken.reason == f"before-migration-v{version}-to-v{schema.SCHEMA_VERSION}"
    assert version_of(taken.path) == version
    assert table_rows(taken.path) == before


def test_a_failing_migration_changes_nothing(old_study, monkeypatch):
    version, path = old_study

    def half_done(db):
        db.execute("CREATE TABLE half_done (id INTEGER)")
        db.execute("UPDATE codings SET coder = 'nobody'")
        raise WorkbenchError("migration failed on purpose")

    before = table_rows(path)
    _with_future_migration(monkeypatch, half_done)
    with pytest.raises(WorkbenchError, match="on purpose"):
        Study.open(path)
    assert version_of(path) == version
    assert table_rows(path) == before


def test_an_old_study_that_cannot_be_written_is_refused_not_half_opened(old_study, monkeypatch):
    _, path = old_study
    _with_future_migration(monkeypatch, lambda db: None)
    monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT", "0.1")
    holder = sqlite3.connect(path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(WorkbenchError, match="made by an older workbench .* cannot be upgraded"):
            Study.open(path)
    finally:
        holder.rollback()
        holder.close()


def test_a_study_from_a_newer_workbench_is_refused(old_study):
    _, path = old_study
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(WorkbenchError, match="made by a newer workbench"):
        Study.open(path)


if __name__ == "__main__":
    target = DATA / f"schema_v{schema.SCHEMA_VERSION}.db"
    if target.exists():
        sys.exit(f"{target} exists: a released fixture is never regenerated")
    DATA.mkdir(exist_ok=True)
    print(f"wrote {make_fixture(target)}")
