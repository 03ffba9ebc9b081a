"""The ``workbench`` command: a thin, scriptable layer over ``workbench.study``.

Exit code 0 on success; 1 with a one-line ``error: ...`` on stderr for anything the researcher can
fix. ``--json`` output shapes are documented in the README and stay stable.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from workbench import __version__
from workbench.errors import WorkbenchError

STUDY = click.argument("study", type=click.Path(path_type=Path, dir_okay=False))


class FriendlyGroup(click.Group):
    """Turns every user error into one line on stderr and exit code 1, never a traceback."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `workbench STUDY` is short for `workbench open STUDY`.
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except WorkbenchError as exc:  # SQLite's errors too: storage raises them as StudyBusyError / StorageError
            _fail(str(exc))
        except OSError as exc:
            _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _emit_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _open(path: Path):
    from workbench.study import Study

    return Study.open(path)


@click.group(cls=FriendlyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="workbench")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Code interview transcripts and write the results chapter, in the terminal.

    A study is one SQLite file. Typical start:

    \b
      workbench init study.db
      workbench import study.db interviews/*.txt --cases cases.yaml
      workbench codebook load study.db codebooks/it-collaboration.yaml
      workbench code study.db informant_7 "Trust and confidence" --text "we could not manage it ourselves"
      workbench quotes study.db --theme Trust --where size=smaller
      workbench stats study.db --by cluster

    Try `workbench demo` for the bundled sample study. Every command has --help.
    """
    if ctx.invoked_subcommand is None:
        click.echo(ctx.get_help())


@main.command()
@STUDY
def init(study: Path) -> None:
    """Create a new, empty study file (refuses to overwrite an existing file)."""
    from workbench.study import Study

    Study.create(study).close()
    click.echo(f"created {study}")


@main.command("import")
@STUDY
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--cases", "cases_file", type=click.Path(path_type=Path), help="YAML or CSV file of case attributes per transcript.")
@click.option("--pseudonyms", type=click.Path(path_type=Path, dir_okay=False),
              help="Pseudonym map (YAML: real name -> replacement) applied before anything is stored; never stored itself.")
@click.option("--ignore-case", is_flag=True, default=None, help="Match the map's names without regard to case.")
@click.option("--json", "as_json", is_flag=True, help="Print the import report as JSON.")
def import_(study: Path, files: tuple[Path, ...], cases_file: Path | None, pseudonyms: Path | None,
            ignore_case: bool | None, as_json: bool) -> None:
    """Import transcripts (.txt, .md, .docx, .vtt, .srt) with their case attributes.

    The transcript's name is the file name without its extension. All files are checked before
    anything is written: if one cannot be read, nothing is imported. A file whose text is
    already in the study is skipped. A REFI-QDA project (.qdpx) or codebook (.qdc) is imported
    with everything it holds, and a report of what could not be brought in.
    """
    from workbench.cli.exchange import import_exchange_files, is_exchange_file

    if any(is_exchange_file(f) for f in files):
        import_exchange_files(study, files, cases_file, as_json)
        return
    import time

    started = time.perf_counter()
    replaced = None
    with _open(study) as s:
        if pseudonyms is not None:
            from workbench.study.anonymise import import_anonymised, load_pseudonym_map

            mapping = load_pseudonym_map(pseudonyms, ignore_case)
            report, replaced = import_anonymised(s, files, cases_file, mapping)
            for item in replaced.replacements:  # names real people: the terminal only, never a file
                click.echo(f"  replaced {item.describe()}", err=True)
            for item in replaced.study.details.replacements:  # names that were already in the study
                click.echo(f"  replaced {item.describe()}", err=True)
        else:
            report = _import_with_progress(s, files, cases_file, quiet=as_json)
    if as_json:
        extra = {"replacements": replaced.counts(), "study": replaced.study.to_json()} if replaced else {}
        _emit_json({**report.to_json(), **extra})
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


def _import_with_progress(study, files, cases_file, quiet: bool):
    if quiet or len(files) < 2 or not sys.stderr.isatty():
        return study.import_files(files, cases_file)
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("reading", total=len(files))
        return study.import_files(files, cases_file, progress=lambda _path: progress.advance(task))


@main.command()
@STUDY
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def transcripts(study: Path, as_json: bool) -> None:
    """List the transcripts with their case, size and number of codings."""
    with _open(study) as s:
        rows = []
        counts = s.coding_counts()
        for t in s.transcripts():
            rows.append({"name": t.name, "case": t.case, "format": t.format, "words": t.words,
                         "chars": t.chars, "codings": counts.get(t.name, 0), "source_file": t.source_file})
    if as_json:
        _emit_json(rows)
        return
    from workbench.cli.output import print_table

    print_table(["transcript", "case", "format", "words", "codings"],
                [[r["name"], r["case"] or "", r["format"], f"{r['words']:,}", str(r["codings"])] for r in rows])


@main.group()
def case() -> None:
    """Cases (informants) and their attributes."""


@case.command("set")
@STUDY
@click.argument("case_name", metavar="CASE")
@click.argument("assignments", nargs=-1, required=True, metavar="KEY=VALUE...")
def case_set(study: Path, case_name: str, assignments: tuple[str, ...]) -> None:
    """Set attributes of a case, e.g. `size=smaller cluster=B`; `KEY=` removes one."""
    attrs = _parse_assignments(assignments)
    with _open(study) as s:
        result = s.set_case_attributes(case_name, attrs)
    click.echo(f"{case_name}: " + ", ".join(f"{k}={v}" for k, v in sorted(result.items())))


@case.command("list")
@STUDY
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object {case: {key: value}}.")
def case_list(study: Path, as_json: bool) -> None:
    """List cases with their attributes."""
    with _open(study) as s:
        cases = s.cases()
    if as_json:
        _emit_json(cases)
        return
    keys = sorted({k for attrs in cases.values() for k in attrs})
    from workbench.cli.output import print_table

    print_table(["case", *keys], [[name, *(attrs.get(k, "") for k in keys)] for name, attrs in cases.items()])


def _split_assignment(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise WorkbenchError(f"{item!r}: expected KEY=VALUE")
    return key.strip(), value.strip()


def _parse_assignments(items: tuple[str, ...]) -> dict[str, str]:
    return dict(map(_split_assignment, items))


@main.group()
def codebook() -> None:
    """Load, export and check codebooks (YAML trees of themes; see docs/codebook.md)."""


@codebook.command("load")
@STUDY
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the merge report as JSON.")
def codebook_load(study: Path, file: Path, as_json: bool) -> None:
    """Load a codebook into the study, merging by theme path (nothing is removed).

    FILE is a codebook in YAML, a REFI-QDA codebook (.qdc) or a Taguette codebook CSV
    (tag,description,...; a '/' in a tag makes a sub-theme).
    """
    from workbench.cli.exchange import import_exchange_files, load_codebook_csv

    if file.suffix.lower() == ".csv":
        load_codebook_csv(study, file, as_json)
        return
    if file.suffix.lower() == ".qdc":
        import_exchange_files(study, (file,), None, as_json)
        return
    with _open(study) as s:
        report = s.load_codebook(file)
    if as_json:
        _emit_json(report.to_json())
        return
    click.echo(f"added {len(report.added)} theme(s), updated {len(report.updated)}, unchanged {len(report.unchanged)}")
    for path, fields in report.updated:
        click.echo(f"  updated {path}: {', '.join(fields)}")
    for key, old, new in report.keys_moved:
        click.echo(f"  key {key!r} moved from {old} to {new}")
    for path, codings in report.kept:
        click.echo(f"  kept {path} (not in the file; {codings} coding(s))")


@codebook.command("export")
@STUDY
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False), help="Write to this file (default: stdout).")
def codebook_export(study: Path, output: Path | None) -> None:
    """Write the study's codebook as YAML (the same format `codebook load` reads)."""
    with _open(study) as s:
        text = s.export_codebook()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}")


@codebook.command("check")
@click.argument("file", type=click.Path(path_type=Path))
def codebook_check(file: Path) -> None:
    """Validate a codebook file without loading it anywhere."""
    from workbench.domain.codebook import iter_themes, load_codebook

    book = load_codebook(file)
    count = sum(1 for _ in iter_themes(book.themes))
    click.echo(f"{file}: ok, {count} theme(s)")


@main.command()
@STUDY
@click.argument("transcript")
@click.argument("theme")
@click.option("--text", "passage", help="The exact passage to code.")
@click.option("--occurrence", type=click.IntRange(min=1), help="Which occurrence of --text (1 = first).")
@click.option("--start", type=click.IntRange(min=0), help="Start offset (code points, inclusive).")
@click.option("--end", type=click.IntRange(min=0), help="End offset (code points, exclusive).")
@click.option("--coder", help="Who codes (default: $WORKBENCH_CODER or the login name).")
@click.option("--select", "select_", is_flag=True, help="Also select the passage for the chapter.")
@click.option("--comment", help="A comment on the quote (your interpretation).")
@click.option("--json", "as_json", is_flag=True, help='Print {"id": ...}.')
def code(study: Path, transcript: str, theme: str, passage: str | None, occurrence: int | None,
         start: int | None, end: int | None, coder: str | None, select_: bool, comment: str | None,
         as_json: bool) -> None:
    """Code a passage of TRANSCRIPT with THEME (a path: `Theme/Sub-theme`).

    Give the passage either as exact text (--text, with --occurrence if it occurs more than
    once) or as offsets (--start/--end).
    """
    if (passage is None) == (start is None and end is None):
        raise WorkbenchError("give either --text PASSAGE or --start S --end E")
    if passage is None and (start is None or end is None):
        raise WorkbenchError("--start and --end go together")
    with _open(study) as s:
        if passage is not None:
            start, end = s.find_passage(transcript, passage, occurrence)
        with s.batch("code", {"transcript": transcript, "theme": theme}):  # one transaction, one undo step
            result = s.code(transcript, theme, start, end, coder=coder)
            if select_ or comment is not None:
                s.select(result.coding.id, selected=select_ or s.quote(result.coding.id).selected, comment=comment)
    if as_json:
        _emit_json({"id": result.coding.id, "created": result.created})
        return
    verb = "coded" if result.created else "already coded"
    click.echo(f"{verb} #{result.coding.id}: {result.coding.transcript} {start}..{end} as {result.coding.theme_path}")


@main.command()
@STUDY
@click.argument("coding_id", type=int)
def uncode(study: Path, coding_id: int) -> None:
    """Remove a coding (by its id, as shown by `quotes`)."""
    with _open(study) as s:
        removed = s.uncode(coding_id)
    click.echo(f"removed #{removed.id}: {removed.transcript} {removed.start}..{removed.end} as {removed.theme_path}")


@main.command()
@STUDY
@click.option("--theme", help="Only this theme and its sub-themes.")
@click.option("--where", "where", multiple=True, metavar="KEY=VALUE",
              help="Only cases with this attribute value (repeat: different keys must all match, one key's values are alternatives).")
@click.option("--selected", is_flag=True, help="Only quotes selected for the chapter.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of quotes.")
def quotes(study: Path, theme: str | None, where: tuple[str, ...], selected: bool, as_json: bool) -> None:
    """The quote board: coded passages grouped by theme, with their case attributes."""
    conditions: dict[str, set[str]] = {}
    for key, value in map(_split_assignment, where):
        conditions.setdefault(key, set()).add(value)
    with _open(study) as s:
        found = s.quotes(theme=theme, where=conditions or None, selected_only=selected)
    if as_json:
        _emit_json([q.to_json() for q in found])
        return
    from workbench.cli.output import print_quotes

    print_quotes(found)


@main.command()
@STUDY
@click.argument("coding_id", type=int)
@click.option("--comment", help="Your comment on the quote (empty to clear).")
@click.option("--position", type=click.IntRange(min=1), help="Its place among the theme's selected quotes (1 = first).")
@click.option("--elided", help="A trimmed form of the passage, with cuts marked [...].")
@click.option("--off", is_flag=True, help="Deselect it (the comment is kept).")
def select(study: Path, coding_id: int, comment: str | None, position: int | None, elided: str | None, off: bool) -> None:
    """Select a coded passage as a quote for the chapter, and set its comment and order."""
    with _open(study) as s:
        quote = s.select(coding_id, selected=not off, comment=comment, position=position, elided=elided)
    state = f"selected, position {quote.position}" if quote.selected else "not selected"
    click.echo(f"#{quote.id} ({quote.theme}): {state}")


@main.command()
@STUDY
@click.option("--by", help="Split the counts by this case attribute (e.g. size, cluster).")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
def stats(study: Path, by: str | None, as_json: bool) -> None:
    """Codings and informants per theme, optionally split by a case attribute."""
    with _open(study) as s:
        rows, values = s.stats(by)
        summary = {"transcripts": len(s.transcripts()), "cases": len(s.cases())}
    from workbench.cli.output import print_stats, stats_json

    if as_json:
        _emit_json(stats_json(rows, values, by, summary))
        return
    print_stats(rows, values, by, summary, title=study.name)


@main.command()
@STUDY
@click.option("--on", "target_type", type=click.Choice(["study", "theme", "transcript", "case"]), default="study",
              show_default=True, help="What the memo is about.")
@click.option("--target", help="The theme path, transcript or case name (not for --on study).")
@click.option("--text", help="Set the memo to this text (empty to delete); without it, print the memo.")
def memo(study: Path, target_type: str, target: str | None, text: str | None) -> None:
    """Read or write a memo on the study, a theme, a transcript or a case.

    A theme's memo is that section's introduction in the chapter; the study memo introduces it.
    """
    with _open(study) as s:
        if text is None:
            click.echo(s.memo(target_type, target) or "")
            return
        s.set_memo(target_type, target, text)
    click.echo(f"memo on {target_type}{' ' + target if target else ''} {'saved' if text.strip() else 'deleted'}")


@main.command()
@click.option("--path", "path", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write the demo study (default: a new file in your data folder).")
@click.option("--no-open", is_flag=True, help="Only create the study and print its path.")
@click.option("--no-mouse", is_flag=True, help="Ignore the mouse (everything works from the keyboard).")
def demo(path: Path | None, no_open: bool, no_mouse: bool) -> None:
    """Create a fresh copy of the bundled sample study (8 interviews, some coding done) and open it."""
    from workbench.study.demo import build_demo_study

    created = build_demo_study(path)
    click.echo(f"sample study written to {created}", err=True)
    if no_open:
        click.echo(str(created))
        return
    _open_study(created, mouse=not no_mouse)


@main.command("open")
@STUDY
@click.option("--no-mouse", is_flag=True, help="Ignore the mouse (everything works from the keyboard).")
def open_(study: Path, no_mouse: bool) -> None:
    """Open a study in the terminal workbench (also: `workbench STUDY`).

    Keys: F1 lists them; ctrl+p finds any action. Settings (key remapping, mouse, UI theme) are
    read from config.yaml in your config folder, or $WORKBENCH_CONFIG.
    """
    _open_study(study, mouse=not no_mouse)


def _open_study(path: Path, mouse: bool = True) -> None:
    """Open the terminal workbench on a study (errors opening it are reported before the UI starts)."""
    from workbench.tui.config import load_config

    config = load_config()
    study = _open(path)
    try:
        from workbench.tui.app import WorkbenchApp

        WorkbenchApp(study, config).run(mouse=mouse and config.mouse)
    finally:
        study.close()

from workbench.cli.chapter import export, verify  # noqa: E402  (registered after main is defined)

main.add_command(export)
main.add_command(verify)

from workbench.cli.safety import SAFETY_COMMANDS  # noqa: E402

for _command in SAFETY_COMMANDS:
    main.add_command(_command)

from workbench.cli.analysis import ANALYSIS_COMMANDS  # noqa: E402

for _command in ANALYSIS_COMMANDS:
    main.add_command(_command)

import workbench.cli.exchange  # noqa: E402,F401  (adds commands to main and export)

from workbench.cli.revisions import REVISION_COMMANDS  # noqa: E402

for _command in REVISION_COMMANDS:
    main.add_command(_command)
