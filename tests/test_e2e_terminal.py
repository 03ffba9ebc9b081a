"""End to end: the installed `workbench` command in a real terminal (tmux), driven by keys."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from tmux_terminal import WORKBENCH, TmuxTerminal, board_built

from workbench.study import Study


@pytest.fixture
def terminal():
    """Start the installed command in terminals of their own; closed after the test."""
    opened: list[TmuxTerminal] = []

    def start(command: str, **size) -> TmuxTerminal:
        opened.append(TmuxTerminal(command, env={"WORKBENCH_CODER": "e2e", "TEXTUAL_ANIMATIONS": "none"}, **size))
        return opened[-1]

    yield start
    for t in opened:
        t.close()


def wait_until_ready(term: TmuxTerminal) -> None:
    """Wait until the quote board is built: its count then shows (see ``board_built``).

    Keys typed before then used to be lost now and then under load: a theme key could act before
    the "t" typed ahead of it had selected the turn (see the burst test below). The tests still
    wait, since what they look at includes the board.
    """
    term.wait(board_built, timeout=15)


def test_code_and_select_in_the_demo_then_find_it_all_after_reopening(terminal, tmp_path: Path):
    assert WORKBENCH.exists(), f"the workbench command is not installed at {WORKBENCH}"
    study_path = tmp_path / "demo.db"
    term = terminal(f"{WORKBENCH} demo --path {study_path}")
    term.wait_for("Themes")
    term.wait_for("informant_1")
    wait_until_ready(term)
    # next turn, select it, code it with theme 2 (Technology)
    term.keys("}", "t", "2")
    term.wait_for("coded Technology")
    # the palette: choose Technology (4 rows below Collaboration and its sub-themes) to filter the
    # quote board to it; the new coding comes first there; select it for the chapter
    term.keys("F3", "Down", "Down", "Down", "Down", "Enter")
    term.wait_for("Technology  1 quote")
    term.keys("F4", "space")
    term.wait_for("selected #")
    term.keys("q")
    assert term.wait_until_gone(), "the workbench did not quit on q"
    with Study.open(study_path) as study:
        mine = [q for q in study.quotes() if q.coder == "e2e"]
        assert len(mine) == 1 and mine[0].theme == "Technology"
        assert mine[0].transcript == "informant_1"
        assert mine[0].selected and mine[0].position == 1
        assert len(study.quotes(selected_only=True)) == 17  # the demo's 16 and this one
        assert study._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    again = terminal(f"{WORKBENCH} {study_path}", width=80, height=24)
    # It opens where it was left: on the quote board, filtered to Technology; too narrow for three
    # panes, so the board is shown in place of the other panes, and F4 goes back to them.
    again.wait_for("─ Quotes ─")
    screen = again.wait_for("Technology  1 quote")
    assert "Themes" not in screen
    again.keys("F4")
    screen = again.wait_for("Themes")
    assert "informant_1" in screen and "─ Quotes ─" not in screen
    again.keys("q")


def test_a_bad_study_file_is_one_line_without_a_traceback(tmp_path: Path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("not a study")
    result = subprocess.run([str(WORKBENCH), "open", str(bogus)], capture_output=True, text=True)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"error: {bogus}: not a workbench study (not an SQLite file)"]


def test_keys_typed_in_one_burst_code_the_turn_they_select(terminal, tmp_path: Path):
    """ "}t2}t3" arriving at once (a fast typist, or keys coalesced into one packet over SSH):
    each theme key codes the turn the keys before it selected. The theme key used to act before
    "t" had selected anything, and the coding was lost."""
    study_path = tmp_path / "demo.db"
    term = terminal(f"{WORKBENCH} demo --path {study_path}")
    wait_until_ready(term)
    term.tmux("send-keys", "-t", term.name, "-l", "}t2}t3")  # one write to the terminal
    term.wait_for("coded Trust and confidence")
    term.keys("q")
    assert term.wait_until_gone(), "the workbench did not quit on q"
    with Study.open(study_path) as study:
        mine = sorted((q.start, q.theme) for q in study.quotes() if q.coder == "e2e")
    assert [theme for _start, theme in mine] == ["Technology", "Trust and confidence"]
    assert mine[0][0] < mine[1][0]  # two turns, one after the other
