"""A small classifier, independent of parcferme, that reads the simulated passings back and asserts every
fact of SPA-2017.md before a file is written: if a tweak breaks a fact, the build fails and says which.

It follows the semantics the event folder promises (docs/event-format.md): laps are Line to Line, a race's
lap 1 starts at the start signal, "30 minutes + 1 lap", 75 % of the winner's laps to be classified, time
penalties re-sort only among cars on the same lap, qualifying ties go to whoever set the time first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from spa2017.entrants import (
    ANDLAUER,
    BELTOISE,
    CYPRIANO,
    DE_NARDA,
    DERDAELE,
    DESPRIET,
    GIMBERT,
    HASSE_CLOT,
    JUNG,
    LAPIERRE,
    LATORRE,
    LINDLAND,
    MEULDERS,
    MISSLIN,
    NOEL,
    PERFETTI,
    ROVERA,
    is_b,
    is_french,
    is_rookie,
    name,
)
from spa2017.timing import PIT_IN, PIT_OUT, S1, SF, US, Crossing, clock
from spa2017.weekend import R1_DNS, SessionRun

MIN_LAP = 20 * US
POINTS = (20, 18, 16, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)  # SPA-2017.md: 2017 points, +1 pole, +1 FL


class FactError(AssertionError):
    pass


def fact(ok: bool, what: str) -> None:
    if not ok:
        raise FactError(what)


@dataclass
class Qualifying:
    order: list[str]
    best: dict[str, int]
    best_end: dict[str, int]


@dataclass
class Race:
    order: list[str]  # classified first, then the rest; DNS cars not listed
    laps: dict[str, int]
    time: dict[str, int]
    ends: dict[str, list[int]]  # counted Line crossings per car (µs since the start)
    classified: set[str]
    flag: int
    fastest: tuple[int, str, int]  # time, car, lap
    lap_times: dict[str, list[int]] = field(default_factory=dict)

    def position_after(self, lap: int, car: str) -> int:
        on_lap = sorted((ends[lap - 1], c) for c, ends in self.ends.items() if len(ends) >= lap)
        return [c for _, c in on_lap].index(car) + 1

    def order_after(self, lap: int) -> list[str]:
        return [c for _, c in sorted((e[lap - 1], c) for c, e in self.ends.items() if len(e) >= lap)]


def qualifying(run: SessionRun) -> Qualifying:
    best: dict[str, int] = {}
    best_end: dict[str, int] = {}
    for car, passes in _by_car(run.crossings).items():
        lap_start, clean = None, False
        for c in passes:
            if c.line == PIT_OUT:
                lap_start, clean = c.time, False  # an out lap
            elif c.line == PIT_IN:
                clean = False  # an in lap
            elif c.line == SF:
                if lap_start is not None and c.time - lap_start < MIN_LAP:
                    continue  # a double read
                if lap_start is not None and clean:
                    t = c.time - lap_start
                    if car not in best or t < best[car]:
                        best[car], best_end[car] = t, c.time
                lap_start, clean = c.time, True
    order = sorted(best, key=lambda car: (best[car], best_end[car]))
    return Qualifying(order, best, best_end)


def race(run: SessionRun, penalties: dict[str, int]) -> Race:
    ends: dict[str, list[int]] = {}
    for car, passes in _by_car(run.crossings).items():
        ends[car] = []
        for c in passes:
            if c.line == SF and c.time - (ends[car][-1] if ends[car] else 0) >= MIN_LAP:
                ends[car].append(c.time)
    # Time + 1 lap: the lap during which time expires is completed, then one more (RULES.md §1.2).
    crossings = sorted((t, car, i + 1) for car, e in ends.items() for i, t in enumerate(e))
    most, expired_lap, flag = 0, None, None
    for t, _car, lap in crossings:
        if lap > most:
            most = lap
            if expired_lap is None and t >= run.duration:
                expired_lap = lap
            elif expired_lap is not None and lap == expired_lap + 1:
                flag = t
                break
    fact(flag is not None, f"{run.id}: the flag never falls")
    assert flag is not None
    counted = {car: [t for t in e if t <= flag] + [t for t in e if t > flag][:1] for car, e in ends.items()}
    laps = {car: len(e) for car, e in counted.items()}
    time = {car: (e[-1] if e else 0) + penalties.get(car, 0) for car, e in counted.items()}
    ranked = sorted(counted, key=lambda car: (-laps[car], time[car]))
    winner_laps = laps[ranked[0]]
    classified = {car for car in ranked if laps[car] >= winner_laps * 3 // 4}
    lap_times = {car: [b - a for a, b in zip([0, *e], e, strict=False)] for car, e in counted.items()}
    fastest = min((t, car, i + 1) for car, ts in lap_times.items() for i, t in enumerate(ts))
    return Race(ranked, laps, time, counted, classified, flag, fastest, lap_times)


def _by_car(crossings: list[Crossing]) -> dict[str, list[Crossing]]:
    out: dict[str, list[Crossing]] = defaultdict(list)
    for c in sorted(crossings):
        out[c.car].append(c)
    return out


def _sub(order: list[str], admits: object) -> list[str]:
    return [c for c in order if admits(c)]  # type: ignore[operator]


def verify(runs: list[SessionRun]) -> dict[str, object]:
    """Assert the facts; return the computed outcomes (for the build's summary)."""
    q1_run, q2_run, r1_run, r2_run = runs
    q1, q2 = qualifying(q1_run), qualifying(q2_run)

    fact(
        q1.order[:4] == [ANDLAUER, LATORRE, HASSE_CLOT, BELTOISE],
        "Q1: Andlauer, Latorre, Hasse-Clot, Beltoise",
    )
    fact(clock(q1.best[ANDLAUER]) == "2:22.773", f"Q1 pole time {clock(q1.best[ANDLAUER])}")
    fact(_sub(q1.order, is_rookie)[0] == HASSE_CLOT, "Q1: Hasse-Clot first Rookie")
    fact(_sub(q1.order, is_b)[:3] == [LINDLAND, MISSLIN, LAPIERRE], "Q1 B: Lindland, Misslin, Lapierre")
    fact(q1.order.index(ROVERA) == 21 and q1.order.index(DE_NARDA) == 32, "Q1: Rovera 22nd, de Narda 33rd")
    fact(q1.order.index(CYPRIANO) >= 36, "Q1: Cypriano in the last row")
    fact(q1.order.index(MISSLIN) >= 20, "Q1: Misslin well down")
    red = q1_run.status[-1][1]
    fact(max(q1.best_end.values()) <= red, "Q1: no improvement after the red flag")
    fact(len(q1.order) == len(q2.order) == 38, "38 cars set a time in each qualifying")
    fact(q2.order[0] == ANDLAUER, "Q2: Andlauer on pole for race 2")
    fact(q2.order.index(MISSLIN) in (2, 3), "Q2: Misslin on the second row")
    fact(q2.order.index(BELTOISE) > q2.order.index(MISSLIN), "Q2: Beltoise behind Misslin")
    fact({DE_NARDA, JUNG} <= set(q2.order[:4]), "Q2: de Narda and Jung near the front")

    pen = {str(d["car"]): int(str(d["seconds"])) * US for d in r1_run.decisions}
    r1, r1_road = race(r1_run, pen), race(r1_run, {})
    grid1 = q1.order
    fact(
        r1.laps[ANDLAUER] == 14 and all(r1.order_after(k)[0] == ANDLAUER for k in range(1, 15)),
        "R1: leads all",
    )
    fact(
        r1.order[:6] == [ANDLAUER, DERDAELE, LATORRE, BELTOISE, ROVERA, DE_NARDA], f"R1 top 6 {r1.order[:6]}"
    )
    margin = r1_road.time[DERDAELE] - r1_road.time[ANDLAUER]
    fact(5 * US < margin < 9 * US, f"R1: Andlauer's lead on the road {margin / US:.3f} s (> 5 s)")
    fact(pen == {ANDLAUER: 5 * US}, "R1: 5-second penalty for Andlauer")
    fr = _sub(r1.order, is_french)
    fact(fr[:3] == [ANDLAUER, LATORRE, BELTOISE], "R1 French classification")
    fact(_sub(r1.order, is_b)[:3] == [LINDLAND, MISSLIN, LAPIERRE], "R1 B: Lindland, Misslin, Lapierre")
    fact(
        _sub(r1.order, is_rookie)[:3] == [HASSE_CLOT, JUNG, CYPRIANO],
        "R1 Rookies: Hasse-Clot, Jung, Cypriano",
    )
    t, car, _lap = r1.fastest
    fact(car == ANDLAUER and clock(t) == "2:23.998", f"R1 fastest lap {name(car)} {clock(t)}")
    others = [x for c, ts in r1.lap_times.items() for x in ts if (x, c) != (t, car)]
    fact(min(others) >= t - t % 1000 + 1000, "R1: nobody else at or below 2:23.998")
    fact(grid1.index(ROVERA) + 1 == 22 and r1.order.index(ROVERA) + 1 == 5, "R1: Rovera 22nd → 5th")
    fact(grid1.index(DE_NARDA) + 1 == 33 and r1.order.index(DE_NARDA) + 1 == 6, "R1: de Narda 33rd → 6th")
    gained = grid1.index(CYPRIANO) + 1 - r1.position_after(1, CYPRIANO)
    fact(9 <= gained <= 11, f"R1: Cypriano gains {gained} places on lap 1")
    fact(
        all(r1.position_after(k, HASSE_CLOT) <= 5 for k in (1, 2, 3, 4)),
        "R1: Hasse-Clot with the leaders early",
    )
    fact(r1.order.index(HASSE_CLOT) >= 6, "R1: Hasse-Clot drops back")
    dnf = [c for c in r1.order if c not in r1.classified]
    fact(len(dnf) >= 2 and R1_DNS not in r1.ends, f"R1: retirements {dnf}, car {R1_DNS} did not start")

    r2 = race(r2_run, {})
    fact(r2.order_after(1)[:6] == [ANDLAUER, DE_NARDA, JUNG, BELTOISE, MISSLIN, LATORRE], "R2 lap 1 top 6")
    sc = next(s for s in r2_run.status if s[0] == "sc")
    leader = r2.ends[ANDLAUER]
    neutral = [
        k
        for k in range(1, len(leader) + 1)
        if (leader[k - 2] if k > 1 else 0) < sc[2] and leader[k - 1] > sc[1]
    ]
    fact(neutral == [2, 3], f"R2: neutralised laps {neutral}")
    fact(r2.laps[GIMBERT] == r2.laps[MEULDERS] == 1, "R2: Gimbert and Meulders out on lap 2")
    running = [c for c in r2.order_after(1) if c not in (GIMBERT, MEULDERS)]
    fact(running == r2.order_after(2) == r2.order_after(3), "R2: no overtaking under the safety car")
    fact(r2.lap_times[ANDLAUER][2] >= 180 * US, "R2: safety-car laps of 3:00 and more")
    gap4 = r2.ends[DE_NARDA][3] - r2.ends[ANDLAUER][3]
    fact(1.8 * US <= gap4 <= 2.5 * US, f"R2: Andlauer's gap after the restart {gap4 / US:.3f} s")
    t, car, lap = r2.fastest
    fact(car == ANDLAUER and lap in (4, 5), f"R2 fastest lap: {name(car)} lap {lap}")
    fact(_sub(r2.order_after(7), is_b)[:3] == [MISSLIN, PERFETTI, LAPIERRE], "R2 mid-race B order")
    s1_last = {c.car: c.time for c in r2_run.crossings if c.line == S1 and r2.ends[c.car][-1] < c.time}
    fact(s1_last[MISSLIN] < s1_last[LATORRE], "R2: Misslin ahead of Latorre at Les Combes on the last lap")
    fact(r2.laps[DESPRIET] == r2.laps[ANDLAUER] - 1, "R2: Despriet off on the last lap")
    fact(r2.order[:5] == [ANDLAUER, DE_NARDA, JUNG, BELTOISE, LATORRE], f"R2 top 5 {r2.order[:5]}")
    fact(_sub(r2.order, is_rookie)[0] == JUNG, "R2: Jung first Rookie")
    fact(_sub(r2.order, is_b)[:3] == [MISSLIN, PERFETTI, LAPIERRE], "R2 B: Misslin, Perfetti, Lapierre")
    fact(r2.lap_times[HASSE_CLOT][6] > r2.lap_times[HASSE_CLOT][5] + 8 * US and NOEL not in r2.classified,
         "R2: Noël and Hasse-Clot collide on lap 7")  # fmt: skip

    standings = b_standings([q1, q2], [r1, r2])
    fact(max(standings, key=standings.__getitem__) == MISSLIN, f"B standings {standings}")
    return {"Q1": q1, "Q2": q2, "R1": r1, "R2": r2, "B": standings}


def b_standings(quals: list[Qualifying], races: list[Race]) -> dict[str, int]:
    """B points after the weekend: 20-18-16-…, +1 pole (per qualifying), +1 fastest lap among B."""
    points: dict[str, int] = defaultdict(int)
    for q in quals:
        points[_sub(q.order, is_b)[0]] += 1
    for r in races:
        for i, car in enumerate(c for c in r.order if is_b(c) and c in r.classified):
            points[car] += POINTS[i] if i < len(POINTS) else 0
        b_laps = [(t, c) for c, ts in r.lap_times.items() if is_b(c) for t in ts]
        points[min(b_laps)[1]] += 1
    return dict(points)
