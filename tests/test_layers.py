"""The shape of the code (docs/architecture.md), checked rather than hoped for.

The import contracts themselves live in pyproject.toml and are run by `lint-imports`; these tests
run them too, so the README's test command enforces the layers, and add what import-linter cannot
say: which modules may stand loose, and that no private attribute of Textual is read.
"""

from __future__ import annotations

import ast
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "workbench"

#: Private names of other libraries we read on purpose, each with the reason there is no public way.
KNOWN_PRIVATE_READS = {
    # namedtuple's public methods carry an underscore only to stay clear of field names
    "_asdict": "collections.namedtuple (public)",
    "_fields": "collections.namedtuple (public)",
    "_replace": "collections.namedtuple (public)",
    "_make": "collections.namedtuple (public)",
    "_exit": "os._exit (public): the command's process ends without Python's teardown (__main__.py)",
    "_tc": "python-docx: a merged table cell repeats in every row it spans; its XML element is the only identity",
    "_styles_cache": "Textual 8.2 (issue #6665): its lru_cache on a method keeps every gone widget's lines;"
    " workbench/tui/closed_screens.py empties it",
}

#: The only modules allowed directly in workbench/: everything else lives in a layer's folder.
LOOSE_MODULES = {"__init__.py", "__main__.py", "errors.py", "resources.py"}


def _python_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_the_import_contracts_hold():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint_imports is None:
        pytest.fail("lint-imports is not installed: install the test extra (pip install '.[test]')")
    result = subprocess.run([lint_imports, "--no-cache"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_only_a_few_modules_stand_loose_in_the_package():
    loose = {path.name for path in PACKAGE.glob("*.py")}
    assert loose <= LOOSE_MODULES, f"move these into a layer's folder: {sorted(loose - LOOSE_MODULES)}"


def _non_tui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages([str(PACKAGE)], prefix="workbench."):
        if info.name.startswith("workbench.tui") or info.name == "workbench.__main__":
            continue
        names.append(info.name)
    return names


def test_importing_everything_but_the_tui_leaves_textual_out():
    modules = _non_tui_modules()
    assert "workbench.study.core" in modules and "workbench.cli" in modules  # the walk found the package
    code = f"import sys\nfor name in {modules!r}:\n    __import__(name)\nprint('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout
    assert out.strip() == "False"


def _private_names_defined_in(files: list[Path]) -> set[str]:
    """Every `_name` our own code defines: functions, classes, attributes it assigns, module names."""
    defined: set[str] = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                defined.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                defined.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                defined.add(node.id)
            elif isinstance(node, ast.arg):
                defined.add(node.arg)
    return {name for name in defined if name.startswith("_")}


def _where(path: Path) -> str:
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else path.name


def private_attributes_read_from_libraries(files: list[Path]) -> list[str]:
    """`obj._name` reads (and `from lib import _name`) where `_name` is not one of ours: a
    library's private API, which may change in any release."""
    ours = _private_names_defined_in(files)
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute):
                name = node.attr
            elif isinstance(node, ast.ImportFrom) and node.module and not node.module.startswith("workbench"):
                found.extend(
                    f"{_where(path)}:{node.lineno} imports {alias.name} from {node.module}"
                    for alias in node.names
                    if alias.name.startswith("_")
                    and not alias.name.startswith("__")
                    and alias.name not in KNOWN_PRIVATE_READS
                )
                continue
            else:
                continue
            if name.startswith("_") and not name.startswith("__") and name not in ours | KNOWN_PRIVATE_READS.keys():
                found.append(f"{_where(path)}:{node.lineno} reads {name}")
    return found


def test_no_private_attribute_of_a_library_is_read():
    assert private_attributes_read_from_libraries(_python_files(PACKAGE)) == []


def test_the_private_api_check_can_fail(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f(app):\n    app._ours = 1\n    return app._batch_count + app._ours\n")
    assert private_attributes_read_from_libraries([sample]) == ["sample.py:3 reads _batch_count"]


def test_the_front_ends_never_reach_the_studys_connection():
    """`Study._db` belongs to the study layer; the CLI, the TUI and display call `Study`'s methods."""
    reached = []
    for folder in ("cli", "tui", "display"):
        for path in _python_files(PACKAGE / folder):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Attribute) and node.attr in {"db", "_db"}:
                    reached.append(f"{_where(path)}:{node.lineno}")
    assert reached == []
