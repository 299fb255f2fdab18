"""Raw and derived timing: passings, laps, track status.

Passing and Lap are NamedTuples rather than frozen dataclasses: a 24-hour race has 10⁵–10⁶ of them, and a
frozen dataclass costs ~1.8 µs to build against ~0.3 µs for a NamedTuple (measured on the 2-core CI
machine). They are just as immutable and typed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple

from parcferme.model._dataclass import dataclass

# Timing lines. Sector loops are named S1, S2, … in track order; the session lists the ones it has.
SF = "SF"  # the Line: start/finish, crossing both track and pit lane (RULES.md §1.1.4)
PIT_IN = "PIT_IN"
PIT_OUT = "PIT_OUT"


class Passing(NamedTuple):
    """One crossing of a timing line by a car, at a time of day in µs.

    `car` is the entry number once resolved; `transponder` and `seq` are kept as the decoder gave them.
    """

    time: int
    line: str
    car: str
    transponder: str = ""
    seq: int = -1


class TrackStatus(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    FCY = "fcy"
    CODE60 = "code60"
    VSC = "vsc"
    SC = "sc"
    RED = "red"
    CHEQUERED = "chequered"


NEUTRALISED = frozenset({TrackStatus.FCY, TrackStatus.CODE60, TrackStatus.VSC, TrackStatus.SC})


@dataclass(frozen=True, slots=True)
class TrackStatusPeriod:
    """A status in force from `start` until `end` (µs of day); `end` None means until the session ends."""

    status: TrackStatus
    start: int
    end: int | None = None
    note: str = ""

    def overlaps(self, start: int, end: int) -> bool:
        return self.start < end and (self.end is None or self.end > start)


class Lap(NamedTuple):
    """A completed lap of one car, derived from passings or read from a lap-by-lap export.

    `start`/`end` are times of day in µs; `sectors` holds one time per sector (None when a loop was
    missed); `statuses` are the track statuses in force at any time during the lap, besides green.
    """

    car: str
    number: int
    start: int
    end: int
    time: int
    sectors: tuple[int | None, ...] = ()
    in_pit: bool = False  # the lap ended in the pit lane
    out_lap: bool = False  # the lap started from the pit lane
    statuses: frozenset[TrackStatus] = frozenset()
    deleted: str = ""  # reason the lap is deleted (track limits…): it counts, but not for best lap or grid
    driver: int = 0  # index into the entry's drivers

    @property
    def valid_for_best(self) -> bool:
        return not self.deleted


@dataclass(frozen=True, slots=True)
class TimingWarning:
    """Something suspicious in the raw data that the lap builder set aside (never silently)."""

    car: str
    time: int
    kind: str  # "duplicate", "below-minimum", "before-start", "out-of-order"
    message: str
