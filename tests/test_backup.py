"""Snapshots, restore, the audit trail and undo from the command line (docs/safety.md)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from damaged_study import damage

from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.storage import backup as store
from workbench.storage.database import open_database
from workbench.study import Study


def cli(*args: str, input: str | None = None):
    result = CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)
    return result


def codings(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM codings").fetchone()[0]
    finally:
        conn.close()


def code_one(path: Path, start: int = 0, end: int = 20) -> int:
    with Study.open(path, coder="tester") as study:
        return study.code("informant_1", "Technology", start, end).coding.id


# -- snapshots -----------------------------------------------------------------------------------


def test_a_snapshot_is_a_complete_study_named_by_time_and_reason(study_path: Path):
    with Study.open(study_path) as study:
        made = store.snapshot(study_path, study._db, "before delete theme")
    assert made.parent == study_path.with_name("study.db.backups")
    assert made.name.endswith("Z-before-delete-theme.db")
    [listed] = store.list_snapshots(study_path)
    assert listed.path == made and listed.reason == "before-delete-theme" and listed.automatic
    assert codings(made) == codings(study_path)
    with Study.open(made) as copy:
        assert copy._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_snapshot_leaves_out_a_transaction_in_progress(study_path: Path):
    before = codings(study_path)
    with Study.open(study_path) as study:
        study._db.conn.execute("BEGIN IMMEDIATE")
        study._db.execute("DELETE FROM quotes")
        study._db.execute("DELETE FROM codings")
        made = store.snapshot(study_path, study._db, "mid-change")
        study._db.conn.execute("ROLLBACK")
    assert codings(made) == before


def test_automatic_snapshots_are_pruned_to_the_newest_few_and_manual_ones_kept(study_path: Path):
    with Study.open(study_path) as study:
        manual = store.backup(study_path, study._db)
        made = [store.snapshot(study_path, study._db, f"step {i}") for i in range(store.KEEP_AUTOMATIC + 3)]
    listed = store.list_snapshots(study_path)
    automatic = [s.path for s in listed if s.automatic]
    assert automatic == list(reversed(made[-store.KEEP_AUTOMATIC :]))
    assert manual.path in [s.path for s in listed]
    assert not any(p.name.startswith(".tmp-") for p in store.backups_folder(study_path).iterdir())


def test_no_snapshot_of_a_read_only_study(study_path: Path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT", "0.1")
    holder = sqlite3.connect(study_path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Study.open(study_path) as study:
            assert study._db.read_only
            assert store.snapshot(study_path, study._db, "before delete theme") is None
    finally:
        holder.rollback()
        holder.close()


def test_a_snapshot_that_cannot_be_written_stops_the_change(study_path: Path):
    store.backups_folder(study_path).write_text("in the way")  # a file where the folder should be
    with Study.open(study_path) as study, pytest.raises(WorkbenchError, match="cannot create the backups folder"):
        store.snapshot(study_path, study._db, "before delete theme")


def test_deleting_or_merging_themes_takes_a_snapshot_first(study_path: Path):
    with Study.open(study_path) as study:
        study.delete_theme("Technology")
        study.merge_themes("Identity", "Organisational culture")
    taken = store.list_snapshots(study_path)
    assert len(taken) == 2 and all(s.automatic for s in taken)
    with Study.open(taken[-1].path) as before_delete, Study.open(taken[0].path) as before_merge:
        assert before_delete.theme("Technology")
        assert (
            before_merge.theme("Identity")
            and not before_merge._db.execute("SELECT 1 FROM themes WHERE name = 'Technology'").fetchone()
        )


# -- restore -------------------------------------------------------------------------------------


def test_restore_puts_the_snapshot_back_and_keeps_the_replaced_file(study_path: Path):
    with Study.open(study_path) as study:
        saved = store.backup(study_path, study._db)
    before = codings(study_path)
    code_one(study_path)
    report = store.restore(study_path, store.find_snapshot(study_path), actor="tester")
    assert report.restored == saved
    assert codings(study_path) == before
    assert codings(report.saved_current) == before + 1
    assert not Path(f"{study_path}-wal").exists() or Path(f"{study_path}-wal").stat().st_size == 0
    with Study.open(study_path) as study:
        assert study._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert study._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        last = study.events(1)[0]
        assert (last["action"], last["actor"]) == ("restore", "tester")
        assert saved.path.name in last["payload"]


def test_restore_is_refused_while_another_program_has_the_study_open(study_path: Path):
    with Study.open(study_path) as study:
        store.backup(study_path, study._db)
        code_one(study_path)
        with pytest.raises(WorkbenchError, match="open in another program"):
            store.restore(study_path, store.find_snapshot(study_path), actor="tester")
        assert len(study.quotes()) == codings(study_path)
    assert len(store.list_snapshots(study_path)) == 1


def test_restore_rescues_a_damaged_study_and_keeps_its_bytes(study_path: Path):
    with Study.open(study_path) as study:
        store.backup(study_path, study._db)
    damage(study_path)
    with pytest.raises(WorkbenchError) as caught:
        Study.open(study_path)
    message = str(caught.value)
    assert message.startswith(f"{study_path}: the study file is damaged")
    assert f"workbench restore {study_path}" in message and "\n" not in message
    report = store.restore(study_path, store.find_snapshot(study_path), actor="tester")
    assert report.saved_current.name.endswith("before-restore-damaged.db")
    with Study.open(study_path) as study:
        assert study._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # the damaged copy is listed but never chosen by default
    assert store.find_snapshot(study_path).reason == "manual"


def test_restore_brings_back_a_deleted_study(study_path: Path):
    with Study.open(study_path) as study:
        store.backup(study_path, study._db)
    before = codings(study_path)
    study_path.unlink()
    report = store.restore(study_path, store.find_snapshot(study_path), actor="tester")
    assert report.saved_current is None and codings(study_path) == before


def test_a_damaged_snapshot_is_not_restored(study_path: Path):
    with Study.open(study_path) as study:
        made = store.backup(study_path, study._db)
    damage(made.path)
    before = study_path.read_bytes()
    with pytest.raises(WorkbenchError, match="snapshot is damaged|not a readable snapshot"):
        store.restore(study_path, made, actor="tester")
    assert study_path.read_bytes() == before


def test_find_snapshot_by_number_name_or_newest(study_path: Path):
    with Study.open(study_path) as study:
        first = store.backup(study_path, study._db)
        second = store.snapshot(study_path, study._db, "later")
    assert store.find_snapshot(study_path).path == second
    assert store.find_snapshot(study_path, "2") == first
    assert store.find_snapshot(study_path, first.path.name) == first
    assert store.find_snapshot(study_path, str(first.path)) == first
    with pytest.raises(WorkbenchError, match="no snapshot number 3"):
        store.find_snapshot(study_path, "3")
    with pytest.raises(WorkbenchError, match="no snapshot 'nonsense'"):
        store.find_snapshot(study_path, "nonsense")


# -- the commands --------------------------------------------------------------------------------


def test_backup_backups_and_restore_commands(study_path: Path):
    made = cli("backup", study_path, "--json")
    assert made.exit_code == 0
    snapshot = json.loads(made.output)
    assert snapshot["reason"] == "manual" and Path(snapshot["path"]).is_file()
    code_one(study_path)
    listed = cli("backups", study_path, "--json")
    assert [s["file"] for s in json.loads(listed.output)] == [snapshot["file"]]
    table = cli("backups", study_path)
    assert snapshot["file"][:20] in table.output and "manual" in table.output

    refused = cli("restore", study_path)  # no terminal to ask, no --yes
    assert refused.exit_code == 1
    assert refused.output.strip() == "error: restoring replaces the study: add --yes to confirm (nothing was changed)"
    restored = cli("restore", study_path, "1", "--yes")
    assert restored.exit_code == 0, restored.output
    assert restored.output.startswith(f"restored {snapshot['file']}")
    assert "before-restore" in restored.output
    assert len(json.loads(cli("backups", study_path, "--json").output)) == 2


def test_command_errors_are_one_line(study_path: Path, tmp_path: Path):
    for args in (
        ("restore", tmp_path / "none.db", "--yes"),
        ("backup", tmp_path / "none.db"),
        ("restore", study_path, "7", "--yes"),
        ("log", tmp_path / "none.db"),
    ):
        result = cli(*args)
        assert result.exit_code == 1
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.output


def test_the_log_says_who_did_what_and_when(study_path: Path):
    coding_id = code_one(study_path)
    with Study.open(study_path, coder="maria") as study:
        study.select(coding_id, comment="We read this as trust.")
        study.undo()
    entries = json.loads(cli("log", study_path, "--limit", "3", "--json").output)
    assert [(e["actor"], e["action"]) for e in entries] == [("maria", "undo"), ("maria", "select"), ("tester", "code")]
    assert entries[2]["summary"] == f"coded #{coding_id}: informant_1 0..20 as Technology"
    assert entries[1]["undone"] and entries[1]["summary"] == f"selected #{coding_id}, commented"
    assert entries[0]["at"].endswith("+00:00")
    text = cli("log", study_path, "--limit", "3").output
    assert "maria" in text and "undid" in text and "(undone)" in text
    everything = json.loads(cli("log", study_path, "--limit", "0", "--json").output)
    assert everything[-1]["action"] == "init" and len(everything) > 50


def test_undo_and_redo_commands(study_path: Path):
    coding_id = code_one(study_path)
    before = codings(study_path)
    undone = cli("undo", study_path, "--coder", "maria")
    assert undone.exit_code == 0
    assert undone.output.strip().endswith(f"coded #{coding_id}: informant_1 0..20 as Technology")
    assert codings(study_path) == before - 1
    redone = cli("redo", study_path)
    assert redone.output.startswith("redid #") and codings(study_path) == before
    assert cli("redo", study_path).output.strip() == "nothing to redo"
    with Study.open(study_path) as study:
        assert [e["actor"] for e in study.events(2)][1] == "maria"


def test_nothing_to_undo_in_a_new_study(tmp_path: Path):
    Study.create(tmp_path / "new.db").close()
    result = cli("undo", tmp_path / "new.db")
    assert (result.exit_code, result.output.strip()) == (0, "nothing to undo")


def test_open_database_reports_writable(study_path: Path):
    db = open_database(study_path)
    try:
        assert not db.read_only and db.read_only_reason is None
    finally:
        db.close()
