"""What the coding screen shows about saving: saved, waiting for a locked study, not saved and why,
the study file lost; and the researcher's answers: discard what waits (ctrl+k), save a copy as a
new study (ctrl+s).

The saver (:mod:`workbench.tui.saving`) decides; this part of the screen tells the researcher, in
the status line's saved part (which stays until the state changes) and in notifications.
"""

from __future__ import annotations

import time
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.tui.saving import Change
from workbench.tui.screens.coding_base import CodingScreenBase

# Dialogs are imported where one opens: the first frame does without their module (and Textual's text fields).

LOCKED = "waiting for the study (locked by another program)"


def _changes(count: int) -> str:
    return f"{count} change{'s' if count != 1 else ''}"


class SavingActions(CodingScreenBase):
    """The saver's reports on screen (``SaverScreen``), and discarding and saving a copy."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.copy_saved: Path | None = None  # where the work was saved as a new study (ctrl+s)

    # -- what the saver reports --------------------------------------------------------------------

    def show_saved(self, note: str) -> None:
        self._saved(note)

    def show_waiting(self, waiting: list[Change], first: bool, note: str = "") -> None:
        self._note_at = time.monotonic()
        self.status.show(
            saved=f"{LOCKED} · {_changes(len(waiting))} unsaved · ctrl+k discards", **({"note": note} if note else {})
        )
        if first:
            self.notify(
                "Another program is writing to the study. Your change is kept and saved as soon as "
                "the study is free; ctrl+k discards it.",
                severity="warning",
                timeout=8,
            )
        if self._retry_timer is not None:
            self._retry_timer.resume()

    def show_not_saved(self, reason: str, change: Change) -> None:
        if self.saver.lost is None:
            self.status.show(saved=f"not saved: {reason}")
        self.notify(f"Not saved ({change.what}): {reason}.", severity="error", timeout=10)

    def show_refused(self, error: WorkbenchError) -> None:
        self._fail(error)

    def show_lost(self, reason: str, dropped: list[Change]) -> None:
        self.status.show(saved=f"not saving: {reason} · ctrl+s saves your work as a new study")
        message = (
            f"{self.study.path.name}: {reason} while it was open. Nothing more is saved here; "
            f"ctrl+s saves your work as a new study."
        )
        if dropped:
            message += f" {_changes(len(dropped))} waiting to be saved were not: {', '.join(c.what for c in dropped)}."
        self.notify(message, severity="error", timeout=30)

    # -- the researcher's answers ------------------------------------------------------------------

    def action_discard_waiting(self) -> None:
        """ctrl+k: give up the changes that wait for a locked study (after asking)."""
        from workbench.tui.screens.dialogs import ConfirmDialog

        if not self.saver.waiting:
            self.notify("Nothing is waiting to be saved.", timeout=3)
            return
        waiting = self.saver.waiting
        listed = "; ".join(change.what for change in waiting[:8]) + ("; …" if len(waiting) > 8 else "")
        self.app.push_screen(
            ConfirmDialog(f"Discard {_changes(len(waiting))} not saved yet ({listed})?", confirm_label="Discard"),
            self._discard_waiting,
        )

    def _discard_waiting(self, yes: bool | None) -> None:
        if not yes:
            return
        dropped = self.saver.discard()
        if self.saver.lost is None:
            self._note_at = time.monotonic()
            self.status.show(saved="saved", note=f"discarded {_changes(len(dropped))}; the rest is saved")

    def action_save_copy(self) -> None:
        """ctrl+s: save the study as this window has it to a new file (when the study file was lost:
        the only way to keep the work)."""
        from workbench.tui.screens.dialogs import TextDialog

        self.app.push_screen(TextDialog("Save the study as a new file", str(self._copy_path())), self._save_copy)

    def _copy_path(self) -> Path:
        path = self.study.path
        candidate = path.with_name(f"{path.stem}-recovered{path.suffix or '.db'}")
        number = 2
        while candidate.exists():
            candidate = path.with_name(f"{path.stem}-recovered-{number}{path.suffix or '.db'}")
            number += 1
        return candidate

    def _save_copy(self, target: str | None) -> None:
        if not target:
            return
        path = Path(target).expanduser()
        try:
            self.study.save_copy(path)
        except WorkbenchError as error:
            self._fail(error)
            return
        self.copy_saved = path
        if self.saver.lost is not None:
            self.status.show(saved=f"not saving: {self.saver.lost} · your work is in {path.name}")
        self.notify(f"Saved as {path}; open it with `workbench open {path}`.", timeout=20)

    def unsaved_work(self) -> str | None:
        """What quitting now would lose, in a sentence (None: nothing; all shown as done is saved)."""
        if self.saver.waiting:
            return (
                f"{_changes(len(self.saver.waiting))} not saved yet: the study is locked by another program "
                f"(ctrl+k discards, or wait)"
            )
        if self.saver.lost is not None and self.copy_saved is None:
            return (
                f"{self.saver.lost[0].upper()}{self.saver.lost[1:]}: the work in this window is not saved "
                f"in any study file (ctrl+s saves it as a new study)"
            )
        return None
