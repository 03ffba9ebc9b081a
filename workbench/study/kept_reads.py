"""What the study keeps of its reads between this program's own changes.

A coding needs the codebook (0.6 ms to read at research scale) and the transcript's text (0.4 ms
for a 300,000-character interview, read to check that nobody changed it since the screen showed
it); the quote board needs the codebook and the cases for every card. Each is kept under the
file's change mark at the time it was read (:func:`~workbench.storage.database.change_mark`:
another program's commit, or any row this connection changed, moves it), so a kept value is used
only while the file is as it was.

A change of this program's own moves the mark too, though most leave these values alone: a
coding writes to the codings table only. So after each such change (inside its transaction) the
values kept under the mark it began at are carried over to the new mark when no other program
committed in between and the undo-log entries the change wrote touch none of the tables the
value was read from. Every change to those tables writes such an entry (``storage/undo.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.storage import undo
from workbench.storage.database import change_mark

if TYPE_CHECKING:  # for annotations only: the study layer does not import SQLite
    from workbench.storage.connection import Database

Mark = tuple[int, int]

#: Each kept value's name and the tables it is read from.
SOURCES: dict[str, tuple[str, ...]] = {
    "quote_context": ("themes", "cases", "case_attributes"),  # the codebook and the cases, for quotes
    "transcript_text": ("transcripts",),  # (transcript id, its text): the last one a coding read
}


class KeptReads:
    """Values read from the study's file, each kept under the change mark it was read at."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._values: dict[str, tuple[Mark, object]] = {}

    def get(self, name: str) -> object | None:
        """The value kept as ``name`` if the file has not changed since; None otherwise."""
        kept = self._values.get(name)
        return kept[1] if kept is not None and kept[0] == change_mark(self._db) else None

    def put(self, name: str, value: object) -> None:
        """Keep ``value`` (just read) as ``name``, under the file's mark now."""
        self._values[name] = (change_mark(self._db), value)

    def mark(self) -> Mark:
        """The file's mark now: taken at the start of a change, for :meth:`carry`."""
        return change_mark(self._db)

    def carry(self, before: Mark, first: int | None, last: int | None) -> None:
        """After a change of this program's that began at mark ``before`` and wrote undo-log
        entries ``first..last`` (None: none, as for a setting): keep each value kept under
        ``before`` whose tables the change left alone, under the mark as it is now."""
        now = change_mark(self._db)
        if now[0] != before[0]:  # another program's commit came in between
            return
        carried = [name for name, (mark, _value) in self._values.items() if mark == before]
        if not carried:
            return
        # Most changes (a coding, a selection) touch none of them: one look at the log says so.
        touched = first is not None and last is not None
        if touched:
            tables = tuple(sorted({table for name in carried for table in SOURCES[name]}))
            touched = undo.changed_any_of(self._db, first, last, tables)
        for name in carried:
            if touched and undo.changed_any_of(self._db, first, last, SOURCES[name]):  # type: ignore[arg-type]
                continue
            self._values[name] = (now, self._values[name][1])
