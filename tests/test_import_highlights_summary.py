"""``import-highlights`` with a Taguette export whose documents are (mostly) not in the study:
one summary line, each missing document once, a next step, exit status 1 when nothing could be
placed; then the documents brought in as Taguette exports them, and the highlights again."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner
from test_import_odt_and_tables import write_odt

from workbench.cli import main
from workbench.study import Study

DOCUMENTS = [f"Interview {n:02d}" for n in range(1, 26)]
SENTENCES = [f"In meeting {k} we spoke about the budget number {k}." for k in range(1, 78)]


def taguette_highlights(path, per_document=77):
    """A highlights CSV as Taguette writes it: 25 documents x 77 highlights, one row per tag."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["id", "document", "tag", "content"])
        ident = 0
        for document in DOCUMENTS:
            for sentence in SENTENCES[:per_document]:
                ident += 1
                writer.writerow([ident, document, "Budget" if ident % 2 else "Meetings/Planning", sentence])
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_highlights_without_their_documents(tmp_path):
    study = tmp_path / "s.db"
    assert run("init", study).exit_code == 0
    highlights = taguette_highlights(tmp_path / "all_tags.csv")
    with Study.open(study) as s:
        events = len(s.events())
    result = run("import-highlights", study, highlights)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].endswith(
        "1,925 highlight(s); codings placed: 0 (0 new); documents missing: 25 (1,925 highlight(s)); "
        "ambiguous: 0; not found: 0; skipped: 0"
    )
    assert "documents not in the study (25):" in lines
    listed = [line for line in lines if line.startswith("  Interview ")]
    assert listed == [f"  {d}: 77 highlight(s) in it not placed" for d in DOCUMENTS[:10]]
    assert "  ... and 15 more document(s) (see --json)" in lines
    assert lines[-1].startswith("next step: import the documents first")
    assert "workbench import" in lines[-1] and "'Interview 01.docx'" in lines[-1]
    assert len(lines) < 20  # not one line per highlight
    assert (
        result.stderr
        == "error: no highlight could be placed (their documents are not in the study); nothing was changed\n"
    )
    with Study.open(study) as s:
        assert len(s.events()) == events and s.themes() == [] and s.quotes() == []
    data = json.loads(run("import-highlights", study, highlights, "--json").stdout)
    assert data["counts"]["documents_missing"] == 25
    assert sorted(item["name"] for item in data["not_imported"]) == DOCUMENTS


def test_documents_brought_in_as_taguette_exports_them_then_the_highlights(tmp_path):
    study = tmp_path / "s.db"
    assert run("init", study).exit_code == 0
    highlights = taguette_highlights(tmp_path / "all_tags.csv")
    # Taguette's HTML export of a document: its name in <h1>, highlights followed by their tags.
    body = "".join(
        f"<p>R: <span class='highlight'>{sentence}</span><span class='taglist'> [Budget]</span></p>"
        for sentence in SENTENCES
    )
    html = tmp_path / "Interview 01.html"
    html.write_text(
        f"<html><head><title>Interview 01</title></head><body><h1>Interview 01</h1>{body}</body></html>",
        encoding="utf-8",
    )
    odt = write_odt(tmp_path / "Interview 02.odt", "".join(f"<text:p>B: {s}</text:p>" for s in SENTENCES))
    result = run("import", study, html, odt)
    assert result.exit_code == 0, result.output
    with Study.open(study) as s:
        text = s.transcript_text("Interview 01")
        assert "[Budget]" not in text and "Interview 01" not in text
    result = run("import-highlights", study, highlights)
    assert result.exit_code == 0, result.output
    assert "codings placed: 154 (154 new); documents missing: 23 (1,771 highlight(s))" in result.stdout
    assert "  ... and 13 more document(s) (see --json)" in result.stdout
    with Study.open(study) as s:
        quotes = s.quotes()
        assert len(quotes) == 154
        assert all(s.transcript_text(q.transcript)[q.start : q.end] == q.text for q in quotes)
    again = run("import-highlights", study, highlights)
    assert again.exit_code == 0 and "codings placed: 154 (0 new)" in again.stdout
