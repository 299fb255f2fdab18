"""Encoding detection (formats/encoding.py): byte-order marks, UTF-16/32 without one, UTF-8, and the
line-by-line fallback to Windows-1252 (../shared/data/README.md, "Traps")."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcferme.errors import InputError, ParcFermeError
from parcferme.formats.encoding import MIXED, decode, detect_wide, read_decoded

TEXT = "NUMBER;DRIVER_NAME\r\n7;Sébastien BUEMI\r\n8;Brendon HARTLEY\r\n"


@pytest.mark.parametrize(
    ("data", "encoding", "bom"),
    [
        (TEXT.encode("utf-8"), "utf-8", False),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8", True),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "utf-16-le", True),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "utf-16-be", True),
        (b"\xff\xfe\x00\x00" + TEXT.encode("utf-32-le"), "utf-32-le", True),
        (b"\x00\x00\xfe\xff" + TEXT.encode("utf-32-be"), "utf-32-be", True),
        (TEXT.encode("utf-16-le"), "utf-16-le", False),
        (TEXT.encode("utf-16-be"), "utf-16-be", False),
        (TEXT.encode("utf-32-le"), "utf-32-le", False),
        (TEXT.encode("utf-32-be"), "utf-32-be", False),
        (TEXT.encode("cp1252"), "cp1252", False),
    ],
)
def test_detected_encodings(data: bytes, encoding: str, bom: bool) -> None:
    decoded = decode(data, "x")
    assert decoded.text == TEXT
    assert decoded.encoding == encoding
    assert decoded.bom is bom


def test_mixed_file_is_decoded_line_by_line() -> None:
    data = "a;Sébastien\n".encode() + "b;Stéphane\n".encode("cp1252") + "c;Zoë €\n".encode()
    decoded = decode(data, "x")
    assert decoded.text == "a;Sébastien\nb;Stéphane\nc;Zoë €\n"
    assert decoded.encoding == MIXED


def test_windows_1252_punctuation_and_undefined_bytes() -> None:
    assert decode(b"\x93quoted\x94 \x80 \x81", "x").text == "\u201cquoted\u201d \u20ac \x81"


def test_utf8_bom_then_a_latin1_line() -> None:
    decoded = decode(b"\xef\xbb\xbfok\n" + "é\n".encode("cp1252"), "x")
    assert (decoded.text, decoded.bom, decoded.encoding) == ("ok\né\n", True, "cp1252")


def test_bad_utf16_is_an_input_error_with_a_line() -> None:
    data = b"\xff\xfe" + "a\nb\n".encode("utf-16-le") + b"\x00\xd8"  # a lone surrogate
    with pytest.raises(InputError) as caught:
        decode(data, "f.csv")
    assert caught.value.source == "f.csv" and caught.value.line == 3


def test_ascii_is_not_taken_for_wide_text() -> None:
    assert detect_wide(b"NUMBER;LAP\n") is None
    assert detect_wide(b"") is None
    assert detect_wide(b"a") is None


def test_read_decoded_names_an_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_decoded(tmp_path / "nope.csv", "nope.csv")
    (tmp_path / "ok.csv").write_bytes(TEXT.encode("utf-16-le"))
    assert read_decoded(tmp_path / "ok.csv", "ok.csv").text == TEXT


@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_raise_an_input_error(data: bytes) -> None:
    try:
        decoded = decode(data, "x")
    except ParcFermeError:
        return
    assert isinstance(decoded.text, str)


@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300))
def test_utf8_text_comes_back_unchanged(text: str) -> None:
    """Any text without NUL (which no text file holds, and which would look like UTF-16) is read as UTF-8."""
    decoded = decode(text.encode("utf-8"), "x")
    assert (decoded.text, decoded.encoding) == (text, "utf-8")
