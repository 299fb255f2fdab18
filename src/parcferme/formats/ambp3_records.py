"""MYLAPS / AMB P3 records: the TLV fields of a frame's body, decoded into typed immutable records.

A body is a run of fields `tag:u8 | size:u8 | value[size]`, integers little-endian. The field tags of
PASSING and STATUS are checked against the real frames (../shared/data/amb_p3/EXPECTED.md: good_passing
gives PASSING_NUMBER=113736 TRANSPONDER=2906141 RTC_TIME=1437769372993000 STRENGTH=106 HITS=50 FLAGS=0
DECODER_ID=135059); VERSION and GET_TIME follow public protocol notes and have no real sample to check.

Nothing is lost: a field this module does not interpret (unknown tag, repeated tag, odd size) is kept raw in
the record's `extra`, and a record type it does not know becomes a `P3Unknown` holding every field raw.
Encoding writes the interpreted fields in the order MYLAPS decoders send them (the order of the real
frames, which therefore re-encode byte for byte), then `extra` in its order, then the general fields
(DECODER_ID). Any record re-encodes to a frame that decodes back to an equal record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, NamedTuple

from parcferme.errors import InputError
from parcferme.formats.ambp3_frame import DEFAULT_VERSION, FrameError

PASSING: Final = 0x0001
STATUS: Final = 0x0002
VERSION: Final = 0x0003
GET_TIME: Final = 0x0024

# Record type names, for reports (public protocol notes; only PASSING and STATUS occur in the real data).
RECORD_TYPES: Final[Mapping[int, str]] = {
    0x0000: "RESET",
    PASSING: "PASSING",
    STATUS: "STATUS",
    VERSION: "VERSION",
    0x0004: "RESEND",
    0x0005: "CLEAR_PASSING",
    0x0013: "SERVER_SETTINGS",
    0x0015: "SESSION",
    0x0016: "NETWORK_SETTINGS",
    0x0018: "WATCHDOG",
    0x0020: "PING",
    GET_TIME: "GET_TIME",
    0x0028: "GENERAL_SETTINGS",
    0x002D: "SIGNALS",
    0x002F: "LOOP_TRIGGER",
    0x0030: "GPS_INFO",
    0x0045: "FIRST_CONTACT",
    0x004A: "TIMELINE",
    0xFFFF: "ERROR",
}

# Fields every record type may carry; tags from 0x80 up. Only DECODER_ID is interpreted.
GENERAL_FIELDS: Final[Mapping[int, str]] = {0x81: "DECODER_ID", 0x83: "CONTROLLER_ID", 0x85: "REQUEST_ID"}
DECODER_ID: Final = 0x81


def record_type_name(record_type: int) -> str:
    return RECORD_TYPES.get(record_type, f"0x{record_type:04x}")


class Tlv(NamedTuple):
    """One field as sent: its tag and its raw value."""

    tag: int
    value: bytes


class P3Passing(NamedTuple):
    """A transponder crossing the decoder's loop (record type 0x0001).

    A NamedTuple, like `model.Passing`, because a 24-hour race sends 10⁵–10⁶ of them
    (docs/architecture.md). `rtc_time` is the decoder clock in µs since the Unix epoch; `offset` is the
    byte offset of the frame in the stream it was read from (-1 when built in memory).
    """

    passing_number: int | None = None
    transponder: int | None = None
    rtc_time: int | None = None
    strength: int | None = None
    hits: int | None = None
    flags: int | None = None
    decoder_id: int | None = None
    extra: tuple[Tlv, ...] = ()
    offset: int = -1
    version: int = DEFAULT_VERSION
    header_flags: int = 0


class P3Status(NamedTuple):
    """The decoder's periodic health report (record type 0x0002), values as the decoder sends them.

    A NamedTuple like P3Passing: a decoder sends one every few seconds, so a long capture holds as many
    status records as passings. (Being tuples, a P3Status and a P3Passing of equal values compare equal:
    check the type before comparing records of mixed kinds.) In the real data: noise 22–30, temperature
    26–40 (°C), input voltage 119–120 (tenths of a volt), GPS 0 (no fix).
    """

    noise: int | None = None
    temperature: int | None = None
    input_voltage: int | None = None
    gps: int | None = None
    satellites: int | None = None
    loop_triggers: int | None = None
    decoder_id: int | None = None
    extra: tuple[Tlv, ...] = ()
    offset: int = -1
    version: int = DEFAULT_VERSION
    header_flags: int = 0


@dataclass(frozen=True, slots=True)
class P3Version:
    """The decoder's answer to a version request (record type 0x0003)."""

    decoder_type: int | None = None
    description: str | None = None
    firmware: str | None = None
    release: int | None = None
    registration: int | None = None
    build_number: int | None = None
    options: int | None = None
    decoder_id: int | None = None
    extra: tuple[Tlv, ...] = ()
    offset: int = -1
    version: int = DEFAULT_VERSION
    header_flags: int = 0


@dataclass(frozen=True, slots=True)
class P3Time:
    """The decoder's clock (record type 0x0024, GET_TIME): `rtc_time` in µs since the Unix epoch."""

    rtc_time: int | None = None
    flags: int | None = None
    decoder_id: int | None = None
    extra: tuple[Tlv, ...] = ()
    offset: int = -1
    version: int = DEFAULT_VERSION
    header_flags: int = 0


@dataclass(frozen=True, slots=True)
class P3Unknown:
    """A record of a type this module does not interpret, every field kept raw in frame order."""

    record_type: int
    fields: tuple[Tlv, ...] = ()
    offset: int = -1
    version: int = DEFAULT_VERSION
    header_flags: int = 0

    @property
    def name(self) -> str:
        return record_type_name(self.record_type)


P3Record = P3Passing | P3Status | P3Version | P3Time | P3Unknown

_UINT: Final = "uint"
_TEXT: Final = "text"


class _Field(NamedTuple):
    attr: str
    size: int  # the size sent by decoders; 0 for text
    kind: str


@dataclass(frozen=True, slots=True)
class _Spec:
    record_type: int
    build: Callable[..., P3Record]
    fields: Mapping[int, _Field]  # in the order decoders send them, general fields last


def _spec(record_type: int, build: Callable[..., P3Record], fields: Mapping[int, _Field]) -> _Spec:
    return _Spec(record_type, build, {**fields, DECODER_ID: _Field("decoder_id", 4, _UINT)})


_SPECS: Final[Mapping[int, _Spec]] = {
    PASSING: _spec(
        PASSING,
        P3Passing,
        {
            0x01: _Field("passing_number", 4, _UINT),
            0x03: _Field("transponder", 4, _UINT),
            0x04: _Field("rtc_time", 8, _UINT),
            0x05: _Field("strength", 2, _UINT),
            0x06: _Field("hits", 2, _UINT),
            0x08: _Field("flags", 2, _UINT),
        },
    ),
    STATUS: _spec(
        STATUS,
        P3Status,
        {  # the real frames send 01, 07, 0C, 06 in this order; 0A and 0B are not in the data
            0x01: _Field("noise", 2, _UINT),
            0x07: _Field("temperature", 2, _UINT),
            0x0C: _Field("input_voltage", 1, _UINT),
            0x06: _Field("gps", 1, _UINT),
            0x0A: _Field("satellites", 1, _UINT),
            0x0B: _Field("loop_triggers", 1, _UINT),
        },
    ),
    VERSION: _spec(
        VERSION,
        P3Version,
        {
            0x01: _Field("decoder_type", 1, _UINT),
            0x02: _Field("description", 0, _TEXT),
            0x03: _Field("firmware", 0, _TEXT),
            0x04: _Field("release", 4, _UINT),
            0x08: _Field("registration", 8, _UINT),
            0x0A: _Field("build_number", 2, _UINT),
            0x0C: _Field("options", 4, _UINT),
        },
    ),
    GET_TIME: _spec(
        GET_TIME,
        P3Time,
        {0x01: _Field("rtc_time", 8, _UINT), 0x04: _Field("flags", 2, _UINT)},
    ),
}
_TYPE_OF: Final[Mapping[type, int]] = {
    P3Passing: PASSING,
    P3Status: STATUS,
    P3Version: VERSION,
    P3Time: GET_TIME,
}


def split_fields(body: bytes) -> list[Tlv] | int:
    """The TLV fields of a body, or the index in `body` of the first field that overruns it."""
    fields = []
    i = 0
    n = len(body)
    while i < n:
        if i + 2 > n:
            return i
        end = i + 2 + body[i + 1]
        if end > n:
            return i
        fields.append(Tlv(body[i], body[i + 2 : end]))
        i = end
    return fields


def decode_body(
    record_type: int, body: bytes, offset: int, version: int, flags: int
) -> P3Record | FrameError:
    """The typed record a frame's body holds, or a FrameError when its fields do not tile the body."""
    fields = split_fields(body)
    if isinstance(fields, int):
        message = (
            f"{record_type_name(record_type)} field at body byte {fields} runs past the end of the frame"
        )
        return FrameError(offset, "field", message, body)
    spec = _SPECS.get(record_type)
    if spec is None:
        return P3Unknown(record_type, tuple(fields), offset, version, flags)
    values: dict[str, Any] = {}
    extra: list[Tlv] = []
    for tlv in fields:
        known = spec.fields.get(tlv.tag)
        if known is None or known.attr in values:
            extra.append(tlv)
        elif known.kind == _TEXT:
            values[known.attr] = tlv.value.decode("latin-1")
        elif 1 <= len(tlv.value) <= 8:
            values[known.attr] = int.from_bytes(tlv.value, "little")
        else:
            extra.append(tlv)  # an integer of no usable size: keep it as sent
    return spec.build(**values, extra=tuple(extra), offset=offset, version=version, header_flags=flags)


def record_type_of(record: P3Record) -> int:
    if isinstance(record, P3Unknown):
        return record.record_type
    return _TYPE_OF[type(record)]


def encode_body(record: P3Record) -> bytes:
    """The TLV body of a record: interpreted fields in decoder order, then `extra`, then general fields."""
    if isinstance(record, P3Unknown):
        return b"".join(_tlv(tlv.tag, tlv.value) for tlv in record.fields)
    spec = _SPECS[record_type_of(record)]
    head: list[bytes] = []
    tail: list[bytes] = []
    for tag, known in spec.fields.items():
        value = getattr(record, known.attr)
        if value is None:
            continue
        raw = _text(value, known) if known.kind == _TEXT else _uint(value, known)
        (tail if tag >= 0x80 else head).append(_tlv(tag, raw))
    head.extend(_tlv(tlv.tag, tlv.value) for tlv in record.extra)
    return b"".join(head + tail)


def _text(value: str, known: _Field) -> bytes:
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise InputError(f"{value!r} is not Latin-1 text", field=known.attr) from exc


def _uint(value: int, known: _Field) -> bytes:
    if value < 0 or value >= 1 << 64:
        raise InputError(f"{value} is not a 64-bit unsigned integer", field=known.attr)
    # a value too large for the usual size is sent on 8 bytes, which decodes back to the same value
    size = known.size if value < 1 << (8 * known.size) else 8
    return value.to_bytes(size, "little")


def _tlv(tag: int, value: bytes) -> bytes:
    if not 0 <= tag <= 0xFF or len(value) > 0xFF:
        raise InputError(f"field 0x{tag:x} of {len(value)} bytes does not fit a TLV", field="extra")
    return bytes((tag, len(value))) + value
