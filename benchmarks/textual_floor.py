"""The first paint of a bare Textual app on this machine: the floor under the workbench's own.

A Textual app with what the coding screen is made of (a screen of text, a tree of 30 themes, a
second text pane, a footer), timed through the same 120x34 pseudo-terminal as the workbench's
cold starts (``tui_keys.first_paint``), to its first frame (12 KB of screen: this app's whole
first frame is smaller than the workbench's 20 KB), against ``workbench open STUDY`` to its own.

    .venv/bin/python benchmarks/textual_floor.py STUDY [--launches N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bytecode import compile_workbench  # noqa: E402
from keystroke_latency import PtyApp  # noqa: E402
from tui_keys import FIRST_SCREEN  # noqa: E402

BARE_APP = """
from textual.app import App
from textual.containers import Horizontal
from textual.widgets import Footer, Static, Tree

TEXT = "\\n".join(f"Interviewer: line {i} " + "lorem ipsum dolor sit amet " * 3 for i in range(40))


class Bare(App):
    def compose(self):
        with Horizontal():
            yield Static(TEXT)
            tree = Tree("themes")
            for i in range(30):
                tree.root.add_leaf(f"Theme {i}")
            tree.root.expand()
            yield tree
            yield Static(TEXT[:2000])
        yield Footer()


Bare().run()
"""
BARE_SCREEN = 12_000  # bytes


def seconds_to_screen(argv: list[str], at_least: int, launches: int, env: dict[str, str]) -> list[float]:
    """Seconds from starting ``argv`` until ``at_least`` bytes of screen were written, per launch."""
    found = []
    for _ in range(launches):
        app = PtyApp(argv, env=env)
        try:
            app.drain(timeout=120, at_least=at_least)
            found.append(app.reached - app.started)
        finally:
            app.close()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", type=Path)
    parser.add_argument("--launches", type=int, default=5)
    options = parser.parse_args()
    compile_workbench()
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.yaml"
        config.write_text("", encoding="utf-8")
        script = Path(folder) / "bare_app.py"
        script.write_text(BARE_APP, encoding="utf-8")
        env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none", "WORKBENCH_CONFIG": str(config)}
        workbench = str(Path(sys.executable).parent / "workbench")
        rows = [
            (
                "a bare Textual app",
                seconds_to_screen([sys.executable, str(script)], BARE_SCREEN, options.launches, env),
            ),
            (
                "workbench open STUDY",
                seconds_to_screen([workbench, "open", str(options.study)], FIRST_SCREEN, options.launches, env),
            ),
        ]
    print(f"first paint, {options.launches} launches each   median   slowest")
    for name, seconds in rows:
        print(f"  {name:30} {statistics.median(seconds):7.3f} s {max(seconds):7.3f} s")


if __name__ == "__main__":
    main()
