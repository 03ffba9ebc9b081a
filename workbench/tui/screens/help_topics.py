"""F1 on the coding screen: the keys in effect, in words, grouped by what a researcher is doing.

Every key of the screen and of its three panes is listed (not only the focused pane's), with
keys remapped in config.yaml shown as remapped. The task sections name no binding ids; the ids
a ``keys:`` section of config.yaml remaps come once, in a compact last section.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

# The sections, in the order shown.
READING = "Reading and selecting"
CODING = "Coding"
QUOTES = "Quotes for the chapter"
THEMES = "Themes"
ANALYSIS = "Analysis and chapter"
SAFETY = "Safety and saving"
EVERYWHERE = "Everywhere"
SECTIONS = (READING, CODING, QUOTES, THEMES, ANALYSIS, SAFETY, EVERYWHERE)
IDS_HEADING = "Key ids for config.yaml"

# The coding screen's own keys, by binding id; the panes' keys go by their id's prefix.
_SCREEN_TASKS = {
    "coding.code_with": CODING,
    "coding.uncode": CODING,
    "coding.recode": CODING,
    "coding.next_coding": READING,
    "coding.previous_coding": READING,
    "coding.next_of_theme": READING,
    "coding.previous_of_theme": READING,
    "coding.search": READING,
    "coding.search_all": READING,
    "coding.search_next": READING,
    "coding.search_previous": READING,
    "coding.switch_transcript": READING,
    "coding.focus_transcript": READING,
    "coding.focus_palette": THEMES,
    "coding.focus_board": QUOTES,
    "coding.memo": ANALYSIS,
    "coding.chapter": ANALYSIS,
    "coding.analysis": ANALYSIS,
    "coding.matrix": ANALYSIS,
    "coding.disagreements": ANALYSIS,
    "coding.review": ANALYSIS,
    "coding.undo": SAFETY,
    "coding.redo": SAFETY,
    "coding.discard_waiting": SAFETY,
    "coding.save_copy": SAFETY,
}
_PREFIX_TASKS = {"transcript": READING, "quotes": QUOTES, "palette": THEMES}

# Fuller words than the footer's for keys whose short name says little on its own.
_WORDS = {
    "coding.focus_transcript": "go to the transcript pane",
    "coding.focus_palette": "go to the theme pane (the keys below work there)",
    "coding.focus_board": "go to the quote board (the keys below work there)",
    "coding.switch_transcript": "open another transcript",
    "coding.uncode": "remove the coding under the cursor (several: press its number)",
    "coding.recode": "change the theme of the coding under the cursor (several: press its number)",
    "coding.memo": "write a memo (study, transcript, case or theme)",
    "coding.chapter": "preview and write the chapter",
    "coding.help": "this help",
    "quotes.jump": "show the quote in its transcript",
    "quotes.toggle_selected": "select for the chapter / deselect",
    "quotes.move_up": "move up in the chapter order",
    "quotes.move_down": "move down in the chapter order",
    "quotes.comment": "comment (your interpretation)",
    "quotes.elide": "trim: select words (shift+arrows), ctrl+t cuts them to [...]",
    "quotes.copy": "copy the quote",
    "quotes.cycle_grouping": "group the quotes by…",
    "quotes.filter": "show only the cases with…",
    "palette.choose": "show only this theme's quotes (again: all)",
}

# Rows that are no single binding, written out where they belong.
_EXTRA_ROWS = {
    CODING: [
        ("1-9 / theme keys", "code the selection with that theme (transcript pane)"),
        ("; KEY 1-9", "code it with that theme's sub-theme of that number (the status line lists them)"),
    ],
    EVERYWHERE: [("tab / shift+tab", "next / previous pane"), ("ctrl+p", "command palette: every action")],
}


def task_of(binding: Binding) -> str:
    """The help section a binding belongs in (Everywhere when it names no task)."""
    ident = binding.id or ""
    return _SCREEN_TASKS.get(ident) or _PREFIX_TASKS.get(ident.partition(".")[0], EVERYWHERE)


def _bindings_of(node: DOMNode, remapped: Mapping[str, str]) -> list[Binding]:
    """The bindings ``node``'s classes declare, with the keys the user remapped (by id) in
    config.yaml; bindings without an id are Textual's own and left out."""
    found: list[Binding] = []
    for cls in type(node).__mro__:
        for binding in cls.__dict__.get("BINDINGS", []):
            if isinstance(binding, Binding) and binding.id:
                found.append(replace(binding, key=remapped[binding.id]) if binding.id in remapped else binding)
    return found


def _key_names(app, binding: Binding) -> str:
    """The binding's keys as the footer names them ("f1 / ?"), every key of a binding with several."""
    if binding.key_display:
        return binding.key_display
    keys = [key.strip() for key in binding.key.split(",") if key.strip()]
    return " / ".join(app.get_key_display(replace(binding, key=key)) for key in keys)


def help_rows(screen, panes: list[DOMNode]) -> list[tuple[str, str]]:
    """(keys, words) rows for :class:`HelpDialog`: a heading row (empty keys) per task, then the
    section of binding ids."""
    app = screen.app
    config = getattr(app, "config", None)
    remapped = dict(config.keys) if config is not None and config.keys else {}
    sections: dict[str, list[tuple[str, str]]] = {section: list(_EXTRA_ROWS.get(section, [])) for section in SECTIONS}
    ids: list[tuple[str, str]] = []
    seen: set[str] = set()
    for node in [screen, *panes, app]:
        for binding in _bindings_of(node, remapped):
            # Only the workbench's own keys (they have ids); Textual's scrolling and tree keys
            # repeat what the arrows already do.
            if not binding.description or binding.id in seen:
                continue
            seen.add(binding.id)
            keys = _key_names(app, binding)
            words = _WORDS.get(binding.id, binding.description)
            section = sections[task_of(binding)]
            same = next((i for i, (_, shown) in enumerate(section) if shown == words), None)
            if same is None:
                section.append((keys, words))
            else:  # one action on two keys (q and ctrl+q quit): one row
                section[same] = (f"{section[same][0]} / {keys}", words)
            ids.append((keys, binding.id))
    rows: list[tuple[str, str]] = []
    for section in SECTIONS:
        if sections[section]:
            rows += [("", section), *sections[section]]
    rows.append(("", IDS_HEADING))
    rows.append(("keys:", "in config.yaml, give an id its new key, e.g. coding.undo: ctrl+z (see README)"))
    rows += ids
    return rows
