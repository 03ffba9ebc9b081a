"""Start-up timed as an installed copy starts: with the workbench's modules already compiled.

pip compiles a package's modules to bytecode when it installs it. A checkout does so on first
import, unless ``PYTHONDONTWRITEBYTECODE`` is set (some shells and containers set it): then every
launch compiles again each module changed since its last compiled copy, a cost no installed copy
pays, and a change to a module would look slower than it is. The benchmarks compile first.
"""

from __future__ import annotations

import compileall
from pathlib import Path

import workbench


def compile_workbench() -> None:
    """Write the bytecode of every module of the workbench package that lacks a current one."""
    compileall.compile_dir(str(Path(workbench.__file__).parent), quiet=1)
