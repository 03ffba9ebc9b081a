"""SQLite's errors stop at the storage layer: a busy, damaged or full study comes out of every
``Study`` call as ``StudyBusyError`` / ``StorageError`` and out of the command as one line, and
the front ends never import SQLite themselves (docs/safety.md)."""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from damaged_study import damage

from workbench.cli import main
from workbench.errors import StorageError, StudyBusyError, WorkbenchError
from workbench.storage.database import BUSY_MESSAGE
from workbench.study import Study

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"
LONG_TRANSCRIPT = "subtitles/podcastindex_example.srt"  # 13,700 characters: needs new pages


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def rows(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("transcripts", "turns", "codings", "quotes", "events", "undo_log")
        }
    finally:
        conn.close()


def after_opening(monkeypatch, then) -> None:
    """Make ``Study.open`` run ``then(study)`` once the study is open and checked: what another
    program or the disk does while a command runs."""
    original = Study.open.__func__

    def open_then(cls, path, coder=None):
        study = original(cls, path, coder)
        then(study)
        return study

    monkeypatch.setattr(Study, "open", classmethod(open_then))


# -- a busy study --------------------------------------------------------------------------------


@pytest.fixture
def holder(study_path: Path, monkeypatch):
    """Another program's connection, ready to take the study's write lock; a short busy timeout."""
    monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT", "0.2")
    conn = sqlite3.connect(study_path, check_same_thread=False)
    yield conn
    if conn.in_transaction:
        conn.rollback()
    conn.close()


def test_a_study_locked_after_opening_is_busy_not_a_sqlite_error(study_path: Path, holder):
    before = rows(study_path)
    with Study.open(study_path) as study:
        holder.execute("BEGIN IMMEDIATE")
        for change in (
            lambda: study.code("informant_1", "Technology", 0, 20),
            lambda: study.set_memo("study", None, "busy"),
            study.undo,
        ):
            with pytest.raises(StudyBusyError) as caught:
                change()
            assert str(caught.value) == BUSY_MESSAGE
        assert study.themes()  # reading a WAL study still works while another program writes
        holder.rollback()
        assert study.code("informant_1", "Technology", 0, 20).created  # and writing once it is done
    assert rows(study_path)["codings"] == before["codings"] + 1


def test_the_cli_on_a_study_locked_mid_command_says_busy_in_one_line(study_path: Path, holder, monkeypatch):
    before = rows(study_path)
    after_opening(monkeypatch, lambda _study: holder.execute("BEGIN IMMEDIATE"))
    result = cli("code", study_path, "informant_1", "Technology", "--start", "0", "--end", "20")
    assert one_error_line(result) == f"error: {BUSY_MESSAGE}"
    holder.rollback()
    assert rows(study_path) == before


# -- a damaged study -----------------------------------------------------------------------------


def test_the_cli_on_a_damaged_study_says_so_in_one_line(study_path: Path):
    damage(study_path)
    for command in ("stats", "quotes", "log"):
        line = one_error_line(cli(command, study_path))
        assert line.startswith(f"error: {study_path}: the study file is damaged"), line
        assert f"`sqlite3 {study_path} .recover`" in line


def test_damage_found_mid_command_is_one_line_too(study_path: Path, monkeypatch):
    def damaged_meanwhile(study: Study) -> None:
        damage(study_path)
        study._db.execute("PRAGMA shrink_memory")  # forget the pages read while opening

    after_opening(monkeypatch, damaged_meanwhile)
    line = one_error_line(cli("quotes", study_path))
    assert line.startswith(f"error: {study_path}: the study file is damaged (database disk image is malformed)"), line


def test_damage_found_by_a_study_call_is_a_storage_error(study_path: Path):
    with Study.open(study_path) as study:
        damage(study_path)
        study._db.execute("PRAGMA shrink_memory")
        with pytest.raises(StorageError, match="the study file is damaged"):
            study.quotes()
        with pytest.raises(StorageError, match="the study file is damaged"):
            study.code("informant_1", "Technology", 0, 20)


def test_a_file_that_is_not_a_study_is_one_line(tmp_path: Path):
    fake = tmp_path / "fake.db"
    fake.write_bytes(b"SQLite format 3\x00" + b"\x00" * 84 + b"not a database at all" * 200)
    line = one_error_line(cli("stats", fake))
    assert line.startswith(f"error: {fake}: "), line


# -- a full disk ---------------------------------------------------------------------------------


def fill_the_disk(study: Study) -> None:
    """No room for one more page, as on a full disk."""
    pages = study._db.execute("PRAGMA page_count").fetchone()[0]
    study._db.execute(f"PRAGMA max_page_count = {pages}")


def test_a_full_disk_mid_import_is_one_line_and_changes_nothing(study_path: Path, shared_data: Path, monkeypatch):
    before = rows(study_path)
    after_opening(monkeypatch, fill_the_disk)
    line = one_error_line(cli("import", study_path, shared_data / LONG_TRANSCRIPT))
    assert line == (
        f"error: {study_path}: the disk is full (database or disk is full); free some disk space, "
        "then try again (nothing was changed)"
    )
    assert rows(study_path) == before


def test_after_a_full_disk_the_study_is_rolled_back_and_usable(study_path: Path, shared_data: Path):
    before = rows(study_path)
    with Study.open(study_path) as study:
        fill_the_disk(study)
        with pytest.raises(StorageError, match="database or disk is full"):
            study.import_files([shared_data / LONG_TRANSCRIPT])
        assert not study._db.conn.in_transaction
        study._db.execute("PRAGMA max_page_count = 1073741823")  # room again
        assert study.import_files([shared_data / LONG_TRANSCRIPT]).imported == ["podcastindex_example"]
    assert rows(study_path)["transcripts"] == before["transcripts"] + 1


def test_storage_errors_are_workbench_errors():
    assert issubclass(StudyBusyError, WorkbenchError) and issubclass(StorageError, WorkbenchError)


# -- the front ends never speak SQLite -----------------------------------------------------------


FORBIDDEN = ("sqlite3", "sqlite_utils", "workbench.storage")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("layer", ["cli", "tui", "display"])
def test_front_ends_import_neither_sqlite_nor_storage(layer: str):
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files
    offending = {
        f"{path.relative_to(PACKAGE.parent)}: {name}"
        for path in files
        for name in imported_modules(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    }
    assert not offending, sorted(offending)


def test_the_scan_finds_such_an_import(tmp_path: Path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    import sqlite3\n    from workbench.storage import queries\n", encoding="utf-8")
    assert {"sqlite3", "workbench.storage", "workbench.storage.queries"} <= imported_modules(sample)
