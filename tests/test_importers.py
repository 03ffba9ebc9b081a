"""Transcript readers on real files from ../shared/data and on small files made here."""

from __future__ import annotations

import re
import zipfile

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.timed_segments import Segment
from workbench.errors import InputError
from workbench.interop import decode
from workbench.interop.transcripts import SUPPORTED_SUFFIXES, read_transcript
from workbench.interop.transcripts.docx import read_docx_paragraphs
from workbench.interop.transcripts.subtitles import parse_srt, parse_vtt


def assert_turns_are_spoken_words(parsed):
    """Every turn is non-empty, ordered, and holds no speaker label."""
    previous_end = 0
    for turn in parsed.turns:
        words = parsed.text[turn.start : turn.end]
        assert words.strip(), turn
        assert words == words.strip()
        assert turn.start >= previous_end
        previous_end = turn.end
        assert not re.match(r"\[[^\]\s]+\]|\*\*", words)
        if turn.speaker:
            assert not words.startswith(f"{turn.speaker}:")
            assert not words.startswith(f"[{turn.speaker}]")
            # The label sits just before the words.
            assert turn.speaker in parsed.text[max(0, turn.start - 60) : turn.start]


def input_error(call, *args) -> InputError:
    with pytest.raises(InputError) as info:
        call(*args)
    assert "\n" not in str(info.value)
    return info.value


# --- real files ---------------------------------------------------------------------------------


def test_qualcoder_transcript(shared_data):
    parsed = read_transcript(shared_data / "transcripts" / "qualcoder_transcript.txt")
    assert parsed.format == "txt"
    assert [t.speaker for t in parsed.turns] == ["id1", "id2", "id3", "id1", "id3", "id1", "id2"]
    assert parsed.text.startswith("[id1] hello, I like the course.")  # stored verbatim
    assert parsed.text[parsed.turns[0].start :].startswith("hello, I like the course.")
    assert parsed.warnings == []
    assert_turns_are_spoken_words(parsed)


def test_oral_history_vtt(shared_data):
    parsed = read_transcript(shared_data / "subtitles" / "ohd_transcript_de.vtt")
    assert parsed.format == "vtt"
    speakers = [t.speaker for t in parsed.turns]
    assert speakers == ["INT", "AB", "INT"]
    assert all(a != b for a, b in zip(speakers, speakers[1:]))
    for word in ("erklären", "gegründet", "heißt", "gehören", "Schäfer", "übernommen"):
        assert word in parsed.text
    assert "[?]" in parsed.text
    assert "<" not in parsed.text and ">" not in parsed.text
    first = parsed.turns[0]
    assert parsed.text[first.start : first.end].startswith("Victor, kannst Du")
    assert (first.time_start, first.time_end) == (5.495, 18.924)
    assert parsed.turns[1].time_end == pytest.approx(244.951)
    assert_turns_are_spoken_words(parsed)


def test_podcast_srt(shared_data):
    parsed = read_transcript(shared_data / "subtitles" / "podcastindex_example.srt")
    assert parsed.format == "srt"
    speakers = [t.speaker for t in parsed.turns]
    assert speakers[0] == "Travis"
    assert set(speakers) == {"Travis", "Sarah", "Gilon"}
    assert parsed.text[parsed.turns[0].start :].startswith("When you first get started in")
    assert parsed.turns[0].time_start == pytest.approx(0.179)
    assert parsed.turns[-1].time_end == pytest.approx(754.769)
    assert parsed.text.endswith("the next best thing to do is to batch your episodes.")
    assert "\n\n" not in "".join(parsed.text[t.start : t.end] for t in parsed.turns)
    assert_turns_are_spoken_words(parsed)


def test_podcast_srt_cues(shared_data):
    text = (shared_data / "subtitles" / "podcastindex_example.srt").read_text(encoding="utf-8")
    segments = parse_srt(text, "example.srt")
    assert len(segments) == 222
    assert len([s for s in segments if s.speaker]) == 10  # a name only where the speaker changes
    first_words = "When you first get started in podcasting, it's"
    assert segments[0] == Segment("Travis", first_words, 0.179, 2.399)
    assert not any(s.text.isdigit() for s in segments)


def test_podcast_vtt(shared_data):
    parsed = read_transcript(shared_data / "subtitles" / "podcastindex_example.vtt")
    assert [t.speaker for t in parsed.turns] == ["Sarah", "Gillian"]
    assert "Podcasting Q&A" in parsed.text
    assert "&amp;" not in parsed.text
    assert "\r" not in parsed.text
    assert "<v" not in parsed.text
    assert parsed.text.startswith("Sarah: In today's episode")
    assert_turns_are_spoken_words(parsed)


def test_qualcoder_docx(shared_data):
    path = shared_data / "docx" / "qualcoder_ID1.docx"
    paragraphs = read_docx_paragraphs(path)
    assert len(paragraphs) == 3
    assert "€" in paragraphs[2]
    parsed = read_transcript(path)
    assert parsed.format == "docx"
    assert parsed.text == "\n\n".join(paragraphs)
    assert [t.speaker for t in parsed.turns] == [None, None, None]
    assert_turns_are_spoken_words(parsed)


# --- WebVTT details -----------------------------------------------------------------------------

VTT = """WEBVTT - an interview
Kind: captions

NOTE this is a comment
that spans two lines

STYLE
::cue { color: yellow }

intro-1
00:00:01.000 --> 00:00:04.000 align:start position:10%
<v.loud Anna Berg>We <i>met</i> every
<b>week</b> &amp; talked.</v>

00:04.000 --> 00:06.500
<c.yellow>It</c> was <00:00:05.000>fine &lt;really&gt;&nbsp;fine.

2
00:00:07.000 --> 00:00:08.000
<v Bo>Yes <[?]> and no.</v> <v Anna Berg>Hm.
"""


def test_vtt_blocks_tags_and_entities():
    segments = parse_vtt(VTT, "a.vtt")
    assert segments == [
        Segment("Anna Berg", "We met every week & talked.", 1.0, 4.0),
        Segment(None, "It was fine <really> fine.", 4.0, 6.5),
        Segment("Bo", "Yes [?] and no.", 7.0, 8.0),
        Segment("Anna Berg", "Hm.", 7.0, 8.0),
    ]


def test_vtt_name_prefix_at_a_speaker_change():
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nAnna: hi there\n\n00:02.000 --> 00:03.000\nhow are you\nBo: fine\n"
    assert parse_vtt(text, "a.vtt") == [
        Segment("Anna", "hi there", 1.0, 2.0),
        Segment(None, "how are you", 2.0, 3.0),
        Segment("Bo", "fine", 2.0, 3.0),
    ]


def test_a_sentence_with_a_colon_is_not_a_speaker():
    text = "WEBVTT\n\n00:01.000 --> 00:02.000\nwhat I mean is: yes\n"
    assert parse_vtt(text, "a.vtt") == [Segment(None, "what I mean is: yes", 1.0, 2.0)]


@pytest.mark.parametrize(
    "text, line",
    [
        ("WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nhello\n", 3),
        ("WEBVTT\n\nid\n00:00:01.000 -> 00:00:02.000\nhello\n", 3),
        ("WEBVTT\n\nid\n00:01 --> 00:02\nhello\n", 4),
        ("WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nok\n\njust text\n", 6),
    ],
)
def test_vtt_malformed_timing_names_the_line(text, line):
    error = input_error(parse_vtt, text, "talk.vtt")
    assert error.where == f"talk.vtt:{line}"


def test_vtt_without_header_is_refused():
    assert input_error(parse_vtt, "00:01.000 --> 00:02.000\nhi\n", "a.vtt").where == "a.vtt:1"


# --- SubRip details -----------------------------------------------------------------------------


def test_srt_cues_tags_and_speaker_changes():
    text = (
        "1\n00:00:01,000 --> 00:00:02,500\n<i>Travis:</i> hello\nthere\n\n"
        "2\n00:00:02,500 --> 00:00:04,000 X1:10 X2:20 Y1:5 Y2:9\n"
        '{\\an8}<font color="#fff">still</font> Travis\n\n'
        "3\n00:00:04,000 --> 00:00:05,000\nSarah: hi\n\n\n"
    )
    assert parse_srt(text, "a.srt") == [
        Segment("Travis", "hello there", 1.0, 2.5),
        Segment(None, "still Travis", 2.5, 4.0),
        Segment("Sarah", "hi", 4.0, 5.0),
    ]


@pytest.mark.parametrize(
    "text, line",
    [
        ("1\n00:00:01,000 --> 00:00:02\nhello\n", 2),
        ("1\n00:00:01,000 --> 00:00:02,000\nhello\n\n2\n00:00:03,000 --> later\nbye\n", 6),
        ("Hello, this is not a subtitle file\n", 1),
    ],
)
def test_srt_malformed_timing_names_the_line(text, line):
    assert input_error(parse_srt, text, "talk.srt").where == f"talk.srt:{line}"


_CUE_TEXT = st.text(alphabet=st.sampled_from(list("WEBVT0123:.,-> <v/>[?]&amp;NOTE\nAb")), max_size=200)


@settings(max_examples=300)
@given(st.one_of(_CUE_TEXT, st.text(max_size=200)))
def test_subtitle_parsers_give_segments_or_an_input_error(body):
    for parse, text in ((parse_vtt, "WEBVTT\n\n" + body), (parse_vtt, body), (parse_srt, body)):
        try:
            segments = parse(text, "s.sub")
        except InputError as exc:
            assert "\n" not in str(exc)
            continue
        for segment in segments:
            assert segment.text == " ".join(segment.text.split())
            assert segment.time_start is not None and segment.time_end is not None


# --- read_transcript ----------------------------------------------------------------------------


def test_supported_suffixes():
    assert set(SUPPORTED_SUFFIXES) == {
        ".txt",
        ".md",
        ".markdown",
        ".docx",
        ".odt",
        ".vtt",
        ".srt",
        ".html",
        ".htm",
        ".csv",
        ".tsv",
    }


def test_markdown_with_front_matter(tmp_path):
    path = tmp_path / "informant7.markdown"
    front = "---\ncase: Informant 7\nsize: smaller\n---\n"
    path.write_text(front + "**I:** hello\n**R:** hi\n", "utf-8")
    parsed = read_transcript(path)
    assert parsed.format == "md"
    assert parsed.attributes == {"case": "Informant 7", "size": "smaller"}
    assert parsed.text == "**I:** hello\n**R:** hi\n"
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == [
        ("I", "hello"),
        ("R", "hi"),
    ]


def test_cp1252_text_file_carries_the_warning(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("I: Hur mår du?\r\nR: Bra, 5 € tack.\r\n".encode("cp1252"))
    parsed = read_transcript(path)
    assert parsed.text == "I: Hur mår du?\nR: Bra, 5 € tack.\n"
    assert len(parsed.warnings) == 1 and "cp1252" in parsed.warnings[0]


def test_utf16_subtitles(tmp_path):
    path = tmp_path / "a.srt"
    path.write_bytes("1\r\n00:00:01,000 --> 00:00:02,000\r\nÅsa: hej\r\n".encode("utf-16"))
    parsed = read_transcript(path)
    assert parsed.text == "Åsa: hej"
    assert parsed.turns[0].speaker == "Åsa"


def test_docx_with_table_and_empty_paragraphs(tmp_path):
    document = docx.Document()
    document.add_paragraph("Interviewer: how did it start?")
    document.add_paragraph("")
    document.add_paragraph("   ")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Informant 7: it started in 2019."
    table.cell(0, 1).text = "Interviewer: and then?"
    document.add_paragraph("Informant 7: we could not manage it ourselves.")
    path = tmp_path / "interview.docx"
    document.save(path)
    assert read_docx_paragraphs(path) == [
        "Interviewer: how did it start?",
        "Informant 7: it started in 2019.",
        "Interviewer: and then?",
        "Informant 7: we could not manage it ourselves.",
    ]
    parsed = read_transcript(path)
    assert [t.speaker for t in parsed.turns] == ["Interviewer", "Informant 7"] * 2
    assert_turns_are_spoken_words(parsed)


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("missing.txt", None, "file not found"),
        ("notes.pdf", b"%PDF-1.4", "unsupported file type (.pdf)"),
        ("README", b"text", "unsupported file type (no suffix)"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"\n \n", "empty"),
        ("binary.txt", b"\x00\x01\x02\x03", "binary"),
        ("broken.docx", b"PK\x03\x04 not really a zip", "Word (.docx) document"),
        ("text.docx", b"I: hello", "Word (.docx) document"),
        ("empty.docx", None, "no transcript text"),
        ("nocues.vtt", b"WEBVTT\n\nNOTE nothing here\n", "no transcript text"),
        ("bad.vtt", b"WEBVTT\n\n00:01.000 --> soon\nhi\n", "bad.vtt:3"),
        ("front.md", b"---\ncase: [a\n---\nI: hi\n", "front.md:2"),
    ],
)
def test_bad_files_give_one_line_errors_naming_the_file(tmp_path, name, content, expected):
    path = tmp_path / name
    if name == "empty.docx":
        docx.Document().save(path)
    elif content is not None:
        path.write_bytes(content)
    error = input_error(read_transcript, path)
    assert name in str(error)
    assert expected in str(error)


@pytest.mark.parametrize(
    "members, expected",
    [
        ({"hello.txt": "not a Word part"}, "not a Word (.docx) document"),
        ({"[Content_Types].xml": "<broken", "word/document.xml": "<w:document"}, "damaged"),
    ],
)
def test_zip_files_that_are_not_word_documents(tmp_path, members, expected):
    path = tmp_path / "odd.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    error = input_error(read_docx_paragraphs, path)
    assert str(path) in str(error) and expected in str(error)
    assert "file not found" in str(input_error(read_docx_paragraphs, tmp_path / "gone.docx"))


def test_a_folder_is_refused(tmp_path):
    folder = tmp_path / "interviews.txt"
    folder.mkdir()
    assert "folder" in str(input_error(read_transcript, folder))


def test_files_over_the_size_limit_are_refused_unread(tmp_path, monkeypatch):
    monkeypatch.setattr(decode, "MAX_TRANSCRIPT_BYTES", 1024 * 1024)
    for name in ("big.txt", "big.docx"):
        path = tmp_path / name
        path.write_bytes(b"x" * (1024 * 1024 + 1))
        assert "1 MB limit" in str(input_error(read_transcript, path))
