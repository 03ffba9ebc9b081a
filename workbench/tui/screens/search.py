"""The search screen: every hit of a word or phrase across the transcripts, as keyword in context.

Type a pattern, with the command line's options if you like (``avtal --word --where size=smaller
--speaker Informant --uncoded``), and press enter: the hits come in transcript by transcript (the
matching runs in a thread, away from the study's connection, so a long search never holds up the
screen), each with its context aligned on the hit, and the hits per transcript above them. Enter
on a hit goes back to the coding screen with the hit selected in the transcript pane, ready for a
theme key; ``a`` codes every listed hit with a theme (after asking), as one undoable step.

The screen reads; it changes nothing itself. What the researcher asks for goes back to the coding
screen as the screen's result (:class:`Jump` or :class:`CodeAll`), where every change goes through
the one saver.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from workbench.display.kwic import kwic_text
from workbench.display.rich_text import line
from workbench.display.safe_text import visible
from workbench.domain.models import Theme
from workbench.domain.text_search import SearchOptions
from workbench.errors import WorkbenchError
from workbench.study import Study
from workbench.study.search import UNITS, SearchFilters, SearchHit, search_scope
from workbench.tui.frame_pacing import NoLayoutOnCloseScreen
from workbench.tui.screens.dialogs import ConfirmDialog, ThemePickerDialog

LEFT = 36  # cells of context before the hit
LABEL = 22  # cells for transcript and turn


@dataclass(frozen=True)
class SearchRequest:
    """A search as typed in the search line: the pattern, how to match it, which hits to keep."""

    text: str
    options: SearchOptions
    filters: SearchFilters
    unit: str = "hit"


@dataclass(frozen=True)
class Jump:
    """Go to ``hits[index]`` in the transcript pane (``hits``: the listed hits, for n / N)."""

    request: SearchRequest
    hits: list[SearchHit]
    index: int


@dataclass(frozen=True)
class CodeAll:
    """Code every one of ``hits`` (or its sentence or turn) with the theme at ``theme_path``."""

    request: SearchRequest
    hits: list[SearchHit]
    theme_path: str


_FLAGS = {"--regex": "regex", "--word": "whole_word", "--case-sensitive": "case_sensitive"}
_FLAGS |= {"--ignore-accents": "ignore_accents"}


def parse_request(typed: str) -> SearchRequest:
    """The search line read as the command line reads ``workbench search`` (the pattern is the
    words that are not options; quote a phrase that begins with ``--``)."""
    try:
        words = shlex.split(typed)
    except ValueError as error:
        raise WorkbenchError(f"cannot read the search: {error}") from None
    flags = dict.fromkeys(_FLAGS.values(), False)
    transcripts: list[str] = []
    where: dict[str, set[str]] = {}
    speaker = coded_with = None
    uncoded = False
    unit = "hit"
    pattern: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word in _FLAGS:
            flags[_FLAGS[word]] = True
        elif word == "--uncoded":
            uncoded = True
        elif word in ("--transcript", "--where", "--speaker", "--coded-with", "--unit"):
            if i + 1 >= len(words):
                raise WorkbenchError(f"{word} needs a value")
            i += 1
            value = words[i]
            if word == "--transcript":
                transcripts.append(value)
            elif word == "--where":
                key, sep, wanted = value.partition("=")
                if not sep or not key.strip():
                    raise WorkbenchError(f"--where {value!r}: expected KEY=VALUE")
                where.setdefault(key.strip(), set()).add(wanted.strip())
            elif word == "--speaker":
                speaker = value
            elif word == "--coded-with":
                coded_with = value
            elif value not in UNITS:
                raise WorkbenchError(f"--unit {value!r}: choose hit, sentence or turn")
            else:
                unit = value
        elif word.startswith("--"):
            raise WorkbenchError(f"unknown option {word} (see F1 on the search screen)")
        else:
            pattern.append(word)
        i += 1
    if not pattern:
        raise WorkbenchError("type a word or phrase to search for")
    options = SearchOptions(" ".join(pattern), **flags)
    filters = SearchFilters(tuple(transcripts), where or None, speaker, uncoded, coded_with)
    return SearchRequest(typed, options, filters, unit)


class SearchScreen(NoLayoutOnCloseScreen, Screen):
    """Search every transcript; enter jumps to a hit, ``a`` codes all listed hits."""

    BINDINGS = [
        Binding("escape", "close", "Back", id="search.close"),
        Binding("a", "code_all", "Code all hits…", id="search.code_all"),
        Binding("slash", "focus_query", "Search line", id="search.focus_query"),
    ]
    DEFAULT_CSS = """
    SearchScreen #search-query { margin: 0 0; }
    SearchScreen #search-summary { height: auto; max-height: 4; padding: 0 1; background: $panel; }
    SearchScreen #search-hits { height: 1fr; border: round $panel; }
    SearchScreen #search-hits:focus { border: round $accent; }
    """

    def __init__(self, study: Study, themes: list[Theme], typed: str = "", highlighted_theme: int | None = None):
        super().__init__()
        self.study = study
        self.themes = themes
        self.typed = typed
        self.highlighted_theme = highlighted_theme
        self.request: SearchRequest | None = None
        self.hits: list[SearchHit] = []
        self.counts: dict[str, int] = {}
        self.searching = False
        self._generation = 0  # which search the hits coming in belong to (an older one's are dropped)

    def compose(self) -> ComposeResult:
        yield Input(
            value=self.typed,
            placeholder="word or phrase  [--word --regex --ignore-accents --where K=V --speaker S --uncoded ...]",
            id="search-query",
        )
        yield Static("Type what to look for in every transcript, then enter.", id="search-summary", markup=False)
        yield OptionList(id="search-hits")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search-hits", OptionList).border_title = "Hits"
        self.query_one("#search-query", Input).focus()
        if self.typed.strip():
            self.run_search(self.typed)

    @property
    def hit_list(self) -> OptionList:
        return self.query_one("#search-hits", OptionList)

    # -- searching -------------------------------------------------------------------------------

    @on(Input.Submitted, "#search-query")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_search(event.value)

    def run_search(self, typed: str) -> None:
        """Start a search for ``typed``; its hits come in transcript by transcript."""
        try:
            request = parse_request(typed)
            scope = search_scope(self.study, request.filters)  # read here: the connection is this thread's
            # A bad pattern fails now, in this thread, before anything is cleared.
            hits_of = scope.hits(request.options)
        except WorkbenchError as error:
            self.notify(str(error), severity="error", timeout=6)
            return
        self.request, self.typed = request, typed
        self.hits, self.counts = [], {}
        self.hit_list.clear_options()
        self.searching = True
        self._generation += 1
        self._show_summary(len(scope.transcripts))
        self._match(hits_of, len(scope.transcripts), self._generation)

    @work(thread=True, exclusive=True, group="search")
    def _match(self, hits_of, total: int, generation: int) -> None:
        worker = get_current_worker()
        for name, found in hits_of:
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self._add_hits, name, found, total, generation)
        self.app.call_from_thread(self._finished, total, generation)

    def _add_hits(self, name: str, found: list[SearchHit], total: int, generation: int) -> None:
        if generation != self._generation:
            return
        self.counts[name] = len(found)
        first = len(self.hits)
        self.hits.extend(found)
        self.hit_list.add_options([Option(self._row(hit), id=str(first + i)) for i, hit in enumerate(found)])
        if first == 0 and found and self.hit_list.highlighted is None:
            self.hit_list.highlighted = 0
        self._show_summary(total)

    def _finished(self, total: int, generation: int) -> None:
        if generation != self._generation:
            return
        self.searching = False
        self._show_summary(total)
        if self.hits and self.focused is self.query_one("#search-query", Input):
            self.hit_list.focus()

    def _row(self, hit: SearchHit) -> Text:
        """One line: transcript and turn, the hit in context (aligned), and (if there is room) the speaker."""
        room = max(30, self.size.width - 6 - LABEL)  # the list's border, padding and scroll bar
        speaker = f"  {hit.speaker}"[:18] if hit.speaker and room >= 90 else ""
        left = max(8, min(LEFT, room * 2 // 5))
        right = max(4, room - left - cell_len(visible(hit.text)) - len(speaker))
        where = f"{hit.transcript}" + (f" t{hit.turn}" if hit.turn else "")
        label = line(where[: LABEL - 1].ljust(LABEL), "dim")
        row = Text.assemble(label, kwic_text(hit.before, hit.text, hit.after, left, right))
        if speaker:
            row.append(line(speaker, "dim italic"))
        row.no_wrap = True
        return row

    def _show_summary(self, total: int) -> None:
        with_hits = [(name, n) for name, n in self.counts.items() if n]
        state = f"searching… {len(self.counts)}/{total} transcripts" if self.searching else f"{total} transcripts"
        head = f"{len(self.hits)} hit(s) in {len(with_hits)} of {state}"
        if self.request is not None:
            head = f"“{self.request.options.pattern}”: " + head
        per = " · ".join(f"{name} {n}" for name, n in with_hits)
        self.query_one("#search-summary", Static).update(
            line(head + ("  —  " + per if per else "") + "   (enter: go to hit · a: code all · esc: back)")
        )

    # -- what the researcher asks for -------------------------------------------------------------

    @on(OptionList.OptionSelected, "#search-hits")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.request is None or event.option.id is None:
            return
        self.dismiss(Jump(self.request, list(self.hits), int(event.option.id)))

    def action_code_all(self) -> None:
        """Code every listed hit with a theme (asks which, then asks to confirm)."""
        if self.request is None or not self.hits or self.searching:
            self.notify("Search first; code all hits once the search is done.", timeout=4)
            return
        self.app.push_screen(
            ThemePickerDialog(self.themes, self.highlighted_theme, title="Code all hits with"), self._picked
        )

    def _picked(self, result) -> None:
        if not result:
            return
        if result[0] != "existing":
            self.notify("Choose an existing theme (add new themes in the theme palette).", timeout=5)
            return
        theme = next((t for t in self.themes if t.id == result[1]), None)
        if theme is None or self.request is None:
            return
        request, hits = self.request, list(self.hits)
        unit = "" if request.unit == "hit" else f" (each hit's {request.unit})"
        question = (
            f"Code {len(hits)} hit(s){unit} with {theme.path}? Passages already coded with it are "
            "skipped. One step: u undoes it."
        )
        self.app.push_screen(
            ConfirmDialog(question, "Code all"),
            lambda yes: yes and self.dismiss(CodeAll(request, hits, theme.path)),
        )

    def action_focus_query(self) -> None:
        self.query_one("#search-query", Input).focus()

    def action_close(self) -> None:
        self.workers.cancel_group(self, "search")
        self.dismiss(None)
