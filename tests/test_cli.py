"""The `workbench` command through click's CliRunner: exit codes, messages, --json shapes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.resources import codebooks_dir, sample_data_dir


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True):
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output + result.stderr
        return result

    return invoke


@pytest.fixture
def sample_study(tmp_path: Path, run) -> Path:
    study = tmp_path / "study.db"
    run("init", study)
    transcripts = sorted((sample_data_dir() / "transcripts").iterdir())
    run("import", study, *transcripts, "--cases", sample_data_dir() / "cases.yaml")
    run("codebook", "load", study, codebooks_dir() / "it-collaboration.yaml")
    return study


def test_help_is_useful_for_every_command(run):
    top = run("--help").output
    for command in ("init", "import", "codebook", "code", "uncode", "quotes", "select", "stats", "demo"):
        assert command in top
    for command in (
        ["init"],
        ["import"],
        ["codebook", "load"],
        ["codebook", "export"],
        ["codebook", "check"],
        ["code"],
        ["uncode"],
        ["quotes"],
        ["select"],
        ["stats"],
        ["case", "set"],
        ["memo"],
    ):
        out = run(*command, "--help").output
        assert "Usage: main" in out or "Usage:" in out
        assert len(out.splitlines()) > 4


def test_the_whole_workflow_from_the_command_line(sample_study: Path, run):
    out = run("transcripts", sample_study, "--json").output
    transcripts = json.loads(out)
    assert len(transcripts) == 8
    assert {t["format"] for t in transcripts} >= {"txt", "md", "docx", "vtt"}

    passage = "could not manage it ourselves"
    candidates = [t["name"] for t in transcripts]
    # find a transcript that says something codable: use the first demo coding of the sample data
    import yaml

    entry = yaml.safe_load((sample_data_dir() / "demo_codings.yaml").read_text(encoding="utf-8"))[0]
    assert entry["transcript"] in candidates
    out = run(
        "code",
        sample_study,
        entry["transcript"],
        entry["theme"],
        "--text",
        entry["text"],
        "--select",
        "--comment",
        "We read this as dependence.",
        "--json",
    ).output
    coding_id = json.loads(out)["id"]

    quotes = json.loads(run("quotes", sample_study, "--selected", "--json").output)
    assert [q["id"] for q in quotes] == [coding_id]
    quote = quotes[0]
    for key in (
        "id",
        "transcript",
        "case",
        "theme",
        "start",
        "end",
        "text",
        "attributes",
        "selected",
        "comment",
        "coder",
    ):
        assert key in quote
    assert quote["text"] == entry["text"]
    assert quote["comment"] == "We read this as dependence."
    assert quote["attributes"]["cluster"] in {"A", "B"}

    stats = json.loads(run("stats", sample_study, "--by", "size", "--json").output)
    assert stats["values"] == ["larger", "smaller"]
    assert sum(t["codings"] for t in stats["themes"]) == 1
    table = run("stats", sample_study, "--by", "cluster").output
    assert "cluster=A" in table and "Trust and confidence" in table

    run("select", sample_study, coding_id, "--off")
    assert json.loads(run("quotes", sample_study, "--selected", "--json").output) == []
    run("uncode", sample_study, coding_id)
    assert json.loads(run("quotes", sample_study, "--json").output) == []
    assert passage  # the sample study is about exactly this kind of dependence


def test_user_errors_are_one_line_and_change_nothing(sample_study: Path, run, tmp_path: Path):
    def counts() -> dict:
        with sqlite3.connect(sample_study) as conn:
            return {
                t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("transcripts", "turns", "themes", "codings", "quotes", "cases", "case_attributes")
            }

    before = counts()
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    bad_codebook = tmp_path / "bad.yaml"
    bad_codebook.write_text("themes:\n  - name: A\n    colour: notacolour\n")
    cases = [
        (["init", sample_study], "already exists"),
        (["import", sample_study, empty], "empty.txt"),
        (["import", sample_study, tmp_path / "missing.txt"], "missing.txt"),
        (["codebook", "load", sample_study, bad_codebook], "bad.yaml:3"),
        (["code", sample_study, "informant_1", "Technology", "--text", "no such words here at all"], "not found"),
        (["code", sample_study, "informant_1", "No such theme", "--start", "0", "--end", "5"], "no theme"),
        (["code", sample_study, "informant_1", "Technology"], "--text"),
        (["uncode", sample_study, "999"], "no coding"),
        (["quotes", sample_study, "--where", "nokey=1"], "no case has an attribute"),
        (["quotes", sample_study, "--where", "novalue"], "KEY=VALUE"),
        (["stats", tmp_path / "nope.db"], "no such study"),
        (["stats", empty], "not an SQLite file"),
    ]
    for args, message in cases:
        result = run(*args, ok=False)
        assert result.exit_code == 1, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, result.stderr)
        assert message in lines[0], (args, lines[0])
        assert "Traceback" not in result.output
    assert counts() == before


def test_codebook_check_and_export(run, tmp_path: Path, sample_study: Path):
    for book in sorted(codebooks_dir().glob("*.yaml")):
        assert "ok" in run("codebook", "check", book).output
    out = tmp_path / "exported.yaml"
    run("codebook", "export", sample_study, "-o", out)
    assert "ok" in run("codebook", "check", out).output
    assert "Trust and confidence" in out.read_text(encoding="utf-8")


def test_case_set_and_memo(run, sample_study: Path):
    out = run("case", "set", sample_study, "informant_7", "size=larger").output
    assert "size=larger" in out
    cases = json.loads(run("case", "list", sample_study, "--json").output)
    assert cases["informant_7"]["size"] == "larger"
    run("memo", sample_study, "--on", "theme", "--target", "Technology", "--text", "Tech intro.")
    assert run("memo", sample_study, "--on", "theme", "--target", "Technology").output.strip() == "Tech intro."
    result = run("case", "set", sample_study, "nobody", "size=x", ok=False)
    assert result.exit_code == 1 and "no case named" in result.stderr


def test_demo_builds_a_study_with_colour(run, tmp_path: Path):
    target = tmp_path / "demo.db"
    run("demo", "--path", target, "--no-open")
    stats = json.loads(run("stats", target, "--json").output)
    assert stats["transcripts"] == 8
    assert sum(t["codings"] for t in stats["themes"]) >= 30
    assert json.loads(run("quotes", target, "--selected", "--json").output)


def test_code_with_select_and_comment_is_one_undo_step(run, sample_study: Path):
    import yaml

    entry = yaml.safe_load((sample_data_dir() / "demo_codings.yaml").read_text(encoding="utf-8"))[1]
    run(
        "code", sample_study, entry["transcript"], entry["theme"], "--text", entry["text"], "--select", "--comment", "c"
    )
    assert json.loads(run("quotes", sample_study, "--selected", "--json").output)
    run("undo", sample_study)
    assert json.loads(run("quotes", sample_study, "--json").output) == []


def test_import_with_a_pseudonym_map_stores_no_real_names(run, tmp_path: Path):
    (tmp_path / "t1.txt").write_text(
        "Interviewer: Where?\n\nInformant: In Smallville we trust Anna Berg.\n", encoding="utf-8"
    )
    (tmp_path / "map.yaml").write_text(
        '"Smallville": "[the other municipality]"\n"Anna Berg": "[...]"\n', encoding="utf-8"
    )
    study = tmp_path / "s.db"
    run("init", study)
    result = run("import", study, tmp_path / "t1.txt", "--pseudonyms", tmp_path / "map.yaml")
    assert "Anna Berg" in result.stderr  # the researcher sees what was replaced ...
    raw = study.read_bytes() + (Path(str(study) + "-wal").read_bytes() if Path(str(study) + "-wal").exists() else b"")
    assert b"Smallville" not in raw and b"Anna Berg" not in raw  # ... the study never holds it
    assert json.loads(run("quotes", study, "--json").output) == []


def test_importing_some_interviews_with_the_whole_studys_cases_file_warns_once(tmp_path, run):
    """A cases file names every interview; importing two of them says in one line which entries
    found no transcript (five named, then how many more), and the two get their attributes."""
    study = tmp_path / "study.db"
    run("init", study)
    transcripts = sorted((sample_data_dir() / "transcripts").iterdir())
    cases = sample_data_dir() / "cases.yaml"
    result = run("import", study, *transcripts[:2], "--cases", cases)
    unused = [line for line in result.output.splitlines() if "cases file" in line]  # stdout and stderr
    others = [p.stem for p in transcripts[2:]]
    assert len(unused) == 1, result.output + result.stderr
    assert f"{len(others)} entries name no transcript in the study" in unused[0]
    assert ", ".join(repr(n) for n in others[:5]) in unused[0]
    assert (f"and {len(others) - 5} more" in unused[0]) == (len(others) > 5)
    con = sqlite3.connect(study)
    named = {
        n
        for (n,) in con.execute(
            "SELECT DISTINCT t.name FROM transcripts t JOIN case_attributes a ON a.case_id = t.case_id"
        )
    }
    con.close()
    assert named == {p.stem for p in transcripts[:2]}
