"""The terminal workbench: one open study, the coding screen, and the command palette."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from functools import partial

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.screen import Screen

from workbench.display.safe_text import visible, visible_in_place
from workbench.errors import WorkbenchError
from workbench.study import Study
from workbench.tui.closed_screens import FREE_AFTER_CLOSE, free_closed_screens
from workbench.tui.config import UiConfig
from workbench.tui.frame_pacing import NoLayoutOnCloseApp
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.young_passes import YoungPasses

# Dialogs are imported where one opens: the first frame does without their module (and Textual's text fields).


class WorkbenchApp(NoLayoutOnCloseApp, App):
    """Code a study's transcripts; every action is saved when it happens."""

    TITLE = "workbench"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit")]

    def __init__(self, study: Study, config: UiConfig | None = None) -> None:
        super().__init__()
        self.study = study
        self.config = config or UiConfig()
        self.sub_title = study.path.name
        if not self.config.animations and "TEXTUAL_ANIMATIONS" not in os.environ:
            # Animated scrolling repaints many frames: costly over SSH and on small machines.
            self.animation_level = "none"
        if self.config.keys:
            self.set_keymap(self.config.keys)
        self._first_frame_shown = False
        self._after_first_frame: list[Callable[[], None]] = []
        #: The collector's young passes, between keys once the coding screen has started.
        self.young_passes = YoungPasses()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):  # every key comes through here, whichever screen takes it
            self.young_passes.key_pressed()
        await super().on_event(event)

    def on_mount(self) -> None:
        if self.config.keys:  # checked once the study is on screen: it imports every screen
            self.after_first_frame(self._warn_of_unknown_binding_ids)
        if self.config.ui_theme:
            if self.config.ui_theme not in self.available_themes:
                known = ", ".join(sorted(self.available_themes))
                self.notify(f"Unknown UI theme {self.config.ui_theme!r} (known: {known})", severity="warning")
            else:
                self.theme = self.config.ui_theme
        for note in self.config.notes:
            self.notify(note, timeout=12)
        self.theme_changed_signal.subscribe(self, self._remember_ui_theme)
        self.push_screen(CodingScreen(self.study))

    def _remember_ui_theme(self, theme) -> None:
        """A UI theme chosen in ctrl+p → Theme is kept in the settings file for next time."""
        if self.config.save_to is None or theme.name == self.config.ui_theme:
            return
        from workbench.tui.config import save_ui_theme

        try:
            save_ui_theme(self.config.save_to, theme.name)
        except (OSError, UnicodeDecodeError, WorkbenchError) as exc:
            self.notify(f"UI theme not remembered: cannot write {self.config.save_to} ({exc})", severity="warning")
            return
        self.config.ui_theme = theme.name

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a toast: always plain text through the terminal-safe rule (``markup`` is ignored).

        Messages name themes, transcripts and files, and every screen's (and widget's) ``notify``
        comes here, so this is the one place toasts are made safe.
        """
        super().notify(
            visible_in_place(str(message)), title=visible(str(title)), severity=severity, timeout=timeout, markup=False
        )

    def _warn_of_unknown_binding_ids(self) -> None:
        from workbench.tui.bindings import unknown_binding_warning

        warning = unknown_binding_warning(self.config.keys, self.config.source)
        if warning:
            self.notify(warning, severity="warning", timeout=12)

    def after_first_frame(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the first frame is on the terminal (at once if it is already).

        Slow start-up work (the quote board of a big study) waits for this, so the researcher
        sees the study before it is all loaded. A plain ``call_after_refresh`` is not enough
        while the app starts: Textual then holds frames back and runs such callbacks before
        any frame is written. Its ``Ready`` event marks the first frame as displayed, and the
        refresh after it is one that reaches the terminal.
        """
        if self._first_frame_shown:
            self.call_after_refresh(callback)
        else:
            self._after_first_frame.append(callback)

    def on_ready(self) -> None:
        self._first_frame_shown = True
        for callback in self._after_first_frame:
            self.call_after_refresh(callback)
        self._after_first_frame.clear()

    def pop_screen(self):
        """Close the screen on top (a dialog's ``dismiss`` comes here); a moment later, once the
        screen below is painted, free what the closed one left (``closed_screens``)."""
        popped = super().pop_screen()
        self.set_timer(FREE_AFTER_CLOSE, free_closed_screens)
        return popped

    async def action_quit(self) -> None:
        """q / ctrl+q: quit, after asking if that would lose work (changes waiting for a locked
        study, or a window whose study file was lost). The exit status is 1 when work was lost or
        the study file went missing, so scripts and shells can tell."""
        from workbench.tui.screens.dialogs import ConfirmDialog

        coding = next((s for s in self.screen_stack if isinstance(s, CodingScreen)), None)
        if coding is None:
            self.exit()
            return
        loss = coding.unsaved_work()
        if loss is None:
            self._end(coding)
            return
        self.push_screen(
            ConfirmDialog(f"{loss}. Quit anyway?", confirm_label="Quit"), lambda yes: yes and self._end(coding)
        )

    def _end(self, coding: CodingScreen) -> None:
        coding.remember_place()  # the next opening starts here
        waiting, lost, copy = coding.saver.waiting, coding.saver.lost, coding.copy_saved
        if waiting:
            self.exit(
                return_code=1,
                message=f"workbench: {self.study.path}: {len(waiting)} change(s) not saved "
                f"(the study was locked by another program)",
            )
        elif lost:
            where = f"your work was saved to {copy}" if copy else "the work in the window was not saved"
            self.exit(return_code=1, message=f"workbench: {self.study.path}: {lost} while open; {where}")
        else:
            self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette (ctrl+p) offers every action of the screen first, with its key as
        it is typed (``.``, not ``full_stop``), then Textual's own (theme, screenshot ...)."""
        mine: set[str] = set()
        for binding in getattr(screen, "BINDINGS", []):
            if isinstance(binding, Binding) and binding.description and binding.description not in mine:
                mine.add(binding.description)
                yield SystemCommand(
                    binding.description,
                    f"{binding.description} (key: {self.get_key_display(binding)})",
                    partial(screen.run_action, binding.action),
                )
        for command in super().get_system_commands(screen):
            if command.title not in mine:  # Textual's Quit once, not twice
                yield command
