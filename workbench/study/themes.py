"""The codebook: finding, adding, changing, moving, merging and deleting themes; loading and
exporting codebook files; counts per theme."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from workbench.domain.colours import normalise_colour
from workbench.domain.models import Codebook, Theme, ThemeSpec
from workbench.errors import NotFoundError, WorkbenchError
from workbench.storage import queries
from workbench.storage import themes as themes_store
from workbench.study.provenance import now

if TYPE_CHECKING:  # for annotations only: the study layer does not import SQLite
    from workbench.domain.reports import CodebookMergeReport, ThemeCount
    from workbench.storage.connection import Database


class ThemesMixin:
    """Part of :class:`workbench.study.Study` (mixed in there; uses its ``db``, ``path``,
    ``_change``, ``_snapshot``, cases and quote order)."""

    db: Database
    path: Path

    def themes(self) -> list[Theme]:
        """The codebook in order (depth-first): as the quotes keep it while the file is unchanged
        (a coding or an undo asks for it, 0.6 ms to read), otherwise read."""
        kept = self._kept.get("quote_context")
        return list(kept[0]) if kept is not None else queries.load_themes(self._db)  # type: ignore[index]

    def theme(self, path: str) -> Theme:
        """Find a theme by path (``Theme/Sub-theme``), case-insensitively; a unique name alone also works."""
        return self._theme_in(self.themes(), path)

    def _theme_in(self, themes: list[Theme], path: str) -> Theme:
        """:meth:`theme` among ``themes`` (the codebook as just read)."""
        wanted = "/".join(part.strip() for part in path.strip().strip("/").split("/"))
        for theme in themes:
            if theme.path == wanted:
                return theme
        folded = [t for t in themes if t.path.casefold() == wanted.casefold()]
        if len(folded) == 1:
            return folded[0]
        by_name = [t for t in themes if t.name.casefold() == wanted.casefold()]
        if len(by_name) == 1:
            return by_name[0]
        if len(by_name) > 1:
            raise NotFoundError(f"theme name {path!r} is ambiguous: " + ", ".join(t.path for t in by_name))
        raise NotFoundError(f"no theme {path!r} in the codebook (see `workbench stats {self.path}`)")

    def _theme_by_id(self, theme_id: int) -> Theme:
        return next(t for t in self.themes() if t.id == theme_id)

    def add_theme(
        self,
        name: str,
        parent: str | None = None,
        color: str | None = None,
        key: str | None = None,
        description: str | None = None,
    ) -> Theme:
        """Add a theme (or a sub-theme of ``parent``)."""
        from workbench.domain import codebook as codebook_format  # YAML: imported when used

        parent_theme = self.theme(parent) if parent else None
        # Through the codebook format once, for exactly the checks a codebook file gets.
        codebook = codebook_format.parse_codebook(
            codebook_format.dump_codebook(
                Codebook([ThemeSpec(name=name, color=color, key=key, description=description)])
            ),
            source="new theme",
        )
        spec = codebook.themes[0]
        siblings = [t for t in self.themes() if t.parent_id == (parent_theme.id if parent_theme else None)]
        if any(t.name.casefold() == name.strip().casefold() for t in siblings):
            raise WorkbenchError(f"a theme named {name!r} already exists there")
        if spec.key and any(t.key == spec.key for t in self.themes()):
            raise WorkbenchError(f"key {spec.key!r} is already used by another theme")
        with self._change("theme.add", {"name": spec.name, "parent": parent}) as payload:
            theme_id = themes_store.insert_theme(self._db, parent_theme.id if parent_theme else None, spec, now())
            payload["id"] = theme_id
        return self._theme_by_id(theme_id)

    def update_theme(
        self,
        path: str,
        *,
        name: str | None = None,
        color: str | None = None,
        key: str | None = None,
        description: str | None = None,
        include: str | None = None,
        exclude: str | None = None,
    ) -> Theme:
        """Rename, recolour, re-key or re-describe a theme. An empty key or text clears it."""
        theme = self.theme(path)
        changes: dict = {}  # by stored field name, as the audit trail shows them
        if name is not None:
            name = name.strip()
            if not name or "/" in name:
                raise WorkbenchError("a theme name must be non-empty and must not contain '/'")
            if themes_store.sibling_named(self._db, theme.parent_id, name, exclude_id=theme.id):
                raise WorkbenchError(f"a theme named {name!r} already exists there")
            changes["name"] = name
        if color is not None:
            normalised = normalise_colour(color)
            if normalised is None:
                raise WorkbenchError(f"{color!r} is not a colour (use a name like 'teal' or #rrggbb)")
            changes["color"] = normalised
        if key is not None:
            if len(key) > 1:
                raise WorkbenchError("a theme key is one character")
            holder = next((t for t in self.themes() if key and t.key == key and t.id != theme.id), None)
            if holder:
                raise WorkbenchError(f"key {key!r} is already used by {holder.path}")
            changes["key"] = key or None
        for field_name, value in (("description", description), ("include_note", include), ("exclude_note", exclude)):
            if value is not None:
                changes[field_name] = value or None
        if changes:
            with self._change("theme.update", {"theme": theme.path, "changes": changes}):
                themes_store.update_theme(self._db, theme.id, changes)
        return self._theme_by_id(theme.id)

    def move_theme(self, path: str, new_parent: str | None, position: int | None = None) -> Theme:
        """Make a theme a sub-theme of ``new_parent`` (None: a top-level theme)."""
        theme = self.theme(path)
        parent = self.theme(new_parent) if new_parent else None
        if parent and parent.id in queries.descendant_ids(self.themes(), theme.id):
            raise WorkbenchError(f"cannot move {theme.path} under itself")
        parent_id = parent.id if parent else None
        if themes_store.sibling_named(self._db, parent_id, theme.name, exclude_id=theme.id):
            raise WorkbenchError(
                f"{parent.path if parent else 'the top level'} already has a theme named {theme.name!r}"
            )
        with self._change("theme.move", {"theme": theme.path, "to": parent.path if parent else None}):
            themes_store.move_theme(self._db, theme.id, parent_id, position)
        return self._theme_by_id(theme.id)

    def merge_themes(self, source: str, target: str) -> int:
        """Merge ``source`` into ``target``: its codings and sub-themes move over; returns codings moved."""
        source_theme, target_theme = self.theme(source), self.theme(target)
        if source_theme.id == target_theme.id:
            raise WorkbenchError("cannot merge a theme into itself")
        if target_theme.id in queries.descendant_ids(self.themes(), source_theme.id):
            raise WorkbenchError(f"cannot merge {source_theme.path} into its own sub-theme")
        self._snapshot("before merge themes")
        with self._change("theme.merge", {"source": source_theme.path, "target": target_theme.path}) as payload:
            payload["moved"] = moved = themes_store.merge_themes(self._db, source_theme.id, target_theme.id)
            self._renumber(target_theme.id)
        return moved

    def delete_theme(self, path: str) -> int:
        """Delete a theme with its sub-themes and their codings; returns how many codings went."""
        theme = self.theme(path)
        self._snapshot("before delete theme")
        with self._change("theme.delete", {"theme": theme.path}) as payload:
            payload["codings"] = deleted = themes_store.delete_theme(self._db, theme.id)
        return deleted

    # -- codebook files --------------------------------------------------------------------------

    def load_codebook(self, path: Path | str) -> CodebookMergeReport:
        """Merge a codebook file into the study by theme path (see docs/codebook.md)."""
        from workbench.interop.codebook_file import colour_warnings, load_codebook

        codebook = load_codebook(Path(path))
        report = self.merge_codebook(codebook, source=str(path))
        report.warnings.extend(colour_warnings(codebook))
        return report

    def merge_codebook(self, codebook: Codebook, source: str) -> CodebookMergeReport:
        """Merge an already-read codebook (from YAML, REFI-QDA, CSV ...) by theme path."""
        with self._change("codebook.load", {"file": source}) as payload:
            report = themes_store.merge_codebook(self._db, codebook, now())
            payload["added"] = report.added
        return report

    def export_codebook(self) -> str:
        """The study's current codebook as YAML, in the format ``load_codebook`` reads."""
        from workbench.domain import codebook as codebook_format

        themes = self.themes()
        specs: dict[int, ThemeSpec] = {}
        roots: list[ThemeSpec] = []
        for theme in themes:
            spec = ThemeSpec(
                name=theme.name,
                key=theme.key,
                color=theme.color,
                description=theme.description,
                include=theme.include,
                exclude=theme.exclude,
            )
            specs[theme.id] = spec
            (specs[theme.parent_id].children if theme.parent_id else roots).append(spec)
        return codebook_format.dump_codebook(Codebook(roots, name=self.path.stem))

    # -- overview --------------------------------------------------------------------------------

    def codings_per_transcript(
        self, theme_ids: set[int] | None = None, transcript: str | None = None
    ) -> dict[int, dict[int, int]]:
        """{theme id: {transcript id: codings}} of the given themes (None: all), in one transcript
        (None: all): what a screen keeps to update a theme's counts after a change to it without
        counting the study again (:meth:`cases_of_transcripts` says whose each transcript is)."""
        return queries.codings_per_transcript(self._db, theme_ids, transcript)

    def cases_of_transcripts(self) -> dict[int, int | None]:
        """{transcript id: its case's id, or None when it has none}."""
        return queries.cases_of_transcripts(self._db)

    def stats(self, by: str | None = None) -> tuple[list[ThemeCount], list[str]]:
        """Codings and informants per theme, optionally split by the values of attribute ``by``."""
        if by is not None:
            known = {k.casefold() for attrs in self.cases().values() for k in attrs}
            if by.casefold() not in known:
                raise WorkbenchError(f"no case has an attribute {by!r} (known: {', '.join(sorted(known)) or 'none'})")
        return queries.theme_counts(self._db, self.themes(), by)
