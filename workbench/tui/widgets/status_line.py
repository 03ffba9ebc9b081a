"""The status line: study, transcript, coder, saved state and the codings under the cursor.

Every part may name something from the study, so each goes through the terminal-safe rule here.
"""

from __future__ import annotations

from rich.text import Text

from workbench.display.safe_text import visible
from workbench.display.theme_mark import mark_style
from workbench.domain.models import Theme
from workbench.tui.widgets.one_line import OneLineWidget

CANCEL_HINT = " · esc: cancel"  # after a question's answers; the first words to go on a narrow terminal


class StatusLine(OneLineWidget):
    """One line at the bottom of the coding screen. The screen sets its parts."""

    DEFAULT_CSS = """
    StatusLine { height: 1; background: $panel; color: $foreground; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._line = Text()
        self._compact: Text | None = None
        self.study = ""
        self.transcript = ""
        self.coder = ""
        self.saved = "saved"
        self.under_cursor: list[Theme] = []
        # The theme highlighted in the palette while it has the focus: (theme, mark, codings,
        # informants); shown in full in place of the themes under the transcript's cursor.
        self.highlighted: tuple[Theme, str, int, int] | None = None
        # A question waiting for a number (``x`` on several codings): what is asked, and each
        # numbered answer as (theme path, theme colour, its mark in the gutter, a few words of
        # its passage or "").
        self.choosing: tuple[str, list[tuple[str, str, str, str]]] | None = None
        self.note = ""

    def show(self, **parts) -> None:
        """Update some parts (study, transcript, coder, saved, under_cursor, highlighted, choosing,
        note) and redraw."""
        for name, value in parts.items():
            setattr(self, name, value)
        line = self._built_line(full=True)
        if line == self._line:
            return  # shown already: a repaint now could cost a frame of its own
        self._line = line
        self._compact = None  # built when a narrow terminal needs it (show runs on every cursor move)
        # A plain repaint: the line's size never changes, so no layout pass (which would also
        # repaint neighbours such as the transcript's scrollbar) is needed.
        self.refresh()

    def _built_line(self, *, full: bool, label_width: int | None = None) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis")
        if full:
            line.append(visible(self.study), style="bold")
            line.append(" · ")
        if self.transcript:
            line.append(f"{visible(self.transcript)} · ")
        if full:
            line.append(f"{visible(self.coder)} · ", style="dim")
        line.append(visible(self.saved), style=_saved_style(self.saved))
        if self.choosing is not None:
            question, answers = self.choosing
            line.append(f" · {visible(question)}", style="bold")
            for number, (path, colour, mark, words) in enumerate(answers, 1):
                line.append(f" {number} ", style="bold")
                line.append(visible(mark), style=mark_style(colour))
                if label_width != 0:
                    line.append(f" {_shortened(path, label_width)}")
                if words and label_width != 0:
                    line.append(f" “{_shortened(words, label_width)}”", style="dim")
            line.append(CANCEL_HINT, style="dim")
        elif self.highlighted is not None:
            theme, mark, codings, informants = self.highlighted
            line.append(" · ")
            line.append(mark, style=mark_style(theme.color))
            line.append(f" {visible(theme.path)}", style="bold")
            line.append(f" ({_plural(codings, 'coding')} by {_plural(informants, 'informant')})")
        elif self.under_cursor:
            line.append(" · ")
            for theme in self.under_cursor:
                line.append("■ ", style=theme.color)
                line.append(f"{visible(theme.path)}  ")
        if self.note:
            line.append(f" · {visible(self.note)}", style="italic")
        return line

    def render(self) -> Text:
        # On a narrow terminal the study's file name and the coder (which do not change) give way,
        # so that the note after an action and the themes under the cursor stay readable.
        if self._line.cell_len <= self.content_size.width or not (
            self.note or self.under_cursor or self.highlighted or self.choosing
        ):
            return self._line
        if self._compact is None:
            self._compact = self._built_line(full=False)
            # A question's numbered answers must stay readable: their labels are shortened
            # (to the theme's own name, then to fewer characters, at last to the theme's mark
            # alone, as the gutter shows it) until the line fits, the hint at its end aside.
            width = self.content_size.width + len(CANCEL_HINT)
            for label_width in (None, 24, 16, 10, 6, 0) if self.choosing else ():
                self._compact = self._built_line(full=False, label_width=label_width)
                if self._compact.cell_len <= width:
                    break
        return self._compact


def _shortened(label: str, width: int | None) -> str:
    """``label`` (a theme's path or a passage's first words) made safe to show; with ``width``,
    a path gives its last part and anything longer than ``width`` ends in "…"."""
    shown = visible(label)
    if width is None:
        return shown
    shown = shown.rsplit("/", 1)[-1]
    return shown if len(shown) <= width else shown[: width - 1] + "…"


def _saved_style(saved: str) -> str:
    """Green when all is saved, red when something was not (or will not be), yellow otherwise
    (waiting for a locked study, read-only)."""
    if saved.startswith("saved"):
        return "green"
    return "bold red" if saved.startswith("not ") else "yellow"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class EssentialKeys(OneLineWidget):
    """The keys a researcher must always be able to find, at the right end of the footer row
    at every width: help, the quote board (with its count; on a narrow terminal, where the
    board is its own view, it says so) and quit. The screen sets what it shows."""

    DEFAULT_CSS = """
    EssentialKeys { width: auto; height: 1; background: $footer-background; padding: 0 1 0 0; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._line = Text()

    def show(self, keys: list[tuple[str, str]]) -> None:
        """Show ``(key, what it does)`` pairs, e.g. ``("F4", "board · 12 quotes")``."""
        line = Text(no_wrap=True)
        for key, what in keys:
            line.append(f" {key} ", style="bold reverse")
            line.append(f" {what} ")
        if line == self._line:
            return  # the board's count is shown after every change; most leave it as it was
        # Its width is the footer's layout: a layout pass (of the whole screen) only when it changes.
        resized = line.cell_len != self._line.cell_len
        self._line = line
        self.refresh(layout=resized)

    def get_content_width(self, container, viewport) -> int:
        return self._line.cell_len

    def render(self) -> Text:
        return self._line
