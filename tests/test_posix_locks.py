"""A study this process has open keeps SQLite's locks on its file, whatever else the process
does with that file.

Closing any descriptor of a file drops every POSIX lock the process holds on it, SQLite's
included; another program closing the study would then take it for its own and delete the -wal
still in use here. Opening a second `Study` on the same file, or reading its raw bytes (the
pseudonym check), must therefore never open and close the file behind SQLite's back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from workbench.storage.database import read_raw
from workbench.study import Study

# SQLite's lock bytes on the main file (os_unix.c): SHARED_FIRST = PENDING_BYTE + 2, 510 bytes.
_SHARED_FIRST = 0x40000000 + 2
_SHARED_SIZE = 510

_PROBE = """
import fcntl, os, struct, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
request = struct.pack("hhqqi4x", fcntl.F_WRLCK, os.SEEK_SET, int(sys.argv[2]), int(sys.argv[3]), 0)
answer = fcntl.fcntl(fd, fcntl.F_GETLK, request)
print(struct.unpack("hhqqi4x", answer)[0] != fcntl.F_UNLCK)
"""


def another_process_sees_a_lock(path: Path) -> bool:
    """Whether a separate process finds a lock on SQLite's shared range of ``path`` (it only asks)."""
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), str(_SHARED_FIRST), str(_SHARED_SIZE)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return out.strip() == "True"


def test_the_probe_sees_an_open_study_and_not_a_closed_one(study_path: Path):
    assert not another_process_sees_a_lock(study_path)
    with Study.open(study_path) as study:
        study.transcripts()
        assert another_process_sees_a_lock(study_path)
    assert not another_process_sees_a_lock(study_path)


def test_a_second_study_on_the_same_file_keeps_the_first_ones_locks(study_path: Path):
    with Study.open(study_path) as first:
        first.transcripts()
        Study.open(study_path).close()
        assert another_process_sees_a_lock(study_path)
        first.transcripts()


def test_reading_the_raw_bytes_of_an_open_study_keeps_its_locks(study_path: Path):
    with Study.open(study_path) as study:
        study.transcripts()
        data = read_raw(study_path)
        assert data[:16] == b"SQLite format 3\x00" and len(data) == study_path.stat().st_size
        assert read_raw(study_path, 16) == data[:16]
        assert another_process_sees_a_lock(study_path)
    assert not another_process_sees_a_lock(study_path)


def test_the_same_would_drop_them_without_care(study_path: Path):
    """The hazard itself, so the tests above can fail: a plain open and close drops the locks."""
    with Study.open(study_path) as study:
        study.transcripts()
        os.close(os.open(study_path, os.O_RDONLY))
        assert not another_process_sees_a_lock(study_path)
