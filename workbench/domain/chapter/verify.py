"""Reading an exported chapter back: its settings and, per provenance marker, the quote under it.

Used by ``verify``. The reader is lenient about what a researcher may have done to the file in an
editor (re-wrapped lines, moved sections, added their own block quotes without a marker): it only
looks at the marker comments and the block quote right after each.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from workbench.domain.chapter.markdown import comment_fields, unescape
from workbench.domain.chapter.render import CHAPTER_MARK, QUOTE_MARK
from workbench.domain.chapter.settings import ChapterSettings, parse_settings
from workbench.domain.elision import ELISION
from workbench.errors import WorkbenchError

_MARKER = re.compile(r"^\s*<!--\s*" + re.escape(QUOTE_MARK) + r"\s+(.*?)\s*-->\s*$")


@dataclass(frozen=True)
class MarkedQuote:
    """A provenance marker and the block quote that follows it."""

    line: int  # 1-based line of the marker
    fields: dict[str, str]  # id, transcript, case, start, end, sha256
    text: str | None  # the block quote's text, unescaped, without the quotation marks
    attribution: str | None  # what follows the closing mark
    problem: str | None = None  # why text is None


def collapse(text: str) -> str:
    """Whitespace runs as single spaces: line breaks are layout, not words."""
    return " ".join(text.split())


def read_settings(markdown: str) -> ChapterSettings:
    """The settings recorded in the chapter's header comment."""
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.strip() == f"<!-- {CHAPTER_MARK}":
            body = []
            for inner in lines[index + 1 :]:
                if inner.strip() == "-->":
                    break
                if not inner.startswith("format:"):
                    body.append(inner)
            else:
                raise WorkbenchError(f"line {index + 1}: the chapter header comment is not closed")
            return ChapterSettings.layered(parse_settings("\n".join(body), source=f"chapter header (line {index + 1})"))
    raise WorkbenchError("no workbench chapter header found; is this a chapter from `workbench export chapter`?")


def _block_quote(lines: list[str], start: int) -> tuple[list[str], int]:
    """Raw lines of the block quote starting at or after ``start`` (blank lines skipped)."""
    index = start
    while index < len(lines) and not lines[index].strip():
        index += 1
    if index >= len(lines) or not lines[index].lstrip().startswith(">"):
        return [], index
    body = []
    while index < len(lines) and lines[index].strip():
        body.append(lines[index])
        index += 1
    return body, index


def _quote_text(raw: list[str]) -> str:
    paragraphs: list[str] = []
    current = ""
    for line in raw:
        stripped = line.lstrip()
        if stripped.startswith(">"):
            stripped = stripped[1:]
            stripped = stripped[1:] if stripped.startswith(" ") else stripped
        if not stripped.strip():
            if current:
                paragraphs.append(current)
            current = ""
            continue
        trailing = len(stripped) - len(stripped.rstrip("\\"))
        hard = trailing % 2 == 1
        piece = unescape(stripped[:-1] if hard else stripped.rstrip())
        current += piece + ("\n" if hard else " ")
    if current:
        paragraphs.append(current)
    return "\n\n".join(p.strip() for p in paragraphs)


def read_quotes(markdown: str, marks: tuple[str, str]) -> list[MarkedQuote]:
    """Every provenance marker in the chapter with the quote below it."""
    lines = markdown.replace("\r\n", "\n").split("\n")
    opening, closing = marks
    found: list[MarkedQuote] = []
    for number, line in enumerate(lines, start=1):
        match = _MARKER.match(line)
        if not match:
            continue
        fields = comment_fields(match.group(1))
        raw, _end = _block_quote(lines, number)
        if not raw:
            found.append(MarkedQuote(number, fields, None, None, "no block quote follows the marker"))
            continue
        text = _quote_text(raw)
        if not text.startswith(opening):
            found.append(MarkedQuote(number, fields, None, None, f"the quote does not start with {opening}"))
            continue
        cut = text.rfind(closing)
        if cut < len(opening):
            found.append(MarkedQuote(number, fields, None, None, f"the quote does not end with {closing}"))
            continue
        found.append(MarkedQuote(number, fields, text[len(opening) : cut], text[cut + len(closing) :].strip()))
    return found


def find_shown(shown: str, text: str) -> bool:
    """Whether a shown quote (cuts marked ``[...]``) is somewhere in ``text``, word for word and
    in order, layout aside: a quote that moved when its transcript was corrected is still found."""
    text = collapse(text)
    parts = [collapse(part) for part in shown.split(ELISION)]
    position = 0
    for part in parts:
        if not part:
            continue
        found = text.find(part, position)
        if found == -1:
            return False
        position = found + len(part)
    return True


def word_diff(shown: str, passage: str) -> list[str]:
    """How the words of a shown quote differ from the passage now in the transcript: one item per
    change ("'manage' is now 'cope with'", "'really' is not in the transcript", "the transcript
    also has 'very'"). Words cut with ``[...]`` are not differences."""
    old, new = shown.split(), passage.split()
    changes: list[str] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        removed, added = old[i1:i2], new[j1:j2]
        if removed == [ELISION] or (removed and all(w == ELISION for w in removed)):
            continue  # the researcher's own cut
        removed = [w for w in removed if w != ELISION]
        if removed and added:
            changes.append(f"{' '.join(removed)!r} is now {' '.join(added)!r}")
        elif removed:
            changes.append(f"{' '.join(removed)!r} is not in the transcript")
        elif added and i1 not in (0, len(old)):  # words outside the quote's ends are not in it
            changes.append(f"the transcript also has {' '.join(added)!r}")
    return changes
