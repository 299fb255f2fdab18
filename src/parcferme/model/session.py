"""Sessions and their schedules."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from parcferme.model._dataclass import dataclass


class SessionKind(StrEnum):
    PRACTICE = "practice"
    QUALIFYING = "qualifying"
    RACE = "race"


class RaceEnd(StrEnum):
    """How a race ends (RULES.md §1.2)."""

    LAPS = "laps"  # flag to the leader when the scheduled distance is covered
    TIME = "time"  # "time + 0 laps": flag at the leader's first crossing once time has elapsed
    TIME_PLUS_LAP = "time+1"  # flag at the end of the lap after the one during which time expired


class GridSource(StrEnum):
    """Which lap of the source session orders a race grid (RULES.md §2.2)."""

    BEST = "best"
    SECOND_BEST = "second-best"


@dataclass(frozen=True, slots=True)
class GridRule:
    """A race grid is formed from a qualifying (or practice) session's best or second-best laps."""

    session: str
    lap: GridSource = GridSource.BEST


@dataclass(frozen=True, slots=True)
class Schedule:
    """When the session starts (µs since midnight of `date`) and how long it runs.

    A race has `laps`, or `duration`, or both (the flag falls at whichever comes first).
    """

    date: dt.date
    start: int
    duration: int | None = None
    laps: int | None = None
    end_mode: RaceEnd = RaceEnd.TIME


@dataclass(frozen=True, slots=True)
class Session:
    """One session of an event (practice, qualifying or race), its schedule and timing lines."""

    id: str
    kind: SessionKind
    name: str
    schedule: Schedule
    sector_lines: tuple[str, ...] = ("S1", "S2")
    grid: GridRule | None = None

    @property
    def is_race(self) -> bool:
        return self.kind is SessionKind.RACE
