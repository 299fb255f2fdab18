"""Race classification (RULES.md §1): end of race, laps completed, order across the Line, penalties.

The race ends at a leader's crossing of the Line — the scheduled one (distance, time + 0 or time + 1 lap),
cut earlier when the chequered flag was shown early or the race was suspended and not resumed. Every other
car finishes at its first crossing after that moment; its later crossings (the cool-down lap) do not count.
"""

from __future__ import annotations

import sys
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from operator import itemgetter

from parcferme.engine.allocation import bulk_allocation
from parcferme.engine.decisions import CarPenalties, penalties_by_car
from parcferme.engine.laps import laps_by_car
from parcferme.model.decisions import Decision
from parcferme.model.entries import Entry
from parcferme.model.results import BestLap, Grid, ResultRow, SessionResult, Status
from parcferme.model.rules import RuleSet
from parcferme.model.session import RaceEnd, Session
from parcferme.model.time import Gap
from parcferme.model.timing import NEUTRALISED, Lap, TrackStatus, TrackStatusPeriod

_NO_PENALTY = CarPenalties()


@dataclass(frozen=True, slots=True)
class RaceEnding:
    """Which leader lap ends the race and when: `lap` 0 means no lap was completed."""

    lap: int
    time: int | None
    countback: bool = False


def leader_crossings(laps_per_car: dict[str, list[Lap]]) -> list[tuple[int, str]]:
    """For lap n (index n-1): the earliest completion of lap n by any car, and that car.

    Column-wise: each car contributes the end times of its laps indexed by lap number, and `min` over
    each lap's column runs in C. A car whose data skips lap numbers is placed by number, its gaps empty.
    """
    cars = list(laps_per_car)
    rows: list[list[int]] = []
    for laps in laps_per_car.values():
        if laps and laps[-1].number == len(laps):
            rows.append(list(map(_end_of, laps)))
        else:
            sparse = [_NEVER] * (laps[-1].number if laps else 0)
            for lap in laps:
                sparse[lap.number - 1] = lap.end
            rows.append(sparse)
    firsts: list[tuple[int, str]] = []
    for column in zip_longest(*rows, fillvalue=_NEVER):
        earliest = min(column)
        if earliest == _NEVER:
            break
        firsts.append((earliest, cars[column.index(earliest)]))  # on a tie, the first car
    # keep the list monotone: a lap cannot be completed before the previous one
    for i in range(len(firsts) - 1, 0, -1):
        if firsts[i - 1][0] > firsts[i][0]:
            firsts[i - 1] = firsts[i]
    return firsts


_NEVER = sys.maxsize
# Lap fields by position: itemgetter indexes the tuple, attrgetter goes through the class's descriptor
_end_of = itemgetter(Lap._fields.index("end"))


def race_ending(
    session: Session,
    firsts: Sequence[tuple[int, str]],
    track_status: Sequence[TrackStatusPeriod],
    rules: RuleSet,
    laps_per_car: dict[str, list[Lap]] | None = None,
) -> RaceEnding:
    """The leader lap at which the race is deemed to have ended (RULES.md §1.2 and §1.8)."""
    if not firsts:
        return RaceEnding(0, None)
    schedule = session.schedule
    times = [t for t, _ in firsts]
    last = len(firsts)
    ending = RaceEnding(last, times[-1])  # no flag in the data yet: the race as far as it has run
    if schedule.laps is not None and schedule.laps < last:
        ending = RaceEnding(schedule.laps, times[schedule.laps - 1])
    if schedule.duration is not None and schedule.end_mode is not RaceEnd.LAPS:
        expiry = _time_expired(laps_per_car or {}, schedule.start + schedule.duration)
        if expiry is not None:
            lap, at = expiry
            if schedule.end_mode is RaceEnd.TIME_PLUS_LAP:
                lap = min(lap + 1, last)
                at = times[lap - 1]
            if lap < ending.lap:
                ending = RaceEnding(lap, at)
    flag = next((p.start for p in track_status if p.status is TrackStatus.CHEQUERED), None)
    if flag is not None:
        # flag shown early: the race ended at the leader's last crossing before the signal (Art 59.2).
        # A flag logged a moment before the leader's crossing is shown *at* that crossing: allow half the
        # minimum lap time, far less than any real lap.
        shown = bisect_left(times, flag + rules.min_lap_time // 2 + 1)
        if 0 < shown < ending.lap:
            ending = RaceEnding(shown, times[shown - 1])
    red = _unresumed_red(track_status)
    if red is not None:
        during = bisect_left(times, red) + 1  # the leader lap during which the red flag was shown
        taken = min(during - rules.red_flag_countback_laps, ending.lap)
        if taken < ending.lap:
            ending = RaceEnding(max(taken, 0), times[taken - 1] if taken > 0 else None, countback=True)
    return ending


def _time_expired(laps_per_car: dict[str, list[Lap]], expiry: int) -> tuple[int, int] | None:
    """The leader on the road's first crossing once time has expired: (its lap number, the time).

    The leader on the road is, among cars still running after the expiry, the one with the most laps
    completed before it (earliest on a tie). A leader who retired before time expired is no longer on
    the road, so the flag falls at the next leading car's crossing, not a lap later.
    """
    leader: tuple[int, int, Lap] | None = None
    for car_laps in laps_per_car.values():
        done = bisect_left(car_laps, expiry, key=_end_of)  # laps completed before time expired
        if done == len(car_laps):
            continue  # stopped before time expired
        since = car_laps[done - 1].end if done else 0
        if leader is None or (done, -since) > leader[:2]:
            leader = (done, -since, car_laps[done])
    if leader is None:
        return None
    crossing = leader[2]
    return crossing.number, crossing.end


def _unresumed_red(track_status: Sequence[TrackStatusPeriod]) -> int | None:
    """The start of a red flag after which the race never resumed (a red period with no end)."""
    reds = [p for p in track_status if p.status is TrackStatus.RED and p.end is None]
    return min(p.start for p in reds) if reds else None


@dataclass(slots=True)
class Standing:
    """One car's standing at the end of a race, before ranking: what batch and live classification share."""

    car: str
    laps: int
    time: int | None  # race time incl. penalties
    took_flag: bool
    ran: bool
    best: BestLap | None
    penalties: CarPenalties


@bulk_allocation
def classify_race(
    session: Session,
    laps: Iterable[Lap],
    entries: Sequence[Entry],
    rules: RuleSet,
    decisions: Sequence[Decision] = (),
    grid: Grid | None = None,
    track_status: Sequence[TrackStatusPeriod] = (),
) -> SessionResult:
    """The overall classification of a race."""
    per_car = laps_by_car(laps)
    firsts = leader_crossings(per_car)
    ending = race_ending(session, firsts, track_status, rules, per_car)
    penalties = penalties_by_car((d for d in decisions if d.session == session.id), rules)
    start = session.schedule.start
    entered = [e.number for e in entries]
    known = set(entered)
    cars = entered + [c for c in per_car if c not in known]

    standings: list[Standing] = []
    for car in cars:
        car_laps = per_car.get(car, [])
        pen = penalties.get(car, _NO_PENALTY)
        counted = _counted(car_laps, ending)
        took_flag = ending.time is not None and bool(counted) and counted[-1].end >= ending.time
        n = max(len(counted) - pen.laps, 0) if counted else 0
        time = counted[-1].end - start + pen.time if counted else None
        standings.append(Standing(car, n, time, took_flag, bool(car_laps), _best_lap(counted), pen))

    return result_from_standings(session, standings, firsts, ending, rules, grid, per_car)


def result_from_standings(
    session: Session,
    standings: list[Standing],
    firsts: Sequence[tuple[int, str]],
    ending: RaceEnding,
    rules: RuleSet,
    grid: Grid | None,
    laps_per_car: Mapping[str, list[Lap]],
) -> SessionResult:
    """Rank the cars' standings and put the race's result together: laps led, neutralised leader laps,
    fastest lap. Shared by the batch classifier and the live one (engine.live), so they cannot drift."""
    led = _laps_led(firsts, ending.lap)
    rows = _rank(standings, rules, grid, led)
    neutralised = tuple(
        number
        for number, (_, car) in enumerate(firsts[: ending.lap], start=1)
        if NEUTRALISED & _statuses_of_lap(laps_per_car[car], number)
    )
    fastest = min(
        (s.best for s in standings if s.best is not None and not s.penalties.disqualified),
        key=lambda b: (b.time, b.at),
        default=None,
    )
    return SessionResult(
        session=session.id,
        classification="overall",
        rows=rows,
        fastest_lap=fastest,
        laps_completed=ending.lap,
        neutralised_laps=neutralised,
        red_flag_countback=ending.countback,
    )


def _counted(car_laps: list[Lap], ending: RaceEnding) -> list[Lap]:
    """A car's laps up to its first crossing at or after the end of the race."""
    if ending.time is None:
        return []
    crossing = bisect_left(car_laps, ending.time, key=_end_of)
    return car_laps[: crossing + 1]


def _statuses_of_lap(car_laps: list[Lap], number: int) -> frozenset[TrackStatus]:
    """The track statuses of a car's lap `number` (none when the car's data has no such lap)."""
    if number <= len(car_laps) and car_laps[number - 1].number == number:
        return car_laps[number - 1].statuses  # laps built from passings are numbered 1..n without gaps
    for lap in car_laps:
        if lap.number == number:
            return lap.statuses
    return frozenset()


def _best_lap(laps: Sequence[Lap]) -> BestLap | None:
    """The fastest valid lap; on equal times the first set (index finds the first of equal times)."""
    valid = laps if not any(map(_deleted, laps)) else [lap for lap in laps if not lap.deleted]
    if not valid:
        return None
    times = list(map(_lap_time, valid))
    best = valid[times.index(min(times))]
    return BestLap(best.car, best.number, best.time, best.end)


_lap_time = itemgetter(Lap._fields.index("time"))
_deleted = itemgetter(Lap._fields.index("deleted"))


def _laps_led(firsts: Sequence[tuple[int, str]], up_to: int) -> dict[str, int]:
    led: dict[str, int] = {}
    for _, car in firsts[:up_to]:
        led[car] = led.get(car, 0) + 1
    return led


def _status(s: Standing, threshold: int, rules: RuleSet) -> Status:
    if s.penalties.excluded:
        return Status.EXCL
    if s.penalties.disqualified:
        return Status.DSQ
    if not s.ran:
        return Status.DNS
    if s.laps >= threshold and s.laps > 0 and (s.took_flag or not rules.must_take_flag):
        return Status.CLASSIFIED
    return Status.NC if s.took_flag else Status.DNF


_STATUS_ORDER = {
    Status.CLASSIFIED: 0,
    Status.NC: 1,
    Status.DNF: 1,
    Status.DNS: 2,
    Status.DSQ: 3,
    Status.EXCL: 3,
}


def _rank(
    standings: list[Standing], rules: RuleSet, grid: Grid | None, led: dict[str, int]
) -> tuple[ResultRow, ...]:
    # laps completed, then order across the Line (race time, penalties included)
    on_track = sorted(
        (s for s in standings if not (s.penalties.disqualified or s.penalties.excluded)),
        key=lambda s: (-s.laps, s.time if s.time is not None else 0),
    )
    winner_laps = on_track[0].laps if on_track else 0
    threshold = rules.classified_threshold(winner_laps)
    statuses = {s.car: _status(s, threshold, rules) for s in standings}
    ordered = sorted(
        standings,
        key=lambda s: (
            _STATUS_ORDER[statuses[s.car]],
            -s.laps,
            s.time if s.time is not None else 0,
        ),
    )
    leader = ordered[0] if ordered else None
    rows: list[ResultRow] = []
    position = 0
    ahead: Standing | None = None
    for s in ordered:
        status = statuses[s.car]
        classified = status is Status.CLASSIFIED
        if classified:
            position += 1
        timed = s.time is not None and status not in (Status.DSQ, Status.EXCL, Status.DNS)
        grid_pos = grid.position_of(s.car) if grid is not None else None
        rows.append(
            ResultRow(
                position=position if classified else None,
                car=s.car,
                status=status,
                laps=s.laps,
                time=s.time,
                gap=gap_between(leader, s) if timed and s is not leader else None,
                interval=gap_between(ahead, s) if timed and ahead is not None else None,
                best_lap=s.best,
                grid=grid_pos,
                pit_lane_start=grid is not None and _pit_lane(grid, s.car),
                positions_gained=(grid_pos - position) if classified and grid_pos is not None else None,
                laps_led=led.get(s.car, 0),
                penalty_time=s.penalties.time,
                penalties=s.penalties.notes,
            )
        )
        if timed:
            ahead = s
    return tuple(rows)


def gap_between(ahead: Standing | ResultRow | None, behind: Standing | ResultRow) -> Gap | None:
    """Gap in time when on the same lap, in laps otherwise.

    Between cars on different laps the difference of race times means nothing (a car that retired a lap
    down can have the smaller time), so a lapped gap carries no time.
    """
    if ahead is None or ahead.time is None or behind.time is None:
        return None
    laps = ahead.laps - behind.laps
    return Gap(time=behind.time - ahead.time) if laps <= 0 else Gap(laps=laps)


def _pit_lane(grid: Grid, car: str) -> bool:
    return any(slot.car == car and slot.pit_lane for slot in grid.slots)
