"""`export chapter --figures`: SVG files beside the Markdown, referenced with numbered captions in
the chapter's language, the same bytes on every export, and embedded by Pandoc when it is there."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from click.testing import CliRunner
from markdown_it import MarkdownIt

from workbench.cli import main
from workbench.domain.charts.chapter_figures import ChapterFigure, figures_markdown


def export(study: Path, output: Path, *args: str):
    return CliRunner().invoke(main, ["export", "chapter", str(study), "-o", str(output), *args])


def images(markdown: str) -> list[tuple[str, str]]:
    """(alt text, target) of every image in the Markdown, each alone in its paragraph."""
    found = []
    tokens = MarkdownIt().parse(markdown)
    for i, token in enumerate(tokens):
        for child in token.children or []:
            if child.type == "image":
                assert [c.type for c in token.children] == ["image"], "an image shares its paragraph"
                assert tokens[i - 1].type == "paragraph_open"
                alt = "".join(part.content for part in child.children or [])  # as read, escapes undone
                found.append((alt, child.attrs["src"]))
    return found


def test_figures_are_written_beside_the_chapter_with_swedish_captions(study_path: Path, tmp_path: Path):
    output = tmp_path / "kapitel.md"
    result = export(study_path, output, "--figures", "--lang", "sv", "--compare", "size")
    assert result.exit_code == 0, result.output
    shown = images(output.read_text(encoding="utf-8"))
    assert [alt.split(":")[0] for alt, _ in shown] == ["Figur 1", "Figur 2", "Figur 3"]
    assert shown[0][0] == "Figur 1: Kodningar per tema och size"
    assert shown[2][0].startswith("Figur 3: Nya teman och underteman per intervju, i ordning efter interviewed")
    assert [target for _, target in shown] == [f"kapitel-figure-{n}.svg" for n in (1, 2, 3)]
    for _, target in shown:
        root = ElementTree.fromstring((tmp_path / target).read_bytes())
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    # The heat map is the chapter's comparison: the matrix by size.
    matrix = json.loads(CliRunner().invoke(main, ["matrix", str(study_path), "--by", "size", "--json"]).output)
    data = json.loads(
        ElementTree.parse(tmp_path / "kapitel-figure-1.svg").find("{http://www.w3.org/2000/svg}metadata").text
    )
    assert data["values"] == [[c["codings"] for c in row["cells"]] for row in matrix["rows"]]


def test_chosen_figures_in_english_and_the_same_bytes_each_time(study_path: Path, tmp_path: Path):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir()
    second.mkdir()
    for folder in (first, second):
        result = export(study_path, folder / "results.md", "--figures", "saturation,cooccurrence", "--lang", "en")
        assert result.exit_code == 0, result.output
    shown = images((first / "results.md").read_text(encoding="utf-8"))
    assert [alt for alt, _ in shown] == [
        "Figure 1: New themes and sub-themes per interview, in order of interviewed",
        "Figure 2: Themes that code the same passages",
    ]
    for name in ("results.md", "results-figure-1.svg", "results-figure-2.svg"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_bad_figure_lists_and_standard_output_are_one_line_errors_and_write_nothing(study_path: Path, tmp_path: Path):
    for args, message in [
        (["--figures", "matrix,pie"], "error: --figures takes a list of matrix, bars, cooccurrence, saturation"),
        (["--figures", "bars", "--compare", ""], "error: the bars figure compares the chapter's 'compare' attribute"),
    ]:
        result = export(study_path, tmp_path / "c.md", *args)
        assert result.exit_code == 1 and result.output.startswith(message), result.output
        assert result.output.count("\n") == 1
    result = CliRunner().invoke(main, ["export", "chapter", str(study_path), "-o", "-", "--figures"])
    assert result.exit_code == 1 and "--figures needs -o FILE" in result.output
    assert list(tmp_path.glob("*.svg")) == [] and not (tmp_path / "c.md").exists()


def test_captions_and_file_names_are_markdown_safe():
    figures = [ChapterFigure(1, "my results-figure-1.svg", "Codings by *size* [draft]", "")]
    text = figures_markdown(figures, "sv")
    assert text == "![Figur 1: Codings by \\*size\\* \\[draft\\]](<my results-figure-1.svg>)\n"
    assert images(text) == [("Figur 1: Codings by *size* [draft]", "my%20results-figure-1.svg")]


def test_pandoc_embeds_the_figures_in_a_docx(study_path: Path, tmp_path: Path):
    """Through the workbench's own Word output (Pandoc from the docx extra), run from another
    folder than the chapter's: the figures beside the chapter are found all the same."""
    output = tmp_path / "out" / "results.docx"
    output.parent.mkdir()
    done = export(study_path, output, "--figures", "matrix,saturation", "--lang", "sv", "--compare", "")
    assert done.exit_code == 0, done.output
    assert sorted(p.name for p in output.parent.glob("*.svg")) == ["results-figure-1.svg", "results-figure-2.svg"]
    with zipfile.ZipFile(output) as docx:
        media = [n for n in docx.namelist() if n.startswith("word/media/")]
        document = docx.read("word/document.xml").decode("utf-8")
    assert len(media) >= 2
    assert "Figur 1: Kodningar per tema och informant" in document
    assert "Figur 2: Nya teman och underteman per intervju" in document
