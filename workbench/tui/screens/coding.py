"""The coding screen: transcript pane, theme palette and quote board over one open study.

This module holds the screen's keys, its layout and what the keys do in the transcript (code,
uncode, recode, move between codings, search, switch transcripts, undo) and the memos. What it
shares with the other parts (the study, the panes, reloading them) is in :mod:`.coding_base`; the
quote board's requests are answered in :mod:`.board_actions`, the codebook edits in
:mod:`.theme_editing`, the views over the whole study in :mod:`.review_actions`, and what the
screen says about saving (and ctrl+k, ctrl+s) in :mod:`.saving_actions`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical

from workbench.display.change_words import change_name, ordinal, theme_name
from workbench.errors import TextChangedError, WorkbenchError
from workbench.study import CodeResult
from workbench.tui.saving import Change
from workbench.tui.screens.analysis_actions import AnalysisActions
from workbench.tui.screens.board_actions import BoardActions
from workbench.tui.screens.coding_base import comparison_keys
from workbench.tui.screens.coming_back import ComingBack
from workbench.tui.screens.help_topics import help_rows
from workbench.tui.screens.review_actions import ReviewActions
from workbench.tui.screens.saving_actions import SavingActions
from workbench.tui.screens.search_actions import SearchActions
from workbench.tui.screens.theme_editing import ThemeEditing
from workbench.tui.widgets.key_footer import KeyFooter
from workbench.tui.widgets.quote_board import QuoteBoard
from workbench.tui.widgets.status_line import EssentialKeys, StatusLine
from workbench.tui.widgets.theme_palette import ThemePalette
from workbench.tui.widgets.transcript_view import Mark, TranscriptView

# Dialogs are imported where one opens: the first frame does without their module (and Textual's text fields).

WIDE = 120  # columns from which the three panes stand side by side
SUB_THEME_CHORD = ";"  # ; KEY N codes with the N-th sub-theme of the theme whose key is KEY
MAX_NUMBERED_CHOICES = 9  # codings under the cursor that x and R number in the status line (one key each)


class CodingScreen(
    BoardActions, ThemeEditing, ReviewActions, SavingActions, SearchActions, AnalysisActions, ComingBack
):
    """Read a transcript, code passages with one key, and pick quotes for the chapter."""

    _sub_theme_chord: list[int] | None = None  # after ``;``: the theme chosen so far (empty: none yet)
    # After ``x`` or ``R`` on several codings: their ids, in the order numbered, and what to do
    # with the one whose number is pressed next.
    _coding_choice: tuple[list[int], Callable[[int], None], str] | None = None

    BINDINGS = [
        Binding("c", "code_with", "Code with…", id="coding.code_with"),
        Binding("x", "uncode", "Uncode", id="coding.uncode"),
        Binding("R", "recode", "Recode", show=False, id="coding.recode"),
        Binding("full_stop", "next_coding(1)", "Next coding", show=False, id="coding.next_coding"),
        Binding("comma", "next_coding(-1)", "Previous coding", show=False, id="coding.previous_coding"),
        Binding("greater_than_sign", "next_coding_of_theme(1)", "Next of theme", show=False, id="coding.next_of_theme"),
        Binding(
            "less_than_sign", "next_coding_of_theme(-1)", "Previous of theme", show=False, id="coding.previous_of_theme"
        ),
        Binding("slash", "search", "Search", id="coding.search"),
        Binding("ctrl+f", "search_all", "Search all", id="coding.search_all"),
        Binding("n", "search_next(1)", "Next hit", show=False, id="coding.search_next"),
        Binding("N", "search_next(-1)", "Previous hit", show=False, id="coding.search_previous"),
        Binding("o", "switch_transcript", "Transcripts", id="coding.switch_transcript"),
        Binding("ctrl+e", "memo", "Memo…", show=False, id="coding.memo"),
        Binding("E", "chapter", "Chapter", id="coding.chapter"),
        Binding("i", "analysis", "Analysis…", show=False, id="coding.analysis"),
        Binding("f5", "matrix", "Matrix", show=False, id="coding.matrix"),
        Binding("f6", "disagreements", "Agreement", show=False, id="coding.disagreements"),
        Binding("f7", "review", "Review", show=False, id="coding.review"),
        Binding("u", "undo", "Undo", id="coding.undo"),
        Binding("U,ctrl+r", "redo", "Redo", show=False, id="coding.redo"),
        Binding("f2", "focus_pane('transcript')", "Transcript", show=False, id="coding.focus_transcript"),
        Binding("f3", "focus_pane('palette')", "Themes", show=False, id="coding.focus_palette"),
        # F1, F4 and q stand at the footer's right end at every width (EssentialKeys), not in it.
        Binding("f4", "focus_pane('board')", "Quotes", show=False, id="coding.focus_board"),
        Binding("ctrl+k", "discard_waiting", "Discard unsaved changes", show=False, id="coding.discard_waiting"),
        Binding("ctrl+s", "save_copy", "Save a copy as…", show=False, id="coding.save_copy"),
        Binding("f1,question_mark", "help", "Help", show=False, id="coding.help"),
        Binding("q", "app.quit", "Quit", show=False, id="coding.quit"),
    ]

    DEFAULT_CSS = """
    CodingScreen #panes { height: 1fr; }
    CodingScreen #footer-row { dock: bottom; height: 1; }
    CodingScreen #footer-row Footer { dock: none; width: 1fr; }
    /* The transcript's border is its box's: the pane itself draws only lines (plain_lines.py). */
    CodingScreen #transcript-pane { width: 1fr; border: round $panel; background: $surface; }
    /* The palette grows with the terminal, so theme names are cut only when room is short. */
    CodingScreen ThemePalette { width: 27%; min-width: 30; max-width: 56; border: round $panel; }
    CodingScreen QuoteBoard { width: 40; border: round $panel; }
    CodingScreen #transcript-pane:focus-within, CodingScreen ThemePalette:focus-within,
    CodingScreen QuoteBoard:focus-within { border: round $accent; }
    /* Narrow terminals: the quote board becomes its own view (F4), the palette narrows. */
    CodingScreen.-narrow ThemePalette { width: 30%; min-width: 26; max-width: 40; }
    CodingScreen.-narrow QuoteBoard { display: none; }
    /* The pane is hidden with its box, so that the pane itself says it is not shown. */
    CodingScreen.-narrow.-board-view #transcript-pane, CodingScreen.-narrow.-board-view TranscriptView {
        display: none;
    }
    CodingScreen.-narrow.-board-view ThemePalette { display: none; }
    CodingScreen.-narrow.-board-view QuoteBoard { display: block; width: 1fr; }
    """

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            with Vertical(id="transcript-pane"):
                yield TranscriptView(id="transcript")
            yield ThemePalette(id="palette")
            yield QuoteBoard(id="board")
        yield StatusLine(id="status")
        with Horizontal(id="footer-row"):
            yield KeyFooter()
            yield EssentialKeys(id="essential-keys")

    def on_mount(self) -> None:
        self.transcript_pane.border_title = "Transcript"
        self.palette.border_title = "Themes"
        self.board.border_title = "Quotes"
        self.status.show(study=self.study.path.name, coder=self.study.coder)
        self.transcript_view.cursor_moved.subscribe(self, self._cursor_moved, immediate=True)
        self._apply_width(self.app.size.width)
        place = self.restore_board_view()  # this coder's last place in the study, if any
        self.refresh_all()
        self.transcript_view.focus()
        transcripts = self.study.transcripts()
        if transcripts and not self.restore_place(place):
            self.open_transcript(transcripts[0].name)
        if self.study.read_only_reason:
            self.status.show(saved="read-only")
            self.notify(
                f"Opened read-only: {self.study.read_only_reason}. Nothing you do here is saved.",
                severity="warning",
                timeout=10,
            )
        # Another window or the CLI may change the file, or a sync tool take it away: look once a second.
        self.start_watching()

    def on_resize(self, event) -> None:
        self._apply_width(event.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < WIDE, "-narrow")
        self.show_essential_keys()

    # -- transcript pane -----------------------------------------------------------------------

    def _cursor_moved(self, moved: tuple[int, list[Mark]]) -> None:
        self._cancel_coding_choice()  # (a mouse click): the codings asked about are no longer here
        self._show_under_cursor(*moved)

    def on_descendant_blur(self, _event: events.DescendantBlur) -> None:
        self._cancel_coding_choice()  # the transcript lost the focus (a click on another pane)

    def on_key(self, event) -> None:
        """Theme keys (digits and the codebook's keys) code the selection in the transcript;
        ``;``, a theme's key and a number code it with that theme's sub-theme of that number."""
        if self._coding_choice is not None:
            event.stop()  # the answer (or any other key, which cancels) does nothing else
            self._answer_coding_choice(event.character)
            return
        if self.focused is not self.transcript_view or not event.character:
            return
        if self._sub_theme_chord is not None:
            event.stop()
            if event.key == "escape":
                self._sub_theme_chord = None
                self.status.show(note="sub-theme: cancelled")
            else:
                self._continue_sub_theme_chord(event.character)
            return
        if event.character == SUB_THEME_CHORD:
            event.stop()
            self._sub_theme_chord = []
            self.status.show(note="sub-theme: press a theme's key, then the number of its sub-theme (esc: cancel)")
            return
        theme_id = self.palette.effective_keys.get(event.character)
        if theme_id is not None:
            event.stop()
            self._code_after_earlier_keys(theme_id, event.character)

    def _code_after_earlier_keys(self, theme_id: int, character: str | None = None) -> None:
        """Code the selection once the keys typed before this one have done their work.

        A theme key is handled here, on its way up from the transcript; a key bound to an
        action ("t", select the turn) runs its action only when it reaches the app, a few
        hops later. Typed in one burst (a fast typist, or keys arriving in one packet over SSH)
        "t1" would code before the turn was selected, and the coding was lost. The app handles
        its messages in order, so coding from the app's queue comes after "t" has selected.
        So does the answer to "which coding?" when "x1" comes in one burst: the digit is then
        the answer, not a theme key.
        """
        self.app.call_later(self._theme_key_after_earlier_keys, theme_id, character)

    def _theme_key_after_earlier_keys(self, theme_id: int, character: str | None) -> None:
        if self._coding_choice is not None and character is not None:
            self._answer_coding_choice(character)
        else:
            self.code_selection(theme_id)

    def _continue_sub_theme_chord(self, character: str) -> None:
        """The second and third keys of ``; KEY N``: the theme, then its N-th sub-theme."""
        chord = self._sub_theme_chord
        if not chord:
            parent_id = self.palette.effective_keys.get(character)
            parent = self._theme_by_id(parent_id) if parent_id is not None else None
            children = [t for t in self.themes if parent and t.parent_id == parent.id]
            if parent is None or not children:
                self._sub_theme_chord = None
                what = f"{parent.name} has no sub-themes" if parent else f"no theme has the key {character!r}"
                self.status.show(note=f"not coded: {what}")
                return
            chord.append(parent.id)
            listed = " · ".join(f"{i} {t.name}" for i, t in enumerate(children[:9], 1))
            self.status.show(note=f"sub-theme of {parent.name}: {listed}")
            return
        self._sub_theme_chord = None
        children = [t for t in self.themes if t.parent_id == chord[0]]
        if character.isdigit() and 1 <= int(character) <= min(len(children), 9):
            self._code_after_earlier_keys(children[int(character) - 1].id)
        else:
            self.status.show(note=f"not coded: no sub-theme number {character!r}")

    def code_selection(self, theme_id: int) -> None:
        selection = self.transcript_view.selection
        theme = self._theme_by_id(theme_id)
        if theme is None:
            return
        if selection is None:
            self.notify("Select a passage first: shift+arrows, v (mark), s (sentence) or t (turn).", timeout=4)
            return
        self._code(theme.path, theme.name, selection, self.transcript_view.text)

    def _code(self, theme_path: str, theme_name: str, span: tuple[int, int], seen: str) -> None:
        """Code ``span`` of the open transcript, as it was shown (``seen``), with a theme.

        The study checks the text inside the transaction: if another window changed it since, the
        passage is coded where its text now is, or not at all; never other text at the old place.
        """
        transcript, view = self.transcript_name, self.transcript_view

        def done(result: CodeResult) -> str:
            moved = result.moved_from is not None
            if transcript == self.transcript_name:
                if moved:
                    self.follow_changed_text()
                if view.selection == span or moved:
                    view.clear_selection()
            coding = result.coding
            drawn = (coding.id, coding.start, coding.end, coding.theme_id)
            opened = result.created and not moved and transcript == self.transcript_name
            self.refresh_all({coding.theme_id}, in_transcript=transcript, added=drawn if opened else None)
            if not result.created:
                return "already coded"
            return f"coded {theme_name}" + (
                " (the transcript had changed in another window; the passage moved with its text)" if moved else ""
            )

        def refused(error: WorkbenchError) -> None:
            if not isinstance(error, TextChangedError):
                self._fail(error)
                return
            if transcript == self.transcript_name:
                self.follow_changed_text()
                view.clear_selection()
            self.notify(
                "Not coded: another window changed this transcript and the selected text is no longer "
                "there as it was. Select it again.",
                severity="warning",
                timeout=8,
            )

        self.saver.submit(
            Change(
                f"code {theme_name}",
                lambda: self.study.code(transcript, theme_path, *span, as_seen=seen),
                done,
                refused,
            )
        )

    def action_code_with(self) -> None:
        from workbench.tui.screens.dialogs import ThemePickerDialog

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
        if result[0] != "new":
            self.code_selection(result[1])
            return
        _, name, parent_id = result
        parent = self._theme_by_id(parent_id)
        span, seen = self.transcript_view.selection, self.transcript_view.text

        def added(theme) -> str:
            self.refresh_all()
            if span is not None:  # once this change is reported, so that the coding's note is the last
                self.call_later(self._code, theme.path, theme.name, span, seen)
            return f"added {theme.name}"

        self.saver.submit(
            Change(
                f"add theme {name}",
                lambda: self.study.add_theme(name, parent=parent.path if parent else None),
                added,
            )
        )

    def _codings_under_cursor(self, then: Callable[[int], None], verb: str) -> None:
        """Call ``then(coding_id)`` for the coding under the cursor, asking which if several:
        in the status line, answered with one number, when the transcript has the focus and
        there are at most nine; in a list otherwise. (A dialog hides the screen, and closing it
        repaints all of it: 34 KB in the full study, where the status line is one line.)"""
        from workbench.tui.screens.dialogs import ChoiceDialog

        marks = self.transcript_view.marks_at(self.transcript_view.cursor)
        if not marks:
            self.notify("No coding under the cursor.", timeout=3)
            return
        if len(marks) == 1:
            then(marks[0].id)
            return
        if len(marks) <= MAX_NUMBERED_CHOICES and self.focused is self.transcript_view:
            self._ask_which_coding(marks, then, verb)
            return
        choices = []
        for mark in marks:
            theme = self._theme_by_id(mark.theme_id)
            snippet = self.transcript_view_text(mark.start, mark.end)
            choices.append((f"{theme.path if theme else '?'}: {snippet}", mark.id))
        self.app.push_screen(ChoiceDialog("Which coding?", choices), lambda chosen: chosen is not None and then(chosen))

    def _ask_which_coding(self, marks: list[Mark], then: Callable[[int], None], verb: str) -> None:
        """Number the codings under the cursor in the status line; the next key answers.
        Codings of the same theme are told apart by the first words of their passages."""
        themes = [self._theme_by_id(mark.theme_id) for mark in marks]
        paths = [theme.path if theme else "?" for theme in themes]
        answers = [
            (
                path,
                mark.color,
                mark.label,
                self.transcript_view_text(mark.start, mark.end, 24) if paths.count(path) > 1 else "",
            )
            for mark, path in zip(marks, paths, strict=True)
        ]
        self._coding_choice = ([mark.id for mark in marks], then, verb)
        self.status.show(choosing=(f"{verb} which coding?", answers), note="")

    def _cancel_coding_choice(self) -> None:
        if self._coding_choice is not None:
            verb = self._coding_choice[2]
            self._coding_choice = None
            self._note_at = time.monotonic()  # the note outlives the cursor move that cancelled
            self.status.show(choosing=None, note=f"{verb}: cancelled")

    def _answer_coding_choice(self, character: str | None) -> None:
        """The key after the question: a listed number chooses, any other key cancels."""
        ids, then, _verb = self._coding_choice
        if not (character and character.isdigit() and 1 <= int(character) <= len(ids)):
            self._cancel_coding_choice()
            return
        self._coding_choice = None
        self.status.show(choosing=None)
        then(ids[int(character) - 1])

    def transcript_view_text(self, start: int, end: int, width: int = 50) -> str:
        text = " ".join(self.study.transcript_text(self.transcript_name)[start:end].split())
        return text if len(text) <= width else text[: width - 1] + "…"

    def action_uncode(self) -> None:
        self._codings_under_cursor(self._ask_before_uncoding, "remove")

    def _ask_before_uncoding(self, coding_id: int) -> None:
        """A coding whose quote is in the chapter is removed only after asking (u undoes it too)."""
        from workbench.tui.screens.dialogs import ConfirmDialog

        quote = self._quote(coding_id)
        if quote is None or not quote.selected:
            self._uncode(coding_id)
            return
        extras = [w for w, has in (("its comment", quote.comment), ("its trim", quote.elided)) if has]
        self.app.push_screen(
            ConfirmDialog(
                f"#{coding_id} is in the chapter ({ordinal(quote.position or 0)} under {theme_name(quote.theme)})"
                + (f", with {' and '.join(extras)}" if extras else "")
                + ". Remove the coding and take it out of the chapter? (u undoes it)",
                confirm_label="Remove",
            ),
            lambda yes: yes and self._uncode(coding_id),
        )

    def _uncode(self, coding_id: int) -> None:
        def done(removed) -> str:
            drawn = removed.id if removed.transcript == self.transcript_name else None
            self.refresh_all({removed.theme_id}, in_transcript=removed.transcript, removed=drawn)
            return f"removed {removed.theme_path} (u undoes)"

        self.saver.submit(Change("remove a coding", lambda: self.study.uncode(coding_id), done))

    def action_recode(self) -> None:
        self._codings_under_cursor(self._choose_new_theme, "recode")

    def _choose_new_theme(self, coding_id: int) -> None:
        from workbench.tui.screens.dialogs import ChoiceDialog

        choices = [(theme.path, theme.id) for theme in self.themes]
        self.app.push_screen(ChoiceDialog("Change the theme to…", choices), lambda tid: self._recode(coding_id, tid))

    def _recode(self, coding_id: int, theme_id: int | None) -> None:
        theme = self._theme_by_id(theme_id)
        if theme is None:
            return

        def recode() -> int:
            before = self.study.coding(coding_id).theme_id
            self.study.recode(coding_id, theme.path)
            return before

        def done(before: int) -> str:
            self.refresh_all({before, theme.id})
            return f"recoded as {theme.path}"

        self.saver.submit(Change(f"recode as {theme.path}", recode, done))

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

    def action_switch_transcript(self) -> None:
        from workbench.tui.screens.dialogs import ChoiceDialog

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
        self.saver.submit(
            Change("undo", self.study.undo, lambda event: self._after_undo_or_redo(event, "undid", "nothing to undo"))
        )

    def action_redo(self) -> None:
        self.saver.submit(
            Change("redo", self.study.redo, lambda event: self._after_undo_or_redo(event, "redid", "nothing to redo"))
        )

    def _after_undo_or_redo(self, event: dict | None, verb: str, nothing: str) -> str:
        """After an undo or redo: show its effect (it may have changed the transcript's text)."""
        text_changed = self.follow_changed_text()
        undoing = verb == "undid"
        transcript = self._transcript_touched(event, undoing=undoing)
        removed = self._coding_undone(event) if undoing and not text_changed else None
        added = self._coding_restored(event) if undoing and not text_changed else None
        if transcript != self.transcript_name:
            removed = added = None
        self.refresh_all(self._themes_touched(event), transcript, added=added, removed=removed)
        return f"{verb}: {change_name(event['action'], event['payload'])}" if event else nothing

    @staticmethod
    def _coding_undone(event: dict | None) -> int | None:
        """The id of the one coding an undone coding made (None for any other change)."""
        if event is None or event["action"] != "code":
            return None
        payload = json.loads(event["payload"] or "{}")
        return None if payload.get("many") else payload.get("id")

    def _coding_restored(self, event: dict | None) -> tuple[int, int, int, int] | None:
        """The coding an undone removal brought back, as the view draws it (id, start, end, theme
        id), when that is all it did: its quote had no place in the chapter. None otherwise."""
        if event is None or event["action"] != "uncode":
            return None
        payload = json.loads(event["payload"] or "{}")
        theme = next((t for t in self.themes if t.path == payload.get("theme")), None)
        if theme is None or _had_chapter_place(payload):
            return None
        return payload["id"], payload["start"], payload["end"], theme.id

    @staticmethod
    def _transcript_touched(event: dict | None, *, undoing: bool) -> str | None:
        """The transcript an undone or redone change only added new codings to or removed codings
        from (undoing or redoing a coding, redoing a removal, undoing the removal of a coding whose
        quote had no place in the chapter), or None."""
        if event is None:
            return None
        payload = json.loads(event["payload"] or "{}")
        if event["action"] == "code" and not payload.get("many"):
            return payload.get("transcript")
        if event["action"] == "uncode" and (not undoing or not _had_chapter_place(payload)):
            return payload.get("transcript")
        return None

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

    # -- help and memos ------------------------------------------------------------------------

    def action_help(self) -> None:
        """F1: every key of this screen and its panes, in words, grouped by task; the ids to
        remap them with come last."""
        from workbench.tui.screens.dialogs import HelpDialog

        panes = [self.transcript_view, self.palette, self.board]
        self.app.push_screen(HelpDialog(help_rows(self, panes)))

    def action_memo(self) -> None:
        """Write a memo on the study, this transcript, its case, or the highlighted theme."""
        from workbench.tui.screens.dialogs import ChoiceDialog

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
        from workbench.tui.screens.dialogs import TextDialog

        if target is None:
            return
        kind, name = target
        self.app.push_screen(
            TextDialog(f"Memo on {name or 'the study'}", self.study.memo(kind, name) or "", multiline=True),
            lambda text: text is not None and self._run("memo saved", self.study.set_memo, kind, name, text),
        )


def _had_chapter_place(uncode_payload: dict) -> bool:
    """Whether a removed coding's quote was selected for the chapter or still placed in it
    (the removal's event keeps its state as [selected, position, comment, trim])."""
    state = uncode_payload.get("quote")
    return bool(state) and (bool(state[0]) or state[1] is not None)
