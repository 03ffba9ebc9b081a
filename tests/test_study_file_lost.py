"""The study API a long-running front end needs against faults: a short wait for a locked study,
coding a passage as it was seen, and a study file deleted or replaced while it is open."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import REPO, copy_study

from workbench.errors import StudyBusyError, TextChangedError, WorkbenchError
from workbench.study import Study
from workbench.study.reimport import reimport_transcript

TRANSCRIPT = REPO / "sample_data" / "transcripts" / "informant_1.txt"


def test_waiting_at_most_gives_up_on_a_locked_study_quickly_and_then_waits_as_before(study_path: Path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_BUSY_TIMEOUT", "2")
    with Study.open(study_path) as study:
        other = sqlite3.connect(study_path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        began = time.monotonic()
        with pytest.raises(StudyBusyError), study.waiting_at_most(0.1):
            study.set_memo("study", None, "while locked")
        quick = time.monotonic() - began
        began = time.monotonic()
        with pytest.raises(StudyBusyError):
            study.set_memo("study", None, "while locked")
        usual = time.monotonic() - began
        other.execute("ROLLBACK")
        other.close()
    assert quick < 1.0 <= usual


def test_code_as_seen_moves_with_the_text_or_refuses(study_path: Path, tmp_path: Path):
    original = TRANSCRIPT.read_text(encoding="utf-8")
    with Study.open(study_path) as study:
        seen = study.transcript_text("informant_1")
        start = seen.index("Well, it started before my time")
        end = start + len("Well, it started before my time")
        changed = tmp_path / "informant_1.txt"
        changed.write_text("Interviewer: A question added above?\n\n" + original, encoding="utf-8")
        with Study.open(study_path) as other:
            reimport_transcript(other, changed)
        result = study.code("informant_1", "Technology", start, end, as_seen=seen)
        assert result.moved_from == (start, end)
        assert result.coding.text == seen[start:end] and result.coding.start > start

        seen = study.transcript_text("informant_1")
        changed.write_text(original.replace("Well, it started before my time", "It began long ago"), encoding="utf-8")
        with Study.open(study_path) as other:
            reimport_transcript(other, changed)
        count = len(study.codings("informant_1"))
        start = seen.index("Well, it started before my time")
        with pytest.raises(TextChangedError):
            study.code("informant_1", "Identity", start, start + 20, as_seen=seen)
        assert len(study.codings("informant_1")) == count


def test_code_as_seen_keeps_the_text_between_own_codings_and_sees_every_re_import(
    study_path: Path, tmp_path: Path, monkeypatch
):
    """A coding keeps the transcript's text it read (the next coding of the same transcript does
    not read it again), and the kept text gives way to a re-import by another program, by this
    one, and to the undo of that: each time, a passage chosen in the text as it was seen moves."""
    from workbench.storage import transcripts as transcripts_store

    reads = []
    transcript_text = transcripts_store.transcript_text
    monkeypatch.setattr(
        transcripts_store, "transcript_text", lambda db, tid: reads.append(tid) or transcript_text(db, tid)
    )
    original = TRANSCRIPT.read_text(encoding="utf-8")
    changed = tmp_path / "informant_1.txt"
    passage = "Well, it started before my time"

    def code_as_seen(study: Study, seen: str, theme: str):
        start = seen.index(passage)
        return study.code("informant_1", theme, start, start + len(passage), as_seen=seen)

    with Study.open(study_path) as study:
        seen = study.transcript_text("informant_1")
        reads.clear()
        for theme in ("Technology", "Identity", "Collaboration"):
            assert code_as_seen(study, seen, theme).moved_from is None
        study.undo()
        code_as_seen(study, seen, "Collaboration")
        assert len(reads) == 1, "own codings read the transcript's text again"

        changed.write_text("Interviewer: A question added above?\n\n" + original, encoding="utf-8")
        with Study.open(study_path) as other:
            reimport_transcript(other, changed)
        result = code_as_seen(study, seen, "Knowledge effects")
        assert result.moved_from is not None and result.coding.text == passage

        seen = study.transcript_text("informant_1")
        code_as_seen(study, seen, "Technology")  # (the same coding again: kept, not written)
        changed.write_text("Interviewer: Two questions added?\n\n" + original, encoding="utf-8")
        reimport_transcript(study, changed)  # this program's own re-import
        result = code_as_seen(study, seen, "Identity")
        assert result.moved_from is not None and result.coding.text == passage

        seen = study.transcript_text("informant_1")
        code_as_seen(study, seen, "Knowledge effects")
        study.undo()  # the coding
        study.undo()  # the re-import: the text is as the other program left it
        assert study.transcript_text("informant_1") != seen
        result = code_as_seen(study, seen, "Collaboration")
        assert result.moved_from is not None and result.coding.text == passage


def test_a_deleted_study_file_is_told_and_its_side_files_let_go(study_path: Path, tmp_path: Path):
    with Study.open(study_path) as study:
        assert study.file_lost() is None
        study.set_memo("study", None, "written before the file went")
        study_path.unlink()
        assert study.file_lost() == "the study file was deleted"
        study.release_lost_file()
        assert not Path(f"{study_path}-wal").exists() and not Path(f"{study_path}-shm").exists()
        assert study.memo("study", None) == "written before the file went"  # still readable
        copy = study.save_copy(tmp_path / "recovered.db")
        with pytest.raises(WorkbenchError, match="already exists"):
            study.save_copy(copy)
    with Study.open(copy) as recovered:
        assert recovered.memo("study", None) == "written before the file went"


def test_a_replaced_study_file_keeps_none_of_this_connections_changes(study_path: Path, tmp_path: Path):
    replacement = copy_study(study_path, tmp_path / "replacement.db")
    with Study.open(study_path) as study:
        study.set_memo("study", None, "only in the opened file")
        os.replace(replacement, study_path)
        assert study.file_lost() == "the study file was replaced by another file"
        study.release_lost_file()
        with Study.open(study_path) as fresh:
            assert fresh.memo("study", None) is None
