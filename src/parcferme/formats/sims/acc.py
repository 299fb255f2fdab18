"""Assetto Corsa Competizione server results (`YYMMDD_HHMMSS_R.json`, UTF-16LE without a byte-order mark).

Mapping (docs/sim-results.md has the full table):

- `sessionType` FP/Q/R (with an optional number: Q2) → a practice, qualifying or race session.
- `sessionResult.leaderBoardLines` → entries (raceNumber, drivers, teamName, carModel → car and class,
  cupCategory → cup) and, in that order, the server's classification.
- `laps` (carId, driverIndex, laptime, splits, isValidForBest) → laps; a lap not valid for best is kept
  but deleted ("invalid").
- `penalties` and `post_race_penalties` → decisions.

The file has no clock, only lap times and each car's `totalTime`. Race: a car's crossings are placed
backwards from its total time (its last crossing is `totalTime` after the start signal), because the first
laps' times run from when the car joined the session, not from the start. Post-race time penalties are
already inside `totalTime`; they are taken out before placing the crossings and handed to the engine as
decisions. A car without a total time, and every car in practice and qualifying, has its crossings placed
forwards, summing lap times from the session start. Times of day are then shifted so the earliest lap
starts at 00:00:00.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from types import MappingProxyType

from parcferme.errors import InputError
from parcferme.formats.sims.acc_cars import car_model, cup_category
from parcferme.formats.sims.build import UNKNOWN_DATE, CarKeys, SessionIds, entry, file_name, make_event
from parcferme.formats.sims.build import make_session as new_session
from parcferme.formats.sims.jsonnav import Node, parse_json
from parcferme.formats.sims.result import Game, ServerRow, ServerSession, ServerStatus, SimResult
from parcferme.model.decisions import Decision, DecisionKind
from parcferme.model.entries import Driver, Entry
from parcferme.model.event import Circuit, SessionData
from parcferme.model.session import SessionKind
from parcferme.model.timing import Lap

__all__ = ["read_acc"]

NO_TIME = 2_147_483_647  # ACC's "no time" (the largest 32-bit integer)
_SESSION = re.compile(r"^(FP|P|Q|R)(\d*)$")
_KINDS = {"FP": SessionKind.PRACTICE, "P": SessionKind.PRACTICE, "Q": SessionKind.QUALIFYING}
_FILE_DATE = re.compile(r"^(\d{2})(\d{2})(\d{2})_\d{6}_")
_STOP_GO = re.compile(r"^StopAndGo_(\d{1,4})$")


@dataclass(slots=True)
class _Car:
    car_id: int
    key: str
    entry: Entry
    laps: int
    total: int | None  # ms
    best: int | None  # ms
    pit_missing: bool
    path: str


@dataclass(slots=True)
class _RawLap:
    time: int  # ms
    splits: tuple[int | None, ...]
    valid: bool
    driver: int


@dataclass(slots=True)
class _Penalties:
    decisions: list[Decision] = field(default_factory=list)
    post_race_ms: dict[int, int] = field(default_factory=dict)  # carId → post-race time inside totalTime
    notes: list[str] = field(default_factory=list)


def read_acc(text: str, source: str) -> SimResult:
    root = parse_json(text, source)
    kind, session_number = _session_kind(root.key("sessionType"))
    session_id = SessionIds().id(kind, session_number)
    keys = CarKeys()
    cars = [_car(line, keys) for line in root.key("sessionResult").key("leaderBoardLines").items()]
    by_id: dict[int, _Car] = {}
    for car in cars:
        if car.car_id in by_id:
            raise InputError(
                f"carId {car.car_id} is listed twice", source=source, field=f"{car.path}.car.carId"
            )
        by_id[car.car_id] = car
    raw, notes = _raw_laps(root, by_id)
    penalties = _penalties(root, by_id, session_id)
    laps, start, more = _place_laps(kind, cars, raw, penalties.post_race_ms)
    sectors = max((len(lap.sectors) for lap in laps), default=3)
    date = _file_date(source)
    session = new_session(session_id, kind, _session_name(kind, session_number), date, start, sectors=sectors)
    data = SessionData(session, laps=tuple(laps), decisions=tuple(penalties.decisions))
    track = root.opt_str("trackName")
    event = make_event(
        Game.ACC.display_name,
        root.opt_str("serverName") or track,
        Circuit(track),
        date,
        (car.entry for car in cars),
        (data,),
    )
    wet = root.key("sessionResult").opt_int("isWetSession")
    info = MappingProxyType({"wet": "yes" if wet else "no"} if wet is not None else {})
    rows = tuple(_server_row(i, car, kind, penalties) for i, car in enumerate(cars))
    server = ServerSession(session_id, rows, info)
    all_notes = (*keys.notes, *notes, *penalties.notes, *more)
    return SimResult(Game.ACC, event, (server,), all_notes)


def _session_kind(node: Node) -> tuple[SessionKind, str]:
    match = _SESSION.match(node.as_str().strip())
    if match is None:
        node.fail(f"unknown session type {node.as_str()!r} (expected FP, Q or R, optionally numbered)")
    return _KINDS.get(match[1], SessionKind.RACE), match[2]


def _session_name(kind: SessionKind, number: str) -> str:
    return f"{kind.value.capitalize()} {number}".strip()


def _file_date(source: str) -> dt.date:
    """The date in the server's file name (`191003_235558_R.json`: 3 October 2019), when it has one."""
    match = _FILE_DATE.match(file_name(source))
    if match is None:
        return UNKNOWN_DATE
    try:
        return dt.date(2000 + int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return UNKNOWN_DATE


def _car(line: Node, keys: CarKeys) -> _Car:
    car = line.key("car")
    car_id = car.get_int("carId")
    drivers: list[Driver] = []
    players: list[str] = []
    team = car.opt_str("teamName").strip()
    for person in car.opt_items("drivers"):
        first = person.opt_str("firstName")
        last = person.opt_str("lastName")
        players.append(person.opt_str("playerId"))
        # Some servers' entry lists put the team on a second line of the driver's name ("Siv\nTEAMname").
        if "\n" in last:
            last, _, rest = last.partition("\n")
            team = team or rest.strip()
        drivers.append(Driver(first.strip(), last.strip()))
    model = car.opt_int("carModel")
    name, car_class = car_model(model) if model is not None else ("", "")
    cup = car.opt_int("cupCategory")
    number = str(car.get_int("raceNumber"))
    label = " / ".join(d.name for d in drivers) or f"carId {car_id}"
    key = keys.key(number, label)
    attributes: dict[str, str | tuple[str, ...]] = {
        "class": car_class,
        "cup": cup_category(cup) if cup is not None else "",
        "player_id": tuple(players) if any(players) else (),
    }
    timing = line.key("timing")
    laps = timing.get_int("lapCount")
    if laps < 0:
        timing.key("lapCount").fail("expected a lap count of at least 0")
    return _Car(
        car_id=car_id,
        key=key,
        entry=entry(key, drivers, team=team, car=name, attributes=attributes),
        laps=laps,
        total=_time(timing.opt("totalTime")),
        best=_time(timing.opt("bestLap")),
        pit_missing=line.opt_int("missingMandatoryPitstop") == 1,
        path=line.path,
    )


def _time(node: Node | None) -> int | None:
    """A time in ms, None for ACC's "no time"; negative times are refused."""
    if node is None:
        return None
    value = node.as_int()
    if value < 0:
        node.fail("expected a time of at least 0 ms")
    return None if value >= NO_TIME else value


def _raw_laps(root: Node, cars: dict[int, _Car]) -> tuple[dict[int, list[_RawLap]], list[str]]:
    laps: dict[int, list[_RawLap]] = {car_id: [] for car_id in cars}
    unknown: dict[int, int] = {}
    for node in root.opt_items("laps"):
        car_id = node.get_int("carId")
        car = cars.get(car_id)
        if car is None:
            unknown[car_id] = unknown.get(car_id, 0) + 1
            continue
        time = _time(node.key("laptime"))  # a lap without a time counts, but not for best lap
        splits = tuple(_time(s) for s in node.opt_items("splits"))
        valid = node.opt_bool("isValidForBest", True) and bool(time)
        driver = node.opt_int("driverIndex") or 0
        if not 0 <= driver < len(car.entry.drivers):
            node.key("driverIndex").fail(f"expected a driver index from 0 to {len(car.entry.drivers) - 1}")
        laps[car_id].append(_RawLap(time or 0, splits, valid, driver))
    notes = [
        f"{n} lap(s) of carId {car_id}, which is not in sessionResult.leaderBoardLines, set aside"
        for car_id, n in sorted(unknown.items())
    ]
    return laps, notes


def _penalties(root: Node, cars: dict[int, _Car], session: str) -> _Penalties:
    """ACC's penalty records as decisions.

    A drive-through or stop-go the server could not see served before the end is turned by the server
    into a `PostRaceTime` record for the same car and lap: that record alone carries the penalty then.
    `None` records are warnings without a penalty.
    """
    out = _Penalties()
    nodes = [*root.opt_items("penalties"), *root.opt_items("post_race_penalties")]
    converted = {
        (n.get_int("carId"), n.opt_int("violationInLap") or 0)
        for n in nodes
        if n.opt_str("penalty") == "PostRaceTime"
    }
    for node in nodes:
        car_id = node.get_int("carId")
        kind = node.get_str("penalty")
        car = cars.get(car_id)
        if kind == "None":
            continue
        if car is None:
            out.notes.append(f"{kind} penalty of carId {car_id}, which is not in the leaderboard, set aside")
            continue
        if kind in _DECISIONS or _STOP_GO.match(kind):
            decision = _decision(node, kind, car.key, session)
            if decision.kind is DecisionKind.TIME_PENALTY:
                out.post_race_ms[car_id] = out.post_race_ms.get(car_id, 0) + decision.time // 1000
            elif decision.kind in _SERVABLE and (car_id, decision.lap) in converted:
                continue  # the server's PostRaceTime record for the same lap carries it
            if decision.kind is not DecisionKind.DELETE_LAP or decision.lap > 0:
                out.decisions.append(decision)
        else:
            out.notes.append(f"unknown ACC penalty {kind!r} for car {car.key} set aside")
    return out


_DECISIONS = {
    "DriveThrough": DecisionKind.DRIVE_THROUGH,
    "PostRaceTime": DecisionKind.TIME_PENALTY,
    "Disqualified": DecisionKind.DISQUALIFICATION,
    # the lap of the violation does not count for best lap (ACC's qualifying cut penalty)
    "RemoveBestLaptime": DecisionKind.DELETE_LAP,
}
_SERVABLE = (DecisionKind.DRIVE_THROUGH, DecisionKind.STOP_GO)


def _decision(node: Node, kind: str, car: str, session: str) -> Decision:
    """One penalty record: `lap` is the lap of the violation; `served` when the server cleared it."""
    lap = max(node.opt_int("violationInLap") or 0, 0)
    value = node.opt_int("penaltyValue") or 0
    if value < 0:
        node.key("penaltyValue").fail("expected a penalty value of at least 0")
    reference = f"ACC {kind} (lap {lap})" if lap > 0 else f"ACC {kind}"
    reason = node.opt_str("reason")
    served = (node.opt_int("clearedInLap") or 0) > 0
    stop_go = _STOP_GO.match(kind)
    if stop_go is not None:
        stop = int(stop_go[1]) * 1_000_000  # StopAndGo_10: a 10-second stop
        return Decision(
            session, car, DecisionKind.STOP_GO, reason, reference, time=stop, lap=lap, served=served
        )
    decided = _DECISIONS[kind]
    time = value * 1_000_000 if decided is DecisionKind.TIME_PENALTY else 0  # PostRaceTime: seconds
    served = served and decided in _SERVABLE
    return Decision(session, car, decided, reason, reference, time=time, lap=lap, served=served)


def _place_laps(
    kind: SessionKind, cars: list[_Car], raw: dict[int, list[_RawLap]], post_race: dict[int, int]
) -> tuple[list[Lap], int, list[str]]:
    """Laps with times of day (µs) and the session start, per the module docstring."""
    notes: list[str] = []
    ends: dict[int, list[int]] = {}  # ms relative to the start signal
    for car in cars:
        laps = raw[car.car_id]
        if not laps:
            continue
        times = [lap.time for lap in laps]
        if kind is SessionKind.RACE and car.total is not None:
            last = car.total - post_race.get(car.car_id, 0)
            placed = [last]
            for time in reversed(times[1:]):
                placed.append(placed[-1] - time)
            ends[car.car_id] = placed[::-1]
        else:
            if kind is SessionKind.RACE:
                notes.append(f"car {car.key} has no total time: its crossings are summed from the start")
            total = 0
            cumulative = []
            for time in times:
                total += time
                cumulative.append(total)
            ends[car.car_id] = cumulative
    earliest = min((e[i] - raw[c][i].time for c, e in ends.items() for i in range(len(e))), default=0)
    shift = max(-earliest, 0)
    out: list[Lap] = []
    for car in cars:
        for number, (lap, end_ms) in enumerate(
            zip(raw[car.car_id], ends.get(car.car_id, ()), strict=False), 1
        ):
            end = (end_ms + shift) * 1000
            time = lap.time * 1000
            sectors = tuple(None if s is None else s * 1000 for s in lap.splits)
            deleted = "" if lap.valid else "invalid (server: not valid for best lap)"
            out.append(
                Lap(car.key, number, end - time, end, time, sectors, deleted=deleted, driver=lap.driver)
            )
    return out, shift * 1000, notes


def _server_row(index: int, car: _Car, kind: SessionKind, penalties: _Penalties) -> ServerRow:
    disqualified = any(
        d.car == car.key and d.kind is DecisionKind.DISQUALIFICATION for d in penalties.decisions
    )
    if disqualified:
        status = ServerStatus.DSQ
    elif car.laps == 0:
        status = ServerStatus.DNS
    else:
        status = ServerStatus.RUNNING  # ACC states no finish state
    detail = "missing mandatory pit stop" if car.pit_missing else ""
    time = car.total if kind is SessionKind.RACE else car.best
    return ServerRow(
        car=car.key,
        position=index + 1,
        status=status,
        laps=car.laps,
        time=None if time is None else time * 1000,
        best_lap=None if car.best is None else car.best * 1000,
        detail=detail,
    )
