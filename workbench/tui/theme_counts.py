"""The palette's counts (codings · informants per theme), kept between changes.

A coding, a removal or their undo touches one or two themes; recounting the whole study after
each (``Study.stats``: 10 ms at 100,000 codings) would make every coding key pay for the study's
size. The screen counts everything once, keeping each theme's codings per transcript. After a
change to some themes' codings in one transcript (a coding, a removal, their undo) only those
themes' codings in that transcript are counted again (a few entries of an index); after a change
to some themes anywhere (a recoding), those themes are. Anything else, and every change another
window made (the study's data version moved), counts everything again.
"""

from __future__ import annotations

from workbench.study import Study

Counts = dict[int, tuple[int, int]]  # theme id -> (codings, informants)


class ThemeCounts:
    """Codings and informants per theme, as of :attr:`version` of the study's data."""

    def __init__(self) -> None:
        self._per_transcript: dict[int, dict[int, int]] = {}  # theme id -> {transcript id: codings}
        self._case_of: dict[int, int | None] = {}  # transcript id -> case id
        self._counts: Counts = {}
        self.version: int | None = None  # None: nothing counted yet, or forgotten

    def forget(self) -> None:
        """The next :meth:`counts` counts everything again (after a change of unknown reach)."""
        self.version = None

    def counts(self, study: Study, changed_themes: set[int] | None = None, in_transcript: str | None = None) -> Counts:
        """Every theme's counts now. With ``changed_themes`` (the themes this program just
        changed) only those are counted again, and with ``in_transcript`` (the change touched
        their codings in that transcript alone) only there; everything is counted again when
        another program changed the study since."""
        version = study.data_version()
        if changed_themes is None or self.version != version:
            self._case_of = study.cases_of_transcripts()
            self._per_transcript = study.codings_per_transcript()
            self._counts = {theme_id: self._count(theme_id) for theme_id in self._per_transcript}
        elif changed_themes:
            counted = study.codings_per_transcript(changed_themes, in_transcript)
            for theme_id in changed_themes:
                if in_transcript is None:
                    self._per_transcript[theme_id] = counted.get(theme_id, {})
                else:  # the theme's other transcripts are as they were: this one's count is new
                    self._per_transcript.setdefault(theme_id, {}).update(counted.get(theme_id, {}))
                self._counts[theme_id] = self._count(theme_id)
        self.version = version
        return {theme_id: n for theme_id, n in self._counts.items() if n != (0, 0)}

    def _count(self, theme_id: int) -> tuple[int, int]:
        per_transcript = self._per_transcript.get(theme_id, {})
        cases = {self._case_of.get(t) for t, n in per_transcript.items() if n}
        cases.discard(None)  # a transcript without a case is no informant (as Study.stats counts)
        return sum(per_transcript.values()), len(cases)
