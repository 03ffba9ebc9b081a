"""Peak memory of REFI-QDA import and export with one large source (45 MB by default).

Run: python benchmarks/refi_memory.py [MEGABYTES]   (TURN_LINES=1: a speaker label on every line)
Each phase runs in a fresh process, so one does not inherit the other's memory. Prints, per
phase, the peak of Python's own allocations (tracemalloc) and the growth of the process's peak
resident size (RSS, which also counts SQLite's buffers), both as megabytes and as a multiple of
the source's size. Nothing is asserted.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WORDS = (
    "we could not manage it ourselves the municipality agreement trust security responsibility "
    "collaboration cluster smaller larger server support budget really kommunen laughs waited"
).split()
LINE = 96  # characters per line, CRLF included
TURN_LINES = int(os.environ.get("TURN_LINES", "6"))  # lines per speaker turn on average
GUID = "{:08x}-0000-4000-8000-{:012x}".format


def build(folder: Path, megabytes: int) -> tuple[Path, int]:
    """A project with one source of ``megabytes`` MB (CRLF line ends, a BOM, one emoji near
    the end) and a selection on every 2,000th line; returns the path and the source's bytes."""
    lines = megabytes * 1024 * 1024 // LINE
    rng = random.Random(7)
    # Varied words, so the archive compresses as a real transcript does (not as a zip bomb).
    # A speaker label opens a turn every few lines (1 to TURN_LINES, 6 on average by default).
    body, left = [], 0
    for _ in range(lines - 1):
        if left == 0:
            left = rng.randint(1, 2 * TURN_LINES - 1)
            label = rng.choice(("Informant 7: ", "Interviewer: "))
        else:
            label = ""
        left -= 1
        body.append((label + " ".join(rng.choice(WORDS) for _ in range(20)))[: LINE - 3].ljust(LINE - 3) + ".\r\n")
    text = "".join(body) + "Interviewer: thank you \u00e9\u00e8 \u00fc.\r\n"
    del body
    data = b"\xef\xbb\xbf" + text.encode("utf-8")
    selections = "".join(
        f'<PlainTextSelection guid="{GUID(2, n)}" startPosition="{n * LINE}" '
        f'endPosition="{n * LINE + 11}"><Coding guid="{GUID(3, n)}"><CodeRef targetGUID="{GUID(1, 0)}"/>'
        "</Coding></PlainTextSelection>"
        for n in range(0, lines - 1, 2000)
    )
    qde = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="big" '
        'origin="NVivo 14"><CodeBook><Codes>'
        f'<Code guid="{GUID(1, 0)}" name="Speaker"/></Codes></CodeBook><Sources>'
        f'<TextSource guid="{GUID(4, 0)}" name="big" plainTextPath="internal://{GUID(4, 0)}.txt">{selections}'
        "</TextSource></Sources></Project>"
    )
    path = folder / "big.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        archive.writestr(f"sources/{GUID(4, 0)}.txt", data)
    return path, len(data)


def phase(name: str, folder: str) -> None:
    """Run one phase in this process and print its figures as JSON."""
    import tracemalloc

    from workbench.study import Study
    from workbench.study.exchange import export_qdpx, import_qdpx

    folder_path = Path(folder)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    if name == "import":
        with Study.create(folder_path / "big.db", coder="bench") as study:
            report = import_qdpx(study, folder_path / "big.qdpx")
            detail = f"{report.counts['codings_added']} codings"
    else:
        with Study.open(folder_path / "big.db") as study:
            report = export_qdpx(study, folder_path / "out.qdpx", "nvivo")
            detail = f"{report.counts['codings']} codings"
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"phase": name, "traced": peak, "rss_growth": (rss_after - rss_before) * 1024, "detail": detail}))


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--phase":
        phase(sys.argv[2], sys.argv[3])
        return
    megabytes = int(sys.argv[1]) if len(sys.argv) > 1 else 45
    with tempfile.TemporaryDirectory() as folder:
        path, size = build(Path(folder), megabytes)
        print(f"source: {size / 2**20:.1f} MB in {path.stat().st_size / 2**20:.1f} MB of qdpx")
        for name in ("import", "export"):
            out = subprocess.run(
                [sys.executable, __file__, "--phase", name, folder], capture_output=True, text=True, check=True
            ).stdout
            figures = json.loads(out.strip().splitlines()[-1])
            traced, rss = figures["traced"], figures["rss_growth"]
            print(
                f"{name:6} ({figures['detail']}): peak traced {traced / 2**20:6.1f} MB = {traced / size:.2f}x the source; "
                f"peak RSS growth {rss / 2**20:6.1f} MB = {rss / size:.2f}x"
            )


if __name__ == "__main__":
    main()
