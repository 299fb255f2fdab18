"""Qualifying simulator: each car's runs (out lap, flying and cool-down laps, in lap, pit stop), built so
that its best lap is exactly the time the design gives it.

Every car draws its runs from its own generator; the best lap is placed on one of its flying laps that
ends before the cut-off (the red flag, or any flying lap started before the chequered flag). All other
flying laps are slower by 0.15–1.4 s, so the designed order is the order the timing produces.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from spa2017.timing import (
    F_PIT_IN,
    F_PIT_OUT,
    PIT_IN,
    PIT_LANE_TO_LINE,
    PIT_OUT,
    S1,
    S2,
    SF,
    US,
    Crossing,
    jittered,
    rng,
    us,
)

# Runs a car may make: each string is one run after an out lap ("P" flying lap, "C" cool-down lap); the
# last run goes on (C P P …) until the flag.
RUN_PLANS = (("PPP", "PPP"), ("PPCPP",), ("PP", "PPCP"), ("PPP", "PP"), ("PPCP", "PP"))
RED_SLOWDOWN = 1.7  # after a red flag, the rest of the lap takes 1.7 times as long


@dataclass(frozen=True)
class QualifyingDesign:
    id: str
    order: tuple[str, ...]  # the result to reproduce, fastest first
    pole: int  # µs
    head_gaps: tuple[float, ...]  # s behind the car ahead, for positions 2, 3, …; the rest are drawn
    duration: int = 20 * 60 * US
    red_at: int | None = None  # µs after the start: stopped, not resumed
    late_exit: Mapping[str, int] = field(default_factory=dict)  # car → µs after the start


@dataclass
class _Draws:
    runs: tuple[str, ...]
    deltas: list[int]
    cools: list[int]
    outs: list[int]
    ins: list[int]
    stops: list[int]
    fracs: list[tuple[float, float]]


@dataclass
class _Run:
    crossings: list[Crossing]
    flying: list[tuple[int, int, bool]]  # (end µs, flying-lap index, slowed by the red flag)


def best_times(design: QualifyingDesign) -> dict[str, int]:
    """Each car's best lap: the pole, then the designed gaps, then drawn ones widening down the order."""
    r = rng(design.id, "gaps")
    times = {design.order[0]: design.pole}
    t = design.pole
    for position, car in enumerate(design.order[1:], start=2):
        if position - 2 < len(design.head_gaps):
            gap = design.head_gaps[position - 2]
        else:
            gap = r.uniform(0.02, 0.09) if position <= 12 else r.uniform(0.04, 0.16)
            gap = gap if position <= 30 else r.uniform(0.08, 0.30)
        t += us(gap)
        times[car] = t
    return times


def simulate(design: QualifyingDesign) -> tuple[list[Crossing], dict[str, int]]:
    """All crossings of the session (µs since its start) and each car's best lap."""
    bests = best_times(design)
    queue = list(design.order)
    rng(design.id, "pit-exit").shuffle(queue)
    crossings: list[Crossing] = []
    slot = 0
    for car in queue:
        r = rng(design.id, car)
        if car in design.late_exit:
            exit_at = design.late_exit[car]
        elif r.random() < 0.25:
            exit_at = us(r.uniform(30, 200))  # waits for a gap in the traffic
        else:
            exit_at = us(4 + 2.4 * slot)  # queued at the pit exit when the lights go green
            slot += 1
        crossings += _car(design, car, bests[car], exit_at, r)
    return crossings, bests


def _car(design: QualifyingDesign, car: str, best: int, exit_at: int, r: random.Random) -> list[Crossing]:
    draws = _Draws(
        runs=r.choice(RUN_PLANS),
        deltas=[us(r.uniform(0.15, 1.4)) for _ in range(40)],
        cools=[us(r.uniform(16, 30)) for _ in range(40)],
        outs=[us(r.uniform(10, 22)) for _ in range(10)],
        ins=[us(r.uniform(8, 18)) for _ in range(10)],
        stops=[us(r.uniform(70, 220)) for _ in range(10)],
        fracs=[jittered(r) for _ in range(80)],
    )
    cutoff = design.red_at if design.red_at is not None else design.duration + 600 * US
    first = _run(design, car, best, exit_at, draws, best_lap=None)
    candidates = [i for end, i, slowed in first.flying if not slowed and end <= cutoff]
    if not candidates:
        raise AssertionError(f"{design.id}: car {car} has no flying lap before the cut-off")
    pick = rng(design.id, car, "best").choices(candidates, weights=[i + 1 for i in candidates])[0]
    second = _run(design, car, best, exit_at, draws, best_lap=pick)
    ok = [end <= cutoff and not slowed for end, i, slowed in second.flying if i == pick]
    if ok != [True]:
        raise AssertionError(f"{design.id}: car {car}'s best lap moved past the cut-off")
    return second.crossings


def _run(
    design: QualifyingDesign, car: str, best: int, exit_at: int, d: _Draws, best_lap: int | None
) -> _Run:
    """Replay the car's session from its pit exit; flying lap `best_lap` is the best one."""
    red, chequer = design.red_at, design.duration
    out = [Crossing(exit_at, PIT_OUT, car)]
    flying: list[tuple[int, int, bool]] = []
    counters = dict.fromkeys("PCOIsf", 0)

    def take(kind: str) -> int:
        counters[kind] += 1
        return counters[kind] - 1

    runs = [*d.runs[:-1], d.runs[-1] + "CPP" * 10]
    start, from_pit = exit_at, True
    for run_index, run in enumerate(runs):
        for kind in ("O", *run, "I"):  # every run starts from the pit exit
            if kind == "P":
                index = take("P")
                duration = best if index == best_lap else best + d.deltas[index]
            elif kind == "C":
                duration = best + d.cools[take("C")]
            elif kind == "O":
                duration = round(best * 1.08) + d.outs[take("O")]
            else:
                duration = round(best * 1.06) + d.ins[take("I")]
            a, b = d.fracs[take("f")]
            f0 = F_PIT_OUT if from_pit else 0.0

            def at(x: float, start: int = start, duration: int = duration, f0: float = f0) -> int:
                return start + round((x - f0) * duration)

            to_pit = kind == "I"
            nominal_end = at(F_PIT_IN) + PIT_LANE_TO_LINE if to_pit else at(1.0)
            slowed = red is not None and nominal_end > red
            lines = [(S1, a), (S2, b)] + ([(PIT_IN, F_PIT_IN)] if to_pit or slowed else [])
            times = []
            for line, x in lines:
                if x <= f0:
                    continue
                t = at(x)
                if red is not None and t > red:
                    t = red + round((t - red) * RED_SLOWDOWN)
                times.append((line, t))
            end = times[-1][1] + PIT_LANE_TO_LINE if to_pit or slowed else at(1.0)
            out += [Crossing(t, line, car) for line, t in times]
            out.append(Crossing(end, SF, car))
            if kind == "P":
                flying.append((end, index, slowed))
            if slowed or (to_pit and end >= chequer):
                return _Run(out, flying)  # red flag: every car back to the pit lane; or the flag has fallen
            if to_pit:
                if run_index == len(runs) - 1:
                    return _Run(out, flying)
                t_out = end + d.stops[take("s")]
                # No point going out again without time for an out lap and a flying lap before the flag.
                if t_out + round(best * 1.2) > chequer or (red is not None and t_out >= red):
                    return _Run(out, flying)
                out.append(Crossing(t_out, PIT_OUT, car))
                start, from_pit = t_out, True
                break  # next run
            start, from_pit = end, False
            if end >= chequer:  # the flag has fallen: one cool-down lap to the pit lane
                _cool_down(out, car, best, start, d.fracs[take("f")])
                return _Run(out, flying)
    return _Run(out, flying)


def _cool_down(out: list[Crossing], car: str, best: int, start: int, fracs: tuple[float, float]) -> None:
    """The lap after the chequered flag: S1, S2, pit entry, then the Line in the pit lane."""
    duration = round(best * 1.25)
    for line, x in ((S1, fracs[0]), (S2, fracs[1]), (PIT_IN, F_PIT_IN)):
        out.append(Crossing(start + round(x * duration), line, car))
    out.append(Crossing(start + round(F_PIT_IN * duration) + PIT_LANE_TO_LINE, SF, car))
