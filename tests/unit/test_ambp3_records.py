"""P3 records: each record type decoded into typed fields, unknown fields and types kept raw, round trips."""

from __future__ import annotations

from dataclasses import replace

import pytest

from parcferme.errors import InputError
from parcferme.formats.ambp3 import (
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
from parcferme.formats.ambp3_frame import encode_frame
from parcferme.formats.ambp3_records import decode_body, split_fields


def tlv(tag: int, value: bytes) -> bytes:
    return bytes((tag, len(value))) + value


def u(value: int, size: int) -> bytes:
    return value.to_bytes(size, "little")


def only(data: bytes) -> P3Record:
    capture = decode_p3(data)
    assert capture.errors == () and len(capture.records) == 1
    return capture.records[0]


def test_passing_fields_from_a_hand_built_body() -> None:
    body = (
        tlv(0x01, u(113736, 4))
        + tlv(0x03, u(2906141, 4))
        + tlv(0x04, u(1437769372993000, 8))
        + tlv(0x05, u(106, 2))
        + tlv(0x06, u(50, 2))
        + tlv(0x08, u(0, 2))
        + tlv(0x81, u(135059, 4))
    )
    frame = encode_frame(0x0001, body)
    assert only(frame) == P3Passing(113736, 2906141, 1437769372993000, 106, 50, 0, 135059, (), 0)
    assert encode_record(only(frame)) == frame


def test_passing_with_fields_in_another_order_missing_or_extra_takes_the_slow_path() -> None:
    body = (
        tlv(0x03, u(77, 4))
        + tlv(0x01, u(5, 4))
        + tlv(0x04, u(123, 8))
        + tlv(0x10, u(999, 8))  # UTC_TIME in public notes: not interpreted, kept raw
        + tlv(0x81, u(4001, 4))
    )
    record = only(encode_frame(0x0001, body))
    assert record == P3Passing(
        passing_number=5,
        transponder=77,
        rtc_time=123,
        decoder_id=4001,
        extra=(Tlv(0x10, u(999, 8)),),
        offset=0,
    )
    capture = decode_p3(encode_frame(0x0001, body))
    assert capture.unknown == {(0x0001, 0x10): 1}
    assert capture.describe_unknown() == ["PASSING field 0x10: 1"]
    # canonical re-encoding: the known fields in decoder order, then the extras, then DECODER_ID
    assert only(encode_record(record)) == record


def test_a_repeated_or_oddly_sized_known_field_is_kept_raw() -> None:
    body = tlv(0x01, u(5, 4)) + tlv(0x01, u(6, 4)) + tlv(0x05, b"") + tlv(0x06, u(1, 9))
    record = only(encode_frame(0x0001, body))
    assert isinstance(record, P3Passing)
    assert record.passing_number == 5 and record.strength is None and record.hits is None
    assert record.extra == (Tlv(0x01, u(6, 4)), Tlv(0x05, b""), Tlv(0x06, u(1, 9)))


def test_status_fields_in_the_order_decoders_send_them() -> None:
    body = tlv(0x01, u(30, 2)) + tlv(0x07, u(37, 2)) + tlv(0x0C, u(120, 1)) + tlv(0x06, u(0, 1))
    body += tlv(0x81, u(135059, 4))
    frame = encode_frame(0x0002, body)
    status = P3Status(noise=30, temperature=37, input_voltage=120, gps=0, decoder_id=135059, offset=0)
    assert only(frame) == status
    assert encode_record(status) == frame


def test_version_record() -> None:
    version = P3Version(
        decoder_type=3,
        description="ProChip decoder",
        firmware="4.2.1",
        release=20220501,
        registration=1 << 40,
        build_number=77,
        options=5,
        decoder_id=9,
    )
    assert only(encode_record(version)) == replace(version, offset=0)


def test_time_record() -> None:
    clock = P3Time(rtc_time=1_651_416_955_950_000, flags=1, decoder_id=9)
    assert only(encode_record(clock)) == P3Time(
        rtc_time=1_651_416_955_950_000, flags=1, decoder_id=9, offset=0
    )


def test_an_unknown_record_type_is_kept_raw_and_reported() -> None:
    record = P3Unknown(0x0045, (Tlv(0x01, b"\x01\x02"), Tlv(0x81, u(9, 4))), header_flags=3, version=2)
    data = encode_record(record)
    capture = decode_p3(data)
    assert capture.records == (P3Unknown(0x0045, record.fields, 0, 2, 3),)
    assert capture.records[0].name == "FIRST_CONTACT"  # type: ignore[union-attr]
    assert capture.unknown == {(0x0045, None): 1}
    assert capture.describe_unknown() == ["FIRST_CONTACT: 1"]
    assert P3Unknown(0x1234).name == "0x1234"


def test_header_version_and_flags_survive_a_round_trip() -> None:
    record = P3Passing(1, 2, 3, offset=0, version=3, header_flags=0x0102)
    data = encode_record(record)
    assert data[1] == 3
    assert only(data) == record


def test_fields_overrunning_the_body_are_a_frame_error() -> None:
    assert split_fields(b"\x01\x04\x00\x00") == 0
    assert split_fields(b"\x01\x01\x00\x05") == 3
    bad = decode_body(0x0001, b"\x01\x04\x00", 17, 2, 0)
    assert not isinstance(bad, P3Passing | P3Status | P3Version | P3Time | P3Unknown)
    assert bad.offset == 17 and bad.kind == "field" and "byte 0" in bad.message
    capture = decode_p3(encode_frame(0x0001, b"\x01\x04\x00"))
    assert [e.kind for e in capture.errors] == ["field"] and capture.records == ()


def test_values_too_large_for_the_usual_size_are_widened() -> None:
    record = P3Passing(passing_number=1 << 40, strength=70_000, offset=0)
    assert only(encode_record(record)) == record


@pytest.mark.parametrize(
    "record",
    [
        P3Passing(passing_number=-1),
        P3Passing(rtc_time=1 << 64),
        P3Version(description="Décodeur ✓"),
        P3Passing(extra=(Tlv(0x20, b"x" * 256),)),
        P3Unknown(0x45, (Tlv(0x100, b""),)),
    ],
)
def test_records_that_cannot_be_encoded_raise_input_error(record: P3Record) -> None:
    with pytest.raises(InputError):
        encode_record(record)
