"""Memos: one note each on the study, a theme (its introduction, and its closing memo), a
transcript or a case."""

from __future__ import annotations

from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.storage import memos as memos_store
from workbench.study.provenance import now

if TYPE_CHECKING:  # for annotations only: the study layer does not import SQLite
    from workbench.storage.connection import Database

# "closing" is a theme's closing memo: the synthesis that ends its section of the chapter.
MEMO_TARGETS = ("study", "theme", "closing", "transcript", "case")


class MemosMixin:
    """Part of :class:`workbench.study.Study` (mixed in there; uses its ``db``, ``_change`` and
    the lookups of themes, transcripts and cases)."""

    db: Database

    def memo(self, target_type: str, target: str | None = None) -> str | None:
        """The memo on the study, a theme, a transcript or a case (None if there is none)."""
        return memos_store.load_memo(self._db, target_type, self._memo_target(target_type, target))

    def set_memo(self, target_type: str, target: str | None, text: str) -> None:
        """Write (or, with empty text, delete) a memo."""
        target_id = self._memo_target(target_type, target)
        with self._change("memo", {"on": target_type, "target": target, "chars": len(text)}):
            memos_store.store_memo(self._db, target_type, target_id, text, now())

    def _memo_target(self, target_type: str, target: str | None) -> int | None:
        if target_type not in MEMO_TARGETS:
            raise WorkbenchError(f"a memo belongs to one of: {', '.join(MEMO_TARGETS)}")
        if target_type == "study":
            return None
        if not target:
            raise WorkbenchError(f"name the {target_type} the memo is about")
        if target_type in ("theme", "closing"):
            return self.theme(target).id
        if target_type == "transcript":
            return self.transcript(target).id
        return self._case_id(self._case_name(target))
