"""Editing the codebook from the theme palette: add, rename, recolour, move, merge, delete, describe.

Part of the coding screen, which owns the palette and the study; each edit asks what it needs in
a dialog, calls the study (one transaction, undoable) and refreshes the screen.
"""

from __future__ import annotations

from collections.abc import Callable

from workbench.domain.colours import DEFAULT_PALETTE
from workbench.domain.models import Theme
from workbench.tui.screens.coding_base import CodingScreenBase
from workbench.tui.widgets.theme_palette import ThemeEdit, ThemePalette

# Dialogs are imported where one opens: the first frame does without their module (and Textual's text fields).


class ThemeEditing(CodingScreenBase):
    """Answers :class:`ThemePalette.EditRequested`: one method per :class:`ThemeEdit`."""

    def on_theme_palette_edit_requested(self, message: ThemePalette.EditRequested) -> None:
        if message.action == ThemeEdit.ADD:
            self._edit_add()
            return
        theme = self._theme_by_id(message.theme_id)
        if theme is not None:
            self.theme_edits()[message.action](theme)

    def on_theme_palette_theme_highlighted(self, message: ThemePalette.ThemeHighlighted) -> None:
        """While the palette has the focus, the status line names the highlighted theme in full."""
        theme = self._theme_by_id(message.theme_id)
        if theme is None or not self.palette.has_focus:
            self.status.show(highlighted=None)
            return
        self.status.show(highlighted=(theme, self.palette.mark_for(theme.id), *self.palette.counts_for(theme.id)))

    def theme_edits(self) -> dict[ThemeEdit, Callable[[Theme], None]]:
        """The handler of each edit of a theme the palette can ask for (all but adding a theme)."""
        return {
            ThemeEdit.ADD_CHILD: self._edit_add_child,
            ThemeEdit.RENAME: self._edit_rename,
            ThemeEdit.RECOLOUR: self._edit_recolour,
            ThemeEdit.MOVE: self._edit_move,
            ThemeEdit.MERGE: self._edit_merge,
            ThemeEdit.DELETE: self._edit_delete,
            ThemeEdit.DESCRIBE: self._edit_describe,
            ThemeEdit.MEMO: self._edit_memo,
        }

    def _edit_add(self) -> None:
        from workbench.tui.screens.dialogs import TextDialog

        self.app.push_screen(
            TextDialog("New theme", placeholder="name"),
            lambda name: name and self._run(f"added {name}", self.study.add_theme, name),
        )

    def _edit_add_child(self, theme: Theme) -> None:
        from workbench.tui.screens.dialogs import TextDialog

        self.app.push_screen(
            TextDialog(f"New sub-theme of {theme.path}", placeholder="name"),
            lambda name: name and self._run(f"added {name}", self.study.add_theme, name, parent=theme.path),
        )

    def _edit_rename(self, theme: Theme) -> None:
        from workbench.tui.screens.dialogs import TextDialog

        self.app.push_screen(
            TextDialog(f"Rename {theme.path}", theme.name),
            lambda name: name and self._run(f"renamed to {name}", self.study.update_theme, theme.path, name=name),
        )

    def _edit_recolour(self, theme: Theme) -> None:
        from workbench.tui.screens.dialogs import ChoiceDialog

        choices = [(f"{colour}", colour) for colour in DEFAULT_PALETTE] + [("other… (a name or #rrggbb)", "")]
        self.app.push_screen(ChoiceDialog(f"Colour of {theme.path}", choices), lambda c: self._recolour(theme, c))

    def _recolour(self, theme: Theme, colour: str | None) -> None:
        from workbench.tui.screens.dialogs import TextDialog

        if colour is None:
            return
        if colour == "":
            self.app.push_screen(
                TextDialog(f"Colour of {theme.path}", theme.color),
                lambda value: value and self._run("recoloured", self.study.update_theme, theme.path, color=value),
            )
            return
        self._run("recoloured", self.study.update_theme, theme.path, color=colour)

    def _edit_move(self, theme: Theme) -> None:
        from workbench.tui.screens.dialogs import ChoiceDialog

        inside = {t.id for t in self.themes if t.path == theme.path or t.path.startswith(theme.path + "/")}
        choices = [("(top level)", "")] + [(t.path, t.path) for t in self.themes if t.id not in inside]
        self.app.push_screen(
            ChoiceDialog(f"Move {theme.path} under…", choices),
            lambda parent: parent is not None and self._run("moved", self.study.move_theme, theme.path, parent or None),
        )

    def _edit_merge(self, theme: Theme) -> None:
        from workbench.tui.screens.dialogs import ChoiceDialog

        inside = {t.id for t in self.themes if t.path == theme.path or t.path.startswith(theme.path + "/")}
        choices = [(t.path, t.path) for t in self.themes if t.id not in inside]
        self.app.push_screen(
            ChoiceDialog(f"Merge {theme.path} into…", choices),
            lambda target: target and self._run(f"merged into {target}", self.study.merge_themes, theme.path, target),
        )

    def _edit_delete(self, theme: Theme) -> None:
        from workbench.tui.screens.dialogs import ConfirmDialog

        codings = sum(1 for q in self.study.quotes(theme=theme.path))
        if codings == 0:
            self._run(f"deleted {theme.path} (u undoes)", self.study.delete_theme, theme.path)
            return
        question = f"Delete {theme.path}, its sub-themes and {codings} coding(s)? (u undoes it)"
        self.app.push_screen(
            ConfirmDialog(question),
            lambda yes: yes and self._run(f"deleted {theme.path} (u undoes)", self.study.delete_theme, theme.path),
        )

    def _edit_describe(self, theme: Theme) -> None:
        from workbench.tui.screens.dialogs import TextDialog

        self.app.push_screen(
            TextDialog(f"Description of {theme.path}", theme.description or "", multiline=True),
            lambda text: (
                text is not None
                and self._run("description saved", self.study.update_theme, theme.path, description=text)
            ),
        )

    def _edit_memo(self, theme: Theme) -> None:
        from workbench.tui.screens.dialogs import TextDialog

        self.app.push_screen(
            TextDialog(
                f"Memo on {theme.path} (its section's introduction in the chapter)",
                self.study.memo("theme", theme.path) or "",
                multiline=True,
            ),
            lambda text: text is not None and self._run("memo saved", self.study.set_memo, "theme", theme.path, text),
        )
