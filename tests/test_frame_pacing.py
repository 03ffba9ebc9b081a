"""Frames drawn as soon as a change allows, and none spent when a screen closes
(workbench/tui/frame_pacing.py)."""

from __future__ import annotations

import importlib
import inspect
import os
import pkgutil
import subprocess
import sys
import time

from conftest import run_workbench, screen_text, wait_for
from textual.screen import Screen

import workbench.tui
from workbench.tui.frame_pacing import LAYOUT_REQUEST_WINDOW, NoLayoutOnCloseApp, NoLayoutOnCloseScreen
from workbench.tui.screens.dialogs import WorkbenchDialog

FRAME_LIMIT = "import sys; sys.argv = ['workbench', '--help']\nimport workbench.__main__ as m\ntry:\n    m.main()\nexcept SystemExit:\n    pass\nimport textual.constants as c\nprint(c.MAX_FPS)"


def _frame_limit(env: dict[str, str]) -> str:
    out = subprocess.run([sys.executable, "-c", FRAME_LIMIT], capture_output=True, text=True, env=env, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_the_command_raises_textuals_frame_limit_unless_the_user_set_one():
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    assert _frame_limit(env) == "240"
    assert _frame_limit({**env, "TEXTUAL_FPS": "30"}) == "30"


def _screen_classes() -> list[type]:
    found = []
    for module_info in pkgutil.walk_packages(workbench.tui.__path__, "workbench.tui."):
        module = importlib.import_module(module_info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found.append(cls)
    return found


def test_every_screen_of_the_workbench_closes_without_a_layout_of_the_screen_below():
    screens = _screen_classes()
    assert len(screens) >= 10, [cls.__name__ for cls in screens]  # the coding screen, dialogs, views
    assert [cls.__name__ for cls in screens if not issubclass(cls, NoLayoutOnCloseScreen)] == []
    # first in the order of bases, or Textual's own removal would win
    misplaced = [
        cls.__name__ for cls in screens if cls.__mro__.index(NoLayoutOnCloseScreen) > cls.__mro__.index(Screen)
    ]
    assert misplaced == []


def test_a_closed_dialog_leaves_the_screen_below_laid_out_and_drawn_as_it_was(study_path):
    async def scenario(app, pilot):
        assert isinstance(app, NoLayoutOnCloseApp)
        coding = app.screen
        layouts: list[object] = []
        original = coding._refresh_layout

        def counting(*args, **kwargs):
            layouts.append(args)
            return original(*args, **kwargs)

        coding._refresh_layout = counting
        await pilot.press("f4")
        await pilot.pause(0.1)
        before = screen_text(app)
        await pilot.press("f")  # the board's filter dialog
        await wait_for(pilot, lambda: isinstance(app.screen, WorkbenchDialog), "the filter dialog")
        assert screen_text(app) != before
        await pilot.pause(0.1)
        layouts.clear()
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is coding, "the coding screen back on top")
        await pilot.pause(0.1)
        assert layouts == [], "closing a dialog laid the coding screen out again"
        assert screen_text(app) == before, "the screen below is drawn as it was before the dialog"

    run_workbench(study_path, scenario)


def test_a_closed_dialog_repaints_the_screen_below_whole_once(study_path):
    """The screen coming back is drawn whole when the dialog closes (it was hidden), and not a
    second time when the dialog's widgets are removed a moment later."""

    async def scenario(app, pilot):
        coding = app.screen
        compositor = coding._compositor
        whole: list[float] = []
        original = compositor.render_full_update

        def counting(*args, **kwargs):
            whole.append(time.monotonic())
            return original(*args, **kwargs)

        compositor.render_full_update = counting
        for opening in ("f", "o", "question_mark"):  # the board's filter, the transcript list, the help
            if opening == "f":
                await pilot.press("f4")
            await pilot.press(opening)
            await wait_for(pilot, lambda: isinstance(app.screen, WorkbenchDialog), f"the dialog of {opening}")
            await pilot.pause(0.1)
            whole.clear()
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is coding, "the coding screen back on top")
            await pilot.pause(LAYOUT_REQUEST_WINDOW + 0.1)
            assert len(whole) == 1, f"closing the dialog of {opening} drew the screen whole {len(whole)} times"
            if opening == "f":
                await pilot.press("f2")

    run_workbench(study_path, scenario)


def test_a_terminal_resized_while_a_dialog_is_open_lays_out_the_screen_below_when_the_dialog_closes(study_path):
    async def scenario(app, pilot):
        coding = app.screen
        await pilot.press("f4", "f")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkbenchDialog), "the filter dialog")
        await pilot.resize_terminal(90, 30)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is coding, "the coding screen back on top")
        await wait_for(pilot, lambda: coding.size == (90, 30), "the coding screen at the new size")
        await pilot.pause(0.1)
        lines = screen_text(app).splitlines()
        assert len(lines) == 30 and max(len(line) for line in lines) <= 90
        assert "quit" in lines[-1], lines[-1]  # the footer's right end is on the screen, not cut off

    run_workbench(study_path, scenario)
