"""The Ergast reader on hand-made CSVs (tests/fixtures/ergast-mini: the schema of the real files, values made
up): seasons, shared drives, sprints, unheld rounds, official standings, and clear errors on bad data."""

from __future__ import annotations

import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcferme.engine.standings import season_standings
from parcferme.errors import InputError, ParcFermeError
from parcferme.formats.ergast import read_ergast, read_official_standings
from parcferme.model.championship import Table
from parcferme.model.results import Status
from parcferme.rules.points_loader import f1_decisions, f1_rules

MINI = Path(__file__).parents[1] / "fixtures" / "ergast-mini"


def test_seasons_rounds_and_sessions() -> None:
    seasons = read_ergast(MINI)
    assert sorted(seasons) == [1955, 2021, 2025]
    s2021 = seasons[2021]
    assert [r.number for r in s2021.rounds] == [1, 2]
    assert [(s.id, s.kind) for s in s2021.rounds[0].sessions] == [("S", "sprint"), ("R", "race")]
    assert not s2021.rounds[1].held and s2021.final_round == 2  # a round on the schedule, not yet run
    assert seasons[2025].rounds[0].name == "Australian Grand Prix"  # a row with its trailing cells left out
    assert (
        s2021.drivers["max_verstappen"].name == "Max Verstappen" and s2021.drivers["hamilton"].short == "HAM"
    )
    assert s2021.teams["red_bull"].name == "Red Bull"
    assert sorted(read_ergast(MINI, seasons=[1955])) == [1955]


def test_results_statuses_laps_and_shared_drives() -> None:
    race = read_ergast(MINI)[1955].rounds[0].sessions[0]
    cars = {r.car: r for r in race.results}
    assert cars["12"].drivers == ("gonzalez", "farina", "trintignant")  # one car, three drivers
    assert cars["10"].drivers == ("farina", "trintignant")
    assert (cars["12"].position, cars["12"].order, cars["12"].team) == (2, 2, "ferrari")
    assert (cars["14"].status, cars["14"].position, cars["14"].laps) == (Status.DNF, None, 36)
    monaco = {r.car: r for r in read_ergast(MINI)[1955].rounds[1].sessions[0].results}
    assert monaco["40"].status is Status.DNS  # W: withdrew
    british = {r.car: r for r in read_ergast(MINI)[2021].rounds[0].sessions[1].results}
    assert (british["77"].best_lap, british["77"].best_lap_number) == (89_699_000, 40)
    assert british["33"].best_lap is None and british["33"].grid == 1


def test_standings_from_the_mini_files() -> None:
    seasons = read_ergast(MINI)
    y1955 = season_standings(seasons[1955], f1_rules(1955), decisions=f1_decisions())
    first = y1955[Table.DRIVERS].after(1)
    assert first is not None
    assert {r.competitor: r.points for r in first.rows} == {
        "fangio": 9,  # the win and the fastest lap (a recorded credit)
        "trintignant": 2 + 2,  # a third of the 2nd car (6/3) and half of the 3rd (4/2): shares add up
        "farina": 2 + 2,
        "gonzalez": 2,
    }
    assert Table.TEAMS not in y1955
    y2021 = season_standings(seasons[2021], f1_rules(2021), decisions=f1_decisions())
    official = read_official_standings(MINI)[(2021, 1)]
    latest = y2021[Table.DRIVERS].latest
    assert latest is not None
    assert [(r.competitor, r.points) for r in latest.rows] == [(o.competitor, o.points) for o in official]
    teams = y2021[Table.TEAMS].latest
    assert teams is not None
    assert [(r.competitor, r.points) for r in teams.rows] == [
        (o.competitor, o.points) for o in read_official_standings(MINI, Table.TEAMS)[(2021, 1)]
    ]


def test_official_standings() -> None:
    drivers = read_official_standings(MINI)
    first = drivers[(1955, 1)]
    assert [(o.competitor, o.points, o.position) for o in first] == [
        ("fangio", 9, 1),
        ("trintignant", Fraction(333, 100), 2),
        ("farina", Fraction(333, 100), 3),
        ("gonzalez", 2, 4),
    ]
    unranked = drivers[(2025, 1)][0]
    assert (unranked.position, unranked.position_text) == (None, "-")


def broken(tmp_path: Path, name: str, old: str, new: str) -> Path:
    folder = tmp_path / "ergast"
    shutil.copytree(MINI, folder)
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("name", "old", "new", "line", "field", "message"),
    [
        ("results.csv", "1,1,1,2,2,3,1,", "1,999,1,2,2,3,1,", 2, "raceId", "unknown raceId 999"),
        ("results.csv", "1,1,1,2,2,3,1,", "1,1,99,2,2,3,1,", 2, "driverId", "unknown driverId 99"),
        ("results.csv", "1,1,1,2,2,3,1,", "1,1,1,77,2,3,1,", 2, "constructorId", "unknown constructorId 77"),
        ("results.csv", ',"R",4,0,36', ',"X",4,0,36', 5, "positionText", "unknown positionText 'X'"),
        ("results.csv", ',"R",4,0,36', ',"R",four,0,36', 5, "positionOrder", "whole number"),
        ("results.csv", '"1:29.699"', '"1:2x.699"', 11, "fastestLapTime", "not a lap time"),
        ("results.csv", "1,1,1,2,2,3,1,", "1,\\N,1,2,2,3,1,", 2, "raceId", "a null"),
        ("races.csv", "2,1955,2,6,", "2,1955,1,6,", 3, "round", "1955 round 1 appears twice"),
        ("races.csv", "2,1955,2,6,", "1,1955,2,6,", 3, "raceId", "raceId 1 appears twice"),
        ("drivers.csv", "driverRef", "ref", 1, "driverRef", "missing column 'driverRef'"),
        ("driver_standings.csv", "1,1,1,9,1", "1,1,1,nine,1", 2, "points", "not a number of points"),
    ],
)
def test_bad_data_names_file_line_and_column(
    tmp_path: Path, name: str, old: str, new: str, line: int, field: str, message: str
) -> None:
    folder = broken(tmp_path, name, old, new)
    with pytest.raises(InputError, match=message) as info:
        if name.endswith("standings.csv"):
            read_official_standings(folder)
        else:
            read_ergast(folder)
    assert (info.value.source, info.value.line, info.value.field) == (name, line, field)


def test_missing_files_and_bad_encodings(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        read_ergast(tmp_path)
    folder = broken(tmp_path, "drivers.csv", "González", "González")
    (folder / "drivers.csv").write_bytes((folder / "drivers.csv").read_bytes().replace("á".encode(), b"\xe1"))
    with pytest.raises(InputError, match="not UTF-8") as info:
        read_ergast(folder)
    assert info.value.line == 5
    (folder / "drivers.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty file"):
        read_ergast(folder)
    (folder / "drivers.csv").write_text(
        'driverId,driverRef,forename,surname\n1,"fangio,Juan,Fangio\n', encoding="utf-8"
    )
    with pytest.raises(InputError):
        read_ergast(folder)


def test_sprint_results_are_optional(tmp_path: Path) -> None:
    folder = tmp_path / "ergast"
    shutil.copytree(MINI, folder)
    (folder / "sprint_results.csv").unlink()
    british = read_ergast(folder)[2021].rounds[0]
    assert [s.id for s in british.sessions] == ["S", "R"] and not british.sessions[
        0
    ].held  # sprint_date known


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_input_errors(tmp_path: Path, data: bytes) -> None:
    folder = tmp_path / "fuzz"
    if not folder.exists():
        shutil.copytree(MINI, folder)
    header = (MINI / "results.csv").read_bytes().split(b"\n", 1)[0]
    (folder / "results.csv").write_bytes(header + b"\n" + data)
    try:
        read_ergast(folder)
    except ParcFermeError as exc:
        assert isinstance(exc, InputError)
