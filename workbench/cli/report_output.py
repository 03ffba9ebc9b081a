"""The quick reports' output (``workbench stats``, ``workbench matrix``): plain aligned columns,
and the JSON shape of ``stats``.

Plain text (``display/plain_table.py``) rather than a Rich table: the same in a terminal, a file
and a pipe, and nothing to import beyond the report itself.
"""

from __future__ import annotations

import sys

import click

from workbench.cli.base import unfiltered
from workbench.display.plain_table import aligned_lines, colour_swatches, colour_system
from workbench.display.safe_text import visible

STATS_NOTE = (
    "a theme's own codings (with its sub-themes' in brackets); split columns: codings / informants, sub-themes included"
)


def stats_json(rows: list, values: list[str], by: str | None, summary: dict) -> dict:
    """The documented ``stats --json`` shape of ``Study.stats``'s rows (one ThemeCount per theme)."""
    return {
        **summary,
        "by": by,
        "values": values,
        "themes": [
            {
                "theme": r.theme.path,
                "codings": r.codings,
                "informants": r.informants,
                "codings_with_subthemes": r.codings_total,
                "informants_with_subthemes": r.informants_total,
                **(
                    {"by_value": {v: {"codings": c, "informants": i} for v, (c, i) in r.by_value.items()}} if by else {}
                ),
            }
            for r in rows
        ],
    }


def stats_lines(rows: list, values: list[str], by: str | None) -> list[str]:
    """Codings and informants per theme (``Study.stats``'s rows) as aligned lines: a header, a
    rule and a row per theme, sub-themes indented under their theme, each name after a swatch."""
    header = ["theme", "codings", "informants", *(f"{by}={value}" for value in values)]
    table = []
    for r in rows:
        has_children = r.codings_total != r.codings
        table.append(
            [
                f"{'  ' * r.theme.depth}■ {r.theme.name}",
                f"{r.codings} ({r.codings_total})" if has_children else str(r.codings),
                f"{r.informants} ({r.informants_total})" if has_children else str(r.informants),
                *(f"{c} / {i}" for c, i in (r.by_value[v] for v in values)),
            ]
        )
    return aligned_lines(header, table, right=range(1, len(header)))


def print_stats(rows: list, values: list[str], by: str | None, summary: dict, title: str) -> None:
    """:func:`stats_lines` under the study's name and counts, with the note on what is counted;
    each theme's swatch in its colour on a terminal that takes colours."""
    heading = f"{title}: {summary['transcripts']} transcripts, {summary['cases']} cases"
    print_report(heading, stats_lines(rows, values, by), [r.theme.color for r in rows], STATS_NOTE)


def matrix_lines(result) -> list[str]:
    """A framework matrix (``study.analysis.theme_attribute_matrix``) as aligned lines: a row
    per theme, a column per case or value, the totals in the last column and the last row."""
    per_case = result.by == "case"

    def cell(c) -> str:
        if not c.codings:
            return "·"
        return str(c.codings) if per_case else f"{c.codings} / {c.informants}"

    header = ["theme", *("(no value)" if column is None else str(column) for column in result.columns), "total"]
    table = []
    for row in result.rows:
        total = cell(row.total)
        if row.total_with_subthemes != row.total:
            total += f" ({cell(row.total_with_subthemes)})"
        name = f"{'  ' * row.theme.count('/')}■ {row.theme.rsplit('/', 1)[-1]}"
        table.append([name, *(cell(c) for c in row.cells), total])
    table.append(["all", *(cell(c) for c in result.column_totals), cell(result.total)])
    return aligned_lines(header, table, right=range(1, len(header)))


def print_matrix(result, title: str) -> None:
    """:func:`matrix_lines` under the study's name, with the note on what a cell counts."""
    note = (
        "codings"
        if result.by == "case"
        else "codings / informants; a theme's own codings (total with sub-themes in brackets)"
    )
    colours = [row.color for row in result.rows] + [None]  # the totals row has no swatch
    print_report(f"{title}: themes x {result.by}", matrix_lines(result), colours, note)


def print_report(heading: str, lines: list[str], colours: list[str | None], note: str) -> None:
    """A heading, aligned lines (header, rule, then a row per entry of ``colours``, each row's
    first swatch in that colour where the terminal takes colours) and a closing note."""
    out = unfiltered(sys.stdout)  # the swatches' colour codes are ours; every cell passed `visible`
    lines = colour_swatches(lines, colours, colour_system(out.isatty()))
    click.echo(visible(heading))
    sys.stdout.flush()
    out.write("\n".join(lines) + "\n")
    out.flush()
    click.echo(note)
