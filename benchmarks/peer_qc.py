"""Side by side with the peer tool `qc` (PyPI: qualitative-coding), for benchmarks/run.py.

The peer is installed only in benchmarks/.peer-venv, made on first use. The same interview
files go into a qc project through `qc corpus import`, the same codings are stored as qc
stores them (one coded line per line a coding touches, per theme and coder) and both tools'
commands are timed as a researcher runs them, process start included (and then the peer's
Python calls behind them, in process, to set beside the workbench's in-process figures):

    import      workbench import               qc corpus import --recursive --importer verbatim
    code counts workbench stats                qc codes stats --recursive-counts
    matrix      workbench matrix (theme x case) qc codes stats --recursive-counts --by-document
    crosstab    workbench cooccurrence         qc codes crosstab

The files are hard-wrapped at 80 columns, as qc's default importer (pandoc) leaves text, so
the verbatim importer keeps them byte-identical and coding offsets map exactly to lines.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

PACKAGE = "qualitative-coding==1.7.8"
VENV = Path(__file__).resolve().parent / ".peer-venv"
APPLY = Path(__file__).resolve().parent / "peer_qc_apply.py"
INPROCESS = Path(__file__).resolve().parent / "peer_qc_inprocess.py"


class PeerUnavailable(Exception):
    """The peer could not be installed or run; the message says why."""


def ensure_peer(venv: Path = VENV) -> Path:
    """The peer's `qc` command, installing it into its own venv if needed."""
    qc = venv / "bin" / "qc"
    if qc.exists() and _version(qc) == PACKAGE.split("==")[1]:
        return qc
    try:
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True, capture_output=True, text=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", PACKAGE],
            check=True,
            capture_output=True,
            text=True,
            timeout=900,
        )
    except subprocess.CalledProcessError as error:
        tail = (error.stderr or error.stdout or "").strip().splitlines()[-3:]
        raise PeerUnavailable(f"installing {PACKAGE} into {venv} failed: {' / '.join(tail)}") from error
    except subprocess.TimeoutExpired as error:
        raise PeerUnavailable(f"installing {PACKAGE} took over {error.timeout:.0f} s") from error
    if _version(qc) is None:
        raise PeerUnavailable(f"{qc} does not run after installing {PACKAGE}")
    return qc


def _version(qc: Path) -> str | None:
    try:
        out = subprocess.run([str(qc), "version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.split()[-1] if out.strip() else None


def code_name(theme_path: str) -> str:
    """qc code names allow only letters, digits, _ and -: "Theme 3/Sub-theme 3.2" -> theme_3_2."""
    leaf = theme_path.split("/")[-1]
    return "theme_" + leaf.split()[-1].replace(".", "_")


def codebook_yaml(theme_paths: list[str]) -> str:
    """qc's codebook: a YAML list of codes, a parent as a one-key mapping to its children."""
    children: dict[str, list[str]] = defaultdict(list)
    tops = []
    for path in theme_paths:
        if "/" in path:
            children[path.split("/")[0]].append(code_name(path))
        else:
            tops.append(path)
    lines = []
    for top in tops:
        if children[top]:
            lines.append(f"- {code_name(top)}:")
            lines += [f"  - {child}" for child in children[top]]
        else:
            lines.append(f"- {code_name(top)}")
    return "\n".join(lines) + "\n"


def coded_lines(files: dict[str, str], codings: list[tuple[str, str, int, int, str]]) -> dict:
    """{document: {coder: [[line, code], ...]}}: every line each coding touches, once per code."""
    starts: dict[str, list[int]] = {}
    for name, text in files.items():
        offsets, position = [], 0
        for line in text.splitlines(keepends=True):
            offsets.append(position)
            position += len(line)
        starts[name] = offsets
    found: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
    from bisect import bisect_right

    for name, theme, start, end, coder in codings:
        first = bisect_right(starts[name], start) - 1
        last = bisect_right(starts[name], end - 1) - 1
        for line in range(first, last + 1):
            found[f"{name}.txt"][coder].add((line, code_name(theme)))
    return {doc: {coder: sorted(lines) for coder, lines in by.items()} for doc, by in found.items()}


def timed(argv: list[str], cwd: Path | None = None, runs: int = 1) -> list[float]:
    """Wall seconds of a command, ``runs`` times; it must succeed."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
        seconds.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise PeerUnavailable(f"`{' '.join(argv[:4])} ...` failed: {done.stderr.strip()[-300:]}")
    return seconds


def new_project(qc: Path, folder: Path) -> Path:
    """An empty qc project (``qc init``) in ``folder``."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    timed([str(qc), "init"], cwd=folder)
    return folder


def compare(
    workbench: str,
    qc: Path,
    study: Path,
    files: list[Path],
    cases_file: Path,
    codings: list[tuple[str, str, int, int, str]],
    theme_paths: list[str],
    folder: Path,
    runs: int,
) -> dict:
    """Seconds of each side's commands (medians of ``runs``) and what the peer's project holds."""
    results: dict[str, object] = {}
    folder.mkdir(parents=True, exist_ok=True)
    ours_import, theirs_import = [], []
    for run in range(runs):
        scratch = folder / f"import-{run}.db"
        scratch.unlink(missing_ok=True)
        timed([workbench, "init", str(scratch)])
        ours_import += timed([workbench, "import", str(scratch), *map(str, files), "--cases", str(cases_file)])
        project = new_project(qc, folder / "qc-project")
        theirs_import += timed(
            [str(qc), "corpus", "import", str(files[0].parent), "--recursive", "--importer", "verbatim"], cwd=project
        )
    results["import"] = (ours_import, theirs_import)

    (project / "codebook.yaml").write_text(codebook_yaml(theme_paths), encoding="utf-8")
    texts = {path.stem: path.read_text(encoding="utf-8") for path in files}
    lines = coded_lines(texts, codings)
    data = folder / "qc-coded-lines.json"
    data.write_text(json.dumps(lines), encoding="utf-8")
    python = qc.parent / "python"
    started = time.perf_counter()
    out = subprocess.run([str(python), str(APPLY), str(project), str(data)], capture_output=True, text=True)
    if out.returncode != 0:
        raise PeerUnavailable(f"storing the codings in qc failed: {out.stderr.strip()[-300:]}")
    results["peer_coding_seconds"] = time.perf_counter() - started
    results["peer_coded_lines"] = json.loads(out.stdout.strip().splitlines()[-1])["coded_lines"]

    pairs = {
        "code_counts": ([workbench, "stats", str(study)], [str(qc), "codes", "stats", "--recursive-counts"]),
        "matrix": (
            [workbench, "matrix", str(study)],
            [str(qc), "codes", "stats", "--recursive-counts", "--by-document"],
        ),
        "crosstab": ([workbench, "cooccurrence", str(study)], [str(qc), "codes", "crosstab"]),
    }
    for name, (ours, theirs) in pairs.items():
        results[name] = (timed(ours, runs=runs), timed(theirs, cwd=project, runs=runs))
    results["startup"] = (timed([workbench, "--help"], runs=runs), timed([str(qc), "--help"], runs=runs))
    out = subprocess.run(
        [str(python), str(INPROCESS), str(project), str(files[0].parent), str(folder / "qc-scratch"), str(runs)],
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        raise PeerUnavailable(f"timing qc in process failed: {out.stderr.strip()[-300:]}")
    results["inprocess"] = json.loads(out.stdout.strip().splitlines()[-1])
    return results


def median(values: list[float]) -> float:
    return statistics.median(values)
