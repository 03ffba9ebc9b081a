"""Transcripts and cases: finding a transcript, its text and turns; cases and their attributes."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain.models import Transcript, Turn
from workbench.errors import NotFoundError
from workbench.storage import cases as cases_store
from workbench.storage import queries
from workbench.storage import transcripts as transcripts_store
from workbench.study.provenance import now

if TYPE_CHECKING:  # for annotations only: the study layer does not import SQLite
    from workbench.storage.connection import Database


class TranscriptsMixin:
    """Part of :class:`workbench.study.Study` (mixed in there; uses its ``db``, ``path`` and ``_change``)."""

    db: Database
    path: Path

    def transcripts(self) -> list[Transcript]:
        """Every transcript, by name."""
        return queries.load_transcripts(self._db)

    def transcript(self, name: str) -> Transcript:
        """The transcript called ``name`` (exactly, else case-insensitively if that is unique)."""
        exact = queries.load_transcripts(self._db, name)  # the usual case: one indexed row
        if exact:
            return exact[0]
        folded = [t for t in self.transcripts() if t.name.casefold() == name.casefold()]
        if len(folded) == 1:
            return folded[0]
        raise NotFoundError(f"no transcript named {name!r} in {self.path.name}")

    def transcript_text(self, name: str) -> str:
        """The full text of a transcript, as stored (offsets of codings and turns point into it)."""
        return transcripts_store.transcript_text(self._db, self.transcript(name).id)

    def turns(self, name: str) -> list[Turn]:
        """A transcript's speaker turns, in order."""
        return queries.load_turns(self._db, self.transcript(name).id)

    # -- cases -----------------------------------------------------------------------------------

    def cases(self) -> dict[str, dict[str, str]]:
        """Every case with its attributes."""
        return queries.load_case_attributes(self._db)

    def set_case_attributes(self, case: str, attrs: dict[str, str]) -> dict[str, str]:
        """Set (or, with an empty value, remove) attributes of a case; return its attributes."""
        case_id = self._case_id(self._case_name(case))
        with self._change("case.set", {"case": case, "attributes": attrs}):
            for key, value in attrs.items():
                if value == "":
                    cases_store.delete_attribute(self._db, case_id, key)
            cases_store.upsert_attributes(self._db, case_id, {k: v for k, v in attrs.items() if v != ""})
        return self.cases()[self._case_name(case)]

    def _case_name(self, case: str) -> str:
        names = list(self.cases())
        if case in names:
            return case
        folded = [n for n in names if n.casefold() == case.casefold()]
        if len(folded) == 1:
            return folded[0]
        raise NotFoundError(f"no case named {case!r} in {self.path.name}")

    def _case_id(self, name: str, create: bool = False) -> int:
        found = cases_store.case_id(self._db, name)
        if found is not None:
            return found
        if not create:
            raise NotFoundError(f"no case named {name!r} in {self.path.name}")
        return cases_store.insert_case(self._db, name, now())

    def _set_attributes(self, case_id: int, attrs: dict[str, str]) -> bool:
        """Set attributes; return whether anything changed."""
        current = cases_store.attributes_of(self._db, case_id)
        changed = {k: v for k, v in attrs.items() if current.get(k) != v}
        cases_store.upsert_attributes(self._db, case_id, changed)
        return bool(changed)
