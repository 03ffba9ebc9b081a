"""Shell completion (click's mechanism) for bash, zsh and fish.

``workbench completion bash`` prints the script a shell's config evaluates. Beyond commands,
options and files, it completes what is inside the study named earlier on the line: transcript
names, theme paths and case names, read through ``study.names`` (read-only, never waiting for a
lock), so a Tab works while the terminal workbench has the study open.

Completions are attached by parameter name when the command tree is built (``attach``), so a new
command with a ``transcript`` or ``theme`` parameter completes without further work.
"""

from __future__ import annotations

import os
import re
import types
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.shell_completion import CompletionItem, get_completion_class, split_arg_string

from workbench.display.safe_text import visible_in_line

if TYPE_CHECKING:
    from workbench.study.names import StudyNames

SHELLS = ("bash", "zsh", "fish")
# The environment variable click's mechanism reads: _WORKBENCH_COMPLETE=bash_complete etc.
COMPLETE_VAR = "_WORKBENCH_COMPLETE"


def _names(ctx: click.Context) -> StudyNames:
    """The names in the study given earlier on the line (this command's or a parent's STUDY)."""
    from workbench.study.names import StudyNames, peek_names  # only when a Tab asks for names

    while ctx is not None:
        study = ctx.params.get("study")
        if study:
            return peek_names(Path(study))
        ctx = ctx.parent
    # While an option waits for its value (`quotes s.db --theme <Tab>`) click cannot parse the
    # line, so the parameters are empty: take the first word that names an SQLite file.
    for word in split_arg_string(os.environ.get("COMP_WORDS", ""))[1:]:
        if not word.startswith("-") and _is_sqlite_file(Path(word)):
            return peek_names(Path(word))
    return StudyNames()


def _is_sqlite_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _for_shell(value: str) -> str:
    # bash inserts a completion as it is: escape what would split or end the word. The backslash
    # is doubled because click's bash script reads each line with `read`, which takes one level.
    # zsh and fish quote completions themselves.
    if os.environ.get(COMPLETE_VAR, "").startswith("bash"):
        return re.sub(r"([\s\"'\\$`&|;<>()*?!#\[\]{}~])", r"\\\\\1", value)
    return value


def _matching(candidates: list[str], incomplete: str) -> list[CompletionItem]:
    # A name with a control, bidi or line-break character is never offered: the shell would
    # print it raw when it lists the choices, and nobody could have typed it anyway.
    prefix = incomplete.casefold()
    return [
        CompletionItem(_for_shell(c)) for c in candidates if c.casefold().startswith(prefix) and visible_in_line(c) == c
    ]


def complete_transcripts(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Transcript names of the study on the line."""
    return _matching(_names(ctx).transcripts, incomplete)


def complete_themes(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Theme paths (``Theme/Sub-theme``) of the study on the line; a sub-theme's own name when no
    path starts with what was typed (a unique sub-theme name is accepted as a theme too)."""
    paths = _names(ctx).theme_paths
    found = _matching(paths, incomplete)
    if found:
        return found
    leaves = sorted({p.rsplit("/", 1)[-1] for p in paths})
    return _matching(leaves, incomplete)


def complete_cases(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Case names of the study on the line."""
    return _matching(_names(ctx).cases, incomplete)


# Which parameter names take which kind of name.
_BY_PARAMETER: dict[str, Callable[[click.Context, click.Parameter, str], list[CompletionItem]]] = {
    "transcript": complete_transcripts,
    "transcripts": complete_transcripts,
    "theme": complete_themes,
    "themes": complete_themes,
    "coded_with": complete_themes,
    "case_name": complete_cases,
}


def attach(command: click.Command) -> None:
    """Give every parameter of ``command`` and its sub-commands that names a transcript, a theme
    or a case its completion (by the parameter's name)."""
    for param in command.params:
        complete = _BY_PARAMETER.get(param.name or "")
        if complete is not None:
            # Parameter.shell_complete is click's public hook; bind ours to this one parameter.
            param.shell_complete = types.MethodType(lambda self, ctx, inc, f=complete: f(ctx, self, inc), param)
    if isinstance(command, click.Group):
        for name in command.list_commands(None):
            attach(command.get_command(None, name))


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the shell completion script for SHELL (bash, zsh or fish).

    \b
    Add one line to your shell's config:
      bash (~/.bashrc):   eval "$(workbench completion bash)"
      zsh  (~/.zshrc):    eval "$(workbench completion zsh)"
      fish (~/.config/fish/config.fish):   workbench completion fish | source

    It completes commands, options, study files and, from the study given earlier on the line,
    transcript names, theme paths and case names.
    """
    root = ctx.find_root().command
    cls = get_completion_class(shell)
    script = cls(root, {}, "workbench", COMPLETE_VAR).source()
    click.echo(script)
