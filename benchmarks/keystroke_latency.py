"""Keystroke-to-repaint latency of the installed `workbench`, measured as a terminal sees it.

The command runs in a pseudo-terminal of 120x34. For each key we write its bytes and time until
the screen update has been written (the last byte before the output goes quiet), and count the
bytes written: what an SSH link would carry. Prints a table (and JSON with --json).

    python benchmarks/keystroke_latency.py [--repeat 40] [--json]
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import shutil
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import build_long_study  # noqa: E402

QUIET = 0.05  # seconds without output that mean "the update is complete"

KEYS = {
    "cursor down": b"\x1b[B",
    "page down": b"\x1b[6~",
    "page up": b"\x1b[5~",
    "extend selection (shift+right)": b"\x1b[1;2C",
    "select turn (t)": b"t",
}


class PtyApp:
    """The command in a pseudo-terminal, with its output drained and timed."""

    def __init__(self, argv: list[str], cols: int = 120, rows: int = 34):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child
            os.environ.update(TERM="xterm-256color", COLORTERM="truecolor", TEXTUAL_ANIMATIONS="none")
            os.execvp(argv[0], argv)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

    def drain(self, timeout: float, at_least: int = 1) -> tuple[int, float | None, float | None]:
        """Read until quiet (after ``at_least`` bytes); return (bytes, first byte, last byte)."""
        total, first, last = 0, None, None
        deadline = time.perf_counter() + timeout
        while True:
            quiet = last is not None and total >= at_least
            wait = QUIET if quiet else max(0.0, deadline - time.perf_counter())
            ready, _, _ = select.select([self.fd], [], [], wait)
            if not ready:
                return total, first, last
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return total, first, last
            if not chunk:
                return total, first, last
            total += len(chunk)
            last = time.perf_counter()
            first = first or last

    def key(self, data: bytes) -> tuple[float | None, float | None, int]:
        """Press a key; return (seconds to the first byte, to the last byte, bytes written)."""
        self.drain(0.0)
        start = time.perf_counter()
        os.write(self.fd, data)
        written, first, last = self.drain(2.0)
        if last is None:
            return None, None, written
        return first - start, last - start, written

    def close(self) -> None:
        try:
            os.write(self.fd, b"\x11")  # ctrl+q
            time.sleep(0.3)
            os.kill(self.pid, 9)
        except OSError:
            pass


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summarise(samples: list[tuple[float | None, float | None, int]]) -> dict:
    firsts = [f for f, _, _ in samples if f is not None]
    lasts = [l for _, l, _ in samples if l is not None]
    return {
        "first_byte_median_ms": 1000 * statistics.median(firsts),
        "first_byte_p99_ms": 1000 * percentile(firsts, 99),
        "complete_median_ms": 1000 * statistics.median(lasts),
        "complete_p99_ms": 1000 * percentile(lasts, 99),
        "bytes_median": statistics.median(w for _, _, w in samples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    command = shutil.which("workbench") or str(Path(sys.executable).parent / "workbench")
    folder = Path(tempfile.mkdtemp(prefix="wb-bench-"))
    study = build_long_study(folder)
    results: dict[str, dict] = {}

    started = time.perf_counter()
    app = PtyApp([command, "open", str(study)])
    # The first screen is tens of kilobytes; a few bytes of terminal set-up come before it.
    first_bytes, _, last = app.drain(15.0, at_least=20_000)
    results["first paint"] = {"seconds": (last - started) if last else None, "bytes": first_bytes}
    try:
        for name, data in KEYS.items():
            samples = []
            for _ in range(args.repeat):
                samples.append(app.key(data))
                if name.startswith("select turn"):
                    app.key(b"\x1b")  # clear the selection again
            results[name] = summarise(samples)
        # code and undo: select the next turn, press 1 (the first theme), then u
        coding, undoing = [], []
        for _ in range(max(5, args.repeat // 2)):
            app.key(b"}")
            app.key(b"t")
            coding.append(app.key(b"1"))
            undoing.append(app.key(b"u"))
        results["apply a theme (1)"] = summarise(coding)
        results["undo (u)"] = summarise(undoing)
    finally:
        app.close()

    if args.json:
        print(json.dumps(results, indent=2))
        return
    print(f"300,000-character transcript, 2,000 codings, 120x34, {args.repeat} repetitions")
    print("first byte: the key's first screen change; complete: the last byte before")
    print(f"{QUIET * 1000:.0f} ms of quiet (e.g. the status line, which follows a frame later)")
    first = results.pop("first paint")
    print(f"{'first paint':32} {first['seconds']:.3f} s, {first['bytes']:,} bytes")
    print(f"{'key':32} {'first byte ms':>16} {'complete ms':>16} {'bytes':>8}")
    print(f"{'':32} {'median':>8}{'p99':>8} {'median':>8}{'p99':>8}")
    for name, r in results.items():
        print(f"{name:32} {r['first_byte_median_ms']:8.1f}{r['first_byte_p99_ms']:8.1f} "
              f"{r['complete_median_ms']:8.1f}{r['complete_p99_ms']:8.1f} {r['bytes_median']:8,.0f}")


if __name__ == "__main__":
    main()
