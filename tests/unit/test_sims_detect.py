"""Recognising the game that wrote a file, and the errors of reading one."""

from __future__ import annotations

from pathlib import Path

import pytest

from parcferme.errors import InputError
from parcferme.formats.sims import MAX_BYTES, detect, parse_sim_result, read_sim_result

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sims"


@pytest.mark.parametrize(
    ("name", "game"),
    [
        ("201105_203000_R.json", "acc"),
        ("2020_11_5_20_30_RACE.json", "ac"),
        ("rf2_race.xml", "rf2"),
        ("iracing_result.json", "iracing"),
    ],
)
def test_detect(name: str, game: str) -> None:
    assert detect(FIXTURES / name) == game
    assert read_sim_result(FIXTURES / name).game.value == game


def test_detect_acc_in_utf16_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "191003_235558_R.json"
    path.write_bytes((FIXTURES / "201105_203000_R.json").read_text("utf-8").encode("utf-16-le"))
    assert detect(path) == "acc"


def test_an_unknown_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text('{"hello": "world"}')
    with pytest.raises(InputError, match="not a sim result file") as caught:
        detect(path)
    assert caught.value.source == str(path)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_sim_result(tmp_path / "nowhere.json")


def test_a_huge_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.seek(MAX_BYTES + 1)
        handle.write(b"\n")
    with pytest.raises(InputError, match="larger than"):
        read_sim_result(path)


def test_the_game_can_be_named() -> None:
    data = (FIXTURES / "iracing_result.json").read_bytes()
    assert parse_sim_result(data, "x.json", "IRACING").game.value == "iracing"
    with pytest.raises(InputError, match="unknown game"):
        parse_sim_result(data, "x.json", "gran-turismo")
    with pytest.raises(InputError):  # iRacing JSON read as ACC: names the missing ACC field
        parse_sim_result(data, "x.json", "acc")
