"""The one way the terminal workbench changes its study: try at once, keep what must wait, and
never call anything saved that is not in the file.

Every change the researcher makes (a coding, a quote's selection, comment or order, an edit of
the codebook, a memo, undo and redo) is a :class:`Change`: the call on the study (one
transaction) and what to show once it is committed. :class:`Saver` runs it:

- it waits only a moment (``FIRST_WAIT``) for another program's write lock, never the study's
  busy timeout, so a key does not freeze the screen;
- committed: ``done`` updates the screen, and only then does the status line say ``saved``;
- the study is locked by another program: the change waits, with any made after it, in order,
  and is tried again on each ``retry`` (the screen's timer, every ``RETRY_EVERY`` seconds) until
  it goes through or the researcher discards what waits; the screen shows it as waiting, not done;
- the disk is full, the file is read-only or damaged: the change is dropped, with the reason;
- the study file was deleted or replaced since it was opened (checked before every change and on
  the screen's poll): nothing more is written, what waits is dropped, and SQLite's side files are
  let go so the file now at the path does not take in this window's changes.

- after a quiet moment (``QUIET_BEFORE_FLUSH``) the study's -wal is checkpointed into the file
  itself (``flush_when_quiet``, on the screen's poll), so a plain copy of the study holds the work.

The saver knows nothing of Textual: it tells a :class:`SaverScreen` what happened.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from workbench.errors import StorageError, StudyBusyError, WorkbenchError
from workbench.study import Study

FIRST_WAIT = 0.3  # seconds a new change waits for another program's write lock (a commit takes milliseconds)
RETRY_WAIT = 0.05  # seconds each retry waits: the screen stays responsive while the lock is held
RETRY_EVERY = 0.5  # seconds between retries
QUIET_BEFORE_FLUSH = 3.0  # seconds without a change before the -wal is copied into the study file


@dataclass
class Change:
    """A change the researcher asked for."""

    what: str  # in words, for the list of what waits: "code Technology", "undo"
    apply: Callable[[], Any]  # the call on the study (one transaction); its result goes to ``done``
    done: Callable[[Any], str]  # once committed: update the screen; returns the note ("coded Trust")
    refused: Callable[[WorkbenchError], None] | None = None  # the study said no (default: the screen shows it)


class SaverScreen(Protocol):
    """What a :class:`Saver` tells the screen."""

    def show_saved(self, note: str) -> None:
        """Everything asked for is in the file; ``note`` says what the last change did."""

    def show_waiting(self, waiting: list[Change], first: bool, note: str = "") -> None:
        """``waiting`` changes wait for another program's write lock (``first``: they just began to)."""

    def show_not_saved(self, reason: str, change: Change) -> None:
        """``change`` could not be written and was dropped, because ``reason`` ("the disk is full")."""

    def show_refused(self, error: WorkbenchError) -> None:
        """The study refused the change (a coding gone, a study opened read-only ...); nothing changed."""

    def show_lost(self, reason: str, dropped: list[Change]) -> None:
        """The study file was lost (``reason``); nothing more is written; ``dropped`` were waiting."""


def why_not_saved(error: StorageError, study: Study) -> str:
    """Why a change could not be written, in the researcher's words."""
    text = str(error).lower()
    if "disk is full" in text or "no space" in text:
        return "the disk is full"
    if "readonly" in text or "read-only" in text or not study.file_writable():
        return "the study file is read-only"
    return str(error)


class Saver:
    """Runs the researcher's changes on the study, keeping those that must wait (see the module notes)."""

    def __init__(self, study: Study, screen: SaverScreen) -> None:
        self.study = study
        self.screen = screen
        self.waiting: list[Change] = []
        #: What became of the study file ("the study file was deleted"), or None while it is there.
        self.lost: str | None = None
        #: When the last change was committed and not yet checkpointed (None: nothing to flush).
        self.unflushed_since: float | None = None

    def submit(self, change: Change) -> None:
        """Make ``change`` now, or keep it (after those waiting) until the study is free."""
        if self.check_file():
            self.screen.show_not_saved(self.lost, change)
            return
        if self.waiting:
            self.waiting.append(change)
            self.screen.show_waiting(self.waiting, first=False)
            return
        note = self._try(change, FIRST_WAIT)
        if note is None:
            self.waiting.append(change)
            self.screen.show_waiting(self.waiting, first=True)
        else:
            self._finished(note)

    def retry(self) -> None:
        """Try what waits again, in order, until one finds the study still locked."""
        while self.waiting and not self.check_file():
            change = self.waiting[0]
            note = self._try(change, RETRY_WAIT)
            if note is None:
                return
            self.waiting.remove(change)
            self._finished(note)

    def flush_when_quiet(self, now: float | None = None) -> bool:
        """Once no change has come for a moment and none waits, copy the -wal into the study file
        (never waits, never raises). True when there was something to flush and it was flushed."""
        now = time.monotonic() if now is None else now
        if self.unflushed_since is None or self.waiting or self.lost is not None:
            return False
        if now - self.unflushed_since < QUIET_BEFORE_FLUSH:
            return False
        if self.study.checkpoint():
            self.unflushed_since = None
            return True
        return False

    def discard(self) -> list[Change]:
        """Drop what waits; returns it."""
        dropped, self.waiting = self.waiting, []
        return dropped

    def check_file(self) -> bool:
        """Whether the study file is lost (deleted or replaced since it was opened). The first time
        it is found so, let go of its side files, drop what waits and tell the screen."""
        if self.lost is not None:
            return True
        reason = self.study.file_lost()
        if reason is None:
            return False
        self.lost = reason
        self.study.release_lost_file()
        self.screen.show_lost(reason, self.discard())
        return True

    # -- one attempt -------------------------------------------------------------------------------

    def _try(self, change: Change, wait: float) -> str | None:
        """Try ``change`` once. None: the study is locked and it must wait. Otherwise it is done (the
        note to show) or dropped ("": the screen has been told why)."""
        try:
            with self.study.waiting_at_most(wait):
                result = change.apply()
        except StudyBusyError:
            return None
        except StorageError as error:
            self.screen.show_not_saved(why_not_saved(error, self.study), change)
            return ""
        except WorkbenchError as error:
            (change.refused or self.screen.show_refused)(error)
            return ""
        try:
            return change.done(result) or "saved"
        except WorkbenchError as error:  # committed, but the screen could not show it all
            self.screen.show_refused(error)
            return "saved"

    def _finished(self, note: str) -> None:
        """A change is done (``note``) or dropped (""): show where things stand."""
        if not note:
            return
        self.unflushed_since = time.monotonic()
        if self.waiting:
            self.screen.show_waiting(self.waiting, first=False, note=note)
        else:
            self.screen.show_saved(note)
