"""Search across transcripts: `workbench search` against an independent count with Python's `re`,
on the sample transcripts stored as NFC and as NFD; coding all hits and undoing; the matcher."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.cli import main
from workbench.domain.text_search import FoldedText, Matcher, SearchOptions, _fold, sentence_span
from workbench.errors import WorkbenchError
from workbench.resources import codebooks_dir, sample_data_dir
from workbench.study import Study

# A transcript of our own: a phrase across a line break, Swedish letters, a hyphenated word and
# a speaker label that contains a searched word (labels are not searched).
MEETING = """Intervjuare: Hur ser ni på avtal och förtroende?

Informant: Vi har förtroende för
varandra, och avtalen är viktiga. Förtroende   för varandra kommer först! Ett IT-avtal hjälper.
Å andra sidan: ÅTERKOMMER vi till det.

Intervjuare: Och Förtroende, som ni kallar gruppen?

Förtroende: Vi är gruppen. Ja.

Informant: Precis.

Förtroende: Mer sägs inte.
"""
# (command-line arguments, the same search written independently as a Python regular expression)
PATTERNS = [
    (["för", "--word"], r"(?<!\w)för(?!\w)"),
    (["här"], r"här"),
    (["IT-enheten"], r"it-enheten"),
    (["IT-avtal", "--word"], r"(?<!\w)it-avtal(?!\w)"),
    (["å", "--word"], r"(?<!\w)å(?!\w)"),
    (["förtroende för varandra"], r"förtroende\s+för\s+varandra"),
    (["återkommer"], r"återkommer"),
    (["trust"], r"trust"),
    (["kommun"], r"kommun"),
    (["IT", "--case-sensitive", "--word"], r"(?-i:(?<!\w)IT(?!\w))"),
    (["s[aä]\\w+", "--regex"], r"s[aä]\w+"),
    (["for", "--word", "--ignore-accents"], r"(?<!\w)f[oö]r(?!\w)"),
    (["kommunen", "--word"], r"(?<!\w)kommunen(?!\w)"),
]


def run(*args, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def build_study(folder: Path, form: str) -> Path:
    """The sample transcripts (plain text ones) and MEETING, written in Unicode form ``form``, imported."""
    folder.mkdir()
    files = []
    for source in sorted((sample_data_dir() / "transcripts").glob("*.txt")):
        target = folder / source.name
        target.write_text(unicodedata.normalize(form, source.read_text(encoding="utf-8")), encoding="utf-8")
        files.append(target)
    meeting = folder / "meeting.txt"
    meeting.write_text(unicodedata.normalize(form, MEETING), encoding="utf-8")
    files.append(meeting)
    study = folder / "study.db"
    run("init", study)
    run("import", study, *files, "--cases", sample_data_dir() / "cases.yaml")
    run("codebook", "load", study, codebooks_dir() / "it-collaboration.yaml")
    return study


@pytest.fixture(scope="module")
def studies(tmp_path_factory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("forms")
    return {form: build_study(base / form, form) for form in ("NFC", "NFD")}


def stored(study: Path) -> dict[str, tuple[str, list]]:
    with Study.open(study) as s:
        return {t.name: (s.transcript_text(t.name), s.turns(t.name)) for t in s.transcripts()}


def expected_hits(study: Path, regex: str) -> list[tuple[str, int, int]]:
    """The independent count: ``re`` over each stored (NFC) text, hits beginning in a turn's spoken text."""
    found = []
    for name, (text, turns) in sorted(stored(study).items()):
        assert unicodedata.is_normalized("NFC", text)
        for match in re.finditer(regex, text, re.IGNORECASE):
            if not turns or any(t.start <= match.start() < t.end for t in turns):
                found.append((name, match.start(), match.end()))
    return found


def cli_hits(study: Path, args: list[str]) -> list[dict]:
    data = json.loads(run("search", study, *args, "--json").output)
    assert data["count"] == len(data["hits"]) == sum(data["per_transcript"].values())
    return data["hits"]


def test_the_stored_texts_are_in_the_form_written(studies):
    texts = stored(studies["NFD"])
    assert any(not unicodedata.is_normalized("NFC", text) for text, _turns in texts.values())
    assert all(unicodedata.is_normalized("NFC", text) for text, _turns in stored(studies["NFC"]).values())


@pytest.mark.parametrize(("args", "regex"), PATTERNS, ids=[" ".join(a) for a, _ in PATTERNS])
def test_hits_equal_an_independent_count_on_nfc_and_nfd(studies, args, regex):
    expected = expected_hits(studies["NFC"], regex)
    assert expected, f"the pattern {args} should occur in the sample"
    got_nfc = [(h["transcript"], h["start"], h["end"]) for h in cli_hits(studies["NFC"], args)]
    assert got_nfc == expected
    # The NFD study: the same hits, at the stored NFD positions; composing the text before a hit
    # gives the NFC position, and the hit's own text composes to the NFC hit.
    texts = stored(studies["NFD"])
    nfc_texts = stored(studies["NFC"])
    got_nfd = cli_hits(studies["NFD"], args)
    mapped = []
    for hit in got_nfd:
        text = texts[hit["transcript"]][0]
        assert text[hit["start"] : hit["end"]] == hit["text"]
        start = len(unicodedata.normalize("NFC", text[: hit["start"]]))
        end = len(unicodedata.normalize("NFC", text[: hit["end"]]))
        assert unicodedata.normalize("NFC", hit["text"]) == nfc_texts[hit["transcript"]][0][start:end]
        mapped.append((hit["transcript"], start, end))
    assert mapped == expected


def test_the_phrase_across_a_line_break_and_not_the_speaker_label(studies):
    hits = cli_hits(studies["NFD"], ["förtroende för varandra", "--transcript", "meeting"])
    assert len(hits) == 2
    assert "\n" in hits[0]["text"]
    assert hits[0]["speaker"] == hits[1]["speaker"] == "Informant"
    label_hits = cli_hits(studies["NFC"], ["förtroende", "--transcript", "meeting"])
    text = stored(studies["NFC"])["meeting"][0]
    in_text = [m.start() for m in re.finditer("förtroende", text, re.IGNORECASE)]
    assert len(in_text) == len(label_hits) + 2  # the labels "Förtroende:" are not searched
    assert cli_hits(studies["NFC"], ["gruppen", "--speaker", "FÖRTROENDE"])[0]["speaker"] == "Förtroende"


def test_filters_speaker_where_transcript_uncoded_and_coded_with(studies, tmp_path):
    study = studies["NFC"]
    everything = cli_hits(study, ["the"])
    only_interviewers = cli_hits(study, ["the", "--speaker", "interviewer"])
    assert 0 < len(only_interviewers) < len(everything)
    assert {h["speaker"].casefold() for h in only_interviewers} == {"interviewer"}
    smaller = cli_hits(study, ["the", "--where", "size=smaller"])
    assert smaller and {h["attributes"]["size"] for h in smaller} == {"smaller"}
    assert len(smaller) == sum(1 for h in everything if h["attributes"].get("size") == "smaller")
    one = cli_hits(study, ["the", "--transcript", "informant_1"])
    assert one and {h["transcript"] for h in one} == {"informant_1"}
    # Code two hits, then --coded-with finds exactly them and --uncoded the rest.
    copy = tmp_path / "copy.db"
    with Study.open(study) as s:
        s.save_copy(copy)
        first = one[:2]
    with Study.open(copy) as s:
        for hit in first:
            s.code(hit["transcript"], "Trust and confidence/Agreements matter", hit["start"], hit["end"])
    coded = cli_hits(copy, ["the", "--transcript", "informant_1", "--coded-with", "Trust and confidence"])
    assert [(h["start"], h["end"]) for h in coded] == [(h["start"], h["end"]) for h in first]
    uncoded = cli_hits(copy, ["the", "--transcript", "informant_1", "--uncoded"])
    assert len(uncoded) + len(coded) <= len(one)
    assert not {(h["start"], h["end"]) for h in uncoded} & {(h["start"], h["end"]) for h in first}


def test_summary_counts_per_transcript_and_attribute(studies):
    data = json.loads(run("search", studies["NFC"], "för", "--word", "--json").output)
    per_size = data["per_attribute"]["size"]
    assert sum(per_size.values()) == sum(1 for h in data["hits"] if "size" in h["attributes"])
    shown = run("search", studies["NFC"], "för", "--word").output
    assert f"{data['count']} hit(s) in" in shown
    assert "[för]" in shown or "[För]" in shown


def test_a_bad_regular_expression_is_one_line_and_changes_nothing(studies):
    before = studies["NFC"].read_bytes()
    result = run("search", studies["NFC"], "avtal(", "--regex", ok=False)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and result.output.startswith("error: bad regular expression")
    assert studies["NFC"].read_bytes() == before


def table_dump(study: Path) -> dict[str, list]:
    """Every row of every table that holds the researcher's work."""
    tables = ("cases", "case_attributes", "transcripts", "turns", "themes", "codings", "quotes", "memos")
    with Study.open(study) as s:
        return {t: s._db.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall() for t in tables}


@pytest.mark.parametrize("unit", ["hit", "sentence", "turn"])
def test_coding_all_hits_is_one_step_that_undo_reverses_exactly(studies, tmp_path, unit):
    study = tmp_path / "study.db"
    with Study.open(studies["NFD"]) as s:
        s.save_copy(study)
    theme = "Trust and confidence/Agreements matter"
    # One passage already coded with the theme: it is skipped and said so.
    first = json.loads(run("search", study, "avtal", "--code", theme, "--unit", unit, "--dry-run", "--json").output)
    first = first["coding"]["coded"][0]
    run("code", study, first["transcript"], theme, "--start", first["start"], "--end", first["end"])
    before = table_dump(study)
    dry = json.loads(run("search", study, "avtal", "--code", theme, "--unit", unit, "--dry-run", "--json").output)
    assert table_dump(study) == before
    assert any(item["reason"].startswith("already coded") for item in dry["coding"]["skipped"])
    result = run("search", study, "avtal", "--code", theme, "--unit", unit)
    assert f"coded {len(dry['coding']['coded'])} passage(s)" in result.output
    after = table_dump(study)
    new = [row for row in after["codings"] if row not in before["codings"]]
    assert len(new) == len(dry["coding"]["coded"]) > 0
    with Study.open(study) as s:
        for row in new:
            coded = s.coding(row[0]).text  # (rowid is the coding's id)
            assert "avtal" in unicodedata.normalize("NFC", coded).casefold()
    # Again: everything is skipped now, nothing changes.
    again = run("search", study, "avtal", "--code", theme, "--unit", unit)
    assert "coded 0 passage(s)" in again.output and table_dump(study) == after
    run("undo", study)
    assert table_dump(study) == before


def test_code_text_finds_an_nfc_passage_in_an_nfd_transcript(studies, tmp_path):
    study = tmp_path / "study.db"
    with Study.open(studies["NFD"]) as s:
        s.save_copy(study)
    result = run("code", study, "meeting", "Trust and confidence", "--text", "förtroende för\nvarandra", "--json")
    with Study.open(study) as s:
        coding = s.coding(json.loads(result.output)["id"])
        assert unicodedata.normalize("NFC", coding.text) == "förtroende för\nvarandra"
        assert coding.text != "förtroende för\nvarandra"  # stored as it is, decomposed
        # An elided form typed in NFC is accepted for the NFD passage.
        s.select(coding.id, selected=True, elided="förtroende [...] varandra")
        with pytest.raises(WorkbenchError):
            s.select(coding.id, selected=True, elided="förtroende [...] fiender")


def test_verify_accepts_a_chapter_saved_in_another_normal_form(studies, tmp_path):
    study = tmp_path / "study.db"
    with Study.open(studies["NFD"]) as s:
        s.save_copy(study)
    run(
        "code",
        study,
        "meeting",
        "Trust and confidence",
        "--text",
        "Förtroende   för varandra kommer först!",
        "--select",
    )
    chapter = tmp_path / "chapter.md"
    run("export", "chapter", study, "-o", chapter)
    text = chapter.read_text(encoding="utf-8")
    assert not unicodedata.is_normalized("NFC", text)  # the quote came out decomposed, as stored
    chapter.write_text(unicodedata.normalize("NFC", text), encoding="utf-8")  # an editor saved it composed
    result = run("verify", study, chapter)
    assert "match" in result.output and "no longer" not in result.output


# -- the matcher on its own -------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_folded_positions_map_back_to_whole_stored_characters(form):
    text = unicodedata.normalize(form, "Straße, STRASSE och Ölands ÅÄÖ-fika; İstanbul")
    folded = FoldedText(text)
    for pattern, expect in [
        ("ss", ["ß", "SS"]),
        ("ö", ["Ö", "Ö"]),
        ("åäö-fika", ["ÅÄÖ-fika"]),
        ("i̇stanbul", ["İstanbul"]),
    ]:
        hits = Matcher(SearchOptions(pattern)).find(text)
        assert [unicodedata.normalize("NFC", text[a:b]) for a, b in hits] == expect
    assert len(folded.folded) >= 1


def test_whole_words_and_accents():
    text = "för förtroende for Förr"
    assert len(Matcher(SearchOptions("för", whole_word=True)).find(text)) == 1
    assert len(Matcher(SearchOptions("för")).find(text)) == 3
    assert len(Matcher(SearchOptions("for", whole_word=True, ignore_accents=True)).find(text)) == 2
    with pytest.raises(WorkbenchError, match="empty"):
        Matcher(SearchOptions("  "))


def test_sentence_span_stays_in_its_line_and_turn():
    text = "Ja. Vi har avtal här! Sen inget mer.\nNästa rad."
    start = text.index("avtal")
    assert text[slice(*sentence_span(text, start, start + 5))] == "Vi har avtal här!"
    assert text[slice(*sentence_span(text, start, start + 5, 4, 14))] == "Vi har avt"


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(alphabet="aoöÖåÅsSß İi-\n\u0308\u030a", max_size=60),
    pattern=st.sampled_from(["ö", "å", "ss", "o", "İ", "a-s", "ö å", "s"]),
    whole_word=st.booleans(),
    ignore_accents=st.booleans(),
)
def test_hits_cover_whole_stored_characters_and_hold_the_pattern(text, pattern, whole_word, ignore_accents):
    hits = Matcher(SearchOptions(pattern, whole_word=whole_word, ignore_accents=ignore_accents)).find(text)
    folded_pattern = " ".join(_fold(word, False, ignore_accents) for word in pattern.split())
    for start, end in hits:
        assert 0 <= start < end <= len(text)
        assert not unicodedata.combining(text[start]) or start == 0 or text[start - 1] == "\n"
        assert end == len(text) or not unicodedata.combining(text[end])
        found = " ".join(_fold(text[start:end], False, ignore_accents).split())
        assert folded_pattern in found
    assert hits == sorted(hits) and all(a[1] <= b[0] for a, b in zip(hits, hits[1:], strict=False))
    # The same hits whichever form the text is stored in, once mapped to the composed text.
    composed = unicodedata.normalize("NFC", text)
    if unicodedata.normalize("NFD", composed) == unicodedata.normalize("NFD", text) and text == composed:
        again = Matcher(SearchOptions(pattern, whole_word=whole_word, ignore_accents=ignore_accents))
        decomposed = unicodedata.normalize("NFD", text)
        mapped = [
            (len(unicodedata.normalize("NFC", decomposed[:a])), len(unicodedata.normalize("NFC", decomposed[:b])))
            for a, b in again.find(decomposed)
        ]
        assert mapped == hits


def test_code_hits_skips_whitespace_and_text_changed_since_the_search(studies, tmp_path):
    from workbench.study.search import SearchFilters, code_hits
    from workbench.study.search import search as run_search

    study = tmp_path / "study.db"
    with Study.open(studies["NFC"]) as s:
        s.save_copy(study)
    with Study.open(study) as s:
        spaces = run_search(s, SearchOptions(r"\s+", regex=True), SearchFilters(transcripts=("meeting",))).hits[:2]
        word = run_search(s, SearchOptions("avtal"), SearchFilters(transcripts=("meeting",))).hits[0]
        stale = word._replace(text="något annat")
        report = code_hits(s, [*spaces, stale, word], "Trust and confidence")
        assert [p.skipped for p in report.planned] == [
            "only whitespace",
            "only whitespace",
            "the transcript changed since the search",
            None,
        ]
        assert [(c.start, c.end) for c in s.codings("meeting")] == [(word.start, word.end)]


def test_a_bad_pattern_fails_before_any_matching(studies):
    from workbench.study.search import search_scope

    with Study.open(studies["NFC"]) as s:
        scope = search_scope(s)
        with pytest.raises(WorkbenchError, match="bad regular expression"):
            scope.hits(SearchOptions("(", regex=True))  # not only once iterated
