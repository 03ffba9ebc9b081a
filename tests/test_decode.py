"""Bytes to text: encodings, line endings and files that must be refused."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from workbench.errors import InputError
from workbench.interop import decode
from workbench.interop.decode import MAX_TRANSCRIPT_BYTES, decode_bytes

SAMPLE = "Åsa: Vi samarbetar med [den andra kommunen], 200 € – straße\n"


def refused(data: bytes, source: str = "interview.txt") -> str:
    """The one-line message decode_bytes refuses ``data`` with."""
    with pytest.raises(InputError) as info:
        decode_bytes(data, source)
    message = str(info.value)
    assert "\n" not in message
    assert source in message
    return message


def test_plain_utf8_is_returned_unchanged():
    assert decode_bytes(SAMPLE.encode("utf-8"), "a.txt") == (SAMPLE, [])


def test_utf8_byte_order_mark_is_dropped():
    text, warnings = decode_bytes(codecs.BOM_UTF8 + SAMPLE.encode("utf-8"), "a.txt")
    assert text == SAMPLE
    assert warnings == []


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_byte_order_mark(codec):
    data = SAMPLE.encode(codec)
    if codec == "utf-16-le":
        data = codecs.BOM_UTF16_LE + data
    elif codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert decode_bytes(data, "a.txt") == (SAMPLE, [])


def test_windows_1252_is_read_with_a_warning():
    text, warnings = decode_bytes("Café costs 5 € – “yes”\n".encode("cp1252"), "old.txt")
    assert text == "Café costs 5 € – “yes”\n"
    assert len(warnings) == 1
    assert "not UTF-8; read as Windows-1252 (cp1252)" in warnings[0]
    assert "old.txt" in warnings[0]


def test_bytes_that_are_neither_utf8_nor_cp1252_are_refused():
    assert "encoding" in refused(b"text with \x81 and \x8d")


def test_broken_utf8_after_a_utf8_mark_is_refused():
    assert "UTF-8" in refused(codecs.BOM_UTF8 + b"ok \xff")


def test_broken_utf16_is_refused():
    # A lone high surrogate cannot be decoded.
    assert "UTF-16" in refused(codecs.BOM_UTF16_LE + b"a\x00\x00\xd8")


@pytest.mark.parametrize("data", [b"\x00\x01\x02binary\x00", "hello".encode("utf-16-le")])
def test_nul_bytes_outside_utf16_are_refused(data):
    assert "binary" in refused(data)


def test_nul_characters_inside_utf16_are_refused():
    refused("a\x00b".encode("utf-16"))


def test_many_control_characters_are_refused():
    assert "binary" in refused(bytes(range(1, 9)) * 20 + b"some text")


def test_a_few_control_characters_are_kept_with_a_warning():
    data = b"Interviewer: hello\x07 there, this is long enough text"
    text, warnings = decode_bytes(data, "a.txt")
    assert "\x07" in text
    assert any("control" in w for w in warnings)


def test_zip_files_are_refused_with_a_hint():
    assert "ZIP" in refused(b"PK\x03\x04rest of a docx")


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE])
def test_empty_and_whitespace_only_files_are_refused(data):
    assert "empty" in refused(data)


def test_crlf_and_lone_cr_become_lf():
    text, _ = decode_bytes(b"one\r\ntwo\rthree\n\r\nfour", "a.txt")
    assert text == "one\ntwo\nthree\n\nfour"
    assert "\r" not in text


def test_crlf_is_normalised_in_utf16_too():
    text, _ = decode_bytes("a\r\nb\r".encode("utf-16"), "a.txt")
    assert text == "a\nb\n"


def test_trailing_ctrl_z_is_dropped():
    assert decode_bytes(b"old DOS file\r\n\x1a", "a.txt") == ("old DOS file\n", [])


def test_the_size_limit_is_50_mb_and_stated_in_the_message(monkeypatch):
    assert MAX_TRANSCRIPT_BYTES == 50 * 1024 * 1024
    monkeypatch.setattr(decode, "MAX_TRANSCRIPT_BYTES", 10)
    message = refused(b"x" * 11)
    assert "MB limit" in message


@given(st.binary(max_size=300))
def test_any_bytes_give_text_or_an_input_error(data):
    try:
        text, warnings = decode_bytes(data, "f.txt")
    except InputError as exc:
        assert "\n" not in str(exc)
        return
    assert "\r" not in text
    assert text.strip()
    assert all(isinstance(w, str) for w in warnings)


@given(st.text(min_size=1).filter(lambda s: s.strip() and "\x00" not in s))
def test_utf8_text_round_trips_apart_from_line_endings(text):
    try:
        decoded, _ = decode_bytes(text.encode("utf-8"), "f.txt")
    except InputError:
        return  # mostly control characters: refused as binary
    expected = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").rstrip("\x1a")
    assert decoded == expected


@given(st.text(st.characters(codec="utf-8")) | st.text(st.characters(max_codepoint=0x200)))
def test_the_quick_test_for_controls_never_passes_over_one(text: str):
    """The byte test that lets most texts skip the search: whenever the search would find a
    control character, the test says there may be one."""
    may_have = bool(text.encode("utf-8", "surrogatepass").translate(None, decode._NOT_CONTROL_LEAD_BYTES))
    assert may_have or decode._CONTROL.search(text) is None


@given(st.text(st.characters(codec="utf-8"), min_size=1) | st.text(st.characters(max_codepoint=0x200), min_size=1))
def test_controls_are_judged_from_a_utf8_files_bytes_as_from_its_text(text: str):
    """``decode_bytes`` looks for control characters in the bytes it read (not in the text
    encoded again): the same warning, or the same refusal, as the text itself would give."""
    data = text.encode("utf-8")
    expected = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").rstrip("\x1a")
    assume("\x00" not in text and expected.strip())
    assume(not any(data.startswith(signature) for signature, _ in decode._SIGNATURES))

    def judged(call) -> list[str] | str:
        found: list[str] = []
        try:
            call(found)
        except InputError as exc:
            return str(exc)
        return found

    from_bytes = judged(lambda found: found.extend(decode_bytes(data, "f.txt")[1]))
    from_text = judged(lambda found: decode._check_controls(expected, "f.txt", found))
    assert from_bytes == from_text
