"""The shape of the code (design notes, section 3), checked rather than hoped for."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "workbench"

ALLOWED = {
    # layer: top-level modules it may import besides the standard library and itself
    "domain": {"yaml", "workbench.errors", "workbench.domain"},
    "storage": {"yaml", "sqlite_utils", "workbench.errors", "workbench.domain", "workbench.storage"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_domain_and_storage_stay_in_their_layer():
    stdlib = sys.stdlib_module_names
    for layer, allowed in ALLOWED.items():
        for module in (PACKAGE / layer).rglob("*.py"):
            for name in imports_of(module):
                top = name.split(".")[0]
                if top in stdlib or top == "__future__":
                    continue
                assert any(name == a or name.startswith(a + ".") for a in allowed), f"{module.name} imports {name}"


def test_nothing_below_the_front_ends_touches_textual_or_sqlite_directly():
    for module in [*(PACKAGE / "tui").rglob("*.py"), *PACKAGE.glob("cli*.py")]:
        for name in imports_of(module):
            assert not name.startswith("workbench.storage"), f"{module} reaches into storage ({name})"


def test_importing_the_core_does_not_import_textual():
    code = "import sys, workbench, workbench.study, workbench.cli; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
