"""``workbench demo|open``: the terminal workbench itself (Textual is imported only here, when run)."""

from __future__ import annotations

from pathlib import Path

import click

from workbench.cli.base import STUDY, open_study


@click.command()
@click.option(
    "--path",
    "path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Where to write the demo study (default: a new file in your data folder).",
)
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
    open_workbench(created, mouse=not no_mouse)


@click.command("open")
@STUDY
@click.option("--no-mouse", is_flag=True, help="Ignore the mouse (everything works from the keyboard).")
def open_(study: Path, no_mouse: bool) -> None:
    """Open a study in the terminal workbench (also: `workbench STUDY`).

    Keys: F1 lists them; ctrl+p finds any action. Settings (key remapping, mouse, UI theme) are
    read from config.yaml in your config folder, or $WORKBENCH_CONFIG.
    """
    open_workbench(study, mouse=not no_mouse)


def open_workbench(path: Path, mouse: bool = True) -> None:
    """Open the terminal workbench on a study (errors opening it are reported before the UI starts)."""
    from workbench.tui.bindings import unknown_binding_warning
    from workbench.tui.config import load_config

    config = load_config()
    if warning := unknown_binding_warning(config.keys, config.source):
        click.echo(f"warning: {warning}", err=True)
    study = open_study(path)
    try:
        from workbench.tui.app import WorkbenchApp

        app = WorkbenchApp(study, config)
        app.run(mouse=mouse and config.mouse)
    finally:
        study.close()
    if app.return_code:  # work not saved, the study file lost, or the program failed: not a success
        raise SystemExit(app.return_code)
