"""Editing the codebook in a study, and undo/redo of every kind of change (kept in the file)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.errors import WorkbenchError
from workbench.study import Study

TEXT = "Interviewer: Tell me.\n\nInformant: Trust takes time. Agreements matter. We share servers now.\n"
CODEBOOK = """themes:
  - name: Trust
    key: "1"
    children:
      - name: Agreements
  - name: Collaboration
    key: "2"
  - name: Technology
"""


@pytest.fixture
def study(tmp_path: Path):
    (tmp_path / "t1.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    s = Study.create(tmp_path / "s.db", coder="tester")
    s.import_files([tmp_path / "t1.txt"])
    s.load_codebook(tmp_path / "cb.yaml")
    yield s
    s.close()


def snapshot(study: Study) -> dict[str, list]:
    """Every row of every table that holds the researcher's work."""
    tables = ("cases", "case_attributes", "transcripts", "turns", "themes", "codings", "quotes", "memos")
    return {t: study._db.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall() for t in tables}


def code(study: Study, passage: str, theme: str) -> int:
    return study.code("t1", theme, *study.find_passage("t1", passage)).coding.id


def test_rename_recolour_rekey_and_describe(study: Study):
    theme = study.update_theme(
        "Trust", name="Trust and confidence", color="teal", key="9", description="Keeping promises."
    )
    assert (theme.path, theme.color, theme.key, theme.description) == (
        "Trust and confidence",
        "#008080",
        "9",
        "Keeping promises.",
    )
    assert study.theme("Trust and confidence/Agreements").name == "Agreements"
    with pytest.raises(WorkbenchError, match="already exists"):
        study.update_theme("Technology", name="collaboration")
    with pytest.raises(WorkbenchError, match="already used"):
        study.update_theme("Technology", key="2")
    with pytest.raises(WorkbenchError, match="not a colour"):
        study.update_theme("Technology", color="blurple")


def test_move_theme_under_another_and_not_under_itself(study: Study):
    moved = study.move_theme("Technology", "Collaboration")
    assert moved.path == "Collaboration/Technology"
    with pytest.raises(WorkbenchError, match="under itself"):
        study.move_theme("Collaboration", "Collaboration/Technology")
    assert study.move_theme("Collaboration/Technology", None).path == "Technology"


def test_merge_moves_codings_and_drops_duplicates(study: Study):
    a = code(study, "Trust takes time.", "Trust")
    code(study, "Trust takes time.", "Collaboration")
    code(study, "We share servers now.", "Collaboration")
    study.select(a)
    moved = study.merge_themes("Collaboration", "Trust")
    assert moved == 1
    assert sorted(q.text for q in study.quotes(theme="Trust")) == ["Trust takes time.", "We share servers now."]
    assert [t.path for t in study.themes()] == ["Trust", "Trust/Agreements", "Technology"]


def test_delete_theme_takes_its_codings_and_undo_brings_them_back(study: Study):
    code(study, "Agreements matter.", "Trust/Agreements")
    code(study, "Trust takes time.", "Trust")
    before = snapshot(study)
    assert study.delete_theme("Trust") == 2
    assert study.quotes() == []
    assert study.undo()["action"] == "theme.delete"
    assert snapshot(study) == before
    assert len(study.quotes()) == 2


def test_undo_redo_survive_a_restart(study: Study):
    path = study.path
    coding = code(study, "Trust takes time.", "Trust")
    study.select(coding, comment="We read this as patience.")
    study.close()
    with Study.open(path) as reopened:
        assert reopened.undo()["action"] == "select"
        assert reopened.quote(coding).selected is False
        assert reopened.undo()["action"] == "code"
        assert reopened.quotes() == []
    with Study.open(path) as again:
        assert again.redo()["action"] == "code"
        assert again.redo()["action"] == "select"
        assert again.quote(coding).comment == "We read this as patience."
        assert again.redo() is None


def test_a_new_change_ends_the_redo_chain(study: Study):
    code(study, "Trust takes time.", "Trust")
    study.undo()
    code(study, "Agreements matter.", "Trust")
    assert study.redo() is None
    assert [q.text for q in study.quotes()] == ["Agreements matter."]


ACTIONS = st.lists(
    st.tuples(
        st.sampled_from(
            ["code", "uncode", "select", "comment", "rename", "recolour", "delete", "memo", "move", "case"]
        ),
        st.integers(min_value=0, max_value=5),
    ),
    min_size=1,
    max_size=12,
)
PASSAGES = ["Trust takes time.", "Agreements matter.", "We share servers now.", "Tell me."]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=ACTIONS)
def test_undoing_everything_restores_the_start_and_redo_replays_it(tmp_path_factory, actions):
    folder = tmp_path_factory.mktemp("undo")
    (folder / "t1.txt").write_text(TEXT, encoding="utf-8")
    (folder / "cb.yaml").write_text(CODEBOOK, encoding="utf-8")
    with Study.create(folder / "s.db", coder="tester") as study:
        study.import_files([folder / "t1.txt"])
        study.load_codebook(folder / "cb.yaml")
        start = snapshot(study)
        done = 0
        for action, n in actions:
            themes = study.themes()
            quotes = study.quotes()
            if not themes and action != "case":
                continue  # everything was deleted: only case edits are left to try
            try:
                if action == "code":
                    done += study.code(
                        "t1", themes[n % len(themes)].path, *study.find_passage("t1", PASSAGES[n % 4])
                    ).created
                    continue
                if action in ("uncode", "select", "comment") and not quotes:
                    continue
                if action == "uncode":
                    study.uncode(quotes[n % len(quotes)].id)
                elif action == "select":
                    study.select(quotes[n % len(quotes)].id, position=1 + n % 2)
                elif action == "comment":
                    study.select(quotes[n % len(quotes)].id, selected=False, comment=f"c{n}")
                elif action == "rename":
                    study.update_theme(themes[n % len(themes)].path, name=f"Theme {n}")
                elif action == "recolour":
                    study.update_theme(themes[n % len(themes)].path, color=f"#0000{n:02d}")
                elif action == "delete":
                    if len(themes) < 2:
                        continue
                    study.delete_theme(themes[n % len(themes)].path)
                elif action == "memo":
                    study.set_memo("theme", themes[n % len(themes)].path, f"memo {n}")
                elif action == "move":
                    study.move_theme(themes[n % len(themes)].path, None, position=0)
                elif action == "case":
                    study.set_case_attributes("t1", {"size": f"s{n}"})
            except WorkbenchError:
                continue  # e.g. a rename onto an existing name: refused, nothing changed
            done += 1
        end = snapshot(study)
        undone = 0
        while study.undo() and undone < 100:
            undone += 1
        # the import and the codebook load are undone too: back to an empty study
        while study.redo():
            pass
        assert snapshot(study) == end
        for _ in range(undone - 2):
            study.undo()
        assert snapshot(study) == start
        assert study._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert study._db.execute("PRAGMA foreign_key_check").fetchall() == []
