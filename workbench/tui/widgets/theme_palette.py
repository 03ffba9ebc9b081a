"""The theme palette: the codebook as a tree with colours, shortcut keys and counts.

The screen feeds it with :meth:`ThemePalette.set_themes` and reacts to its messages; the palette
never changes the study itself. Every theme gets an *effective key*: its codebook key, or for the
first nine themes without one a free digit 1-9, so the most used themes can be applied with one
keystroke from the transcript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Self

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.css.styles import RenderStyles
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from workbench.display.safe_text import visible
from workbench.display.theme_mark import mark_style
from workbench.domain.colours import repeated_colours
from workbench.domain.models import Theme

SWATCH = "■"
DIGITS = "123456789"
#: What the two numbers after each theme count (the theme itself, not its sub-themes).
COUNTS_LEGEND = "codings · informants"


class ThemeEdit(StrEnum):
    """A change to the codebook that the palette asks the screen for (``EditRequested.action``)."""

    ADD = "add"
    ADD_CHILD = "add_child"
    RENAME = "rename"
    RECOLOUR = "recolour"
    MOVE = "move"
    MERGE = "merge"
    DELETE = "delete"
    DESCRIBE = "describe"
    MEMO = "memo"


EDIT_KEYS: dict[ThemeEdit, tuple[str, str]] = {
    # edit: (keys, description)
    ThemeEdit.ADD: ("a", "Add theme"),
    ThemeEdit.ADD_CHILD: ("A", "Add sub-theme"),
    ThemeEdit.RENAME: ("r", "Rename"),
    ThemeEdit.RECOLOUR: ("C", "Colour"),
    ThemeEdit.MOVE: ("m", "Move"),
    ThemeEdit.MERGE: ("M", "Merge into"),
    ThemeEdit.DELETE: ("delete,d", "Delete"),
    ThemeEdit.DESCRIBE: ("e", "Describe"),
    ThemeEdit.MEMO: ("n", "Memo"),
}
_IN_FOOTER = {ThemeEdit.ADD, ThemeEdit.RENAME, ThemeEdit.DELETE, ThemeEdit.MEMO}
_NEEDS_NO_THEME = {ThemeEdit.ADD}  # every other edit works on the highlighted theme


def effective_keys(themes: list[Theme]) -> dict[str, int]:
    """Key character -> theme id: codebook keys, plus free digits 1-9 for unkeyed themes.

    ``themes`` are taken in display order; the first nine themes without a key get the digits
    that no codebook key already uses, in order, so two themes never share a key.
    """
    keys: dict[str, int] = {}
    for theme in themes:
        if theme.key and theme.key not in keys:
            keys[theme.key] = theme.id
    free = iter(d for d in DIGITS if d not in keys)
    for theme in themes:
        if theme.key and keys.get(theme.key) == theme.id:
            continue
        digit = next(free, None)
        if digit is None:
            break
        keys[digit] = theme.id
    return keys


def theme_marks(themes: list[Theme]) -> dict[int, str]:
    """Theme id -> its mark: one capital letter that tells it from every other theme without colour.

    ``themes`` are taken in display order; each gets the first letter of its name that no earlier
    theme has, else the first free letter or digit, else "•" (more than 36 themes).
    """
    taken: set[str] = set()
    marks: dict[int, str] = {}
    spare = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    for theme in themes:
        letters = [c.upper() for c in theme.name if c.isascii() and c.isalnum()]
        mark = next((c for c in letters if c not in taken), None) or next((c for c in spare if c not in taken), "•")
        taken.add(mark)
        marks[theme.id] = mark
    return marks


def display_order(themes: list[Theme]) -> list[Theme]:
    """Themes depth-first, siblings by position; orphans (parent not given) go to the top level."""
    ids = {theme.id for theme in themes}
    children: dict[int | None, list[Theme]] = {}
    for theme in themes:
        parent = theme.parent_id if theme.parent_id in ids else None
        children.setdefault(parent, []).append(theme)
    ordered: list[Theme] = []

    def walk(parent: int | None) -> None:
        for theme in sorted(children.get(parent, []), key=lambda t: t.position):
            ordered.append(theme)
            walk(theme.id)

    walk(None)
    return ordered


class ThemePalette(Tree[Theme]):
    """The codebook as a tree: swatch, shortcut key, name, and counts (codings · informants)."""

    DEFAULT_CSS = """
    ThemePalette {
        overflow-x: hidden;
        scrollbar-gutter: stable;
    }
    ThemePalette > .theme-palette--key { color: $text-muted; }
    ThemePalette > .theme-palette--counts { color: $text-muted; }
    """
    COMPONENT_CLASSES = Tree.COMPONENT_CLASSES | {"theme-palette--key", "theme-palette--counts"}

    BINDINGS = [
        Binding("enter", "select_cursor", "Filter quotes", show=False, id="palette.choose"),
        Binding("up,k", "cursor_up", "Up", show=False, id="palette.cursor_up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="palette.cursor_down"),
        Binding("home", "scroll_home", "First", show=False, id="palette.first"),
        Binding("end", "scroll_end", "Last", show=False, id="palette.last"),
        *[
            Binding(keys, f"request('{edit}')", description, show=edit in _IN_FOOTER, id=f"palette.{edit}")
            for edit, (keys, description) in EDIT_KEYS.items()
        ],
    ]

    @dataclass
    class ThemeChosen(Message):
        """Enter on a theme: show its quotes."""

        theme_id: int
        palette: ThemePalette | None = field(default=None, repr=False)

        @property
        def control(self) -> ThemePalette | None:
            return self.palette

    @dataclass
    class ThemeHighlighted(Message):
        """The highlighted theme changed (None when the palette is empty)."""

        theme_id: int | None
        palette: ThemePalette | None = field(default=None, repr=False)

        @property
        def control(self) -> ThemePalette | None:
            return self.palette

    @dataclass
    class EditRequested(Message):
        """The user asked to change the codebook: ``action`` says how, ``theme_id`` is the highlighted
        theme (None only for ``ThemeEdit.ADD`` on an empty palette)."""

        action: ThemeEdit
        theme_id: int | None
        palette: ThemePalette | None = field(default=None, repr=False)

        @property
        def control(self) -> ThemePalette | None:
            return self.palette

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None, disabled: bool = False
    ) -> None:
        self._component_styles_kept: dict[tuple, RenderStyles | Style] = {}  # see get_component_styles
        super().__init__("Themes", name=name, id=id, classes=classes, disabled=disabled)
        self.show_root = False
        self.guide_depth = 3
        self.auto_expand = False  # enter chooses a theme; space folds
        self._shown: list[Theme] = []
        self._counts: dict[int, tuple[int, int]] = {}
        self._counting = False  # counts not known yet: rows show none
        self._given: list[Theme] = []  # the themes as last set
        self._keys: dict[str, int] = {}
        self._key_of: dict[int, str] = {}
        self._marks: dict[int, str] = {}
        self._theme_nodes: dict[int, TreeNode[Theme]] = {}
        self._announced: int | None = None
        self._twins_told: set[tuple[str, str]] = set()  # repeated colours already pointed out
        self.border_subtitle = COUNTS_LEGEND

    # -- data in --------------------------------------------------------------------------

    def set_themes(self, themes: list[Theme], counts: dict[int, tuple[int, int]] | None) -> None:
        """Show ``themes`` with ``counts`` (theme id -> (codings, informants); a theme left out
        has none), or without counts while they are not known yet (``counts`` None).

        The highlighted theme stays highlighted when it still exists; otherwise the highlight
        stays on the same row (clamped), so after a delete the next theme is highlighted.
        Folded themes stay folded.
        """
        counting, counts = counts is None, counts or {}
        if themes == self._given and self._theme_nodes:
            # Only counts changed (a coding, a removal): repaint those rows, keep the tree.
            changed = {tid for tid in {*counts, *self._counts} if counts.get(tid) != self._counts.get(tid)}
            if counting != self._counting:
                changed = set(self._theme_nodes)
            self._counts, self._counting = dict(counts), counting
            for theme_id in changed:
                if (node := self._theme_nodes.get(theme_id)) is not None:
                    node.refresh()
            if self.has_focus and self._highlighted_id() in changed:
                self._announce(again=True)  # the status line shows its counts while we have focus
            return
        self._given = list(themes)
        previous_id = self._highlighted_id()
        previous_line = self.cursor_line
        folded = {tid for tid, node in self._theme_nodes.items() if node.allow_expand and not node.is_expanded}
        self._shown = display_order(themes)
        self._counts, self._counting = dict(counts), counting
        self._keys = effective_keys(self._shown)
        self._key_of = {theme_id: key for key, theme_id in self._keys.items()}
        self._marks = theme_marks(self._shown)
        self._tell_of_repeated_colours()
        self.clear()
        self._theme_nodes = {}
        for theme in self._shown:
            parent_node = self._theme_nodes.get(theme.parent_id, self.root)  # type: ignore[arg-type]
            node = parent_node.add(Text(visible(theme.name)), data=theme, expand=theme.id not in folded)
            self._theme_nodes[theme.id] = node
        for node in self._theme_nodes.values():
            node.allow_expand = bool(node.children)
        self.cursor_line = -1
        if previous_id in self._theme_nodes:
            self.highlight(previous_id)
        elif self._shown:
            self._build_lines()
            line = min(max(previous_line, 0), self.last_line)
            self.move_cursor(self.get_node_at_line(line))
        self._announce()

    def _tell_of_repeated_colours(self) -> None:
        """A notice, once per pair, when two themes have colours that look the same (the marks
        still tell them apart; C recolours)."""
        twins = [(a, b) for a, b, _ in repeated_colours((t.path, t.color) for t in self._shown)]
        new = [pair for pair in twins if pair not in self._twins_told]
        self._twins_told = set(twins)
        if new:
            a, b = new[0]
            more = f" (and {len(new) - 1} more pair(s))" if len(new) > 1 else ""
            self.notify(f"{visible(b)} has the same colour as {visible(a)}{more}; C on a theme changes its colour")

    def counts_for(self, theme_id: int) -> tuple[int, int]:
        """(codings, informants) of the theme itself, as its row shows them."""
        return self._counts.get(theme_id, (0, 0))

    @property
    def themes(self) -> list[Theme]:
        """The themes shown, in display order (depth-first)."""
        return list(self._shown)

    @property
    def counts(self) -> dict[int, tuple[int, int]]:
        """The counts shown: theme id -> (codings, informants)."""
        return dict(self._counts)

    @property
    def effective_keys(self) -> dict[str, int]:
        """Key character -> theme id: codebook keys plus digits 1-9 for unkeyed themes."""
        return dict(self._keys)

    def key_for(self, theme_id: int) -> str | None:
        """The effective key of a theme, or None."""
        return self._key_of.get(theme_id)

    def mark_for(self, theme_id: int) -> str:
        """The theme's mark (a capital letter), as the palette and the transcript's gutter show it."""
        return self._marks.get(theme_id, "▌")

    @property
    def highlighted_theme(self) -> Theme | None:
        """The theme under the cursor, or None when the palette is empty."""
        node = self.cursor_node
        return node.data if node is not None and node.data is not None else None

    def highlight(self, theme_id: int) -> None:
        """Move the cursor to a theme, unfolding its parents so it is visible."""
        node = self._theme_nodes.get(theme_id)
        if node is None:
            return
        parent = node.parent
        while parent is not None and parent is not self.root:
            if not parent.is_expanded:
                parent.expand()
            parent = parent.parent
        self._build_lines()
        self.move_cursor(node)

    # -- keys -----------------------------------------------------------------------------

    def action_select_cursor(self) -> None:
        """Enter (or a click on the highlighted row) chooses the theme."""
        theme = self.highlighted_theme
        if theme is not None:
            self.post_message(self.ThemeChosen(theme.id, self))

    def action_request(self, edit: str) -> None:
        """Ask the screen to add, rename, recolour, move, merge, delete or describe a theme."""
        theme = self.highlighted_theme
        if theme is None and ThemeEdit(edit) not in _NEEDS_NO_THEME:
            self.app.bell()
            return
        self.post_message(self.EditRequested(ThemeEdit(edit), theme.id if theme else None, self))

    def _on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        event.stop()  # the palette speaks in themes, not tree nodes
        self._announce()

    def _on_tree_node_selected(self, event: Tree.NodeSelected) -> None:
        event.stop()

    def on_focus(self) -> None:
        self._announce(again=True)  # the screen shows the highlighted theme while we have focus

    def on_blur(self) -> None:
        self._announce(again=True)

    # -- drawing --------------------------------------------------------------------------

    def get_component_styles(self, *names: str) -> RenderStyles:
        """Kept until the palette's style changes. Textual works a component's styles out again
        after every repaint, a single row's too, and the tree asks for six of them to draw a row
        (about 0.3 ms a row): a coding changes one row's counts, never a style."""
        key = ("styles", names)
        if key not in self._component_styles_kept:
            self._component_styles_kept[key] = super().get_component_styles(*names)
        return self._component_styles_kept[key]  # type: ignore[return-value]

    def get_component_rich_style(self, *names: str, partial: bool = False, default: Style | None = None) -> Style:
        """Kept as :meth:`get_component_styles` is."""
        if default is not None:  # a component that may not exist: not worth keeping
            return super().get_component_rich_style(*names, partial=partial, default=default)
        key = ("rich", names, partial)
        if key not in self._component_styles_kept:
            self._component_styles_kept[key] = super().get_component_rich_style(*names, partial=partial)
        return self._component_styles_kept[key]  # type: ignore[return-value]

    def notify_style_update(self) -> None:
        self._component_styles_kept.clear()
        super().notify_style_update()

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        # A whole repaint is how Textual answers a change of component styles that left the
        # palette's own style as it was (a hover, a focus elsewhere): work them out again then.
        # A row's repaint (a region) is a change of content.
        if not regions and repaint:
            self._component_styles_kept.clear()
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def render_label(self, node: TreeNode[Theme], base_style: Style, style: Style) -> Text:
        """One row: fold icon, swatch, ``[key]``, name (cut to fit), and right-aligned counts."""
        theme = node.data
        if theme is None:
            return super().render_label(node, base_style, style)
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
        else:  # line leaves up with folders beside them; no blank column otherwise
            icon = "  " if any(sibling.allow_expand for sibling in node.parent.children) else ""
        key = self._key_of.get(theme.id)
        key_text = f"[{key}] " if key else "    "
        codings, informants = self._counts.get(theme.id, (0, 0))
        counts = "" if self._counting else f"{codings} · {informants}"
        name = Text(visible(theme.name))
        room = self._row_width(node) - (len(icon) + 2 + len(key_text) + 1 + len(counts))
        if room > 0 and name.cell_len > room:
            name.truncate(room, overflow="ellipsis")
        gap = room - name.cell_len + 1 if room > 0 else 1
        muted_key = self.get_component_rich_style("theme-palette--key", partial=True)
        muted_counts = self.get_component_rich_style("theme-palette--counts", partial=True)
        # The cursor style wins over muted text, but never hides the theme's own colour.
        return Text.assemble(
            (icon, base_style),
            (self._marks.get(theme.id, SWATCH), style + mark_style(theme.color)),
            (" ", style),
            (key_text, muted_key + style),
            (name.plain, style),
            (" " * gap, style),
            (counts, muted_counts + style),
        )

    def get_label_width(self, node: TreeNode[Theme]) -> int:
        # Rows are fitted to the width in render_label; never ask for horizontal scrolling.
        return 1

    def _row_width(self, node: TreeNode[Theme]) -> int:
        depth, parent = 0, node.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        return self.scrollable_content_region.width - depth * self.guide_depth

    # -- helpers --------------------------------------------------------------------------

    def _build_lines(self) -> None:
        # Tree lays out rows lazily; node line numbers are only valid after this.
        _ = self.last_line

    def _highlighted_id(self) -> int | None:
        theme = self.highlighted_theme
        return theme.id if theme else None

    def _announce(self, again: bool = False) -> None:
        theme_id = self._highlighted_id()
        if again or theme_id != self._announced:
            self._announced = theme_id
            self.post_message(self.ThemeHighlighted(theme_id, self))
