"""Key binding ids: one meaning each across the whole UI, and a remapped id that no binding has is
reported (in the workbench and by `workbench open`) instead of silently doing nothing."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

from click.testing import CliRunner

from workbench.cli import main
from workbench.study import Study
from workbench.tui.app import WorkbenchApp
from workbench.tui.bindings import binding_ids, declared_bindings, unknown_binding_warning
from workbench.tui.config import UiConfig, load_config


def test_every_binding_has_an_id_and_no_two_share_one():
    """A keymap entry in config.yaml remaps every binding with its id, wherever it is declared."""
    declared = list(declared_bindings())
    owners = {cls.__name__ for cls, _ in declared}
    # the walk reaches the app, the screens opened later, the dialogs and the widgets
    assert {
        "WorkbenchApp",
        "CodingScreen",
        "ChapterPreviewScreen",
        "FrameworkMatrixScreen",
        "DisagreementsScreen",
        "WorkbenchDialog",
        "ConfirmDialog",
        "HelpDialog",
        "TranscriptView",
        "ThemePalette",
        "QuoteBoard",
    } <= owners
    assert len(declared) > 100
    missing = [f"{cls.__name__}: {binding.key} -> {binding.action}" for cls, binding in declared if not binding.id]
    assert not missing, missing
    counts = Counter(binding.id for _, binding in declared)
    shared = {
        binding_id: [f"{cls.__name__} ({binding.key})" for cls, binding in declared if binding.id == binding_id]
        for binding_id, n in counts.items()
        if n > 1
    }
    assert not shared, shared


def test_an_unknown_id_is_one_line_naming_it_and_the_file(tmp_path: Path):
    config = tmp_path / "config.yaml"
    warning = unknown_binding_warning({"coding.undo": "ctrl+z", "coding.undoo": "ctrl+u"}, config)
    assert warning is not None and "\n" not in warning
    assert str(config) in warning and "'coding.undoo'" in warning and "did you mean 'coding.undo'" in warning
    assert "'coding.undo'," not in warning  # the known one is not named as unknown
    two = unknown_binding_warning({"nope.one": "a", "nope.two": "b"}, None)
    assert two is not None and "ids 'nope.one'" in two and "'nope.two'" in two


def test_known_ids_and_no_keys_give_no_warning():
    assert {"coding.undo", "app.quit", "dialog.cancel", "palette.rename", "quotes.toggle_selected"} <= binding_ids()
    assert unknown_binding_warning({"coding.undo": "ctrl+z", "transcript.select_turn": "T"}, "config.yaml") is None
    assert unknown_binding_warning({}, "config.yaml") is None


def _notifications_at_start(study_path: Path, config: UiConfig) -> list[str]:
    async def scenario():
        with Study.open(study_path, coder="pilot") as study:
            app = WorkbenchApp(study, config)
            noted: list[str] = []
            show = app.notify
            app.notify = lambda message, *args, **kwargs: (noted.append(str(message)), show(message, *args, **kwargs))
            async with app.run_test(size=(120, 34)) as pilot:
                for _ in range(50):
                    await pilot.pause(0.02)
                    if app.screen.board.count:  # the board comes after the check
                        break
                await pilot.pause(0.05)
                return noted

    return asyncio.run(scenario())


def test_the_workbench_warns_of_an_unknown_id_when_it_starts(study_path: Path, tmp_path: Path):
    config = UiConfig(keys={"coding.undoo": "ctrl+z"}, source=tmp_path / "config.yaml")
    noted = _notifications_at_start(study_path, config)
    assert [n for n in noted if "coding.undoo" in n and "config.yaml" in n]
    known = UiConfig(keys={"coding.undo": "ctrl+z"}, source=tmp_path / "config.yaml")
    assert not [n for n in _notifications_at_start(study_path, known) if "binding" in n]


def test_workbench_open_prints_a_warning_only_for_an_unknown_id(study_path: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(WorkbenchApp, "run", lambda self, **kwargs: None)  # the terminal UI itself is not run
    config = tmp_path / "config.yaml"
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    runner = CliRunner()

    config.write_text("keys:\n  coding.undo: ctrl+z\n", encoding="utf-8")
    assert load_config().source == config
    quiet = runner.invoke(main, ["open", str(study_path)])
    assert quiet.exit_code == 0 and quiet.stdout == "" and "warning" not in quiet.stderr
    assert "to come back: workbench" in quiet.stderr  # only the way back, on quitting

    config.write_text("keys:\n  coding.undo: ctrl+z\n  quotes.selectt: x\n", encoding="utf-8")
    warned = runner.invoke(main, ["open", str(study_path)])
    assert warned.exit_code == 0 and warned.stdout == ""
    lines = [line for line in warned.stderr.splitlines() if "come back" not in line and "saved in" not in line]
    assert len(lines) == 1 and lines[0].startswith("warning: ") and "'quotes.selectt'" in lines[0]
    assert str(config) in lines[0]


def test_keys_that_arrive_together_act_in_the_order_typed(study_path: Path):
    """Keys the terminal delivers in one burst ("}t2": next turn, select it, code it with theme 2)
    reach the app one after another, before any has done its work. A theme key is handled on its
    way up from the transcript, "t" only when it reaches the app: the coding must still come
    after the selection, or it is lost."""
    from conftest import run_workbench
    from textual import events

    async def scenario(app, pilot):
        for key, character in [("right_curly_bracket", "}"), ("t", "t"), ("2", "2")]:
            app.post_message(events.Key(key, character))  # as the terminal driver posts them
        await pilot.pause(0.3)
        return app.screen.transcript_view.selection

    selection = run_workbench(study_path, scenario)
    assert selection is None  # coding a selection clears it
    with Study.open(study_path) as study:
        mine = [q for q in study.quotes() if q.coder == "pilot"]
    assert [q.theme for q in mine] == ["Technology"]
