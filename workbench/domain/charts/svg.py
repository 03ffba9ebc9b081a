"""SVG figures of the charts, written by hand so that the same data gives the same bytes.

No dates, random ids or floating-point noise go into a figure: coordinates are rounded to one
decimal, and the data a figure was drawn from is embedded as JSON in its ``<metadata>`` (keys
sorted), so a reader or a test can check the numbers without reading the drawing. Every cell or
bar also carries its number as ``data-value`` and as visible text.

Text is measured by a fixed estimate (0.6 em per character), so layout never depends on the fonts
of the machine that writes the file.
"""

from __future__ import annotations

import json
import re
from xml.sax.saxutils import escape

from workbench.domain.charts.heat_map import HeatMap
from workbench.domain.charts.saturation import IMPORT_ORDER, Saturation
from workbench.domain.charts.shades import level, level_ranges

FONT = 12
CHAR = FONT * 0.6  # estimated width of one character
LABEL_CHARS = 40  # longer labels are cut with an ellipsis
# One fill per shade level (0 = empty), light to dark, readable in print and in grey.
FILLS = ("#ffffff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
# Colours of bar series: the Okabe-Ito set, which colour-blind readers can tell apart.
SERIES = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")

WORDS = {
    "en": {
        "codings": "codings",
        "informants": "informants",
        "places": "places",
        "share": "share of the group's informants",
        "none": "none",
        "new themes": "new themes",
        "new sub-themes": "new sub-themes",
        "cumulative": "themes and sub-themes so far",
        "saturation": "fewer than {n} new after transcript {k}",
        "not reached": "not reached: the last transcript still brought {n} or more",
        "order": "transcripts in order of {key}",
        "import order": "transcripts in import order",
    },
    "sv": {
        "codings": "kodningar",
        "informants": "informanter",
        "places": "ställen",
        "share": "andel av gruppens informanter",
        "none": "inga",
        "new themes": "nya teman",
        "new sub-themes": "nya underteman",
        "cumulative": "teman och underteman hittills",
        "saturation": "färre än {n} nya efter transkription {k}",
        "not reached": "ej nådd: den sista transkriptionen gav {n} eller fler",
        "order": "transkriptioner i ordning efter {key}",
        "import order": "transkriptioner i importordning",
    },
}

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def words(lang: str) -> dict[str, str]:
    """The fixed words of a figure in ``lang`` (English when the language is not known)."""
    return WORDS.get(lang, WORDS["en"])


def heat_map_svg(chart: HeatMap, lang: str = "en") -> str:
    """The heat map as an SVG figure: shaded cells with their numbers, and a legend."""
    w = words(lang)
    cell_w, cell_h = 48, 24
    label_w = _text_width(max((_label(r.name, r.depth) for r in chart.rows), key=len, default="")) + 16
    head_h = int(_text_width(max((_cut(c) for c in chart.columns), key=len, default="")) * 0.71) + 16
    width = label_w + cell_w * len(chart.columns) + head_h + 16  # room for the last slanted label
    height = head_h + cell_h * len(chart.rows) + 70
    out = _start(width, height, chart.title, chart.to_json())
    for c, column in enumerate(chart.columns):
        x = label_w + c * cell_w + cell_w / 2
        out.append(
            f'<text x="{_n(x)}" y="{head_h - 6}" transform="rotate(-45 {_n(x)} {head_h - 6})">{_t(_cut(column))}</text>'
        )
    for r, row in enumerate(chart.rows):
        y = head_h + r * cell_h
        out.append(f'<text x="{_indent(row.depth)}" y="{_n(y + cell_h * 0.68)}">{_t(_cut(row.name))}</text>')
        for c, value in enumerate(chart.values[r]):
            x = label_w + c * cell_w
            shade = level(value, chart.top)
            fill = "#eeeeee" if value is None else FILLS[shade]
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell_w}" height="{cell_h}" fill="{fill}" stroke="#999999"'
                f' data-row="{r}" data-column="{c}" data-value="{"" if value is None else value}"/>'
            )
            if value:
                ink = "#ffffff" if shade >= 3 else "#000000"
                out.append(
                    f'<text x="{x + cell_w - 6}" y="{_n(y + cell_h * 0.68)}" text-anchor="end" fill="{ink}" class="value">'
                    f"{value}{chart.unit}</text>"
                )
    out += _shade_legend(chart, 8, head_h + cell_h * len(chart.rows) + 24, w)
    return _end(out)


def bars_svg(chart: HeatMap, lang: str = "en") -> str:
    """The grid as grouped horizontal bars: one bar per column (series) under each theme that has
    any value; the number at each bar's end, and a legend of the series."""
    w = words(lang)
    rows = [(r, row) for r, row in enumerate(chart.rows) if any(chart.values[r])]
    bar_h, gap, plot_w = 14, 10, 320
    label_w = _text_width(max((_label(row.name, row.depth) for _, row in rows), key=len, default="")) + 16
    group_h = bar_h * len(chart.columns) + gap
    height = 16 + group_h * len(rows) + 30 + 18 * len(chart.columns)
    width = label_w + plot_w + 60
    out = _start(width, height, chart.title, chart.to_json())
    top = chart.top or 1
    for g, (r, row) in enumerate(rows):
        y0 = 16 + g * group_h
        out.append(f'<text x="{_indent(row.depth)}" y="{_n(y0 + bar_h * 0.8)}">{_t(_cut(row.name))}</text>')
        for c, value in enumerate(chart.values[r]):
            y = y0 + c * bar_h
            length = plot_w * (value or 0) / top
            out.append(
                f'<rect x="{label_w}" y="{y}" width="{_n(length)}" height="{bar_h - 2}" fill="{SERIES[c % len(SERIES)]}"'
                f' data-row="{r}" data-column="{c}" data-value="{value or 0}"/>'
            )
            out.append(
                f'<text x="{_n(label_w + length + 4)}" y="{_n(y + bar_h * 0.75)}" font-size="10">{value or 0}{chart.unit}</text>'
            )
    y = 16 + group_h * len(rows) + 10
    out.append(f'<text x="8" y="{y + 4}">{_t(w.get(chart.measure, chart.measure))}:</text>')
    for c, column in enumerate(chart.columns):
        yy = y + 10 + 18 * c
        out.append(f'<rect x="8" y="{yy}" width="12" height="12" fill="{SERIES[c % len(SERIES)]}"/>')
        out.append(f'<text x="26" y="{yy + 10}">{_t(_cut(column))}</text>')
    return _end(out)


def saturation_svg(curve: Saturation, lang: str = "en") -> str:
    """New themes and sub-themes per transcript as stacked columns, the running total as a line,
    and the saturation point as a dashed line after its transcript."""
    w = words(lang)
    steps = curve.steps
    col_w, plot_h, left = 36, 200, 48
    label_h = int(_text_width(max((_cut(s.transcript) for s in steps), key=len, default="")) * 0.71) + 16
    width = left + col_w * max(len(steps), 1) + 24
    summary = _saturation_title(curve, w)
    width = max(width, _text_width(summary) + 24)
    height = 20 + plot_h + label_h + 100
    out = _start(width, height, summary, curve.to_json())
    top = max([s.cumulative_themes + s.cumulative_subthemes for s in steps] + [1])
    base = 20 + plot_h

    def y_of(value: float) -> float:
        return base - plot_h * value / top

    out.append(f'<line x1="{left}" y1="{base}" x2="{width - 16}" y2="{base}" stroke="#000000"/>')
    out.append(f'<line x1="{left}" y1="20" x2="{left}" y2="{base}" stroke="#000000"/>')
    for tick in sorted({0, top // 2, top}):
        out.append(f'<text x="{left - 6}" y="{_n(y_of(tick) + 4)}" text-anchor="end">{tick}</text>')
    points = []
    for k, step in enumerate(steps):
        x = left + k * col_w + 6
        themes, subthemes = len(step.new_themes), len(step.new_subthemes)
        out.append(
            f'<rect x="{x}" y="{_n(y_of(themes))}" width="{col_w - 12}" height="{_n(base - y_of(themes))}"'
            f' fill="{FILLS[4]}" data-step="{k + 1}" data-value="{themes}" data-kind="themes"/>'
        )
        out.append(
            f'<rect x="{x}" y="{_n(y_of(themes + subthemes))}" width="{col_w - 12}"'
            f' height="{_n(y_of(themes) - y_of(themes + subthemes))}" fill="{FILLS[2]}"'
            f' data-step="{k + 1}" data-value="{subthemes}" data-kind="subthemes"/>'
        )
        out.append(
            f'<text x="{_n(x + (col_w - 12) / 2)}" y="{_n(y_of(themes + subthemes) - 4)}" text-anchor="middle"'
            f' font-size="10">{step.new}</text>'
        )
        cx = x + (col_w - 12) / 2
        points.append(f"{_n(cx)},{_n(y_of(step.cumulative_themes + step.cumulative_subthemes))}")
        out.append(
            f'<text x="{_n(cx)}" y="{base + 12}" transform="rotate(-45 {_n(cx)} {base + 12})" text-anchor="end">'
            f"{_t(_cut(step.transcript))}</text>"
        )
    if points:
        out.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{SERIES[1]}" stroke-width="2"/>')
    if curve.point:
        x = left + curve.point * col_w
        out.append(f'<line x1="{x}" y1="20" x2="{x}" y2="{base}" stroke="#000000" stroke-dasharray="4 3"/>')
    y = base + label_h + 8
    legend = [(FILLS[4], w["new themes"]), (FILLS[2], w["new sub-themes"])]
    for i, (fill, name) in enumerate(legend):
        out.append(f'<rect x="8" y="{y + 18 * i}" width="12" height="12" fill="{fill}"/>')
        out.append(f'<text x="26" y="{y + 18 * i + 10}">{_t(name)}</text>')
    yy = y + 18 * len(legend) + 6
    out.append(f'<line x1="8" y1="{yy}" x2="20" y2="{yy}" stroke="{SERIES[1]}" stroke-width="2"/>')
    out.append(f'<text x="26" y="{yy + 4}">{_t(w["cumulative"])}</text>')
    out.append(f'<text x="8" y="{yy + 24}">{_t(summary)}</text>')
    return _end(out)


def _saturation_title(curve: Saturation, w: dict[str, str]) -> str:
    order = w["import order"] if curve.order == IMPORT_ORDER else w["order"].format(key=curve.order)
    if curve.point is None:
        return f"{order}; {w['not reached'].format(n=curve.threshold)}"
    return f"{order}; {w['saturation'].format(n=curve.threshold, k=curve.point)}"


def _shade_legend(chart: HeatMap, x: int, y: int, w: dict[str, str]) -> list[str]:
    measure = w["share"] if chart.unit == "%" else w.get(chart.measure, chart.measure)
    out = [f'<text x="{x}" y="{y}">{_t(measure)}:</text>']
    x0 = x + _text_width(measure) + 16
    items = [(FILLS[0], w["none"])] + [
        (FILLS[k], f"{low}{chart.unit}" if low == high else f"{low}–{high}{chart.unit}")
        for k, low, high in level_ranges(chart.top)
    ]
    for fill, text in items:
        out.append(f'<rect x="{_n(x0)}" y="{y - 11}" width="14" height="14" fill="{fill}" stroke="#999999"/>')
        out.append(f'<text x="{_n(x0 + 18)}" y="{y}">{_t(text)}</text>')
        x0 += 18 + _text_width(text) + 14
    return out


def _start(width: float, height: float, title: str, data: dict) -> list[str]:
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(width)}" height="{_n(height)}"'
        f' viewBox="0 0 {_n(width)} {_n(height)}" font-family="DejaVu Sans, Arial, sans-serif" font-size="{FONT}">',
        f"<title>{_t(title)}</title>",
        f'<metadata id="chart-data">{_t(payload)}</metadata>',
        f'<rect x="0" y="0" width="{_n(width)}" height="{_n(height)}" fill="#ffffff"/>',
    ]


def _end(out: list[str]) -> str:
    return "\n".join([*out, "</svg>"]) + "\n"


def _t(text: str) -> str:
    """Text as XML character data: escaped, and code points XML cannot hold replaced."""
    return escape(_NOT_XML.sub("\ufffd", text))


def _cut(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(name: str, depth: int) -> str:
    """A row label as wide as it is drawn: indented by depth (SVG collapses spaces, so the indent
    is drawn as an offset, see ``_indent``)."""
    return "  " * depth + _cut(name)


def _indent(depth: int) -> int:
    return 8 + int(2 * depth * CHAR)


def _text_width(text: str) -> int:
    return int(len(text) * CHAR + 0.5)


def _n(value: float) -> str:
    """A coordinate with at most one decimal, the same text on every machine."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text
