"""The results chapter as Markdown, rendered from plain data (no study, no database).

Shape of the output (numbers only when the chapter has one)::

    <!-- workbench:chapter ...the settings used, for `workbench verify`... -->

    # 4 Results of the interviews

    The study memo (introduction).

    ## 4.1 Collaboration

    The theme memo (the section's introduction), then a --compare table, then per quote:

    The comment (interpretation).

    <!-- workbench:quote id=33 transcript=informant_7 case=informant_7 start=1135 end=1194 sha256=... -->

    > “without the collaboration we could not manage it ourselves.” (Informant 7, smaller municipality, cluster B)

Quotes, names and values are escaped (``markdown_text``); memos and comments are the
researcher's own Markdown and pass through. The output is deterministic, UTF-8 text with LF.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from workbench.domain.chapter.attribution import Attributor, map_value, parse_template
from workbench.domain.chapter.markdown import (
    block_quote,
    comment_value,
    escape_cell,
    escape_heading,
    escape_inline,
    quote_paragraphs,
)
from workbench.domain.chapter.settings import ChapterSettings

CHAPTER_MARK = "workbench:chapter"
QUOTE_MARK = "workbench:quote"
FORMAT = 1

WORDS = {
    "en": {
        "title": "Results",
        "summary": "Summary of results",
        "codebook": "Appendix A. Codebook",
        "informants_appendix": "Appendix B. Informants",
        "theme": "Theme",
        "definition": "Definition",
        "codings": "Codings",
        "informants": "Informants",
        "case": "Case",
        "of": "of",
        "also": "(Also quoted in section {ref}.)",
        "also_unnumbered": "(Also quoted under {ref}.)",
        "compare_caption": "Table: Codings and informants by {label}.",
    },
    "sv": {
        "title": "Resultat",
        "summary": "Sammanfattning av resultaten",
        "codebook": "Bilaga A. Kodbok",
        "informants_appendix": "Bilaga B. Informanter",
        "theme": "Tema",
        "definition": "Definition",
        "codings": "Kodningar",
        "informants": "Informanter",
        "case": "Fall",
        "of": "av",
        "also": "(Citeras även i avsnitt {ref}.)",
        "also_unnumbered": "(Citeras även under {ref}.)",
        "compare_caption": "Table: Kodningar och informanter per {label}.",
    },
}

_SUMMARY_LINE = re.compile(
    r"^\s*#{0,6}\s*(summary of results|summary|sammanfattning av resultaten|sammanfattning)\s*:?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ChapterQuote:
    """One quote as the chapter needs it."""

    id: int
    transcript: str
    case: str
    start: int
    end: int
    text: str  # the coded passage
    attributes: Mapping[str, str]
    source_sha256: str  # of the whole transcript text, at export
    elided: str | None = None
    comment: str | None = None


@dataclass(frozen=True)
class CompareRow:
    """Codings and informants with one value of the compared attribute (sub-themes included)."""

    value: str
    codings: int
    informants: int
    of: int  # informants with that value in the study


@dataclass
class ChapterSection:
    """A theme's section: its introduction, its quotes, and its sub-themes' sections."""

    name: str
    path: str
    memo: str | None = None
    quotes: list[ChapterQuote] = field(default_factory=list)
    compare: list[CompareRow] | None = None
    children: list[ChapterSection] = field(default_factory=list)


@dataclass(frozen=True)
class CodebookRow:
    """A line of the codebook appendix (counts include sub-themes)."""

    path: str
    description: str | None
    codings: int
    informants: int


@dataclass
class ChapterData:
    """Everything the chapter is made of."""

    settings: ChapterSettings
    introduction: str | None = None
    summary: str | None = None
    sections: list[ChapterSection] = field(default_factory=list)
    codebook: list[CodebookRow] = field(default_factory=list)
    informants: dict[str, dict[str, str]] = field(default_factory=dict)


def split_summary(memo: str | None) -> tuple[str | None, str | None]:
    """Split the study memo into the introduction and the summary.

    The summary is whatever follows a line that says only "Summary of results" or "Summary"
    (or "Sammanfattning ..."), with or without ``#`` or a colon.
    """
    if not memo:
        return None, None
    lines = memo.replace("\r\n", "\n").split("\n")
    for index, line in enumerate(lines):
        if _SUMMARY_LINE.match(line):
            intro, summary = "\n".join(lines[:index]).strip(), "\n".join(lines[index + 1 :]).strip()
            return intro or None, summary or None
    return memo.strip() or None, None


def _prose(text: str | None) -> list[str]:
    if not text or not text.strip():
        return []
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").strip().split("\n")]
    return [*lines, ""]


def section_numbers(sections: list[ChapterSection], number: str | None) -> dict[str, str]:
    """Theme path -> its section number ("4.1.2"); empty when the chapter is unnumbered."""
    numbers: dict[str, str] = {}
    if number is None:
        return numbers

    def walk(children: list[ChapterSection], prefix: str) -> None:
        for index, section in enumerate(children, start=1):
            numbers[section.path] = f"{prefix}.{index}"
            walk(section.children, numbers[section.path])

    walk(sections, number)
    return numbers


class _Writer:
    def __init__(self, data: ChapterData):
        self.data = data
        self.settings = data.settings
        self.words = WORDS[self.settings.lang]
        self.attributor = Attributor(parse_template(self.settings.attribution), self.settings.values)
        self.numbers = section_numbers(data.sections, self.settings.number)
        self.lines: list[str] = []
        self.first_place: dict[tuple[str, int, int], str] = {}
        self.unmapped: set[str] = set()
        self._attributions: dict[str, str] = {}

    def heading(self, level: int, title: str, number: str | None) -> None:
        text = escape_heading(title)
        self.lines += ["#" * min(level, 6) + " " + (f"{number} {text}" if number else text), ""]

    def attribution(self, quote: ChapterQuote) -> str:
        if quote.case not in self._attributions:
            text, unmapped = self.attributor.render(quote.case, quote.transcript, quote.attributes)
            self.unmapped.update(f"{item} ({quote.case})" for item in unmapped)
            self._attributions[quote.case] = text
        return self._attributions[quote.case]

    def quote(self, quote: ChapterQuote, place: str) -> None:
        self.lines += _prose(quote.comment)
        marker = " ".join(
            f"{key}={comment_value(value)}"
            for key, value in (
                ("id", quote.id),
                ("transcript", quote.transcript),
                ("case", quote.case),
                ("start", quote.start),
                ("end", quote.end),
                ("sha256", quote.source_sha256),
            )
        )
        self.lines += [f"<!-- {QUOTE_MARK} {marker} -->", ""]
        opening, closing = self.settings.marks
        attribution = self.attribution(quote)
        suffix = escape_inline(closing, line_start=False)
        if attribution:
            suffix += " " + escape_inline(attribution, line_start=False)
        shown = quote.elided or quote.text
        self.lines += block_quote(quote_paragraphs(shown), escape_inline(opening, line_start=False), suffix)
        self.lines.append("")
        key = (quote.transcript, quote.start, quote.end)
        if key in self.first_place:
            ref = self.first_place[key]
            words = self.words["also"] if self.settings.number else self.words["also_unnumbered"]
            self.lines += [words.format(ref=ref), ""]
        else:
            self.first_place[key] = place

    def section(self, section: ChapterSection, level: int) -> None:
        number = self.numbers.get(section.path)
        self.heading(level, section.name, number)
        self.lines += _prose(section.memo)
        if section.compare is not None:
            self.compare_table(section.compare)
        opening, closing = self.settings.marks
        place = number or f"{opening}{escape_inline(section.name, line_start=False)}{closing}"
        for quote in section.quotes:
            self.quote(quote, place)
        for child in section.children:
            self.section(child, level + 1)

    def label(self, key: str) -> str:
        label = self.settings.labels.get(key, key)
        return label[:1].upper() + label[1:]

    def table(self, header: list[str], rows: list[list[str]], right: set[int]) -> None:
        self.lines.append("| " + " | ".join(escape_cell(h) for h in header) + " |")
        self.lines.append("|" + "|".join("--:" if i in right else "---" for i in range(len(header))) + "|")
        for row in rows:
            self.lines.append("| " + " | ".join(escape_cell(c) for c in row) + " |")
        self.lines.append("")

    def compare_table(self, rows: list[CompareRow]) -> None:
        key = self.settings.compare or ""
        words = self.words
        self.table(
            [self.label(key), words["codings"], words["informants"]],
            [
                [
                    map_value(self.settings.values, key, row.value)[0],
                    str(row.codings),
                    f"{row.informants} {words['of']} {row.of}",
                ]
                for row in rows
            ],
            right={1, 2},
        )
        label = escape_inline(self.settings.labels.get(key, key), line_start=False)
        self.lines += [words["compare_caption"].format(label=label), ""]

    def appendix(self) -> None:
        words = self.words
        self.heading(2, words["codebook"], None)
        self.table(
            [words["theme"], words["definition"], words["codings"], words["informants"]],
            [
                [row.path.replace("/", " / "), row.description or "", str(row.codings), str(row.informants)]
                for row in self.data.codebook
            ],
            right={2, 3},
        )
        self.heading(2, words["informants_appendix"], None)
        keys = sorted({k for attrs in self.data.informants.values() for k in attrs})
        self.table(
            [words["case"], *(self.label(k) for k in keys)],
            [[case, *(attrs.get(k, "") for k in keys)] for case, attrs in sorted(self.data.informants.items())],
            right=set(),
        )

    def render(self) -> str:
        settings = self.settings
        header = settings.to_comment_yaml()
        self.lines += [f"<!-- {CHAPTER_MARK}", f"format: {FORMAT}", *header.rstrip("\n").split("\n"), "-->", ""]
        self.heading(1, settings.title or self.words["title"], settings.number)
        self.lines += _prose(self.data.introduction)
        for section in self.data.sections:
            self.section(section, 2)
        if self.data.summary:
            number = f"{settings.number}.{len(self.data.sections) + 1}" if settings.number else None
            self.heading(2, self.words["summary"], number)
            self.lines += _prose(self.data.summary)
        if settings.appendix:
            self.appendix()
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def render_chapter(data: ChapterData) -> tuple[str, list[str]]:
    """The chapter's Markdown, and warnings about values that no value map covers.

    Raises ``WorkbenchError`` when the attribution template names an attribute some quoted case
    lacks (the message lists those cases).
    """
    writer = _Writer(data)
    quoted = {}
    stack = list(data.sections)
    while stack:
        section = stack.pop()
        stack.extend(section.children)
        for quote in section.quotes:
            quoted[quote.case] = quote.attributes
    writer.attributor.check(sorted(quoted.items()))
    markdown = writer.render()
    warnings = [f"no value map entry for {item}; used as stored" for item in sorted(writer.unmapped)]
    return markdown, warnings
