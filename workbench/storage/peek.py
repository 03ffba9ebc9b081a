"""A quick look into a study file for shell completion: names only, read-only, never waiting.

Completion runs on every Tab, in a fresh process, often while the terminal workbench has the
study open. So this opens its own read-only connection (``mode=ro``: it never creates, migrates
or checkpoints anything), gives up at once if another program holds a lock, and returns nothing
rather than raising for a file that is not a study.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class StudyNames:
    """What a command line can name in a study."""

    transcripts: list[str] = field(default_factory=list)
    theme_paths: list[str] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)


def peek_names(path: Path) -> StudyNames:
    """The transcript names, theme paths (``Theme/Sub-theme``) and case names of the study at
    ``path``; empty lists if it cannot be read now (missing, not a study, locked)."""
    if not Path(path).is_file():
        return StudyNames()
    try:
        conn = sqlite3.connect(Path(path).absolute().as_uri() + "?mode=ro", uri=True, timeout=0.05)
    except sqlite3.Error:
        return StudyNames()
    try:
        transcripts = [row[0] for row in conn.execute("SELECT name FROM transcripts ORDER BY name")]
        themes = {row[0]: (row[1], row[2]) for row in conn.execute("SELECT id, parent_id, name FROM themes")}
        cases = [row[0] for row in conn.execute("SELECT name FROM cases ORDER BY name")]
    except sqlite3.Error:
        return StudyNames()
    finally:
        conn.close()
    return StudyNames(transcripts, sorted(_paths(themes)), cases)


def _paths(themes: dict[int, tuple[int | None, str]]) -> list[str]:
    def path(theme_id: int, depth: int = 0) -> str:
        parent_id, name = themes[theme_id]
        if parent_id is None or parent_id not in themes or depth > 50:  # a broken tree ends the path
            return name
        return f"{path(parent_id, depth + 1)}/{name}"

    return [path(theme_id) for theme_id in themes]
