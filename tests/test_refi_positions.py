"""Selection positions as each tool counts them: projects built here with emoji outside the BMP,
combining characters, CRLF line ends and a byte-order mark, written in every reading, must import
with every coding on its words; exports written --for a tool must be read right by that tool's
way of counting (checked with an independent count, not the workbench's own conversion)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from workbench.interop.refi.positions import ALL_READINGS, UTF16, Reading, TextLayout
from workbench.study import Study
from workbench.study.exchange import export_qdpx, import_qdpx

# A transcript as the study stores it (LF, no BOM): emoji outside the BMP (one with a skin-tone
# modifier, one a ZWJ sequence), decomposed accents (combining marks), a flag, and CJK.
LINES = [
    "Informant 7: We could not manage it ourselves \U0001f605 honestly.",
    "Interviewer: And the cafe\u0301 meetings with the other municipality?",
    "Informant 7: They helped \U0001f44d\U0001f3fd a lot; the agreements matter.",
    "Interviewer: Who wrote them \U0001f468\u200d\U0001f4bb, the lawyers?",
    "Informant 7: A\u030angstro\u0308m did, from the \U0001f1f8\U0001f1ea office, \u6771\u4eac too.",
    "Interviewer: Trust took time \U0001f914 then?",
    "Informant 7: Years \U0001f62c. Security and responsibility came first \U0001f512.",
    "Interviewer: Thank you \U0001f64f.",
] * 3
TEXT = "\n".join(LINES) + "\n"
WORDS = ("manage", "cafe\u0301", "agreements", "lawyers", "A\u030angstro\u0308m", "Trust", "responsibility", "Thank")


def expected_spans() -> list[tuple[int, int]]:
    """Whole lines (without the line end) and single words, in the stored text's code points."""
    spans, at = [], 0
    for line in LINES:
        spans.append((at, at + len(line)))
        for word in WORDS:
            found = line.find(word)
            if found >= 0:
                spans.append((at + found, at + found + len(word)))
        at += len(line) + 1
    return spans


def counted(position: int, reading: Reading) -> int:
    """Where ``position`` of TEXT lies as ``reading`` counts it, over a file with a BOM and CRLF
    line ends: counted independently, by encoding the prefix the way that tool sees it."""
    prefix = TEXT[:position]
    prefix = prefix.replace("\n", "\r\n") if reading.crlf else prefix
    prefix = ("\ufeff" if reading.bom else "") + prefix
    return len(prefix.encode("utf-16-le")) // 2 if reading.unit == UTF16 else len(prefix)


def build_project(path: Path, reading: Reading, origin: str | None) -> list[tuple[int, int]]:
    """A project whose one source has a BOM and CRLF line ends, coded as ``reading`` counts."""
    spans = expected_spans()
    selections = "\n".join(
        f'<PlainTextSelection guid="{_guid(2, i)}" startPosition="{counted(s, reading)}" '
        f'endPosition="{counted(e, reading)}" creatingUser="{_guid(9, 0)}">'
        f'<Coding guid="{_guid(3, i)}" creatingUser="{_guid(9, 0)}"><CodeRef targetGUID="{_guid(1, 0)}"/></Coding>'
        "</PlainTextSelection>"
        for i, (s, e) in enumerate(spans)
    )
    header = f' origin="{origin}"' if origin else ""
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="built"{header}>
<Users><User guid="{_guid(9, 0)}" name="Ada"/></Users>
<CodeBook><Codes><Code guid="{_guid(1, 0)}" name="Passage" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="{_guid(4, 0)}" name="informant 7" plainTextPath="internal://{_guid(4, 0)}.txt">
{selections}
</TextSource></Sources></Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"sources/{_guid(4, 0)}.txt", b"\xef\xbb\xbf" + TEXT.replace("\n", "\r\n").encode("utf-8"))
    return spans


def _guid(kind: int, n: int) -> str:
    return f"{kind:08x}-0000-4000-8000-{n:012x}"


@pytest.fixture
def study(tmp_path: Path) -> Study:
    with Study.create(tmp_path / "study.db", coder="tester") as s:
        yield s


def placed_exactly(study: Study, spans: list[tuple[int, int]]) -> int:
    """How many of ``spans`` are coded in the study on exactly their text."""
    text = study.transcript_text("informant 7")
    got = {(q.start, q.end, q.text) for q in study.quotes()}
    return sum((s, e, text[s:e]) in got for s, e in spans)


@pytest.mark.parametrize("reading", ALL_READINGS, ids=lambda r: r.marker())
def test_every_reading_without_a_header_is_recognised_and_every_coding_lands_on_its_words(study, tmp_path, reading):
    path = tmp_path / f"{reading.marker()}.qdpx"
    spans = build_project(path, reading, origin=None)
    report = import_qdpx(study, path)
    assert study.transcript_text("informant 7") == TEXT  # BOM dropped, CRLF made LF
    placed = placed_exactly(study, spans)
    print(f"\n{reading.describe()}, no origin: {placed} of {len(spans)} codings placed exactly")
    assert placed == len(spans) == report.counts["codings_added"]
    assert report.positions and reading.describe() in report.positions[0]
    assert f"{2 * len(spans)} of {2 * len(spans)} selection boundaries" in report.positions[0]


@pytest.mark.parametrize(
    ("origin", "reading", "tool"),
    [
        ("NVivo 12 (Windows)", Reading(UTF16, crlf=True), "NVivo"),
        ("NVivo for Mac 15.0.0", Reading(UTF16, crlf=False), "NVivo"),
        ("QualCoder 3.6", Reading(crlf=False), "QualCoder"),
        ("ATLAS.ti 24", Reading(UTF16, crlf=True), "ATLAS.ti"),
        ("MAXQDA 2024", Reading(crlf=True), "MAXQDA"),
    ],
)
def test_the_header_names_the_writer_and_evidence_settles_what_it_leaves_open(study, tmp_path, origin, reading, tool):
    path = tmp_path / "p.qdpx"
    spans = build_project(path, reading, origin)
    report = import_qdpx(study, path)
    placed = placed_exactly(study, spans)
    print(f"\n{origin} ({reading.describe()}): {placed} of {len(spans)} codings placed exactly")
    assert placed == len(spans)
    assert f"written by {tool}" in report.positions[0] and reading.describe() in report.positions[0]
    assert report.warnings == []


def test_a_header_the_positions_contradict_is_overruled_with_a_warning(study, tmp_path):
    path = tmp_path / "p.qdpx"
    spans = build_project(path, Reading(UTF16, crlf=True), "QualCoder 3.6")
    report = import_qdpx(study, path)
    assert placed_exactly(study, spans) == len(spans)
    assert any("suggests" in w and "UTF-16" in w for w in report.warnings)


def test_the_nvivo_reading_read_as_code_points_would_shift_codings(tmp_path):
    """The bug this guards against: read the old way, most codings after the first emoji move."""
    spans = expected_spans()
    layout, text = TextLayout.of_file_text(TEXT.replace("\n", "\r\n"), bom=True)
    nvivo, naive = Reading(UTF16, crlf=True), Reading(crlf=True)
    wrong = 0
    for s, e in spans:
        start, end = layout.to_study(counted(s, nvivo), naive), layout.to_study(counted(e, nvivo), naive)
        wrong += (start, end) != (s, e)
    assert wrong > len(spans) * 0.8


def test_a_project_without_emoji_crlf_or_bom_needs_no_choice(study, tmp_path):
    path = tmp_path / "plain.qdpx"
    source = "Informant 1: plain words only.\nInterviewer: yes.\n"
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="plain" origin="NVivo 14">
<CodeBook><Codes><Code guid="{_guid(1, 0)}" name="Words"/></Codes></CodeBook>
<Sources><TextSource guid="{_guid(4, 0)}" name="plain" plainTextPath="internal://{_guid(4, 0)}.txt">
<PlainTextSelection guid="{_guid(2, 0)}" startPosition="13" endPosition="29">
<Coding guid="{_guid(3, 0)}"><CodeRef targetGUID="{_guid(1, 0)}"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"sources/{_guid(4, 0)}.txt", source)
    report = import_qdpx(study, path)
    assert [q.text for q in study.quotes()] == ["plain words only"]
    assert "every reading gives the same positions" in report.positions[0]


# --- export: positions as the target counts them ------------------------------------------------


@pytest.fixture
def emoji_study(tmp_path: Path) -> Study:
    """A study whose one transcript is TEXT, coded on every expected span by two coders (one span
    also twice by one coder, under two themes), with a comment holding a control character."""
    file = tmp_path / "informant 7.txt"
    file.write_text(TEXT, encoding="utf-8")
    with Study.create(tmp_path / "emoji.db", coder="ada") as s:
        s.import_files([file])
        s.add_theme("Passage")
        s.add_theme("Trust")
        for start, end in expected_spans():
            s.code("informant 7", "Passage", start, end, "ada")
        for start, end in expected_spans()[::3]:
            s.code("informant 7", "Passage", start, end, "bo")
            s.code("informant 7", "Trust", start, end, "bo")
        quote = s.quotes()[5]
        s.select(quote.id, selected=True, comment="A comment with a bell\x07 and a form feed\x0c inside.")
        yield s


def test_export_for_nvivo_counts_utf16_units_over_crlf_sources(emoji_study, tmp_path):
    path = tmp_path / "nvivo.qdpx"
    report = export_qdpx(emoji_study, path, "nvivo")
    assert "UTF-16" in report.positions[0]
    quotes = {(q.start, q.end) for q in emoji_study.quotes()}
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        ns = "{urn:QDA-XML:project:1.0}"
        source = root.find(f"{ns}Sources/{ns}TextSource")
        data = archive.read("sources/" + source.get("plainTextPath").split("//")[1]).decode("utf-8")
        assert "\r\n" in data and "\n" not in data.replace("\r\n", "")
        units = data.encode("utf-16-le")  # what a .NET reader indexes
        found = set()
        for selection in source.findall(f"{ns}PlainTextSelection"):
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            before = units[: 2 * start].decode("utf-16-le").replace("\r\n", "\n")
            passage = units[2 * start : 2 * end].decode("utf-16-le").replace("\r\n", "\n")
            span = (len(before), len(before) + len(passage))
            assert TEXT[span[0] : span[1]] == passage
            found.add(span)
    assert found == quotes


@pytest.mark.parametrize("target", ["standard", "qualcoder", "nvivo", "atlas", "maxqda"])
def test_every_export_reads_back_exactly_through_the_workbench(emoji_study, tmp_path, target):
    path = tmp_path / f"{target}.qdpx"
    export_qdpx(emoji_study, path, target)
    with Study.create(tmp_path / "back.db", coder="x") as back:
        report = import_qdpx(back, path)
        before = sorted((q.start, q.end, q.theme, q.coder, q.comment) for q in emoji_study.quotes())
        after = sorted((q.start, q.end, q.theme, q.coder, q.comment) for q in back.quotes())
        assert after == before
        assert back.transcript_text("informant 7") == TEXT
        assert "written by the workbench" in report.positions[0]


def test_a_standard_export_of_a_study_with_emoji_warns_about_utf16_readers(emoji_study, tmp_path):
    report = export_qdpx(emoji_study, tmp_path / "s.qdpx")
    assert any("--for nvivo" in w for w in report.warnings)
    assert not any("--for nvivo" in w for w in export_qdpx(emoji_study, tmp_path / "n.qdpx", "nvivo").warnings)


# --- an independent reader: pyqdpx (it counts UTF-16 code units over the file as written) -------


def pyqdpx_codings(path: Path) -> list[tuple[str, str, str, str]]:
    """(source, code, coder, text) of every coding pyqdpx reads, the text as the study stores it:
    pyqdpx pads each character outside the BMP with a U+200B to count as .NET does."""
    import pyqdpx  # in the test extra: a missing reader fails the test, never skips it

    project = pyqdpx.QDPX(str(path)).get_project()
    found = []
    for source in project.sources.values():
        for selection in source.coded_selections.values():
            text = selection.text.replace("\u200b", "").replace("\r\n", "\n")
            found.append((source.name, selection.code.name, selection.user.name, text))
    return found


def study_codings(study: Study) -> list[tuple[str, str, str, str]]:
    return [(q.transcript, q.theme.rsplit("/", 1)[-1], q.coder, q.text) for q in study.quotes()]


def test_pyqdpx_reads_every_coding_of_the_demo_export_at_its_text(study_path, tmp_path):
    path = tmp_path / "demo.qdpx"
    with Study.open(study_path) as demo:
        export_qdpx(demo, path)
        expected = study_codings(demo)
    found = pyqdpx_codings(path)
    print(f"\npyqdpx on the demo export: {len(found)} of {len(expected)} codings read at their text")
    assert len(expected) == 43
    assert sorted(found) == sorted(expected)


def test_pyqdpx_reads_every_coding_of_an_export_for_nvivo_with_emoji_and_two_coders(emoji_study, tmp_path):
    nvivo, standard = tmp_path / "nvivo.qdpx", tmp_path / "standard.qdpx"
    export_qdpx(emoji_study, nvivo, "nvivo")
    export_qdpx(emoji_study, standard)
    expected = sorted(study_codings(emoji_study))
    found = sorted(pyqdpx_codings(nvivo))
    misread = len(set(pyqdpx_codings(standard)) - set(expected))
    print(
        f"\npyqdpx on the emoji study: --for nvivo {len(found)} of {len(expected)} codings at their text; "
        f"the standard export (code points) gives {misread} on other text"
    )
    assert found == expected
    assert misread > 0  # what --for is for: a UTF-16 reader misplaces code-point positions


@pytest.mark.parametrize("target", ["standard", "nvivo"])
def test_exports_for_every_target_validate_and_every_note_is_dated(emoji_study, tmp_path, shared_data, target):
    import xmlschema

    path = tmp_path / "out.qdpx"
    export_qdpx(emoji_study, path, target)
    schema = xmlschema.XMLSchema(str(shared_data / "schema" / "Project.xsd"))
    with zipfile.ZipFile(path) as archive:
        qde = archive.read("project.qde")
        schema.validate(io.BytesIO(qde))
        notes = list(ET.fromstring(qde).iter("{urn:QDA-XML:project:1.0}Note"))
    assert notes and all(note.get("creationDateTime") for note in notes)
    assert any(note.get("plainTextPath") for note in notes)  # the comment with a control character


def test_cli_export_for_nvivo_and_the_positions_line(emoji_study, tmp_path):
    from click.testing import CliRunner

    from workbench.cli import main

    out = tmp_path / "cli.qdpx"
    emoji_study.close()
    result = CliRunner().invoke(main, ["export", "qdpx", str(emoji_study.path), "-o", str(out), "--for", "nvivo"])
    assert result.exit_code == 0, result.output
    assert "positions: written for nvivo: UTF-16 code units" in result.output
    bad = CliRunner().invoke(main, ["export", "qdpx", str(emoji_study.path), "-o", str(out), "--for", "word"])
    assert bad.exit_code == 1 and "word" in bad.output  # a usage error is one line and status 1, as every error
    back = tmp_path / "back.db"
    assert CliRunner().invoke(main, ["init", str(back)]).exit_code == 0
    result = CliRunner().invoke(main, ["import", str(back), str(out)])
    assert result.exit_code == 0 and "positions: read as UTF-16 code units (CRLF counted as 2)" in result.output
