"""Time qc's own Python calls behind `qc corpus import`, `qc codes stats` and `qc codes crosstab`.

Runs with the peer's own Python (benchmarks/.peer-venv), never with the workbench's:

    .peer-venv/bin/python peer_qc_inprocess.py PROJECT_DIR SOURCE_DIR SCRATCH_DIR RUNS

Prints JSON {figure: [seconds, ...]}: the work without the interpreter's start-up and imports,
to set beside the workbench's in-process figures. The calls are the ones the commands make:
``import_media(..., importer="verbatim")``, ``get_code_tree_with_counts`` (stats),
``count_codes_by_document`` (stats --by-document) and ``get_code_matrix`` (crosstab).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path


def seconds(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    project, source, scratch, runs = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    from qualitative_coding.corpus import QCCorpus  # the peer's package, only in its venv

    times: dict[str, list[float]] = {"import": [], "code_counts": [], "matrix": [], "crosstab": []}
    for _ in range(runs):
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir(parents=True)
        os.chdir(scratch)
        QCCorpus.initialize("settings.yaml")
        fresh = QCCorpus("settings.yaml")
        with fresh.session():
            times["import"].append(
                seconds(lambda fresh=fresh: fresh.import_media(str(source), recursive=True, importer="verbatim"))
            )
    os.chdir(project)
    corpus = QCCorpus("settings.yaml")
    for _ in range(runs):
        with corpus.session():
            times["code_counts"].append(seconds(lambda: corpus.get_code_tree_with_counts(unit="line")))
            times["matrix"].append(seconds(lambda: corpus.count_codes_by_document(unit="line", totals=True)))
            times["crosstab"].append(seconds(lambda: corpus.get_code_matrix(None, unit="line")))
    print(json.dumps(times))


if __name__ == "__main__":
    main()
