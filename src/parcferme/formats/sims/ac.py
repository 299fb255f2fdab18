"""Assetto Corsa server results (`YYYY_M_D_H_MM_RACE.json`, written by acServer at the end of a session).

Mapping (docs/sim-results.md has the full table):

- `Type` PRACTICE/QUALIFY/RACE → the session; `RaceLaps`/`DurationSecs` → its schedule when set.
- `Result` → one entry per car slot, in the server's order (its classification). Assetto Corsa has no race
  numbers: the slot number (`CarId`) is the car's key. `Cars[CarId]` gives the team, ballast and restrictor.
- `Laps` → laps; `Timestamp` (the server's clock, in ms, at the end of the lap) is the crossing time and
  the time of day; a lap with cuts is kept but deleted for best lap.

A slot on a public server changes hands: when a driver leaves, another can take the car. The server's
result row belongs to the slot's last driver and counts only that driver's laps (and those of any driver
the entry list pairs with them in `GuidsList`), so laps driven by an earlier occupant are set aside, with a
note. The race's start signal is not in the file: each car's `TotalTime` runs from it to the car's last
crossing, so the start is taken as the median of (last crossing − `TotalTime`) over the cars.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from dataclasses import dataclass

from parcferme.errors import InputError
from parcferme.formats.sims.build import (
    UNKNOWN_DATE,
    SessionIds,
    driver_from_name,
    entry,
    file_name,
    make_event,
    make_session,
)
from parcferme.formats.sims.jsonnav import Node, parse_json
from parcferme.formats.sims.result import Game, ServerRow, ServerSession, ServerStatus, SimResult
from parcferme.model.event import Circuit, SessionData
from parcferme.model.session import SessionKind
from parcferme.model.timing import Lap

__all__ = ["read_ac"]

NO_BEST = 999_999_999  # acServer's best lap of a car without one
_KINDS = {"PRACTICE": SessionKind.PRACTICE, "QUALIFY": SessionKind.QUALIFYING, "RACE": SessionKind.RACE}
_FILE_DATE = re.compile(r"^(\d{4})_(\d{1,2})_(\d{1,2})_")


@dataclass(frozen=True, slots=True)
class _Slot:
    """What `Cars` says of a car slot."""

    team: str = ""
    model: str = ""
    ballast: str = ""
    restrictor: str = ""
    guids: tuple[str, ...] = ()  # drivers the entry list allows in the slot (driver swaps)


@dataclass(slots=True)
class _Lap:
    guid: str
    name: str
    end: int  # ms, server clock
    time: int  # ms
    sectors: tuple[int, ...]
    cuts: int


def read_ac(text: str, source: str) -> SimResult:
    root = parse_json(text, source)
    type_node = root.key("Type")
    kind = _KINDS.get(type_node.as_str().strip().upper())
    if kind is None:
        type_node.fail(f"unknown session type {type_node.as_str()!r} (expected PRACTICE, QUALIFY or RACE)")
    session_id = SessionIds().id(kind)
    slots = _slots(root)
    laps_by_car: dict[int, list[_Lap]] = {}
    for node in root.opt_items("Laps"):
        car_id = node.get_int("CarId")
        laps_by_car.setdefault(car_id, []).append(_lap(node))

    notes: list[str] = []
    entries = []
    rows: list[ServerRow] = []
    laps: list[Lap] = []
    seen: set[int] = set()
    starts: list[int] = []  # race: last crossing − TotalTime, per car
    for index, node in enumerate(root.key("Result").items()):
        car_id = node.get_int("CarId")
        if car_id in seen:
            raise InputError(f"car slot {car_id} is listed twice", source=source, field=f"{node.path}.CarId")
        seen.add(car_id)
        key = str(car_id)
        guid = node.opt_str("DriverGuid")
        name = node.opt_str("DriverName").strip()
        slot = slots.get(car_id, _Slot())
        crew = {guid, *slot.guids} - {""}
        own = _own_laps(laps_by_car.pop(car_id, []), crew, key, name, notes)
        drivers = [name, *dict.fromkeys(lap.name for lap in own if lap.name != name)]
        entries.append(
            entry(
                key,
                (driver_from_name(n) for n in drivers),
                team=slot.team,
                car=node.opt_str("CarModel") or slot.model,
                attributes={
                    "ballast_kg": slot.ballast,
                    "restrictor": slot.restrictor,
                    "player_id": (guid,) if guid else (),
                },
            )
        )
        for number, lap in enumerate(own, 1):
            sectors: tuple[int | None, ...] = tuple(s * 1000 for s in lap.sectors)
            deleted = f"{lap.cuts} cut(s)" if lap.cuts else ""
            driver = drivers.index(lap.name) if lap.name in drivers else 0
            end = lap.end * 1000
            laps.append(
                Lap(
                    key,
                    number,
                    end - lap.time * 1000,
                    end,
                    lap.time * 1000,
                    sectors,
                    deleted=deleted,
                    driver=driver,
                )
            )
        total = max(node.opt_int("TotalTime") or 0, 0)
        best = node.opt_int("BestLap")
        best = None if best is None or best <= 0 or best >= NO_BEST else best
        if kind is SessionKind.RACE and own and total:
            starts.append(own[-1].end - total)
        status = ServerStatus.RUNNING if own or total else ServerStatus.DNS
        time = (total or None) if kind is SessionKind.RACE else best
        rows.append(
            ServerRow(
                key,
                index + 1,
                status,
                time=None if time is None else time * 1000,
                best_lap=None if best is None else best * 1000,
            )
        )
    for car_id, orphans in sorted(laps_by_car.items()):
        notes.append(f"{len(orphans)} lap(s) of car slot {car_id}, which is not in Result, set aside")

    # no car with a total time (practice, qualifying): the session starts when the first lap began
    start = round(statistics.median(starts)) * 1000 if starts else min((lap.start for lap in laps), default=0)
    date = _file_date(source)
    sector_count = max((len(lap.sectors) for lap in laps), default=3)
    race_laps = root.opt_int("RaceLaps") or 0
    duration = root.opt_int("DurationSecs") or 0
    session = make_session(
        session_id,
        kind,
        kind.value.capitalize(),
        date,
        start,
        sectors=sector_count,
        laps=race_laps if kind is SessionKind.RACE and race_laps > 0 else None,
        duration=duration * 1_000_000 if duration > 0 else None,
    )
    track = root.opt_str("TrackName")
    layout = root.opt_str("TrackConfig")
    circuit = Circuit(f"{track} {layout}".strip() if layout else track)
    data = SessionData(session, laps=tuple(laps))
    event = make_event(Game.AC.display_name, root.opt_str("Server"), circuit, date, entries, (data,))
    return SimResult(Game.AC, event, (ServerSession(session_id, tuple(rows)),), tuple(notes))


def _slots(root: Node) -> dict[int, _Slot]:
    slots: dict[int, _Slot] = {}
    for node in root.opt_items("Cars"):
        car_id = node.get_int("CarId")
        driver = node.opt("Driver")
        team = driver.opt_str("Team") if driver is not None else ""
        guids = tuple(g.as_str() for g in driver.opt_items("GuidsList")) if driver is not None else ()
        ballast = node.opt_int("BallastKG")
        restrictor = node.opt_int("Restrictor")
        slots[car_id] = _Slot(
            team=team,
            model=node.opt_str("Model"),
            ballast=str(ballast) if ballast else "",
            restrictor=str(restrictor) if restrictor else "",
            guids=guids,
        )
    return slots


def _lap(node: Node) -> _Lap:
    time = node.get_int("LapTime")
    end = node.get_int("Timestamp")
    if time < 0 or end < 0:
        node.fail("expected LapTime and Timestamp of at least 0 ms")
    sectors = []
    for s in node.opt_items("Sectors"):
        value = s.as_int()
        if value < 0:
            s.fail("expected a sector time of at least 0 ms")
        sectors.append(value)
    cuts = node.opt_int("Cuts") or 0
    return _Lap(
        node.opt_str("DriverGuid"),
        node.opt_str("DriverName").strip(),
        end,
        time,
        tuple(sectors),
        max(cuts, 0),
    )


def _own_laps(laps: list[_Lap], crew: set[str], key: str, name: str, notes: list[str]) -> list[_Lap]:
    """The laps of the slot's driver (and crew); the others' laps are counted in a note."""
    others: dict[str, int] = {}
    for lap in laps:
        if lap.guid not in crew:
            who = lap.name or lap.guid or "an unnamed driver"
            others[who] = others.get(who, 0) + 1
    for who, n in others.items():
        notes.append(
            f"car slot {key}: {n} lap(s) by {who}, not the slot's driver in Result ({name or 'nobody'}), "
            "set aside (the server counts only its result driver's laps)"
        )
    return [lap for lap in laps if lap.guid in crew]


def _file_date(source: str) -> dt.date:
    match = _FILE_DATE.match(file_name(source))
    if match is None:
        return UNKNOWN_DATE
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return UNKNOWN_DATE
