"""The results chapter and the quotes table: the use cases over a study.

``export_chapter`` writes the chapter from the selected quotes (Markdown, see docs/chapter.md),
``verify_chapter`` checks an exported chapter against the study, ``export_quotes_csv`` gives one
row per coding for spreadsheets and R. Nothing here changes the study except remembering the
chapter settings.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.domain.chapter import checks as writeup
from workbench.domain.chapter.attribution import Attributor, parse_template
from workbench.domain.chapter.cuts import unmark_cuts
from workbench.domain.chapter.render import (
    ChapterData,
    ChapterQuote,
    ChapterSection,
    CodebookRow,
    Overview,
    render_chapter,
    repeated_word,
    split_summary,
)
from workbench.domain.chapter.settings import ChapterSettings, parse_settings
from workbench.domain.chapter.verify import collapse, find_shown, read_quotes, read_settings, word_diff
from workbench.domain.elision import ELISION, elided_parts
from workbench.domain.models import Quote, Theme
from workbench.domain.sorting import natural_key
from workbench.domain.text_search import canonical
from workbench.errors import WorkbenchError
from workbench.interop.settings_file import read_settings_file
from workbench.storage import export_rows, queries
from workbench.storage.database import storage_errors_translated
from workbench.study import Study

__all__ = [
    "ChapterResult",
    "ChapterSettings",
    "VerifyProblem",
    "VerifyReport",
    "SettingsUsed",
    "chapter_settings",
    "export_chapter",
    "export_quotes_csv",
    "settings_used",
    "verify_chapter",
]

SETTING_KEY = "chapter_settings"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Where a setting came from, in the words the export prints.
DEFAULT, REMEMBERED, OPTION = "default", "remembered", "option"


@dataclass(frozen=True)
class SettingsUsed:
    """The settings of an export and, per setting, where its value came from: ``default``,
    ``remembered`` (the last export's, kept in the study), ``file <path>`` or ``option``."""

    settings: ChapterSettings
    sources: dict[str, str]

    def lines(self) -> list[str]:
        """One line per setting, ``name: value (source)``, in the settings' own order."""
        shown = []
        for name, value in self.settings.to_dict().items():
            text = json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)
            if isinstance(value, bool):
                text = "true" if value else "false"
            shown.append(f"{name}: {text} ({self.sources.get(name, DEFAULT)})")
        return shown


@storage_errors_translated
def chapter_settings(study: Study, settings_file: Path | str | None = None, **options: Any) -> ChapterSettings:
    """The settings for an export: defaults, then those remembered in the study, then the
    settings file, then the options given (``None``: not given; ``""`` clears a text setting)."""
    return settings_used(study, settings_file, **options).settings


@storage_errors_translated
def settings_used(
    study: Study, settings_file: Path | str | None = None, fresh: bool = False, **options: Any
) -> SettingsUsed:
    """Like :func:`chapter_settings`, and where each setting came from. ``fresh`` leaves out
    the settings remembered in the study (the defaults, the file and the options only)."""
    layers: list[tuple[str, dict[str, Any]]] = []
    remembered = None if fresh else study.setting(SETTING_KEY)
    if remembered:
        layers.append((REMEMBERED, parse_settings(remembered, source="the chapter settings remembered in the study")))
    if settings_file is not None:
        layers.append((f"file {settings_file}", read_settings_file(settings_file)))
    if options.get("attribution"):
        parse_template(options["attribution"])
    layered = ChapterSettings.layered(*(layer for _source, layer in layers))
    if options.get("accept"):  # an acknowledgement adds to those already recorded
        options["accept"] = tuple(dict.fromkeys((*(layered.accept or ()), *options["accept"])))
    settings = layered.with_options(**options)
    sources: dict[str, str] = {}
    for source, layer in layers:
        sources.update(dict.fromkeys(layer, source))
    sources.update(dict.fromkeys((k for k, v in options.items() if v is not None), OPTION))
    return SettingsUsed(settings, sources)


@dataclass
class ChapterResult:
    """The chapter's Markdown (and its appendices, when they go to a file of their own), the
    write-up warnings, and notes (e.g. themes left out)."""

    markdown: str
    appendices: str | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    accepted: list[str] = field(default_factory=list)  # write-up warnings the settings acknowledge
    quotes: int = 0
    sections: int = 0


class _Sources:
    """Transcript texts and their hashes, read once per export."""

    def __init__(self, study: Study):
        self.study = study
        self.texts: dict[str, str] = {}
        self.hashes: dict[str, str] = {}

    def text(self, transcript: str) -> str:
        if transcript not in self.texts:
            # By its exact name, as quotes and markers give it: one row, not the transcript list.
            text = export_rows.transcript_text_named(self.study._db, transcript)
            self.texts[transcript] = text if text is not None else self.study.transcript_text(transcript)
            self.hashes[transcript] = _sha256(self.texts[transcript])
        return self.texts[transcript]

    def sha256(self, transcript: str) -> str:
        self.text(transcript)
        return self.hashes[transcript]


def _children(themes: list[Theme]) -> dict[int | None, list[Theme]]:
    children: dict[int | None, list[Theme]] = defaultdict(list)
    for theme in themes:
        children[theme.parent_id].append(theme)
    return children


@storage_errors_translated
def export_chapter(
    study: Study, settings: ChapterSettings | None = None, remember: bool = True, appendix_apart: bool = False
) -> ChapterResult:
    """Render the results chapter; ``remember`` stores the settings in the study for next time;
    ``appendix_apart`` returns the appendices apart (``ChapterResult.appendices``)."""
    settings = settings or chapter_settings(study)
    themes = study.themes()
    # Only the quotes shown are loaded; the write-up checks get the rest from grouped counts.
    chosen = study.quotes() if settings.all else study.quotes(selected_only=True)
    sources = _Sources(study)
    warnings: list[str] = []
    by_theme: dict[int, list[ChapterQuote]] = defaultdict(list)
    for quote in chosen:
        text = sources.text(quote.transcript)
        if text[quote.start : quote.end] != quote.text:
            warnings.append(
                f"quote #{quote.id}: transcript {quote.transcript!r} no longer has the coded text at "
                f"{quote.start}..{quote.end} (it changed after coding); the chapter shows the coded text"
            )
        by_theme[quote.theme_id].append(_chapter_quote(quote, sources.sha256(quote.transcript)))

    counts, _values = study.stats(settings.compare) if settings.compare else study.stats()
    count_of = {row.theme.id: row for row in counts}
    cases = _cases_with_transcripts(study)
    children = _children(themes)
    left_out: list[str] = []

    def build(theme: Theme) -> ChapterSection | None:
        kids = [s for child in children.get(theme.id, []) if (s := build(child)) is not None]
        quotes = by_theme.get(theme.id, [])
        if not quotes and not kids:
            left_out.append(theme.path)
            return None
        return ChapterSection(
            theme.name,
            theme.path,
            study.memo("theme", theme.path),
            quotes,
            kids,
            closing=study.memo("closing", theme.path),
        )

    sections = [s for theme in children.get(None, []) if (s := build(theme)) is not None]
    introduction, summary = split_summary(study.memo("study"))
    overview = None
    if settings.compare:
        base = _compare_base(cases, settings.compare)
        overview = Overview(
            settings.compare,
            {value: base[value] for value in sorted(base, key=natural_key)},
            {
                t.path: {value: row[1] for value, row in count_of[t.id].by_value.items()}
                for t in themes
                if t.id in count_of
            },
        )
    data = ChapterData(
        settings=settings,
        introduction=introduction,
        summary=summary,
        sections=sections,
        overview=overview,
        codebook=[
            CodebookRow(t.path, t.description, count_of[t.id].codings_total, count_of[t.id].informants_total)
            for t in themes
        ],
        informants=cases,
    )
    rendered = render_chapter(data, appendix_apart=appendix_apart)
    warnings += rendered.warnings
    findings = _writeup_checks(sections, chosen, _cases_under_paths(study, themes), cases, settings)
    still, accepted, unused = writeup.split_accepted(findings, settings.accept or ())
    warnings += [str(finding) for finding in still]
    notes = _left_out_note(left_out, themes)
    notes += [f"accepted {key!r} matches no write-up warning (any more)" for key in unused]
    if remember:
        wanted = settings.to_yaml(remembered=True)
        if study.setting(SETTING_KEY) != wanted:
            study.set_setting(SETTING_KEY, wanted)
    return ChapterResult(
        rendered.markdown,
        rendered.appendices,
        warnings,
        notes,
        [str(finding) for finding in accepted],
        quotes=len(chosen),
        sections=len(list(writeup.walk(sections))),
    )


def _chapter_quote(quote: Quote, sha256: str) -> ChapterQuote:
    return ChapterQuote(
        id=quote.id,
        transcript=quote.transcript,
        case=quote.case or quote.transcript,
        start=quote.start,
        end=quote.end,
        text=quote.text,
        attributes=dict(quote.attributes),
        source_sha256=sha256,
        elided=quote.elided,
        comment=quote.comment,
        note_after=quote.note_after,
    )


def _cases_with_transcripts(study: Study) -> dict[str, dict[str, str]]:
    attributes = study.cases()
    names = {t.case or t.name for t in study.transcripts()}
    return {name: attributes.get(name, {}) for name in sorted(names)}


def _compare_base(cases: dict[str, dict[str, str]], key: str | None) -> dict[str, int]:
    """Informants per value of the compared attribute (the denominators of the table)."""
    base: dict[str, int] = defaultdict(int)
    if key:
        for attrs in cases.values():
            for k, v in attrs.items():
                if k.casefold() == key.casefold():
                    base[v] += 1
    return dict(base)


def _cases_under_paths(study: Study, themes: list[Theme]) -> dict[str, set[str]]:
    """{theme path: cases coded there or below}, from one grouped query over the codings."""
    paths = {t.id: t.path for t in themes}
    paths_above: dict[str, set[str]] = defaultdict(set)
    for theme_id, names in queries.coded_cases_by_theme(study._db).items():
        parts = paths.get(theme_id, "?").split("/")
        for depth in range(1, len(parts) + 1):
            paths_above["/".join(parts[:depth])].update(names)
    return paths_above


def _writeup_checks(
    sections: list[ChapterSection],
    chosen: list[Quote],
    paths_above: dict[str, set[str]],
    cases: dict[str, dict[str, str]],
    settings: ChapterSettings,
) -> list[writeup.Finding]:
    selected_ids = {q.id for q in chosen if q.selected}
    selected = [q for s in writeup.walk(sections) for q in s.quotes if q.id in selected_ids]
    return [
        *writeup.single_informant(sections, paths_above),
        *writeup.never_quoted(sections, cases),
        *writeup.over_represented(sections, cases, writeup.grouping_keys(cases, settings.compare)),
        *writeup.without_comment(selected),
        *writeup.balance(sections, cases, settings.balance or writeup.BALANCE_SHARE),
    ]


def _left_out_note(left_out: list[str], themes: list[Theme]) -> list[str]:
    if not left_out:
        return []
    # Name a left-out parent once, not each of its sub-themes.
    gone = set(left_out)
    shown = [p for p in left_out if "/" not in p or p.rsplit("/", 1)[0] not in gone]
    shown.sort(key=[t.path for t in themes].index)
    return [f"left out (no quote to show): {', '.join(shown)}"]


# -- verify ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyProblem:
    """A quote in the chapter that no longer matches the study."""

    line: int
    quote_id: str
    transcript: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: quote #{self.quote_id} ({self.transcript}): {self.message}"


@dataclass
class VerifyReport:
    """What ``verify_chapter`` found: how many quotes it checked, which ones fail, and notes
    (transcripts changed since export whose quotes are still found, quotes that moved)."""

    checked: int = 0
    problems: list[VerifyProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        failing = len({p.line for p in self.problems})
        if self.ok:
            return f"all {self.checked} quote(s) match their transcripts and attributions"
        return f"{failing} of {self.checked} quote(s) no longer match the study"


def _matches(shown: str, passage: str) -> bool:
    """The shown quote is the passage, or the passage with cuts marked [...] (layout aside)."""
    # Canonically equivalent text is equal: an editor may save the chapter in NFC, the transcript be NFD.
    shown, passage = canonical(collapse(shown)), canonical(collapse(passage))
    if shown == passage:
        return True
    if ELISION not in shown:
        return False
    position = 0
    for part in elided_parts(shown):
        found = passage.find(part, position)
        if found == -1:
            return False
        position = found + len(part)
    return True


@storage_errors_translated
def verify_chapter(study: Study, markdown_text: str) -> VerifyReport:
    """Check every marked quote of an exported chapter: still verbatim in its transcript (apart
    from marked elisions), transcript unchanged since export, attribution as the case now says."""
    settings = read_settings(markdown_text)
    marked = read_quotes(markdown_text, settings.marks)
    if not marked:
        raise WorkbenchError("the chapter has no quotes with provenance markers to check")
    attributor = Attributor(parse_template(settings.attribution), settings.values)
    cases = study.cases()
    transcripts = {t.name: t for t in study.transcripts()}
    sources = _Sources(study)
    report = VerifyReport(checked=len(marked))
    # Where each marked coding is now (a re-import moves codings with their text).
    current = study.quotes_by_id(i for i in (_int(m.fields.get("id")) for m in marked) if i is not None)
    changed_transcripts: set[str] = set()
    moved: list[str] = []
    for item in marked:
        fields = item.fields
        name = fields.get("transcript", "?")

        # This quote's line, id and transcript bound now (the loop moves on).
        def problem(
            message: str, line: int = item.line, quote_id: str = fields.get("id", "?"), name: str = name
        ) -> None:
            report.problems.append(VerifyProblem(line, quote_id, name, message))

        if item.text is None:
            problem(item.problem or "cannot read the quote")
            continue
        if name not in transcripts:
            problem(f"the study has no transcript {name!r}")
            continue
        try:
            start, end = int(fields["start"]), int(fields["end"])
        except (KeyError, ValueError):
            problem("the provenance marker has no valid start and end")
            continue
        text = sources.text(name)
        shown = unmark_cuts(item.text, settings.cuts)
        changed = fields.get("sha256") != sources.sha256(name)
        if changed:
            changed_transcripts.add(name)
        in_place = 0 <= start < end <= len(text) and _matches(shown, text[start:end])
        if not in_place:
            now = current.get(_int(fields.get("id")))
            candidate = text[now.start : now.end] if now is not None and now.transcript == name else None
            if (candidate is not None and _matches(shown, candidate)) or find_shown(shown, text):
                moved.append(fields.get("id", "?"))
            else:
                passage = candidate if candidate is not None else text[start:end] if start < end <= len(text) else ""
                differences = word_diff(shown, passage)
                where = "the transcript changed since export: " if changed else ""
                if differences:
                    problem(f"{where}the quote's words differ from the transcript: {'; '.join(differences)}")
                else:
                    problem(
                        f"{where}the quote is no longer in the transcript (at {start}..{end} now {_short(passage)!r})"
                    )
        case = transcripts[name].case or name
        attributes = cases.get(case, {})
        lacking = attributor.missing(attributes)
        if lacking:
            problem(f"case {case!r} no longer has the attribute(s) {', '.join(lacking)} the attribution uses")
            continue
        expected, _unmapped = attributor.render(case, name, attributes)
        if collapse(expected) != collapse(item.attribution or ""):
            problem(f"attribution {item.attribution!r} should now be {expected!r}")
        elif (word := repeated_word(item.attribution or "")) is not None:
            problem(
                f"attribution {item.attribution!r} says {word!r} twice (the value map and the template both give it)"
            )
    for name in sorted(changed_transcripts):
        report.notes.append(f"transcript {name!r} changed since the export (its sha256 differs)")
    if moved:
        report.notes.append(f"{len(moved)} quote(s) moved in their transcripts, words unchanged: #{', #'.join(moved)}")
    return report


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _short(text: str, width: int = 70) -> str:
    text = collapse(text)
    return text if len(text) <= width else text[: width - 1] + "…"


# -- quotes table ------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet told that the file is separated by ";" or tabs (the default in many locales; or
# by several characters at once, as LibreOffice allows) cuts a cell at each of them, and at a line
# break, and honours quotes only at the start of a cell: each such part must not start like a
# formula either (quotes before the formula do not help).
_PART_LIKE_A_FORMULA = re.compile(r"""(?<=[;,\t\r\n])(?="*[=+\-@])""")


def _cell(value: str) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (CSV injection), as OWASP advises:
    a leading ' before the cell, and before every part of it after a separator or line break
    that starts like a formula (``hello;=1+1`` becomes ``hello;'=1+1``)."""
    value = _PART_LIKE_A_FORMULA.sub("'", value)
    return "'" + value if value.startswith(_FORMULA_START) else value


@storage_errors_translated
def export_quotes_csv(study: Study) -> str:
    """One row per coding: id, transcript, case, one column per attribute, theme, text, start,
    end, coder, selected, comment, elided. Text that starts like a formula, also after a ``;``,
    ``,``, tab or line break inside a cell, gets a leading ' (``_cell``)."""
    quotes = study.quotes()
    keys = sorted({k for attrs in study.cases().values() for k in attrs})
    fixed = ["id", "transcript", "case"]
    tail = ["theme", "text", "start", "end", "coder", "selected", "comment", "elided"]
    columns = [k if k not in fixed + tail else f"attribute_{k}" for k in keys]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_cell(c) for c in fixed + columns + tail])
    for q in quotes:
        writer.writerow(
            [q.id, _cell(q.transcript), _cell(q.case or "")]
            + [_cell(q.attributes.get(k, "")) for k in keys]
            + [
                _cell(q.theme),
                _cell(q.text),
                q.start,
                q.end,
                _cell(q.coder),
                "true" if q.selected else "false",
                _cell(q.comment or ""),
                _cell(q.elided or ""),
            ]
        )
    return out.getvalue()
