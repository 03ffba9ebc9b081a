"""The researcher's files (interop/files.py): one atomic write for every export."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.errors import InputError
from workbench.interop.files import write_atomically
from workbench.resources import codebooks_dir


def test_write_bytes_or_through_a_writer(tmp_path: Path):
    path = tmp_path / "out.txt"
    write_atomically(path, "först\n".encode())
    assert path.read_text(encoding="utf-8") == "först\n"
    write_atomically(str(path), lambda out: out.write(b"second"))
    assert path.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    path = tmp_path / "chapter.md"
    path.write_text("the old chapter", encoding="utf-8")

    def broken(out):
        out.write(b"half a chap")
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        write_atomically(path, broken)
    assert path.read_text(encoding="utf-8") == "the old chapter"
    assert [p.name for p in tmp_path.iterdir()] == ["chapter.md"]


def test_a_missing_folder_is_one_line_naming_the_file(tmp_path: Path):
    with pytest.raises(InputError, match="the folder does not exist") as caught:
        write_atomically(tmp_path / "nowhere" / "out.qdc", b"x")
    assert caught.value.where == str(tmp_path / "nowhere" / "out.qdc")


def test_codebook_export_writes_atomically(tmp_path: Path):
    study = tmp_path / "study.db"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(study)]).exit_code == 0
    assert (
        runner.invoke(main, ["codebook", "load", str(study), str(codebooks_dir() / "it-collaboration.yaml")]).exit_code
        == 0
    )
    out = tmp_path / "book.yaml"
    result = runner.invoke(main, ["codebook", "export", str(study), "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8") == runner.invoke(main, ["codebook", "export", str(study)]).stdout
    missing = tmp_path / "no" / "book.yaml"
    result = runner.invoke(main, ["codebook", "export", str(study), "-o", str(missing)])
    assert result.exit_code == 1 and result.stderr == f"error: {missing}: the folder does not exist\n"


# -- reading a file the researcher gave ----------------------------------------------------------

from workbench.interop import decode  # noqa: E402
from workbench.interop.cases import read_cases_file  # noqa: E402
from workbench.interop.files import read_user_file  # noqa: E402
from workbench.interop.refi.read import read_qdc  # noqa: E402
from workbench.interop.taguette_csv import read_codebook_csv, read_highlights_csv  # noqa: E402
from workbench.interop.transcripts import read_transcript  # noqa: E402
from workbench.study.anonymise import load_pseudonym_map  # noqa: E402

# Every reader of a user file, with the name it gives the kind of file and a suffix it reads.
READERS = [
    (read_transcript, "transcript", ".txt"),
    (read_cases_file, "cases", ".yaml"),
    (read_codebook_csv, "CSV", ".csv"),
    (read_highlights_csv, "CSV", ".csv"),
    (read_qdc, "codebook", ".qdc"),
    (load_pseudonym_map, "pseudonym map", ".yaml"),
]


def refusal(read, path: Path) -> str:
    with pytest.raises(InputError) as caught:
        read(path)
    assert caught.value.where == str(path)
    return str(caught.value)


@pytest.mark.parametrize("read, what, suffix", READERS, ids=[r[0].__name__ for r in READERS])
def test_every_reader_refuses_a_missing_file_and_a_folder_in_the_same_words(tmp_path: Path, read, what, suffix):
    missing = tmp_path / f"missing{suffix}"
    assert refusal(read, missing) == f"{missing}: file not found"
    folder = tmp_path / f"folder{suffix}"
    folder.mkdir()
    assert refusal(read, folder) == f"{folder}: is a folder, not a {what} file"


@pytest.mark.parametrize("read, what, suffix", READERS, ids=[r[0].__name__ for r in READERS])
def test_every_reader_refuses_a_file_over_its_limit_before_reading_it(tmp_path: Path, monkeypatch, read, what, suffix):
    import workbench.interop.refi.read as refi_read
    import workbench.study.anonymise as anonymise

    monkeypatch.setattr(decode, "MAX_TRANSCRIPT_BYTES", 1024 * 1024)
    monkeypatch.setattr(refi_read, "MAX_XML_BYTES", 1024 * 1024)
    monkeypatch.setattr(anonymise, "MAX_MAP_BYTES", 1024 * 1024)
    big = tmp_path / f"big{suffix}"
    with big.open("wb") as out:  # sparse: nothing is written but the size
        out.truncate(1024 * 1024 + 1)
    assert refusal(read, big) == f"{big}: is larger than the 1 MB limit for a {what} file"


def test_a_file_that_cannot_be_read(tmp_path: Path):
    parent = tmp_path / "notes.txt"
    parent.write_text("a file, not a folder", encoding="utf-8")
    path = parent / "interview.txt"
    assert refusal(lambda p: read_user_file(p, "cases", 100), path) == f"{path}: cannot read file: Not a directory"


def test_the_chapter_to_verify_is_read_the_same_way(tmp_path: Path):
    study = tmp_path / "study.db"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(study)]).exit_code == 0
    missing = tmp_path / "chapter.md"
    result = runner.invoke(main, ["verify", str(study), str(missing)])
    assert result.exit_code == 1 and result.stderr == f"error: {missing}: file not found\n"
    missing.write_bytes("# Results\n\nåäö\n".encode("cp1252"))
    result = runner.invoke(main, ["verify", str(study), str(missing)])
    assert result.stderr == f"error: {missing}:3: the chapter is not UTF-8 text; save it as UTF-8\n"
