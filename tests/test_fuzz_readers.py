"""Hostile and broken input: every reader fuzzed, size limits, terminal safety, export safety.

Each fuzz case goes through the study (import, codebook load, exchange import), not only the
reader: it must either work or fail with a ``WorkbenchError`` whose message is one line, and a
failure must leave every table of the study exactly as it was.

The default run keeps the example counts small; ``pytest -m slow`` runs the long versions.
``FUZZ_CASES`` counts the cases run (printed at the end of the module with ``-s``).
"""

from __future__ import annotations

import io
import itertools
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import run_workbench
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workbench.cli import main
from workbench.errors import WorkbenchError
from workbench.study import Study

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("WORKBENCH_SHARED_DATA") or REPO.parent / "shared" / "data")
REAL_DOCX = SHARED / "docx" / "qualcoder_ID1.docx"
REAL_QDC = SHARED / "codebooks" / "openqda_example_codebook.qdc"
REAL_QDPX = SHARED / "refi-qda" / "qc_demo.qdpx"
SAMPLE = REPO / "sample_data" / "transcripts" / "informant_1.txt"
CODEBOOK = REPO / "codebooks" / "it-collaboration.yaml"
MB = 1024 * 1024

FUZZ_CASES: dict[str, int] = {}
_names = itertools.count()

try:  # the REFI-QDA readers, when they are part of the tree
    from workbench.study import exchange
except ImportError:  # pragma: no cover
    exchange = None


def quick(examples: int, slow_examples: int):
    """Hypothesis settings for a default test and its slow twin."""
    common = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    return settings(max_examples=examples, **common), settings(max_examples=slow_examples, **common)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.fixture(scope="module")
def study(folder: Path):
    """A small study with a transcript, a codebook and a coding, shared by the fuzz cases."""
    with Study.create(folder / "study.db", coder="fuzz") as opened:
        opened.import_files([SAMPLE])
        opened.load_codebook(CODEBOOK)
        start, end = opened.find_passage("informant_1", "tape and string")
        opened.code("informant_1", "Technology", start, end)
        yield opened
    total = sum(FUZZ_CASES.values())
    print(f"\nfuzz cases run: {total} ({', '.join(f'{k} {v}' for k, v in sorted(FUZZ_CASES.items()))})")


def row_counts(study: Study) -> dict[str, int]:
    tables = [r[0] for r in study._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: study._db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}


def attempt(kind: str, study: Study, action) -> str:
    """Run ``action``; a failure must be a one-line WorkbenchError that changed nothing."""
    FUZZ_CASES[kind] = FUZZ_CASES.get(kind, 0) + 1
    before = row_counts(study)
    events = study._db.execute("SELECT ifnull(max(id), 0) FROM events").fetchone()[0]
    try:
        action()
    except WorkbenchError as exc:
        message = str(exc)
        assert message and "\n" not in message and "\r" not in message, repr(message)
        assert row_counts(study) == before, f"a failed {kind} changed the study: {message}"
        return "refused"
    # Keep the shared study small: take back what a successful case added.
    while (
        study._db.execute(
            "SELECT ifnull(max(id), 0) FROM events WHERE undone = 0 AND undo_first IS NOT NULL"
        ).fetchone()[0]
        > events
    ):
        study.undo()
    return "ok"


def write(folder: Path, suffix: str, data: bytes) -> Path:
    path = folder / f"case{next(_names)}{suffix}"
    path.write_bytes(data)
    return path


# -- strategies -----------------------------------------------------------------------------------


def pieces(alphabet: list[str], max_size: int):
    """Text made of the given pieces (single characters or longer tokens)."""
    return st.lists(st.sampled_from(alphabet), max_size=max_size).map("".join)


TEXTISH = pieces(
    list("abc XYZ:-\n\t[]*#>|\"',.0123456789åäö") + ["\r\n", "---", "\x00", "\x1b", "\ufeff", "Interviewer: "], 400
)
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1"])


@st.composite
def encoded(draw, text=TEXTISH):
    value = draw(text)
    return value.encode(draw(ENCODINGS), errors="replace")


@st.composite
def front_matter(draw):
    keys = draw(
        st.lists(
            st.sampled_from(["case", "size", "cluster", "role", "date", "", "- x", "? y", "a: b", "&a", "*a"]),
            max_size=5,
        )
    )
    values = draw(
        st.lists(
            st.sampled_from(
                ["smaller", "[a, b]", "{x: 1}", "|", "!!python/object:os.system", "2026-01-01", "'", '"', "null", "*a"]
            ),
            min_size=len(keys),
            max_size=len(keys),
        )
    )
    block = "\n".join(f"{k}: {v}" for k, v in zip(keys, values))
    closing = draw(st.sampled_from(["---", "...", "", "--- "]))
    body = draw(TEXTISH)
    return f"---\n{block}\n{closing}\n{body}".encode(draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"])))


CUE_ALPHABET = list("WEBVT0123456789:.,-> <v/>[?]&amp;NOTE\nAbc") + [
    "-->",
    "00:00:01.000",
    "00:00:02,500",
    "<v Anna>",
    "\n\n",
]
SUBTITLES = pieces(CUE_ALPHABET, 300)


@st.composite
def subtitle_bytes(draw):
    body = draw(SUBTITLES)
    header = draw(st.sampled_from(["WEBVTT\n\n", "", "1\n", "WEBVTT - x\n\nNOTE hi\n\n"]))
    return (header + body).encode(draw(st.sampled_from(["utf-8", "utf-16", "cp1252"])), errors="replace")


TRANSCRIPT_CASES = st.one_of(st.binary(max_size=600), encoded(), front_matter())
DOCX_PARTS = [
    "[Content_Types].xml",
    "_rels/.rels",
    "word/document.xml",
    "word/_rels/document.xml.rels",
    "word/styles.xml",
]


@st.composite
def random_zip(draw):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))) as archive:
        for _ in range(draw(st.integers(0, 5))):
            name = draw(
                st.one_of(
                    st.sampled_from(DOCX_PARTS),
                    st.text(
                        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00/"),
                        min_size=1,
                        max_size=20,
                    ),
                )
            )
            content = draw(
                st.one_of(
                    st.binary(max_size=300),
                    st.sampled_from(
                        [
                            b"<?xml version='1.0'?><w:document/>",
                            b"<a>" * 50,
                            b"<!DOCTYPE x [<!ENTITY a 'aaaa'>]><x>&a;&a;</x>",
                            b"",
                        ]
                    ),
                )
            )
            archive.writestr(name, content)
    return buffer.getvalue()


def _members(path: Path) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as archive:
        return [(info, archive.read(info.filename)) for info in archive.infolist()]


def mutate_archive(rng_bytes: bytes, members: list[tuple[zipfile.ZipInfo, bytes]], draw) -> bytes:
    """A real archive with one member's content damaged (or removed, or a member added)."""
    buffer = io.BytesIO()
    target = draw(st.integers(0, len(members) - 1))
    how = draw(st.sampled_from(["cut", "garbage", "flip", "drop", "add", "entity"]))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (info, data) in enumerate(members):
            if index == target:
                if how == "drop":
                    continue
                if how == "cut":
                    data = data[: draw(st.integers(0, len(data)))]
                elif how == "garbage":
                    data = rng_bytes
                elif how == "flip" and data:
                    at = draw(st.integers(0, len(data) - 1))
                    data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
                elif how == "entity":
                    data = (
                        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "'
                        + b"x" * 100
                        + b'">]>'
                        + data.split(b"?>", 1)[-1]
                    )
            archive.writestr(info.filename, data)
        if how == "add":
            archive.writestr(
                draw(st.sampled_from(["../../evil.txt", "/abs.txt", "word/document.xml", "a" * 300])), rng_bytes
            )
    return buffer.getvalue()


@st.composite
def mutated_file(draw, path: Path):
    """The bytes of a real file, damaged: bits flipped, cut short, or a member of its archive changed."""
    data = path.read_bytes()
    how = draw(st.sampled_from(["flip", "cut", "member", "splice"]))
    if how == "flip":
        data = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] ^= draw(st.integers(1, 255))
        return bytes(data)
    if how == "cut":
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "splice":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.binary(max_size=64)) + data[at:]
    if zipfile.is_zipfile(path):
        return mutate_archive(draw(st.binary(max_size=200)), _members(path), draw)
    at = draw(st.integers(0, len(data)))
    return data[:at] + data[at + draw(st.integers(0, 200)) :]


YAMLISH = pieces(
    list("abc: -\n\t[]{}#&*!|>'\",?%@`")
    + [
        "themes:",
        "name:",
        "children:",
        "color:",
        "key:",
        "  - ",
        "\n  ",
        "- name: x\n",
        "!!python/object/apply:os.system [ls]",
        "&a [*a]",
    ],
    300,
)


@st.composite
def mutated_codebook(draw):
    lines = CODEBOOK.read_text(encoding="utf-8").splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "dedent", "indent", "garbage"]))
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "dedent":
            lines[at] = lines[at].lstrip()
        elif action == "indent":
            lines[at] = "   " + lines[at]
        else:
            lines[at] = draw(YAMLISH) + "\n"
    return "".join(lines).encode("utf-8")


CSVISH = pieces(list('abc,"\n\r;=+-@ ') + ["transcript", "informant_1", "size", "case", "\ufeff", "\x00"], 300)


# -- the fuzz tests (each with a slow twin) -------------------------------------------------------


def _transcript_case(folder: Path, study: Study, suffix: str, data: bytes) -> None:
    path = write(folder, suffix, data)
    attempt(f"transcript{suffix}", study, lambda: study.import_files([path]))


def _docx_case(folder: Path, study: Study, data: bytes) -> None:
    path = write(folder, ".docx", data)
    attempt("docx", study, lambda: study.import_files([path]))


def _complex_key(data: bytes) -> bool:
    """Whether YAML has a mapping key that is itself a list or mapping (``[a]: b``, ``? - x``)."""
    import yaml

    try:
        stack = [yaml.compose(data.decode("utf-8", "replace"))]
    except Exception:  # not YAML at all: the reader must refuse it
        return False
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias can make a node its own child (&a [*a])
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            if any(not isinstance(key, yaml.ScalarNode) for key, _value in node.value):
                return True
            stack.extend(value for _key, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _cases_case(folder: Path, study: Study, suffix: str, data: bytes) -> None:
    # Known crashes, kept apart so that the fuzzing looks for new ones: see
    # test_a_cases_file_with_odd_yaml_is_refused_cleanly.
    assume(suffix != ".yaml" or not (b"!" in data or _complex_key(data)))
    path = write(folder, suffix, data)
    attempt(f"cases{suffix}", study, lambda: study.import_files([SAMPLE], cases_file=path))


def _codebook_case(folder: Path, study: Study, data: bytes) -> None:
    path = write(folder, ".yaml", data)
    attempt("codebook", study, lambda: study.load_codebook(path))


def _unknown_xml_encoding(data: bytes) -> bool:
    """Whether XML (or any member of a ZIP archive of XML) declares an encoding Python lacks."""
    import codecs

    heads = [data[:200]]
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                heads = [archive.open(name).read(200) for name in archive.namelist()]
        except Exception:  # a broken archive: the reader must refuse it
            return False
    for head in heads:
        match = re.search(rb"encoding\s*=\s*[\"']([^\"']*)[\"']", head)
        if match:
            try:
                codecs.lookup(match.group(1).decode("latin-1"))
            except (LookupError, ValueError):  # ValueError: a NUL in the name
                return True
    return False


def _qdc_case(folder: Path, study: Study, data: bytes) -> None:
    # Known crash, kept apart: see test_xml_with_an_unknown_encoding_is_refused_cleanly.
    assume(not _unknown_xml_encoding(data))
    path = write(folder, ".qdc", data)
    attempt("qdc", study, lambda: exchange.import_qdc(study, path))


def _qdpx_case(folder: Path, study: Study, data: bytes) -> None:
    assume(not _unknown_xml_encoding(data))
    path = write(folder, ".qdpx", data)
    attempt("qdpx", study, lambda: exchange.import_qdpx(study, path))


def _twins(name: str, strategy, body, examples: int, slow_examples: int, needs=None):
    """Define ``test_<name>`` (default run) and ``test_<name>_slow`` (marked slow)."""
    default, slow = quick(examples, slow_examples)
    quiet = pytest.mark.filterwarnings("ignore:Duplicate name")  # archives made with a repeated member

    def run(folder, study, data):
        if needs is not None and not needs():
            pytest.skip("the REFI-QDA readers are not in this tree")
        body(folder, study, data)

    fast_test = quiet(default(given(data=strategy)(run)))
    slow_test = quiet(pytest.mark.slow(slow(given(data=strategy)(run))))
    globals()[f"test_fuzz_{name}"] = fast_test
    globals()[f"test_fuzz_{name}_slow"] = slow_test


for _suffix in (".txt", ".md"):
    _twins(
        f"transcript_{_suffix[1:]}",
        TRANSCRIPT_CASES,
        lambda f, s, d, _x=_suffix: _transcript_case(f, s, _x, d),
        100,
        4000,
    )
for _suffix in (".vtt", ".srt"):
    _twins(
        f"transcript_{_suffix[1:]}",
        st.one_of(subtitle_bytes(), st.binary(max_size=300)),
        lambda f, s, d, _x=_suffix: _transcript_case(f, s, _x, d),
        80,
        4000,
    )
_twins("docx", st.one_of(st.binary(max_size=400), random_zip(), mutated_file(REAL_DOCX)), _docx_case, 100, 4000)
_twins("cases_csv", CSVISH.map(lambda t: t.encode("utf-8")), lambda f, s, d: _cases_case(f, s, ".csv", d), 60, 3000)
_twins(
    "cases_yaml",
    st.one_of(YAMLISH.map(lambda t: ("informant_1:\n  " + t).encode()), YAMLISH.map(str.encode)),
    lambda f, s, d: _cases_case(f, s, ".yaml", d),
    60,
    3000,
)
_twins(
    "codebook",
    st.one_of(YAMLISH.map(str.encode), mutated_codebook(), st.binary(max_size=200)),
    _codebook_case,
    100,
    4000,
)
_twins(
    "qdc",
    st.one_of(
        mutated_file(REAL_QDC),
        st.binary(max_size=300),
        st.sampled_from(
            [b"<CodeBook/>", b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><CodeBook>&a;</CodeBook>"]
        ),
    ),
    _qdc_case,
    60,
    3000,
    needs=lambda: exchange is not None,
)
_twins(
    "qdpx", st.one_of(mutated_file(REAL_QDPX), random_zip()), _qdpx_case, 60, 3000, needs=lambda: exchange is not None
)


@pytest.mark.parametrize(
    "text",
    [
        "informant_1:\n  [a]: b\n",
        "informant_1:\n  ? - \n",
        "informant_1:\n  themes: !a\n",
        "informant_1: {x: !!float abc}\n",
        "informant_1:\n  x: !!python/name:os.system\n",
    ],
)
def test_a_cases_file_with_odd_yaml_is_refused_cleanly(study: Study, folder: Path, text: str):
    path = write(folder, ".yaml", text.encode())
    assert attempt("cases.yaml", study, lambda: study.import_files([SAMPLE], cases_file=path)) == "refused"


def test_xml_with_an_unknown_encoding_is_refused_cleanly(study: Study, folder: Path):
    if exchange is None:
        pytest.skip("the REFI-QDA readers are not in this tree")
    data = REAL_QDC.read_bytes()
    data = re.sub(rb'encoding="[^"]*"', b'encoding="TTF-8"', data, count=1)
    path = write(folder, ".qdc", data)
    assert attempt("qdc", study, lambda: exchange.import_qdc(study, path)) == "refused"


# -- limits ---------------------------------------------------------------------------------------


def sparse(path: Path, size: int = 100 * MB) -> Path:
    """A file of ``size`` bytes that takes no disk space (zeros)."""
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


def repeated(path: Path, line: bytes, size: int = 100 * MB) -> Path:
    """A file of ``size`` bytes of one valid-looking line over and over."""
    chunk = line * max(1, MB // len(line))
    with open(path, "wb") as handle:
        for _ in range(size // len(chunk) + 1):
            handle.write(chunk)
    return path


@pytest.mark.parametrize("suffix", [".txt", ".md", ".docx", ".vtt", ".srt"])
def test_a_100_mb_transcript_is_refused_with_the_limit_quickly(study: Study, folder: Path, suffix: str):
    path = sparse(folder / f"huge{suffix}")
    started = time.perf_counter()
    assert attempt("limits", study, lambda: study.import_files([path])) == "refused"
    assert time.perf_counter() - started < 3
    with pytest.raises(WorkbenchError, match="50 MB limit"):
        study.import_files([path])


def test_a_100_mb_transcript_of_real_looking_text_is_refused_by_the_command(study: Study, folder: Path):
    path = repeated(folder / "huge_text.txt", b"Informant: and then we talked about it again.\n")
    started = time.perf_counter()
    result = CliRunner().invoke(main, ["import", str(study.path), str(path)])
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1 and "50 MB limit" in result.output and result.output.count("\n") == 1


@pytest.mark.parametrize("suffix", [".csv", ".yaml"])
def test_a_100_mb_cases_file_is_refused_quickly(study: Study, folder: Path, suffix: str):
    path = sparse(folder / f"huge_cases{suffix}")
    started = time.perf_counter()
    assert attempt("limits", study, lambda: study.import_files([SAMPLE], cases_file=path)) == "refused"
    assert time.perf_counter() - started < 3


def test_a_100_mb_codebook_of_zeros_is_refused_quickly(study: Study, folder: Path):
    path = sparse(folder / "huge_codebook.yaml")
    started = time.perf_counter()
    assert attempt("limits", study, lambda: study.load_codebook(path)) == "refused"
    assert time.perf_counter() - started < 3


def _refused_within(code: str, seconds: float) -> tuple[bool, str]:
    """Run ``code`` in a fresh interpreter; (refused with a WorkbenchError in time, output)."""
    script = (
        "from workbench.errors import WorkbenchError\n"
        f"try:\n    {code}\nexcept WorkbenchError as exc:\n    print('refused:', exc)\n"
    )
    try:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=seconds)
    except subprocess.TimeoutExpired:
        return False, f"still reading after {seconds} s"
    return done.stdout.startswith("refused:"), done.stdout + done.stderr


@pytest.mark.slow
def test_a_100_mb_codebook_of_real_looking_yaml_is_refused_quickly(folder: Path):
    path = repeated(folder / "huge_comments.yaml", b"# a comment line that pads the codebook\n")
    ok, output = _refused_within(
        f"__import__('workbench.interop.codebook_file').interop.codebook_file.load_codebook({str(path)!r})", 5
    )
    assert ok, output


@pytest.mark.slow
def test_a_docx_that_expands_beyond_the_limit_is_refused_quickly(folder: Path):
    paragraph = b"<w:p><w:r><w:t>Interviewer: and then we talked about it again</w:t></w:r></w:p>"
    members = _members(REAL_DOCX)
    path = folder / "expands.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == "word/document.xml":
                at = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:at] + paragraph * (60 * MB // len(paragraph)) + data[at:]
            archive.writestr(info.filename, data)
    assert path.stat().st_size < 2 * MB
    ok, output = _refused_within(
        f"__import__('workbench.interop.transcripts').interop.transcripts.read_transcript(__import__('pathlib').Path({str(path)!r}))",
        10,
    )
    assert ok, output


def test_nul_bytes_are_refused_and_named(study: Study, folder: Path):
    path = write(folder, ".txt", b"Interviewer: hello\x00\x00 there\n" * 20)
    assert attempt("limits", study, lambda: study.import_files([path])) == "refused"
    with pytest.raises(WorkbenchError, match="NUL"):
        study.import_files([path])


def test_invalid_utf8_is_read_as_cp1252_with_a_warning_or_refused(study: Study, folder: Path):
    legacy = write(folder, ".txt", "Interviewer: Hur mår du?\n\nInformant: Bra, tack. Vi är här.\n".encode("cp1252"))
    report = study.import_files([legacy])
    assert any("Windows-1252" in w for w in report.warnings)
    assert "Vi är här" in study.transcript_text(legacy.stem)
    broken = write(folder, ".txt", b"Interviewer: caf\xe9 \x81\x8d\x8f\x90\x9d and more\n")
    with pytest.raises(WorkbenchError, match="encoding"):
        study.import_files([broken])


def test_a_5_mb_single_line_imports_quickly_and_opens_in_the_workbench(folder: Path):
    path = folder / "oneline.txt"
    path.write_text("Interviewer: " + "and then we talked about it again " * 160_000, encoding="utf-8")
    assert path.stat().st_size > 5 * MB
    study_path = folder / "oneline.db"
    started = time.perf_counter()
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(study_path)]).exit_code == 0
    result = runner.invoke(main, ["import", str(study_path), str(path)])
    assert result.exit_code == 0, result.output
    assert time.perf_counter() - started < 10

    async def look(app, pilot):
        from workbench.tui.widgets.transcript_view import TranscriptView

        view = app.screen.query_one(TranscriptView)
        view.move_cursor(2_500_000)
        await pilot.pause()
        return ["".join(s.text for s in view.render_line(y)) for y in range(view.size.height)]

    started = time.perf_counter()
    lines = run_workbench(study_path, look, coder="fuzz")
    assert time.perf_counter() - started < 20
    assert any("talked about it" in line for line in lines)


# -- terminal safety ------------------------------------------------------------------------------

PAYLOADS = {
    "colour": "\x1b[31mRED-ALERT\x1b[0m",
    "clipboard": "\x1b]52;c;UFdORUQ=\x07",
    "title": "\x1b]0;PWNED-TITLE\x07",
    "cursor": "\x1b[2J\x1b[H\x1b[7;7H",
    "c1": "\x9b31mC1-CSI",
    "bell": "\x07",
}
# What must never reach the terminal: ESC, C0 controls other than the line ends the app itself
# writes, DEL and C1 controls, in any rendered line.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def hostile_text() -> str:
    """A transcript that tries to take over the terminal (long enough to be imported)."""
    filler = "We use it every day and it works well enough for us. " * 30
    nasty = " ".join(f"{name} {payload}" for name, payload in PAYLOADS.items())
    return (
        f"Interviewer: Tell me about the system.\n\nInformant: Then {nasty} done. {filler}\n\n"
        f"Interviewer: Thanks.\n\nInformant: {filler}\n"
    )


def hostile_docx(path: Path) -> Path:
    """A Word file with a carriage return inside a paragraph (XML allows &#13;), which survives
    into the stored text; an escape character cannot be written in XML at all."""
    members = _members(REAL_DOCX)
    paragraph = b'<w:p><w:r><w:t xml:space="preserve">Informant: visible&#13;OVERWRITE-CR done</w:t></w:r></w:p>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            if info.filename == "word/document.xml":
                at = data.index(b"<w:body>") + len(b"<w:body>")
                data = data[:at] + paragraph + data[at:]
            archive.writestr(info.filename, data)
    return path


@pytest.fixture(scope="module")
def hostile_study(folder: Path) -> Path:
    """A study made through the command line from a hostile .txt and .docx, with codings on them."""
    path = folder / "hostile.db"
    text_file = folder / "hostile.txt"
    text_file.write_text(hostile_text(), encoding="utf-8")
    word_file = hostile_docx(folder / "hostile_cr.docx")
    runner = CliRunner()
    for args in (["init", path], ["import", path, text_file, word_file], ["codebook", "load", path, CODEBOOK]):
        result = runner.invoke(main, [str(a) for a in args])
        assert result.exit_code == 0, result.output
    with Study.open(path) as study:
        text = study.transcript_text("hostile")
        assert all(payload in text for payload in PAYLOADS.values())  # stored verbatim
        assert "\r" in study.transcript_text("hostile_cr")
    for transcript, passage in (("hostile", "Then colour"), ("hostile_cr", "visible\rOVERWRITE-CR")):
        with Study.open(path) as study:
            start = study.transcript_text(transcript).index(passage)
        result = runner.invoke(
            main,
            [
                "code",
                str(path),
                transcript,
                "Technology",
                "--start",
                str(start),
                "--end",
                str(start + (180 if transcript == "hostile" else len(passage))),
            ],
        )
        assert result.exit_code == 0, result.output
    return path


@pytest.mark.parametrize("transcript", ["hostile", "hostile_cr"])
def test_hostile_text_is_shown_harmlessly_in_the_transcript_and_on_the_quote_board(
    hostile_study: Path, transcript: str
):
    async def look(app, pilot):
        from workbench.tui.widgets.quote_board import QuoteBoard, QuoteCardList
        from workbench.tui.widgets.transcript_view import TranscriptView

        screen = app.screen
        if screen.transcript_name != transcript:
            screen.open_transcript(transcript)
            await pilot.pause()
        view = screen.query_one(TranscriptView)
        text = app.study.transcript_text(transcript)
        view.move_cursor(text.index("Then colour" if transcript == "hostile" else "visible"))
        await pilot.pause()
        lines = ["".join(s.text for s in view.render_line(y)) for y in range(view.size.height)]
        cards = screen.query_one(QuoteBoard).query_one(QuoteCardList)
        lines += ["".join(s.text for s in cards.render_line(y)) for y in range(cards.size.height)]
        return screen.transcript_name, lines, app.export_screenshot()

    shown_name, lines, screenshot = run_workbench(hostile_study, look, coder="fuzz")
    assert shown_name == transcript
    joined = "\n".join(lines)
    assert not UNSAFE.search(joined), repr(UNSAFE.search(joined))
    assert not UNSAFE.search(screenshot)
    if transcript == "hostile":
        assert "RED-ALERT" in joined and "\u241b" in joined  # shown, as the ESC symbol
    else:
        assert "OVERWRITE-CR" in joined


def _terminal_bytes(command: list[str], wait_for: bytes, timeout: float = 25.0) -> bytes:
    """What ``command`` writes to a pseudo-terminal (80x24) until ``wait_for`` appears, then ctrl+q."""
    import fcntl
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # the child: the workbench in a terminal
        env = dict(
            os.environ, TERM="xterm-256color", COLORTERM="truecolor", TEXTUAL_ANIMATIONS="none", WORKBENCH_CODER="pty"
        )
        os.execvpe(command[0], command, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    output = b""
    deadline = time.monotonic() + timeout
    last_output = time.monotonic()
    sent_quit = False
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                output += chunk
                last_output = time.monotonic()
            # Quit once the text is there and the screen has settled (nothing written for a
            # moment): what the app paints after the text (the quote board) is checked too.
            if wait_for in output and not sent_quit and time.monotonic() - last_output > 0.3:
                os.write(fd, b"\x11")  # ctrl+q
                sent_quit = True
                deadline = min(deadline, time.monotonic() + 5)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
        os.close(fd)
    return output


def test_the_bytes_written_to_a_real_terminal_carry_none_of_the_payloads(hostile_study: Path, folder: Path):
    # a study holding only the hostile transcript, so the workbench opens on it
    path = folder / "hostile_only.db"
    shutil.copy(hostile_study, path)
    with Study.open(path) as study:
        study._db.execute(
            "DELETE FROM codings WHERE transcript_id = (SELECT id FROM transcripts WHERE name = 'hostile_cr')"
        )
        study._db.execute(
            "DELETE FROM turns WHERE transcript_id = (SELECT id FROM transcripts WHERE name = 'hostile_cr')"
        )
        study._db.execute("DELETE FROM transcripts WHERE name = 'hostile_cr'")
        study._db.conn.commit()
    output = _terminal_bytes([sys.executable, "-m", "workbench", "open", str(path)], b"RED-ALERT")
    assert b"RED-ALERT" in output, output[-2000:]  # the passage did reach the screen ...
    for name, payload in PAYLOADS.items():  # ... but none of its control sequences did
        assert f"{name} {payload}".encode() not in output, name
        assert name == "bell" or payload.encode("utf-8") not in output, name
    assert b"\x1b]52;c;UFdORUQ" not in output and b"PWNED-TITLE\x07" not in output
    assert "\u241b[31mRED-ALERT".encode() in output or b"RED-ALERT" in output


def test_cli_commands_that_print_passages_show_control_characters_harmlessly(hostile_study: Path, folder: Path):
    path = folder / "review.db"
    shutil.copy(hostile_study, path)
    changed = folder / "v2" / "hostile.txt"
    changed.parent.mkdir(exist_ok=True)
    changed.write_text(hostile_text().replace("Then colour", "Now colour", 1).replace("c1 ", "", 1), encoding="utf-8")
    runner = CliRunner()
    outputs = [runner.invoke(main, ["reimport", str(path), str(changed)]).output]
    outputs.append(runner.invoke(main, ["review", str(path)]).output)
    for output in outputs:
        assert not UNSAFE.search(output), repr(output)


def test_quotes_command_shows_control_characters_harmlessly(hostile_study: Path):
    output = CliRunner().invoke(main, ["quotes", str(hostile_study)]).output
    assert "RED-ALERT" in output
    assert not UNSAFE.search(output.replace("\n", "")), repr(UNSAFE.search(output))


# -- export safety --------------------------------------------------------------------------------

HOSTILE_PASSAGES = [
    "<script>alert('x')</script> and <img src=x onerror=alert(1)>",
    "# Not a heading\n## Nor this",
    '=HYPERLINK("http://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3 is what she said",
    "@SUM(A1:A9)",
    "[a link](javascript:alert(1)) and ![an image](http://evil.example/x.png)",
    "| a | b |\n|---|---|\n| c | d |",
    "```\ncode fence\n```",
    "<!-- hidden --> and --> and <!--",
    "1. not a list\n- nor this\n> nor a quote",
    "*emphasis* __strong__ `code` \\ backslash &amp; &lt;",
    "line one\rline two after a carriage return",
]


@pytest.fixture(scope="module")
def export_study(folder: Path) -> Study:
    path = folder / "exports.db"
    with Study.create(path, coder="=cmd|' /C calc'!A0") as study:
        body = "\n\n".join(f"Informant: Filler words here. {p} More words after." for p in HOSTILE_PASSAGES)
        text_file = folder / "hostile_export.txt"
        text_file.write_text(body, encoding="utf-8", newline="")
        study.import_files([text_file])
        study.set_case_attributes("hostile_export", {"role": "=1+1", "size": "<b>smaller</b>", "cluster": "@A"})
        theme = study.add_theme("Technology <script>x & =trust")
        text = study.transcript_text("hostile_export")
        for passage in HOSTILE_PASSAGES:
            stored = passage.replace("\r", "\n")  # line endings are normalised on import
            start = text.index(stored)
            coding = study.code("hostile_export", theme.path, start, start + len(stored)).coding
            study.select(coding.id, comment="We read this as dependence.")
    return Study.open(path)


def test_the_chapter_never_turns_a_passage_into_markup_html_or_links(export_study: Study):
    from markdown_it import MarkdownIt

    from workbench.study.chapter import chapter_settings, export_chapter

    settings = chapter_settings(export_study, attribution="({role}, {size} municipality, cluster {cluster})")
    markdown = export_chapter(export_study, settings, remember=False).markdown
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    assert not {t.type for t in tokens} & {"fence", "code_block", "table_open", "hr"}
    assert [t.tag for t in tokens if t.type == "heading_open"] == ["h1", "h2"]  # the title and the theme
    heading = next(
        t for i, t in enumerate(tokens) if i and tokens[i - 1].type == "heading_open" and tokens[i - 1].tag == "h2"
    )
    # the theme name, escaped, then its section label (a Pandoc attribute)
    assert heading.content == "Technology \\<script\\>x \\& =trust {#sec:technology-script-x-trust}"
    quoted, depth = [], 0
    for token in tokens:  # everything inside the block quotes comes from the transcript
        depth += token.type == "blockquote_open"
        depth -= token.type == "blockquote_close"
        if depth and token.type == "inline":
            quoted.extend(token.children or [])
        elif token.type == "html_block":  # only the chapter's own provenance comments
            assert token.content.startswith("<!-- workbench:") and "hidden" not in token.content
    assert len(quoted) > len(HOSTILE_PASSAGES)
    assert {c.type for c in quoted} <= {"text", "softbreak", "hardbreak"}, {c.type for c in quoted}
    text = "".join(c.content for c in quoted)
    for literal in (
        "<script>alert('x')</script>",
        "=HYPERLINK(",
        "[a link](javascript:alert(1))",
        "# Not a heading",
        "| a | b |",
        "<!-- hidden -->",
        "1. not a list",
        "*emphasis*",
        "```",
        "(=1+1, <b>smaller</b> municipality, cluster @A)",
    ):
        assert literal in text, literal
    FUZZ_CASES["export"] = FUZZ_CASES.get("export", 0) + len(HOSTILE_PASSAGES)


def test_the_quotes_table_has_no_formula_cells(export_study: Study):
    import csv

    from workbench.study.chapter import export_quotes_csv

    rows = list(csv.reader(io.StringIO(export_quotes_csv(export_study))))
    header, body = rows[0], rows[1:]
    numeric = {header.index(c) for c in ("id", "start", "end")}
    assert len(body) == len(HOSTILE_PASSAGES)
    for row in body:
        for index, cell in enumerate(row):
            if index not in numeric:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (header[index], cell)
    texts = {row[header.index("text")] for row in body}
    assert '\'=HYPERLINK("http://evil.example","click")' in texts and "'@SUM(A1:A9)" in texts
