"""A change costs what it changes: after a coding, an undo, a removal, a selection, a filter or
another window's change, the coding screen updates only what the change touched (the counts of
its themes, the marks of its lines, its theme's rows on the board, the rows filtered in memory).
Each incremental path must leave the screen exactly as a full reload from the study shows it."""

from __future__ import annotations

import io
import random
from collections import Counter
from pathlib import Path

from conftest import run_workbench, screen_text, wait_for
from rich.console import Console

from workbench.domain.models import QuoteEntry, Turn
from workbench.study import Study
from workbench.tui.board_index import BoardIndex, filter_entries
from workbench.tui.marks_update import DrawnMarks
from workbench.tui.theme_counts import ThemeCounts
from workbench.tui.widgets.prepared_text import PreparedTexts
from workbench.tui.widgets.quote_board import QuoteBoard


def painted(app) -> str:
    """The whole screen as the terminal would get it, colours included."""
    console = Console(
        width=app.size.width,
        height=app.size.height,
        file=io.StringIO(),
        record=True,
        force_terminal=True,
        color_system="truecolor",
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=True)


def shown(app) -> dict:
    """What the coding screen holds for each pane: counts, marks, board rows, and the paint."""
    screen = app.screen
    view = screen.transcript_view
    marks = sorted((m.id, m.start, m.end, m.theme_id, m.color) for m in view.marks)
    return {
        "counts": dict(screen.palette.counts),
        "marks": marks,
        "board": [tuple(e[:5]) for e in screen.board.entries()],
        # the card list's rows as drawn (headers and cards): one theme's rows are spliced into it
        "rows": [tuple(r[:5]) if isinstance(r, QuoteEntry) else r for r in screen.board._cards.rows],
        "count": screen.board.count,
        "paint": painted(app),
    }


async def full_reload(app, pilot) -> dict:
    """Everything read again from the study and drawn anew: what the incremental paths must equal."""
    screen = app.screen
    screen.transcript_view.notify_style_update()  # forget every drawn line of the transcript
    screen.theme_counts.forget()
    screen.refresh_all()  # themes, cases, counts and the whole board, from the study
    await wait_for(pilot, lambda: not screen._board_pending, "the whole board read again")
    await pilot.pause()
    return shown(app)


async def agrees_with_full_reload(app, pilot) -> bool:
    incremental = shown(app)
    reloaded = await full_reload(app, pilot)
    for key in incremental:
        assert incremental[key] == reloaded[key], f"{key} differs from a full reload"
    return True


def expected_counts(study: Study) -> dict[int, tuple[int, int]]:
    """Every coded theme's own (codings, informants) as ``Study.stats`` counts them (the palette
    shows a theme left out as 0 · 0)."""
    rows, _ = study.stats()
    return {r.theme.id: (r.codings, r.informants) for r in rows if r.codings}


# -- through the screen ------------------------------------------------------------------------


def test_coding_undo_removal_and_redo_leave_the_screen_as_a_full_reload_shows_it(study_path: Path):
    async def scenario(app, pilot):
        screen = app.screen
        checks = []
        await pilot.press("}", "t", "2")  # code a turn with Technology
        await pilot.pause()
        checks.append(await agrees_with_full_reload(app, pilot))
        assert screen.palette.counts == expected_counts(screen.study)
        await pilot.press("u")  # undo the coding
        await pilot.pause()
        checks.append(await agrees_with_full_reload(app, pilot))
        await pilot.press("U")  # redo it
        await pilot.pause()
        checks.append(await agrees_with_full_reload(app, pilot))
        first = screen.study.codings("informant_1")[0]
        screen.transcript_view.move_cursor(first.start + 1)
        await pilot.press("x")  # remove a coding that was there before
        await pilot.pause()
        if screen.status.choosing:  # several codings here: "which coding?", the first
            await pilot.press("1")
            await pilot.pause()
        assert first.id not in {c.id for c in screen.study.codings("informant_1")}
        checks.append(await agrees_with_full_reload(app, pilot))
        assert screen.palette.counts == expected_counts(screen.study)
        await pilot.press("u")  # undo the removal: the coding comes back with its id
        await pilot.pause()
        assert first.id in {c.id for c in screen.study.codings("informant_1")}
        checks.append(await agrees_with_full_reload(app, pilot))
        await pilot.press("U")  # and redo it
        await pilot.pause()
        checks.append(await agrees_with_full_reload(app, pilot))
        assert screen.palette.counts == expected_counts(screen.study)
        return checks

    assert run_workbench(study_path, scenario) == [True] * 6


def test_removing_a_quote_in_the_chapter_and_undoing_it_match_a_full_reload(study_path: Path):
    """A removed quote that had a place in the chapter renumbers its theme: the screen must
    not take the removal (or its undo) for one that only took a coding away or brought it back."""

    async def scenario(app, pilot):
        screen = app.screen
        first = screen.study.codings("informant_1")[0]
        screen.study.select(first.id)
        screen.refresh_all()
        await wait_for(pilot, lambda: not screen._board_pending, "the board read again")
        screen.transcript_view.move_cursor(first.start + 1)
        await pilot.press("x")
        await pilot.pause()
        if screen.status.choosing:  # several codings here: "which coding?", the first
            await pilot.press("1")
            await pilot.pause()
        await pilot.press("enter")  # "Remove the coding and take it out of the chapter?"
        await pilot.pause()
        assert first.id not in {c.id for c in screen.study.codings("informant_1")}
        checks = [await agrees_with_full_reload(app, pilot)]
        await pilot.press("u")
        await pilot.pause()
        assert screen.study.quote(first.id).selected
        checks.append(await agrees_with_full_reload(app, pilot))
        return checks

    assert run_workbench(study_path, scenario) == [True] * 2


def test_selection_and_order_on_the_board_match_a_full_reload(study_path: Path):
    async def scenario(app, pilot):
        board = app.screen.query_one(QuoteBoard)
        await pilot.press("f4", "down", "space", "down", "space", "shift+up")
        await pilot.pause()
        assert board.highlighted_quote.selected
        return await agrees_with_full_reload(app, pilot)

    assert run_workbench(study_path, scenario)


def test_a_coding_under_a_filter_and_a_grouping_matches_a_full_reload(study_path: Path):
    async def scenario(app, pilot):
        screen = app.screen
        screen.where = {"SIZE": {"Smaller"}}  # keys and values ignore case, as the study's query does
        screen.group_by = "cluster"
        screen.refresh_board()
        await pilot.pause()
        with_filter = [e.id for e in screen.board.entries()]
        assert with_filter == [e.id for e in screen.study.quote_entries(where={"SIZE": {"Smaller"}})]
        screen.open_transcript("informant_3")  # a smaller municipality: its codings stay in view
        await pilot.press("}", "t", "2")
        await pilot.pause()
        new = max(c.id for c in screen.study.codings("informant_3"))
        assert new in {e.id for e in screen.board.entries()}
        return await agrees_with_full_reload(app, pilot)

    assert run_workbench(study_path, scenario)


def test_another_windows_change_appears_in_counts_marks_and_a_filter_made_at_once(study_path: Path):
    """The caches are keyed on the study's data version: a filter set before the screen's own
    once-a-second look still shows what another program just coded."""

    async def scenario(app, pilot):
        screen = app.screen
        with Study.open(study_path, coder="cli") as other:
            text = other.transcript_text("informant_1")
            start = text.index(" ", 300) + 1  # on screen, lines away from the cursor
            coding = other.code("informant_1", "Technology", start, start + 12).coding
        screen.where = {"size": {"larger"}}  # informant_1's municipality is larger
        screen.refresh_board()
        assert coding.id in {e.id for e in screen.board.entries()}
        await wait_for(pilot, lambda: coding.id in {m.id for m in screen.transcript_view.marks}, "its mark")
        await wait_for(pilot, lambda: "updated from another window" in painted(app), "the status line's note")
        screen.status.show(note="")  # a reload's cursor note would wipe it: compare the panes
        await pilot.pause()
        assert screen.palette.counts == expected_counts(screen.study)
        return await agrees_with_full_reload(app, pilot)

    assert run_workbench(study_path, scenario)


def test_a_coding_right_after_another_windows_coding_shows_both(study_path: Path):
    """A new coding, or undoing it, is drawn without reading the transcript's codings again,
    unless another program changed the study since the screen last looked: then its coding shows."""

    async def scenario(app, pilot):
        screen = app.screen
        with Study.open(study_path, coder="cli") as other:
            text = other.transcript_text("informant_1")
            start = text.index(" ", 300) + 1
            theirs = other.code("informant_1", "Technology", start, start + 12).coding
        await pilot.press("}", "t", "2")  # before the screen's once-a-second look
        await pilot.pause()
        drawn = {m.id for m in screen.transcript_view.marks}
        mine = max(c.id for c in screen.study.codings("informant_1"))
        assert theirs.id in drawn and mine in drawn
        screen._check_outside_changes()  # the look: the note on the status line
        screen.status.show(note="")
        await pilot.pause()
        first = await agrees_with_full_reload(app, pilot)
        await pilot.press("}", "t", "1")  # another coding here, then undo it
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        drawn = {m.id for m in screen.transcript_view.marks}
        assert drawn == {c.id for c in screen.study.codings("informant_1")}
        with Study.open(study_path, coder="cli") as other:
            other.code("informant_1", "Technology", start + 20, start + 30)
        await pilot.press("u")  # the study's last change, the other window's, before the look
        await pilot.pause()
        drawn = {m.id for m in screen.transcript_view.marks}
        assert drawn == {c.id for c in screen.study.codings("informant_1")}
        screen._check_outside_changes()
        screen.status.show(note="")
        await pilot.pause()
        return first and await agrees_with_full_reload(app, pilot)

    assert run_workbench(study_path, scenario)


# -- the pieces ----------------------------------------------------------------------------------


WHERES = [
    {"size": {"smaller"}},
    {"Size": {"LARGER", "smaller"}},
    {"size": {"smaller"}, "cluster": {"b"}},
    {"cluster": {"C"}},
    {"no such attribute": {"x"}},
]


def test_the_index_filters_as_the_study_does(study_path: Path):
    with Study.open(study_path) as study:
        index = BoardIndex()
        index.load(study.quote_entries(), study.data_version())
        order = [t.id for t in study.themes()]
        assert index.entries(theme_order=order) == study.quote_entries()
        for where in WHERES:
            assert index.entries(where=where, theme_order=order) == study.quote_entries(where=where), where
        trust = study.theme("Trust and confidence")
        below = {t.id for t in study.themes() if t.path.startswith("Trust and confidence")}
        assert index.entries(below, WHERES[0], order) == study.quote_entries(theme=trust.path, where=WHERES[0])


def test_the_index_takes_one_themes_new_rows_and_knows_when_it_is_stale(study_path: Path):
    with Study.open(study_path, coder="anna") as study:
        index = BoardIndex()
        index.load(study.quote_entries(), study.data_version())
        technology = study.theme("Technology")
        study.code("informant_2", "Technology", 0, 12)
        index.replace_theme(technology.id, study.quote_entries(theme_ids={technology.id}))
        assert index.entries(theme_order=[t.id for t in study.themes()]) == study.quote_entries()
        assert index.is_current(study.data_version())  # this connection's own change
        with Study.open(study_path, coder="cli") as other:
            other.code("informant_2", "Technology", 20, 30)
        assert not index.is_current(study.data_version())  # another program's change


def test_filtering_keeps_the_order_and_judges_each_case_once():
    small, large = {"size": "smaller"}, {"size": "larger"}
    entries = [QuoteEntry(i, "T", 1, False, None, small if i % 2 else large) for i in range(10)]
    assert [e.id for e in filter_entries(entries, {"size": {"SMALLER"}})] == [1, 3, 5, 7, 9]
    assert filter_entries(entries, {}) == entries


def test_counts_of_the_touched_themes_equal_a_recount(study_path: Path):
    with Study.open(study_path, coder="anna") as study:
        counts = ThemeCounts()
        assert counts.counts(study) == expected_counts(study)
        trust = study.theme("Trust and confidence")
        added = study.code("informant_5", trust.path, 0, 15).coding
        assert counts.counts(study, {trust.id}) == expected_counts(study)
        study.uncode(added.id)
        assert counts.counts(study, {trust.id}) == expected_counts(study)
        removed = study.uncode(study.codings("informant_1")[0].id)
        assert counts.counts(study, {removed.theme_id}) == expected_counts(study)
        with Study.open(study_path, coder="cli") as other:
            other.code("informant_3", "Identity", 0, 9)
        # another program's change: everything is counted again, whatever this program touched
        assert counts.counts(study, set()) == expected_counts(study)


def test_a_mark_added_goes_where_reading_the_spans_again_puts_it():
    colours, labels = {1: "#ff0000", 2: "#00ff00"}, {1: "T", 2: "S"}
    spans = [(10, 0, 5, 1), (11, 3, 9, 2), (12, 3, 9, 1), (13, 20, 25, 2)]
    for new in [(14, 3, 9, 2), (14, 0, 2, 1), (14, 30, 31, 1), (9, 3, 7, 1)]:
        drawn = DrawnMarks()
        drawn.reset(spans, colours, labels)
        marks, changed = drawn.add(new, colours, labels)
        read = DrawnMarks().reset(sorted([*spans, new], key=lambda s: (s[1], s[2], s[0])), colours, labels)
        assert marks == read and [m.id for m in changed] == [new[0]]
        assert drawn.starts(new[3])[new[0]] == new[1]
        marks, gone = drawn.remove(new[0])  # and undoing it
        assert marks == DrawnMarks().reset(spans, colours, labels) and [m.id for m in gone] == [new[0]]
        assert new[0] not in drawn.starts(new[3])


def test_marks_added_and_removed_one_by_one_equal_the_spans_read_again():
    """Random codings added and removed (ids reused as SQLite reuses them), and now and then the
    spans read again: the marks drawn always equal marks made from the spans as they are."""
    rng = random.Random(7)
    colours, labels = {1: "#ff0000", 2: "#00ff00", 3: "#0000ff"}, {1: "T", 2: "S", 3: "R"}

    def study_order(spans):
        return sorted(spans.values(), key=lambda s: (s[1], s[2], s[0]))

    spans = {i: (i, rng.randrange(90), 0, rng.randint(1, 3)) for i in range(1, 40)}
    spans = {i: (i, s, s + rng.randrange(15), t) for i, (_, s, _e, t) in spans.items()}
    drawn = DrawnMarks()
    drawn.reset(study_order(spans), colours, labels)
    for step in range(400):
        choice = rng.random()
        if choice < 0.45 and spans:
            gone = rng.choice(sorted(spans))
            del spans[gone]
            marks, changed = drawn.remove(gone)
            assert [m.id for m in changed] == [gone]
        elif choice < 0.9:
            ident = max(spans, default=0) + 1  # the highest id again after its removal
            start = rng.randrange(90)
            spans[ident] = (ident, start, start + rng.randrange(15), rng.randint(1, 3))
            marks, changed = drawn.add(spans[ident], colours, labels)
            assert [m.id for m in changed] == [ident]
        else:
            marks, _changed = drawn.update(study_order(spans), colours, labels)
        assert marks == DrawnMarks().reset(study_order(spans), colours, labels), f"step {step}"
    assert drawn.remove(10_000) == (marks, [])  # a coding not drawn: nothing goes


def test_drawn_marks_report_only_what_appeared_or_went():
    colours = {1: "#ff0000", 2: "#00ff00"}
    labels = {1: "T", 2: "S"}
    drawn = DrawnMarks()
    marks = drawn.reset([(10, 0, 5, 1), (11, 3, 9, 2)], colours, labels)
    assert [m.id for m in marks] == [10, 11] and [m.label for m in marks] == ["T", "S"]
    marks2, changed = drawn.update([(10, 0, 5, 1), (12, 4, 6, 1)], colours, labels)
    assert marks2[0] is marks[0]  # unchanged: the same object, not drawn again
    assert sorted(m.id for m in changed) == [11, 12]
    _marks3, changed = drawn.update([(10, 0, 5, 1), (12, 4, 6, 1)], {1: "#0000ff", 2: "#00ff00"}, labels)
    assert sorted(m.id for m in changed) == [10, 10, 12, 12]  # a new colour: drawn anew, the old one gone
    _marks4, changed = drawn.update([(10, 0, 5, 1), (12, 4, 6, 1)], {1: "#0000ff", 2: "#00ff00"}, {1: "R", 2: "S"})
    assert sorted(m.id for m in changed) == [10, 10, 12, 12]  # a new mark letter too


def test_new_and_removed_codings_go_where_the_study_puts_them(study_path: Path):
    with Study.open(study_path, coder="anna") as study:
        first = study.quote_entries()[0]
        theme = next(t for t in study.themes() if t.id == first.theme_id)  # a theme with quotes
        study.select(first.id)  # a quote selected for the chapter: new rows go after it
        index = BoardIndex()
        index.load(study.quote_entries(), study.data_version())
        order = [t.id for t in study.themes()]
        cases = study.cases()
        for name, start in [("informant_4", 5), ("informant_1", 0), ("informant_8", 40), ("informant_4", 1)]:
            coding = study.code(name, theme.path, start, start + 7).coding
            attributes = cases.get(study.transcript(name).case, {})
            entry = QuoteEntry(coding.id, theme.path, theme.id, False, None, attributes, name, start)
            assert index.follow_codings(theme.id, set(), [entry])
            assert index.entries(theme_order=order) == study.quote_entries()
        removed = study.uncode(coding.id)
        assert index.follow_codings(theme.id, {removed.id}, [])
        assert index.entries(theme_order=order) == study.quote_entries()
        # a selected quote that goes renumbers its theme: the index says to read the theme again
        assert not index.follow_codings(theme.id, {first.id}, [])
        assert index.entries(theme_order=order) == study.quote_entries()


def test_switching_back_to_a_transcript_shows_it_as_first_opened(study_path: Path):
    async def scenario(app, pilot):
        screen = app.screen
        await wait_for(pilot, lambda: screen_text(app).splitlines()[-1].strip(), "the footer")
        first = painted(app)
        screen.open_transcript("informant_2")
        await pilot.pause()
        assert painted(app) != first
        screen.open_transcript("informant_1")  # prepared before: taken from the kept ones
        await pilot.pause()
        return painted(app) == first

    assert run_workbench(study_path, scenario)


def test_prepared_texts_are_reused_only_for_the_same_text_and_turns():
    texts = PreparedTexts(keep=2)
    turns = [Turn("A", 0, 5), Turn("B", 6, 11)]
    one = texts.get("Hello world", turns)
    assert texts.get("Hello world", list(reversed(turns))) is one  # turns are taken in order of start
    assert texts.get("Hello world", turns[:1]) is not one  # other turns: prepared anew
    assert one.layout(20) is one.layout(20)
    texts.get("second", [])
    texts.get("third", [])
    again = texts.get("Hello world", turns)
    assert again is not one and again.safe == one.safe  # the oldest went when a third came


def test_a_coding_that_takes_the_id_of_one_undone_shows_its_own_passage(study_path: Path):
    """SQLite gives a new coding the id of the last one removed: its card must not be the old one's."""

    async def scenario(app, pilot):
        screen = app.screen
        board = screen.board
        await pilot.press("}", "t", "2")
        await pilot.pause()
        first = max(e.id for e in board.entries())
        board.highlight(first)
        await pilot.pause()
        assert board.highlighted_quote.id == first  # its quote is loaded for the card
        await pilot.press("u", "}", "}", "t", "2")  # undo, then code the next turn
        await pilot.pause()
        second = max(e.id for e in board.entries())
        board.highlight(second)
        await pilot.pause()
        return second == first, board.highlighted_quote.text == screen.study.quote(second).text

    assert run_workbench(study_path, scenario) == (True, True)


def test_selections_and_new_orders_renumber_the_index_as_the_study_does(study_path: Path):
    with Study.open(study_path, coder="anna") as study:
        themes = Counter(e.theme_id for e in study.quote_entries())
        theme_id, quotes = themes.most_common(1)[0]
        assert quotes >= 4, "the study has too few quotes in any theme for this test"
        ids = [e.id for e in study.quote_entries(theme_ids={theme_id})]
        index = BoardIndex()
        index.load(study.quote_entries(), study.data_version())
        order = [t.id for t in study.themes()]
        changes = [
            lambda: study.select(ids[2]),
            lambda: study.select(ids[0]),
            lambda: study.select(ids[3]),
            lambda: study.select(ids[3], position=1),  # moved to the front
            lambda: study.select(ids[2], selected=False),  # the others close up
            lambda: study.select(ids[1], comment="a reading"),  # no chapter state changes
        ]
        for change in changes:
            before = {e.id: e for e in index.theme_entries(theme_id)}
            change()
            changed = index.restate_theme(theme_id, study.chapter_states(theme_id))
            assert index.entries(theme_order=order) == study.quote_entries()
            after = {e.id: e for e in index.theme_entries(theme_id)}
            assert changed == {i for i in after if after[i] != before[i]}


def test_restating_a_theme_orders_its_rows_as_sorting_them_all_does():
    """Random chapter states over random rows: the rows kept in place and the few restated ones
    put among them give the order a sort of every row gives."""
    import random

    from workbench.tui.board_index import board_order

    rng = random.Random(5)
    for _ in range(300):
        rows = [
            QuoteEntry(i, "T", 1, False, None, {}, rng.choice("abc"), rng.randrange(50))
            for i in range(rng.randrange(1, 40))
        ]

        def random_states(rows=rows):
            states = {}
            for entry in rng.sample(rows, rng.randrange(0, min(len(rows), 8) + 1)):
                selected = rng.random() < 0.7
                states[entry.id] = (selected, rng.choice([None, 1, 2, 3, 4]) if selected else rng.choice([None, 2, 5]))
            return states

        index = BoardIndex()
        start = random_states()
        index.load(
            board_order(
                [
                    e._replace(selected=s, position=p) if (s, p) != (False, None) else e
                    for e in rows
                    for s, p in [start.get(e.id, (False, None))]
                ]
            ),
            1,
        )
        for _step in range(3):
            states = random_states()
            before = index.theme_entries(1)
            expected = board_order(
                [e._replace(selected=s, position=p) for e in before for s, p in [states.get(e.id, (False, None))]]
            )
            changed = index.restate_theme(1, states)
            assert index.theme_entries(1) == (expected if changed else before)
            assert changed == {e.id for e in before if (e.selected, e.position) != states.get(e.id, (False, None))}


def test_quotes_keep_the_codebook_and_cases_over_changes_that_leave_them_alone(study_path: Path, monkeypatch):
    """Selecting, commenting, coding and undoing in this program do not make the next quote read
    the codebook and the cases again; changing an attribute or a theme here does, and shows."""
    from workbench.storage import queries
    from workbench.study.view_state import ViewState, remember_view

    reads = []
    load_case_attributes = queries.load_case_attributes
    monkeypatch.setattr(queries, "load_case_attributes", lambda db: reads.append(1) or load_case_attributes(db))
    with Study.open(study_path, coder="anna") as study:
        coding = study.code("informant_2", "Technology", 0, 12).coding.id
        quote = study.quote(coding)
        read_before = len(reads)
        study.select(coding, comment="We read this as a first sign.")
        study.select(coding, position=1)
        other = study.code("informant_2", "Technology", 20, 40).coding.id
        study.undo()
        remember_view(study, ViewState(transcript="informant_2", cursor=3))  # a setting, every few seconds
        assert study.quote(coding).comment == "We read this as a first sign."
        assert len(reads) == read_before, "the cases were read again after changes that left them alone"
        study.set_case_attributes(quote.case, {"cluster": "Z"})
        study.update_theme("Technology", name="Digital tools")
        quote = study.quote(coding)
        assert (quote.theme, quote.attributes["cluster"]) == ("Digital tools", "Z")
        study.undo()  # the rename, undone: the codebook is read again
        assert study.quote(coding).theme == "Technology"
        assert "Technology" in {t.path for t in study.themes()}
        with Study.open(study_path, coder="cli") as other_program:
            other_program.update_theme("Technology", name="Tools")
        assert "Tools" in {t.path for t in study.themes()}
        assert study.quote(coding).theme == "Tools"
        with Study.open(study_path, coder="fresh") as fresh:
            assert study.quotes_by_id([coding, other]) == fresh.quotes_by_id([coding, other])


def test_quotes_show_a_renamed_theme_and_new_attributes_whoever_changed_them(study_path: Path):
    """The codebook and cases a quote needs are read once and kept while the file is unchanged;
    a change by this study or by another program is seen by the next quote read."""
    with Study.open(study_path, coder="anna") as study:
        coding = study.code("informant_2", "Technology", 0, 12).coding.id
        case = study.quotes_by_id([coding])[coding].case
        assert study.quotes_by_id([coding])[coding].theme == "Technology"
        study.update_theme("Technology", name="Digital tools")
        assert study.quotes_by_id([coding])[coding].theme == "Digital tools"
        with Study.open(study_path, coder="cli") as other:
            other.update_theme("Digital tools", name="Tools")
            other.set_case_attributes(case, {"cluster": "Z"})
        quote = study.quotes_by_id([coding])[coding]
        assert (quote.theme, quote.attributes["cluster"]) == ("Tools", "Z")
        study.undo()  # the latest change (the other program's attribute), undone here
        with Study.open(study_path, coder="fresh") as fresh:
            assert study.quotes_by_id([coding]) == fresh.quotes_by_id([coding])
