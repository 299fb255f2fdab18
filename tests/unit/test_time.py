import pytest
from hypothesis import given
from hypothesis import strategies as st

from parcferme.model.time import Gap, format_gap, format_time, parse_gap, parse_time


@pytest.mark.parametrize(
    ("text", "micros"),
    [
        ("2:23.998", 143_998_000),
        ("2:22.773", 142_773_000),
        ("1:01:44.742", 3_704_742_000),
        ("59.1", 59_100_000),
        ("83", 83_000_000),
        ("0:00.000001", 1),
        ("25:10:04.5", (25 * 3600 + 10 * 60 + 4) * 1_000_000 + 500_000),
    ],
)
def test_parse_time(text: str, micros: int) -> None:
    assert parse_time(text) == micros


@pytest.mark.parametrize("text", ["", "2:60.000", "1:61:00", "abc", "1.2.3", "-5", "2:23.9999999"])
def test_parse_time_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="not a time"):
        parse_time(text)


@pytest.mark.parametrize(
    ("micros", "text"),
    [
        (143_998_000, "2:23.998"),
        (143_998_999, "2:23.998"),  # truncated, never rounded
        (3_704_742_000, "1:01:44.742"),
        (12_345_000, "12.345"),
        (0, "0.000"),
    ],
)
def test_format_time(micros: int, text: str) -> None:
    assert format_time(micros) == text


def test_gaps() -> None:
    assert format_gap(Gap(time=12_345_000)) == "+12.345"
    assert format_gap(Gap(time=62_004_000)) == "+1:02.004"
    assert format_gap(Gap(laps=1, time=150_000_000)) == "+1 Lap"
    assert format_gap(Gap(laps=2)) == "+2 Laps"
    assert parse_gap("+1 Lap") == Gap(laps=1)
    assert parse_gap("+2 Laps") == Gap(laps=2)
    assert parse_gap("+12.345") == Gap(time=12_345_000)
    with pytest.raises(ValueError):
        parse_gap("12.345")


@given(st.integers(min_value=0, max_value=48 * 3600 * 1_000_000))
def test_format_parse_round_trip_to_the_millisecond(micros: int) -> None:
    assert parse_time(format_time(micros)) == micros // 1000 * 1000
