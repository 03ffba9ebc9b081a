"""The ``workbench`` command's entry point (also ``python -m workbench``).

Before the command line is even parsed, the study file named on it (the first argument that is
an SQLite file) starts its integrity check on a thread of its own: opening a study checks the
whole file, about a tenth of a second for a large study, and that check then runs while Python
imports click, the command and the study (``storage/integrity.py``; the opening takes only an
``ok`` from it and checks again otherwise, so a wrong guess costs nothing but the spare core's
time).
"""

from __future__ import annotations

import gc
import os
import sys

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


if __name__ == "__main__":
    main()
