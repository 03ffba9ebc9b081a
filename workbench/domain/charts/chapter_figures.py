"""The figures of the results chapter as Markdown: numbered, captioned in the chapter's language,
one image per paragraph so that Pandoc makes each a figure with its caption (implicit_figures)
and embeds the file in .docx and .odt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FIGURE_WORD = {"en": "Figure", "sv": "Figur"}
CAPTIONS = {
    "en": {
        "matrix": "Codings per theme and {by}",
        "bars": "Codings per theme, {by} compared",
        "cooccurrence": "Themes that code the same passages",
        "saturation": "New themes and sub-themes per interview, in order of {order}",
        "saturation import": "New themes and sub-themes per interview, in the order imported",
        "case": "informant",
    },
    "sv": {
        "matrix": "Kodningar per tema och {by}",
        "bars": "Kodningar per tema, jämförelse efter {by}",
        "cooccurrence": "Teman som kodar samma passager",
        "saturation": "Nya teman och underteman per intervju, i ordning efter {order}",
        "saturation import": "Nya teman och underteman per intervju, i importordning",
        "case": "informant",
    },
}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!])")


@dataclass(frozen=True)
class ChapterFigure:
    """One figure of the chapter: its file name (beside the Markdown), caption and drawing."""

    number: int
    file_name: str
    caption: str  # without the "Figure N" prefix
    svg: str


def caption(kind: str, lang: str, by: str | None = None, order: str | None = None) -> str:
    """The caption of a chart of ``kind`` in ``lang`` (English when the language is not known)."""
    words = CAPTIONS.get(lang, CAPTIONS["en"])
    if kind == "saturation" and order is None:
        return words["saturation import"]
    by_word = words["case"] if by in (None, "case") else by
    return words[kind].format(by=by_word, order=order)


def figures_markdown(figures: list[ChapterFigure], lang: str) -> str:
    """The figures as Markdown paragraphs: ``![Figur 1: caption](file.svg)``."""
    word = FIGURE_WORD.get(lang, FIGURE_WORD["en"])
    parts = []
    for figure in figures:
        text = _MARKDOWN_SPECIAL.sub(r"\\\1", f"{word} {figure.number}: {figure.caption}")
        target = figure.file_name
        if re.search(r"[\s()<>]", target):
            target = "<" + target.replace("<", "%3C").replace(">", "%3E") + ">"
        parts.append(f"![{text}]({target})\n")
    return "\n".join(parts)
