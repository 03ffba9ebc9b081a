"""REFI-QDA projects and codebooks into a study: ``import_qdpx`` and ``import_qdc``.

A project import is two steps: ``plan_project_import`` checks and maps everything without
writing (theme names made valid, transcript names made unique, coders and positions resolved),
then ``apply_plan`` writes it in one transaction. The export, which writes what this reads, is
``workbench.study.exchange.refi_export``.

How the study's things travel (and come back on import):

| study | REFI-QDA |
|---|---|
| theme (name, colour, description) | ``Code`` |
| include / exclude notes, theme memo | ``Note`` named "Include" / "Exclude" / "Memo", ``NoteRef`` in the code |
| transcript | ``TextSource``, text in ``sources/GUID.txt`` |
| coding (span, theme, coder, time) | ``PlainTextSelection`` + ``Coding`` (coder as ``User``) |
| quote comment / selection / trimmed form | ``Note`` named "Comment" / "Selected quote N" / "Trimmed quote" on the coding |
| case, attributes, case memo | ``Case``, ``Variable`` + ``VariableValue``, case ``Description`` |
| transcript memo, study memo | ``Note`` on the source, on the project |
"""

from __future__ import annotations

import datetime as dt
import re
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from workbench.domain.colours import normalise_colour
from workbench.domain.elision import check_elided
from workbench.domain.models import ParsedTranscript, ThemeSpec
from workbench.domain.transcript_text import split_turns
from workbench.errors import InputError, WorkbenchError
from workbench.interop.refi.model import (
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    Skipped,
)
from workbench.interop.refi.read import read_qdc, read_qdpx
from workbench.interop.refi.write import xml_safe
from workbench.storage.database import storage_errors_translated
from workbench.study import ImportItem, Study, text_hash
from workbench.study.exchange.report import ExchangeReport, count_merge, merge_themes

INCLUDE_NAMES = ("include", "inclusion", "inclusion criteria")
EXCLUDE_NAMES = ("exclude", "exclusion", "exclusion criteria")
TRIMMED_NAME = "Trimmed quote"
_SELECTED = re.compile(r"selected quote (\d+)", re.IGNORECASE)

CodingKey = tuple[str, str, int, int, str]  # transcript, theme path, start, end, coder


def _tidy(text: str | None) -> str | None:
    """Text from XML without the indentation a pretty-printer added."""
    return textwrap.dedent(text).strip() or None if text else None


def _iso(value: str | None) -> str | None:
    """An xsd:dateTime as the study stores times (UTC, seconds); None if it cannot be read."""
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _join(parts: list[str]) -> str | None:
    return "\n\n".join(p for p in parts if p) or None


def _merge_text(existing: str | None, addition: str | None) -> str | None:
    """Add imported text to what is there, without repeating it on a second import (also when
    the file carries it with U+FFFD for characters XML cannot hold)."""
    if not addition:
        return existing
    if not existing:
        return addition
    if addition in existing or addition in xml_safe(existing):
        return existing
    return f"{existing}\n\n{addition}"


# --- the use cases ------------------------------------------------------------------------------


@storage_errors_translated
def import_qdpx(study: Study, path: Path | str) -> ExchangeReport:
    """Import a REFI-QDA project: transcripts, codebook, codings, cases and attributes, coders,
    notes (as memos and quote comments). Re-importing the same file adds nothing twice."""
    started = time.perf_counter()
    path = Path(path)
    project = read_qdpx(path)
    report = ExchangeReport(
        "import", str(path), "qdpx", warnings=list(project.warnings), not_imported=list(project.skipped)
    )
    if project.reading is not None and any(source.selections for source in project.sources):
        report.positions.append(f"read as {project.reading.reading.describe()}: {project.reading.why}")
    plan = plan_project_import(study, project, path, report)
    del project  # the plan holds what is written; the texts then live only there (large sources)
    with study.batch("import", {"file": str(path), "format": "qdpx"}):
        apply_plan(study, plan, path, report)
    report.seconds = time.perf_counter() - started
    return report


@storage_errors_translated
def import_qdc(study: Study, path: Path | str) -> ExchangeReport:
    """Merge a REFI-QDA codebook into the study's themes (by theme path; nothing is removed)."""
    started = time.perf_counter()
    path = Path(path)
    project = read_qdc(path)
    report = ExchangeReport(
        "import", str(path), "qdc", warnings=list(project.warnings), not_imported=list(project.skipped)
    )
    specs, code_paths, _memos = theme_specs(project.codes, {}, report)
    if not specs:
        raise InputError("the codebook has no codes", where=str(path))
    with study.batch("codebook.load", {"file": str(path), "format": "qdc"}):
        merge = merge_themes(study, specs, path)
    count_merge(report, merge, sum(1 for _ in project.iter_codes()))
    report.seconds = time.perf_counter() - started
    return report


# --- import: the plan ---------------------------------------------------------------------------


@dataclass
class _QuoteState:
    selected: bool = False
    position: int = 0
    comments: list[str] = field(default_factory=list)
    elided: str | None = None


@dataclass
class ImportPlan:
    """Everything an import will write, checked and mapped to the study's rules."""

    specs: list[ThemeSpec] = field(default_factory=list)
    theme_count: int = 0
    items: list[ImportItem] = field(default_factory=list)
    codings: list[tuple[str, str, int, int, str, str | None]] = field(default_factory=list)
    states: dict[CodingKey, _QuoteState] = field(default_factory=dict)
    memos: list[tuple[str, str | None, str]] = field(default_factory=list)  # (on, target, text)
    cases: set[str] = field(default_factory=set)
    attributes: int = 0


def theme_specs(
    codes: list[RefiCode], notes: dict[str, RefiNote], report: ExchangeReport, used_notes: set[str] | None = None
) -> tuple[list[ThemeSpec], dict[str, str], dict[str, str]]:
    """Codes as a tree of ThemeSpecs the study accepts: names on one line, without ``/`` (which
    separates theme paths; it becomes ``-``), unique among siblings. Returns the specs, the theme
    path of every code GUID, and theme memos by path (from the codes' notes)."""
    paths: dict[str, str] = {}
    memos: dict[str, str] = {}
    renamed: list[str] = []

    def convert(siblings: list[RefiCode], prefix: str) -> list[ThemeSpec]:
        specs, taken = [], set()
        for code in siblings:
            name = " ".join(code.name.split()).replace("/", "-")
            if name != code.name:
                renamed.append(f"{code.name!r} -> {name!r}")
            unique, n = name, 2
            while unique.casefold() in taken:
                unique, n = f"{name} ({n})", n + 1
            if unique != name:
                report.warnings.append(
                    f"two codes named {name!r} under {prefix or 'the top level'}; the second is {unique!r}"
                )
            taken.add(unique.casefold())
            path = f"{prefix}/{unique}" if prefix else unique
            paths.setdefault(code.guid, path)
            colour = normalise_colour(code.color) if code.color else None
            if code.color and colour is None:
                report.warnings.append(f"code {path!r}: {code.color!r} is not a colour; a default colour is used")
            spec = ThemeSpec(name=unique, color=colour, description=_tidy(code.description))
            memo_parts = []
            for guid in code.notes:
                note = notes.get(guid)
                if note is None:
                    continue
                if used_notes is not None:
                    used_notes.add(guid)
                label = (note.name or "").strip().casefold()
                if label in INCLUDE_NAMES:
                    spec.include = _tidy(note.text)
                elif label in EXCLUDE_NAMES:
                    spec.exclude = _tidy(note.text)
                else:
                    memo_parts.append(_tidy(note.text) or "")
            if _join(memo_parts):
                memos[path] = _join(memo_parts)
            spec.children = convert(code.children, path)
            specs.append(spec)
        return specs

    specs = convert(codes, "")
    if renamed:
        report.warnings.append(
            f"{len(renamed)} code name(s) changed: '/' separates theme paths and names are one line "
            f"(e.g. {', '.join(renamed[:3])})"
        )
    return specs, paths, memos


@storage_errors_translated
def plan_project_import(study: Study, project: RefiProject, path: Path, report: ExchangeReport) -> ImportPlan:
    """Map a read project onto the study without writing anything."""
    plan = ImportPlan()
    used_notes: set[str] = set()
    plan.specs, code_paths, theme_memos = theme_specs(project.codes, project.notes, report, used_notes)
    # Every code in the tree is a theme, also one whose GUID repeats another's (the reader warns).
    plan.theme_count = sum(1 for _ in project.iter_codes())
    plan.memos += [("theme", p, text) for p, text in theme_memos.items()]
    names = _SourceNames(study)
    case_of = _case_of_sources(project, report)
    coders = _Coders(project.users, study.coder, report)
    placed_cases: set[str] = set()
    for source in project.sources:
        name = names.claim(source, report)
        case = case_of.get(source.guid)
        attributes = _attributes(project, case, source)
        plan.attributes += len(attributes) - (1 if "case" in attributes else 0)
        if case:
            placed_cases.add(case.guid)
        plan.cases.add(attributes.get("case", name))
        parsed = ParsedTranscript(text=source.text, turns=split_turns(source.text), format="txt")
        plan.items.append(ImportItem(name, parsed, f"{path.name}:{source.member or 'project.qde'}", attributes))
        _plan_codings(plan, source, name, code_paths, coders, project.notes, used_notes, report)
        memo = _join([_tidy(source.description) or "", *_note_texts(source.notes, project.notes, used_notes)])
        if memo:
            plan.memos.append(("transcript", name, memo))
    coders.finish()
    _list_not_kept(project, plan, report)
    for case in project.cases:
        if case.guid not in placed_cases:
            report.not_imported.append(
                Skipped("case", case.name, "none of its sources was imported, so it has no transcript")
            )
        elif case.description:
            plan.memos.append(("case", case.name, _tidy(case.description)))
    study_memo = [_tidy(project.description) or "", *_note_texts(project.project_notes, project.notes, used_notes)]
    loose = [n for g, n in project.notes.items() if g not in used_notes and n.text.strip()]
    if loose:
        report.warnings.append(f"{len(loose)} note(s) not attached to anything imported were added to the study memo")
        study_memo += [f"{n.name}\n{_tidy(n.text)}" if n.name else _tidy(n.text) for n in loose]
    if _join(study_memo):
        plan.memos.append(("study", None, _join(study_memo)))
    return plan


def _list_not_kept(project: RefiProject, plan: ImportPlan, report: ExchangeReport) -> None:
    """What the project has and the study keeps nowhere: its name, users who coded nothing
    imported, codes that may not be coded. (The tool that wrote it is named in the report's
    positions line.)"""
    lost = report.not_imported
    if project.name and project.name != "project":
        lost.append(Skipped("project name", project.name, "the study keeps its own name"))
    coders = {c[4] for c in plan.codings}
    for user in project.users.values():
        if user.name not in coders:
            lost.append(Skipped("user", user.name, "has no imported coding; the study knows coders by their codings"))
    for _, code in project.iter_codes():
        if not code.codable:
            lost.append(Skipped("code flag", code.name, 'isCodable="false" is not kept: every theme can be coded'))


def _note_texts(guids: list[str], notes: dict[str, RefiNote], used: set[str]) -> list[str]:
    texts = []
    for guid in guids:
        if guid in notes:
            used.add(guid)
            if notes[guid].text.strip():
                texts.append(_tidy(notes[guid].text))
    return texts


class _SourceNames:
    """Transcript names for sources: the study's name for a text it already has, else the
    source's name made unique (another text under the same name is imported as "name (2)")."""

    def __init__(self, study: Study):
        transcripts = study.transcripts()
        self.by_hash = {t.content_hash: t.name for t in transcripts}
        self.taken = {t.name.casefold() for t in transcripts}

    def claim(self, source: RefiSource, report: ExchangeReport) -> str:
        digest = text_hash(source.text)
        if digest in self.by_hash:
            return self.by_hash[digest]
        name, n = source.name, 2
        while name.casefold() in self.taken:
            name, n = f"{source.name} ({n})", n + 1
        if name != source.name:
            report.warnings.append(
                f"a different transcript is already named {source.name!r}; this one is imported as {name!r}"
            )
        self.taken.add(name.casefold())
        self.by_hash[digest] = name
        return name


def _case_of_sources(project: RefiProject, report: ExchangeReport) -> dict[str, RefiCase]:
    case_of: dict[str, RefiCase] = {}
    for case in project.cases:
        for source in case.sources:
            if source in case_of:
                report.warnings.append(
                    f"a source belongs to cases {case_of[source].name!r} and {case.name!r}; "
                    f"the workbench keeps one case per transcript: {case_of[source].name!r}"
                )
            else:
                case_of[source] = case
    return case_of


def _attributes(project: RefiProject, case: RefiCase | None, source: RefiSource) -> dict[str, str]:
    values = {**(case.values if case else {}), **source.values}
    attributes: dict[str, str] = {}
    for guid, value in values.items():
        variable = project.variables.get(guid)
        name = " ".join((variable.name if variable else f"variable {guid[:8]}").split())
        if name.casefold() == "case":  # the study's word for the shared case
            name = "case (variable)"
        if value.strip():
            attributes[name] = value.strip()
    if case:
        attributes["case"] = case.name
    return attributes


class _Coders:
    """Coder names from User GUIDs; codings without a user are credited to the importer."""

    def __init__(self, users: dict[str, RefiUser], fallback: str, report: ExchangeReport):
        self.users, self.fallback, self.report = users, fallback, report
        self.unknown: set[str] = set()
        self.anonymous = 0

    def name(self, guid: str | None) -> str:
        if guid is None:
            self.anonymous += 1
            return self.fallback
        if guid in self.users:
            return self.users[guid].name
        self.unknown.add(guid)
        return f"user {guid[:8]}"

    def finish(self) -> None:
        if self.anonymous:
            self.report.warnings.append(f"{self.anonymous} coding(s) name no coder; credited to {self.fallback!r}")
        if self.unknown:
            self.report.warnings.append(
                f"{len(self.unknown)} coder GUID(s) are not among the project's users; named 'user <GUID>'"
            )


def _plan_codings(
    plan: ImportPlan,
    source: RefiSource,
    name: str,
    code_paths: dict[str, str],
    coders: _Coders,
    notes: dict[str, RefiNote],
    used: set[str],
    report: ExchangeReport,
) -> None:
    whole = RefiSelection(guid="", start=0, end=len(source.text), codings=source.codings)
    for selection in [*source.selections, whole]:
        shared = [_tidy(selection.description) or "", *_note_texts(selection.notes, notes, used)]
        if not selection.codings and _join(shared):
            passage = " ".join(source.text[selection.start : selection.end].split())[:80]
            plan.memos.append(
                (
                    "transcript",
                    name,
                    f"Note on \u201c{passage}\u201d ({selection.start}-{selection.end}): {_join(shared)}",
                )
            )
        for coding in selection.codings:
            theme = code_paths[coding.code]
            coder = coders.name(coding.user or selection.user)
            plan.codings.append(
                (name, theme, selection.start, selection.end, coder, _iso(coding.created or selection.created))
            )
            state = _quote_state(coding, notes, used, source.text[selection.start : selection.end], report)
            state.comments += [s for s in shared if s]
            if state.selected or state.comments or state.elided:
                plan.states[(name, theme, selection.start, selection.end, coder)] = state


def _quote_state(
    coding: RefiCoding, notes: dict[str, RefiNote], used: set[str], passage: str, report: ExchangeReport
) -> _QuoteState:
    state = _QuoteState()
    for guid in coding.notes:
        note = notes.get(guid)
        if note is None:
            continue
        used.add(guid)
        label = (note.name or "").strip()
        selected = _SELECTED.fullmatch(label)
        if label.casefold() == TRIMMED_NAME.casefold():
            try:
                check_elided(passage, note.text.strip())
                state.elided = note.text.strip()
            except WorkbenchError as exc:
                report.not_imported.append(
                    Skipped("trimmed quote", _short(passage), f"does not fit the passage: {exc}")
                )
            continue
        if selected:
            state.selected, state.position = True, int(selected.group(1))
        if note.text.strip():
            state.comments.append(_tidy(note.text))
    return state


def _short(text: str, width: int = 50) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- import: writing ----------------------------------------------------------------------------


@storage_errors_translated
def apply_plan(study: Study, plan: ImportPlan, path: Path, report: ExchangeReport) -> None:
    """Write a checked plan (call inside one transaction)."""
    merge = merge_themes(study, plan.specs, path) if plan.specs else None
    imported = (
        study.import_texts(plan.items, action_payload={"file": str(path), "format": "qdpx"}) if plan.items else None
    )
    # Stored: the texts and turns are let go before the codings read the texts back.
    plan.items.clear()
    current = {t.path.casefold(): t.path for t in study.themes()}
    codings = [(t, current[p.casefold()], s, e, c, w) for t, p, s, e, c, w in plan.codings]
    new_ids = study.code_many(codings) if codings else []
    comments, selected = _apply_quote_states(study, plan, current)
    memos = 0
    for on, target, text in plan.memos:
        if on == "theme":
            target = current[target.casefold()]
        existing = study.memo(on, target)
        merged = _merge_text(existing, text)
        if merged != existing:
            study.set_memo(on, target, merged)
            memos += 1
    report.counts.update(
        transcripts=len(imported.imported) if imported else 0,
        transcripts_already_present=len(imported.skipped) if imported else 0,
        themes=plan.theme_count,
        themes_added=len(merge.added) if merge else 0,
        codings=len(codings),
        codings_added=len(new_ids),
        cases=len(plan.cases),
        attributes=plan.attributes,
        coders=len({c[4] for c in codings}),
        comments=comments,
        selected_quotes=selected,
        memos=memos,
    )
    if imported:
        report.warnings += imported.warnings


def _apply_quote_states(study: Study, plan: ImportPlan, current: dict[str, str]) -> tuple[int, int]:
    """Comments, selection and trimmed forms of the imported codings; returns how many comments
    and selections were set."""
    if not plan.states:
        return 0, 0
    ids: dict[CodingKey, int] = {}
    for transcript in {key[0] for key in plan.states}:
        for coding in study.codings(transcript):
            ids[(transcript, coding.theme_path.casefold(), coding.start, coding.end, coding.coder)] = coding.id
    quotes = {q.id: q for q in study.quotes()}
    comments = selected = 0
    # Selected quotes in their chapter order first, so positions come out as they were.
    for key, state in sorted(plan.states.items(), key=lambda kv: (not kv[1].selected, kv[0][1], kv[1].position)):
        transcript, theme, start, end, coder = key
        coding_id = ids.get((transcript, current[theme.casefold()].casefold(), start, end, coder))
        if coding_id is None:
            continue
        quote = quotes.get(coding_id)
        comment = _merge_text(quote.comment if quote else None, _join(state.comments))
        changes: dict = {}
        if comment != (quote.comment if quote else None):
            changes["comment"] = comment
        if state.elided and state.elided != (quote.elided if quote else None):
            changes["elided"] = state.elided
        already = bool(quote and quote.selected)
        if changes or (state.selected and not already):
            study.select(coding_id, selected=state.selected or already, **changes)
            comments += "comment" in changes
            selected += state.selected and not already
    return comments, selected
