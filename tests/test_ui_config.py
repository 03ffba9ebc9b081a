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
    path.write_text("keys:\n  coding.undo: ctrl+z\nmouse: false\nui_theme: ansi-light\n", encoding="utf-8")
    assert load_config(path) == UiConfig(keys={"coding.undo": "ctrl+z"}, mouse=False, ui_theme="ansi-light")


def test_old_ui_theme_names_are_read_as_todays_with_a_note(tmp_path: Path):
    path = tmp_path / "config.yaml"
    path.write_text("ui_theme: textual-ansi\n", encoding="utf-8")
    config = load_config(path)
    assert config.ui_theme == "ansi-dark"
    assert config.notes == [
        f"{path}: UI theme 'textual-ansi' is now called 'ansi-dark' ('ansi-light' for a light terminal)"
    ]


def test_every_ui_theme_name_in_the_docs_exists(repo_root: Path):
    import re

    from textual.app import App

    names = set(App().available_themes)
    for doc in (repo_root / "README.md", repo_root / "workbench" / "tui" / "config.py"):
        found = re.findall(r"^ui_theme: ([\w-]+)", doc.read_text(encoding="utf-8"), re.MULTILINE)
        assert found, doc.name
        for name in found:
            assert name in names, f"{doc.name}: {name}"


def test_a_ui_theme_chosen_in_the_app_is_remembered(tmp_path: Path):
    (tmp_path / "t.txt").write_text("Interviewer: Hi?\n\nInformant: We share servers.\n", encoding="utf-8")
    with Study.create(tmp_path / "s.db") as study:
        study.import_files([tmp_path / "t.txt"])
    settings = tmp_path / "config.yaml"
    settings.write_text("# mine\nmouse: false   # keep\nui_theme: ansi-dark\n", encoding="utf-8")

    async def scenario(app, pilot):
        assert app.theme == "ansi-dark"
        app.theme = "textual-light"  # what ctrl+p → Theme does
        await pilot.pause()
        await pilot.pause()

    run_workbench(tmp_path / "s.db", scenario, (100, 30), config=load_config(settings))
    assert settings.read_text(encoding="utf-8") == "# mine\nmouse: false   # keep\nui_theme: textual-light\n"
    assert load_config(settings).ui_theme == "textual-light"


def test_a_ui_theme_is_added_to_a_settings_file_without_one(tmp_path: Path):
    from workbench.tui.config import save_ui_theme

    settings = tmp_path / "sub" / "config.yaml"
    save_ui_theme(settings, "nord")
    assert settings.read_text(encoding="utf-8") == "ui_theme: nord\n"
    settings.write_text("mouse: false", encoding="utf-8")
    save_ui_theme(settings, "gruvbox")
    assert load_config(settings) == UiConfig(mouse=False, ui_theme="gruvbox")


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
