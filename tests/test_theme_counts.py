"""Counts per theme (``Study.stats``, the palette, the chapter) and the cases coded under each
theme (the chapter's write-up checks): one grouped pass over the covering index of schema v2,
checked against a plain recount of every coding on the sample study and on random studies."""

from __future__ import annotations

import random
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from workbench.domain.sorting import natural_key
from workbench.storage import queries
from workbench.study import Study, chapter
from workbench.study.chapter import ChapterSettings, export_chapter
from workbench.tui.theme_counts import ThemeCounts

WORDS = "we could not manage it ourselves the agreement trust security cluster server support budget".split()


# -- references --------------------------------------------------------------------------------


def recount(study: Study, by: str | None = None) -> tuple[list[tuple], list[str]]:
    """Every figure of ``theme_counts``, counted coding by coding in Python."""
    themes = study.themes()
    rows = study._db.execute(
        "SELECT k.theme_id, t.case_id FROM codings k JOIN transcripts t ON t.id = k.transcript_id"
    ).fetchall()
    value_of = (
        dict(
            study._db.execute(
                "SELECT case_id, value FROM case_attributes WHERE key = ? COLLATE NOCASE", [by]
            ).fetchall()
        )
        if by
        else {}
    )
    values = sorted(set(value_of.values()), key=natural_key)
    expected = []
    for theme in themes:
        subtree = {t.id for t in themes if t.path == theme.path or t.path.startswith(theme.path + "/")}
        own = [case for theme_id, case in rows if theme_id == theme.id]
        total = [case for theme_id, case in rows if theme_id in subtree]
        split = (
            {
                v: (sum(1 for c in total if value_of.get(c) == v), len({c for c in total if value_of.get(c) == v}))
                for v in values
            }
            if by
            else {}
        )
        # A transcript without a case is not an informant of the theme itself (count DISTINCT
        # leaves NULL out) but is one in the totals: that is how the counts have always been.
        expected.append(
            (theme.path, len(own), len({c for c in own if c is not None}), len(total), len(set(total)), split)
        )
    return expected, values


def counted(study: Study, by: str | None = None) -> tuple[list[tuple], list[str]]:
    rows, values = study.stats(by) if by else study.stats()
    return [
        (r.theme.path, r.codings, r.informants, r.codings_total, r.informants_total, r.by_value) for r in rows
    ], values


def theme_counts_before(db, themes, by=None):
    """``theme_counts`` as it was before schema v2 (two queries), kept to compare with."""
    own = {
        r["theme_id"]: (r["n"], r["cases"])
        for r in db.query(
            """SELECT k.theme_id, count(*) AS n, count(DISTINCT t.case_id) AS cases
           FROM codings k JOIN transcripts t ON t.id = k.transcript_id GROUP BY k.theme_id"""
        )
    }
    per_case: dict[int, dict[int, int]] = defaultdict(dict)
    for r in db.query("""SELECT k.theme_id, t.case_id, count(*) AS n FROM codings k
                         JOIN transcripts t ON t.id = k.transcript_id GROUP BY k.theme_id, t.case_id"""):
        per_case[r["theme_id"]][r["case_id"]] = r["n"]
    values, case_value = [], {}
    if by is not None:
        for r in db.query("SELECT case_id, value FROM case_attributes WHERE key = ? COLLATE NOCASE", [by]):
            case_value[r["case_id"]] = r["value"]
        values = sorted(set(case_value.values()), key=natural_key)
    rows = []
    for theme in themes:
        codings, informants = own.get(theme.id, (0, 0))
        cases_total: dict[int, int] = defaultdict(int)
        for tid in queries.descendant_ids(themes, theme.id):
            for case_id, n in per_case.get(tid, {}).items():
                cases_total[case_id] += n
        split = {}
        for value in values:
            in_value = [c for c in cases_total if case_value.get(c) == value]
            split[value] = (sum(cases_total[c] for c in in_value), len(in_value))
        rows.append((theme.path, codings, informants, sum(cases_total.values()), len(cases_total), split))
    return rows, values


def cases_under_paths_before(study: Study) -> dict[str, set[str]]:
    """The chapter's "cases coded under each theme path" as it was: a walk over every quote."""
    paths_above: dict[str, set[str]] = defaultdict(set)
    for quote in study.quotes():
        parts = quote.theme.split("/")
        for depth in range(1, len(parts) + 1):
            paths_above["/".join(parts[:depth])].add(quote.case or quote.transcript)
    return dict(paths_above)


# -- a random study ----------------------------------------------------------------------------


def build_random_study(folder: Path, seed: int) -> Path:
    """Transcripts (some sharing a case, some cases without every attribute), a codebook three
    levels deep with themes never used, random codings by two coders, some of them selected."""
    rng = random.Random(seed)
    files, cases = [], {}
    for n in range(rng.randint(3, 9)):
        name = f"t{n}"
        turns = [
            f"{'Interviewer' if i % 2 == 0 else 'Informant'}: " + " ".join(rng.choices(WORDS, k=rng.randint(8, 60)))
            for i in range(rng.randint(4, 20))
        ]
        (folder / f"{name}.txt").write_text("\n\n".join(turns) + "\n", encoding="utf-8")
        files.append(folder / f"{name}.txt")
        attrs = {"case": f"case {rng.randint(1, 5)}", "cluster": rng.choice("ABC")}
        if rng.random() < 0.8:
            attrs["Size"] = rng.choice(["smaller", "larger", "10", "9"])
        cases[name] = attrs
    (folder / "cases.yaml").write_text(yaml.safe_dump(cases), encoding="utf-8")
    path = folder / "study.db"
    with Study.create(path, coder="anna") as study:
        study.import_files(files, folder / "cases.yaml")
        paths = []
        for t in range(rng.randint(1, 4)):
            study.add_theme(f"T{t}")
            paths.append(f"T{t}")
            for s in range(rng.randint(0, 3)):
                study.add_theme(f"S{s}", parent=f"T{t}")
                paths.append(f"T{t}/S{s}")
                for u in range(rng.randint(0, 2)):
                    study.add_theme(f"U{u}", parent=f"T{t}/S{s}")
                    paths.append(f"T{t}/S{s}/U{u}")
        used = rng.sample(paths, max(1, len(paths) * 3 // 4))
        texts = {t.name: len(study.transcript_text(t.name)) for t in study.transcripts()}
        rows = []
        for _ in range(rng.randint(50, 400)):
            name = rng.choice(sorted(texts))
            start = rng.randrange(0, texts[name] - 1)
            end = min(texts[name], start + rng.randint(1, 200))
            rows.append((name, rng.choice(used), start, end, rng.choice(["anna", "ben"]), None))
        ids = study.code_many(rows)
        for coding_id in rng.sample(ids, min(len(ids), rng.randint(1, 25))):
            study.select(coding_id, comment=rng.choice([None, "We read this as trust."]))
    return path


def code_in_a_transcript_without_a_case(db, theme_id: int) -> None:
    """A transcript with no case (written straight into the file) and one coding of it."""
    with db.conn:
        db.execute(
            "INSERT INTO transcripts (name, text, content_hash, imported_at) "
            "VALUES ('no case', 'no case here at all', 'x', '2026-01-01')"
        )
        transcript_id = db.execute("SELECT id FROM transcripts WHERE name = 'no case'").fetchone()[0]
        db.execute(
            "INSERT INTO codings (transcript_id, theme_id, start, end, coder, created, text) "
            "VALUES (?, ?, 0, 2, 'anna', '2026-01-01', 'no')",
            [transcript_id, theme_id],
        )


@pytest.fixture(params=[1, 2, 3, 4, 5])
def random_study(request, tmp_path: Path):
    with Study.open(build_random_study(tmp_path, request.param)) as study:
        yield study


@pytest.fixture
def study(study_path: Path):
    with Study.open(study_path) as opened:
        yield opened


# -- counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("by", [None, "size", "cluster", "SIZE"])
def test_counts_of_the_sample_study_are_a_recount(study: Study, by):
    assert counted(study, by) == recount(study, by)
    assert counted(study, by) == theme_counts_before(study._db, study.themes(), by)


@pytest.mark.parametrize("by", [None, "size", "cluster"])
def test_counts_of_a_random_study_are_a_recount(random_study: Study, by):
    assert counted(random_study, by) == recount(random_study, by)
    assert counted(random_study, by) == theme_counts_before(random_study._db, random_study.themes(), by)


def test_a_transcript_without_a_case_counts_as_before(random_study: Study):
    db = random_study._db
    theme = random_study.themes()[-1]
    code_in_a_transcript_without_a_case(db, theme.id)
    for by in (None, "size"):
        assert counted(random_study, by) == recount(random_study, by)
        assert counted(random_study, by) == theme_counts_before(db, random_study.themes(), by)
    assert "no case" in queries.coded_cases_by_theme(db)[theme.id]
    assert chapter._cases_under_paths(random_study, random_study.themes()) == cases_under_paths_before(random_study)


def palette_counts(study: Study) -> dict[int, tuple[int, int]]:
    """Each coded theme's own codings and informants, recounted in Python."""
    expected = {path: (own, informants) for path, own, informants, *_ in recount(study)[0]}
    return {t.id: expected[t.path] for t in study.themes() if expected[t.path][0]}


def test_the_counts_of_some_themes_alone_are_a_recount(random_study: Study):
    """What the palette counts again after a change: some themes' codings, anywhere or in one
    transcript, on top of what it counted before."""
    counts = ThemeCounts()
    assert counts.counts(random_study) == palette_counts(random_study)
    themes = random_study.themes()
    for some in ({t.id for t in themes}, {themes[0].id}, {themes[-1].id, themes[0].id}):
        assert counts.counts(random_study, some) == palette_counts(random_study)
        for transcript in random_study.transcripts():
            assert counts.counts(random_study, some, transcript.name) == palette_counts(random_study)


def test_the_counts_of_a_theme_coded_in_a_transcript_without_a_case(random_study: Study):
    counts = ThemeCounts()
    counts.counts(random_study)
    theme = random_study.themes()[0]
    code_in_a_transcript_without_a_case(random_study._db, theme.id)
    counts.forget()  # written straight into the file by this connection: a change of unknown reach
    assert counts.counts(random_study) == palette_counts(random_study)
    with random_study._db.conn:
        random_study._db.execute(
            "DELETE FROM codings WHERE transcript_id = (SELECT id FROM transcripts WHERE name = 'no case')"
        )
    assert counts.counts(random_study, {theme.id}, "no case") == palette_counts(random_study)


def test_counting_one_themes_codings_in_one_transcript_reads_only_those_entries(study: Study):
    plans = []
    study._db.conn.set_trace_callback(lambda sql: plans.append(sql))
    try:
        study.codings_per_transcript({1, 2}, "informant_1")
    finally:
        study._db.conn.set_trace_callback(None)
    counting = next(sql for sql in plans if "count(*)" in sql)
    plan = " ".join(r[3] for r in study._db.execute("EXPLAIN QUERY PLAN " + counting))
    assert plan == ("SEARCH codings USING COVERING INDEX idx_codings_theme_transcript (theme_id=? AND transcript_id=?)")


def test_counting_reads_the_codings_once_through_the_covering_index(study: Study):
    plan = " ".join(
        r[3]
        for r in study._db.execute(
            "EXPLAIN QUERY PLAN SELECT theme_id, transcript_id, count(*) FROM codings GROUP BY theme_id, transcript_id"
        )
    )
    assert plan == "SCAN codings USING COVERING INDEX idx_codings_theme_transcript"
    statements: list[str] = []
    study._db.conn.set_trace_callback(statements.append)
    try:
        study.stats(by="size")
    finally:
        study._db.conn.set_trace_callback(None)
    assert len([s for s in statements if "FROM codings" in s]) == 1


# -- the chapter -------------------------------------------------------------------------------


def test_cases_under_each_theme_path_are_as_the_quotes_say(study: Study):
    assert chapter._cases_under_paths(study, study.themes()) == cases_under_paths_before(study)


def test_cases_under_each_theme_path_of_a_random_study(random_study: Study):
    assert chapter._cases_under_paths(random_study, random_study.themes()) == cases_under_paths_before(random_study)


@pytest.mark.parametrize("everything", [False, True])
def test_the_chapter_loads_only_the_quotes_it_shows(random_study: Study, monkeypatch, everything: bool):
    calls = []
    original = Study.quotes

    def quotes(self, *args, **kwargs):
        result = original(self, *args, **kwargs)
        calls.append((args, kwargs, len(result)))
        return result

    monkeypatch.setattr(Study, "quotes", quotes)
    result = export_chapter(
        random_study, ChapterSettings.from_yaml(f"all: {str(everything).lower()}\ncompare: size\n"), remember=False
    )
    total = random_study._db.execute("SELECT count(*) FROM codings").fetchone()[0]
    selected = random_study._db.execute("SELECT count(*) FROM quotes WHERE selected").fetchone()[0]
    assert [n for _args, _kwargs, n in calls] == [total if everything else selected]
    assert result.quotes == (total if everything else selected)
