"""Inter-coder agreement: bring a second coder's codings in, then measure and list disagreements.

``merge_study`` copies another study file's codings of the same transcripts into this study
(transcripts matched by their text's SHA-256, themes by path). ``agreement`` compares coders per
theme and overall, by character or by speaker turn, with percent agreement, Cohen's kappa and
Krippendorff's alpha (see workbench/domain/agreement_stats.py and docs/analysis.md).
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from workbench.domain import agreement_stats as stats
from workbench.domain.theme_tree import subtree_ids
from workbench.errors import WorkbenchError
from workbench.storage import agreement as reads
from workbench.storage.database import storage_errors_translated
from workbench.study import Study
from workbench.study.analysis import merge_intervals
from workbench.study.collecting import collecting_paused

UNITS = ("char", "turn")


# -- merge ---------------------------------------------------------------------------------------


@dataclass
class MergeReport:
    """What ``merge_study`` brought in, and what it could not match."""

    other: str
    transcripts_matched: list[tuple[str, str]] = field(default_factory=list)  # (ours, theirs)
    transcripts_unmatched: list[tuple[str, int]] = field(default_factory=list)  # (theirs, codings)
    themes_added: list[str] = field(default_factory=list)
    codings_added: int = 0
    codings_present: int = 0  # already in the study (a merge is idempotent)
    codings_unmatched: list[dict] = field(default_factory=list)
    coders: dict[str, int] = field(default_factory=dict)  # coder -> codings in the other file
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "other": self.other,
            "transcripts_matched": [{"transcript": a, "other": b} for a, b in self.transcripts_matched],
            "transcripts_unmatched": [
                {"other": b, "codings": n, "reason": "no transcript with the same text"}
                for b, n in self.transcripts_unmatched
            ],
            "themes_added": self.themes_added,
            "codings_added": self.codings_added,
            "codings_present": self.codings_present,
            "codings_unmatched": self.codings_unmatched,
            "coders": self.coders,
            "warnings": self.warnings,
        }


@storage_errors_translated
def merge_study(study: Study, other_path: Path | str, create_themes: bool = True) -> MergeReport:
    """Bring another study file's codings of the same transcripts into ``study``, in one transaction.

    Transcripts are matched by the SHA-256 of their text, so a renamed file still matches and a
    changed one never does. Themes are matched by path, without regard to case; a theme the
    other coder added (an emergent sub-theme) is created here with its colour and description,
    unless ``create_themes`` is False, in which case its codings are reported as unmatched.
    Codings already present (same transcript, theme, span and coder) are skipped, so merging
    twice changes nothing. Quote selections, comments, memos and case attributes of the other
    file are not brought in: the merge is about codings.
    """
    other_path = Path(other_path)
    if other_path.resolve() == study.path.resolve():
        raise WorkbenchError(f"{other_path}: is this study itself; merge another coder's copy")
    report = MergeReport(other=str(other_path))
    with Study.open(other_path) as other:
        their_themes = {t.id: t for t in other.themes()}
        rows = reads.codings_with_transcripts(other._db)
        their_transcripts = other.transcripts()
    ours_by_hash = {t.content_hash: t for t in study.transcripts()}
    per_transcript = Counter(r[0] for r in rows)
    matched_hashes = set()
    for t in their_transcripts:
        ours = ours_by_hash.get(t.content_hash)
        if ours is None:
            report.transcripts_unmatched.append((t.name, per_transcript[t.content_hash]))
        else:
            report.transcripts_matched.append((ours.name, t.name))
            matched_hashes.add(t.content_hash)
    report.coders = dict(sorted(Counter(r[4] for r in rows).items()))

    coders_before = set(reads.coder_counts(study._db))
    ours_by_path = {t.path.casefold(): t for t in study.themes()}
    needed = {their_themes[r[1]].path for r in rows if r[0] in matched_hashes}
    missing = sorted(p for p in needed if p.casefold() not in ours_by_path)
    existing = reads.coding_keys(study._db)
    batch: list[tuple] = []
    with study.batch("merge", {"other": str(other_path)}):
        if create_themes and missing:
            report.themes_added = _add_themes(study, missing, their_themes)
            ours_by_path = {t.path.casefold(): t for t in study.themes()}
        texts: dict[str, str] = {}
        for digest, theme_id, start, end, coder, created, text, name in rows:
            if digest not in matched_hashes:
                continue
            transcript = ours_by_hash[digest]
            theme_path = their_themes[theme_id].path
            theme = ours_by_path.get(theme_path.casefold())
            problem = None
            if theme is None:
                problem = f"no theme {theme_path!r} in the study"
            else:
                full = texts.get(digest)
                if full is None:
                    full = texts[digest] = study.transcript_text(transcript.name)
                if full[start:end] != text:
                    problem = "the coded text does not match the transcript at its offsets"
            if problem:
                report.codings_unmatched.append(
                    {
                        "transcript": name,
                        "theme": theme_path,
                        "start": start,
                        "end": end,
                        "coder": coder,
                        "reason": problem,
                    }
                )
                continue
            key = (transcript.id, theme.id, start, end, coder)
            if key in existing:
                report.codings_present += 1
                continue
            existing.add(key)
            batch.append((transcript.name, theme.path, start, end, coder, created))
        if batch:
            report.codings_added = len(study.code_many(batch))
    if report.codings_present and not batch:
        report.warnings.append("nothing new: every matched coding was already in the study")
    for coder in sorted({b[4] for b in batch} & coders_before):
        report.warnings.append(
            f"coder {coder!r} already had codings in this study; the merged ones were added under the same name"
        )
    return report


def _add_themes(study: Study, paths: list[str], their_themes: dict) -> list[str]:
    """Create the other file's themes that the study lacks, parents first; return their paths."""
    by_path = {t.path: t for t in their_themes.values()}
    known = {t.path.casefold() for t in study.themes()}
    used_keys = {t.key for t in study.themes() if t.key}
    added = []
    for path in paths:
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            prefix = "/".join(parts[:depth])
            if prefix.casefold() in known:
                continue
            theirs = by_path.get(prefix)
            key = theirs.key if theirs and theirs.key and theirs.key not in used_keys else None
            parent = "/".join(parts[: depth - 1]) or None
            if parent is not None:
                parent = next(t.path for t in study.themes() if t.path.casefold() == parent.casefold())
            study.add_theme(
                parts[depth - 1],
                parent=parent,
                color=theirs.color if theirs else None,
                key=key,
                description=theirs.description if theirs else None,
            )
            known.add(prefix.casefold())
            if key:
                used_keys.add(key)
            added.append(prefix)
    return added


# -- agreement -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Agreement over a set of units: ``units`` pairable units, ``agreed`` of them coded alike."""

    units: int  # pairable units: characters or turns
    agreed: int
    percent_agreement: float | None  # 0..100
    kappa: float | None  # Cohen's kappa (two coders only)
    alpha: float | None  # Krippendorff's alpha, nominal

    @classmethod
    def of(cls, data: dict[tuple, float], coders: int) -> Figures:
        proportion = stats.percent_agreement(data)
        return cls(
            units=stats.pairable_weight(data),
            agreed=stats.agreed_weight(data),
            percent_agreement=None if proportion is None else 100.0 * proportion,
            kappa=stats.cohen_kappa(data) if coders == 2 else None,
            alpha=stats.krippendorff_alpha(data),
        )

    def to_json(self) -> dict:
        return {
            "units": self.units,
            "agreed": self.agreed,
            "percent_agreement": self.percent_agreement,
            "kappa": self.kappa,
            "alpha": self.alpha,
        }


@dataclass(frozen=True)
class ThemeAgreement:
    theme: str
    figures: Figures
    coded: dict[str, int]  # coder -> units they coded with the theme
    disagreements: int

    def to_json(self) -> dict:
        return {"theme": self.theme, **self.figures.to_json(), "coded": self.coded, "disagreements": self.disagreements}


class Disagreement(NamedTuple):
    """A passage (a run of characters, or a turn) that some coders coded with a theme and others not.

    ``coded_by`` applied the theme to it, ``not_coded_by`` coded the transcript but not this
    passage with this theme; coders who did not code the transcript at all are in neither.
    """

    theme: str
    transcript: str
    start: int
    end: int
    turn: int | None  # the number (seq) of the turn holding the passage, when there is one
    speaker: str | None
    coded_by: tuple[str, ...]
    not_coded_by: tuple[str, ...]
    text: str


@dataclass
class AgreementReport:
    coders: list[str]
    unit: str
    theme: str | None
    transcripts: list[str]  # compared: coded by at least two of the coders
    skipped: list[tuple[str, str]]  # (transcript, why it was not compared)
    overall: Figures
    themes: list[ThemeAgreement]
    disagreements: list[Disagreement]
    _applied: _AppliedIndex | None = field(default=None, repr=False, compare=False)

    def applied(self, d: Disagreement) -> dict[str, list[str]]:
        """What each coder who coded the transcript applied to any part of the passage (theme paths)."""
        if self._applied is None:
            return {}
        return self._applied.at(d)

    def disagreement_json(self, d: Disagreement) -> dict:
        return {
            "theme": d.theme,
            "transcript": d.transcript,
            "start": d.start,
            "end": d.end,
            "turn": d.turn,
            "speaker": d.speaker,
            "coded_by": list(d.coded_by),
            "not_coded_by": list(d.not_coded_by),
            "themes": self.applied(d),
            "text": d.text,
        }

    def to_json(self) -> dict:
        return {
            "coders": self.coders,
            "unit": self.unit,
            "theme": self.theme,
            "transcripts": self.transcripts,
            "skipped": [{"transcript": t, "reason": r} for t, r in self.skipped],
            "overall": self.overall.to_json(),
            "themes": [t.to_json() for t in self.themes],
            "disagreements": [self.disagreement_json(d) for d in self.disagreements],
        }


@storage_errors_translated
def study_coders(study: Study) -> dict[str, int]:
    """Every coder in the study with their number of codings."""
    return reads.coder_counts(study._db)


@storage_errors_translated
def agreement(
    study: Study, coders: tuple[str, str] | list[str], unit: str = "char", theme: str | None = None
) -> AgreementReport:
    """Agreement between coders per theme and overall, with the list of disagreements.

    Units are the characters (``char``) or the speaker turns (``turn``) of the transcripts that
    at least two of the coders have coded (any theme); for each theme a unit's value per coder
    is 1 if that coder applied the theme to it (for a turn: to any part of it) and 0 if not; a
    coder who did not code a transcript at all gives missing values there. Themes that none of
    the coders applied are left out. ``theme`` limits the comparison to it and its sub-themes.
    Overall figures pool all (theme, unit) pairs.
    """
    coders = _check_coders(study, coders)
    if unit not in UNITS:
        raise WorkbenchError(f"unit must be 'char' or 'turn', not {unit!r}")
    themes = study.themes()
    wanted = root = None
    if theme is not None:
        root = study.theme(theme)
        wanted = set(subtree_ids(themes, root.id))
    index = {c: i for i, c in enumerate(coders)}
    with collecting_paused():
        rows = reads.codings_by(study._db, coders)
        present: dict[int, set[int]] = defaultdict(set)  # transcript -> coders who coded it
        for _id, transcript_id, _theme, _s, _e, coder in rows:
            present[transcript_id].add(index[coder])
        compared, skipped = [], []
        for transcript_id, name, chars in reads.transcript_sizes(study._db):
            who = present.get(transcript_id, set())
            if len(who) >= 2:
                compared.append((transcript_id, name, chars or 0))
            else:
                skipped.append((name, f"coded only by {coders[next(iter(who))]}" if who else "coded by none of them"))
        compared_ids = [c[0] for c in compared]
        included = set(compared_ids)
        by_theme: dict[int, dict[int, list[list[tuple[int, int]]]]] = defaultdict(
            dict
        )  # theme -> transcript -> per coder
        applied = _AppliedIndex({t.id: t.path for t in themes}, coders, {c[1]: c[0] for c in compared})
        everything = applied.spans
        for _id, transcript_id, theme_id, start, end, coder in rows:
            if transcript_id not in included:
                continue
            everything[(transcript_id, index[coder])].append((start, end, theme_id))
            if wanted is not None and theme_id not in wanted:
                continue
            spans = by_theme[theme_id].get(transcript_id)
            if spans is None:
                spans = by_theme[theme_id][transcript_id] = [[] for _ in coders]
            spans[index[coder]].append((start, end))
        turns = _turn_index(study, compared_ids)
        texts = reads.transcript_texts(study._db, compared_ids)
        verdicts = _Verdicts(coders)
        pooled: dict[tuple, int] = defaultdict(int)
        results, disagreements = [], []
        for t in themes:
            if t.id not in by_theme:
                continue
            data: dict[tuple, int] = defaultdict(int)
            coded = [0] * len(coders)
            found: list[Disagreement] = []
            for transcript_id, name, chars in compared:
                spans = by_theme[t.id].get(transcript_id)
                who = present[transcript_id]
                transcript_turns = turns.get(transcript_id, ([], []))
                if unit == "char":
                    segments = _char_segments(spans, who, len(coders), chars)
                else:
                    segments = _turn_segments(spans, who, len(coders), transcript_turns[1])
                for pattern, start, end, weight in segments:
                    data[pattern] += weight
                    disagree, coded_by, not_coded_by, marked = verdicts.of(pattern)
                    for i in marked:
                        coded[i] += weight
                    if disagree and start is not None:
                        turn = _turn_at(transcript_turns, start)
                        found.append(
                            Disagreement(
                                t.path,
                                name,
                                start,
                                end,
                                turn[2] if turn else None,
                                turn[3] if turn else None,
                                coded_by,
                                not_coded_by,
                                texts[transcript_id][start:end],
                            )
                        )
            for pattern, weight in data.items():
                pooled[pattern] += weight
            results.append(ThemeAgreement(t.path, Figures.of(data, len(coders)), dict(zip(coders, coded)), len(found)))
            disagreements.extend(found)
        disagreements.sort(key=lambda d: (d.transcript, d.start, d.end, d.theme))
    return AgreementReport(
        coders=coders,
        unit=unit,
        theme=root.path if root else None,
        transcripts=[c[1] for c in compared],
        skipped=skipped,
        overall=Figures.of(pooled, len(coders)),
        themes=results,
        disagreements=disagreements,
        _applied=applied,
    )


def _check_coders(study: Study, coders) -> list[str]:
    names = [c.strip() for c in coders if c and c.strip()]
    if len(set(names)) != len(names) or len(names) < 2:
        raise WorkbenchError("name at least two different coders, e.g. --coders anna,ben")
    known = reads.coder_counts(study._db)
    for name in names:
        if name not in known:
            raise WorkbenchError(f"no codings by {name!r} in {study.path.name} (coders: {', '.join(known) or 'none'})")
    return names


class _Verdicts:
    """Per pattern, computed once: whether the coders disagree, who coded, who did not."""

    def __init__(self, coders: list[str]) -> None:
        self.coders = coders
        self.cache: dict[tuple, tuple] = {}

    def of(self, pattern: tuple) -> tuple[bool, tuple[str, ...], tuple[str, ...], tuple[int, ...]]:
        verdict = self.cache.get(pattern)
        if verdict is None:
            marked = tuple(i for i, v in enumerate(pattern) if v)
            verdict = self.cache[pattern] = (
                len({v for v in pattern if v is not None}) > 1,
                tuple(self.coders[i] for i in marked),
                tuple(self.coders[i] for i, v in enumerate(pattern) if v == 0),
                marked,
            )
        return verdict


def _char_segments(spans, who: set[int], coders: int, chars: int):
    """(pattern, start, end, weight) runs of one theme over one transcript's characters.

    Each present coder's spans are merged first, so every boundary of the sweep changes at least
    one coder's value; the characters no one coded form one all-zero pattern (start None).
    """
    base = tuple(0 if i in who else None for i in range(coders))
    if not spans:
        return [(base, None, None, chars)]
    events = []
    for i, coder_spans in enumerate(spans):
        for start, end in merge_intervals(coder_spans):
            events.append((start, i, 1))
            events.append((end, i, 0))
    events.sort()
    state = list(base)
    runs = []
    covered = 0
    position = events[0][0]
    for at, i, value in events:
        if at > position and any(state):
            runs.append((tuple(state), position, at, at - position))
            covered += at - position
        position = at
        state[i] = value
    runs.append((base, None, None, chars - covered))
    return runs


def _turn_segments(spans, who: set[int], coders: int, turns: list[tuple[int, int, int, str | None]]):
    """(pattern, start, end, weight) per turn one theme touches; the rest as one all-zero pattern."""
    base = tuple(0 if i in who else None for i in range(coders))
    touched: dict[int, list] = {}
    ends = [t[1] for t in turns]
    for i, coder_spans in enumerate(spans or []):
        for start, end in coder_spans:
            j = bisect.bisect_right(ends, start)
            while j < len(turns) and turns[j][0] < end:
                touched.setdefault(j, list(base))[i] = 1
                j += 1
    runs = [(tuple(state), turns[j][0], turns[j][1], 1) for j, state in sorted(touched.items())]
    runs.append((base, None, None, len(turns) - len(touched)))
    return runs


def _turn_index(study: Study, transcript_ids: list[int]) -> dict[int, tuple[list[int], list[tuple]]]:
    """transcript -> (turn starts, turns with spoken text as (start, end, seq, speaker)), in text order."""
    turns: dict[int, list] = defaultdict(list)
    if transcript_ids:
        for transcript_id, seq, speaker, start, end in reads.turns_of(study._db, transcript_ids):
            if end > start:
                turns[transcript_id].append((start, end, seq, speaker))
    return {tid: ([t[0] for t in found], found) for tid, found in turns.items()}


def _turn_at(turns: tuple[list[int], list[tuple]], start: int):
    starts, spans = turns
    i = bisect.bisect_right(starts, start) - 1
    return spans[i] if i >= 0 and spans[i][1] > start else None


class _AppliedIndex:
    """Each coder's codings per transcript, to say what they applied around a disagreement.

    Filled while the agreement is measured (cheap appends); sorted on first use, so the figures
    do not wait for lookups that only a displayed or exported disagreement needs.
    """

    def __init__(self, paths: dict[int, str], coders: list[str], transcripts: dict[str, int]) -> None:
        self.paths = paths
        self.coders = coders
        self.transcripts = transcripts  # name -> id
        # (transcript id, coder index) -> (start, end, theme id): filled in by ``agreement``
        self.spans: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
        self.ready: dict[tuple[int, int], tuple[list[int], list, int]] = {}

    def at(self, d: Disagreement) -> dict[str, list[str]]:
        transcript_id = self.transcripts.get(d.transcript)
        result = {}
        for i, coder in enumerate(self.coders):
            key = (transcript_id, i)
            if key not in self.spans:
                continue  # this coder did not code the transcript
            if key not in self.ready:
                spans = sorted(self.spans[key])
                self.ready[key] = ([s for s, _e, _t in spans], spans, max(e - s for s, e, _t in spans))
            starts, spans, longest = self.ready[key]
            # Only codings starting after (start - the longest coding) can reach the passage.
            lo = bisect.bisect_left(starts, d.start - longest)
            hi = bisect.bisect_left(starts, d.end)
            result[coder] = sorted({self.paths.get(t, "?") for s, e, t in spans[lo:hi] if e > d.start})
        return result
