"""Keystroke-to-repaint latency of the installed `workbench`, measured as a terminal sees it.

The command runs in a pseudo-terminal of 120x34. For each key we write its bytes and time until
the screen update has been written (the last byte before the output goes quiet while the
program is idle), and count the bytes written: what an SSH link would carry; the program's own
CPU time per key comes from /proc. Prints a table (and JSON with --json). benchmarks/run.py
reuses the pseudo-terminal driver for its research-scale figures.

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
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import build_long_study  # noqa: E402

QUIET = 0.05  # seconds without output that mean "the update is complete" ...
IDLE_CPU = 0.005  # ... provided the program used less CPU than this meanwhile (not still working)

KEYS = {
    "cursor down": b"\x1b[B",
    "page down": b"\x1b[6~",
    "page up": b"\x1b[5~",
    "extend selection (shift+right)": b"\x1b[1;2C",
    "select turn (t)": b"t",
}


class Sample(NamedTuple):
    """One key press as the terminal saw it: seconds to the first and last byte, bytes, CPU."""

    first: float | None
    last: float | None
    written: int
    cpu: float


class PtyApp:
    """The command in a pseudo-terminal, with its output drained and timed.

    The program's CPU time comes from /proc/PID/task/*/schedstat (nanoseconds on the CPU, all
    threads): it tells a silent program that is still working from one that is done, and gives
    the CPU time each key costs the program itself.
    """

    def __init__(self, argv: list[str], cols: int = 120, rows: int = 34, env: dict[str, str] | None = None):
        self.started = time.perf_counter()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child: size the terminal before the program asks for it
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.environ.update(TERM="xterm-256color", COLORTERM="truecolor", TEXTUAL_ANIMATIONS="none")
            for stale_size in ("COLUMNS", "LINES"):  # Textual would believe these over the pty's size
                os.environ.pop(stale_size, None)
            os.environ.update(env or {})
            os.execvp(argv[0], argv)
        self.output = bytearray()  # what the last drain read
        self.reached: float | None = None  # see drain

    def cpu_seconds(self) -> float:
        """CPU time the program has used so far, all threads."""
        total = 0
        try:
            for task in os.listdir(f"/proc/{self.pid}/task"):
                with open(f"/proc/{self.pid}/task/{task}/schedstat") as stat:
                    total += int(stat.read().split()[0])
        except (OSError, ValueError):
            pass  # a thread ended between listing and reading, or the program is gone
        return total / 1e9

    def peak_rss_kb(self) -> int | None:
        """The program's peak resident memory so far (VmHWM), in kB."""
        try:
            with open(f"/proc/{self.pid}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None

    def drain(
        self, timeout: float = 120.0, at_least: int = 1, patience: float = 1.0
    ) -> tuple[int, float | None, float | None]:
        """Read until the update is complete; return (bytes, first byte, last byte).

        Complete: at least ``at_least`` bytes came, then ``QUIET`` seconds passed with no output
        while the program stayed idle (a program that computes silently is not done). Without
        any output, give up after ``patience`` idle seconds; never wait past ``timeout``.
        """
        total, first, last = 0, None, None
        self.output = bytearray()
        self.reached = None  # when ``at_least`` bytes had come (e.g. a first whole screen)
        began = time.perf_counter()
        cpu_mark, idle_for = self.cpu_seconds(), 0.0
        while True:
            ready, _, _ = select.select([self.fd], [], [], QUIET)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    chunk = b""
                if not chunk:  # the program has ended
                    return total, first, last
                total += len(chunk)
                self.output += chunk
                last = time.perf_counter()
                first = first or last
                if self.reached is None and total >= at_least:
                    self.reached = last
                cpu_mark, idle_for = self.cpu_seconds(), 0.0
                continue
            cpu = self.cpu_seconds()
            idle_for = idle_for + QUIET if cpu - cpu_mark < IDLE_CPU else 0.0
            cpu_mark = cpu
            done = last is not None and total >= at_least and idle_for > 0
            if done or (last is None and idle_for >= patience) or time.perf_counter() - began > timeout:
                return total, first, last

    def key(self, data: bytes) -> Sample:
        """Press a key and wait for its update to complete."""
        self.drain(0.0)
        cpu = self.cpu_seconds()
        start = time.perf_counter()
        os.write(self.fd, data)
        written, first, last = self.drain()
        cpu = self.cpu_seconds() - cpu
        if last is None:
            return Sample(None, None, written, cpu)
        return Sample(first - start, last - start, written, cpu)

    def wait_exit(self, timeout: float = 30.0) -> float | None:
        """Read until the program ends; seconds from the start, or None on timeout."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.1)
            if ready:
                try:
                    if os.read(self.fd, 65536):
                        continue
                except OSError:
                    pass
                ended = time.perf_counter() - self.started
                os.waitpid(self.pid, 0)
                return ended
        return None

    def close(self) -> None:
        """Quit (ctrl+q), then make sure the program is gone and reaped."""
        try:
            os.write(self.fd, b"\x11")
            time.sleep(0.3)
            os.kill(self.pid, signal.SIGKILL)
        except OSError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
        os.close(self.fd)


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile by nearest rank (with few samples, p99 is the worst one)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def summarise(samples: list[Sample]) -> dict:
    """Median and p99 of the first byte, the complete update and the CPU; median bytes; and how
    many samples wrote nothing (``silent``: the key changed nothing on the screen, so it timed
    nothing; the figures are those of the others)."""
    firsts = [s.first for s in samples if s.first is not None]
    lasts = [s.last for s in samples if s.last is not None]
    cpus = [s.cpu for s in samples]
    silent = len(samples) - len(lasts)
    if not lasts:
        return {"samples": len(samples), "bytes_median": 0, "silent": silent}
    return {
        "silent": silent,
        "first_byte_median_ms": 1000 * statistics.median(firsts),
        "first_byte_p99_ms": 1000 * percentile(firsts, 99),
        "complete_median_ms": 1000 * statistics.median(lasts),
        "complete_p99_ms": 1000 * percentile(lasts, 99),
        "cpu_median_ms": 1000 * statistics.median(cpus),
        "cpu_p99_ms": 1000 * percentile(cpus, 99),
        "bytes_median": statistics.median(s.written for s in samples),
        "samples": len(samples),
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

    app = PtyApp([command, "open", str(study)])
    # The first screen is tens of kilobytes; a few bytes of terminal set-up come before it.
    first_bytes, _, last = app.drain(15.0, at_least=20_000)
    results["first paint"] = {"seconds": (last - app.started) if last else None, "bytes": first_bytes}
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
        print(
            f"{name:32} {r['first_byte_median_ms']:8.1f}{r['first_byte_p99_ms']:8.1f} "
            f"{r['complete_median_ms']:8.1f}{r['complete_p99_ms']:8.1f} {r['bytes_median']:8,.0f}"
        )


if __name__ == "__main__":
    main()
