"""A few deliberate snapshots of what the researcher sees, as plain text.

Each test renders a screen of the demo study and compares its text (no colours) with a file in
tests/snapshots/. A change to the layout shows up as a readable diff. After a deliberate change,
regenerate with ``WORKBENCH_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py`` and review the diff.
Cursor blinking and animations are off, and the demo study is built with fixed content; the
status line's coder is fixed too.
"""

from __future__ import annotations

import asyncio
import difflib
import os
from pathlib import Path

import pytest

from workbench.study import Study
from workbench.study.demo import build_demo_study
from workbench.tui.app import WorkbenchApp

SNAPSHOTS = Path(__file__).parent / "snapshots"


def screen_text(app) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips) + "\n"


def snapshot(tmp_path: Path, size: tuple[int, int], keys: list[str]) -> str:
    path = build_demo_study(tmp_path / "demo.db")

    async def main():
        with Study.open(path, coder="snapshot") as study:
            app = WorkbenchApp(study)
            async with app.run_test(size=size) as pilot:
                await pilot.pause()
                for key in keys:
                    await pilot.press(key)
                await pilot.pause()
                return screen_text(app)

    return asyncio.run(main())


def check(name: str, text: str) -> None:
    file = SNAPSHOTS / f"{name}.txt"
    if os.environ.get("WORKBENCH_UPDATE_SNAPSHOTS") or not file.exists():
        file.write_text(text, encoding="utf-8")
        if not os.environ.get("WORKBENCH_UPDATE_SNAPSHOTS"):
            pytest.fail(f"{file} did not exist; written now: review it and run again")
        return
    expected = file.read_text(encoding="utf-8")
    if text != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), text.splitlines(True), "expected", "now"))
        pytest.fail(f"screen differs from {file.name}:\n{diff}")


@pytest.mark.parametrize(
    "name, size, keys",
    [
        ("coding_120x34", (120, 34), ["}", "t"]),
        ("coding_80x24", (80, 24), []),
        ("quote_board_80x24", (80, 24), ["f4"]),
        ("palette_focus_120x34", (120, 34), ["f3", "down"]),
    ],
)
def test_screen_snapshot(tmp_path: Path, name: str, size: tuple[int, int], keys: list[str]):
    check(name, snapshot(tmp_path, size, keys))
