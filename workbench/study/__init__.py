"""The use cases: the one API both front ends call.

``Study`` (open, batch, undo and the everyday actions) lives in :mod:`workbench.study.core`;
the larger use cases (chapter, analysis, agreement, exchange, reimport, anonymise, backups,
demo) each have a module of their own here.
"""

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
