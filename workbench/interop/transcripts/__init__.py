"""Read a transcript file of any supported kind into a ``ParsedTranscript``."""

from __future__ import annotations

from pathlib import Path

from workbench.domain.models import ParsedTranscript
from workbench.domain.transcript_text import parse_plain_text
from workbench.errors import InputError
from workbench.interop import decode
from workbench.interop.files import check_size, read_user_file

# suffix -> format name stored with the transcript
_FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".docx": "docx",
    ".odt": "odt",
    ".vtt": "vtt",
    ".srt": "srt",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".tsv": "tsv",
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_FORMATS)

# Formats people try often, with what to do instead.
_HINTS = {
    ".doc": "save it as .docx",
    ".rtf": "save it as .docx or .txt",
    ".pdf": "export the text as .txt or .docx",
}


def read_transcript(path: Path, columns: dict[str, str] | None = None) -> ParsedTranscript:
    """Read one transcript file (.txt, .md, .markdown, .docx, .odt, .vtt, .srt, .html, .csv, .tsv).

    ``columns`` names the columns of a tabular transcript (``{"speaker": "Sprecher"}``; see
    ``table.read_table``). Raises ``InputError`` naming the file when it is missing,
    unsupported, unreadable or has no text. Encoding warnings end up in
    ``ParsedTranscript.warnings``.
    """
    path = Path(path)
    source = str(path)
    fmt = _format_of(path)
    if fmt in ("docx", "odt"):
        check_size(path, "transcript", decode.MAX_TRANSCRIPT_BYTES)
        if fmt == "docx":
            from workbench.interop.transcripts.docx import read_docx_paragraphs  # python-docx only when needed

            paragraphs = read_docx_paragraphs(path)
        else:
            from workbench.interop.transcripts.odt import read_odt_paragraphs

            paragraphs = read_odt_paragraphs(path)
        parsed = parse_plain_text("\n\n".join(paragraphs), fmt, source)
    else:
        data = read_user_file(path, "transcript", decode.MAX_TRANSCRIPT_BYTES)
        text, warnings = decode.decode_bytes(data, source)
        if fmt in ("vtt", "srt"):
            from workbench.domain.timed_segments import build_from_segments
            from workbench.interop.transcripts.subtitles import parse_srt, parse_vtt

            segments = parse_vtt(text, source) if fmt == "vtt" else parse_srt(text, source)
            parsed = build_from_segments(segments, fmt)
        elif fmt == "html":
            from workbench.interop.transcripts.noscribe import read_html

            parsed = read_html(text, source)
        elif fmt in ("csv", "tsv"):
            from workbench.interop.transcripts.table import read_table

            parsed = read_table(text, source, fmt, columns)
        else:
            parsed = parse_plain_text(text, fmt, source)
        parsed.warnings.extend(warnings)
    if not parsed.text.strip():
        raise InputError("no transcript text found in the file", source)
    if warning := decode.attribute_warning([parsed.attributes], source, "front matter"):
        parsed.warnings.append(warning)  # YAML escapes bring control characters the text check cannot see
    return parsed


def _format_of(path: Path) -> str:
    """Check the path names a readable kind of file; return its format."""
    try:
        exists, is_dir = path.exists(), path.is_dir()
    except (OSError, ValueError) as exc:  # no permission on a parent folder, NUL in the name
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(f"cannot read file: {reason}", str(path)) from None
    if not exists:
        raise InputError("file not found", str(path))
    if is_dir:
        raise InputError("is a folder, not a transcript file", str(path))
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        shown = suffix or "no suffix"
        hint = _HINTS.get(suffix, f"use one of {', '.join(SUPPORTED_SUFFIXES)}")
        raise InputError(f"unsupported file type ({shown}); {hint}", str(path))
    return _FORMATS[suffix]
