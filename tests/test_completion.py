"""Shell completion: commands, options and what is inside the study named on the line.

The completion is asked the way a shell asks it (click's protocol: the installed command with
``_WORKBENCH_COMPLETE`` and ``COMP_WORDS`` in its environment), and once through a real bash in
tmux, typing Tab.
"""

from __future__ import annotations

import os
import subprocess
import time

import pytest
from click.shell_completion import split_arg_string
from tmux_terminal import WORKBENCH, TmuxTerminal

from workbench.study import Study


def complete(words: str, *, shell: str = "bash", cwd=None) -> list[str]:
    """What the installed command offers for the last word of ``words`` (a line as typed)."""
    parts = split_arg_string(words) + ([""] if words.endswith(" ") and not words.endswith("\\ ") else [])
    env = {**os.environ, "_WORKBENCH_COMPLETE": f"{shell}_complete", "COMP_WORDS": words}
    # bash and zsh give the index of the word being completed; fish gives the word itself.
    env["COMP_CWORD"] = parts[-1] if shell == "fish" else str(len(parts) - 1)
    out = subprocess.run([str(WORKBENCH)], env=env, capture_output=True, text=True, cwd=cwd, check=True).stdout
    if shell == "bash":  # lines of "type,value"
        return [line.split(",", 1)[1] for line in out.splitlines() if line.startswith("plain,")]
    if shell == "zsh":  # type, value, help: three lines each
        lines = out.splitlines()
        return [lines[i + 1] for i in range(0, len(lines) - 2, 3) if lines[i] == "plain"]
    return [line.split(",", 1)[1].split("\t")[0] for line in out.splitlines() if line.startswith("plain,")]


def test_commands_complete_from_a_prefix():
    assert complete("workbench cod") == ["code", "codebook"]
    assert "chapter" in complete("workbench export ch")


def test_transcript_names_come_from_the_study_on_the_line(study_path):
    with Study.open(study_path) as study:
        names = sorted(t.name for t in study.transcripts())
    offered = complete(f"workbench code {study_path} inf")
    assert offered == [n for n in names if n.startswith("inf")] and offered


def test_theme_paths_complete_with_their_parents_and_escaped_for_bash(study_path):
    with Study.open(study_path) as study:
        paths = sorted(t.path for t in study.themes())
    under_trust = [p for p in paths if p.startswith("Trust and confidence/")]
    assert under_trust, paths
    offered = complete(f"workbench code {study_path} informant_1 Trust\\ and\\ confidence/")
    # One backslash per space after bash's `read`: the word stays one argument.
    assert offered == [p.replace(" ", "\\\\ ") for p in under_trust]
    zsh = complete(f"workbench code {study_path} informant_1 Trust\\ and\\ confidence/", shell="zsh")
    assert zsh == under_trust  # zsh quotes completions itself


def test_an_option_waiting_for_its_value_still_finds_the_study(study_path):
    offered = complete(f"workbench quotes {study_path} --theme Tech", shell="fish")
    assert offered and all(p.startswith("Technology") for p in offered)


def test_a_sub_theme_name_alone_completes_when_no_path_starts_with_it(study_path):
    assert complete(f"workbench quotes {study_path} --theme Legacy", shell="fish") == ["Legacy systems"]


def test_completion_never_waits_for_the_terminal_workbench_s_lock(study_path):
    """A Tab while another program writes the study: names or nothing, at once, never an error."""
    holder = subprocess.Popen(
        [
            "python3",
            "-c",
            "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None);"
            "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(30)",
            str(study_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        offered = complete(f"workbench code {study_path} inf")
        assert time.monotonic() - started < 10
        assert offered == [] or all(o.startswith("inf") for o in offered)
    finally:
        holder.kill()
        holder.wait()


def test_not_a_study_on_the_line_offers_nothing_and_says_nothing(tmp_path):
    junk = tmp_path / "notes.db"
    junk.write_text("not a database")
    assert complete(f"workbench code {junk} inf") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_completion_command_prints_the_script_for_each_shell(shell):
    script = subprocess.run([str(WORKBENCH), "completion", shell], capture_output=True, text=True, check=True).stdout
    assert "_WORKBENCH_COMPLETE" in script and f"{shell}_complete" in script


def test_tab_in_a_real_bash_completes_a_command_and_a_theme_path(study_path, tmp_path):
    bin_folder = WORKBENCH.parent
    terminal = TmuxTerminal(
        "bash --norc --noprofile",
        width=160,
        height=20,
        env={"PATH": f"{bin_folder}:/usr/bin:/bin", "HOME": str(tmp_path), "PS1": "$ ", "TERM": "xterm"},
        prefix="wb-complete",
    )
    try:
        terminal.wait_for("$")
        terminal.keys('eval "$(workbench completion bash)"', "Enter", "clear", "Enter")
        terminal.wait(lambda screen: screen.strip() == "$")
        terminal.keys("workbench cove", "Tab")
        terminal.wait_for("workbench coverage")
        terminal.keys("C-u", "workbench co", "Tab", "Tab")  # ambiguous: the second Tab lists them
        terminal.wait(lambda screen: "codebook" in screen and "cooccurrence" in screen and "completion" in screen)
        terminal.keys("C-u", "clear", "Enter")
        terminal.keys(f"workbench code {study_path} informant_1 Trust\\ and\\ confidence/Ag", "Tab")
        screen = terminal.wait_for("Agreements\\ matter")
        assert "informant_1 Trust\\ and\\ confidence/Agreements\\ matter" in screen
    finally:
        terminal.close()


def test_names_with_control_characters_are_never_offered(study_path):
    """The shell prints the choices it lists as they are: a theme or transcript name carrying an
    escape sequence or a bidi control must not reach the terminal that way."""
    with Study.open(study_path) as study:
        study.add_theme("Trust\x1b]0;owned\x07 me")
        study.add_theme("Trust\u202eevil")
    offered = complete(f"workbench quotes {study_path} --theme Trust", shell="fish")
    assert offered and all(o.isprintable() for o in offered)
    assert not any("owned" in o or "evil" in o for o in offered)
