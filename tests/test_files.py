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
    assert runner.invoke(main, ["codebook", "load", str(study), str(codebooks_dir() / "it-collaboration.yaml")]).exit_code == 0
    out = tmp_path / "book.yaml"
    result = runner.invoke(main, ["codebook", "export", str(study), "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == f"wrote {out}\n"
    assert out.read_text(encoding="utf-8") == runner.invoke(main, ["codebook", "export", str(study)]).stdout
    missing = tmp_path / "no" / "book.yaml"
    result = runner.invoke(main, ["codebook", "export", str(study), "-o", str(missing)])
    assert result.exit_code == 1 and result.stderr == f"error: {missing}: the folder does not exist\n"
