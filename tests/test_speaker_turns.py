"""Speaker labels drawn without their Markdown markup; the interviewer's turns set apart."""

from __future__ import annotations

import asyncio
from pathlib import Path

from conftest import open_workbench, wait_for
from rich.style import Style
from test_snapshots import styled_cells

from workbench.domain.colours import contrast_ratio
from workbench.tui.widgets import transcript_layout as tl


def test_markup_around_labels_is_found():
    text = "**Interviewer:** Hi?\n\n__Informant 5__: Yes.\n\nPlain: text"
    _, labels = tl.label_ranges(text, [_turn(text, "Hi?"), _turn(text, "Yes."), _turn(text, "text")])
    hidden = tl.label_markup(text, labels)
    shown = "".join(c for i, c in enumerate(text) if not any(a <= i < b for a, b in hidden))
    assert shown == "Interviewer: Hi?\n\nInformant 5: Yes.\n\nPlain: text"
    assert len(tl.with_hidden(text, hidden)) == len(text)


def _turn(text: str, words: str):
    from workbench.domain.models import Turn

    start = text.index(words)
    return Turn(None, start, start + len(words))


def test_who_is_the_interviewer():
    for name in ("Interviewer", "interviewer 2", "Intervjuare", "I", "Q", "Moderator", "**Interviewer**"):
        assert tl.is_interviewer(name), name
    for name in ("Informant 5", "Interviewee", "Respondent", "Ingrid", None, ""):
        assert not tl.is_interviewer(name), name


def test_markdown_transcript_is_drawn_without_markup(study_path: Path):
    async def main():
        async with open_workbench(study_path, (100, 30)) as (app, pilot):
            screen = app.screen
            screen.open_transcript("informant_5")
            await pilot.pause()
            view = screen.transcript_view
            rows = [strip.text for strip in app.screen._compositor.render_strips()]
            body = "\n".join(rows[view.region.y : view.region.bottom])
            assert "**" not in body
            assert "Interviewer: Thank you for meeting me." in body
            assert "Informant 5: Sure." in body
            # The interviewer's words are italic, the informant's are not.
            cells = styled_cells(app)
            y_asks = next(y for y, row in enumerate(rows) if "Thank you for meeting" in row)
            y_answers = next(y for y, row in enumerate(rows) if "Informant 5: Sure" in row)
            x_asks = rows[y_asks].index("Thank")
            x_answers = rows[y_answers].index("Sure")
            assert _italic(cells[y_asks][x_asks]) and not _italic(cells[y_answers][x_answers])
            asks, answers = cells[y_asks][x_asks], cells[y_answers][x_answers]
            back = view.rich_style.bgcolor.triplet.hex
            # Muted: less contrast than the informant's words, yet readable (WCAG AA for text).
            assert contrast_ratio(asks.color.triplet.hex, back) < contrast_ratio(answers.color.triplet.hex, back)
            assert contrast_ratio(asks.color.triplet.hex, back) >= 4.5
            # The cursor still walks the stored text (positions are those of the file).
            view.move_cursor(app.study.transcript_text("informant_5").index("Could we start"))
            await pilot.press("s")
            await wait_for(pilot, lambda: view.selection is not None, "a selection")
            start, end = view.selection
            assert app.study.transcript_text("informant_5")[start:end].startswith("Could we start")

    asyncio.run(main())


def _italic(style: Style | None) -> bool:
    return bool(style is not None and style.italic)
