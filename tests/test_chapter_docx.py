"""The chapter as a Word file through Pandoc (the ``workbench[docx]`` extra, also in the test
extra): read back with python-docx, and the one-line message when Pandoc is missing."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from conftest import copy_study
from docx.oxml.ns import qn
from test_chapter import SETTINGS_EN, SETTINGS_SV, write_up

from workbench.cli import main
from workbench.interop import pandoc
from workbench.study import Study


@pytest.fixture
def written_up(demo_template: Path, tmp_path: Path) -> Path:
    path = copy_study(demo_template, tmp_path / "study.db")
    with Study.open(path, coder="demo") as study:
        write_up(study)
    return path


def export(study: Path, tmp_path: Path, settings_text: str, *args: str):
    settings = tmp_path / "chapter.yaml"
    settings.write_text(settings_text, encoding="utf-8")
    return CliRunner().invoke(main, ["export", "chapter", str(study), "--settings", str(settings), *args])


def styled(document: docx.Document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def test_a_swedish_docx_has_the_headings_block_quotes_tables_and_language(written_up: Path, tmp_path: Path):
    out, appendices = tmp_path / "kapitel.docx", tmp_path / "bilagor.docx"
    result = export(written_up, tmp_path, SETTINGS_SV, "-o", str(out), "--appendix-file", str(appendices))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    assert styled(document, "Heading 1") == ["4 Resultat av intervjuerna"]
    assert "4.3.1 Agreements matter" in styled(document, "Heading 3")
    quotes = styled(document, "Block Text")
    assert len(quotes) == 18 and all(q.startswith("”") for q in quotes)
    assert "(Informant 7, mindre kommun, kluster B)" in quotes[0]
    assert len(document.tables) == 1  # the overview; the appendices are in their own file
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert header[:3] == ["Tema", "Större kommun: informanter", "Större kommun: citat"]
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Tabell 4.1. Teman per kommunstorlek") for t in texts)
    assert any("avsnitt 4.4.1" in t for t in texts)  # a resolved cross-reference
    assert not any("{#sec:" in t or "workbench:quote" in t for t in texts)
    languages = {e.get(qn("w:val")) for e in document.styles.element.iter(qn("w:lang"))}
    assert languages == {"sv-SE"}
    appendix = docx.Document(str(appendices))
    assert styled(appendix, "Heading 1") == ["Bilaga A. Kodbok", "Bilaga B. Informanter"]
    assert len(appendix.tables) == 2


def test_reference_doc_and_odt(written_up: Path, tmp_path: Path):
    reference = tmp_path / "template.docx"
    template = docx.Document()
    template.styles["Heading 1"].font.size = docx.shared.Pt(31)
    template.save(str(reference))
    out = tmp_path / "chapter.docx"
    result = export(written_up, tmp_path, SETTINGS_EN, "-o", str(out), "--reference-doc", str(reference))
    assert result.exit_code == 0, result.output
    document = docx.Document(str(out))
    assert document.styles["Heading 1"].font.size == docx.shared.Pt(31)
    languages = {e.get(qn("w:val")) for e in document.styles.element.iter(qn("w:lang"))}
    assert languages == {"en-GB"}
    odt = tmp_path / "chapter.odt"
    assert export(written_up, tmp_path, SETTINGS_EN, "-o", str(odt)).exit_code == 0
    assert odt.read_bytes()[:2] == b"PK"


def test_without_pandoc_the_message_is_one_line_and_nothing_is_written(written_up: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(pandoc, "_pandoc", lambda: (None, None))
    out = tmp_path / "chapter.docx"
    result = export(written_up, tmp_path, SETTINGS_EN, "-o", str(out))
    assert result.exit_code == 1
    [line] = result.output.strip().splitlines()
    assert line.startswith("error: Pandoc is not available for --format docx") and "workbench[docx]" in line
    assert not out.exists()
