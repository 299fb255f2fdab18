"""Race simulator: each car's Line crossings come from waypoints (race time at chosen laps), with the laps
in between sharing the time evenly plus zero-sum noise, and scripted incidents on top.

Designing by waypoints is what lets the facts hold exactly (who leads lap 1, by how much the winner leads,
the fastest lap) while positions in between follow from the times: a car that finishes ahead of one it
trailed after lap 1 passes it somewhere on the way, lap by lap.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from spa2017.timing import (
    F_PIT_IN,
    F_PIT_OUT,
    F_S1,
    F_S2,
    LINE_TO_PIT_EXIT,
    PIT_IN,
    PIT_LANE_TO_LINE,
    PIT_OUT,
    S1,
    S2,
    SF,
    Crossing,
    jittered,
    rng,
    zero_sum_noise,
)

COOL_DOWN = 1.45  # the lap after the flag, relative to a racing lap


@dataclass
class CarPlan:
    """One car's race. `waypoints` maps a lap to the race time (µs) at which the car completes it; the
    highest waypoint is its last completed lap.

    `events` adds time lost on a lap (a spin, damage); the waypoints include it. `stops` makes a lap an in
    lap (pit entry, the Line in the pit lane) followed by a stationary time and an out lap. `retire` ends
    the race on the lap after the last waypoint, after the named line (S1 or S2: stopped on track);
    `retire_in_pits` makes the last completed lap an in lap with no exit. `s1` fixes the sector-1 time of
    a lap (a move at Les Combes); `neutral` laps have the same sector split for every car (no overtaking).
    """

    car: str
    waypoints: dict[int, int]
    events: dict[int, int] = field(default_factory=dict)
    stops: dict[int, int] = field(default_factory=dict)
    retire: str | None = None
    retire_in_pits: bool = False
    s1: dict[int, int] = field(default_factory=dict)
    neutral: frozenset[int] = frozenset()
    noise: float = 0.28  # σ of lap-to-lap variation, s

    @property
    def laps(self) -> int:
        return max(self.waypoints)


def lap_ends(plan: CarPlan, session: str) -> list[int]:
    """Race time at the end of laps 0, 1, … (index 0 is the start)."""
    r = rng(session, plan.car, "laps")
    ends = [0]
    prev_lap, prev_t = 0, 0
    for lap, t in sorted(plan.waypoints.items()):
        n = lap - prev_lap
        lost = [plan.events.get(k, 0) for k in range(prev_lap + 1, lap + 1)]
        base_total = t - prev_t - sum(lost)
        base = [base_total // n] * n
        base[-1] += base_total - sum(base)
        noise = zero_sum_noise(r, n, plan.noise) if n > 1 else [0]
        for b, e, x in zip(base, lost, noise, strict=True):
            ends.append(ends[-1] + b + e + x)
        if ends[-1] != t:
            raise AssertionError(f"car {plan.car}: waypoint lap {lap} missed")
        prev_lap, prev_t = lap, t
    return ends


def crossings(plan: CarPlan, session: str, finishes: bool) -> list[Crossing]:
    """Every passing of the car, µs since the start signal; `finishes`: it takes the flag and cools down."""
    r = rng(session, plan.car, "sectors")
    ends = lap_ends(plan, session)
    racing_lap = (ends[-1] - ends[1]) // max(1, plan.laps - 1) if plan.laps > 1 else ends[1]
    out: list[Crossing] = []
    last = plan.laps
    for lap in range(1, last + 1):
        start, end = ends[lap - 1], ends[lap]
        a, b = (F_S1, F_S2) if lap in plan.neutral else jittered(r)
        if lap == 1:
            a, b = a + 0.012, b + 0.006  # the standing start costs most in sector 1
        pit_in = lap in plan.stops or (plan.retire_in_pits and lap == last)
        if lap - 1 in plan.stops:  # out lap: the car rejoins from the pit exit
            pit_out = start + plan.stops[lap - 1] + LINE_TO_PIT_EXIT
            out.append(Crossing(pit_out, PIT_OUT, plan.car))
            out += [
                Crossing(end - round((1 - x) * racing_lap), line, plan.car) for line, x in ((S1, a), (S2, b))
            ]
            if out[-2].time <= pit_out:
                raise AssertionError(f"car {plan.car}: lap {lap} out lap too short")
        elif pit_in:
            track = round((end - PIT_LANE_TO_LINE - start) / F_PIT_IN)
            out += [Crossing(start + round(x * track), line, plan.car) for line, x in ((S1, a), (S2, b))]
            out.append(Crossing(end - PIT_LANE_TO_LINE, PIT_IN, plan.car))
        elif lap in plan.s1:
            t1 = start + plan.s1[lap]
            t2 = t1 + round((end - t1) * (b - a) / (1 - a))
            out += [Crossing(t1, S1, plan.car), Crossing(t2, S2, plan.car)]
        else:
            out += [
                Crossing(start + round(x * (end - start)), line, plan.car) for line, x in ((S1, a), (S2, b))
            ]
        out.append(Crossing(end, SF, plan.car))
    if plan.retire is not None:  # stopped on track during the next lap
        a, b = jittered(r)
        reached = [(S1, a)] + ([(S2, b)] if plan.retire == S2 else [])
        out += [Crossing(ends[-1] + round(x * racing_lap), line, plan.car) for line, x in reached]
    elif finishes:
        a, b = jittered(r)
        slow = round(racing_lap * COOL_DOWN)
        out += [
            Crossing(ends[-1] + round(x * slow), line, plan.car)
            for line, x in ((S1, a), (S2, b), (PIT_IN, F_PIT_IN))
        ]
    return out


def pit_stop_cost(stationary: int, racing_lap: int) -> tuple[int, int]:
    """Time an in lap and the following out lap lose against racing laps (pit-lane speed limit)."""
    in_lap = PIT_LANE_TO_LINE - round((1 - F_PIT_IN) * racing_lap)
    out_lap = stationary + LINE_TO_PIT_EXIT - round(F_PIT_OUT * racing_lap)
    return in_lap, out_lap


def ordered_times(
    order: list[str],
    leader_time: int,
    gaps: Mapping[str, float],
    r: random.Random,
    spread: tuple[float, float],
) -> dict[str, int]:
    """Race times for cars in `order`: the first at `leader_time`, then the given gaps (s behind the car
    ahead) or drawn ones."""
    out: dict[str, int] = {}
    t = leader_time
    for i, car in enumerate(order):
        if i:
            t += round(1_000_000 * (gaps[car] if car in gaps else r.uniform(*spread)))
        out[car] = t
    return out
