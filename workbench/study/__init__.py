"""The use cases: the one API both front ends call.

``Study`` (open, batch, undo, the audit trail and settings) lives in :mod:`workbench.study.core`,
with the everyday use cases mixed in from a module each (``transcripts``, ``importing``,
``themes``, ``coding``, ``quotes``, ``memos``); the larger use cases (chapter, analysis,
agreement, exchange, reimport, anonymise, scrub (a pseudonym map over a whole study), backups,
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
