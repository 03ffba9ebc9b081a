"""What a use case found or did, as plain dataclasses the front ends print (and ``--json`` shapes).

Storage fills them; the CLI and the TUI read them. They live here, not in ``storage``, so the
front ends never import storage to name them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from workbench.domain.models import Theme


@dataclass
class ThemeCount:
    """Codings and distinct informants (cases) of one theme, overall and per attribute value."""

    theme: Theme
    codings: int = 0
    informants: int = 0
    codings_total: int = 0  # including sub-themes
    informants_total: int = 0
    by_value: dict[str, tuple[int, int]] = field(
        default_factory=dict
    )  # value -> (codings, informants), with sub-themes


@dataclass
class CodebookMergeReport:
    """What loading a codebook into a study did, theme path by theme path.

    (Not to be confused with ``study.agreement.MergeReport``, which reports merging another
    coder's study.)
    """

    added: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)  # (path, fields changed)
    unchanged: list[str] = field(default_factory=list)
    kept: list[tuple[str, int]] = field(default_factory=list)  # in the study, not in the file: (path, codings)
    keys_moved: list[tuple[str, str, str]] = field(default_factory=list)  # (key, from path, to path)
    warnings: list[str] = field(default_factory=list)  # e.g. two themes of the file with one colour

    def to_json(self) -> dict:
        """The documented ``codebook load --json`` shape."""
        return {
            "added": self.added,
            "updated": [{"theme": p, "fields": f} for p, f in self.updated],
            "unchanged": self.unchanged,
            "kept": [{"theme": p, "codings": n} for p, n in self.kept],
            "keys_moved": [{"key": k, "from": a, "to": b} for k, a, b in self.keys_moved],
            "warnings": self.warnings,
        }
