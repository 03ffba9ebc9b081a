"""Anonymising a whole study with a pseudonym map, so that the study file itself holds no real name.

``anonymise_study`` applies the map to everything already stored: the transcripts (text and
speakers; codings and turns move exactly with their words), the coded text of flagged codings,
case attributes, memos, quote comments and trimmed quotes, names of transcripts, cases and
themes, settings, and the audit trail (whose folder paths are cut down to file names). The undo
log holds old values, names included, and cannot undo the anonymisation without keeping them:
the anonymisation therefore ends the undo history (nothing before it can be undone, and it
cannot be undone itself). Afterwards the file is compacted, so no deleted row survives in its
bytes or in its write-ahead log, and checked.

Coder names (``codings.coder``, ``events.actor``) are left alone: coders are researchers, not
informants. If the map names a coder, the check lists it.

``check_study`` lists where each mapped name remains: a row of a table, the raw bytes of the file
or its log, or a snapshot in ``STUDY.backups/``; ``purge_snapshots`` deletes the snapshots that
hold any of the names. The map and the list of replacements are never stored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from workbench.domain.anonymise import AnonymisationReport, PseudonymMap, anonymise_with_offsets, apply_to_text
from workbench.domain.elision import elision_problem
from workbench.domain.models import ParsedTranscript
from workbench.domain.scrub import (
    anonymise_name,
    anonymise_payload,
    anonymise_setting,
    find_names_in_bytes,
    find_names_in_value,
    line_and_column,
)
from workbench.errors import WorkbenchError
from workbench.storage import backup as backups
from workbench.storage import queries
from workbench.storage import reimport as reimport_store
from workbench.storage import scrub as store
from workbench.storage.database import read_raw, storage_errors_translated, transaction
from workbench.storage.study_file import SQLITE_HEADER
from workbench.study.core import Study
from workbench.study.provenance import text_hash

REVIEW_PREFIX = "anonymisation: "  # flags set here (a trimmed quote that no longer fits)

# Coders are researchers, not informants: their names are not replaced.
CODER_COLUMNS = frozenset({("codings", "coder"), ("events", "actor")})
# Values rewritten by their own step (transcripts with their codings), or dropped (the undo log).
_OWN_STEP = frozenset(
    {
        ("transcripts", "text"),
        ("transcripts", "content_hash"),
        ("turns", "speaker"),
        ("codings", "text"),
        ("codings", "text_hash"),
        ("undo_log", "sql"),
    }
)
_NAMES = frozenset({("transcripts", "name"), ("transcripts", "source_file"), ("cases", "name")})

# What each column holds, in the words the researcher sees in the summary.
PLACES = {
    "transcripts.text": "transcript text",
    "turns.speaker": "speakers",
    "codings.text": "coded text",
    "transcripts.name": "transcript names",
    "transcripts.source_file": "file names",
    "cases.name": "case names",
    "case_attributes.value": "case attributes",
    "case_attributes.key": "case attribute names",
    "memos.text": "memos",
    "quotes.comment": "quote comments",
    "quotes.note_after": "notes after quotes",
    "quotes.elided": "trimmed quotes",
    "themes.name": "theme names",
    "themes.description": "theme descriptions",
    "themes.include_note": "theme notes",
    "themes.exclude_note": "theme notes",
    "codings.review": "review notes",
    "study.value": "settings",
    "events.payload": "audit trail",
    "undo_log.sql": "undo log",
}


@dataclass(frozen=True)
class Leftover:
    """A mapped name still somewhere: in a row (``place`` is ``table.column row N``), in the raw
    bytes of the study file or its log (``count`` times, the first at byte ``offset``), or in a
    snapshot (``count`` times)."""

    file: str
    place: str
    found: str
    name: str
    replacement: str
    line: int | None = None
    column: int | None = None
    offset: int | None = None
    count: int = 1

    @property
    def coder(self) -> bool:
        """A coder's name: reported, never replaced."""
        return any(self.place.startswith(f"{t}.{c} ") for t, c in CODER_COLUMNS)

    def describe(self) -> str:
        where = self.place
        if self.line is not None:
            where += f", line {self.line} column {self.column}"
        if self.offset is not None:
            where += f" from byte {self.offset}"
        times = f" x{self.count}" if self.count > 1 else ""
        return f"{self.file}: {where}: {self.found!r}{times} (mapped to {self.replacement!r})"

    def to_json(self) -> dict:
        return {
            "file": self.file,
            "place": self.place,
            "found": self.found,
            "name": self.name,
            "replacement": self.replacement,
            "line": self.line,
            "column": self.column,
            "offset": self.offset,
            "count": self.count,
        }


@dataclass
class StudyScrub:
    """What anonymising a study did. ``details`` names real people: the researcher's terminal only."""

    changed: bool = False  # names were replaced in stored values
    details: AnonymisationReport = field(default_factory=AnonymisationReport)
    transcripts: dict[str, int] = field(default_factory=dict)  # transcript (its new name) -> names replaced in it
    flagged: list[int] = field(default_factory=list)  # codings whose trimmed quote no longer fits
    undo_entries_dropped: int | None = None  # None: the undo history was kept
    names_in_undo_log: int = 0  # occurrences of names that went with it
    snapshot: Path | None = None  # taken just before; it holds the names
    compacted: bool = False
    log_emptied: bool = True  # False: another program kept old pages in STUDY-wal
    remaining: list[Leftover] = field(default_factory=list)  # in the study or its log, afterwards
    snapshots_holding: list[Path] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Replacements per kind of place ("memos", "audit trail", ...): safe to show anywhere."""
        counted: Counter[str] = Counter()
        for item in self.details.replacements:
            column = item.place.split(" ", 1)[0]
            counted[PLACES.get(column, column)] += 1
        return dict(counted)

    def to_json(self) -> dict:
        """A summary without real names."""
        return {
            "changed": self.changed,
            "replacements": self.counts(),
            "transcripts": self.transcripts,
            "flagged": self.flagged,
            "undo_history_ended": self.undo_entries_dropped is not None,
            "names_in_undo_log": self.names_in_undo_log,
            "snapshot_before": str(self.snapshot) if self.snapshot else None,
            "compacted": self.compacted,
            "log_emptied": self.log_emptied,
            "remaining": len(self.remaining),
            "snapshots_holding_names": [str(p) for p in self.snapshots_holding],
        }


# -- anonymising ----------------------------------------------------------------------------------


@storage_errors_translated
def anonymise_study(
    study: Study,
    mapping: PseudonymMap,
    then: Callable[[dict], None] | None = None,
    action: str = "anonymise",
    payload: dict | None = None,
    look_after: bool = True,
) -> StudyScrub:
    """Apply ``mapping`` to everything stored in the study, end the undo history, compact the file.

    ``then`` (e.g. a re-import) runs in the same transaction, after the names are replaced, and
    may add to the event's ``payload``. When nothing stored holds a name, nothing is replaced,
    the undo history stays and ``then`` is an ordinary undoable change named ``action``.
    A snapshot is taken first when names are replaced (it holds them: see ``purge_snapshots``).
    Afterwards the study and its snapshots are searched again (``remaining``,
    ``snapshots_holding``); without ``look_after`` only when something was done.
    """
    result = StudyScrub()
    payload = dict(payload or {})
    if not _stored_names(study, mapping):
        if then is not None:
            with study._change(action, payload) as recorded:
                then(recorded)
    else:
        result.snapshot = backups.snapshot(study.path, study._db, f"before {action} with pseudonyms")
        secure = store.set_secure_delete(study._db, True)
        try:
            with transaction(study._db):
                _replace_everywhere(study, mapping, result)
                if then is not None:
                    then(payload)
                result.undo_entries_dropped = store.drop_undo_history(study._db)
                payload.update(replacements=sum(result.counts().values()), undo_history="ended")
                study._record(action, payload, (None, None))
        except BaseException:
            if result.snapshot is not None:  # nothing changed: no second copy of the names is needed
                store.delete_snapshot(result.snapshot)
            raise
        finally:
            store.set_secure_delete(study._db, secure)
        result.changed = True
    if result.changed or _raw_names(study, mapping):
        if study.read_only_reason:
            raise WorkbenchError(
                f"{study.path}: opened read-only because {study.read_only_reason}; nothing was changed"
            )
        compaction = store.compact(study._db)
        result.compacted, result.log_emptied = True, compaction.log_emptied
        if not compaction.undo_history_kept and result.undo_entries_dropped is None:
            result.undo_entries_dropped = 0
    if look_after or result.compacted:
        result.remaining = check_study(study, mapping, snapshots=False)
        result.snapshots_holding = [path for path, _count in snapshots_holding_names(study.path, mapping)]
    return result


def _stored_names(study: Study, mapping: PseudonymMap) -> bool:
    """Whether a name is in any stored value the anonymisation replaces (coder names are not)."""
    for table, column, _rowid, value in store.text_values(study._db):
        if (table, column) not in CODER_COLUMNS and find_names_in_value(value, mapping)[0]:
            return True
    return False


def _raw_names(study: Study, mapping: PseudonymMap) -> bool:
    return any(find_names_in_bytes(store.read_bytes(path), mapping) for path in store.study_files(study.path))


def _replace_everywhere(study: Study, mapping: PseudonymMap, result: StudyScrub) -> None:
    db, report = study._db, result.details
    for _table, _column, _rowid, value in store.text_values(db, only=["undo_log"]):  # dropped whole at the end
        result.names_in_undo_log += len(find_names_in_value(value, mapping)[0])
    replaced = _anonymise_transcripts(study, mapping, result)
    for coding_id, coded, _review in store.coded_texts(db):  # flagged codings keep the text as coded
        new = _apply(coded, mapping, f"codings.text row {coding_id}", report)
        if new != coded:
            store.set_coded_text(db, coding_id, new, text_hash(new))
    for table, column, rowid, value in list(store.text_values(db)):
        if (table, column) in CODER_COLUMNS | _OWN_STEP:
            continue
        place = f"{table}.{column} row {rowid}"
        if (table, column) in _NAMES:
            new = anonymise_name(value, mapping, place, report)
        elif (table, column) == ("events", "payload"):
            new = anonymise_payload(value, mapping, place, report)
        elif (table, column) == ("study", "value"):
            new = anonymise_setting(value, mapping, place, report)
        else:
            new = _apply(value, mapping, place, report)
        if new != value:
            store.set_value(db, table, column, rowid, new)
    for coding_id, coded, elided in store.trimmed_quotes(db):
        if elision_problem(coded, elided) is not None:
            store.flag_for_review(db, coding_id, REVIEW_PREFIX + "the quote's trimmed form no longer matches its text")
            result.flagged.append(coding_id)
    names = {transcript_id: name for transcript_id, name, _format, _text in store.transcript_rows(db)}
    result.transcripts = {names[i]: count for i, count in replaced.items()}  # their names anonymised too


def _anonymise_transcripts(study: Study, mapping: PseudonymMap, result: StudyScrub) -> dict[int, int]:
    """Each transcript's text and speakers; its turns and codings move exactly with the words."""
    db = study._db
    replaced: dict[int, int] = {}
    for transcript_id, _name, text_format, text in store.transcript_rows(db):
        turns = queries.load_turns(db, transcript_id)
        new, found, move = anonymise_with_offsets(ParsedTranscript(text, turns, text_format), mapping)
        if not found.replacements:
            continue
        for item in found.replacements:
            place = "transcripts.text" if item.place == "text" else "turns.speaker"
            report_place = f"{place} row {transcript_id}" + (f" ({item.place})" if place == "turns.speaker" else "")
            result.details.replacements.append(replace(item, place=report_place))
        updates = []
        for coding_id, start, end, coded, review, _elided in reimport_store.codings_to_place(db, transcript_id):
            new_start, new_end = move(start, True), move(end, False)
            # A flagged coding keeps the text as coded (anonymised below); the others take the new words.
            new_text = coded if review else new.text[new_start:new_end]
            if (new_start, new_end, new_text) != (start, end, coded):
                updates.append((new_start, new_end, new_text, text_hash(new_text), review, coding_id))
        store.rewrite_transcript(db, transcript_id, new.text, text_hash(new.text), new.turns, updates)
        replaced[transcript_id] = len(found.replacements)
    return replaced


def _apply(text: str, mapping: PseudonymMap, place: str, report: AnonymisationReport) -> str:
    new, found = apply_to_text(text, mapping, place)
    report.replacements.extend(found.replacements)
    return new


# -- checking -------------------------------------------------------------------------------------


def is_study_file(path: Path | str) -> bool:
    """Whether ``path`` is an SQLite file (a study), not a text file to check line by line."""
    try:
        return read_raw(Path(path), len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


@storage_errors_translated
def check_study(
    study: Study, mapping: PseudonymMap, ignore_case: bool | None = None, snapshots: bool = True
) -> list[Leftover]:
    """Where the map's names remain: every text value of every table (the audit trail and the
    undo log included, and inside their JSON and SQL strings), the raw bytes of the study file
    and its write-ahead log (deleted data too), and, with ``snapshots``, each snapshot.

    Case follows the map unless ``ignore_case`` says otherwise.
    """
    found: list[Leftover] = []
    for table, column, rowid, value in store.text_values(study._db):
        names, as_written = find_names_in_value(value, mapping, ignore_case)
        for item in names:
            line, col = line_and_column(value, item.start) if as_written else (None, None)
            found.append(
                Leftover(
                    study.path.name,
                    f"{table}.{column} row {rowid}",
                    item.found,
                    item.entry.name,
                    item.entry.replacement,
                    line,
                    col,
                )
            )
    for path in store.study_files(study.path):
        found.extend(_raw_leftovers(path, mapping, ignore_case))
    if snapshots:
        for path, counts in snapshots_holding_names(study.path, mapping, ignore_case):
            for (name, replacement), count in sorted(counts.items()):
                found.append(Leftover(str(path), "snapshot", name, name, replacement, count=count))
    return found


def _raw_leftovers(path: Path, mapping: PseudonymMap, ignore_case: bool | None) -> list[Leftover]:
    """The names in a file's bytes, one entry per name with how often and where first."""
    first: dict[str, tuple[int, str]] = {}
    counts: Counter[str] = Counter()
    entries = {}
    for offset, found, entry in find_names_in_bytes(store.read_bytes(path), mapping, ignore_case):
        first.setdefault(entry.name, (offset, found))
        counts[entry.name] += 1
        entries[entry.name] = entry
    return [
        Leftover(
            path.name,
            "raw bytes",
            first[name][1],
            name,
            entries[name].replacement,
            offset=first[name][0],
            count=counts[name],
        )
        for name in first
    ]


def snapshots_holding_names(
    study_path: Path, mapping: PseudonymMap, ignore_case: bool | None = None
) -> list[tuple[Path, Counter]]:
    """The snapshots in ``STUDY.backups/`` that hold any of the map's names, newest first, each
    with how often each name occurs ((name, replacement) -> count)."""
    holding = []
    for snap in backups.list_snapshots(Path(study_path)):
        counts = _snapshot_counts(snap.path, mapping, ignore_case)
        if counts:
            holding.append((snap.path, counts))
    return holding


def _snapshot_counts(path: Path, mapping: PseudonymMap, ignore_case: bool | None) -> Counter:
    in_rows: Counter = Counter()
    for _table, _column, _rowid, value in store.snapshot_text_values(path):
        for item in find_names_in_value(value, mapping, ignore_case)[0]:
            in_rows[(item.entry.name, item.entry.replacement)] += 1
    in_bytes: Counter = Counter()
    for file in (path, Path(f"{path}-wal")):
        if file.exists():
            for _offset, _found, entry in find_names_in_bytes(store.read_bytes(file), mapping, ignore_case):
                in_bytes[(entry.name, entry.replacement)] += 1
    return Counter({key: max(in_rows[key], in_bytes[key]) for key in in_rows.keys() | in_bytes.keys()})


def purge_snapshots(study_path: Path, mapping: PseudonymMap, ignore_case: bool | None = None) -> list[Path]:
    """Delete the snapshots that hold any of the map's names (clean ones stay); return them."""
    deleted = []
    for path, _counts in snapshots_holding_names(study_path, mapping, ignore_case):
        store.delete_snapshot(path)
        deleted.append(path)
    return deleted
