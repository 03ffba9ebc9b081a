"""Frames ask only the widgets under a change for their lines, and write to the terminal exactly
what Textual's own compositor writes (workbench/tui/changed_areas.py)."""

from __future__ import annotations

from conftest import run_workbench, wait_for
from textual._compositor import ChopsUpdate, Compositor
from textual.strip import Strip

from workbench.tui.changed_areas import ChangedAreasCompositor
from workbench.tui.widgets.transcript_view import TranscriptView


def _written(update: ChopsUpdate | None) -> list[tuple[int, int, list[tuple[str, object]]]]:
    """What an update puts on the terminal: for each changed span of a line, its cells (text and
    style of each segment), cut to the span as the terminal gets them."""
    if update is None:
        return []
    written = []
    for y, x1, x2 in update.spans:
        cells: list[tuple[str, object]] = []
        for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=True):
            if strip is None or x >= x2 or end <= x1:
                continue
            shown = Strip(list(strip)).crop(max(x1, x) - x, min(x2, end) - x)
            cells.extend((segment.text, segment.style) for segment in shown if segment.text)
        written.append((y, x1, x2, cells))
    return written


def test_every_frame_writes_what_textuals_compositor_writes_and_asks_fewer_widgets(study_path):
    """Through cursor moves, a coding, undo, and the board's moves, selections and reorders, each
    frame is drawn twice from the same changed areas: by the workbench's compositor and by
    Textual's. What reaches the terminal is the same; the transcript is not asked for its lines
    in a frame that changed only the board and the status line."""

    async def scenario(app, pilot):
        coding = app.screen
        compositor = coding._compositor
        assert isinstance(compositor, ChangedAreasCompositor)
        frames: list[tuple[bool, bool]] = []  # (written the same, the transcript asked for lines)
        asked: list[object] = []
        transcript_lines = TranscriptView.render_lines

        def recording_lines(view, crop):
            asked.append(view)
            return transcript_lines(view, crop)

        ours = compositor.render_partial_update

        def both():
            changed = set(compositor._dirty_regions)
            asked.clear()
            update = ours()
            ours_asked = bool(asked)
            compositor._dirty_regions.update(changed)
            textuals = Compositor.render_partial_update(compositor)  # the crop around all changes
            frames.append((_written(update) == _written(textuals), ours_asked, len(changed)))
            return update

        TranscriptView.render_lines = recording_lines
        compositor.render_partial_update = both
        try:
            for key in ("down", "down", "up", "t", "1", "u", "s", "2"):  # the transcript, a coding, undo
                await pilot.press(key)
                await pilot.pause(0.05)
            await pilot.press("f4")
            await wait_for(pilot, lambda: coding.board.count > 0, "the quote board filled")
            await pilot.pause(0.1)
            board_frames = len(frames)
            for key in ("home", "down", "space", "shift+up", "down", "space", "shift+down", "up"):
                await pilot.press(key)
                await pilot.pause(0.05)
        finally:
            TranscriptView.render_lines = transcript_lines
            compositor.render_partial_update = ours
        assert len(frames) > 10
        assert all(same for same, _asked, _areas in frames), [i for i, f in enumerate(frames) if not f[0]]
        on_board = frames[board_frames:]
        # The board's keys change the board and the status line: the transcript is not asked.
        assert any(areas >= 2 for _same, _asked, areas in on_board)
        assert not any(asked for _same, asked, _areas in on_board)
        return True

    assert run_workbench(study_path, scenario)
