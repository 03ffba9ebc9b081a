"""The floor under the workbench's own figures: a bare Textual app's first paint and keys.

A Textual app with what the coding screen is made of (a screen of text, a tree of 30 themes, a
second text pane, a footer), timed through the same 120x34 pseudo-terminal as the workbench's
cold starts (``tui_keys.first_paint``), to its first frame (12 KB of screen: this app's whole
first frame is smaller than the workbench's 20 KB), against ``workbench open STUDY`` to its own.

With ``--keys N`` a second bare app (``KEYS_APP``: a text pane drawn line by line, a tree of 30
themes, a list of cards, a status line, a footer) answers, N times each, the kinds of key the
workbench is held to, each doing the least Textual allows for that kind of change:

- "change a line": one line of the text, one row of the tree and the status line change (what
  applying a theme or undoing changes on screen);
- "page down": the text scrolls by a page;
- "close a dialog": a list dialog (its own screen, as the workbench's dialogs) closes;
- "list move": the cursor moves one card down a list of three-line cards.

    .venv/bin/python benchmarks/textual_floor.py STUDY [--launches N] [--keys N]
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
from keystroke_latency import PtyApp, summarise  # noqa: E402
from tui_keys import DOWN, ENTER, F4, FIRST_SCREEN, PAGE_DOWN  # noqa: E402

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

KEYS_APP = """
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.containers import Horizontal
from textual.geometry import Region, Size
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, OptionList, Tree

WORDS = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor".split()
LINES = [f"Informant: {i} " + " ".join(WORDS[(i + j) % len(WORDS)] for j in range(9)) for i in range(3000)]
MARKED = Style(bgcolor="#335533")


class Text(ScrollView, can_focus=True):
    def on_mount(self):
        self.marked = set()
        self.virtual_size = Size(60, len(LINES))

    def render_line(self, y):
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if index >= len(LINES):
            return Strip.blank(width)
        style = MARKED if index in self.marked else Style()
        return Strip([Segment(LINES[index][:width].ljust(width), style)])

    def mark(self, index):
        self.marked ^= {index}
        self.refresh(Region(0, index - self.scroll_offset.y, self.size.width, 1))


class Status(Widget):
    text = "ready"

    def render(self):
        return self.text

    def show(self, text):
        self.text = text
        self.refresh()  # one line, laid out once: no layout again


class Dialog(ModalScreen):
    DEFAULT_CSS = "Dialog { align: center middle; } Dialog OptionList { width: 72; height: 16; }"
    BINDINGS = [("escape", "dismiss", "")]

    def compose(self):
        yield OptionList(*[f"informant_{i}" for i in range(61)])

    def on_option_list_option_selected(self, event):
        self.dismiss(event.option_index)


class Floor(App):
    CSS = "Text { width: 1fr; } Tree { width: 32; } #board { width: 40; } #status { height: 1; }"
    BINDINGS = [("1", "change_a_line", ""), ("o", "dialog", ""), ("f4", "board", "")]

    def compose(self):
        with Horizontal():
            yield Text()
            tree = Tree("themes")
            for i in range(30):
                tree.root.add_leaf(f"Theme {i}")
            tree.root.expand()
            yield tree
            yield OptionList(*[f"quote {i}\\n" + " ".join(WORDS) + "\\n(Informant {i}, smaller)" for i in range(500)], id="board")
        yield Status(id="status")
        yield Footer()

    def on_mount(self):
        self.changes = 0
        self.query_one(Text).focus()

    def action_change_a_line(self):
        self.changes += 1
        view = self.query_one(Text)
        view.mark(view.scroll_offset.y + 3)
        self.query_one(Tree).root.children[0].set_label(f"Theme 0   {self.changes}")
        self.query_one(Status).show(f"coded #{self.changes}")

    def action_dialog(self):
        self.push_screen(Dialog())

    def action_board(self):
        self.query_one("#board").focus()


Floor().run()
"""


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


def key_floors(script: Path, presses: int, env: dict[str, str]) -> dict[str, list]:
    """The bare keys app's samples per kind of key (``keystroke_latency.Sample``)."""
    app = PtyApp([sys.executable, str(script)], env=env)
    samples: dict[str, list] = {"change a line": [], "page down": [], "close a dialog": [], "list move": []}
    try:
        app.drain(timeout=120, at_least=BARE_SCREEN)
        for _ in range(presses):
            samples["change a line"].append(app.key(b"1"))
        for _ in range(presses):
            samples["page down"].append(app.key(PAGE_DOWN))
        for _ in range(presses):
            app.key(b"o")
            samples["close a dialog"].append(app.key(ENTER))
        app.key(F4)
        for _ in range(presses):
            samples["list move"].append(app.key(DOWN))
    finally:
        app.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", type=Path)
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--keys", type=int, default=0, help="press each kind of key N times in the bare keys app")
    options = parser.parse_args()
    compile_workbench()
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.yaml"
        config.write_text("", encoding="utf-8")
        script = Path(folder) / "bare_app.py"
        script.write_text(BARE_APP, encoding="utf-8")
        env = {**os.environ, "TERM": "xterm-256color", "TEXTUAL_ANIMATIONS": "none", "WORKBENCH_CONFIG": str(config)}
        workbench = str(Path(sys.executable).parent / "workbench")
        floors = {}
        if options.keys:
            keys_script = Path(folder) / "keys_app.py"
            keys_script.write_text(KEYS_APP, encoding="utf-8")
            floors = key_floors(keys_script, options.keys, env)
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
    if floors:
        print(f"keys of the bare app, {options.keys} each: complete ms and CPU ms, median / p99; bytes (median)")
        for name, samples in floors.items():
            figures = summarise(samples)
            print(
                f"  {name:16} {figures['complete_median_ms']:6.1f} / {figures['complete_p99_ms']:6.1f}"
                f"   cpu {figures['cpu_median_ms']:5.1f} / {figures['cpu_p99_ms']:5.1f}   {figures['bytes_median']:7,.0f} B"
            )


if __name__ == "__main__":
    main()
