"""Read an HTML document into blocks of text runs, with the standard library's HTML parser.

``html.parser`` is maintained with Python, never fetches anything, never runs scripts and
never expands entities beyond HTML's own named characters, so it is safe on files from
anywhere. This module only turns the tags into a plain structure; what the structure means
(a noScribe transcript, a Taguette document export, any other page) is decided by its callers.

A *block* is a paragraph-like element (``<p>``, ``<div>``, ``<h1>``, ``<li>`` ...); its *runs*
are pieces of text, each with the ``<a name=...>`` anchor it lies in and what kind of text it
is: ``text``, ``break`` (a ``<br>``), ``timestamp`` (a ``<span>`` holding only a time such as
``[00:01:02]``) or ``taglist`` (Taguette's ``<span class="taglist">`` tag labels).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_BLOCKS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li dt dd tr td th blockquote pre section article header footer "
    "main aside nav table ul ol dl figure figcaption address hr body".split()
)
_SKIPPED = frozenset("script style title template noscript svg math object iframe textarea select".split())
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_TIMESTAMP = re.compile(r"\[?\(?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\)?\]?")


@dataclass
class Run:
    """A piece of text inside a block."""

    text: str
    anchor: str | None  # the name of the <a name=...> it lies in
    kind: str = "text"  # "text", "break", "timestamp", "taglist"


@dataclass
class Block:
    """A paragraph-like element and its text runs."""

    tag: str
    runs: list[Run] = field(default_factory=list)

    def text(self, keep: tuple[str, ...] = ("text", "break")) -> str:
        """The block's text: runs of the given kinds, spaces collapsed, a ``<br>`` as a line break."""
        parts = []
        for run in self.runs:
            if run.kind == "break" and "break" in keep:
                parts.append("\n")
            elif run.kind in keep and run.kind != "break":
                parts.append(run.text)
            elif run.kind != "break":
                parts.append(" ")  # a left-out run still separates the words around it
        lines = "".join(parts).split("\n")
        return "\n".join(" ".join(line.split()) for line in lines).strip()


@dataclass
class HtmlDocument:
    """What the parser found: the blocks of the body, the head's ``<meta name=... content=...>``
    entries, the ``<title>``, and whether a Taguette tag-list style or span was seen."""

    blocks: list[Block]
    meta: dict[str, str]
    title: str
    taguette_tags: int  # how many <span class="taglist"> runs were seen
    taguette_style: bool  # the page's style sheet defines Taguette's .taglist (an export with or without highlights)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.meta: dict[str, str] = {}
        self.title_parts: list[str] = []
        self.current = Block("body")
        self.anchors: list[str | None] = []  # the open <a> elements (None: not a named anchor)
        self.spans: list[tuple[int, str]] = []  # open <span>s: (index of their first run, class)
        self.skipping: list[str] = []
        self.in_title = False
        self.taglists = 0
        self.style: list[str] = []

    # --- structure -------------------------------------------------------------------------
    def _close_block(self, tag: str) -> None:
        if any(run.text.strip() or run.kind == "break" for run in self.current.runs):
            self.blocks.append(self.current)
        self.current = Block(tag)
        self.spans = [(0, cls) for _, cls in self.spans]  # spans that cross blocks start afresh

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "meta" and attributes.get("name"):
            self.meta[attributes["name"].strip().lower()] = attributes.get("content", "")
        if tag == "title":
            self.in_title = True
        if self.skipping or tag in _SKIPPED:
            if tag not in _VOID:
                self.skipping.append(tag)
            return
        if tag in _BLOCKS:
            self._close_block(tag)
        elif tag == "br":
            self.current.runs.append(Run("\n", self._anchor(), "break"))
        elif tag == "a":
            self.anchors.append(attributes.get("name") or attributes.get("id") or None)
        elif tag == "span":
            self.spans.append((len(self.current.runs), attributes.get("class", "")))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag in _BLOCKS:
            self._close_block("body")
        elif tag == "a" and self.anchors:
            self.anchors.pop()
        elif tag == "span" and self.spans:
            first, cls = self.spans.pop()
            self._classify_span(self.current.runs[first:], cls)

    def _classify_span(self, runs: list[Run], cls: str) -> None:
        """Mark a span's runs as Taguette tag labels or as a timestamp."""
        if "taglist" in cls.split():
            self.taglists += 1
            for run in runs:
                run.kind = "taglist"
            return
        text = "".join(run.text for run in runs if run.kind == "text").strip()
        if runs and _TIMESTAMP.fullmatch(text) and all(run.kind == "text" for run in runs):
            for run in runs:
                run.kind = "timestamp"

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        if self.skipping and self.skipping[-1] == "style":
            self.style.append(data)
        if self.skipping or not data:
            return
        self.current.runs.append(Run(data, self._anchor()))

    def _anchor(self) -> str | None:
        return next((name for name in reversed(self.anchors) if name), None)


def parse_html(text: str) -> HtmlDocument:
    """Parse HTML text (already decoded) into blocks; never raises on malformed markup."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    reader._close_block("body")
    title = " ".join("".join(reader.title_parts).split())
    return HtmlDocument(reader.blocks, reader.meta, title, reader.taglists, ".taglist" in "".join(reader.style))
