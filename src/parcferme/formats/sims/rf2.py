"""rFactor 2 (and rFactor 1) results XML: `<rFactorXML><RaceResults>` with one element per session.

Mapping (docs/sim-results.md has the full table):

- `Practice1…`, `Warmup`, `TestDay` → practice; `Qualify`, `Qualify1…` → qualifying; `Race`, `Race2…` →
  race. `Minutes` → the scheduled duration; `Laps` (when below rFactor's "unlimited" 2147483647) → laps.
- `Driver` → an entry: `CarNumber` (zero padding kept; a number carried by several cars gets a suffix),
  `Name` and the `Swap` drivers, `TeamName`, `VehName` → car, `CarClass` → class. Its `Position` (−1: none),
  `GridPos`, `Laps`, `FinishTime`, `BestLapTime`, `Pitstops` and `FinishStatus` → the server's row.
- `Lap` → a lap: `et` is the session clock (s) when the lap began, the element's text its time, `s1…s3`
  its sectors, `pit="1"` a lap ended in the pit lane. A lap the server did not time (`--.----`) is kept only
  when the next lap's `et` closes it; it is then deleted for best lap.
- `FinishStatus` DQ → a disqualification decision.

Times of day: the session's `TimeString` (the server's local clock when the session began) plus `et`. In a
race every car's lap 1 begins at the start signal (the same `et` for all); `FinishTime` runs from it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from parcferme.errors import InputError
from parcferme.formats.sims.build import (
    UNKNOWN_DATE,
    CarKeys,
    SessionIds,
    driver_from_name,
    entry,
    make_event,
    make_session,
    micros,
)
from parcferme.formats.sims.result import Game, ServerRow, ServerSession, ServerStatus, SimResult
from parcferme.formats.sims.xmlnav import XNode, parse_xml
from parcferme.model.decisions import Decision, DecisionKind
from parcferme.model.entries import Entry
from parcferme.model.event import Circuit, SessionData
from parcferme.model.session import SessionKind
from parcferme.model.timing import Lap

__all__ = ["read_rf2"]

UNLIMITED = 2_147_483_647
_SESSION = re.compile(r"^(Practice|Warmup|TestDay|Qualify|Race)(\d*)$")
_KINDS = {"Qualify": SessionKind.QUALIFYING, "Race": SessionKind.RACE}
_TIME_STRING = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$")
_STATUS = {
    "finished normally": ServerStatus.FINISHED,
    "dnf": ServerStatus.DNF,
    "dq": ServerStatus.DSQ,
    "none": ServerStatus.RUNNING,
}
_DAY = 86_400 * 1_000_000


@dataclass(slots=True)
class _Car:
    key: str
    entry: Entry
    laps: list[Lap]
    row: ServerRow
    disqualified: bool


def read_rf2(text: str, source: str) -> SimResult:
    root, notes = parse_xml(text, source, "rFactorXML")
    results = root.child("RaceResults")
    if results is None:
        root.fail("missing <RaceResults>")
    ids = SessionIds()
    keys = CarKeys()
    sessions: list[SessionData] = []
    servers: list[ServerSession] = []
    entries: dict[str, Entry] = {}
    date = UNKNOWN_DATE
    for node in results.children():
        match = _SESSION.match(node.tag)
        if match is None:
            continue
        kind = _KINDS.get(match[1], SessionKind.PRACTICE)
        session_id = ids.id(kind, match[2])
        keys.next_session()
        date, clock = _clock(node, results)
        cars = [_car(driver, keys, kind, clock) for driver in node.children("Driver")]
        for car in cars:
            entries.setdefault(car.key, car.entry)
        laps = [lap for car in cars for lap in car.laps]
        start = _start(kind, laps, clock)
        minutes = node.get_int("Minutes")
        lap_limit = node.get_int("Laps")
        session = make_session(
            session_id,
            kind,
            node.tag,
            date,
            start,
            sectors=max((len(lap.sectors) for lap in laps), default=3),
            duration=minutes * 60_000_000 if minutes and minutes > 0 else None,
            laps=lap_limit if kind is SessionKind.RACE and lap_limit and 0 < lap_limit < UNLIMITED else None,
        )
        decisions = tuple(
            Decision(session_id, car.key, DecisionKind.DISQUALIFICATION, "disqualified (FinishStatus DQ)")
            for car in cars
            if car.disqualified
        )
        sessions.append(SessionData(session, laps=tuple(laps), decisions=decisions))
        servers.append(ServerSession(session_id, _server_order(cars)))
    if not sessions:
        raise InputError("no session in the file (expected <Practice1>, <Qualify>, <Race>…)", source=source)
    circuit = Circuit(results.text("TrackCourse") or results.text("TrackVenue"), _length(results))
    event = make_event(
        Game.RF2.display_name, results.text("ServerName"), circuit, date, entries.values(), sessions
    )
    return SimResult(Game.RF2, event, tuple(servers), (*notes, *keys.notes))


def _clock(session: XNode, results: XNode) -> tuple[dt.date, int]:
    """The session's date and its start as µs since midnight (the server's local clock)."""
    for node in (session, results):
        match = _TIME_STRING.match(node.text("TimeString"))
        if match is None:
            continue
        year, month, day, hour, minute, second = (int(g) for g in match.groups())
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if hour < 24 and minute < 60 and second < 60:
            return date, ((hour * 60 + minute) * 60 + second) * 1_000_000
    return UNKNOWN_DATE, 0


def _length(results: XNode) -> int:
    length = micros(results.text("TrackLength"))  # metres with decimals
    return max(length // 1_000_000, 0) if length is not None else 0


def _car(driver: XNode, keys: CarKeys, kind: SessionKind, clock: int) -> _Car:
    name = driver.text("Name")
    key = keys.key(driver.text("CarNumber"), name or driver.path)
    swaps = _swaps(driver, name)
    names = list(dict.fromkeys([name, *(who for who, _, _ in swaps)]))
    laps = _laps(driver, key, clock, swaps, names)
    car_entry = entry(
        key,
        (driver_from_name(n) for n in names),
        team=driver.text("TeamName"),
        car=driver.text("VehName"),
        attributes={"class": driver.text("CarClass")},
    )
    status_text = driver.text("FinishStatus", "None")
    status = _STATUS.get(status_text.lower(), ServerStatus.RUNNING)
    server_laps = driver.get_int("Laps")
    if status is ServerStatus.RUNNING and not server_laps and not laps:
        status = ServerStatus.DNS
    reason = driver.text("DNFReason")
    position = driver.get_int("Position")
    finish = micros(driver.text("FinishTime"))
    best = micros(driver.text("BestLapTime"))
    row = ServerRow(
        car=key,
        position=position if position is not None and position > 0 else None,
        status=status,
        laps=server_laps,
        time=finish if kind is SessionKind.RACE else best,
        best_lap=best,
        grid=_positive(driver.get_int("GridPos")),
        class_position=_positive(driver.get_int("ClassPosition")),
        pit_stops=driver.get_int("Pitstops"),
        detail=f"{status_text}: {reason}" if reason else status_text,
    )
    return _Car(key, car_entry, laps, row, status is ServerStatus.DSQ)


def _positive(value: int | None) -> int | None:
    return value if value is not None and value > 0 else None


def _swaps(driver: XNode, name: str) -> list[tuple[str, int, int]]:
    """(driver, first lap, last lap) of each stint a `Swap` element names (rFactor's driver swaps)."""
    stints = []
    for swap in driver.children("Swap"):
        who = swap.own_text()
        first, last = swap.attr("startLap"), swap.attr("endLap")
        if who and first and last and first.isdigit() and last.isdigit():
            stints.append((who, int(first), int(last)))
    return stints if any(who != name for who, _, _ in stints) else []


def _laps(
    driver: XNode, key: str, clock: int, swaps: list[tuple[str, int, int]], names: list[str]
) -> list[Lap]:
    """The car's laps placed on the session clock.

    A lap begins at its `et`, or where the previous lap ended; it ends `time` later, or where the next lap
    begins. One the server did not time is kept when both ends are known (deleted for best lap).
    """
    nodes = list(driver.children("Lap"))
    numbers = [_number(node) for node in nodes]
    starts = [_et(node) for node in nodes]
    laps: list[Lap] = []
    for i, node in enumerate(nodes):
        number = numbers[i]
        time = micros(node.own_text())
        start = starts[i]
        if start is None and laps and laps[-1].number == number - 1:
            start = laps[-1].end - clock
        end: int | None = None
        if start is not None and time is not None:
            end = start + time
        elif i + 1 < len(nodes) and numbers[i + 1] == number + 1:
            end = starts[i + 1]
        if start is None or end is None or end <= start or (laps and number <= laps[-1].number):
            continue  # not placeable in time, or out of sequence: the server's lap count says what is missing
        deleted = "" if time is not None else "no time from the server"
        sectors = tuple(_sector(node.attr(f"s{k}")) for k in (1, 2, 3))
        while sectors and sectors[-1] is None:  # a lap without sector times has none, not three unknowns
            sectors = sectors[:-1]
        who = next((n for n, first, last in swaps if first <= number <= last), names[0])
        laps.append(
            Lap(
                key,
                number,
                clock + start,
                clock + end,
                end - start,
                sectors,
                in_pit=node.attr("pit") == "1",
                deleted=deleted,
                driver=names.index(who) if who in names else 0,
            )
        )
    return laps


def _number(node: XNode) -> int:
    text = node.attr("num") or ""
    if not text.isdigit() or not 0 < int(text) < 1_000_000:
        node.fail(f"expected a lap number from 1, got {text[:20]!r}", "num")
    return int(text)


def _sector(text: str | None) -> int | None:
    value = micros(text or "")
    return value if value is not None and value >= 0 else None


def _et(node: XNode) -> int | None:
    value = micros(node.attr("et") or "")
    return value if value is not None and 0 <= value < 30 * _DAY else None


def _start(kind: SessionKind, laps: list[Lap], clock: int) -> int:
    """Race: the start signal, when every car's lap 1 began; other sessions: the session clock's zero."""
    if kind is SessionKind.RACE:
        firsts = [lap.start for lap in laps if lap.number == 1]
        if firsts:
            return min(firsts)
    return clock


def _server_order(cars: list[_Car]) -> tuple[ServerRow, ...]:
    """The server's rows by its positions; cars without a position follow, in the file's order."""
    indexed = list(enumerate(cars))
    indexed.sort(key=lambda ic: (ic[1].row.position is None, ic[1].row.position or 0, ic[0]))
    return tuple(car.row for _, car in indexed)
