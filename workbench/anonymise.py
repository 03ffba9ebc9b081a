"""Pseudonym maps on files: read a map, anonymise a transcript file before import, check an export.

The rules (whole words, longest name first, the report) are in ``workbench.domain.anonymise``.
Nothing here opens a study: the map and the report stay with the researcher.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from workbench.domain.anonymise import (
    AnonymisationReport,
    Occurrence,
    PseudonymMap,
    anonymise_parsed,
    apply_to_text,
    check_text,
    parse_pseudonym_map,
)
from workbench.errors import InputError
from workbench.interop import decode

__all__ = [
    "AnonymisationReport", "Occurrence", "PseudonymMap", "anonymise_file", "anonymise_parsed",
    "apply_to_text", "check_file", "check_text", "load_pseudonym_map",
]

MAX_MAP_BYTES = 5 * 1024 * 1024  # a map of thousands of names is far smaller
_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".vtt", ".srt"}


def load_pseudonym_map(path: Path | str, ignore_case: bool | None = None) -> PseudonymMap:
    """Read a pseudonym map file; ``ignore_case`` (when given) overrides the file's setting."""
    path = Path(path)
    data = _read(path, MAX_MAP_BYTES, "pseudonym map")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError("the pseudonym map is not UTF-8 text; save it as UTF-8", f"{path}:{line}") from None
    mapping = parse_pseudonym_map(text, str(path))
    return mapping if ignore_case is None else mapping.with_ignore_case(ignore_case)


def anonymise_file(mapping: PseudonymMap, source: Path | str, output: Path | str,
                   overwrite: bool = False) -> AnonymisationReport:
    """Write an anonymised copy of a transcript file, ready for ``workbench import``.

    Text files (.txt, .md, .vtt, .srt) keep their format, front matter and cue timings
    included; a .docx becomes plain text (.txt or .md). The original is never changed.
    """
    source, output = Path(source), Path(output)
    suffix = source.suffix.lower()
    if suffix == ".docx":
        from workbench.interop.transcripts import read_transcript

        if output.suffix.lower() not in (".txt", ".md"):
            raise InputError("a Word transcript is written out as text: name the output .txt or .md", str(output))
        parsed = read_transcript(source)
        text = parsed.text
    elif suffix in _TEXT_SUFFIXES:
        if output.suffix.lower() != suffix:
            raise InputError(f"keep the file type: name the output {output.stem}{source.suffix}", str(output))
        text, _warnings = decode.decode_bytes(_read(source, decode.MAX_TRANSCRIPT_BYTES, "transcript"), str(source))
    else:
        raise InputError(f"cannot anonymise a {suffix or 'file without a suffix'} file; use .txt, .md, .docx, .vtt or .srt",
                         str(source))
    if _same_file(source, output):
        raise InputError("the output would replace the original; write the anonymised copy to another file", str(output))
    if output.exists() and not overwrite:
        raise InputError("the output file exists already (use --force to replace it)", str(output))
    result, report = apply_to_text(text, mapping)
    _write_text(output, result)
    return report


def check_file(mapping: PseudonymMap, path: Path | str) -> list[Occurrence]:
    """Mapped names still present in a text file such as an exported chapter (case ignored)."""
    path = Path(path)
    data = _read(path, decode.MAX_TRANSCRIPT_BYTES, "file")
    text, _warnings = decode.decode_bytes(data, str(path))
    return check_text(text, mapping)


def _read(path: Path, limit: int, what: str) -> bytes:
    try:
        if path.is_dir():
            raise InputError(f"is a folder, not a {what} file", str(path))
        size = path.stat().st_size
        if size > limit:
            raise InputError(f"is larger than the {limit // (1024 * 1024)} MB limit for a {what} file", str(path))
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}", str(path)) from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _write_text(path: Path, text: str) -> None:
    """Write UTF-8 text; the file appears only once it is complete."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise InputError("the folder does not exist", str(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
