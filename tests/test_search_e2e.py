"""End to end in a real terminal (tmux): search every transcript, jump to a hit, code it with a theme
key, code all hits, undo that; the study keeps exactly the one coding made by hand."""

from __future__ import annotations

from pathlib import Path

from test_e2e_terminal import terminal, wait_until_ready  # noqa: F401  (the fixture)
from tmux_terminal import WORKBENCH

from workbench.domain.text_search import SearchOptions
from workbench.study import Study
from workbench.study.search import search


def codings(study_path: Path) -> list[tuple]:
    with Study.open(study_path) as s:
        return s._db.execute("SELECT transcript_id, theme_id, start, end, coder FROM codings ORDER BY id").fetchall()


def test_search_jump_code_code_all_and_undo_in_a_terminal(terminal, study_path: Path):  # noqa: F811
    with Study.open(study_path) as s:
        hits = search(s, SearchOptions("trust", whole_word=True)).hits
        theme = next(t for t in s.themes() if t.key == "1" or t.position == 0 and t.parent_id is None)
    before = codings(study_path)
    term = terminal(f"{WORKBENCH} {study_path}")
    term.wait_for("Themes")
    wait_until_ready(term)
    term.keys("C-f")
    term.wait_for("word or phrase")
    term.keys("trust --word", "Enter")
    term.wait_for(f"{len(hits)} hit(s) in")
    term.keys("Down", "Down", "Enter")
    term.wait_for(f"hit 3/{len(hits)}")
    term.keys("1")
    term.wait_for("coded ")
    term.keys("n")
    term.wait_for(f"hit 4/{len(hits)}")
    # Search again (the search line keeps the last search) and code every hit.
    term.keys("C-f")
    term.wait_for(f"{len(hits)} hit(s) in")
    term.keys("a")
    term.wait_for("Code all hits with")
    term.keys(theme.path, "Enter")
    term.wait_for("Confirm")
    term.keys("y")
    term.wait_for("passage(s) as")
    term.keys("u")
    term.wait_for("undid")
    term.keys("q")
    assert term.wait_until_gone(), "the workbench did not quit on q"
    after = codings(study_path)
    new = [row for row in after if row not in before]
    third = hits[2]
    with Study.open(study_path) as s:
        assert s.transcript(third.transcript).id == new[0][0]
    assert len(after) == len(before) + 1 and (new[0][2], new[0][3]) == (third.start, third.end)
