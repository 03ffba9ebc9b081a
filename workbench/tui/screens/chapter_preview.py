"""The chapter preview: the results chapter as it will be exported, and writing it to a file.

The chapter is made of study text, so the rendered view gets its Markdown source, and the
Markdown view and the notes their text, through the terminal-safe rule; the file written is the
exact chapter.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from workbench.display.rich_text import block, markdown_source
from workbench.errors import WorkbenchError
from workbench.interop.files import write_atomically
from workbench.study import Study
from workbench.study.chapter import chapter_settings, export_chapter
from workbench.tui.frame_pacing import NoLayoutOnCloseScreen
from workbench.tui.saving import FIRST_WAIT
from workbench.tui.screens.dialogs import TextDialog


class ChapterPreviewScreen(NoLayoutOnCloseScreen, Screen):
    """The chapter rendered from the selected quotes; `w` writes the Markdown file."""

    BINDINGS = [
        Binding("w", "write", "Write file", id="chapter.write"),
        Binding("r", "toggle_raw", "Markdown / rendered", id="chapter.toggle_raw"),
        Binding("escape,q", "close", "Back", id="chapter.close"),
        Binding("j,down", "scroll('down')", "Down", show=False, id="chapter.down"),
        Binding("k,up", "scroll('up')", "Up", show=False, id="chapter.up"),
        Binding("pagedown,space", "scroll('page_down')", "Page down", show=False, id="chapter.page_down"),
        Binding("pageup", "scroll('page_up')", "Page up", show=False, id="chapter.page_up"),
        Binding("g,home", "scroll('home')", "Top", show=False, id="chapter.top"),
        Binding("G,end", "scroll('end')", "End", show=False, id="chapter.end"),
    ]
    DEFAULT_CSS = """
    ChapterPreviewScreen #chapter-notes { height: auto; max-height: 8; color: $warning; padding: 0 1; }
    ChapterPreviewScreen #chapter-scroll { border: round $panel; }
    ChapterPreviewScreen #chapter-raw { display: none; }
    ChapterPreviewScreen.-raw #chapter-raw { display: block; }
    ChapterPreviewScreen.-raw #chapter-rendered { display: none; }
    """

    def __init__(self, study: Study) -> None:
        super().__init__()
        self.study = study
        self.settings = chapter_settings(study)
        self.result = export_chapter(study, self.settings, remember=False)

    def compose(self) -> ComposeResult:
        notes = [*(f"warning: {w}" for w in self.result.warnings), *(f"note: {n}" for n in self.result.notes)]
        yield Static(block("\n".join(notes) or "No write-up warnings."), id="chapter-notes")
        with VerticalScroll(id="chapter-scroll"):
            yield Markdown(markdown_source(self.result.markdown), id="chapter-rendered")
            yield Static(block(self.result.markdown), id="chapter-raw")
        yield Footer()

    def on_mount(self) -> None:
        scroll = self.query_one("#chapter-scroll")
        scroll.border_title = f"Chapter preview: {self.result.sections} section(s), {self.result.quotes} quote(s)"
        scroll.focus()

    def action_scroll(self, where: str) -> None:
        scroll = self.query_one("#chapter-scroll", VerticalScroll)
        {
            "down": scroll.scroll_down,
            "up": scroll.scroll_up,
            "page_down": scroll.scroll_page_down,
            "page_up": scroll.scroll_page_up,
            "home": scroll.scroll_home,
            "end": scroll.scroll_end,
        }[where](animate=False)

    def action_toggle_raw(self) -> None:
        self.toggle_class("-raw")

    def action_close(self) -> None:
        self.app.pop_screen()

    def action_write(self) -> None:
        default = self.study.path.with_name(f"{self.study.path.stem}-chapter.md")
        self.app.push_screen(TextDialog("Write the chapter to", str(default), enter_word="write"), self._write)

    def _write(self, target: str | None) -> None:
        if not target:
            return
        path = Path(target).expanduser()
        try:
            # Exporting again (and remembering the settings) keeps the file identical to the CLI's.
            # A study locked by another program is reported at once, not after its busy timeout.
            with self.study.waiting_at_most(FIRST_WAIT):
                result = export_chapter(self.study, self.settings, remember=True)
            write_atomically(path, result.markdown.encode("utf-8"))
        except WorkbenchError as error:
            self.notify(str(error), severity="error", timeout=6)
            return
        except OSError as error:
            self.notify(f"{path}: {error.strerror or error}", severity="error", timeout=6)
            return
        self.notify(f"Chapter written to {path}", timeout=5)
