"""Synthetic races: realistic passings made from known laps, for tests, benchmarks and a live simulator.

The generator is pure (no clock, no global random state): the same arguments and seed give the same race,
byte for byte. It first draws every car's laps (the ground truth), then turns them into the passings a
timing system would record (`race_from_laps`), so a lap builder can be checked against what it should find.

Conventions the passings follow (and a lap builder is expected to invert):

- Laps run from one crossing of the Line (`SF`) to the next. Lap 1 of every car starts at the session start
  (the start signal): there is no passing at the start, the first `SF` passing ends lap 1.
- `sector_lines` are loops in track order; loop k ends sector k, the Line ends the last sector, so a lap has
  `len(sector_lines) + 1` sector times, which add up to the lap time exactly.
- A pit stop spans two laps. Lap n is the in-lap (`in_pit=True`): the car takes the pit lane in its last
  sector, `PIT_IN` is recorded at `end - last_sector // 8`, and the car crosses the Line *in the pit lane*
  (an ordinary `SF` passing, RULES.md §1.1.4) which ends lap n. The box is past the Line, so the stationary
  time lands in lap n + 1, the out-lap (`out_lap=True`): `PIT_OUT` is recorded at
  `start + first_sector * 3 // 4`, before the first sector loop. A lap can be both an out-lap and an in-lap
  (a stop on consecutive laps); `PIT_OUT` still comes before `PIT_IN` in it.
- Race end is `RaceEnd.TIME` ("time + 0 laps"): once `duration` has elapsed, the flag is shown to the
  leader at their first crossing of the Line; every other running car finishes at its first crossing after
  the flag. No passing is recorded after a car's flag crossing.
- A retired car's laps stop at its last crossing before it retires; the sector loops it crossed on its
  unfinished lap are still recorded (a lap builder must not turn them into a lap).
- Passings are sorted by time (ties keep generation order) and numbered from 1 in that order, as one decoder
  would (`seq`). Each car has one transponder.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from types import MappingProxyType
from typing import cast

from parcferme.engine.allocation import paused_collector
from parcferme.errors import InputError
from parcferme.model.classification import Classification
from parcferme.model.entries import Driver, Entry
from parcferme.model.session import RaceEnd, Schedule, Session, SessionKind
from parcferme.model.timing import PIT_IN, PIT_OUT, SF, Lap, Passing

__all__ = [
    "CLASSES",
    "DEFAULT_LAP_TIME",
    "DEFAULT_START",
    "RaceClass",
    "SyntheticRace",
    "generate_race",
    "race_from_laps",
]

DEFAULT_START = 14 * 3600 * 10**6  # 14:00:00, in µs of day
DEFAULT_LAP_TIME = 3 * 60 * 10**6 + 25 * 10**6  # 3:25.000, the fastest class's base pace


@dataclass(frozen=True, slots=True)
class RaceClass:
    """A class of an endurance field: its share of the grid and its pace relative to the fastest class."""

    id: str
    name: str
    share: float  # fraction of the entries
    pace: float  # base lap time = lap_time * pace


# An endurance field: prototypes, a second prototype class, GT cars (Le Mans-like spread of pace).
CLASSES: tuple[RaceClass, ...] = (
    RaceClass("HYPERCAR", "Hypercar", 0.3, 1.0),
    RaceClass("LMP2", "LMP2", 0.3, 1.035),
    RaceClass("GT3", "LMGT3", 0.4, 1.09),
)

_SESSION_DATE = dt.date(2024, 6, 15)
_FIRST_NAMES = ("Alex", "Sam", "Kim", "Jo", "Noa", "Lou", "Max", "Eli", "Ari", "Rene", "Yuki", "Ivo")
_LAST_NAMES = (
    "Martin",
    "Bernard",
    "Durand",
    "Petit",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Leroy",
    "Roux",
)

# Fractions of the base lap time (kept proportional so short test laps behave like long ones).
_LAP_NOISE = 0.004  # σ of the per-sector noise
_TRAFFIC_RATE = 0.03  # share of laps slowed by traffic or a mistake …
_TRAFFIC_LOSS = (0.01, 0.06)  # … by this share of a lap
_TYRE_WEAR = 0.0004  # per lap since the last stop
_CAR_SPREAD = 0.006  # σ of a car's pace around its class's
_PIT_ENTRY_LOSS = 0.03  # pit lane entry, added to the in-lap's last sector
_PIT_EXIT_LOSS = 0.05  # pit lane exit, added to the out-lap's first sector
_STOP = (0.3, 0.05)  # stationary time: mean and σ, as shares of the base lap
_WEAR_LAPS = 30  # tyre wear stops growing after this many laps (no-stop races)
_MIN_SECTOR = 1000  # 1 ms: a noisy sector never goes to zero


@dataclass(frozen=True, slots=True)
class SyntheticRace:
    """A generated race: what a timing system records (`passings`) and the truth it was made from (`laps`).

    `laps` are sorted by car (entry order) then lap number; `flag` is the time of the leader's chequered
    flag crossing (None when every car retired); `retired` lists the cars that stopped before the flag.
    `classifications` has one sub-classification per class present (eligibility on the `class` attribute).
    """

    session: Session
    entries: tuple[Entry, ...]
    passings: tuple[Passing, ...]
    laps: tuple[Lap, ...]
    classifications: tuple[Classification, ...] = ()
    flag: int | None = None
    retired: tuple[str, ...] = ()

    def laps_of(self, car: str) -> tuple[Lap, ...]:
        """The ground-truth laps of one car, in order."""
        return tuple(lap for lap in self.laps if lap.car == car)


def _check(ok: bool, field: str, message: str) -> None:
    if not ok:
        raise InputError(message, source="synthetic", field=field)


def _pit_out_time(start: int, first_sector: int) -> int:
    return start + first_sector * 3 // 4


def _pit_in_time(end: int, last_sector: int) -> int:
    return end - last_sector // 8


def _sectors(lap: Lap) -> tuple[int, ...]:
    """The lap's sector times, or the whole lap as one sector when it has none (checked: no None)."""
    return cast("tuple[int, ...]", lap.sectors) if lap.sectors else (lap.time,)


def _lap_passings(
    lap: Lap, sector_lines: Sequence[str], transponder: str, out: list[tuple[int, str, str, str]]
) -> None:
    """Append the raw crossings (time, line, car, transponder) that a complete lap produces."""
    car = lap.car
    sectors = _sectors(lap)
    if lap.out_lap:
        out.append((_pit_out_time(lap.start, sectors[0]), PIT_OUT, car, transponder))
    t = lap.start
    for line, sector in zip(sector_lines, sectors, strict=False):
        t += sector
        out.append((t, line, car, transponder))
    if lap.in_pit:
        out.append((_pit_in_time(lap.end, sectors[-1]), PIT_IN, car, transponder))
    out.append((lap.end, SF, car, transponder))


def _unfinished_lap(
    lap: Lap,
    sector_lines: Sequence[str],
    stop_at: int,
    transponder: str,
    out: list[tuple[int, str, str, str]],
) -> None:
    """Append the crossings a car makes on the lap it retires on, before it stops at `stop_at`."""
    sectors = _sectors(lap)
    pit_out = _pit_out_time(lap.start, sectors[0])
    if lap.out_lap and pit_out <= stop_at:
        out.append((pit_out, PIT_OUT, lap.car, transponder))
    t = lap.start
    for line, sector in zip(sector_lines, sectors, strict=False):
        t += sector
        if t > stop_at:
            break
        out.append((t, line, lap.car, transponder))


def _numbered(raw: list[tuple[int, str, str, str]]) -> tuple[Passing, ...]:
    raw.sort(key=itemgetter(0))
    new = tuple.__new__  # Passing(...) goes through a Python-level __new__: 3× slower for 10⁶ passings
    return tuple([new(Passing, (t, line, car, tp, seq)) for seq, (t, line, car, tp) in enumerate(raw, 1)])


@paused_collector()
def race_from_laps(
    laps: Iterable[Lap],
    sector_lines: Sequence[str] = (),
    *,
    transponders: Mapping[str, str] | None = None,
) -> tuple[Passing, ...]:
    """The passings that the given complete laps produce, sorted by time and numbered from 1.

    The inverse of a lap builder, following the conventions in the module docstring. Each lap's `sectors`
    is either empty or holds `len(sector_lines) + 1` times (no None) adding up to its lap time; a car's laps
    must be contiguous (each starts where the previous one ended). `transponders` maps car → transponder.
    """
    tps = transponders or {}
    raw: list[tuple[int, str, str, str]] = []
    previous: dict[str, Lap] = {}
    segments = len(sector_lines) + 1
    for lap in laps:
        problem = _lap_problem(lap, previous.get(lap.car), segments)
        if problem:
            raise InputError(problem, source="synthetic", field="laps")
        previous[lap.car] = lap
        _lap_passings(lap, sector_lines if lap.sectors else (), tps.get(lap.car, ""), raw)
    return _numbered(raw)


def _lap_problem(lap: Lap, before: Lap | None, segments: int) -> str | None:
    """Why `race_from_laps` cannot turn this lap into passings, or None."""
    if lap.time != lap.end - lap.start or lap.time <= 0:
        return f"car {lap.car} lap {lap.number}: time {lap.time} is not end - start > 0"
    if before is not None and (lap.number != before.number + 1 or lap.start != before.end):
        return f"car {lap.car}: lap {lap.number} does not follow lap {before.number}"
    if lap.sectors and (
        len(lap.sectors) != segments or None in lap.sectors or sum(_sectors(lap)) != lap.time
    ):
        return f"car {lap.car} lap {lap.number}: sectors {lap.sectors} do not match the lines"
    return None


class _Car:
    """The state of one car while its laps are drawn."""

    __slots__ = ("base", "laps", "number", "pending_out", "since_stop", "stint", "t")

    def __init__(self, number: str, base: float, start: int, stint: int) -> None:
        self.number = number
        self.base = base
        self.laps: list[Lap] = []
        self.t = start
        self.since_stop = 0
        self.stint = stint
        self.pending_out = False


def _entries(
    rng: random.Random, cars: int
) -> tuple[list[str], list[RaceClass], list[str], tuple[Entry, ...], tuple[Classification, ...]]:
    numbers = [str(n) for n in rng.sample(range(1, max(100, 2 * cars)), cars)]
    transponders = [str(t) for t in rng.sample(range(1_000_000, 10_000_000), cars)]
    classes: list[RaceClass] = []
    for cls in CLASSES[:-1]:
        classes.extend([cls] * round(cls.share * cars))
    classes = classes[:cars]
    classes.extend([CLASSES[-1]] * (cars - len(classes)))
    rng.shuffle(classes)
    entries = []
    for i, (number, tp, cls) in enumerate(zip(numbers, transponders, classes, strict=True)):
        drivers = tuple(
            Driver(rng.choice(_FIRST_NAMES), f"{rng.choice(_LAST_NAMES)}-{i + 1}{'abc'[d]}") for d in range(3)
        )
        entries.append(
            Entry(
                number=number,
                drivers=drivers,
                team=f"Team {cls.name} {i + 1}",
                car=cls.name,
                transponders=(tp,),
                attributes=MappingProxyType({"class": cls.id}),
            )
        )
    present = {c.id for c in classes}
    classifications = tuple(
        Classification(
            id=cls.id.lower(),
            names=MappingProxyType({"en": cls.name, "fr": cls.name}),
            require=MappingProxyType({"class": cls.id}),
        )
        for cls in CLASSES
        if cls.id in present
    )
    return numbers, classes, transponders, tuple(entries), classifications


@paused_collector()
def generate_race(
    cars: int,
    duration: int,
    *,
    seed: int,
    sector_lines: tuple[str, ...] = ("S1", "S2", "S3"),
    pit_stops_every: int | None = 12,
    start: int = DEFAULT_START,
    lap_time: int = DEFAULT_LAP_TIME,
    retirements: int = 0,
    session_id: str = "R1",
) -> SyntheticRace:
    """A time-certain race of `cars` cars lasting `duration` µs, drawn from `random.Random(seed)`.

    The field has three classes of pace (`CLASSES`); each car has its own pace around its class's, every
    sector gets noise, some laps lose time in traffic, tyres wear over a stint, and a car pits every
    `pit_stops_every` laps (±1 when that is 3 or more; None: no stops). `retirements` cars stop at a random
    time during the race. The defaults give a 24-hour race of ~390 laps a car when `duration` is 24 h.
    """
    _check(cars >= 1, "cars", "at least one car")
    _check(duration > 0, "duration", "a positive duration")
    _check(lap_time >= 1000 * (len(sector_lines) + 1), "lap_time", "at least 1 ms per sector")
    _check(pit_stops_every is None or pit_stops_every >= 1, "pit_stops_every", "None or >= 1")
    _check(0 <= retirements <= cars, "retirements", "between 0 and the number of cars")
    _check(len(set(sector_lines)) == len(sector_lines), "sector_lines", "distinct names")
    _check(not {SF, PIT_IN, PIT_OUT} & set(sector_lines), "sector_lines", "not SF, PIT_IN or PIT_OUT")

    rng = random.Random(seed)
    numbers, classes, transponders, entries, classifications = _entries(rng, cars)
    session = Session(
        id=session_id,
        kind=SessionKind.RACE,
        name="Synthetic race",
        schedule=Schedule(date=_SESSION_DATE, start=start, duration=duration, end_mode=RaceEnd.TIME),
        sector_lines=tuple(sector_lines),
    )

    # The track: how a lap splits into sectors (fixed for the race).
    segments = len(sector_lines) + 1
    weights = [rng.uniform(0.7, 1.3) for _ in range(segments)]
    total = sum(weights)
    shares = [w / total for w in weights]

    def stint_length() -> int:
        if pit_stops_every is None:
            return 0
        if pit_stops_every >= 3:
            return pit_stops_every + rng.randint(-1, 1)
        return pit_stops_every

    states = [
        _Car(number, lap_time * cls.pace * (1.0 + rng.gauss(0.0, _CAR_SPREAD)), start, stint_length())
        for number, cls in zip(numbers, classes, strict=True)
    ]
    gauss = rng.gauss
    rand = rng.random
    noise = 2.0 * _LAP_NOISE  # the sum of 3 uniforms on [0, 1) has σ = 1/2

    def run(car: _Car, until: int) -> None:
        """Draw the car's laps until it has crossed the Line at or after `until`."""
        base = car.base
        number = car.number
        laps = car.laps
        t = car.t
        n = len(laps)
        while t < until:
            n += 1
            pace = base * (1.0 + _TYRE_WEAR * min(car.since_stop, _WEAR_LAPS))
            # per-sector noise of σ = _LAP_NOISE: a sum of 3 uniforms (Irwin–Hall) is near-normal and
            # 3× cheaper than random.gauss, which matters at 10⁶ sectors
            sectors = [
                max(_MIN_SECTOR, int(pace * s * (1.0 + noise * (rand() + rand() + rand() - 1.5))))
                for s in shares
            ]
            if rand() < _TRAFFIC_RATE:
                sectors[rng.randrange(segments)] += int(base * rng.uniform(*_TRAFFIC_LOSS))
            out_lap = car.pending_out
            if out_lap:
                sectors[0] += int(base * (max(0.05, gauss(*_STOP)) + _PIT_EXIT_LOSS))
                car.pending_out = False
                car.since_stop = 0
            car.since_stop += 1
            in_pit = car.stint > 0 and car.since_stop >= car.stint
            if in_pit:
                sectors[-1] += int(base * _PIT_ENTRY_LOSS)
                car.pending_out = True
                car.stint = stint_length()
            lap_time_ = sum(sectors)
            end = t + lap_time_
            laps.append(Lap(number, n, t, end, lap_time_, tuple(sectors), in_pit, out_lap))
            t = end
        car.t = t

    time_up = start + duration
    for car in states:
        run(car, time_up)

    # Retirements: a car stops at a random moment; it keeps the laps it completed before then.
    retire_at = {car.number: start + rng.randrange(duration) for car in rng.sample(states, retirements)}
    running = [car for car in states if car.number not in retire_at]

    # The flag: the leader's first crossing once time has elapsed. The leader is the car that, at its first
    # crossing after time is up, has the most laps, and crossed first among those (RULES.md §1.1–1.2).
    # Every car has just crossed the Line for the first time at or after time_up: that is its last lap.
    flag: int | None = None
    if running:
        flag = min((-car.laps[-1].number, car.laps[-1].end) for car in running)[1]
        for car in running:
            run(car, flag)

    raw: list[tuple[int, str, str, str]] = []
    truth: list[Lap] = []
    retired: list[str] = []
    for car, tp in zip(states, transponders, strict=True):
        stop_at = retire_at.get(car.number)
        kept: list[Lap] = []
        if stop_at is None:
            kept = car.laps
        else:
            retired.append(car.number)
            for lap in car.laps:
                if lap.end > stop_at:
                    _unfinished_lap(lap, sector_lines, stop_at, tp, raw)
                    break
                kept.append(lap)
        for lap in kept:
            _lap_passings(lap, sector_lines, tp, raw)
        truth.extend(kept)

    return SyntheticRace(
        session=session,
        entries=entries,
        passings=_numbered(raw),
        laps=tuple(truth),
        classifications=classifications,
        flag=flag,
        retired=tuple(retired),
    )
