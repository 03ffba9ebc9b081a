"""Write tests/golden/speaker_labels*.json from the frozen copy of the old speaker-label reading.

Run once, from the repository root, while tests/test_import_fast_paths.py still holds the frozen
copy (``_reference_candidates``, ``_reference_is_name``):

    .venv/bin/python tests/golden/make_speaker_label_goldens.py

For every input the old reading is compared on it records the labels it found (line start,
speaker, kind, where the words begin, time) and the turns ``split_turns`` builds from them
(speaker, start, end, time). Files are named with the SHA-256 of their text; generated inputs
are stored with their text.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
sys.path[:0] = [str(TESTS), str(REPO / "benchmarks")]

import test_import_fast_paths as frozen  # noqa: E402
from synthetic import interview_of_words, interview_text  # noqa: E402

from workbench.domain import transcript_text as tt  # noqa: E402

GOLDEN = TESTS / "golden"


def old_labels(text: str) -> list[list]:
    return [list(label) for label in frozen._reference_candidates(text)]


def old_turns(text: str) -> list[list]:
    """The turns as the old reading gave them: split_turns fed the frozen copy's labels."""
    current = tt._candidates
    tt._candidates = lambda text: [tt._Label(*label) for label in frozen._reference_candidates(text)]
    try:
        return [[t.speaker, t.start, t.end, t.time_start] for t in tt.split_turns(text)]
    finally:
        tt._candidates = current


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def collect(strategy, count: int) -> list:
    """``count`` examples of a Hypothesis strategy, the same on every run, without repeats."""
    found: list = []

    @settings(max_examples=count, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def take(value):
        if value not in found:
            found.append(value)

    take()
    return found


def write(name: str, about: str, cases: list[dict]) -> None:
    """One case per line, so a changed case is a one-line diff."""
    lines = ",\n".join("  " + json.dumps(case, ensure_ascii=True) for case in cases)
    (GOLDEN / name).write_text(f'{{"about": {json.dumps(about)},\n "cases": [\n{lines}\n]}}\n', encoding="utf-8")
    print(f"{name}: {len(cases)} cases")


def main() -> None:
    # Files: every transcript of the repository and ../shared/data, as the old test read them.
    files = []
    for name, text in frozen._texts_of_the_project():
        files.append({"name": name, "sha256": sha256(text),
                      "labels": old_labels(text), "turns": old_turns(text)})
    rng = random.Random(3)  # the benchmark's hard-wrapped interviews, as the old test made them
    for label, text in (("interview_of_words(3000)", interview_of_words(rng, 3_000)),
                        ("interview_of_words(3000, width=40)", interview_of_words(rng, 3_000, width=40)),
                        ("interview_of_words(3000, width=None)", interview_of_words(rng, 3_000, width=None)),
                        ("interview_text(20000)", interview_text(rng, 20_000))):
        files.append({"name": f"benchmark: {label}", "sha256": sha256(text),
                      "labels": old_labels(text), "turns": old_turns(text)})
    assert len({case["name"] for case in files}) == len(files)
    write("speaker_labels_files.json",
          "The old speaker-label reading of the transcripts in sample_data/ and ../shared/data "
          "and the benchmark's generated interviews (random.Random(3)); text by SHA-256.", files)

    # Texts: the edge lines and generated texts the old test compared on.
    texts = list(frozen.test_edge_lines_split_as_before.pytestmark[0].args[1])
    texts += collect(st.one_of(st.lists(frozen._LINE, max_size=12).map("\n".join), frozen._PIECES,
                               st.text(max_size=200)), 400)
    unique = list(dict.fromkeys(texts))
    write("speaker_labels_texts.json", "The old speaker-label reading of edge lines and generated texts.",
          [{"text": text, "labels": old_labels(text), "turns": old_turns(text)} for text in unique])

    # Names: what the old reading took for a speaker's name.
    names = collect(st.one_of(st.text(max_size=45),
                              st.text(alphabet=st.sampled_from(list(" .'’-_:aZ1٣一Ⅻ²\u00a0\t")), max_size=45)), 500)
    names += ["Interviewer", "Informant 2", "Dr. O'Neil", "Anna-Lena", "x" * 40, "x" * 41, "a b c d", "a b c d e",
              "1", "12:30", "", " ", "Ⅻ", "٣", "_x", "é"]
    write("speaker_names.json", "Whether the old reading took each string for a speaker's name.",
          [{"name": name, "is_name": frozen._reference_is_name(name)} for name in dict.fromkeys(names)])


if __name__ == "__main__":
    main()
