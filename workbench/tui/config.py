"""The user's settings for the terminal workbench: ``config.yaml`` in the user config folder.

```yaml
keys:                       # remap any binding by its id (F1 lists them)
  coding.undo: ctrl+z
  transcript.select_turn: T
mouse: false                # ignore the mouse entirely
ui_theme: ansi-dark         # a Textual UI theme; ansi-dark/ansi-light follow the terminal's palette
animations: false           # smooth scrolling off keeps SSH links light (the default)
```
A broken file gives a one-line error naming the file and line, and the workbench does not start.
An id under ``keys:`` that no binding has is a one-line warning (see :mod:`workbench.tui.bindings`).
The names older Textual versions used for UI themes are read as today's, with a note. A UI theme
chosen in the command palette (ctrl+p → Theme) is written back to ``ui_theme:`` in the file
(only that line changes; comments and other settings stay).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import InputError

KNOWN = {"keys", "mouse", "ui_theme", "animations"}
#: UI theme names of older Textual versions -> the name Textual 8 gives the same look.
RENAMED_UI_THEMES = {"textual-ansi": "ansi-dark", "ansi": "ansi-dark"}


@dataclass
class UiConfig:
    """What the user chose; defaults suit a terminal over SSH."""

    keys: dict[str, str] = field(default_factory=dict)
    mouse: bool = True
    ui_theme: str | None = None
    animations: bool = False
    source: Path | None = field(default=None, compare=False)  # the file it was read from
    # Where a UI theme chosen in the app is remembered (None: not remembered, e.g. in tests).
    save_to: Path | None = field(default=None, compare=False)
    notes: list[str] = field(default_factory=list, compare=False)  # e.g. a renamed UI theme


def config_path() -> Path:
    """$WORKBENCH_CONFIG, else config.yaml in the user config folder."""
    override = os.environ.get("WORKBENCH_CONFIG")
    if override:
        return Path(override)
    from platformdirs import user_config_path

    return user_config_path("workbench", appauthor=False) / "config.yaml"


def load_config(path: Path | None = None) -> UiConfig:
    """Read the settings file; a missing file means the defaults."""
    path = path or config_path()
    if not path.exists():
        return UiConfig(save_to=path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read settings ({exc})", where=str(path)) from None
    data = _parsed(text, path) if text.strip() else {}  # an empty file: no YAML parser to import
    if not isinstance(data, dict):
        raise InputError("settings must be a mapping (key: value)", where=str(path))
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        raise InputError(f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(KNOWN))})", where=str(path))
    keys = data.get("keys") or {}
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise InputError("'keys' maps binding ids to keys, e.g. coding.undo: ctrl+z", where=str(path))
    for name in ("mouse", "animations"):
        if name in data and not isinstance(data[name], bool):
            raise InputError(f"{name!r} must be true or false", where=str(path))
    theme = data.get("ui_theme")
    if theme is not None and not isinstance(theme, str):
        raise InputError("'ui_theme' must be a theme name", where=str(path))
    notes = []
    if theme in RENAMED_UI_THEMES:
        new = RENAMED_UI_THEMES[theme]
        notes.append(f"{path}: UI theme {theme!r} is now called {new!r} ('ansi-light' for a light terminal)")
        theme = new
    return UiConfig(
        keys={str(k): v for k, v in keys.items()},
        mouse=data.get("mouse", True),
        ui_theme=theme,
        animations=data.get("animations", False),
        source=path,
        save_to=path,
        notes=notes,
    )


def _parsed(text: str, path: Path) -> object:
    import yaml  # imported only for a settings file with something in it

    try:
        return yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(f"not valid YAML ({getattr(exc, 'problem', exc)})", where=where) from None


_UI_THEME_LINE = re.compile(r"^ui_theme\s*:.*$", re.MULTILINE)


def save_ui_theme(path: Path, name: str) -> None:
    """Remember ``name`` as ``ui_theme:`` in the settings file at ``path`` (created if missing).

    Only that line changes, so comments and other settings stay as the user wrote them.
    Raises ``OSError`` when the file cannot be written.
    """
    from workbench.interop.files import write_atomically

    text = path.read_text(encoding="utf-8") if path.exists() else ""
    line = f"ui_theme: {name}"
    if _UI_THEME_LINE.search(text):
        text = _UI_THEME_LINE.sub(lambda _: line, text, count=1)
    else:
        text = text + ("" if not text or text.endswith("\n") else "\n") + line + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text.encode("utf-8"))
