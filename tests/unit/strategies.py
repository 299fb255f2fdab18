"""Hypothesis strategies for timing data: small races, either generated or built from arbitrary laps.

Imported as a top-level module (`from strategies import …`), like `scenario.py`: pytest's default
"prepend" import mode puts `tests/unit` (a folder without `__init__.py`) on `sys.path` before it imports
a test module there, so plain `pytest` from the repository root finds it with no conftest or path hack.

Races stay small (2–8 cars, a handful of laps) so a property runs ~50–100 examples in about a second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hypothesis import strategies as st

from parcferme.model import Driver, Entry, Lap, Passing, RaceEnd, Schedule, Session, SessionKind
from parcferme.synthetic import DEFAULT_START, SyntheticRace, generate_race, race_from_laps

S = 1_000_000  # one second in µs
SECTOR_PATTERNS: tuple[tuple[str, ...], ...] = ((), ("S1",), ("S1", "S2"), ("S1", "S2", "S3"))


@dataclass(frozen=True)
class LapTable:
    """A race made from drawn laps: the session, its entries, the laps and the passings they produce."""

    session: Session
    entries: tuple[Entry, ...]
    laps: tuple[Lap, ...]
    passings: tuple[Passing, ...]


@st.composite
def generated_races(draw: st.DrawFn, *, max_cars: int = 8) -> SyntheticRace:
    """A short race from `generate_race`: random size, sector loops, pit pattern and retirements."""
    cars = draw(st.integers(2, max_cars))
    lap_time = draw(st.integers(30, 150)) * S
    laps = draw(st.integers(1, 6))
    return generate_race(
        cars,
        laps * lap_time + draw(st.integers(0, lap_time)),
        seed=draw(st.integers(0, 2**32 - 1)),
        sector_lines=draw(st.sampled_from(SECTOR_PATTERNS)),
        pit_stops_every=draw(st.none() | st.integers(1, 4)),
        lap_time=lap_time,
        retirements=draw(st.integers(0, cars - 1)),
    )


@st.composite
def _car_laps(draw: st.DrawFn, car: str, start: int, segments: int) -> list[Lap]:
    """0–6 contiguous laps of one car with arbitrary sector splits and pit flags (any pattern)."""
    laps: list[Lap] = []
    t = start
    for number in range(1, draw(st.integers(0, 6)) + 1):
        # every sector at least 1 s: a real loop is never crossed within the duplicate window of the Line
        sectors = tuple(draw(st.lists(st.integers(S, 60 * S), min_size=segments, max_size=segments)))
        time = sum(sectors)
        if time < 20 * S:  # below RuleSet.min_lap_time: stretch the last sector
            sectors = (*sectors[:-1], sectors[-1] + 20 * S - time)
            time = 20 * S
        in_pit, out_lap = draw(st.booleans()), draw(st.booleans())
        laps.append(Lap(car, number, t, t + time, time, sectors, in_pit, out_lap))
        t += time
    return laps


@st.composite
def lap_tables(draw: st.DrawFn, *, max_cars: int = 8) -> LapTable:
    """A race whose laps are drawn freely (lap times, sectors, in/out laps in any pattern), turned into
    passings by `race_from_laps`. Time-certain: it ends at the leader's first crossing after `duration`."""
    sector_lines = draw(st.sampled_from(SECTOR_PATTERNS))
    numbers = draw(
        st.lists(
            st.sampled_from(("1", "7", "07", "007", "12", "33", "44", "99", "100")),
            min_size=2,
            max_size=max_cars,
            unique=True,
        )
    )
    laps: list[Lap] = []
    for number in numbers:
        laps.extend(draw(_car_laps(number, DEFAULT_START, len(sector_lines) + 1)))
    entries = tuple(Entry(n, (Driver("Driver", n),), transponders=(f"T{n}",)) for n in numbers)
    duration = draw(st.integers(30, 300)) * S
    schedule = Schedule(dt.date(2024, 6, 15), DEFAULT_START, duration=duration, end_mode=RaceEnd.TIME)
    session = Session("R1", SessionKind.RACE, "Race", schedule, sector_lines=sector_lines)
    transponders = {e.number: e.transponders[0] for e in entries}
    return LapTable(
        session, entries, tuple(laps), race_from_laps(laps, sector_lines, transponders=transponders)
    )
