"""What the charts plot, computed from laps alone: positions and gaps per lap, lap-time samples.

Pure functions over model objects (no matplotlib, no I/O) so that the numbers under every chart are
unit-tested apart from the drawing. Times stay integer microseconds here; the drawing converts them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from parcferme.engine import EventResults, SessionOutcome
from parcferme.errors import ParcFermeError
from parcferme.model.classification import OVERALL
from parcferme.model.results import Grid, SessionResult, Status
from parcferme.model.timing import NEUTRALISED, Lap, TrackStatus

# Laps run (partly) under these do not say anything about a car's pace.
SLOW_STATUSES = NEUTRALISED | {TrackStatus.RED}

Point = tuple[int, int]  # (lap number, value); lap 0 is the starting grid


@dataclass(frozen=True, slots=True)
class CarSeries:
    """One car's line on a chart: (lap, value) points in lap order; `retired` when it stops early."""

    car: str
    points: tuple[Point, ...]
    retired: bool = False

    @property
    def last_lap(self) -> int:
        return self.points[-1][0] if self.points else 0


@dataclass(frozen=True, slots=True)
class PerLapData:
    """Every car's series (result order) over `laps` leader laps, and the leader laps run neutralised."""

    laps: int
    cars: tuple[CarSeries, ...]
    neutralised: tuple[int, ...] = ()

    def series(self, car: str) -> CarSeries:
        for s in self.cars:
            if s.car == car:
                return s
        raise KeyError(car)


def counted_laps(laps: Iterable[Lap], finish_lap: int) -> list[Lap]:
    """The laps that count for a race that ended at the leader's `finish_lap` (0: keep them all).

    Every car's race ends at its first crossing at or after the leader's finishing one; later crossings
    are the cool-down lap and must not show on a chart (RULES.md §1.2).
    """
    laps = sorted(laps, key=lambda lap: (lap.car, lap.number))
    if finish_lap <= 0:
        return laps
    ends = [lap.end for lap in laps if lap.number == finish_lap]
    if not ends:
        return laps
    flag = min(ends)
    kept: list[Lap] = []
    done: set[str] = set()
    for lap in laps:
        if lap.car in done:
            continue
        kept.append(lap)
        if lap.end >= flag:
            done.add(lap.car)
    return kept


def positions_per_lap(laps: Iterable[Lap], grid_order: Sequence[str] = ()) -> dict[str, tuple[Point, ...]]:
    """Each car's position as it crossed the Line at the end of every lap it completed.

    At lap n the cars are ranked by the time they completed lap n: whoever is ahead on the road across
    the Line, a lapped car behind everyone who completed that lap before it. Lap 0 is the starting grid
    (`grid_order`, pit-lane starters last), renumbered among the cars that ran, so that positions at
    every lap run 1..k without holes.
    """
    crossings: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for lap in laps:
        crossings[lap.number].append((lap.end, lap.car))
    points: dict[str, list[Point]] = defaultdict(list)
    ran = {car for column in crossings.values() for _, car in column}
    starters = [car for car in grid_order if car in ran]
    for position, car in enumerate(starters, start=1):
        points[car].append((0, position))
    for number in sorted(crossings):
        for position, (_, car) in enumerate(sorted(crossings[number]), start=1):
            points[car].append((number, position))
    return {car: tuple(p) for car, p in points.items()}


def gaps_per_lap(laps: Iterable[Lap]) -> dict[str, tuple[Point, ...]]:
    """Each car's gap (µs) to the first car to complete the same lap number, lap by lap.

    The difference of crossing times at equal lap counts: a lapped car's gap keeps growing past a lap
    time instead of collapsing to "+1 Lap", which is what a race-history chart needs. Time penalties
    are not included: this is the race on the road.
    """
    crossings: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for lap in laps:
        crossings[lap.number].append((lap.end, lap.car))
    points: dict[str, list[Point]] = defaultdict(list)
    for number in sorted(crossings):
        column = crossings[number]
        lead = min(end for end, _ in column)
        for end, car in sorted(column):
            points[car].append((number, end - lead))
    return {car: tuple(p) for car, p in points.items()}


def is_pace_lap(lap: Lap, *, race: bool) -> bool:
    """A lap that shows a car's pace: not an in or out lap, not deleted, not run under SC/FCY/VSC/Code 60
    or a red flag, and in a race not lap 1 (it includes the standing start)."""
    if lap.in_pit or lap.out_lap or lap.deleted:
        return False
    if lap.statuses & SLOW_STATUSES:
        return False
    return not (race and lap.number == 1)


# A lap slower than 107 % of the session's fastest is a cool-down, a slow-down or a problem, not pace
# (the threshold FastF1's `pick_quicklaps` uses, and the FIA's qualifying cut-off).
QUICK_LAP_PERCENT = 107


def lap_time_samples(laps: Iterable[Lap], *, race: bool) -> dict[str, tuple[int, ...]]:
    """Each car's pace laps (see `is_pace_lap`) within 107 % of the session's fastest, in lap order."""
    pace = [lap for lap in laps if is_pace_lap(lap, race=race)]
    if not pace:
        return {}
    limit = min(lap.time for lap in pace) * QUICK_LAP_PERCENT
    samples: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for lap in pace:
        if lap.time * 100 <= limit:
            samples[lap.car].append((lap.number, lap.time))
    return {car: tuple(t for _, t in sorted(s)) for car, s in samples.items()}


@dataclass(frozen=True, slots=True)
class BoxStats:
    """A box plot's numbers (µs): quartiles, and whiskers at the furthest laps within 1.5 IQR of the box."""

    low: int
    q1: int
    median: int
    q3: int
    high: int


def _quantile(ordered: Sequence[int], q: float) -> int:
    """Linear interpolation between closest ranks (numpy's default), rounded to the µs."""
    index = (len(ordered) - 1) * q
    below = int(index)
    above = min(below + 1, len(ordered) - 1)
    return round(ordered[below] + (ordered[above] - ordered[below]) * (index - below))


def box_stats(times: Sequence[int]) -> BoxStats:
    """Tukey's box plot of a car's lap times; computed here rather than by matplotlib's `boxplot`, which
    resolves (and may switch) the global backend by reading every rcParam."""
    if not times:
        raise ValueError("box_stats needs at least one lap time")
    ordered = sorted(times)
    q1, median, q3 = (_quantile(ordered, q) for q in (0.25, 0.5, 0.75))
    reach = 1.5 * (q3 - q1)
    low = min(t for t in ordered if t >= q1 - reach)
    high = max(t for t in ordered if t <= q3 + reach)
    return BoxStats(low, q1, median, q3, high)


# ── from a classified session ──────────────────────────────────────────────────────────────────────────


def _grid_order(grid: Grid | None) -> list[str]:
    if grid is None:
        return []
    slots = sorted(grid.slots, key=lambda s: (s.pit_lane, s.position))
    return [s.car for s in slots]


def session_laps(outcome: SessionOutcome, cars: Collection[str] | None = None) -> list[Lap]:
    """The laps that count (a race's cool-down lap left out), for every car or only `cars`."""
    finish = outcome.overall.laps_completed if outcome.session.is_race else 0
    laps = counted_laps(outcome.laps, finish)
    return laps if cars is None else [lap for lap in laps if lap.car in cars]


def _per_lap(
    outcome: SessionOutcome, points: dict[str, tuple[Point, ...]], cars: Collection[str] | None
) -> PerLapData:
    overall = outcome.overall
    finish = overall.laps_completed or max((p[-1][0] for p in points.values() if p), default=0)
    # a lapped car that took the flag also stops short of the leader's laps: only a DNF has retired
    retired = {r.car for r in overall.rows if r.status is Status.DNF}
    ordered = [r.car for r in overall.rows if r.car in points]
    ordered += sorted(car for car in points if car not in set(ordered))
    series = tuple(
        CarSeries(car, points[car], retired=car in retired) for car in ordered if cars is None or car in cars
    )
    return PerLapData(finish, series, tuple(overall.neutralised_laps))


def lap_chart_data(outcome: SessionOutcome, cars: Collection[str] | None = None) -> PerLapData:
    """Positions per lap of a race (from the grid), for every car or only `cars` (overall positions)."""
    laps = session_laps(outcome, None)
    grid = _grid_order(outcome.grid)
    return _per_lap(outcome, positions_per_lap(laps, grid), cars)


def gap_chart_data(outcome: SessionOutcome, cars: Collection[str] | None = None) -> PerLapData:
    """Gaps to the leader per lap of a race, for every car or only `cars` (gaps to the overall leader)."""
    return _per_lap(outcome, gaps_per_lap(session_laps(outcome, None)), cars)


def lap_time_data(
    outcome: SessionOutcome, cars: Collection[str] | None = None
) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Pace laps per car, in result order; cars without a single pace lap are left out."""
    samples = lap_time_samples(session_laps(outcome, cars), race=outcome.session.is_race)
    return tuple((r.car, samples[r.car]) for r in outcome.overall.rows if samples.get(r.car))


def spread_labels(values: Sequence[float], min_gap: float) -> list[float]:
    """Where to write labels wanted at `values` (any order) so that they stay `min_gap` apart, each as
    close to its value as that allows: overlapping labels are gathered into clusters, each centred on the
    mean of its wanted positions, in the order of those positions."""
    clusters: list[tuple[list[int], float]] = []  # (indices in value order, position of the first)
    for index in sorted(range(len(values)), key=lambda i: (values[i], i)):
        clusters.append(([index], values[index]))
        while len(clusters) > 1:
            (before, start), (after, next_start) = clusters[-2], clusters[-1]
            if start + len(before) * min_gap <= next_start:
                break  # no overlap with the cluster above: done
            merged = before + after
            mean = sum(values[i] for i in merged) / len(merged)
            clusters[-2:] = [(merged, mean - (len(merged) - 1) * min_gap / 2)]
    placed = [0.0] * len(values)
    for members, start in clusters:
        for k, index in enumerate(members):
            placed[index] = start + k * min_gap
    return placed


# ── choosing what to draw ──────────────────────────────────────────────────────────────────────────────


def select_session(
    results: EventResults, session_id: str, classification: str = OVERALL
) -> tuple[SessionOutcome, SessionResult]:
    """The outcome of `session_id` and its result for `classification`; unknown ids are a ParcFermeError
    that lists the valid ones (a caller passing user input gets a message, not a KeyError)."""
    outcome = next((o for o in results.sessions if o.session.id == session_id), None)
    if outcome is None:
        known = ", ".join(o.session.id for o in results.sessions)
        raise ParcFermeError(f"no session {session_id!r} (sessions: {known})")
    result = outcome.results.get(classification)
    if result is None:
        known = ", ".join(outcome.results)
        raise ParcFermeError(f"no classification {classification!r} (classifications: {known})")
    return outcome, result


def neutralisation_kinds(outcome: SessionOutcome) -> frozenset[TrackStatus]:
    """The kinds of neutralisation (SC, VSC…) in force during the leader laps counted as neutralised."""
    wanted = set(outcome.overall.neutralised_laps)
    kinds: set[TrackStatus] = set()
    for lap in outcome.laps:
        if lap.number in wanted:
            kinds.update(lap.statuses & NEUTRALISED)
    return frozenset(kinds)
