"""Recognising a timing source from its content: every format the command line reads, and what is none."""

from __future__ import annotations

from pathlib import Path

import pytest

from parcferme.errors import InputError
from parcferme.formats.ambp3 import P3Passing, encode_record
from parcferme.formats.detect import FORMATS, detect_format
from parcferme.formats.event_folder import read_event
from parcferme.formats.event_json import write_event_json

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = FIXTURES / "mini-event"
ALKAMEL = FIXTURES / "alkamel" / "mini.csv"

CAPTURE = '##2025-04-26 14:00:00.000\n$B,5,"Club Race"\n$A,"3","3",7301,"Claire","Martin","FRA",1\n'


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("sims/201105_203000_R.json", "acc"),
        ("sims/2020_11_5_20_30_RACE.json", "ac"),
        ("sims/rf2_race.xml", "rf2"),
        ("sims/iracing_result.json", "iracing"),
        ("mini-event", "folder"),
    ],
)
def test_fixtures(relative: str, expected: str) -> None:
    assert detect_format(FIXTURES / relative) == expected
    assert expected in FORMATS


@pytest.mark.skipif(not ALKAMEL.is_file(), reason="no Al Kamel fixture")
@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "utf-16-le", "utf-16"])
def test_alkamel_by_its_header_in_any_encoding(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "23_Analysis_Race.CSV"
    path.write_bytes(ALKAMEL.read_text(encoding="utf-8-sig").encode(encoding))
    assert detect_format(path) == "alkamel"


def test_event_json(tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    write_event_json(path, read_event(MINI))
    assert detect_format(path) == "event-json"


@pytest.mark.parametrize(
    "text",
    [
        CAPTURE,
        "\ufeff" + CAPTURE,  # a BOM, as real captures have
        CAPTURE.replace("\n", "\r\n"),
        CAPTURE.split("\n", 1)[1],  # no timestamps
        '##2025-04-26 14:00:00.000|rmonitor\n$F,9999,"00:10:00","14:00:00","00:00:00","Green "\n',
    ],
)
def test_rmonitor_captures(text: str, tmp_path: Path) -> None:
    path = tmp_path / "feed.log"
    path.write_text(text, encoding="utf-8", newline="")
    assert detect_format(path) == "rmonitor"


def test_p3_by_its_start_byte(tmp_path: Path) -> None:
    path = tmp_path / "decoder.bin"
    path.write_bytes(
        encode_record(P3Passing(passing_number=1, transponder=1234, rtc_time=10**15, decoder_id=1))
    )
    assert detect_format(path) == "p3"


def test_p3_saved_by_a_terminal_program_after_its_header_line(tmp_path: Path) -> None:
    frame = encode_record(P3Passing(passing_number=1, transponder=1234, rtc_time=10**15, decoder_id=1))
    path = tmp_path / "putty.log"
    path.write_bytes(b"=~=~=~=~ PuTTY log 2022.05.01 14:55:57 =~=~=~=~\r\n" + frame * 3)
    assert detect_format(path) == "p3"
    path.write_bytes(b"two lines\nof text\n" + frame)  # more than one header line: not a capture
    with pytest.raises(InputError):
        detect_format(path)


@pytest.mark.parametrize(
    ("content", "what"),
    [
        (b"", "empty file"),
        (b"hello, world\n1,2,3\n", "not a format parcferme reads"),
        (b'{"hello": "world"}', "not a format parcferme reads"),
        (b'{"schema": "parcferme.results/1", "sessions": []}', "not a format parcferme reads"),
        (b"NUMBER,LAP_NUMBER,LAP_TIME\n", "not a format parcferme reads"),  # commas: not Al Kamel's ';'
        (b"\x00\x01\x02\xff" * 10, "not a format parcferme reads"),
    ],
)
def test_anything_else_is_an_input_error_listing_the_formats(
    content: bytes, what: str, tmp_path: Path
) -> None:
    path = tmp_path / "file.dat"
    path.write_bytes(content)
    with pytest.raises(InputError, match=what) as caught:
        detect_format(path)
    assert caught.value.source == str(path)
    assert "RMonitor capture" in str(caught.value) and "P3" in str(caught.value)


def test_a_folder_without_event_toml(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"without event\.toml"):
        detect_format(tmp_path)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        detect_format(tmp_path / "nothing.csv")
