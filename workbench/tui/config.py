"""The user's settings for the terminal workbench: ``config.yaml`` in the user config folder.

```yaml
keys:                       # remap any binding by its id (F1 lists them)
  coding.undo: ctrl+z
  transcript.select_turn: T
mouse: false                # ignore the mouse entirely
ui_theme: textual-ansi      # a Textual UI theme; textual-ansi follows the terminal's palette
animations: false           # smooth scrolling off keeps SSH links light (the default)
```
A broken file gives a one-line error naming the file and line, and the workbench does not start.
An id under ``keys:`` that no binding has is a one-line warning (see :mod:`workbench.tui.bindings`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from workbench.errors import InputError

KNOWN = {"keys", "mouse", "ui_theme", "animations"}


@dataclass
class UiConfig:
    """What the user chose; defaults suit a terminal over SSH."""

    keys: dict[str, str] = field(default_factory=dict)
    mouse: bool = True
    ui_theme: str | None = None
    animations: bool = False
    source: Path | None = field(default=None, compare=False)  # the file it was read from


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
        return UiConfig()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise InputError(f"not valid YAML ({getattr(exc, 'problem', exc)})", where=where) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read settings ({exc})", where=str(path)) from None
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
    return UiConfig(
        keys={str(k): v for k, v in keys.items()},
        mouse=data.get("mouse", True),
        ui_theme=theme,
        animations=data.get("animations", False),
        source=path,
    )
