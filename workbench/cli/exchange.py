"""Command-line exchange with other QDA tools: a thin layer over ``workbench.study.exchange``.

``workbench import STUDY FILE.qdpx|FILE.qdc`` and ``workbench codebook load STUDY FILE.csv`` reach
this module from those commands (cli/transcripts.py, cli/codebook.py); ``import-highlights`` and
``export qdpx|qdc`` are defined here and registered in workbench/cli/__init__.py. Errors are
``WorkbenchError``s, which the main group prints as one ``error: ...`` line with exit code 1.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import click

from workbench.cli.base import STUDY, emit_json, open_study
from workbench.errors import WorkbenchError

EXCHANGE_SUFFIXES = (".qdpx", ".qdc")
_SHOWN_PER_KIND = 10


def is_exchange_file(path: Path) -> bool:
    """Whether ``workbench import`` should hand this file to the REFI-QDA importer."""
    return path.suffix.lower() in EXCHANGE_SUFFIXES


def _emit(reports: list, as_json: bool) -> None:
    if as_json:
        data = [r.to_json() for r in reports]
        emit_json(data[0] if len(data) == 1 else data)
        return
    for report in reports:
        print_report(report)


def print_report(report) -> None:
    """The report for people: one summary line, warnings on stderr, then what was not brought over."""
    verb = "imported" if report.kind == "import" else "wrote"
    click.echo(f"{verb} {Path(report.file).name} in {report.seconds:.2f} s: {summary(report.counts)}")
    for line in report.positions:
        click.echo(f"positions: {line}")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    lost = report.lost
    if not lost:
        return
    click.echo(f"not {verb.replace('wrote', 'exported')} ({len(lost)}):")
    by_kind = defaultdict(list)
    for item in lost:
        by_kind[item.kind].append(item)
    for kind, items in by_kind.items():
        for item in items[:_SHOWN_PER_KIND]:
            click.echo(f"  {kind} {item.name}: {item.reason}")
        if len(items) > _SHOWN_PER_KIND:
            click.echo(f"  ... and {len(items) - _SHOWN_PER_KIND} more {kind} item(s) (see --json)")


_DETAILS = {"_added": "new", "_updated": "updated", "_already_present": "already present"}


def summary(counts: dict[str, int]) -> str:
    """``{"themes": 3, "themes_added": 2}`` as ``3 themes (2 new)``; other zero counts are left out."""
    parts = []
    for key, value in counts.items():
        if any(key.endswith(suffix) for suffix in _DETAILS):
            continue
        details = [f"{counts[key + s]} {word}" for s, word in _DETAILS.items() if counts.get(key + s)]
        if value or details or key in ("transcripts", "themes", "codings"):
            parts.append(f"{value} {key.replace('_', ' ')}" + (f" ({', '.join(details)})" if details else ""))
    return ", ".join(parts) or "nothing"


def import_exchange_files(study: Path, files: tuple[Path, ...], cases_file: Path | None, as_json: bool) -> None:
    """``workbench import`` for .qdpx projects and .qdc codebooks (each file one transaction)."""
    from workbench.study.exchange import import_qdc, import_qdpx

    if cases_file is not None:
        raise WorkbenchError("--cases does not apply to .qdpx/.qdc files: a project brings its own cases")
    others = [f for f in files if not is_exchange_file(f)]
    if others:
        raise WorkbenchError(f"{others[0]}: import transcripts and .qdpx/.qdc files in separate commands")
    reports = []
    with open_study(study) as s:
        for file in files:
            reports.append(import_qdpx(s, file) if file.suffix.lower() == ".qdpx" else import_qdc(s, file))
    _emit(reports, as_json)


def load_codebook_csv(study: Path, file: Path, as_json: bool) -> None:
    """``workbench codebook load`` for a Taguette-style codebook CSV."""
    from workbench.study.exchange import import_codebook_csv

    with open_study(study) as s:
        report = import_codebook_csv(s, file)
    _emit([report], as_json)


@click.command("import-highlights")
@STUDY
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--coder", help="Who the codings are credited to (default: $WORKBENCH_CODER or the login name).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def import_highlights(study: Path, file: Path, coder: str | None, as_json: bool) -> None:
    """Code the passages of a highlights CSV (id,document,tag,content; Taguette's export).

    Each passage is found by its text in the transcript named in 'document', which must be
    imported first. Passages that are not found, or occur more than once, are listed, never
    guessed; an optional 'start' column says where a passage starts. Tags not in the codebook
    become new themes. Exits with status 1 when no highlight could be placed.
    """
    from workbench.study.exchange import import_highlights_csv

    with open_study(study) as s:
        report = import_highlights_csv(s, file, coder=coder)
    if as_json:
        _emit([report], as_json)
    else:
        print_highlights_report(report, study)
    counts = report.counts
    if counts["highlights"] and not counts["codings_added"] + counts["already_coded"]:
        cause = "their documents are not in the study" if counts["documents_missing"] else "see the list above"
        raise WorkbenchError(f"no highlight could be placed ({cause}); nothing was changed")


def print_highlights_report(report, study: Path) -> None:
    """``import-highlights`` for people: one summary line, each missing document once (at most
    ten), the highlights not placed, and what to do next."""
    counts = report.counts
    placed = counts["codings_added"] + counts["already_coded"]
    click.echo(
        f"imported {Path(report.file).name} in {report.seconds:.2f} s: {counts['highlights']:,} highlight(s); "
        f"codings placed: {placed:,} ({counts['codings_added']:,} new); "
        f"documents missing: {counts['documents_missing']:,} ({counts['in_missing_documents']:,} highlight(s)); "
        f"ambiguous: {counts['ambiguous']:,}; not found: {counts['not_located']:,}; skipped: {counts['skipped']:,}"
    )
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    documents = [item for item in report.not_imported if item.kind == "document"]
    if documents:
        click.echo(f"documents not in the study ({len(documents)}):")
        for item in documents[:_SHOWN_PER_KIND]:
            click.echo(f"  {item.name}: {item.reason.split('; ', 1)[-1]}")
        if len(documents) > _SHOWN_PER_KIND:
            click.echo(f"  ... and {len(documents) - _SHOWN_PER_KIND} more document(s) (see --json)")
    rows = [item for item in report.not_imported if item.kind != "document"]
    if rows:
        click.echo(f"highlights not placed ({len(rows)}):")
        for item in rows[:_SHOWN_PER_KIND]:
            click.echo(f"  {item.name}: {item.reason}")
        if len(rows) > _SHOWN_PER_KIND:
            click.echo(f"  ... and {len(rows) - _SHOWN_PER_KIND} more (see --json)")
    if documents:
        examples = " ".join(_file_name_for(item.name) for item in documents[:3])
        more = " ..." if len(documents) > 3 else ""
        click.echo(
            f"next step: import the documents first, named as in the 'document' column, e.g. "
            f"workbench import {_quoted(str(study))} {examples}{more} (.docx, .odt, .html, .txt ...), "
            "then run import-highlights again: what is already coded is not added twice"
        )


def _file_name_for(document: str) -> str:
    """A file name for a Taguette document name in the example command (``.docx`` when it has none)."""
    return _quoted(document if Path(document).suffix else f"{document}.docx")


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)


@click.command("qdpx")
@STUDY
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The .qdpx file to write."
)
@click.option(
    "--for",
    "target",
    type=click.Choice(["standard", "qualcoder", "nvivo", "atlas", "maxqda"]),
    default="standard",
    show_default=True,
    help="The tool that will read the file: positions and line ends are written as it counts them.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def export_qdpx_command(study: Path, output: Path, target: str, as_json: bool) -> None:
    """Write the study as a REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA, QualCoder ...

    Transcripts, themes, codings, coders, cases and attributes, memos and quote comments go in;
    what REFI-QDA cannot hold is listed. --for nvivo|atlas|maxqda counts positions in UTF-16
    code units over sources with CRLF line ends; standard and qualcoder count code points.
    """
    from workbench.study.exchange import export_qdpx

    with open_study(study) as s:
        report = export_qdpx(s, output, target)
    _emit([report], as_json)


@click.command("qdc")
@STUDY
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), required=True, help="The .qdc file to write."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def export_qdc_command(study: Path, output: Path, as_json: bool) -> None:
    """Write the study's codebook as a REFI-QDA codebook (.qdc): themes, colours, descriptions."""
    from workbench.study.exchange import export_qdc

    with open_study(study) as s:
        report = export_qdc(s, output)
    _emit([report], as_json)
