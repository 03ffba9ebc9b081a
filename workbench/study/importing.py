"""Importing transcripts with their case attributes, from files or already read texts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from workbench.domain.models import ParsedTranscript
from workbench.domain.word_count import count_words
from workbench.errors import InputError
from workbench.storage import cases as cases_store
from workbench.storage import memos as memos_store
from workbench.storage import transcripts as transcripts_store
from workbench.storage.database import room_for_a_large_write
from workbench.study.collecting import collecting_paused
from workbench.study.provenance import now, text_hash

if TYPE_CHECKING:  # for annotations only: the study layer does not import SQLite
    from workbench.interop.cases import CasesByTranscript
    from workbench.storage.connection import Database


@dataclass
class ImportReport:
    """What an import did, file by file."""

    imported: list[str] = field(default_factory=list)  # transcript names
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    cases_updated: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    words: int = 0

    def to_json(self) -> dict:
        return {
            "imported": self.imported,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
            "cases_updated": self.cases_updated,
            "warnings": self.warnings,
            "words": self.words,
        }


class ImportItem(NamedTuple):
    """One transcript to store: its name, its parsed text and turns, where it came from, and
    its case attributes (an optional ``case`` attribute names a shared case). Read, never changed."""

    name: str
    parsed: ParsedTranscript
    source_file: str
    attributes: Mapping[str, str] = MappingProxyType({})


class ImportingMixin:
    """Part of :class:`workbench.study.Study` (mixed in there; uses its ``db``, ``_change`` and
    the case helpers of ``TranscriptsMixin``)."""

    db: Database

    def import_files(
        self,
        paths: Iterable[Path | str],
        cases_file: Path | str | None = None,
        progress: Callable[[Path], None] | None = None,
        columns: dict[str, str] | None = None,
    ) -> ImportReport:
        """Import transcripts (and their case attributes) in one transaction.

        Every file is read and checked before anything is written, so one bad file changes
        nothing. The same text imported twice is skipped and reported. ``columns`` names the
        columns of tabular transcripts (.csv, .tsv), e.g. ``{"speaker": "Sprecher"}``.
        """
        with collecting_paused():  # an import makes a tuple per turn and a string per line, no cycles
            return self._import_files([Path(p) for p in paths], cases_file, progress, columns)

    def _import_files(
        self,
        paths: list[Path],
        cases_file: Path | str | None,
        progress: Callable[[Path], None] | None,
        columns: dict[str, str] | None,
    ) -> ImportReport:
        # The readers (cases files, .docx, subtitles) are imported here, not with the study: a
        # report or the TUI's first screen does not pay for them, nor an import without a
        # cases file for the cases reader.
        from workbench.interop.transcripts import read_transcript

        case_warnings: list[str] = []
        cases: CasesByTranscript = {}
        if cases_file:
            from workbench.interop.cases import read_cases_file

            cases = read_cases_file(Path(cases_file), case_warnings)
        parsed: list[tuple[Path, ParsedTranscript]] = []
        names: dict[str, Path] = {}
        for path in paths:
            if path.stem in names:
                raise InputError(
                    f"two files would both be named {path.stem!r} (also {names[path.stem]})", where=str(path)
                )
            names[path.stem] = path
            parsed.append((path, read_transcript(path, columns)))
            if progress:
                progress(path)
        items = [ImportItem(path.stem, transcript, path.name, cases.get(path.stem, {})) for path, transcript in parsed]
        report = self.import_texts(
            items,
            extra_cases={n: a for n, a in cases.items() if n not in names},
            action_payload={"files": [str(p) for p in paths]},
        )
        report.warnings.extend(case_warnings)
        return report

    def import_texts(
        self, items: list[ImportItem], extra_cases: CasesByTranscript | None = None, action_payload: dict | None = None
    ) -> ImportReport:
        """Store already-read transcripts (from files, or from an exchange format) in one transaction.

        ``extra_cases`` are attributes for transcripts already in the study. A text already in
        the study is skipped and reported; a different text under an existing name is refused.
        """
        report = ImportReport()
        with (
            room_for_a_large_write(self._db),
            self._change("import", dict(action_payload or {"transcripts": [i.name for i in items]})) as payload,
        ):
            for item in items:
                self._import_one(item, report)
            unused = [n for n, attrs in (extra_cases or {}).items() if not self._update_case_of(n, attrs, report)]
            if unused:
                report.warnings.append(_unused_cases_warning(unused))
            payload["imported"] = report.imported
        return report

    def _import_one(self, item: ImportItem, report: ImportReport) -> None:
        name, parsed, attrs, path = item.name, item.parsed, item.attributes, item.source_file
        digest = text_hash(parsed.text)
        same_name = transcripts_store.content_hash_of(self._db, name)
        if same_name is not None:
            if same_name != digest:
                raise InputError(
                    f"the study already has a different transcript named {name!r}; rename the file to import it as a new transcript",
                    where=str(path),
                )
            report.skipped.append((str(path), f"already imported as {name!r}"))
            self._update_case_of(name, attrs, report)
            return
        same_text = transcripts_store.name_with_content(self._db, digest)
        if same_text is not None:
            report.skipped.append((str(path), f"same text as transcript {same_text!r}, already imported"))
            return
        merged = {**parsed.attributes, **attrs}
        case_name = merged.pop("case", None) or name
        case_id = self._case_id(case_name, create=True)
        self._set_attributes(case_id, merged)
        words = count_words(parsed.text)
        transcript_id = transcripts_store.insert_transcript(
            self._db,
            name=name,
            case_id=case_id,
            source_file=item.source_file,
            format=parsed.format,
            text=parsed.text,
            content_hash=digest,
            imported_at=now(),
            words=words,
        )
        transcripts_store.insert_turns(self._db, transcript_id, parsed.turns)
        if parsed.memo:  # what the file says about itself, e.g. noScribe's header
            memos_store.store_memo(self._db, "transcript", transcript_id, parsed.memo, now())
        report.imported.append(name)
        report.words += words
        report.warnings.extend(parsed.warnings)  # each already names its file

    def _update_case_of(self, transcript_name: str, attrs: dict[str, str], report: ImportReport) -> bool:
        """Apply a cases-file entry to the case of an already imported transcript. False when
        the entry has attributes and the study has no transcript of that name."""
        case = cases_store.case_of_transcript(self._db, transcript_name)
        if case is None:
            return not attrs
        attrs = {k: v for k, v in attrs.items() if k != "case"}
        case_id, case_name = case
        if self._set_attributes(case_id, attrs):
            report.cases_updated.append(case_name)
        return True


#: Names of unused cases-file entries listed in the one warning about them, before "and N more".
UNUSED_NAMES_SHOWN = 5


def _unused_cases_warning(names: list[str]) -> str:
    """One line for every cases-file entry that names no transcript of the study (importing a
    few interviews with the cases file of the whole study would otherwise print a line for
    each interview not imported yet)."""
    if len(names) == 1:
        return f"cases file: no transcript named {names[0]!r}; its attributes were not used"
    shown = ", ".join(repr(n) for n in names[:UNUSED_NAMES_SHOWN])
    more = f" and {len(names) - UNUSED_NAMES_SHOWN} more" if len(names) > UNUSED_NAMES_SHOWN else ""
    return f"cases file: {len(names)} entries name no transcript in the study ({shown}{more}); their attributes were not used"
