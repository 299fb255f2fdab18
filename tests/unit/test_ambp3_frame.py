"""P3 framing: escaping, the CRC, and the stream decoder's handling of chunks and corrupted frames."""

from __future__ import annotations

import random

import pytest

from parcferme.errors import InputError
from parcferme.formats.ambp3 import P3Decoder, P3Passing, P3Status, decode_p3, encode_record
from parcferme.formats.ambp3_frame import (
    HEADER_SIZE,
    MAX_ESCAPED,
    FrameError,
    encode_frame,
    escape,
    frame_crc,
    unescape,
)


def reference_crc(frame: bytes) -> int:
    """The CRC bit by bit, as the real data showed it (ambp3_frame docstring): CCITT polynomial, register
    preset 0xFFFF, every bit shifted into the low end, CRC field zeroed, no zero bits appended."""
    register = 0xFFFF
    for byte in frame[:4] + b"\0\0" + frame[6:]:
        for bit in range(7, -1, -1):
            carry = register & 0x8000
            register = ((register << 1) | ((byte >> bit) & 1)) & 0xFFFF
            if carry:
                register ^= 0x1021
    return register


def passing(number: int = 1, **fields: int) -> P3Passing:
    values = {
        "passing_number": number,
        "transponder": 2_000_000 + number,
        "rtc_time": 1_700_000_000_000_000 + number * 61_234_567,
        "strength": 100,
        "hits": 40,
        "flags": 0,
        "decoder_id": 4001,
    }
    values.update(fields)
    return P3Passing(**values)  # type: ignore[arg-type]


def stream(count: int, seed: int = 1) -> tuple[bytes, list[P3Passing]]:
    rng = random.Random(seed)
    records = [
        passing(n, transponder=rng.randrange(1 << 32), rtc_time=rng.randrange(1 << 60)) for n in range(count)
    ]
    return b"".join(encode_record(r) for r in records), records


def decoded(data: bytes) -> tuple[list[object], list[FrameError]]:
    capture = decode_p3(data)
    return [r._replace(offset=-1) if isinstance(r, P3Passing) else r for r in capture.records], list(
        capture.errors
    )


def test_frame_layout_header_length_and_crc() -> None:
    frame = unescape(encode_frame(0x0001, b"\x01\x04\x48\xbc\x01\x00"))
    assert isinstance(frame, bytes)
    assert frame[0] == 0x8E and frame[-1] == 0x8F
    assert frame[1] == 2  # version
    assert int.from_bytes(frame[2:4], "little") == len(frame) == HEADER_SIZE + 6 + 1
    assert int.from_bytes(frame[8:10], "little") == 0x0001
    assert int.from_bytes(frame[4:6], "little") == frame_crc(frame) == reference_crc(frame)


@pytest.mark.parametrize("seed", range(20))
def test_fast_crc_equals_the_bitwise_definition(seed: int) -> None:
    rng = random.Random(seed)
    body = rng.randbytes(rng.randrange(0, 200))
    frame = b"\x8e\x02" + (len(body) + 11).to_bytes(2, "little") + rng.randbytes(6) + body + b"\x8f"
    assert frame_crc(frame) == reference_crc(frame)


def test_reserved_bytes_are_escaped_and_only_them() -> None:
    inner = bytes([0x01, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F, 0x90])
    escaped = escape(b"\x8e" + inner + b"\x8f")
    assert escaped == b"\x8e\x01\x8a\x8b\x8c\x8d\xad\x8d\xae\x8d\xaf\x90\x8f"
    assert unescape(escaped) == b"\x8e" + inner + b"\x8f"


def test_a_crc_or_length_holding_a_reserved_byte_is_escaped_too() -> None:
    # find a record whose CRC contains 0x8E or 0x8F, like the real status frame 1437857960_0
    for n in range(2000):
        frame = encode_record(passing(n))
        plain = unescape(frame)
        assert isinstance(plain, bytes)
        if {plain[4], plain[5]} & {0x8D, 0x8E, 0x8F}:
            assert b"\x8d" in frame[4:8]
            assert decode_p3(frame).records[0] == passing(n)._replace(offset=0)
            return
    pytest.fail("no CRC with a reserved byte in 2000 frames")


def test_escapes_of_the_whole_reserved_range_are_accepted_others_rejected() -> None:
    assert unescape(b"\x8e\x8d\xaa\x8d\xac\x8f") == b"\x8e\x8a\x8c\x8f"
    assert unescape(b"\x8e\x01\x8d\x41\x8f") == 2  # index of the bad escape
    assert unescape(b"\x8e\x01\x8d\x8d\xad\x8f") == 2  # two escapes in a row
    assert unescape(b"\x8e\x01\x8d") == 2  # escape at the very end


def test_stream_in_any_chunking_gives_the_same_records() -> None:
    data, records = stream(60)
    whole, errors = decoded(data)
    assert whole == records and errors == []
    rng = random.Random(5)
    for _ in range(20):
        decoder = P3Decoder()
        got: list[object] = []
        i = 0
        while i < len(data):
            step = rng.choice((1, 2, 3, 7, 50, 51, 52, 200, 4096))
            got.extend(decoder.feed(data[i : i + step]))
            i += step
        got.extend(decoder.close())
        assert [r._replace(offset=-1) for r in got if isinstance(r, P3Passing)] == records
        assert decoder.errors == 0 and decoder.records == 60 and decoder.offset == len(data)


def test_one_byte_at_a_time() -> None:
    data, records = stream(5)
    decoder = P3Decoder()
    got = [item for b in data for item in decoder.feed(bytes([b]))]
    assert [r._replace(offset=-1) for r in got if isinstance(r, P3Passing)] == records


def test_offsets_count_escaped_bytes_and_skipped_garbage() -> None:
    frames = [encode_record(passing(n)) for n in range(4)]
    data = b"junk" + frames[0] + b"\r\n" + b"".join(frames[1:])
    capture = decode_p3(data)
    expected, at = [], 4
    for i, frame in enumerate(frames):
        expected.append(at)
        at += len(frame) + (2 if i == 0 else 0)
    assert [r.offset for r in capture.records] == expected
    assert capture.skipped == 6 and capture.errors == ()


def _corrupt(kind: str) -> bytes:
    """A frame of passing 7 damaged in one way; changes are made unescaped, then the frame is re-escaped."""
    plain = unescape(encode_record(passing(7)))
    assert isinstance(plain, bytes)
    frame = bytearray(plain)
    if kind == "crc":
        frame[20] ^= 0x01  # a single bit: a CRC always catches it
    elif kind == "length":
        del frame[25]
    elif kind == "escape":
        return escape(bytes(frame))[:20] + b"\x8d\x41" + escape(bytes(frame))[20:]
    elif kind == "short":
        return b"\x8e\x02\x05\x00\x8f"
    return escape(bytes(frame))


@pytest.mark.parametrize("kind", ["crc", "escape", "length", "short"])
def test_a_corrupted_frame_is_reported_with_its_offset_and_its_neighbours_survive(kind: str) -> None:
    before, after = encode_record(passing(1)), encode_record(passing(2))
    bad = _corrupt(kind)
    data = before + bad + after
    records, errors = decoded(data)
    assert records == [passing(1), passing(2)]
    assert [(e.offset, e.kind) for e in errors] == [(len(before), kind)]
    with pytest.raises(InputError, match=f"byte {len(before)}: ") as info:
        decode_p3(data, "capture.bin", strict=True)
    assert info.value.source == "capture.bin" and info.value.field == kind


def test_truncated_frames_resync_at_the_next_start_byte() -> None:
    one, two, three = (encode_record(passing(n)) for n in (1, 2, 3))
    data = one + two[:20] + three + two[:30]  # cut mid-frame, then the stream ends mid-frame
    records, errors = decoded(data)
    assert records == [passing(1), passing(3)]
    assert [(e.offset, e.kind) for e in errors] == [
        (len(one), "truncated"),
        (len(one) + 20 + len(three), "truncated"),
    ]
    decoder = P3Decoder()
    assert len(decoder.feed(two[:30])) == 0
    assert [e.kind for e in decoder.close() if isinstance(e, FrameError)] == ["truncated"]


def test_an_endless_frame_is_dropped_not_buffered_forever() -> None:
    decoder = P3Decoder()
    out = decoder.feed(b"\x8e" + b"\x00" * (MAX_ESCAPED + 10))
    assert [e.kind for e in out if isinstance(e, FrameError)] == ["truncated"]
    assert decoder.feed(encode_record(passing(1)))[0] == passing(1)._replace(offset=MAX_ESCAPED + 11)


def test_end_bytes_outside_a_frame_are_reported_as_frames_that_lost_their_start() -> None:
    frame = encode_record(passing(1))
    data = b"ab\x8f\x8f" + frame + frame[1:]
    capture = decode_p3(data)
    assert len(capture.records) == 1 and capture.skipped == 4 + len(frame) - 1
    assert [(e.offset, e.kind) for e in capture.errors] == [
        (2, "start"),
        (3, "start"),
        (len(data) - 1, "start"),
    ]


def test_status_and_passing_frames_interleave() -> None:
    status = P3Status(noise=30, temperature=37, input_voltage=120, gps=0, decoder_id=4001)
    data = encode_record(status) + encode_record(passing(1)) + encode_record(status)
    capture = decode_p3(data)
    assert [type(r).__name__ for r in capture.records] == ["P3Status", "P3Passing", "P3Status"]
    assert capture.passings == (passing(1)._replace(offset=len(encode_record(status))),)


def test_encode_frame_rejects_what_does_not_fit() -> None:
    with pytest.raises(InputError):
        encode_frame(0x0001, b"\x00" * 70_000)
    with pytest.raises(InputError):
        encode_frame(0x10000, b"")
