"""What every command module shares: the STUDY argument, opening a study, printing, failing.

Command modules define their commands without attaching them to a group;
``workbench/cli/__init__.py`` registers them all. A ``WorkbenchError`` raised by a command becomes
one ``error: ...`` line on stderr and exit code 1 (the main group's doing), so commands raise
rather than print errors.

Printing: text for people (``click.echo``) passes the terminal-safe rule on its way out, because
the main group runs every command inside :func:`safe_output`; JSON goes through :func:`emit_json`;
data the researcher asked for on standard output (a memo, CSV, Markdown, YAML) through
:func:`write_data`, exact unless standard output is a terminal; Rich tables through
``cli.output.console()``.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

import click

from workbench.display.safe_text import STAND_INS, visible, visible_in_place
from workbench.errors import WorkbenchError

#: The study file every command but a few takes first.
STUDY = click.argument("study", type=click.Path(path_type=Path))  # a folder: Study.open says so


def fail(message: str) -> None:
    """Print ``error: message`` on stderr, as one terminal-safe line, and exit with status 1."""
    click.echo(f"error: {visible(message)}", err=True)
    sys.exit(1)


def _json_escape(code: int) -> str:
    if code > 0xFFFF:  # JSON escapes only the basic plane: a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


@functools.cache
def _json_escapes() -> dict[int, str]:
    """The escape of each code point of the terminal-safe rule in JSON output. json.dumps escapes
    the C0 controls itself (a raw newline in its output is indentation); every other code point of
    the rule can only stand inside a string, where an escape means the same. Made at the first
    JSON output, not at every start (some 2,000 code points: 1 ms)."""
    return {code: _json_escape(code) for code in STAND_INS if code >= 0x20}


def json_text(data) -> str:
    """``data`` as indented JSON, non-ASCII text as it is except the code points of the
    terminal-safe rule, which are escaped (``\\u202e``): safe on a terminal, and read back to
    the same strings."""
    return json.dumps(data, ensure_ascii=False, indent=2).translate(_json_escapes())


def emit_json(data) -> None:
    """Print ``data`` as :func:`json_text`."""
    click.echo(json_text(data))


def stdout_is_terminal() -> bool:
    """Whether standard output is a terminal (not a file or a pipe)."""
    return sys.stdout.isatty()


def write_data(data: str | bytes) -> None:
    """Write data the researcher asked for (a memo, CSV, Markdown, YAML) to standard output.

    To a file or a pipe it goes exactly as stored; on a terminal, through the terminal-safe
    rule (lines kept), as any other text the workbench prints there.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if stdout_is_terminal():
        raw = visible_in_place(raw.decode("utf-8", errors="replace")).encode("utf-8")
    out = unfiltered(sys.stdout)
    out.flush()
    out.buffer.write(raw)
    out.buffer.flush()


class _SafeStream:
    """A text stream that writes everything through the terminal-safe rule (lines kept)."""

    def __init__(self, stream: TextIO) -> None:
        self.unfiltered = stream

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # bytes: the stream refuses them, as click expects of a text stream
            return self.unfiltered.write(text)
        self.unfiltered.write(visible_in_place(text))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self.unfiltered, name)


def unfiltered(stream: TextIO) -> TextIO:
    """The stream under :func:`safe_output`'s filter (for Rich, which writes escape codes of its own)."""
    return getattr(stream, "unfiltered", stream)


@contextmanager
def safe_output() -> Iterator[None]:
    """While a command runs, everything it prints on standard output and error passes the
    terminal-safe rule: the one place the command line's text lines are made safe."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _SafeStream(out), _SafeStream(err)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = out, err


def open_study(path: Path, coder: str | None = None):
    """Open the study at ``path`` (imported here so `workbench --help` stays fast)."""
    from workbench.study import start_integrity_check

    start_integrity_check(path)  # while the study's modules are imported (nothing if already started)
    from workbench.study import Study

    return Study.open(path, coder=coder)


def split_assignment(item: str) -> tuple[str, str]:
    """``"size=smaller"`` as ``("size", "smaller")``; refuses an item without ``=`` or a key."""
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise WorkbenchError(f"{item!r}: expected KEY=VALUE")
    return key.strip(), value.strip()
