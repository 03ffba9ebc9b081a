"""Writing the codebook into a study: add themes, merge a codebook file by theme path."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from workbench.domain.colours import default_colour
from workbench.domain.models import Codebook, ThemeSpec


@dataclass
class MergeReport:
    """What loading a codebook did, theme path by theme path."""

    added: list[str] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)  # (path, fields changed)
    unchanged: list[str] = field(default_factory=list)
    kept: list[tuple[str, int]] = field(default_factory=list)  # in the study, not in the file: (path, codings)
    keys_moved: list[tuple[str, str, str]] = field(default_factory=list)  # (key, from path, to path)

    def to_json(self) -> dict:
        return {
            "added": self.added,
            "updated": [{"theme": p, "fields": f} for p, f in self.updated],
            "unchanged": self.unchanged,
            "kept": [{"theme": p, "codings": n} for p, n in self.kept],
            "keys_moved": [{"key": k, "from": a, "to": b} for k, a, b in self.keys_moved],
        }


_FIELDS = {  # ThemeSpec attribute -> themes column
    "color": "color",
    "description": "description",
    "include": "include_note",
    "exclude": "exclude_note",
    "key": "key",
}


def insert_theme(
    db: sqlite_utils.Database, parent_id: int | None, spec: ThemeSpec, created: str
) -> int:
    """Add one theme (not its children) at the end of its siblings; return its id."""
    position = db.execute(
        "SELECT ifnull(max(position), -1) + 1 FROM themes WHERE ifnull(parent_id, 0) = ifnull(?, 0)",
        [parent_id],
    ).fetchone()[0]
    count = db.execute("SELECT count(*) FROM themes").fetchone()[0]
    row = {
        "parent_id": parent_id,
        "name": spec.name,
        "position": position,
        "color": spec.color or default_colour(count),
        "key": spec.key,
        "description": spec.description,
        "include_note": spec.include,
        "exclude_note": spec.exclude,
        "created": created,
    }
    return db["themes"].insert(row).last_pk


def merge_codebook(db: sqlite_utils.Database, codebook: Codebook, created: str) -> MergeReport:
    """Merge a codebook into the study by theme path; never removes a theme.

    New themes are added; themes present in both get the file's colour, key, description and
    notes where the file gives them; themes only in the study are kept and reported.
    """
    report = MergeReport()
    seen: set[int] = set()
    paths = _theme_paths(db)

    def merge(specs: list[ThemeSpec], parent_id: int | None, prefix: str) -> None:
        for spec in specs:
            path = f"{prefix}/{spec.name}" if prefix else spec.name
            row = next(
                db.query(
                    "SELECT * FROM themes WHERE ifnull(parent_id, 0) = ifnull(?, 0) AND name = ? COLLATE NOCASE",
                    [parent_id, spec.name],
                ),
                None,
            )
            if spec.key is not None:
                _free_key(db, spec.key, row["id"] if row else None, path, paths, report)
            if row is None:
                theme_id = insert_theme(db, parent_id, spec, created)
                report.added.append(path)
            else:
                theme_id = row["id"]
                changes = {
                    column: getattr(spec, attr)
                    for attr, column in _FIELDS.items()
                    if getattr(spec, attr) is not None and getattr(spec, attr) != row[column]
                }
                if changes:
                    db["themes"].update(theme_id, changes)
                    report.updated.append((path, [a for a, c in _FIELDS.items() if c in changes]))
                else:
                    report.unchanged.append(path)
            seen.add(theme_id)
            merge(spec.children, theme_id, path)

    merge(codebook.themes, None, "")
    counts = dict(db.execute("SELECT theme_id, count(*) FROM codings GROUP BY theme_id").fetchall())
    for theme_id, path in paths.items():
        if theme_id not in seen:
            report.kept.append((path, counts.get(theme_id, 0)))
    return report


def _free_key(
    db: sqlite_utils.Database,
    key: str,
    theme_id: int | None,
    path: str,
    paths: dict[int, str],
    report: MergeReport,
) -> None:
    """Take a shortcut key away from another theme, so the file's assignment wins."""
    holder = db.execute("SELECT id FROM themes WHERE key = ?", [key]).fetchone()
    if holder and holder[0] != theme_id:
        db.execute("UPDATE themes SET key = NULL WHERE id = ?", [holder[0]])
        report.keys_moved.append((key, paths.get(holder[0], "?"), path))


def _theme_paths(db: sqlite_utils.Database) -> dict[int, str]:
    rows = {r["id"]: r for r in db.query("SELECT id, parent_id, name FROM themes")}

    def path(theme_id: int) -> str:
        row = rows[theme_id]
        return f"{path(row['parent_id'])}/{row['name']}" if row["parent_id"] else row["name"]

    return {theme_id: path(theme_id) for theme_id in rows}
