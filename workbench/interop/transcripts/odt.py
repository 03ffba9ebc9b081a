"""Read the paragraphs of an OpenDocument text (.odt), as LibreOffice and OpenOffice write it.

An .odt is a ZIP archive whose ``content.xml`` holds the text. It is opened with the same
hostile-input checks as a REFI-QDA project (``safe_zip``: no path tricks, no zip bombs, sizes
capped on the bytes actually inflated) and its XML parsed with defusedxml (no DTD, no entities,
no network), so reading one needs no library beyond those the workbench already has.

Paragraphs and headings are read in document order, inside lists, tables and sections too.
Spaces written as ``<text:s text:c="3"/>``, tabs and line breaks are kept (other runs of white
space in the XML count as one space, as the standard says); comments
(``office:annotation``), footnotes and endnotes, deleted text kept for tracked changes, and
text in drawings and frames are left out: they are not what was said.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element

from workbench.errors import InputError
from workbench.interop.decode import MAX_TRANSCRIPT_BYTES
from workbench.interop.safe_zip import SafeArchive, parse_xml

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_MIMETYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template")

_PARAGRAPHS = {f"{{{_TEXT}}}p", f"{{{_TEXT}}}h"}
_LEFT_OUT = {
    f"{{{_OFFICE}}}annotation",
    f"{{{_OFFICE}}}annotation-end",
    f"{{{_TEXT}}}note",
    f"{{{_TEXT}}}tracked-changes",
    f"{{{_TEXT}}}ruby-text",
}
_DRAWING = "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
_WHITESPACE = re.compile(r"[ \t\r\n]+")
_SPACE, _TAB, _BREAK = f"{{{_TEXT}}}s", f"{{{_TEXT}}}tab", f"{{{_TEXT}}}line-break"


def read_odt_paragraphs(path: Path | str) -> list[str]:
    """The document's non-empty paragraphs in reading order.

    Raises ``InputError`` naming the file when it is not an OpenDocument text or is damaged.
    """
    path = Path(path)
    source = str(path)
    if not zipfile.is_zipfile(path):
        raise InputError("not an OpenDocument text (.odt): not a ZIP archive", source)
    with SafeArchive(path) as archive:
        mimetype = archive.find("mimetype")
        if mimetype is not None:
            kind = archive.read(mimetype, limit=200).decode("ascii", "replace").strip()
            if kind not in _MIMETYPES:
                shown = "".join(ch if ch.isprintable() else "?" for ch in kind)[:80] or "unnamed"
                raise InputError(f"not an OpenDocument text (.odt): the archive is {shown}", source)
        content = archive.find("content.xml")
        if content is None:
            raise InputError("not an OpenDocument text (.odt): it has no content.xml", source)
        data = archive.read(content, limit=MAX_TRANSCRIPT_BYTES)
    root = parse_xml(data, f"{source}/content.xml").root
    body = root.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}text")
    if body is None:
        raise InputError("not an OpenDocument text (.odt): content.xml has no text body", source)
    paragraphs: list[str] = []
    try:
        _collect(body, paragraphs)
    except RecursionError:  # thousands of nested spans: no word processor writes that
        raise InputError("not an OpenDocument text (.odt): its text is nested too deeply", source) from None
    return [p for p in paragraphs if p.strip()]


def _collect(element: Element, paragraphs: list[str]) -> None:
    """Find paragraphs below ``element`` (lists, tables, sections), in order."""
    for child in element:
        if child.tag in _LEFT_OUT or child.tag.startswith(f"{{{_DRAWING}}}"):
            continue
        if child.tag in _PARAGRAPHS:
            parts: list[str] = []
            _inline(child, parts)
            # White space from the XML at either end is layout; written spaces (NUL here) are text.
            paragraphs.append("".join(parts).strip(" ").replace("\x00", " "))
        else:
            _collect(child, paragraphs)


def _inline(element: Element, parts: list[str]) -> None:
    """The text of a paragraph: its own text, spans and links, written spaces, tabs, breaks."""
    if element.text:
        parts.append(_collapse(element.text))
    for child in element:
        if child.tag == _SPACE:
            count = child.get(f"{{{_TEXT}}}c", "1")
            parts.append("\x00" * (int(count) if count.isdigit() and int(count) < 1000 else 1))
        elif child.tag == _TAB:
            parts.append("\t")
        elif child.tag == _BREAK:
            parts.append("\n")
        elif child.tag not in _LEFT_OUT and not child.tag.startswith(f"{{{_DRAWING}}}"):
            _inline(child, parts)
        if child.tail:
            parts.append(_collapse(child.tail))


def _collapse(text: str) -> str:
    """ODF's white-space rule: a run of spaces, tabs and newlines in the XML is one space (the
    document's own extra spaces, tabs and breaks are elements, handled above)."""
    return _WHITESPACE.sub(" ", text)
