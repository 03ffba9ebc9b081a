"""The use cases: the one API both front ends call.

``Study`` (open, batch, undo, the audit trail and settings) lives in :mod:`workbench.study.core`,
with the everyday use cases mixed in from a module each (``transcripts``, ``importing``,
``themes``, ``coding``, ``quotes``, ``memos``); the larger use cases (chapter, analysis,
agreement, exchange, reimport, anonymise, scrub (a pseudonym map over a whole study), backups,
demo) each have a module of their own here.

The names below are imported from :mod:`workbench.study.core` on first use (PEP 562), so that
importing a light module of the package (``workbench.study.names`` for shell completion,
``workbench.study.recent``) does not import the whole study and ``sqlite_utils`` with it.
"""

from __future__ import annotations

import gc
import importlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.study.core import (
        MEMO_TARGETS,
        CodeResult,
        ImportItem,
        ImportReport,
        Study,
        default_coder,
        now,
        text_hash,
    )

__all__ = ["MEMO_TARGETS", "CodeResult", "ImportItem", "ImportReport", "Study", "default_coder", "now", "text_hash"]


def __getattr__(name: str) -> Any:
    """Import the use-case names from ``workbench.study.core`` when first asked for."""
    if name in __all__:
        value = getattr(_import_core(), name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _import_core() -> ModuleType:
    """Import the study (and sqlite_utils, with numpy when installed) without garbage collection:
    the import makes only long-lived objects, and collecting while it runs costs a tenth of its
    time for nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return importlib.import_module("workbench.study.core")
    finally:
        if was_enabled:
            gc.enable()


def start_integrity_check(path: Path | str) -> None:
    """Start checking the study file at ``path`` on a thread of its own (``storage/integrity.py``):
    it runs while a front end imports what it needs, and ``Study.open`` takes its result instead
    of checking the file again."""
    from workbench.storage.integrity import start_check

    start_check(Path(path))


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
