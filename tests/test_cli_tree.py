"""The shape of the command-line package: commands defined in their group's module, the whole tree
registered in workbench/cli/__init__.py, and no module of cli/ reaching back into the package."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import click

from workbench.cli import main

CLI = Path(__file__).resolve().parents[1] / "workbench" / "cli"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports (``from a import b`` counts as ``a`` and ``a.b``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def tree(group: click.Group, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], click.Command]:
    """Every command reachable from ``group``, by its words on the command line."""
    found = {}
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        found[(*prefix, name)] = command
        if isinstance(command, click.Group):
            found.update(tree(command, (*prefix, name)))
    return found


def test_no_command_module_imports_the_cli_package_or_storage():
    for path in CLI.glob("*.py"):
        if path.name == "__init__.py":
            continue
        for name in imported_modules(path):
            assert name != "workbench.cli", f"{path.name} imports the cli package (an import cycle)"
            assert name != "workbench.cli.__init__", path.name
            assert not name.startswith("workbench.storage"), f"{path.name} reaches into storage ({name})"
            assert name.split(".")[0] not in ("sqlite3", "sqlite_utils", "textual"), f"{path.name} imports {name}"


def test_every_command_defined_in_cli_is_registered_exactly_once():
    registered = tree(main)
    counted: dict[int, int] = {}
    for command in registered.values():
        counted[id(command)] = counted.get(id(command), 0) + 1
    defined = []
    for path in sorted(CLI.glob("*.py")):
        if path.name == "__init__.py":
            continue
        module = importlib.import_module(f"workbench.cli.{path.stem}")
        defined += [
            (path.stem, name, obj)
            for name, obj in vars(module).items()
            if isinstance(obj, click.Command) and obj.callback.__module__ == module.__name__
        ]
    assert defined, "no commands found in workbench/cli"
    for module, name, command in defined:
        assert counted.get(id(command)) == 1, f"{module}.{name} is registered {counted.get(id(command), 0)} times"


def test_the_command_tree():
    words = sorted(" ".join(path) for path in tree(main))
    assert words == [
        "agreement",
        "anonymise",
        "anonymise apply",
        "anonymise check",
        "anonymise purge-snapshots",
        "backup",
        "backups",
        "case",
        "case list",
        "case set",
        "chart",
        "code",
        "codebook",
        "codebook check",
        "codebook export",
        "codebook load",
        "completion",
        "cooccurrence",
        "coverage",
        "demo",
        "export",
        "export chapter",
        "export qdc",
        "export qdpx",
        "export quotes",
        "import",
        "import-highlights",
        "init",
        "log",
        "matrix",
        "memo",
        "merge",
        "open",
        "quotes",
        "recent",
        "redo",
        "reimport",
        "restore",
        "review",
        "reviewed",
        "search",
        "select",
        "stats",
        "transcripts",
        "uncode",
        "undo",
        "verify",
    ]
