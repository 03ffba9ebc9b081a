"""The ``workbench`` command: a thin, scriptable layer over ``workbench.study``.

Exit code 0 on success; 1 with a one-line ``error: ...`` on stderr for anything the researcher can
fix. ``--json`` output shapes are documented in the README and stay stable.

This module holds the main group and, at its end, the whole command tree: every command is
defined in the module of its group (transcripts, codebook, coding, chapter, exchange, analysis,
revisions, safety, app, search) without knowing where it is attached, and named here
(``COMMANDS``, ``SUBCOMMANDS``); a command's module is imported only when that command runs.
"""

from __future__ import annotations

import importlib

import click

from workbench import __version__
from workbench.cli.base import fail as _fail
from workbench.cli.base import safe_output
from workbench.errors import WorkbenchError


class FriendlyGroup(click.Group):
    """Turns every user error into one line on stderr and exit code 1, never a traceback; and
    prints all a command prints through the terminal-safe rule (``cli.base.safe_output``).

    Its commands are those of :data:`COMMANDS`, each loaded when first asked for.
    """

    def list_commands(self, ctx: click.Context | None) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context | None, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.add_command(_load_command(cmd_name), cmd_name)
        return self.commands.get(cmd_name)

    def main(self, *args, **kwargs):
        with safe_output():
            return super().main(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `workbench STUDY` is short for `workbench open STUDY`.
        if args and not args[0].startswith("-") and args[0] not in COMMANDS:
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
        from workbench.cli.app import reopen_or_help

        reopen_or_help(ctx)


# -- the command tree ----------------------------------------------------------------------------
# Every command and where it hangs, as "module:attribute" in workbench/cli/. A command's module is
# imported only when that command runs (or `--help` lists them all): a quick report does not pay
# for importing every other command and what it needs. `workbench --help` lists them alphabetically.

COMMANDS: dict[str, str] = {
    # transcripts and cases
    "init": "transcripts:init",
    "import": "transcripts:import_",  # also .qdpx/.qdc, through cli/exchange.py
    "transcripts": "transcripts:transcripts",
    "case": "transcripts:case",
    # the codebook
    "codebook": "codebook:codebook",
    # coding and quotes
    "code": "coding:code",
    "uncode": "coding:uncode",
    "quotes": "coding:quotes",
    "select": "coding:select",
    "stats": "coding:stats",
    "memo": "coding:memo",
    "search": "search:search",
    # the terminal workbench
    "demo": "app:demo",
    "open": "app:open_",
    "recent": "app:recent",
    # the chapter and other exports
    "export": "chapter:export",
    "verify": "chapter:verify",
    # keeping the work safe
    "backup": "safety:backup",
    "backups": "safety:backups",
    "restore": "safety:restore",
    "log": "safety:log",
    "undo": "safety:undo",
    "redo": "safety:redo",
    # analysis and agreement
    "matrix": "analysis:matrix",
    "cooccurrence": "analysis:cooccurrence",
    "coverage": "analysis:coverage",
    "merge": "analysis:merge",
    "agreement": "analysis:agreement",
    "chart": "chart:chart",
    # exchange with other tools
    "import-highlights": "exchange:import_highlights",
    # revisions and anonymising
    "reimport": "revisions:reimport",
    "review": "revisions:review",
    "reviewed": "revisions:reviewed",
    "anonymise": "revisions:anonymise",
    # the shell's completion
    "completion": "completion:completion",
}

#: The sub-commands of each group above, attached when the group is loaded.
SUBCOMMANDS: dict[str, list[str]] = {
    "case": ["transcripts:case_set", "transcripts:case_list"],
    "codebook": [
        "codebook:codebook_load",  # also .qdc and Taguette CSV, through cli/exchange.py
        "codebook:codebook_export",
        "codebook:codebook_check",
    ],
    "export": [
        "chapter:export_chapter",
        "chapter:export_quotes",
        "exchange:export_qdpx_command",
        "exchange:export_qdc_command",
    ],
    "anonymise": ["revisions:anonymise_check", "revisions:anonymise_apply", "revisions:anonymise_purge_snapshots"],
}


def _defined(where: str) -> click.Command:
    module, attribute = where.split(":")
    return getattr(importlib.import_module(f"workbench.cli.{module}"), attribute)


def _load_command(name: str) -> click.Command:
    """The command ``name`` of :data:`COMMANDS`, with its sub-commands and their shell completion."""
    from workbench.cli import completion

    command = _defined(COMMANDS[name])
    if isinstance(command, click.Group):
        for where in SUBCOMMANDS.get(name, []):
            command.add_command(_defined(where))
    completion.attach(command)
    return command
