"""The HTML (noScribe and plain), .odt and table readers fuzzed through the study: each case
imports, or fails with a one-line ``WorkbenchError`` that leaves the study as it was."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_fuzz_readers import ENCODINGS, attempt, mutated_file, pieces, quick, random_zip, write
from test_import_odt_and_tables import ODT_BODY, write_odt

from workbench.study import Study

DEFAULT, SLOW = quick(80, 3000)

HTMLISH = pieces(
    [
        "<p>",
        "</p>",
        "<a name='ts_1000_2000_S00'>",
        '<a name="ts_2000_1500_//S01">',
        "<a name='ts_x_y_'>",
        "</a>",
        "<span style='color:#78909C'>[00:00:01]</span>",
        "<span class='taglist'> [T]</span>",
        "<br>",
        "<br/>",
        "<script>",
        "</script>",
        "<style>",
        "<![CDATA[",
        "<!--",
        "-->",
        "<!DOCTYPE html>",
        "<?xml?>",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "&bogus;",
        "<",
        ">",
        "S00:",
        " //S01: ",
        "//",
        " ",
        "\n",
        "Hallo",
        "ä",
        "\x1b]0;x\x07",
        "<h1>",
        "<title>",
        "</title>",
        "<meta name='audio_source' content='a.mp3'>",
    ],
    120,
)
TABLEISH = pieces(
    [
        "Start",
        "Speaker",
        "Text",
        "Sprecher",
        "Zeit",
        ",",
        ";",
        "\t",
        "\n",
        "\r\n",
        '"',
        "00:00:01",
        "1:02",
        "99:99",
        "[00:01]",
        "1,5",
        "A",
        "hello",
        "\ufeff",
        "\x00",
        " ",
    ],
    150,
)


@pytest.fixture(scope="module")
def study(tmp_path_factory):
    with Study.create(tmp_path_factory.mktemp("fuzz") / "s.db") as opened:
        yield opened


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("files")


@pytest.fixture(scope="module")
def real_odt(tmp_path_factory):
    return write_odt(tmp_path_factory.mktemp("odt") / "real.odt", ODT_BODY)


@st.composite
def encoded(draw, text):
    return draw(text).encode(draw(ENCODINGS), errors="replace")


@DEFAULT
@given(data=encoded(HTMLISH))
def test_fuzz_html(folder, study, data):
    path = write(folder, ".html", data)
    attempt("html", study, lambda: study.import_files([path]))


@DEFAULT
@given(data=encoded(TABLEISH), suffix=st.sampled_from([".csv", ".tsv"]))
def test_fuzz_tables(folder, study, data, suffix):
    path = write(folder, suffix, data)
    attempt("table", study, lambda: study.import_files([path]))


@DEFAULT
@given(data=st.data())
def test_fuzz_odt(folder, study, real_odt, data):
    content = data.draw(st.one_of(st.binary(max_size=300), random_zip(), mutated_file(real_odt)))
    path = write(folder, ".odt", content)
    attempt("odt", study, lambda: study.import_files([path]))


def test_deeply_nested_odt_and_html_fail_on_one_line_or_import(folder, study):
    nested = write_odt(
        folder / "deep.odt", "<text:p>" + "<text:span>" * 5000 + "x" + "</text:span>" * 5000 + "</text:p>"
    )
    attempt("odt", study, lambda: study.import_files([nested]))
    page = write(folder, ".html", ("<div>" * 20000 + "x" + "</div>" * 20000).encode())
    attempt("html", study, lambda: study.import_files([page]))
