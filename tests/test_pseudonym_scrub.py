"""A pseudonym map cleans the study file itself: no real name in any table, the undo log, the audit
trail, the file's bytes or its -wal, later snapshots or exports; older snapshots are listed and
purged. The study is built and anonymised with the real command line."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.domain.anonymise import AnonymisationReport, check_text, parse_pseudonym_map
from workbench.domain.scrub import anonymise_name, anonymise_payload, anonymise_setting, find_names_in_bytes
from workbench.study import Study

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "sample_data" / "transcripts" / "informant_1.txt"
CODEBOOK = REPO / "codebooks" / "it-collaboration.yaml"

MAP = """\
Åsa Öberg: "[the technician]"
Åsa: "[the technician]"
Lindköping: "[the other municipality]"
Per-Olof: "Informant 9"
"""
NAMES = ["Åsa Öberg", "Åsa", "Lindköping", "Per-Olof"]
PASSAGE = "In Lindköping you called Åsa Öberg, the technician, and he came over with a computer in the afternoon."
QUESTION = "Can you say more about the friction, Per-Olof?"


def run(*args, ok: bool = True):
    result = CliRunner().invoke(main, [str(a) for a in args])
    if ok:
        assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def with_names(text: str) -> str:
    """The sample transcript as it was before it was anonymised by hand."""
    text = text.replace("[the other municipality]", "Lindköping").replace("[The other municipality]", "Lindköping")
    text = text.replace("you called [...], the technician", "you called Åsa Öberg, the technician")
    return text.replace("Can you say more about the friction?", QUESTION)


def leaks(data: bytes) -> dict[str, int]:
    """How often each name is in raw bytes: as UTF-8 (as written, lower and upper case) and as a
    JSON escape. A plain substring count: stricter than any word rule."""
    counts = {}
    for name in NAMES:
        forms = {name, name.lower(), name.upper(), json.dumps(name)[1:-1]}
        counts[name] = sum(data.count(form.encode("utf-8")) for form in forms)
    return {name: n for name, n in counts.items() if n}


def file_leaks(study: Path) -> dict[str, dict[str, int]]:
    """The leaks in the study file and its -wal (those that exist)."""
    found = {}
    for path in (study, Path(f"{study}-wal")):
        if path.exists() and leaks(path.read_bytes()):
            found[path.name] = leaks(path.read_bytes())
    return found


@pytest.fixture
def named(tmp_path: Path) -> tuple[Path, Path]:
    """A study that holds real names everywhere a researcher puts them, and the map (kept apart).

    The transcript comes from a folder named after a person; it is imported without the map,
    coded (a long passage, a name alone, a question), quoted with a comment and a trimmed form,
    memo'd, with a case attribute, and a snapshot is taken.
    """
    folder = tmp_path / "interviews Per-Olof"
    folder.mkdir()
    (folder / "informant_1.txt").write_text(with_names(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    cases = tmp_path / "cases.yaml"
    cases.write_text("informant_1: {role: CIO, organisation: Lindköping municipality}\n", encoding="utf-8")
    private = tmp_path / "private"
    private.mkdir()
    map_file = private / "map.yaml"
    map_file.write_text(MAP, encoding="utf-8")
    study = tmp_path / "study.db"
    run("init", study)
    run("import", study, folder / "informant_1.txt", "--cases", cases)
    run("codebook", "load", study, CODEBOOK)
    run(
        "code",
        study,
        "informant_1",
        "Collaboration",
        "--text",
        PASSAGE,
        "--select",
        "--comment",
        "Åsa Öberg is remembered",
    )
    run("code", study, "informant_1", "Collaboration", "--text", "Lindköping", "--occurrence", "2")
    run("code", study, "informant_1", "Collaboration/Organisational inertia", "--text", QUESTION)
    run("select", study, 1, "--elided", "In Lindköping you called Åsa Öberg [...] in the afternoon.")
    run(
        "memo", study, "--on", "transcript", "--target", "informant_1", "--text", "Åsa Öberg was nervous in Lindköping."
    )
    run("backup", study)
    return study, map_file


def table(study: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(study)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


# -- the failure: re-import with a map, and nothing of the names is left in the file ---------------


def test_reimport_with_a_map_leaves_no_name_in_the_study_file(named, tmp_path):
    study, map_file = named
    assert set(leaks(study.read_bytes())) == set(NAMES)  # the names are there to begin with
    reader = Study.open(study)  # another window keeps the study, and so its -wal, open
    try:
        result = run("reimport", study, tmp_path / "interviews Per-Olof" / "informant_1.txt", "--pseudonyms", map_file)
        assert Path(f"{study}-wal").exists()
        assert file_leaks(study) == {}
    finally:
        reader.close()
    assert "0 kept, 3 moved, 0 flagged" in result.stdout
    assert "undo history before this change was removed" in result.stdout
    assert "Lindköping" in result.stderr and "Lindköping" not in result.stdout  # the report is for the terminal
    assert "nothing to undo" in run("undo", study).stdout

    # the codings moved with their words, the trimmed quote still fits, nothing needs review
    text = table(study, "SELECT text FROM transcripts")[0][0]
    codings = table(study, "SELECT id, start, end, text, review FROM codings ORDER BY id")
    assert all(text[start:end] == coded and review is None for _id, start, end, coded, review in codings)
    assert [c[3] for c in codings][1:] == [
        "[the other municipality]",
        "Can you say more about the friction, Informant 9?",
    ]
    assert table(study, "SELECT comment, elided FROM quotes") == [
        (
            "[the technician] is remembered",
            "In [the other municipality] you called [the technician] [...] in the afternoon.",
        )
    ]
    assert table(study, "SELECT text FROM memos") == [("[the technician] was nervous in [the other municipality].",)]
    assert ("organisation", "[the other municipality] municipality") in table(
        study, "SELECT key, value FROM case_attributes"
    )
    payloads = " ".join(p for (p,) in table(study, "SELECT payload FROM events"))
    assert "interviews" not in payloads and str(tmp_path) not in payloads  # file names only, never folders
    assert table(study, "SELECT count(*) FROM undo_log") == [(0,)]

    # the snapshots from before still hold the names: listed, then purged
    check = run("anonymise", "check", map_file, study, ok=False)
    assert check.exit_code == 1 and "snapshot" in check.stdout and "study.db: raw bytes" not in check.stdout
    assert len(list((tmp_path / "study.db.backups").glob("*.db"))) == 2  # the manual one and the one just before
    assert run("anonymise", "purge-snapshots", study, map_file, ok=False).exit_code == 1  # asks for --yes
    run("anonymise", "purge-snapshots", study, map_file, "--yes")
    assert run("anonymise", "check", map_file, study).stdout.strip() == f"{study}: no mapped names found"


# -- anonymise apply: everything already in a study -----------------------------------------------


def test_anonymise_apply_cleans_the_study_its_later_snapshots_and_exports(named, tmp_path):
    study, map_file = named
    themes = tmp_path / "more.yaml"
    themes.write_text(
        "name: more\nthemes:\n  - name: Lindköping politics\n    description: what Åsa Öberg said\n", encoding="utf-8"
    )
    run("codebook", "load", study, themes)
    run(
        "code", study, "informant_1", "Lindköping politics", "--text", "why should our taxpayers pay for their servers?"
    )
    before = leaks(study.read_bytes())

    result = run("anonymise", "apply", study, map_file)
    assert file_leaks(study) == {}
    assert "theme names" in result.stdout and "'Lindköping politics'" not in result.stdout
    assert "[the other municipality] politics" in {name for (name,) in table(study, "SELECT name FROM themes")}
    assert "no mapped name remains" in result.stdout and "purge-snapshots" in result.stdout
    assert "memos.text row 1" in result.stderr  # every replacement, with its place, on the terminal only
    print(f"names in the study file before: {sum(before.values())} {before}; after: 0")

    run("backup", study)
    newest = max((tmp_path / "study.db.backups").glob("*-manual.db"))
    assert leaks(newest.read_bytes()) == {}
    run("export", "chapter", study, "-o", tmp_path / "chapter.md", "--all")
    run("export", "quotes", study, "-o", tmp_path / "quotes.csv")
    run("export", "qdpx", study, "-o", tmp_path / "study.qdpx")
    mapping = parse_pseudonym_map(MAP, "map.yaml")
    for name in ("chapter.md", "quotes.csv"):
        exported = (tmp_path / name).read_text(encoding="utf-8")
        assert "[the technician]" in exported or "\\[the technician\\]" in exported
        assert check_text(exported, mapping) == [] and leaks(exported.encode("utf-8")) == {}
    with zipfile.ZipFile(tmp_path / "study.qdpx") as archive:
        for member in archive.namelist():
            assert leaks(archive.read(member)) == {}, member
    assert run("anonymise", "check", map_file, tmp_path / "chapter.md", tmp_path / "quotes.csv").exit_code == 0

    again = run("anonymise", "apply", study, map_file)  # a clean study: nothing to do, nothing lost
    assert "replaced" not in again.stdout and "no mapped name remains" in again.stdout


def test_check_of_a_study_lists_every_place_a_name_remains(named):
    study, map_file = named
    result = run("anonymise", "check", map_file, study, "--json", ok=False)
    assert result.exit_code == 1 and result.stderr.startswith(f"error: {study}: ") and result.stderr.count("\n") == 1
    places = {item["place"].split(" row ")[0] for item in json.loads(result.stdout)}
    assert {
        "transcripts.text",
        "codings.text",
        "quotes.comment",
        "quotes.elided",
        "memos.text",
        "case_attributes.value",
        "events.payload",
        "undo_log.sql",
        "raw bytes",
        "snapshot",
    } <= places
    swedish = [i for i in json.loads(result.stdout) if i["place"] == "raw bytes" and i["name"] == "Åsa Öberg"]
    assert swedish and swedish[0]["count"] >= 1 and swedish[0]["offset"] > 0  # found as UTF-8 in the bytes
    listed = run("anonymise", "check", map_file, study, ok=False).stdout
    assert "memos.text row 1, line 1 column 1: 'Åsa Öberg' (mapped to '[the technician]')" in listed


# -- import with a map ----------------------------------------------------------------------------


def test_import_with_a_map_records_no_folder_and_keeps_the_undo_history(tmp_path):
    folder = tmp_path / "Åsa Öberg"  # the folder is named after the informant
    folder.mkdir()
    (folder / "informant_1.txt").write_text(with_names(SAMPLE.read_text(encoding="utf-8")), encoding="utf-8")
    map_file = tmp_path / "map.yaml"
    map_file.write_text(MAP, encoding="utf-8")
    study = tmp_path / "study.db"
    run("init", study)
    result = run("import", study, folder / "informant_1.txt", "--pseudonyms", map_file)
    assert "undo history" not in result.stdout  # nothing was stored with names, so nothing had to go
    assert file_leaks(study) == {}
    assert run("anonymise", "check", map_file, study).exit_code == 0
    assert "undid" in run("undo", study).stdout.lower()


def test_import_with_a_map_cleans_names_already_in_the_study(named, tmp_path):
    study, map_file = named
    other = tmp_path / "informant_2.txt"
    other.write_text(
        (REPO / "sample_data" / "transcripts" / "informant_2.txt")
        .read_text(encoding="utf-8")
        .replace("[the other municipality]", "Lindköping"),
        encoding="utf-8",
    )
    result = run("import", study, other, "--pseudonyms", map_file)
    assert "imported 1 transcript(s)" in result.stdout and "replaced names already stored" in result.stdout
    assert file_leaks(study) == {}
    assert sorted(json.loads(run("transcripts", study, "--json").stdout), key=str)  # both are still there


# -- the file's bytes while another program reads the study ----------------------------------------


def test_old_pages_kept_by_a_reader_are_reported_and_removed_once_it_is_done(named):
    study, map_file = named
    reader = sqlite3.connect(study)  # another program, in the middle of reading the old version
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM transcripts").fetchone()
    try:
        result = run("anonymise", "apply", study, map_file, "--quiet")
        assert "may still hold old data" in result.stderr
        assert table(study, "SELECT count(*) FROM memos WHERE text LIKE '%Åsa%'") == [(0,)]
        assert file_leaks(study)  # the old pages are still in the file: the warning is true
        reader.commit()  # done reading, still open
        result = run("anonymise", "apply", study, map_file)
        assert "compacted" in result.stdout and "replaced" not in result.stdout
        assert "no mapped name remains" in result.stdout
        assert file_leaks(study) == {}
    finally:
        reader.close()


# -- choices: coders, clashes ---------------------------------------------------------------------


def test_coder_names_are_reported_but_not_replaced(named, tmp_path):
    study, map_file = named
    run("code", study, "informant_1", "Technology", "--text", "ticketing system", "--coder", "Per-Olof")
    result = run("anonymise", "apply", study, map_file, "--quiet")
    assert "1 coder name(s) match the map" in result.stdout
    assert table(study, "SELECT count(*) FROM codings WHERE coder = 'Per-Olof'") == [(1,)]
    check = run("anonymise", "check", map_file, study, ok=False)
    assert "codings.coder row 4" in check.stdout and "(a coder: not replaced)" in check.stdout


def test_two_names_that_would_become_one_case_are_refused_and_nothing_changes(tmp_path):
    cases = tmp_path / "cases.yaml"
    cases.write_text("a: {case: Åsa}\nb: {case: Per-Olof}\n", encoding="utf-8")
    for name in "ab":
        (tmp_path / f"{name}.txt").write_text(f"I: Hello {name}.\n\nR: Hi.\n", encoding="utf-8")
    map_file = tmp_path / "map.yaml"
    map_file.write_text('Åsa: "[someone]"\nPer-Olof: "[someone]"\n', encoding="utf-8")
    study = tmp_path / "study.db"
    run("init", study)
    run("import", study, tmp_path / "a.txt", tmp_path / "b.txt", "--cases", cases)
    before = table(study, "SELECT * FROM cases"), table(study, "SELECT count(*) FROM undo_log")
    result = run("anonymise", "apply", study, map_file, ok=False)
    assert result.exit_code == 1 and "would have the same name '[someone]'" in result.stderr
    assert result.stderr.count("\n") == 1
    assert (table(study, "SELECT * FROM cases"), table(study, "SELECT count(*) FROM undo_log")) == before
    assert not list((tmp_path / "study.db.backups").glob("*anonymise*"))  # its snapshot went with it


def test_apply_to_a_transcript_file_still_needs_an_output(tmp_path):
    map_file = tmp_path / "map.yaml"
    map_file.write_text(MAP, encoding="utf-8")
    source = tmp_path / "talk.txt"
    source.write_text("I: Where?\n\nR: In Lindköping.\n", encoding="utf-8")
    result = run("anonymise", "apply", map_file, source, ok=False)
    assert result.exit_code == 1 and "add -o OUT" in result.stderr
    run("anonymise", "apply", map_file, source, "-o", tmp_path / "clean.txt")
    assert "Lindköping" not in (tmp_path / "clean.txt").read_text(encoding="utf-8")


# -- the rules on values and bytes ------------------------------------------------------------------


def test_names_in_raw_bytes_are_found_next_to_other_values_but_not_inside_words():
    mapping = parse_pseudonym_map(MAP + "Per: X\n", "map.yaml")
    data = "transcriptÅsa Öberg2025-03-03\x01Lindköping\x00Åsander Person per Per".encode()
    found = [(offset, text) for offset, text, _entry in find_names_in_bytes(data, mapping)]
    assert [text for _offset, text in found] == ["Åsa Öberg", "Lindköping", "Per"]
    assert found[0][0] == len(b"transcript") and data[found[1][0] :].startswith("Lindköping".encode())
    lower = find_names_in_bytes("x åsa öberg x".encode(), mapping, ignore_case=True)
    assert [entry.name for _offset, _text, entry in lower] == ["Åsa Öberg"]


def test_payloads_settings_and_file_names_keep_their_form():
    mapping = parse_pseudonym_map(MAP + 'Anna Svensson: "Informant 7"\n', "map.yaml")
    report = AnonymisationReport()
    payload = json.dumps(
        {
            "files": ["/home/x/Åsa Öberg/Anna_Svensson.txt", "C:\\Per-Olof\\b.txt"],
            "path": "/data/Lindköping/study.db",
            "case": "Åsa",
            "n": 3,
        }
    )
    assert json.loads(anonymise_payload(payload, mapping, "events.payload row 1", report)) == {
        "files": ["Informant_7.txt", "b.txt"],
        "path": "study.db",
        "case": "[the technician]",
        "n": 3,
    }
    assert anonymise_name("per-olof_notes", mapping, "x", report) == "per-olof_notes"  # case matters
    assert anonymise_name("Per-Olof_notes", mapping, "x", report) == "Informant_9_notes"
    setting = anonymise_setting("title: Lindköping study\nlang: en\n", mapping, "study.value row 2", report)
    assert setting == "title: '[the other municipality] study'\nlang: en\n"
    assert anonymise_setting("lang: en\n", mapping, "x", report) == "lang: en\n"
    assert {r.place for r in report.replacements} >= {"events.payload row 1", "study.value row 2"}
