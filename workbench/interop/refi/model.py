"""REFI-QDA (QDA-XML 1.0) projects and codebooks as plain data, shared by the reader and the writer.

The standard (www.qdasoftware.org) exchanges a project as a ``.qdpx`` ZIP holding ``project.qde``
(XML) and a folder of sources, and a codebook alone as a ``.qdc`` (XML). This module holds what
the workbench reads from and writes to them; ``refi_read`` parses files into these objects
(tolerating what real tools write), ``refi_write`` serialises them (valid against the official
schemas). Positions are Unicode code points, end exclusive, as in the standard and the study.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from workbench.interop.refi.positions import ReadingChoice, TextLayout

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"

# The schemas' GUID pattern; real files break it (openQDA writes "c001"), so it only warns.
GUID_PATTERN = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"|\{[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\}"
)

# Every GUID the workbench writes is derived from what it identifies, so exporting the same
# study twice gives the same file, and other tools see the same objects again.
_GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://www.qdasoftware.org/workbench")


def stable_guid(*parts: object) -> str:
    """A GUID determined by ``parts`` (e.g. ``("theme", "Trust/Agreements matter")``)."""
    return str(uuid.uuid5(_GUID_NAMESPACE, "\x1f".join(str(p) for p in parts)))


@dataclass
class RefiUser:
    guid: str
    name: str


@dataclass
class RefiCode:
    """A code (a theme) with its sub-codes. ``notes`` are GUIDs of notes attached to it."""

    guid: str
    name: str
    color: str | None = None
    description: str | None = None
    codable: bool = True
    children: list[RefiCode] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class RefiCoding:
    """A code applied to a selection (or to a whole source)."""

    guid: str
    code: str  # the code's GUID
    user: str | None = None  # the coder's GUID
    created: str | None = None  # xsd:dateTime as written
    notes: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class RefiSelection:
    """A span of a text source: ``text[start:end]`` in code points."""

    guid: str
    start: int
    end: int
    name: str | None = None
    user: str | None = None
    created: str | None = None
    description: str | None = None
    codings: list[RefiCoding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class RefiSource:
    """A text source (a transcript). ``member`` is where its text lives in the archive."""

    guid: str
    name: str
    text: str
    member: str | None = None
    description: str | None = None
    selections: list[RefiSelection] = field(default_factory=list)
    codings: list[RefiCoding] = field(default_factory=list)  # codings of the whole source
    notes: list[str] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # variable GUID -> value
    line: int | None = None
    layout: TextLayout | None = None  # where the file's CRLFs and BOM were (positions.py)


@dataclass
class RefiVariable:
    guid: str
    name: str
    type: str = "Text"
    description: str | None = None


@dataclass
class RefiCase:
    """A case with its variable values and the sources that belong to it."""

    guid: str
    name: str
    description: str | None = None
    values: dict[str, str] = field(default_factory=dict)  # variable GUID -> value
    sources: list[str] = field(default_factory=list)  # source GUIDs
    line: int | None = None


@dataclass
class RefiNote:
    """A note (memo or comment): itself a small text source."""

    guid: str
    name: str | None
    text: str
    user: str | None = None
    created: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Skipped:
    """Something in a file that was not brought in (or out), and why: the loss report."""

    kind: str  # "picture", "pdf", "audio", "video", "set", "link", "graph", "source", "coding", ...
    name: str
    reason: str

    def to_json(self) -> dict:
        return {"kind": self.kind, "name": self.name, "reason": self.reason}


@dataclass
class RefiProject:
    """Everything of a project (or, with only ``codes``, a codebook) the workbench exchanges."""

    name: str = "project"
    origin: str | None = None
    created: str | None = None
    description: str | None = None
    users: dict[str, RefiUser] = field(default_factory=dict)  # by GUID
    codes: list[RefiCode] = field(default_factory=list)  # the roots of the tree
    variables: dict[str, RefiVariable] = field(default_factory=dict)  # by GUID
    cases: list[RefiCase] = field(default_factory=list)
    sources: list[RefiSource] = field(default_factory=list)
    notes: dict[str, RefiNote] = field(default_factory=dict)  # by GUID
    project_notes: list[str] = field(default_factory=list)  # notes on the whole project
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    reading: ReadingChoice | None = None  # how the positions were read (imports)

    def iter_codes(self):
        """Yield ``(parent path parts, code)`` depth-first, parents before children."""
        stack: list[tuple[tuple[str, ...], RefiCode]] = [((), c) for c in reversed(self.codes)]
        while stack:
            parents, code = stack.pop()
            yield parents, code
            stack.extend(((*parents, code.name), c) for c in reversed(code.children))
