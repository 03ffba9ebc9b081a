"""Write REFI-QDA projects (.qdpx) and codebooks (.qdc) that validate against the official schemas.

Elements come in the order the schemas demand; text sources go into the archive as UTF-8
``sources/GUID.txt`` referred to as ``internal://GUID.txt``. The output depends only on the
RefiProject and the target given (fixed ZIP timestamps, stable order), so the same study exports
to the same bytes.

Positions are written as the target counts them (an ``ExportTarget``: code points or UTF-16 code
units, line ends LF or CRLF in the written files), and the header's ``origin`` says which, so the
workbench reads its own files back exactly. Source texts are streamed into the archive in pieces,
never held encoded in full.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from xml.etree import ElementTree as ET

from workbench.interop.files import write_atomically
from workbench.interop.refi.model import (
    CODEBOOK_NS,
    PROJECT_NS,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSource,
)
from workbench.interop.refi.positions import CODE_POINTS, UTF16, Reading, TextLayout

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest ZIP date: no clock in the output
_CHUNK = 1 << 20  # characters of a source encoded at a time


@dataclass(frozen=True)
class ExportTarget:
    """What the reading tool counts, and the line ends it expects in the source files."""

    name: str
    unit: str = CODE_POINTS
    crlf_files: bool = False  # sources written with CRLF line ends (Windows tools count them)

    @property
    def reading(self) -> Reading:
        return Reading(self.unit, crlf=True, bom=False)

    def layout(self, text: str) -> TextLayout:
        """Where the written file differs from the stored text: every line end, with CRLF."""
        crlf_at = array("q", (m.start() for m in re.finditer("\n", text))) if self.crlf_files else None
        return TextLayout(text, crlf_at)


TARGETS = {
    "standard": ExportTarget("standard"),
    "qualcoder": ExportTarget("qualcoder"),
    "nvivo": ExportTarget("nvivo", UTF16, crlf_files=True),
    "atlas": ExportTarget("atlas", UTF16, crlf_files=True),
    "maxqda": ExportTarget("maxqda", UTF16, crlf_files=True),
}


def xml_datetime(value: str | None) -> str | None:
    """``value`` if it is a valid xsd:dateTime with a date and a time, else None."""
    if not value:
        return None
    try:
        dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if "T" in value else None


# Characters XML 1.0 cannot carry at all (a transcript may hold a stray control character).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with characters XML cannot hold replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def xml_can_hold(text: str) -> bool:
    """Whether ``text`` goes into XML unchanged."""
    return _NOT_XML.search(text) is None


def note_member(note: RefiNote) -> str | None:
    """The archive member that keeps a note's exact text when XML cannot hold it (else None)."""
    return None if xml_can_hold(note.text) else f"sources/{note.guid}.txt"


def _set(element: ET.Element, **attributes: str | None) -> ET.Element:
    for key, value in attributes.items():
        if value is not None:
            element.set(key, xml_safe(value))
    return element


class _Builder:
    def __init__(self, namespace: str):
        self.ns = namespace

    def el(self, parent: ET.Element | None, tag: str, **attributes: str | None) -> ET.Element:
        if parent is None:
            # Plain tags under a literal default namespace: ElementTree's own namespace handling
            # would refuse the schemas' unqualified attributes.
            return _set(ET.Element(tag, xmlns=self.ns), **attributes)
        return _set(ET.SubElement(parent, tag), **attributes)

    def text(self, parent: ET.Element, tag: str, text: str) -> ET.Element:
        element = self.el(parent, tag)
        element.text = xml_safe(text)
        return element

    def code(self, parent: ET.Element, code: RefiCode, with_notes: bool) -> None:
        element = self.el(
            parent,
            "Code",
            guid=code.guid,
            name=code.name,
            isCodable="true" if code.codable else "false",
            color=code.color,
        )
        if code.description:
            self.text(element, "Description", code.description)
        if with_notes:
            for note in code.notes:
                self.el(element, "NoteRef", targetGUID=note)
        for child in code.children:
            self.code(element, child, with_notes)

    def serialise(self, root: ET.Element) -> bytes:
        ET.indent(root, space="  ")
        return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def project_xml(project: RefiProject, target: ExportTarget = TARGETS["standard"]) -> bytes:
    """``project.qde`` for ``project`` (schema order: Users, CodeBook, Variables, Cases, Sources,
    Notes, Description, NoteRef), positions counted as ``target`` counts them."""
    b = _Builder(PROJECT_NS)
    origin = f"{project.origin}; positions: {target.reading.marker()}" if project.origin else None
    root = b.el(None, "Project", name=project.name, origin=origin, creationDateTime=xml_datetime(project.created))
    if project.users:
        users = b.el(root, "Users")
        for user in project.users.values():
            b.el(users, "User", guid=user.guid, name=user.name)
    if project.codes:
        codes = b.el(b.el(root, "CodeBook"), "Codes")
        for code in project.codes:
            b.code(codes, code, with_notes=True)
    if project.variables:
        variables = b.el(root, "Variables")
        for variable in project.variables.values():
            b.el(variables, "Variable", guid=variable.guid, name=variable.name, typeOfVariable=variable.type)
    if project.cases:
        cases = b.el(root, "Cases")
        for case in project.cases:
            element = b.el(cases, "Case", guid=case.guid, name=case.name)
            if case.description:
                b.text(element, "Description", case.description)
            for variable, value in case.values.items():
                holder = b.el(element, "VariableValue")
                b.el(holder, "VariableRef", targetGUID=variable)
                b.text(holder, "TextValue", value)
            for source in case.sources:
                b.el(element, "SourceRef", targetGUID=source)
    if project.sources:
        sources = b.el(root, "Sources")
        for source in project.sources:
            _source(b, sources, source, target)
    if project.notes:
        notes = b.el(root, "Notes")
        for note in project.notes.values():
            _note(b, notes, note)
    if project.description:
        b.text(root, "Description", project.description)
    for note in project.project_notes:
        b.el(root, "NoteRef", targetGUID=note)
    return b.serialise(root)


def _source(b: _Builder, parent: ET.Element, source: RefiSource, target: ExportTarget) -> None:
    member = source.member or f"sources/{source.guid}.txt"
    layout = target.layout(source.text)
    element = b.el(
        parent, "TextSource", guid=source.guid, name=source.name, plainTextPath="internal://" + member.split("/", 1)[-1]
    )
    if source.description:
        b.text(element, "Description", source.description)
    for selection in source.selections:
        item = b.el(
            element,
            "PlainTextSelection",
            guid=selection.guid,
            name=selection.name,
            startPosition=str(layout.to_writer(selection.start, target.reading)),
            endPosition=str(layout.to_writer(selection.end, target.reading)),
            creatingUser=selection.user,
            creationDateTime=xml_datetime(selection.created),
        )
        if selection.description:
            b.text(item, "Description", selection.description)
        for coding in selection.codings:
            _coding(b, item, coding)
        for note in selection.notes:
            b.el(item, "NoteRef", targetGUID=note)
    for coding in source.codings:
        _coding(b, element, coding)
    for note in source.notes:
        b.el(element, "NoteRef", targetGUID=note)


def _coding(b: _Builder, parent: ET.Element, coding: RefiCoding) -> None:
    element = b.el(
        parent, "Coding", guid=coding.guid, creatingUser=coding.user, creationDateTime=xml_datetime(coding.created)
    )
    b.el(element, "CodeRef", targetGUID=coding.code)
    for note in coding.notes:
        b.el(element, "NoteRef", targetGUID=note)


def _note(b: _Builder, parent: ET.Element, note: RefiNote) -> None:
    member = note_member(note)
    element = b.el(
        parent,
        "Note",
        guid=note.guid,
        name=note.name,
        # The exact text, for a reader that takes the file; PlainTextContent shows U+FFFD.
        plainTextPath="internal://" + member.split("/", 1)[1] if member else None,
        creatingUser=note.user,
        creationDateTime=xml_datetime(note.created),
    )
    b.text(element, "PlainTextContent", note.text)


def codebook_xml(project: RefiProject) -> bytes:
    """A ``.qdc`` codebook of ``project.codes`` (codes only: the codebook schema has no notes)."""
    b = _Builder(CODEBOOK_NS)
    root = b.el(None, "CodeBook", origin=project.origin)
    codes = b.el(root, "Codes")
    for code in project.codes:
        b.code(codes, code, with_notes=False)
    return b.serialise(root)


def write_qdpx(project: RefiProject, path: Path | str, target: ExportTarget = TARGETS["standard"]) -> None:
    """Write the project archive: ``project.qde`` and ``sources/GUID.txt`` for every text source
    (and for every note whose text XML cannot hold), positions and line ends as ``target`` expects."""
    qde = project_xml(project, target)

    def entry(archive: zipfile.ZipFile, name: str):
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return archive.open(info, "w")

    def write_text(archive: zipfile.ZipFile, name: str, text: str, crlf: bool) -> None:
        with entry(archive, name) as out:
            for at in range(0, len(text), _CHUNK):
                piece = text[at : at + _CHUNK]
                out.write((piece.replace("\n", "\r\n") if crlf else piece).encode("utf-8"))

    def write(out: BinaryIO) -> None:
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            with entry(archive, "project.qde") as member:
                member.write(qde)
            for source in project.sources:
                write_text(archive, source.member or f"sources/{source.guid}.txt", source.text, target.crlf_files)
            for note in project.notes.values():
                if note_member(note):
                    write_text(archive, note_member(note), note.text, False)

    write_atomically(path, write)


def write_qdc(project: RefiProject, path: Path | str) -> None:
    """Write the codebook file."""
    data = codebook_xml(project)
    write_atomically(path, data)
