"""A study with terminal-hostile text in every field it holds, for the tests that walk every screen and command.

Each payload is something a terminal acts on instead of showing, or that Rich would read as markup:
an OSC that sets the window title, an OSC 52 clipboard write, a CSI that clears the screen, a C1
CSI, a right-to-left override and isolate, invisible format characters, Rich markup and a Markdown
link. They reach the study the ways a researcher's files bring them in: YAML escapes in a codebook,
in Markdown front matter and in a cases file; raw bytes in a transcript and its file name; voice
tags in a subtitle file; and typed text (memos, comments, trims, settings, coder names).

:func:`unsafe_characters` says which characters of some output must never reach a terminal.
"""

from __future__ import annotations

from pathlib import Path

import yaml

TITLE = "\x1b]0;PWNED-TITLE\x07"  # OSC 0: set the window title
CLIPBOARD = "\x1b]52;c;UFdORUQ=\x07"  # OSC 52: write the clipboard
CLEAR = "\x1b[2J"  # CSI: erase the screen
C1_CSI = "\x9b31m"  # the one-byte (C1) CSI
BIDI = "\u202e\u2066"  # right-to-left override, left-to-right isolate
INVISIBLE = "\u206a\ufff9"  # deprecated format character, interlinear annotation anchor
MARKUP = "[bold]B[/][link=https://example.invalid]L[/link]"
MARKDOWN_LINK = "[md](https://example.invalid)"

#: Everything, for text fields that take any text.
PAYLOAD = TITLE + CLIPBOARD + CLEAR + C1_CSI + BIDI + INVISIBLE + MARKUP + MARKDOWN_LINK
#: For names: one line without "/" (theme names refuse it, file names cannot have it).
NAME = TITLE + CLEAR + C1_CSI + BIDI + INVISIBLE + "[bold]B[link=x]L"

STUDY_FILE = f"study{NAME}.db"
CODER_A = f"anna{NAME}"
CODER_B = f"ben{NAME}"
THEME = f"Trust{NAME}"
SUB_THEME = f"Doubt{NAME}"
PLAIN_THEME = "Technology"
TRANSCRIPT_MD = f"informant{NAME}1"
TRANSCRIPT_VTT = f"meeting{NAME}2"
CASE = f"case{NAME}"
SPEAKER = f"Chair{NAME}"

_FILLER = "We talked about the work, the municipality and the people who keep the systems running. " * 30


def _yaml_escaped(text: str) -> str:
    """``text`` as a YAML double-quoted scalar, every unusual character as an escape."""
    return (
        yaml.safe_dump(text, default_style='"', allow_unicode=False, width=10_000).strip().removesuffix("...").strip()
    )


def unsafe_characters(text: str) -> set[str]:
    """The characters in ``text`` that must not reach a terminal raw: ESC and the other C0
    controls but newline, carriage return and tab; DEL; C1 controls (U+0080-U+009F); bidi
    embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069)."""
    bad = {chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
    return set(text) & (bad - {"\n", "\r", "\t"})


def write_files(folder: Path) -> dict[str, Path]:
    """The researcher's files with the payloads in them: codebook, transcripts, cases."""
    folder.mkdir(parents=True, exist_ok=True)
    codebook = folder / "codebook.yaml"
    codebook.write_text(
        "themes:\n"
        f"  - name: {_yaml_escaped(THEME)}\n"
        f"    description: {_yaml_escaped(PAYLOAD)}\n"
        f"    include: {_yaml_escaped(PAYLOAD)}\n"
        "    children:\n"
        f"      - name: {_yaml_escaped(SUB_THEME)}\n"
        f"        description: {_yaml_escaped(PAYLOAD)}\n"
        f"  - name: {PLAIN_THEME}\n",
        encoding="utf-8",
    )
    markdown = folder / f"{TRANSCRIPT_MD}.md"
    markdown.write_text(
        "---\n"
        f"case: {_yaml_escaped(CASE)}\n"
        f"size: {_yaml_escaped('small' + NAME)}\n"
        f"{_yaml_escaped('cluster' + NAME)}: B\n"
        "---\n"
        f"Interviewer: What do you trust? {PAYLOAD}\n\n"
        f"Informant: We trust the people. {PAYLOAD} {_FILLER}\n\n"
        f"Interviewer: And the systems?\n\n"
        f"Informant: Not always {PAYLOAD} and not the vendor. 👍🏽 👩🏾‍🔬 {_FILLER}\n",
        encoding="utf-8",
    )
    subtitles = folder / f"{TRANSCRIPT_VTT}.vtt"
    subtitles.write_text(
        "WEBVTT\n\n"
        f"00:00:01.000 --> 00:00:04.000\n<v {SPEAKER}>We open the meeting. {PAYLOAD}\n\n"
        f"00:00:05.000 --> 00:00:09.000\n<v Member>{_FILLER}\n\n"
        f"00:00:10.000 --> 00:00:14.000\n<v {SPEAKER}>We close it. {PAYLOAD}\n",
        encoding="utf-8",
    )
    cases = folder / "cases.yaml"
    cases.write_text(
        f"{_yaml_escaped(TRANSCRIPT_VTT)}:\n"
        f"  size: {_yaml_escaped('large' + NAME)}\n"
        f"  {_yaml_escaped('role' + NAME)}: {_yaml_escaped(PAYLOAD)}\n",
        encoding="utf-8",
    )
    return {"codebook": codebook, "markdown": markdown, "subtitles": subtitles, "cases": cases}


def build_hostile_study(folder: Path) -> Path:
    """A study in ``folder`` with the payloads in every text field; returns its path.

    Two coders (with hostile names) code the same transcripts differently, so agreement has
    disagreements; quotes are selected with comments and trims; every kind of memo is written;
    the chapter settings are remembered; and one coding is flagged for review by a re-import.
    """
    from workbench.study import Study
    from workbench.study.chapter import chapter_settings, export_chapter
    from workbench.study.reimport import reimport_transcript

    files = write_files(folder / "files")
    path = folder / STUDY_FILE
    with Study.create(path, coder=CODER_A) as study:
        study.load_codebook(files["codebook"])
        study.import_files([files["markdown"], files["subtitles"]], files["cases"])
        text = study.transcript_text(TRANSCRIPT_MD)
        first = text.index("We trust the people.")
        trust = study.code(TRANSCRIPT_MD, THEME, first, first + 40 + len(PAYLOAD)).coding
        sub = study.code(TRANSCRIPT_MD, f"{THEME}/{SUB_THEME}", first, first + 20).coding
        later = text.index("Not always")
        study.code(TRANSCRIPT_MD, PLAIN_THEME, later, later + 30 + len(PAYLOAD))
        meeting = study.transcript_text(TRANSCRIPT_VTT)
        opening = meeting.index("We open")
        study.code(TRANSCRIPT_VTT, THEME, opening, opening + 20 + len(PAYLOAD))
        kept = len("We trust the people. ") + len(PAYLOAD)
        study.select(trust.id, comment=PAYLOAD, elided=trust.text[:kept] + " [...]")
        study.select(sub.id, comment=f"sub {PAYLOAD}")
        for kind, target in (("study", None), ("theme", THEME), ("transcript", TRANSCRIPT_MD), ("case", CASE)):
            study.set_memo(kind, target, f"memo {PAYLOAD}\nsecond line {PAYLOAD}")
        export_chapter(study, chapter_settings(study, title=f"Results {PAYLOAD}", attribution="({case}, {size})"))
    with Study.open(path, coder=CODER_B) as study:
        study.code(TRANSCRIPT_MD, THEME, first + 5, first + 60)
        study.code(TRANSCRIPT_VTT, PLAIN_THEME, opening, opening + 30)
    changed = folder / "files" / "changed" / f"{TRANSCRIPT_VTT}.vtt"
    changed.parent.mkdir()
    changed.write_text(
        files["subtitles"].read_text(encoding="utf-8").replace("We open the meeting.", "Opening."), encoding="utf-8"
    )
    with Study.open(path, coder=CODER_A) as study:
        reimport_transcript(study, changed)
    return path
