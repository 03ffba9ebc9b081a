"""``workbench codebook load|export|check``: the study's tree of themes as a file."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.base import STUDY, emit_json, open_study, write_data
from workbench.cli.exchange import import_exchange_files, load_codebook_csv
from workbench.interop.files import write_atomically


@click.group()
def codebook() -> None:
    """Load, export and check codebooks (YAML trees of themes; see docs/codebook.md)."""


@click.command("load")
@STUDY
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the merge report as JSON.")
def codebook_load(study: Path, file: Path, as_json: bool) -> None:
    """Load a codebook into the study, merging by theme path (nothing is removed).

    FILE is a codebook in YAML, a REFI-QDA codebook (.qdc) or a Taguette codebook CSV
    (tag,description,...; a '/' in a tag makes a sub-theme).
    """
    if file.suffix.lower() == ".csv":
        load_codebook_csv(study, file, as_json)
        return
    if file.suffix.lower() == ".qdc":
        import_exchange_files(study, (file,), None, as_json)
        return
    with open_study(study) as s:
        report = s.load_codebook(file)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if as_json:
        emit_json(report.to_json())
        return
    click.echo(f"added {len(report.added)} theme(s), updated {len(report.updated)}, unchanged {len(report.unchanged)}")
    for path, fields in report.updated:
        click.echo(f"  updated {path}: {', '.join(fields)}")
    for key, old, new in report.keys_moved:
        click.echo(f"  key {key!r} moved from {old} to {new}")
    for path, codings in report.kept:
        click.echo(f"  kept {path} (not in the file; {codings} coding(s))")


@click.command("export")
@STUDY
@click.option(
    "-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file (default: stdout)."
)
def codebook_export(study: Path, output: Path | None) -> None:
    """Write the study's codebook as YAML (the same format `codebook load` reads)."""
    with open_study(study) as s:
        text = s.export_codebook()
    if output is None:  # exact into a file or a pipe, safe on a terminal
        write_data(text)
    else:
        write_atomically(output, text.encode("utf-8"))
        click.echo(f"wrote {output}")


@click.command("check")
@click.argument("file", type=click.Path(path_type=Path))
def codebook_check(file: Path) -> None:
    """Validate a codebook file without loading it anywhere."""
    from workbench.domain.theme_tree import iter_themes
    from workbench.interop.codebook_file import colour_warnings, load_codebook

    book = load_codebook(file)
    count = sum(1 for _ in iter_themes(book.themes))
    for warning in colour_warnings(book):
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{file}: ok, {count} theme(s)")
