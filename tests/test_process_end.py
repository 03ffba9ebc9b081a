"""The installed command ends its process without Python's teardown (``__main__.run``),
but after everything that teardown does that can be seen from outside: its exit status, its
output, ``atexit`` callbacks, threads that are not daemons, and the study's -wal copied in."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

from tmux_terminal import WORKBENCH

from workbench.__main__ import _exit_status


def run_entry_point(tmp_path: Path, before: str, *arguments: str) -> subprocess.CompletedProcess:
    """``workbench ARGUMENTS`` through the installed entry point (``__main__.run``), after ``before``
    has run in the same process."""
    script = tmp_path / "entry.py"
    script.write_text(
        f"import sys\n{before}\nsys.argv = ['workbench', *{list(arguments)!r}]\n"
        "from workbench.__main__ import run\nrun()\n",
        encoding="utf-8",
    )
    return subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=60)


def test_the_exit_status_is_the_one_sys_exit_gives():
    assert _exit_status(None) == 0
    assert _exit_status(0) == 0
    assert _exit_status(1) == 1
    assert _exit_status(2) == 2
    assert _exit_status(-1) == 255  # as the operating system truncates it


def test_a_message_given_to_sys_exit_is_printed_and_the_status_is_1(tmp_path: Path):
    done = run_entry_point(
        tmp_path, "import workbench.__main__ as m\nm.main = lambda: sys.exit('stopped: no study')", "--help"
    )
    assert (done.returncode, done.stderr) == (1, "stopped: no study\n")


def test_an_exception_that_escapes_the_command_ends_as_python_ends(tmp_path: Path):
    done = run_entry_point(
        tmp_path, "import workbench.__main__ as m\ndef boom():\n    raise RuntimeError('boom')\nm.main = boom", "--help"
    )
    assert done.returncode == 1
    assert "Traceback" in done.stderr and "RuntimeError: boom" in done.stderr


def test_atexit_callbacks_run_and_all_output_arrives(tmp_path: Path):
    done = run_entry_point(
        tmp_path,
        # registered while the command runs, as a library the command uses would
        "import atexit, workbench.__main__ as m\ncommand = m.main\n"
        "def main():\n    atexit.register(lambda: print('atexit callback ran', flush=False))\n    command()\n"
        "m.main = main",
        "--version",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("workbench, version ")
    assert done.stdout.splitlines()[-1] == "atexit callback ran"


def test_a_thread_that_is_not_a_daemon_finishes_before_the_process_ends(tmp_path: Path):
    mark = tmp_path / "thread-finished"
    done = run_entry_point(
        tmp_path,
        "import threading, time, pathlib\n"
        f"threading.Thread(target=lambda: (time.sleep(0.3), pathlib.Path({str(mark)!r}).write_text('done'))).start()",
        "--help",
    )
    assert done.returncode == 0, done.stderr
    assert mark.read_text() == "done"


def test_errors_keep_their_status_and_their_one_line(tmp_path: Path):
    done = subprocess.run(
        [str(WORKBENCH), "stats", str(tmp_path / "absent.db")], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: "), done.stderr
    done = subprocess.run([str(WORKBENCH), "no-such-command"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.startswith("error: "), done.stderr


def test_after_each_writing_command_a_copy_of_the_study_file_alone_holds_the_change(tmp_path: Path):
    """The study's -wal is copied in when a command closes the study, before it returns: the
    process's quick end skips no checkpoint."""
    study = tmp_path / "s.db"
    interview = tmp_path / "informant_1.txt"
    interview.write_text("Interviewer: How do you plan?\n\nInformant: Mostly on paper.\n", encoding="utf-8")
    codebook = tmp_path / "codebook.yaml"
    codebook.write_text("themes:\n  - name: Planning\n", encoding="utf-8")
    steps = [
        (["init", str(study)], "SELECT count(*) FROM transcripts", 0),
        (["import", str(study), str(interview)], "SELECT count(*) FROM transcripts", 1),
        (["codebook", "load", str(study), str(codebook)], "SELECT count(*) FROM themes", 1),
        (
            ["code", str(study), "informant_1", "Planning", "--text", "Mostly on paper"],
            "SELECT count(*) FROM codings",
            1,
        ),
    ]
    for arguments, question, expected in steps:
        done = subprocess.run([str(WORKBENCH), *arguments], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, (arguments, done.stderr)
        copy = tmp_path / "copy.db"
        shutil.copyfile(study, copy)  # the file alone, as `cp` or a sync folder takes it
        with sqlite3.connect(copy) as conn:
            assert conn.execute(question).fetchone()[0] == expected, arguments
        copy.unlink()
