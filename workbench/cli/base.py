"""What every command module shares: the STUDY argument, opening a study, printing JSON, failing.

Command modules define their commands without attaching them to a group;
``workbench/cli/__init__.py`` registers them all. A ``WorkbenchError`` raised by a command becomes
one ``error: ...`` line on stderr and exit code 1 (the main group's doing), so commands raise
rather than print errors.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from workbench.display.safe_text import visible
from workbench.errors import WorkbenchError

#: The study file every command but a few takes first.
STUDY = click.argument("study", type=click.Path(path_type=Path, dir_okay=False))


def fail(message: str) -> None:
    """Print ``error: message`` on stderr, as one terminal-safe line, and exit with status 1."""
    click.echo(f"error: {visible(message)}", err=True)
    sys.exit(1)


def emit_json(data) -> None:
    """Print ``data`` as indented JSON, non-ASCII text as it is."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def open_study(path: Path, coder: str | None = None):
    """Open the study at ``path`` (imported here so `workbench --help` stays fast)."""
    from workbench.study import Study

    return Study.open(path, coder=coder)


def split_assignment(item: str) -> tuple[str, str]:
    """``"size=smaller"`` as ``("size", "smaller")``; refuses an item without ``=`` or a key."""
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise WorkbenchError(f"{item!r}: expected KEY=VALUE")
    return key.strip(), value.strip()
