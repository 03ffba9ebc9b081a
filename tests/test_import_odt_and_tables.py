"""OpenDocument texts (.odt, built here by zipping XML) and tabular transcripts (.csv, .tsv)
in the encodings, delimiters and languages they come in; bad files fail on one line, naming the
file (and line), and leave the study unchanged."""

from __future__ import annotations

import codecs
import zipfile

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.errors import InputError
from workbench.interop.transcripts import read_transcript
from workbench.study import Study

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"'
)


def write_odt(path, body: str, mimetype: str | None = "application/vnd.oasis.opendocument.text"):
    content = f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}><office:body><office:text>{body}</office:text></office:body></office:document-content>'
    with zipfile.ZipFile(path, "w") as archive:
        if mimetype is not None:
            archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", content)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return path


def one_line_error(call, *args, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    message = str(info.value)
    assert "\n" not in message
    return message


# --- .odt ---------------------------------------------------------------------------------------

ODT_BODY = (
    "<text:h>Interview 4</text:h>"
    "<text:p>I: Wie<text:s/>hat es <text:s text:c='2'/>angefangen?\n   "
    "<office:annotation><dc:creator>R</dc:creator><text:p>check this</text:p></office:annotation></text:p>"
    "<text:p>R: Mit einem <text:span>Anruf</text:span>.<text:note><text:note-citation>1</text:note-citation>"
    "<text:note-body><text:p>Fußnote</text:p></text:note-body></text:note> Dann<text:line-break/>ein Treffen.</text:p>"
    "<text:tracked-changes><text:changed-region><text:deletion><text:p>gelöscht</text:p></text:deletion>"
    "</text:changed-region></text:tracked-changes>"
    "<text:list><text:list-item><text:p>I: Und danach? 🙂</text:p></text:list-item></text:list>"
    "<table:table><table:table-row><table:table-cell><text:p>R: Lief gut.</text:p></table:table-cell>"
    "</table:table-row></table:table>"
    "<text:p><draw:frame><draw:text-box><text:p>Bildunterschrift</text:p></draw:text-box></draw:frame></text:p>"
    "<text:p/>"
)


def test_odt_paragraphs_and_speaker_labels(tmp_path):
    parsed = read_transcript(write_odt(tmp_path / "interview_4.odt", ODT_BODY))
    assert parsed.format == "odt"
    assert parsed.text == (
        "Interview 4\n\nI: Wie hat es   angefangen?\n\nR: Mit einem Anruf. Dann\nein Treffen.\n\n"
        "I: Und danach? 🙂\n\nR: Lief gut."
    )
    spoken = [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns]
    assert spoken[1:] == [
        ("I", "Wie hat es   angefangen?"),
        ("R", "Mit einem Anruf. Dann\nein Treffen."),
        ("I", "Und danach? 🙂"),
        ("R", "Lief gut."),
    ]
    for left_out in ("check this", "Fußnote", "gelöscht", "Bildunterschrift"):
        assert left_out not in parsed.text


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_bytes(b"plain text, not a zip"), "not a ZIP archive"),
        (
            lambda p: write_odt(p, "<text:p>x</text:p>", mimetype="application/vnd.oasis.opendocument.spreadsheet"),
            "spreadsheet",
        ),
        (lambda p: zipfile.ZipFile(p, "w").writestr("word/document.xml", "<w/>"), "no content.xml"),
        (lambda p: write_odt(p, "<text:p>unclosed"), "not well-formed"),
    ],
)
def test_bad_odt_files_fail_on_one_line(tmp_path, make, expected):
    path = tmp_path / "bad.odt"
    make(path)
    message = one_line_error(read_transcript, path)
    assert str(path) in message and expected in message


def test_odt_with_a_doctype_is_refused(tmp_path):
    path = tmp_path / "entity.odt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "content.xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><office:document-content '
            f"{NS}><office:body><office:text><text:p>&a;</text:p></office:text></office:body></office:document-content>",
        )
    assert "document type declaration" in one_line_error(read_transcript, path)


# --- tables -------------------------------------------------------------------------------------


def test_csv_with_bom_merges_rows_of_one_speaker_and_keeps_times(tmp_path):
    path = tmp_path / "oral_history.csv"
    rows = [
        "Timecode,Speaker,Transcript",
        "00:00:01.500,Interviewer,Where were you born?",
        '00:00:04,Narrator,"In Malmö, 1948."',
        "00:00:07,Narrator,We moved soon after.",
        "00:00:12,Interviewer,Why?",
    ]
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(rows).encode("utf-8"))
    parsed = read_transcript(path)
    assert parsed.format == "csv"
    assert parsed.text == (
        "Interviewer: Where were you born?\n\nNarrator: In Malmö, 1948. We moved soon after.\n\nInterviewer: Why?"
    )
    assert [(t.speaker, t.time_start, t.time_end) for t in parsed.turns] == [
        ("Interviewer", 1.5, 4.0),
        ("Narrator", 4.0, 12.0),
        ("Interviewer", 12.0, None),
    ]
    assert parsed.warnings == []


def test_utf16_tsv_with_german_headers(tmp_path):
    path = tmp_path / "interview.tsv"
    rows = ["Zeitmarke\tSprecher\tTranskript", "[00:01:02]\tI\tWie war das?", "[00:01:05]\tB\tSchwierig."]
    path.write_bytes(codecs.BOM_UTF16_LE + "\n".join(rows).encode("utf-16-le"))
    parsed = read_transcript(path)
    assert [(t.speaker, parsed.text[t.start : t.end], t.time_start) for t in parsed.turns] == [
        ("I", "Wie war das?", 62.0),
        ("B", "Schwierig.", 65.0),
    ]


def test_semicolon_cp1252_swedish_headers(tmp_path):
    path = tmp_path / "intervju.csv"
    path.write_bytes(
        "Tid;Talare;Text\n0:05;Intervjuare;Hur började det?\n0:09;Informant 7;Med ett möte.\n".encode("cp1252")
    )
    parsed = read_transcript(path)
    assert [t.speaker for t in parsed.turns] == ["Intervjuare", "Informant 7"]
    assert parsed.text.endswith("Informant 7: Med ett möte.")
    assert any("Windows-1252" in w for w in parsed.warnings)


def test_french_end_column_and_spanish_headers(tmp_path):
    french = tmp_path / "entretien.csv"
    french.write_text("Début;Fin;Locuteur;Texte\n1,5;3;A;Bonjour.\n3;4,25;A;Ça va ?\n", encoding="utf-8")
    parsed = read_transcript(french)
    assert [(t.speaker, t.time_start, t.time_end) for t in parsed.turns] == [("A", 1.5, 4.25)]
    spanish = tmp_path / "entrevista.csv"
    spanish.write_text("Inicio,Hablante,Texto\n00:00:01,E,¿Cómo empezó?\n", encoding="utf-8")
    assert read_transcript(spanish).text == "E: ¿Cómo empezó?"


def test_without_a_speaker_column_every_row_is_a_turn(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("start,text\n00:00:01,First.\n00:00:03,Second.\n", encoding="utf-8")
    parsed = read_transcript(path)
    assert parsed.text == "First.\n\nSecond."
    assert [(t.speaker, t.time_start, t.time_end) for t in parsed.turns] == [(None, 1.0, 3.0), (None, 3.0, None)]


def test_columns_named_on_the_command_line(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("Col A,Col B,Col C,Notes\n00:00:01,Ana,Hello there.,x\n00:00:02,Bo,Hi.,y\n", encoding="utf-8")
    assert "no text column" in one_line_error(read_transcript, path)
    parsed = read_transcript(path, {"time": "col a", "speaker": "Col B", "text": "Col C"})
    assert [(t.speaker, parsed.text[t.start : t.end]) for t in parsed.turns] == [("Ana", "Hello there."), ("Bo", "Hi.")]
    study = tmp_path / "s.db"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(study)]).exit_code == 0
    result = runner.invoke(main, ["import", str(study), str(path), "--columns", "time=Col A,speaker=Col B,text=Col C"])
    assert result.exit_code == 0, result.output
    with Study.open(study) as s:
        assert [t.speaker for t in s.turns("export")] == ["Ana", "Bo"]
    result = runner.invoke(main, ["import", str(study), str(path), "--columns", "who=Col B"])
    assert result.exit_code == 1 and "unknown role 'who'" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("content", "where", "expected"),
    [
        ("Start,Speaker,Text\n00:00:01,A,ok\nsoon,B,bad time\n", ":3", "not a time code"),
        ("Start,Speaker,Text\n00:00:01,A,ok\n00:00:02,B,one, two\n", ":3", "4 cells but the header has 3"),
        ("Start,Speaker,Words said\n00:00:01,A,ok\n", ":1", "no text column"),
        ("Start,Speaker,Text\n00:61:01,A,ok\n", ":2", "more than 59"),
        ("Start,Speaker,Text\n00:00:01,A,\n", "", "no transcript text"),
    ],
)
def test_bad_tables_fail_on_one_line_and_the_study_is_unchanged(tmp_path, content, where, expected):
    bad = tmp_path / "bad.csv"
    bad.write_text(content, encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text("I: hello\nR: hi\n", encoding="utf-8")
    message = one_line_error(read_transcript, bad)
    assert message.startswith(f"{bad}{where}: ") and expected in message
    study = tmp_path / "s.db"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(study)]).exit_code == 0
    result = runner.invoke(main, ["import", str(study), str(good), str(bad)])
    assert result.exit_code == 1 and result.stderr == f"error: {message}\n"
    with Study.open(study) as s:
        assert s.transcripts() == []


@pytest.mark.parametrize(
    ("written", "seconds"),
    [
        ("01:02:03", 3723.0),
        ("01:02:03.500", 3723.5),
        ("01:02:03,5", 3723.5),
        ("[01:02]", 62.0),
        ("01:02:03:12", 3723.0),  # SMPTE frames are dropped: the frame rate is not known
        ("3723.5", 3723.5),
        ("", None),
    ],
)
def test_time_codes(written, seconds):
    from workbench.interop.transcripts.table import _time

    assert _time(written, "t.csv", 2) == seconds


def test_an_odt_is_anonymised_into_plain_text(tmp_path):
    names = tmp_path / "map.yaml"
    names.write_text("Anruf: '[call]'\n", encoding="utf-8")
    odt = write_odt(tmp_path / "interview_4.odt", ODT_BODY)
    out = tmp_path / "interview_4.txt"
    result = CliRunner().invoke(main, ["anonymise", "apply", str(names), str(odt), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "R: Mit einem [call]. Dann\nein Treffen." in out.read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["anonymise", "apply", str(names), str(odt), "-o", str(tmp_path / "x.odt")])
    assert result.exit_code == 1 and "OpenDocument transcript is written out as text" in result.stderr
