"""Which version is this, and which version wrote a study: `--version`, the F1 screen, the file."""

from __future__ import annotations

import sqlite3

from click.testing import CliRunner
from conftest import run_workbench, screen_text, wait_for

from workbench import __version__
from workbench.cli import main
from workbench.study import Study

THIS = f"workbench {__version__}"


def test_version_option_prints_the_package_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"workbench, version {__version__}"


def test_a_study_records_which_version_created_it_and_which_last_changed_it(tmp_path):
    path = tmp_path / "study.db"
    Study.create(path).close()
    with sqlite3.connect(path) as conn:  # as an older version would have left it
        conn.execute("UPDATE study SET value = 'workbench 0.0.9' WHERE key IN ('created_with', 'last_written_with')")
    conn.close()

    with Study.open(path) as study:
        study.themes()  # reading writes nothing
        assert study.written_with() == {"created": "workbench 0.0.9", "last_written": "workbench 0.0.9"}
        study.add_theme("Trust")
        assert study.written_with() == {"created": "workbench 0.0.9", "last_written": THIS}
        study.undo()  # undo is a change too, and does not take the record back
        assert study.written_with()["last_written"] == THIS


def test_the_help_screen_names_the_version(study_path):
    async def scenario(app, pilot):
        await pilot.press("f1")
        await wait_for(pilot, lambda: "Keys" in screen_text(app), "the help screen")
        return screen_text(app)

    assert THIS in run_workbench(study_path, scenario)
