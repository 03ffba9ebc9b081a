"""The headless core on a real SQLite file: import, codebook, coding, quotes, stats, memos."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from workbench.errors import InputError, NotFoundError, WorkbenchError
from workbench.storage.schema import SCHEMA_VERSION
from workbench.study import Study

INTERVIEW = """Interviewer: How did the collaboration start?

Informant: Well, we could not manage it ourselves. The agreement was signed in [...] and
everyone was relieved.

Interviewer: And trust?

Informant: Trust takes time. Agreements matter, you know.
"""

CODEBOOK = """themes:
  - name: Trust and confidence
    key: "3"
    color: "#2a9d8f"
    description: Expectations that partners keep their commitments.
    children:
      - name: Agreements matter
  - name: Collaboration
    children:
      - name: Organisational inertia
"""


@pytest.fixture
def study(tmp_path: Path) -> Study:
    (tmp_path / "informant_7.txt").write_text(INTERVIEW, encoding="utf-8")
    (tmp_path / "informant_2.txt").write_text(
        INTERVIEW.replace("Trust takes time", "Trust is earned"), encoding="utf-8"
    )
    (tmp_path / "cases.yaml").write_text(
        "informant_7: {informant: 7, size: smaller, cluster: B}\ninformant_2: {informant: 2, size: larger, cluster: A}\n",
        encoding="utf-8",
    )
    (tmp_path / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    s = Study.create(tmp_path / "study.db", coder="tester")
    s.import_files([tmp_path / "informant_7.txt", tmp_path / "informant_2.txt"], cases_file=tmp_path / "cases.yaml")
    s.load_codebook(tmp_path / "codebook.yaml")
    yield s
    s.close()


def table_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: conn.execute(f"SELECT count(*) FROM [{n}]").fetchone()[0] for n in names}


def test_new_study_is_wal_with_foreign_keys_and_schema_version(tmp_path: Path):
    with Study.create(tmp_path / "s.db") as s:
        assert s._db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s._db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_create_refuses_to_overwrite(tmp_path: Path):
    target = tmp_path / "s.db"
    target.write_text("precious")
    with pytest.raises(WorkbenchError, match="already exists"):
        Study.create(target)
    assert target.read_text() == "precious"


def test_open_refuses_files_that_are_not_studies(tmp_path: Path):
    bogus = tmp_path / "notes.db"
    bogus.write_text("hello")
    with pytest.raises(WorkbenchError, match="not an SQLite file"):
        Study.open(bogus)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(WorkbenchError, match="not a workbench study"):
        Study.open(other)
    with pytest.raises(WorkbenchError, match="no such study"):
        Study.open(tmp_path / "missing.db")


def test_import_stores_text_once_with_turns_and_case_attributes(study: Study):
    names = [t.name for t in study.transcripts()]
    assert names == ["informant_2", "informant_7"]
    text = study.transcript_text("informant_7")
    assert text == INTERVIEW
    turns = study.turns("informant_7")
    assert [t.speaker for t in turns] == ["Interviewer", "Informant", "Interviewer", "Informant"]
    assert text[turns[1].start :].startswith("Well, we could not")
    assert study.cases()["informant_7"] == {"informant": "7", "size": "smaller", "cluster": "B"}


def test_importing_the_same_file_twice_is_a_reported_no_op(study: Study, tmp_path: Path):
    before = table_counts(study.path)
    report = study.import_files([tmp_path / "informant_7.txt"])
    assert report.imported == []
    assert "already imported" in report.skipped[0][1]
    after = table_counts(study.path)
    assert {k: v for k, v in after.items() if k != "events"} == {k: v for k, v in before.items() if k != "events"}


def test_one_bad_file_imports_nothing(study: Study, tmp_path: Path):
    good = tmp_path / "informant_9.txt"
    good.write_text("Interviewer: Hello?\n\nInformant: Hello.\n", encoding="utf-8")
    empty = tmp_path / "informant_10.txt"
    empty.write_text("", encoding="utf-8")
    before = table_counts(study.path)
    with pytest.raises(InputError, match="informant_10.txt"):
        study.import_files([good, empty])
    assert table_counts(study.path) == before


def test_a_changed_transcript_with_the_same_name_is_refused(study: Study, tmp_path: Path):
    changed = tmp_path / "again" / "informant_7.txt"
    changed.parent.mkdir()
    changed.write_text(INTERVIEW + "\nInterviewer: One more thing.\n", encoding="utf-8")
    with pytest.raises(InputError, match="different transcript named 'informant_7'"):
        study.import_files([changed])


def test_cases_file_with_shared_case(tmp_path: Path):
    for name in ("a_part1", "a_part2"):
        (tmp_path / f"{name}.txt").write_text(f"Interviewer: Q {name}?\n\nInformant: A {name}.\n", encoding="utf-8")
    (tmp_path / "cases.csv").write_text(
        "transcript,case,size\na_part1,Informant A,smaller\na_part2,Informant A,smaller\n", encoding="utf-8"
    )
    with Study.create(tmp_path / "s.db") as s:
        s.import_files([tmp_path / "a_part1.txt", tmp_path / "a_part2.txt"], cases_file=tmp_path / "cases.csv")
        assert s.cases() == {"Informant A": {"size": "smaller"}}
        assert {t.case for t in s.transcripts()} == {"Informant A"}


def test_codebook_loads_as_tree_and_merges_by_path(study: Study, tmp_path: Path):
    paths = [t.path for t in study.themes()]
    assert paths == [
        "Trust and confidence",
        "Trust and confidence/Agreements matter",
        "Collaboration",
        "Collaboration/Organisational inertia",
    ]
    start, end = study.find_passage("informant_7", "Trust takes time.")
    study.code("informant_7", "Collaboration/Organisational inertia", start, end)
    (tmp_path / "v2.yaml").write_text(
        "themes:\n  - name: Trust and confidence\n    color: red\n  - name: Identity\n    key: '4'\n", encoding="utf-8"
    )
    report = study.load_codebook(tmp_path / "v2.yaml")
    assert report.added == ["Identity"]
    assert report.updated == [("Trust and confidence", ["color"])]
    assert ("Collaboration/Organisational inertia", 1) in report.kept
    assert study.theme("Trust and confidence").color == "#ff0000"
    assert len(study.themes()) == 5


def test_a_broken_codebook_changes_nothing(study: Study, tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("themes:\n  - name: A\n  - name: A\n", encoding="utf-8")
    before = table_counts(study.path)
    with pytest.raises(InputError, match="bad.yaml:3"):
        study.load_codebook(bad)
    assert table_counts(study.path) == before


def test_export_codebook_round_trips(study: Study, tmp_path: Path):
    exported = tmp_path / "exported.yaml"
    exported.write_text(study.export_codebook(), encoding="utf-8")
    with Study.create(tmp_path / "other.db") as other:
        other.load_codebook(exported)
        assert [(t.path, t.color, t.key, t.description) for t in other.themes()] == [
            (t.path, t.color, t.key, t.description) for t in study.themes()
        ]


def test_code_by_text_and_offsets(study: Study):
    start, end = study.find_passage("informant_7", "we could not manage it ourselves")
    result = study.code("informant_7", "Trust and confidence/Agreements matter", start, end)
    assert result.created
    assert result.coding.text == "we could not manage it ourselves"
    assert study.transcript_text("informant_7")[result.coding.start : result.coding.end] == result.coding.text
    again = study.code("informant_7", "trust and confidence/agreements matter", start, end)
    assert not again.created and again.coding.id == result.coding.id
    assert study.code("informant_7", "Agreements matter", start, end).coding.id == result.coding.id


def test_code_errors_say_what_is_wrong(study: Study):
    with pytest.raises(WorkbenchError, match="not found"):
        study.find_passage("informant_7", "words nobody said")
    with pytest.raises(WorkbenchError, match="occurs 2 times"):
        study.find_passage("informant_7", "Interviewer:")
    assert study.find_passage("informant_7", "Interviewer:", occurrence=2)[0] > 0
    with pytest.raises(WorkbenchError, match="outside"):
        study.code("informant_7", "Collaboration", 10, 10_000)
    with pytest.raises(NotFoundError, match="no theme"):
        study.code("informant_7", "Nope", 0, 5)
    with pytest.raises(NotFoundError, match="no transcript"):
        study.code("informant_99", "Collaboration", 0, 5)


def test_offsets_are_code_points(tmp_path: Path):
    (tmp_path / "sv.txt").write_text(
        "Intervjuare: Hur gick det?\n\nInformant: Förtroende är allt. 😀 Avtal gäller.\n", encoding="utf-8"
    )
    with Study.create(tmp_path / "s.db") as s:
        s.import_files([tmp_path / "sv.txt"])
        s.add_theme("Förtroende")
        start, end = s.find_passage("sv", "Avtal gäller.")
        coding = s.code("sv", "Förtroende", start, end).coding
        assert s.transcript_text("sv")[coding.start : coding.end] == "Avtal gäller."
        assert coding.start == s.transcript_text("sv").index("Avtal")


def test_quotes_filter_by_theme_attribute_and_selection(study: Study):
    a = study.code(
        "informant_7",
        "Trust and confidence/Agreements matter",
        *study.find_passage("informant_7", "Agreements matter, you know."),
    ).coding
    b = study.code("informant_2", "Trust and confidence", *study.find_passage("informant_2", "Trust is earned.")).coding
    c = study.code(
        "informant_2", "Collaboration", *study.find_passage("informant_2", "we could not manage it ourselves")
    ).coding
    assert {q.id for q in study.quotes(theme="Trust and confidence")} == {a.id, b.id}
    assert [q.id for q in study.quotes(where={"size": {"smaller"}})] == [a.id]
    assert {q.id for q in study.quotes(where={"cluster": {"a", "b"}})} == {a.id, b.id, c.id}
    study.select(b.id, comment="We read this as earned trust.")
    selected = study.quotes(selected_only=True)
    assert [(q.id, q.comment, q.position) for q in selected] == [(b.id, "We read this as earned trust.", 1)]
    assert selected[0].attributes == {"informant": "2", "size": "larger", "cluster": "A"}
    with pytest.raises(WorkbenchError, match="no case has an attribute 'colour'"):
        study.quotes(where={"colour": {"x"}})


def test_select_orders_within_a_theme_and_deselect_keeps_comment(study: Study):
    ids = []
    for passage in ("Trust takes time.", "Agreements matter, you know.", "everyone was relieved"):
        ids.append(
            study.code("informant_7", "Trust and confidence", *study.find_passage("informant_7", passage)).coding.id
        )
    for coding_id in ids:
        study.select(coding_id)
    assert [q.id for q in study.quotes(selected_only=True)] == ids
    study.select(ids[2], position=1)
    assert [q.id for q in study.quotes(selected_only=True)] == [ids[2], ids[0], ids[1]]
    assert [q.position for q in study.quotes(selected_only=True)] == [1, 2, 3]
    study.select(ids[0], comment="keep me")
    study.select(ids[0], selected=False)
    remaining = study.quotes(selected_only=True)
    assert [(q.id, q.position) for q in remaining] == [(ids[2], 1), (ids[1], 2)]
    assert study.quote(ids[0]).comment == "keep me"


def test_moves_renumber_as_a_whole_renumbering_does_and_undo_puts_each_back(study: Study):
    """Random moves, selections and deselections among one theme's quotes: the positions are
    1, 2, 3 ... in the order asked for, a move writes only the quotes whose number changes, and
    undoing each step in turn gives back every earlier order."""
    import random

    rng = random.Random(3)
    text = study.transcript_text("informant_7")
    assert len(text) > 200
    ids = [study.code("informant_7", "Collaboration", i * 20, i * 20 + 10).coding.id for i in range(8)]
    steps = []  # the order before each step

    def order():
        return [(q.id, q.position) for q in study.quotes(theme="Collaboration", selected_only=True)]

    def last_event():
        return study._db.execute("SELECT max(id) FROM events").fetchone()[0]

    for coding_id in ids[:6]:
        study.select(coding_id)
    for _ in range(40):
        coding_id, step = rng.choice(ids), rng.random()
        before = [i for i, _ in order()]
        events_before = last_event()
        updates: set[str] = set()  # (SQLite traces a statement again for each trigger it runs)
        study._db.conn.set_trace_callback(
            lambda sql, updates=updates: updates.add(sql) if sql.startswith("UPDATE quotes SET position") else None
        )
        try:
            if step < 0.6 and coding_id in before:
                target = rng.randrange(1, len(before) + 1)
                study.select(coding_id, position=target)
                expected = [i for i in before if i != coding_id]
                expected.insert(target - 1, coding_id)
                assert len(updates) == sum(1 for a, b in zip(before, expected) if a != b)
            else:
                study.select(coding_id, selected=coding_id not in before)
                expected = [i for i in before if i != coding_id] + ([coding_id] if coding_id not in before else [])
        finally:
            study._db.conn.set_trace_callback(None)
        if last_event() != events_before:  # a step that changed nothing is not an event to undo
            steps.append([(i, n) for n, i in enumerate(before, start=1)])
        assert order() == [(i, n) for n, i in enumerate(expected, start=1)]
    while steps:
        study.undo()
        assert order() == steps.pop()


def test_elided_form_must_come_from_the_passage(study: Study):
    coding = study.code(
        "informant_7", "Collaboration", *study.find_passage("informant_7", "Well, we could not manage it ourselves.")
    ).coding
    quote = study.select(coding.id, elided="Well, [...] manage it ourselves.")
    assert quote.elided == "Well, [...] manage it ourselves."
    with pytest.raises(WorkbenchError, match="not in the passage"):
        study.select(coding.id, elided="Well, [...] we manage it easily.")
    assert study.quote(coding.id).elided == "Well, [...] manage it ourselves."


def test_uncode_removes_coding_and_quote_and_logs_it(study: Study):
    coding = study.code("informant_7", "Collaboration", *study.find_passage("informant_7", "Trust takes time.")).coding
    study.select(coding.id, comment="x")
    study.uncode(coding.id)
    assert study.quotes() == []
    with pytest.raises(NotFoundError):
        study.uncode(coding.id)
    actions = [e["action"] for e in study.events()]
    assert actions[:3] == ["uncode", "select", "code"]


def test_stats_counts_codings_and_informants_by_attribute(study: Study):
    for transcript, passage, theme in [
        ("informant_7", "Trust takes time.", "Trust and confidence"),
        ("informant_7", "Agreements matter, you know.", "Trust and confidence/Agreements matter"),
        ("informant_2", "Trust is earned.", "Trust and confidence"),
        ("informant_2", "Agreements matter, you know.", "Trust and confidence"),
    ]:
        study.code(transcript, theme, *study.find_passage(transcript, passage))
    rows, values = study.stats(by="size")
    assert values == ["larger", "smaller"]
    trust = next(r for r in rows if r.theme.path == "Trust and confidence")
    assert (trust.codings, trust.informants) == (3, 2)
    assert (trust.codings_total, trust.informants_total) == (4, 2)
    assert trust.by_value == {"larger": (2, 1), "smaller": (2, 1)}  # sub-themes included
    with pytest.raises(WorkbenchError, match="no case has an attribute"):
        study.stats(by="colour")


def test_memos_and_case_attributes(study: Study):
    study.set_memo("study", None, "Eight interviews.")
    study.set_memo("theme", "Trust and confidence", "Trust was everywhere.")
    assert study.memo("study") == "Eight interviews."
    assert study.memo("theme", "trust and confidence") == "Trust was everywhere."
    study.set_memo("theme", "Trust and confidence", "")
    assert study.memo("theme", "Trust and confidence") is None
    assert study.set_case_attributes("informant_7", {"size": "larger", "cluster": ""}) == {
        "informant": "7",
        "size": "larger",
    }


def test_every_change_is_all_or_nothing(study: Study, monkeypatch):
    """A failure half-way through a command leaves the file as it was."""
    before = table_counts(study.path)

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(study, "_set_attributes", explode)
    new = study.path.parent / "informant_5.txt"
    new.write_text("Interviewer: A?\n\nInformant: B.\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        study.import_files([new])
    assert table_counts(study.path) == before


def test_import_texts_and_code_many_for_exchange_formats(tmp_path: Path):
    from workbench.domain.transcript_text import parse_plain_text
    from workbench.study import ImportItem

    parsed = parse_plain_text("Interviewer: Hi?\n\nInformant: We share servers. We trust them.\n", "txt")
    with Study.create(tmp_path / "s.db") as s:
        report = s.import_texts([ImportItem("from_qdpx", parsed, "internal://abc.txt", {"size": "smaller"})])
        assert report.imported == ["from_qdpx"] and s.cases()["from_qdpx"] == {"size": "smaller"}
        s.add_theme("Trust")
        start, end = s.find_passage("from_qdpx", "We trust them.")
        ids = s.code_many(
            [
                ("from_qdpx", "Trust", start, end, "anna", "2020-01-01T00:00:00+00:00"),
                ("from_qdpx", "Trust", start, end, "anna", None),
                ("from_qdpx", "Trust", start, end, "bo", None),
            ]
        )
        assert len(ids) == 2
        assert {q.coder for q in s.quotes()} == {"anna", "bo"}
        assert s.coding(ids[0]).created.startswith("2020")
        with pytest.raises(WorkbenchError, match="outside"):
            s.code_many([("from_qdpx", "Trust", 5, 10_000, None, None)])
        assert len(s.quotes()) == 2
