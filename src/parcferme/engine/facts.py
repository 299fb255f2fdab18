"""The story of an event in data: what a press officer would tell, found in the results, never invented.

`event_facts` reads a classified event (and, when given, the championship after it and the season's
calendar) and returns facts: pole sitters, winners and margins, podiums, penalties and what they changed,
neutralisations and their cause (from the incident log), comebacks from the grid, gains on the first lap,
lead changes, retirements, fastest laps, championship leaders, the next round. Every fact names cars by
number and times in µs: a writer (report.text) turns them into sentences in any language.

Each fact carries a weight from 0 to 100 — how much a reader wants it — so that a writer can choose the
story: the winner first, then what changed the result, then the rest.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from parcferme.engine.event import EventResults, SessionOutcome
from parcferme.model.championship import Round
from parcferme.model.classification import OVERALL
from parcferme.model.decisions import Decision, DecisionKind
from parcferme.model.event import SessionData
from parcferme.model.incidents import Incident
from parcferme.model.results import ResultRow, SessionResult, Status
from parcferme.model.standings import StandingsHistory, format_points
from parcferme.model.time import Gap
from parcferme.model.timing import TrackStatus, TrackStatusPeriod

__all__ = [
    "ChampionshipLead",
    "Comeback",
    "EventFacts",
    "Fact",
    "FastestLap",
    "FirstLapGain",
    "Incidents",
    "Lead",
    "Neutralisation",
    "NextRound",
    "Penalty",
    "Podium",
    "Pole",
    "RedFlag",
    "Retirement",
    "event_facts",
]

COMEBACK_MIN_PLACES = 5  # a gain from the grid worth telling
FIRST_LAP_MIN_PLACES = 5
MAX_COMEBACKS = 3
_NEUTRAL_ORDER = (TrackStatus.SC, TrackStatus.VSC, TrackStatus.FCY, TrackStatus.CODE60)  # the heaviest first


# ── the facts ─────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Pole:
    """The fastest in qualifying (or practice) for a classification: `time` µs, `gap` to `second`;
    `top` the first four, in order (the first two rows of the grid it sets)."""

    session: str
    classification: str
    car: str
    time: int
    second: str | None
    gap: int | None
    top: tuple[str, ...]
    weight: int


@dataclass(frozen=True, slots=True)
class RedFlag:
    """A red flag: `lap` of the leader (races) and the scheduled minutes left when it came out (timed
    sessions); `resumed` whether green running followed; `note` as race control wrote it."""

    session: str
    minutes_left: int | None
    lap: int | None
    resumed: bool
    cause: Incident | None
    note: str
    weight: int = 60


@dataclass(frozen=True, slots=True)
class Podium:
    """The first three of a race in a classification, `gaps` to the winner (second and third), the
    winner's grid place, race distance in laps and the winner's race time (penalties included)."""

    session: str
    classification: str
    cars: tuple[str, ...]
    gaps: tuple[Gap | None, ...]
    winner_grid: int | None
    laps: int
    time: int | None
    weight: int


@dataclass(frozen=True, slots=True)
class Lead:
    """Who led the race: the laps led by each car (most first) and the lead changes (lap, new leader)."""

    session: str
    laps_led: tuple[tuple[str, int], ...]
    changes: tuple[tuple[int, str], ...]
    total_laps: int
    weight: int = 50

    @property
    def flag_to_flag(self) -> str | None:
        """The car that led every lap, if one did."""
        if len(self.laps_led) == 1 and self.laps_led[0][1] == self.total_laps:
            return self.laps_led[0][0]
        return None


@dataclass(frozen=True, slots=True)
class Penalty:
    """A decision applied to a result, and what it changed: the place the car would have had without it
    (`before`) and the place it has (`after`); `time_added` µs added to the car's race time (its time
    penalties); `margin_kept` µs still ahead of the next car when a time penalty did not cost the place."""

    session: str
    decision: Decision
    before: int | None
    after: int | None
    time_added: int
    margin_kept: int | None
    weight: int


@dataclass(frozen=True, slots=True)
class Neutralisation:
    """A safety car, VSC, FCY or Code 60: the leader's laps run under it, and its cause when logged."""

    session: str
    status: TrackStatus
    laps: tuple[int, ...]
    cause: Incident | None
    note: str
    weight: int = 75


@dataclass(frozen=True, slots=True)
class Incidents:
    """One logged incident that brought out no neutralisation; `last_lap` when it came on the final lap."""

    session: str
    incident: Incident
    last_lap: bool
    weight: int = 35


@dataclass(frozen=True, slots=True)
class Comeback:
    """A car that finished far ahead of its grid place."""

    session: str
    classification: str
    car: str
    grid: int
    finish: int
    weight: int

    @property
    def gained(self) -> int:
        return self.grid - self.finish


@dataclass(frozen=True, slots=True)
class FirstLapGain:
    """Places made on the opening lap: grid place → place at the end of lap 1."""

    session: str
    car: str
    grid: int
    after_lap_1: int
    weight: int = 40

    @property
    def gained(self) -> int:
        return self.grid - self.after_lap_1


@dataclass(frozen=True, slots=True)
class Retirement:
    """A car out of the race: laps completed, and the incident that caused it when logged."""

    session: str
    car: str
    status: Status
    laps: int
    cause: Incident | None
    weight: int = 30


@dataclass(frozen=True, slots=True)
class FastestLap:
    session: str
    classification: str
    car: str
    lap: int
    time: int
    weight: int


@dataclass(frozen=True, slots=True)
class ChampionshipLead:
    """The leader of a championship table after the round: points, the runner-up and the margin, and the
    leader before the round (None before round 1 or when the leader is unchanged: see `changed`)."""

    classification: str
    leader: str  # the competitor's name
    points: str  # as the standings print them ("41", "12.5")
    second: str | None
    margin: str | None
    previous_leader: str | None
    shared: bool  # tied on points and not separated
    after_round: int
    weight: int

    @property
    def changed(self) -> bool:
        return self.previous_leader is not None and self.previous_leader != self.leader


@dataclass(frozen=True, slots=True)
class NextRound:
    number: int
    name: str
    date: str  # ISO date or ""
    weight: int = 45


Fact = (
    Pole
    | RedFlag
    | Podium
    | Lead
    | Penalty
    | Neutralisation
    | Incidents
    | Comeback
    | FirstLapGain
    | Retirement
    | FastestLap
    | ChampionshipLead
    | NextRound
)
F = TypeVar("F", bound=Fact)


@dataclass(frozen=True, slots=True)
class EventFacts:
    """The facts of an event, in the order of the sessions, each session's facts by weight."""

    results: EventResults
    facts: tuple[Fact, ...]

    def of(self, kind: type[F], session: str | None = None, classification: str | None = None) -> list[F]:
        """The facts of one kind, of one session and classification when given, heaviest first."""
        found = [
            f
            for f in self.facts
            if isinstance(f, kind)
            and (session is None or getattr(f, "session", None) == session)
            and (classification is None or getattr(f, "classification", OVERALL) == classification)
        ]
        return sorted(found, key=lambda f: -f.weight)

    def one(self, kind: type[F], session: str | None = None, classification: str | None = None) -> F | None:
        found = self.of(kind, session, classification)
        return found[0] if found else None


# ── finding them ──────────────────────────────────────────────────────────────────────────────────────


def event_facts(
    results: EventResults,
    *,
    standings: Mapping[str, StandingsHistory] | None = None,
    calendar: Sequence[Round] = (),
) -> EventFacts:
    """The facts of a classified event. `standings`: the drivers' standings history per classification
    id ("overall" included) of the championship the event belongs to; `calendar`: the season's rounds,
    for the next one. Both are optional: without them there are no championship facts."""
    facts: list[Fact] = []
    for outcome in results.sessions:
        if not outcome.overall.rows:
            continue  # scheduled, not run
        if outcome.session.is_race:
            facts += _race_facts(results, outcome)
        else:
            facts += _timed_facts(results, outcome)
    round_number = results.event.round
    for classification, history in (standings or {}).items():
        lead = _championship_lead(classification, history, round_number)
        if lead is not None:
            facts.append(lead)
    upcoming = sorted((r for r in calendar if r.number > round_number), key=lambda r: r.number)
    if upcoming:
        facts.append(NextRound(upcoming[0].number, upcoming[0].name, upcoming[0].date))
    return EventFacts(results, tuple(facts))


def _classified(result: SessionResult) -> list[ResultRow]:
    return [r for r in result.rows if r.position is not None and r.status is Status.CLASSIFIED]


def _session_data_of(results: EventResults, session_id: str) -> SessionData:
    return next(d for d in results.event.sessions if d.session.id == session_id)


# ── qualifying and practice ───────────────────────────────────────────────────────────────────────────


def _timed_facts(results: EventResults, outcome: SessionOutcome) -> Iterator[Fact]:
    sid = outcome.session.id
    for cid, result in outcome.results.items():
        rows = [r for r in _classified(result) if r.time is not None]
        if not rows:
            continue
        first = rows[0]
        second = rows[1] if len(rows) > 1 else None
        assert first.time is not None
        gap = second.time - first.time if second is not None and second.time is not None else None
        yield Pole(
            sid,
            cid,
            first.car,
            first.time,
            second.car if second else None,
            gap,
            tuple(r.car for r in rows[:4]),
            80 if cid == OVERALL else 55,
        )
    data = _session_data_of(results, sid)
    schedule = outcome.session.schedule
    end = schedule.start + schedule.duration if schedule.duration is not None else None
    periods = sorted(data.track_status, key=lambda p: p.start)
    for i, period in enumerate(periods):
        if period.status is not TrackStatus.RED:
            continue
        resumed = any(p.status is TrackStatus.GREEN for p in periods[i + 1 :])
        left = round((end - period.start) / 60_000_000) if end is not None and end > period.start else None
        cause = _cause(data.incidents, TrackStatus.RED, None)
        yield RedFlag(sid, left, None, resumed, cause, period.note)


# ── races ─────────────────────────────────────────────────────────────────────────────────────────────


def _race_facts(results: EventResults, outcome: SessionOutcome) -> Iterator[Fact]:
    sid = outcome.session.id
    overall = outcome.overall
    data = _session_data_of(results, sid)
    for cid, result in outcome.results.items():
        rows = _classified(result)
        if not rows:
            continue
        top = rows[:3]
        yield Podium(
            sid,
            cid,
            tuple(r.car for r in top),
            tuple(r.gap for r in top[1:]),
            _grid_place(outcome, top[0].car),
            top[0].laps,
            top[0].time,
            100 if cid == OVERALL else 70,
        )
        if result.fastest_lap is not None:
            best = result.fastest_lap
            yield FastestLap(sid, cid, best.car, best.lap, best.time, 55 if cid == OVERALL else 25)
        if cid == OVERALL:
            yield from _comebacks(outcome, rows)
    yield from _penalties(data.decisions, overall)
    yield from _lead(outcome)
    yield from _first_lap(outcome)
    neutralisations = _neutralisations(outcome, data.track_status, data.incidents)
    yield from neutralisations
    retired_by = {car: x for x in data.incidents for car in x.retired}
    for row in overall.rows:
        if row.status in (Status.DNF, Status.DSQ, Status.EXCL):
            yield Retirement(sid, row.car, row.status, row.laps, retired_by.get(row.car))
    causes = [n.cause for n in neutralisations]
    for x in data.incidents:
        if x not in causes and x.neutralisation is None:
            yield Incidents(sid, x, x.lap is not None and x.lap >= overall.laps_completed > 0)


def _grid_place(outcome: SessionOutcome, car: str) -> int | None:
    if outcome.grid is None:
        return None
    return next((s.position for s in outcome.grid.slots if s.car == car and not s.pit_lane), None)


def _comebacks(outcome: SessionOutcome, rows: list[ResultRow]) -> Iterator[Comeback]:
    gains = [
        r
        for r in rows
        if r.grid is not None
        and r.position is not None
        and r.positions_gained is not None
        and r.positions_gained >= COMEBACK_MIN_PLACES
    ]
    gains.sort(key=lambda r: (-(r.positions_gained or 0), r.position or 0))
    for rank, r in enumerate(gains[:MAX_COMEBACKS]):
        assert r.grid is not None and r.position is not None
        # a gain into the top ten is worth more than the same gain at the back
        weight = 65 - 5 * rank + (10 if r.position <= 6 else 0)
        yield Comeback(outcome.session.id, OVERALL, r.car, r.grid, r.position, weight)


def _penalties(decisions: Sequence[Decision], overall: SessionResult) -> Iterator[Penalty]:
    rows = {r.car: r for r in overall.rows}
    for d in decisions:
        if d.kind in (DecisionKind.GRID_DROP, DecisionKind.PIT_LANE_START, DecisionKind.DELETE_LAP):
            continue  # told by the grid and the lap analysis, not by the race story
        row = rows.get(d.car)
        before = after = margin = None
        if row is not None and row.position is not None:
            after = row.position
            before = _place_without(row, overall) if row.penalty_time else after
            if row.penalty_time and before == after:
                behind = next((r for r in overall.rows if r.position == after + 1), None)
                if behind is not None and behind.gap is not None and row.gap is None and behind.gap.time:
                    margin = behind.gap.time if behind.gap.laps == 0 else None
        winner = after == 1 or before == 1
        weight = 90 if winner else 70 if after is not None and after <= 3 else 50
        added = row.penalty_time if row is not None else 0
        yield Penalty(overall.session, d, before, after, added, margin, weight)


def _place_without(row: ResultRow, overall: SessionResult) -> int | None:
    """The place the car would have had without its time penalties: among cars on its lap, by time."""
    if row.time is None:
        return row.position
    own = row.time - row.penalty_time
    ahead = sum(
        1
        for r in overall.rows
        if r is not row
        and r.position is not None
        and r.status is Status.CLASSIFIED
        and (r.laps > row.laps or (r.laps == row.laps and r.time is not None and r.time < own))
    )
    return ahead + 1


def _lap_order(outcome: SessionOutcome) -> dict[int, list[str]]:
    """Per lap number, the cars in the order they completed it (the running order at that lap)."""
    by_lap: dict[int, list[tuple[int, str]]] = {}
    for lap in outcome.laps:
        by_lap.setdefault(lap.number, []).append((lap.end, lap.car))
    return {n: [car for _, car in sorted(ends)] for n, ends in by_lap.items()}


def _lead(outcome: SessionOutcome) -> Iterator[Lead]:
    order = _lap_order(outcome)
    total = outcome.overall.laps_completed
    leaders = [order[n][0] for n in range(1, total + 1) if order.get(n)]
    if not leaders:
        return
    counts: dict[str, int] = {}
    for car in leaders:
        counts[car] = counts.get(car, 0) + 1
    changes = tuple(
        (n, car) for n, (prev, car) in enumerate(itertools.pairwise(leaders), start=2) if car != prev
    )
    led = tuple(sorted(counts.items(), key=lambda kv: (-kv[1], leaders.index(kv[0]))))
    yield Lead(outcome.session.id, led, changes, total, 50 if changes else 45)


def _first_lap(outcome: SessionOutcome) -> Iterator[FirstLapGain]:
    if outcome.grid is None:
        return
    lap1 = _lap_order(outcome).get(1, [])
    grid = {s.car: s.position for s in outcome.grid.slots if not s.pit_lane}
    gains = [
        FirstLapGain(outcome.session.id, car, grid[car], i)
        for i, car in enumerate(lap1, start=1)
        if car in grid and grid[car] - i >= FIRST_LAP_MIN_PLACES
    ]
    gains.sort(key=lambda g: (-g.gained, g.after_lap_1))
    yield from gains[:1]


def _neutralisations(
    outcome: SessionOutcome, periods: Sequence[TrackStatusPeriod], incidents: Sequence[Incident]
) -> list[Neutralisation]:
    """Runs of consecutive neutralised laps of the leader, with the kind of neutralisation in force."""
    laps = outcome.overall.neutralised_laps
    if not laps:
        return []
    leader = outcome.overall.rows[0].car
    by_number = {lap.number: lap for lap in outcome.laps if lap.car == leader}
    runs: list[list[int]] = []
    for n in laps:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    out = []
    for run in runs:
        statuses = by_number[run[0]].statuses if run[0] in by_number else frozenset()
        status = next((s for s in _NEUTRAL_ORDER if s in statuses), TrackStatus.SC)
        first, last = by_number.get(run[0]), by_number.get(run[-1])
        note = ""
        if first is not None and last is not None:
            note = next(
                (
                    p.note
                    for p in periods
                    if p.status is status and p.note and p.overlaps(first.start, last.end)
                ),
                "",
            )
        out.append(
            Neutralisation(outcome.session.id, status, tuple(run), _cause(incidents, status, run[0]), note)
        )
    return out


def _cause(incidents: Sequence[Incident], status: TrackStatus, first_lap: int | None) -> Incident | None:
    """The logged incident that brought out `status`: the latest one at or before the neutralised lap."""
    candidates = [
        x
        for x in incidents
        if x.neutralisation is status and (first_lap is None or x.lap is None or x.lap <= first_lap)
    ]
    return candidates[-1] if candidates else None


# ── the championship ──────────────────────────────────────────────────────────────────────────────────


def _championship_lead(
    classification: str, history: StandingsHistory, round_number: int
) -> ChampionshipLead | None:
    table = history.after(round_number)
    if table is None or not table.rows:
        return None
    leader = table.rows[0]
    second = table.rows[1] if len(table.rows) > 1 else None
    before = history.after(round_number - 1) if round_number > 1 else None
    previous = None
    if before is not None and before.rows and before.after_round < round_number:
        previous = before.rows[0].name
    return ChampionshipLead(
        classification=classification,
        leader=leader.name,
        points=format_points(leader.points),
        second=second.name if second is not None else None,
        margin=format_points(leader.points - second.points) if second is not None else None,
        previous_leader=previous,
        shared=second is not None and second.position == leader.position,
        after_round=table.after_round,
        weight=85 if classification == OVERALL else 60,
    )
