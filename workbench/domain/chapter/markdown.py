"""Escaping data for Markdown, so it renders literally in CommonMark and in Pandoc's Markdown.

Quotes, theme names, attribute values and table cells are data: whatever they contain (a line
that starts with ``1.`` or ``#``, ``*emphasis*``, ``<script>``, a line of ``---``, a pipe) must
come out as the same text, never as markup. The researcher's own prose (memos, comments) is not
escaped: it is Markdown they wrote.

The rules are deliberately broad (escaping a character that would have been harmless costs
nothing, since CommonMark and Pandoc both accept a backslash before any ASCII punctuation):

- everywhere: ``\\ ` * _ [ ] { } < > # | ~ ^ $ @ &`` get a backslash, and every hyphen of a run
  of two or more (``--`` is a table rule, a thematic break or a typographic dash);
- at the start of a line: ``- + = :`` and the ``.``/``)`` of a list marker (``1.``, ``a)``,
  ``iv.``) or the ``(`` of ``(a)``;
- spaces and tabs at the start or end of a line become character references (``&#32;``,
  ``&#9;``), because Markdown would otherwise drop them.

``unescape`` is the inverse, used when a chapter is read back by ``verify``.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote

ALWAYS = set("\\`*_[]{}<>#|~^$@&")
LINE_START = set("-+=:")
_LIST_MARKER = re.compile(r"(?:\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+)[.)](?=\s|$)")
_PAREN_MARKER = re.compile(r"\((?:\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+|@)\)")
_EDGE_SPACE = {" ": "&#32;", "\t": "&#9;"}
_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def escape_inline(text: str, line_start: bool = True) -> str:
    """Escape one line of text (no newlines) so it renders as itself.

    ``line_start``: the text begins a Markdown line, so block markers at its start are escaped too.
    """
    body = text.strip(" \t")
    lead = text[: len(text) - len(text.lstrip(" \t"))]
    trail = text[len(lead) + len(body) :] if body else ""
    if not body:
        lead, trail = text, ""
    out: list[str] = [_EDGE_SPACE[c] for c in lead]
    marker_end = -1
    if line_start:
        match = _LIST_MARKER.match(body)
        if match:
            marker_end = match.end() - 1  # the index of the '.' or ')'
    for i, char in enumerate(body):
        if char in ALWAYS:
            out.append("\\" + char)
        elif char == "-" and ((i + 1 < len(body) and body[i + 1] == "-") or (i > 0 and body[i - 1] == "-")):
            out.append("\\-")
        elif i == 0 and line_start and (char in LINE_START or (char == "(" and _PAREN_MARKER.match(body))):
            out.append("\\" + char)
        elif i == marker_end:
            out.append("\\" + char)
        else:
            out.append(char)
    out.extend(_EDGE_SPACE[c] for c in trail)
    return "".join(out)


def escape_heading(text: str) -> str:
    """A theme name or title as heading text (one line)."""
    return escape_inline(" ".join(text.split()), line_start=False)


def escape_cell(text: str) -> str:
    """A table cell: one line, pipes escaped, surrounding whitespace dropped."""
    return escape_inline(" ".join(str(text).split()), line_start=False)


def quote_paragraphs(text: str) -> list[str]:
    """Split a passage into the paragraphs of its block quote.

    The passage is stripped of surrounding whitespace; a blank (or whitespace-only) line starts a
    new paragraph; other line breaks stay line breaks. Carriage returns count as line breaks.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.strip():
            paragraphs[-1].append(line)
        elif paragraphs[-1]:
            paragraphs.append([])
    return ["\n".join(lines) for lines in paragraphs if lines]


def block_quote(paragraphs: list[str], prefix: str = "", suffix: str = "") -> list[str]:
    """Markdown lines of a block quote of literal text.

    ``prefix`` and ``suffix`` are already-escaped Markdown put before the first and after the last
    paragraph (the quotation marks and the attribution). Line breaks inside a paragraph become
    hard line breaks (a backslash at the end of the line); paragraphs are separated by ``>``.
    """
    lines: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        if number:
            lines.append(">")
        rows = paragraph.split("\n")
        for index, row in enumerate(rows):
            first_of_quote = number == 0 and index == 0
            escaped = escape_inline(row, line_start=not (first_of_quote and prefix))
            if first_of_quote:
                escaped = prefix + escaped
            if number == len(paragraphs) - 1 and index == len(rows) - 1:
                escaped += suffix
            else:
                escaped += "\\" if index < len(rows) - 1 else ""
            lines.append("> " + escaped)
    return lines


def unescape(text: str) -> str:
    """Undo ``escape_inline``: backslash escapes and character references."""
    parts = []
    position = 0
    # One pass, so an escaped '&' is never read as the start of a reference.
    for match in re.finditer(r"\\([!-/:-@\[-`{-~])|" + _REFERENCE.pattern, text):
        parts.append(text[position : match.start()])
        parts.append(match.group(1) if match.group(1) is not None else html.unescape(match.group(0)))
        position = match.end()
    parts.append(text[position:])
    return "".join(parts)


def comment_value(value: object) -> str:
    """A value for a ``key=value`` list inside an HTML comment: percent-encoded, so it has no
    spaces, and no ``--`` (which would end or break the comment)."""
    encoded = quote(str(value), safe="/:@+,;")
    return encoded.replace("-", "%2D") if "--" in encoded else encoded


def comment_fields(text: str) -> dict[str, str]:
    """Read back the ``key=value`` list written with ``comment_value``."""
    fields = {}
    for item in text.split():
        key, sep, value = item.partition("=")
        if sep:
            fields[key] = unquote(value)
    return fields
