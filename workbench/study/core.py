"""The use cases: everything a researcher can do to a study, as plain method calls.

The CLI and the TUI are thin layers over ``Study``. Every public method that changes the study is
one transaction and writes one entry in the events table (the audit trail).
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from workbench.domain import codebook as codebook_format
from workbench.domain.colours import normalise_colour
from workbench.domain.elision import check_elided
from workbench.domain.reports import CodebookMergeReport, ThemeCount
from workbench.domain.models import (Codebook, Coding, ParsedTranscript, Quote, QuoteEntry, Theme, ThemeSpec,
                                     Transcript, Turn)
from workbench.errors import InputError, NotFoundError, WorkbenchError
from workbench.interop.cases import CasesByTranscript, read_cases_file
from workbench.interop.transcripts import read_transcript
from workbench.storage import queries, quote_rows
from workbench.storage.database import create_database, open_database, transaction
from workbench.storage import themes as themes_store
from workbench.storage import undo
from workbench.storage.themes import insert_theme, merge_codebook

MEMO_TARGETS = ("study", "theme", "transcript", "case")


def now() -> str:
    """The current time as stored in the study (UTC, ISO 8601, seconds)."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def default_coder() -> str:
    """Who is coding: $WORKBENCH_CODER, else the login name."""
    try:
        return os.environ.get("WORKBENCH_CODER") or getpass.getuser()
    except Exception:  # no login name in some containers
        return "coder"


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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


@dataclass
class ImportItem:
    """One transcript to store: its name, its parsed text and turns, where it came from, and
    its case attributes (an optional ``case`` attribute names a shared case)."""

    name: str
    parsed: ParsedTranscript
    source_file: str
    attributes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CodeResult:
    coding: Coding
    created: bool  # False when the same coding already existed


class Study:
    """An open study file. Use ``Study.create`` or ``Study.open``; close it (or use ``with``)."""

    def __init__(self, db: sqlite_utils.Database, path: Path, coder: str | None = None):
        self.db = db
        self.path = path
        self.coder = coder or default_coder()
        self._batch_depth = 0  # > 0 inside ``batch``: changes join one transaction and event

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path | str, coder: str | None = None) -> Study:
        path = Path(path)
        study = cls(create_database(path), path, coder)
        with study._change("init", {"path": str(path)}):
            study.db["study"].insert({"key": "created", "value": now()})
        return study

    @classmethod
    def open(cls, path: Path | str, coder: str | None = None) -> Study:
        path = Path(path)
        return cls(open_database(path), path, coder)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Study:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

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

    @contextmanager
    def _change(self, action: str, payload: dict) -> Iterator[dict]:
        """A transaction that also records the action (and what the block adds to ``payload``)
        in the events table, with the undo-log range that reverses it. Inside ``batch`` it only
        joins the batch's transaction and event."""
        if self._batch_depth:
            yield payload
            return
        with transaction(self.db):
            first = undo.log_position(self.db) + 1
            yield payload
            last = undo.log_position(self.db)
            if last < first and action != "init":
                return  # nothing changed (e.g. a file imported twice): nothing to record or undo
            # A new action ends the redo chain, as in every editor.
            self.db.execute("UPDATE events SET undone = 2 WHERE undone = 1")
            self._record(action, payload, (first, last) if last >= first else (None, None))

    def _record(self, action: str, payload: dict, undo_range: tuple[int | None, int | None]) -> int:
        return self.db["events"].insert(
            {
                "at": now(),
                "actor": self.coder,
                "action": action,
                "payload": json.dumps(payload, ensure_ascii=False),
                "undo_first": undo_range[0],
                "undo_last": undo_range[1],
                "undone": 0,
            }
        ).last_pk

    # -- undo ----------------------------------------------------------------------------------

    def undo(self) -> dict | None:
        """Undo the most recent change still in effect; returns its event (None: nothing to undo)."""
        with transaction(self.db):
            event = next(
                self.db.query(
                    """SELECT * FROM events WHERE undone = 0 AND undo_first IS NOT NULL
                       AND action NOT IN ('init') ORDER BY id DESC LIMIT 1"""
                ),
                None,
            )
            if event is None:
                return None
            redo_first, redo_last = undo.replay_backwards(self.db, event["undo_first"], event["undo_last"])
            seq = self._record("undo", {"event": event["id"], "action": event["action"]}, (None, None))
            self.db["events"].update(
                event["id"], {"undone": 1, "undone_seq": seq, "undo_first": redo_first, "undo_last": redo_last}
            )
        return event

    def redo(self) -> dict | None:
        """Redo the most recently undone change; returns its event (None: nothing to redo)."""
        with transaction(self.db):
            event = next(
                self.db.query("SELECT * FROM events WHERE undone = 1 ORDER BY undone_seq DESC LIMIT 1"), None
            )
            if event is None:
                return None
            first, last = (event["undo_first"], event["undo_last"])
            undo_first, undo_last = undo.replay_backwards(self.db, first, last) if first else (None, None)
            self._record("redo", {"event": event["id"], "action": event["action"]}, (None, None))
            self.db["events"].update(
                event["id"], {"undone": 0, "undone_seq": None, "undo_first": undo_first, "undo_last": undo_last}
            )
        return event

    # -- transcripts and cases -----------------------------------------------------------------

    def transcripts(self) -> list[Transcript]:
        return queries.load_transcripts(self.db)

    def transcript(self, name: str) -> Transcript:
        for transcript in self.transcripts():
            if transcript.name == name:
                return transcript
        folded = [t for t in self.transcripts() if t.name.casefold() == name.casefold()]
        if len(folded) == 1:
            return folded[0]
        raise NotFoundError(f"no transcript named {name!r} in {self.path.name}")

    def transcript_text(self, name: str) -> str:
        transcript = self.transcript(name)
        return self.db.execute("SELECT text FROM transcripts WHERE id = ?", [transcript.id]).fetchone()[0]

    def turns(self, name: str) -> list[Turn]:
        return queries.load_turns(self.db, self.transcript(name).id)

    def cases(self) -> dict[str, dict[str, str]]:
        """Every case with its attributes."""
        return queries.load_case_attributes(self.db)

    def import_files(
        self,
        paths: Iterable[Path | str],
        cases_file: Path | str | None = None,
        progress: Callable[[Path], None] | None = None,
    ) -> ImportReport:
        """Import transcripts (and their case attributes) in one transaction.

        Every file is read and checked before anything is written, so one bad file changes
        nothing. The same text imported twice is skipped and reported.
        """
        paths = [Path(p) for p in paths]
        cases: CasesByTranscript = read_cases_file(Path(cases_file)) if cases_file else {}
        parsed: list[tuple[Path, ParsedTranscript]] = []
        names: dict[str, Path] = {}
        for path in paths:
            if path.stem in names:
                raise InputError(f"two files would both be named {path.stem!r} (also {names[path.stem]})", where=str(path))
            names[path.stem] = path
            parsed.append((path, read_transcript(path)))
            if progress:
                progress(path)
        items = [ImportItem(path.stem, transcript, path.name, cases.get(path.stem, {})) for path, transcript in parsed]
        return self.import_texts(items, extra_cases={n: a for n, a in cases.items() if n not in names},
                                 action_payload={"files": [str(p) for p in paths]})

    def import_texts(self, items: list[ImportItem], extra_cases: CasesByTranscript | None = None,
                     action_payload: dict | None = None) -> ImportReport:
        """Store already-read transcripts (from files, or from an exchange format) in one transaction.

        ``extra_cases`` are attributes for transcripts already in the study. A text already in
        the study is skipped and reported; a different text under an existing name is refused.
        """
        report = ImportReport()
        with self._change("import", dict(action_payload or {"transcripts": [i.name for i in items]})) as payload:
            for item in items:
                self._import_one(item, report)
            for name, attrs in (extra_cases or {}).items():
                self._update_case_of(name, attrs, report)
            payload["imported"] = report.imported
        return report

    def code_many(self, codings: Iterable[tuple[str, str, int, int, str | None, str | None]]) -> list[int]:
        """Store many codings at once, one transaction: (transcript, theme path, start, end, coder,
        created or None). Exact duplicates are skipped; returns the ids of the new codings."""
        themes = {t.path: t for t in self.themes()}
        transcripts = {t.name: t for t in self.transcripts()}
        texts: dict[int, str] = {}
        existing: set[tuple] = set()
        rows: list[dict] = []
        for transcript, theme_path, start, end, coder, created in codings:
            record = transcripts.get(transcript) or self.transcript(transcript)
            if record.id not in texts:
                texts[record.id] = self.transcript_text(record.name)
                existing.update(self.db.execute(
                    "SELECT transcript_id, theme_id, start, end, coder FROM codings WHERE transcript_id = ?", [record.id]
                ).fetchall())
            text = texts[record.id]
            theme = themes.get(theme_path) or self.theme(theme_path)
            if not 0 <= start < end <= len(text):
                raise WorkbenchError(f"span {start}..{end} is outside {transcript!r} (0..{len(text)}) or empty")
            key = (record.id, theme.id, start, end, coder or self.coder)
            if key in existing:
                continue
            existing.add(key)
            passage = text[start:end]
            rows.append({
                "transcript_id": record.id, "theme_id": theme.id, "start": start, "end": end,
                "coder": key[4], "created": created or now(), "text": passage, "text_hash": text_hash(passage),
            })
        # Everything is checked before the first write, so a bad span changes nothing.
        with self._change("code", {"many": True, "count": len(rows)}):
            first = self.db.execute("SELECT ifnull(max(id), 0) FROM codings").fetchone()[0] + 1
            self.db["codings"].insert_all(rows, batch_size=500)
        return list(range(first, first + len(rows)))

    def _import_one(self, item: ImportItem, report: ImportReport) -> None:
        name, parsed, attrs, path = item.name, item.parsed, item.attributes, item.source_file
        digest = text_hash(parsed.text)
        same_name = self.db.execute("SELECT content_hash FROM transcripts WHERE name = ?", [name]).fetchone()
        if same_name is not None:
            if same_name[0] != digest:
                raise InputError(
                    f"the study already has a different transcript named {name!r}; rename the file to import it as a new transcript",
                    where=str(path),
                )
            report.skipped.append((str(path), f"already imported as {name!r}"))
            self._update_case_of(name, attrs, report)
            return
        same_text = self.db.execute("SELECT name FROM transcripts WHERE content_hash = ?", [digest]).fetchone()
        if same_text is not None:
            report.skipped.append((str(path), f"same text as transcript {same_text[0]!r}, already imported"))
            return
        merged = {**parsed.attributes, **attrs}
        case_name = merged.pop("case", None) or name
        case_id = self._case_id(case_name, create=True)
        self._set_attributes(case_id, merged)
        words = len(parsed.text.split())
        transcript_id = self.db["transcripts"].insert(
            {
                "name": name,
                "case_id": case_id,
                "source_file": item.source_file,
                "format": parsed.format,
                "text": parsed.text,
                "content_hash": digest,
                "imported_at": now(),
                "chars": len(parsed.text),
                "words": words,
            }
        ).last_pk
        # One executemany of plain tuples: sqlite-utils' insert_all (checking every value, building
        # queries per chunk) took a quarter of an import. Same connection and transaction, so the
        # undo-log triggers on turns fire as for any insert.
        self.db.conn.executemany(
            'INSERT INTO turns (transcript_id, seq, speaker, start, "end", time_start, time_end) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [
                (transcript_id, i, turn.speaker, turn.start, turn.end, turn.time_start, turn.time_end)
                for i, turn in enumerate(parsed.turns)
            ],
        )
        report.imported.append(name)
        report.words += words
        report.warnings.extend(parsed.warnings)  # each already names its file

    def _update_case_of(self, transcript_name: str, attrs: dict[str, str], report: ImportReport) -> None:
        """Apply a cases-file entry to the case of an already imported transcript."""
        row = self.db.execute(
            "SELECT c.id, c.name FROM transcripts t JOIN cases c ON c.id = t.case_id WHERE t.name = ?",
            [transcript_name],
        ).fetchone()
        if row is None:
            if attrs:
                report.warnings.append(f"cases file: no transcript named {transcript_name!r}; its attributes were not used")
            return
        attrs = {k: v for k, v in attrs.items() if k != "case"}
        if self._set_attributes(row[0], attrs):
            report.cases_updated.append(row[1])

    def _case_id(self, name: str, create: bool = False) -> int:
        row = self.db.execute("SELECT id FROM cases WHERE name = ?", [name]).fetchone()
        if row:
            return row[0]
        if not create:
            raise NotFoundError(f"no case named {name!r} in {self.path.name}")
        return self.db["cases"].insert({"name": name, "created": now()}).last_pk

    def _set_attributes(self, case_id: int, attrs: dict[str, str]) -> bool:
        """Set attributes; return whether anything changed."""
        current = dict(self.db.execute("SELECT key, value FROM case_attributes WHERE case_id = ?", [case_id]).fetchall())
        changed = {k: v for k, v in attrs.items() if current.get(k) != v}
        self._upsert_attributes(case_id, changed)
        return bool(changed)

    def _upsert_attributes(self, case_id: int, attrs: dict[str, str]) -> None:
        # One statement for all (the undo triggers see each insert or update as before).
        self.db.conn.executemany(
            """INSERT INTO case_attributes (case_id, key, value) VALUES (?, ?, ?)
               ON CONFLICT (case_id, key) DO UPDATE SET value = excluded.value""",
            [(case_id, key, value) for key, value in attrs.items()],
        )

    def set_case_attributes(self, case: str, attrs: dict[str, str]) -> dict[str, str]:
        """Set (or, with an empty value, remove) attributes of a case; return its attributes."""
        case_id = self._case_id(self._case_name(case))
        with self._change("case.set", {"case": case, "attributes": attrs}):
            for key, value in attrs.items():
                if value == "":
                    self.db.execute("DELETE FROM case_attributes WHERE case_id = ? AND key = ?", [case_id, key])
            self._upsert_attributes(case_id, {k: v for k, v in attrs.items() if v != ""})
        return self.cases()[self._case_name(case)]

    def _case_name(self, case: str) -> str:
        names = list(self.cases())
        if case in names:
            return case
        folded = [n for n in names if n.casefold() == case.casefold()]
        if len(folded) == 1:
            return folded[0]
        raise NotFoundError(f"no case named {case!r} in {self.path.name}")

    # -- themes --------------------------------------------------------------------------------

    def themes(self) -> list[Theme]:
        """The codebook in order (depth-first)."""
        return queries.load_themes(self.db)

    def theme(self, path: str) -> Theme:
        """Find a theme by path (``Theme/Sub-theme``), case-insensitively; a unique name alone also works."""
        themes = self.themes()
        wanted = "/".join(part.strip() for part in path.strip().strip("/").split("/"))
        for theme in themes:
            if theme.path == wanted:
                return theme
        folded = [t for t in themes if t.path.casefold() == wanted.casefold()]
        if len(folded) == 1:
            return folded[0]
        by_name = [t for t in themes if t.name.casefold() == wanted.casefold()]
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            raise NotFoundError(f"theme name {path!r} is ambiguous: " + ", ".join(t.path for t in by_name))
        raise NotFoundError(f"no theme {path!r} in the codebook (see `workbench stats {self.path}`)")

    def add_theme(self, name: str, parent: str | None = None, color: str | None = None, key: str | None = None,
                  description: str | None = None) -> Theme:
        """Add a theme (or a sub-theme of ``parent``)."""
        parent_theme = self.theme(parent) if parent else None
        codebook = codebook_format.parse_codebook(
            codebook_format.dump_codebook(
                Codebook([ThemeSpec(name=name, color=color, key=key, description=description)])
            ),
            source="new theme",
        )
        spec = codebook.themes[0]
        siblings = [t for t in self.themes() if t.parent_id == (parent_theme.id if parent_theme else None)]
        if any(t.name.casefold() == name.strip().casefold() for t in siblings):
            raise WorkbenchError(f"a theme named {name!r} already exists there")
        if spec.key and any(t.key == spec.key for t in self.themes()):
            raise WorkbenchError(f"key {spec.key!r} is already used by another theme")
        with self._change("theme.add", {"name": spec.name, "parent": parent}) as payload:
            theme_id = insert_theme(self.db, parent_theme.id if parent_theme else None, spec, now())
            payload["id"] = theme_id
        return self._theme_by_id(theme_id)

    def update_theme(self, path: str, *, name: str | None = None, color: str | None = None,
                     key: str | None = None, description: str | None = None,
                     include: str | None = None, exclude: str | None = None) -> Theme:
        """Rename, recolour, re-key or re-describe a theme. An empty key or text clears it."""
        theme = self.theme(path)
        changes: dict = {}
        if name is not None:
            name = name.strip()
            if not name or "/" in name:
                raise WorkbenchError("a theme name must be non-empty and must not contain '/'")
            if themes_store.sibling_named(self.db, theme.parent_id, name, exclude_id=theme.id):
                raise WorkbenchError(f"a theme named {name!r} already exists there")
            changes["name"] = name
        if color is not None:
            normalised = normalise_colour(color)
            if normalised is None:
                raise WorkbenchError(f"{color!r} is not a colour (use a name like 'teal' or #rrggbb)")
            changes["color"] = normalised
        if key is not None:
            if len(key) > 1:
                raise WorkbenchError("a theme key is one character")
            holder = next((t for t in self.themes() if key and t.key == key and t.id != theme.id), None)
            if holder:
                raise WorkbenchError(f"key {key!r} is already used by {holder.path}")
            changes["key"] = key or None
        for column, value in (("description", description), ("include_note", include), ("exclude_note", exclude)):
            if value is not None:
                changes[column] = value or None
        if changes:
            with self._change("theme.update", {"theme": theme.path, "changes": changes}):
                self.db["themes"].update(theme.id, changes)
        return self._theme_by_id(theme.id)

    def move_theme(self, path: str, new_parent: str | None, position: int | None = None) -> Theme:
        """Make a theme a sub-theme of ``new_parent`` (None: a top-level theme)."""
        theme = self.theme(path)
        parent = self.theme(new_parent) if new_parent else None
        if parent and parent.id in queries.descendant_ids(self.themes(), theme.id):
            raise WorkbenchError(f"cannot move {theme.path} under itself")
        parent_id = parent.id if parent else None
        if themes_store.sibling_named(self.db, parent_id, theme.name, exclude_id=theme.id):
            raise WorkbenchError(f"{parent.path if parent else 'the top level'} already has a theme named {theme.name!r}")
        with self._change("theme.move", {"theme": theme.path, "to": parent.path if parent else None}):
            themes_store.move_theme(self.db, theme.id, parent_id, position)
        return self._theme_by_id(theme.id)

    def merge_themes(self, source: str, target: str) -> int:
        """Merge ``source`` into ``target``: its codings and sub-themes move over; returns codings moved."""
        source_theme, target_theme = self.theme(source), self.theme(target)
        if source_theme.id == target_theme.id:
            raise WorkbenchError("cannot merge a theme into itself")
        if target_theme.id in queries.descendant_ids(self.themes(), source_theme.id):
            raise WorkbenchError(f"cannot merge {source_theme.path} into its own sub-theme")
        self._snapshot("before merge themes")
        with self._change("theme.merge", {"source": source_theme.path, "target": target_theme.path}) as payload:
            payload["moved"] = moved = themes_store.merge_themes(self.db, source_theme.id, target_theme.id)
            self._renumber(target_theme.id)
        return moved

    def delete_theme(self, path: str) -> int:
        """Delete a theme with its sub-themes and their codings; returns how many codings went."""
        theme = self.theme(path)
        self._snapshot("before delete theme")
        with self._change("theme.delete", {"theme": theme.path}) as payload:
            payload["codings"] = deleted = themes_store.delete_theme(self.db, theme.id)
        return deleted

    def _snapshot(self, reason: str) -> None:
        """A copy of the file before a destructive change (undo is the first line of defence;
        this is the second). A snapshot that cannot be written stops the change."""
        from workbench.storage.backup import snapshot

        snapshot(self.path, self.db, reason)

    @property
    def read_only_reason(self) -> str | None:
        """Why the study was opened read-only (another program holds it, a read-only file), or None."""
        return getattr(self.db, "read_only_reason", None) if getattr(self.db, "read_only", False) else None

    def _theme_by_id(self, theme_id: int) -> Theme:
        return next(t for t in self.themes() if t.id == theme_id)

    def load_codebook(self, path: Path | str) -> CodebookMergeReport:
        """Merge a codebook file into the study by theme path (see docs/codebook.md)."""
        return self.merge_codebook(codebook_format.load_codebook(Path(path)), source=str(path))

    def merge_codebook(self, codebook: Codebook, source: str) -> CodebookMergeReport:
        """Merge an already-read codebook (from YAML, REFI-QDA, CSV ...) by theme path."""
        with self._change("codebook.load", {"file": source}) as payload:
            report = merge_codebook(self.db, codebook, now())
            payload["added"] = report.added
        return report

    def export_codebook(self) -> str:
        """The study's current codebook as YAML, in the format ``load_codebook`` reads."""
        themes = self.themes()
        specs: dict[int, ThemeSpec] = {}
        roots: list[ThemeSpec] = []
        for theme in themes:
            spec = ThemeSpec(
                name=theme.name, key=theme.key, color=theme.color, description=theme.description,
                include=theme.include, exclude=theme.exclude,
            )
            specs[theme.id] = spec
            (specs[theme.parent_id].children if theme.parent_id else roots).append(spec)
        return codebook_format.dump_codebook(Codebook(roots, name=self.path.stem))

    # -- coding --------------------------------------------------------------------------------

    def find_passage(self, transcript: str, passage: str, occurrence: int | None = None) -> tuple[int, int]:
        """The span of an exact passage; ambiguity and absence are errors that say so."""
        if not passage:
            raise WorkbenchError("the passage to code is empty")
        text = self.transcript_text(transcript)
        starts = []
        index = text.find(passage)
        while index != -1:
            starts.append(index)
            index = text.find(passage, index + 1)
        if not starts:
            raise WorkbenchError(f"passage not found in {transcript!r}: {_short(passage)!r}")
        if occurrence is None:
            if len(starts) > 1:
                raise WorkbenchError(
                    f"passage occurs {len(starts)} times in {transcript!r}; choose one with --occurrence 1..{len(starts)}"
                )
            occurrence = 1
        if not 1 <= occurrence <= len(starts):
            raise WorkbenchError(f"--occurrence {occurrence}: the passage occurs {len(starts)} time(s) in {transcript!r}")
        start = starts[occurrence - 1]
        return start, start + len(passage)

    def code(self, transcript: str, theme: str, start: int, end: int, coder: str | None = None) -> CodeResult:
        """Apply a theme to ``text[start:end]`` of a transcript. The same coding twice is a no-op."""
        record = self.transcript(transcript)
        text = self.transcript_text(record.name)
        if not 0 <= start < end <= len(text):
            raise WorkbenchError(f"span {start}..{end} is outside {record.name!r} (0..{len(text)}) or empty")
        passage = text[start:end]
        if not passage.strip():
            raise WorkbenchError(f"span {start}..{end} of {record.name!r} is only whitespace")
        target = self.theme(theme)
        coder = coder or self.coder
        existing = self.db.execute(
            "SELECT id FROM codings WHERE transcript_id = ? AND theme_id = ? AND start = ? AND end = ? AND coder = ?",
            [record.id, target.id, start, end, coder],
        ).fetchone()
        if existing:
            return CodeResult(self.coding(existing[0]), created=False)
        with self._change("code", {"transcript": record.name, "theme": target.path, "start": start, "end": end}) as payload:
            coding_id = self.db["codings"].insert(
                {
                    "transcript_id": record.id,
                    "theme_id": target.id,
                    "start": start,
                    "end": end,
                    "coder": coder,
                    "created": now(),
                    "text": passage,
                    "text_hash": text_hash(passage),
                }
            ).last_pk
            payload["id"] = coding_id
        return CodeResult(self.coding(coding_id), created=True)

    def recode(self, coding_id: int, theme: str) -> Coding:
        """Give a coding another theme (keeping its span, coder and quote state)."""
        coding = self.coding(coding_id)
        target = self.theme(theme)
        if target.id == coding.theme_id:
            return coding
        with self._change("recode", {"id": coding_id, "from": coding.theme_path, "to": target.path}):
            self.db.execute("UPDATE codings SET theme_id = ? WHERE id = ?", [target.id, coding_id])
            selected = self.db.execute("SELECT selected FROM quotes WHERE coding_id = ?", [coding_id]).fetchone()
            if selected and selected[0]:
                self.db.execute("UPDATE quotes SET position = 1e9 WHERE coding_id = ?", [coding_id])
                self._renumber(coding.theme_id)
                self._renumber(target.id)
        return self.coding(coding_id)

    def data_version(self) -> int:
        """Changes whenever another connection (a second window, the CLI) commits to the file."""
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def coding(self, coding_id: int) -> Coding:
        coding = queries.load_coding(self.db, coding_id, self.themes())
        if coding is None:
            raise NotFoundError(f"no coding with id {coding_id} in {self.path.name}")
        return coding

    def codings(self, transcript: str) -> list[Coding]:
        """A transcript's codings in text order."""
        return queries.load_codings(self.db, self.transcript(transcript).id, self.themes())

    def coding_spans(self, transcript: str) -> list[tuple[int, int, int, int]]:
        """A transcript's codings as (id, start, end, theme id), in text order: what a view draws."""
        transcript_id = self.transcript(transcript).id
        return self.db.execute(
            "SELECT id, start, end, theme_id FROM codings WHERE transcript_id = ? ORDER BY start, end, id",
            [transcript_id],
        ).fetchall()

    def coding_counts(self) -> dict[str, int]:
        """Number of codings per transcript name."""
        return dict(
            self.db.execute(
                "SELECT t.name, count(*) FROM codings k JOIN transcripts t ON t.id = k.transcript_id GROUP BY t.name"
            ).fetchall()
        )

    def uncode(self, coding_id: int) -> Coding:
        """Remove a coding (and its quote state); returns what was removed."""
        coding = self.coding(coding_id)
        quote = self.db.execute("SELECT selected, position, comment, elided FROM quotes WHERE coding_id = ?", [coding_id]).fetchone()
        payload = {
            "id": coding.id, "transcript": coding.transcript, "theme": coding.theme_path,
            "start": coding.start, "end": coding.end, "coder": coding.coder,
            "quote": list(quote) if quote else None,
        }
        with self._change("uncode", payload):
            self.db.execute("DELETE FROM quotes WHERE coding_id = ?", [coding_id])
            self.db.execute("DELETE FROM codings WHERE id = ?", [coding_id])
            if quote and quote[0]:
                self._renumber(coding.theme_id)
        return coding

    # -- quotes --------------------------------------------------------------------------------

    def quotes(self, theme: str | None = None, where: dict[str, set[str]] | None = None,
               selected_only: bool = False) -> list[Quote]:
        """The quote board: codings with case attributes, filtered by theme (with sub-themes),
        by case attributes and by selection."""
        themes = self.themes()
        theme_ids = queries.descendant_ids(themes, self.theme(theme).id) if theme else None
        if where:
            known = {k.casefold() for attrs in self.cases().values() for k in attrs}
            unknown = [k for k in where if k.casefold() not in known]
            if unknown:
                raise WorkbenchError(f"no case has an attribute {unknown[0]!r} (known: {', '.join(sorted(known)) or 'none'})")
        return queries.load_quotes(self.db, themes, theme_ids, where, selected_only)

    def quote_entries(self, theme: str | None = None, where: dict[str, set[str]] | None = None,
                      text_query: str = "", theme_ids: set[int] | None = None) -> list[QuoteEntry]:
        """The quote board's light rows, in the order of :meth:`quotes` and with its filters,
        plus ``text_query`` (text or comment contains it) and exact ``theme_ids``."""
        themes = self.themes()
        if theme:
            below = queries.descendant_ids(themes, self.theme(theme).id)
            theme_ids = below if theme_ids is None else theme_ids & below
        return quote_rows.quote_entries(self.db, themes, self.cases(), theme_ids, where, text_query)

    def quotes_by_id(self, ids: Iterable[int]) -> dict[int, Quote]:
        """The quotes of the given coding ids (missing ids are left out)."""
        return quote_rows.quotes_by_id(self.db, self.themes(), self.cases(), ids)

    def quote(self, coding_id: int) -> Quote:
        self.coding(coding_id)
        return self.quotes_by_id([coding_id])[coding_id]

    def select(self, coding_id: int, *, selected: bool = True, comment: str | None = None,
               position: int | None = None, elided: str | None = None) -> Quote:
        """Select a quote for the chapter (or deselect it), and set its comment, order or elided form.

        ``position`` is 1-based among the selected quotes of the same theme. An empty comment
        or elided form clears it. Deselecting keeps the comment.
        """
        coding = self.coding(coding_id)
        if elided:
            check_elided(coding.text, elided)
        current = self.db.execute("SELECT selected, position FROM quotes WHERE coding_id = ?", [coding_id]).fetchone()
        payload = {"id": coding_id, "selected": selected, "comment": comment, "position": position, "elided": elided}
        with self._change("select" if selected else "deselect", payload):
            if current is None:
                self.db["quotes"].insert({"coding_id": coding_id, "selected": 0, "updated": now()})
            changes: dict = {"updated": now()}
            if comment is not None:
                changes["comment"] = comment or None
            if elided is not None:
                changes["elided"] = elided or None
            if selected and not (current and current[0]):
                last = self.db.execute(
                    """SELECT ifnull(max(q.position), 0) FROM quotes q JOIN codings k ON k.id = q.coding_id
                       WHERE q.selected = 1 AND k.theme_id = ?""",
                    [coding.theme_id],
                ).fetchone()[0]
                changes.update(selected=1, position=last + 1)
            elif not selected:
                changes.update(selected=0, position=None)
            self.db["quotes"].update(coding_id, changes)
            if selected and position is not None:
                self._move(coding_id, coding.theme_id, position)
            else:
                self._renumber(coding.theme_id)
        return self.quote(coding_id)

    def _selected_in_theme(self, theme_id: int) -> list[int]:
        return [
            r[0]
            for r in self.db.execute(
                """SELECT q.coding_id FROM quotes q JOIN codings k ON k.id = q.coding_id
                   WHERE q.selected = 1 AND k.theme_id = ? ORDER BY q.position, q.coding_id""",
                [theme_id],
            ).fetchall()
        ]

    def _move(self, coding_id: int, theme_id: int, position: int) -> None:
        order = [i for i in self._selected_in_theme(theme_id) if i != coding_id]
        index = max(0, min(position - 1, len(order)))
        order.insert(index, coding_id)
        self._write_order(order)

    def _renumber(self, theme_id: int) -> None:
        self._write_order(self._selected_in_theme(theme_id))

    def _write_order(self, order: list[int]) -> None:
        for number, coding_id in enumerate(order, start=1):
            self.db.execute("UPDATE quotes SET position = ? WHERE coding_id = ?", [number, coding_id])

    # -- memos ---------------------------------------------------------------------------------

    def _memo_target(self, target_type: str, target: str | None) -> int | None:
        if target_type not in MEMO_TARGETS:
            raise WorkbenchError(f"a memo belongs to one of: {', '.join(MEMO_TARGETS)}")
        if target_type == "study":
            return None
        if not target:
            raise WorkbenchError(f"name the {target_type} the memo is about")
        if target_type == "theme":
            return self.theme(target).id
        if target_type == "transcript":
            return self.transcript(target).id
        return self._case_id(self._case_name(target))

    def memo(self, target_type: str, target: str | None = None) -> str | None:
        """The memo on the study, a theme, a transcript or a case (None if there is none)."""
        target_id = self._memo_target(target_type, target)
        row = self.db.execute(
            "SELECT text FROM memos WHERE target_type = ? AND ifnull(target_id, 0) = ifnull(?, 0)",
            [target_type, target_id],
        ).fetchone()
        return row[0] if row else None

    def set_memo(self, target_type: str, target: str | None, text: str) -> None:
        """Write (or, with empty text, delete) a memo."""
        target_id = self._memo_target(target_type, target)
        with self._change("memo", {"on": target_type, "target": target, "chars": len(text)}):
            self.db.execute(
                "DELETE FROM memos WHERE target_type = ? AND ifnull(target_id, 0) = ifnull(?, 0)",
                [target_type, target_id],
            )
            if text.strip():
                self.db["memos"].insert({"target_type": target_type, "target_id": target_id, "text": text, "updated": now()})

    # -- settings ------------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        """A value the study remembers (e.g. the chapter export settings as YAML)."""
        row = self.db.execute("SELECT value FROM study WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str | None) -> None:
        """Remember (or, with None, forget) a value in the study."""
        with self._change("setting", {"key": key}):
            self.db.execute("DELETE FROM study WHERE key = ?", [key])
            if value is not None:
                self.db["study"].insert({"key": key, "value": value})

    # -- overview ------------------------------------------------------------------------------

    def stats(self, by: str | None = None) -> tuple[list[ThemeCount], list[str]]:
        """Codings and informants per theme, optionally split by the values of attribute ``by``."""
        if by is not None:
            known = {k.casefold() for attrs in self.cases().values() for k in attrs}
            if by.casefold() not in known:
                raise WorkbenchError(f"no case has an attribute {by!r} (known: {', '.join(sorted(known)) or 'none'})")
        return queries.theme_counts(self.db, self.themes(), by)

    def events(self, limit: int | None = None) -> list[dict]:
        sql = "SELECT * FROM events ORDER BY id DESC" + (f" LIMIT {int(limit)}" if limit else "")
        return list(self.db.query(sql))


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
