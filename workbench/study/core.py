"""The use cases: everything a researcher can do to a study, as plain method calls.

The CLI and the TUI are thin layers over ``Study``. Every public method that changes the study is
one transaction and writes one entry in the events table (the audit trail).

``Study`` itself (here) opens and closes the file, groups changes (``batch``, ``_change``),
undoes and redoes them, and keeps the audit trail and settings. The everyday use cases are
mixed in from one module each: ``transcripts`` (and cases), ``importing``, ``themes``,
``coding``, ``quotes`` and ``memos``. None of them speaks SQL: ``workbench.storage`` does.

SQLite's errors never leave a ``Study``: every public method (the mixins' too) is wrapped by
``storage_errors_translated``, so they come out as ``StudyBusyError`` or ``StorageError``
(``workbench.errors``); ``create``/``open`` get the same from ``storage.database``.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import __version__
from workbench.storage import events as events_store
from workbench.storage import file_identity, undo
from workbench.storage import settings as settings_store
from workbench.storage.database import (
    checkpoint,
    create_database,
    data_version,
    open_database,
    storage_errors_translated,
    transaction,
)
from workbench.storage.study_file import busy_timeout_ms, set_busy_timeout
from workbench.study.coding import CodeResult, CodingMixin
from workbench.study.importing import ImportingMixin, ImportItem, ImportReport
from workbench.study.kept_reads import KeptReads
from workbench.study.memos import MEMO_TARGETS, MemosMixin
from workbench.study.provenance import default_coder, now, text_hash
from workbench.study.quotes import QuotesMixin
from workbench.study.themes import ThemesMixin
from workbench.study.transcripts import TranscriptsMixin

if TYPE_CHECKING:  # names for annotations only: the study layer does not import SQLite
    from workbench.storage.backup import Snapshot
    from workbench.storage.connection import Database

# A change that touches this many rows (an import, a merge) is copied from the -wal into the
# study file at once, so that a plain copy of the file holds it (``Study.checkpoint``).
LARGE_CHANGE_ROWS = 100
# Keys in the study table: which version of the workbench created the file and last changed it.
CREATED_WITH = "created_with"
LAST_WRITTEN_WITH = "last_written_with"

# The names other modules import from here (and from ``workbench.study``).
__all__ = ["MEMO_TARGETS", "CodeResult", "ImportItem", "ImportReport", "Study", "default_coder", "now", "text_hash"]


def _with_storage_errors_translated(cls: type) -> type:
    """Wrap every public method of ``cls``, its own and inherited, in ``storage_errors_translated``.

    (Class- and static methods and properties are left as they are: ``create`` and ``open``
    translate in ``storage.database``.)
    """
    for name in dir(cls):
        if not name.startswith("_") and inspect.isfunction(inspect.getattr_static(cls, name)):
            setattr(cls, name, storage_errors_translated(getattr(cls, name)))
    return cls


@_with_storage_errors_translated
class Study(TranscriptsMixin, ImportingMixin, ThemesMixin, CodingMixin, QuotesMixin, MemosMixin):
    """An open study file. Use ``Study.create`` or ``Study.open``; close it (or use ``with``)."""

    def __init__(self, db: Database, path: Path, coder: str | None = None):
        self._db = db
        self.path = path
        self.coder = coder or default_coder()
        self._batch_depth = 0  # > 0 inside ``batch``: changes join one transaction and event
        self._version_recorded = False  # set on the first change: see ``written_with``
        # Which file the path named when it was opened: a sync tool or a copy put back by hand
        # may put another file there later (see ``file_lost``).
        self._opened_as = file_identity.identify(path)
        self._kept = KeptReads(db)  # the codebook, cases and a transcript's text between own changes

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, coder: str | None = None) -> Study:
        """Create a new, empty study file (refuses to overwrite anything) and open it."""
        path = Path(path)
        study = cls(create_database(path), path, coder)
        with study._change("init", {"path": str(path)}):
            settings_store.store_setting(study._db, "created", now())
            settings_store.store_setting(study._db, CREATED_WITH, f"workbench {__version__}")
        return study

    @classmethod
    def open(cls, path: Path | str, coder: str | None = None) -> Study:
        """Open an existing study file (read-only if it cannot be written; see ``read_only_reason``)."""
        path = Path(path)
        return cls(open_database(path), path, coder)

    def close(self) -> None:
        """Close the study; what this program changed is in the study file itself afterwards
        (a checkpoint first), as far as other programs reading it allow."""
        checkpoint(self._db)
        self._db.close()

    def checkpoint(self) -> bool:
        """Copy the changes waiting in the study's -wal file into the study file itself, so that
        a plain copy of the file (``cp``, a sync folder) holds them; for a front end to call when
        idle. Never waits for another program and never raises.

        Returns True when the file now holds every committed change; False when some still wait
        (another program is writing, or reading an older state: try again later), or the study
        is open read-only. ``workbench backup`` remains the safe way to copy a study.
        """
        return checkpoint(self._db)

    def __enter__(self) -> Study:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def written_with(self) -> dict[str, str | None]:
        """Which version of the workbench created the study and which last changed it
        (``"workbench 0.2.0"``; None for a study from before versions were recorded)."""
        return {
            "created": settings_store.load_setting(self._db, CREATED_WITH),
            "last_written": settings_store.load_setting(self._db, LAST_WRITTEN_WITH),
        }

    @property
    def read_only_reason(self) -> str | None:
        """Why the study was opened read-only (another program holds it, a read-only file), or None."""
        return getattr(self._db, "read_only_reason", None) if getattr(self._db, "read_only", False) else None

    def data_version(self) -> int:
        """Changes whenever another connection (a second window, the CLI) commits to the file."""
        return data_version(self._db)

    @contextmanager
    def waiting_at_most(self, seconds: float) -> Iterator[None]:
        """Within the block, wait at most ``seconds`` (not the busy timeout) for another program's
        write lock before a change raises ``StudyBusyError``: for a screen that must not freeze."""
        set_busy_timeout(self._db, int(seconds * 1000))
        try:
            yield
        finally:
            set_busy_timeout(self._db, busy_timeout_ms())

    # -- the file itself -----------------------------------------------------------------------

    def file_lost(self) -> str | None:
        """None while the study's path still names the file that was opened; otherwise what
        became of it ("the study file was deleted", "... was replaced by another file"). Changes
        made after that reach no file anyone will open as this study: a program that finds it
        lost should stop changing it, call ``release_lost_file``, and offer ``save_copy``."""
        return file_identity.what_happened(self.path, self._opened_as)

    def release_lost_file(self) -> None:
        """The file was lost (``file_lost``): remove SQLite's side files (``-wal``, ``-shm``) that
        belong to the opened file from beside the path, so that the file now there (or one put
        back later) does not take in this connection's changes. Reading goes on as before."""
        file_identity.release_side_files(self.path, self._opened_as)

    def file_writable(self) -> bool:
        """Whether the study file can be written now (False for one made read-only since it was opened)."""
        return file_identity.writable(self.path)

    def save_copy(self, target: Path | str) -> Path:
        """Write the study as this connection sees it (everything committed) to a new file at
        ``target``, e.g. to keep the work when the study file was lost; refuses an existing file."""
        return file_identity.write_copy(self._db, Path(target))

    # -- changes -------------------------------------------------------------------------------

    @contextmanager
    def batch(self, action: str, payload: dict | None = None) -> Iterator[dict]:
        """Run several use cases as one transaction and one undoable step (e.g. a project import).

        Changes inside the block are recorded as a single event named ``action``.
        """
        if self._batch_depth:
            self._batch_depth += 1
            try:
                yield payload if payload is not None else {}
            finally:
                self._batch_depth -= 1
            return
        with self._change(action, payload if payload is not None else {}) as recorded:
            self._batch_depth = 1
            try:
                yield recorded
            finally:
                self._batch_depth = 0
        checkpoint(self._db)  # a batch (a project import, a merge) goes into the file itself at once

    @contextmanager
    def _change(self, action: str, payload: dict) -> Iterator[dict]:
        """A transaction that also records the action (and what the block adds to ``payload``)
        in the events table, with the undo-log range that reverses it. Inside ``batch`` it only
        joins the batch's transaction and event."""
        if self._batch_depth:
            yield payload
            return
        with transaction(self._db):
            began = self._kept.mark()
            first = undo.log_position(self._db) + 1
            yield payload
            last = undo.log_position(self._db)
            if last < first and action != "init":
                # Nothing undoable changed (a file imported twice, a setting): nothing to record
                # or undo, and no table the quotes' codebook and cases come from.
                self._kept.carry(began, None, None)
                return
            events_store.end_redo_chain(self._db)  # a new action ends the redo chain, as in every editor
            self._record(action, payload, (first, last) if last >= first else (None, None))
            self._kept.carry(began, first, last)
        if last - first + 1 >= LARGE_CHANGE_ROWS:  # e.g. an import: into the file itself at once
            checkpoint(self._db)

    def _record(self, action: str, payload: dict, undo_range: tuple[int | None, int | None]) -> int:
        if not self._version_recorded:  # the study says which version last wrote it (once per opening)
            settings_store.store_setting(self._db, LAST_WRITTEN_WITH, f"workbench {__version__}")
            self._version_recorded = True
        return events_store.record_event(self._db, now(), self.coder, action, payload, undo_range)

    def _snapshot(self, reason: str) -> None:
        """A copy of the file before a destructive change (undo is the first line of defence;
        this is the second). A snapshot that cannot be written stops the change."""
        from workbench.storage.backup import snapshot

        snapshot(self.path, self._db, reason)

    def backup(self) -> Snapshot:
        """Save a snapshot of the study now, kept until deleted by hand (``workbench backup``)."""
        from workbench.storage.backup import backup

        return backup(self.path, self._db)

    # -- undo ----------------------------------------------------------------------------------

    def undo(self) -> dict | None:
        """Undo the most recent change still in effect; returns its event (None: nothing to undo)."""
        with transaction(self._db):
            began = self._kept.mark()
            event = events_store.latest_undoable(self._db)
            if event is None:
                return None
            redo_range = undo.replay_backwards(self._db, event["undo_first"], event["undo_last"])
            seq = self._record("undo", {"event": event["id"], "action": event["action"]}, (None, None))
            events_store.mark_undone(self._db, event["id"], seq, redo_range)
            self._kept.carry(began, *redo_range)  # the entries the undo wrote
        return event

    def redo(self) -> dict | None:
        """Redo the most recently undone change; returns its event (None: nothing to redo)."""
        with transaction(self._db):
            began = self._kept.mark()
            event = events_store.latest_redoable(self._db)
            if event is None:
                return None
            first, last = (event["undo_first"], event["undo_last"])
            undo_range = undo.replay_backwards(self._db, first, last) if first else (None, None)
            self._record("redo", {"event": event["id"], "action": event["action"]}, (None, None))
            events_store.mark_redone(self._db, event["id"], undo_range)
            self._kept.carry(began, *undo_range)  # the entries the redo wrote
        return event

    def events(self, limit: int | None = None) -> list[dict]:
        """The audit trail, newest first (the last ``limit`` events only, if given)."""
        return events_store.load_events(self._db, limit)

    # -- settings ------------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        """A value the study remembers (e.g. the chapter export settings as YAML)."""
        return settings_store.load_setting(self._db, key)

    def set_setting(self, key: str, value: str | None) -> None:
        """Remember (or, with None, forget) a value in the study."""
        with self._change("setting", {"key": key}):
            settings_store.store_setting(self._db, key, value)
