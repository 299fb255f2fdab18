"""MYLAPS / AMB P3 framing: start and end bytes, escaping, the header and its CRC.

A P3 frame, once unescaped (facts checked against ../shared/data/amb_p3, see its EXPECTED.md):

    0x8E | version:u8 | length:u16 | crc:u16 | flags:u16 | type:u16 | TLV fields… | 0x8F

Multi-byte integers are little-endian; `length` counts the whole unescaped frame, SOR and EOR included
(`good_passing`: length=51 for 51 bytes). Between SOR and EOR the three reserved bytes 0x8D, 0x8E and 0x8F
are sent as 0x8D followed by the byte + 0x20: the capture holds `8D AE` for 0x8E and `8D AF` for 0x8F
(`1437857960_0`, whose CRC byte is 0x8F), while 0x8A, 0x8B and 0x8C travel raw — so only 0x8D–0x8F are
escaped. On reading, an escape of anything in 0x8A–0x8F is accepted (some encoders escape that whole range).

The CRC is not written down anywhere we trust, so it was established from the real frames:

1. A CRC is linear: for two frames of the same length, crc(a) ^ crc(b) depends only on a ^ b. Searching all
   16-bit polynomials against pairs of real PASSING frames found one: 0x1021 (CCITT), unreflected, with the
   frame's last two bytes *not* shifted through the register — the "augmented" formulation, where each
   byte enters the low end of the register and no trailing 16 zero bits are fed.
2. The constant part then fixes the register preset: 0xFFFF, over the whole frame from SOR to EOR with the
   two CRC bytes zeroed (in the direct table form that is an initial value of 0x1D0F over all but the last
   two bytes, then those two bytes XORed in). Stored little-endian.
3. It verifies on all 87 intact frames of the data set (PASSING and STATUS, lengths 31 and 51). The only
   frame that fails is one the PuTTY telnet capture damaged: a CR NUL pair inside it lost its NUL, so its
   length is 50 for a header saying 51.

`binascii.crc_hqx` is exactly the direct CCITT form in C, which is what makes checking fast.
"""

from __future__ import annotations

import struct
from binascii import crc_hqx
from dataclasses import dataclass
from typing import Final

from parcferme.errors import InputError

SOR: Final = 0x8E  # start of record
EOR: Final = 0x8F  # end of record
ESC: Final = 0x8D  # escape: the next byte is the reserved byte + 0x20
SOR_BYTE: Final = b"\x8e"
EOR_BYTE: Final = b"\x8f"
ESC_BYTE: Final = b"\x8d"
ESCAPE_OFFSET: Final = 0x20

HEADER: Final = struct.Struct("<BBHHHH")  # SOR, version, length, crc, flags, type
HEADER_SIZE: Final = HEADER.size  # 10; the TLV body follows
MIN_FRAME: Final = HEADER_SIZE + 1  # a header and EOR, no field
MAX_FRAME: Final = 0xFFFF  # the length field is 16 bits
MAX_ESCAPED: Final = 2 * MAX_FRAME  # worst case: every byte escaped
DEFAULT_VERSION: Final = 2  # every frame of the real data

# The direct-form initial value equivalent to an augmented register preset of 0xFFFF (step 2 above).
_CRC_INIT: Final = 0x1D0F
_ZERO_CRC: Final = b"\x00\x00"
_ACCEPTED_ESCAPES: Final = frozenset(range(0x8A + ESCAPE_OFFSET, 0x8F + ESCAPE_OFFSET + 1))


@dataclass(frozen=True, slots=True)
class FrameError:
    """A frame that could not be decoded, reported in stream order instead of raised.

    `offset` is the byte offset of the frame's first byte (its SOR) in the stream as received, escapes
    included; `kind` is one of "truncated", "escape", "short", "length", "crc", "field", or "start" (an
    end byte outside any frame: a frame whose start byte was lost; `offset` is that end byte's).
    """

    offset: int
    kind: str
    message: str
    raw: bytes = b""

    def as_input_error(self, source: str) -> InputError:
        return InputError(f"byte {self.offset}: {self.message}", source=source, field=self.kind)


# CRC register after the first six bytes (SOR, version, length, zeroed CRC field), keyed by
# length << 8 | version (frame bytes 1–3 read little-endian): a stream has a handful of frame lengths, so
# two of the three CRC calls per frame become one dict lookup. Bounded: arbitrary input cannot grow it.
CRC_HEADS: dict[int, int] = {}
_CRC_HEADS_MAX: Final = 4096


def crc_head(frame: bytes) -> int:
    """The CRC register once the header's first six bytes (CRC zeroed) have been fed; cached."""
    state = crc_hqx(_ZERO_CRC, crc_hqx(frame[:4], _CRC_INIT))
    if len(CRC_HEADS) < _CRC_HEADS_MAX:
        CRC_HEADS[int.from_bytes(frame[1:4], "little")] = state
    return state


def frame_crc(frame: bytes) -> int:
    """The CRC a frame must carry: CCITT, augmented, preset 0xFFFF, over the unescaped frame, CRC zeroed."""
    head = CRC_HEADS.get(int.from_bytes(frame[1:4], "little"))
    if head is None:
        head = crc_head(frame)
    return crc_hqx(frame[6:-2], head) ^ (frame[-2] << 8) ^ frame[-1]


def escape(frame: bytes) -> bytes:
    """Escape the reserved bytes between SOR and EOR (the frame must start with SOR and end with EOR)."""
    inner = frame[1:-1]
    if b"\x8d" in inner or b"\x8e" in inner or b"\x8f" in inner:
        inner = (
            inner.replace(b"\x8d", b"\x8d\xad").replace(b"\x8e", b"\x8d\xae").replace(b"\x8f", b"\x8d\xaf")
        )
    return SOR_BYTE + inner + EOR_BYTE


def unescape(frame: bytes) -> bytes | int:
    """The frame with its escapes resolved, or the index of the first bad escape (an int) in `frame`."""
    parts = frame.split(ESC_BYTE)
    out = [parts[0]]
    index = len(parts[0])
    for part in parts[1:]:
        # part[0] is the escaped byte; an empty part is an escape at the very end or two escapes in a row
        if not part or part[0] not in _ACCEPTED_ESCAPES:
            return index
        out.append(bytes((part[0] - ESCAPE_OFFSET,)))
        out.append(part[1:])
        index += 1 + len(part)
    return b"".join(out)


def encode_frame(record_type: int, body: bytes, *, version: int = DEFAULT_VERSION, flags: int = 0) -> bytes:
    """A complete escaped frame around a TLV body, with its length and CRC filled in."""
    length = HEADER_SIZE + len(body) + 1
    if length > MAX_FRAME:
        raise InputError(f"a P3 frame holds at most {MAX_FRAME} bytes, not {length}", field="length")
    if not (0 <= version <= 0xFF and 0 <= flags <= 0xFFFF and 0 <= record_type <= 0xFFFF):
        raise InputError("version is one byte, flags and record type two", field="header")
    frame = HEADER.pack(SOR, version, length, 0, flags, record_type) + body + EOR_BYTE
    crc = frame_crc(frame)
    return escape(frame[:4] + crc.to_bytes(2, "little") + frame[6:])
