"""Turn the bytes of a transcript file into text, or refuse with a reason.

Accepted: UTF-8 with or without a byte-order mark, UTF-16 and UTF-32 with a byte-order mark, and
(with a warning) Windows-1252, the usual encoding of older Windows text files. Line endings become
``\\n`` so that character offsets mean the same on every platform.

Files the workbench itself writes or documents as UTF-8 (pseudonym maps, chapters to verify) are
read with :func:`decode_utf8` instead. The bytes come from ``workbench.interop.files.read_user_file``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable, Mapping

from workbench.errors import InputError

MAX_TRANSCRIPT_BYTES = 50 * 1024 * 1024  # 50 MB; interviews are far smaller, this stops accidents

CP1252_WARNING = "not UTF-8; read as Windows-1252 (cp1252)"

# UTF-32 LE starts with the UTF-16 LE mark, so the longer marks are tried first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)

# Well-known binary files people pick by mistake, with a hint for each.
_SIGNATURES = (
    (b"PK\x03\x04", "is a ZIP archive (a Word or REFI-QDA file?), not plain text"),
    (b"%PDF-", "is a PDF; save the transcript as .txt or .docx first"),
    (b"{\\rtf", "is an RTF document; save the transcript as .txt or .docx first"),
    (b"\xd0\xcf\x11\xe0", "is an old Word (.doc) file; save it as .docx first"),
)

# C0 and C1 control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Every byte but those a control character's UTF-8 form can start with (C0 and DEL are their own
# byte; C1, U+0080-U+009F, starts with 0xC2): deleting them from a text's bytes leaves nothing
# when the text has no control character, a far quicker test than searching the text.
_NOT_CONTROL_LEAD_BYTES = bytes(
    b for b in range(256) if not (b <= 0x08 or b == 0x0B or 0x0E <= b <= 0x1F or b in (0x7F, 0xC2))
)


def decode_bytes(data: bytes, source: str) -> tuple[str, list[str]]:
    """Decode a transcript file's bytes; return ``(text, warnings)``.

    ``source`` names the file in messages. Raises ``InputError`` for files that are too large,
    empty, binary, or in an encoding that cannot be read.
    """
    if len(data) > MAX_TRANSCRIPT_BYTES:
        limit = MAX_TRANSCRIPT_BYTES // (1024 * 1024)
        raise InputError(
            f"file is larger than the {limit} MB limit for a transcript ({len(data) / (1024 * 1024):.1f} MB)",
            source,
        )
    warnings: list[str] = []
    utf8 = None  # the text's UTF-8 form as the file holds it, when the file is UTF-8 without a mark
    text = _decode_with_bom(data, source)
    if text is None:
        for signature, message in _SIGNATURES:
            if data.startswith(signature):
                raise InputError(message, source)
        if b"\x00" in data:
            raise InputError(
                "looks like a binary file (NUL bytes; or UTF-16 without a byte-order mark)",
                source,
            )
        text = _decode_without_bom(data, source, warnings)
        utf8 = None if warnings else data  # its one warning: read as Windows-1252, not UTF-8
    text = newlines_only(text)
    # Old DOS editors end files with Ctrl-Z; it is not part of the text.
    text = text.rstrip("\x1a")
    if not text.strip():
        raise InputError("file is empty: there is no text to import", source)
    _check_controls(text, source, warnings, utf8)
    return text, warnings


def decode_utf8(data: bytes, source: str, what: str) -> str:
    """The text of a ``what`` file that must be UTF-8 (a byte-order mark is allowed), with ``\\n``
    line endings.

    Refused with the line of the first byte that is not UTF-8, e.g. ``map.yaml:2: the pseudonym
    map is not UTF-8 text; save it as UTF-8``.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"the {what} is not UTF-8 text; save it as UTF-8", f"{source}:{line}") from None
    return newlines_only(text)


def newlines_only(text: str) -> str:
    """``text`` with its CRLF and lone CR line endings made ``\\n`` (the same object when it has none)."""
    if "\r" not in text:  # one quick pass for one character: replacing the pair reads all text twice
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_with_bom(data: bytes, source: str) -> str | None:
    """Decode by byte-order mark; None when there is no mark."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"starts with a {label} byte-order mark but is not valid {label} (byte {exc.start + len(bom)})",
                    source,
                ) from None
    return None


def _decode_without_bom(data: bytes, source: str, warnings: list[str]) -> str:
    """Strict UTF-8, else Windows-1252 with a warning, else refuse."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"unknown text encoding: not UTF-8 (byte {utf8_error.start}) and not Windows-1252 "
            f"(byte {exc.start}); save the file as UTF-8",
            source,
        ) from None
    warnings.append(f"{source}: {CP1252_WARNING}")
    return text


def attribute_warning(attributes: Iterable[Mapping[str, str]], source: str, what: str) -> str | None:
    """The warning for control characters in the keys and values of ``attributes`` (``what``:
    "front matter", "case attributes"), worded as :func:`decode_bytes` words it for a
    transcript's text; None when there are none. Like the text's, they are kept as they are."""
    count = sum(len(_CONTROL.findall(text)) for mapping in attributes for item in mapping.items() for text in item)
    if not count:
        return None
    verb = "contains" if what == "front matter" else "contain"
    return f"{source}: {what} {verb} {count} control character(s); kept as they are"


def _check_controls(text: str, source: str, warnings: list[str], utf8: bytes | None = None) -> None:
    """Refuse text that is mostly control characters; warn about a few stray ones.

    ``utf8``: the bytes ``text`` was decoded from as UTF-8, if it was (its line endings and a
    final Ctrl-Z may since have gone, which adds no control character): looked at instead of
    encoding the text again, 2 ms for the benchmark's 60 interviews."""
    if "\x00" in text:
        raise InputError("contains NUL characters; this does not look like a transcript", source)
    encoded = utf8 if utf8 is not None else text.encode("utf-8", "surrogatepass")
    if not encoded.translate(None, _NOT_CONTROL_LEAD_BYTES):
        return
    count = sum(1 for _ in _CONTROL.finditer(text))
    if count == 0:
        return
    if count > max(4, len(text) // 100):
        raise InputError(f"looks like a binary file ({count} control characters in {len(text)})", source)
    warnings.append(f"{source}: contains {count} control character(s); kept as they are")
