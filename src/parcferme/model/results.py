"""Session results: what the engine computes and every writer presents."""

from __future__ import annotations

from enum import StrEnum

from parcferme.model._dataclass import dataclass
from parcferme.model.time import Gap


class Status(StrEnum):
    CLASSIFIED = "classified"
    NC = "NC"  # not classified: below the minimum distance
    DNF = "DNF"  # retired and not classified
    DNS = "DNS"
    DSQ = "DSQ"
    EXCL = "EXCL"

    @property
    def short(self) -> str:
        return "" if self is Status.CLASSIFIED else self.value


@dataclass(frozen=True, slots=True)
class BestLap:
    """A lap time and when it was set (`at`, time of day of its end: ties go to whoever set it first)."""

    car: str
    lap: int
    time: int
    at: int = 0


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One car's line in a session result.

    Race: `time` is the race time at the car's last counted crossing plus time penalties. Qualifying and
    practice: `time` is the best valid lap. `gap` is to the first car, `interval` to the car ahead; both are
    None for the first car and for cars that ran no lap. Only classified rows have a position.
    """

    position: int | None
    car: str
    status: Status
    laps: int
    time: int | None
    gap: Gap | None = None
    interval: Gap | None = None
    best_lap: BestLap | None = None
    second_best: int | None = None  # qualifying: second-best valid lap (race-2 grid under some rules)
    grid: int | None = None  # race: starting position (None for a pit-lane start or unknown)
    pit_lane_start: bool = False
    positions_gained: int | None = None
    laps_led: int = 0
    penalty_time: int = 0  # µs added by decisions
    penalties: tuple[str, ...] = ()  # decision references/reasons applied to this row
    overall_position: int | None = None  # in a sub-classification: the position in the overall result

    @property
    def classified(self) -> bool:
        return self.status is Status.CLASSIFIED


@dataclass(frozen=True, slots=True)
class SessionResult:
    """A session classified for one classification (overall, French championship, B…)."""

    session: str
    classification: str
    rows: tuple[ResultRow, ...]
    fastest_lap: BestLap | None = None  # race: fastest lap; qualifying: pole time
    laps_completed: int = 0  # by the winner / leader at the end (races)
    neutralised_laps: tuple[int, ...] = ()  # leader's lap numbers run under SC/FCY/VSC/Code 60
    red_flag_countback: bool = False  # the result was taken from an earlier lap (RULES.md §1.8)

    def row(self, car: str) -> ResultRow:
        for r in self.rows:
            if r.car == car:
                return r
        raise KeyError(car)

    @property
    def order(self) -> tuple[str, ...]:
        """Car numbers in result order."""
        return tuple(r.car for r in self.rows)


@dataclass(frozen=True, slots=True)
class GridSlot:
    """One place on a starting grid and what gave it to the car."""

    position: int
    car: str
    time: int | None  # the lap time that set the slot
    pit_lane: bool = False
    note: str = ""  # "3-place drop", "no time set"…


@dataclass(frozen=True, slots=True)
class Grid:
    """A race's starting grid, slot by slot."""

    session: str
    slots: tuple[GridSlot, ...]

    def position_of(self, car: str) -> int | None:
        for slot in self.slots:
            if slot.car == car:
                return None if slot.pit_lane else slot.position
        return None
