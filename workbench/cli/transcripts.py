"""``workbench init|import|transcripts`` and ``workbench case set|list``: a study's transcripts and cases."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.base import STUDY, emit_json, open_study, split_assignment
from workbench.cli.exchange import import_exchange_files, is_exchange_file


@click.command()
@STUDY
def init(study: Path) -> None:
    """Create a new, empty study file (refuses to overwrite an existing file)."""
    from workbench.study import Study

    Study.create(study).close()
    click.echo(f"created {study}")


@click.command("import")
@STUDY
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--cases", "cases_file", type=click.Path(path_type=Path), help="YAML or CSV file of case attributes per transcript."
)
@click.option(
    "--pseudonyms",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Pseudonym map (YAML: real name -> replacement) applied before anything is stored; never stored itself.",
)
@click.option("--ignore-case", is_flag=True, default=None, help="Match the map's names without regard to case.")
@click.option(
    "--columns",
    "columns_spec",
    metavar="ROLE=COLUMN,...",
    help="The columns of .csv/.tsv transcripts, e.g. time=Start,speaker=Sprecher,text=Text (also end=).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
def import_(
    study: Path,
    files: tuple[Path, ...],
    cases_file: Path | None,
    pseudonyms: Path | None,
    ignore_case: bool | None,
    columns_spec: str | None,
    as_json: bool,
) -> None:
    """Import transcripts (.txt, .md, .docx, .odt, .vtt, .srt, .html, .csv, .tsv) with their case attributes.

    The transcript's name is the file name without its extension. All files are checked before
    anything is written: if one cannot be read, nothing is imported. A file whose text is
    already in the study is skipped. noScribe's HTML keeps its speakers, times and header; a
    table (.csv, .tsv) needs a text column and may have time, end and speaker columns. A
    REFI-QDA project (.qdpx) or codebook (.qdc) is imported with everything it holds, and a
    report of what could not be brought in.
    """
    columns = _table_columns(columns_spec, files)
    if any(is_exchange_file(f) for f in files):
        import_exchange_files(study, files, cases_file, as_json)
        return
    import time

    started = time.perf_counter()
    replaced = None
    with open_study(study) as s:
        if pseudonyms is not None:
            from workbench.study.anonymise import import_anonymised, load_pseudonym_map

            mapping = load_pseudonym_map(pseudonyms, ignore_case)
            report, replaced = import_anonymised(s, files, cases_file, mapping, columns=columns)
            for item in replaced.replacements:  # names real people: the terminal only, never a file
                click.echo(f"  replaced {item.describe()}", err=True)
            for item in replaced.study.details.replacements:  # names that were already in the study
                click.echo(f"  replaced {item.describe()}", err=True)
        else:
            report = _import_with_progress(s, files, cases_file, columns, quiet=as_json)
    if as_json:
        extra = {"replacements": replaced.counts(), "study": replaced.study.to_json()} if replaced else {}
        emit_json({**report.to_json(), **extra})
        return
    for file, reason in report.skipped:
        click.echo(f"skipped {file}: {reason}")
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if report.cases_updated:
        click.echo(f"updated attributes of {len(report.cases_updated)} case(s): {', '.join(report.cases_updated)}")
    click.echo(
        f"imported {len(report.imported)} transcript(s), {report.words:,} words, in {time.perf_counter() - started:.2f} s"
    )
    if replaced is not None and (replaced.study.changed or replaced.study.compacted or replaced.study.remaining):
        from workbench.cli.revisions import print_scrub

        print_scrub(study, pseudonyms, replaced.study)


def _table_columns(spec: str | None, files: tuple[Path, ...]) -> dict[str, str] | None:
    """``--columns`` as a mapping; refused when no file is a table."""
    if spec is None:
        return None
    from workbench.errors import WorkbenchError
    from workbench.interop.transcripts.table import parse_columns

    if not any(f.suffix.lower() in (".csv", ".tsv") for f in files):
        raise WorkbenchError("--columns applies to tabular transcripts (.csv, .tsv) only")
    return parse_columns(spec)


def _import_with_progress(study, files, cases_file, columns, quiet: bool):
    if quiet or len(files) < 2 or not sys.stderr.isatty():
        return study.import_files(files, cases_file, columns=columns)
    from rich.progress import Progress

    from workbench.cli.output import console

    with Progress(transient=True, console=console(stderr=True)) as progress:
        task = progress.add_task("reading", total=len(files))
        return study.import_files(files, cases_file, progress=lambda _path: progress.advance(task), columns=columns)


@click.command()
@STUDY
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def transcripts(study: Path, as_json: bool) -> None:
    """List the transcripts with their case, size and number of codings."""
    with open_study(study) as s:
        rows = []
        counts = s.coding_counts()
        for t in s.transcripts():
            rows.append(
                {
                    "name": t.name,
                    "case": t.case,
                    "format": t.format,
                    "words": t.words,
                    "chars": t.chars,
                    "codings": counts.get(t.name, 0),
                    "source_file": t.source_file,
                }
            )
    if as_json:
        emit_json(rows)
        return
    from workbench.cli.output import print_table

    print_table(
        ["transcript", "case", "format", "words", "codings"],
        [[r["name"], r["case"] or "", r["format"], f"{r['words']:,}", str(r["codings"])] for r in rows],
    )


@click.group()
def case() -> None:
    """Cases (informants) and their attributes."""


@click.command("set")
@STUDY
@click.argument("case_name", metavar="CASE")
@click.argument("assignments", nargs=-1, required=True, metavar="KEY=VALUE...")
def case_set(study: Path, case_name: str, assignments: tuple[str, ...]) -> None:
    """Set attributes of a case, e.g. `size=smaller cluster=B`; `KEY=` removes one."""
    attrs = dict(map(split_assignment, assignments))
    with open_study(study) as s:
        result = s.set_case_attributes(case_name, attrs)
    click.echo(f"{case_name}: " + ", ".join(f"{k}={v}" for k, v in sorted(result.items())))


@click.command("list")
@STUDY
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object {case: {key: value}}.")
def case_list(study: Path, as_json: bool) -> None:
    """List cases with their attributes."""
    with open_study(study) as s:
        cases = s.cases()
    if as_json:
        emit_json(cases)
        return
    keys = sorted({k for attrs in cases.values() for k in attrs})
    from workbench.cli.output import print_table

    print_table(["case", *keys], [[name, *(attrs.get(k, "") for k in keys)] for name, attrs in cases.items()])
