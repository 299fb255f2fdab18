"""What happened at Spa, as designs the simulators turn into passings.

Facts (SPA-2017.md) are marked "fact"; every other number here is invented to be plausible.
"""

from __future__ import annotations

import datetime as dt
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
)
from spa2017.qualifying import QualifyingDesign
from spa2017.qualifying import simulate as simulate_qualifying
from spa2017.race import CarPlan, crossings, lap_ends, ordered_times, pit_stop_cost
from spa2017.timing import S1, SF, US, Crossing, rng, us

RACE_DURATION = 30 * 60 * US  # RULES.md §4.1: PCCF races are 30 minutes (+1 lap: see event.toml)


@dataclass
class SessionRun:
    id: str
    kind: str
    name: str
    date: dt.date
    start: int  # µs since midnight
    duration: int
    crossings: list[Crossing]  # µs since the session start
    status: list[tuple[str, int, int, str]] = field(default_factory=list)  # status, start, end, note
    decisions: list[dict[str, object]] = field(default_factory=list)
    incidents: list[dict[str, object]] = field(default_factory=list)  # race control's log (incidents.toml)
    grid: str | None = None  # the qualifying session that sets a race's grid


# --- Qualifying ------------------------------------------------------------------------------------

Q1_ORDER = (
    ANDLAUER, LATORRE, HASSE_CLOT, BELTOISE, DERDAELE, "2", "4", JUNG, "5", NOEL,  # fact: top 4
    "6", "10", GIMBERT, "12", "14", MEULDERS, "15", DESPRIET, LINDLAND, "17",  # fact: Lindland first B
    "19", ROVERA, "20", "41", "23", "55", MISSLIN, "22", LAPIERRE, PERFETTI,  # fact: Rovera 22nd
    "34", "28", DE_NARDA, "29", "36", "30", CYPRIANO, "31",  # fact: de Narda 33rd, Cypriano last row
)  # fmt: skip
Q2_ORDER = (
    ANDLAUER, DE_NARDA, JUNG, MISSLIN, BELTOISE, LATORRE, HASSE_CLOT, DERDAELE, ROVERA, NOEL,
    "2", "4", GIMBERT, "5", "6", MEULDERS, "10", LINDLAND, "12", "14",
    DESPRIET, PERFETTI, "15", LAPIERRE, "17", "19", "41", "20", CYPRIANO, "23",
    "22", "55", "28", "34", "29", "36", "30", "31",
)  # fmt: skip

Q1 = QualifyingDesign(
    id="Q1",
    order=Q1_ORDER,
    pole=us(142.773318),  # fact: pole 2:22.773
    head_gaps=(0.214, 0.087, 0.056, 0.071),
    red_at=16 * 60 * US,  # fact: red flag four minutes before the end, not resumed
    late_exit={MISSLIN: 530 * US},  # fact: Misslin "missed" his first qualifying (how is invented)
)
Q2 = QualifyingDesign(id="Q2", order=Q2_ORDER, pole=us(142.861207), head_gaps=(0.118, 0.123, 0.056, 0.025))


def qualifying(design: QualifyingDesign, start: int) -> SessionRun:
    runs, _ = simulate_qualifying(design)
    last = max(c.time for c in runs)
    if design.red_at is not None:
        note = "Red flag four minutes before the end; the session was not resumed"
        status = [("green", 0, design.red_at, ""), ("red", design.red_at, design.duration, note)]
    else:
        status = [("green", 0, design.duration, ""), ("chequered", design.duration, last + 5 * US, "")]
    name = f"Qualifying {design.id[1:]}"
    return SessionRun(
        design.id, "qualifying", name, dt.date(2017, 5, 5), start, design.duration, runs, status
    )


# --- Races ---------------------------------------------------------------------------------------


def _cumulative(lap_times: tuple[float, ...]) -> list[int]:
    out = [0]
    for t in lap_times:
        out.append(out[-1] + us(t))
    return out


# The winner's laps (s). Fact: R1 fastest lap 2:23.998, Andlauer's (lap 4, the rest invented).
R1_LEADER = _cumulative(
    (152.412, 145.102, 144.513, 143.998104, 144.386, 144.702, 144.655, 144.931, 144.578, 144.803, 145.067,
     144.724, 145.214, 145.486)
)  # fmt: skip
R1_LAP1 = [
    ANDLAUER, DERDAELE, LATORRE, BELTOISE, HASSE_CLOT, "2", "4", "5", JUNG, NOEL,  # fact: Andlauer leads
    "6", "10", GIMBERT, ROVERA, "12", "14", MEULDERS, "15", LINDLAND, DE_NARDA,
    DESPRIET, "17", "19", "20", "41", MISSLIN, CYPRIANO, "55", LAPIERRE, "22",  # fact: Cypriano +10 places
    PERFETTI, "28", "34", "29", "36", "30", "31",
]  # fmt: skip
R1_FINISH = [
    ANDLAUER, DERDAELE, LATORRE, BELTOISE, ROVERA, DE_NARDA, "2", HASSE_CLOT, "4", JUNG,  # fact: top 6
    "5", NOEL, "6", "10", GIMBERT, "12", MEULDERS, LINDLAND, "14", DESPRIET,
    MISSLIN, "17", "19", CYPRIANO, "41", LAPIERRE, "55", "22", "28", PERFETTI,
    "34", "29", "36", "30",
]  # fmt: skip
R1_DNS = "23"


def race1(start: int, grid: tuple[str, ...]) -> SessionRun:
    r = rng("R1", "gaps")
    lap1 = ordered_times(
        R1_LAP1,
        R1_LEADER[1],
        {DERDAELE: 1.62, LATORRE: 0.48, BELTOISE: 0.57, HASSE_CLOT: 0.51},
        r,
        (0.45, 1.5),
    )
    laps = len(R1_LEADER) - 1  # 14: time expires during lap 13, flag at the end of lap 14
    gaps = {DERDAELE: 7.182, LATORRE: 2.432, BELTOISE: 1.473, ROVERA: 4.848, DE_NARDA: 1.467, "2": 3.2}
    finish = ordered_times(R1_FINISH, R1_LEADER[laps], gaps | {HASSE_CLOT: 1.9}, r, (0.5, 3.0))
    plans = {ANDLAUER: CarPlan(ANDLAUER, {lap: t for lap, t in enumerate(R1_LEADER) if lap})}
    for car in R1_FINISH[1:]:
        plans[car] = CarPlan(car, {1: lap1[car], laps: finish[car]})
    plans[HASSE_CLOT].waypoints[4] = R1_LEADER[4] + us(5.4)  # fact: with the leading group early
    pace = us(147.3)
    plans["15"] = CarPlan("15", {1: lap1["15"], 4: lap1["15"] + 3 * pace}, retire=S1)  # stopped on lap 5
    in_lap, _ = pit_stop_cost(0, pace)
    plans["20"] = CarPlan("20", {1: lap1["20"], 9: lap1["20"] + 8 * pace + in_lap}, events={9: in_lap})
    plans["20"].retire_in_pits = True  # retires into the pits at the end of lap 9: 9 laps, not classified
    stop = 62 * US  # a long stop (repairs): finishes a lap down
    in_lap, out_lap = pit_stop_cost(stop, us(149))
    flag = R1_LEADER[laps]
    plans["31"] = CarPlan(
        "31", {1: lap1["31"], laps - 1: flag + 25 * US}, events={6: in_lap, 7: out_lap}, stops={6: stop}
    )
    run = _race("R1", "Race 1", dt.date(2017, 5, 5), start, plans, flag, grid)
    run.status = [
        ("green", 0, flag, ""),
        ("chequered", flag, max(c.time for c in run.crossings) + 5 * US, ""),
    ]
    run.decisions = [
        {
            "car": ANDLAUER,  # fact: 5-second penalty for overshooting his grid slot and reversing into it
            "kind": "time-penalty",
            "seconds": 5,
            "reason": {
                "en": "Overshot his grid position at the start and reversed into it",
                "fr": "Emplacement de grille dépassé au départ, puis marche arrière pour le reprendre",
            },
            "reference": "Decision 1",
            "issued_at": "16:49",
        }
    ]
    return run


R2_LEADER = _cumulative(
    (152.208, 163.517, 187.264, 146.012, 144.231317, 144.655, 144.807, 144.930, 145.122, 144.874, 145.301,
     145.556, 145.902)
)  # fmt: skip  # SC from lap 2 to the end of lap 3; fastest lap on lap 5 (fact: after the restart)
R2_LAP1 = [
    ANDLAUER, DE_NARDA, JUNG, BELTOISE, MISSLIN, LATORRE, HASSE_CLOT, DERDAELE, ROVERA, NOEL,  # fact: 1-6
    "2", "4", GIMBERT, MEULDERS, "5", "6", "10", LINDLAND, "12", "14",
    PERFETTI, DESPRIET, "15", LAPIERRE, "17", "19", "41", "20", CYPRIANO, "23",
    "22", "55", "28", "34", "29", "36", "30", "31",
]  # fmt: skip
R2_FINISH = [
    ANDLAUER, DE_NARDA, JUNG, BELTOISE, LATORRE, MISSLIN, DERDAELE, ROVERA, "2", "4",  # fact: top 5
    "5", "6", "10", PERFETTI, "12", LAPIERRE, "14", "15", "17", "19",  # fact: B Misslin, Perfetti, Lapierre
    "41", HASSE_CLOT, "20", CYPRIANO, "23", "22", "55", LINDLAND, "28", "34",  # Lindland scores poorly
    "29", "36", "30", "31",
]  # fmt: skip
R2_SC_LAPS = (2, 3)  # fact: safety car during lap 2, two laps neutralised, restart at the Line


def race2(start: int, grid: tuple[str, ...]) -> SessionRun:
    r = rng("R2", "gaps")
    lead = R2_LEADER
    lap1 = ordered_times(
        R2_LAP1,
        lead[1],
        {DE_NARDA: 0.62, JUNG: 0.35, BELTOISE: 0.71, MISSLIN: 0.44, MEULDERS: 0.28},
        r,
        (0.45, 1.6),
    )
    # Gimbert spins a little over half-way round lap 2 and Meulders, right behind, hits him (fact).
    incident = lap1[GIMBERT] + us(0.55 * 146)
    sc_start, sc_end = incident + 4 * US, lead[3] - us(0.3)  # green as the leader reaches the Line
    queue = [c for c in R2_LAP1 if c not in (GIMBERT, MEULDERS)]
    bunched = ordered_times(queue, lead[3], {DE_NARDA: 1.0}, r, (0.45, 0.85))  # fact: ~1 s at the restart
    laps = len(lead) - 1  # 13: time expires during lap 12
    gaps = {DE_NARDA: 3.412, JUNG: 1.493, BELTOISE: 1.968, LATORRE: 0.392, MISSLIN: 0.276, DERDAELE: 2.3}
    finish = ordered_times(R2_FINISH, lead[laps], gaps, r, (0.4, 2.0))
    plans = {}
    for car in queue:
        points = {
            1: lap1[car],
            2: lead[2] + (lap1[car] - lead[1] + bunched[car] - lead[3]) // 2,
            3: bunched[car],
        }
        plans[car] = CarPlan(car, points, neutral=frozenset((2, 3)))
        if car in finish:
            plans[car].waypoints[laps] = finish[car]
    plans[ANDLAUER].waypoints.update({lap: t for lap, t in enumerate(lead) if lap})
    plans[DE_NARDA].waypoints[4] = lead[4] + us(2.1)  # fact: Andlauer opens two seconds after the restart
    for car in (GIMBERT, MEULDERS):
        plans[car] = CarPlan(car, {1: lap1[car]}, retire=S1)  # fact: both out on lap 2
    plans[LINDLAND].events[4] = 18 * US  # invented: a spin on lap 4
    # Fact: Noël and Hasse-Clot collide later, without neutralisation. Invented: on lap 7; Noël retires.
    plans[HASSE_CLOT].waypoints[6] = lead[6] + us(9.0)
    plans[HASSE_CLOT].events[7] = us(9.5)
    in_lap, _ = pit_stop_cost(0, us(146))
    noel = plans[NOEL]
    noel.waypoints.update({6: lead[6] + us(9.45), 7: lead[7] + us(9.45 + 25) + in_lap})
    noel.retire_in_pits = True
    # Fact: last lap, Misslin passes Latorre before Les Combes (S1), Latorre is 5th again at the Line.
    for car, at_12, s1 in ((BELTOISE, 6.10, 42.30), (LATORRE, 6.42, 42.45), (MISSLIN, 6.78, 41.90)):
        plans[car].waypoints[laps - 1] = lead[laps - 1] + us(at_12)
        plans[car].s1[laps] = us(s1)
    plans[DESPRIET] = CarPlan(  # fact: off on the last lap (after S1, invented): no final crossing
        DESPRIET, {**plans[DESPRIET].waypoints, laps - 1: lead[laps - 1] + us(38.2)}, retire=S1,
        neutral=frozenset((2, 3)),
    )  # fmt: skip
    run = _race("R2", "Race 2", dt.date(2017, 5, 6), start, plans, lead[laps], grid)
    note = (
        f"Safety car: Gimbert (#{GIMBERT}) spun on lap 2 and was hit by Meulders (#{MEULDERS}); "
        "both retired. Restart at the Line at the end of lap 3"
    )
    end = max(c.time for c in run.crossings) + 5 * US
    run.incidents = [
        # fact: Gimbert spins on lap 2, Meulders hits him, safety car (both out: invented detail)
        {"lap": 2, "kind": "spin", "cars": [GIMBERT], "hit_by": MEULDERS, "neutralisation": "sc",
         "retired": [GIMBERT, MEULDERS]},
        # fact: Noël and Hasse-Clot collide later, without neutralisation (lap 7, Noël out: invented)
        {"lap": 7, "kind": "contact", "cars": [NOEL, HASSE_CLOT], "retired": [NOEL]},
        # fact: Despriet goes off on the last lap
        {"lap": laps, "kind": "off", "cars": [DESPRIET], "retired": [DESPRIET]},
    ]  # fmt: skip
    run.status = [
        ("green", 0, sc_start, ""),
        ("sc", sc_start, sc_end, note),
        ("green", sc_end, lead[laps], ""),
        ("chequered", lead[laps], end, ""),
    ]
    return run


def _race(
    sid: str,
    name: str,
    date: dt.date,
    start: int,
    plans: dict[str, CarPlan],
    flag: int,
    grid: tuple[str, ...],
) -> SessionRun:
    out: list[Crossing] = []
    for car in grid:
        if car in plans:
            plan = plans[car]
            finishes = plan.retire is None and not plan.retire_in_pits
            out += crossings(plan, sid, finishes=finishes)
            if finishes and not lap_ends(plan, sid)[-1] >= flag:
                raise AssertionError(f"{sid}: car {car} would finish before the flag")
    return SessionRun(sid, "race", name, date, start, RACE_DURATION, out)


# --- The weekend ---------------------------------------------------------------------------------

START = {"Q1": (8, 35), "Q2": (9, 10), "R1": (16, 35), "R2": (9, 10)}  # invented times of day


def _tod(hour: int, minute: int) -> int:
    return (hour * 3600 + minute * 60) * US


def decoder_noise(run: SessionRun) -> None:
    """What a real decoder does now and then (invented): a missed sector loop, a double read."""
    if run.id == "R1":
        s2 = sorted(c for c in run.crossings if c.car == "19" and c.line == "S2")
        run.crossings.remove(s2[7])  # car 19's S2 loop missed on lap 8
    if run.id == "Q2":
        sf = sorted(c for c in run.crossings if c.car == "12" and c.line == SF)
        run.crossings.append(sf[2]._replace(time=sf[2].time + 3_900))  # read twice, 3.9 ms apart


def build() -> list[SessionRun]:
    runs = [
        qualifying(Q1, _tod(*START["Q1"])),
        qualifying(Q2, _tod(*START["Q2"])),
        race1(_tod(*START["R1"]), Q1_ORDER),
        race2(_tod(*START["R2"]), Q2_ORDER),
    ]
    runs[2].grid, runs[3].grid = "Q1", "Q2"
    for run in runs:
        decoder_noise(run)
        run.crossings.sort()
    return runs
