"""A real terminal for end-to-end tests: the installed command in a tmux session of its own."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

WORKBENCH = Path(sys.executable).parent / "workbench"


def board_built(screen: str) -> bool:
    """Whether the coding screen's quote board has been built (it is, after the first frame):
    its count shows, in the board's title line ("43 quotes") when the panes stand side by
    side, in the footer ("board: 43 quotes") where the board is its own view."""
    return re.search(r"\d quotes?\b|board: \d", screen) is not None


class TmuxTerminal:
    """One command running in a tmux server of its own, read with capture-pane, driven with send-keys.

    A private server (``-L``, no config file) keeps other terminals on the machine and the user's
    tmux settings out of the test. The command runs without COLUMNS and LINES: a tmux server started
    from a process without a terminal passes COLUMNS=80 LINES=24 to its panes, and Textual would
    believe them over the terminal's real size. It runs in a folder of its own (``cwd``, else a new
    temporary one), so that nothing the program writes under a relative name (a chapter typed as
    ``q``) lands in the folder the tests were started from.
    """

    def __init__(
        self,
        command: str,
        *,
        width: int = 120,
        height: int = 34,
        env: dict[str, str] | None = None,
        prefix: str = "wb",
        cwd: Path | None = None,
    ):
        if shutil.which("tmux") is None:
            pytest.fail("tmux is needed for the end-to-end tests (apt-get install tmux)")
        self.name = f"{prefix}-{uuid.uuid4().hex[:8]}"
        # A folder made here is removed by close(); one passed in is the caller's.
        self.own_folder = None if cwd else Path(tempfile.mkdtemp(prefix=f"{prefix}-folder-"))
        settings = " ".join(f"{key}={shlex.quote(value)}" for key, value in (env or {}).items())
        self.tmux(
            "new-session",
            "-d",
            "-s",
            self.name,
            "-x",
            str(width),
            "-y",
            str(height),
            "-c",
            str(cwd or self.own_folder),
            f"exec env -u COLUMNS -u LINES {settings} {command}",
        )
        self.pid = int(self.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def tmux(self, *args: str) -> str:
        return subprocess.run(
            ["tmux", "-L", self.name, "-f", "/dev/null", *args], capture_output=True, text=True, check=True
        ).stdout

    def screen(self) -> str:
        """The visible screen as text, or "" once the session has gone."""
        try:
            return self.tmux("capture-pane", "-p", "-t", self.name)
        except subprocess.CalledProcessError:
            return ""

    def wait(self, condition, timeout: float = 20.0) -> str:
        """Wait until ``condition(screen)`` holds; raise ProcessLookupError if the program ends first."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if condition(screen):
                return screen
            if not self.running():
                raise ProcessLookupError(f"the program has gone; the last screen:\n{screen}")
            time.sleep(0.05)
        raise AssertionError(f"timed out; the screen:\n{screen}")

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        """Wait until ``text`` is on the screen."""
        try:
            return self.wait(lambda screen: text in screen, timeout)
        except AssertionError as timed_out:
            raise AssertionError(f"{text!r} did not appear on screen: {timed_out}") from None

    def keys(self, *keys: str, pause: float = 0.15) -> None:
        """Press keys one by one (tmux key names: "Enter", "F3", "Down", "space" ...)."""
        for key in keys:
            self.tmux("send-keys", "-t", self.name, key)
            time.sleep(pause)

    def running(self) -> bool:
        """The program is alive and not a zombie waiting to be reaped."""
        try:
            state = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return False
        return state != "Z"

    def wait_until_gone(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while self.running() and time.monotonic() < deadline:
            time.sleep(0.05)
        return not self.running()

    def hang_up(self) -> None:
        """Close the terminal: tmux sends SIGHUP to the program, as when an SSH connection drops."""
        subprocess.run(["tmux", "-L", self.name, "kill-session", "-t", self.name], capture_output=True)

    def close(self) -> None:
        """End the session and its server; remove the server's socket and the folder made for it."""
        subprocess.run(["tmux", "-L", self.name, "kill-server"], capture_output=True)
        socket_folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (socket_folder / self.name).unlink(missing_ok=True)
        if self.own_folder is not None:
            shutil.rmtree(self.own_folder, ignore_errors=True)
