"""Figures for the results chapter (``workbench export chapter --figures``).

The chosen charts are drawn as SVG (the same bytes for the same study) and referenced from the
end of the chapter with numbered captions in the chapter's language. The heat map and the bars
compare the chapter's ``compare`` attribute (the heat map falls back to informants); the
saturation curve follows the interview dates when the cases have them.
"""

from __future__ import annotations

from pathlib import PurePath

from workbench.domain.chapter.settings import ChapterSettings
from workbench.domain.charts import svg
from workbench.domain.charts.chapter_figures import ChapterFigure, caption, figures_markdown
from workbench.domain.charts.saturation import IMPORT_ORDER
from workbench.errors import WorkbenchError
from workbench.study import Study, charts

KINDS = ("matrix", "bars", "cooccurrence", "saturation")
DEFAULT = "default"


def chosen_figures(names: str, settings: ChapterSettings) -> list[str]:
    """The charts a ``--figures`` value asks for, in its order; ``default``: the heat map, the
    bars when the chapter compares an attribute, and the saturation curve."""
    if names.strip().casefold() == DEFAULT:
        return ["matrix", *(["bars"] if settings.compare else []), "saturation"]
    chosen = [n.strip().casefold() for n in names.split(",") if n.strip()]
    unknown = [n for n in chosen if n not in KINDS]
    if unknown or not chosen:
        raise WorkbenchError(f"--figures takes a list of {', '.join(KINDS)}, not {names!r}")
    if "bars" in chosen and not settings.compare:
        raise WorkbenchError("the bars figure compares the chapter's 'compare' attribute: set --compare KEY")
    return list(dict.fromkeys(chosen))


def chapter_figures(study: Study, settings: ChapterSettings, chapter_file: PurePath, names: str) -> list[ChapterFigure]:
    """The figures ``names`` asks for, numbered, with files named after ``chapter_file``
    (``results.md`` -> ``results-figure-1.svg``)."""
    figures = []
    label = settings.labels.get
    for number, kind in enumerate(chosen_figures(names, settings), 1):
        by = settings.compare or "case"
        if kind == "matrix":
            drawing = svg.heat_map_svg(charts.matrix_heat_map(study, by), settings.lang)
            text = caption(kind, settings.lang, by=label(by, by))
        elif kind == "bars":
            drawing = svg.bars_svg(charts.bar_chart(study, by), settings.lang)
            text = caption(kind, settings.lang, by=label(by, by))
        elif kind == "cooccurrence":
            drawing = svg.heat_map_svg(charts.cooccurrence_heat_map(study), settings.lang)
            text = caption(kind, settings.lang)
        else:
            curve = charts.saturation_curve(study)
            drawing = svg.saturation_svg(curve, settings.lang)
            order = None if curve.order == IMPORT_ORDER else label(curve.order, curve.order)
            text = caption(kind, settings.lang, order=order)
        figures.append(ChapterFigure(number, f"{chapter_file.stem}-figure-{number}.svg", text, drawing))
    return figures


def with_figures(markdown: str, figures: list[ChapterFigure], lang: str) -> str:
    """The chapter's Markdown with the figures appended after its last section."""
    if not figures:
        return markdown
    return markdown.rstrip("\n") + "\n\n" + figures_markdown(figures, lang)
