"""Read REFI-QDA projects (.qdpx) and codebooks (.qdc), tolerating what real tools write.

Tolerated, because tools in use write it: the namespaces ``urn:QDA-XML:project:1.0``, ``:0:4``,
``:1:0`` or none; ``Sources/`` or ``sources/``; ``plainTextPath`` with or without ``internal://``;
sources without a name; byte-order marks and CRLF line ends in source texts; GUIDs that break the
schema's pattern, or are used twice (a warning). Selection positions are converted from the
writer's way of counting to the study's (``positions.choose_reading``: from the header, and where
that leaves a choice, from evidence); ``RefiProject.reading`` says which reading and why.

Everything the workbench cannot hold (pictures, PDFs, audio, video, sets, links, graphs, empty
sources, codings that point nowhere) is listed in ``RefiProject.skipped``; nothing is dropped
without a line in that list.
"""

from __future__ import annotations

import codecs
import re
from array import array
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element

from workbench.errors import InputError
from workbench.interop.decode import MAX_TRANSCRIPT_BYTES
from workbench.interop.files import read_user_file
from workbench.interop.refi.model import (
    GUID_PATTERN,
    RefiCase,
    RefiCode,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiVariable,
    Skipped,
)
from workbench.interop.refi.positions import TextLayout, choose_reading
from workbench.interop.safe_zip import DEFAULT_LIMITS, SafeArchive, XmlDocument, ZipLimits, parse_xml

MAX_XML_BYTES = 100 * 1024 * 1024
MAX_CODE_DEPTH = 100

_MEDIA = {"PictureSource": "picture", "PDFSource": "pdf", "AudioSource": "audio", "VideoSource": "video"}
_VALUE_ELEMENTS = ("TextValue", "BooleanValue", "IntegerValue", "FloatValue", "DateValue", "DateTimeValue")
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _local(element: Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag.rsplit("}", 1)[-1]


def _namespace(element: Element) -> str:
    tag = element.tag if isinstance(element.tag, str) else ""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _kids(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child) == name]


def _kid(element: Element | None, name: str) -> Element | None:
    if element is None:
        return None
    return next((child for child in element if _local(child) == name), None)


def _text_of(element: Element | None) -> str | None:
    if element is None:
        return None
    text = "".join(element.itertext())
    return text if text.strip() else None


def _clean(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _guid_key(value: str | None) -> str:
    """GUIDs compare without braces and case (tools write both forms)."""
    return (value or "").strip().strip("{}").lower()


def decode_source(read_chunks: Callable[[], Iterable[bytes]]) -> tuple[str, str | None, bool, array]:
    """A source file's text as the study stores it, decoded piece by piece as it is inflated:
    UTF-8 as the standard says (a byte-order mark is dropped; UTF-16/32 with a mark are read
    too), CRLF and lone CR made ``\\n``. Returns ``(text, warning, had_bom, crlf_at)``, where
    ``crlf_at`` says where the CRLFs were (for the positions). Windows-1252 is the fallback,
    with a warning. At no time are the bytes, or the text, held twice over."""
    try:
        return _with_warning(_decode_pieces(read_chunks(), None), None)
    except UnicodeDecodeError:
        return _with_warning(
            _decode_pieces(read_chunks(), "cp1252"), "is not UTF-8 as the standard requires; read as Windows-1252"
        )


def _with_warning(decoded: tuple[str, bool, array], warning: str | None) -> tuple[str, str | None, bool, array]:
    text, bom, crlf_at = decoded
    return text, warning, bom, crlf_at


def _decode_pieces(chunks: Iterable[bytes], forced: str | None) -> tuple[str, bool, array]:
    pieces: list[str] = []
    crlf_at = array("q")
    length, pending_cr, decoder, bom = 0, False, None, False
    for chunk in chunks:
        if decoder is None:
            codec, skip = forced or "utf-8", 0
            for mark, name in _BOMS if forced is None else ():
                if chunk.startswith(mark):
                    codec, skip, bom = name, len(mark), True
                    break
            strict = codec == "utf-8" and forced is None and not bom
            decoder = codecs.getincrementaldecoder(codec)("strict" if strict else "replace")
            chunk = chunk[skip:]
        piece = ("\r" if pending_cr else "") + decoder.decode(chunk)
        pending_cr = piece.endswith("\r")  # its LF may open the next piece
        if pending_cr:
            piece = piece[:-1]
        length = _append_normalised(piece, pieces, crlf_at, length)
    if decoder is not None:
        tail = ("\r" if pending_cr else "") + decoder.decode(b"", final=True)
        _append_normalised(tail, pieces, crlf_at, length)
    text = "".join(pieces)
    return text, bom, crlf_at


def _append_normalised(piece: str, pieces: list[str], crlf_at: array, length: int) -> int:
    if "\r" in piece:
        crlf_at.extend(length + match.start() - n for n, match in enumerate(re.finditer("\r\n", piece)))
        piece = piece.replace("\r\n", "\n").replace("\r", "\n")
    pieces.append(piece)
    return length + len(piece)


@dataclass
class _SourceText:
    text: str
    layout: TextLayout
    member: str | None


class _ProjectReader:
    """Turns a parsed project.qde (or codebook) into a RefiProject."""

    def __init__(self, doc: XmlDocument, source: str, archive: SafeArchive | None = None):
        self.doc = doc
        self.source = source
        self.archive = archive
        self.project = RefiProject()
        self.bad_guids: list[str] = []
        self.code_guids: set[str] = set()
        self.used_members: set[str] = set()
        self.selection_guids: set[str] = set()
        self.source_guids: set[str] = set()
        self.duplicates: Counter[str] = Counter()

    # -- helpers -------------------------------------------------------------------------------

    def at(self, element: Element) -> str:
        line = self.doc.line(element)
        return f"line {line}" if line else "here"

    def skip(self, kind: str, name: str, reason: str) -> None:
        self.project.skipped.append(Skipped(kind, name, reason))

    def guid(self, element: Element, attribute: str = "guid") -> str:
        raw = (element.get(attribute) or "").strip()
        if not raw:
            return f"missing-guid-{self.doc.line(element) or id(element)}"
        if not GUID_PATTERN.fullmatch(raw):
            self.bad_guids.append(raw)
        return _guid_key(raw)

    def ref(self, element: Element | None) -> str | None:
        if element is None or not (element.get("targetGUID") or "").strip():
            return None
        return _guid_key(element.get("targetGUID"))

    # -- the whole project ---------------------------------------------------------------------

    def read_project(self) -> RefiProject:
        root, project = self.doc.root, self.project
        project.name = _clean(root.get("name")) or "project"
        project.origin = root.get("origin")
        project.created = root.get("creationDateTime")
        handled = {"Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Description", "NoteRef"}
        for users in _kids(root, "Users"):
            for user in _kids(users, "User"):
                guid = self.guid(user)
                name = _clean(user.get("name")) or _clean(user.get("id")) or f"user {guid[:8]}"
                project.users[guid] = RefiUser(guid, name)
        codebook = _kid(root, "CodeBook")
        if codebook is not None:
            self.read_codes(codebook)
        for variables in _kids(root, "Variables"):
            for variable in _kids(variables, "Variable"):
                guid = self.guid(variable)
                project.variables[guid] = RefiVariable(
                    guid,
                    _clean(variable.get("name")) or f"variable {guid[:8]}",
                    variable.get("typeOfVariable") or "Text",
                    _text_of(_kid(variable, "Description")),
                )
        for cases in _kids(root, "Cases"):
            for case in _kids(cases, "Case"):
                self.read_case(case)
        for notes in _kids(root, "Notes"):
            for note in _kids(notes, "Note"):
                self.read_note(note)
        for sources in _kids(root, "Sources"):
            for source in sources:
                kind = _local(source)
                if kind == "TextSource":
                    self.read_source(source)
                elif kind in _MEDIA:
                    self.skip_media(source, _MEDIA[kind])
        project.description = _text_of(_kid(root, "Description"))
        project.project_notes = [r for r in map(self.ref, _kids(root, "NoteRef")) if r]
        for kind, item in (("Links", "link"), ("Sets", "set"), ("Graphs", "graph")):
            for group in _kids(root, kind):
                for element in group:
                    name = _clean(element.get("name")) or f"{item} at {self.at(element)}"
                    self.skip(item, name, f"{item}s are not supported by the workbench")
        for element in root:
            if _local(element) not in handled | {"Links", "Sets", "Graphs"}:
                self.skip("element", _local(element), f"<{_local(element)}> is not part of REFI-QDA 1.0; ignored")
        self.place_selections()
        self.check_references()
        self.finish()
        return project

    def finish(self) -> None:
        for kind, count in sorted(self.duplicates.items()):
            self.project.warnings.append(
                f"{count} {kind} GUID(s) are used more than once; each {kind} is read on its own, "
                "but other tools may merge or drop them"
            )
        if self.bad_guids:
            examples = ", ".join(repr(g) for g in self.bad_guids[:3])
            self.project.warnings.append(
                f"{len(self.bad_guids)} GUID(s) do not follow the REFI-QDA pattern (e.g. {examples}); read anyway"
            )

    # -- codes ---------------------------------------------------------------------------------

    def read_codes(self, codebook: Element) -> None:
        codes = _kid(codebook, "Codes")
        if codes is None:
            return
        self.project.codes = [self.read_code(code, 1) for code in _kids(codes, "Code")]
        for kind in ("Sets",):
            for group in _kids(codebook, kind):
                for element in group:
                    name = _clean(element.get("name")) or f"set at {self.at(element)}"
                    self.skip("set", name, "sets of codes are not supported by the workbench")

    def read_code(self, element: Element, depth: int) -> RefiCode:
        if depth > MAX_CODE_DEPTH:
            raise InputError(f"codes are nested more than {MAX_CODE_DEPTH} levels deep", where=self._where(element))
        guid = self.guid(element)
        if guid in self.code_guids:
            self.project.warnings.append(
                f"{self._where(element)}: code GUID {guid!r} is used twice; codings go to the first"
            )
        self.code_guids.add(guid)
        name = element.get("name")
        if not (name or "").strip():
            name = f"code {guid[:8]}"
            self.project.warnings.append(f"{self._where(element)}: a code without a name is called {name!r}")
        codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
        return RefiCode(
            guid=guid,
            name=name,
            color=(element.get("color") or "").strip() or None,
            description=_text_of(_kid(element, "Description")),
            codable=codable,
            children=[self.read_code(child, depth + 1) for child in _kids(element, "Code")],
            notes=[r for r in map(self.ref, _kids(element, "NoteRef")) if r],
            line=self.doc.line(element),
        )

    def _where(self, element: Element) -> str:
        line = self.doc.line(element)
        return f"{self.source}:{line}" if line else self.source

    # -- cases and notes -----------------------------------------------------------------------

    def values(self, element: Element) -> dict[str, str]:
        found: dict[str, str] = {}
        for value in _kids(element, "VariableValue"):
            variable = self.ref(_kid(value, "VariableRef"))
            holder = next((_kid(value, name) for name in _VALUE_ELEMENTS if _kid(value, name) is not None), None)
            if variable is None:
                self.skip("value", f"value at {self.at(value)}", "has no VariableRef")
                continue
            found[variable] = "".join(holder.itertext()).strip() if holder is not None else ""
        return found

    def read_case(self, element: Element) -> None:
        guid = self.guid(element)
        case = RefiCase(
            guid=guid,
            name=_clean(element.get("name")) or f"case {guid[:8]}",
            description=_text_of(_kid(element, "Description")),
            values=self.values(element),
            sources=[r for r in map(self.ref, _kids(element, "SourceRef")) if r],
            line=self.doc.line(element),
        )
        codes, selections = _kids(element, "CodeRef"), _kids(element, "SelectionRef")
        if codes:
            self.skip(
                "case coding", case.name, f"{len(codes)} code(s) applied to the case as a whole are not supported"
            )
        if selections:
            self.skip(
                "case selection", case.name, f"{len(selections)} selection(s) linked to the case are not supported"
            )
        self.project.cases.append(case)

    def read_note(self, element: Element) -> None:
        guid = self.guid(element)
        name = _clean(element.get("name"))
        text = self.source_text(element, "note", name or guid, prefer_file=True)
        self.project.notes[guid] = RefiNote(
            guid,
            name,
            text.text if text else "",
            _guid_key(element.get("creatingUser")) or None,
            element.get("creationDateTime"),
            self.doc.line(element),
        )

    # -- sources -------------------------------------------------------------------------------

    def source_text(self, element: Element, kind: str, name: str, prefer_file: bool = False) -> _SourceText | None:
        """The plain text of a source or note, from PlainTextContent or the archive; None if
        absent. ``prefer_file``: a note with both reads the file (its exact text, which may hold
        characters XML cannot)."""
        content = _kid(element, "PlainTextContent")
        if content is not None and not (prefer_file and (element.get("plainTextPath") or "").strip()):
            inline = "".join(content.itertext())
            return _SourceText(inline, TextLayout(inline), None)
        path = (element.get("plainTextPath") or "").strip()
        if not path:
            rich = element.get("richTextPath")
            why = f"has only a rich-text version ({rich}), no plain text" if rich else "has no text"
            self.skip(kind, name, why)
            return None
        member = self.member(path)
        if member is None:
            where = (
                "outside the project file"
                if "://" in path and not path.startswith("internal://")
                else "missing from the archive"
            )
            self.skip(kind, name, f"its text {path!r} is {where}; not read")
            return None
        self.used_members.add(member)
        if self.archive.size(member) > MAX_TRANSCRIPT_BYTES:
            self.skip(kind, name, f"its text is larger than {MAX_TRANSCRIPT_BYTES // 2**20} MB")
            return None
        text, warning, bom, crlf_at = decode_source(lambda: self.archive.chunks(member))
        if warning:
            self.project.warnings.append(f"{member} {warning}")
        if "\x00" in text:
            self.skip(kind, name, f"{member} is not text (NUL characters)")
            return None
        return _SourceText(text, TextLayout(text, crlf_at, bom), member)

    def member(self, path: str) -> str | None:
        """The archive member holding ``path`` (internal://x, sources/x or x); never a file outside."""
        if self.archive is None:
            return None
        if path.startswith("internal://"):
            path = path[len("internal://") :]
        elif "://" in path:  # absolute:// and relative:// point at the sender's disk
            return None
        path = path.replace("\\", "/").lstrip("/")
        return self.archive.find(f"sources/{path}") or self.archive.find(path)

    def read_source(self, element: Element) -> None:
        guid = self.guid(element)
        if guid in self.source_guids:
            self.duplicates["source"] += 1
        self.source_guids.add(guid)
        path = element.get("plainTextPath") or ""
        stem = PurePosixPath(path.replace("internal://", "").replace("\\", "/")).stem if path else ""
        name = _clean(element.get("name")) or _clean(stem) or f"source {guid[:8]}"
        if element.get("richTextPath"):
            rich = self.member(element.get("richTextPath"))
            if rich:
                self.used_members.add(rich)
        selections = _kids(element, "PlainTextSelection")
        codings = sum(len(_kids(s, "Coding")) for s in selections) + len(_kids(element, "Coding"))
        text = self.source_text(element, "source", name)
        if text is None:
            if codings:
                self.skip("coding", name, f"{codings} coding(s) of this source not imported: it has no text")
            return
        if not text.text.strip():
            lost = f"; its {codings} coding(s) with it" if codings else ""
            self.skip("source", name, f"empty source (no text){lost}")
            return
        source = RefiSource(
            guid=guid,
            name=name,
            text=text.text,
            member=text.member,
            layout=text.layout,
            description=_text_of(_kid(element, "Description")),
            notes=[r for r in map(self.ref, _kids(element, "NoteRef")) if r],
            values=self.values(element),
            line=self.doc.line(element),
        )
        for selection in selections:
            self.read_selection(selection, source)
        source.codings = self.read_codings(element, source.name)
        self.project.sources.append(source)

    def read_selection(self, element: Element, source: RefiSource) -> None:
        """A selection with its positions as written; ``place_selections`` converts them."""
        label = f"{source.name}, selection at {self.at(element)}"
        try:
            raw_start, raw_end = int(element.get("startPosition", "")), int(element.get("endPosition", ""))
        except ValueError:
            self.skip("selection", label, "startPosition or endPosition is not a whole number")
            return
        guid = self.guid(element)
        if guid in self.selection_guids:
            self.duplicates["selection"] += 1
        self.selection_guids.add(guid)
        source.selections.append(
            RefiSelection(
                guid=guid,
                start=raw_start,
                end=raw_end,
                name=element.get("name"),
                user=_guid_key(element.get("creatingUser")) or None,
                created=element.get("creationDateTime"),
                description=_text_of(_kid(element, "Description")),
                codings=self.read_codings(element, label),
                notes=[r for r in map(self.ref, _kids(element, "NoteRef")) if r],
                line=self.doc.line(element),
            )
        )

    def place_selections(self) -> None:
        """Convert every selection from the writer's positions to the study's, in the reading
        the header and the evidence choose; selections that fit no text are reported."""
        project = self.project
        spans = [(s.text, s.layout, [(x.start, x.end) for x in s.selections]) for s in project.sources]
        choice = choose_reading(project.origin, spans)
        project.reading = choice
        if choice.warning:
            project.warnings.append(choice.warning)
        for source in project.sources:
            kept = []
            for selection in source.selections:
                start = source.layout.to_study(selection.start, choice.reading)
                end = source.layout.to_study(selection.end, choice.reading)
                if start is None or end is None or not start < end:
                    self.skip(
                        "selection",
                        f"{source.name}, selection at line {selection.line}",
                        f"positions {selection.start}..{selection.end} are empty, outside the text or inside a "
                        f"character when read as {choice.reading.describe()}"
                        + (f"; its {len(selection.codings)} coding(s) with it" if selection.codings else ""),
                    )
                    continue
                selection.start, selection.end = start, end
                kept.append(selection)
            source.selections = kept

    def read_codings(self, element: Element, label: str) -> list[RefiCoding]:
        codings = []
        for coding in _kids(element, "Coding"):
            code = self.ref(_kid(coding, "CodeRef"))
            if code is None:
                self.skip("coding", label, f"the coding at {self.at(coding)} has no CodeRef")
                continue
            codings.append(
                RefiCoding(
                    guid=self.guid(coding),
                    code=code,
                    user=_guid_key(coding.get("creatingUser")) or None,
                    created=coding.get("creationDateTime"),
                    notes=[r for r in map(self.ref, _kids(coding, "NoteRef")) if r],
                    line=self.doc.line(coding),
                )
            )
        return codings

    def skip_media(self, element: Element, kind: str) -> None:
        name = _clean(element.get("name")) or _clean(element.get("path")) or f"{kind} at {self.at(element)}"
        codings = sum(1 for e in element.iter() if _local(e) == "Coding")
        lost = f"; its {codings} coding(s) with it" if codings else ""
        self.skip(kind, name, f"{kind} sources are not supported by the workbench{lost}")
        for attribute in ("path", "currentPath"):
            member = self.member(element.get(attribute) or "") if element.get(attribute) else None
            if member:
                self.used_members.add(member)

    # -- consistency ---------------------------------------------------------------------------

    def check_references(self) -> None:
        """Codings that point at no code, and notes that are missing, go to the loss report."""
        project = self.project
        for source in project.sources:
            for owner, label in [
                (source, source.name),
                *((s, f"{source.name}, selection at line {s.line}") for s in source.selections),
            ]:
                kept = []
                for coding in owner.codings:
                    if coding.code in self.code_guids:
                        kept.append(coding)
                    else:
                        self.skip("coding", label, f"refers to code {coding.code!r}, which is not in the codebook")
                owner.codings = kept
        known = set(project.notes)
        missing = sorted({ref for ref in self._note_refs() if ref not in known})
        for ref in missing:
            self.skip("note", ref, "a NoteRef points at a note that is not in the project")

    def _note_refs(self):
        project = self.project
        yield from project.project_notes
        for _, code in project.iter_codes():
            yield from code.notes
        for source in project.sources:
            yield from source.notes
            for coding in source.codings:
                yield from coding.notes
            for selection in source.selections:
                yield from selection.notes
                for coding in selection.codings:
                    yield from coding.notes


def _root_check(doc: XmlDocument, expected: tuple[str, ...], source: str) -> None:
    local, namespace = _local(doc.root), _namespace(doc.root)
    if local not in expected:
        raise InputError(
            f"is not a REFI-QDA {'project' if 'Project' in expected else 'codebook'} (its root element is <{local}>)",
            where=source,
        )
    if namespace and not namespace.startswith("urn:QDA-XML:"):
        raise InputError(f"has the unknown XML namespace {namespace!r}; expected urn:QDA-XML:...", where=source)


def read_qdpx(path: Path | str, limits: ZipLimits = DEFAULT_LIMITS) -> RefiProject:
    """Read a REFI-QDA project archive; raises ``InputError`` for unsafe or unreadable files."""
    path = Path(path)
    with SafeArchive(path, limits) as archive:
        qde = archive.find("project.qde") or next(
            (n for n in archive.names() if n.lower().endswith(".qde") and "/" not in n.strip("/")), None
        )
        if qde is None:
            raise InputError("has no project.qde: this is not a REFI-QDA project", where=str(path))
        source = f"{path}:{qde}"
        doc = parse_xml(archive.read(qde, limit=MAX_XML_BYTES), source)
        _root_check(doc, ("Project",), source)
        reader = _ProjectReader(doc, source, archive)
        project = reader.read_project()
        for name in sorted(archive.names()):
            if name != qde and name not in reader.used_members:
                project.skipped.append(Skipped("file", name, "in the archive but not used by project.qde"))
    return project


def read_qdc(path: Path | str) -> RefiProject:
    """Read a REFI-QDA codebook (.qdc): a RefiProject with only codes (and its warnings)."""
    path = Path(path)
    doc = parse_xml(read_user_file(path, "codebook", MAX_XML_BYTES), str(path))
    _root_check(doc, ("CodeBook", "Project"), str(path))
    reader = _ProjectReader(doc, str(path))
    if _local(doc.root) == "Project":
        reader.project.warnings.append("this is a project file, not a codebook; only its codes were read")
        codebook = _kid(doc.root, "CodeBook")
        if codebook is not None:
            reader.read_codes(codebook)
    else:
        reader.read_codes(doc.root)
    reader.finish()
    return reader.project
