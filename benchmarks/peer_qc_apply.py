"""Store coded lines in a qc project the way `qc code CODER` does after its editor closes.

Runs with the peer's own Python (benchmarks/.peer-venv), never with the workbench's:

    .peer-venv/bin/python peer_qc_apply.py PROJECT_DIR CODED_LINES.json

CODED_LINES.json is {document: {coder: [[line, code], ...]}}, lines counted from 0 as in qc's
code files. Each document and coder goes through ``QCCorpus.update_coded_lines``, the call
that `qc code` makes with the lines it parsed from the code file.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def main() -> None:
    project, coded = Path(sys.argv[1]), Path(sys.argv[2])
    os.chdir(project)
    from qualitative_coding.corpus import QCCorpus  # the peer's package, only in its venv

    corpus = QCCorpus("settings.yaml")
    data = json.loads(coded.read_text(encoding="utf-8"))
    stored = 0
    with corpus.session():
        for document, by_coder in data.items():
            for coder, lines in by_coder.items():
                corpus.update_coded_lines(document, coder, [{"line": n, "code_id": c} for n, c in lines])
                stored += len(lines)
    print(json.dumps({"coded_lines": stored}))


if __name__ == "__main__":
    main()
