"""The study file in the unlucky cases: side files left read-only, work waiting in the -wal, a
symlinked study, a truncated file, a full disk, actions that change nothing, and a CSV cell that
looks like a formula to a spreadsheet (docs/safety.md, docs/chapter.md).

Where another program is part of the story, it is a real one: the installed `workbench` command
or a Python process. The tests run as root here, where file permissions do not stop writes, so
the commands that must meet a permission run without the capabilities that let root ignore them
(``setpriv``), and a file that nobody may change is made immutable with ``chattr +i``.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from workbench.errors import StorageError
from workbench.study import Study
from workbench.study.chapter import export_quotes_csv

WORKBENCH = Path(sys.executable).parent / "workbench"
NOBODY = 65534
SPAN = ("informant_2", "Technology", 0, 20)


def run(*args, prefix: list[str] | None = None, **env: str) -> subprocess.CompletedProcess:
    """Run the installed command (optionally under ``prefix``, e.g. setpriv)."""
    environment = {**os.environ, "WORKBENCH_CODER": "tester", **env}
    return subprocess.run(
        [*(prefix or []), str(WORKBENCH), *map(str, args)], capture_output=True, text=True, env=environment, timeout=120
    )


def code_command(study: Path, start: int = 0, end: int = 20) -> list:
    return ["code", study, SPAN[0], SPAN[1], "--start", start, "--end", end]


def one_error_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def coded(path: Path, start: int = 0, end: int = 20) -> bool:
    """Whether the study file (with its -wal, as SQLite reads it) holds the coding of SPAN."""
    conn = sqlite3.connect(path)
    try:
        return (
            conn.execute(
                "SELECT count(*) FROM codings k JOIN transcripts t ON t.id = k.transcript_id "
                "WHERE t.name = ? AND k.start = ? AND k.end = ?",
                [SPAN[0], start, end],
            ).fetchone()[0]
            > 0
        )
    finally:
        conn.close()


def file_alone(path: Path, tmp_path: Path) -> Path:
    """A plain copy of the study file without its side files, as `cp` or a sync tool makes it."""
    folder = tmp_path / f"copy-{time.monotonic_ns()}"
    folder.mkdir()
    return Path(shutil.copyfile(path, folder / path.name))


def side(path: Path, suffix: str) -> Path:
    return Path(f"{path}{suffix}")


def without_powers(*dropped: str) -> list[str]:
    """A command prefix under which file permissions apply (root ignores them otherwise)."""
    if os.geteuid() != 0:
        pytest.skip("needs root, to make files of another owner")
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return [
        "setpriv",
        "--bounding-set=" + ",".join(f"-{c}" for c in ("dac_override", "dac_read_search", *dropped)),
        "--",
    ]


def read_while_read_only(study: Path) -> None:
    """What a look at a read-only study leaves behind: SQLite makes its -wal and -shm with the
    study's permissions, here read-only, and (unable to write) does not remove them."""
    study.chmod(0o444)
    try:
        looked = run("quotes", study, "--json", prefix=without_powers())
    finally:
        study.chmod(0o644)
    assert looked.returncode == 0, looked.stderr
    for suffix in ("-wal", "-shm"):
        assert side(study, suffix).stat().st_mode & 0o777 == 0o444, suffix


def leave_work_in_the_wal(study: Path) -> bytes:
    """A program codes SPAN and dies before closing: the coding is committed but lives only in
    the -wal. Returns the -wal's bytes."""
    script = (
        "import os, sys\n"
        "from workbench.study import Study\n"
        "study = Study.open(sys.argv[1], coder='lost')\n"
        f"study.code{SPAN!r}\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(study)], check=True, timeout=60)
    wal = side(study, "-wal")
    assert wal.stat().st_size > 0 and not coded(file_alone(study, study.parent))
    return wal.read_bytes()


# -- 1. side files left read-only ------------------------------------------------------------------


def test_a_study_once_read_while_read_only_works_again_once_writable(study_path: Path):
    """The -wal and -shm a read-only look left behind (ours) are made writable again."""
    read_while_read_only(study_path)
    prefix = without_powers()
    read = run("stats", study_path, prefix=prefix)
    assert read.returncode == 0, read.stderr
    write = run(*code_command(study_path), prefix=prefix)
    assert write.returncode == 0, write.stderr
    assert coded(study_path)


def test_side_files_of_another_owner_are_rebuilt_when_nobody_has_the_study_open(study_path: Path):
    """Without the right to change another user's files: the -shm (a cache) is removed, the -wal
    holding work is replaced by an identical copy of our own; nothing is lost."""
    wal_bytes = leave_work_in_the_wal(study_path)
    for suffix in ("-wal", "-shm"):
        os.chown(side(study_path, suffix), NOBODY, NOBODY)
        side(study_path, suffix).chmod(0o444)
    prefix = without_powers("fowner", "chown")
    read = run("quotes", study_path, "--json", prefix=prefix)
    assert read.returncode == 0, read.stderr
    assert '"coder": "lost"' in read.stdout  # the work in the -wal is there
    write = run(*code_command(study_path, 30, 60), prefix=prefix)
    assert write.returncode == 0, write.stderr
    assert coded(study_path) and coded(study_path, 30, 60)
    assert wal_bytes  # (the original -wal held the first coding, checked above)


def test_a_side_file_another_program_removes_meanwhile_is_not_in_the_way(study_path: Path, monkeypatch):
    """The last program to close a study removes its -wal and -shm, at any moment: a side file
    seen a moment before and gone when looked at again must not stop a study from opening (the
    `workbench code` of three processes at once failed with "...-wal: No such file or directory")."""
    from workbench.storage import side_files

    leave_work_in_the_wal(study_path)
    listed = [side(study_path, suffix) for suffix in side_files.SUFFIXES]
    assert all(path.exists() for path in listed)
    writable = os.access
    # As another user's read-only side files look to a program without root's powers.
    monkeypatch.setattr(
        os, "access", lambda path, mode: writable(path, mode) and not str(path).endswith(("-wal", "-shm"))
    )
    monkeypatch.setattr(side_files, "_give_back_permissions", lambda path, study: False)
    real_check = side_files._nobody_else_has_it_open

    def closed_meanwhile(study):  # the other program closes the study as the repair begins
        for path in listed:
            path.unlink(missing_ok=True)
        return real_check(study)

    monkeypatch.setattr(side_files, "_nobody_else_has_it_open", closed_meanwhile)
    assert side_files.repair(study_path) is None  # gone: nothing is in the way
    # listed while there, gone before they are looked at
    monkeypatch.setattr(side_files, "_side_files", lambda study: listed)
    assert side_files.repair(study_path) is None


def test_side_files_of_another_owner_are_left_alone_while_another_program_has_the_study_open(study_path: Path):
    read_while_read_only(study_path)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1]); c.execute('SELECT count(*) FROM codings').fetchall()\n"
            "print('open', flush=True); time.sleep(60)",
            str(study_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        for suffix in ("-wal", "-shm"):  # (after the holder opened it: SQLite run by root adopts them)
            os.chown(side(study_path, suffix), NOBODY, NOBODY)
            side(study_path, suffix).chmod(0o444)
        shm = side(study_path, "-shm").stat()
        prefix = without_powers("fowner", "chown")
        read = run("stats", study_path, prefix=prefix)
        assert read.returncode == 0, read.stderr
        line = one_error_line(run(*code_command(study_path), prefix=prefix))
        assert line.startswith(f"error: {study_path}: opened read-only because its side file study.db-"), line
        assert "another program has the study open" in line, line
        assert side(study_path, "-shm").stat().st_ino == shm.st_ino
    finally:
        holder.kill()
        holder.wait()
    assert not coded(study_path)


def test_a_wal_holding_work_that_cannot_be_made_writable_is_named_and_kept(study_path: Path):
    wal_bytes = leave_work_in_the_wal(study_path)
    wal = side(study_path, "-wal")
    if subprocess.run(["chattr", "+i", str(wal)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not possible here")
    try:
        read = run("quotes", study_path, "--json")
        assert read.returncode == 0, read.stderr
        assert '"coder": "lost"' in read.stdout  # read through the -wal
        line = one_error_line(run(*code_command(study_path, 30, 60)))
        assert line.startswith(f"error: {study_path}: opened read-only because its side file study.db-wal "), line
        assert "never delete it" in line, line
    finally:
        subprocess.run(["chattr", "-i", str(wal)], check=True)
    assert wal.read_bytes() == wal_bytes
    assert coded(study_path) and not coded(study_path, 30, 60)


# -- 2. work waiting in the -wal ---------------------------------------------------------------------


def test_a_command_leaves_its_change_in_the_study_file_itself(study_path: Path, tmp_path: Path):
    """Even while the workbench has the study open, a copy of the file alone holds what a
    command just did."""
    with Study.open(study_path) as workbench:
        assert workbench.themes()
        done = run(*code_command(study_path))
        assert done.returncode == 0, done.stderr
        assert coded(file_alone(study_path, tmp_path))


def large_transcript(folder: Path, megabytes: float = 3.0) -> Path:
    words = "the municipality decided to share its servers with the neighbours because nobody could run them".split()
    lines, size, turn = [], 0, 0
    while size < megabytes * 1_000_000:
        line = f"Speaker {turn % 3}: " + " ".join(words[(turn + i) % len(words)] for i in range(60)) + "\n\n"
        lines.append(line)
        size += len(line)
        turn += 1
    path = folder / "long_interview.txt"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_a_large_import_leaves_a_small_wal_and_a_complete_study_file(study_path: Path, tmp_path: Path):
    from workbench.storage.database import CHECKPOINT_AFTER_BYTES

    transcript = large_transcript(tmp_path)
    with Study.open(study_path) as workbench, Study.open(study_path) as importer:
        assert workbench.themes()  # another window on the same study, idle
        importer.import_files([transcript])
        assert side(study_path, "-wal").stat().st_size <= CHECKPOINT_AFTER_BYTES
        conn = sqlite3.connect(file_alone(study_path, tmp_path))
        try:
            assert conn.execute("SELECT count(*) FROM transcripts WHERE name = 'long_interview'").fetchone()[0] == 1
        finally:
            conn.close()


def test_small_changes_are_not_checkpointed_one_by_one(study_path: Path, monkeypatch):
    """A checkpoint after a coding held that key's screen 25-45 ms: small changes that add up
    stay in the -wal (the terminal workbench copies them when quiet, SQLite at 4 MB), every one
    of them committed; only a large change is followed by a checkpoint."""
    from workbench.storage import database
    from workbench.storage.database import CHECKPOINT_AFTER_BYTES

    checkpoints = []
    real_checkpoint = database.checkpoint
    monkeypatch.setattr(database, "checkpoint", lambda db: checkpoints.append(db) or real_checkpoint(db))
    with Study.open(study_path) as study:
        transcript, theme, _start, _end = SPAN
        changes = 0
        while side(study_path, "-wal").stat().st_size <= CHECKPOINT_AFTER_BYTES and changes < 2000:
            study.code(transcript, theme, changes % 50, changes % 50 + 10)
            study.undo()
            changes += 2
        assert side(study_path, "-wal").stat().st_size > CHECKPOINT_AFTER_BYTES
        assert checkpoints == []
        study.code(*SPAN)
        # another program sees every change (from the -wal), and a checkpoint copies them all
        conn = sqlite3.connect(study_path)
        try:
            assert conn.execute("SELECT count(*) FROM events").fetchone()[0] >= changes + 1
        finally:
            conn.close()
        assert study.checkpoint()


def test_the_wal_is_bounded_even_when_a_reader_holds_it(study_path: Path, tmp_path: Path):
    from workbench.storage.database import WAL_SIZE_LIMIT

    transcript = large_transcript(tmp_path)
    reader = sqlite3.connect(study_path, isolation_level=None)
    with Study.open(study_path) as study:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM codings").fetchall()  # a reader on the old state
        study.import_files([transcript])
        reader.execute("COMMIT")
        study.code(*SPAN)  # the next change starts the -wal over and trims it
        assert side(study_path, "-wal").stat().st_size <= WAL_SIZE_LIMIT
        # (and SQLite trims it to this size on its own too, whoever writes next)
        assert study._db.execute("PRAGMA journal_size_limit").fetchone()[0] == WAL_SIZE_LIMIT
        assert study.checkpoint()
    reader.close()


def test_checkpoint_never_waits_long_nor_raises(study_path: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT", "5")
    reader = sqlite3.connect(study_path, isolation_level=None)
    writer = sqlite3.connect(study_path, isolation_level=None)
    try:
        with Study.open(study_path) as study:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM codings").fetchall()  # a reader of an older state...
            study.code(*SPAN)
            writer.execute("BEGIN IMMEDIATE")  # ... and a writer
            started = time.monotonic()
            assert study.checkpoint() is False
            assert time.monotonic() - started < 1
            writer.execute("ROLLBACK")
            reader.execute("ROLLBACK")
            assert study.checkpoint() is True
            assert coded(file_alone(study_path, tmp_path))
            writer.execute("BEGIN IMMEDIATE")  # held beyond the busy timeout: the next copy opens read-only
            monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT", "0.2")
            with Study.open(study_path) as read_only:
                assert read_only._db.read_only
                started = time.monotonic()
                assert read_only.checkpoint() is False
                assert time.monotonic() - started < 1
            writer.execute("ROLLBACK")
    finally:
        reader.close()
        writer.close()


# -- 3. a symlinked study ---------------------------------------------------------------------------


def test_backup_and_restore_through_a_symlink_act_on_the_real_study(study_path: Path, tmp_path: Path):
    real = tmp_path / "data" / "thesis.db"
    real.parent.mkdir()
    shutil.move(study_path, real)
    link = tmp_path / "desk" / "thesis.db"
    link.parent.mkdir()
    link.symlink_to(real)
    saved = run("backup", link)
    assert saved.returncode == 0, saved.stderr
    assert len(list((real.parent / "thesis.db.backups").glob("*-manual.db"))) == 1
    assert not (link.parent / "thesis.db.backups").exists()
    assert run(*code_command(link)).returncode == 0 and coded(real)
    restored = run("restore", link, "--yes")
    assert restored.returncode == 0, restored.stderr
    assert link.is_symlink() and link.resolve() == real
    assert not coded(real)  # the real study is the snapshot again
    assert len(list((real.parent / "thesis.db.backups").glob("*-before-restore.db"))) == 1
    assert not list(link.parent.glob(".thesis.db.restore-*"))


# -- 4. a truncated file, a full disk -------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 10, 4096, "half"])
def test_a_truncated_study_names_the_file_and_the_restore(study_path: Path, size):
    assert run("backup", study_path).returncode == 0
    length = study_path.stat().st_size // 2 if size == "half" else size
    with study_path.open("r+b") as handle:
        handle.truncate(length)
    for command in ("stats", "log"):
        line = one_error_line(run(command, study_path))
        assert line.startswith(f"error: {study_path}: the study file is "), line
        assert f"`workbench restore {study_path}`" in line, line
    restored = run("restore", study_path, "--yes")
    assert restored.returncode == 0, restored.stderr


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real 2 MB file system (tmpfs); skipped where it cannot be mounted."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path) -> Path:
    """Fill the file system to the last block."""
    filler = disk / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        while os.write(handle, b"\0" * 4096):
            pass
    except OSError:
        pass  # no space left
    finally:
        os.close(handle)
    return filler


def test_a_full_disk_is_named_with_what_to_do_and_changes_nothing(study_path: Path, small_disk: Path):
    study = Path(shutil.copyfile(study_path, small_disk / "study.db"))
    before = study.read_bytes()
    filler = fill(small_disk)
    for command in (["stats", study], code_command(study)):
        line = one_error_line(run(*command))
        assert line.startswith(f"error: {study}: the disk is full"), line
        assert "free some disk space" in line, line
    filler.unlink()
    assert study.read_bytes() == before
    assert run("stats", study).returncode == 0


def test_a_disk_that_fills_while_the_study_is_open_rolls_back(study_path: Path, small_disk: Path, shared_data: Path):
    study_file = Path(shutil.copyfile(study_path, small_disk / "study.db"))
    with Study.open(study_file) as study:
        transcripts = len(study.transcripts())
        filler = fill(small_disk)
        with pytest.raises(StorageError) as full:
            study.import_files([shared_data / "subtitles" / "podcastindex_example.srt"])
        assert str(full.value).startswith(f"{study_file}: the disk is full"), full.value
        assert not study._db.conn.in_transaction and len(study.transcripts()) == transcripts
        filler.unlink()
        assert study.import_files([shared_data / "subtitles" / "podcastindex_example.srt"]).imported
    conn = sqlite3.connect(study_file)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


# -- a study deleted or replaced while it is open ------------------------------------------------------


def test_a_study_deleted_while_open_refuses_changes(study_path: Path):
    with Study.open(study_path) as study:
        assert study.themes()
        study_path.unlink()
        with pytest.raises(StorageError) as refused:
            study.code(*SPAN)
        assert str(refused.value).startswith(
            f"{study_path}: the study file was deleted after it was opened, so nothing was changed; `workbench restore "
        ), refused.value
        assert study.themes()  # reading what it had still works


def test_a_study_replaced_while_open_refuses_changes(study_path: Path, tmp_path: Path):
    replacement = file_alone(study_path, tmp_path)
    with Study.open(study_path) as study:
        os.replace(replacement, study_path)  # as a restore, a sync tool or `cp` over it does
        before = study_path.read_bytes()
        with pytest.raises(StorageError, match="the study file was replaced by another file after it was opened"):
            study.code(*SPAN)
    assert study_path.read_bytes() == before and not coded(study_path)


# -- 5. actions that change nothing ---------------------------------------------------------------------


def no_op_actions(study: Study) -> dict:
    quotes = study.quotes()
    unselected = next(q for q in quotes if not q.selected and q.comment is None)
    selected = next(q for q in quotes if q.selected)
    case, attributes = next((c, a) for c, a in study.cases().items() if a)
    theme = study.themes()[0]
    study.set_memo("study", None, "why these interviews")
    last_sibling = [t for t in study.themes() if t.parent_id is None][-1]
    return {
        "case set to the same values": lambda: study.set_case_attributes(case, dict(attributes)),
        "deselect an unselected quote": lambda: study.select(unselected.id, selected=False),
        "select a selected quote": lambda: study.select(selected.id),
        "the same comment": lambda: study.select(selected.id, comment=selected.comment or ""),
        "the same memo": lambda: study.set_memo("study", None, "why these interviews"),
        "the same setting": lambda: study.set_setting("chapter_settings", study.setting("chapter_settings")),
        "the same theme colour": lambda: study.update_theme(theme.path, color=theme.color),
        "the same theme name and key": lambda: study.update_theme(theme.path, name=theme.name, key=theme.key or ""),
        "move a theme where it is": lambda: study.move_theme(last_sibling.path, None),
        "remove an attribute the case lacks": lambda: study.set_case_attributes(case, {"no_such_key": ""}),
    }


def test_an_action_that_changes_nothing_adds_no_undo_step(study_path: Path):
    with Study.open(study_path) as study:
        actions = no_op_actions(study)
        recorded = {}
        for name, action in actions.items():
            before = study.events()[0]["id"]
            action()
            recorded[name] = [e["action"] for e in study.events() if e["id"] > before]
    assert recorded == {name: [] for name in actions}


def test_the_same_through_the_command_line(study_path: Path):
    with Study.open(study_path) as study:
        unselected = next(q for q in study.quotes() if not q.selected)
        case, attributes = next((c, a) for c, a in study.cases().items() if a)
        before = study.events()[0]["id"]
    assert run("select", study_path, unselected.id, "--off").returncode == 0
    assert run("case", "set", study_path, case, *(f"{k}={v}" for k, v in attributes.items())).returncode == 0
    with Study.open(study_path) as study:
        assert study.events()[0]["id"] == before
        assert study.undo()["id"] == before  # undo undoes the last real change


def test_a_real_change_is_still_recorded_with_its_time(study_path: Path):
    def updated(study: Study, coding_id: int) -> str:
        return study._db.execute("SELECT updated FROM quotes WHERE coding_id = ?", [coding_id]).fetchone()[0]

    with Study.open(study_path) as study:
        quote = next(q for q in study.quotes() if q.selected)
        study.select(quote.id, comment="first thought")
        stamp = updated(study, quote.id)
        time.sleep(1.1)  # the stored time has whole seconds
        study.select(quote.id, comment="first thought")  # again: nothing changes, not even the time
        assert updated(study, quote.id) == stamp
        study.select(quote.id, comment="second thought")
        assert study.events()[0]["action"] == "select" and updated(study, quote.id) > stamp
        assert study.undo()["action"] == "select" and study.quote(quote.id).comment == "first thought"
        theme = study.themes()[0]
        study.update_theme(theme.path, color="#123456")
        assert study.events()[0]["action"] == "theme.update"
        study.undo()
        assert study.theme(theme.path).color == theme.color


# -- 6. CSV cells a spreadsheet would run ------------------------------------------------------------


FORMULA_START = ("=", "+", "-", "@")


def spreadsheet_cells(table: str, separators: str) -> list[str]:
    """The cells a spreadsheet makes of the exported text when told the file is separated by any
    of ``separators`` (LibreOffice lets one tick several): quotes count only at a cell's start."""
    cells = []
    for line in table.splitlines():  # a line break inside a cell that began unquoted ends the row
        cell, quoted, at_start, index = "", False, True, 0
        while index < len(line):
            char = line[index]
            index += 1
            if at_start and char == '"':
                quoted, at_start = True, False
            elif quoted and char == '"' and line[index : index + 1] == '"':
                cell += '"'
                index += 1
            elif quoted and char == '"':
                quoted = False
            elif not quoted and char in separators:
                cells.append(cell)
                cell, at_start = "", True
            else:
                cell += char
                at_start = False
        cells.append(cell)
    return cells


@pytest.mark.parametrize("separators", [",", ";", ";,", "\t"])
def test_no_exported_cell_starts_like_a_formula_whatever_the_separator(study_path: Path, separators: str):
    with Study.open(study_path) as study:
        [first, second, third, fourth, *_] = [q.id for q in study.quotes()]
        study.select(first, comment="hello;=1+1")
        study.select(second, comment='fine,@SUM(A1:A9);-2+3\t=HYPERLINK("http://x")')
        study.select(third, comment="=cmd|' /C calc'!A0")
        study.select(fourth, comment='say;"=2+2" and\n+3 on the next line')
        case = next(iter(study.cases()))
        study.set_case_attributes(case, {"site": "north;+1"})
        table = export_quotes_csv(study)
    dangerous = [c for c in spreadsheet_cells(table, separators) if c.startswith(FORMULA_START)]
    assert dangerous == []
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(table))}
    assert rows[str(first)]["comment"] == "hello;'=1+1"
    assert rows[str(third)]["comment"] == "'=cmd|' /C calc'!A0"
    assert rows[str(fourth)]["comment"] == "say;'\"=2+2\" and\n'+3 on the next line"


def test_ordinary_cells_are_exported_as_they_are(study_path: Path):
    with Study.open(study_path) as study:
        first = study.quotes()[0].id
        study.select(first, comment="yes, - no; a hyphen-ated word, 3-4 times; e-mail@example.org")
        table = export_quotes_csv(study)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(table))}
    assert rows[str(first)]["comment"] == "yes, - no; a hyphen-ated word, 3-4 times; e-mail@example.org"
