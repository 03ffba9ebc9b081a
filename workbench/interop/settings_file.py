"""Reading a chapter settings file (YAML) through the one reader of a researcher's files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from workbench.domain.chapter.settings import parse_settings
from workbench.interop.decode import decode_utf8
from workbench.interop.files import read_user_file

#: A settings file is a few lines; this refuses a wrong file given by mistake before reading it.
MAX_SETTINGS_BYTES = 1024 * 1024


def read_settings_file(path: Path | str) -> dict[str, Any]:
    """The fields a chapter settings file sets (checked); errors say ``file:line``."""
    data = read_user_file(path, "settings", MAX_SETTINGS_BYTES)
    return parse_settings(decode_utf8(data, str(path), "settings file"), source=str(path))
