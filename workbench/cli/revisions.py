"""``workbench reimport|review|reviewed`` and ``workbench anonymise check|apply``.

Registered in workbench/cli/__init__.py, so they share the main group's error handling: a
``WorkbenchError`` becomes one ``error: ...`` line and exit code 1.
"""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.base import STUDY, emit_json, open_study
from workbench.errors import WorkbenchError

PSEUDONYMS = click.option(
    "--pseudonyms", "pseudonyms", type=click.Path(path_type=Path, dir_okay=False),
    help="Pseudonym map (YAML: real name -> replacement) to apply first; it is never stored in the study.",
)
IGNORE_CASE = click.option("--ignore-case", is_flag=True, default=None,
                           help="Match the map's names without regard to case.")


def _one_line(text: str, width: int = 70) -> str:
    """A passage on one line for the terminal, control characters shown as symbols."""
    from workbench.display.quote_lines import cut_end
    from workbench.display.safe_text import visible

    return cut_end(visible(text), width)


@click.command()
@STUDY
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--name", "name", metavar="TRANSCRIPT", help="The transcript this file replaces (default: the file's name).")
@PSEUDONYMS
@IGNORE_CASE
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def reimport(study: Path, file: Path, name: str | None, pseudonyms: Path | None, ignore_case: bool | None,
             as_json: bool) -> None:
    """Replace a transcript with a changed version of its file, moving every coding with its text.

    Codings whose text is found are kept or moved; codings on text that changed a little (a
    corrected typo) move and take the new wording; the rest keep their best place and are
    flagged for review (`workbench review`). `workbench undo` (or `u` in the workbench)
    reverses it.
    """
    from workbench.study.reimport import reimport_transcript

    mapping = _load_map(pseudonyms, ignore_case)
    with open_study(study) as s:
        report = reimport_transcript(s, file, name=name, pseudonyms=mapping)
    if report.anonymisation is not None:
        _print_replacements(report.anonymisation)
    if as_json:
        emit_json(report.to_json())
        return
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if report.unchanged:
        click.echo(f"{report.transcript}: {file} has the same text; nothing changed")
        return
    before, after = report.chars
    click.echo(f"{report.transcript}: new text from {file} ({before:,} -> {after:,} characters)")
    click.echo(f"codings: {report.kept} kept, {report.moved} moved, {report.flagged} flagged for review")
    for coding in report.codings:
        if coding.status == "flagged":
            click.echo(f"  #{coding.id} {coding.old[0]}..{coding.old[1]} -> {coding.new[0]}..{coding.new[1]}: {coding.reason}")
    if report.flagged:
        click.echo(f"see them with `workbench review {study}`")


@click.command()
@STUDY
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def review(study: Path, as_json: bool) -> None:
    """List the codings flagged for review (e.g. after a re-import), with the reason."""
    from workbench.study.reimport import codings_to_review

    with open_study(study) as s:
        items = codings_to_review(s)
    if as_json:
        emit_json([item.to_json() for item in items])
        return
    if not items:
        click.echo("no codings need review")
        return
    for item in items:
        selected = ", selected for the chapter" if item.selected else ""
        click.echo(f"#{item.id} {item.transcript} {item.start}..{item.end} {item.theme}{selected}")
        click.echo(f"  why:   {_one_line(item.reason, 200)}")
        click.echo(f"  coded: {_one_line(item.coded_text)}")
        if item.current_text != item.coded_text:
            click.echo(f"  now:   {_one_line(item.current_text)}")
    click.echo(f"{len(items)} coding(s) to review; accept one with `workbench reviewed {study} ID` "
               "(--start/--end to correct its span) or remove it with `workbench uncode`")


@click.command()
@STUDY
@click.argument("coding_id", type=int)
@click.option("--start", type=click.IntRange(min=0), help="The right start offset, if the coding should cover another span.")
@click.option("--end", type=click.IntRange(min=0), help="The right end offset (exclusive).")
def reviewed(study: Path, coding_id: int, start: int | None, end: int | None) -> None:
    """Mark a flagged coding as reviewed: it now covers the transcript's text at its place."""
    from workbench.study.reimport import mark_reviewed

    with open_study(study) as s:
        result = mark_reviewed(s, coding_id, start, end)
    for note in result.notes:
        click.echo(f"note: #{result.id}: {note}", err=True)
    click.echo(f"reviewed #{result.id}: {result.start}..{result.end} {_one_line(result.text)!r}")


@click.group()
def anonymise() -> None:
    """Pseudonym maps: replace names in a transcript before import, check an export for leftovers.

    A map is YAML, one `real name: replacement` per line (docs/revisions.md). Keep it outside
    the study and out of anything you share.
    """


@click.command("check")
@click.argument("map_file", metavar="MAP.yaml", type=click.Path(path_type=Path))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the occurrences as JSON.")
def anonymise_check(map_file: Path, file: Path, as_json: bool) -> None:
    """List the map's names still present in FILE (e.g. an exported chapter); exit 1 if any."""
    from workbench.study.anonymise import check_file

    found = check_file(_load_map(map_file, None), file)
    if as_json:
        emit_json([{"line": o.line, "column": o.column, "found": o.found, "replacement": o.replacement} for o in found])
    else:
        for o in found:
            click.echo(f"{file}:{o.line}:{o.column}: {o.found!r} (mapped to {o.replacement!r})")
    if found:
        raise WorkbenchError(f"{file}: {len(found)} occurrence(s) of mapped names remain")
    if not as_json:
        click.echo(f"{file}: no mapped names found")


@click.command("apply")
@click.argument("map_file", metavar="MAP.yaml", type=click.Path(path_type=Path))
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write the anonymised copy (the original is not changed).")
@IGNORE_CASE
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--quiet", is_flag=True, help="Print only the number of replacements.")
@click.option("--json", "as_json", is_flag=True, help="Print every replacement as JSON.")
def anonymise_apply(map_file: Path, file: Path, output: Path, ignore_case: bool | None, force: bool,
                    quiet: bool, as_json: bool) -> None:
    """Write an anonymised copy of a transcript file, ready to import.

    Every replacement is listed (line, column, name, replacement) on the terminal; the list is
    not written into the output.
    """
    from workbench.study.anonymise import anonymise_file

    report = anonymise_file(_load_map(map_file, ignore_case), file, output, overwrite=force)
    if as_json:
        emit_json({"replacements": report.to_json(), "warnings": report.warnings})
        return
    if not quiet:
        _print_replacements(report)
    click.echo(f"wrote {output}: {len(report.replacements)} replacement(s)")


def _load_map(path: Path | None, ignore_case: bool | None):
    if path is None:
        if ignore_case:
            raise WorkbenchError("--ignore-case goes with --pseudonyms MAP.yaml")
        return None
    from workbench.study.anonymise import load_pseudonym_map

    return load_pseudonym_map(path, ignore_case)


def _print_replacements(report) -> None:
    """The replacement report, on stderr: it names real people and places."""
    for item in report.replacements:
        click.echo(f"  {item.describe()}", err=True)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)

