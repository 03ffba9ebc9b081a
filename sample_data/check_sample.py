"""Check the sample study: transcript lengths, case attributes and the demo codings.

Run from anywhere:  python sample_data/check_sample.py
Needs PyYAML and python-docx. Exits with status 1 and a list of problems if anything is wrong;
otherwise prints the word count of every transcript.

- Every transcript has 1,500 to 3,000 words of spoken text (speaker labels included; for .md
  without the YAML front matter; for .vtt without the header, cue numbers, timing lines and
  voice tags; for .docx the text of all paragraphs).
- Every transcript has a case in cases.yaml, and cases.csv holds the same attributes.
- Every demo coding names a known transcript and a theme from the study's codebook, and its text
  occurs exactly once in that transcript: in the raw file text (.txt, .md), in the joined
  paragraph text (.docx), or inside one cue's text with voice tags removed (.vtt).
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
TRANSCRIPTS = HERE / "transcripts"
SUFFIXES = (".txt", ".md", ".docx", ".vtt")
MIN_WORDS, MAX_WORDS = 1500, 3000

THEMES = {
    "Collaboration": ["Organisational inertia", "Geographic distance", "Shared services"],
    "Technology": ["Legacy systems", "Standardisation"],
    "Trust and confidence": ["Agreements matter", "Security and responsibility"],
    "Identity": ["Customer-supplier identity", "Local autonomy"],
    "Organisational culture": ["Decision-making"],
    "Effects of collaboration": ["Economic effects", "Knowledge effects"],
}
THEME_PATHS = set(THEMES) | {f"{top}/{sub}" for top, subs in THEMES.items() for sub in subs}

TIMING = re.compile(r"^\s*\d{1,2}:\d{2}(?::\d{2})?[.,]\d{3}\s+-->\s+\d{1,2}:\d{2}(?::\d{2})?[.,]\d{3}")
TAG = re.compile(r"</?(?:v|c|i|b|u|lang|ruby|rt)(?:[.\s][^>]*)?>")


def vtt_cues(raw: str) -> list[str]:
    """The text of each cue, voice and style tags removed, lines of one cue joined by a space."""
    cues: list[str] = []
    current: list[str] | None = None
    for line in raw.replace("\r\n", "\n").split("\n"):
        if TIMING.match(line):
            current = []
            cues.append("")
            continue
        if not line.strip():
            current = None
            continue
        if current is not None:
            current.append(TAG.sub("", line).strip())
            cues[-1] = " ".join(current)
    return cues


def strip_front_matter(raw: str) -> str:
    if raw.startswith("---\n"):
        end = raw.find("\n---\n", 4)
        if end != -1:
            return raw[end + 5 :]
    return raw


def docx_text(path: Path) -> str:
    import docx  # python-docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def load(path: Path) -> tuple[str, str, list[str] | None]:
    """(spoken text for the word count, text to search, cues or None)."""
    if path.suffix == ".docx":
        text = docx_text(path)
        return text, text, None
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".vtt":
        cues = vtt_cues(raw)
        return "\n".join(cues), "\n".join(cues), cues
    if path.suffix == ".md":
        return strip_front_matter(raw), raw, None
    return raw, raw, None


def main() -> int:
    problems: list[str] = []
    files = {p.stem: p for p in sorted(TRANSCRIPTS.iterdir()) if p.suffix in SUFFIXES}
    loaded = {name: load(path) for name, path in files.items()}

    print(f"{'transcript':<14}{'file':<18}{'words':>7}")
    total = 0
    for name, (spoken, _, _) in loaded.items():
        words = len(spoken.split())
        total += words
        print(f"{name:<14}{files[name].name:<18}{words:>7}")
        if not MIN_WORDS <= words <= MAX_WORDS:
            problems.append(f"{files[name].name}: {words} words, expected {MIN_WORDS}-{MAX_WORDS}")
    print(f"{'total':<32}{total:>7}")

    cases = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))
    for name in files:
        if name not in cases:
            problems.append(f"cases.yaml: no case for transcript {name}")
    for name in cases:
        if name not in files:
            problems.append(f"cases.yaml: {name} has no transcript file")
    with open(HERE / "cases.csv", newline="", encoding="utf-8") as handle:
        rows = {row["transcript"]: row for row in csv.DictReader(handle)}
    if set(rows) != set(cases):
        problems.append("cases.csv and cases.yaml list different transcripts")
    for name, attrs in cases.items():
        row = rows.get(name, {})
        for key, value in attrs.items():
            if str(row.get(key)) != str(value):
                problems.append(f"cases.csv: {name}.{key} is {row.get(key)!r}, cases.yaml has {value!r}")
        extra = set(row) - set(attrs) - {"transcript"}
        if extra:
            problems.append(f"cases.csv: {name} has columns not in cases.yaml: {sorted(extra)}")

    codings = yaml.safe_load((HERE / "demo_codings.yaml").read_text(encoding="utf-8"))
    for number, entry in enumerate(codings, start=1):
        where = f"demo_codings.yaml entry {number}"
        name, theme, text = entry.get("transcript"), entry.get("theme"), entry.get("text")
        if name not in loaded:
            problems.append(f"{where}: unknown transcript {name!r}")
            continue
        if theme not in THEME_PATHS:
            problems.append(f"{where}: theme {theme!r} is not in the codebook")
        if not text or not isinstance(text, str):
            problems.append(f"{where}: no text")
            continue
        _, searched, cues = loaded[name]
        count = searched.count(text)
        if count != 1:
            problems.append(f"{where}: text occurs {count} times in {name}: {text[:60]!r}")
        if cues is not None and not any(text in cue for cue in cues):
            problems.append(f"{where}: text is not inside a single cue of {name}: {text[:60]!r}")
        if entry.get("select") and not entry.get("comment"):
            problems.append(f"{where}: selected without a comment")
    selected = sum(1 for entry in codings if entry.get("select"))
    print(
        f"{len(codings)} demo codings ({selected} selected) over {len({e['transcript'] for e in codings})} transcripts"
    )

    codebook = HERE.parent / "codebooks" / "it-collaboration.yaml"
    if codebook.exists():
        tree = yaml.safe_load(codebook.read_text(encoding="utf-8"))
        paths = set()
        for top in tree.get("themes", []):
            paths.add(top["name"])
            for child in top.get("children", []) or []:
                paths.add(f"{top['name']}/{child['name']}")
        missing = THEME_PATHS - paths
        if missing:
            problems.append(f"{codebook.name} lacks themes used here: {sorted(missing)}")

    if problems:
        print("\nPROBLEMS:", *problems, sep="\n  ")
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
