"""The results chapter: golden files, the Markdown as a parser reads it, escaping of hostile
passages, attributions, numbering, write-up checks, verify, the quotes table and the commands.

Golden files: tests/golden/chapter_en.md and chapter_sv.md, from the sample study with the memos,
elision and double selection that ``write_up`` adds. After an intended change of the chapter
format, regenerate them with

    WORKBENCH_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/test_chapter.py -k golden

and read the diff before committing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import shutil
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import copy_study
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from workbench.cli import main
from workbench.domain.chapter.attribution import parse_template
from workbench.domain.chapter.markdown import block_quote, escape_inline, quote_paragraphs, unescape
from workbench.domain.chapter.settings import parse_settings
from workbench.domain.elision import check_elided
from workbench.errors import InputError, WorkbenchError
from workbench.study import Study
from workbench.study.chapter import (
    ChapterSettings,
    chapter_settings,
    export_chapter,
    export_quotes_csv,
    verify_chapter,
)

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("WORKBENCH_REGENERATE_GOLDEN")

SETTINGS_EN = """\
title: Results of the interviews
number: 4
lang: en
attribution: "(Informant {informant}, {size} municipality, cluster {cluster})"
values:
  size: {larger: larger, smaller: smaller}
compare: size
appendix: true
informant_columns: [informant, role, size, cluster]
"""

SETTINGS_SV = """\
title: Resultat av intervjuerna
number: 4
lang: sv
attribution: "(Informant {informant}, {size}, kluster {cluster})"
values:
  size: {larger: större kommun, smaller: mindre kommun}
labels: {cluster: kluster, informant: informant, interviewed: intervjuad, level: nivå,
         organisation: organisation, role: roll, size: kommunstorlek}
compare: size
appendix: true
informant_columns: [informant, role, size, cluster]
"""

TEMPLATE = "(Informant {informant}, {size} municipality, cluster {cluster})"
MARKER = re.compile(r"<!-- workbench:quote (.*?) -->")


def write_up(study: Study) -> None:
    """What a researcher adds to the sample study before exporting: memos, a trimmed quote, one
    passage selected under two themes, a note after a quote, closing memos and cross-references."""
    study.set_memo(
        "study",
        None,
        (
            "This chapter presents the results of eight interviews about IT collaboration between\n"
            "municipalities, theme by theme.\n\n"
            "Summary of results\n\n"
            "The smaller municipalities depend on the collaboration; the larger ones worry about paying for it."
        ),
    )
    study.set_memo("theme", "Collaboration", "Collaboration was the reason for the interviews and the first theme.")
    study.set_memo(
        "theme",
        "Trust and confidence/Agreements matter",
        "The role of the written agreement differs between the clusters.",
    )
    quotes = study.quotes()
    first = next(q for q in quotes if q.transcript == "informant_1" and q.theme.endswith("Agreements matter"))
    study.select(
        first.id,
        elided="Without it, every discussion would become a discussion about trust [...] "
        "trust is a fragile thing to build a whole IT operation on.",
        after="The agreement stands in for trust here; the customer role in "
        "[[Identity/Customer-supplier identity]] shows the same distance from the other side.",
    )
    study.set_memo(
        "closing",
        "Trust and confidence",
        "Taken together, trust is carried by written agreements in both clusters, but for different "
        "reasons: as protection for the smaller party and as memory for the larger ([[Agreements matter]]).",
    )
    study.set_memo(
        "closing",
        "Identity/Local autonomy",
        "Local autonomy is voiced only by the smaller municipalities.",
    )
    for q in quotes:
        if q.text.startswith("We're not [the other municipality]"):
            study.select(q.id, comment=f"We read this as local identity voiced under {q.theme.split('/')[0]}.")


@pytest.fixture(scope="module")
def template_study(demo_template: Path, tmp_path_factory) -> Path:
    """The demo study written up for a chapter: selections, elisions and comments."""
    path = copy_study(demo_template, tmp_path_factory.mktemp("chapter") / "sample-study.db")
    with Study.open(path, coder="demo") as study:
        write_up(study)
    return path


@pytest.fixture
def study_path(template_study: Path, tmp_path: Path) -> Path:
    """A fresh copy of the written-up demo study for one test."""
    return copy_study(template_study, tmp_path / "sample-study.db")


@pytest.fixture
def study(study_path: Path):
    with Study.open(study_path, coder="demo") as opened:
        yield opened


def export_en(study: Study, **options) -> str:
    settings = ChapterSettings.from_yaml(SETTINGS_EN).with_options(**options)
    return export_chapter(study, settings, remember=False).markdown


# -- reading the Markdown as a reader (markdown-it) sees it ------------------------------------


def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def inline_text(token) -> str:
    out = []
    for child in token.children:
        if child.type == "text":
            out.append(child.content)
        elif child.type in ("hardbreak", "softbreak"):
            out.append("\n")
        else:
            out.append(f"<{child.type}>")  # markup where there should be none
    return "".join(out)


def block_quotes(markdown: str) -> list[str]:
    """The text of every top-level block quote, paragraphs joined by a blank line."""
    quotes, current, depth = [], [], 0
    for token in parser().parse(markdown):
        if token.type == "blockquote_open":
            depth += 1
            current = []
        elif token.type == "blockquote_close":
            depth -= 1
            quotes.append("\n\n".join(current))
        elif depth and token.type == "inline":
            current.append(inline_text(token))
        elif depth and token.type not in ("paragraph_open", "paragraph_close"):
            current.append(f"<{token.type}>")
    return quotes


def markers(markdown: str) -> list[dict[str, str]]:
    return [dict(item.split("=", 1) for item in m.group(1).split()) for m in MARKER.finditer(markdown)]


def headings(markdown: str) -> list[tuple[int, str]]:
    tokens = parser().parse(markdown)
    return [(int(t.tag[1]), tokens[i + 1].content) for i, t in enumerate(tokens) if t.type == "heading_open"]


def split_quote(text: str, marks=("“", "”")) -> tuple[str, str]:
    """(quote, attribution) of a block quote's text."""
    assert text.startswith(marks[0]), text
    cut = text.rfind(marks[1])
    return text[len(marks[0]) : cut], text[cut + len(marks[1]) :].strip()


def shown_form(passage: str) -> str:
    return "\n\n".join(quote_paragraphs(passage))


# -- golden files --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang, settings_yaml", [("en", SETTINGS_EN), ("sv", SETTINGS_SV)])
def test_golden_chapter(study: Study, lang: str, settings_yaml: str):
    """The chapter, and its appendices in a file of their own, as the researcher gets them."""
    result = export_chapter(study, ChapterSettings.from_yaml(settings_yaml), remember=False, appendix_apart=True)
    for name, text in ((f"chapter_{lang}.md", result.markdown), (f"appendices_{lang}.md", result.appendices)):
        golden = GOLDEN / name
        data = (text or "").encode("utf-8")
        if REGENERATE:
            golden.parent.mkdir(exist_ok=True)
            golden.write_bytes(data)
        assert golden.exists(), f"{golden} is missing; create it with WORKBENCH_REGENERATE_GOLDEN=1"
        assert data == golden.read_bytes(), (
            f"{name} differs from the golden file; if the change is intended, regenerate with "
            "WORKBENCH_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/test_chapter.py -k golden"
        )


def test_output_is_deterministic_utf8_with_lf(study: Study, study_path: Path, tmp_path: Path):
    first = export_en(study)
    other = tmp_path / "elsewhere.db"
    shutil.copy(study_path, other)
    with Study.open(other) as again:
        assert export_en(again) == first
    assert "\r" not in first and first.endswith("\n") and not first.endswith("\n\n")
    first.encode("utf-8")
    assert "“" in first and "ä" in first


# -- the Markdown as a parser reads it ------------------------------------------------------------


def test_every_block_quote_is_the_passage_in_its_transcript(study: Study):
    markdown = export_en(study)
    found = block_quotes(markdown)
    marks = markers(markdown)
    selected = [q for q in study.quotes() if q.selected]
    assert len(found) == len(marks) == len(selected) == 18
    by_id = {q.id: q for q in selected}
    for text, marker in zip(found, marks):
        quote = by_id[int(marker["id"])]
        transcript = study.transcript_text(marker["transcript"])
        passage = transcript[int(marker["start"]) : int(marker["end"])]
        assert hashlib.sha256(transcript.encode("utf-8")).hexdigest() == marker["sha256"]
        shown, _attribution = split_quote(text)
        assert "<" not in shown.replace("<script>", ""), f"markup inside a quote: {shown!r}"
        if quote.elided:
            assert shown == quote.elided.replace("[...]", "[…]")  # the researcher's cuts
            check_elided(passage, shown.replace("[…]", "[...]"))
        else:
            assert shown == shown_form(passage)


def test_the_same_case_is_attributed_identically_everywhere(study: Study):
    markdown = export_en(study)
    seen: dict[str, set[str]] = {}
    for text, marker in zip(block_quotes(markdown), markers(markdown)):
        seen.setdefault(marker["case"], set()).add(split_quote(text)[1])
    cases = study.cases()
    assert len(seen) == 8
    for case, attributions in seen.items():
        attrs = cases[case]
        assert attributions == {
            f"(Informant {attrs['informant']}, {attrs['size']} municipality, cluster {attrs['cluster']})"
        }


def test_numbering_is_consecutive_and_unique(study: Study):
    found = headings(export_en(study))
    assert found[0] == (1, "4 Results of the interviews")
    numbered = [(level, text.split(" ", 1)[0]) for level, text in found if text[:1].isdigit()]
    numbers = [n for _level, n in numbered]
    assert len(numbers) == len(set(numbers))
    expected_next: dict[str, int] = {}
    for level, number in numbered[1:]:
        parts = number.split(".")
        assert len(parts) == level, (level, number)
        parent = ".".join(parts[:-1])
        assert int(parts[-1]) == expected_next.get(parent, 1), f"{number} does not follow"
        expected_next[parent] = int(parts[-1]) + 1
    assert ("## 4.7 Summary of results") in export_en(study)


def test_without_a_number_headings_are_unnumbered(study: Study):
    markdown = export_en(study, number="")
    assert headings(markdown)[0] == (1, "Results of the interviews")
    assert not any(text[:1].isdigit() for _level, text in headings(markdown))
    assert "(Also quoted under “Standardisation”.)" in markdown


def test_structure_memos_comments_compare_and_appendix(study: Study):
    markdown = export_en(study)
    assert "This chapter presents the results" in markdown.split("## 4.1")[0]
    summary = markdown.split("## 4.7 Summary of results")[1].split("# Appendix")[0]
    assert (
        "The smaller municipalities depend" in summary
        and "Summary of results\n\nThe smaller" not in markdown.split("## 4.1")[0]
    )
    assert "## 4.1 Collaboration {#sec:collaboration}\n\nCollaboration was the reason" in markdown
    # comment paragraph, then marker, then the quote
    assert re.search(r"We read this as the smaller municipality's reason.*\n\n<!-- workbench:quote id=33 ", markdown)
    # the appendices come after the chapter, each a level-1 heading of its own
    assert "\n# Appendix A. Codebook {#app:codebook}\n" in markdown
    assert "\n# Appendix B. Informants {#app:informants}\n" in markdown
    assert "| 7 | IT strategist | smaller | B |" in markdown and "informant\\_7" not in markdown


def overview_table(markdown: str) -> tuple[str, list[list[str]]]:
    """The caption and the rows of the one overview table (header first)."""
    caption = next(line for line in markdown.split("\n") if line.startswith("**Table 4.1.**"))
    block = markdown.split(caption)[1].strip().split("\n\n")[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in block.split("\n")]
    return caption, [rows[0], *rows[2:]]


def test_compare_gives_one_overview_table_of_themes_and_groups(study: Study):
    markdown = export_en(study)
    assert markdown.count("| Theme |") == 2  # the overview, and the codebook in the appendix
    assert "Table:" not in markdown
    caption, rows = overview_table(markdown)
    assert "informants who spoke of the theme" in caption and "quotes shown in this chapter" in caption
    header, body = rows[0], rows[1:]
    assert header == ["Theme", "Larger: informants", "Larger: quotes", "Smaller: informants", "Smaller: quotes"]
    assert [r[0] for r in body] == [f"{number} {name}" for number, name in headings_numbered(markdown)]
    # informants: the study's counts; quotes: the chapter's block quotes, per group, sub-themes included
    counts = {r.theme.path: r for r in study.stats("size")[0]}
    quoted = study.quotes(selected_only=True)
    collaboration = next(r for r in body if r[0] == "4.1 Collaboration")
    larger, smaller = counts["Collaboration"].by_value["larger"], counts["Collaboration"].by_value["smaller"]
    assert collaboration[1] == f"{larger[1]} of 4" and collaboration[3] == f"{smaller[1]} of 4"
    in_collaboration = [q for q in quoted if q.theme.split("/")[0] == "Collaboration"]
    assert int(collaboration[2]) == sum(q.attributes["size"] == "larger" for q in in_collaboration)
    assert int(collaboration[4]) == sum(q.attributes["size"] == "smaller" for q in in_collaboration)
    total_quotes = sum(int(r[2]) + int(r[4]) for r in body if r[0].count(".") == 1)
    assert total_quotes == len(markers(markdown))


def headings_numbered(markdown: str) -> list[tuple[str, str]]:
    """(number, name) of every numbered theme heading, in order (the summary left out)."""
    found = re.findall(r"^#{2,6} (4\.[\d.]+) (.*?) \{#sec:", markdown, re.MULTILINE)
    return found


def test_a_passage_selected_under_two_themes_carries_a_cross_reference(study: Study):
    markdown = export_en(study)
    assert markdown.count("We're not \\[the other municipality\\], we do things our way.") == 2
    technology = markdown.index("## 4.2 Technology")
    reference = markdown.index("(Also quoted in section 4.2.1.)")
    identity = markdown.index("### 4.4.2 Local autonomy")
    assert technology < identity < reference
    assert markdown.count("Also quoted") == 1


def test_the_elided_form_is_shown(study: Study):
    markdown = export_en(study)
    assert "a discussion about trust \\[…\\] trust is a fragile" in markdown


def test_a_cut_is_shown_apart_from_the_transcripts_own_anonymisation_mark(study: Study):
    """informant_3 says "We have one technician who sits here, [...], and he's been with us for
    years": the [...] is the transcript's; the researcher cuts elsewhere in the same quote."""
    text = study.transcript_text("informant_3")
    start = text.index("We have one technician who sits here, [...]")
    end = text.index(".", text.index("been with us for years", start)) + 1
    coding = study.code("informant_3", "Collaboration", start, end).coding
    passage = text[start:end]
    elided = passage.replace("and he's been with us", "[...] with us")
    study.select(coding.id, elided=elided, comment="Local presence.")
    markdown = export_en(study)
    expected = elided.replace("[...] with us", "[…] with us")
    assert escape_inline(expected, line_start=False) in markdown
    assert "sits here, \\[...\\], " in markdown  # the transcript's own mark, as it is
    assert verify_chapter(study, markdown).ok
    plain = export_en(study, cut_mark="[...]")
    assert escape_inline(elided, line_start=False) in plain and verify_chapter(study, plain).ok


def test_all_exports_every_coding(study: Study):
    markdown = export_en(study, all=True)
    assert len(markers(markdown)) == len(study.quotes()) == 43
    assert "Technology" in markdown and "Organisational inertia" in markdown


def test_swedish_fixed_words_and_value_maps(study: Study):
    result = export_chapter(study, ChapterSettings.from_yaml(SETTINGS_SV), remember=False)
    markdown = result.markdown
    assert "# 4 Resultat av intervjuerna" in markdown
    assert "## 4.7 Sammanfattning av resultaten" in markdown and "# Bilaga A. Kodbok" in markdown
    assert "| Tema | Större kommun: informanter | Större kommun: citat |" in markdown
    assert "**Tabell 4.1.** Teman per kommunstorlek: informanter som berörde temat" in markdown
    assert "| 1 | CIO | större kommun | A |" in markdown  # the appendix maps values too
    assert "(Informant 7, mindre kommun, kluster B)" in markdown
    assert "(Citeras även i avsnitt 4.2.1.)" in markdown
    assert "> ”without the collaboration" in markdown
    assert verify_chapter(study, markdown).ok


# -- escaping -------------------------------------------------------------------------------------

HOSTILE = [
    "1. first we did this",
    "# not a heading",
    "> not a quote",
    "- not a list",
    "+ not a list either",
    "* star and _underscore_ and **bold** and __bold__",
    "a `code span` and ``double`` backticks",
    "<script>alert(1)</script> & &amp; &#32; <b>b</b> <!-- c -->",
    "| a | b |",
    "---",
    "===",
    "[link](http://example.com) and [ref] and ![img](x.png)",
    "a \\ backslash and \\\\ two and \\* escaped",
    "~~strike~~ ^sup^ ~sub~ $x$ and $$y$$ @smith2020 [@cite] [^1]",
    ": definition",
    "::: div",
    "(a) fancy and a) list and iv. roman",
    "3) also a list",
    "--- dashes -- and ---- more",
    "\\begin{document} \\emph{x} {#id .class}",
    "<http://autolink.example> www.example.com",
]

MULTILINE = "1. first line\n    indented line\n\ttabbed line\n# heading\n---\n\nnew paragraph   \n> and more"


@pytest.fixture
def hostile_study(tmp_path: Path) -> Study:
    transcript = tmp_path / "informant_x.txt"
    body = "\n".join(HOSTILE) + "\n" + MULTILINE + "\n"
    transcript.write_text("Interviewer: Tell me.\n\nInformant: " + body, encoding="utf-8")
    with Study.create(tmp_path / "hostile.db", coder="test") as study:
        study.import_files([transcript])
        study.add_theme("Hostile")
        study.add_theme("Whole")
        text = study.transcript_text("informant_x")
        for passage in HOSTILE:
            start, end = study.find_passage("informant_x", passage, occurrence=1)
            study.select(study.code("informant_x", "Hostile", start, end).coding.id, comment="Literal.")
        start, end = study.find_passage("informant_x", MULTILINE)
        study.select(study.code("informant_x", "Whole", start, end).coding.id, comment="Several lines.")
        assert text[start:end] == MULTILINE
        yield study


def test_hostile_passages_render_literally(hostile_study: Study):
    result = export_chapter(hostile_study, ChapterSettings(number="2"), remember=False)
    markdown = result.markdown
    found = [split_quote(text)[0] for text in block_quotes(markdown)]
    assert found == [*HOSTILE, shown_form(MULTILINE)]
    assert "new paragraph   \n> and more" in shown_form(MULTILINE)
    assert [level for level, _ in headings(markdown)] == [1, 2, 2]
    kinds = {t.type for t in parser().parse(markdown)}
    assert not kinds & {"bullet_list_open", "ordered_list_open", "table_open", "hr", "fence", "code_block"}
    html_blocks = [t.content for t in parser().parse(markdown) if t.type == "html_block"]
    assert all(b.startswith("<!-- workbench:") for b in html_blocks)
    rendered = parser().render(markdown)
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert verify_chapter(hostile_study, markdown).ok


def test_a_multi_line_passage_keeps_its_line_breaks_in_one_block_quote(hostile_study: Study):
    markdown = export_chapter(hostile_study, ChapterSettings(), remember=False).markdown
    whole = block_quotes(markdown)[-1]
    assert whole.startswith("“1. first line\n    indented line\n\ttabbed line\n# heading\n---\n\nnew paragraph")
    html = parser().render(markdown)
    assert html.count("<blockquote>") == len(HOSTILE) + 1
    assert "<br />" in html


def test_names_and_templates_with_double_hyphens_keep_the_comments_intact(tmp_path: Path):
    transcript = tmp_path / "inter--view 1.txt"
    transcript.write_text("Interviewer: Well?\n\nInformant: It works -- mostly.\n", encoding="utf-8")
    with Study.create(tmp_path / "odd.db", coder="test") as study:
        study.import_files([transcript])
        study.add_theme("Odd -- theme")
        start, end = study.find_passage("inter--view 1", "It works -- mostly.")
        study.select(study.code("inter--view 1", "Odd -- theme", start, end).coding.id, comment="Odd.")
        settings = ChapterSettings(title="A -- B", attribution="({transcript} -- {case})")
        markdown = export_chapter(study, settings, remember=False).markdown
        comments = re.findall(r"<!--(.*?)-->", markdown, flags=re.DOTALL)
        assert len(comments) == 2 and not any("--" in c for c in comments)
        assert "\\-\\- mostly.” (inter\\-\\-view 1 \\-\\- inter\\-\\-view 1)" in markdown
        assert verify_chapter(study, markdown).ok


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 1.#>-+*_|<>`[]()\\~^$@&:=!{}'\"\t\n;xX")), min_size=1, max_size=60))
def test_escaping_round_trips_through_a_markdown_parser(text: str):
    paragraphs = quote_paragraphs(text)
    if not paragraphs:
        return
    markdown = "\n".join(block_quote(paragraphs, "“", "”")) + "\n"
    assert block_quotes(markdown) == ["“" + "\n\n".join(paragraphs) + "”"]


@given(st.text(max_size=40).filter(lambda s: "\n" not in s and "\r" not in s))
def test_unescape_inverts_escape(text: str):
    assert unescape(escape_inline(text)) == text


# -- attributions and settings -------------------------------------------------------------------


def test_a_template_naming_a_missing_attribute_lists_the_cases(study: Study):
    study.set_case_attributes("informant_3", {"cluster": ""})
    study.set_case_attributes("informant_6", {"cluster": ""})
    with pytest.raises(WorkbenchError) as error:
        export_en(study)
    message = str(error.value)
    assert "{cluster}" in message and "informant_3, informant_6" in message and "\n" not in message


def test_a_value_without_a_map_entry_is_used_as_stored_with_a_warning(study: Study):
    study.set_case_attributes("informant_2", {"size": "medium"})
    result = export_chapter(study, ChapterSettings.from_yaml(SETTINGS_EN), remember=False)
    assert "(Informant 2, medium municipality, cluster A)" in result.markdown
    assert any("size=medium (informant_2)" in w for w in result.warnings)


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("title: A\nlnag: sv\n", 2, "did you mean 'lang'"),
        ("lang: de\n", 1, "'lang' must be one of"),
        ("title: x\nattribution: '(Informant {informant'\n", 2, "is not closed"),
        ("values:\n  size: [a, b]\n", 2, "must be a mapping"),
        ("appendix: maybe\n", 1, "true or false"),
        ("title: [unclosed\n", 2, "not valid YAML"),
        ("number: 4 b\n", 1, "one word"),
        ("quote_marks: [a]\n", 1, "two marks"),
    ],
)
def test_settings_errors_name_the_line(text: str, line: int, words: str):
    with pytest.raises(InputError) as error:
        parse_settings(text, source="chapter.yaml")
    assert str(error.value).startswith(f"chapter.yaml:{line}: ") and words in str(error.value)


def test_settings_round_trip_and_layering(study: Study, tmp_path: Path):
    settings = ChapterSettings.from_yaml(SETTINGS_SV)
    assert ChapterSettings.from_yaml(settings.to_yaml()) == settings
    assert settings.number == "4" and settings.values["size"]["larger"] == "större kommun"
    file = tmp_path / "chapter.yaml"
    file.write_text("lang: sv\ncompare: cluster\n", encoding="utf-8")
    # the demo study remembers its chapter settings; forget them: defaults, then the file, then the options
    study.set_setting("chapter_settings", None)
    layered = chapter_settings(study, file, number="5", compare="")
    assert (layered.lang, layered.number, layered.compare, layered.attribution) == ("sv", "5", None, "({case})")
    export_chapter(study, layered.with_options(attribution=TEMPLATE, all=True))
    remembered = study.setting("chapter_settings")
    assert "attribution:" in remembered and "all:" not in remembered
    again = chapter_settings(study, title="Findings")
    assert (again.lang, again.number, again.attribution, again.title, again.all) == (
        "sv",
        "5",
        TEMPLATE,
        "Findings",
        False,
    )


def test_template_language():
    template = parse_template("{{literal}} ({case}, {Size})")
    assert template.keys == ["case", "Size"]
    with pytest.raises(WorkbenchError):
        parse_template("(a})")
    with pytest.raises(WorkbenchError):
        parse_template("({})")


# -- write-up checks -------------------------------------------------------------------------------


def test_the_sample_study_warns_about_over_represented_groups(study: Study):
    result = export_chapter(study, ChapterSettings.from_yaml(SETTINGS_EN), remember=False)
    assert any("'Identity': 4 of 6 quotes come from size=smaller" in w or "size=smaller" in w for w in result.warnings)
    assert result.notes == [
        "left out (no quote to show): Collaboration/Organisational inertia, "
        "Collaboration/Shared services, Technology/Legacy systems"
    ]


def test_write_up_checks(study: Study, study_path: Path):
    quotes = study.quotes()
    # a quote without a comment, and a theme resting on one informant
    lone = next(q for q in quotes if q.theme == "Collaboration/Shared services" and q.transcript == "informant_6")
    study.select(lone.id)
    other = next(q for q in quotes if q.theme == "Collaboration/Shared services" and q.transcript == "informant_8")
    study.uncode(other.id)
    # informant_6 is quoted twice; deselect informant_2's only quote so it is never quoted
    for q in quotes:
        if q.transcript == "informant_2" and q.selected:
            study.select(q.id, selected=False)
    result = export_chapter(study, ChapterSettings.from_yaml(SETTINGS_EN), remember=False)
    joined = "\n".join(result.warnings)
    assert f"1 selected quote(s) without a comment: #{lone.id}" in joined
    assert "'Collaboration/Shared services' rests on a single informant (informant_6)" in joined
    assert "1 informant(s) never quoted: informant_2" in joined


def test_a_transcript_changed_after_coding_is_a_warning(study: Study, study_path: Path):
    quote = next(q for q in study.quotes() if q.selected and q.transcript == "informant_7")
    _edit_transcript(study_path, "informant_7", quote.start, "WITHOUT")
    with Study.open(study_path) as reopened:
        result = export_chapter(reopened, ChapterSettings.from_yaml(SETTINGS_EN), remember=False)
    assert any(
        w.startswith(f"quote #{quote.id}: transcript 'informant_7' no longer has the coded text")
        for w in result.warnings
    )


# -- verify -----------------------------------------------------------------------------------------


def _edit_transcript(path: Path, name: str, at: int, replacement: str) -> None:
    """Change a transcript behind workbench's back, as an outside tool would."""
    with sqlite3.connect(path) as db:
        (text,) = db.execute("SELECT text FROM transcripts WHERE name = ?", [name]).fetchone()
        text = text[:at] + replacement + text[at + len(replacement) :]
        db.execute("UPDATE transcripts SET text = ? WHERE name = ?", [text, name])
    db.close()


def test_verify_accepts_a_fresh_chapter_and_a_rewrapped_one(study: Study):
    markdown = export_en(study)
    report = verify_chapter(study, markdown)
    assert report.ok and report.checked == 18
    rewrapped = markdown.replace("trust is a fragile thing", "trust is a\n> fragile thing")
    assert verify_chapter(study, rewrapped).ok


def test_verify_catches_an_edited_transcript(study: Study, study_path: Path):
    markdown = export_en(study)
    quote = next(
        q for q in study.quotes() if q.selected and q.transcript == "informant_7" and q.theme == "Collaboration"
    )
    study.close()
    _edit_transcript(study_path, "informant_7", quote.start + 4, "WITH")
    with Study.open(study_path) as reopened:
        report = verify_chapter(reopened, markdown)
    assert not report.ok
    [failing] = report.problems  # the other quotes of that transcript still match, word for word
    assert failing.quote_id == str(quote.id) and "'without the' is now 'withWITHthe'" in failing.message
    assert report.notes == ["transcript 'informant_7' changed since the export (its sha256 differs)"]


def test_verify_catches_a_changed_case_attribute_and_an_edited_quote(study: Study):
    markdown = export_en(study)
    study.set_case_attributes("informant_4", {"size": "larger"})
    tampered = markdown.replace("we could not manage it ourselves", "we could hardly manage it ourselves")
    report = verify_chapter(study, tampered)
    messages = [str(p) for p in report.problems]
    assert (
        sum(
            "informant_4" in m and "should now be '(Informant 4, larger municipality, cluster A)'" in m
            for m in messages
        )
        == 2
    )
    assert any("#33" in m and "'hardly' is now 'not'" in m for m in messages)
    assert report.summary() == "3 of 18 quote(s) no longer match the study"


def test_verify_after_a_reimport_reports_only_the_corrected_quote_and_its_word(study: Study, tmp_path: Path):
    """A word corrected in a transcript file, then re-imported: the quotes that only moved pass,
    the one quote with the word fails, and the message names the word before and after."""
    from workbench.resources import sample_data_dir
    from workbench.study.reimport import reimport_transcript

    markdown = export_en(study)
    source = (sample_data_dir() / "transcripts" / "informant_7.vtt").read_text(encoding="utf-8")
    assert source.count("could not manage it ourselves") == 1
    corrected = tmp_path / "informant_7.vtt"
    corrected.write_text(source.replace("could not manage it", "could not cope with it"), encoding="utf-8")
    quoted_later = [q for q in study.quotes(selected_only=True) if q.transcript == "informant_7" and q.start > 1200]
    reimport_transcript(study, corrected)
    assert all(study.quote(q.id).start != q.start for q in quoted_later)  # they moved
    report = verify_chapter(study, markdown)
    [problem] = report.problems
    assert problem.quote_id == "33" and problem.transcript == "informant_7"
    assert problem.message.endswith("the quote's words differ from the transcript: 'manage' is now 'cope with'")
    assert f"{len(quoted_later)} quote(s) moved in their transcripts" in report.notes[-1]


def test_verify_finds_a_word_said_twice_in_an_attribution(study: Study):
    settings = ChapterSettings.from_yaml(SETTINGS_SV).with_options(attribution="(Informant {informant}, {size} kommun)")
    result = export_chapter(study, settings, remember=False)
    assert any("says 'kommun' twice" in w and "mindre kommun kommun" in w for w in result.warnings)
    report = verify_chapter(study, result.markdown)
    assert not report.ok and all("says 'kommun' twice" in p.message for p in report.problems)


def test_verify_refuses_a_file_that_is_not_a_chapter(study: Study):
    with pytest.raises(WorkbenchError, match="no workbench chapter header"):
        verify_chapter(study, "# Just notes\n\n> a quote\n")


# -- the quotes table ---------------------------------------------------------------------------------


def test_quotes_csv_has_one_row_per_coding_and_neutralises_formulas(study: Study):
    quote = next(q for q in study.quotes() if q.transcript == "informant_2")
    study.select(quote.id, comment='=HYPERLINK("http://x")')
    study.set_case_attributes("informant_2", {"role": "+sysadmin", "level": "@op", "organisation": "-A1"})
    rows = list(csv.DictReader(io.StringIO(export_quotes_csv(study))))
    assert len(rows) == 43
    assert list(rows[0])[:4] == ["id", "transcript", "case", "cluster"]
    assert list(rows[0])[-8:] == ["theme", "text", "start", "end", "coder", "selected", "comment", "elided"]
    row = next(r for r in rows if r["id"] == str(quote.id))
    assert row["comment"] == '\'=HYPERLINK("http://x")'
    assert (row["role"], row["level"], row["organisation"]) == ("'+sysadmin", "'@op", "'-A1")
    assert row["selected"] == "true" and row["text"] == quote.text and row["size"] == "larger"


# -- the commands -----------------------------------------------------------------------------------


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, code: int = 0):
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result

    return invoke


def test_cli_export_and_verify(study_path: Path, tmp_path: Path, run):
    settings = tmp_path / "chapter.yaml"
    settings.write_text(SETTINGS_EN, encoding="utf-8")
    out = tmp_path / "chapter.md"
    result = run("export", "chapter", study_path, "-o", out, "--settings", settings)
    assert "wrote" in result.stdout and "warning:" in result.stderr
    golden = GOLDEN / "chapter_en.md"
    assert out.read_bytes() == golden.read_bytes() + b"\n" + (GOLDEN / "appendices_en.md").read_bytes()
    # remembered: a second export without options gives the same chapter
    again = tmp_path / "again.md"
    run("export", "chapter", study_path, "-o", again)
    assert again.read_bytes() == out.read_bytes()
    assert "all 18 quote(s) match" in run("verify", study_path, out).stdout
    # --strict turns the warnings into exit status 1, and the chapter is still written
    strict = run("export", "chapter", study_path, "-o", tmp_path / "strict.md", "--strict", code=1)
    assert strict.stderr.strip().splitlines()[-1].startswith("error: --strict:")
    assert (tmp_path / "strict.md").exists()


def test_cli_verify_lists_what_no_longer_matches(study_path: Path, tmp_path: Path, run):
    out = tmp_path / "chapter.md"
    run("export", "chapter", study_path, "-o", out, "--attribution", TEMPLATE)
    with Study.open(study_path) as study:
        quoted = [q for q in study.quotes(selected_only=True) if q.transcript == "informant_4"]
    assert len(quoted) == 2
    for quote in quoted:  # one word changed in each of informant_4's two quotes
        _edit_transcript(study_path, "informant_4", quote.start, "X" * quote.text.index(" "))
    result = run("verify", study_path, out, code=1)
    assert result.stderr.splitlines()[-1].startswith("error: ")
    assert (
        result.stderr.splitlines()[0] == "note: transcript 'informant_4' changed since the export (its sha256 differs)"
    )
    listed = result.stdout.strip().splitlines()
    assert len(listed) == 2 and all(line.startswith(f"{out}:") and "informant_4" in line for line in listed)
    assert all("is now 'XX" in line for line in listed)


@pytest.mark.parametrize(
    "args, words",
    [
        (["--attribution", "({nope})"], "which 8 case(s) lack"),
        (["--attribution", "({size"], "is not closed"),
        (["--compare", "colour"], "no case has an attribute 'colour'"),
        (["--number", "4 b"], "one word"),
        (["--settings", "missing.yaml"], "missing.yaml: file not found"),
    ],
)
def test_cli_errors_are_one_line(study_path: Path, tmp_path: Path, run, args, words):
    result = run("export", "chapter", study_path, "-o", tmp_path / "c.md", *args, code=1)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ") and words in result.stderr
    assert not (tmp_path / "c.md").exists()


def test_cli_usage(study_path: Path, tmp_path: Path, run):
    assert "Missing option '-o'" in run("export", "chapter", study_path, code=1).output  # one line, as every error
    assert run("export", "quotes", study_path).stdout.startswith("id,transcript,case,")
    run("export", "quotes", study_path, "-o", tmp_path / "q.csv", "--bom")
    assert (tmp_path / "q.csv").read_bytes().startswith(b"\xef\xbb\xbfid,")
    not_chapter = tmp_path / "notes.md"
    not_chapter.write_text("# notes\n", encoding="utf-8")
    result = run("verify", study_path, not_chapter, code=1)
    assert result.stderr.startswith(f"error: {not_chapter}: no workbench chapter header")
    assert run("verify", study_path, tmp_path / "nope.md", code=1).stderr.startswith("error: ")


# -- settings you can see, cross-references, fixed words ---------------------------------------------


def test_every_export_prints_the_settings_and_where_each_came_from(study_path: Path, tmp_path: Path, run):
    settings = tmp_path / "chapter.yaml"
    settings.write_text("lang: sv\nnumber: 4\n", encoding="utf-8")
    first = run(
        "export", "chapter", study_path, "-o", tmp_path / "a.md", "--settings", settings, "--title", "R", "--fresh"
    )
    lines = first.stderr.splitlines()
    assert "settings used:" in lines
    assert f"  lang: sv (file {settings})" in lines and "  title: R (option)" in lines
    assert "  attribution: ({case}) (default)" in lines
    # the next plain export uses the remembered settings, and says so
    plain = run("export", "chapter", study_path, "-o", tmp_path / "b.md").stderr.splitlines()
    assert "  lang: sv (remembered)" in plain and "  title: R (remembered)" in plain
    assert (tmp_path / "b.md").read_text(encoding="utf-8").count("# 4 R") == 1
    # --fresh ignores them: back to the defaults (English, no number)
    fresh = run("export", "chapter", study_path, "-o", tmp_path / "c.md", "--fresh").stderr.splitlines()
    assert "  lang: en (default)" in fresh and not any("remembered" in line for line in fresh)
    assert "\n# Results\n" in (tmp_path / "c.md").read_text(encoding="utf-8")


def test_a_reference_to_a_theme_not_in_the_chapter_is_a_warning(study: Study):
    study.set_memo(
        "theme", "Collaboration", "See [[Trust and confidence/Security and responsibility]] and [[Nowhere]]."
    )
    result = export_chapter(study, ChapterSettings.from_yaml(SETTINGS_EN), remember=False)
    assert "See [section 4.3.2](#sec:trust-and-confidence.security-and-responsibility) and [[Nowhere]]." in (
        result.markdown
    )
    assert "cross-reference in the memo on Collaboration: [[Nowhere]] names no section of the chapter" in (
        result.warnings
    )
    # without numbers, the section is named
    unnumbered = export_chapter(study, ChapterSettings(), remember=False).markdown
    assert "See [“Security and responsibility”](#sec:trust-and-confidence.security-and-responsibility)" in unnumbered


def test_labels_stay_when_sections_are_renumbered(study: Study):
    before = re.findall(r"\{#(sec:[^}]+)\}", export_en(study))
    agreements = next(q for q in study.quotes(selected_only=True) if q.theme.startswith("Collaboration"))
    study.select(agreements.id, selected=False)  # fewer sections before Trust: the numbers shift
    after = re.findall(r"\{#(sec:[^}]+)\}", export_en(study))
    assert (
        "sec:trust-and-confidence.agreements-matter" in before and "sec:trust-and-confidence.agreements-matter" in after
    )
    assert len(set(after)) == len(after)


def test_fixed_words_can_be_replaced_in_the_settings(study: Study):
    settings = ChapterSettings.from_yaml(SETTINGS_SV + "words: {summary: Slutsatser, table: 'Tab. {number}'}\n")
    markdown = export_chapter(study, settings, remember=False).markdown
    assert "## 4.7 Slutsatser" in markdown and "**Tab. 4.1** Teman per" in markdown
    assert "Sammanfattning av resultaten" not in markdown


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("lang: sv\nwords:\n  summry: X\n", 3, "unknown word 'summry' (did you mean 'summary'?)"),
        ("words:\n  also: 'see {page}'\n", 2, "placeholder that is not known"),
        ("informant_columns: size\n", 1, "must be a list of attribute names"),
    ],
)
def test_word_and_column_settings_errors_name_the_line(text: str, line: int, words: str):
    with pytest.raises(InputError) as caught:
        parse_settings(text, "chapter.yaml")
    assert caught.value.where == f"chapter.yaml:{line}" and words in str(caught.value)


def test_appendix_file_keeps_the_appendices_out_of_the_chapter(study_path: Path, tmp_path: Path, run):
    settings = tmp_path / "chapter.yaml"
    settings.write_text(SETTINGS_EN, encoding="utf-8")
    out, appendix = tmp_path / "chapter.md", tmp_path / "appendices.md"
    result = run("export", "chapter", study_path, "-o", out, "--settings", settings, "--appendix-file", appendix)
    assert f"wrote {out} and {appendix}" in result.stdout
    assert out.read_bytes() == (GOLDEN / "chapter_en.md").read_bytes()
    assert appendix.read_bytes() == (GOLDEN / "appendices_en.md").read_bytes()
    assert "Appendix" not in out.read_text(encoding="utf-8")


# -- write-up checks: accepting one, balance across informants -------------------------------------


def test_accept_acknowledges_one_warning_and_strict_passes(study_path: Path, tmp_path: Path, run):
    settings = tmp_path / "chapter.yaml"
    settings.write_text(SETTINGS_EN, encoding="utf-8")
    first = run("export", "chapter", study_path, "-o", tmp_path / "a.md", "--settings", settings, code=0)
    named = re.findall(r"^warning: .*\[([a-z-]+(?::[^\]]+)?)\]$", first.stderr, re.MULTILINE)
    assert named, first.stderr  # every write-up warning says how to accept it
    strict = run("export", "chapter", study_path, "-o", tmp_path / "b.md", "--strict", code=1)
    assert "error: --strict" in strict.stderr
    accepted = ["--accept" if i % 2 == 0 else key for key in named for i in range(2)]
    done = run("export", "chapter", study_path, "-o", tmp_path / "c.md", "--strict", *accepted)
    assert "warning:" not in done.stderr and done.stderr.count("accepted: ") == len(named)
    # recorded: in the chapter's header and for the next export
    assert "accept:" in (tmp_path / "c.md").read_text(encoding="utf-8").split("-->")[0]
    run("export", "chapter", study_path, "-o", tmp_path / "d.md", "--strict")


def test_an_acceptance_names_one_theme_only(study: Study):
    settings = ChapterSettings.from_yaml(SETTINGS_EN + "accept: ['over-represented:Collaboration', never-quoted]\n")
    result = export_chapter(study, settings, remember=False)
    assert any("[over-represented:Identity]" in w for w in result.warnings)
    assert "accepted 'over-represented:Collaboration' matches no write-up warning (any more)" in result.notes


def test_the_balance_check_names_the_informants_who_give_most_and_fewest(study: Study):
    quotes = study.quotes()
    for quote in quotes:
        if quote.transcript == "informant_1" and not quote.selected:
            study.select(quote.id, comment="More from the CIO.")
    result = export_chapter(study, ChapterSettings.from_yaml(SETTINGS_EN + "balance: 0.2\n"), remember=False)
    chosen = study.quotes(selected_only=True)
    given = sum(q.transcript == "informant_1" for q in chosen)
    assert given / len(chosen) > 0.2
    [balance] = [w for w in result.warnings if w.endswith("[balance]")]
    assert f"({len(chosen)} quotes): informant_1 gives {given} ({given / len(chosen):.0%})" in balance
    assert "more than 20% each; fewest: " in balance
    looser = ChapterSettings.from_yaml(SETTINGS_EN + "balance: 60%\n")
    assert not any(w.endswith("[balance]") for w in export_chapter(study, looser, remember=False).warnings)


def test_compare_sections_adds_a_table_only_where_a_section_has_enough_quotes(study: Study):
    markdown = export_en(study, compare_sections=4)
    captions = re.findall(r"^\*\*Table (4\.\d+)\.\*\* (.*)$", markdown, re.MULTILINE)
    assert [number for number, _ in captions] == [f"4.{i}" for i in range(1, len(captions) + 1)]
    assert captions[0][1].startswith("Themes by size")
    sectioned = [text.split(" by size")[0] for _, text in captions[1:]]
    themes = [q.theme for q in study.quotes(selected_only=True)]
    quoted = Counter(part for path in themes for part in {"/".join(path.split("/")[: i + 1]) for i in range(2)})
    # a theme's own table counts its sub-themes' quotes
    in_order = [name for _number, name in headings_numbered(markdown)]
    paths = {path.split("/")[-1]: path for path in quoted}
    assert sectioned == [name for name in in_order if quoted[paths[name]] >= 4]
    assert len(sectioned) >= 2
    quoted = Counter(path.split("/")[0] for path in themes)
    trust = markdown.split("## 4.3 Trust and confidence")[1].split("###")[0]
    rows = [line for line in trust.split("\n") if line.startswith("| larger") or line.startswith("| smaller")]
    total = sum(int(row.strip("|").split("|")[2]) for row in rows)
    assert total == quoted["Trust and confidence"]
