"""The coding screen: transcript pane, theme palette and quote board over one open study.

The screen owns the widgets and the study: widgets post messages up, the screen calls the study
(every call is one committed transaction) and sets the new data back on the widgets.
"""

from __future__ import annotations

import gc
import json
import time

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer

from workbench.domain.models import Quote, Theme
from workbench.errors import WorkbenchError
from workbench.study import Study
from workbench.tui.screens.dialogs import ChoiceDialog, ConfirmDialog, HelpDialog, TextDialog, ThemePickerDialog
from workbench.tui.screens.theme_editing import ThemeEditing
from workbench.tui.widgets.quote_board import QuoteBoard
from workbench.tui.widgets.status_line import StatusLine
from workbench.tui.widgets.theme_palette import ThemePalette
from workbench.tui.widgets.transcript_view import Mark, TranscriptView

WIDE = 120  # columns from which the three panes stand side by side
# seconds: Textual writes a frame from a thread of its own; a big board built at once after the
# first frame would hold the interpreter and leave that frame half-written for its whole build.
WRITE_OUT = 0.05
NOTE_SECONDS = 3.0  # how long a "coded ..." note survives cursor moves
PANE_NAMES = {"TranscriptView": "Transcript pane", "ThemePalette": "Theme palette", "QuoteCardList": "Quote board"}


def comparison_keys(cases: dict[str, dict[str, str]]) -> list[str]:
    """The attributes that sort cases into groups (size, cluster ...): shared values, not ids.

    These are what a card's attribution shows; an attribute with a value per case (a name, a
    date) would only lengthen every card.
    """
    values: dict[str, set[str]] = {}
    for attrs in cases.values():
        for key, value in attrs.items():
            values.setdefault(key, set()).add(value)
    return sorted(k for k, v in values.items() if 2 <= len(v) < max(3, len(cases) / 2))


class CodingScreen(ThemeEditing, Screen):
    """Read a transcript, code passages with one key, and pick quotes for the chapter."""

    BINDINGS = [
        Binding("c", "code_with", "Code with…", id="coding.code_with"),
        Binding("x", "uncode", "Uncode", id="coding.uncode"),
        Binding("R", "recode", "Recode", show=False, id="coding.recode"),
        Binding("full_stop", "next_coding(1)", "Next coding", show=False, id="coding.next_coding"),
        Binding("comma", "next_coding(-1)", "Previous coding", show=False, id="coding.previous_coding"),
        Binding("greater_than_sign", "next_coding_of_theme(1)", "Next of theme", show=False, id="coding.next_of_theme"),
        Binding("less_than_sign", "next_coding_of_theme(-1)", "Previous of theme", show=False, id="coding.previous_of_theme"),
        Binding("slash", "search", "Search", id="coding.search"),
        Binding("n", "search_next(1)", "Next hit", show=False, id="coding.search_next"),
        Binding("N", "search_next(-1)", "Previous hit", show=False, id="coding.search_previous"),
        Binding("o", "switch_transcript", "Transcripts", id="coding.switch_transcript"),
        Binding("ctrl+e", "memo", "Memo…", show=False, id="coding.memo"),
        Binding("E", "chapter", "Chapter", id="coding.chapter"),
        Binding("f5", "matrix", "Matrix", show=False, id="coding.matrix"),
        Binding("f6", "disagreements", "Agreement", show=False, id="coding.disagreements"),
        Binding("f7", "review", "Review", show=False, id="coding.review"),
        Binding("u", "undo", "Undo", id="coding.undo"),
        Binding("U,ctrl+r", "redo", "Redo", show=False, id="coding.redo"),
        Binding("f2", "focus_pane('transcript')", "Transcript", show=False, id="coding.focus_transcript"),
        Binding("f3", "focus_pane('palette')", "Themes", show=False, id="coding.focus_palette"),
        Binding("f4", "focus_pane('board')", "Quotes", id="coding.focus_board"),
        Binding("f1,question_mark", "help", "Help", id="coding.help"),
        Binding("q", "app.quit", "Quit", id="coding.quit"),
    ]

    DEFAULT_CSS = """
    CodingScreen #panes { height: 1fr; }
    CodingScreen TranscriptView { width: 1fr; border: round $panel; }
    CodingScreen ThemePalette { width: 30; border: round $panel; }
    CodingScreen QuoteBoard { width: 40; border: round $panel; }
    CodingScreen TranscriptView:focus-within, CodingScreen ThemePalette:focus-within,
    CodingScreen QuoteBoard:focus-within { border: round $accent; }
    /* Narrow terminals: the quote board becomes its own view (F4), the palette narrows. */
    CodingScreen.-narrow ThemePalette { width: 26; }
    CodingScreen.-narrow QuoteBoard { display: none; }
    CodingScreen.-narrow.-board-view TranscriptView { display: none; }
    CodingScreen.-narrow.-board-view ThemePalette { display: none; }
    CodingScreen.-narrow.-board-view QuoteBoard { display: block; width: 1fr; }
    """

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.study = study
        self.transcript_name: str | None = None
        self.themes: list[Theme] = []
        self.theme_filter: int | None = None
        self.where: dict[str, set[str]] = {}
        self.group_by: str | None = None
        self.search_hits: list[int] = []
        self.search_query = ""
        self.quote_query = ""
        self._data_version = 0
        self._board_pending = False
        self._frozen = False
        self._note_at = 0.0

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            yield TranscriptView(id="transcript")
            yield ThemePalette(id="palette")
            yield QuoteBoard(id="board")
        yield StatusLine(id="status")
        yield Footer()

    @property
    def transcript_view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def palette(self) -> ThemePalette:
        return self.query_one(ThemePalette)

    @property
    def board(self) -> QuoteBoard:
        return self.query_one(QuoteBoard)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def on_mount(self) -> None:
        self.transcript_view.border_title = "Transcript"
        self.palette.border_title = "Themes"
        self.board.border_title = "Quotes"
        self.status.show(study=self.study.path.name, coder=self.study.coder)
        self.transcript_view.cursor_moved.subscribe(self, self._cursor_moved, immediate=True)
        self._apply_width(self.app.size.width)
        self.refresh_all()
        transcripts = self.study.transcripts()
        if transcripts:
            self.open_transcript(transcripts[0].name)
        self.transcript_view.focus()
        if self.study.read_only_reason:
            self.status.show(saved="read-only")
            self.notify(f"Opened read-only: {self.study.read_only_reason}. Nothing you do here is saved.",
                        severity="warning", timeout=10)
        self._data_version = self.study.data_version()
        # Another window or the CLI may change the file: look for their commits once a second.
        self.set_interval(1.0, self._check_outside_changes)

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < WIDE, "-narrow")

    # -- refreshing ----------------------------------------------------------------------------

    def refresh_all(self, changed_themes: set[int] | None = None) -> None:
        """Reload themes, counts, the quote board and the transcript's marks from the study.

        With ``changed_themes`` only those themes' cards are replaced on the board (a coding,
        a removal); otherwise the whole board is reloaded.
        """
        self.themes = self.study.themes()
        if self.theme_filter is not None and self.theme_filter not in {t.id for t in self.themes}:
            self.theme_filter = None
        rows, _values = self.study.stats()
        self.board.attribution_keys = comparison_keys(self.study.cases())
        self.palette.set_themes(self.themes, {r.theme.id: (r.codings, r.informants) for r in rows})
        self.refresh_marks()
        if changed_themes is not None and not self._board_pending:
            self.refresh_board_themes(changed_themes)
            return
        # The whole board is the costliest part: let the transcript's new colours paint a frame first.
        if not self._board_pending:
            self._board_pending = True
            if self._frozen:
                self.call_after_refresh(self._refresh_board_later)
            else:  # opening: the first frame goes out before the board is built
                self.app.after_first_frame(lambda: self.set_timer(WRITE_OUT, self._refresh_board_later))
                self.set_timer(1.0, self._refresh_board_later)  # should that frame never come

    def _refresh_board_later(self) -> None:
        if not self._board_pending:  # done already (the other of two ways it was asked for)
            return
        self._board_pending = False
        self.refresh_board()
        if not self._frozen:
            # What is loaded at start lives as long as the app: keep it out of the collector's
            # full passes, which otherwise pause keys for tenths of a second in a big study.
            gc.freeze()
            self._frozen = True

    def refresh_board(self) -> None:
        """Reload the whole quote board (with the theme filter, attribute filter and search)."""
        theme = self._theme_by_id(self.theme_filter)
        entries = self.study.quote_entries(theme=theme.path if theme else None, where=self.where or None,
                                           text_query=self.quote_query)
        self.board.show(entries, self.study.quotes_by_id, group_by=self.group_by,
                        theme_order=[t.path for t in self.themes])
        parts = [theme.path if theme else "all themes"]
        parts += [f"{k}={'|'.join(sorted(v))}" for k, v in self.where.items()]
        if self.group_by:
            parts.append(f"by {self.group_by}")
        if self.quote_query:
            parts.append(f"“{self.quote_query}”")
        self.board.set_caption(" · ".join(parts))
        self.board.border_subtitle = f"{self.board.count}"

    def refresh_board_themes(self, theme_ids: set[int]) -> None:
        """Replace the cards of the given themes only: after a coding, a removal or a selection,
        the rest of the board is unchanged (and at 100,000 codings costly to reload)."""
        board_theme = self._theme_by_id(self.theme_filter)
        for theme_id in theme_ids:
            theme = self._theme_by_id(theme_id)
            if theme is None:
                continue
            entries = self.study.quote_entries(theme=board_theme.path if board_theme else None, where=self.where or None,
                                               text_query=self.quote_query, theme_ids={theme_id})
            self.board.update_theme(theme.path, entries)  # none: the theme's cards go
        self.board.forget_loaded()
        self.board.border_subtitle = f"{self.board.count}"

    def _quote(self, coding_id: int) -> Quote | None:
        return self.study.quotes_by_id([coding_id]).get(coding_id)

    def refresh_marks(self) -> None:
        if self.transcript_name is None:
            return
        self.transcript_view.set_marks(self._marks())
        self._show_under_cursor(self.transcript_view.cursor)

    def _marks(self) -> list[Mark]:
        colours = {t.id: t.color for t in self.themes}
        return [
            Mark(coding_id, start, end, theme_id, colours.get(theme_id, "#888888"))
            for coding_id, start, end, theme_id in self.study.coding_spans(self.transcript_name)
        ]

    def open_transcript(self, name: str) -> None:
        transcript = self.study.transcript(name)
        self.transcript_name = transcript.name
        self.transcript_view.load(self.study.transcript_text(transcript.name), self.study.turns(transcript.name), self._marks())
        self.transcript_view.border_title = f"{transcript.name}" + (f" ({transcript.case})" if transcript.case and transcript.case != transcript.name else "")
        self.search_hits = []
        self.status.show(transcript=transcript.name)
        self._show_under_cursor(0)

    def _check_outside_changes(self) -> None:
        version = self.study.data_version()
        if version != self._data_version:
            self._data_version = version
            self.refresh_all()
            self.status.show(note="updated from another window")

    def _saved(self, what: str) -> None:
        """Every action is committed when it happens; say so."""
        self._data_version = self.study.data_version()
        self._note_at = time.monotonic()
        self.status.show(saved="saved", note=what)

    def _fail(self, error: WorkbenchError) -> None:
        self.notify(str(error), severity="error", timeout=6)

    def _theme_by_id(self, theme_id: int | None) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    # -- transcript pane -----------------------------------------------------------------------

    def _cursor_moved(self, moved: tuple[int, list[Mark]]) -> None:
        self._show_under_cursor(*moved)

    def _show_under_cursor(self, offset: int, marks: list[Mark] | None = None) -> None:
        marks = self.transcript_view.marks_at(offset) if marks is None else marks
        themes = [t for m in marks if (t := self._theme_by_id(m.theme_id))]
        # A note such as "coded Trust" stays a moment, so quick keys do not wipe it unseen.
        fresh = time.monotonic() - self._note_at < NOTE_SECONDS
        self.status.show(under_cursor=themes, **({} if fresh else {"note": ""}))

    def on_key(self, event) -> None:
        """Theme keys (digits and the codebook's keys) code the selection in the transcript."""
        if self.focused is not self.transcript_view or not event.character:
            return
        theme_id = self.palette.effective_keys.get(event.character)
        if theme_id is not None:
            event.stop()
            self.code_selection(theme_id)

    def code_selection(self, theme_id: int) -> None:
        selection = self.transcript_view.selection
        theme = self._theme_by_id(theme_id)
        if theme is None:
            return
        if selection is None:
            self.notify("Select a passage first: shift+arrows, v (mark), s (sentence) or t (turn).", timeout=4)
            return
        try:
            result = self.study.code(self.transcript_name, theme.path, *selection)
        except WorkbenchError as error:
            self._fail(error)
            return
        self.transcript_view.clear_selection()
        self.refresh_all({theme.id})
        self._saved(f"coded {theme.name}" if result.created else "already coded")

    def action_code_with(self) -> None:
        if self.transcript_view.selection is None:
            self.notify("Select a passage first: shift+arrows, v (mark), s (sentence) or t (turn).", timeout=4)
            return
        highlighted = self.palette.highlighted_theme
        self.app.push_screen(
            ThemePickerDialog(self.themes, highlighted.id if highlighted else None), self._picked_theme
        )

    def _picked_theme(self, result) -> None:
        if not result:
            return
        try:
            if result[0] == "new":
                _, name, parent_id = result
                parent = self._theme_by_id(parent_id)
                theme = self.study.add_theme(name, parent=parent.path if parent else None)
                self.themes = self.study.themes()
                theme_id = theme.id
            else:
                theme_id = result[1]
        except WorkbenchError as error:
            self._fail(error)
            return
        self.code_selection(theme_id)

    def _codings_under_cursor(self, then) -> None:
        """Call ``then(coding_id)`` for the coding under the cursor, asking which if several."""
        marks = self.transcript_view.marks_at(self.transcript_view.cursor)
        if not marks:
            self.notify("No coding under the cursor.", timeout=3)
            return
        if len(marks) == 1:
            then(marks[0].id)
            return
        choices = []
        for mark in marks:
            theme = self._theme_by_id(mark.theme_id)
            snippet = self.transcript_view_text(mark.start, mark.end)
            choices.append((f"{theme.path if theme else '?'}: {snippet}", mark.id))
        self.app.push_screen(ChoiceDialog("Which coding?", choices), lambda chosen: chosen is not None and then(chosen))

    def transcript_view_text(self, start: int, end: int, width: int = 50) -> str:
        text = " ".join(self.study.transcript_text(self.transcript_name)[start:end].split())
        return text if len(text) <= width else text[: width - 1] + "…"

    def action_uncode(self) -> None:
        self._codings_under_cursor(self._uncode)

    def _uncode(self, coding_id: int) -> None:
        try:
            removed = self.study.uncode(coding_id)
        except WorkbenchError as error:
            self._fail(error)
            return
        self.refresh_all({removed.theme_id})
        self._saved(f"removed {removed.theme_path} (u undoes)")

    def action_recode(self) -> None:
        self._codings_under_cursor(self._choose_new_theme)

    def _choose_new_theme(self, coding_id: int) -> None:
        choices = [(theme.path, theme.id) for theme in self.themes]
        self.app.push_screen(ChoiceDialog("Change the theme to…", choices), lambda tid: self._recode(coding_id, tid))

    def _recode(self, coding_id: int, theme_id: int | None) -> None:
        theme = self._theme_by_id(theme_id)
        if theme is None:
            return
        try:
            before = self.study.coding(coding_id).theme_id
            self.study.recode(coding_id, theme.path)
        except WorkbenchError as error:
            self._fail(error)
            return
        self.refresh_all({before, theme.id})
        self._saved(f"recoded as {theme.path}")

    def action_next_coding(self, direction: int) -> None:
        self._jump_to_mark(direction, None)

    def action_next_coding_of_theme(self, direction: int) -> None:
        theme = self.palette.highlighted_theme
        self._jump_to_mark(direction, theme.id if theme else None)

    def _jump_to_mark(self, direction: int, theme_id: int | None) -> None:
        view = self.transcript_view
        offset = view.next_mark_offset(view.cursor, direction, theme_id)
        if offset is None:
            self.notify("No more codings that way.", timeout=2)
            return
        view.move_cursor(offset, center=True)

    def action_search(self) -> None:
        if self.focused is not None and self.board in self.focused.ancestors_with_self:
            self.app.push_screen(
                TextDialog("Search the quotes (empty: show all)", self.quote_query), self._search_quotes
            )
            return
        self.app.push_screen(TextDialog("Search the transcript", self.search_query), self._search)

    def _search_quotes(self, query: str | None) -> None:
        if query is None:
            return
        self.quote_query = query
        self.refresh_board()

    def _search(self, query: str | None) -> None:
        if not query:
            return
        self.search_query = query
        self.search_hits = self.transcript_view.find_all(query)
        self.transcript_view.set_search_hits(self.search_hits, len(query))
        if not self.search_hits:
            self.notify(f"Not found: {query}", timeout=3)
            return
        self.status.show(note=f"{len(self.search_hits)} hit(s) for {query!r}; n / N move")
        self.action_search_next(1)

    def action_search_next(self, direction: int) -> None:
        if not self.search_hits:
            return
        cursor = self.transcript_view.cursor
        if direction > 0:
            later = [h for h in self.search_hits if h > cursor]
            target = later[0] if later else self.search_hits[0]
        else:
            earlier = [h for h in self.search_hits if h < cursor]
            target = earlier[-1] if earlier else self.search_hits[-1]
        self.transcript_view.move_cursor(target, center=True)

    def action_switch_transcript(self) -> None:
        counts = self.study.coding_counts()
        cases = self.study.cases()
        keys = comparison_keys(cases)
        choices = []
        for t in self.study.transcripts():
            attrs = cases.get(t.case, {})
            who = t.name if t.case in (None, t.name) else f"{t.name} ({t.case})"
            groups = ", ".join(f"{k}={attrs[k]}" for k in keys if k in attrs)
            choices.append((f"{who}  ·  {groups}  ·  {t.words:,} words  ·  {counts.get(t.name, 0)} codings", t.name))
        self.app.push_screen(ChoiceDialog("Open transcript", choices), lambda name: name and self.open_transcript(name))

    # -- undo ----------------------------------------------------------------------------------

    def action_undo(self) -> None:
        event = self.study.undo()
        self.refresh_all(self._themes_touched(event))
        self._saved(f"undid {event['action']}" if event else "nothing to undo")

    def action_redo(self) -> None:
        event = self.study.redo()
        self.refresh_all(self._themes_touched(event))
        self._saved(f"redid {event['action']}" if event else "nothing to redo")

    def _themes_touched(self, event: dict | None) -> set[int] | None:
        """The themes whose cards an undone or redone change affected, when they can be told
        from its event (one coding or quote); None when the whole board must be reloaded."""
        if event is None:
            return set()
        payload = json.loads(event["payload"] or "{}")
        ids = {t.path: t.id for t in self.study.themes()}
        if event["action"] in ("code", "uncode") and payload.get("theme") in ids:
            return {ids[payload["theme"]]}
        if event["action"] == "recode" and payload.get("from") in ids and payload.get("to") in ids:
            return {ids[payload["from"]], ids[payload["to"]]}
        if event["action"] in ("select", "deselect") and "id" in payload:
            try:
                return {self.study.coding(payload["id"]).theme_id}
            except WorkbenchError:
                return None
        return None

    # -- panes ---------------------------------------------------------------------------------

    def action_focus_pane(self, pane: str) -> None:
        narrow = self.has_class("-narrow")
        if pane == "board":
            if narrow:
                showing = self.has_class("-board-view")
                self.set_class(not showing, "-board-view")
                (self.transcript_view if showing else self.board).focus()
                return
            self.board.focus()
            return
        self.remove_class("-board-view")
        (self.transcript_view if pane == "transcript" else self.palette).focus()

    def action_help(self) -> None:
        """F1: the keys in effect now, built from the active bindings: this screen's, then the
        focused pane's."""
        groups: dict[str, list[tuple[str, str]]] = {}
        seen: set[str] = set()
        for active in self.active_bindings.values():
            binding = active.binding
            ident = binding.id or binding.action
            if not binding.description or ident in seen:
                continue
            seen.add(ident)
            title = "Everywhere" if active.node is self or active.node is self.app else PANE_NAMES.get(
                type(active.node).__name__, type(active.node).__name__
            )
            ident_note = f"  [{binding.id}]" if binding.id else ""
            groups.setdefault(title, []).append((self.app.get_key_display(binding), binding.description + ident_note))
        rows: list[tuple[str, str]] = [("", "Everywhere"), ("1-9 / theme keys", "code the selection (transcript pane)")]
        rows += groups.pop("Everywhere", [])
        rows += [("tab / shift+tab", "next / previous pane"), ("ctrl+p", "command palette: every action")]
        for title, entries in groups.items():
            rows += [("", title), *entries]
        rows += [("", "Remap any key by its [id] in config.yaml (see README)")]
        self.app.push_screen(HelpDialog(rows))

    def action_chapter(self) -> None:
        """Preview the results chapter from the selected quotes, and write it (w)."""
        from workbench.tui.screens.chapter_preview import ChapterPreviewScreen

        try:
            screen = ChapterPreviewScreen(self.study)
        except WorkbenchError as error:
            self._fail(error)
            return
        self.app.push_screen(screen)

    def action_matrix(self) -> None:
        """The framework matrix: themes x cases (or attribute values), the quotes of a cell."""
        from workbench.tui.screens.matrix import FrameworkMatrixScreen

        self.app.push_screen(FrameworkMatrixScreen(self.study), lambda _result: self.refresh_all())

    def action_disagreements(self) -> None:
        """Step through where two coders disagree (after `workbench merge` of a second coder)."""
        from workbench.study.agreement import study_coders

        coders = sorted(study_coders(self.study))
        pairs = [(f"{a}  ×  {b}", (a, b)) for i, a in enumerate(coders) for b in coders[i + 1:]]
        if not pairs:
            self.notify("Agreement needs codings by two coders: bring a second coder's in with "
                        "`workbench merge STUDY OTHER.db`.", timeout=6)
            return
        self.app.push_screen(ChoiceDialog("Compare which coders?", pairs), self._open_disagreements)

    def _open_disagreements(self, pair: tuple[str, str] | None) -> None:
        if pair is None:
            return
        from workbench.tui.screens.disagreements import DisagreementsScreen

        self.app.push_screen(DisagreementsScreen(self.study, pair))

    def action_review(self) -> None:
        """Codings a re-import could not place with confidence: jump to one to check it."""
        from workbench.study.reimport import codings_to_review

        items = codings_to_review(self.study)
        if not items:
            self.notify("No coding needs review.", timeout=3)
            return
        choices = [(f"{i.transcript} · {i.theme} · {i.reason}", i) for i in items]
        self.app.push_screen(ChoiceDialog(f"{len(items)} coding(s) to review", choices), self._review_item)

    def _review_item(self, item) -> None:
        if item is None:
            return
        if item.transcript != self.transcript_name:
            self.open_transcript(item.transcript)
        self.action_focus_pane("transcript")
        self.transcript_view.move_cursor(item.start, select_to=item.end, center=True)
        self.app.push_screen(
            ConfirmDialog(f"Was: “{item.coded_text[:200]}”\nKeep the coding on the selected text?", confirm_label="Keep"),
            lambda keep: keep and self._mark_reviewed(item.id),
        )

    def _mark_reviewed(self, coding_id: int) -> None:
        from workbench.study.reimport import mark_reviewed

        self._run("reviewed", mark_reviewed, self.study, coding_id)

    def action_memo(self) -> None:
        """Write a memo on the study, this transcript, its case, or the highlighted theme."""
        choices = [("the study (the chapter's introduction)", ("study", None))]
        if self.transcript_name:
            transcript = self.study.transcript(self.transcript_name)
            choices.append((f"this transcript ({transcript.name})", ("transcript", transcript.name)))
            if transcript.case:
                choices.append((f"this case ({transcript.case})", ("case", transcript.case)))
        theme = self.palette.highlighted_theme
        if theme:
            choices.append((f"the theme {theme.path} (its section's introduction)", ("theme", theme.path)))
        self.app.push_screen(ChoiceDialog("Memo on…", choices), self._edit_memo_on)

    def _edit_memo_on(self, target) -> None:
        if target is None:
            return
        kind, name = target
        self.app.push_screen(
            TextDialog(f"Memo on {name or 'the study'}", self.study.memo(kind, name) or "", multiline=True),
            lambda text: text is not None and self._run("memo saved", self.study.set_memo, kind, name, text),
        )

    # -- quote board ---------------------------------------------------------------------------

    @on(ThemePalette.ThemeChosen)
    def _theme_chosen(self, event: ThemePalette.ThemeChosen) -> None:
        self.theme_filter = None if self.theme_filter == event.theme_id else event.theme_id
        self.refresh_board()

    @on(QuoteBoard.JumpRequested)
    def _jump(self, event: QuoteBoard.JumpRequested) -> None:
        quote = self._quote(event.coding_id)
        if quote is None:
            return
        if quote.transcript != self.transcript_name:
            self.open_transcript(quote.transcript)
        self.action_focus_pane("transcript")
        self.transcript_view.move_cursor(quote.start, select_to=quote.end, center=True)

    @on(QuoteBoard.SelectionToggled)
    def _toggle(self, event: QuoteBoard.SelectionToggled) -> None:
        quote = self._quote(event.coding_id)
        if quote is not None:
            self._select(quote, selected=not quote.selected)

    @on(QuoteBoard.MoveRequested)
    def _move(self, event: QuoteBoard.MoveRequested) -> None:
        quote = self._quote(event.coding_id)
        if quote is None or not quote.selected:
            self.notify("Only selected quotes have an order: select it with space first.", timeout=3)
            return
        self._select(quote, position=max(1, quote.position + event.delta))

    @on(QuoteBoard.CommentRequested)
    def _comment(self, event: QuoteBoard.CommentRequested) -> None:
        quote = self._quote(event.coding_id)
        if quote is not None:
            self.app.push_screen(
                TextDialog("Comment (your interpretation)", quote.comment or "", multiline=True),
                lambda text: text is not None and self._select(quote, comment=text),
            )

    @on(QuoteBoard.ElideRequested)
    def _elide(self, event: QuoteBoard.ElideRequested) -> None:
        quote = self._quote(event.coding_id)
        if quote is not None:
            self.app.push_screen(
                TextDialog("Trim the quote: replace cut parts with [...]", quote.elided or quote.text, multiline=True),
                lambda text: text is not None and self._select(quote, elided=text if text.strip() != quote.text.strip() else ""),
            )

    def _select(self, quote: Quote, **changes) -> None:
        changes.setdefault("selected", quote.selected)
        try:
            self.study.select(quote.id, **changes)
        except WorkbenchError as error:
            self._fail(error)
            return
        self.refresh_board_themes({quote.theme_id})
        self.board.highlight(quote.id)
        self._saved("quote updated")

    @on(QuoteBoard.GroupingRequested)
    def _cycle_grouping(self, _event) -> None:
        keys = sorted({k for attrs in self.study.cases().values() for k in attrs})
        options = [None, *keys]
        index = options.index(self.group_by) if self.group_by in options else 0
        self.group_by = options[(index + 1) % len(options)]
        self.refresh_board()

    @on(QuoteBoard.FilterRequested)
    def _filter(self, _event) -> None:
        values = sorted({(k, v) for attrs in self.study.cases().values() for k, v in attrs.items()})
        choices = [("(no filter: all cases)", ("", ""))] + [(f"{k} = {v}", (k, v)) for k, v in values]
        self.app.push_screen(ChoiceDialog("Show only cases with…", choices), self._set_filter)

    def _set_filter(self, choice: tuple[str, str] | None) -> None:
        if choice is None:  # cancelled
            return
        key, value = choice
        self.where = {key: {value}} if key else {}
        self.refresh_board()

    @on(QuoteBoard.CopyRequested)
    def _copy(self, event: QuoteBoard.CopyRequested) -> None:
        quote = self._quote(event.coding_id)
        if quote is not None:
            self.app.copy_to_clipboard(quote.elided or quote.text)
            self.notify("Quote copied to the clipboard.", timeout=2)
