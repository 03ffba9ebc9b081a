"""``workbench reimport|review|reviewed`` and ``workbench anonymise check|apply``.

Registered in workbench/cli/__init__.py, so they share the main group's error handling: a
``WorkbenchError`` becomes one ``error: ...`` line and exit code 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workbench.cli.base import STUDY, emit_json, open_study
from workbench.errors import WorkbenchError

PSEUDONYMS = click.option(
    "--pseudonyms",
    "pseudonyms",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Pseudonym map (YAML: real name -> replacement) to apply first; it is never stored in the study.",
)
IGNORE_CASE = click.option(
    "--ignore-case", is_flag=True, default=None, help="Match the map's names without regard to case."
)


def _one_line(text: str, width: int = 70) -> str:
    """A passage on one line for the terminal, control characters shown as symbols."""
    from workbench.display.quote_lines import cut_end
    from workbench.display.safe_text import visible

    return cut_end(visible(text), width)


@click.command()
@STUDY
@click.argument("file", type=click.Path(path_type=Path))
@click.option(
    "--name", "name", metavar="TRANSCRIPT", help="The transcript this file replaces (default: the file's name)."
)
@PSEUDONYMS
@IGNORE_CASE
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def reimport(
    study: Path, file: Path, name: str | None, pseudonyms: Path | None, ignore_case: bool | None, as_json: bool
) -> None:
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
    if report.scrub is not None:
        _print_replacements(report.scrub.details)
    if as_json:
        emit_json(report.to_json())
        return
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if report.unchanged:
        click.echo(f"{report.transcript}: {file} has the same text; nothing changed")
        if report.scrub is not None:
            print_scrub(study, pseudonyms, report.scrub)
        return
    before, after = report.chars
    click.echo(f"{report.transcript}: new text from {file} ({before:,} -> {after:,} characters)")
    click.echo(f"codings: {report.kept} kept, {report.moved} moved, {report.flagged} flagged for review")
    for coding in report.codings:
        if coding.status == "flagged":
            click.echo(
                f"  #{coding.id} {coding.old[0]}..{coding.old[1]} -> {coding.new[0]}..{coding.new[1]}: {coding.reason}"
            )
    if report.flagged:
        click.echo(f"see them with `workbench review {study}`")
    if report.scrub is not None:
        print_scrub(study, pseudonyms, report.scrub)


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
    click.echo(
        f"{len(items)} coding(s) to review; accept one with `workbench reviewed {study} ID` "
        "(--start/--end to correct its span) or remove it with `workbench uncode`"
    )


@click.command()
@STUDY
@click.argument("coding_id", type=int)
@click.option(
    "--start", type=click.IntRange(min=0), help="The right start offset, if the coding should cover another span."
)
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
    """Pseudonym maps: replace names in a study or in a transcript file, check for leftovers.

    A map is YAML, one `real name: replacement` per line (docs/revisions.md). Keep it outside
    the study and out of anything you share.
    """


@click.command("check")
@click.argument("map_file", metavar="MAP.yaml", type=click.Path(path_type=Path))
@click.argument("files", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path))
@IGNORE_CASE
@click.option("--json", "as_json", is_flag=True, help="Print the occurrences as JSON.")
def anonymise_check(map_file: Path, files: tuple[Path, ...], ignore_case: bool | None, as_json: bool) -> None:
    """List the map's names still present in each FILE; exit 1 if any.

    A text FILE (an exported chapter, a CSV) is read line by line, case ignored. A study (.db)
    is searched everywhere: every text value of every table (the audit trail and the undo log
    too), the raw bytes of the file and its -wal (deleted data too), and its snapshots in
    STUDY.backups; case follows the map unless --ignore-case.
    """
    from workbench.study.anonymise import check_file
    from workbench.study.scrub import check_study, is_study_file

    mapping = _load_map(map_file, None)
    results, total = [], 0
    for file in files:
        if is_study_file(file):
            with open_study(file) as s:
                found = check_study(s, mapping, ignore_case=ignore_case)
            entries = [o.to_json() for o in found]
            lines = [f"{o.describe()}{' (a coder: not replaced)' if o.coder else ''}" for o in found]
            total += sum(o.count for o in found)
        else:
            found = check_file(mapping, file)
            entries = [
                {"file": str(file), "line": o.line, "column": o.column, "found": o.found, "replacement": o.replacement}
                for o in found
            ]
            lines = [f"{file}:{o.line}:{o.column}: {o.found!r} (mapped to {o.replacement!r})" for o in found]
            total += len(found)
        results.extend(entries)
        if not as_json:
            for line in lines:
                click.echo(_one_line(line, 400))
            if not found:
                click.echo(f"{file}: no mapped names found")
    if as_json:
        emit_json(results)
    if total:
        where = files[0] if len(files) == 1 else f"{len(files)} files"
        raise WorkbenchError(f"{where}: {total} occurrence(s) of mapped names remain")


@click.command("apply")
@click.argument("first", metavar="STUDY MAP.yaml | MAP.yaml FILE", type=click.Path(path_type=Path))
@click.argument("second", metavar="", type=click.Path(path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="For a transcript FILE: where to write the anonymised copy (the original is not changed).",
)
@IGNORE_CASE
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
@click.option("--quiet", is_flag=True, help="Do not list every replacement.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def anonymise_apply(
    first: Path, second: Path, output: Path | None, ignore_case: bool | None, force: bool, quiet: bool, as_json: bool
) -> None:
    """Apply a pseudonym map to a whole study, or write an anonymised copy of a transcript file.

    \b
    workbench anonymise apply STUDY MAP.yaml
    workbench anonymise apply MAP.yaml FILE -o OUT

    In a study, every name of the map is replaced wherever it is stored (transcripts, with their
    codings moving with the text; case attributes, memos, comments, trimmed quotes, theme names,
    the audit trail), and the file is compacted so that no deleted data keeps them. This ends
    the undo history and cannot be undone. Every replacement is listed on the terminal (stderr);
    the list is never stored.
    """
    from workbench.study.scrub import is_study_file

    if is_study_file(first) or is_study_file(second):
        study, map_file = (first, second) if is_study_file(first) else (second, first)
        if output is not None or force:
            raise WorkbenchError("-o and --force are for a transcript file; a study is anonymised in place")
        _apply_to_study(study, map_file, ignore_case, quiet, as_json)
        return
    if output is None:
        raise WorkbenchError(f"{second}: not a study; to write an anonymised copy of a transcript file, add -o OUT")
    from workbench.study.anonymise import anonymise_file

    report = anonymise_file(_load_map(first, ignore_case), second, output, overwrite=force)
    if as_json:
        emit_json({"replacements": report.to_json(), "warnings": report.warnings})
        return
    if not quiet:
        _print_replacements(report)
    click.echo(f"wrote {output}: {len(report.replacements)} replacement(s)")


def _apply_to_study(study: Path, map_file: Path, ignore_case: bool | None, quiet: bool, as_json: bool) -> None:
    from workbench.study.scrub import anonymise_study

    mapping = _load_map(map_file, ignore_case)
    with open_study(study) as s:
        result = anonymise_study(s, mapping)
    if as_json:
        emit_json(result.to_json())
        return
    if not quiet:
        _print_replacements(result.details)
    print_scrub(study, map_file, result)


@click.command("purge-snapshots")
@STUDY
@click.argument("map_file", metavar="MAP.yaml", type=click.Path(path_type=Path))
@IGNORE_CASE
@click.option("--yes", is_flag=True, help="Do not ask before deleting.")
@click.option("--json", "as_json", is_flag=True, help="Print the deleted snapshots as JSON.")
def anonymise_purge_snapshots(study: Path, map_file: Path, ignore_case: bool | None, yes: bool, as_json: bool) -> None:
    """Delete the snapshots in STUDY.backups that still hold any of the map's names.

    Snapshots without them are kept. A deleted snapshot cannot be restored.
    """
    from workbench.study.scrub import purge_snapshots, snapshots_holding_names

    mapping = _load_map(map_file, ignore_case)
    holding = snapshots_holding_names(study, mapping)
    if holding and not yes:
        question = (
            f"Delete {len(holding)} snapshot(s) of {study} that hold real names? They cannot be restored afterwards."
        )
        if not sys.stdin.isatty():
            raise WorkbenchError("deleting snapshots cannot be undone: add --yes to confirm (nothing was deleted)")
        if not click.confirm(question, default=False):
            raise WorkbenchError("no snapshot deleted")
    deleted = purge_snapshots(study, mapping) if holding else []
    if as_json:
        emit_json({"deleted": [str(p) for p in deleted]})
        return
    for path in deleted:
        click.echo(f"deleted {path}")
    click.echo(
        f"{len(deleted)} snapshot(s) holding mapped names deleted" if deleted else "no snapshot holds a mapped name"
    )


def print_scrub(study: Path, map_file: Path | None, result) -> None:
    """What anonymising a study did, without real names (those went to stderr)."""
    map_arg = map_file or "MAP.yaml"
    if result.changed:
        counts = ", ".join(f"{count} in {place}" for place, count in sorted(result.counts().items()))
        click.echo(f"replaced names already stored in {study}: {counts or 'none'}")
        for name, count in sorted(result.transcripts.items()):
            click.echo(f"  transcript {_one_line(name)}: {count} name(s) replaced, its codings moved with the text")
        if result.flagged:
            ids = ", ".join(f"#{i}" for i in result.flagged)
            click.echo(f"  flagged for review (a trimmed quote no longer fits): {ids}; see `workbench review {study}`")
        held = f" ({result.names_in_undo_log} occurrence(s))" if result.names_in_undo_log else ""
        click.echo(
            f"the undo history before this change was removed, because it held the names{held}: "
            "this change and the earlier ones cannot be undone"
        )
        if result.snapshot:
            click.echo(f"a snapshot was taken just before: {result.snapshot.name} (it holds the names)")
    elif result.undo_entries_dropped is not None:
        click.echo("the undo history was removed: compacting the file renumbered rows it refers to")
    if result.compacted:
        click.echo(f"compacted {study}: no deleted data is kept in the file or its -wal")
    if not result.log_emptied:
        click.echo(
            f"warning: another program has {study} open, so its -wal may still hold old data; "
            f"close it and run `workbench anonymise apply {study} {map_arg}` again",
            err=True,
        )
    coders = [o for o in result.remaining if o.coder]
    others = [o for o in result.remaining if not o.coder]
    if coders:
        click.echo(
            f"note: {len(coders)} coder name(s) match the map; coders are not informants, so they are not replaced"
        )
    if others:
        click.echo(
            f"warning: {sum(o.count for o in others)} occurrence(s) of mapped names remain; "
            f"`workbench anonymise check {map_arg} {study}` lists them",
            err=True,
        )
    elif not coders:
        click.echo(f"no mapped name remains in {study} or its -wal")
    if result.snapshots_holding:
        click.echo(f"{len(result.snapshots_holding)} snapshot(s) still holding real names:")
        for path in result.snapshots_holding:
            click.echo(f"  {path}")
        click.echo(f"delete them with `workbench anonymise purge-snapshots {study} {map_arg}`")


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


REVISION_COMMANDS = [reimport, review, reviewed, anonymise]
