"""Writing the codebook into a study: add, change, move, merge and delete themes, merge a codebook file by theme path."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from workbench.domain.colours import pick_colour
from workbench.domain.models import Codebook, ThemeSpec
from workbench.domain.theme_tree import iter_themes
from workbench.storage.connection import Database
from workbench.storage.rows import insert_row, update_changed

if TYPE_CHECKING:
    from workbench.domain.reports import CodebookMergeReport

_FIELDS = {  # ThemeSpec attribute -> themes column
    "color": "color",
    "description": "description",
    "include": "include_note",
    "exclude": "exclude_note",
    "key": "key",
}

# A theme's memos: its introduction and its closing memo (the section's synthesis).
THEME_MEMO_TYPES = ("theme", "closing")


def insert_theme(
    db: Database, parent_id: int | None, spec: ThemeSpec, created: str, reserved: Iterable[str] = ()
) -> int:
    """Add one theme (not its children) at the end of its siblings; return its id.

    A theme without a colour gets the palette colour farthest from those in use (and from
    ``reserved``: colours that themes still to come will bring).
    """
    position = db.execute(
        "SELECT ifnull(max(position), -1) + 1 FROM themes WHERE ifnull(parent_id, 0) = ifnull(?, 0)",
        [parent_id],
    ).fetchone()[0]
    row = {
        "parent_id": parent_id,
        "name": spec.name,
        "position": position,
        "color": spec.color or _new_colour(db, parent_id, reserved),
        "key": spec.key,
        "description": spec.description,
        "include_note": spec.include,
        "exclude_note": spec.exclude,
        "created": created,
    }
    return insert_row(db, "themes", row)


def _new_colour(db: Database, parent_id: int | None, reserved: Iterable[str]) -> str:
    """The palette colour farthest from the study's theme colours, siblings and parent first."""
    near, others = [], list(reserved)
    for theme_id, theme_parent, colour in db.execute("SELECT id, parent_id, color FROM themes"):
        is_near = theme_id == parent_id or (theme_parent or 0) == (parent_id or 0)
        (near if is_near else others).append(colour)
    return pick_colour(near, others)


def merge_codebook(db: Database, codebook: Codebook, created: str) -> CodebookMergeReport:
    """Merge a codebook into the study by theme path; never removes a theme.

    New themes are added; themes present in both get the file's colour, key, description and
    notes where the file gives them; themes only in the study are kept and reported.
    """
    from workbench.domain.reports import CodebookMergeReport  # its dataclasses are made when a codebook is loaded

    report = CodebookMergeReport()
    seen: set[int] = set()
    given = [spec.color for _, spec in iter_themes(codebook.themes) if spec.color]
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
                theme_id = insert_theme(db, parent_id, spec, created, given)
                report.added.append(path)
            else:
                theme_id = row["id"]
                changes = {
                    column: getattr(spec, attr)
                    for attr, column in _FIELDS.items()
                    if getattr(spec, attr) is not None and getattr(spec, attr) != row[column]
                }
                if changes:
                    update_changed(db, "themes", "id", theme_id, changes)
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
    db: Database,
    key: str,
    theme_id: int | None,
    path: str,
    paths: dict[int, str],
    report: CodebookMergeReport,
) -> None:
    """Take a shortcut key away from another theme, so the file's assignment wins."""
    holder = db.execute("SELECT id FROM themes WHERE key = ?", [key]).fetchone()
    if holder and holder[0] != theme_id:
        db.execute("UPDATE themes SET key = NULL WHERE id = ?", [holder[0]])
        report.keys_moved.append((key, paths.get(holder[0], "?"), path))


def _theme_paths(db: Database) -> dict[int, str]:
    rows = {r["id"]: r for r in db.query("SELECT id, parent_id, name FROM themes")}

    def path(theme_id: int) -> str:
        row = rows[theme_id]
        return f"{path(row['parent_id'])}/{row['name']}" if row["parent_id"] else row["name"]

    return {theme_id: path(theme_id) for theme_id in rows}


def sibling_named(db: Database, parent_id: int | None, name: str, exclude_id: int | None = None) -> int | None:
    """The id of a sibling with this name (case-insensitive), if any."""
    row = db.execute(
        "SELECT id FROM themes WHERE ifnull(parent_id, 0) = ifnull(?, 0) AND name = ? COLLATE NOCASE AND id IS NOT ?",
        [parent_id, name, exclude_id],
    ).fetchone()
    return row[0] if row else None


def subtree_ids(db: Database, theme_id: int) -> list[int]:
    """The theme and all its descendants."""
    return [
        r[0]
        for r in db.execute(
            """WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL SELECT t.id FROM themes t JOIN sub ON t.parent_id = sub.id)
               SELECT id FROM sub""",
            [theme_id],
        ).fetchall()
    ]


def move_theme(db: Database, theme_id: int, parent_id: int | None, position: int | None = None) -> None:
    """Re-parent a theme (to the end of its new siblings, or at 0-based ``position``)."""
    siblings = [
        r[0]
        for r in db.execute(
            "SELECT id FROM themes WHERE ifnull(parent_id, 0) = ifnull(?, 0) AND id != ? ORDER BY position, id",
            [parent_id, theme_id],
        ).fetchall()
    ]
    index = len(siblings) if position is None else max(0, min(position, len(siblings)))
    siblings.insert(index, theme_id)
    update_changed(db, "themes", "id", theme_id, {"parent_id": parent_id})
    for number, sibling in enumerate(siblings):
        update_changed(db, "themes", "id", sibling, {"position": number})


def merge_themes(db: Database, source_id: int, target_id: int) -> int:
    """Move the source theme's codings and sub-themes into the target, then drop the source.

    Codings that would duplicate one the target already has (same span and coder) are dropped
    with their quote state; returns how many codings moved.
    """
    db.execute(
        """DELETE FROM quotes WHERE coding_id IN (
               SELECT s.id FROM codings s JOIN codings t
               ON t.theme_id = ? AND t.transcript_id = s.transcript_id AND t.start = s.start AND t.end = s.end AND t.coder = s.coder
               WHERE s.theme_id = ?)""",
        [target_id, source_id],
    )
    db.execute(
        """DELETE FROM codings WHERE theme_id = ? AND EXISTS (
               SELECT 1 FROM codings t WHERE t.theme_id = ? AND t.transcript_id = codings.transcript_id
               AND t.start = codings.start AND t.end = codings.end AND t.coder = codings.coder)""",
        [source_id, target_id],
    )
    moved = db.execute("UPDATE codings SET theme_id = ? WHERE theme_id = ?", [target_id, source_id]).rowcount
    for child_id, name in db.execute(
        "SELECT id, name FROM themes WHERE parent_id = ? ORDER BY position", [source_id]
    ).fetchall():
        twin = sibling_named(db, target_id, name)
        if twin is None:
            move_theme(db, child_id, target_id)
        else:
            merge_themes(db, child_id, twin)
    for kind in THEME_MEMO_TYPES:
        db.execute(
            "UPDATE memos SET target_id = ? WHERE target_type = ? AND target_id = ? AND NOT EXISTS "
            "(SELECT 1 FROM memos WHERE target_type = ? AND target_id = ?)",
            [target_id, kind, source_id, kind, target_id],
        )
        db.execute("DELETE FROM memos WHERE target_type = ? AND target_id = ?", [kind, source_id])
    db.execute("DELETE FROM themes WHERE id = ?", [source_id])
    return moved


def delete_theme(db: Database, theme_id: int) -> int:
    """Delete a theme, its sub-themes, their codings, quote states and memos; returns codings deleted."""
    ids = subtree_ids(db, theme_id)
    marks = ", ".join("?" * len(ids))
    db.execute(f"DELETE FROM quotes WHERE coding_id IN (SELECT id FROM codings WHERE theme_id IN ({marks}))", ids)
    deleted = db.execute(f"DELETE FROM codings WHERE theme_id IN ({marks})", ids).rowcount
    db.execute(f"DELETE FROM memos WHERE target_type IN ('theme', 'closing') AND target_id IN ({marks})", ids)
    for descendant in reversed(ids):  # children before parents, for the foreign key
        db.execute("DELETE FROM themes WHERE id = ?", [descendant])
    return deleted


THEME_FIELDS = ("name", "color", "key", "description", "include_note", "exclude_note")


def update_theme(db: Database, theme_id: int, changes: dict[str, str | None]) -> None:
    """Set some of a theme's fields (``THEME_FIELDS``; None clears one); the rest are kept, and
    so is a field given its stored value."""
    unknown = set(changes) - set(THEME_FIELDS)
    if unknown:
        raise TypeError(f"not a theme field: {', '.join(sorted(unknown))}")
    update_changed(db, "themes", "id", theme_id, changes)
