"""The ``workbench`` command's entry point (also ``python -m workbench``).

Before the command line is even parsed, the study file named on it (the first argument that is
an SQLite file) starts its integrity check on a thread of its own: opening a study checks the
whole file, about a tenth of a second for a large study, and that check then runs while Python
imports click, the command and the study (``storage/integrity.py``; the opening takes only an
``ok`` from it and checks again otherwise, so a wrong guess costs nothing but the spare core's
time).

The installed command (:func:`run`) ends its process without Python's teardown once the command
is over: see :func:`end_process`.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
from typing import NoReturn

from workbench.storage.study_file import SQLITE_HEADER

FRAMES_PER_SECOND = "240"  # workbench/tui/frame_pacing.py says why


def study_named_in(arguments: list[str]) -> str | None:
    """The first argument that names an existing SQLite file (None: none)."""
    for argument in arguments:
        if argument.startswith("-") or not os.path.isfile(argument):
            continue
        try:
            with open(argument, "rb") as handle:  # no connection to it exists yet in this process
                if handle.read(16) == SQLITE_HEADER:
                    return argument
        except OSError:
            continue
    return None


def main() -> None:
    """Run the ``workbench`` command."""
    # Start-up imports make many objects that live as long as the process and little garbage:
    # no collection passes over them (the terminal workbench keeps them off until its first frame).
    gc.disable()
    # Frames as soon as a change allows (workbench/tui/frame_pacing.py); read when Textual loads.
    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)
    try:
        study = study_named_in(sys.argv[1:])
        if study is not None:
            from workbench.study import start_integrity_check

            start_integrity_check(study)
        from workbench.cli import main as command_line
    finally:
        gc.enable()
    command_line()


def run() -> NoReturn:
    """The installed ``workbench`` command (and ``python -m workbench``): :func:`main`, then
    :func:`end_process` with its exit status."""
    try:
        main()
    except SystemExit as done:
        end_process(done.code)
    end_process(0)


def end_process(code: object) -> NoReturn:
    """End the process with the exit status ``code`` stands for, as ``sys.exit(code)`` would.

    First what Python's own exit does that can be seen from outside the process: wait for threads
    that are not daemons, run the ``atexit`` callbacks, flush standard output and error (a failed
    flush makes the status 120, as in Python). Then the process ends at once, without what Python
    does next: free every module and object one by one, 10-20 ms after the command is over
    (docs/PERFORMANCE.md, fifteenth round). Nothing is lost by that: every command closes the files
    it writes and the study it opens (which copies the -wal into the study file) before it returns.
    """
    status = _exit_status(code)
    threading = sys.modules.get("threading")  # never imported: no thread was started
    if threading is not None:
        for thread in threading.enumerate():
            if thread is not threading.main_thread() and not thread.daemon:
                thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except ValueError:  # closed by the command: nothing waits in it
            pass
        except OSError:  # e.g. the reader of a pipe has gone
            status = status or 120
    os._exit(status)


def _exit_status(code: object) -> int:
    """The status ``sys.exit(code)`` ends with: 0 for None, the number, else 1 after printing
    ``code`` on standard error (as Python does)."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    try:
        print(code, file=sys.stderr)
    except (OSError, ValueError):
        pass
    return 1


if __name__ == "__main__":
    run()
