"""The study as a REFI-QDA project or codebook: ``export_qdpx`` and ``export_qdc``.

Every GUID is derived from what it identifies (``stable_guid``), so the same study exports to
the same file; the mapping is the table in ``workbench.study.exchange.refi_import``, which reads
it back.
"""

from __future__ import annotations

import time
from pathlib import Path

from workbench import __version__
from workbench.errors import WorkbenchError
from workbench.interop.refi.model import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiVariable,
    Skipped,
    stable_guid,
)
from workbench.interop.refi.write import write_qdc, write_qdpx
from workbench.storage import export_rows
from workbench.storage.database import storage_errors_translated
from workbench.study import Study
from workbench.study.exchange.refi_import import TRIMMED_NAME
from workbench.study.exchange.report import ExchangeReport


@storage_errors_translated
def export_qdpx(study: Study, path: Path | str) -> ExchangeReport:
    """Write the whole study as a REFI-QDA project (valid against the official Project.xsd)."""
    started = time.perf_counter()
    report = ExchangeReport("export", str(path), "qdpx")
    project = study_to_project(study, report)
    write_qdpx(project, path)
    report.seconds = time.perf_counter() - started
    return report


@storage_errors_translated
def export_qdc(study: Study, path: Path | str) -> ExchangeReport:
    """Write the study's codebook as a REFI-QDA codebook (valid against Codebook.xsd)."""
    started = time.perf_counter()
    report = ExchangeReport("export", str(path), "qdc")
    project = study_to_project(study, report, codebook_only=True)
    if not project.codes:
        raise WorkbenchError("the study has no themes to write to a codebook")
    write_qdc(project, path)
    report.seconds = time.perf_counter() - started
    return report


@storage_errors_translated
def study_to_project(study: Study, report: ExchangeReport, codebook_only: bool = False) -> RefiProject:
    """The study as REFI-QDA objects with stable GUIDs; what cannot travel goes to the report."""
    project = RefiProject(name=study.path.stem, origin=f"workbench {__version__}", created=study.setting("created"))
    themes = study.themes()
    notes = project.notes
    # Every memo read at once: one lookup per theme is slow.
    memos = export_rows.memos_by_target(study._db)
    codes: dict[int, RefiCode] = {}
    for theme in themes:
        code = RefiCode(stable_guid("theme", theme.path), theme.name, theme.color, theme.description)
        codes[theme.id] = code
        (codes[theme.parent_id].children if theme.parent_id else project.codes).append(code)
        if codebook_only:
            continue
        for label, text in (
            ("Include", theme.include),
            ("Exclude", theme.exclude),
            ("Memo", memos.get(("theme", theme.id))),
        ):
            if text:
                guid = stable_guid("note", "theme", theme.path, label)
                notes[guid] = RefiNote(guid, label, text)
                code.notes.append(guid)
    keys = [t for t in themes if t.key]
    if keys:
        report.not_exported.append(Skipped("theme key", f"{len(keys)} theme(s)", "REFI-QDA has no shortcut keys"))
    if codebook_only:
        lost = [t.path for t in themes if t.include or t.exclude or ("theme", t.id) in memos]
        if lost:
            report.not_exported.append(
                Skipped(
                    "theme note",
                    f"{len(lost)} theme(s)",
                    "a .qdc holds no notes: include/exclude notes and theme memos stay out (a .qdpx keeps them)",
                )
            )
        report.counts.update(themes=len(themes))
        return project
    _export_sources(study, project, report, memos)
    _export_cases(study, project, memos)
    memo = memos.get(("study", None))
    if memo:
        guid = stable_guid("note", "study")
        notes[guid] = RefiNote(guid, "Study memo", memo)
        project.project_notes.append(guid)
    report.counts.update(
        themes=len(themes),
        transcripts=len(project.sources),
        cases=len(project.cases),
        codings=sum(len(s.codings) for src in project.sources for s in src.selections),
        coders=len(project.users),
        notes=len(notes),
    )
    return project


def _export_sources(study: Study, project: RefiProject, report: ExchangeReport, memos: dict) -> None:
    quotes_by_transcript: dict[str, list] = {}
    for quote in study.quotes():
        quotes_by_transcript.setdefault(quote.transcript, []).append(quote)
    timed = 0
    for transcript in study.transcripts():
        guid = stable_guid("source", transcript.content_hash)
        source = RefiSource(guid, transcript.name, study.transcript_text(transcript.name), member=f"sources/{guid}.txt")
        timed += any(turn.time_start is not None for turn in study.turns(transcript.name))
        memo = memos.get(("transcript", transcript.id))
        if memo:
            note = stable_guid("note", "transcript", guid)
            project.notes[note] = RefiNote(note, "Memo", memo)
            source.notes.append(note)
        spans: dict[tuple[int, int], RefiSelection] = {}
        for quote in sorted(
            quotes_by_transcript.get(transcript.name, []), key=lambda q: (q.start, q.end, q.theme, q.coder)
        ):
            user = stable_guid("user", quote.coder)
            project.users.setdefault(user, RefiUser(user, quote.coder))
            selection = spans.get((quote.start, quote.end))
            if selection is None:
                selection = RefiSelection(
                    stable_guid("selection", guid, quote.start, quote.end),
                    quote.start,
                    quote.end,
                    user=user,
                    created=quote.created,
                )
                spans[(quote.start, quote.end)] = selection
                source.selections.append(selection)
            coding_guid = stable_guid("coding", guid, quote.theme, quote.start, quote.end, quote.coder)
            coding = RefiCoding(coding_guid, stable_guid("theme", quote.theme), user, quote.created)
            _export_quote_notes(project, coding, quote)
            selection.codings.append(coding)
        project.sources.append(source)
    if timed:
        report.not_exported.append(
            Skipped(
                "turn times",
                f"{timed} transcript(s)",
                "REFI-QDA text sources have no timestamps; the speaker turns' times stay out",
            )
        )


def _export_quote_notes(project: RefiProject, coding: RefiCoding, quote) -> None:
    if quote.selected or quote.comment:
        label = f"Selected quote {quote.position}" if quote.selected else "Comment"
        guid = stable_guid("note", "quote", coding.guid)
        project.notes[guid] = RefiNote(guid, label, quote.comment or "", coding.user)
        coding.notes.append(guid)
    if quote.elided:
        guid = stable_guid("note", "trimmed", coding.guid)
        project.notes[guid] = RefiNote(guid, TRIMMED_NAME, quote.elided, coding.user)
        coding.notes.append(guid)


def _export_cases(study: Study, project: RefiProject, memos: dict) -> None:
    case_ids = export_rows.case_ids(study._db)
    sources_of: dict[str, list[str]] = {}
    for transcript, source in zip(study.transcripts(), project.sources):
        sources_of.setdefault(transcript.case or transcript.name, []).append(source.guid)
    keys = sorted({key for attributes in study.cases().values() for key in attributes})
    for key in keys:
        guid = stable_guid("variable", key)
        project.variables[guid] = RefiVariable(guid, key, "Text")
    for name, attributes in sorted(study.cases().items()):
        case = RefiCase(
            stable_guid("case", name), name, memos.get(("case", case_ids.get(name))), sources=sources_of.get(name, [])
        )
        case.values = {stable_guid("variable", k): v for k, v in sorted(attributes.items())}
        project.cases.append(case)
