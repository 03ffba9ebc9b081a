"""The integrity check started early on a thread (storage/integrity.py): its "ok" spares the
opening a second check, and anything else leaves the opening to check and word the problem."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from damaged_study import damage
from tmux_terminal import WORKBENCH

from workbench.errors import StorageError
from workbench.storage import integrity
from workbench.study import Study, start_integrity_check


def quick_checks_on_open(path: Path, monkeypatch) -> list[str]:
    """Open the study, and return the integrity checks its own connection ran."""
    ran: list[str] = []
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(lambda sql: ran.append(sql) if "quick_check" in sql else None)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    Study.open(path).close()
    monkeypatch.undo()
    return ran


def test_a_sound_study_checked_early_is_not_checked_again(study_path: Path, monkeypatch):
    assert quick_checks_on_open(study_path, monkeypatch) == ["PRAGMA quick_check(1)"]  # nothing started
    start_integrity_check(study_path)
    assert quick_checks_on_open(study_path, monkeypatch) == []


def test_a_damaged_study_is_refused_as_before_when_checked_early(study_path: Path):
    damage(study_path)
    start_integrity_check(study_path)
    with pytest.raises(StorageError, match="the study file is damaged"):
        Study.open(study_path)
    assert integrity.early_result(study_path) is None  # taken by that opening


def test_the_early_result_is_for_that_file_only(study_path: Path, tmp_path: Path):
    other = tmp_path / "other.db"
    other.write_bytes(study_path.read_bytes())
    start_integrity_check(study_path)
    os.replace(other, study_path)  # another file under the same name (a sync, a restore)
    assert integrity.early_result(study_path) is None
    assert integrity.early_result(tmp_path / "never-checked.db") is None


def test_a_file_that_is_not_a_study_gets_the_usual_message(tmp_path: Path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    start_integrity_check(empty)  # SQLite calls an empty file a sound, empty database
    with pytest.raises(Exception, match="not a workbench study"):
        Study.open(empty)


def test_commands_refuse_a_damaged_study_in_one_line(study_path: Path):
    damage(study_path)
    for command in (["stats"], ["matrix"], ["quotes"]):
        done = subprocess.run([str(WORKBENCH), *command, str(study_path)], capture_output=True, text=True)
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1 and "the study file is damaged" in done.stderr, done.stderr


def test_the_command_guesses_the_study_from_its_arguments(study_path: Path, tmp_path: Path):
    from workbench.__main__ import study_named_in

    text = tmp_path / "notes.txt"
    text.write_text("SQLite format 3 is not the header of this file", encoding="utf-8")
    assert study_named_in(["export", "chapter", str(study_path), "-o", str(text)]) == str(study_path)
    assert study_named_in(["import", str(text), str(study_path)]) == str(study_path)
    assert study_named_in(["stats", "--by", "size", str(tmp_path / "missing.db"), str(tmp_path)]) is None
