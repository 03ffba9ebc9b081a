"""The REFI-QDA loss report tells the truth: its counts match a real diff of the study before and
after a round trip; control characters survive (or are reported); a study's own export imported
into it adds nothing; duplicate GUIDs are warned about; what is not kept is listed."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from workbench.study import Study
from workbench.study.exchange import export_qdpx, import_qdpx


@pytest.fixture
def study(tmp_path: Path) -> Study:
    with Study.create(tmp_path / "study.db", coder="tester") as s:
        yield s


def everything(study: Study) -> dict:
    return {
        "transcripts": {t.name: study.transcript_text(t.name) for t in study.transcripts()},
        "themes": [(t.path, t.color, t.description, t.include, t.exclude) for t in study.themes()],
        "codings": sorted(
            (q.transcript, q.theme, q.start, q.end, q.coder, q.comment, q.selected, q.elided) for q in study.quotes()
        ),
        "cases": study.cases(),
        "memos": sorted(study._db.execute("SELECT target_type, target_id, text FROM memos").fetchall()),
    }


def test_the_count_of_transcripts_losing_turn_times_matches_a_real_diff(study_path, tmp_path):
    path = tmp_path / "demo.qdpx"
    with Study.open(study_path) as demo:
        report = export_qdpx(demo, path)
        before = {t.name: [(x.start, x.time_start, x.time_end) for x in demo.turns(t.name)] for t in demo.transcripts()}
    with Study.create(tmp_path / "back.db", coder="x") as back:
        import_qdpx(back, path)
        after = {t.name: [(x.start, x.time_start, x.time_end) for x in back.turns(t.name)] for t in back.transcripts()}
    differ = sorted(name for name in before if before[name] != after[name])
    timed = [name for name, turns in before.items() if any(t[1] is not None for t in turns)]
    lost = [s for s in report.not_exported if s.kind == "turn times"]
    assert len(timed) > len(differ) > 0  # times written in the text come back; .vtt times do not
    assert lost and lost[0].name == f"{len(differ)} transcript(s)"


def test_control_characters_in_comments_and_memos_survive_and_a_second_import_adds_nothing(study_path, tmp_path):
    path = tmp_path / "own.qdpx"
    comment = "Read this\x07 closely;\x0b it turns\x1b[31m here."
    memo = "Memo with a NUL-free\x01 control\x08 character."
    with Study.open(study_path) as demo:
        quote = demo.quotes()[0]
        demo.select(quote.id, selected=True, comment=comment)
        demo.set_memo("study", None, memo)
        demo.set_memo("transcript", quote.transcript, "Transcript memo\x02.")
        report = export_qdpx(demo, path)
        assert any("control characters" in w for w in report.warnings)
        before, events = everything(demo), len(demo.events())
        again = import_qdpx(demo, path)  # the study's own export, into the same study
        assert everything(demo) == before
        assert again.counts["codings_added"] == 0 and again.counts["comments"] == 0 and again.counts["memos"] == 0
        assert len(demo.events()) <= events + 1
    with zipfile.ZipFile(path) as archive:
        assert b"\x07" not in archive.read("project.qde")  # the XML stays valid
    with Study.create(tmp_path / "copy.db", coder="x") as copy:
        import_qdpx(copy, path)
        assert comment in [q.comment for q in copy.quotes()]
        assert copy.memo("study", None) == memo


def test_comments_written_with_replacement_characters_are_not_added_twice(study_path, tmp_path):
    """A file from an older export (U+FFFD in place of the control character) adds nothing either."""
    path = tmp_path / "own.qdpx"
    with Study.open(study_path) as demo:
        quote = demo.quotes()[0]
        demo.select(quote.id, selected=True, comment="Odd\x07 comment.")
        export_qdpx(demo, path)
        with zipfile.ZipFile(path) as archive:
            members = {n: archive.read(n) for n in archive.namelist()}
        qde = members["project.qde"].decode("utf-8")
        # Drop the exact copies and their paths: what an export without them carried.
        qde = re.sub(r' plainTextPath="internal://[^"]+"(?=[^>]*>\s*<PlainTextContent)', "", qde)
        notes = [n for n in members if n.startswith("sources/") and n[8:-4] not in qde]
        old = tmp_path / "old.qdpx"
        with zipfile.ZipFile(old, "w") as archive:
            archive.writestr("project.qde", qde)
            for name, data in members.items():
                if name != "project.qde" and name not in notes:
                    archive.writestr(name, data)
        before = everything(demo)
        import_qdpx(demo, old)
        assert everything(demo) == before


G = "{:08x}-0000-4000-8000-{:012x}".format


def test_duplicate_guids_are_warned_and_theme_counts_agree_with_themselves(study, tmp_path):
    qde = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="ATLAS project" origin="ATLAS.ti 23">
<Users><User guid="{G(9, 1)}" name="Ann"/><User guid="{G(9, 2)}" name="Idle"/></Users>
<CodeBook><Codes><Code guid="{G(1, 1)}" name="Trust"/><Code guid="{G(1, 1)}" name="Trust again"/>
<Code guid="{G(1, 3)}" name="Folder" isCodable="false"/></Codes></CodeBook>
<Sources>
<TextSource guid="{G(4, 1)}" name="one"><PlainTextContent>First text here.</PlainTextContent>
<PlainTextSelection guid="{G(2, 1)}" startPosition="0" endPosition="5" creatingUser="{G(9, 1)}">
<Coding guid="{G(3, 1)}" creatingUser="{G(9, 1)}"><CodeRef targetGUID="{G(1, 1)}"/></Coding></PlainTextSelection>
</TextSource>
<TextSource guid="{G(4, 1)}" name="two"><PlainTextContent>Second text here.</PlainTextContent>
<PlainTextSelection guid="{G(2, 1)}" startPosition="0" endPosition="6" creatingUser="{G(9, 1)}">
<Coding guid="{G(3, 2)}" creatingUser="{G(9, 1)}"><CodeRef targetGUID="{G(1, 1)}"/></Coding></PlainTextSelection>
</TextSource></Sources></Project>"""
    path = tmp_path / "dup.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", qde)
    report = import_qdpx(study, path)
    warnings = " | ".join(report.warnings)
    assert "1 source GUID(s) are used more than once" in warnings
    assert "1 selection GUID(s) are used more than once" in warnings
    assert "code GUID" in warnings and "used twice" in warnings
    assert report.counts["themes"] == report.counts["themes_added"] == len(study.themes()) == 3
    lost = {(s.kind, s.name) for s in report.not_imported}
    assert {("project name", "ATLAS project"), ("user", "Idle"), ("code flag", "Folder")} <= lost
    assert ("user", "Ann") not in lost
