"""RMonitor records: every record type, quoting, times, unknown records, bad lines; writing and fuzzing."""

from __future__ import annotations

import contextlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcferme.errors import ParcFermeError
from parcferme.formats.rmonitor_records import (
    BestLapPosition,
    ClassInfo,
    Competitor,
    CompetitorExt,
    FeedError,
    Heartbeat,
    Init,
    LinePassing,
    RacePosition,
    Record,
    RunInfo,
    Setting,
    UnknownRecord,
    format_clock,
    format_record,
    parse_clock,
    parse_record,
)

S = 1_000_000

EXAMPLES: list[tuple[str, Record]] = [
    (
        '$A,"1234BE","12X",52474,"John","Johnson","USA",5',
        Competitor("1234BE", "12X", "52474", "John", "Johnson", "USA", 5),
    ),
    (
        '$COMP,"1234BE","12X",5,"John","Johnson","USA","CAMEL"',
        CompetitorExt("1234BE", "12X", 5, "John", "Johnson", "USA", "CAMEL"),
    ),
    ('$B,5,"Friday free practice"', RunInfo(5, "Friday free practice")),
    ('$C,5,"Formula 300"', ClassInfo(5, "Formula 300")),
    ('$E,"TRACKNAME","Indianapolis Motor Speedway"', Setting("TRACKNAME", "Indianapolis Motor Speedway")),
    ('$F,14,"00:12:45","13:34:23","00:09:47","Green "', Heartbeat(14, 765 * S, 48863 * S, 587 * S, "Green")),
    ('$G,3,"1234BE",14,"01:12:47.872"', RacePosition(3, "1234BE", 14, 4367872000)),
    ('$G,10,"89",,"00:00:00.000"', RacePosition(10, "89", None, 0)),
    ('$H,2,"1234BE",3,"00:02:17.872"', BestLapPosition(2, "1234BE", 3, 137872000)),
    ('$I,"16:36:08.000","12 jan 01"', Init(59768 * S, "12 jan 01")),
    ('$I, "00:00:00", "0/0/0000"', Init(0, "0/0/0000")),
    ('$J,"1234BE","00:02:03.826","01:42:17.672"', LinePassing("1234BE", 123826000, 6137672000)),
]


@pytest.mark.parametrize(("line", "record"), EXAMPLES)
def test_every_record_type_reads(line: str, record: Record) -> None:
    assert parse_record(line) == record


@pytest.mark.parametrize(("line", "record"), EXAMPLES)
def test_records_write_back_to_lines_that_read_the_same(line: str, record: Record) -> None:
    assert parse_record(format_record(record)) == record


def test_the_heartbeat_pads_the_flag_as_orbits_does() -> None:
    assert format_record(Heartbeat(9999, 0, 0, 0, "")).endswith(',"      "')
    assert format_record(Heartbeat(9999, 0, 0, 0, "Green")).endswith(',"Green "')


def test_quoted_commas_and_doubled_quotes() -> None:
    record = parse_record('$A,"7","7",123,"Smith, ""Smithy""","Racing, Inc.","",2')
    assert record == Competitor("7", "7", "123", 'Smith, "Smithy"', "Racing, Inc.", "", 2)
    assert parse_record(format_record(record)) == record


def test_numbers_stay_strings_where_they_are_names() -> None:
    record = parse_record('$J,"007","00:01:00.000","00:05:00.000"')
    assert isinstance(record, LinePassing) and record.reg == "007"


@pytest.mark.parametrize(
    ("text", "micros"),
    [
        ("00:02:25.077", 145_077_000),
        ("08:00:00", 28_800 * S),
        ("25:00:01.5", (90_001 * S) + 500_000),  # a 24-hour race runs past 24 h
        ("100:00:00.000", 360_000 * S),
        ("00:00:-47", -47 * S),  # Orbits' countdown before the start
        ("-00:00:05.000", -5 * S),
        ("0:01:02.123456", 62_123_456),
    ],
)
def test_clock_times(text: str, micros: int) -> None:
    assert parse_clock(text) == micros


@pytest.mark.parametrize(
    "text", ["", "12", "1:2", "ab:cd:ef", "00:00:00.0000000", "00:02:25+01:00", "00:02:25Z"]
)
def test_bad_clock_times(text: str) -> None:
    with pytest.raises(ValueError):
        parse_clock(text)


def test_clock_formatting_truncates() -> None:
    assert format_clock(145_077_999) == "00:02:25.077"
    assert format_clock(90_001 * S, millis=False) == "25:00:01"
    assert format_clock(-47 * S, millis=False) == "-00:00:47"


@pytest.mark.parametrize(
    "line",
    ['$SP,"1","S1","00:00:31.000"', '$SR,"1",2', '$COR,"123BE","658",2,"00:00:35.272","+00:00:00.012"'],
)
def test_unknown_records_are_kept(line: str) -> None:
    record = parse_record(line)
    assert isinstance(record, UnknownRecord)
    assert record.tag == line.split(",")[0]
    assert parse_record(format_record(record)) == record


def test_extra_trailing_fields_are_ignored() -> None:
    assert parse_record('$B,5,"Race","later addition"') == RunInfo(5, "Race")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("Change to 60 seconds later", "not an RMonitor record"),
        ("", "not an RMonitor record"),
        ("$", "not an RMonitor record"),
        ('$COMP,"27","27",3,"MS2 ', "quoting"),  # a capture that ends mid-line
        ('$G,3,"1"', "fields"),
        ('$G,x,"1",2,"00:01:00.000"', "bad $G record"),
        ('$J,"1","soon","00:01:00.000"', "not a time"),
        ('$B,"five","Race"', "bad $B"),
    ],
)
def test_bad_lines_raise_feed_errors(line: str, words: str) -> None:
    with pytest.raises(FeedError, match=re.escape(words)) as info:
        parse_record(line)
    located = info.value.located("feed.txt", 12)
    assert str(located).startswith("feed.txt:12")
    assert isinstance(located, ParcFermeError)


# --- properties ----------------------------------------------------------------------------------------

names = st.text(st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12)
keys = st.text("0123456789ABCXYZ?-", min_size=1, max_size=5)
digits = st.text("0123456789", max_size=8)
small = st.integers(0, 9999)
times = st.integers(0, 200 * 3600 * S).map(lambda t: t // 1000 * 1000)  # the protocol carries ms
seconds = st.integers(-60, 30 * 3600).map(lambda t: t * S)
flags = st.sampled_from(["", "Green", "Yellow", "Red", "Finish"])

records = st.one_of(
    st.builds(Competitor, keys, keys, digits, names, names, names, small),
    st.builds(CompetitorExt, keys, keys, small, names, names, names, names),
    st.builds(RunInfo, small, names),
    st.builds(ClassInfo, small, names),
    st.builds(Setting, names, names),
    st.builds(Heartbeat, small, seconds, seconds, seconds, flags),
    st.builds(RacePosition, small, keys, st.none() | small, times),
    st.builds(BestLapPosition, small, keys, small, times),
    st.builds(Init, times, st.sampled_from(["", "0/0/0000", "12 jan 01"])),
    st.builds(LinePassing, keys, times, times),
)


@settings(max_examples=300)
@given(records)
def test_writing_then_reading_gives_back_the_record(record: Record) -> None:
    line = format_record(record)
    assert "\n" not in line and "\r" not in line
    assert parse_record(line) == record


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_arbitrary_text_raises_nothing_but_feed_errors(text: str) -> None:
    with contextlib.suppress(FeedError):
        parse_record(text)


@settings(max_examples=300)
@given(st.sampled_from([line for line, _ in EXAMPLES]), st.data())
def test_mutated_lines_raise_nothing_but_feed_errors(line: str, data: st.DataObject) -> None:
    chars = list(line)
    for _ in range(data.draw(st.integers(1, 4))):
        i = data.draw(st.integers(0, len(chars)))
        action = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        c = data.draw(st.sampled_from([",", '"', ":", ".", "-", "9", "x", " ", "\x00", "é"]))
        if action == "insert":
            chars.insert(i, c)
        elif chars and i < len(chars):
            if action == "delete":
                del chars[i]
            else:
                chars[i] = c
    with contextlib.suppress(FeedError):
        parse_record("".join(chars))
