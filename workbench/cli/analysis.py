"""``workbench matrix|cooccurrence|coverage|merge|agreement``: thin commands over
workbench.study.analysis and workbench.study.agreement.

Registered in workbench/cli/__init__.py, so a ``WorkbenchError`` becomes one ``error: ...`` line
and exit code 1. The ``--json`` shapes are documented in docs/analysis.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from workbench.cli.base import STUDY, emit_json, open_study
from workbench.display.plain_table import aligned
from workbench.display.safe_text import visible
from workbench.errors import WorkbenchError

if TYPE_CHECKING:  # rich is imported by the commands that print tables, not by `workbench --help`
    from rich.console import Console
    from rich.text import Text

JSON = click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (see docs/analysis.md).")


def _console() -> Console:
    from workbench.cli.output import console

    return console()


def _safe(text: str, style: str = "") -> Text:
    """Text from the study for a Rich table or line: terminal-safe, and never read as markup."""
    from rich.text import Text

    return Text(visible(text), style=style)


def _theme_label(path: str, color: str | None = None) -> Text:
    from rich.text import Text

    depth = path.count("/")
    label = Text("  " * depth)
    if color:
        label.append("■ ", style=color)
    label.append(visible(path.rsplit("/", 1)[-1]))
    return label


def _figure(value: float | None, digits: int = 3) -> str:
    if value is None:
        return "n/a"
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # "0.000", not "-0.000"


def _short(text: str, width: int = 90) -> str:
    from workbench.display.quote_lines import cut_end  # imports rich: only when printing

    return cut_end(visible(text, line_break=""), width)


@click.command()
@STUDY
@click.option("--by", default="case", show_default=True, help="Columns: 'case', or a case attribute (e.g. size).")
@click.option("--theme", help="Only this theme and its sub-themes.")
@JSON
def matrix(study: Path, by: str, theme: str | None, as_json: bool) -> None:
    """Framework matrix: codings per theme and case, or per value of a case attribute.

    A cell counts the theme's own codings; with --by KEY it shows codings / informants.
    """
    from workbench.cli.report_output import print_matrix
    from workbench.study.analysis import theme_attribute_matrix

    with open_study(study) as s:
        result = theme_attribute_matrix(s, by, theme)
    if as_json:
        emit_json(result.to_json())
        return
    print_matrix(result, study.name)


@click.command()
@STUDY
@click.option(
    "--unit",
    type=click.Choice(["span", "turn"]),
    default="span",
    show_default=True,
    help="span: codings that overlap; turn: codings in the same speaker turn.",
)
@JSON
def cooccurrence(study: Path, unit: str, as_json: bool) -> None:
    """Themes that code the same passages: pairs by number of places, most frequent first."""
    from workbench.study.analysis import cooccurrence as find

    with open_study(study) as s:
        result = find(s, unit)
    if as_json:
        emit_json(result.to_json())
        return
    if not result.pairs:
        click.echo("no two themes code the same passages" if unit == "span" else "no two themes share a turn")
        return
    places = "overlaps" if unit == "span" else "turns"
    rows = []
    for pair in result.pairs:
        first = pair.places[0]
        where = f"{first.transcript} {first.start}..{first.end}" + (
            f" (turn {first.turn})" if first.turn is not None else ""
        )
        rows.append((pair.theme_a, pair.theme_b, str(pair.count), str(pair.informants), where))
    # Plain aligned text: a Rich table of the hundreds of pairs a real study has took longer than
    # the analysis itself (about 0.65 s for the 780 pairs of 40 themes).
    click.echo(f"{study.name}: co-occurrence by {unit}")
    click.echo(aligned(("theme", "theme", places, "informants", "first place"), rows, right=(2, 3)))


@click.command()
@STUDY
@JSON
def coverage(study: Path, as_json: bool) -> None:
    """Which informants speak to which themes; transcripts and turns never coded."""
    from rich.table import Table

    from workbench.study.analysis import coverage as measure

    with open_study(study) as s:
        result = measure(s)
    if as_json:
        emit_json(result.to_json())
        return
    console = _console()
    table = Table(
        title=_safe(f"{study.name}: coverage", "table.title"),
        show_edge=False,
        caption="coded: share of the text inside at least one coding",
    )
    for header in ("transcript", "case", "codings", "coded", "turns", "uncoded turns"):
        table.add_column(header, justify="left" if header in ("transcript", "case") else "right")
    for t in result.transcripts:
        table.add_row(
            _safe(t.transcript),
            _safe(t.case or ""),
            str(t.codings),
            f"{100 * t.coverage:.1f}%",
            str(t.turns),
            str(len(t.uncoded_turns)),
        )
    console.print(table)
    console.print(_safe(f"never coded: {', '.join(result.never_coded) or 'none'}"))
    themes = Table(title="informants per theme (with sub-themes)", show_edge=False)
    themes.add_column("theme")
    themes.add_column("informants", justify="right")
    themes.add_column("who")
    for path, names in result.themes:
        themes.add_row(_theme_label(path), str(len(names)), _safe(", ".join(names)))
    console.print(themes)


@click.command()
@STUDY
@click.argument("other", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--no-new-themes", is_flag=True, help="Do not create themes the other file has; report their codings instead."
)
@JSON
def merge(study: Path, other: Path, no_new_themes: bool, as_json: bool) -> None:
    """Bring another coder's codings of the same transcripts in from OTHER (a study file).

    Transcripts are matched by their text, themes by path. Merging twice changes nothing.
    """
    from workbench.study.agreement import merge_study

    with open_study(study) as s:
        report = merge_study(s, other, create_themes=not no_new_themes)
    if as_json:
        emit_json(report.to_json())
        return
    coders = ", ".join(f"{c} ({n})" for c, n in report.coders.items()) or "none"
    click.echo(f"{other}: {len(report.transcripts_matched)} transcript(s) matched; coders {coders}")
    click.echo(f"added {report.codings_added} coding(s); {report.codings_present} already in the study")
    for path in report.themes_added:
        click.echo(f"  new theme {path}")
    for name, count in report.transcripts_unmatched:
        click.echo(f"  not matched: transcript {name!r} ({count} coding(s)): no transcript with the same text")
    for item in report.codings_unmatched:
        click.echo(
            f"  not matched: {item['transcript']} {item['start']}..{item['end']} {item['theme']} "
            f"by {item['coder']}: {item['reason']}"
        )
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)


@click.command()
@STUDY
@click.option("--coders", required=True, metavar="A,B", help="The coders to compare, comma-separated.")
@click.option(
    "--unit",
    type=click.Choice(["char", "turn"]),
    default="char",
    show_default=True,
    help="Compare character by character, or speaker turn by turn.",
)
@click.option("--theme", help="Only this theme and its sub-themes.")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="How many disagreements to list (--json lists all).",
)
@JSON
def agreement(study: Path, coders: str, unit: str, theme: str | None, limit: int, as_json: bool) -> None:
    """Inter-coder agreement per theme and overall: percent agreement, Cohen's kappa and
    Krippendorff's alpha, then the disagreements."""
    from rich.table import Table
    from rich.text import Text

    from workbench.study.agreement import agreement as measure

    names = [c.strip() for c in coders.split(",") if c.strip()]
    if len(names) < 2:
        raise WorkbenchError("--coders needs at least two names, e.g. --coders anna,ben")
    with open_study(study) as s:
        report = measure(s, names, unit=unit, theme=theme)
    if as_json:
        emit_json(report.to_json())
        return
    console = _console()
    units = "chars" if unit == "char" else "turns"
    caption = (
        f"{len(report.transcripts)} transcript(s) compared; {units}: units compared; under each coder: "
        "units they coded with the theme; n/a: not defined (no variation)"
    )
    title = _safe(f"{study.name}: agreement of {', '.join(report.coders)} by {unit}", "table.title")
    table = Table(title=title, show_edge=False, caption=caption)
    table.add_column("theme")
    for header in (units, "agree", "kappa", "alpha", *report.coders, "disagree"):
        table.add_column(_safe(header), justify="right")

    def figures(f) -> list[str]:
        percent = "n/a" if f.percent_agreement is None else f"{f.percent_agreement:.1f}%"
        return [f"{f.units:,.0f}", percent, _figure(f.kappa), _figure(f.alpha)]

    for row in report.themes:
        table.add_row(
            _theme_label(row.theme),
            *figures(row.figures),
            *(f"{row.coded[c]:,}" for c in report.coders),
            str(row.disagreements),
        )
    table.add_section()
    table.add_row("overall", *figures(report.overall), *([""] * len(report.coders)), str(len(report.disagreements)))
    console.print(table)
    for name, reason in report.skipped:
        console.print(Text(visible(f"not compared: {name} ({reason})"), style="dim"))
    for d in report.disagreements[:limit]:
        where = f"{d.transcript} {d.start}..{d.end}"
        if d.turn is not None:
            where += f" (turn {d.turn}, {d.speaker or 'unknown speaker'})"
        verdict = f"{', '.join(d.coded_by)} coded it, {', '.join(d.not_coded_by)} did not"
        others = "; ".join(f"{c}: {', '.join(paths) or 'nothing'}" for c, paths in report.applied(d).items())
        # each part on its own: visible() of the whole line would close up the double spaces
        console.print(Text(f"{visible(where)}  {visible(d.theme)}: {visible(verdict)}  [{visible(others)}]"))
        console.print(Text(f"    “{_short(d.text)}”", style="dim"))
    if len(report.disagreements) > limit:
        console.print(f"… and {len(report.disagreements) - limit} more disagreement(s) (--limit N, or --json for all)")
