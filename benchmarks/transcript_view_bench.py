"""Figures for the transcript pane at 120x34 with 300,000 characters and 2,000 codings.

Run: python benchmarks/transcript_view_bench.py
Prints timings only; nothing is asserted (see tests/test_transcript_view.py for bounds).
"""

from __future__ import annotations

import asyncio
import random
import statistics
import time

from textual.app import App, ComposeResult

from workbench.domain.models import Turn
from workbench.tui.widgets.transcript_view import Mark, TranscriptView

SIZE = (120, 34)
WORDS = (
    "we could not manage it ourselves the municipality agreement trust security "
    "responsibility collaboration cluster smaller larger kommunen samverkan förtroende "
    "日本語"
).split()
COLORS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#46f0f0"]


def transcript(chars: int = 300_000, codings: int = 2_000, seed: int = 7):
    """A synthetic interview: alternating speakers, blank lines between turns, random codings."""
    rnd = random.Random(seed)
    text, turns, index = "", [], 0
    while len(text) < chars:
        label = "Interviewer: " if index % 2 == 0 else "Informant 7: "
        spoken = " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(8, 90))) + "."
        text += ("\n\n" if text else "") + label
        turns.append(Turn(label[:-2], len(text), len(text) + len(spoken), time_start=index * 9.0))
        text += spoken
        index += 1
    marks = []
    for i in range(codings):
        start = rnd.randrange(len(text) - 500)
        marks.append(Mark(i, start, start + rnd.randint(20, 480), i % 12, COLORS[i % 6]))
    return text, turns, marks


class Host(App):
    def compose(self) -> ComposeResult:
        yield TranscriptView()


async def empty_app_press() -> tuple[float, float]:
    """CPU and wall seconds per key press through Pilot for an app that does nothing."""
    async with App().run_test(size=SIZE) as pilot:
        wall, cpu = time.perf_counter(), time.process_time()
        await pilot.press(*["down"] * 200)
        return (time.process_time() - cpu) / 200, (time.perf_counter() - wall) / 200


def summary(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{name:<44} mean {statistics.mean(samples) * 1e6:9.1f} µs   p99 {p99 * 1e6:9.1f} µs   (n={len(samples)})"


async def main() -> None:
    text, turns, marks = transcript()
    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(TranscriptView)
        view.focus()
        await pilot.pause()

        began = time.perf_counter()
        view.load(text, turns, marks)
        for y in range(view.size.height):
            view.render_line(y)
        loaded = time.perf_counter() - began
        await pilot.pause()
        painted = time.perf_counter() - began
        print(
            f"transcript: {len(text):,} chars, {len(turns):,} turns, {len(marks):,} codings, "
            f"{view._layout.line_count:,} visual lines at {SIZE[0]}x{SIZE[1]}"
        )
        print(f"{'load + first render (all visible lines)':<44} {loaded * 1000:9.1f} ms")
        print(f"{'load + first render + screen update':<44} {painted * 1000:9.1f} ms")

        height = view.size.height
        cold, warm, rnd = [], [], random.Random(1)
        for _ in range(60):
            view.scroll_to(y=rnd.randrange(view.max_scroll_y), animate=False)
            view._cache.clear()
            for y in range(height):
                t = time.perf_counter()
                view.render_line(y)
                cold.append(time.perf_counter() - t)
            for y in range(height):
                t = time.perf_counter()
                view.render_line(y)
                warm.append(time.perf_counter() - t)
        print(summary("render_line, uncached", cold))
        print(summary("render_line, cached", warm))
        screen = [sum(cold[i : i + height]) for i in range(0, len(cold), height)]
        print(summary("full screen of render_line, uncached", screen))

        view.move_cursor(0)
        steps = []
        for _ in range(2000):
            t = time.perf_counter()
            view.action_move("down")
            steps.append(time.perf_counter() - t)
        print(summary("cursor-down handler", steps))

        steps = []
        for _ in range(300):
            t = time.perf_counter()
            view.action_move("down")
            for y in range(height):  # what the compositor asks for after the move
                view.render_line(y)
            steps.append(time.perf_counter() - t)
        print(summary("cursor-down handler + repaint of the screen", steps))

        # Wall time per key is paced by Textual's frame timer and Pilot's waits; CPU time is
        # what the key costs this process (handler, compositor, driver).
        for name, keys in (("right", ["right"] * 200), ("down (scrolling)", ["down"] * 200)):
            wall, cpu = time.perf_counter(), time.process_time()
            await pilot.press(*keys)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(
                f"{'key ' + name + ' through Pilot':<44} {cpu / 200 * 1e3:9.2f} ms CPU per key"
                f"   ({wall / 200 * 1e3:.1f} ms wall)"
            )
        cpu, wall = await empty_app_press()
        print(
            f"{'same keys in an empty app (Pilot baseline)':<44} {cpu * 1e3:9.2f} ms CPU per key"
            f"   ({wall * 1e3:.1f} ms wall)"
        )

        began = time.perf_counter()
        await pilot.resize_terminal(90, 34)
        await pilot.pause()
        print(f"{'re-wrap on resize to 90 columns':<44} {(time.perf_counter() - began) * 1000:9.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
