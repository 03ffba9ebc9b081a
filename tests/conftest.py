"""Shared fixtures and helpers: real files from ../shared/data, the demo study, and the Pilot harness.

- ``demo_template`` / ``study_path``: the demo study, built once per run, and a fresh copy per test.
  Tests that need the demo study with more in it derive a template from ``demo_template`` with
  :func:`copy_study` (see test_chapter.py, test_analysis_screens.py).
- :func:`open_workbench`: the workbench on a study under Pilot, yielding ``(app, pilot)``;
  :func:`run_workbench` runs a ``scenario(app, pilot)`` in it from a plain (not async) test.
- :func:`wait_for`: let the app run until a condition holds, instead of pausing a fixed time.
- :func:`screen_text`: what the terminal shows, as plain text.

Test modules import the helpers with ``from conftest import ...`` (tests/ is on ``sys.path``).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def own_user_folders(tmp_path_factory, monkeypatch) -> Path:
    """Each test gets user data, state and config folders of its own: the list of recent studies
    and demo copies of one test (or of the person running them) never leak into another."""
    home = tmp_path_factory.mktemp("user")
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(name, str(home / name.lower()))
    return home


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


# -- the demo study --------------------------------------------------------------------------------


def copy_study(source: Path, target: Path) -> Path:
    """A complete copy of the study at ``source`` written to ``target`` (which must not exist).

    ``VACUUM INTO`` copies what is committed, including what still sits in the -wal file, which a
    plain file copy would miss; the copy is then opened once so it is in WAL mode like every study.
    """
    from workbench.study import Study

    with Study.open(source) as study:
        study._db.execute("VACUUM INTO ?", [str(target)])
    Study.open(target).close()
    return target


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The sample study with its demo codings, built once per test run (do not change it)."""
    from workbench.study import Study
    from workbench.study.demo import build_demo_study

    path = build_demo_study(tmp_path_factory.mktemp("demo") / "template.db")
    Study.open(path).close()  # the last connection out writes the -wal back: the file alone is complete
    return path


@pytest.fixture
def study_path(demo_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo study for one test."""
    return copy_study(demo_template, tmp_path / "study.db")


# -- driving the workbench with Pilot --------------------------------------------------------------


def screen_text(app) -> str:
    """What the terminal shows now, as plain text: the top screen over any screens below it."""
    import io

    from rich.console import Console

    console = Console(width=app.size.width, height=app.size.height, file=io.StringIO(), record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


async def wait_for(pilot, condition: Callable[[], object], what: str = "", timeout: float = 5.0) -> None:
    """Let the app run, in short pauses, until ``condition()`` is true; fail after ``timeout`` seconds.

    ``what`` says in words what was awaited, for the failure message. Use it where the app changes
    on its own time (a timer, a worker, a screen being pushed) rather than ``pilot.pause(seconds)``.
    """
    deadline = time.monotonic() + timeout
    await pilot.pause()
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {timeout:g} s for {what or 'a condition'} and it did not happen")
        await pilot.pause(0.02)


@asynccontextmanager
async def open_workbench(
    study_path: Path,
    size: tuple[int, int] = (120, 34),
    *,
    coder: str = "pilot",
    config=None,
    notifications: bool = False,
) -> AsyncIterator[tuple]:
    """The workbench app on ``study_path`` under Pilot, in a terminal of ``size``: yields ``(app, pilot)``.

    It yields once the coding screen has built its quote board (``board_shown``), so a test
    starts from the screen a researcher sees. Animations are off, and the
    user's own settings file is not read: ``config`` (a ``UiConfig``) or the defaults apply.
    Toasts are drawn only with ``notifications`` (Pilot leaves them out by default).
    """
    from workbench.study import Study
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.config import UiConfig

    with Study.open(study_path, coder=coder) as study:
        app = WorkbenchApp(study, config or UiConfig())
        app.animation_level = "none"
        async with app.run_test(size=size, notifications=notifications) as pilot:
            await wait_for(
                pilot,
                lambda: getattr(app.screen, "board_shown", False),
                "the coding screen and its quote board",
            )
            yield app, pilot


def run_workbench(study_path: Path, scenario, size: tuple[int, int] = (120, 34), **options):
    """Run ``await scenario(app, pilot)`` in :func:`open_workbench` and return what it returns."""

    async def main():
        async with open_workbench(study_path, size, **options) as (app, pilot):
            return await scenario(app, pilot)

    return asyncio.run(main())
