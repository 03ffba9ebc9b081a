"""Shared fixtures: real files from ../shared/data and fresh study files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _shared_data() -> Path:
    override = os.environ.get("WORKBENCH_SHARED_DATA")
    if override:
        return Path(override)
    return REPO.parent / "shared" / "data"


SHARED_DATA = _shared_data()


@pytest.fixture
def shared_data() -> Path:
    """The folder of real public transcripts, subtitles and codebooks (../shared/data)."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"shared data folder not found at {SHARED_DATA}; set WORKBENCH_SHARED_DATA")
    return SHARED_DATA


@pytest.fixture
def repo_root() -> Path:
    return REPO


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The sample study with its demo codings, built once per test run (do not change it)."""
    from workbench.study.demo import build_demo_study

    return build_demo_study(tmp_path_factory.mktemp("demo") / "template.db")


@pytest.fixture
def study_path(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo study for one test."""
    from workbench.study import Study

    target = tmp_path / "study.db"
    with Study.open(demo_template) as source:
        source.db.execute("VACUUM INTO ?", [str(target)])
    Study.open(target).close()  # back in WAL mode, like every study
    return target
