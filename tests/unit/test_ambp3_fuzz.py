"""Properties of the P3 decoder: nothing but ParcFermeError escapes, chunking never matters, a damaged
frame never costs its neighbours, and every record survives encode → decode."""

from __future__ import annotations

from contextlib import suppress

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcferme.errors import ParcFermeError
from parcferme.formats.ambp3 import (
    FrameError,
    P3Decoder,
    P3Passing,
    P3Record,
    P3Status,
    P3Time,
    P3Unknown,
    P3Version,
    Tlv,
    decode_p3,
    encode_record,
)

RESERVED = st.sampled_from([0x8D, 0x8E, 0x8F])
# bytes rich in the reserved values, so framing and escaping paths are exercised, not just garbage
NOISY = st.lists(st.one_of(st.integers(0, 255), RESERVED), max_size=400).map(bytes)

u8 = st.integers(0, 0xFF)
u16 = st.integers(0, 0xFFFF)
u32 = st.integers(0, 0xFFFF_FFFF)
u64 = st.integers(0, (1 << 64) - 1)
extras = st.lists(st.builds(Tlv, st.integers(0x20, 0x7F), st.binary(max_size=12)), max_size=3).map(tuple)


def opt(values: st.SearchStrategy[int]) -> st.SearchStrategy[int | None]:
    return st.none() | values


passings = st.builds(
    P3Passing,
    passing_number=opt(u32),
    transponder=opt(u32),
    rtc_time=opt(u64),
    strength=opt(u16),
    hits=opt(u16),
    flags=opt(u16),
    decoder_id=opt(u32),
    extra=extras,
    offset=st.just(0),
    version=u8,
    header_flags=u16,
)
full_passings = st.builds(
    P3Passing,
    passing_number=u32,
    transponder=u32,
    rtc_time=u64,
    strength=u16,
    hits=u16,
    flags=u16,
    decoder_id=u32,
    extra=st.just(()),
    offset=st.just(0),
    version=st.just(2),
    header_flags=st.just(0),
)
records: st.SearchStrategy[P3Record] = st.one_of(
    passings,
    st.builds(
        P3Status,
        noise=opt(u16),
        temperature=opt(u16),
        input_voltage=opt(u8),
        gps=opt(u8),
        satellites=opt(u8),
        loop_triggers=opt(u8),
        decoder_id=opt(u32),
        extra=extras,
        offset=st.just(0),
        version=u8,
        header_flags=u16,
    ),
    st.builds(
        P3Version,
        description=st.none() | st.text(st.characters(max_codepoint=255), max_size=20),
        firmware=st.none() | st.text(st.characters(max_codepoint=255), max_size=20),
        decoder_type=opt(u8),
        release=opt(u32),
        registration=opt(u64),
        build_number=opt(u16),
        options=opt(u32),
        decoder_id=opt(u32),
        extra=extras,
        offset=st.just(0),
        version=u8,
        header_flags=u16,
    ),
    st.builds(
        P3Time,
        rtc_time=opt(u64),
        flags=opt(u16),
        decoder_id=opt(u32),
        extra=extras,
        offset=st.just(0),
        version=u8,
        header_flags=u16,
    ),
    st.builds(
        P3Unknown,
        record_type=st.sampled_from([0x0000, 0x0004, 0x0045, 0x1234, 0xFFFF]),
        fields=st.lists(st.builds(Tlv, u8, st.binary(max_size=10)), max_size=4).map(tuple),
        offset=st.just(0),
        version=u8,
        header_flags=u16,
    ),
)


def run(data: bytes, cuts: list[int]) -> list[P3Record | FrameError]:
    decoder = P3Decoder()
    out: list[P3Record | FrameError] = []
    previous = 0
    for cut in sorted(c % (len(data) + 1) for c in cuts):
        out.extend(decoder.feed(data[previous:cut]))
        previous = cut
    out.extend(decoder.feed(data[previous:]))
    out.extend(decoder.close())
    return out


@given(NOISY, st.lists(st.integers(0, 10_000), max_size=8))
def test_arbitrary_bytes_never_raise_and_chunking_never_matters(data: bytes, cuts: list[int]) -> None:
    whole = run(data, [])
    assert run(data, cuts) == whole
    for item in whole:
        assert isinstance(item, FrameError | P3Passing | P3Status | P3Version | P3Time | P3Unknown)
    with suppress(ParcFermeError):  # strict mode raises InputError, and nothing else
        decode_p3(data, "fuzz", strict=True)


@given(st.binary(max_size=600))
def test_uniform_random_bytes_never_raise(data: bytes) -> None:
    capture = decode_p3(data)
    accounted = capture.skipped + sum(len(e.raw) for e in capture.errors if e.kind == "truncated")
    assert accounted <= len(data)


@given(records)
def test_every_record_round_trips(record: P3Record) -> None:
    frame = encode_record(record)
    capture = decode_p3(frame)
    assert capture.errors == () and capture.records == (record,)
    assert encode_record(capture.records[0]) == frame


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(full_passings, min_size=3, max_size=8, unique_by=lambda r: r.passing_number),
    st.data(),
)
def test_one_damaged_frame_never_costs_its_neighbours(
    originals: list[P3Passing], data: st.DataObject
) -> None:
    frames = [encode_record(r) for r in originals]
    victim = data.draw(st.integers(0, len(frames) - 1), label="victim")
    frame = bytearray(frames[victim])
    at = data.draw(st.integers(0, len(frame) - 1), label="at")
    action = data.draw(st.sampled_from(["flip", "set", "insert", "delete"]), label="action")
    value = data.draw(st.one_of(u8, RESERVED), label="value")
    if action == "flip":
        frame[at] ^= 1 << (value % 8)
    elif action == "set":
        frame[at] = value
    elif action == "insert":
        frame.insert(at, value)
    else:
        del frame[at]
    stream = b"".join(frames[:victim]) + bytes(frame) + b"".join(frames[victim + 1 :])
    capture = decode_p3(stream)
    got = [r._replace(offset=0) for r in capture.records if isinstance(r, P3Passing)]
    expected = [r._replace(offset=0) for i, r in enumerate(originals) if i != victim]
    # every other frame decodes, in order; the damaged one decodes as itself or not at all
    assert [r for r in got if r != originals[victim]] == expected
    assert len(capture.records) in (len(originals) - 1, len(originals))
    if len(capture.records) == len(originals) - 1:
        assert capture.errors
