"""Plain aligned tables of the command line (display/plain_table.py) and `workbench stats` in them."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from pathlib import Path

from tmux_terminal import WORKBENCH

from workbench.display.plain_table import aligned, colour_system, coloured_swatch, width


def test_cells_are_measured_in_terminal_columns_and_kept_on_one_line():
    assert width("Tillit") == 6 and width("信頼") == 4 and width("e\u0301") == 1
    text = aligned(("theme", "n"), [("信頼", "12"), ("a\nb\tc", "3"), ("  sub", "4")], right=(1,))
    assert text.splitlines() == ["theme   n", "-----  --", "信頼   12", "a b c   3", "  sub   4"]


def test_a_swatch_takes_colour_only_where_the_terminal_does():
    assert colour_system(False, {"TERM": "xterm-256color", "COLORTERM": "truecolor"}) is None  # a pipe
    assert colour_system(True, {"TERM": "xterm-256color", "NO_COLOR": ""}) is None
    assert colour_system(True, {"TERM": "dumb"}) is None
    assert colour_system(True, {"TERM": "xterm-256color", "COLORTERM": "truecolor"}) == "truecolor"
    assert colour_system(True, {"TERM": "xterm-256color"}) == "256"
    assert coloured_swatch("#3074c1", "truecolor") == "\x1b[38;2;48;116;193m■\x1b[0m"
    assert coloured_swatch("#ff0000", "256") == "\x1b[38;5;196m■\x1b[0m"  # the cube's pure red
    assert coloured_swatch("#808080", "256") == "\x1b[38;5;244m■\x1b[0m"  # a grey of the ramp
    assert coloured_swatch("not a colour", "256") == "■"


def stats(study: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    done = subprocess.run([str(WORKBENCH), "stats", str(study), *args], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_stats_prints_a_row_per_theme_with_the_counts_of_its_json(study_path: Path):
    counted = json.loads(stats(study_path, "--by", "cluster", "--json"))
    lines = stats(study_path, "--by", "cluster").splitlines()
    assert lines[0].endswith(f": {counted['transcripts']} transcripts, {counted['cases']} cases")
    assert lines[1].split() == ["theme", "codings", "informants", *(f"cluster={v}" for v in counted["values"])]
    rows = lines[3 : 3 + len(counted["themes"])]
    assert "\x1b" not in "".join(lines)  # into a pipe: no colour codes
    for line, theme in zip(rows, counted["themes"], strict=True):
        depth = theme["theme"].count("/")
        assert line.startswith("  " * depth + "■ " + theme["theme"].split("/")[-1])
        has_children = theme["codings_with_subthemes"] != theme["codings"]
        own = [str(theme["codings"]), str(theme["informants"])]
        if has_children:
            own = [f"{own[0]} ({theme['codings_with_subthemes']})", f"{own[1]} ({theme['informants_with_subthemes']})"]
        by_value = [
            f"{theme['by_value'][v]['codings']} / {theme['by_value'][v]['informants']}" for v in counted["values"]
        ]
        cells = re.split(r" {2,}", line.strip())  # columns are two or more spaces apart
        assert cells[1:] == [*own, *by_value]
    assert lines[-1].startswith("a theme's own codings")


def test_matrix_prints_the_cells_of_its_json(study_path: Path):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}

    def matrix(*args: str) -> str:
        done = subprocess.run(
            [str(WORKBENCH), "matrix", str(study_path), *args], capture_output=True, text=True, env=env
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    data = json.loads(matrix("--by", "size", "--json"))
    title, header, _rule, *rows, note = matrix("--by", "size").splitlines()
    assert title.endswith("themes x size") and note.startswith("codings / informants")
    assert header.split() == ["theme", *data["columns"], "total"]
    assert len(rows) == len(data["rows"]) + 1  # and the totals

    def cell(c: dict) -> str:
        return f"{c['codings']} / {c['informants']}" if c["codings"] else "·"

    for line, row in zip(rows, data["rows"], strict=False):
        assert line.lstrip().startswith("■ " + row["theme"].split("/")[-1])
        cells = re.split(r" {2,}", line.strip())[1:]
        assert cells[: len(row["cells"])] == [cell(c) for c in row["cells"]]
    assert re.split(r" {2,}", rows[-1])[1:] == [*(cell(c) for c in data["column_totals"]), cell(data["total"])]


def test_swatches_are_coloured_in_a_real_terminal_unless_no_color(study_path: Path):
    from tmux_terminal import TmuxTerminal

    seen = {}
    for name, extra in (("colour", {"COLORTERM": "truecolor"}), ("no colour", {"NO_COLOR": "1"})):
        env = {"TERM": "xterm-256color", **extra}
        # The pane stays open after the command ends (the terminal runs its command with exec).
        shown = shlex.quote(f"{shlex.quote(str(WORKBENCH))} stats {shlex.quote(str(study_path))}; sleep 30")
        terminal = TmuxTerminal(f"sh -c {shown}", height=40, env=env)
        try:
            terminal.wait_for("a theme's own codings")
            seen[name] = terminal.tmux("capture-pane", "-p", "-e", "-t", terminal.name)
        finally:
            terminal.close()
    # tmux re-emits what it was sent: the swatch's 24-bit colour, or none at all
    assert "\x1b[38;2;" in seen["colour"] and "■" in seen["colour"]
    assert "\x1b[38;2;" not in seen["no colour"] and "■" in seen["no colour"]
