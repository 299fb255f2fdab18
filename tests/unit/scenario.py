"""Small hand-written sessions for engine tests: lap times in, passings out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from parcferme.model import (
    SF,
    Driver,
    Entry,
    Passing,
    RaceEnd,
    RuleSet,
    Schedule,
    Session,
    SessionKind,
)

START = 14 * 3600 * 1_000_000
S = 1_000_000  # one second in µs
RULES = RuleSet(id="test")


def race_session(
    *,
    laps: int | None = None,
    duration: int | None = None,
    end: RaceEnd = RaceEnd.LAPS,
    sectors: tuple[str, ...] = (),
) -> Session:
    schedule = Schedule(dt.date(2017, 5, 6), START, duration=duration, laps=laps, end_mode=end)
    return Session("R1", SessionKind.RACE, "Race 1", schedule, sector_lines=sectors)


def qualifying_session() -> Session:
    schedule = Schedule(dt.date(2017, 5, 5), START, duration=20 * 60 * S)
    return Session("Q1", SessionKind.QUALIFYING, "Qualifying", schedule, sector_lines=())


def entries(*numbers: str) -> tuple[Entry, ...]:
    return tuple(Entry(n, (Driver("Driver", n),)) for n in numbers)


def race_passings(lap_times: Mapping[str, Sequence[float]], start: int = START) -> list[Passing]:
    """SF passings of cars that all start at `start` and run the given lap times (seconds)."""
    out: list[Passing] = []
    for car, times in lap_times.items():
        t = start
        for seconds in times:
            t += round(seconds * S)
            out.append(Passing(t, SF, car))
    out.sort()
    return out
