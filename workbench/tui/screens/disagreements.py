"""Stepping through the disagreements between coders, the passage side by side per coder.

The agreement report is computed in a worker with its own connection to the study file (SQLite
connections belong to one thread), so a large study never freezes the screen. Coder names,
themes, speakers and passages are study text: each goes through the terminal-safe rule.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from workbench.display.rich_text import block, line
from workbench.display.safe_text import visible
from workbench.errors import WorkbenchError
from workbench.study import Study
from workbench.study.agreement import AgreementReport, Disagreement, agreement
from workbench.study.demo import DEMO_CODER
from workbench.tui.frame_pacing import NoLayoutOnCloseScreen

CONTEXT = 240  # characters shown around a disagreement, within its turn


class DisagreementsScreen(NoLayoutOnCloseScreen, Screen):
    """One disagreement at a time: where it is, and what each coder did there (n / p to step)."""

    BINDINGS = [
        Binding("n,right,j", "step(1)", "Next", id="disagreements.next"),
        Binding("p,left,k", "step(-1)", "Previous", id="disagreements.previous"),
        Binding("g,home", "jump(0)", "First", show=False, id="disagreements.first"),
        Binding("G,end", "jump(-1)", "Last", show=False, id="disagreements.last"),
        Binding("escape,q", "close", "Back", id="disagreements.close"),
    ]
    DEFAULT_CSS = """
    DisagreementsScreen #disagreement-summary { height: auto; padding: 0 1; background: $panel; }
    DisagreementsScreen #disagreement-where { height: auto; padding: 0 1; margin-top: 1; }
    DisagreementsScreen #disagreement-sides { height: 1fr; }
    DisagreementsScreen .coder-side { width: 1fr; border: round $panel; padding: 0 1; }
    DisagreementsScreen .coder-side.-coded { border: round $accent; }
    """

    def __init__(
        self, study: Study, coders: tuple[str, str] | list[str], unit: str = "char", theme: str | None = None
    ) -> None:
        super().__init__()
        self.study = study
        self.coders = list(coders)
        self.unit = unit
        self.theme_filter = theme
        self.report: AgreementReport | None = None
        self.position = 0
        self._transcript_texts: dict[str, str] = {}
        self._codings_of: dict[str, list] = {}
        self._theme_colours = {t.path: t.color for t in study.themes()}

    def compose(self) -> ComposeResult:
        yield Static("Measuring agreement…", id="disagreement-summary", markup=False)
        yield Static("", id="disagreement-where", markup=False)
        with Horizontal(id="disagreement-sides"):
            for i, coder in enumerate(self.coders):
                with VerticalScroll(classes="coder-side", id=f"side-{i}") as side:
                    side.border_title = line(coder)
                    yield Static("", classes="coder-passage", id=f"passage-{i}", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        path, coders, unit, theme = self.study.path, self.coders, self.unit, self.theme_filter

        def measure() -> AgreementReport:
            with Study.open(path) as own:  # this thread's own connection
                return agreement(own, coders, unit=unit, theme=theme)

        self.run_worker(measure, thread=True, exclusive=True, name="agreement", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "agreement":
            return
        if event.state == WorkerState.SUCCESS:
            self.report = event.worker.result
            self.position = 0
            self.show_current()
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            message = str(error) if isinstance(error, WorkbenchError) else f"could not measure agreement: {error}"
            self.query_one("#disagreement-summary", Static).update(line(f"error: {message}"))

    # -- showing -------------------------------------------------------------------------------

    @property
    def current(self) -> Disagreement | None:
        if self.report is None or not self.report.disagreements:
            return None
        return self.report.disagreements[self.position]

    def show_current(self) -> None:
        report = self.report
        if report is None:
            return
        overall = report.overall
        units = "characters" if report.unit == "char" else "turns"
        figures = [
            f"agreement {_number(overall.percent_agreement, 1)}%",
            f"kappa {_number(overall.kappa)}",
            f"alpha {_number(overall.alpha)}",
        ]
        total = len(report.disagreements)
        head = (
            f"{' vs '.join(report.coders)} by {units}, {len(report.transcripts)} transcript(s): {', '.join(figures)}."
        )
        step = f" Disagreement {self.position + 1} of {total}  (n / p to step, esc back)" if total else ""
        summary = line(head + step).copy()
        if DEMO_CODER in report.coders:
            summary.append(
                f"\nNote: {DEMO_CODER!r} is the coder of the sample study's own codings, not a second "
                "researcher, so these figures say nothing about your coding. Agreement compares two people "
                "who coded the same transcripts each on their own: bring the other's study in with "
                "`workbench merge STUDY OTHER.db`.",
                style="italic",
            )
        self.query_one("#disagreement-summary", Static).update(summary)
        current = self.current
        if current is None:
            self.query_one("#disagreement-where", Static).update(
                "No disagreements: the coders agree on every unit compared."
                if report.transcripts
                else "Nothing to compare: no transcript is coded by two of these coders."
            )
            for i in range(len(self.coders)):
                self.query_one(f"#passage-{i}", Static).update("")
            return
        where = Text()
        where.append(visible(current.theme), style="bold")
        where.append(f"  {visible(current.transcript)} {current.start}..{current.end}")
        if current.turn is not None:
            where.append(f"  turn {current.turn}" + (f", {visible(current.speaker)}" if current.speaker else ""))
        self.query_one("#disagreement-where", Static).update(where)
        for i, coder in enumerate(self.coders):
            side = self.query_one(f"#side-{i}", VerticalScroll)
            side.set_class(coder in current.coded_by, "-coded")
            self.query_one(f"#passage-{i}", Static).update(self._side(current, coder))
            side.scroll_home(animate=False)

    def _side(self, d: Disagreement, coder: str) -> Text:
        """What ``coder`` did: a verdict, the themes they applied here, and the passage in context
        with their codings of the theme highlighted and the disputed span underlined."""
        text = Text()
        if coder in d.coded_by:
            text.append(f"coded it as {visible(d.theme)}\n", style="bold")
        elif coder in d.not_coded_by:
            text.append(f"did not code it as {visible(d.theme)}\n", style="bold")
        else:
            text.append("did not code this transcript\n", style="bold")
        applied = self.report.applied(d) if self.report else {}
        text.append(f"themes here: {visible(', '.join(applied.get(coder, []))) or 'none'}\n\n", style="dim")
        full = self._transcript_text(d.transcript)
        start, end = self._context_span(d, len(full))
        passage = block(full[start:end])  # one shown character per stored one: the styles below still fit
        if coder in applied:
            for coding in self._transcript_codings(d.transcript):
                if coding.coder == coder and coding.theme_path == d.theme and coding.start < end and coding.end > start:
                    colour = self._theme_colours.get(d.theme, "yellow")
                    passage.stylize(f"reverse {colour}", max(coding.start, start) - start, min(coding.end, end) - start)
        passage.stylize("bold underline", d.start - start, d.end - start)
        text.append("…" if start > 0 else "")
        text.append_text(passage)
        text.append("…" if end < len(full) else "")
        return text

    def _context_span(self, d: Disagreement, length: int) -> tuple[int, int]:
        if d.turn is not None:
            turn = next((t for t in self.study.turns(d.transcript) if t.start <= d.start < t.end), None)
            if turn is not None:
                return max(turn.start, d.start - CONTEXT), min(turn.end, max(d.end, d.start) + CONTEXT)
        return max(0, d.start - CONTEXT), min(length, d.end + CONTEXT)

    def _transcript_codings(self, transcript: str) -> list:
        if transcript not in self._codings_of:
            self._codings_of[transcript] = self.study.codings(transcript)
        return self._codings_of[transcript]

    def _transcript_text(self, transcript: str) -> str:
        if transcript not in self._transcript_texts:
            self._transcript_texts[transcript] = self.study.transcript_text(transcript)
        return self._transcript_texts[transcript]

    # -- actions -------------------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        if self.report and self.report.disagreements:
            self.position = (self.position + delta) % len(self.report.disagreements)
            self.show_current()

    def action_jump(self, where: int) -> None:
        if self.report and self.report.disagreements:
            self.position = where % len(self.report.disagreements)
            self.show_current()

    def action_close(self) -> None:
        self.app.pop_screen()


def _number(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "n/a"
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # "0.000", not "-0.000"
