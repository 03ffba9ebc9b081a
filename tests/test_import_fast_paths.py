"""The faster import paths read and store exactly what the straightforward ones did.

Speaker labels: ``transcript_text._candidates`` reads only lines with a ':' or ']' and tries
only the label form a line's first character allows, reads a ``Name: words`` line with one regular
expression (compared below with the full reading of every line), and ``_is_name`` no longer walks
the name character by character. What the old reading (every line, every form) gave is kept in
tests/golden/speaker_labels_files.json (every transcript file the project has and the benchmark's
hard-wrapped interviews, by the SHA-256 of their text), speaker_labels_texts.json (edge lines and
generated texts) and speaker_names.json: the labels and the turns ``split_turns`` builds from
them. They were written once by a frozen copy of the old reading, since retired (see the history
of tests/golden/make_speaker_label_goldens.py); a golden that no longer matches is a change of
behaviour, not something to regenerate. Cases YAML: ``cases._read_yaml`` composes with libyaml
when it can; the reference below is the pure-Python reading it replaced. Turns:
``Study._import_one`` stores them many rows per statement (``rows.insert_many``), which must stay
inside the import's transaction and feed the undo log. (No timing here: benchmarks/ measures.)
"""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.domain import transcript_text as tt
from workbench.domain.models import Turn
from workbench.errors import InputError
from workbench.interop import cases
from workbench.interop.decode import decode_bytes
from workbench.study import ImportItem, Study

REPO = Path(__file__).resolve().parents[1]

# --- speaker labels, as the old reading gave them -------------------------------------------------

GOLDEN = Path(__file__).parent / "golden"


def _golden(name: str) -> list[dict]:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))["cases"]


def _labels(text: str) -> list[list]:
    return [list(label) for label in tt._candidates(text)]


def _turns(text: str) -> list[list]:
    return [[t.speaker, t.start, t.end, t.time_start] for t in tt.split_turns(text)]


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _texts_of_the_project() -> dict[str, str]:
    """Every transcript the repository and ../shared/data hold, by name, as read and as imported."""
    from conftest import SHARED_DATA

    from workbench.interop.transcripts import read_transcript

    texts = {}
    for folder in [REPO / "sample_data" / "transcripts", SHARED_DATA]:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            suffix = path.suffix.lower()
            if suffix in (".txt", ".md"):
                texts[path.name] = decode_bytes(path.read_bytes(), str(path))[0]
            if suffix in (".txt", ".md", ".docx", ".vtt", ".srt"):
                texts[f"{path.name} (as imported)"] = read_transcript(path).text
            if suffix == ".qdpx":
                with zipfile.ZipFile(path) as archive:
                    for member in archive.namelist():
                        if member.lower().endswith(".txt"):
                            texts[f"{path.name}:{member}"] = archive.read(member).decode("utf-8", "replace")
    return texts


def _benchmark_interviews() -> dict[str, str]:
    """The benchmark's hard-wrapped interviews, made as when the golden file was written."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from synthetic import interview_of_words, interview_text
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    rng = random.Random(3)
    return {
        "benchmark: interview_of_words(3000)": interview_of_words(rng, 3_000),
        "benchmark: interview_of_words(3000, width=40)": interview_of_words(rng, 3_000, width=40),
        "benchmark: interview_of_words(3000, width=None)": interview_of_words(rng, 3_000, width=None),
        "benchmark: interview_text(20000)": interview_text(rng, 20_000),
    }


def _differences(cases: list[dict], text_of) -> list[str]:
    """What differs from the golden labels and turns, one line per case."""
    found = []
    for case in cases:
        text = text_of(case)
        if _labels(text) != case["labels"]:
            found.append(f"{case.get('name', repr(text)[:60])}: speaker labels differ")
        elif _turns(text) != case["turns"]:
            found.append(f"{case.get('name', repr(text)[:60])}: turns differ")
    return found


def test_every_transcript_file_and_benchmark_interview_splits_as_before(shared_data):
    texts = _texts_of_the_project() | _benchmark_interviews()
    cases = _golden("speaker_labels_files.json")
    missing = [case["name"] for case in cases if case["name"] not in texts]
    assert not missing, f"inputs of tests/golden/speaker_labels_files.json not found: {missing}"
    changed = [case["name"] for case in cases if _sha256(texts[case["name"]]) != case["sha256"]]
    assert not changed, (
        f"the text read from {changed} is not the text the golden labels were made from: "
        "a reader or the file changed; the golden no longer applies to it"
    )
    differences = _differences(cases, lambda case: texts[case["name"]])
    assert not differences, "\n".join(differences)
    assert sum(bool(case["labels"]) for case in cases) >= 20  # real labels were compared, not only plain text


def test_edge_lines_and_generated_texts_split_as_before():
    cases = _golden("speaker_labels_texts.json")
    assert len(cases) > 400 and sum(bool(case["labels"]) for case in cases) > 100
    differences = _differences(cases, lambda case: case["text"])
    assert not differences, "\n".join(differences[:20])


def test_speaker_names_are_judged_as_before():
    cases = _golden("speaker_names.json")
    assert {case["is_name"] for case in cases} == {True, False}
    wrong = [case["name"] for case in cases if tt._is_name(case["name"]) != case["is_name"]]
    assert not wrong, wrong[:20]


_BLANK_RUNS = ["", " ", "\t", "  \t ", " " * 50]
_STAMPS = ["", "[00:01]", "(1:02)", "12:34", "1:02:03", "[10:30:00.5]", "99:99", "[12:75]", "(1:2)", "10:30,123"]
_NAMES = [
    "I",
    "R",
    "Q1",
    "Interviewer",
    "Informant 2",
    "Speaker B",
    "Anna",
    "Ben Smith",
    "Dr. O'Neil",
    "x" * 40,
    "y" * 41,
    "id1",
    "inaudible",
    "_x",
    "a:b",
    "é",
    " Anna ",
    "",
    "½ Anna",  # numeric but neither a digit nor a letter: may open the plain fast path
    "Ⅻ",
    "٣ Anna",  # an Arabic-Indic digit: a timestamp's \d, so never the fast path
    "Anna  Maria ",
]
_BLANKS = st.sampled_from(_BLANK_RUNS)
_STAMP = st.sampled_from(_STAMPS)
_NAME = st.one_of(st.sampled_from(_NAMES), st.text(max_size=45))
_LABEL = st.one_of(
    st.tuples(_NAME, st.sampled_from([":", " :", "\t:", "::", ":x"])).map("".join),
    st.tuples(st.just("**"), _NAME, st.sampled_from([":**", "**:", "** :", "**\t:", "**", ": **"])).map("".join),
    st.tuples(st.just("["), _NAME, st.sampled_from(["]", "]:", "] :", "]]"])).map("".join),
    st.just(""),
)
_AFTER = st.sampled_from(["", " ", "\t", "\r", "\u00a0", "\u2028", "x", ":"])
_WORDS = st.sampled_from(["", " hello there", " at 10:30 we met", " [laughs] ok", " **bold**", " a: b", "\r"])
_LINE = st.tuples(_BLANKS, _STAMP, _BLANKS, _LABEL, _AFTER, _BLANKS, _STAMP, _WORDS).map("".join)
_PIECES = st.lists(
    st.sampled_from(
        list("ab Z1:*[]()\n\t .'-_,")
        + ["\r", "\u00a0", "é", "I", "R1", "**", ":**", "**:", "[00:01:02]", "(1:02)", "12:34", "x" * 39]
    ),
    max_size=150,
).map("".join)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.lists(_LINE, max_size=12).map("\n".join), _PIECES, st.text(max_size=200)))
def test_the_lines_passed_over_could_not_open_a_turn(text: str):
    """Only lines with a ':' or ']' are read for labels, ``Name: words`` lines by one regular
    expression: reading every line the full way finds the same labels."""
    assert tt._candidates(text) == _every_line_read_in_full(text)


def test_every_plain_label_line_reads_as_in_full():
    """Each plain label with each kind of time, blank and words before and after it, as one text:
    the fast reading of ``Name: words`` lines gives what ``_scan_line`` gives for every line."""
    lines = [
        "".join(parts)
        for parts in itertools.product(
            ["", " ", "\t "],
            ["", "[00:01] ", "12:34 "],
            _NAMES,
            [":", " :", "\t:", "::", ":x"],
            ["", " ", "\u00a0", "\r"],
            _STAMPS,
            ["", " hello", " [laughs] ok", " (aside)", " 3 times", " ٣ x"],
        )
    ]
    text = "\n".join(lines)
    found = tt._candidates(text)
    assert found == _every_line_read_in_full(text)
    assert sum(label.time is not None for label in found) > 1000  # times after labels were read


def test_labels_and_turns_are_made_whole_as_their_constructors_make_them():
    """``_candidates`` and ``split_turns`` make their named tuples with ``tuple.__new__`` (quicker
    than the constructor): each must still be the tuple its constructor makes, every field filled,
    so that a field added to ``Turn`` or ``_Label`` cannot go missing here."""
    text = "Interviewer: Where?\nAnna: Here [laughs].\n\n[00:12] Bo: And there.\nBo: Yes.\nAnna: Fine.\n"
    labels = tt._candidates(text)
    turns = tt.split_turns(text)
    assert len(labels) == 5 and len(turns) == 5
    assert all(type(label) is tt._Label and label == tt._Label(*label) for label in labels)
    assert all(
        type(turn) is Turn and turn == Turn(turn.speaker, turn.start, turn.end, turn.time_start) for turn in turns
    )
    assert [text[turn.start : turn.end] for turn in turns] == [
        "Where?",
        "Here [laughs].",
        "And there.",
        "Yes.",
        "Fine.",
    ]
    assert turns[2].time_start == 12.0


def _every_line_read_in_full(text: str) -> list:
    """The labels of ``text`` as ``_scan_line`` reads them from every one of its lines."""
    every_line, pos = [], 0
    for line in text.split("\n"):
        label = tt._scan_line(line, pos)
        if label is not None:
            every_line.append(label)
        pos += len(line) + 1
    return every_line


# --- the reference cases-file reading (pure-Python YAML, a round trip per case) ------------------


def _reference_read_yaml(text: str, source: str) -> cases.CasesByTranscript:
    try:
        root = yaml.compose(text)
    except (yaml.YAMLError, ValueError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark else source
        raise InputError(f"not valid YAML ({getattr(exc, 'problem', exc)})", where=where) from None
    if root is None:
        raise InputError("cases file is empty", where=source)
    if not isinstance(root, yaml.MappingNode):
        raise InputError(
            "expected a mapping from transcript name to attributes", where=f"{source}:{root.start_mark.line + 1}"
        )
    found: cases.CasesByTranscript = {}
    for key_node, value_node in root.value:
        line = f"{source}:{key_node.start_mark.line + 1}"
        name = str(key_node.value).strip()
        if not name:
            raise InputError("empty transcript name", where=line)
        if name in found:
            raise InputError(f"transcript {name!r} is listed twice", where=line)
        if not isinstance(value_node, yaml.MappingNode):
            raise InputError(f"attributes of {name!r} must be a mapping (key: value)", where=line)
        try:
            values = yaml.safe_load(yaml.serialize(value_node)) or {}
        except (yaml.YAMLError, ValueError, TypeError) as exc:
            reason = " ".join(str(getattr(exc, "problem", None) or exc).split())[:100]
            raise InputError(f"attributes of {name!r} cannot be read ({reason})", where=line) from None
        if not isinstance(values, dict):
            raise InputError(f"attributes of {name!r} must be a mapping (key: value)", where=line)
        attrs = {}
        for attr, value in values.items():
            if isinstance(value, (dict, list)) or value is None:
                raise InputError(f"attribute {attr!r} of {name!r} must be a single value", where=line)
            attrs[str(attr).strip()] = cases.attribute_value(value)
        found[name] = attrs
    return found


def _outcome(read, text: str):
    try:
        return "read", read(text, "cases.yaml")
    except InputError as exc:
        return "refused", str(exc)
    except Exception as exc:  # noqa: BLE001 - a crash must stay the same crash
        return "crashed", type(exc).__name__


def assert_same_cases(text: str) -> None:
    assert _outcome(cases._read_yaml, text) == _outcome(_reference_read_yaml, text), text


def test_the_project_cases_files_read_as_before():
    yaml_files = sorted((REPO / "sample_data").glob("*.yaml"))
    assert yaml_files
    for path in yaml_files:
        assert_same_cases(decode_bytes(path.read_bytes(), str(path))[0])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "---",
        "# only a comment\n",
        "- a\n- b\n",
        "a: b\n",
        "a:\n  size: x\n  size: y\n",
        "a: {x: 1}\na: {y: 2}\n",
        "a:\n\tsize: x\n",
        "a:\n  size: x\t# tab\n",
        "a: {size: !!float abc}\n",
        "a:\n  x:  !\n",
        "a:\n  [k]: v\n",
        "a:\n  x: !!python/name:os.system\n",
        "a: {x: [1, 2]}\n",
        "a: {x: }\n",
        "a: {x: 2025-02-30}\n",
        "a: {x: 2025-02-03, y: yes, z: 1.50, w: '007'}\n",
        "a:\n  size: x\n\ufeff",
        "a: {x: 1\n",
        "a: [\n",
        "base: &b {size: x}\nc: {<<: *b, y: 2}\n",
        "a: &r [*r]\n",
        'a: {x: "\\x41\\u00e9"}\n',
        "? [a]\n: {x: 1}\n",
        "a:\n  x: |\n    two\n    lines\n",
        "a: {x: 1}\n---\nb: {y: 2}\n",
        "a: {x: 1}\n...\n",
        "a: b: c\n",
        "\x07a: {x: 1}\n",
    ],
)
def test_odd_cases_files_read_as_before(text: str, monkeypatch):
    assert_same_cases(text)
    monkeypatch.setattr(cases, "_libyaml_loader", lambda yaml: None)  # PyYAML built without libyaml
    assert_same_cases(text)


_YAMLISH = st.lists(
    st.sampled_from(
        list("abc: -\n\t[]{}#&*!|>'\",?%@`")
        + [
            "size:",
            "  - ",
            "\n  ",
            "&a [*a]",
            "<<: ",
            "!!float ",
            "~",
            "yes",
            "é",
            "2025-02-30",
            "...",
            "---",
            "\r",
            "\ufeff",
            "\\",
            "? ",
            "|-\n",
            "\n    ",
        ]
    ),
    max_size=150,
).map("".join)
_SCALAR = st.one_of(
    st.text(max_size=20), st.integers(), st.floats(allow_nan=False), st.booleans(), st.dates(), st.none()
)
_CASES = st.dictionaries(st.text(max_size=15), st.dictionaries(st.text(max_size=10), _SCALAR, max_size=5), max_size=4)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        _YAMLISH,
        _YAMLISH.map(lambda t: "informant_1:\n  " + t),
        _YAMLISH.map(lambda t: "informant_1: {size: a, n: 3}\ninformant_2:\n  " + t),
        st.tuples(_CASES, st.sampled_from([None, True, False]), st.booleans()).map(
            lambda args: yaml.safe_dump(args[0], default_flow_style=args[1], allow_unicode=args[2])
        ),
    )
)
def test_generated_cases_files_read_as_before(text: str):
    assert_same_cases(text)


def test_a_deeply_nested_cases_file_is_refused_in_one_line():
    with pytest.raises(InputError, match="nested too deeply"):
        cases._read_yaml("a: " + "[" * 5000 + "]" * 5000 + "\n", "cases.yaml")


# --- turns: stored in the import's transaction, undone and redone with it -----------------------


def _turn_rows(study: Study) -> list[tuple]:
    return study._db.execute(
        'SELECT t.name, u.seq, u.speaker, u.start, u."end", u.time_start, u.time_end '
        "FROM turns u JOIN transcripts t ON t.id = u.transcript_id ORDER BY t.name, u.seq"
    ).fetchall()


def test_turns_are_stored_as_parsed_and_undone_and_redone_with_the_import(tmp_path: Path):
    (tmp_path / "a.txt").write_text(
        "[00:01] Anna: Hello there.\nBen: Hi.\n\n**Anna:** Bye.\nBen: Bye now.\n", encoding="utf-8"
    )
    (tmp_path / "b.txt").write_text("No labels here.\n\nA second paragraph.\n", encoding="utf-8")
    with Study.create(tmp_path / "s.db", coder="x") as study:
        study.import_files([tmp_path / "a.txt", tmp_path / "b.txt"])
        stored = _turn_rows(study)
        assert [(name, seq, speaker, time) for name, seq, speaker, _s, _e, time, _t in stored] == [
            ("a", 0, "Anna", 1.0),
            ("a", 1, "Ben", None),
            ("a", 2, "Anna", None),
            ("a", 3, "Ben", None),
            ("b", 0, None, None),
            ("b", 1, None, None),
        ]
        for name in ("a", "b"):
            text = study.transcript_text(name)
            assert [(u.speaker, u.start, u.end, u.time_start, u.time_end) for u in study.turns(name)] == [
                (speaker, start, end, time_start, time_end)
                for n, _seq, speaker, start, end, time_start, time_end in stored
                if n == name
            ]
            assert all(text[u.start : u.end].strip() == text[u.start : u.end] for u in study.turns(name))
        study.undo()
        assert _turn_rows(study) == [] and study.transcripts() == []
        study.redo()
        assert _turn_rows(study) == stored


@pytest.mark.parametrize("count", [8, 63, 64, 65, 130, 1000])
def test_turns_across_statements_are_stored_in_order_with_an_undo_row_each(tmp_path: Path, count: int):
    text = "".join(f"{'Anna' if i % 2 else 'Ben'}: line {i}.\n" for i in range(count))
    with Study.create(tmp_path / "s.db", coder="x") as study:
        study.import_texts([ImportItem("a", tt.parse_plain_text(text, "txt"), "a.txt", {})])
        stored = _turn_rows(study)
        assert [(seq, speaker) for _n, seq, speaker, *_ in stored] == [
            (i, "Anna" if i % 2 else "Ben") for i in range(count)
        ]
        ids = [row[0] for row in study._db.execute("SELECT id FROM turns ORDER BY seq")]
        assert ids == list(range(ids[0], ids[0] + count))  # rowids follow the turns' order
        undo_rows = [row[0] for row in study._db.execute("SELECT sql FROM undo_log WHERE sql LIKE '%[turns]%'")]
        assert undo_rows == [f"DELETE FROM [turns] WHERE rowid={i}" for i in ids]
        study.undo()
        assert _turn_rows(study) == []
        study.redo()
        assert _turn_rows(study) == stored


def test_a_failed_import_leaves_no_turns(tmp_path: Path):
    (tmp_path / "a.txt").write_text("Anna: one.\nBen: two.\n", encoding="utf-8")
    with Study.create(tmp_path / "s.db", coder="x") as study:
        study.import_files([tmp_path / "a.txt"])
        before = _turn_rows(study)
        log = study._db.execute("SELECT count(*) FROM undo_log").fetchone()[0]
        new = tt.parse_plain_text("Cy: three.\nDee: four.\n", "txt")
        clash = tt.parse_plain_text("Anna: not the same text.\n", "txt")
        # b's turns are written before a's clash is found; the whole import is rolled back.
        with pytest.raises(InputError, match="different transcript named 'a'"):
            study.import_texts([ImportItem("b", new, "b.txt", {}), ImportItem("a", clash, "a.txt", {})])
        assert _turn_rows(study) == before
        assert study._db.execute("SELECT count(*) FROM undo_log").fetchone()[0] == log
        assert not study._db.conn.in_transaction


def test_the_larger_page_cache_of_an_import_is_given_back(tmp_path: Path, monkeypatch):
    """An import writes with a page cache of 64 MB (no spill to the -wal mid-transaction); the
    connection has its own size again afterwards, after a refused import too."""
    from workbench.storage import transcripts as transcripts_store
    from workbench.storage.database import LARGE_WRITE_CACHE_KIB

    (tmp_path / "a.txt").write_text("Anna: one.\nBen: two.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Cy: three.\nDee: four.\n", encoding="utf-8")
    with Study.create(tmp_path / "s.db", coder="x") as study:

        def cache_size() -> int:
            return study._db.execute("PRAGMA cache_size").fetchone()[0]

        usual, during = cache_size(), []
        insert_turns = transcripts_store.insert_turns
        monkeypatch.setattr(
            transcripts_store, "insert_turns", lambda *args: (during.append(cache_size()), insert_turns(*args))
        )
        study.import_files([tmp_path / "a.txt"])
        assert during == [-LARGE_WRITE_CACHE_KIB] and cache_size() == usual
        clash = tt.parse_plain_text("Anna: not the same text.\n", "txt")
        with pytest.raises(InputError):
            study.import_texts([ImportItem("a", clash, "a.txt", {})])
        assert cache_size() == usual


# --- start-up: what is imported only when it is used ---------------------------------------------


def test_python_docx_and_rich_are_imported_only_when_used():
    import subprocess

    code = (
        "import sys, workbench.study, workbench.cli; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'docx', 'rich', 'lxml'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.strip() == "[]"


def loaded_after_each_import(
    tmp_path: Path, files: dict[str, str], imports: list[tuple[str, str | None]], watched: tuple[str, ...]
) -> tuple[list[list[str]], dict]:
    """Write ``files``, then in a fresh interpreter import each (file, cases file) of ``imports``
    into one study in turn; which of the ``watched`` modules were loaded after each, and the
    study's cases at the end."""
    import subprocess

    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    Study.create(tmp_path / "s.db").close()  # creating a study's schema loads more; an import opens one
    code = (
        "import json, sys\n"
        "from workbench.study import Study\n"
        "study = Study.open(sys.argv[1])\n"
        "for name, cases in json.loads(sys.argv[2]):\n"
        "    study.import_files([name], cases_file=cases)\n"
        "    print(json.dumps(sorted(m for m in json.loads(sys.argv[3]) if m in sys.modules)))\n"
        "print(json.dumps(study.cases()))\n"
    )
    steps = [[str(tmp_path / name), str(tmp_path / cases) if cases else None] for name, cases in imports]
    argv = [str(tmp_path / "s.db"), json.dumps(steps), json.dumps(watched)]
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    return lines[:-1], lines[-1]


TWO_TURNS = "Anna: one.\n\nBen: two.\n"


def test_importing_plain_text_loads_neither_the_subtitle_reader_nor_the_writers_temporary_files(tmp_path):
    """An import of .txt files reads; the subtitle reader, its timed segments and ``tempfile``
    (which only a write needs) are imported when used, and then they are; ``shutil`` (the free
    disk space, asked only when a write fails) and the reports' dataclasses (counts, a codebook
    merge) are not."""
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Anna>three\n"
    watched = (
        "shutil",
        "tempfile",
        "workbench.domain.reports",
        "workbench.domain.timed_segments",
        "workbench.interop.transcripts.subtitles",
    )
    loaded, _cases = loaded_after_each_import(
        tmp_path, {"a.txt": TWO_TURNS, "b.vtt": vtt}, [("a.txt", None), ("b.vtt", None)], watched
    )
    assert loaded == [[], ["workbench.domain.timed_segments", "workbench.interop.transcripts.subtitles"]]


def test_a_yaml_cases_file_does_not_load_the_csv_reader_and_a_csv_one_does(tmp_path):
    """``csv`` is imported for a CSV cases file only; both kinds give the case its attributes."""
    files = {
        "a.txt": TWO_TURNS,
        "b.txt": "Anna: three.\n\nBen: four.\n",
        "cases.yaml": "a: {size: smaller}\n",
        "cases.csv": "transcript,size\nb,larger\n",
    }
    loaded, found = loaded_after_each_import(
        tmp_path, files, [("a.txt", "cases.yaml"), ("b.txt", "cases.csv")], ("csv",)
    )
    assert loaded == [[], ["csv"]]
    assert (found["a"], found["b"]) == ({"size": "smaller"}, {"size": "larger"})


def test_pyyaml_is_loaded_for_front_matter_or_a_cases_file_only(tmp_path):
    """An import of texts without front matter and without a cases file does not load PyYAML
    (12-17 ms of the command's start); a text with front matter does, and its attributes are
    read as before."""
    files = {"a.txt": TWO_TURNS, "b.md": "---\nrole: nurse\nsites: [north, south]\n---\nAnna: three.\n"}
    loaded, found = loaded_after_each_import(tmp_path, files, [("a.txt", None), ("b.md", None)], ("yaml",))
    assert loaded == [[], ["yaml"]]
    assert found["b"] == {"role": "nurse", "sites": "north, south"}
