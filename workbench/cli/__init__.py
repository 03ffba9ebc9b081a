"""The ``workbench`` command: a thin, scriptable layer over ``workbench.study``.

Exit code 0 on success; 1 with a one-line ``error: ...`` on stderr for anything the researcher can
fix. ``--json`` output shapes are documented in the README and stay stable.

This module holds the main group and, at its end, the whole command tree: every command is
defined in the module of its group (transcripts, codebook, coding, chapter, exchange, analysis,
revisions, safety, app, search) without knowing where it is attached, and registered here.
"""

from __future__ import annotations

import click

from workbench import __version__
from workbench.cli import (
    analysis,
    app,
    chapter,
    codebook,
    coding,
    completion,
    exchange,
    revisions,
    safety,
    search,
    transcripts,
)
from workbench.cli import chart as charts
from workbench.cli.base import fail as _fail
from workbench.cli.base import safe_output
from workbench.errors import WorkbenchError


class FriendlyGroup(click.Group):
    """Turns every user error into one line on stderr and exit code 1, never a traceback; and
    prints all a command prints through the terminal-safe rule (``cli.base.safe_output``)."""

    def main(self, *args, **kwargs):
        with safe_output():
            return super().main(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `workbench STUDY` is short for `workbench open STUDY`.
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["open", *args]
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            _usage_error(exc)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:  # a command's arguments, parsed here
            _usage_error(exc)
        except WorkbenchError as exc:  # SQLite's errors too: storage raises them as StudyBusyError / StorageError
            _fail(str(exc))
        except OSError as exc:
            _fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "))


def _usage_error(exc: click.UsageError) -> None:
    """A mistake on the command line, as every other error: one line on stderr, status 1 (a
    group asked for without a subcommand still shows its help, as click does)."""
    if isinstance(exc, click.exceptions.NoArgsIsHelpError):
        raise exc
    where = exc.ctx.command_path if exc.ctx else "workbench"
    _fail(f"{exc.format_message()} (see: {where} --help)")


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
        app.reopen_or_help(ctx)


# -- the command tree ----------------------------------------------------------------------------
# Every command and where it hangs. `workbench --help` lists them alphabetically.

# transcripts and cases
main.add_command(transcripts.init)
main.add_command(transcripts.import_)  # also .qdpx/.qdc, through cli/exchange.py
main.add_command(transcripts.transcripts)
main.add_command(transcripts.case)
transcripts.case.add_command(transcripts.case_set)
transcripts.case.add_command(transcripts.case_list)

# the codebook
main.add_command(codebook.codebook)
codebook.codebook.add_command(codebook.codebook_load)  # also .qdc and Taguette CSV, through cli/exchange.py
codebook.codebook.add_command(codebook.codebook_export)
codebook.codebook.add_command(codebook.codebook_check)

# coding and quotes
main.add_command(coding.code)
main.add_command(coding.uncode)
main.add_command(coding.quotes)
main.add_command(coding.select)
main.add_command(coding.stats)
main.add_command(coding.memo)
main.add_command(search.search)

# the terminal workbench
main.add_command(app.demo)
main.add_command(app.open_)
main.add_command(app.recent)

# the chapter and other exports
main.add_command(chapter.export)
chapter.export.add_command(chapter.export_chapter)
chapter.export.add_command(chapter.export_quotes)
chapter.export.add_command(exchange.export_qdpx_command)
chapter.export.add_command(exchange.export_qdc_command)
main.add_command(chapter.verify)

# keeping the work safe
main.add_command(safety.backup)
main.add_command(safety.backups)
main.add_command(safety.restore)
main.add_command(safety.log)
main.add_command(safety.undo)
main.add_command(safety.redo)

# analysis and agreement
main.add_command(analysis.matrix)
main.add_command(analysis.cooccurrence)
main.add_command(analysis.coverage)
main.add_command(analysis.merge)
main.add_command(analysis.agreement)
main.add_command(charts.chart)

# exchange with other tools
main.add_command(exchange.import_highlights)

# revisions and anonymising
main.add_command(revisions.reimport)
main.add_command(revisions.review)
main.add_command(revisions.reviewed)
main.add_command(revisions.anonymise)
revisions.anonymise.add_command(revisions.anonymise_check)
revisions.anonymise.add_command(revisions.anonymise_apply)
revisions.anonymise.add_command(revisions.anonymise_purge_snapshots)

# the shell's completion (attached last: it walks the whole tree)
main.add_command(completion.completion)
completion.attach(main)
