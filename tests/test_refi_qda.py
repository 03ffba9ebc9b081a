"""REFI-QDA exchange: real files from other tools in, the study out and back, files crafted for
the quirks real tools have, and the commands."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from click.testing import CliRunner

from workbench.cli import main
from workbench.errors import InputError, WorkbenchError
from workbench.study import Study
from workbench.study.exchange import export_qdc, export_qdpx, import_qdc, import_qdpx

QDA = "{urn:QDA-XML:project:1.0}"


@pytest.fixture
def study(tmp_path: Path) -> Study:
    with Study.create(tmp_path / "study.db", coder="tester") as s:
        yield s


def state(study: Study) -> dict:
    """Everything the researcher made, to compare studies (or one study before and after)."""
    return {
        "transcripts": {t.name: study.transcript_text(t.name) for t in study.transcripts()},
        "case_of": {t.name: t.case for t in study.transcripts()},
        "themes": [(t.path, t.color, t.description, t.include, t.exclude) for t in study.themes()],
        "codings": sorted(
            (q.transcript, q.theme, q.start, q.end, q.coder, q.created, q.comment, q.selected, q.position, q.elided)
            for q in study.quotes()
        ),
        "cases": study.cases(),
        "memos": sorted(study._db.execute("SELECT target_type, text FROM memos").fetchall()),
    }


def make_qdpx(path: Path, project: str, members: dict[str, bytes | str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", project)
        for name, data in (members or {}).items():
            archive.writestr(name, data)
    return path


# --- real files from other tools -------------------------------------------------------------


def expected_qc_codings(path: Path) -> tuple[Counter, dict[str, str]]:
    """What qc_demo.qdpx holds, read independently with the standard library (a trusted file)."""
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        texts = {}
        paths = {}

        def walk(element, prefix):
            for code in element.findall(f"{QDA}Code"):
                name = f"{prefix}/{code.get('name')}" if prefix else code.get("name")
                paths[code.get("guid")] = name
                walk(code, name)

        walk(root.find(f"{QDA}CodeBook/{QDA}Codes"), "")
        expected = Counter()
        for source in root.iter(f"{QDA}TextSource"):
            file = source.get("plainTextPath")
            name = Path(file).stem
            texts[name] = archive.read(f"sources/{file}").decode("utf-8")
            for selection in source.findall(f"{QDA}PlainTextSelection"):
                for coding in selection.findall(f"{QDA}Coding"):
                    target = coding.find(f"{QDA}CodeRef").get("targetGUID")
                    expected[
                        (name, paths[target], int(selection.get("startPosition")), int(selection.get("endPosition")))
                    ] += 1
    return expected, texts


def test_qc_demo_imports_its_transcripts_code_tree_and_every_coding_at_its_offsets(study, shared_data):
    path = shared_data / "refi-qda" / "qc_demo.qdpx"
    started = time.perf_counter()
    report = import_qdpx(study, path)
    seconds = time.perf_counter() - started
    print(f"\nimporting qc_demo.qdpx (2 transcripts, 262 codes, 205 codings): {seconds:.3f} s")
    assert seconds < 1.0

    expected, texts = expected_qc_codings(path)
    assert {t.name for t in study.transcripts()} == {"board_2017", "admin-1"}
    for name, text in texts.items():
        assert study.transcript_text(name) == text
    assert len(study.themes()) == 262
    assert "rq1_definition/defining_education/restructuring_high_school/restructure_curriculum" in {
        t.path for t in study.themes()
    }
    quotes = study.quotes()
    assert len(quotes) == 205
    assert Counter((q.transcript, q.theme, q.start, q.end) for q in quotes) == expected
    for quote in quotes:
        assert quote.text == texts[quote.transcript][quote.start : quote.end]
        assert quote.coder == "cp"
    assert report.counts["codings_added"] == 205 and report.counts["transcripts"] == 2
    # Only the project's name is not kept (the study has its own).
    assert [(item.kind, item.name) for item in report.not_imported] == [("project name", "qc project")]
    assert report.warnings == []


def test_importing_the_same_project_twice_adds_nothing(study, shared_data):
    path = shared_data / "refi-qda" / "qc_demo.qdpx"
    import_qdpx(study, path)
    before = state(study)
    report = import_qdpx(study, path)
    assert state(study) == before
    assert report.counts["codings_added"] == 0 and report.counts["transcripts_already_present"] == 2


def test_nvivo_codebook_only_project_brings_its_code_tree_and_reports_the_empty_sources(study, shared_data):
    report = import_qdpx(study, shared_data / "refi-qda" / "nvivo_mac15_codebook_only.qdpx")
    assert len(study.themes()) == 262 and study.transcripts() == []
    lost = {(s.kind, s.name): s.reason for s in report.not_imported}
    empty = [k for k, reason in lost.items() if k[0] == "source" and "empty" in reason]
    assert len(empty) == 2
    assert ("file", "sources/.root") in lost
    assert report.to_json()["not_imported"]


def test_openqda_codebook_loads_with_a_warning_about_its_guids(study, shared_data):
    report = import_qdc(study, shared_data / "codebooks" / "openqda_example_codebook.qdc")
    assert any("GUID" in w and "c001" in w for w in report.warnings)
    themes = {t.path: t for t in study.themes()}
    assert report.counts["themes_added"] == len(themes) == 44
    # '/' separates theme paths, so a code named "Negativ/Aufgeregt" is renamed and says so.
    top = themes["Negativ-Aufgeregt"]
    assert top.color == "#e57373"
    assert top.description == "All emotions with negative valence and positive arousal."
    assert themes["Negativ-Aufgeregt/Rage"].color == "#c95858"
    assert any("Negativ/Aufgeregt" in w for w in report.warnings)


def test_defect_codebook_gives_its_line_and_changes_nothing(study, shared_data):
    import_qdc(study, shared_data / "codebooks" / "openqda_example_codebook.qdc")
    before, events = state(study), len(study.events())
    with pytest.raises(InputError) as error:
        import_qdc(study, shared_data / "codebooks" / "openqda_example_codebook_defect.qdc")
    message = str(error.value)
    assert "openqda_example_codebook_defect.qdc:132:" in message and "\n" not in message
    assert state(study) == before and len(study.events()) == events


# --- the study out and back ------------------------------------------------------------------


@pytest.fixture
def demo(study_path: Path) -> Study:
    """The demo study, open, with a memo of every kind and an elided quote."""
    with Study.open(study_path) as s:
        s.set_memo("study", None, "What the study is about.")
        s.set_memo("transcript", "informant_1", "Recorded on site; noisy.")
        s.set_memo("case", "informant_2", "Joined the unit in 2019.")
        s.set_memo("theme", "Trust and confidence", "Introduction to the trust section.")
        quote = next(q for q in s.quotes() if q.selected and " " in q.text.strip())
        words = quote.text.split()
        s.select(quote.id, elided=f"{words[0]} [...] {words[-1]}")
        yield s


def test_export_then_import_gives_back_the_same_study(demo, tmp_path):
    archive = tmp_path / "demo.qdpx"
    report = export_qdpx(demo, archive)
    assert {s.kind for s in report.not_exported} == {"theme key", "turn times"}
    with Study.create(tmp_path / "copy.db", coder="someone else") as copy:
        started = time.perf_counter()
        back = import_qdpx(copy, archive)
        print(f"\nround trip import of the demo study: {time.perf_counter() - started:.3f} s")
        assert [item.kind for item in back.not_imported] == ["project name"] and back.warnings == []
        original, copied = state(demo), state(copy)
        for key in original:
            assert copied[key] == original[key], key
        assert any(q.elided for q in copy.quotes())


def test_exports_validate_against_the_official_schemas_and_are_stable(demo, tmp_path, shared_data):
    first, second, codebook = tmp_path / "a.qdpx", tmp_path / "b.qdpx", tmp_path / "demo.qdc"
    export_qdpx(demo, first)
    export_qdpx(demo, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        names = archive.namelist()
        qde = archive.read("project.qde")
        xmlschema.XMLSchema(str(shared_data / "schema" / "Project.xsd")).validate(io.BytesIO(qde))
        root = ET.fromstring(qde)
        for source in root.iter(f"{QDA}TextSource"):
            path = source.get("plainTextPath")
            assert path.startswith("internal://") and path.endswith(".txt")
            member = "sources/" + path.removeprefix("internal://")
            assert member in names
            assert archive.read(member).decode("utf-8") == demo.transcript_text(source.get("name"))
    report = export_qdc(demo, codebook)
    xmlschema.XMLSchema(str(shared_data / "schema" / "Codebook.xsd")).validate(str(codebook))
    assert report.counts["themes"] == len(demo.themes())


def test_codebook_round_trip_through_qdc(demo, tmp_path):
    export_qdc(demo, tmp_path / "demo.qdc")
    with Study.create(tmp_path / "copy.db") as copy:
        import_qdc(copy, tmp_path / "demo.qdc")
        assert [(t.path, t.color, t.description) for t in copy.themes()] == [
            (t.path, t.color, t.description) for t in demo.themes()
        ]


# --- quirks of real files, crafted -----------------------------------------------------------

QUIRKY = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:0:4" name="quirky">
  <Users><User guid="11111111-1111-1111-1111-111111111111" name="ana"/></Users>
  <CodeBook><Codes>
    <Code guid="c1" name="Trust" isCodable="true" color="#00F">
      <Description>
          Who relies on whom.
      </Description>
      <NoteRef targetGUID="n-theme"/>
      <Code guid="c2" name="Agreements matter" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables><Variable guid="v1" name="size" typeOfVariable="Text"/><Variable guid="v2" name="age" typeOfVariable="Integer"/></Variables>
  <Cases><Case guid="k1" name="Informant 7">
    <Description>Met twice.</Description>
    <VariableValue><VariableRef targetGUID="v1"/><TextValue>smaller</TextValue></VariableValue>
    <VariableValue><VariableRef targetGUID="v2"/><IntegerValue>44</IntegerValue></VariableValue>
    <SourceRef targetGUID="s1"/>
  </Case></Cases>
  <Sources>
    <TextSource guid="s1" plainTextPath="internal://s1.txt">
      <PlainTextSelection guid="p1" startPosition="13" endPosition="18" creatingUser="11111111-1111-1111-1111-111111111111">
        <Coding guid="g1" creatingUser="11111111-1111-1111-1111-111111111111" creationDateTime="2024-05-01T10:00:00Z">
          <CodeRef targetGUID="c2"/><NoteRef targetGUID="n-comment"/>
        </Coding>
      </PlainTextSelection>
      <NoteRef targetGUID="n-source"/>
    </TextSource>
    <TextSource guid="s2" name="inline"><PlainTextContent>Q: Why?
A: Because we trust them.</PlainTextContent>
      <PlainTextSelection guid="p2" startPosition="22" endPosition="32"><Coding guid="g2"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="p3" startPosition="0" endPosition="99"><Coding guid="g3"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
      <PlainTextSelection guid="p4" startPosition="0" endPosition="2"><Coding guid="g4"><CodeRef targetGUID="nope"/></Coding></PlainTextSelection>
      <Coding guid="g5"><CodeRef targetGUID="c2"/></Coding>
    </TextSource>
    <TextSource guid="s3" name="empty" plainTextPath="Sources/empty.txt"/>
    <PictureSource guid="x1" name="whiteboard.jpg" path="internal://x1.jpg"><PictureSelection guid="x2" firstX="0" firstY="0" secondX="1" secondY="1"><Coding guid="x3"><CodeRef targetGUID="c1"/></Coding></PictureSelection></PictureSource>
    <PDFSource guid="x4" name="report.pdf"/>
    <AudioSource guid="x5" name="interview.mp3"/>
    <VideoSource guid="x6" name="focus group.mp4"/>
  </Sources>
  <Notes>
    <Note guid="n-theme" name="Memo"><PlainTextContent>Trust is the core theme.</PlainTextContent></Note>
    <Note guid="n-comment" name="Comment"><PlainTextContent>We read this as dependence.</PlainTextContent></Note>
    <Note guid="n-source" name="Memo"><PlainTextContent>Second interview.</PlainTextContent></Note>
    <Note guid="n-loose" name="Loose end"><PlainTextContent>Ask about the budget.</PlainTextContent></Note>
  </Notes>
  <Links><Link guid="l1" name="causes"/></Links>
  <Sets><Set guid="t1" name="Key codes"/></Sets>
  <Graphs><Graph guid="r1" name="Map"/></Graphs>
  <Description>A crafted project.</Description>
</Project>
"""


def test_quirks_real_tools_write_are_read_and_every_loss_is_reported(study, tmp_path):
    # BOM and CRLF in the source; positions count the file's characters (CR included).
    text = "\ufeffI: Hello\r\nR: World\r\n".encode("utf-8")
    path = make_qdpx(
        tmp_path / "quirky.qdpx",
        QUIRKY,
        {"sources/s1.txt": text, "Sources/empty.txt": b"\n", "sources/x1.jpg": b"\xff\xd8"},
    )
    report = import_qdpx(study, path)
    assert study.transcript_text("s1") == "I: Hello\nR: World\n"
    assert study.transcript_text("inline") == "Q: Why?\nA: Because we trust them."
    coded = {(q.transcript, q.text, q.theme, q.coder) for q in study.quotes()}
    assert ("s1", "World", "Trust/Agreements matter", "ana") in coded
    assert ("inline", "trust them", "Trust", "tester") in coded  # no coder named: the importer
    assert ("inline", study.transcript_text("inline"), "Trust/Agreements matter", "tester") in coded  # whole source
    assert next(t for t in study.transcripts() if t.name == "s1").source_file == "quirky.qdpx:sources/s1.txt"
    trust = study.theme("Trust")
    assert trust.color == "#0000ff" and trust.description == "Who relies on whom."
    assert study.memo("theme", "Trust") == "Trust is the core theme."
    assert study.memo("transcript", "s1") == "Second interview."
    assert study.cases()["Informant 7"] == {"size": "smaller", "age": "44"}
    assert study.memo("case", "Informant 7") == "Met twice."
    assert next(q for q in study.quotes() if q.text == "World").comment == "We read this as dependence."
    assert "A crafted project." in study.memo("study") and "Ask about the budget." in study.memo("study")
    kinds = Counter(s.kind for s in report.not_imported)
    assert kinds["picture"] == kinds["pdf"] == kinds["audio"] == kinds["video"] == 1
    assert kinds["link"] == kinds["set"] == kinds["graph"] == 1
    assert kinds["selection"] == 1  # 0..99 is outside the inline text
    assert kinds["coding"] == 1  # refers to a code that does not exist
    assert any(s.kind == "source" and s.name == "empty" for s in report.not_imported)
    assert any("GUID" in w for w in report.warnings)
    assert any("credited to 'tester'" in w for w in report.warnings)
    json.dumps(report.to_json())


@pytest.mark.parametrize("namespace", ["urn:QDA-XML:project:1.0", "urn:QDA-XML:project:1:0", ""])
def test_namespace_variants_and_sources_without_names(study, tmp_path, namespace):
    xmlns = f' xmlns="{namespace}"' if namespace else ""
    project = f"""<Project{xmlns} name="p"><CodeBook><Codes><Code guid="c" name="A" isCodable="true"/></Codes></CodeBook>
      <Sources><TextSource guid="s" plainTextPath="interview.txt"><PlainTextSelection guid="p" startPosition="0" endPosition="5">
      <Coding guid="g"><CodeRef targetGUID="c"/></Coding></PlainTextSelection></TextSource></Sources></Project>"""
    import_qdpx(study, make_qdpx(tmp_path / "p.qdpx", project, {"sources/interview.txt": "Hello there"}))
    assert [(q.transcript, q.text) for q in study.quotes()] == [("interview", "Hello")]


def test_a_different_text_under_a_known_name_is_imported_under_a_new_name(study, tmp_path):
    project = """<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Sources>
      <TextSource guid="s" name="interview"><PlainTextContent>{}</PlainTextContent></TextSource></Sources></Project>"""
    import_qdpx(study, make_qdpx(tmp_path / "a.qdpx", project.format("First text.")))
    report = import_qdpx(study, make_qdpx(tmp_path / "b.qdpx", project.format("Second text.")))
    assert {t.name for t in study.transcripts()} == {"interview", "interview (2)"}
    assert any("interview (2)" in w for w in report.warnings)


def test_a_file_that_is_not_a_project_is_refused_with_its_name(study, tmp_path):
    bad = tmp_path / "notes.qdpx"
    bad.write_text("just text")
    with pytest.raises(InputError, match="notes.qdpx: is not a ZIP archive"):
        import_qdpx(study, bad)
    with pytest.raises(InputError, match="has no project.qde"):
        import_qdpx(study, _zip_without_project(tmp_path))
    with pytest.raises(InputError, match=r"project.qde:1: XML is not well-formed"):
        import_qdpx(study, make_qdpx(tmp_path / "broken.qdpx", "<Project name='x'><Sources></Project>"))
    assert study.transcripts() == [] and study.themes() == []


def _zip_without_project(tmp_path: Path) -> Path:
    path = tmp_path / "noproject.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("sources/a.txt", "text")
    return path


# --- the commands ----------------------------------------------------------------------------


def test_cli_import_and_export(tmp_path, shared_data):
    runner = CliRunner()
    study = tmp_path / "s.db"
    assert runner.invoke(main, ["init", str(study)]).exit_code == 0
    result = runner.invoke(main, ["import", str(study), str(shared_data / "refi-qda" / "qc_demo.qdpx"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"]["codings_added"] == 205
    assert [item["kind"] for item in data["not_imported"]] == ["project name"]

    result = runner.invoke(
        main, ["import", str(study), str(shared_data / "refi-qda" / "nvivo_mac15_codebook_only.qdpx")]
    )
    assert result.exit_code == 0 and "not imported (6)" in result.output and "empty source" in result.output

    result = runner.invoke(
        main, ["codebook", "load", str(study), str(shared_data / "codebooks" / "openqda_example_codebook.qdc")]
    )
    assert result.exit_code == 0 and "44 themes (44 new)" in result.output and "GUID" in result.stderr

    out = tmp_path / "out.qdpx"
    result = runner.invoke(main, ["export", "qdpx", str(study), "-o", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["counts"]["codings"] == 205 and zipfile.is_zipfile(out)
    result = runner.invoke(main, ["export", "qdc", str(study), "-o", str(tmp_path / "out.qdc")])
    assert result.exit_code == 0 and "wrote out.qdc" in result.output


def test_cli_errors_are_one_line_and_exit_1(tmp_path, shared_data):
    runner = CliRunner()
    study = tmp_path / "s.db"
    runner.invoke(main, ["init", str(study)])
    for args in (
        ["import", str(study), str(shared_data / "codebooks" / "openqda_example_codebook_defect.qdc")],
        ["import", str(study), str(tmp_path / "missing.qdpx")],
        ["import", str(study), str(shared_data / "refi-qda" / "qc_demo.qdpx"), "--cases", "cases.yaml"],
        [
            "import",
            str(study),
            str(shared_data / "refi-qda" / "qc_demo.qdpx"),
            str(shared_data / "transcripts" / "qualcoder_transcript.txt"),
        ],
        ["export", "qdpx", str(study), "-o", str(tmp_path / "no" / "such" / "folder.qdpx")],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 1, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert (
        "defect.qdc:132:"
        in runner.invoke(
            main, ["import", str(study), str(shared_data / "codebooks" / "openqda_example_codebook_defect.qdc")]
        ).stderr
    )


def test_text_xml_cannot_hold_is_replaced_so_the_export_stays_valid(demo, tmp_path, shared_data):
    demo.set_memo("study", None, "bell \x07 here")
    export_qdpx(demo, tmp_path / "odd.qdpx")
    with zipfile.ZipFile(tmp_path / "odd.qdpx") as archive:
        qde = archive.read("project.qde")
    xmlschema.XMLSchema(str(shared_data / "schema" / "Project.xsd")).validate(io.BytesIO(qde))
    assert "bell \ufffd here" in qde.decode("utf-8")


def test_an_empty_codebook_is_not_written(study, tmp_path):
    with pytest.raises(WorkbenchError, match="no themes"):
        export_qdc(study, tmp_path / "empty.qdc")
    assert not (tmp_path / "empty.qdc").exists()


def test_a_project_import_is_one_undoable_step(tmp_path, shared_data):
    from workbench.study import Study
    from workbench.study.exchange import import_qdpx

    with Study.create(tmp_path / "s.db") as study:
        import_qdpx(study, shared_data / "refi-qda" / "qc_demo.qdpx")
        assert len(study.transcripts()) == 2 and study.quotes()
        assert [e["action"] for e in study.events() if e["action"] != "init"] == ["import"]
        study.undo()
        assert study.transcripts() == [] and study.themes() == [] and study.quotes() == []
