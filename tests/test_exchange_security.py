"""Attack files: each is refused with a clear one-line error, nothing is written outside the
study, and the study is unchanged."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from workbench.cli import main
from workbench.errors import InputError
from workbench.interop.safe_zip import SafeArchive, ZipLimits
from workbench.study import Study
from workbench.study.exchange import import_qdc, import_qdpx

GOOD_PROJECT = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="p">
  <CodeBook><Codes><Code guid="c" name="A" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="s" name="t" plainTextPath="internal://t.txt"/></Sources>
</Project>"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;"/>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="p"><Description>&secret;</Description></Project>"""

PLAIN_DTD = """<?xml version="1.0"?>
<!DOCTYPE Project SYSTEM "http://example.invalid/project.dtd">
<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>"""


def _zip(path: Path, members: list[tuple[str | zipfile.ZipInfo, bytes | str]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return path


def _symlink(name: str, target: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix: the mode bits in external_attr count
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def _traversal(tmp: Path) -> Path:
    return _zip(
        tmp / "traversal.qdpx", [("project.qde", GOOD_PROJECT), ("sources/t.txt", "text"), ("../../evil.txt", "owned")]
    )


def _absolute(tmp: Path) -> Path:
    return _zip(tmp / "absolute.qdpx", [("project.qde", GOOD_PROJECT), (str(tmp / "evil_absolute.txt"), "owned")])


def _drive(tmp: Path) -> Path:
    return _zip(tmp / "drive.qdpx", [("project.qde", GOOD_PROJECT), ("C:/Windows/evil.txt", "owned")])


def _symlinked(tmp: Path) -> Path:
    return _zip(
        tmp / "symlink.qdpx", [("project.qde", GOOD_PROJECT), (_symlink("sources/t.txt", "/etc/passwd"), "/etc/passwd")]
    )


def _bomb(tmp: Path) -> Path:
    return _zip(tmp / "bomb.qdpx", [("project.qde", GOOD_PROJECT), ("sources/t.txt", b"\0" * (20 * 1024 * 1024))])


def _crowd(tmp: Path) -> Path:
    return _zip(tmp / "crowd.qdpx", [("project.qde", GOOD_PROJECT)] + [(f"sources/{i}.txt", "") for i in range(10_001)])


def _xml(name: str, text: str):
    return lambda tmp: _zip(tmp / f"{name}.qdpx", [("project.qde", text)])


ATTACKS = {
    "path traversal": (_traversal, "climbs out of the archive"),
    "absolute path": (_absolute, "absolute path"),
    "drive letter": (_drive, "drive letter"),
    "symbolic link": (_symlinked, "symbolic link"),
    "zip bomb": (_bomb, "zip bomb"),
    "too many members": (_crowd, "10,002 members"),
    "billion laughs": (_xml("laughs", BILLION_LAUGHS), "document type declaration"),
    "external entity": (_xml("xxe", EXTERNAL_ENTITY), "document type declaration"),
    "DTD": (_xml("dtd", PLAIN_DTD), "document type declaration"),
}


def _snapshot(study: Study) -> tuple:
    tables = ("transcripts", "themes", "codings", "cases", "case_attributes", "memos", "quotes", "events")
    return tuple(study._db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables)


def _files(folder: Path) -> set[Path]:
    # SQLite's -wal and -shm files come and go with the connection.
    return {p for p in folder.rglob("*") if not p.name.endswith(("-wal", "-shm"))}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_attack_archives_are_refused_and_change_nothing(tmp_path, attack, monkeypatch):
    build, expected = ATTACKS[attack]
    attacks = tmp_path / "attacks"
    work = tmp_path / "work"
    attacks.mkdir()
    work.mkdir()
    monkeypatch.chdir(work)
    archive = build(attacks)
    with Study.create(tmp_path / "study.db", coder="tester") as study:
        study.add_theme("Existing")
        before = _snapshot(study)
        files_before = _files(tmp_path)
        with pytest.raises(InputError) as error:
            import_qdpx(study, archive)
        message = str(error.value)
        assert expected in message, message
        assert archive.name in message and "\n" not in message
        assert _snapshot(study) == before
    assert _files(tmp_path) == files_before
    # "../../evil.txt" from the archive's, the study's or the working folder.
    for folder in (attacks, tmp_path, work):
        assert not (folder / ".." / ".." / "evil.txt").resolve().exists()


@pytest.mark.parametrize("text", [BILLION_LAUGHS.replace("Project", "CodeBook"), EXTERNAL_ENTITY, PLAIN_DTD])
def test_hostile_codebooks_are_refused(tmp_path, text):
    path = tmp_path / "hostile.qdc"
    path.write_text(text)
    with Study.create(tmp_path / "study.db") as study:
        with pytest.raises(InputError, match="hostile.qdc: contains a document type declaration"):
            import_qdc(study, path)
        assert study.themes() == []


def test_member_sizes_are_capped_whatever_the_header_says(tmp_path):
    path = _zip(tmp_path / "liar.qdpx", [("project.qde", GOOD_PROJECT), ("sources/t.txt", "x" * 5000)])
    limits = ZipLimits(max_member_bytes=1000, ratio_floor=10**9)
    with SafeArchive(path, limits) as archive:
        with pytest.raises(InputError, match="'sources/t.txt' is larger than"):
            archive.read("sources/t.txt")
        # A header that lies about the size: reading stops at the declared size and the check fails.
        archive._index["sources/t.txt"].file_size = 10
        with pytest.raises(InputError, match="'sources/t.txt' cannot be read"):
            archive.read("sources/t.txt")


def test_sources_outside_the_archive_are_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read me")
    project = GOOD_PROJECT.replace('plainTextPath="internal://t.txt"', f'plainTextPath="absolute://{secret}"')
    archive = _zip(tmp_path / "outside.qdpx", [("project.qde", project)])
    with Study.create(tmp_path / "study.db") as study:
        report = import_qdpx(study, archive)
        assert study.transcripts() == []
        assert any("outside the project file" in s.reason for s in report.not_imported)


def test_cli_refuses_an_attack_with_one_line(tmp_path):
    runner = CliRunner()
    study = tmp_path / "s.db"
    runner.invoke(main, ["init", str(study)])
    result = runner.invoke(main, ["import", str(study), str(_traversal(tmp_path))])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "error:" in result.stderr and "traversal.qdpx" in result.stderr
