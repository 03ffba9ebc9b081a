"""Coming back to a study: the place each coder left it, the list of recent studies, reopening the
demo copy, and what the command line says on the way out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from conftest import run_workbench, wait_for

from workbench.cli import main
from workbench.study import Study
from workbench.study.recent import KEEP, last_study, note_opened, recent_file, recent_studies
from workbench.study.view_state import ViewState, remember_view, remembered_view

WORKBENCH = Path(sys.executable).parent / "workbench"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


# -- the place, per coder ------------------------------------------------------------------------


def test_each_coder_gets_back_their_own_place_and_it_is_not_an_undoable_change(study_path: Path):
    with Study.open(study_path, coder="ann") as study:
        events = len(study.events())
        assert remember_view(study, ViewState(transcript="informant_3", cursor=120, group_by="size"))
        assert len(study.events()) == events  # not in the audit trail, so u never undoes a cursor move
    with Study.open(study_path, coder="ben") as study:
        assert remembered_view(study) == ViewState()  # ben has not been here
        remember_view(study, ViewState(transcript="informant_5", where={"cluster": ["A"]}))
    with Study.open(study_path, coder="ann") as study:
        assert remembered_view(study) == ViewState(transcript="informant_3", cursor=120, group_by="size")
    with Study.open(study_path, coder="ben") as study:
        assert remembered_view(study).where == {"cluster": ["A"]}


def test_an_unreadable_place_is_forgotten_not_fatal(study_path: Path):
    with Study.open(study_path, coder="ann") as study:
        study.set_setting("view/ann", "{not json")
        assert remembered_view(study) == ViewState()
        study.set_setting("view/ann", json.dumps({"cursor": -5, "unknown": 1, "transcript": "informant_2"}))
        assert remembered_view(study) == ViewState(transcript="informant_2", cursor=0)


def test_the_workbench_reopens_where_it_was_left(study_path: Path):
    async def leave(app, pilot):
        screen = app.screen
        screen.open_transcript("informant_4")
        screen.transcript_view.move_cursor(700)
        screen.group_by = "size"
        screen.where = {"cluster": {"B"}}
        screen.refresh_board()
        await wait_for(pilot, lambda: screen.board.count > 0, "the filtered board")
        second = screen.board.entries()[1].id
        screen.board.highlight(second)
        screen.action_focus_pane("board")
        await pilot.pause()
        await app.action_quit()
        return second

    card = run_workbench(study_path, leave)

    async def back(app, pilot):
        screen = app.screen
        await wait_for(pilot, lambda: screen.transcript_view.cursor == 700, "the cursor where it was")
        await wait_for(pilot, lambda: screen.focused is not screen.transcript_view, "the pane it was in")
        quote = screen.board.highlighted_quote
        return screen.transcript_name, screen.group_by, screen.where, quote.id if quote else None, screen.focused

    name, group_by, where, highlighted, focused = run_workbench(study_path, back)
    assert (name, group_by, where, highlighted) == ("informant_4", "size", {"cluster": {"B"}}, card)
    assert focused is not None and "quote-board-list" == focused.id


def test_a_place_in_a_transcript_that_is_gone_opens_the_first(study_path: Path):
    with Study.open(study_path, coder="pilot") as study:
        remember_view(study, ViewState(transcript="no_such_interview", cursor=10**9, group_by="no_such_key"))

    async def look(app, pilot):
        return app.screen.transcript_name, app.screen.group_by

    assert run_workbench(study_path, look) == ("informant_1", None)


# -- recent studies ------------------------------------------------------------------------------


def test_recent_studies_newest_first_without_repeats_and_limited(tmp_path: Path):
    for i in range(KEEP + 3):
        note_opened(tmp_path / f"s{i}.db")
    note_opened(tmp_path / "s5.db")
    paths = [s.path.name for s in recent_studies()]
    assert paths[0] == "s5.db" and len(paths) == KEEP and len(set(paths)) == KEEP
    assert all(s.path.is_absolute() for s in recent_studies())
    recent_file().write_text("[broken", encoding="utf-8")
    assert recent_studies() == [] and last_study() is None


def test_open_without_a_study_reopens_the_last_one_or_says_what_to_do(tmp_path: Path, study_path: Path):
    result = run("open")
    assert result.exit_code == 1 and "no study opened yet" in result.output
    note_opened(study_path)
    listed = run("recent")
    assert listed.exit_code == 0 and str(study_path.resolve()) in listed.output
    study_path.rename(tmp_path / "moved.db")
    gone = run("open")
    assert gone.exit_code == 1 and "no longer there" in gone.output and str(study_path) in gone.output
    assert "(no longer there)" in run("recent").output


def test_workbench_alone_off_a_terminal_shows_help_and_the_recent_studies(study_path: Path):
    note_opened(study_path)
    result = run()
    assert result.exit_code == 0 and "Usage:" in result.output
    assert "Studies opened lately" in result.output and str(study_path.resolve()) in result.output


def test_demo_reopens_the_existing_copy_unless_fresh():
    first = run("demo", "--no-open")
    assert first.exit_code == 0, first.output
    created = Path(first.stdout.strip().splitlines()[-1])
    with Study.open(created, coder="me") as study:
        study.code("informant_2", "Technology", 0, 20)
    again = run("demo", "--no-open")
    assert Path(again.stdout.strip().splitlines()[-1]) == created
    assert "reopening your demo copy" in again.stderr
    fresh = run("demo", "--no-open", "--fresh")
    new = Path(fresh.stdout.strip().splitlines()[-1])
    assert new != created and new.exists() and created.exists()
    with Study.open(created) as study:
        assert any(q.coder == "me" for q in study.quotes())


# -- exit codes and piped output -----------------------------------------------------------------


def test_a_folder_or_a_bad_command_line_is_one_line_and_status_1(tmp_path: Path):
    for args in (["open", tmp_path], [tmp_path], ["stats", tmp_path], ["quotes"], ["stats", "--bogus", "x"]):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, result.output)


def test_piped_output_is_not_wrapped_at_80_columns(study_path: Path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(study_path.parent)}
    piped = subprocess.run(
        [str(WORKBENCH), "quotes", str(study_path)], capture_output=True, text=True, env=env, check=True
    ).stdout
    longest = max(len(line) for line in piped.splitlines())
    assert longest > 120  # a card's heading with every attribute, and long comments, on one line each
    comment = next(line for line in piped.splitlines() if line.strip().startswith("comment:"))
    with Study.open(study_path) as study:
        assert any(q.comment and " ".join(q.comment.split()) in comment for q in study.quotes())


def test_a_group_without_its_subcommand_shows_its_help_with_status_2():
    result = run("codebook")
    assert result.exit_code == 2 and "Commands:" in result.output and "load" in result.output


def test_the_remembered_cursor_is_on_screen_after_reopening(study_path: Path):
    """The cursor deep in a transcript comes back in view (not only as a number), at 80x24 too."""
    with Study.open(study_path, coder="pilot") as study:
        text = study.transcript_text("informant_1")
        deep = text.index("agreement", len(text) // 2)
        remember_view(study, ViewState(transcript="informant_1", cursor=deep, pane="transcript"))

    async def back(app, pilot):
        view = app.screen.transcript_view
        await wait_for(pilot, lambda: view.cursor == deep, "the cursor where it was")
        await wait_for(pilot, lambda: view.scroll_offset.y > 0, "the transcript scrolled to the cursor")
        return view.cursor_in_view()

    for size in [(80, 24), (120, 34)]:
        assert run_workbench(study_path, back, size=size), f"the cursor is off screen at {size}"
