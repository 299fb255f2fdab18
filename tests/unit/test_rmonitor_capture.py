"""RMonitor capture files: stamps or none, BOM, mixed line endings, foreign blocks, bad lines kept apart."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcferme.errors import FeedError, InputError
from parcferme.formats.rmonitor_capture import parse_capture, read_capture, read_records, records
from parcferme.formats.rmonitor_records import Heartbeat, LinePassing, RacePosition

STAMPED = (
    "\ufeff##2025-04-26 13:58:48.222\r\n"
    '$F,9999,"08:00:00","08:58:48","00:00:00","      "\r\r\n'
    "\r\n"
    "##2025-04-26 13:58:49.234\r\n"
    '$J,"70","00:00:00.000","00:00:55.099"\r\n'
    "Change to 60 seconds later\r\n"
    '$G,1,"70",,"00:00:55.099"\r\n'
)


def test_a_stamped_capture_keeps_each_block_stamp_and_line_numbers() -> None:
    capture = parse_capture(STAMPED.encode("utf-8"), "race.txt")
    assert [line.number for line in capture.lines] == [2, 5, 6, 7]
    first, passing = capture.lines[0], capture.lines[1]
    assert passing.stamp is not None and first.stamp is not None
    assert passing.stamp - first.stamp == 1_012_000
    assert capture.stamped and capture.issues == ()


def test_a_bad_line_is_reported_between_good_records() -> None:
    items = list(records(parse_capture(STAMPED, "race.txt")))
    kinds = [type(item).__name__ for _, item in items]
    assert kinds == ["Heartbeat", "LinePassing", "FeedError", "RacePosition"]
    error = items[2][1]
    assert isinstance(error, FeedError) and (error.source, error.line) == ("race.txt", 6)
    assert "race.txt:6" in str(error)


def test_a_capture_without_stamps() -> None:
    text = '$B,1,"Race"\n$J,"7","00:01:00.000","00:01:00.000"\n'
    capture = parse_capture(text)
    assert [line.stamp for line in capture.lines] == [None, None]
    assert not capture.stamped


def test_foreign_blocks_of_a_mixed_capture_are_skipped_and_counted() -> None:
    text = (
        "##2026-08-02 12:59:29.363|flags\n"
        '[{"f":1}]\n'
        "##2026-08-02 13:08:45.374|rmonitor\n"
        '$F,9999,"06:50:43","09:08:45","00:09:16","Green "\n'
        "##2026-08-02 13:08:45.586|ftcar\n"
        '[{"carNumber":"442"}]\n'
        '[{"carNumber":"316"}]\n'
    )
    capture = parse_capture(text, "mixed.txt")
    assert [line.number for line in capture.lines] == [4]
    assert sorted(str(issue) for issue in capture.issues) == [
        "mixed.txt: 1 lines of 'flags' blocks skipped (not RMonitor)",
        "mixed.txt: 2 lines of 'ftcar' blocks skipped (not RMonitor)",
    ]


def test_a_truncated_stamp_is_reported_and_the_lines_after_it_kept() -> None:
    capture = parse_capture('##2025-04-26 13:58:48.222\n$B,1,"R"\n##2025-1\n$B,2,"S"\n', "cut.txt")
    assert [line.text for line in capture.lines] == ['$B,1,"R"', '$B,2,"S"']
    assert capture.lines[1].stamp == capture.lines[0].stamp  # the last good stamp holds
    assert [issue.line for issue in capture.issues] == [3]


def test_a_line_that_is_not_utf8_is_read_as_latin1_and_reported() -> None:
    data = b'$A,"7","7",1,"Ren\xe9","","",1\n$B,1,"Race"\n'
    capture = parse_capture(data, "latin.txt")
    assert capture.lines[0].text == '$A,"7","7",1,"René","","",1'
    assert [issue.line for issue in capture.issues] == [1]


def test_a_lone_carriage_return_splits_a_line() -> None:
    capture = parse_capture('$B,1,"R"\r$B,2,"S"\n')
    assert [(line.number, line.text) for line in capture.lines] == [(1, '$B,1,"R"'), (1, '$B,2,"S"')]


def test_read_records_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "feed.txt"
    path.write_bytes(STAMPED.encode("utf-8"))
    good, issues = read_records(path)
    assert [type(record) for _, record in good] == [Heartbeat, LinePassing, RacePosition]
    assert [issue.line for issue in issues] == [6]


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the capture"):
        read_capture(tmp_path / "nope.txt")


@settings(max_examples=200)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_records_or_feed_errors(data: bytes) -> None:
    capture = parse_capture(data, "fuzz")
    for _, item in records(capture):
        assert isinstance(item, tuple | FeedError)
