"""The demo study: a fresh copy of the bundled sample study, with some codings already made."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from workbench.resources import codebooks_dir, sample_data_dir
from workbench.study import Study

TRANSCRIPT_SUFFIXES = (".txt", ".md", ".docx", ".vtt", ".srt")

#: The coder of the sample study's own codings (not a researcher: agreement with it means nothing).
DEMO_CODER = "demo"


def demo_folder() -> Path:
    """Where demo studies are written: the user's data folder (platformdirs)."""
    from platformdirs import user_data_path

    folder = user_data_path("workbench", appauthor=False) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def build_demo_study(path: Path | None = None) -> Path:
    """Create the sample study at ``path`` (default: a new timestamped file in the demo folder)."""
    if path is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        path = demo_folder() / f"sample-study-{stamp}.db"
    data = sample_data_dir()
    transcripts = sorted(p for p in (data / "transcripts").iterdir() if p.suffix in TRANSCRIPT_SUFFIXES)
    with Study.create(path, coder=DEMO_CODER) as study:
        study.import_files(transcripts, cases_file=data / "cases.yaml")
        study.load_codebook(codebooks_dir() / "it-collaboration.yaml")
        for entry in yaml.safe_load((data / "demo_codings.yaml").read_text(encoding="utf-8")):
            start, end = study.find_passage(entry["transcript"], entry["text"])
            coding = study.code(entry["transcript"], entry["theme"], start, end).coding
            if entry.get("select") or entry.get("comment"):
                study.select(coding.id, selected=bool(entry.get("select")), comment=entry.get("comment"))
        # The chapter export starts from attributions like "(Informant 7, smaller municipality, cluster B)".
        study.set_setting("chapter_settings", (data / "chapter.yaml").read_text(encoding="utf-8"))
    return path


def latest_demo_copy() -> Path | None:
    """The demo copy most recently changed in the demo folder, if there is one."""
    copies = [p for p in demo_folder().glob("sample-study-*.db") if p.is_file()]
    return max(copies, key=lambda p: p.stat().st_mtime, default=None)
