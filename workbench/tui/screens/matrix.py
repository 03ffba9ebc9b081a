"""The framework matrix: themes x cases (or x the values of a case attribute), with the quotes of
a cell below the table.

The screen owns the study: it computes the matrix with workbench.study.analysis and hands plain rows
to the DataTable; enter on a cell lists that cell's quotes. Column labels (cases, attribute
values), theme names and quotes are study text: each goes through the terminal-safe rule.
"""

from __future__ import annotations

import os

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from workbench.display.rich_text import line
from workbench.display.safe_text import visible
from workbench.domain.models import Quote
from workbench.errors import WorkbenchError
from workbench.study import Study
from workbench.study.analysis import BY_CASE, Matrix, cell_quotes, theme_attribute_matrix
from workbench.tui.frame_pacing import NoLayoutOnCloseScreen
from workbench.tui.screens.dialogs import ChoiceDialog


class FrameworkMatrixScreen(NoLayoutOnCloseScreen, Screen):
    """Codings per theme and case (or attribute value); enter shows the quotes of a cell."""

    BINDINGS = [
        Binding("b", "next_by", "Columns", id="matrix.next_by"),
        Binding("B", "choose_by", "Columns…", show=False, id="matrix.choose_by"),
        Binding("c", "charts", "Charts", id="matrix.charts"),
        Binding("escape,q", "close", "Back", id="matrix.close"),
    ]
    DEFAULT_CSS = """
    FrameworkMatrixScreen #matrix-title { height: 1; padding: 0 1; background: $panel; }
    FrameworkMatrixScreen #matrix-table { height: 1fr; border: round $panel; }
    FrameworkMatrixScreen #matrix-table:focus { border: round $accent; }
    FrameworkMatrixScreen #matrix-quotes-scroll { height: 40%; border: round $panel; }
    FrameworkMatrixScreen #matrix-quotes { padding: 0 1; }
    """

    def __init__(self, study: Study, by: str = BY_CASE, theme: str | None = None) -> None:
        super().__init__()
        self.study = study
        self.by = by
        self.theme_filter = theme
        self.matrix: Matrix | None = None
        self.shown: list[Quote] = []  # the quotes listed below the table

    def compose(self) -> ComposeResult:
        yield Static("", id="matrix-title", markup=False)
        yield DataTable(id="matrix-table", cursor_type="cell", zebra_stripes=True)
        with VerticalScroll(id="matrix-quotes-scroll"):
            yield Static("Enter on a cell lists its quotes here.", id="matrix-quotes", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_matrix()
        self.query_one(DataTable).focus()

    # -- data ----------------------------------------------------------------------------------

    def by_choices(self) -> list[str]:
        """``case`` and then every case attribute, in the order `b` steps through them."""
        keys = sorted({k for attrs in self.study.cases().values() for k in attrs}, key=str.casefold)
        return [BY_CASE, *keys]

    def refresh_matrix(self) -> None:
        try:
            self.matrix = theme_attribute_matrix(self.study, self.by, self.theme_filter)
        except WorkbenchError as exc:
            self.notify(str(exc), severity="error")
            self.by = BY_CASE
            self.matrix = theme_attribute_matrix(self.study, BY_CASE, self.theme_filter)
        matrix = self.matrix
        table = self.query_one(DataTable)
        table.clear(columns=True)
        labels, prefix = short_labels(["(no value)" if c is None else str(c) for c in matrix.columns])
        for label in labels:
            table.add_column(line(label))
        table.add_column("total")
        per_case = matrix.by == BY_CASE
        for row in matrix.rows:
            label = Text("  " * row.depth)
            label.append("■ ", style=row.color)
            label.append(visible(row.theme.rsplit("/", 1)[-1]))
            table.add_row(*(_cell(c, per_case) for c in row.cells), _cell(row.total, per_case), label=label)
        what = "cases" if per_case else f"{visible(matrix.by)} (codings / informants)"
        if prefix:
            what += f" ({visible(prefix)}… left out of the column names)"
        self.query_one("#matrix-title", Static).update(
            f"Framework matrix: themes x {what}. {matrix.total.codings} codings. "
            "enter: quotes of a cell · b: switch columns · esc: back"
        )
        self.shown = []
        self.query_one("#matrix-quotes", Static).update("Enter on a cell lists its quotes here.")

    # -- actions -------------------------------------------------------------------------------

    @on(DataTable.CellSelected)
    def show_cell(self, event: DataTable.CellSelected) -> None:
        if self.matrix is None:
            return
        row, column = event.coordinate.row, event.coordinate.column
        in_matrix = column < len(self.matrix.columns)
        self.shown = cell_quotes(self.study, self.matrix, row, column if in_matrix else None)
        theme = self.matrix.rows[row].theme
        where = _column_name(self.matrix, column) if in_matrix else "all columns"
        self.query_one("#matrix-quotes", Static).update(_quotes_text(theme, where, self.shown))
        self.query_one("#matrix-quotes-scroll", VerticalScroll).scroll_home(animate=False)

    def action_next_by(self) -> None:
        choices = self.by_choices()
        current = next((i for i, c in enumerate(choices) if c.casefold() == self.by.casefold()), -1)
        self.by = choices[(current + 1) % len(choices)]
        self.refresh_matrix()

    def action_choose_by(self) -> None:
        choices = self.by_choices()
        current = next((i for i, c in enumerate(choices) if c.casefold() == self.by.casefold()), 0)
        self.app.push_screen(
            ChoiceDialog("Columns of the matrix", [(c, c) for c in choices], highlighted=current), self._chosen
        )

    def _chosen(self, by: str | None) -> None:
        if by:
            self.by = by
            self.refresh_matrix()

    def action_charts(self) -> None:
        """The charts: this matrix as a heat map, bars, co-occurrence, saturation (1-4 there)."""
        from workbench.tui.screens.charts import ChartScreen

        self.app.push_screen(ChartScreen(self.study, by=self.by, theme=self.theme_filter))

    def action_close(self) -> None:
        self.app.pop_screen()


def short_labels(labels: list[str]) -> tuple[list[str], str]:
    """Column names without the start they all share (``informant_1``, ``informant_2`` -> ``1``,
    ``2``), so a column is as wide as its counts; returns the names and the prefix left out.

    Only a prefix of three or more characters that ends at a word boundary (before a digit, or
    after ``_``, ``-``, a space or a dot) and leaves every name non-empty is left out.
    """
    if len(labels) < 2:
        return labels, ""
    prefix = os.path.commonprefix(labels)
    while prefix and not (prefix[-1] in "_-. " or all(label[len(prefix)].isdigit() for label in labels)):
        prefix = prefix[:-1]
    if len(prefix) < 3 or any(len(label) == len(prefix) for label in labels):
        return labels, ""
    return [label[len(prefix) :] for label in labels], prefix


def _cell(cell, per_case: bool) -> Text:
    if not cell.codings:
        return Text("·", style="dim", justify="right")
    return Text(str(cell.codings) if per_case else f"{cell.codings}/{cell.informants}", justify="right")


def _column_name(matrix: Matrix, column: int) -> str:
    value = matrix.columns[column]
    if matrix.by == BY_CASE:
        return str(value)
    return f"{matrix.by} = {'(no value)' if value is None else value}"


def _quotes_text(theme: str, where: str, quotes: list[Quote]) -> Text:
    text = Text()
    text.append(f"{visible(theme)} × {visible(where)}: {len(quotes)} quote(s)\n", style="bold")
    for q in quotes:
        text.append(f"\n#{q.id} {visible(q.transcript)} {q.start}..{q.end}", style="dim")
        if q.case and q.case != q.transcript:
            text.append(f" ({visible(q.case)})", style="dim")
        text.append(f"\n“{visible(q.text, line_break='')}”\n")
    return text
