"""The theme palette, driven through Pilot the way a researcher would use it."""

from __future__ import annotations

import asyncio

import pytest
from textual.app import App, ComposeResult

from workbench.domain.models import Theme
from workbench.tui.widgets.theme_palette import ThemePalette, display_order, effective_keys

SIZES = [(120, 34), (80, 24)]

THEMES = [
    Theme(1, "Collaboration", "Collaboration", None, 0, "#cc3333"),
    Theme(2, "Technology", "Technology", None, 1, "#3366cc", key="t"),
    Theme(3, "Trust and confidence", "Trust and confidence", None, 2, "#33aa55", key="3"),
    Theme(4, "Agreements matter", "Trust and confidence/Agreements matter", 3, 0, "#aaaa33"),
    Theme(5, "Security and responsibility", "Trust and confidence/Security and responsibility", 3, 1, "#aa33aa"),
    Theme(6, "Identity", "Identity", None, 3, "#33aaaa"),
]
COUNTS = {1: (12, 5), 4: (3, 2), 5: (7, 4)}


class Host(App):
    """A bare app with the palette beside a spacer, recording what the palette says."""

    CSS = "ThemePalette { width: 40; }"

    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield ThemePalette(id="palette")

    def on_theme_palette_theme_chosen(self, message: ThemePalette.ThemeChosen) -> None:
        self.messages.append(("chosen", message.theme_id))

    def on_theme_palette_edit_requested(self, message: ThemePalette.EditRequested) -> None:
        self.messages.append((message.action, message.theme_id))

    def on_theme_palette_theme_highlighted(self, message: ThemePalette.ThemeHighlighted) -> None:
        self.messages.append(("highlighted", message.theme_id))


def drive(size, script, themes=THEMES, counts=COUNTS):
    """Run ``script(pilot, palette, app)`` with the palette filled and focused."""

    async def main():
        app = Host()
        async with app.run_test(size=size) as pilot:
            palette = app.query_one(ThemePalette)
            palette.set_themes(themes, counts)
            palette.focus()
            await pilot.pause()
            await script(pilot, palette, app)

    asyncio.run(main())


def rows(palette: ThemePalette) -> list[str]:
    lines = []
    for y in range(palette.last_line + 1):
        lines.append("".join(segment.text for segment in palette.render_line(y)).rstrip())
    return lines


def many(n: int, keyed: dict[int, str] | None = None) -> list[Theme]:
    keyed = keyed or {}
    return [Theme(i, f"T{i}", f"T{i}", None, i, "#808080", key=keyed.get(i)) for i in range(1, n + 1)]


# -- effective keys (pure) ---------------------------------------------------------------------


def test_unkeyed_themes_get_free_digits_in_order():
    keys = effective_keys(display_order(THEMES))
    assert keys == {"t": 2, "3": 3, "1": 1, "2": 4, "4": 5, "5": 6}


def test_only_nine_digits_and_never_a_codebook_key_twice():
    keys = effective_keys(many(12, keyed={5: "1", 7: "x"}))
    assert keys["1"] == 5 and keys["x"] == 7
    digits = {k: v for k, v in keys.items() if k.isdigit() and k != "1"}
    assert sorted(digits) == list("23456789")
    assert list(digits.values()) == [1, 2, 3, 4, 6, 8, 9, 10]  # skips the keyed themes 5 and 7
    assert len(set(keys.values())) == len(keys)


def test_display_order_is_depth_first_by_position_whatever_the_input_order():
    shuffled = [THEMES[i] for i in (5, 4, 3, 2, 1, 0)]
    assert [t.id for t in display_order(shuffled)] == [1, 2, 3, 4, 5, 6]


# -- what the palette shows ----------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_rows_show_swatch_key_name_and_counts(size):
    async def script(pilot, palette, app):
        shown = rows(palette)
        assert len(shown) == 6
        assert "C [1] Collaboration" in shown[0] and shown[0].endswith("12 · 5")
        assert "[t] Technology" in shown[1] and shown[1].endswith("0 · 0")
        assert shown[2].startswith("▼ ") and "[3] Trust and confidence" in shown[2]
        assert "[2] Agreements matter" in shown[3] and shown[3].endswith("3 · 2")
        assert shown[3].index("A [2]") > shown[2].index("R [3]")  # sub-themes are indented
        assert shown[4].endswith("7 · 4") and "[4] Security" in shown[4]
        assert "[5] Identity" in shown[5]
        assert palette.effective_keys == {"t": 2, "3": 3, "1": 1, "2": 4, "4": 5, "5": 6}
        assert palette.key_for(4) == "2"

    drive(size, script)


def test_rows_show_no_counts_until_they_are_known():
    """At opening the palette is drawn before the study is counted: no row claims "0 · 0"."""

    async def script(pilot, palette, app):
        assert not any("·" in row for row in rows(palette))
        assert "[1] Collaboration" in rows(palette)[0]
        palette.set_themes(THEMES, COUNTS)
        await pilot.pause()
        shown = rows(palette)
        assert shown[0].endswith("12 · 5") and shown[1].endswith("0 · 0")

    drive(SIZES[0], script, counts=None)


def test_long_names_are_cut_and_counts_stay_visible_in_a_narrow_pane():
    async def script(pilot, palette, app):
        palette.styles.width = 28
        await pilot.pause()
        line = rows(palette)[4]
        assert "…" in line and line.endswith("7 · 4")
        assert len(line) <= 28

    drive((80, 24), script)


def test_swatch_is_the_theme_mark_on_the_theme_colour():
    async def script(pilot, palette, app):
        strip = palette.render_line(0)
        swatch = next(s for s in strip if s.text == palette.mark_for(1))
        assert swatch.text == "C"
        assert swatch.style.bgcolor.triplet.hex == "#cc3333"
        assert swatch.style.bold

    drive((120, 34), script)


# -- keys and messages ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_arrows_jk_home_end_move(size):
    async def script(pilot, palette, app):
        assert palette.highlighted_theme.id == 1
        await pilot.press("down", "j")
        assert palette.highlighted_theme.id == 3
        await pilot.press("k")
        assert palette.highlighted_theme.id == 2
        await pilot.press("end")
        assert palette.highlighted_theme.id == 6
        await pilot.press("up")
        assert palette.highlighted_theme.id == 5
        await pilot.press("home")
        assert palette.highlighted_theme.id == 1
        await pilot.pause()
        assert ("highlighted", 5) in app.messages

    drive(size, script)


@pytest.mark.parametrize("size", SIZES)
def test_keys_post_edit_requests_for_the_highlighted_theme(size):
    async def script(pilot, palette, app):
        palette.highlight(4)
        await pilot.pause()
        app.messages.clear()
        for key in ["r", "a", "A", "C", "m", "M", "d", "delete", "e", "enter"]:
            await pilot.press(key)
        await pilot.pause()
        edits = [m for m in app.messages if m[0] != "highlighted"]
        assert edits == [
            ("rename", 4),
            ("add", 4),
            ("add_child", 4),
            ("recolour", 4),
            ("move", 4),
            ("merge", 4),
            ("delete", 4),
            ("delete", 4),
            ("describe", 4),
            ("chosen", 4),
        ]

    drive(size, script)


def test_enter_chooses_after_moving():
    async def script(pilot, palette, app):
        await pilot.press("down", "down", "down", "down", "enter")
        await pilot.pause()
        assert app.messages[-1] == ("chosen", 5)

    drive((120, 34), script)


def test_empty_palette_only_asks_to_add():
    async def script(pilot, palette, app):
        assert palette.highlighted_theme is None
        await pilot.press("r", "enter", "a")
        await pilot.pause()
        assert [m for m in app.messages if m[0] != "highlighted"] == [("add", None)]

    drive((80, 24), script, themes=[], counts={})


def test_bindings_have_ids():
    ids = {binding.id for binding in ThemePalette.BINDINGS}
    for action in ["add", "add_child", "rename", "recolour", "move", "merge", "delete", "describe", "choose"]:
        assert f"palette.{action}" in ids


# -- data updates --------------------------------------------------------------------------------


def test_set_themes_keeps_the_highlighted_theme_and_new_counts():
    async def script(pilot, palette, app):
        palette.highlight(5)
        renamed = [
            t if t.id != 5 else Theme(5, "Security", "Trust and confidence/Security", 3, 1, "#aa33aa") for t in THEMES
        ]
        new = Theme(7, "Aardvark", "Aardvark", None, -1, "#000000")  # sorts first, shifting every row
        palette.set_themes([new, *renamed], {5: (8, 5)})
        await pilot.pause()
        assert palette.highlighted_theme.id == 5
        assert rows(palette)[5].endswith("8 · 5") and "Security" in rows(palette)[5]

    drive((120, 34), script)


def test_deleting_the_highlighted_theme_highlights_the_next_row():
    async def script(pilot, palette, app):
        palette.highlight(4)
        palette.set_themes([t for t in THEMES if t.id != 4], COUNTS)
        await pilot.pause()
        assert palette.highlighted_theme.id == 5

    drive((120, 34), script)


def test_folded_theme_stays_folded_and_highlight_unfolds():
    async def script(pilot, palette, app):
        palette.highlight(3)
        await pilot.press("space")  # fold "Trust and confidence"
        assert len(rows(palette)) == 4
        palette.set_themes(THEMES, COUNTS)
        await pilot.pause()
        assert len(rows(palette)) == 4 and palette.highlighted_theme.id == 3
        palette.highlight(5)
        await pilot.pause()
        assert len(rows(palette)) == 6 and palette.highlighted_theme.id == 5

    drive((120, 34), script)


def test_component_styles_are_kept_only_while_the_palettes_style_is_unchanged():
    """The palette keeps its component styles between repaints (a count is a row repainted);
    a UI theme, the focus going and coming back, and a fold each give the styles Textual would."""
    from textual.dom import DOMNode

    def stale(palette: ThemePalette) -> list[tuple[str, bool]]:
        wrong = []
        for name in sorted(palette.COMPONENT_CLASSES):
            fresh = DOMNode.get_component_styles(palette, name)
            for partial, expected in ((False, fresh.rich_style), (True, fresh.partial_rich_style)):
                if palette.get_component_rich_style(name, partial=partial) != expected:
                    wrong.append((name, partial))
            if palette.get_component_styles(name).color != fresh.color:
                wrong.append((name, None))
        return wrong

    async def script(pilot, palette, app):
        before = palette.get_component_rich_style("tree--cursor")
        palette.set_themes(THEMES, {**COUNTS, 1: (13, 6)})  # a coding: one row repainted
        await pilot.pause()
        assert stale(palette) == []
        app.theme = "textual-light" if app.current_theme.dark else "textual-dark"
        await pilot.pause()
        assert palette.get_component_rich_style("tree--cursor") != before
        assert stale(palette) == []
        app.set_focus(None)
        await pilot.pause()
        assert stale(palette) == []
        palette.focus()
        await pilot.press("down", "space")
        await pilot.pause()
        assert stale(palette) == []

    drive((120, 34), script)
