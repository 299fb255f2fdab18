"""Ergast-schema CSVs (F1 history, 1950 onwards) → championship seasons, and the official standings.

Reads races.csv, results.csv, sprint_results.csv (optional), drivers.csv and constructors.csv; `\\N` is a
null. Competitors are keyed by `driverRef` and `constructorRef` ("michael_schumacher", "mclaren"). A car
driven by several drivers (the 1950s shared drives) appears in results.csv as one row per driver with the
same race, number and `positionOrder`: those rows become one `CarResult` with all its drivers.

The `points` columns are not read into the model: points are computed from positions by the rules. Only
`read_official_standings` reads Ergast's standings, to check the engine against them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import NoReturn

from parcferme.engine.allocation import bulk_allocation
from parcferme.errors import InputError
from parcferme.model.championship import CarResult, Competitor, Round, RoundSession, Season, Table
from parcferme.model.results import Status
from parcferme.model.time import parse_time

__all__ = ["SERIES", "OfficialStanding", "read_ergast", "read_official_standings"]

SERIES = "FIA Formula One World Championship"
NULL = "\\N"
_STATUS = {
    "R": Status.DNF,  # retired
    "D": Status.DSQ,  # disqualified
    "E": Status.EXCL,  # excluded
    "W": Status.DNS,  # withdrew
    "F": Status.DNS,  # failed to qualify
    "N": Status.NC,  # not classified
}


@dataclass(frozen=True, slots=True)
class OfficialStanding:
    """One line of Ergast's driver_standings.csv or constructor_standings.csv (counted points)."""

    season: int
    round: int
    competitor: str
    points: Fraction
    position: int | None
    position_text: str
    wins: int


class _Csv:
    """One Ergast file: its rows as dicts of column → cell, with the line for error messages."""

    def __init__(self, folder: Path, name: str, required: Iterable[str]) -> None:
        self.source = name
        path = folder / name
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the file ({exc.strerror or exc})", source=str(path)) from exc
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError("not UTF-8 text", source=name, line=line) from exc
        self._reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(self._reader, None)
        except csv.Error as exc:
            raise InputError(f"malformed CSV: {exc}", source=name, line=1) from exc
        if not header:
            raise InputError("empty file: expected a header line", source=name, line=1)
        self.columns = {cell.strip(): i for i, cell in enumerate(header)}
        for column in required:
            if column not in self.columns:
                have = ", ".join(self.columns)
                raise InputError(
                    f"missing column {column!r} (the header has: {have})", source=name, line=1, field=column
                )
        self.width = len(header)

    @property
    def line(self) -> int:
        return self._reader.line_num

    def rows(self) -> Iterator[list[str]]:
        try:
            for row in self._reader:
                if len(row) != self.width:
                    if not any(cell.strip() for cell in row):
                        continue  # a blank line
                    if len(row) < self.width:  # trailing empty cells left out (the 2025 rows of races.csv)
                        row = row + [""] * (self.width - len(row))
                    elif any(cell.strip() for cell in row[self.width :]):
                        self.fail(f"{len(row)} cells but the header names {self.width} columns")
                yield row
        except csv.Error as exc:
            raise InputError(f"malformed CSV: {exc}", source=self.source, line=self.line) from exc

    def fail(self, message: str, column: str | None = None) -> NoReturn:
        raise InputError(message, source=self.source, line=self.line, field=column)

    def integer(self, row: list[str], column: str, *, null: bool = False) -> int | None:
        cell = row[self.columns[column]].strip()
        if cell == NULL or (null and cell == ""):
            if null:
                return None
            self.fail("expected a number, got a null (\\N)", column)
        try:
            return int(cell)
        except ValueError:
            self.fail(f"expected a whole number, got {cell!r}", column)

    def req(self, row: list[str], column: str) -> int:
        value = self.integer(row, column)
        assert value is not None
        return value

    def text(self, row: list[str], column: str) -> str:
        cell = row[self.columns[column]].strip()
        return "" if cell == NULL else cell


def _races(folder: Path) -> dict[int, tuple[int, int, str, str, bool]]:
    """raceId → (year, round, name, date, has a sprint)."""
    f = _Csv(folder, "races.csv", ("raceId", "year", "round", "name"))
    has_date = "date" in f.columns
    has_sprint = "sprint_date" in f.columns
    races: dict[int, tuple[int, int, str, str, bool]] = {}
    seen: dict[tuple[int, int], int] = {}
    for row in f.rows():
        race_id, year, rnd = f.req(row, "raceId"), f.req(row, "year"), f.req(row, "round")
        if race_id in races:
            f.fail(f"raceId {race_id} appears twice", "raceId")
        if (year, rnd) in seen:
            f.fail(f"{year} round {rnd} appears twice (raceId {seen[year, rnd]} and {race_id})", "round")
        seen[year, rnd] = race_id
        date = f.text(row, "date") if has_date else ""
        sprint = has_sprint and f.text(row, "sprint_date") != ""
        races[race_id] = (year, rnd, f.text(row, "name"), date, sprint)
    return races


def _competitors(folder: Path, drivers: bool) -> dict[int, Competitor]:
    if drivers:
        f = _Csv(folder, "drivers.csv", ("driverId", "driverRef", "forename", "surname"))
        id_col, ref_col = "driverId", "driverRef"
    else:
        f = _Csv(folder, "constructors.csv", ("constructorId", "constructorRef", "name"))
        id_col, ref_col = "constructorId", "constructorRef"
    out: dict[int, Competitor] = {}
    refs: set[str] = set()
    for row in f.rows():
        key = f.req(row, id_col)
        ref = f.text(row, ref_col)
        if not ref:
            f.fail(f"empty {ref_col}", ref_col)
        if key in out or ref in refs:
            f.fail(f"{id_col} {key} / {ref_col} {ref!r} appears twice", id_col)
        refs.add(ref)
        nationality = f.text(row, "nationality") if "nationality" in f.columns else ""
        if drivers:
            name = f"{f.text(row, 'forename')} {f.text(row, 'surname')}".strip()
            code = f.text(row, "code") if "code" in f.columns else ""
            out[key] = Competitor(ref, name, code, nationality)
        else:
            out[key] = Competitor(ref, f.text(row, "name"), "", nationality)
    return out


_RESULT_COLUMNS = (
    "raceId",
    "driverId",
    "constructorId",
    "number",
    "grid",
    "position",
    "positionText",
    "positionOrder",
    "laps",
)

_Car = tuple[int, str, int]  # raceId, number, positionOrder
# the fields of a car, parsed: team, status, position, laps, best lap, its lap number, grid
_Fields = tuple[str, Status, int | None, int, int | None, int | None, int | None]


class _Columns:
    """Positions of the result columns in one file (-1 for an optional column it does not have)."""

    def __init__(self, f: _Csv) -> None:
        c = f.columns
        self.race, self.driver, self.team = c["raceId"], c["driverId"], c["constructorId"]
        self.number, self.grid, self.position = c["number"], c["grid"], c["position"]
        self.text, self.order, self.laps = c["positionText"], c["positionOrder"], c["laps"]
        self.fl = c.get("fastestLapTime", -1)
        self.fl_lap = c.get("fastestLap", -1)


def _lap_time(text: str) -> int:
    """`1:27.452` → µs: the usual M:SS.fff without a regular expression; anything else via parse_time."""
    minutes, colon, rest = text.partition(":")
    seconds, dot, fraction = rest.partition(".")
    if (
        colon
        and dot
        and minutes.isdigit()
        and seconds.isdigit()
        and fraction.isdigit()
        and len(fraction) <= 6
    ):
        return (int(minutes) * 60 + int(seconds)) * 1_000_000 + int(fraction.ljust(6, "0"))
    return parse_time(text)


def _fast(row: list[str], k: _Columns, teams: dict[int, Competitor]) -> _Fields:
    """The fields of a well-formed row; raises KeyError or ValueError on anything else (then `_checked`)."""
    text = row[k.text]
    cell = row[k.position]
    if text.isdigit():
        status, position = Status.CLASSIFIED, int(text) if cell == NULL else int(cell)
    else:
        status, position = _STATUS[text], None
    laps = row[k.laps]
    grid = row[k.grid]
    best: int | None = None
    lap: int | None = None
    if k.fl >= 0 and row[k.fl] not in (NULL, ""):
        best = _lap_time(row[k.fl])
        if k.fl_lap >= 0 and row[k.fl_lap] not in (NULL, ""):
            lap = int(row[k.fl_lap])
    return (
        teams[int(row[k.team])].id,
        status,
        position,
        0 if laps in (NULL, "") else int(laps),
        best,
        lap,
        None if grid in (NULL, "") else (int(grid) or None),  # grid 0: started from the pit lane
    )


def _checked(f: _Csv, row: list[str], teams: dict[int, Competitor]) -> _Fields:
    """The fields of a row, checked one by one: an InputError names the column of the first bad one."""
    team_id = f.req(row, "constructorId")
    team = teams.get(team_id)
    if team is None:
        f.fail(f"unknown constructorId {team_id} (not in constructors.csv)", "constructorId")
    position = f.integer(row, "position", null=True)
    text = f.text(row, "positionText")
    if text.isdigit():
        status = Status.CLASSIFIED
        if position is None:  # two rows of the 2003 Brazilian GP give the place only in positionText
            position = int(text)
    else:
        found = _STATUS.get(text)
        if found is None:
            f.fail(f"unknown positionText {text!r} (expected a number or one of R D E W F N)", "positionText")
        status, position = found, None
    best_lap = lap = None
    if "fastestLapTime" in f.columns:
        lap_text = f.text(row, "fastestLapTime")
        if lap_text:
            try:
                best_lap = parse_time(lap_text)
            except ValueError:
                f.fail(f"not a lap time: {lap_text!r} (expected M:SS.fff)", "fastestLapTime")
            if "fastestLap" in f.columns:
                lap = f.integer(row, "fastestLap", null=True)
    grid = f.integer(row, "grid", null=True)
    return team.id, status, position, f.integer(row, "laps", null=True) or 0, best_lap, lap, grid or None


def _results(
    folder: Path,
    name: str,
    races: dict[int, tuple[int, int, str, str, bool]],
    drivers: dict[int, Competitor],
    teams: dict[int, Competitor],
    wanted: set[int] | None,
) -> dict[int, list[CarResult]]:
    """raceId → car results (of the `wanted` races, or all), shared drives merged into one car."""
    f = _Csv(folder, name, _RESULT_COLUMNS)
    k = _Columns(f)
    cars: dict[_Car, tuple[list[str], _Fields]] = {}
    for row in f.rows():
        try:  # the fast path: every well-formed row; anything else is read again, checked cell by cell
            race_id = int(row[k.race])
            if wanted is not None and race_id not in wanted and race_id in races:
                continue
            driver = drivers[int(row[k.driver])].id
            number = row[k.number]
            key = (race_id, "" if number == NULL else number, int(row[k.order]))
        except (KeyError, ValueError):
            race_id = f.req(row, "raceId")
            driver_id = f.req(row, "driverId")
            if driver_id not in drivers:
                f.fail(f"unknown driverId {driver_id} (not in drivers.csv)", "driverId")
            driver = drivers[driver_id].id
            key = (race_id, f.text(row, "number"), f.req(row, "positionOrder"))
        if race_id not in races:
            f.fail(f"unknown raceId {race_id} (not in races.csv)", "raceId")
        known = cars.get(key)
        if known is not None:  # another driver of the same car
            if driver not in known[0]:
                known[0].append(driver)
            continue
        try:
            fields = _fast(row, k, teams)
        except (KeyError, ValueError):
            fields = _checked(f, row, teams)
        cars[key] = ([driver], fields)
    out: dict[int, list[CarResult]] = {}
    for (race_id, number, order), (names, (team, status, position, laps, best, lap, grid)) in cars.items():
        out.setdefault(race_id, []).append(
            CarResult(number, tuple(names), team, status, position, order, laps, best, lap, grid)
        )
    return out


@bulk_allocation
def read_ergast(folder: str | Path, *, seasons: Iterable[int] | None = None) -> dict[int, Season]:
    """Every season in the folder (or only `seasons`), rounds in order, unheld rounds included.

    Raises InputError naming the file, line and column of anything it cannot read.
    """
    folder = Path(folder)
    races = _races(folder)
    wanted = None if seasons is None else set(seasons)
    drivers = _competitors(folder, drivers=True)
    teams = _competitors(folder, drivers=False)
    ids = None if wanted is None else {race_id for race_id, race in races.items() if race[0] in wanted}
    race_results = _results(folder, "results.csv", races, drivers, teams, ids)
    sprint_results: dict[int, list[CarResult]] = {}
    if (folder / "sprint_results.csv").exists():
        sprint_results = _results(folder, "sprint_results.csv", races, drivers, teams, ids)
    by_year: dict[int, list[Round]] = {}
    for race_id, (year, rnd, name, date, has_sprint) in races.items():
        if wanted is not None and year not in wanted:
            continue
        sessions: list[RoundSession] = []
        sprint = sprint_results.get(race_id, ())
        if sprint or has_sprint:
            sessions.append(RoundSession("S", "sprint", tuple(sprint)))
        sessions.append(RoundSession("R", "race", tuple(race_results.get(race_id, ()))))
        by_year.setdefault(year, []).append(Round(rnd, name, tuple(sessions), date))
    driver_map = MappingProxyType({c.id: c for c in drivers.values()})
    team_map = MappingProxyType({c.id: c for c in teams.values()})
    return {
        year: Season(SERIES, year, tuple(sorted(rounds, key=lambda r: r.number)), driver_map, team_map)
        for year, rounds in sorted(by_year.items())
    }


def read_official_standings(
    folder: str | Path, table: Table = Table.DRIVERS
) -> dict[tuple[int, int], tuple[OfficialStanding, ...]]:
    """(season, round) → Ergast's standings after that round, in position order (unranked last)."""
    folder = Path(folder)
    races = _races(folder)
    drivers = table is Table.DRIVERS
    competitors = _competitors(folder, drivers=drivers)
    name, id_col = (
        ("driver_standings.csv", "driverId") if drivers else ("constructor_standings.csv", "constructorId")
    )
    f = _Csv(folder, name, ("raceId", id_col, "points", "position", "positionText", "wins"))
    out: dict[tuple[int, int], list[OfficialStanding]] = {}
    for row in f.rows():
        race_id = f.req(row, "raceId")
        race = races.get(race_id)
        if race is None:
            f.fail(f"unknown raceId {race_id} (not in races.csv)", "raceId")
        competitor = competitors.get(f.req(row, id_col))
        if competitor is None:
            f.fail(f"unknown {id_col}", id_col)
        points_text = f.text(row, "points")
        try:
            points = Fraction(points_text)
        except ValueError:
            f.fail(f"not a number of points: {points_text!r}", "points")
        standing = OfficialStanding(
            season=race[0],
            round=race[1],
            competitor=competitor.id,
            points=points,
            position=f.integer(row, "position", null=True),
            position_text=f.text(row, "positionText"),
            wins=f.integer(row, "wins", null=True) or 0,
        )
        out.setdefault((race[0], race[1]), []).append(standing)
    return {
        key: tuple(sorted(rows, key=lambda s: (s.position is None, s.position or 0, s.competitor)))
        for key, rows in out.items()
    }
