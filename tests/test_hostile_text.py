"""A study with terminal-hostile text in every field, through every screen, dialog and command.

The study (tests/hostile_study.py) holds escape sequences, C1 controls, bidi overrides, invisible
format characters and Rich markup in theme names and descriptions, case attributes, transcript
names and text, speaker names, memos, comments, trims, coder names and settings. What the
workbench writes to the terminal must carry none of them raw:

- the terminal workbench, driven with Pilot through every screen and dialog: every segment of
  text Textual would write for the screen (the compositor's full frame) is checked;
- the same walk in a real terminal (tmux), where the bytes the program writes are checked;
- every command of the command line, found by walking ``workbench.cli.main``.
"""

from __future__ import annotations

import asyncio
import io
import re
from pathlib import Path

import pytest
from conftest import open_workbench, wait_for
from hostile_study import CASE, NAME, PAYLOAD, THEME, TRANSCRIPT_MD, build_hostile_study, unsafe_characters
from rich.console import Console

from workbench.study import Study


@pytest.fixture(scope="module")
def hostile_template(tmp_path_factory) -> Path:
    """The hostile study, built once for the module (copied before a test changes it)."""
    path = build_hostile_study(tmp_path_factory.mktemp("hostile"))
    Study.open(path).close()
    return path


@pytest.fixture
def hostile_study(hostile_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the hostile study, with the files it was built from beside it."""
    import shutil

    from conftest import copy_study

    shutil.copytree(hostile_template.parent / "files", tmp_path / "files")
    return copy_study(hostile_template, tmp_path / hostile_template.name)


# -- the terminal workbench under Pilot -----------------------------------------------------------


def frame_problems(app) -> list[str]:
    """What the whole frame on the terminal now would carry raw: unsafe characters in the text of
    any segment, and any hyperlink (Rich markup or a Markdown link from the study made live)."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        legacy_windows=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    problems = []
    lines = [""]
    for segment in console.render(update):
        if segment.control:  # the compositor moves the cursor to the start of each line
            lines.append("")
            continue
        lines[-1] += segment.text
        bad = unsafe_characters(segment.text)
        if bad:
            problems.append(f"{sorted(map(hex, map(ord, bad)))} in {segment.text!r}")
        if segment.style is not None and segment.style.link:
            problems.append(f"a link to {segment.style.link!r} on {segment.text!r}")
    for line in lines:  # the payloads hold "[bold]B" after the C1 CSI ("31m") and four format characters
        problems += [f"markup read in {line!r}" for _ in re.finditer("31m\ufffd{4}B", line)]
    return problems


class Walk:
    """Steps through the workbench, checking the frame after each step; remembers what it saw."""

    def __init__(self, app, pilot):
        self.app, self.pilot = app, pilot
        self.visited: list[str] = []
        self.problems: dict[str, list[str]] = {}

    async def check(self, name: str) -> None:
        await self.pilot.pause()
        await self.pilot.pause()
        self.visited.append(name)
        found = frame_problems(self.app)
        if found:
            self.problems[name] = found

    async def open(self, name: str, *keys: str, screen: str | None = None) -> None:
        """Press ``keys``; wait until a screen named ``screen`` is on top; check the frame."""
        await self.pilot.press(*keys)
        if screen is not None:
            await wait_for(self.pilot, lambda: type(self.app.screen).__name__ == screen, f"{screen} after {keys}")
        await self.check(name)

    async def back_to_coding(self) -> None:
        for _ in range(4):
            if type(self.app.screen).__name__ == "CodingScreen":
                return
            await self.pilot.press("escape")
            await self.pilot.pause()
        assert type(self.app.screen).__name__ == "CodingScreen"


async def walk_everything(app, pilot) -> Walk:
    """Every screen and dialog of the workbench, on the hostile study."""
    from workbench.tui.screens.dialogs import ChoiceDialog
    from workbench.tui.widgets.quote_board import QuoteBoard

    walk = Walk(app, pilot)
    coding = app.screen
    # the coding screen: the first transcript, its codings under the cursor, the status line
    await walk.check("coding screen: transcript, palette, board, status line")
    coding.show_passage(
        TRANSCRIPT_MD,
        coding.study.transcript_text(TRANSCRIPT_MD).index("We trust"),
        coding.study.transcript_text(TRANSCRIPT_MD).index("We trust") + 10,
    )
    await walk.check("coding screen: a coded passage selected, its themes in the status line")
    await walk.open("help (F1)", "f1", screen="HelpDialog")
    await walk.back_to_coding()
    await walk.open("command palette (ctrl+p)", "ctrl+p", screen="CommandPalette")
    await pilot.press(*"memo")
    await walk.check("command palette, filtered")
    await walk.back_to_coding()
    await walk.open("transcript list (o)", "o", screen="ChoiceDialog")
    await walk.back_to_coding()
    # the second transcript (subtitles: hostile speaker names)
    coding.open_transcript(app.study.transcripts()[1].name)
    await walk.check("coding screen: the subtitles transcript")
    coding.open_transcript(TRANSCRIPT_MD)
    coding.show_passage(
        TRANSCRIPT_MD,
        coding.study.transcript_text(TRANSCRIPT_MD).index("We trust"),
        coding.study.transcript_text(TRANSCRIPT_MD).index("We trust") + 10,
    )
    await walk.open("theme picker (c)", "c", screen="ThemePickerDialog")
    await pilot.press(*"new name")
    await walk.check("theme picker offering a new theme under a hostile parent")
    await walk.back_to_coding()
    await walk.open("which coding? (x on several codings, asked in the status line)", "x")
    assert coding.status.choosing is not None, "x on several codings asks which"
    await pilot.press("escape")
    await walk.open("recode: which coding? (R, asked in the status line)", "R")
    assert coding.status.choosing is not None, "R on several codings asks which"
    await pilot.press("1")
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, ChoiceDialog) and "Change" in str(app.screen._title),
        "the recode theme list",
    )
    await walk.check("recode: the themes (R)")
    await walk.back_to_coding()
    await walk.open("memo on… (ctrl+e)", "ctrl+e", screen="ChoiceDialog")
    await pilot.press("down")
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "TextDialog", "the memo editor")
    await walk.check("memo editor (transcript memo)")
    await walk.back_to_coding()
    await pilot.press("ctrl+e", "down", "down", "enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "TextDialog", "the case memo editor")
    await walk.check("memo editor (case memo)")
    await walk.back_to_coding()
    await walk.open("search the transcript (/)", "slash", screen="TextDialog")
    await walk.back_to_coding()
    # the theme palette's dialogs
    await pilot.press("f3")
    coding.palette.highlight(coding.study.theme(THEME).id)
    await walk.check("theme palette, hostile theme highlighted")
    for key, name, screen in (
        ("a", "new theme", "TextDialog"),
        ("A", "new sub-theme", "TextDialog"),
        ("r", "rename theme", "TextDialog"),
        ("C", "theme colour", "ChoiceDialog"),
        ("m", "move theme", "ChoiceDialog"),
        ("M", "merge theme", "ChoiceDialog"),
        ("d", "delete theme (confirm)", "ConfirmDialog"),
        ("e", "theme description", "TextDialog"),
        ("n", "theme memo", "TextDialog"),
    ):
        await walk.open(f"{name} ({key})", key, screen=screen)
        await walk.back_to_coding()
        await pilot.press("f3")
    await pilot.press("C")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ChoiceDialog", "the colour list")
    await pilot.press("end")
    await pilot.press(*"other")
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "TextDialog", "the colour field")
    await walk.check("theme colour, typed (C, other…)")
    await walk.back_to_coding()
    # the quote board and its dialogs
    await pilot.press("f4")
    board = coding.query_one(QuoteBoard)
    await walk.check("quote board focused")
    for key, name, screen in (
        ("c", "quote comment", "TextDialog"),
        ("e", "trim the quote", "TrimDialog"),
        ("f", "filter the board", "ChoiceDialog"),
        ("slash", "search the quotes", "TextDialog"),
    ):
        await pilot.press("f4") if app.focused is None or board not in app.focused.ancestors_with_self else None
        await walk.open(f"{name} ({key})", key, screen=screen)
        await walk.back_to_coding()
        await pilot.press("f4")
    await walk.open("grouping picker (g)", "g", screen="ChoiceDialog")
    await pilot.press("down", "enter")
    await walk.check("quote board grouped by the first attribute (g)")
    await walk.open("grouping picker again (g)", "g", screen="ChoiceDialog")
    await pilot.press("down", "down", "down", "enter")
    await walk.check("quote board grouped by another attribute (g)")
    # the views over the whole study
    await walk.open("chapter preview (E)", "E", screen="ChapterPreviewScreen")
    await walk.open("chapter Markdown (r)", "r")
    await walk.open("chapter: write to (w)", "w", screen="TextDialog")
    await walk.back_to_coding()
    await walk.open("framework matrix (F5)", "f5", screen="FrameworkMatrixScreen")
    await pilot.press("enter")
    await walk.check("framework matrix: the quotes of a cell")
    await pilot.press("b")
    await walk.check("framework matrix by an attribute (b)")
    await pilot.press("b", "b")
    await walk.check("framework matrix by another attribute (b)")
    await walk.open("charts: heat map (c)", "c", screen="ChartScreen")
    for key, name in (
        ("v", "heat map of shares"),
        ("b", "heat map by the next attribute"),
        ("2", "bars"),
        ("b", "bars by the next attribute"),
        ("3", "co-occurrence"),
        ("4", "saturation"),
        ("o", "saturation in another order"),
    ):
        await pilot.press(key)
        await walk.check(f"charts: {name} ({key})")
    await pilot.press("escape")
    await walk.open("framework matrix: columns (B)", "B", screen="ChoiceDialog")
    await walk.back_to_coding()
    await walk.open("agreement: which coders? (F6)", "f6", screen="ChoiceDialog")
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "DisagreementsScreen", "the disagreements")
    await wait_for(pilot, lambda: app.screen.report is not None, "the agreement report")
    await walk.check("disagreements (F6)")
    await pilot.press("n")
    await walk.check("disagreements: the next one")
    await walk.back_to_coding()
    await walk.open("review list (F7)", "f7", screen="ChoiceDialog")
    await pilot.press("enter")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "ConfirmDialog", "the review question")
    await walk.check("review: keep the coding? (F7)")
    await walk.back_to_coding()
    # the search across transcripts: hits in context, counts per transcript, the code-all picker
    await walk.open("search every transcript (ctrl+f)", "ctrl+f", screen="SearchScreen")
    app.screen.query_one("#search-query").value = "trust"
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen.request is not None and not app.screen.searching, "the search")
    await walk.check("search: hits in context")
    await walk.open("search: code all hits with (a)", "a", screen="ThemePickerDialog")
    await walk.back_to_coding()
    # a toast that names study text: a search that finds nothing
    await pilot.press("f2", "slash")
    await wait_for(pilot, lambda: type(app.screen).__name__ == "TextDialog", "the search field")
    app.screen.query_one("#text").value = f"nothing {NAME}"
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen.query("Toast"), "the toast")
    await walk.check("a toast naming study text")
    return walk


def test_no_screen_or_dialog_writes_study_text_raw(hostile_study: Path):
    async def main():
        async with open_workbench(hostile_study, (120, 34), notifications=True) as (app, pilot):
            return await walk_everything(app, pilot)

    walk = asyncio.run(main())
    print(f"checked {len(walk.visited)} screens and dialogs")
    assert not walk.problems, "\n".join(f"{where}: {found[:3]}" for where, found in walk.problems.items())
    assert len(walk.visited) >= 40


# -- every command of the command line ------------------------------------------------------------


def leaf_commands(group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The words of every command that runs something, found by walking the command tree."""
    import click

    found = []
    for name in sorted(group.list_commands(None)):
        command = group.get_command(None, name)
        if isinstance(command, click.Group):
            found += leaf_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


def hostile_invocations(study: Path, work: Path) -> dict[tuple[str, ...], list[list[str]]]:
    """For every command, invocations on the hostile study (and files with the payloads) that
    print study text, in an order where each finds what it needs (a chapter to verify, a
    snapshot to restore, a change to undo)."""
    import csv

    from conftest import copy_study
    from hostile_study import CODER_A, CODER_B, TRANSCRIPT_VTT

    files = study.parent / "files"
    with Study.open(study) as s:
        coding = s.quotes(theme=THEME)[0].id
        flagged = next(q.id for q in s.quotes() if q.transcript == TRANSCRIPT_VTT)
    small_codebook = work / "small.yaml"
    small_codebook.write_text("themes:\n  - name: Technology\n", encoding="utf-8")
    highlights = work / f"highlights{NAME}.csv"
    with highlights.open("w", newline="", encoding="utf-8") as out:
        rows = [
            ["id", "document", "tag", "content"],
            ["1", TRANSCRIPT_MD, f"tag{NAME}", "We trust the people."],
            ["2", f"missing{NAME}", f"tag{NAME}", f"not there {PAYLOAD}"],
        ]
        csv.writer(out).writerows(rows)
    pseudonyms = work / "map.yaml"
    pseudonyms.write_text('"Member": "Person A"\n', encoding="utf-8")
    notes = work / f"notes{NAME}.txt"
    notes.write_text(f"Chair: the words {NAME}.\n\nMember: yes.\n" + "More words here. " * 40, encoding="utf-8")
    chapter = work / f"chapter{NAME}.md"
    other = copy_study(study, work / "other.db")
    with Study.open(other, coder=f"carl{NAME}") as s:
        s.code(TRANSCRIPT_MD, THEME, 0, 30)
    at = str(study)
    from workbench.study.recent import note_opened

    note_opened(work / f"opened{NAME}.db")
    return {
        ("init",): [[f"{work}/new{NAME}.db"]],
        ("import",): [
            [
                f"{work}/fresh.db",
                str(files / f"{TRANSCRIPT_MD}.md"),
                str(files / f"{TRANSCRIPT_VTT}.vtt"),
                "--cases",
                str(files / "cases.yaml"),
            ],
            [at, str(files / f"{TRANSCRIPT_MD}.md")],
        ],
        ("transcripts",): [[at]],
        ("case", "set"): [[at, CASE, f"mood{NAME}=calm{NAME}"]],
        ("case", "list"): [[at]],
        ("codebook", "load"): [[at, str(small_codebook)], [at, str(files / "codebook.yaml")]],
        ("codebook", "export"): [[at], [at, "-o", str(work / f"book{NAME}.yaml")]],
        ("codebook", "check"): [[str(files / "codebook.yaml")]],
        ("code",): [[at, TRANSCRIPT_MD, THEME, "--text", "We trust the people.", "--comment", PAYLOAD]],
        ("quotes",): [[at]],
        ("search",): [
            [at, "the"],
            [at, "the", "--json"],
            [at, "trust", "--code", THEME, "--unit", "sentence", "--dry-run"],
        ],
        ("select",): [[at, str(coding), "--comment", PAYLOAD]],
        ("stats",): [[at], [at, "--by", "size"], [at, "--by", f"cluster{NAME}"]],
        ("memo",): [
            [at],
            [at, "--on", "theme", "--target", THEME],
            [at, "--on", "case", "--target", CASE],
            [at, "--on", "transcript", "--target", TRANSCRIPT_MD, "--text", PAYLOAD],
        ],
        ("demo",): [["--path", f"{work}/demo{NAME}.db", "--no-open"]],
        ("export", "chapter"): [[at, "-o", "-"], [at, "-o", str(chapter)]],
        ("export", "quotes"): [[at], [at, "-o", str(work / f"quotes{NAME}.csv")]],
        ("export", "qdpx"): [[at, "-o", str(work / f"study{NAME}.qdpx")]],
        ("export", "qdc"): [[at, "-o", str(work / f"book{NAME}.qdc")]],
        ("verify",): [[at, str(chapter)]],
        ("matrix",): [[at], [at, "--by", "size"], [at, "--by", f"cluster{NAME}"]],
        ("cooccurrence",): [[at], [at, "--unit", "turn"]],
        ("chart",): [
            [at, "matrix"],
            [at, "matrix", "--by", f"cluster{NAME}", "--share", "--svg", str(work / f"matrix{NAME}.svg")],
            [at, "bars", "--by", "size"],
            [at, "cooccurrence", "--unit", "turn"],
            [at, "saturation"],
            [at, "saturation", "--order", f"cluster{NAME}", "--json"],
        ],
        ("coverage",): [[at]],
        ("agreement",): [
            [at, "--coders", f"{CODER_A},{CODER_B}"],
            [at, "--coders", f"{CODER_A},{CODER_B}", "--unit", "turn"],
        ],
        ("merge",): [[at, str(other)]],
        ("import-highlights",): [[at, str(highlights), "--coder", f"dora{NAME}"]],
        ("review",): [[at]],
        ("reviewed",): [[at, str(flagged)]],
        ("reimport",): [
            [at, str(files / "changed" / f"{TRANSCRIPT_VTT}.vtt")],
            [at, str(notes), "--name", TRANSCRIPT_VTT, "--pseudonyms", str(pseudonyms)],
        ],
        ("uncode",): [[at, str(coding)]],
        ("log",): [[at], [at, "--limit", "0"]],
        ("undo",): [[at]],
        ("redo",): [[at]],
        ("backup",): [[at]],
        ("backups",): [[at]],
        ("restore",): [[at, "1", "--yes"]],
        ("anonymise", "check"): [[str(pseudonyms), str(notes)]],
        ("anonymise", "apply"): [[str(pseudonyms), str(notes), "-o", str(work / f"anon{NAME}.txt")]],
        ("anonymise", "purge-snapshots"): [[at, str(pseudonyms), "--yes"]],
        ("open",): [],  # the terminal workbench itself: the walks above
        ("recent",): [[]],  # lists the study at a hostile path (noted as opened above)
        ("completion",): [["bash"]],  # the script only; the names it offers: test_completion.py
    }


def run_cli(args: list[str], *, terminal: bool, monkeypatch) -> tuple[int, str]:
    """Run a command in-process; ``terminal``: as if standard output were a terminal. Returns the
    exit code and everything written to standard output and error (escape codes are kept)."""
    from click.testing import CliRunner

    from workbench.cli import base, main

    monkeypatch.setattr(base, "stdout_is_terminal", lambda: terminal, raising=False)
    result = CliRunner().invoke(main, args, env={"COLUMNS": "200", "WORKBENCH_CODER": f"eve{NAME}"}, color=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_no_command_prints_study_text_raw(hostile_study: Path, tmp_path: Path, monkeypatch):
    from workbench.cli import main

    commands = leaf_commands(main)
    invocations = hostile_invocations(hostile_study, tmp_path)
    assert not set(commands) - set(invocations), "every command needs an invocation in hostile_invocations"
    invocations = {words: runs for words, runs in invocations.items() if words in commands}  # of this tree
    problems, ran = {}, 0
    for words, runs in invocations.items():
        for args in runs:
            code, output = run_cli([*words, *args], terminal=True, monkeypatch=monkeypatch)
            ran += 1
            bad = unsafe_characters(output)
            if bad:
                problems[" ".join(words)] = f"exit {code}: {sorted(map(hex, map(ord, bad)))} in {output[:300]!r}"
    print(f"ran {ran} invocations of {len([w for w, r in invocations.items() if r])} commands")
    assert not problems, "\n".join(f"{words}: {found}" for words, found in problems.items())


def test_json_output_escapes_the_rule_and_reads_back_to_the_stored_text(
    hostile_study: Path, tmp_path: Path, monkeypatch
):
    import json

    from workbench.cli import main

    def takes_json(words: tuple[str, ...]) -> bool:
        command = main
        for word in words:
            command = command.get_command(None, word)
        return any(param.name == "as_json" for param in command.params)

    tree = leaf_commands(main)
    commands = {
        words: runs
        for words, runs in hostile_invocations(hostile_study, tmp_path).items()
        if runs and words in tree and takes_json(words)
    }
    print(f"--json: {len(commands)} commands")
    assert len(commands) >= 20
    for words, runs in commands.items():
        code, output = run_cli([*words, *runs[0], "--json"], terminal=True, monkeypatch=monkeypatch)
        assert not unsafe_characters(output), f"{words}: {output[:300]!r}"
        if code == 0:
            json.loads(output)
    code, output = run_cli(["case", "list", str(hostile_study), "--json"], terminal=True, monkeypatch=monkeypatch)
    assert "\\u202e" in output and "\\u009b" in output and "\\u001b" in output
    with Study.open(hostile_study) as study:
        assert json.loads(output) == study.cases()


def test_data_on_standard_output_is_exact_into_a_file_or_a_pipe(hostile_study: Path, monkeypatch):
    with Study.open(hostile_study) as study:
        memo = study.memo("case", CASE)
    for terminal in (False, True):
        _code, output = run_cli(
            ["memo", str(hostile_study), "--on", "case", "--target", CASE], terminal=terminal, monkeypatch=monkeypatch
        )
        if terminal:
            assert not unsafe_characters(output) and "␛]0;PWNED-TITLE␇" in output
        else:
            assert output == memo + "\n"
    _code, piped = run_cli(["export", "quotes", str(hostile_study)], terminal=False, monkeypatch=monkeypatch)
    assert PAYLOAD in piped
    _code, shown = run_cli(["export", "quotes", str(hostile_study)], terminal=True, monkeypatch=monkeypatch)
    assert not unsafe_characters(shown) and len(shown.splitlines()) == len(piped.splitlines())


def run_in_terminal(*args: str) -> bytes:
    """The bytes the installed command writes to a real terminal (a pseudo-terminal's other end)."""
    import os
    import subprocess
    import sys

    workbench = Path(sys.executable).parent / "workbench"
    leader, follower = os.openpty()
    try:
        process = subprocess.Popen(
            [str(workbench), *args],
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env={**os.environ, "COLUMNS": "200", "TERM": "xterm-256color"},
        )
        os.close(follower)
        output = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the other end closed: the program has ended
                break
            if not chunk:
                break
            output += chunk
        assert process.wait(timeout=60) == 0, output
        return output
    finally:
        os.close(leader)


@pytest.mark.parametrize(
    "command",
    [
        ["memo", "STUDY", "--on", "case", "--target", CASE],
        ["export", "quotes", "STUDY"],
        ["codebook", "export", "STUDY"],
        ["log", "STUDY"],
    ],
)
def test_data_printed_on_a_real_terminal_is_safe(hostile_study: Path, command: list[str]):
    output = run_in_terminal(*(str(hostile_study) if word == "STUDY" else word for word in command))
    text = output.decode("utf-8")
    shown = [line for line in text.splitlines() if "PWNED" in line]
    assert shown, text
    for line in shown:  # Rich's own colour codes may stand around them; the study's never reach the terminal
        assert "\x1b]" not in line and "\x1b[2J" not in line, repr(line)
        assert not set(line) & set("\x9b\u202e\u2066\x07"), repr(line)


# -- control characters brought in by attributes are reported like those in a transcript -------------


def test_front_matter_and_case_file_attributes_with_control_characters_are_warned_about(tmp_path: Path):
    from hostile_study import write_files

    files = write_files(tmp_path / "files")
    with Study.create(tmp_path / "study.db") as study:
        report = study.import_files([files["markdown"], files["subtitles"]], files["cases"])
    front_matter = [w for w in report.warnings if "front matter" in w]
    cases = [w for w in report.warnings if "case attributes" in w]
    # the Markdown file: case, size and a key each carry NAME's 4 C0/C1 controls (ESC, BEL, ESC, CSI)
    assert front_matter == [f"{files['markdown']}: front matter contains 12 control character(s); kept as they are"]
    # the cases file: a key, its value and the size of the subtitles transcript (4 + 6 + 4)
    assert cases == [f"{files['cases']}: case attributes contain 14 control character(s); kept as they are"]


def test_attributes_without_control_characters_bring_no_warning(tmp_path: Path):
    transcript = tmp_path / "informant_9.md"
    transcript.write_text('---\nsize: small\nrole: "IT \\u00e9tudes"\n---\nInterviewer: Hello.\n', encoding="utf-8")
    cases = tmp_path / "cases.yaml"
    cases.write_text("informant_9: {cluster: B}\n", encoding="utf-8")
    with Study.create(tmp_path / "study.db") as study:
        assert study.import_files([transcript], cases).warnings == []


# -- the terminal workbench in a real terminal: the bytes it writes ---------------------------------


def terminal_problems(output: bytes) -> list[str]:
    """What in the bytes a program wrote to its terminal came from hostile text: an OSC, DCS,
    APC, PM or SOS sequence (Textual writes none of them on these screens), a bell, a CSI that
    erases the screen, a C1 control (as a UTF-8 code point or a raw byte), a bidi control."""
    import re

    text = output.decode("utf-8", errors="surrogateescape")
    text = re.sub(r"\x1b\]22;[a-z-]+\x07", lambda m: "." * len(m.group()), text)  # Textual's mouse pointer shape
    found = [
        f"{match.group()!r} at {match.start()}"
        for match in re.finditer(
            r"\x1b[\]P_^X][^\x07\x1b]{0,40}|\x07|\x1b\[2J|[\x80-\x9f\u202a-\u202e\u2066-\u2069]"
            r"|[\udc80-\udc9f]",
            text,
        )
    ]  # the last: a raw C1 byte, outside UTF-8 (surrogateescape)
    return found


def test_the_bytes_written_to_a_real_terminal_carry_no_study_text_raw(hostile_study: Path, tmp_path: Path):
    import re
    import shlex
    import shutil
    import time

    from tmux_terminal import WORKBENCH, TmuxTerminal, board_built

    if shutil.which("script") is None:
        pytest.fail("`script` (util-linux) is needed to record what the program writes")
    typescript = tmp_path / "typescript"
    launcher = tmp_path / "launch.sh"  # the study's name holds ESC and BEL: read from a file, not a command line
    (tmp_path / "study-path").write_bytes(bytes(hostile_study))
    launcher.write_text(f'#!/bin/sh\nexec {WORKBENCH} open "$(cat {tmp_path / "study-path"})"\n', encoding="utf-8")
    launcher.chmod(0o755)
    term = TmuxTerminal(
        f"script -q -f -c {shlex.quote(str(launcher))} {typescript}",
        env={"WORKBENCH_CODER": "tmux", "TEXTUAL_ANIMATIONS": "none", "TERM": "xterm-256color"},
    )
    visited: list[tuple[str, int]] = []
    missed: list[str] = []  # steps whose screen did not appear (raw text may have wiped it)

    def step(name: str, *keys: str, shows: str | None = None, typed: str = "") -> None:
        term.keys(*keys)
        if typed:
            term.tmux("send-keys", "-t", term.name, "-l", typed)
            time.sleep(0.2)
        if shows is not None:
            try:
                term.wait(lambda screen: re.search(shows, screen), timeout=15)
            except AssertionError:
                missed.append(name)
        time.sleep(0.3)
        visited.append((name, typescript.stat().st_size))

    try:
        term.wait(board_built, timeout=20)
        visited.append(("coding screen", typescript.stat().st_size))
        step("search the transcript", "/", shows="Search the transcript", typed="We trust")
        step("a coded passage under the cursor", "Enter")
        step("help (F1)", "F1", shows="esc/F1/q: close")
        step("back", "Escape")
        step("command palette (ctrl+p)", "C-p", shows="key: \\^e", typed="memo")
        step("back", "Escape")
        step("transcript list (o)", "o", shows="Open transcript")
        step("back", "Escape")
        step("which coding? (x)", "x", shows="remove which coding")
        step("back", "Escape")
        step("select a turn, theme picker (c)", "t", "c", shows="Apply theme", typed="new name")
        step("back", "Escape")
        step("memo on… (ctrl+e)", "C-e", shows="Memo on")
        step("memo editor", "Down", "Enter", shows="ctrl\\+s: save")
        step("back", "Escape")
        step("theme palette (F3)", "F3", "Home")
        for key, shows in (
            ("a", "New theme"),
            ("r", "Rename"),
            ("e", "Description of"),
            ("n", "Memo on"),
            ("C", "Colour of"),
            ("m", "Move"),
            ("M", "Merge"),
            ("d", "Confirm"),
        ):
            step(f"theme dialog ({key})", key, shows=shows)
            step("back", "Escape")
            term.keys("F3")
        step("quote board (F4)", "F4")
        for key, shows in (("c", "Comment"), ("e", "Trim the quote"), ("f", "Show only cases")):
            step(f"board dialog ({key})", key, shows=shows)
            step("back", "Escape")
            term.keys("F4")
        step("grouping picker (g)", "g", shows="Group the quotes by")
        step("board grouped (g)", "Down", "Enter")
        step("grouping picker (g)", "g", shows="Group the quotes by")
        step("board grouped by another attribute (g)", "Down", "Down", "Down", "Enter")
        step("chapter preview (E)", "E", shows="Chapter preview")
        step("chapter Markdown (r)", "r")
        step("write the chapter (w)", "w", shows="Write the chapter to")
        step("back", "Escape", "q")
        step("framework matrix (F5)", "F5", shows="Framework matrix")
        step("quotes of a cell", "Enter", shows="quote\\(s\\)")
        step("matrix by an attribute (b)", "b")
        step("charts (c)", "c", shows="Heat map")
        step("saturation (4)", "4", shows="Saturation")
        step("back", "Escape")
        step("matrix columns (B)", "B", shows="Columns of the matrix")
        step("back", "Escape", "q")
        step("which coders? (F6)", "F6", shows="Compare which coders")
        step("disagreements", "Enter", shows="by characters")
        step("the next disagreement", "n")
        step("back", "q")
        step("review list (F7)", "F7", shows="to review")
        step("keep the coding?", "Enter", shows="Keep the coding")
        step("back", "n")
        step("a toast naming study text", "F2", "/", shows="Search the transcript", typed=f"no{NAME}")
        step("the toast", "Enter", shows="Not found")
        term.keys("q")
        term.wait_until_gone()
    finally:
        term.close()
    output = typescript.read_bytes()
    assert "␛]0;PWNED-TITLE␇".encode() in output  # the hostile text was on screen, shown safely
    screens = [name for name, _ in visited if name != "back"]
    print(f"a real terminal: {len(screens)} screens and dialogs, {len(output):,} bytes checked")
    problems = terminal_problems(output)
    ends = [(end, name) for name, end in visited]
    where = {
        problem: next((name for end, name in ends if int(problem.rsplit(" ", 1)[-1]) < end), "?")
        for problem in problems
        if problem.rsplit(" ", 1)[-1].isdigit()
    }
    assert not problems, [f"{problem} ({where.get(problem, '')})" for problem in problems[:10]]
    assert not missed, f"these screens did not appear: {missed}"
