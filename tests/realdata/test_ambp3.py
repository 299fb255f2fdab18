"""The P3 decoder on real MYLAPS/AMB decoder bytes: every value of ../shared/data/amb_p3/EXPECTED.md.

The data (GPL) is read where it lies and never copied. Values marked "derived" are not in EXPECTED.md: they
are what this decoder reads from the capture, kept as a regression check and explained where they come from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcferme.engine import build_laps
from parcferme.errors import InputError
from parcferme.formats.ambp3 import (
    P3Passing,
    P3Record,
    P3Status,
    PassingResolver,
    decode_p3,
    encode_record,
    read_p3_file,
    to_passings,
)
from parcferme.formats.ambp3_frame import HEADER, frame_crc, unescape
from parcferme.model import RuleSet, Schedule, Session, SessionKind

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "amb_p3"
TESTS = DATA / "tests" / "test_data"
LOG = TESTS / "amb-2022-05-01 145557-10.33.11.50.log"

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"real P3 data not found at {DATA}")

SPAN = re.compile(rb"\x8e[^\x8e\x8f]*\x8f")  # one frame as sent: SOR and EOR never occur inside


def every_file() -> list[Path]:
    if not DATA.is_dir():
        return []
    return sorted(p for p in DATA.rglob("*") if p.is_file() and p.name not in ("EXPECTED.md", "LICENSE"))


def test_good_passing_header_and_fields() -> None:
    raw = (TESTS / "good_passing").read_bytes()
    plain = unescape(raw)
    assert isinstance(plain, bytes)
    _, version, length, crc, flags, record_type = HEADER.unpack_from(plain)
    assert (version, length, f"{crc:04x}", flags, record_type) == (2, 51, "c79e", 0, 1)
    assert raw.hex() == (
        "8e0233009ec700000100010448bc010003041d582c000408e805bfc4a41b050005026a0006023200080200008104930f02008f"
    )
    capture = read_p3_file(TESTS / "good_passing", strict=True)
    assert capture.records == (P3Passing(113736, 2906141, 1437769372993000, 106, 50, 0, 135059, (), 0, 2, 0),)
    rtc = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=1437769372993000)
    assert rtc.isoformat(timespec="milliseconds") == "2015-07-24T20:22:52.993+00:00"
    passing = PassingResolver(dt.date(2015, 7, 24)).resolve(capture.passings[0])
    assert passing is not None
    assert passing.time == (20 * 3600 + 22 * 60 + 52) * 1_000_000 + 993_000
    assert (passing.car, passing.transponder, passing.seq) == ("2906141", "2906141", 113736)


def test_multi_holds_ten_records() -> None:
    assert len(read_p3_file(TESTS / "multi", strict=True).records) == 10


def test_an_escaped_crc_byte_unescapes_to_0x8f() -> None:
    raw = (TESTS / "1437857960_0").read_bytes()
    plain = unescape(raw)
    assert isinstance(plain, bytes) and plain[5] == 0x8F
    assert len(read_p3_file(TESTS / "1437857960_0", strict=True).records) == 1


def test_leading_noise_is_skipped() -> None:
    raw = (TESTS / "need_trimming").read_bytes()
    capture = read_p3_file(TESTS / "need_trimming", strict=True)
    (record,) = capture.records
    assert capture.skipped == 9 == record.offset
    frame = raw[record.offset :]
    assert frame[:3] == b"\x8e\x02\x33" and frame[-3:] == b"\x02\x00\x8f"


def test_status_is_not_a_passing() -> None:
    capture = read_p3_file(TESTS / "status", strict=True)
    (record,) = capture.records
    assert isinstance(record, P3Status)
    assert to_passings(capture.records, PassingResolver(dt.date(2015, 7, 24))) == ()


@pytest.mark.parametrize("name", ["bad_passing", "missing_strength", "first", "last"])
def test_edge_case_single_records(name: str) -> None:
    capture = read_p3_file(TESTS / name, strict=True)
    (record,) = capture.records
    # derived: "first" is a STATUS record, the others are complete PASSING records
    assert isinstance(record, P3Status if name == "first" else P3Passing)
    if isinstance(record, P3Passing):
        assert None not in record[:7] and record.decoder_id == 135059


def test_the_tcp_capture_spans_are_all_accounted_for() -> None:
    raw = LOG.read_bytes()
    assert len(raw) == 3083
    spans = list(SPAN.finditer(raw))
    capture = read_p3_file(LOG)
    assert len(capture.records) + len(capture.errors) == len(spans) == 67
    assert sum(len(m.group()) for m in spans) + capture.skipped == len(raw)
    assert sorted([r.offset for r in capture.records] + [e.offset for e in capture.errors]) == [
        m.start() for m in spans
    ]
    # derived: the 79 skipped bytes are PuTTY's log header line and its CRLF
    assert capture.skipped == 79 and raw[:79].startswith(b"=~=~=~=~") and raw[77:79] == b"\r\n"


def test_the_frame_damaged_by_the_telnet_capture_is_reported_and_its_neighbours_kept() -> None:
    capture = read_p3_file(LOG)
    # derived: a CR NUL pair in this frame's CRC lost its NUL in PuTTY's telnet session: 50 bytes for 51
    (error,) = capture.errors
    assert (error.offset, error.kind) == (478, "length")
    assert error.raw[4:6] == b"\x78\x0d" and len(error.raw) == 50
    with pytest.raises(InputError, match="byte 478: frame length is 50 bytes, its header says 51"):
        read_p3_file(LOG, strict=True)
    numbers = [p.passing_number for p in capture.passings]
    assert len(numbers) == 45
    missing = set(range(numbers[0], numbers[-1] + 1)) - set(numbers)
    assert missing == {int.from_bytes(error.raw[11:15], "little")} == {711881}


def test_every_real_frame_verifies_its_crc_and_re_encodes_byte_for_byte() -> None:
    frames = 0
    for path in every_file():
        raw = path.read_bytes()
        capture = decode_p3(raw, path.name)
        for record in capture.records:
            frame = encode_record(record)
            assert raw[record.offset : record.offset + len(frame)] == frame, (path.name, record.offset)
            plain = unescape(frame)
            assert isinstance(plain, bytes) and HEADER.unpack_from(plain)[3] == frame_crc(plain)
            frames += 1
    assert frames == 87  # 66 in the capture, 10 in multi, 8 single-record files, 3 emulator records


def test_emulator_records() -> None:
    for path in sorted((DATA / "emulator" / "emulator_data").iterdir()):
        assert len(path.read_bytes()) == 32
        (record,) = read_p3_file(path, strict=True).records
        assert isinstance(record, P3Status) and record.decoder_id == 135059


def test_the_capture_gives_laps() -> None:
    capture = read_p3_file(LOG)
    passings = to_passings(capture.records, PassingResolver(dt.date(2022, 5, 1)))
    # derived: the decoder clock reads 14:55:55.950 as UTC — the capture's own header says 14:55:57 local
    # time, so this decoder's clock was set to local time: µs "since the epoch" then give local time of day
    assert passings[0].time == (14 * 3600 + 55 * 60 + 55) * 1_000_000 + 950_000
    session = Session(
        "P1",
        SessionKind.PRACTICE,
        "Practice",
        Schedule(dt.date(2022, 5, 1), passings[0].time - 1, 3600 * 10**6),
    )
    built = build_laps(passings, session, RuleSet("kart"))
    assert built.warnings == ()
    assert len({p.car for p in passings}) == 10 and len(built.laps) == 35
    assert all(21_000_000 < lap.time < 38_000_000 for lap in built.laps)  # a kart track: ~22 s laps


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_mutated_real_frames_never_cost_their_neighbours(data: st.DataObject) -> None:
    raw = LOG.read_bytes()
    clean = read_p3_file(LOG)
    spans = [m.span() for m in SPAN.finditer(raw)]
    index = data.draw(st.integers(0, len(spans) - 1), label="frame")
    start, end = spans[index]
    at = data.draw(st.integers(start, end - 1), label="at")
    value = data.draw(st.integers(0, 255) | st.sampled_from([0x8D, 0x8E, 0x8F]), label="value")
    action = data.draw(st.sampled_from(["set", "insert", "delete"]), label="action")
    mutated = bytearray(raw)
    if action == "set":
        mutated[at] = value
    elif action == "insert":
        mutated.insert(at, value)
    else:
        del mutated[at]
    got = [_placeless(r) for r in decode_p3(bytes(mutated)).records]
    before = [_placeless(r) for r in clean.records]
    damaged = [i for i, r in enumerate(clean.records) if r.offset == start]
    # every other frame still decodes, in order; the damaged one decodes unchanged or not at all
    assert got == before or (damaged and got == before[: damaged[0]] + before[damaged[0] + 1 :])


def _placeless(record: P3Record) -> P3Record:
    return (
        record._replace(offset=-1) if isinstance(record, P3Passing | P3Status) else replace(record, offset=-1)
    )
