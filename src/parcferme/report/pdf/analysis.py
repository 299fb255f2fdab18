"""The numbers behind the analysis documents, from laps alone: best sectors, ideal laps, the fastest-lap
sequence, and which lap or sector of a car is its best. Pure functions, no formatting."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from parcferme.model.timing import Lap


@dataclass(frozen=True, slots=True)
class SectorTime:
    """A car's best time in one sector and the lap it was set on."""

    car: str
    sector: int  # 0-based
    time: int
    lap: int


@dataclass(frozen=True, slots=True)
class IdealLap:
    """The sum of a car's best sectors, against its best lap; `sectors` holds one SectorTime per sector."""

    car: str
    time: int
    sectors: tuple[SectorTime, ...]
    best_lap: int | None  # the car's best valid lap time (µs), None when it set none


@dataclass(frozen=True, slots=True)
class Improvement:
    """A lap that became the fastest of the session when it was completed; `gain` to the previous best."""

    at: int  # time of day of the lap's end (µs)
    car: str
    lap: int
    time: int
    gain: int | None  # None for the first timed lap of the session


def counts_for_best(lap: Lap, *, race: bool) -> bool:
    """A lap that can be a car's best, as the engine ranks them: never a deleted lap, and outside races
    never an out lap (it is timed from the pit exit, not over a whole lap)."""
    return lap.valid_for_best and (race or not lap.out_lap)


def sector_counts(laps: Iterable[Lap]) -> int:
    return max((len(lap.sectors) for lap in laps), default=0)


def valid_sector(lap: Lap, index: int) -> int | None:
    """A sector time that can stand as a best: not from a deleted lap, not through the pit lane.

    The first sector of an out lap starts in the pit lane and the last sector of an in lap ends there;
    neither measures the track.
    """
    if lap.deleted or index >= len(lap.sectors):
        return None
    if index == 0 and lap.out_lap:
        return None
    if index == len(lap.sectors) - 1 and lap.in_pit:
        return None
    return lap.sectors[index]


def best_sectors_by_car(laps: Iterable[Lap]) -> dict[str, tuple[SectorTime | None, ...]]:
    """Each car's best valid time in every sector (None when it has none); earliest lap wins a tie."""
    laps = sorted(laps, key=lambda lap: (lap.car, lap.number))
    count = sector_counts(laps)
    best: dict[str, list[SectorTime | None]] = defaultdict(lambda: [None] * count)
    for lap in laps:
        row = best[lap.car]
        for index in range(count):
            time = valid_sector(lap, index)
            current = row[index]
            if time is not None and (current is None or time < current.time):
                row[index] = SectorTime(lap.car, index, time, lap.number)
    return {car: tuple(row) for car, row in best.items()}


def sector_rankings(laps: Iterable[Lap]) -> tuple[tuple[SectorTime, ...], ...]:
    """Per sector, every car's best time in it, fastest first (ties: lower lap number, then car)."""
    by_car = best_sectors_by_car(laps)
    count = max((len(row) for row in by_car.values()), default=0)
    rankings: list[tuple[SectorTime, ...]] = []
    for index in range(count):
        times = [s for row in by_car.values() if (s := row[index]) is not None]
        rankings.append(tuple(sorted(times, key=lambda s: (s.time, s.lap, s.car))))
    return tuple(rankings)


def best_lap_times(laps: Iterable[Lap], *, race: bool) -> dict[str, int]:
    """Each car's best lap among those that count (`counts_for_best`)."""
    best: dict[str, int] = {}
    for lap in laps:
        if counts_for_best(lap, race=race) and (lap.car not in best or lap.time < best[lap.car]):
            best[lap.car] = lap.time
    return best


def ideal_laps(laps: Iterable[Lap], *, race: bool) -> tuple[IdealLap, ...]:
    """Every car with a valid time in each sector: its ideal lap, fastest first (ties by car number)."""
    laps = list(laps)
    best = best_lap_times(laps, race=race)
    ideal = [
        IdealLap(
            car,
            sum(s.time for s in row if s is not None),
            tuple(s for s in row if s is not None),
            best.get(car),
        )
        for car, row in best_sectors_by_car(laps).items()
        if row and all(s is not None for s in row)
    ]
    return tuple(sorted(ideal, key=lambda i: (i.time, i.car)))


def fastest_lap_sequence(laps: Iterable[Lap], *, race: bool) -> tuple[Improvement, ...]:
    """How the session's fastest lap progressed: every lap that counts (`counts_for_best`) and beat all
    the laps completed before it, in the order they were completed. Equalling the best is not beating it."""
    sequence: list[Improvement] = []
    best: int | None = None
    for lap in sorted(laps, key=lambda lap: (lap.end, lap.car)):
        if not counts_for_best(lap, race=race):
            continue
        if best is None or lap.time < best:
            sequence.append(
                Improvement(lap.end, lap.car, lap.number, lap.time, None if best is None else best - lap.time)
            )
            best = lap.time
    return tuple(sequence)


def session_best_sectors(rankings: Sequence[Sequence[SectorTime]]) -> tuple[int | None, ...]:
    """The best time of the session in every sector."""
    return tuple(ranking[0].time if ranking else None for ranking in rankings)
