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
from workbench.domain.chapter.cuts import mark_cuts
from workbench.domain.chapter.markdown import (
    block_quote,
    comment_value,
    escape_cell,
    escape_heading,
    escape_inline,
    quote_paragraphs,
)
from workbench.domain.chapter.references import References, section_labels
from workbench.domain.chapter.settings import ChapterSettings
from workbench.domain.chapter.words import WORDS
from workbench.domain.sorting import natural_key

CHAPTER_MARK = "workbench:chapter"
QUOTE_MARK = "workbench:quote"
FORMAT = 1

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
    comment: str | None = None  # printed before the quote
    note_after: str | None = None  # the analysis printed right after the quote


@dataclass
class ChapterSection:
    """A theme's section: its introduction, its quotes, its sub-themes' sections, and its
    closing memo (the synthesis that ends the section)."""

    name: str
    path: str
    memo: str | None = None
    quotes: list[ChapterQuote] = field(default_factory=list)
    children: list[ChapterSection] = field(default_factory=list)
    closing: str | None = None


@dataclass(frozen=True)
class Overview:
    """The --compare overview: per theme of the chapter, informants coded there (sub-themes
    included) per value of the compared attribute, and how many informants have each value."""

    key: str
    base: Mapping[str, int]  # value -> informants with it in the study, in the table's order
    informants: Mapping[str, Mapping[str, int]]  # theme path -> value -> informants coded


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
    overview: Overview | None = None
    codebook: list[CodebookRow] = field(default_factory=list)
    informants: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class RenderedChapter:
    """The chapter's Markdown, its appendices apart (when asked for), and warnings."""

    markdown: str
    appendices: str | None = None
    warnings: list[str] = field(default_factory=list)


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


_REPEATED_WORD = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)


def repeated_word(text: str) -> str | None:
    """A word said twice in a row ("mindre kommun kommun"), as when a value map and the
    template both say it; None when there is none."""
    match = _REPEATED_WORD.search(text)
    return match.group(1) if match else None


def _lookup(attributes: Mapping[str, str], key: str) -> str | None:
    for name, value in attributes.items():
        if name.casefold() == key.casefold():
            return value
    return None


class _Writer:
    def __init__(self, data: ChapterData):
        self.data = data
        self.settings = data.settings
        self.words = {**WORDS[self.settings.lang], **self.settings.words}
        self.attributor = Attributor(parse_template(self.settings.attribution), self.settings.values)
        self.numbers = section_numbers(data.sections, self.settings.number)
        paths = [s.path for s in _walk(data.sections)]
        self.labels = section_labels(paths)
        self.names = {s.path: s.name for s in _walk(data.sections)}
        self.references = References(paths)
        self.lines: list[str] = []
        self.first_place: dict[tuple[str, int, int], str] = {}
        self.unmapped: set[str] = set()
        self.repeated: dict[str, str] = {}
        self._attributions: dict[str, str] = {}
        self.tables = 0

    def heading(self, level: int, title: str, number: str | None, label: str | None = None) -> None:
        text = escape_heading(title)
        line = "#" * min(level, 6) + " " + (f"{number} {text}" if number else text)
        self.lines += [line + (f" {{#{label}}}" if label else ""), ""]

    def reference(self, path: str) -> str:
        """A cross-reference to a section: "section 4.3.2" (or its name in quotation marks)."""
        number = self.numbers.get(path)
        if number:
            shown = self.words["section"].format(number=number)
        else:
            opening, closing = self.settings.marks
            shown = f"{opening}{self.names[path]}{closing}"
        return f"[{escape_inline(shown, line_start=False)}](#{self.labels[path]})"

    def prose(self, text: str | None, where: str) -> list[str]:
        """The researcher's own Markdown, with its cross-references resolved."""
        return _prose(self.references.resolve(text, self.reference, where))

    def attribution(self, quote: ChapterQuote) -> str:
        if quote.case not in self._attributions:
            text, unmapped = self.attributor.render(quote.case, quote.transcript, quote.attributes)
            self.unmapped.update(f"{item} ({quote.case})" for item in unmapped)
            word = repeated_word(text)
            if word and text not in self.repeated:
                self.repeated[text] = word
            self._attributions[quote.case] = text
        return self._attributions[quote.case]

    def quote(self, quote: ChapterQuote, place: str, section: str) -> None:
        self.lines += self.prose(quote.comment, f"the comment on quote #{quote.id} ({section})")
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
        shown = mark_cuts(quote.elided, quote.text, self.settings.cuts) if quote.elided else quote.text
        self.lines += block_quote(quote_paragraphs(shown), escape_inline(opening, line_start=False), suffix)
        self.lines.append("")
        key = (quote.transcript, quote.start, quote.end)
        if key in self.first_place:
            ref = self.first_place[key]
            words = self.words["also"] if self.settings.number else self.words["also_unnumbered"]
            self.lines += [words.format(ref=ref), ""]
        else:
            self.first_place[key] = place
        self.lines += self.prose(quote.note_after, f"the note after quote #{quote.id} ({section})")

    def section(self, section: ChapterSection, level: int) -> None:
        number = self.numbers.get(section.path)
        self.heading(level, section.name, number, self.labels[section.path])
        self.lines += self.prose(section.memo, f"the memo on {section.path}")
        if self.wants_section_table(section):
            self.section_table(section)
        opening, closing = self.settings.marks
        place = number or f"{opening}{escape_inline(section.name, line_start=False)}{closing}"
        for quote in section.quotes:
            self.quote(quote, place, section.path)
        for child in section.children:
            self.section(child, level + 1)
        # The synthesis closes the section, after its sub-sections, as theses do.
        self.lines += self.prose(section.closing, f"the closing memo on {section.path}")

    def label(self, key: str) -> str:
        label = self.settings.labels.get(key, key)
        return label[:1].upper() + label[1:]

    def value(self, key: str, value: str) -> str:
        return map_value(self.settings.values, key, value)[0]

    def caption(self, number: str, text: str) -> None:
        """A numbered caption above its table: a plain paragraph, so any Markdown reader shows
        it as written (Pandoc's ``Table:`` line shows as such outside Pandoc)."""
        self.lines += [f"**{escape_inline(self.words['table'].format(number=number), line_start=False)}** {text}", ""]

    def table(self, header: list[str], rows: list[list[str]], right: set[int]) -> None:
        self.lines.append("| " + " | ".join(escape_cell(h) for h in header) + " |")
        self.lines.append("|" + "|".join("--:" if i in right else "---" for i in range(len(header))) + "|")
        for row in rows:
            self.lines.append("| " + " | ".join(escape_cell(c) for c in row) + " |")
        self.lines.append("")

    def chapter_table_number(self) -> str:
        self.tables += 1
        return f"{self.settings.number}.{self.tables}" if self.settings.number else str(self.tables)

    def overview(self, overview: Overview) -> None:
        """One table of every theme in the chapter against the groups of the compared attribute."""
        words, key = self.words, overview.key
        values = list(overview.base)
        header = [words["theme"]]
        for value in values:
            shown = self.value(key, value)
            shown = shown[:1].upper() + shown[1:]
            header += [words["overview_informants"].format(value=shown), words["overview_quotes"].format(value=shown)]
        rows = []
        for section in _walk(self.data.sections):
            quotes = self.quotes_by_value(section, key)
            number = self.numbers.get(section.path)
            row = [f"{number} {section.name}" if number else section.path.replace("/", " / ")]
            coded = overview.informants.get(section.path, {})
            for value in values:
                row += [f"{coded.get(value, 0)} {words['of']} {overview.base[value]}", str(quotes.get(value, 0))]
            rows.append(row)
        label = escape_inline(self.settings.labels.get(key, key), line_start=False)
        self.caption(self.chapter_table_number(), words["overview_caption"].format(label=label))
        self.table(header, rows, right=set(range(1, len(header))))

    def wants_section_table(self, section: ChapterSection) -> bool:
        """A section's own table, only where it has enough quotes to compare (``compare_sections``)."""
        least = self.settings.compare_sections
        if not least or self.data.overview is None:
            return False
        return sum(len(s.quotes) for s in _walk([section])) >= least

    def quotes_by_value(self, section: ChapterSection, key: str) -> dict[str, int]:
        """The quotes shown in a section and its sub-sections, per value of ``key``."""
        quotes: dict[str, int] = {}
        for quote in (q for s in _walk([section]) for q in s.quotes):
            found = _lookup(quote.attributes, key)
            if found is not None:
                quotes[found] = quotes.get(found, 0) + 1
        return quotes

    def section_table(self, section: ChapterSection) -> None:
        """One section's comparison: a row per value, informants and quotes."""
        overview, words = self.data.overview, self.words
        assert overview is not None
        key = overview.key
        quotes = self.quotes_by_value(section, key)
        coded = overview.informants.get(section.path, {})
        rows = [
            [self.value(key, value), f"{coded.get(value, 0)} {words['of']} {base}", str(quotes.get(value, 0))]
            for value, base in overview.base.items()
        ]
        label = escape_inline(self.settings.labels.get(key, key), line_start=False)
        caption = words["section_caption"].format(theme=escape_inline(section.name, line_start=False), label=label)
        self.caption(self.chapter_table_number(), caption)
        self.table([self.label(key), words["informants"], words["quotes"]], rows, right={1, 2})

    def appendices(self) -> None:
        """The codebook and the informants, each an appendix of its own (level 1, lettered), so
        a word processor files them after the chapter, not inside it."""
        words = self.words
        self.heading(1, words["codebook"], None, "app:codebook")
        self.caption("A.1", words["codebook_caption"])
        self.table(
            [words["theme"], words["definition"], words["codings"], words["informants"]],
            [
                [row.path.replace("/", " / "), row.description or "", str(row.codings), str(row.informants)]
                for row in self.data.codebook
            ],
            right={2, 3},
        )
        self.heading(1, words["informants_appendix"], None, "app:informants")
        self.caption("B.1", words["informants_caption"])
        chosen = self.settings.informant_columns
        if chosen:
            header = [self.label(k) for k in chosen]
            rows = [
                [self.value(k, _lookup(attrs, k) or "") for k in chosen]
                for _case, attrs in sorted(self.data.informants.items(), key=lambda item: natural_key(item[0]))
            ]
        else:
            keys = sorted({k for attrs in self.data.informants.values() for k in attrs})
            header = [words["case"], *(self.label(k) for k in keys)]
            rows = [
                [case, *(self.value(k, attrs[k]) if k in attrs else "" for k in keys)]
                for case, attrs in sorted(self.data.informants.items(), key=lambda item: natural_key(item[0]))
            ]
        self.table(header, rows, right=set())

    def render(self) -> str:
        settings = self.settings
        header = settings.to_comment_yaml()
        self.lines += [f"<!-- {CHAPTER_MARK}", f"format: {FORMAT}", *header.rstrip("\n").split("\n"), "-->", ""]
        self.heading(1, settings.title or self.words["title"], settings.number)
        self.lines += self.prose(self.data.introduction, "the study memo")
        if self.data.overview is not None:
            self.overview(self.data.overview)
        for section in self.data.sections:
            self.section(section, 2)
        if self.data.summary:
            number = f"{settings.number}.{len(self.data.sections) + 1}" if settings.number else None
            self.heading(2, self.words["summary"], number)
            self.lines += self.prose(self.data.summary, "the summary")
        return self.finish()

    def finish(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        text = "\n".join(self.lines) + "\n"
        self.lines = []
        return text

    def warnings(self) -> list[str]:
        warnings = [f"no value map entry for {item}; used as stored" for item in sorted(self.unmapped)]
        warnings += [
            f"the attribution {text!r} says {word!r} twice: the value map and the template both give it"
            for text, word in sorted(self.repeated.items())
        ]
        warnings += [f"cross-reference in {item}" for item in self.references.unknown]
        return warnings


def _walk(sections: list[ChapterSection]):
    for section in sections:
        yield section
        yield from _walk(section.children)


def render_chapter(data: ChapterData, appendix_apart: bool = False) -> RenderedChapter:
    """The chapter's Markdown and warnings (values no map covers, a word said twice in an
    attribution, cross-references to no section). With ``settings.appendix`` the appendices
    follow the chapter, or come back apart (``appendix_apart``) for a file of their own.

    Raises ``WorkbenchError`` when the attribution template names an attribute some quoted case
    lacks (the message lists those cases).
    """
    writer = _Writer(data)
    quoted = {}
    for section in _walk(data.sections):
        for quote in section.quotes:
            quoted[quote.case] = quote.attributes
    writer.attributor.check(sorted(quoted.items()))
    markdown = writer.render()
    appendices = None
    if data.settings.appendix:
        writer.appendices()
        appendices = writer.finish()
        if not appendix_apart:
            markdown, appendices = markdown + "\n" + appendices, None
    return RenderedChapter(markdown, appendices, writer.warnings())
