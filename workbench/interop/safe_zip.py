"""Open untrusted exchange files: REFI-QDA archives (.qdpx, a ZIP) and their XML.

A project file comes from someone else's computer, so it is read as hostile input:

- the archive is checked as a whole before anything in it is read: member names that would
  leave a folder (``..``, absolute paths, drive letters), symbolic links, duplicate names,
  encrypted members, too many members, too much uncompressed data and members that expand far
  more than text does (zip bombs) are refused;
- members are only ever read into memory, with a size cap enforced on the bytes actually
  inflated (the sizes in a ZIP header can lie); nothing is extracted to disk;
- XML is parsed with defusedxml: a document type declaration (``<!DOCTYPE``) is refused, and
  with it entity expansion ("billion laughs"), external entities (``file:///etc/passwd``) and
  any network access.

Every refusal is an ``InputError`` naming the file, on one line.
"""

from __future__ import annotations

import re
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

import defusedxml.ElementTree as defused_et
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from workbench.errors import InputError


@dataclass(frozen=True)
class ZipLimits:
    """How much an archive may hold. The defaults are far above any real QDA project's text."""

    max_members: int = 10_000
    max_member_bytes: int = 100 * 1024 * 1024  # one member read into memory
    max_total_bytes: int = 4 * 1024 * 1024 * 1024  # all members together, as declared
    max_read_bytes: int = 512 * 1024 * 1024  # everything actually read from one archive
    max_ratio: int = 100  # uncompressed / compressed; text rarely passes 10
    ratio_floor: int = 1024 * 1024  # members smaller than this may compress any amount


DEFAULT_LIMITS = ZipLimits()

_DRIVE = re.compile(r"^[A-Za-z]:")
_CHUNK = 1024 * 1024


def _unsafe_reason(name: str) -> str | None:
    """Why a member name could write or read outside the archive's own folder (None: it is safe)."""
    if "\x00" in name:
        return "contains a NUL character"
    normalised = name.replace("\\", "/")
    if normalised.startswith("/"):
        return "is an absolute path"
    if _DRIVE.match(normalised):
        return "starts with a drive letter"
    if any(part == ".." for part in normalised.split("/")):
        return "climbs out of the archive with '..'"
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    # Unix permissions live in the high 16 bits of external_attr when the archive was made on Unix.
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


class SafeArchive:
    """A checked, read-only view of a ZIP archive. Use as a context manager.

    Member lookups ignore case and a leading ``./`` (real projects use both ``Sources/`` and
    ``sources/``).
    """

    def __init__(self, path: Path | str, limits: ZipLimits = DEFAULT_LIMITS):
        self.path = Path(path)
        self.limits = limits
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise InputError("file not found", where=str(self.path)) from None
        except IsADirectoryError:
            raise InputError("is a folder, not a project file", where=str(self.path)) from None
        except zipfile.BadZipFile:
            raise InputError("is not a ZIP archive (a .qdpx project is a ZIP file)", where=str(self.path)) from None
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}", where=str(self.path)) from None
        try:
            self._index = self._check(self._zip.infolist())
        except BaseException:
            self._zip.close()
            raise

    def _fail(self, message: str) -> InputError:
        return InputError(message, where=str(self.path))

    def _check(self, infos: list[zipfile.ZipInfo]) -> dict[str, zipfile.ZipInfo]:
        limits = self.limits
        if len(infos) > limits.max_members:
            raise self._fail(f"the archive has {len(infos):,} members (limit {limits.max_members:,}); refused")
        index: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            reason = _unsafe_reason(info.filename)
            if reason:
                raise self._fail(f"member {info.filename!r} {reason}; the archive is refused")
            if _is_symlink(info):
                raise self._fail(f"member {info.filename!r} is a symbolic link; the archive is refused")
            if info.is_dir():
                continue
            key = _key(info.filename)
            if key in index:
                raise self._fail(f"member {info.filename!r} appears twice in the archive; refused")
            index[key] = info
            total += info.file_size
            if total > limits.max_total_bytes:
                raise self._fail(
                    f"the archive would expand to more than {limits.max_total_bytes // 2**20:,} MB; refused"
                )
            if info.file_size > limits.ratio_floor:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_ratio:
                    raise self._fail(
                        f"member {info.filename!r} expands {ratio:,.0f} times (limit {limits.max_ratio}): "
                        "this looks like a zip bomb; refused"
                    )
        return index

    def __enter__(self) -> SafeArchive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        """The file members' names, as stored."""
        return [info.filename for info in self._index.values()]

    def find(self, name: str) -> str | None:
        """The stored name of a member, matched ignoring case and a leading './' (None if absent)."""
        info = self._index.get(_key(name))
        return info.filename if info else None

    def size(self, name: str) -> int:
        """The declared uncompressed size of a member."""
        return self._info(name).file_size

    def _info(self, name: str) -> zipfile.ZipInfo:
        info = self._index.get(_key(name))
        if info is None:
            raise self._fail(f"has no member {name!r}")
        return info

    def read(self, name: str, limit: int | None = None) -> bytes:
        """A member's bytes, never more than ``limit`` (default: the member limit)."""
        return b"".join(self.chunks(name, limit))

    def chunks(self, name: str, limit: int | None = None) -> Iterator[bytes]:
        """A member's bytes in pieces as they are inflated (so a large member need not be held
        whole), never more than ``limit`` in all; the same checks as ``read``."""
        info = self._info(name)
        limit = min(limit or self.limits.max_member_bytes, self.limits.max_member_bytes)
        if info.flag_bits & 0x1:
            raise self._fail(f"member {info.filename!r} is encrypted; refused")
        if info.file_size > limit:
            raise self._fail(f"member {info.filename!r} is larger than {limit // 2**20:,} MB; refused")
        size = 0
        try:
            with self._zip.open(info) as member:
                while True:
                    chunk = member.read(_CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    # Count what is really inflated: a forged header cannot get past this.
                    if size > limit or self._read_total + size > self.limits.max_read_bytes:
                        raise self._fail(f"member {info.filename!r} expands beyond its limit; refused")
                    yield chunk
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            raise self._fail(f"member {info.filename!r} cannot be read: {exc}") from None
        except Exception as exc:  # zlib.error and friends from a damaged member
            if isinstance(exc, InputError):
                raise
            raise self._fail(f"member {info.filename!r} is damaged: {exc}") from None
        self._read_total += size


def _key(name: str) -> str:
    name = name.replace("\\", "/")
    while name.startswith("./"):
        name = name[2:]
    return str(PurePosixPath(name)).casefold() if name else name


# --- XML ----------------------------------------------------------------------------------------


class _LineRecorder:
    """A parser target that builds the usual tree and remembers the line each element starts on."""

    def __init__(self) -> None:
        self.builder = TreeBuilder()
        self.lines: dict[int, int] = {}
        self.parser = None

    def start(self, tag, attrib):
        element = self.builder.start(tag, attrib)
        self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element

    def end(self, tag):
        return self.builder.end(tag)

    def data(self, data):
        self.builder.data(data)

    def close(self):
        return self.builder.close()


@dataclass
class XmlDocument:
    """A parsed XML document and the line of each element (for messages)."""

    root: Element
    _lines: dict[int, int]

    def line(self, element: Element) -> int | None:
        return self._lines.get(id(element))


def parse_xml(data: bytes, source: str) -> XmlDocument:
    """Parse untrusted XML: no DTD, no entities, no external references, no network.

    ``source`` names the document in errors, which carry its line (``source:line``).
    """
    recorder = _LineRecorder()
    parser = defused_et.DefusedXMLParser(target=recorder, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    recorder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DTDForbidden:
        raise InputError(
            "contains a document type declaration (<!DOCTYPE>), which can define entities that expand "
            "without limit or read other files; refused (REFI-QDA files never need one)",
            where=source,
        ) from None
    except EntitiesForbidden:
        raise InputError("declares XML entities, which can expand without limit; refused", where=source) from None
    except ExternalReferenceForbidden:
        raise InputError("refers to an external resource; refused", where=source) from None
    except ParseError as exc:
        line, column = exc.position
        message = str(exc).split(":")[0]
        raise InputError(f"XML is not well-formed: {message} (column {column + 1})", where=f"{source}:{line}") from None
    except RecursionError:
        raise InputError("XML is nested too deeply", where=source) from None
    except (LookupError, ValueError) as exc:  # e.g. an XML declaration naming an unknown encoding
        raise InputError(f"XML cannot be read: {' '.join(str(exc).split())[:100]}", where=source) from None
    return XmlDocument(root, recorder.lines)
