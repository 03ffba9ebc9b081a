"""Kill the real program at random moments; nothing it reported as done may be lost.

Each trial copies a study, runs the installed ``workbench`` command on it (a fixed script of
commands: code, select, memo, case attributes, undo, redo, uncode, import of a large transcript,
restore), sends SIGKILL to the whole process group after a random delay, and then checks that:

- ``PRAGMA integrity_check`` is ``ok``;
- the study is exactly the state after the commands whose success line was printed before the
  kill, or that state plus the command that was running (it may have committed just before the
  kill, unreported) - never a half-done command, never a lost one.

The expected states come from running the same script once, in-process, without kills. The TUI is
killed the same way in tmux, and hung up (SIGHUP, as when an SSH connection drops).

``pytest -m slow`` runs the long versions (figures in docs/safety.md).
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shlex
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from tmux_terminal import WORKBENCH, TmuxTerminal

from workbench.cli import main
from workbench.storage import backup as store
from workbench.study import Study

SEED = int(os.environ.get("WORKBENCH_CRASH_SEED", "20261126"))
CLI_TRIALS, CLI_TRIALS_SLOW = 20, 250
RESTORE_TRIALS, RESTORE_TRIALS_SLOW = 6, 60
TUI_TRIALS, TUI_TRIALS_SLOW = 2, 12
MAX_DELAY = 2.0  # seconds before the kill; a command takes 0.3-0.8 s, so a few of them run
TIME_COLUMNS = {"created", "updated", "at", "imported_at"}  # differ between runs, by design
STUDY = "{study}"


# -- the study, the script and its expected states -----------------------------------------------


@dataclass
class Scenario:
    """A script of commands (``{study}`` stands for the study) and the state after each prefix."""

    folder: Path
    commands: list[list[str]] = field(default_factory=list)
    states: list[str] = field(default_factory=list)  # fingerprint after 0, 1, ... commands
    files: list[Path] = field(default_factory=list)  # the study file after 0, 1, ... commands


def fingerprint(path: Path) -> str:
    """Everything the researcher made, minus timestamps: two equal prints mean the same work."""
    conn = sqlite3.connect(path)
    try:
        digest = hashlib.sha256()
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for table in tables:
            if table == "undo_log":  # its statements quote timestamps; its size must still match
                digest.update(f"undo_log {conn.execute('SELECT count(*) FROM undo_log').fetchone()[0]}".encode())
                continue
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])") if r[1] not in TIME_COLUMNS]
            rows = conn.execute(
                f"SELECT {', '.join(f'[{c}]' for c in columns)} FROM [{table}] ORDER BY rowid"
            ).fetchall()
            digest.update(repr((table, columns, rows)).encode())
        return digest.hexdigest()
    finally:
        conn.close()


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)  # a plain connection: recovers a -wal left by the kill, as any opener would
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def big_transcript(folder: Path, number: int) -> Path:
    """A long interview (about 300 kB): a long write transaction, and WAL checkpoints."""
    rng = random.Random(number)
    words = "we could not manage it ourselves the agreements matter trust security municipality".split()
    lines = []
    for turn in range(1500):
        speaker = "Interviewer" if turn % 2 == 0 else f"Informant {number}"
        lines.append(f"{speaker}: {' '.join(rng.choice(words) for _ in range(30))} ({number}.{turn})")
    path = folder / f"long_interview_{number}.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_in_process(study: Path, command: list[str]) -> str:
    result = CliRunner(env={"WORKBENCH_CODER": "crash"}).invoke(
        main, [a.replace(STUDY, str(study)) for a in command], catch_exceptions=False
    )
    assert result.exit_code == 0, (command, result.output)
    return result.output


def build_scenario(folder: Path, template: Path, rounds: int, with_restore: bool = False) -> Scenario:
    """Run the script once without kills, recording the state after every command."""
    scenario = Scenario(folder)
    study = folder / "reference.db"
    shutil.copyfile(template, study)
    manual = None
    if with_restore:
        with Study.open(study) as s:
            manual = store.backup(study, s._db).path.name
        shutil.copytree(store.backups_folder(study), folder / "backups-template")

    def record() -> None:
        scenario.states.append(fingerprint(study))
        saved = folder / f"state-{len(scenario.files)}.db"
        shutil.copyfile(study, saved)
        scenario.files.append(saved)

    def do(*command: str) -> str:
        scenario.commands.append(list(command))
        output = run_in_process(study, list(command))
        record()
        return output

    record()
    with Study.open(study) as s:
        turns = {
            name: [(t.start, t.end) for t in s.turns(name) if t.end - t.start > 5]
            for name in ("informant_2", "informant_3")
        }
    for i in range(rounds):
        a, b = turns["informant_2"][i]
        coded = do("code", STUDY, "informant_2", "Technology", "--start", str(a), "--end", str(b), "--coder", "crash")
        coding_id = coded.split("#")[1].split(":")[0]
        do("select", STUDY, coding_id, "--comment", f"comment {i}")
        do("memo", STUDY, "--on", "study", "--text", f"memo {i}")
        do("case", "set", STUDY, "informant_3", f"step={i}")
        do("undo", STUDY)
        do("redo", STUDY)
        c, d = turns["informant_3"][i]
        other = do("code", STUDY, "informant_3", "Identity", "--start", str(c), "--end", str(d), "--coder", "crash")
        do("uncode", STUDY, other.split("#")[1].split(":")[0])
        do("import", STUDY, str(big_transcript(folder, i)))
        if with_restore:
            do("restore", STUDY, manual, "--yes")
            do("backup", STUDY)
    return scenario


@pytest.fixture(scope="module")
def scenario(demo_template: Path, tmp_path_factory) -> Scenario:
    return build_scenario(tmp_path_factory.mktemp("scenario"), demo_template, rounds=4)


@pytest.fixture(scope="module")
def restore_scenario(demo_template: Path, tmp_path_factory) -> Scenario:
    return build_scenario(tmp_path_factory.mktemp("restore-scenario"), demo_template, rounds=2, with_restore=True)


# -- killing the command line --------------------------------------------------------------------


@dataclass
class Tally:
    trials: int = 0
    acknowledged: int = 0  # commands whose success line was printed before the kill
    unreported_commits: int = 0  # the running command had committed, but not yet said so

    def __str__(self) -> str:
        return (
            f"{self.trials} trials survived, {self.acknowledged} acknowledged commands all found, "
            f"{self.unreported_commits} kills after a commit but before its report"
        )


def kill_trial(scenario: Scenario, rng: random.Random, workdir: Path, tally: Tally) -> None:
    start = rng.randrange(len(scenario.commands))
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir()
    study = workdir / "study.db"
    shutil.copyfile(scenario.files[start], study)
    if (scenario.folder / "backups-template").is_dir():
        shutil.copytree(scenario.folder / "backups-template", store.backups_folder(study))
    script = "\n".join(
        shlex.join([str(WORKBENCH), *(a.replace(STUDY, str(study)) for a in command)]) + " || exit 1"
        for command in scenario.commands[start:]
    )
    out, err = workdir / "out.txt", workdir / "err.txt"
    env = {**os.environ, "WORKBENCH_CODER": "crash"}
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            ["sh", "-c", script], stdout=stdout, stderr=stderr, env=env, process_group=0
        )  # its own group: the kill reaches the running command too
        try:
            process.wait(timeout=rng.uniform(0.0, MAX_DELAY))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert err.read_bytes() == b"", err.read_text()
    # A command is done when its line was printed in full; only its last line can be cut off.
    printed = out.read_text(encoding="utf-8")
    lines = printed.split("\n")[:-1]
    done = len(
        [
            line
            for line in lines
            if line.startswith(
                ("#", "coded", "memo", "informant_3", "undid", "redid", "removed", "imported", "restored", "saved")
            )
        ]
    )
    assert done == len(lines), printed
    assert integrity(study) == "ok", f"trial from command {start}, {done} done"
    state = fingerprint(study)
    expected = scenario.states[start + done]
    running = scenario.states[start + done + 1] if start + done + 1 < len(scenario.states) else None
    assert state in (expected, running), (
        f"trial from command {start}: state after {done} acknowledged command(s) is not there"
    )
    with Study.open(study) as reopened:  # the program itself opens it (quick_check) and can write
        assert not reopened._db.read_only
    for snapshot in store.list_snapshots(study):  # no half-written snapshot under a final name
        assert integrity(snapshot.path) == "ok", snapshot.path.name
    tally.trials += 1
    tally.acknowledged += done
    tally.unreported_commits += state == running and state != expected


def run_trials(scenario: Scenario, trials: int, tmp_path: Path, salt: int) -> Tally:
    rng = random.Random(SEED + salt)
    tally = Tally()
    for _ in range(trials):
        kill_trial(scenario, rng, tmp_path / "trial", tally)
    print(f"\nkill -9 of the command line: {tally}")
    return tally


def test_kill_9_of_commands_loses_nothing_reported(scenario: Scenario, tmp_path: Path):
    tally = run_trials(scenario, CLI_TRIALS, tmp_path, salt=1)
    assert tally.trials == CLI_TRIALS and tally.acknowledged > 0


def test_kill_9_during_restore_and_backup_leaves_one_whole_study(restore_scenario: Scenario, tmp_path: Path):
    tally = run_trials(restore_scenario, RESTORE_TRIALS, tmp_path, salt=2)
    assert tally.trials == RESTORE_TRIALS


def test_the_check_would_notice_a_lost_or_half_done_command(scenario: Scenario, tmp_path: Path):
    wrong = Scenario(scenario.folder, scenario.commands, ["not this state"] * len(scenario.states), scenario.files)
    with pytest.raises(AssertionError, match="acknowledged command"):
        kill_trial(wrong, random.Random(SEED), tmp_path / "trial", Tally())


@pytest.mark.slow
def test_kill_9_of_commands_many_times(scenario: Scenario, tmp_path: Path):
    tally = run_trials(scenario, CLI_TRIALS_SLOW, tmp_path, salt=3)
    assert tally.trials == CLI_TRIALS_SLOW


@pytest.mark.slow
def test_kill_9_during_restore_and_backup_many_times(restore_scenario: Scenario, tmp_path: Path):
    tally = run_trials(restore_scenario, RESTORE_TRIALS_SLOW, tmp_path, salt=4)
    assert tally.trials == RESTORE_TRIALS_SLOW


# -- killing and hanging up the terminal workbench -----------------------------------------------


def start_workbench(study: Path, folder: Path) -> TmuxTerminal:
    """The installed workbench running on a study in a terminal of its own (tmux)."""
    config = folder / "config.yaml"
    config.write_text("mouse: false\n", encoding="utf-8")  # the user's own key remapping must not apply
    return TmuxTerminal(
        f"{shlex.quote(str(WORKBENCH))} open {shlex.quote(str(study))}",
        prefix="wb-crash",
        env={"WORKBENCH_CODER": "crash", "TEXTUAL_ANIMATIONS": "none", "WORKBENCH_CONFIG": str(config)},
    )


TECHNOLOGY = re.compile(r"\[2\] Technol\S*\s+(\d+) ·")  # its row in the palette: codings · informants


def technology_count(screen: str) -> int | None:
    match = TECHNOLOGY.search(screen)
    return int(match[1]) if match else None


def code_turns(app: TmuxTerminal, acknowledged: list[int], steps: int) -> None:
    """Code the next turn with theme 2 (Technology), ``steps`` times; count the codings the
    screen confirms (the palette's count goes up only after the commit)."""
    try:
        first = technology_count(app.wait(lambda screen: technology_count(screen) is not None))
        for step in range(1, steps + 1):
            for key in ("}", "t", "2"):  # next turn, select it, code it
                app.keys(key, pause=0.05)
                time.sleep(0.2)  # as a person types: the view moves before the selection is made
            app.wait(lambda screen, step=step: (technology_count(screen) or 0) >= first + step)
            acknowledged.append(step)
    except (ProcessLookupError, AssertionError, subprocess.CalledProcessError):
        pass  # killed while coding: what was confirmed so far is counted


def crash_codings(study: Path) -> int:
    conn = sqlite3.connect(study)
    try:
        return conn.execute("SELECT count(*) FROM codings WHERE coder = 'crash'").fetchone()[0]
    finally:
        conn.close()


def tui_trial(template: Path, folder: Path, rng: random.Random, hang_up: bool) -> int:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    study = folder / "study.db"
    shutil.copyfile(template, study)
    app = start_workbench(study, folder)
    try:
        app.wait(lambda screen: "Themes" in screen and "informant_1" in screen)
        acknowledged: list[int] = []
        driver = threading.Thread(target=code_turns, args=(app, acknowledged, 12))
        driver.start()
        time.sleep(rng.uniform(0.3, 4.0))
        if hang_up:
            app.hang_up()
        else:
            os.kill(app.pid, signal.SIGKILL)
        assert app.wait_until_gone(), (
            "the workbench kept running after its terminal went away: "
            + subprocess.run(
                ["ps", "-o", "pid,ppid,stat,cmd", "-p", str(app.pid)], capture_output=True, text=True
            ).stdout
        )
        driver.join()
    finally:
        app.close()
    assert integrity(study) == "ok"
    found = crash_codings(study)
    assert found in (len(acknowledged), len(acknowledged) + 1), (found, len(acknowledged))
    with Study.open(study) as reopened:
        assert not reopened._db.read_only
    return len(acknowledged)


def test_kill_9_of_the_terminal_workbench_while_coding(demo_template: Path, tmp_path: Path):
    rng = random.Random(SEED + 5)
    confirmed = sum(tui_trial(demo_template, tmp_path / "tui", rng, hang_up=False) for _ in range(TUI_TRIALS))
    print(f"\nkill -9 of the terminal workbench: {TUI_TRIALS} trials survived, {confirmed} confirmed codings all found")


def test_a_dropped_connection_while_coding_loses_nothing(demo_template: Path, tmp_path: Path):
    rng = random.Random(SEED + 6)
    tui_trial(demo_template, tmp_path / "tui", rng, hang_up=True)


@pytest.mark.slow
def test_kill_9_and_hang_up_of_the_terminal_workbench_many_times(demo_template: Path, tmp_path: Path):
    rng = random.Random(SEED + 7)
    confirmed = 0
    for trial in range(TUI_TRIALS_SLOW):
        confirmed += tui_trial(demo_template, tmp_path / "tui", rng, hang_up=trial % 2 == 1)
    print(
        f"\nkill -9 and SIGHUP of the terminal workbench: {TUI_TRIALS_SLOW} trials survived, "
        f"{confirmed} confirmed codings all found"
    )
