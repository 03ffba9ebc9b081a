"""The ``workbench`` command's entry point (also ``python -m workbench``).

Before the command line is even parsed, the study file named on it (the first argument that is
an SQLite file) starts its integrity check on a thread of its own: opening a study checks the
whole file, about a tenth of a second for a large study, and that check then runs while Python
imports click, the command and the study (``storage/integrity.py``; the opening takes only an
``ok`` from it and checks again otherwise, so a wrong guess costs nothing but the spare core's
time).

The installed command (:func:`run`) ends its process without Python's teardown once the command
is over: see :func:`_end_without_teardown`.
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
        # What the imports made lives as long as the process: put it out of every collection's
        # way. Left young, it was all walked by the first collection after this (2-3 ms).
        gc.freeze()
        gc.enable()
    command_line()


#: The exit status of a command that ended as commands do (None: an exception escaped it).
_ending_status: int | None = None


def run() -> NoReturn:
    """The installed ``workbench`` command (and ``python -m workbench``): :func:`main`, then the
    end of the process without Python's teardown (:func:`_end_without_teardown`)."""
    global _ending_status
    # Registered first, so it runs after every callback registered while the command ran.
    atexit.register(_end_without_teardown)
    try:
        main()
    except SystemExit as done:
        status = _exit_status(done.code)
    else:
        status = 0
    _ending_status = status
    sys.exit(status)


def _end_without_teardown() -> None:
    """The last ``atexit`` callback: end the process at once with the command's exit status.

    By then Python's exit has done what can be seen from outside the process: waited for threads
    that are not daemons and run the other ``atexit`` callbacks; this flushes standard output and
    error (a failed flush makes the status 120, as in Python). What it skips comes next in Python:
    freeing every module and object one by one, 10-20 ms after the command is over
    (docs/PERFORMANCE.md, fifteenth round). Nothing is lost by that: every command closes the
    files it writes and the study it opens (which copies the -wal into the study file) before it
    returns. After an exception that escaped the command, Python's own exit runs as always. (A
    callback registered before :func:`run` would come after this one, that is never: nothing
    imported before it registers one.)
    """
    if _ending_status is None:
        return
    status = _ending_status
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
