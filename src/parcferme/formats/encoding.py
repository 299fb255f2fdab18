"""Text encodings of timing files: detected from the bytes, never assumed.

Timing software writes UTF-8 with or without a byte-order mark, UTF-16 without one (Assetto Corsa
Competizione), and Windows-1252 in files that claim UTF-8 (rFactor 2); see ../shared/data/README.md, "Traps".
`decode` tries, in order:

1. a byte-order mark (UTF-32 before UTF-16: the UTF-32-LE mark begins with the UTF-16-LE one);
2. UTF-16 or UTF-32 without a mark, recognised by where the NUL bytes fall: text in a Latin script has a NUL
   in every other byte (UTF-16) or three in four (UTF-32), always at the same offsets;
3. UTF-8;
4. line by line, UTF-8 where a line is valid UTF-8 and Windows-1252 where it is not (Latin-1 for the five
   bytes Windows-1252 leaves undefined). Per line rather than per file because hand-edited files mix
   both; a line that is valid UTF-8 is almost never single-byte text by accident, since single-byte accented
   letters followed by the continuation bytes UTF-8 wants are rare in names.

Windows-1252 rather than ISO-8859-1 for "Latin-1": the two agree on every letter, but Windows-1252 gives
0x80–0x9F their printed meaning (€, curly quotes, dashes) where ISO-8859-1 has invisible control codes.
"""

from __future__ import annotations

import codecs
import os
from functools import cache
from pathlib import Path

from parcferme.errors import InputError
from parcferme.model._dataclass import dataclass

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 4096  # bytes looked at to recognise UTF-16/32 without a mark (a multiple of 4)
_WIDE_SHARE = 0.4  # share of NULs at the "high byte" offsets that marks wide text
_NARROW_SHARE = 0.05  # share of NULs tolerated at the offsets that carry the letters
SINGLE_BYTE = "cp1252"
MIXED = "utf-8+cp1252"  # the label of a file decoded line by line


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text and how it was decoded: the codec name, and whether the file began with a byte-order mark."""

    text: str
    encoding: str
    bom: bool = False


def read_decoded(path: str | os.PathLike[str], source: str) -> Decoded:
    """The file's text, its encoding detected; an unreadable file is an InputError naming `source`."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", source=source) from exc
    return decode(data, source)


def decode(data: bytes, source: str) -> Decoded:
    """Decode bytes whose encoding is not declared (see the module docstring for the order of tries)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            if codec == "utf-8":
                text, label = _utf8_or_mixed(body)
                return Decoded(text, label, bom=True)
            return Decoded(_strict(body, codec, source), codec, bom=True)
    wide = detect_wide(data)
    if wide is not None:
        return Decoded(_strict(data, wide, source), wide)
    text, label = _utf8_or_mixed(data)
    return Decoded(text, label)


def detect_wide(data: bytes) -> str | None:
    """ "utf-16-le", "utf-16-be", "utf-32-le" or "utf-32-be" when NUL bytes sit where wide text puts them."""
    sample = data[:_SAMPLE]
    quads = len(sample) // 4
    if quads >= 1:
        sample4 = sample[: quads * 4]
        nuls = [sample4[k::4].count(0) / quads for k in range(4)]
        if min(nuls[1:]) >= _WIDE_SHARE and nuls[0] <= _NARROW_SHARE:
            return "utf-32-le"
        if min(nuls[:3]) >= _WIDE_SHARE and nuls[3] <= _NARROW_SHARE:
            return "utf-32-be"
    pairs = len(sample) // 2
    if pairs >= 1:
        even = sample[0 : pairs * 2 : 2].count(0) / pairs
        odd = sample[1 : pairs * 2 : 2].count(0) / pairs
        if odd >= _WIDE_SHARE and even <= _NARROW_SHARE:
            return "utf-16-le"
        if even >= _WIDE_SHARE and odd <= _NARROW_SHARE:
            return "utf-16-be"
    return None


def _strict(data: bytes, codec: str, source: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(codec, errors="replace").count("\n") + 1
        raise InputError(
            f"not {codec.upper()} text (bad bytes at offset {exc.start}): save the file as UTF-8",
            source=source,
            line=line,
        ) from exc


def _utf8_or_mixed(data: bytes) -> tuple[str, str]:
    """UTF-8 when the whole is valid; otherwise line by line, single-byte where UTF-8 fails.

    The label is "cp1252" when no line holds valid non-ASCII UTF-8 (a single-byte file), else MIXED.
    """
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad_line = max(data.rfind(b"\n", 0, exc.start), data.rfind(b"\r", 0, exc.start)) + 1
    head = data[:first_bad_line].decode("utf-8")  # valid: it ends before the first bad byte's line
    tail = "".join(_line(line) for line in data[first_bad_line:].splitlines(keepends=True))
    return head + tail, MIXED if _has_utf8_line(data) else SINGLE_BYTE


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return single_byte(line)


def single_byte(data: bytes) -> str:
    """Windows-1252, with Latin-1 for the five bytes it leaves undefined: never fails."""
    return data.decode("latin-1").translate(_cp1252_table())


@cache
def _cp1252_table() -> dict[int, str]:
    """Made on first use: its codec module need not load with every reader."""
    table: dict[int, str] = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode(SINGLE_BYTE)
        except UnicodeDecodeError:
            continue  # undefined in Windows-1252: kept as the Latin-1 control character
    return table


def _has_utf8_line(data: bytes) -> bool:
    """Whether some line holds non-ASCII text that is valid UTF-8 (the file mixes both encodings)."""
    return any(not line.isascii() and _is_utf8(line) for line in data.splitlines())
