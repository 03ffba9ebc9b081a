"""The terminal workbench under storage faults: a study locked by another program, a full disk, a
transcript re-imported from another window, a study file deleted or replaced while it is open.

Each test drives the workbench with Pilot on a real study file and checks the file afterwards:
nothing the screen called saved is missing, nothing it did not is there, and the program keeps
running.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import time
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from conftest import REPO, copy_study, run_workbench, wait_for
from tmux_terminal import WORKBENCH

from workbench.study import Study
from workbench.tui.screens.dialogs import ConfirmDialog, TextDialog
from workbench.tui.widgets.status_line import StatusLine
from workbench.tui.widgets.transcript_view import TranscriptView

TRANSCRIPT = REPO / "sample_data" / "transcripts" / "informant_1.txt"


def status_text(app) -> str:
    return app.screen.query_one(StatusLine).render().plain


def record_notifications(app) -> list[str]:
    """The messages the app shows as notifications from now on (they are shown as usual too)."""
    noted: list[str] = []
    show = app.notify
    app.notify = lambda message, *args, **kwargs: (noted.append(str(message)), show(message, *args, **kwargs))[1]
    return noted


def codings_in_file(path: Path) -> list[tuple[str, int, int, str, str]]:
    """Every coding in the study file, read by a fresh connection: (transcript, start, end, theme, text)."""
    with Study.open(path) as study:
        return [
            (c.transcript, c.start, c.end, c.theme_path, c.text)
            for t in study.transcripts()
            for c in study.codings(t.name)
        ]


@contextmanager
def write_lock_held(path: Path):
    """Another program holding the study's write lock (``BEGIN IMMEDIATE``) until the block ends."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        if other.in_transaction:
            other.execute("ROLLBACK")
        other.close()


async def select_second_turn(app, pilot) -> tuple[int, int]:
    await pilot.press("}", "t")
    selection = app.screen.query_one(TranscriptView).selection
    assert selection is not None
    return selection


# -- 1. a study locked by another program -----------------------------------------------------------


def test_a_coding_made_while_another_program_holds_the_lock_waits_and_is_saved_once_it_frees(
    study_path: Path, monkeypatch
):
    monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT", "3")
    before = codings_in_file(study_path)

    async def scenario(app, pilot):
        start, end = await select_second_turn(app, pilot)
        with write_lock_held(study_path):
            began = time.monotonic()
            await pilot.press("2")  # Technology
            await pilot.pause()
            took = time.monotonic() - began
            await wait_for(
                pilot,
                lambda: "waiting for the study (locked by another program)" in status_text(app),
                "the status line to say the change waits",
            )
            waiting = status_text(app)
            await pilot.press("down", "down")  # the researcher keeps reading
            await pilot.pause(0.6)  # a retry or two while the lock is still held
            still_waiting = "waiting for the study" in status_text(app)
            in_file_meanwhile = bool(coded_by(study_path, "pilot"))
        await wait_for(
            pilot,
            lambda: "saved" in status_text(app) and "waiting" not in status_text(app),
            "the change to be saved once the lock is free",
            timeout=3,
        )
        return (start, end), took, waiting, still_waiting, in_file_meanwhile, status_text(app)

    (start, end), took, waiting, still_waiting, in_file_meanwhile, final = run_workbench(study_path, scenario)
    assert took < 1.0, f"the key held the screen for {took:.1f} s"
    assert " · saved" not in waiting
    assert still_waiting and not in_file_meanwhile
    assert "coded Technology" in final
    new = set(codings_in_file(study_path)) - set(before)
    assert [(s, e, theme) for _t, s, e, theme, _x in new] == [(start, end, "Technology")]


def test_a_waiting_change_can_be_discarded(study_path: Path):
    before = codings_in_file(study_path)

    async def scenario(app, pilot):
        await select_second_turn(app, pilot)
        with write_lock_held(study_path):
            await pilot.press("2")
            await wait_for(pilot, lambda: "waiting for the study" in status_text(app), "the change to wait")
            await pilot.press("ctrl+k")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question to discard")
            await pilot.press("y")
            await wait_for(pilot, lambda: "waiting" not in status_text(app), "the waiting change to go")
        await pilot.pause(1.2)  # past the next retry: nothing is left to write
        return status_text(app)

    final = run_workbench(study_path, scenario)
    assert "discarded" in final
    assert codings_in_file(study_path) == before


def test_changes_made_while_locked_are_saved_in_order(study_path: Path):
    """Several changes wait in a queue; undo among them undoes the one made just before it."""
    before = codings_in_file(study_path)

    async def scenario(app, pilot):
        await select_second_turn(app, pilot)
        with write_lock_held(study_path):
            await pilot.press("2")
            await pilot.press("}", "t", "1")
            await pilot.press("}", "t", "3", "u")
            await wait_for(pilot, lambda: "4 changes" in status_text(app), "four changes to wait")
        await wait_for(
            pilot,
            lambda: "waiting" not in status_text(app) and "saved" in status_text(app),
            "the four changes to be saved",
            timeout=4,
        )

    run_workbench(study_path, scenario)
    new = set(codings_in_file(study_path)) - set(before)
    assert sorted(theme for *_x, theme, _text in new) == ["Collaboration", "Technology"]


def test_quitting_with_a_waiting_change_asks_and_ends_with_a_failure_status(study_path: Path):
    async def scenario(app, pilot):
        await select_second_turn(app, pilot)
        with write_lock_held(study_path):
            await pilot.press("2")
            await wait_for(pilot, lambda: "waiting for the study" in status_text(app), "the change to wait")
            await pilot.press("q")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question before quitting")
            question = app.screen.question
            await pilot.press("y")
            await wait_for(pilot, lambda: app.return_code is not None, "the app to end")
        return question, app.return_code

    question, code = run_workbench(study_path, scenario)
    assert "not saved" in question
    assert code == 1


LOCK_TRIALS, LOCK_TRIALS_SLOW = 2, 25
SEED = int(os.environ.get("WORKBENCH_CRASH_SEED", "20261126"))
LOCKER = (
    "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
    "c.execute('BEGIN IMMEDIATE'); print('locked', flush=True); time.sleep(float(sys.argv[2]))"
)


READER = (
    "import json, sys; from workbench.study import Study; s = Study.open(sys.argv[1]); "
    "print(json.dumps([[c.start, c.end, c.theme_path] for c in s.codings('informant_1') if c.coder == sys.argv[2]]))"
)


def coded_by(path: Path, coder: str) -> set[tuple[int, int, str]]:
    """The codings of informant_1 by ``coder``, read by another program (as a second window would:
    a second connection opened in the app's own process would drop the locks its connection holds)."""
    done = subprocess.run([sys.executable, "-c", READER, str(path), coder], capture_output=True, text=True, check=True)
    return {(start, end, theme) for start, end, theme in json.loads(done.stdout)}


def lock_trial(path: Path, rng: random.Random) -> tuple[int, int]:
    """Code turn after turn (with an undo now and then) while another program takes the write lock
    for random spells; whenever the screen says saved, everything asked for must be in the file.
    Returns (codings made, of them made while the study was locked)."""

    async def scenario(app, pilot):
        screen = app.screen
        paths = {t.id: t.path for t in screen.themes}
        themes = {key: paths[theme_id] for key, theme_id in screen.palette.effective_keys.items() if key in "1234"}
        expected: list[tuple[int, int, str]] = []
        locked_codings, locker = 0, None
        for _step in range(8):
            if locker is None and rng.random() < 0.4:
                locker = subprocess.Popen(
                    [sys.executable, "-c", LOCKER, str(path), f"{rng.uniform(0.3, 2.5):.2f}"],
                    stdout=subprocess.PIPE,
                    text=True,
                )
                assert locker.stdout.readline().strip() == "locked"
            if expected and rng.random() < 0.15:
                await pilot.press("u")
                expected.pop()
            else:
                await pilot.press("}", "t")
                key = rng.choice(sorted(themes))
                expected.append((*screen.transcript_view.selection, themes[key]))
                await pilot.press(key)
                locked_codings += locker is not None and locker.poll() is None
            await pilot.pause(rng.uniform(0.0, 0.6))
            status = status_text(app)
            if " · saved" in status:
                assert coded_by(path, "pilot") == set(expected), f"the screen said saved: {status}"
            if locker is not None and locker.poll() is not None:
                locker = None
        if locker is not None:
            locker.wait()
        await wait_for(pilot, lambda: " · saved" in status_text(app), "everything to be saved", timeout=5)
        return expected, locked_codings

    expected, locked_codings = run_workbench(path, scenario)
    assert coded_by(path, "pilot") == set(expected)
    return len(expected), locked_codings


def test_codings_made_while_another_program_takes_the_lock_are_all_saved(demo_template: Path, tmp_path: Path):
    rng = random.Random(SEED + 11)
    for trial in range(LOCK_TRIALS):
        lock_trial(copy_study(demo_template, tmp_path / f"trial-{trial}.db"), rng)


@pytest.mark.slow
def test_codings_made_while_another_program_takes_the_lock_many_times(demo_template: Path, tmp_path: Path):
    rng = random.Random(SEED + 12)
    made = while_locked = 0
    for trial in range(LOCK_TRIALS_SLOW):
        counts = lock_trial(copy_study(demo_template, tmp_path / f"trial-{trial}.db"), rng)
        made, while_locked = made + counts[0], while_locked + counts[1]
    print(
        f"\n{LOCK_TRIALS_SLOW} lock trials: {made} codings in the file as made, {while_locked} of them "
        f"asked for while another program held the lock; none lost, none shown saved before it was"
    )


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 3 MB file system of its own (tmpfs), so it can be filled; skipped where mounting is not allowed."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    """Fill the file system of ``folder`` up to the last byte with one file; return it."""
    filler = folder / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (65536, 4096, 1):
            try:
                while True:
                    os.write(handle, b"\0" * size)
            except OSError:
                pass
    finally:
        os.close(handle)
    return filler


def test_a_full_disk_says_not_saved_and_the_workbench_keeps_running(demo_template: Path, tiny_disk: Path):
    path = copy_study(demo_template, tiny_disk / "study.db")
    before = codings_in_file(path)

    async def scenario(app, pilot):
        start, end = await select_second_turn(app, pilot)
        filler = fill(tiny_disk)
        await pilot.press("2")
        await pilot.pause()
        full = status_text(app)
        selection_kept = app.screen.query_one(TranscriptView).selection == (start, end)
        await pilot.press("}", "t")  # still running: the next turn
        filler.unlink()
        await pilot.press("3")
        await wait_for(pilot, lambda: "coded" in status_text(app), "the coding once there is room")
        return full, selection_kept, status_text(app)

    full, selection_kept, after = run_workbench(path, scenario)
    assert "not saved: the disk is full" in full and " · saved" not in full
    assert selection_kept  # not shown as done
    assert " · saved" in after
    new = set(codings_in_file(path)) - set(before)
    assert [theme for *_x, theme, _text in new] == ["Trust and confidence"]


def test_a_study_file_made_read_only_says_not_saved(study_path: Path):
    wal = Path(f"{study_path}-wal")

    async def scenario(app, pilot):
        await select_second_turn(app, pilot)
        if subprocess.run(["chattr", "+i", str(wal)], capture_output=True).returncode != 0:
            pytest.skip("chattr +i is not available here")
        try:
            await pilot.press("2")
            await pilot.pause()
            return status_text(app)
        finally:
            subprocess.run(["chattr", "-i", str(wal)], check=True)

    before = codings_in_file(study_path)
    assert "not saved: the study file is read-only" in run_workbench(study_path, scenario)
    assert codings_in_file(study_path) == before


# -- 2. a transcript re-imported from another window ------------------------------------------------


ADDED_ABOVE = (
    "Interviewer: Before we begin, a question that was left out of the first version?\n\n"
    "Informant: Yes, and this answer was added above everything else.\n\n"
)


def reimport_elsewhere(study_path: Path, tmp_path: Path, text: str) -> None:
    """Another window re-imports informant_1 with ``text``: `workbench reimport` in a process of its own."""
    changed = tmp_path / "informant_1.txt"
    changed.write_text(text, encoding="utf-8")
    subprocess.run([str(WORKBENCH), "reimport", str(study_path), str(changed)], check=True, capture_output=True)


def code_before_the_next_poll(app, theme: str) -> None:
    """What the theme key does, called at once: the re-import has not been noticed by the
    screen's once-a-second look for changes (a key pressed may or may not come before it)."""
    screen = app.screen
    screen.code_selection(next(t.id for t in screen.themes if t.path == theme))


def test_a_reimport_in_another_window_never_codes_text_nobody_selected(study_path: Path, tmp_path: Path):
    async def scenario(app, pilot):
        start, end = await select_second_turn(app, pilot)
        seen = app.screen.study.transcript_text("informant_1")[start:end]
        reimport_elsewhere(study_path, tmp_path, ADDED_ABOVE + TRANSCRIPT.read_text(encoding="utf-8"))
        code_before_the_next_poll(app, "Technology")
        await wait_for(pilot, lambda: "coded" in status_text(app), "the coding")
        return seen, status_text(app)

    seen, status = run_workbench(study_path, scenario)
    new = [c for c in codings_in_file(study_path) if c[3] == "Technology" and c[4] == seen]
    assert len(new) == 1, "the selected text was not coded (or other text was)"
    with Study.open(study_path) as study:
        _t, start, end, _theme, text = new[0]
        assert study.transcript_text("informant_1")[start:end] == seen
    assert "moved with its text" in status


def test_a_selection_whose_text_another_window_changed_is_not_coded(study_path: Path, tmp_path: Path):
    async def scenario(app, pilot):
        noted = record_notifications(app)
        start, end = await select_second_turn(app, pilot)
        seen = app.screen.study.transcript_text("informant_1")[start:end]
        original = TRANSCRIPT.read_text(encoding="utf-8")
        assert seen in original
        reimport_elsewhere(study_path, tmp_path, original.replace(seen, "Something else entirely was said here."))
        code_before_the_next_poll(app, "Technology")
        await wait_for(pilot, lambda: any("Not coded" in n for n in noted), "the notice that nothing was coded")
        return app.screen.query_one(TranscriptView).selection

    before = codings_in_file(study_path)
    assert run_workbench(study_path, scenario) is None  # the selection was dropped
    added = set(codings_in_file(study_path)) - set(before)
    assert not [c for c in added if c[3] == "Technology"]


def test_the_open_transcript_follows_a_reimport_within_a_second(study_path: Path, tmp_path: Path):
    async def scenario(app, pilot):
        view = app.screen.query_one(TranscriptView)
        start, end = await select_second_turn(app, pilot)
        seen = view.text[start:end]
        reimport_elsewhere(study_path, tmp_path, ADDED_ABOVE + TRANSCRIPT.read_text(encoding="utf-8"))
        new_text = app.screen.study.transcript_text("informant_1")
        await wait_for(pilot, lambda: view.text == new_text, "the transcript pane to show the new text", timeout=2.5)
        moved = view.selection
        return seen, moved and new_text[moved[0] : moved[1]]

    seen, now_selected = run_workbench(study_path, scenario)
    assert now_selected == seen


# -- 3. the study file deleted or replaced while open -----------------------------------------------


def test_a_deleted_study_file_is_noticed_and_the_work_can_be_saved_as_a_new_study(study_path: Path):
    recovered = study_path.with_name("study-recovered.db")

    async def scenario(app, pilot):
        start, end = await select_second_turn(app, pilot)
        await pilot.press("2")
        await wait_for(pilot, lambda: "coded Technology" in status_text(app), "the first coding")
        study_path.unlink()
        began = time.monotonic()
        await wait_for(
            pilot, lambda: "study file was deleted" in status_text(app), "the deletion to be noticed", timeout=2.5
        )
        noticed = time.monotonic() - began
        await pilot.press("}", "t", "3")
        await pilot.pause()
        refused = status_text(app)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, TextDialog), "the question where to save")
        await pilot.press("enter")
        await wait_for(pilot, recovered.exists, "the recovered study")
        await pilot.pause()
        return (start, end), noticed, refused, status_text(app)

    (start, end), noticed, refused, final = run_workbench(study_path, scenario)
    assert noticed < 2.0
    assert " · saved" not in refused
    assert not Path(f"{study_path}-wal").exists()  # nothing left to be replayed into a file put back there
    assert str(recovered.name) in final
    in_copy = codings_in_file(recovered)
    assert ("informant_1", start, end) in {(t, s, e) for t, s, e, theme, _x in in_copy if theme == "Technology"}
    assert not [c for c in in_copy if c[3] == "Trust and confidence" and c[1] > end]  # the refused coding is nowhere


def test_a_replaced_study_file_is_noticed_and_nothing_reaches_the_replacement(study_path: Path, tmp_path: Path):
    replacement = copy_study(study_path, tmp_path / "synced.db")
    expected = codings_in_file(replacement)

    async def scenario(app, pilot):
        await select_second_turn(app, pilot)
        await pilot.press("2")
        await wait_for(pilot, lambda: "coded Technology" in status_text(app), "the first coding")
        os.replace(replacement, study_path)  # what a sync tool does: write a copy, rename it over
        await wait_for(
            pilot, lambda: "study file was replaced" in status_text(app), "the replacement to be noticed", timeout=2.5
        )
        await pilot.press("}", "t", "3", "u")
        await pilot.pause()
        return status_text(app)

    refused = run_workbench(study_path, scenario)
    assert " · saved" not in refused
    assert codings_in_file(study_path) == expected


def test_watching_the_file_leaves_sqlites_locks_alone(study_path: Path):
    """Looking at the file once a second must not open it: closing a handle would drop the locks the
    app's connection holds, and another program closing the study would delete the -wal in use."""
    script = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT 1 FROM events').fetchall(); c.close()"
    )

    async def scenario(app, pilot):
        await pilot.pause(2.2)  # two looks at the file
        subprocess.run([sys.executable, "-c", script, str(study_path)], check=True)
        wal_kept = Path(f"{study_path}-wal").exists()
        start, end = await select_second_turn(app, pilot)
        await pilot.press("2")
        await wait_for(pilot, lambda: "coded Technology" in status_text(app), "the coding")
        return wal_kept, (start, end)

    wal_kept, (start, end) = run_workbench(study_path, scenario)
    assert wal_kept
    assert ("informant_1", start, end, "Technology") in {c[:4] for c in codings_in_file(study_path)}


def test_the_workbench_command_ends_with_a_failure_status_when_work_was_not_saved(study_path: Path, tmp_path: Path):
    from tmux_terminal import TmuxTerminal, board_built

    status = tmp_path / "status"
    terminal = TmuxTerminal(
        f"sh -c '{WORKBENCH} open {study_path}; echo $? > {status}'",
        prefix="wb-fault",
        env={"TEXTUAL_ANIMATIONS": "none"},
    )
    try:
        terminal.wait(board_built, timeout=15)  # the quote board is built
        terminal.keys("}", "t")
        with write_lock_held(study_path):
            terminal.keys("2")
            terminal.wait_for("waiting for the study", timeout=10)
            terminal.keys("q")
            terminal.wait_for("Confirm")
            terminal.keys("y")
            terminal.wait_until_gone()
    finally:
        terminal.close()
    assert status.read_text().strip() == "1"


# -- the work reaches the study file itself, not only its -wal ------------------------------------


def codings_in_a_plain_copy(path: Path, folder: Path) -> int:
    """The codings a plain `cp` of the study file alone (no -wal) would hold. The copy is made by
    another process: opening and closing the file here would drop the app's SQLite locks."""
    copy = folder / "copied.db"
    subprocess.run(
        [sys.executable, "-c", "import shutil, sys; shutil.copyfile(sys.argv[1], sys.argv[2])", str(path), str(copy)],
        check=True,
    )
    with closing(sqlite3.connect(copy)) as db:
        return db.execute("SELECT count(*) FROM codings").fetchone()[0]


def test_a_coding_reaches_the_study_file_itself_after_a_quiet_moment(study_path: Path, tmp_path: Path):
    before = codings_in_a_plain_copy(study_path, tmp_path)

    async def scenario(app, pilot):
        await select_second_turn(app, pilot)
        await pilot.press("2")
        await wait_for(pilot, lambda: " · saved" in status_text(app), "the coding to be saved")
        just_after = codings_in_a_plain_copy(study_path, tmp_path)
        await wait_for(
            pilot,
            lambda: codings_in_a_plain_copy(study_path, tmp_path) == before + 1,
            "a plain copy of the study file to hold the coding",
            timeout=8,
        )
        return just_after

    just_after = run_workbench(study_path, scenario)
    assert just_after == before  # at first only in the -wal: the flush is what put it in the file
