"""What every exchange format shares: the report of an import or export, and merging a tree of
themes into the study.

The format modules (``refi_import``, ``refi_export``, ``csv_import``) build on this module and
never on each other's use cases, so none of them imports back into another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.domain.codebook import dump_codebook, parse_codebook
from workbench.domain.models import Codebook, ThemeSpec
from workbench.domain.reports import CodebookMergeReport
from workbench.errors import InputError
from workbench.interop.refi.model import Skipped
from workbench.storage.database import storage_errors_translated
from workbench.study import Study


@dataclass
class ExchangeReport:
    """What an import or export brought over (``counts``), what to know (``warnings``) and what
    it could not bring (``not_imported`` for imports, ``not_exported`` for exports)."""

    kind: str  # "import" or "export"
    file: str
    format: str  # "qdpx", "qdc", "codebook-csv", "highlights-csv"
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    not_imported: list[Skipped] = field(default_factory=list)
    not_exported: list[Skipped] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)  # how selection positions were read or written
    seconds: float = 0.0

    @property
    def lost(self) -> list[Skipped]:
        """What was not brought over, whichever the direction."""
        return self.not_imported if self.kind == "import" else self.not_exported

    def to_json(self) -> dict:
        """The documented ``--json`` shape."""
        data: dict = {
            "file": self.file,
            "format": self.format,
            "counts": dict(self.counts),
            "warnings": list(self.warnings),
        }
        key = "not_imported" if self.kind == "import" else "not_exported"
        data[key] = [item.to_json() for item in self.lost]
        if self.positions:
            data["positions"] = list(self.positions)
        data["seconds"] = round(self.seconds, 3)
        return data


@storage_errors_translated
def merge_themes(study: Study, specs: list[ThemeSpec], source: Path) -> CodebookMergeReport:
    """Merge a tree of themes into the study by theme path; errors name ``source``."""
    # The tree goes through the YAML codebook format once, so it gets exactly the checks a
    # hand-written codebook gets (names, keys, colours).
    try:
        codebook = parse_codebook(dump_codebook(Codebook(specs, name=source.stem)), source=str(source))
    except InputError as exc:
        raise InputError(f"the codes cannot be stored as themes: {exc}", where=str(source)) from None
    return study.merge_codebook(codebook, source=str(source))


def count_merge(report: ExchangeReport, merge: CodebookMergeReport | None, in_file: int) -> None:
    """Put a codebook merge's counts in the report: themes in the file, added, updated."""
    report.counts["themes"] = in_file
    report.counts["themes_added"] = len(merge.added) if merge else 0
    report.counts["themes_updated"] = len(merge.updated) if merge else 0
