"""The user's settings file: key remapping by binding id, mouse, UI theme, clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_workbench

from workbench.errors import InputError
from workbench.study import Study
from workbench.tui.app import WorkbenchApp
from workbench.tui.config import UiConfig, load_config


def test_missing_file_means_defaults(tmp_path: Path):
    config = load_config(tmp_path / "nope.yaml")
    assert config == UiConfig() and config.mouse and not config.animations


def test_settings_are_read(tmp_path: Path):
    path = tmp_path / "config.yaml"
    path.write_text("keys:\n  coding.undo: ctrl+z\nmouse: false\nui_theme: textual-ansi\n", encoding="utf-8")
    assert load_config(path) == UiConfig(keys={"coding.undo": "ctrl+z"}, mouse=False, ui_theme="textual-ansi")


@pytest.mark.parametrize(
    "text, message",
    [
        ("keys: [a, b]\n", "maps binding ids"),
        ("mouse: maybe\n", "'mouse' must be true or false"),
        ("colour: red\n", "unknown setting 'colour'"),
        ("keys:\n  a: [\n", "config.yaml:"),
    ],
)
def test_broken_settings_are_one_line_errors(tmp_path: Path, text: str, message: str):
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as caught:
        load_config(path)
    assert "\n" not in str(caught.value) and "config.yaml" in str(caught.value)


def test_a_remapped_key_runs_the_action(tmp_path: Path):
    (tmp_path / "t.txt").write_text("Interviewer: Hi?\n\nInformant: We share servers.\n", encoding="utf-8")
    with Study.create(tmp_path / "s.db") as study:
        study.import_files([tmp_path / "t.txt"])
        study.add_theme("Technology")
        study.code("t", "Technology", *study.find_passage("t", "We share servers."))

    async def scenario(app, pilot):
        await pilot.press("u")  # no longer undo
        await pilot.pause()
        after_u = len(app.study.quotes())
        await pilot.press("ctrl+z")
        await pilot.pause()
        return after_u, len(app.study.quotes())

    assert run_workbench(tmp_path / "s.db", scenario, (100, 30), config=UiConfig(keys={"coding.undo": "ctrl+z"})) == (
        1,
        0,
    )


def test_animations_are_off_unless_the_settings_turn_them_on(tmp_path: Path, monkeypatch):
    monkeypatch.delenv("TEXTUAL_ANIMATIONS", raising=False)
    with Study.create(tmp_path / "s.db") as study:
        assert WorkbenchApp(study).animation_level == "none"
        assert WorkbenchApp(study, UiConfig(animations=True)).animation_level == "full"
