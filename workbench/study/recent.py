"""The studies this user opened in the terminal workbench, newest first: what ``workbench`` with
no study reopens, and what ``workbench recent`` lists.

Kept in ``recent.json`` in the user's state folder (``~/.local/state/workbench/`` on Linux, or
``$XDG_STATE_HOME/workbench/``), never inside a study. A list that cannot be read or written is
treated as empty and never stops the workbench.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.interop.files import write_atomically
from workbench.study.provenance import now

KEEP = 20  # studies remembered


@dataclass(frozen=True)
class RecentStudy:
    """A study file and when it was last opened (UTC, ISO 8601)."""

    path: Path
    opened: str

    @property
    def exists(self) -> bool:
        return self.path.is_file()


def recent_file() -> Path:
    """Where the list is kept."""
    from platformdirs import user_state_path

    return user_state_path("workbench", appauthor=False) / "recent.json"


def recent_studies() -> list[RecentStudy]:
    """The studies opened lately, newest first (missing files included: ``exists`` tells)."""
    try:
        entries = json.loads(recent_file().read_text(encoding="utf-8"))
        return [RecentStudy(Path(e["path"]), str(e.get("opened", ""))) for e in entries if e.get("path")]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return []


def last_study() -> RecentStudy | None:
    """The study opened most recently, if there is one."""
    studies = recent_studies()
    return studies[0] if studies else None


def note_opened(path: Path) -> None:
    """Put ``path`` (made absolute) first in the list."""
    path = Path(os.path.abspath(path))
    entries = [RecentStudy(path, now()), *(s for s in recent_studies() if s.path != path)][:KEEP]
    data = json.dumps([{"path": str(s.path), "opened": s.opened} for s in entries], indent=1)
    try:
        recent_file().parent.mkdir(parents=True, exist_ok=True)
        write_atomically(recent_file(), data.encode("utf-8"))
    except (OSError, WorkbenchError):  # a read-only home folder: the workbench works, it just cannot remember
        pass
