"""The package as a researcher installs it: the wheel and the sdist built from this tree, checked
as the package index would check them, and the wheel installed into a fresh environment, where
the installed command runs against the bundled sample study with nothing fetched at run time."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from workbench import __version__

REPO = Path(__file__).resolve().parents[1]
# Any attempt to reach the network from the installed command fails at once.
OFFLINE = {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "no_proxy": ""}


def run(*args, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}"
    return done


def test_the_built_wheel_installs_into_a_fresh_environment_and_works_offline(tmp_path):
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "build", "--outdir", dist, REPO)  # the sdist, then the wheel built from it
    wheel = next(dist.glob("qda_workbench-*.whl"))
    sdist = next(dist.glob("qda_workbench-*.tar.gz"))
    assert wheel.name == f"qda_workbench-{__version__}-py3-none-any.whl"
    run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    assert "workbench/_data/codebooks/it-collaboration.yaml" in names
    assert any(n.startswith("workbench/_data/sample_data/transcripts/") for n in names)
    assert not any(n.startswith(("tests/", "benchmarks/")) for n in names)

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv)
    run(venv / "bin" / "pip", "install", "-q", wheel)
    workbench = venv / "bin" / "workbench"
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, **OFFLINE, "HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    env.pop("PYTHONPATH", None)
    elsewhere = {"cwd": home, "env": env}  # not the source tree: only the installed copy can be found

    assert run(workbench, "--version", **elsewhere).stdout.strip() == f"workbench, version {__version__}"
    where = run(venv / "bin" / "python", "-c", "import workbench; print(workbench.__file__)", **elsewhere).stdout
    assert Path(where.strip()).is_relative_to(venv)

    study = home / "demo.db"
    run(workbench, "demo", "--no-open", "--path", study, **elsewhere)
    shipped = run(
        venv / "bin" / "python", "-c", "from workbench.resources import codebooks_dir as c; print(c())", **elsewhere
    )
    assert Path(shipped.stdout.strip()).is_relative_to(venv)
    run(workbench, "codebook", "check", Path(shipped.stdout.strip()) / "it-collaboration.yaml", **elsewhere)
    chapter = home / "chapter.md"
    run(workbench, "export", "chapter", study, "-o", chapter, **elsewhere)
    text = chapter.read_text(encoding="utf-8")
    assert text.count("\n## ") >= 2 and "(Informant" in text
    assert "complete -o nosort -F" in run(workbench, "completion", "bash", **elsewhere).stdout
