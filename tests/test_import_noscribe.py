"""noScribe HTML transcripts (the real file in ../shared/data) and other HTML pages.

The segments the tests expect are read from the file with a different method than the importer
uses (regular expressions over the raw markup, where the importer walks html.parser's events),
so a mistake in one is not repeated in the other.
"""

from __future__ import annotations

import html
import re

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.errors import InputError
from workbench.interop.transcripts import read_transcript
from workbench.study import Study

ANCHOR = re.compile(r'<a name="ts_(\d+)_(\d+)_([^"]*)"\s*>(.*?)</a>', re.DOTALL)


def raw_segments(path):
    """(start ms, end ms, speaker as in the anchor, words) for every anchor, straight from the markup."""
    found = []
    for start, end, speaker, inner in ANCHOR.findall(path.read_text(encoding="utf-8")):
        words = html.unescape(re.sub(r"<span[^>]*>\[[\d:]+\]</span>", " ", inner))
        words = re.sub(r"<[^>]+>", "", words)
        words = " ".join(words.split())
        words = re.sub(r"^(//)?\s*(S\d\d)\s*:\s*", "", words)  # the label
        words = re.sub(r"^//\s*|\s*//$", "", words).strip()  # the marks of overlapping speech
        found.append((int(start), int(end), speaker, words))
    return found


@pytest.fixture
def noscribe(shared_data):
    return shared_data / "transcripts" / "noscribe_interview_de.html"


@pytest.fixture
def imported(noscribe, tmp_path):
    path = tmp_path / "s.db"
    with Study.create(path) as study:
        report = study.import_files([noscribe])
        yield study, report


def test_every_segment_lands_in_a_turn_of_its_speaker_and_time(noscribe, imported):
    study, report = imported
    name = noscribe.stem
    assert report.imported == [name]
    text = study.transcript_text(name)
    turns = study.turns(name)
    segments = raw_segments(noscribe)
    assert len(segments) == noscribe.read_text(encoding="utf-8").count('<a name="ts_') == 249
    cursor, previous = 0, None
    checked = 0
    for start, end, speaker, words in segments:
        if not words:
            continue
        at = text.find(words, cursor)
        assert at != -1, (start, words)
        cursor = at + len(words)
        turn = next(t for t in turns if t.start <= at < t.end)
        assert turn.end >= cursor, (start, words)  # the whole segment is in the one turn
        expected = speaker.lstrip("/") or (previous.speaker if previous else None)
        assert turn.speaker == expected, (start, speaker, words)
        assert turn.time_start <= start / 1000 <= turn.time_end, (start, turn)
        assert turn.time_start <= max(start, end) / 1000 <= turn.time_end, (end, turn)
        previous = turn
        checked += 1
    assert checked == sum(1 for s in segments if s[3])
    assert checked > 240


def test_overlapping_speech_is_kept_as_written_and_is_a_turn_of_its_speaker(noscribe, imported):
    study, _ = imported
    text = study.transcript_text(noscribe.stem)
    turns = study.turns(noscribe.stem)
    raw = noscribe.read_text(encoding="utf-8")
    opened = len(re.findall(r'name="ts_\d+_\d+_//S\d\d"\s*>\s*//S\d\d:', raw))
    assert opened == text.count("//S0")  # every overlap written where noScribe wrote it
    overlaps = [t for t in turns if re.search(r"//S\d\d: $", text[: t.start])]
    assert len(overlaps) == opened
    for turn in overlaps:
        label = re.search(r"//(S\d\d): $", text[: turn.start]).group(1)
        assert turn.speaker == label
    assert "//S02: Ist das herrlich.// Ich kann das gar nicht in Worte fassen." in text
    assert "[00:00:12]" not in text  # the grey timestamps are the turns' times now


def test_the_header_is_the_transcripts_memo(noscribe, imported):
    study, _ = imported
    memo = study.memo("transcript", noscribe.stem)
    assert memo.splitlines()[0] == "Ein Gespräch mit Heikedine Körting l Die EUROPA Hörspiel-Königing"
    assert "Transcribed with noScribe vers. 0.7" in memo
    assert "Audio file: ./Ein Gespräch mit Heikedine Körting l Die EUROPA Hörspiel-Königing.mp3" in memo
    assert "Language: English (en) | Speaker detection: auto" in memo
    text = study.transcript_text(noscribe.stem)
    assert "Transcribed with noScribe" not in text and text.startswith("(12 seconds pause)")


def test_a_segment_ending_before_it_starts_is_reported(noscribe):
    parsed = read_transcript(noscribe)
    assert len(parsed.warnings) == 1 and "ts_737141_735168_S01" in parsed.warnings[0]
    assert parsed.turns[-1].time_end == 737.141


def test_newer_label_form_and_a_renamed_speaker(tmp_path):
    page = tmp_path / "edited.html"
    page.write_text(
        '<html><head><meta name="audio_source" content="a.mp3"/></head><body>'
        "<p>a</p><p><span>Transkribiert mit noScribe</span></p>"
        '<p><a name="ts_1000_2000_S00">Interviewer <span style="color: #78909C">[00:00:01]</span>: Hallo.</a>'
        '<a name="ts_2000_3000_S00"> Wie geht es?</a></p>'
        '<p><a name="ts_3000_4000_S01">S01: Gut &amp; dir?</a><a name="ts_4000_4500_//S00"> //Interviewer: Ja.//</a></p>'
        '<p><a name="ts_5000_6000_S00">Interviewer: Danke.</a> Nachtrag ohne Anker.</p>'
        "</body></html>",
        encoding="utf-8",
    )
    parsed = read_transcript(page)
    assert parsed.format == "noscribe"
    spoken = [(t.speaker, parsed.text[t.start : t.end], t.time_start, t.time_end) for t in parsed.turns]
    assert spoken == [
        ("Interviewer", "Hallo. Wie geht es?", 1.0, 3.0),
        ("S01", "Gut & dir?", 3.0, 4.0),
        ("Interviewer", "Ja.", 4.0, 4.5),
        ("Interviewer", "Danke. Nachtrag ohne Anker.", 5.0, 6.0),
    ]
    assert parsed.memo == "a\nTranskribiert mit noScribe\nAudio file: a.mp3"


def test_other_html_is_a_plain_document_and_taguettes_tag_labels_are_left_out(tmp_path):
    page = tmp_path / "interview_3.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>interview_3</title><style>.taglist{}</style>"
        "<script>alert('x')</script></head><body><h1>interview_3</h1>"
        "<p>I: How did it <span class='highlight'>start?</span><span class='taglist'> [Origins]</span></p>"
        "<p>R: With a phone call.<br>Then a meeting.</p></body></html>",
        encoding="utf-8",
    )
    parsed = read_transcript(page)
    assert parsed.format == "html"
    assert parsed.text == "I: How did it start?\n\nR: With a phone call.\nThen a meeting."
    assert [t.speaker for t in parsed.turns] == ["I", "R"]
    assert any("1 tag label(s)" in w for w in parsed.warnings)
    # A Taguette export of a document without highlights: its name is still not interview text.
    page.write_text(
        "<html><head><title>interview_3</title><style>.highlight {} .taglist {}</style></head>"
        "<body><h1>interview_3</h1><p>I: Hello.</p></body></html>",
        encoding="utf-8",
    )
    assert read_transcript(page).text == "I: Hello."
    # Any other page keeps a heading like its title.
    page.write_text("<html><head><title>A</title></head><body><h1>A</h1><p>I: Hello.</p></body></html>", "utf-8")
    assert read_transcript(page).text == "A\n\nI: Hello."


def test_html_without_text_is_refused_on_one_line(tmp_path):
    page = tmp_path / "empty.html"
    page.write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_transcript(page)
    assert "no transcript text" in str(info.value) and "\n" not in str(info.value)


def test_cli_imports_the_noscribe_file(noscribe, tmp_path):
    study = tmp_path / "s.db"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(study)]).exit_code == 0
    result = runner.invoke(main, ["import", str(study), str(noscribe)])
    assert result.exit_code == 0, result.output
    assert "imported 1 transcript(s)" in result.output
    result = runner.invoke(main, ["transcripts", str(study), "--json"])
    assert '"format": "noscribe"' in result.output


def test_a_pseudonym_map_reaches_the_memo_too(noscribe, tmp_path):
    study = tmp_path / "s.db"
    names = tmp_path / "map.yaml"
    names.write_text("Heikedine Körting: '[Informantin]'\nKörting: '[K.]'\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(study)]).exit_code == 0
    result = runner.invoke(main, ["import", str(study), str(noscribe), "--pseudonyms", str(names)])
    assert result.exit_code == 0, result.output
    with Study.open(study) as s:
        memo, text = s.memo("transcript", noscribe.stem), s.transcript_text(noscribe.stem)
    assert "Körting" not in memo and "Körting" not in text
    assert memo.startswith("Ein Gespräch mit [Informantin] l Die EUROPA")
    assert "Die Frau [K.] geht hier zum Zug." in text
