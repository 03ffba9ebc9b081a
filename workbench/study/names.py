"""Names a command line can refer to in a study, for shell completion (see ``storage.peek``)."""

from __future__ import annotations

from workbench.storage.peek import StudyNames, peek_names

__all__ = ["StudyNames", "peek_names"]
