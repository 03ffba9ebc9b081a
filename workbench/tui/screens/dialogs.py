"""Modal dialogs: small keyboard-driven questions that answer with ``dismiss(result)``.

Every dialog cancels with escape (the result is then None) and fits an 80x24 terminal. Dialogs
with a text field never bind plain letters, so typing "j" or "q" types it.

- :class:`ThemePickerDialog` -> ``("existing", theme_id)`` or ``("new", name, parent_id)``
- :class:`ConfirmDialog` -> ``True`` / ``False``
- :class:`TextDialog` -> the text (stripped) or None
- :class:`TrimDialog` -> the trimmed quote (stripped) or None
- :class:`ChoiceDialog` -> the chosen value or None
- :class:`HelpDialog` -> None

Dialogs take study text as it is (theme paths, transcript names, memos) and show every title,
entry, question and help row through the terminal-safe rule themselves (``workbench.display``);
a text field shows the text being edited the same way without changing it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from workbench import __version__
from workbench.display.rich_text import VisibleHighlighter, block, line, safe_copy
from workbench.domain.elision import ELISION, elision_problem
from workbench.domain.models import Theme
from workbench.tui.frame_pacing import NoLayoutOnCloseScreen
from workbench.tui.fuzzy import FuzzyMatch, fuzzy_filter
from workbench.tui.widgets.text_fields import SafeTextArea

MATCHED = Style(bold=True, underline=True)  # the characters a fuzzy query matched
SWATCH = "■ "


class WorkbenchDialog(NoLayoutOnCloseScreen, ModalScreen):
    """Base of the workbench's dialogs: a centred bordered box; escape cancels with None."""

    DEFAULT_CSS = """
    WorkbenchDialog {
        align: center middle;
    }
    WorkbenchDialog > .dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: round $primary;
        border-title-color: $text;
        border-title-style: bold;
        background: $surface;
        padding: 0 1;
    }
    WorkbenchDialog .dialog--hint {
        color: $text-muted;
        width: 100%;
    }
    WorkbenchDialog .dialog--list {
        height: auto;
        max-height: 14;
        border: none;
        padding: 0;
        background: $surface;
    }
    WorkbenchDialog .dialog--list > .option-list--option-highlighted {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;  /* still visible without colours (NO_COLOR) */
    }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", show=False, id="dialog.cancel")]

    def action_cancel(self) -> None:
        """Close the dialog without an answer."""
        self.dismiss(None)

    @staticmethod
    def titled(box: Widget, title: str) -> None:
        """Give the dialog's box its title: safe text, never markup (it often names a theme)."""
        box.border_title = line(title)


class _ListBelowInput(OptionList, can_focus=False):
    """The options under a filter Input; it never takes focus, so typing always types."""


def _marked(text: str | Text, match: FuzzyMatch | None) -> Text:
    """``text``, safe to show, with the characters the query matched emphasised.

    Every entry of a list dialog is made here; the rule keeps one shown character per stored
    one, so the match's positions (found in the stored text) still fit.
    """
    marked = line(text) if isinstance(text, str) else safe_copy(text)
    for position in match.positions if match else ():
        marked.stylize(MATCHED, position, position + 1)
    return marked


class _FilteredListDialog(WorkbenchDialog):
    """An Input above a list: typing filters, up/down move in the list, enter chooses."""

    BINDINGS = [
        Binding("down", "list_down", "Down", show=False, id="dialog.down"),
        Binding("up", "list_up", "Up", show=False, id="dialog.up"),
        Binding("pagedown", "list_page_down", "Page down", show=False, id="dialog.page_down"),
        Binding("pageup", "list_page_up", "Page up", show=False, id="dialog.page_up"),
    ]
    HINT = "type to filter · ↑↓ move · enter choose · esc cancel"

    def __init__(self, title: str, placeholder: str) -> None:
        super().__init__()
        self._title = title
        self._placeholder = placeholder
        self._values: list[object] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            self.titled(box, self._title)
            yield Input(placeholder=self._placeholder, id="filter", highlighter=VisibleHighlighter())
            yield _ListBelowInput(id="options", classes="dialog--list")
            yield Label(self.HINT, classes="dialog--hint")

    def on_mount(self) -> None:
        self._refilter("")
        self.query_one("#filter", Input).focus()

    @property
    def option_list(self) -> OptionList:
        """The list of entries under the Input."""
        return self.query_one("#options", OptionList)

    @property
    def entries(self) -> list[str]:
        """The plain text of the entries shown, top to bottom."""
        return [_plain(option.prompt) for option in self.option_list.options]

    def rows(self, query: str) -> tuple[list[tuple[Text, object]], int]:
        """The entries for ``query`` as (prompt, value), and the index to highlight."""
        raise NotImplementedError

    def answer(self, value: object) -> object:
        """The dialog's result for a chosen entry value."""
        return value

    def _refilter(self, query: str) -> None:
        rows, highlight = self.rows(query)
        self._values = [value for _, value in rows]
        options = self.option_list
        options.set_options(Option(prompt) for prompt, _ in rows)
        options.highlighted = highlight if rows else None

    # The list's highlight moves while the Input keeps focus.

    def action_list_down(self) -> None:
        self.option_list.action_cursor_down()

    def action_list_up(self) -> None:
        self.option_list.action_cursor_up()

    def action_list_page_down(self) -> None:
        self.option_list.action_page_down()

    def action_list_page_up(self) -> None:
        self.option_list.action_page_up()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refilter(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose(self.option_list.highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()  # a mouse click on an entry
        self._choose(event.option_index)

    def _choose(self, index: int | None) -> None:
        if index is None or not 0 <= index < len(self._values):
            self.app.bell()
            return
        self.dismiss(self.answer(self._values[index]))


def _plain(prompt: object) -> str:
    return prompt.plain if isinstance(prompt, Text) else str(prompt)


class ThemePickerDialog(_FilteredListDialog):
    """Pick a theme by typing part of its path, or name a new one.

    Results: ``("existing", theme_id)``, or ``("new", name, parent_id)`` where ``parent_id`` is
    the highlighted theme's id for a new sub-theme and None for a new top-level theme; None
    when cancelled. A new entry is offered when the typed name is no theme's name or path;
    "Parent/Name" offers a new sub-theme under an existing parent path.
    """

    HINT = "type a name · ↑↓ move · enter apply · esc cancel"

    def __init__(self, themes: list[Theme], highlighted_id: int | None, *, title: str = "Apply theme") -> None:
        super().__init__(title, "Theme name or part of its path")
        self.themes = list(themes)
        self.highlighted_id = highlighted_id

    def rows(self, query: str) -> tuple[list[tuple[Text, object]], int]:
        rows: list[tuple[Text, object]] = []
        for theme, match in fuzzy_filter(query, self.themes, key=lambda t: t.path):
            prompt = Text.assemble((SWATCH, Style(color=theme.color, bold=True)), _marked(theme.path, match))
            rows.append((prompt, ("existing", theme.id)))
        highlight = 0
        if not query.strip():
            ids = [value[1] for _, value in rows]
            highlight = ids.index(self.highlighted_id) if self.highlighted_id in ids else 0
        rows.extend(self._new_rows(query.strip()))
        return rows, highlight

    def _new_rows(self, typed: str) -> list[tuple[Text, object]]:
        """Entries that create a theme named ``typed``, unless a theme already has that name."""
        folded = typed.casefold()
        if not typed or any(folded in (t.name.casefold(), t.path.casefold()) for t in self.themes):
            return []
        style = Style(italic=True)
        if "/" in typed:  # "Parent/Name": a new sub-theme under an existing parent path
            parent_path, _, name = (part.strip() for part in typed.rpartition("/"))
            parent = next((t for t in self.themes if t.path.casefold() == parent_path.casefold()), None)
            if parent is None or not name:
                return []
            return [(line(f'+ New sub-theme "{name}" under {parent.path}', style), ("new", name, parent.id))]
        parent = next((t for t in self.themes if t.id == self.highlighted_id), None)
        if parent is None:
            return [(line(f'+ New theme "{typed}"', style), ("new", typed, None))]
        return [
            (line(f'+ New sub-theme "{typed}" under {parent.path}', style), ("new", typed, parent.id)),
            (line(f'+ New top-level theme "{typed}"', style), ("new", typed, None)),
        ]


class ChoiceDialog(_FilteredListDialog):
    """Choose one of ``choices`` (label, value); typing filters the labels fuzzily.

    The result is the chosen value (so avoid None as a value: it also means cancelled).
    Labels may be rich ``Text`` (e.g. a colour swatch); they are matched on their plain text.
    ``highlighted`` is the index of the entry highlighted at first (e.g. the current one).
    """

    def __init__(
        self,
        title: str,
        choices: Sequence[tuple[str | Text, object]],
        *,
        highlighted: int = 0,
        placeholder: str = "Type to filter",
    ) -> None:
        super().__init__(title, placeholder)
        self.choices = list(choices)
        self.initial = highlighted

    def rows(self, query: str) -> tuple[list[tuple[Text, object]], int]:
        found = fuzzy_filter(query, range(len(self.choices)), key=lambda i: _plain(self.choices[i][0]))
        rows = [(_marked(self.choices[i][0], match), i) for i, match in found]
        highlight = 0
        if not query.strip():
            highlight = min(max(self.initial, 0), max(len(rows) - 1, 0))
        return rows, highlight

    def answer(self, value: object) -> object:
        return self.choices[value][1]  # rows carry indexes, so equal values stay distinct


class ConfirmDialog(WorkbenchDialog):
    """A yes/no question. y or enter confirms (True); n or escape cancels (False)."""

    DEFAULT_CSS = """
    ConfirmDialog .dialog--buttons { height: auto; margin-top: 1; }
    ConfirmDialog .dialog--buttons Button { margin-right: 2; }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", show=False, id="dialog.confirm"),
        Binding("enter", "answer(True)", "Yes", show=False, id="dialog.confirm_enter"),
        Binding("n", "answer(False)", "No", show=False, id="dialog.deny"),
    ]  # escape: the dialogs' own "dialog.cancel", which answers False here

    def __init__(self, question: str, confirm_label: str = "Delete") -> None:
        super().__init__()
        self.question = question
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Confirm"
            yield Static(block(self.question), classes="dialog--question")
            with Horizontal(classes="dialog--buttons"):
                yield Button(f"{self.confirm_label} (y)", variant="error", id="confirm")
                yield Button("Cancel (n)", id="cancel")
            yield Label("y/enter: confirm · n/esc: cancel · tab: switch button", classes="dialog--hint")

    def on_mount(self) -> None:
        self.query_one("#confirm", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm")

    def action_answer(self, yes: bool) -> None:
        """Close with the answer."""
        self.dismiss(yes)

    def action_cancel(self) -> None:
        """Escape is a no."""
        self.dismiss(False)


class TextDialog(WorkbenchDialog):
    """Ask for a text: one line (enter saves) or several (ctrl+s saves). Result: stripped text or None.

    A one-line ``initial`` text starts selected, so typing replaces it and an arrow key edits it.
    """

    DEFAULT_CSS = """
    TextDialog TextArea { height: 10; max-height: 14; }
    """
    BINDINGS = [Binding("ctrl+s", "submit", "Save", show=False, id="dialog.submit")]

    HINT: str | None = None  # a multi-line dialog's own hint, if it has more keys

    def __init__(
        self, title: str, initial: str = "", multiline: bool = False, placeholder: str = "", enter_word: str = "save"
    ) -> None:
        super().__init__()
        self.enter_word = enter_word  # what enter does in a one-line field ("search" in a search box)
        self._title = title
        self.initial = initial
        self.multiline = multiline
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            self.titled(box, self._title)
            if self.multiline:
                yield SafeTextArea(
                    self.initial,
                    soft_wrap=True,
                    tab_behavior="focus",
                    show_line_numbers=False,
                    placeholder=self.placeholder,
                    id="text",
                )
                hint = self.HINT or "ctrl+s: save · esc: cancel"
            else:
                yield Input(self.initial, placeholder=self.placeholder, id="text", highlighter=VisibleHighlighter())
                hint = f"enter: {self.enter_word} · esc: cancel"
            yield Label(hint, classes="dialog--hint")

    def on_mount(self) -> None:
        field = self.query_one("#text")
        field.focus()
        if isinstance(field, TextArea):
            field.move_cursor(field.document.end)

    @property
    def value(self) -> str:
        """The text as typed so far."""
        field = self.query_one("#text")
        return field.text if isinstance(field, TextArea) else field.value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Close with the text."""
        self.dismiss(self.value.strip())

    def action_cancel(self) -> None:
        """Escape: close without saving; a longer text (a comment, a trim, a memo) that was
        changed is not thrown away without asking."""
        if not self.multiline or self.value == self.initial:
            self.dismiss(None)
            return
        self.app.push_screen(
            ConfirmDialog("Discard the changes to this text? (n: keep editing)", confirm_label="Discard"),
            lambda discard: discard and self.dismiss(None),
        )


class TrimDialog(TextDialog):
    """Trim a quote: select words (shift+arrows) and press ctrl+t to replace them with ``[...]``.

    Saving checks the trimmed form against the passage with the one rule of
    :func:`workbench.domain.elision.elision_problem`; a refused form keeps the dialog open with
    the cursor where it stops following the passage and a one-line note quoting the words there.
    """

    BINDINGS = [Binding("ctrl+t", "cut_words", "Cut to [...]", show=False, id="dialog.trim_cut")]
    HINT = "shift+arrows: select · ctrl+t: [...] · ctrl+s: save · esc: cancel"

    def __init__(self, title: str, passage: str, initial: str) -> None:
        super().__init__(title, initial, multiline=True)
        self.passage = passage

    @property
    def area(self) -> TextArea:
        """The text field holding the quote."""
        return self.query_one("#text", TextArea)

    def action_cut_words(self) -> None:
        """Replace the selected words with the mark; spaces at the selection's edges are kept,
        so the mark stands between words."""
        area = self.area
        start, end = sorted((area.selection.start, area.selection.end))
        selected = area.get_text_range(start, end)
        if not selected.strip() or selected.strip() == ELISION:
            self.notify("Select the words to cut first (shift+arrows).", timeout=3)
            return
        lead = selected[: len(selected) - len(selected.lstrip())]
        trail = selected[len(selected.rstrip()) :]
        result = area.replace(lead + ELISION + trail, start, end)
        area.move_cursor(result.end_location)

    def action_submit(self) -> None:
        """Save the trimmed quote, or keep editing at the place the passage is not followed."""
        text = self.value.strip()
        problem = elision_problem(self.passage, self.value) if text else None
        if problem is None:
            self.dismiss(text)
            return
        area = self.area
        area.move_cursor(area.document.get_location_from_index(problem.offset))
        area.focus()
        where = f"{problem.words!r} is not in the passage (in this order)" if problem.words else problem.message
        self.notify(f"Not saved: {where}; the cursor is where it differs.", severity="error", timeout=8)


class HelpDialog(WorkbenchDialog):
    """The keys and what they do, as a scrollable table; escape, F1 or q closes it.

    A row whose key is empty is shown as a heading.
    """

    DEFAULT_CSS = """
    HelpDialog > .dialog { width: 90; height: 100%; max-height: 40; }
    HelpDialog VerticalScroll { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape,f1,q", "cancel", "Close", show=False, id="help.close"),
        Binding("j", "scroll('down')", "Down", show=False, id="help.down"),
        Binding("k", "scroll('up')", "Up", show=False, id="help.up"),
    ]

    def __init__(self, rows: Sequence[tuple[str, str]], *, title: str | None = None) -> None:
        super().__init__()
        self.rows = list(rows)
        self._title = title or f"Keys · workbench {__version__}"  # the version, for a bug report

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            self.titled(box, self._title)
            with VerticalScroll(id="help-table"):
                yield Static(self._render_rows())
            yield Label("↑↓ pgup pgdn: scroll · esc/F1/q: close", classes="dialog--hint")

    def _render_rows(self) -> Group:
        """One table per heading, all with the same key column width so they line up."""
        key_width = max((len(key) for key, _ in self.rows if key), default=1)
        parts: list = []
        table: Table | None = None
        for key, action in self.rows:
            if not key:
                parts.append(Text.assemble("\n" if parts else "", line(action, "bold underline")))
                table = None
                continue
            if table is None:
                table = Table(box=None, show_header=False, expand=True, padding=(0, 1, 0, 0))
                table.add_column("key", style="bold", no_wrap=True, min_width=key_width)
                table.add_column("action", ratio=1)
                parts.append(table)
            table.add_row(line(key), line(action))
        return Group(*parts)

    def on_mount(self) -> None:
        self.query_one("#help-table").focus()

    def action_scroll(self, direction: str) -> None:
        """Scroll the table one line (j/k, as arrows do)."""
        scroller = self.query_one("#help-table", VerticalScroll)
        scroller.scroll_relative(y=1 if direction == "down" else -1, animate=False)
