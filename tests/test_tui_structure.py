"""The terminal UI's own rules: Textual's public API only, widgets below screens, and start-up order."""

from __future__ import annotations

import ast
import asyncio
from pathlib import Path

from textual.message import Message

from workbench.study import Study
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.widgets.quote_board import QuoteBoard
from workbench.tui.widgets.theme_palette import ThemeEdit, ThemePalette

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"
TUI = PACKAGE / "tui"


def _trees(folder: Path) -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(folder.rglob("*.py"))}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _our_private_names() -> set[str]:
    """Every ``_name`` the workbench package defines itself: functions, methods, attributes, class fields."""
    names: set[str] = set()
    for tree in _trees(PACKAGE).values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    for part in ast.walk(target):
                        if isinstance(part, ast.Attribute):
                            names.add(part.attr)
                        elif isinstance(part, ast.Name):
                            names.add(part.id)
    return {name for name in names if _private(name)}


def test_the_tui_uses_no_private_textual_attribute_or_module():
    ours = _our_private_names()
    found = []
    for path, tree in _trees(TUI).items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in ours:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} .{node.attr}")
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            found += [
                f"{path.relative_to(PACKAGE.parent)}:{node.lineno} import {m}"
                for m in modules
                if m.startswith("textual") and any(_private(part) for part in m.split("."))
            ]
    assert not found, found


def test_the_check_above_sees_a_private_attribute(tmp_path: Path):
    """The rule is not vacuous: the attribute the status line once read is not one of ours."""
    assert "_batch_count" not in _our_private_names()
    assert "_board_pending" in _our_private_names()


def test_widgets_import_neither_screens_nor_the_app():
    """Widgets post messages up; the screen that owns them decides (Textual's rule)."""
    found = []
    for path, tree in _trees(TUI / "widgets").items():
        for node in ast.walk(tree):
            modules = []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            found += [
                f"{path.name}: {m}"
                for m in modules
                if m.startswith(("workbench.tui.screens", "workbench.tui.app")) or m == "workbench.tui"
            ]
    assert not found, found


def test_the_quote_board_is_built_after_the_first_frame(study_path: Path, monkeypatch):
    """Opening a study shows it first (Textual's Ready: the first frame is displayed), then fills the board."""
    order: list[str] = []
    on_ready, refresh_board = WorkbenchApp.on_ready, CodingScreen.refresh_board

    def ready(app: WorkbenchApp) -> None:
        order.append("first frame")
        on_ready(app)

    def board(screen: CodingScreen) -> None:
        order.append("board")
        refresh_board(screen)

    monkeypatch.setattr(WorkbenchApp, "on_ready", ready)
    monkeypatch.setattr(CodingScreen, "refresh_board", board)

    async def scenario():
        with Study.open(study_path, coder="pilot") as study:
            app = WorkbenchApp(study)
            async with app.run_test(size=(120, 34)) as pilot:
                for _ in range(100):
                    if "board" in order:
                        break
                    await pilot.pause(0.02)
                return app.screen.board.count

    count = asyncio.run(scenario())
    assert order[:2] == ["first frame", "board"]
    assert count > 0


def test_every_request_of_the_board_and_the_palette_has_a_handler_on_the_coding_screen():
    """Handlers are found by name (``on_quote_board_jump_requested``): a renamed message would
    otherwise be dropped without a word."""
    requests = [
        message for message in vars(QuoteBoard).values() if isinstance(message, type) and issubclass(message, Message)
    ] + [ThemePalette.ThemeChosen, ThemePalette.EditRequested]
    assert len(requests) >= 10
    missing = [
        message.__qualname__ for message in requests if not callable(getattr(CodingScreen, message.handler_name, None))
    ]
    assert not missing, missing


def test_every_codebook_edit_of_the_palette_has_a_handler(study_path: Path):
    with Study.open(study_path) as study:
        handled = set(CodingScreen(study).theme_edits()) | {ThemeEdit.ADD}
    assert handled == set(ThemeEdit)
    assert {binding.id for binding in ThemePalette.BINDINGS} >= {f"palette.{edit}" for edit in ThemeEdit}
