"""The analysis as pictures: the framework matrix and co-occurrence as heat maps, themes as bars
by a case attribute, and the saturation curve. Opened from the framework matrix (F5, then c).

The screen computes each chart with workbench.study.charts and shows the text that
workbench.display.charts draws (shade characters and numbers, so it reads without colour); the
same charts as ``workbench chart``. Keys 1-4 switch the chart; the others change what it shows.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer, Static

from workbench.display import charts as draw
from workbench.domain.charts.heat_map import COUNT, SHARE
from workbench.domain.charts.saturation import IMPORT_ORDER
from workbench.errors import WorkbenchError
from workbench.study import Study, charts
from workbench.study.analysis import BY_CASE
from workbench.tui.frame_pacing import NoLayoutOnCloseScreen

KINDS = ("matrix", "bars", "cooccurrence", "saturation")
NAMES = {"matrix": "Heat map", "bars": "Bars", "cooccurrence": "Co-occurrence", "saturation": "Saturation"}


class ChartScreen(NoLayoutOnCloseScreen, Screen):
    """One chart at a time over the whole study; 1-4 switch between them."""

    BINDINGS = [
        Binding("1", "show('matrix')", "Heat map", id="charts.matrix"),
        Binding("2", "show('bars')", "Bars", id="charts.bars"),
        Binding("3", "show('cooccurrence')", "Co-occur", id="charts.cooccurrence"),
        Binding("4", "show('saturation')", "Saturation", id="charts.saturation"),
        Binding("b", "next_by", "Columns", show=False, id="charts.next_by"),
        Binding("v", "toggle_share", "Count/share", show=False, id="charts.share"),
        Binding("u", "toggle_unit", "Span/turn", show=False, id="charts.unit"),
        Binding("o", "next_order", "Order", show=False, id="charts.order"),
        Binding("plus,equals_sign", "threshold(1)", "Threshold +", show=False, id="charts.threshold_up"),
        Binding("minus", "threshold(-1)", "Threshold -", show=False, id="charts.threshold_down"),
        Binding("escape,q", "close", "Back", id="charts.close"),
    ]
    DEFAULT_CSS = """
    ChartScreen #chart-title { height: 1; padding: 0 1; background: $panel; }
    ChartScreen #chart-scroll { height: 1fr; }
    ChartScreen #chart { width: auto; height: auto; padding: 0 1; }
    """

    def __init__(self, study: Study, kind: str = "matrix", by: str = BY_CASE, theme: str | None = None) -> None:
        super().__init__()
        self.study = study
        self.kind = kind
        self.by = by
        self.theme_filter = theme
        self.mode = COUNT
        self.unit = "span"
        self.order: str | None = None  # None: the attribute of interview dates, else import order
        self.threshold = 1
        self.bars_by = by if by != BY_CASE else _grouping_attribute(study)

    def compose(self) -> ComposeResult:
        yield Static("", id="chart-title", markup=False)
        with ScrollableContainer(id="chart-scroll"):
            yield Static("", id="chart", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_chart()
        self.query_one("#chart-scroll").focus()

    def on_resize(self, _event: Resize) -> None:
        self.refresh_chart()

    # -- drawing -------------------------------------------------------------------------------

    def chart_text(self, width: int) -> Text:
        """The current chart drawn ``width`` columns wide."""
        if self.kind == "matrix":
            return draw.heat_map_text(charts.matrix_heat_map(self.study, self.by, self.theme_filter, self.mode), width)
        if self.kind == "bars":
            if self.bars_by is None:
                return Text("Bars compare the groups of a case attribute, and no case has attributes yet.")
            return draw.bars_text(charts.bar_chart(self.study, self.bars_by, self.theme_filter, self.mode), width)
        if self.kind == "cooccurrence":
            return draw.heat_map_text(charts.cooccurrence_heat_map(self.study, self.unit), width)
        return draw.saturation_text(charts.saturation_curve(self.study, self.order, self.threshold), width)

    def refresh_chart(self) -> None:
        width = max(self.size.width - 3, 40)  # the padding and a vertical scroll bar
        try:
            text = self.chart_text(width)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            text = Text(str(exc))
        self.query_one("#chart", Static).update(text)
        self.query_one("#chart-title", Static).update(self.title_line())

    def title_line(self) -> str:
        keys = {
            "matrix": "b columns · v count/share",
            "bars": "b attribute · v count/share",
            "cooccurrence": "u span/turn",
            "saturation": "o order · +/- threshold",
        }[self.kind]
        return f"{NAMES[self.kind]} · 1-4 chart · {keys} · esc back"

    # -- actions -------------------------------------------------------------------------------

    def action_show(self, kind: str) -> None:
        self.kind = kind
        self.refresh_chart()

    def action_next_by(self) -> None:
        keys = charts.attribute_keys(self.study)
        if self.kind == "bars":
            if keys:
                self.bars_by = _next(keys, self.bars_by)
        else:
            self.by = _next([BY_CASE, *keys], self.by)
        self.refresh_chart()

    def action_toggle_share(self) -> None:
        self.mode = SHARE if self.mode == COUNT else COUNT
        self.refresh_chart()

    def action_toggle_unit(self) -> None:
        self.unit = "turn" if self.unit == "span" else "span"
        self.refresh_chart()

    def action_next_order(self) -> None:
        current = self.order or charts.interview_date_key(self.study) or IMPORT_ORDER
        self.order = _next([IMPORT_ORDER, *charts.attribute_keys(self.study)], current)
        self.refresh_chart()

    def action_threshold(self, step: int) -> None:
        self.threshold = max(1, self.threshold + step)
        self.refresh_chart()

    def action_close(self) -> None:
        self.app.pop_screen()


def _next(choices: list[str], current: str | None) -> str:
    at = next((i for i, c in enumerate(choices) if current and c.casefold() == current.casefold()), -1)
    return choices[(at + 1) % len(choices)]


def _grouping_attribute(study: Study) -> str | None:
    """The first attribute (alphabetically) that splits the cases into 2 to 6 groups, e.g. size or
    cluster; else the first attribute; None when no case has attributes."""
    cases = study.cases().values()
    keys = charts.attribute_keys(study)
    for key in keys:
        if 2 <= len({attrs[key] for attrs in cases if key in attrs}) <= 6:
            return key
    return keys[0] if keys else None
