"""``-o FILE`` writes where the researcher means: through a symlink to its target, never over a
device, a pipe or a folder, with the file's own mode (or the umask's for a new file), synced.

Every export goes through ``interop.files.write_atomically``; these tests drive it through each
export command and the chapter preview's `w`, with real symlinks, FIFOs, modes and umasks.
"""

from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import open_workbench, wait_for

from workbench.cli import main
from workbench.errors import InputError
from workbench.interop.files import write_atomically

#: Each export command, with ``{study}`` and ``{out}`` to fill in.
EXPORTS = {
    "chapter": ["export", "chapter", "{study}", "-o", "{out}"],
    "quotes": ["export", "quotes", "{study}", "-o", "{out}"],
    "qdpx": ["export", "qdpx", "{study}", "-o", "{out}"],
    "qdc": ["export", "qdc", "{study}", "-o", "{out}"],
    "codebook": ["codebook", "export", "{study}", "-o", "{out}"],
}


def export(kind: str, study: Path, out: Path | str):
    args = [word.format(study=study, out=out) for word in EXPORTS[kind]]
    return CliRunner().invoke(main, args)


@pytest.fixture
def umask():
    """Set the process's umask for a test (restored after it)."""
    saved = os.umask(0o022)
    os.umask(saved)

    def set_to(value: int) -> None:
        os.umask(value)

    yield set_to
    os.umask(saved)


# -- symlinks --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_symlink_is_followed_and_its_target_rewritten(study_path: Path, tmp_path: Path, kind: str):
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    target = thesis / "chapter4.md"
    target.write_text("the old text", encoding="utf-8")
    link = tmp_path / "chapter.md"
    link.symlink_to(Path("thesis") / "chapter4.md")  # relative, as people make them
    result = export(kind, study_path, link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and os.readlink(link) == str(Path("thesis") / "chapter4.md")
    assert target.read_bytes() != b"the old text" and target.stat().st_size > 0
    assert sorted(p.name for p in thesis.iterdir()) == ["chapter4.md"]  # no temporary left behind
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_chain_of_symlinks_and_a_dangling_one(tmp_path: Path):
    real = tmp_path / "real.md"
    (tmp_path / "b.md").symlink_to(real)
    (tmp_path / "a.md").symlink_to(tmp_path / "b.md")
    write_atomically(tmp_path / "a.md", b"through two links")  # b.md dangles: the file is made where it points
    assert real.read_bytes() == b"through two links"
    assert (tmp_path / "a.md").is_symlink() and (tmp_path / "b.md").is_symlink()


def test_a_symlink_loop_is_refused_naming_the_file(tmp_path: Path):
    loop = tmp_path / "loop.md"
    loop.symlink_to(tmp_path / "other.md")
    (tmp_path / "other.md").symlink_to(loop)
    with pytest.raises(InputError) as caught:
        write_atomically(loop, b"x")
    assert caught.value.where == str(loop) and "\n" not in str(caught.value)


# -- what is not a regular file --------------------------------------------------------------------


def refuses_special_files(tmp_path: Path) -> bool:
    """Whether write_atomically refuses a FIFO (checked before a test goes near a real device)."""
    fifo = tmp_path / "probe.fifo"
    os.mkfifo(fifo)
    try:
        write_atomically(fifo, b"x")
    except InputError:
        return stat.S_ISFIFO(fifo.lstat().st_mode)
    return False


@pytest.mark.parametrize("kind", EXPORTS)
def test_a_fifo_is_refused_and_left_alone(study_path: Path, tmp_path: Path, kind: str):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    result = export(kind, study_path, fifo)
    assert result.exit_code == 1
    assert result.stderr == f"error: {fifo}: not a regular file (a device, a pipe or a socket); nothing was written\n"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.fifo", "study.db"]


def test_a_symlink_to_a_character_device_is_refused(study_path: Path, tmp_path: Path):
    link = tmp_path / "null.md"
    link.symlink_to("/dev/null")
    result = export("chapter", study_path, link)
    assert result.exit_code == 1 and "not a regular file" in result.stderr and str(link) in result.stderr
    assert link.is_symlink() and Path("/dev/null").is_char_device()


def test_a_character_device_is_refused(study_path: Path, tmp_path: Path):
    if not refuses_special_files(tmp_path):  # as root, an unguarded write would replace /dev/null itself
        pytest.fail("write_atomically does not refuse a FIFO; not trying it on /dev/null")
    result = export("quotes", study_path, "/dev/null")
    assert result.exit_code == 1
    assert result.stderr == "error: /dev/null: not a regular file (a device, a pipe or a socket); nothing was written\n"
    assert Path("/dev/null").is_char_device()
    assert not list(Path("/dev").glob(".null.*"))  # no temporary left in /dev


def test_a_folder_is_refused(study_path: Path, tmp_path: Path):
    folder = tmp_path / "out"
    folder.mkdir()
    result = export("chapter", study_path, folder)
    assert result.exit_code in (1, 2)  # click refuses a folder for -o itself (dir_okay=False)
    with pytest.raises(InputError, match="is a folder") as caught:
        write_atomically(folder, b"x")
    assert caught.value.where == str(folder) and folder.is_dir() and not list(folder.iterdir())


def test_standard_output_is_dash(study_path: Path):
    result = CliRunner().invoke(main, ["export", "quotes", str(study_path), "-o", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("id,transcript,case")


# -- modes, umask and syncing ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", EXPORTS)
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o600, 0o664])
def test_an_existing_file_keeps_its_mode(study_path: Path, tmp_path: Path, kind: str, mode: int, umask):
    umask(0o077)  # would make a new file 0600: the existing file's mode must win
    out = tmp_path / "out.file"
    out.write_text("old", encoding="utf-8")
    out.chmod(mode)
    assert export(kind, study_path, out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == mode and out.read_bytes() != b"old"


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077, 0o027])
def test_a_new_file_gets_the_umask_s_mode(study_path: Path, tmp_path: Path, mask: int, umask):
    umask(mask)
    for kind in EXPORTS:
        out = tmp_path / f"new-{kind}.file"
        assert export(kind, study_path, out).exit_code == 0
        assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask, kind


def test_a_symlinked_file_keeps_its_target_s_mode(tmp_path: Path, umask):
    umask(0o077)
    target = tmp_path / "target.md"
    target.write_bytes(b"old")
    target.chmod(0o644)
    link = tmp_path / "link.md"
    link.symlink_to(target)
    write_atomically(link, b"new")
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o644


def test_the_file_and_its_folder_are_synced(tmp_path: Path, monkeypatch):
    synced: list[str] = []
    real_fsync = os.fsync

    def recording(fd: int) -> None:
        kind = os.fstat(fd).st_mode
        synced.append("folder" if stat.S_ISDIR(kind) else "file" if stat.S_ISREG(kind) else "other")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording)
    write_atomically(tmp_path / "out.md", b"synced")
    assert synced == ["file", "folder"]


# -- the chapter preview's `w` ---------------------------------------------------------------------


def test_the_chapter_preview_writes_through_a_symlink_with_the_file_s_mode(study_path: Path, tmp_path: Path):
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    target = thesis / "chapter4.md"
    target.write_text("the old text", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "chapter.md"
    link.symlink_to(target)

    async def main_():
        async with open_workbench(study_path) as (app, pilot):
            await pilot.press("E")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "ChapterPreviewScreen", "the chapter preview")
            await pilot.press("w")
            await wait_for(pilot, lambda: type(app.screen).__name__ == "TextDialog", "the file name field")
            app.screen.query_one("#text").value = str(link)
            await pilot.press("enter")
            await wait_for(pilot, lambda: target.read_text(encoding="utf-8") != "the old text", "the chapter written")

    asyncio.run(main_())
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("<!-- workbench:chapter")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in thesis.iterdir()) == ["chapter4.md"]
