"""End to end, in a real terminal: quit, read how to come back, run `workbench` alone and find
the same transcript, cursor, grouping and filter; and `workbench demo` asks to reopen its copy."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from tmux_terminal import WORKBENCH, TmuxTerminal, board_built

from workbench.study import Study
from workbench.study.view_state import remembered_view

CODER = "e2e"


@pytest.fixture
def terminal():
    opened: list[TmuxTerminal] = []

    def start(command: str, **size) -> TmuxTerminal:
        # The user folders come from the test's environment (conftest: own_user_folders).
        opened.append(TmuxTerminal(command, env={"WORKBENCH_CODER": CODER, "TEXTUAL_ANIMATIONS": "none"}, **size))
        return opened[-1]

    yield start
    for t in opened:
        t.close()


def then_wait(command: str) -> str:
    """``command``, then a marker and a pause, so what it printed on the way out can be read."""
    return f"sh -c '{command}; echo WORKBENCH-ENDED; sleep 30'"


def place(study_path: Path):
    with Study.open(study_path, coder=CODER) as study:
        return remembered_view(study)


def board_ready(screen: str) -> bool:
    return board_built(screen)


@pytest.mark.parametrize("size", [(120, 34), (90, 30)])
def test_quit_and_come_back_with_workbench_alone(terminal, study_path: Path, size):
    width, height = size
    term = terminal(then_wait(f"{WORKBENCH} {study_path}"), width=width, height=height)
    term.wait_for("informant_1")
    if width >= 120:
        term.wait(board_ready)
    # another transcript, two turns on, the board grouped by the first attribute and filtered
    term.keys("o")
    term.wait_for("Open transcript")
    term.keys("informant_3", "Enter")
    term.wait_for("informant_3 ·")
    term.keys("}", "}", "}")
    term.keys("F4", "g")
    term.wait_for("Group the quotes by")
    term.keys("cluster", "Enter")
    term.wait_for("by cluster")
    term.keys("f")
    term.wait_for("Show only cases with")
    term.keys("size = smaller", "Enter")
    term.wait_for("size=smaller")
    term.keys("q")
    screen = term.wait_for("WORKBENCH-ENDED")
    flat = screen.replace("\n", "")
    assert str(study_path.resolve()) in flat and "to come back: workbench" in flat
    left = place(study_path)
    assert left.transcript == "informant_3" and left.cursor > 0
    assert left.group_by == "cluster" and left.where == {"size": ["smaller"]} and left.pane == "board"

    again = terminal(then_wait(str(WORKBENCH)), width=width, height=height)
    screen = again.wait_for("size=smaller")  # the board's title: filter and grouping as left
    assert "by cluster" in screen and "informant_3" in screen
    again.keys("q")
    again.wait_for("WORKBENCH-ENDED")
    assert place(study_path) == left  # the cursor, the card and the pane came back too


def test_demo_asks_to_reopen_the_copy_with_your_work(terminal):
    first = terminal(then_wait(f"{WORKBENCH} demo"))
    first.wait_for("informant_1")
    first.keys("q")
    screen = first.wait_for("WORKBENCH-ENDED")
    copy = re.search(r"saved in (\S+\.db)", screen.replace("\n", "")).group(1)
    second = terminal(then_wait(f"{WORKBENCH} demo"))
    second.wait_for("Reopen it?")
    second.keys("y", "Enter")
    second.wait_for("informant_1")
    second.keys("q")
    screen = second.wait_for("WORKBENCH-ENDED")
    assert copy in screen.replace("\n", "")


def test_a_dropped_connection_still_comes_back_near_the_place(terminal, study_path: Path):
    """No `q`: the terminal is closed (SIGHUP, as when an SSH connection drops) a few seconds after
    moving; the place kept while working brings the next opening back there."""
    term = terminal(f"{WORKBENCH} {study_path}", width=120, height=34)
    term.wait_for("informant_1")
    term.wait(board_ready)
    term.keys("o")
    term.wait_for("Open transcript")
    term.keys("informant_5", "Enter")
    term.wait_for("informant_5 ·")
    term.keys("}", "}")
    term.wait_for("informant_5 ·")
    time.sleep(8)  # the place is kept every 5 s while it moves
    assert term.running()
    term.hang_up()
    assert term.wait_until_gone()
    left = place(study_path)
    assert left.transcript == "informant_5" and left.cursor > 0
