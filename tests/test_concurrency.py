"""Two copies on one study: both keep working, nothing is lost or corrupted, each sees the other's
changes; a copy that cannot write opens read-only and says so (docs/safety.md)."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import run_workbench, wait_for

from workbench.errors import WorkbenchError
from workbench.study import Study

WORKBENCH = Path(sys.executable).parent / "workbench"


def spans(study_path: Path, transcript: str, count: int) -> list[tuple[int, int]]:
    """``count`` distinct turns of a transcript (speaker label excluded), as coding spans."""
    with Study.open(study_path) as study:
        turns = [(t.start, t.end) for t in study.turns(transcript) if t.end - t.start > 5]
    assert len(turns) >= count, f"{transcript} has only {len(turns)} turns"
    return turns[:count]


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def coded_by(path: Path, coder: str) -> set[tuple[str, int, int]]:
    conn = sqlite3.connect(path)
    try:
        return set(
            conn.execute(
                "SELECT t.name, k.start, k.end FROM codings k JOIN transcripts t ON t.id = k.transcript_id WHERE k.coder = ?",
                [coder],
            ).fetchall()
        )
    finally:
        conn.close()


# -- two Study objects ---------------------------------------------------------------------------


def test_two_copies_writing_at_once_from_threads_lose_nothing(study_path: Path):
    jobs = {
        "one": ("informant_2", spans(study_path, "informant_2", 25)),
        "two": ("informant_3", spans(study_path, "informant_3", 25)),
    }
    errors: list[BaseException] = []
    start = threading.Barrier(len(jobs))

    def work(coder: str, transcript: str, todo: list[tuple[int, int]]) -> None:
        try:
            with Study.open(study_path, coder=coder) as study:
                start.wait()
                for i, (a, b) in enumerate(todo):
                    coding = study.code(transcript, "Technology", a, b).coding
                    if i % 3 == 0:
                        study.select(coding.id, comment=f"{coder} {i}")
                    if i % 5 == 0:
                        study.set_memo("transcript", transcript, f"{coder} wrote memo {i}")
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(coder, *job)) for coder, job in jobs.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert integrity(study_path) == "ok"
    for coder, (transcript, todo) in jobs.items():
        assert coded_by(study_path, coder) == {(transcript, a, b) for a, b in todo}
    with Study.open(study_path) as study:
        for coder, (transcript, _todo) in jobs.items():
            assert study.memo("transcript", transcript) == f"{coder} wrote memo 20"
            assert sum(1 for q in study.quotes(selected_only=True) if (q.comment or "").startswith(coder)) == 9
            assert sum(1 for e in study.events() if e["actor"] == coder) == 25 + 9 + 5


def test_processes_and_a_thread_writing_at_once_lose_nothing(study_path: Path):
    """Three `workbench code` loops in their own processes and a Study in this one."""
    loops = {}
    for number, transcript in enumerate(("informant_4", "informant_5", "informant_6")):
        coder = f"cli{number}"
        todo = spans(study_path, transcript, 4)
        script = "\n".join(
            f"{WORKBENCH} code {study_path} {transcript} Technology --start {a} --end {b} --coder {coder} || exit 1"
            for a, b in todo
        )
        loops[coder] = (
            transcript,
            todo,
            subprocess.Popen(["sh", "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True),
        )
    mine = spans(study_path, "informant_7", 15)
    with Study.open(study_path, coder="here") as study:
        for a, b in mine:
            study.code("informant_7", "Trust and confidence", a, b)
    for coder, (transcript, todo, process) in loops.items():
        out, err = process.communicate(timeout=60)
        assert process.returncode == 0 and not err, err
        assert len(out.splitlines()) == len(todo) and all(line.startswith("coded #") for line in out.splitlines())
        assert coded_by(study_path, coder) == {(transcript, a, b) for a, b in todo}
    assert coded_by(study_path, "here") == {("informant_7", a, b) for a, b in mine}
    assert integrity(study_path) == "ok"


def test_changes_made_by_the_other_copy_become_visible(study_path: Path):
    with Study.open(study_path, coder="a") as first, Study.open(study_path, coder="b") as second:
        seen = first.data_version()
        (a, b), (c, d) = spans(study_path, "informant_2", 2)
        made = second.code("informant_2", "Technology", a, b).coding
        assert first.data_version() != seen
        assert made.id in {q.id for q in first.quotes()}
        seen = second.data_version()
        first.select(made.id, comment="seen by the first copy")
        assert second.data_version() != seen
        assert second.quote(made.id).comment == "seen by the first copy"
        # undo is global: the second copy undoes the first copy's latest change
        second.undo()
        assert first.quote(made.id).comment is None


def test_a_copy_waits_for_the_other_to_finish_writing(study_path: Path):
    holder = sqlite3.connect(study_path, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.5, holder.commit)
    release.start()
    try:
        started = time.monotonic()
        with Study.open(study_path, coder="patient") as study:
            assert not study._db.read_only
            ((a, b),) = spans(study_path, "informant_2", 1)
            study.code("informant_2", "Technology", a, b)
        assert time.monotonic() - started >= 0.4
    finally:
        release.join()
        holder.close()
    assert coded_by(study_path, "patient")


# -- read-only -----------------------------------------------------------------------------------


def test_a_study_locked_beyond_the_busy_timeout_opens_read_only_and_says_so(study_path: Path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT", "0.2")
    holder = sqlite3.connect(study_path)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Study.open(study_path, coder="late") as study:
            assert study._db.read_only
            assert study._db.read_only_reason == "another program has held its write lock for over 0.2 s"
            assert study.quotes()  # reading works
            with pytest.raises(WorkbenchError) as refused:
                study.code("informant_2", "Technology", 0, 20)
            assert str(refused.value) == (
                f"{study_path}: opened read-only because another program has held its write lock "
                "for over 0.2 s; nothing was changed"
            )
            with pytest.raises(WorkbenchError, match="read-only"):
                study.undo()
    finally:
        holder.rollback()
        holder.close()
    assert not coded_by(study_path, "late")


def test_the_cli_on_a_locked_study_reads_and_refuses_to_write_in_one_line(study_path: Path):
    holder = sqlite3.connect(study_path)
    holder.execute("BEGIN IMMEDIATE")
    env = {**os.environ, "WORKBENCH_BUSY_TIMEOUT": "0.2", "WORKBENCH_CODER": "late"}
    try:
        read = subprocess.run([str(WORKBENCH), "stats", str(study_path)], capture_output=True, text=True, env=env)
        assert read.returncode == 0, read.stderr
        write = subprocess.run(
            [str(WORKBENCH), "code", str(study_path), "informant_2", "Technology", "--start", "0", "--end", "20"],
            capture_output=True,
            text=True,
            env=env,
        )
    finally:
        holder.rollback()
        holder.close()
    assert write.returncode == 1
    assert write.stderr.splitlines() == [
        f"error: {study_path}: opened read-only because another program has held its write lock for over 0.2 s; nothing was changed"
    ]


def _without_root_powers() -> list[str]:
    """A command prefix under which file permissions apply (root ignores them otherwise)."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: permissions cannot be tested")
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--"]


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_file_or_folder_opens_read_only_and_says_so(study_path: Path, what: str):
    folder = study_path.parent
    before = study_path.read_bytes()
    study_path.chmod(0o444) if what == "file" else folder.chmod(0o555)
    env = {**os.environ, "WORKBENCH_CODER": "reader"}
    prefix = _without_root_powers()
    try:
        read = subprocess.run(
            [*prefix, str(WORKBENCH), "quotes", str(study_path), "--json"], capture_output=True, text=True, env=env
        )
        write = subprocess.run(
            [
                *prefix,
                str(WORKBENCH),
                "code",
                str(study_path),
                "informant_2",
                "Technology",
                "--start",
                "0",
                "--end",
                "20",
            ],
            capture_output=True,
            text=True,
            env=env,
        )
    finally:
        folder.chmod(0o755)
        study_path.chmod(0o644)
    assert read.returncode == 0 and read.stdout.startswith("["), read.stderr
    reason = "the file is read-only" if what == "file" else "its folder is read-only"
    assert write.returncode == 1
    assert write.stderr.splitlines() == [f"error: {study_path}: opened read-only because {reason}; nothing was changed"]
    assert study_path.read_bytes() == before


# -- the app and the command line ----------------------------------------------------------------


def test_the_app_and_the_cli_on_one_study_both_keep_working(study_path: Path):
    from workbench.tui.widgets.quote_board import QuoteBoard
    from workbench.tui.widgets.status_line import StatusLine

    ((a, b),) = spans(study_path, "informant_2", 1)

    async def scenario(app, pilot):
        board = app.screen.query_one(QuoteBoard)
        await pilot.press("}", "t", "2")  # code a turn of informant_1 with Technology
        await pilot.pause()
        cli = await asyncio.to_thread(
            subprocess.run,
            [
                str(WORKBENCH),
                "code",
                str(study_path),
                "informant_2",
                "Technology",
                "--start",
                str(a),
                "--end",
                str(b),
                "--coder",
                "cli",
            ],
            capture_output=True,
            text=True,
        )
        assert cli.returncode == 0, cli.stderr
        coding_id = int(cli.stdout.split("#")[1].split(":")[0])
        # the screen looks for outside changes once a second
        await wait_for(
            pilot,
            lambda: coding_id in {entry.id for entry in board.entries()},
            "the command line's coding on the quote board",
            timeout=3,
        )
        note = app.screen.query_one(StatusLine).note
        await pilot.press("}", "t", "2")  # and the app still writes
        await pilot.pause()
        return note

    note = run_workbench(study_path, scenario, coder="app")
    assert note == "updated from another window"
    assert len(coded_by(study_path, "app")) == 2
    assert coded_by(study_path, "cli") == {("informant_2", a, b)}
    assert integrity(study_path) == "ok"
