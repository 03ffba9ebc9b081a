"""What every part of the coding screen shares: the study, the panes, and reloading them from the study.

The coding screen is built from this base and one class per group of handlers (the quote board's,
the codebook editing, the review views, saving); each can use what is here. The screen owns the
widgets and the study: widgets post messages up, the screen reads the study and sets the data on
the widgets. Every change goes through ``self.saver`` (:mod:`workbench.tui.saving`), one
committed transaction each, which also copes with a locked study, a full disk and a lost file.
"""

from __future__ import annotations

import gc
import re
import time
from collections.abc import Callable
from typing import Any

from textual import events, on
from textual.screen import Screen
from textual.widget import Widget

from workbench.display.rich_text import line
from workbench.domain.models import Quote, QuoteEntry, Theme
from workbench.domain.theme_tree import subtree_ids
from workbench.errors import NotFoundError, WorkbenchError
from workbench.study import Study
from workbench.tui.board_index import BoardIndex, filter_entries
from workbench.tui.closed_screens import free_closed_screens
from workbench.tui.frame_pacing import NoLayoutOnCloseScreen
from workbench.tui.marks_update import DrawnMarks
from workbench.tui.saving import RETRY_EVERY, Change, Saver
from workbench.tui.theme_counts import ThemeCounts
from workbench.tui.widgets.quote_board import QuoteBoard
from workbench.tui.widgets.status_line import EssentialKeys, StatusLine
from workbench.tui.widgets.theme_palette import ThemePalette
from workbench.tui.widgets.transcript_view import Mark, TranscriptView

# seconds: Textual writes a frame from a thread of its own; a big board built at once after the
# first frame would hold the interpreter and leave that frame half-written for its whole build.
WRITE_OUT = 0.05
# The collector's full passes over what was made after start-up (prepared transcripts, board rows
# read again) take about a tenth of a second in a big study; they are made when nothing has been
# shown for this many seconds instead of in the middle of a key (see _collect_when_idle).
IDLE_FOR_COLLECTING = 1.0
FULL_PASSES_DEFERRED = 1_000_000  # the collector's third threshold: no full pass of its own
FULL_PASSES_OWN = gc.get_threshold()[2]  # its own (10: a full pass every tenth middle one)
NOTE_SECONDS = 3.0  # how long a "coded ..." note survives cursor moves


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


class CodingScreenBase(NoLayoutOnCloseScreen, Screen):
    """The open study, the panes, what the board shows, and the reloads after a change."""

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
        self.board_shown = False  # the quote board has been filled once (it waits for the first frame)
        self._frozen = False
        self._shown_at = 0.0  # when the screen last showed a change or a move (monotonic)
        self._note_at = 0.0
        # What the panes show, kept between changes so that a change costs what it changes.
        self.board_index = BoardIndex()
        self.theme_counts = ThemeCounts()
        self._counted = False  # the palette's counts wait for the first frame (see refresh_all)
        self.drawn_marks = DrawnMarks()
        self._open_case_attributes: dict[str, str] = {}  # the open transcript's case's, for new rows
        self._essential_keys: tuple[object, dict[str, str]] | None = None  # (the focus then, the keys)
        # Every change goes through the saver; it reports back through the show_* methods
        # (SaverScreen, in saving_actions.py).
        self.saver = Saver(study, self)
        self._retry_timer = None

    def start_watching(self) -> None:
        """Look for other programs' commits and for a lost study file once a second, and retry
        changes that wait for the study while they do."""
        self._data_version = self.study.data_version()
        self.set_interval(1.0, self._check_outside_changes)
        self._retry_timer = self.set_interval(RETRY_EVERY, self._retry_waiting, pause=True)

    def _retry_waiting(self) -> None:
        self.saver.retry()
        if not self.saver.waiting and self._retry_timer is not None:
            self._retry_timer.pause()

    # -- the panes -----------------------------------------------------------------------------

    @property
    def transcript_view(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    @property
    def transcript_pane(self) -> Widget:
        """The box around the transcript: its border and its title (the transcript's name)."""
        return self.query_one("#transcript-pane")

    @property
    def palette(self) -> ThemePalette:
        return self.query_one(ThemePalette)

    @property
    def board(self) -> QuoteBoard:
        return self.query_one(QuoteBoard)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    def action_focus_pane(self, pane: str) -> None:
        """Focus the transcript, the palette or the quote board (which narrow terminals show
        instead of the transcript and palette, and F4 toggles)."""
        narrow = self.has_class("-narrow")
        if pane == "board":
            if narrow:
                showing = self.has_class("-board-view")
                self.set_class(not showing, "-board-view")
                (self.transcript_view if showing else self.board).focus()
                self.show_essential_keys()
                return
            self.board.focus()
            return
        self.remove_class("-board-view")
        self.show_essential_keys()
        (self.transcript_view if pane == "transcript" else self.palette).focus()

    def show_essential_keys(self) -> None:
        """Help, the quote board and quit at the footer's right end, by the keys they have now
        (they may be remapped). On a narrow terminal the board is hidden: the F4 entry says so,
        with the board's count. Side by side the count is in the board's title line instead:
        there a new count repaints that line alone, while a changed footer made every frame
        draw the footer's dozen widgets again (the frame covers all that changed)."""
        keys = self._essential_key_names()
        count = self.board.count
        quotes = f"{count:,} quote{'s' if count != 1 else ''}"
        if not self.board_shown or not self.has_class("-narrow"):  # not built yet, or side by side
            board = "quotes" if not self.has_class("-board-view") else "transcript"
        elif self.has_class("-board-view"):
            board = f"transcript (board: {count:,})"
        else:
            board = f"board: {quotes}"
        entries = [("coding.help", "help"), ("coding.focus_board", board), ("coding.quit", "quit")]
        self.query_one(EssentialKeys).show([(keys[i], what) for i, what in entries if i in keys])

    def _essential_key_names(self) -> dict[str, str]:
        """Binding id -> the key shown for help, the board and quit. Worked out again only when
        the focus moves (a focused widget's own use of a key hides the screen's): gathering the
        active bindings costs about 0.4 ms, and the footer is shown after every change."""
        focused = self.focused
        if self._essential_keys is None or self._essential_keys[0] is not focused:
            keys: dict[str, str] = {}
            for active in self.active_bindings.values():
                if active.binding.id in ("coding.help", "coding.focus_board", "coding.quit"):
                    shown = self.app.get_key_display(active.binding)
                    keys.setdefault(active.binding.id, shown.upper() if re.fullmatch(r"f\d+", shown) else shown)
            self._essential_keys = (focused, keys)
        return self._essential_keys[1]

    def show_passage(self, transcript: str, start: int, end: int) -> None:
        """Open ``transcript`` if it is not open, focus it and select ``start``-``end``."""
        if transcript != self.transcript_name:
            self.open_transcript(transcript)
        self.action_focus_pane("transcript")
        self.transcript_view.move_cursor(start, select_to=end, center=True)

    # -- reloading from the study --------------------------------------------------------------

    def refresh_all(
        self,
        changed_themes: set[int] | None = None,
        in_transcript: str | None = None,
        added: tuple[int, int, int, int] | None = None,
        removed: int | None = None,
    ) -> None:
        """Reload themes, counts, the quote board and the transcript's marks from the study.

        With ``changed_themes`` (a coding, a removal, a recoding, or their undo: the codebook and
        the cases are as they were) only those themes are counted again and only their cards are
        replaced on the board; otherwise everything is read again and the whole board reloaded.
        ``in_transcript`` says the change only added new codings to, or removed codings from,
        that transcript (see :meth:`refresh_board_themes`). The transcript's marks are compared
        with the study's, and only lines whose codings changed are drawn again; ``added`` (a new
        coding of the open transcript, as (id, start, end, theme id), and the change's only one)
        is drawn without reading the transcript's codings again, as is ``removed`` (the id of a
        coding of the open transcript this program just removed, the change's only one).
        """
        if changed_themes is None:
            self.themes = self.study.themes()
            if self.theme_filter is not None and self.theme_filter not in {t.id for t in self.themes}:
                self.theme_filter = None
            cases = self.study.cases()
            self.board.attribution_keys = comparison_keys(cases)
            self._remember_case_attributes(cases)
            self.board_index.forget()
        if self._counted:
            self.palette.set_themes(self.themes, self.theme_counts.counts(self.study, changed_themes, in_transcript))
        else:  # opening: counting a big study's codings would hold back the first frame
            self._counted = True
            self.palette.set_themes(self.themes, None)
            self.app.after_first_frame(self._show_counts)
        if changed_themes is None:
            added = removed = None
        self.refresh_marks(added, removed)
        if changed_themes is not None and not self._board_pending:
            self.refresh_board_themes(changed_themes, in_transcript)
            return
        # The whole board is the costliest part: let the transcript's new colours paint a frame first.
        if not self._board_pending:
            self._board_pending = True
            if self._frozen:
                self.call_after_refresh(self._refresh_board_later)
            else:  # opening: the first frame goes out before the board is built
                self.app.after_first_frame(lambda: self.set_timer(WRITE_OUT, self._refresh_board_later))
                self.set_timer(1.0, self._refresh_board_later)  # should that frame never come

    def _show_counts(self) -> None:
        """Fill in the palette's counts (counted again only if the study changed meanwhile)."""
        self.palette.set_themes(self.themes, self.theme_counts.counts(self.study, changed_themes=set()))

    def _refresh_board_later(self) -> None:
        if not self._board_pending:  # done already (the other of two ways it was asked for)
            return
        self._board_pending = False
        self.refresh_board()
        if not self._frozen:
            # What is loaded at start lives as long as the app: keep it out of the collector's
            # full passes, which otherwise pause keys for tenths of a second in a big study.
            gc.freeze()
            young, middle, _full = gc.get_threshold()
            gc.set_threshold(young, middle, FULL_PASSES_DEFERRED)
            self.app.young_passes.begin()  # and the young passes between keys
            self._frozen = True

    def refresh_board(self) -> None:
        """Show the whole quote board anew (with the theme filter, attribute filter and search).

        The rows come from :attr:`board_index` (read from the study only when another program
        changed it or a change of unknown reach was made); a search of the quotes' text asks the
        study.
        """
        self._shown_at = time.monotonic()
        theme = self._theme_by_id(self.theme_filter)
        if self.quote_query:
            entries = self.study.quote_entries(
                theme=theme.path if theme else None, where=self.where or None, text_query=self.quote_query
            )
        else:
            version = self.study.data_version()
            if not self.board_index.is_current(version):
                self.board_index.load(self.study.quote_entries(), version)
            entries = self.board_index.entries(self._board_theme_ids(), self.where, [t.id for t in self.themes])
        self.board.show(
            entries, self.study.quotes_by_id, group_by=self.group_by, theme_order=[t.path for t in self.themes]
        )
        parts = [f"{k}={'|'.join(sorted(v))}" for k, v in self.where.items()]
        if self.group_by:
            parts.append(f"by {self.group_by}")
        if self.quote_query:
            parts.append(f"“{self.quote_query}”")
        self.board.set_caption(theme.path if theme else "all themes", " · ".join(parts))
        self.board_shown = True
        self.show_essential_keys()  # below 120 columns the board's count is shown there

    def refresh_board_themes(
        self,
        theme_ids: set[int],
        in_transcript: str | None = None,
        restated: int | None = None,
        screen_stays: bool = False,
    ) -> None:
        """Replace the cards of the given themes only: after a coding, a removal or a selection,
        the rest of the board is unchanged (and at 100,000 codings costly to reload).

        When the change only added new codings to the open transcript (``in_transcript``) or
        removed unselected ones from it, the rows that came or went are found by comparing the
        theme's rows with the transcript's codings as just drawn: nothing is read from the study.
        When only the chapter state of a quote of the theme changed (``restated``: its coding id,
        after a selection, a new order, a comment or a trim), the theme's chapter states are read
        and its rows renumbered in memory; only the cards whose state changed are loaded again.
        Otherwise each theme's rows are read again. ``screen_stays``: a quote was moved in the
        chapter order, and the board shows it moving (:meth:`QuoteBoard.update_theme`).
        """
        self._shown_at = time.monotonic()
        board_theme = self._theme_by_id(self.theme_filter)
        shown_themes = self._board_theme_ids()
        indexed = self.board_index.is_current(self.study.data_version())
        changed: list[int] = []  # the codings whose cards may show something new
        for theme_id in theme_ids:
            theme = self._theme_by_id(theme_id)
            if theme is None:
                continue
            followed = None  # the codings that came or went, when found without reading the theme
            if indexed:
                if restated is not None:
                    renumbered = self.board_index.restate_theme(theme_id, self.study.chapter_states(theme_id))
                    followed = None if renumbered is None else renumbered | {restated}
                elif in_transcript is not None and in_transcript == self.transcript_name:
                    followed = self._follow_open_transcript(theme)
                if followed is not None:
                    fresh = self.board_index.theme_entries(theme_id)
                else:
                    fresh = self.study.quote_entries(theme_ids={theme_id})
                    self.board_index.replace_theme(theme_id, fresh)
            if indexed and not self.quote_query:
                shown = shown_themes is None or theme_id in shown_themes
                entries = filter_entries(fresh, self.where) if shown else []
            else:
                entries = self.study.quote_entries(
                    theme=board_theme.path if board_theme else None,
                    where=self.where or None,
                    text_query=self.quote_query,
                    theme_ids={theme_id},
                )
            self.board.update_theme(theme.path, entries, screen_stays=screen_stays)  # none: the theme's cards go
            # The other quotes of a followed theme are as they were; a new coding may have the
            # id of one removed before (SQLite reuses the highest rowid), so both are forgotten.
            changed.extend(followed if followed is not None else (entry.id for entry in entries))
        self.board.forget_loaded(changed)
        # The count is in the board's title line, a widget of its own (in its border, a new count
        # repainted the whole board after every coding); below 120 columns, in the footer.
        self.show_essential_keys()

    def _follow_open_transcript(self, theme: Theme) -> set[int] | None:
        """Bring one theme's rows in the index up to date with the open transcript's codings as
        drawn (new codings in, removed ones out) and return the ids that came or went; None if
        that cannot be done without reading the theme (a removed quote was selected for the
        chapter)."""
        name = self.transcript_name
        drawn = self.drawn_marks.starts(theme.id)
        listed = {e.id for e in self.board_index.theme_entries(theme.id) if e.transcript == name}
        attributes = self._open_case_attributes
        new = [
            QuoteEntry(coding_id, theme.path, theme.id, False, None, attributes, name, start)
            for coding_id, start in drawn.items()
            if coding_id not in listed
        ]
        gone = listed - drawn.keys()
        if not self.board_index.follow_codings(theme.id, gone, new):
            return None
        return gone | {entry.id for entry in new}

    def _remember_case_attributes(self, cases: dict[str, dict[str, str]]) -> None:
        case = self.study.transcript(self.transcript_name).case if self.transcript_name else None
        self._open_case_attributes = cases.get(case, {}) if case else {}

    def _board_theme_ids(self) -> set[int] | None:
        """The themes the board's theme filter lets through (the theme and its sub-themes), or
        None for every theme."""
        theme = self._theme_by_id(self.theme_filter)
        return set(subtree_ids(self.themes, theme.id)) if theme else None

    def refresh_marks(self, added: tuple[int, int, int, int] | None = None, removed: int | None = None) -> None:
        """Draw the open transcript's codings as the study has them now, repainting only the
        lines whose codings changed. ``added`` (this program's new coding) or ``removed`` (the id
        of the coding it removed), the change's only one, are drawn without reading the others
        again unless another program changed the study since this screen last looked."""
        if self.transcript_name is None:
            return
        colours, labels = self._theme_looks()
        own = (added is not None or removed is not None) and self.study.data_version() == self._data_version
        if own and added is not None:
            marks, changed = self.drawn_marks.add(added, colours, labels)
        elif own and removed is not None:
            marks, changed = self.drawn_marks.remove(removed)
        else:
            spans = self.study.coding_spans(self.transcript_name)
            marks, changed = self.drawn_marks.update(spans, colours, labels)
        self.transcript_view.set_marks(marks, changed)
        self._show_under_cursor(self.transcript_view.cursor)

    def _marks(self) -> list[Mark]:
        """The open transcript's codings, all drawn anew (it was just opened or its text changed)."""
        colours, labels = self._theme_looks()
        return self.drawn_marks.reset(self.study.coding_spans(self.transcript_name), colours, labels)

    def _theme_looks(self) -> tuple[dict[int, str], dict[int, str]]:
        """Each theme's colour and its mark (the letter in the gutter), by theme id."""
        palette = self.palette  # a query of the screen's widgets: once, not once per theme
        return {t.id: t.color for t in self.themes}, {t.id: palette.mark_for(t.id) for t in self.themes}

    def open_transcript(self, name: str) -> None:
        transcript = self.study.transcript(name)
        self.transcript_name = transcript.name
        self.transcript_view.load(
            self.study.transcript_text(transcript.name), self.study.turns(transcript.name), self._marks()
        )
        self.transcript_pane.border_title = line(
            f"{transcript.name}"
            + (f" ({transcript.case})" if transcript.case and transcript.case != transcript.name else "")
        )
        self._remember_case_attributes(self.study.cases())
        self.search_hits = []
        self.status.show(transcript=transcript.name)
        self._show_under_cursor(0)

    def _check_outside_changes(self) -> None:
        self.saver.check_file()
        self.saver.flush_when_quiet()
        self._collect_when_idle()
        version = self.study.data_version()
        if version != self._data_version:
            self._data_version = version
            text_changed = self.follow_changed_text()
            self.refresh_all()
            if not text_changed:
                self.status.show(note="updated from another window")

    @on(events.Key)
    def _note_key(self, _event: events.Key) -> None:
        """Any key in any pane (a move on the board too) means the researcher is not pausing."""
        self._shown_at = time.monotonic()

    def _collect_when_idle(self) -> None:
        """Make the collector's full pass now, while the researcher is not pressing keys, if the
        collector would have made one by now (its middle generation has been collected ten times
        since the last full pass, its default): after start-up it makes none of its own, so that
        none lands in the middle of a key."""
        if not self._frozen:
            return
        passes = gc.get_count()[2]
        idle = time.monotonic() - self._shown_at >= IDLE_FOR_COLLECTING
        # Keys without a second's pause for long: collect anyway, before garbage piles up.
        if (idle and passes >= 10) or passes >= 100:
            free_closed_screens()  # the full pass, with Textual's memo of closed widgets emptied first

    def on_unmount(self) -> None:
        """The collector makes its passes again on its own once the screen is gone."""
        if self._frozen:
            self.app.young_passes.end()
            young, middle, _full = gc.get_threshold()
            gc.set_threshold(young, middle, FULL_PASSES_OWN)

    def follow_changed_text(self) -> bool:
        """Show the open transcript as it is in the study now, if another window changed its text
        (a re-import, or undoing one): the cursor and the selection move with their text, and a
        selection whose text is no longer there as it was is dropped. True if the text changed."""
        name, view = self.transcript_name, self.transcript_view
        if name is None:
            return False
        try:
            text = self.study.transcript_text(name)
        except NotFoundError:  # removed in the other window
            self.transcript_name = None
            remaining = self.study.transcripts()
            if remaining:
                self.open_transcript(remaining[0].name)
            self.notify(f"{name} was removed in another window.", severity="warning", timeout=6)
            return True
        if text == view.text:
            return False
        from workbench.domain.reanchor import Anchor, place_exactly  # only when the text changed

        anchor = Anchor(view.text, text)
        cursor = anchor.map_start(view.cursor)[0]
        selection = view.selection
        placed = place_exactly(anchor, *selection) if selection else None
        view.load(text, self.study.turns(name), self._marks())
        if placed:
            view.move_cursor(placed[1], select_to=placed[0], center=True)
        else:
            view.move_cursor(cursor, center=True)
        self._note_at = time.monotonic()
        if selection and not placed:
            self.status.show(note="the transcript was changed in another window; your selection's text is gone")
        else:
            self.status.show(note="the transcript was changed in another window; shown as it is now")
        return True

    def _show_under_cursor(self, offset: int, marks: list[Mark] | None = None) -> None:
        self._shown_at = time.monotonic()
        marks = self.transcript_view.marks_at(offset) if marks is None else marks
        themes = [t for m in marks if (t := self._theme_by_id(m.theme_id))]
        # A note such as "coded Trust" stays a moment, so quick keys do not wipe it unseen.
        fresh = time.monotonic() - self._note_at < NOTE_SECONDS
        self.status.show(under_cursor=themes, **({} if fresh else {"note": ""}))

    # -- lookups and notices -------------------------------------------------------------------

    def _quote(self, coding_id: int) -> Quote | None:
        return self.study.quotes_by_id([coding_id]).get(coding_id)

    def _theme_by_id(self, theme_id: int | None) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def _saved(self, what: str) -> None:
        """Every action is committed when it happens; say so."""
        self._data_version = self.study.data_version()
        self._note_at = time.monotonic()
        self.status.show(saved="saved", note=what)

    def _fail(self, error: WorkbenchError) -> None:
        self.notify(str(error), severity="error", timeout=6)

    def _run(self, what: str, call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Change the study with ``call``, then reload everything and say ``what`` was saved (or
        why not); through the saver, so it may wait for a locked study."""

        def done(_result: Any) -> str:
            self.refresh_all()
            return what

        self.saver.submit(Change(call.__name__.replace("_", " "), lambda: call(*args, **kwargs), done))
