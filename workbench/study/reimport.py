"""Changed transcripts: re-import a corrected version and move every coding with its text.

``reimport_transcript`` replaces a transcript's text and turns with those of a new version of
its file and places each coding in the new text (``workbench.domain.reanchor``): codings whose
text is found exactly are kept or moved; those placed on changed text with confidence are moved
and take the new wording; the rest keep their best position and are flagged for review with the
reason. It is one change in the study: ``Study.undo`` puts the old text, turns and codings back.

``codings_to_review`` lists the flagged codings; ``mark_reviewed`` clears a flag once the
researcher has looked (optionally giving the right span).
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain.anonymise import AnonymisationReport, PseudonymMap, anonymise_parsed
from workbench.domain.elision import elision_problem
from workbench.domain.reanchor import FLAGGED, KEPT, MOVED, Placement, Span, passage_near, reanchor
from workbench.domain.scrub import anonymise_name
from workbench.errors import InputError, NotFoundError, WorkbenchError
from workbench.interop.transcripts import read_transcript
from workbench.storage import reimport as stored
from workbench.storage.database import storage_errors_translated
from workbench.study import Study, now

if TYPE_CHECKING:
    from workbench.study.scrub import StudyScrub

REVIEW_PREFIX = "re-import: "  # flags this module sets start with it, so a later re-import may clear them


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class MovedCoding:
    """What a re-import did to one coding."""

    id: int
    status: str  # kept, moved or flagged
    old: tuple[int, int]
    new: tuple[int, int]
    edited: bool = False  # it now covers slightly different (corrected) text
    reason: str | None = None  # why it needs review

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "status": self.status,
            "old": list(self.old),
            "new": list(self.new),
            "edited": self.edited,
            "reason": self.reason,
        }


@dataclass
class ReimportReport:
    """How many codings were kept, moved and flagged, and each one's old and new place."""

    transcript: str
    file: str
    unchanged: bool = False  # the file's text is the stored text: nothing was done
    codings: list[MovedCoding] = field(default_factory=list)
    chars: tuple[int, int] = (0, 0)  # length before and after
    warnings: list[str] = field(default_factory=list)
    anonymisation: AnonymisationReport | None = None  # for the researcher's eyes; never stored
    scrub: StudyScrub | None = None  # with a pseudonym map: the names replaced in the rest of the study

    def count(self, status: str) -> int:
        return sum(1 for c in self.codings if c.status == status)

    @property
    def kept(self) -> int:
        return self.count(KEPT)

    @property
    def moved(self) -> int:
        return self.count(MOVED)

    @property
    def flagged(self) -> int:
        return self.count(FLAGGED)

    def to_json(self) -> dict:
        return {
            "transcript": self.transcript,
            "file": self.file,
            "unchanged": self.unchanged,
            "kept": self.kept,
            "moved": self.moved,
            "flagged": self.flagged,
            "chars": {"before": self.chars[0], "after": self.chars[1]},
            "codings": [c.to_json() for c in self.codings],
            "warnings": self.warnings,
            "replacements": self.anonymisation.counts() if self.anonymisation else {},
            **({"study": self.scrub.to_json()} if self.scrub else {}),
        }


@dataclass(frozen=True)
class ReviewItem:
    """A coding flagged for review: what was coded, what the transcript now has there, and why."""

    id: int
    transcript: str
    theme: str
    start: int
    end: int
    coded_text: str  # the text as it was coded
    current_text: str  # the transcript's text at start..end now
    reason: str
    selected: bool

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "transcript": self.transcript,
            "theme": self.theme,
            "start": self.start,
            "end": self.end,
            "coded_text": self.coded_text,
            "current_text": self.current_text,
            "reason": self.reason,
            "selected": self.selected,
        }


@storage_errors_translated
def reimport_transcript(
    study: Study, path: Path | str, name: str | None = None, pseudonyms: PseudonymMap | None = None
) -> ReimportReport:
    """Replace transcript ``name`` (default: the file's name without extension) with the text of
    ``path`` and move its codings; one transaction, undone as one step.

    ``pseudonyms`` anonymises the new version first (its report is returned, not stored), and
    then the rest of the study with it (``workbench.study.scrub``): if the study already held any
    of the names, they are replaced everywhere, and the undo history ends there (the re-import
    cannot be undone). Only the file's name is recorded then, never its folder.
    Raises ``InputError`` for a file that cannot be read and ``NotFoundError`` when the study
    has no such transcript; in both cases nothing changes.
    """
    path = Path(path)
    parsed = read_transcript(path)
    anonymisation = None
    if pseudonyms is not None:
        parsed, anonymisation = anonymise_parsed(parsed, pseudonyms)
    try:
        record = study.transcript(name or path.stem)
    except NotFoundError:
        raise NotFoundError(
            f"no transcript named {name or path.stem!r} in {study.path.name}; "
            f"use `workbench import` for a new transcript, or --name to say which one this file replaces"
        ) from None
    report = ReimportReport(record.name, str(path), warnings=list(parsed.warnings), anonymisation=anonymisation)
    report.chars = (len(study.transcript_text(record.name)), len(parsed.text))
    if pseudonyms is None:
        if _sha256(parsed.text) == record.content_hash:
            report.unchanged = True
            return report
        _check_not_another(study, record.id, record.name, parsed, path)
        payload = {"transcript": record.name, "file": str(path)}
        with study._change("reimport", payload) as payload:
            _replace(study, record.id, parsed, path.name, report, payload)
        return report

    from workbench.study.scrub import anonymise_study

    file_name = anonymise_name(path.name, pseudonyms, "file", AnonymisationReport())
    # Names already stored are replaced first (codings move exactly with them), then the file's
    # version replaces that text; the report tells each coding's way from before both.
    spans_before = {row[0]: (row[1], row[2]) for row in stored.codings_to_place(study._db, record.id)}

    def write(payload: dict) -> None:
        current = stored.transcript_state(study._db, record.id)
        payload.update(transcript=current.name, file=file_name, pseudonyms=True)
        report.transcript = current.name
        if _sha256(parsed.text) == current.content_hash:
            report.unchanged = current.content_hash == record.content_hash
            report.codings = (
                []
                if report.unchanged
                else [
                    MovedCoding(row[0], KEPT, spans_before[row[0]], (row[1], row[2]))
                    for row in stored.codings_to_place(study._db, record.id)
                ]
            )
        else:
            _check_not_another(study, record.id, current.name, parsed, path)
            _replace(study, record.id, parsed, file_name, report, payload)
        report.codings = [_from_before(coding, spans_before.get(coding.id, coding.old)) for coding in report.codings]
        payload.update(kept=report.kept, moved=report.moved, flagged=report.flagged)

    report.scrub = anonymise_study(study, pseudonyms, then=write, action="reimport")
    return report


def _from_before(coding: MovedCoding, before: tuple[int, int]) -> MovedCoding:
    """A coding's way from its place before an anonymisation moved it, through the re-import."""
    status = MOVED if coding.status == KEPT and before != coding.new else coding.status
    return dataclasses.replace(coding, old=before, status=status)


def _check_not_another(study: Study, transcript_id: int, name: str, parsed, path: Path) -> None:
    twin = stored.transcript_with_text(study._db, _sha256(parsed.text), other_than=transcript_id)
    if twin:
        raise InputError(f"this is the text of transcript {twin!r}, not a new version of {name!r}", str(path))


def _replace(study: Study, transcript_id: int, parsed, file_name: str, report: ReimportReport, payload: dict) -> None:
    """Place the codings in the new text and store it (inside the caller's change)."""
    _name, old_text, old_hash = stored.transcript_state(study._db, transcript_id)
    rows = stored.codings_to_place(study._db, transcript_id)
    placements = reanchor(old_text, parsed.text, [Span(r[0], r[1], r[2], r[3]) for r in rows])
    updates = [_update(row, placement, parsed.text, report) for row, placement in zip(rows, placements)]
    new_hash = _sha256(parsed.text)
    payload.update(old_hash=old_hash, new_hash=new_hash)
    stored.replace_text(
        study._db, transcript_id, parsed, new_hash, file_name, now(), [u for u in updates if u is not None]
    )
    payload.update(kept=report.kept, moved=report.moved, flagged=report.flagged)


def _update(row: tuple, placement: Placement, new_text: str, report: ReimportReport) -> stored.CodingUpdate | None:
    """The new values of one coding, recording what happened in ``report``; None: unchanged."""
    coding_id, start, end, coded, review, elided = row
    if placement.status == FLAGGED:
        new_start, new_end = (
            (placement.start, placement.end) if placement.start is not None else passage_near(new_text, placement.near)
        )
        reason = REVIEW_PREFIX + (placement.reason or "placed with low confidence")
        report.codings.append(
            MovedCoding(coding_id, FLAGGED, (start, end), (new_start, new_end), placement.edited, reason)
        )
        # The coded text stays as it was coded, so the mismatch remains visible (docs/schema.md).
        return (new_start, new_end, coded, _sha256(coded), reason, coding_id)
    text = new_text[placement.start : placement.end]
    if review and review.startswith(REVIEW_PREFIX) and text == coded:
        review = None  # an earlier flag, and the coded text is back where it belongs
    if elided and text != coded and elision_problem(text, elided) is not None:
        reason = REVIEW_PREFIX + "the text changed and the quote's trimmed form no longer matches it"
        report.codings.append(
            MovedCoding(coding_id, FLAGGED, (start, end), (placement.start, placement.end), True, reason)
        )
        return (placement.start, placement.end, coded, _sha256(coded), reason, coding_id)
    report.codings.append(
        MovedCoding(coding_id, placement.status, (start, end), (placement.start, placement.end), placement.edited)
    )
    if placement.status == KEPT and review == row[4]:
        return None
    return (placement.start, placement.end, text, _sha256(text), review, coding_id)


@storage_errors_translated
def codings_to_review(study: Study) -> list[ReviewItem]:
    """Codings flagged for review, by transcript and position."""
    paths = {t.id: t.path for t in study.themes()}
    return [
        ReviewItem(coding_id, transcript, paths.get(theme_id, "?"), start, end, coded, current or "", reason, selected)
        for coding_id, transcript, theme_id, start, end, coded, current, reason, selected in stored.flagged_codings(
            study._db
        )
    ]


@dataclass(frozen=True)
class ReviewResult:
    """A reviewed coding, and anything that had to change with it."""

    id: int
    start: int
    end: int
    text: str
    notes: list[str] = field(default_factory=list)


@storage_errors_translated
def mark_reviewed(study: Study, coding_id: int, start: int | None = None, end: int | None = None) -> ReviewResult:
    """The researcher has looked at a coding: clear its flag and let it cover the transcript's text
    at its place, or at ``start..end`` when given. A trimmed form that no longer fits is removed
    (and named in the notes); undo brings it back."""
    coding = study.coding(coding_id)
    if (start is None) != (end is None):
        raise WorkbenchError("give both --start and --end, or neither")
    text_of = study.transcript_text(coding.transcript)
    start, end = (coding.start, coding.end) if start is None else (start, end)
    if not 0 <= start < end <= len(text_of):
        if (start, end) == (coding.start, coding.end):
            raise WorkbenchError(
                f"coding #{coding_id} has no place in {coding.transcript!r}; give its span with --start/--end, "
                f"or remove it with `workbench uncode`"
            )
        raise WorkbenchError(f"span {start}..{end} is outside {coding.transcript!r} (0..{len(text_of)}) or empty")
    text = text_of[start:end]
    if not text.strip():
        raise WorkbenchError(f"span {start}..{end} of {coding.transcript!r} is only whitespace")
    review = stored.review_flag(study._db, coding_id)
    notes: list[str] = []
    if review is None and (start, end, text) == (coding.start, coding.end, coding.text):
        return ReviewResult(coding_id, start, end, text, ["it was not flagged for review"])
    elided = stored.trimmed_form(study._db, coding_id)
    with study._change("review", {"id": coding_id, "start": start, "end": end}):
        stored.set_reviewed_span(study._db, coding_id, start, end, text, _sha256(text))
        if elided and elision_problem(text, elided) is not None:
            stored.remove_trimmed_form(study._db, coding_id, now())
            notes.append(f"its trimmed form no longer matched the text and was removed: {elided!r}")
    return ReviewResult(coding_id, start, end, text, notes)
