"""``workbench demo|open|recent``: the terminal workbench itself (Textual is imported only here,
when run), and getting back to the last study."""

from __future__ import annotations

import gc
import shlex
import sys
from pathlib import Path

import click

from workbench.cli.base import open_study
from workbench.errors import WorkbenchError


@click.command()
@click.option(
    "--path",
    "path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write a new demo study (default: a new file in your data folder).",
)
@click.option("--fresh", is_flag=True, help="Make a new copy even if you have one already.")
@click.option("--no-open", is_flag=True, help="Only create (or find) the demo study and print its path.")
@click.option("--no-mouse", is_flag=True, help="Ignore the mouse (everything works from the keyboard).")
def demo(path: Path | None, fresh: bool, no_open: bool, no_mouse: bool) -> None:
    """Open the bundled sample study (8 interviews, some coding done).

    The first time, a copy is written to your data folder. After that, `workbench demo` reopens
    your copy with your work in it: on a terminal it asks first, otherwise it reopens it;
    `--fresh` makes a new copy (the old one stays where it is). `--path FILE` always writes a
    new copy to FILE.
    """
    from workbench.study.demo import build_demo_study, latest_demo_copy

    existing = None if (fresh or path is not None) else latest_demo_copy()
    if existing is not None and _interactive() and not no_open:
        reopen = click.confirm(
            f"You have a demo copy with your work in it: {existing}\nReopen it? (no: start a fresh copy)",
            default=True,
            err=True,
        )
        if not reopen:
            existing = None
    if existing is not None:
        click.echo(f"reopening your demo copy {existing} (workbench demo --fresh starts anew)", err=True)
        created = existing
    else:
        created = build_demo_study(path)
        click.echo(f"sample study written to {created}", err=True)
    if no_open:
        click.echo(str(created))
        return
    open_workbench(created, mouse=not no_mouse)


@click.command("open")
@click.argument("study", required=False, type=click.Path(path_type=Path))
@click.option("--no-mouse", is_flag=True, help="Ignore the mouse (everything works from the keyboard).")
def open_(study: Path | None, no_mouse: bool) -> None:
    """Open a study in the terminal workbench (also: `workbench STUDY`). Without STUDY: the study
    you opened last (`workbench recent` lists the others).

    Keys: F1 lists them; ctrl+p finds any action. Settings (key remapping, mouse, UI theme) are
    read from config.yaml in your config folder, or $WORKBENCH_CONFIG.
    """
    open_workbench(study if study is not None else last_study_path(), mouse=not no_mouse)


@click.command()
def recent() -> None:
    """List the studies you opened lately, newest first (`workbench` alone reopens the first)."""
    from workbench.study.recent import recent_studies

    studies = recent_studies()
    if not studies:
        click.echo("no studies opened yet (workbench demo opens the sample study)", err=True)
        return
    for entry in studies:
        when = entry.opened.replace("T", " ")[:16]
        click.echo(f"{entry.path}\t{when}" + ("" if entry.exists else "\t(no longer there)"))


def last_study_path() -> Path:
    """The study opened last; an error naming what to do when there is none (or it is gone)."""
    from workbench.study.recent import last_study

    last = last_study()
    if last is None:
        raise WorkbenchError("no study opened yet: give one (workbench open STUDY), or try workbench demo")
    if not last.exists:
        raise WorkbenchError(
            f"{last.path}: the study opened last is no longer there; workbench recent lists the others"
        )
    return last.path


def reopen_or_help(ctx: click.Context) -> None:
    """``workbench`` alone: on a terminal, reopen the last study; otherwise (or with none) the
    help, and the studies opened lately."""
    from workbench.study.recent import last_study, recent_studies

    last = last_study()
    if last is not None and last.exists and _interactive():
        click.echo(f"reopening {last.path}", err=True)
        open_workbench(last.path)
        return
    click.echo(ctx.get_help())
    studies = recent_studies()
    if studies:
        click.echo("\nStudies opened lately (workbench open STUDY):")
        for entry in studies[:5]:
            click.echo(f"  {entry.path}" + ("" if entry.exists else "  (no longer there)"))


def _interactive() -> bool:
    """A person at a terminal (not a script or a pipe)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def open_workbench(path: Path, mouse: bool = True) -> None:
    """Open the terminal workbench on a study (errors opening it are reported before the UI
    starts); afterwards say where the study is and how to come back to it."""
    from workbench.study.recent import note_opened
    from workbench.tui.bindings import unknown_binding_warning
    from workbench.tui.config import load_config

    config = load_config()
    if warning := unknown_binding_warning(config.keys, config.source):
        click.echo(f"warning: {warning}", err=True)
    # Start-up (Textual, the screens, the study's first rows) makes many objects that live as
    # long as the app, and little garbage: no collection passes over them until the first frame
    # is shown (about a tenth less CPU for the imports, measured in docs/PERFORMANCE.md).
    gc.disable()
    try:
        if path.is_file():  # check the study while Textual is imported (errors opening it come first)
            from workbench.study import start_integrity_check

            start_integrity_check(path)
            from workbench.tui.app import WorkbenchApp
        study = open_study(path)
        note_opened(path)
        try:
            from workbench.tui.app import WorkbenchApp

            app = WorkbenchApp(study, config)
            app.after_first_frame(_settle_garbage_collector)
            app.run(mouse=mouse and config.mouse)
        finally:
            study.close()
    finally:
        gc.enable()
    full = path.resolve()
    click.echo(f"{'your work is saved in' if not app.return_code else 'the study:'} {full}", err=True)
    click.echo(f"to come back: workbench   (or: workbench open {shlex.quote(str(full))})", err=True)
    if app.return_code:  # work not saved, the study file lost, or the program failed: not a success
        raise SystemExit(app.return_code)


def _settle_garbage_collector() -> None:
    """After the first frame: garbage is collected again, as usual."""
    gc.enable()
