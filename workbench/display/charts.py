"""The charts drawn as terminal text: shade characters and numbers, with a legend.

A cell's shade (``░▒▓█``) and its number say everything; colour only repeats it, so a chart reads
the same in 16 colours and with ``NO_COLOR``. Labels are study text and pass the terminal-safe
rule. Each function returns one Rich ``Text`` of lines that are never wrapped (a chart wider than
the terminal is scrolled or cut, never folded).
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from workbench.display.safe_text import visible
from workbench.domain.charts.heat_map import HeatMap
from workbench.domain.charts.saturation import IMPORT_ORDER, Saturation
from workbench.domain.charts.shades import EMPTY, SHADES, level, level_ranges

SHADE_STYLE = "cyan"
LABEL_MAX = 40
# Bars of each series: a fill of its own, so the series tell apart without colour too.
SERIES_FILLS = "█▓▒░"
SERIES_STYLES = ("blue", "yellow", "green", "magenta")
NEW_THEME, NEW_SUBTHEME = "█", "▒"


def fit(text: str, width: int) -> str:
    """``text`` (already made safe) padded or cut (with ``…``) to exactly ``width`` terminal cells."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(width - 1, 0)) + "…" if width > 0 else ""


def column_keys(count: int) -> list[str]:
    """A, B, ..., Z, AA, AB, ...: short names for columns whose labels do not fit above a cell."""
    keys = []
    for i in range(count):
        key = ""
        i += 1
        while i:
            i, r = divmod(i - 1, 26)
            key = chr(65 + r) + key
        keys.append(key)
    return keys


def heat_map_text(chart: HeatMap, width: int = 80) -> Text:
    """The heat map as lines: a label column, then per cell its shade (two characters) and its
    number; column names above (or letters, with a key below), and the legend of the shades."""
    numbers = [f"{v}{chart.unit}" for row in chart.values for v in row if v]
    cell_w = 2 + 1 + max([len(n) for n in numbers] + [1])
    columns = [visible(c) for c in chart.columns]
    widest = max([cell_len(c) for c in columns] + [0])
    if cell_w < widest <= 12 and 24 + len(columns) * (widest + 1) <= width:
        cell_w = widest  # a few short column names (attribute values): widen the cells to show them
    keyed = widest > cell_w
    square = keyed and [r.name for r in chart.rows] == list(chart.columns)
    keys = column_keys(len(columns)) if keyed else columns
    prefix_w = max(len(k) for k in keys) + 1 if square and keys else 0
    wanted = max([2 * r.depth + cell_len(visible(r.name)) for r in chart.rows] + [5]) + prefix_w
    label_w = max(12, min(wanted, LABEL_MAX, width - len(columns) * (cell_w + 1) - 1))
    text = Text(no_wrap=True, overflow="crop", end="")
    text.append(fit(visible(chart.title), width).rstrip() + "\n", style="bold")
    text.append(" " * label_w)
    for key in keys:
        text.append(" " + (fit(key, cell_w) if cell_len(key) > cell_w else " " * (cell_w - cell_len(key)) + key))
    text.append("\n")
    for r, row in enumerate(chart.rows):
        label = "  " * row.depth + (f"{keys[r]} " if square else "") + visible(row.name)
        text.append(fit(label, label_w))
        for value in chart.values[r]:
            text.append(" ")
            text.append_text(_cell(value, chart, cell_w))
        text.append("\n")
    if not chart.rows:
        text.append("Nothing to show yet: no theme has any here.\n")
    text.append_text(_shade_legend(chart))
    if keyed and not square:
        text.append("\n")
        text.append_text(_key_lines(keys, columns, width))
    elif square:
        text.append("\ncolumns: the themes lettered on the left")
    return text


def _cell(value: int | None, chart: HeatMap, cell_w: int) -> Text:
    if value is None:  # a theme against itself
        return Text(" " * (cell_w - 1) + "—", style="dim")
    if not value:
        return Text(" " * (cell_w - 1) + EMPTY, style="dim")
    cell = Text(SHADES[level(value, chart.top) - 1] * 2, style=SHADE_STYLE)
    cell.append(f" {value}{chart.unit}".rjust(cell_w - 2))
    return cell


def _shade_legend(chart: HeatMap) -> Text:
    measure = "share of the group's informants" if chart.unit == "%" else chart.measure
    legend = Text(f"{measure}: ", style="dim")
    legend.append(f"{EMPTY} none")
    for k, low, high in level_ranges(chart.top):
        legend.append("  ")
        legend.append(SHADES[k - 1], style=SHADE_STYLE)
        legend.append(f" {low}{chart.unit}" if low == high else f" {low}–{high}{chart.unit}")
    return legend


def _key_lines(keys: list[str], columns: list[str], width: int) -> Text:
    text = Text(style="dim")
    line_w = 0
    for key, column in zip(keys, columns):
        item = f"{key} {column}"
        if line_w and line_w + 2 + cell_len(item) > width:
            text.append("\n")
            line_w = 0
        elif line_w:
            text.append("  ")
            line_w += 2
        text.append(item)
        line_w += cell_len(item)
    return text


def bars_text(chart: HeatMap, width: int = 80) -> Text:
    """One bar per column of the grid under each theme that has any value: the theme's name on
    its first bar's line, the column's name before each bar, the number after it."""
    rows = [(r, row) for r, row in enumerate(chart.rows) if any(chart.values[r])]
    series = [visible(c) for c in chart.columns]
    series_w = min(max([cell_len(s) for s in series] + [1]), 16)
    number_w = max([len(f"{v}{chart.unit}") for r, _ in rows for v in chart.values[r] if v] + [1])
    label_w = max(12, min(max([2 * row.depth + cell_len(visible(row.name)) for _, row in rows] + [5]), 30))
    bar_w = max(width - label_w - series_w - number_w - 3, 8)
    top = chart.top or 1
    text = Text(no_wrap=True, overflow="crop", end="")
    text.append(fit(visible(chart.title), width).rstrip() + "\n", style="bold")
    for r, row in rows:
        for c, value in enumerate(chart.values[r]):
            label = "  " * row.depth + visible(row.name) if c == 0 else ""
            text.append(fit(label, label_w) + " ")
            text.append(fit(series[c], series_w) + " ", style="dim")
            length = round(bar_w * (value or 0) / top)
            text.append(SERIES_FILLS[c % len(SERIES_FILLS)] * length, style=SERIES_STYLES[c % len(SERIES_STYLES)])
            text.append(f" {value or 0}{chart.unit}\n" if value else f" {EMPTY}\n")
    measure = "share of the group's informants" if chart.unit == "%" else chart.measure
    text.append(f"{measure}; themes without any are left out", style="dim")
    return text


def saturation_text(curve: Saturation, width: int = 80) -> Text:
    """A line per transcript in interview order: its new themes (█) and sub-themes (▒) as a bar
    with their numbers, and the running total; a rule marks the saturation point."""
    steps = curve.steps
    name_w = min(max([cell_len(visible(s.transcript)) for s in steps] + [10]), 24)
    values = [cell_len(visible(s.order_value or "")) for s in steps if s.order_value]
    value_w = min(max([*values, cell_len(visible(curve.order))]), 12) if values else 0
    counts_w = 9  # "+12 / 34"
    total_w = 6
    bar_w = min(max(width - 3 - name_w - (value_w + 1 if value_w else 0) - counts_w - total_w - 4, 6), 50)
    most = max([s.new for s in steps] + [1])
    text = Text(no_wrap=True, overflow="crop", end="")
    order = "import order" if curve.order == IMPORT_ORDER else f"order of {visible(curve.order)}"
    text.append(fit(f"Saturation: new themes per transcript, in {order}", width).rstrip() + "\n", style="bold")
    header = f"{'#':>2} {fit('transcript', name_w)} " + (f"{fit(visible(curve.order), value_w)} " if value_w else "")
    header += f"{fit('new', bar_w)} {'+th/sub':>{counts_w}} {'so far':>{total_w}}"
    text.append(header.rstrip() + "\n", style="dim")
    for k, step in enumerate(steps, 1):
        text.append(f"{k:>2} {fit(visible(step.transcript), name_w)} ")
        if value_w:
            text.append(fit(visible(step.order_value or ""), value_w) + " ", style="dim")
        themes = round(bar_w * len(step.new_themes) / most)
        subthemes = round(bar_w * step.new / most) - themes
        text.append(NEW_THEME * themes, style="bold blue")
        text.append(NEW_SUBTHEME * subthemes, style="cyan")
        text.append(" " * (bar_w - themes - subthemes) + " ")
        counts = f"+{len(step.new_themes)}/{len(step.new_subthemes)}" if step.new else EMPTY
        text.append(f"{counts:>{counts_w}} {step.cumulative_themes + step.cumulative_subthemes:>{total_w}}\n")
        if curve.point == k and k < len(steps):
            rule = f" fewer than {curve.threshold} new per transcript from here on "
            text.append(set_cell_size("┄┄" + rule + "┄" * width, width) + "\n", style="bold")
    if not steps:
        text.append("No transcript has codings yet.\n")
    text.append(NEW_THEME, style="bold blue")
    text.append(" new theme  ")
    text.append(NEW_SUBTHEME, style="cyan")
    text.append(f" new sub-theme  ·  codebook: {curve.codebook_themes} themes, {curve.codebook_subthemes} sub-themes\n")
    text.append(saturation_summary(curve), style="bold")
    if curve.left_out:
        text.append(f"\nleft out (no codings yet): {visible(', '.join(curve.left_out))}", style="dim")
    return text


def saturation_summary(curve: Saturation) -> str:
    """One sentence: where new themes ran out, or that they have not."""
    n = curve.threshold
    fewer = "no new theme" if n == 1 else f"fewer than {n} new"
    if curve.point is None:
        if not curve.steps:
            return "Saturation: nothing coded yet."
        return f"Not saturated: the last transcript still brought {n} or more new."
    if curve.point == 0:
        return f"Every transcript brought {fewer}."
    return f"Saturated after transcript {curve.point} of {len(curve.steps)}: each later one brought {fewer}."
