"""The palette's counts (codings · informants per theme), kept between changes.

A coding, a removal or their undo touches one or two themes; recounting the whole study after
each (``Study.stats``: 10 ms at 100,000 codings) would make every coding key pay for the study's
size. The screen counts everything once, and after a change recounts only the themes the change
touched (``Study.own_counts``: those themes' entries of an index). Anything else, and every
change another window made (the study's data version moved), counts everything again.
"""

from __future__ import annotations

from workbench.study import Study

Counts = dict[int, tuple[int, int]]  # theme id -> (codings, informants)


class ThemeCounts:
    """Codings and informants per theme, as of :attr:`version` of the study's data."""

    def __init__(self) -> None:
        self._counts: Counts = {}
        self.version: int | None = None  # None: nothing counted yet, or forgotten

    def forget(self) -> None:
        """The next :meth:`counts` counts everything again (after a change of unknown reach)."""
        self.version = None

    def counts(self, study: Study, changed_themes: set[int] | None = None) -> Counts:
        """Every theme's counts now. With ``changed_themes`` (the themes this program just
        changed) only those are recounted, unless another program changed the study since."""
        version = study.data_version()
        if changed_themes is None or self.version != version:
            rows, _values = study.stats()
            self._counts = {r.theme.id: (r.codings, r.informants) for r in rows}
        else:
            self._counts.update(study.own_counts(changed_themes))
        self.version = version
        return dict(self._counts)
