"""MYLAPS / AMB P3 decoder protocol: a stream decoder, a file reader, an encoder, and passings for the engine.

The TCP stream of a decoder splits frames anywhere, so `P3Decoder` takes bytes in chunks of any size and
returns, in stream order, the records it completed and a `FrameError` for each frame it had to reject (bad
CRC, bad escape, wrong length, truncated, fields overrunning the frame). After a bad frame it resumes at
the next start byte: SOR and EOR never occur inside an escaped frame, so no good frame around a bad one is
lost. It never raises on any input.

`PassingResolver` turns decoder passings into `model.Passing` for `engine.build_laps`: the decoder clock
(µs since the Unix epoch, UTC — EXPECTED.md: 1437769372993000 is 2015-07-24T20:22:52.993Z) becomes µs
since midnight of the session date in a given timezone (UTC unless told), the transponder becomes a car
through the entry list, and the decoder id becomes a timing line.

Framing and CRC: `ambp3_frame`; the TLV fields and typed records: `ambp3_records`.
"""

from __future__ import annotations

import datetime as dt
import struct
from binascii import crc_hqx
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from parcferme.errors import InputError
from parcferme.formats.ambp3_frame import (
    CRC_HEADS,
    EOR_BYTE,
    ESC_BYTE,
    HEADER,
    HEADER_SIZE,
    MAX_ESCAPED,
    MIN_FRAME,
    SOR_BYTE,
    FrameError,
    crc_head,
    encode_frame,
    frame_crc,
    unescape,
)
from parcferme.formats.ambp3_records import (
    PASSING,
    STATUS,
    P3Passing,
    P3Record,
    P3Status,
    P3Time,
    P3Unknown,
    P3Version,
    Tlv,
    decode_body,
    encode_body,
    record_type_name,
    record_type_of,
)
from parcferme.model.timing import SF, Passing

__all__ = [
    "DEFAULT_PORT",
    "FrameError",
    "P3Capture",
    "P3Decoder",
    "P3Passing",
    "P3Record",
    "P3Status",
    "P3Time",
    "P3Unknown",
    "P3Version",
    "PassingResolver",
    "Tlv",
    "decode_p3",
    "encode_record",
    "frame_crc",
    "midnight_epoch_us",
    "read_p3_file",
    "to_passings",
]

DEFAULT_PORT: Final = 5403  # the TCP port MYLAPS decoders serve P3 on

# The layout of every PASSING frame of the real data: seven fields, each tag and size read as one u16.
# A frame that matches it is decoded by one struct call instead of the generic TLV walk (the hot path).
_PASSING_FAST = struct.Struct("<HIHIHQHHHHHHHI")
_PASSING_FAST_TAGS: Final = (0x0401, 0x0403, 0x0804, 0x0205, 0x0206, 0x0208, 0x0481)
_PASSING_FAST_LENGTH: Final = HEADER_SIZE + _PASSING_FAST.size + 1
# Likewise every STATUS frame of the real data: noise, temperature, input voltage, GPS, decoder id.
_STATUS_FAST = struct.Struct("<HHHHHBHBHI")
_STATUS_FAST_TAGS: Final = (0x0201, 0x0207, 0x010C, 0x0106, 0x0481)
_STATUS_FAST_LENGTH: Final = HEADER_SIZE + _STATUS_FAST.size + 1
_unpack_header = HEADER.unpack_from
_unpack_passing = _PASSING_FAST.unpack_from
_unpack_status = _STATUS_FAST.unpack_from
_new = tuple.__new__
_EOR: Final = 0x8F


class P3Decoder:
    """An incremental P3 decoder for one byte stream (one TCP connection, one file).

    `feed` returns what the new bytes completed; `close` reports a frame left unfinished at the end.
    It holds at most one unfinished frame (never more than the largest possible frame, 128 KiB escaped).
    Counters: `skipped` bytes outside any frame, `errors` frames rejected, `unknown` fields and record
    types kept raw, keyed by (record type, tag) — tag None for a whole record type not interpreted.
    """

    __slots__ = ("_base", "_parts", "_size", "errors", "records", "skipped", "unknown")

    def __init__(self) -> None:
        self._parts: list[bytes] = []
        self._size = 0  # bytes held in _parts
        self._base = 0  # stream offset of the first byte held
        self.skipped = 0
        self.errors = 0
        self.records = 0
        self.unknown: Counter[tuple[int, int | None]] = Counter()

    @property
    def offset(self) -> int:
        """Bytes received so far."""
        return self._base + self._size

    def feed(self, data: bytes) -> list[P3Record | FrameError]:
        if not data:
            return []
        if not self._size and SOR_BYTE not in data:
            out: list[P3Record | FrameError] = []
            self._skip(data, 0, len(data), out)
            self._base += len(data)
            return out
        self._parts.append(bytes(data))
        self._size += len(data)
        if EOR_BYTE not in data and self._size <= MAX_ESCAPED:
            return []  # nothing can complete before an end byte arrives
        return self._drain(final=False)

    def close(self) -> list[P3Record | FrameError]:
        """End of stream: whatever is held is reported (a frame cut by the end is truncated)."""
        return self._drain(final=True) if self._size else []

    def _drain(self, *, final: bool) -> list[P3Record | FrameError]:
        buf = b"".join(self._parts) if len(self._parts) > 1 else self._parts[0]
        out: list[P3Record | FrameError] = []
        used = self._scan(buf, out, final)
        rest = buf[used:]
        self._parts = [rest] if rest else []
        self._size = len(rest)
        self._base += used
        return out

    def _scan(self, buf: bytes, out: list[P3Record | FrameError], final: bool) -> int:
        """Decode every complete frame in `buf` into `out`; the index where undecided bytes start."""
        find = buf.find
        append = out.append
        frame_at = self._frame
        base = self._base
        n = len(buf)
        pos = 0
        while True:
            start = find(SOR_BYTE, pos)
            if start < 0:
                self._skip(buf, pos, n, out)
                return n
            if start > pos:
                self._skip(buf, pos, start, out)
            end = find(EOR_BYTE, start + 1)
            cut = find(SOR_BYTE, start + 1, n if end < 0 else end)
            if cut >= 0:  # a new frame began before this one ended
                append(
                    self._error(base + start, "truncated", "frame cut by the next start byte", buf[start:cut])
                )
                pos = cut
            elif end >= 0:
                pos = end + 1
                append(frame_at(buf[start:pos], base + start))
            elif final or n - start > MAX_ESCAPED:  # the stream ended, or no end within the largest frame
                append(self._error(base + start, "truncated", "frame cut before its end byte", buf[start:]))
                pos = n
            else:
                return start  # the frame may still complete

    def _frame(self, frame: bytes, offset: int) -> P3Record | FrameError:
        """One frame from SOR to EOR as received: unescaped, checked, decoded."""
        if ESC_BYTE in frame:
            plain = unescape(frame)
            if isinstance(plain, int):
                bad = frame[plain + 1 : plain + 2].hex() or "nothing"
                return self._error(
                    offset, "escape", f"bad escape: 0x8d then {bad} at frame byte {plain}", frame
                )
            frame = plain
        length = len(frame)
        if length < MIN_FRAME:
            return self._error(offset, "short", f"frame of {length} bytes, shorter than a header", frame)
        _, version, declared, crc, flags, record_type = _unpack_header(frame)
        if declared != length:
            return self._error(
                offset, "length", f"frame length is {length} bytes, its header says {declared}", frame
            )
        # frame_crc, inlined: this is the per-frame hot path
        head = CRC_HEADS.get(declared << 8 | version)
        if head is None:
            head = crc_head(frame)
        expected = crc_hqx(frame[6:-2], head) ^ (frame[-2] << 8) ^ _EOR
        if crc != expected:
            return self._error(offset, "crc", f"bad CRC {crc:04x}, expected {expected:04x}", frame)
        self.records += 1
        if record_type == PASSING and length == _PASSING_FAST_LENGTH:
            v = _unpack_passing(frame, HEADER_SIZE)
            if v[0::2] == _PASSING_FAST_TAGS:
                return _new(
                    P3Passing, (v[1], v[3], v[5], v[7], v[9], v[11], v[13], (), offset, version, flags)
                )
        elif record_type == STATUS and length == _STATUS_FAST_LENGTH:
            v = _unpack_status(frame, HEADER_SIZE)
            if v[0::2] == _STATUS_FAST_TAGS:
                return _new(P3Status, (v[1], v[3], v[5], v[7], None, None, v[9], (), offset, version, flags))
        record = decode_body(record_type, frame[HEADER_SIZE:-1], offset, version, flags)
        if isinstance(record, FrameError):
            self.records -= 1
            self.errors += 1
        elif isinstance(record, P3Unknown):
            self.unknown[record_type, None] += 1
        elif record.extra:
            self.unknown.update((record_type, tlv.tag) for tlv in record.extra)
        return record

    def _skip(self, buf: bytes, start: int, end: int, out: list[P3Record | FrameError]) -> None:
        """Count bytes outside any frame; an end byte among them is a frame that lost its start byte."""
        self.skipped += end - start
        at = buf.find(EOR_BYTE, start, end)
        while at >= 0:
            message = "end byte without a start byte (a frame lost its start)"
            out.append(self._error(self._base + at, "start", message, b""))
            at = buf.find(EOR_BYTE, at + 1, end)

    def _error(self, offset: int, kind: str, message: str, raw: bytes) -> FrameError:
        self.errors += 1
        return FrameError(offset, kind, message, raw)


@dataclass(frozen=True, slots=True)
class P3Capture:
    """Everything read from one stream: records and rejected frames in stream order, and what was skipped."""

    records: tuple[P3Record, ...]
    errors: tuple[FrameError, ...] = ()
    skipped: int = 0  # bytes outside any frame (a capture's text header, line noise)
    unknown: Mapping[tuple[int, int | None], int] = field(default_factory=dict)

    @property
    def passings(self) -> tuple[P3Passing, ...]:
        return tuple(r for r in self.records if type(r) is P3Passing)

    def describe_unknown(self) -> list[str]:
        """One line per uninterpreted field or record type, for reports."""
        return [
            f"{record_type_name(rt)} field 0x{tag:02x}: {n}"
            if tag is not None
            else f"{record_type_name(rt)}: {n}"
            for (rt, tag), n in sorted(
                self.unknown.items(), key=lambda kv: (kv[0][0], -1 if kv[0][1] is None else kv[0][1])
            )
        ]


def decode_p3(data: bytes, source: str = "<p3>", *, strict: bool = False) -> P3Capture:
    """Decode a whole P3 byte stream; with `strict`, the first bad frame raises an InputError instead."""
    decoder = P3Decoder()
    items = decoder.feed(data)
    items.extend(decoder.close())
    records: list[P3Record] = []
    errors: list[FrameError] = []
    for item in items:
        if isinstance(item, FrameError):
            if strict:
                raise item.as_input_error(source)
            errors.append(item)
        else:
            records.append(item)
    return P3Capture(tuple(records), tuple(errors), decoder.skipped, dict(decoder.unknown))


def read_p3_file(path: str | Path, *, strict: bool = False) -> P3Capture:
    """Decode a file of raw P3 bytes (a decoder capture); bad frames are reported, or raised when `strict`."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read P3 capture: {exc.strerror or exc}", source=str(path)) from exc
    return decode_p3(data, str(path), strict=strict)


def encode_record(record: P3Record) -> bytes:
    """The escaped frame a decoder would send for `record` (its offset is not part of it)."""
    body = encode_body(record)
    return encode_frame(record_type_of(record), body, version=record.version, flags=record.header_flags)


def midnight_epoch_us(date: dt.date, tz: dt.tzinfo = dt.UTC) -> int:
    """µs since the Unix epoch at 00:00 of `date` in `tz`."""
    midnight = dt.datetime.combine(date, dt.time(0), tzinfo=tz)
    return (midnight - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)


class PassingResolver:
    """Decoder passings → `model.Passing` (time of day in µs, line, car), for the lap builder.

    - time: `rtc_time` minus midnight of `session_date` in `tz` (UTC by default: the decoder clock is UTC
      in the real data). It is elapsed time, so it goes past 24 h in a race that crosses midnight, as the
      engine needs, and ignores a daylight-saving change during the session.
    - car: `cars` maps transponder (decimal string) → car number; None uses the transponder as the car. A
      passing of a transponder not in `cars` is set aside and counted in `unknown_transponders`.
    - line: `lines` maps decoder id → timing line; None puts every passing on `line` (the Line, SF). With
      `lines`, a passing from another decoder is set aside and counted in `unknown_decoders`.
    - the same passing sent twice (a resend, a replay after reconnecting: same decoder, number,
      transponder and time) is kept once and counted in `duplicates`; one without transponder or time is
      counted in `incomplete`.
    """

    def __init__(
        self,
        session_date: dt.date,
        cars: Mapping[str, str] | None = None,
        *,
        tz: dt.tzinfo = dt.UTC,
        lines: Mapping[int, str] | None = None,
        line: str = SF,
    ) -> None:
        self.midnight = midnight_epoch_us(session_date, tz)
        self.cars = cars
        self.lines = lines
        self.line = line
        self.unknown_transponders: Counter[str] = Counter()
        self.unknown_decoders: Counter[int | None] = Counter()
        self.duplicates = 0
        self.incomplete = 0
        self._seen: set[tuple[int | None, int | None, int, int]] = set()

    def resolve(self, record: P3Passing) -> Passing | None:
        """The model passing, or None when it is set aside (and counted)."""
        transponder = record.transponder
        rtc = record.rtc_time
        if transponder is None or rtc is None:
            self.incomplete += 1
            return None
        key = (record.decoder_id, record.passing_number, transponder, rtc)
        if key in self._seen:
            self.duplicates += 1
            return None
        tag = str(transponder)
        if self.cars is None:
            car = tag
        else:
            found = self.cars.get(tag)
            if found is None:
                self.unknown_transponders[tag] += 1
                return None
            car = found
        if self.lines is None:
            line = self.line
        else:
            known = self.lines.get(record.decoder_id) if record.decoder_id is not None else None
            if known is None:
                self.unknown_decoders[record.decoder_id] += 1
                return None
            line = known
        self._seen.add(key)
        seq = record.passing_number if record.passing_number is not None else -1
        return Passing(rtc - self.midnight, line, car, tag, seq)


def to_passings(records: Iterable[P3Record], resolver: PassingResolver) -> tuple[Passing, ...]:
    """The model passings of the P3 passings among `records` (other record types are ignored)."""
    resolve = resolver.resolve
    out = []
    for record in records:
        if type(record) is P3Passing:
            passing = resolve(record)
            if passing is not None:
                out.append(passing)
    return tuple(out)
