"""``workbench chart STUDY matrix|bars|cooccurrence|saturation``: the analysis as a picture.

Prints the chart in the terminal (shades and numbers, readable without colour) and, with
``--svg``/``--png``, writes it as a figure for a document. Thin over workbench.study.charts;
registered in workbench/cli/__init__.py. See docs/charts.md.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from workbench.cli.base import STUDY, emit_json, open_study
from workbench.errors import WorkbenchError

KINDS = ("matrix", "bars", "cooccurrence", "saturation")


@click.command()
@STUDY
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--by", help="matrix: columns, 'case' (the default) or a case attribute; bars: the attribute (required).")
@click.option("--theme", help="matrix, bars: only this theme and its sub-themes.")
@click.option("--share", is_flag=True, help="matrix, bars: the share of each group's informants, not codings.")
@click.option(
    "--unit", type=click.Choice(["span", "turn"]), default="span", show_default=True, help="cooccurrence: the unit."
)
@click.option(
    "--order",
    help="saturation: the case attribute that orders the interviews, or 'import' "
    "(default: the attribute of interview dates, else import order).",
)
@click.option(
    "--threshold",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="saturation: the point after which each transcript brought fewer than this many new themes.",
)
@click.option("--width", type=click.IntRange(min=40), help="Width in columns (default: the terminal's).")
@click.option("--svg", "svg_file", type=click.Path(path_type=Path, dir_okay=False), help="Also write an SVG figure.")
@click.option(
    "--png",
    "png_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a PNG figure (needs the figures extra).",
)
@click.option(
    "--lang", type=click.Choice(["en", "sv"]), default="en", show_default=True, help="Language of a figure's words."
)
@click.option("--json", "as_json", is_flag=True, help="Print the chart's data as JSON instead (see docs/charts.md).")
def chart(
    study: Path,
    kind: str,
    by: str | None,
    theme: str | None,
    share: bool,
    unit: str,
    order: str | None,
    threshold: int,
    width: int | None,
    svg_file: Path | None,
    png_file: Path | None,
    lang: str,
    as_json: bool,
) -> None:
    """Draw the framework matrix or co-occurrence as a heat map, themes as bars by a case
    attribute, or the saturation curve (new themes per transcript in interview order)."""
    from workbench.display import charts as draw
    from workbench.domain.charts import svg
    from workbench.domain.charts.heat_map import COUNT, SHARE
    from workbench.study import charts

    mode = SHARE if share else COUNT
    with open_study(study) as s:
        if kind == "matrix":
            data = charts.matrix_heat_map(s, by or "case", theme, mode)
            text, figure = draw.heat_map_text, svg.heat_map_svg
        elif kind == "bars":
            if not by:
                raise WorkbenchError(
                    f"chart bars needs --by KEY, a case attribute (known: {', '.join(charts.attribute_keys(s)) or 'none'})"
                )
            data = charts.bar_chart(s, by, theme, mode)
            text, figure = draw.bars_text, svg.bars_svg
        elif kind == "cooccurrence":
            data = charts.cooccurrence_heat_map(s, unit)
            text, figure = draw.heat_map_text, svg.heat_map_svg
        else:
            data = charts.saturation_curve(s, order, threshold)
            text, figure = draw.saturation_text, svg.saturation_svg
    if svg_file or png_file:
        from workbench.interop.figures import write_png, write_svg

        drawing = figure(data, lang)
        if svg_file:
            write_svg(svg_file, drawing)
        if png_file:
            write_png(png_file, drawing)
    if as_json:
        emit_json(data.to_json())
        return
    from workbench.cli.output import console

    out = console()
    columns = width or min(out.width, shutil.get_terminal_size((80, 24)).columns)
    out.print(text(data, columns), soft_wrap=True)
    for path in (svg_file, png_file):
        if path:
            click.echo(f"wrote {path}", err=True)
