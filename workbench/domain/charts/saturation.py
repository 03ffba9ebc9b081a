"""Saturation: how many themes each transcript brings that no earlier transcript had.

Transcripts are taken in interview order (by a case attribute such as the interview date, or in
the order they were imported). A theme *appears* in a transcript when it or any of its
sub-themes is coded there; a theme at the top of the codebook counts as a new theme, one below
it as a new sub-theme. Transcripts without any coding are left out (they are not yet coded, and
would look like interviews that brought nothing new).

The saturation point, for a threshold N, is the number of transcripts after which every later
transcript brought fewer than N new themes and sub-themes together; it is not reached while the
last transcript still brings N or more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workbench.domain.models import Theme

IMPORT_ORDER = "import"


@dataclass(frozen=True)
class SaturationStep:
    """One transcript in interview order: what it brought that was new, and the running totals."""

    transcript: str
    order_value: str | None  # the value of the ordering attribute (None in import order)
    new_themes: tuple[str, ...]  # paths, in codebook order
    new_subthemes: tuple[str, ...]
    cumulative_themes: int
    cumulative_subthemes: int

    @property
    def new(self) -> int:
        """New themes and sub-themes together."""
        return len(self.new_themes) + len(self.new_subthemes)

    def to_json(self) -> dict:
        return {
            "transcript": self.transcript,
            "order_value": self.order_value,
            "new_themes": list(self.new_themes),
            "new_subthemes": list(self.new_subthemes),
            "cumulative_themes": self.cumulative_themes,
            "cumulative_subthemes": self.cumulative_subthemes,
        }


@dataclass(frozen=True)
class Saturation:
    """New themes per transcript in interview order, cumulative, and where they ran out."""

    order: str  # IMPORT_ORDER or the attribute key
    threshold: int
    steps: tuple[SaturationStep, ...]
    point: int | None  # transcripts after which fewer than ``threshold`` new themes came; None: not reached
    left_out: tuple[str, ...]  # transcripts without codings
    codebook_themes: int  # themes at the top of the codebook
    codebook_subthemes: int

    def to_json(self) -> dict:
        return {
            "order": self.order,
            "threshold": self.threshold,
            "point": self.point,
            "transcripts": [s.to_json() for s in self.steps],
            "left_out": list(self.left_out),
            "codebook_themes": self.codebook_themes,
            "codebook_subthemes": self.codebook_subthemes,
        }


def saturation(
    transcripts: Iterable[tuple[str, str | None, set[int]]],
    themes: list[Theme],
    threshold: int = 1,
    order: str = IMPORT_ORDER,
) -> Saturation:
    """The saturation curve of ``transcripts`` — (name, ordering value, ids of the themes coded
    in it), already in interview order — over the codebook ``themes``."""
    if threshold < 1:
        raise ValueError("the threshold must be 1 or more")
    by_id = {t.id: t for t in themes}
    position = {t.id: i for i, t in enumerate(themes)}
    seen: set[int] = set()
    steps: list[SaturationStep] = []
    left_out: list[str] = []
    themes_so_far = subthemes_so_far = 0
    for name, value, coded in transcripts:
        if not coded:
            left_out.append(name)
            continue
        appeared = set()
        for theme_id in coded:
            appeared.update(_with_ancestors(theme_id, by_id))
        new = sorted(appeared - seen, key=lambda i: position.get(i, len(position)))
        seen |= appeared
        top = tuple(by_id[i].path for i in new if i in by_id and by_id[i].parent_id is None)
        below = tuple(by_id[i].path for i in new if i in by_id and by_id[i].parent_id is not None)
        themes_so_far += len(top)
        subthemes_so_far += len(below)
        steps.append(SaturationStep(name, value, top, below, themes_so_far, subthemes_so_far))
    last_rich = max((k for k, step in enumerate(steps, 1) if step.new >= threshold), default=0)
    point = None if steps and last_rich == len(steps) else last_rich
    if not steps:
        point = None
    top_level = sum(1 for t in themes if t.parent_id is None)
    return Saturation(order, threshold, tuple(steps), point, tuple(left_out), top_level, len(themes) - top_level)


def _with_ancestors(theme_id: int, by_id: dict[int, Theme]) -> list[int]:
    """The theme and each theme above it (a damaged parent link ends the walk, never loops)."""
    found = [theme_id]
    parent = by_id[theme_id].parent_id if theme_id in by_id else None
    while parent is not None and parent in by_id and parent not in found:
        found.append(parent)
        parent = by_id[parent].parent_id
    return found
