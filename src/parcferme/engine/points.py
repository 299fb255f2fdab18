"""Points for one session: eligibility, re-ranking, scales, reduced points, bonuses, shared drives, teams.

`score_session` turns a session's car results into `Score`s for one table (drivers or teams). Everything a
result's points depend on is an argument: the rules, the decisions (withheld points, ineligible cars, half
points, fastest-lap credits), the classification whose eligibility applies.

Positions keep the official numbering (a place left vacant by a disqualified car stays vacant: 1983
Brazil); only cars that are not eligible are taken out, and the cars behind them move up.

Inside, results are compact (see engine/scoring.py): 75 seasons score in a few tens of milliseconds;
`Score` objects are built for people.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import compress

from parcferme.engine.scoring import (
    NO_RANK,
    SINGLES,
    DecisionIndex,
    Num,
    Prepared,
    Rec,
    admits,
    distance_factor,
    names,
    num,
    ranks,
    single,
    sorted_places,
)
from parcferme.errors import RuleError
from parcferme.model.championship import (
    CarResult,
    ChampionshipDecision,
    ChampionshipDecisionKind,
    RoundSession,
    Table,
)
from parcferme.model.classification import Classification
from parcferme.model.points import Bonus, BonusKind, CarsCounted, ClassificationMode, PointsRules, SharedDrive
from parcferme.model.standings import Score

__all__ = [
    "DecisionIndex",
    "Num",
    "Prepared",
    "Rec",
    "SessionScores",
    "admits",
    "num",
    "score_session",
    "score_tables",
]


_SMALL = len(SINGLES)  # places and orders below it come from SINGLES: no tuple built


class SessionScores:
    """One session scored for the drivers' and/or the teams' table, as compact records.

    A session that does not count for a table keeps its results on record (countback) with no points.
    """

    __slots__ = (
        "driver_notes",
        "drivers",
        "drivers_counted",
        "kind",
        "round",
        "session",
        "team_notes",
        "teams",
        "teams_counted",
    )

    def __init__(self, round_number: int, session: RoundSession) -> None:
        self.round = round_number
        self.session = session.id
        self.kind = session.kind
        self.drivers: list[Rec] = []
        self.teams: list[Rec] = []
        self.driver_notes: tuple[str, ...] = ()
        self.team_notes: tuple[str, ...] = ()
        self.drivers_counted = True
        self.teams_counted = True

    def counted(self, team: bool) -> bool:
        return self.teams_counted if team else self.drivers_counted

    def score(self, rec: Rec, team: bool) -> Score:
        _, points, positions, orders, bonus, car, note = rec
        notes = self.team_notes if team else self.driver_notes
        if note:
            notes = (*notes, note)
        counted = self.counted(team)
        return Score(
            self.round,
            self.session,
            self.kind,
            Fraction(points),
            positions,
            orders,
            Fraction(bonus),
            notes,
            car,
            counted,
        )


class _Values:
    """Points per admitted car for one table: scale points, bonuses, and what the decisions changed."""

    __slots__ = (
        "car_bonus",
        "car_points",
        "credits",
        "driver_bonus",
        "ineligible",
        "notes",
        "withheld_cars",
        "withheld_shares",
    )

    def __init__(self) -> None:
        self.car_points: list[Num] = []
        self.car_bonus: dict[int, Num] = {}
        self.driver_bonus: dict[tuple[int, str], Num] = {}
        self.ineligible: set[int] = set()
        self.withheld_cars: set[int] = set()
        self.withheld_shares: set[tuple[int, str]] = set()
        self.credits: dict[str, tuple[str, ...]] = {}
        self.notes: tuple[str, ...] = ()


def _values(
    session: RoundSession,
    admitted: Sequence[CarResult],
    others: Sequence[CarResult],
    class_rank: list[int | None],
    prep: Prepared,
    decisions: Sequence[ChampionshipDecision],
    team: bool,
    round_factor: Fraction,
    inherit: bool,
) -> _Values:
    """Points of each admitted car for one table (`others`: classified cars the classification leaves out)."""
    rules = prep.rules
    v = _Values()
    notes: list[str] = []
    factor = round_factor
    if round_factor != 1:
        notes.append(f"round points × {round_factor}")
    dist, band_scale = distance_factor(session, rules.reduced)
    if dist != 1:
        factor *= dist
        notes.append(f"short race: points × {dist}")
    points_rank = class_rank
    if decisions:
        for d in decisions:
            if d.kind is ChampionshipDecisionKind.POINTS_FACTOR:
                factor *= d.factor
                notes.append(f"points × {d.factor}: {d.reason}" if d.reason else f"points × {d.factor}")
            elif d.kind is ChampionshipDecisionKind.INELIGIBLE:
                v.ineligible.update(i for i, r in enumerate(admitted) if names(d, r))
            elif d.kind is ChampionshipDecisionKind.WITHHOLD:
                # teams: a withholding that names a car (by number, driver or team) takes its points away;
                # drivers: one that names a driver takes only that driver's share (of the car it names)
                for i, r in enumerate(admitted):
                    if team or not d.competitor:
                        if names(d, r):
                            v.withheld_cars.add(i)
                    elif d.competitor in r.drivers and (not d.car or d.car == r.car):
                        v.withheld_shares.add((i, d.competitor))
            elif d.kind is ChampionshipDecisionKind.SHARED_DRIVE and d.car:
                v.credits[d.car] = d.drivers
        if v.ineligible:
            out = [r for i, r in enumerate(admitted) if i in v.ineligible]
            points_rank = ranks(admitted, [*others, *out])
    if inherit:  # a sub-classification keeping the overall points: rank among all eligible cars
        gone = [r for i, r in enumerate(admitted) if i in v.ineligible]
        points_rank = ranks(admitted, gone)
    scale: tuple[Num, ...] = (
        tuple(num(p) for p in band_scale)
        if band_scale is not None
        else prep.scale(session.id, session.kind, team)
    )
    count = len(scale)
    heats: dict[int, int] = {}
    if v.ineligible:
        places = [
            r.position for i, r in enumerate(admitted) if r.position is not None and i not in v.ineligible
        ]
    else:
        places = [r.position for r in admitted if r.position is not None]
    if len(set(places)) != len(places):  # dead heats (RULES.md §1.7)
        for p in places:
            heats[p] = heats.get(p, 0) + 1
    whole = factor == 1
    factor_n = num(factor)
    none_shared = rules.shared_drives is SharedDrive.NONE
    special = bool(v.ineligible or v.withheld_cars)
    if not special and not heats and whole:  # the usual session, at C speed where it can be
        v.car_points = [scale[p - 1] if p is not None and p <= count else 0 for p in points_rank]
        if none_shared:  # a shared car scores nothing, for its drivers or its team (F1 from 1958)
            for i in compress(range(len(admitted)), v.car_points):
                if len(admitted[i].drivers) > 1:
                    v.car_points[i] = 0
    else:
        _car_points(v, admitted, points_rank, scale, heats, factor_n, none_shared)
    if not team or (rules.teams is not None and rules.teams.bonuses):
        for bonus in rules.bonuses:
            if bonus.applies_to(session.id, session.kind):
                _award(bonus, session, admitted, class_rank, decisions, rules.shared_drives, v)
    v.notes = tuple(notes)
    return v


def _car_points(
    v: _Values,
    admitted: Sequence[CarResult],
    points_rank: list[int | None],
    scale: tuple[Num, ...],
    heats: dict[int, int],
    factor_n: Num,
    none_shared: bool,
) -> None:
    """Each admitted car's points from its place among those scoring, in general (see _values)."""
    count = len(scale)
    whole = factor_n == 1
    special = bool(v.ineligible or v.withheld_cars)
    car_points = v.car_points
    append = car_points.append
    for i, r in enumerate(admitted):
        rank = points_rank[i]
        if rank is None or rank > count or (special and (i in v.ineligible or i in v.withheld_cars)):
            append(0)
            continue
        if none_shared and len(r.drivers) > 1:
            append(0)  # a shared car scores nothing, for its drivers or its team (F1 from 1958)
            continue
        heat = heats.get(r.position or 0, 1) if heats else 1
        if heat == 1:
            base: Num = scale[rank - 1]
        else:  # a dead heat: the points of the tied places added together and shared (RULES.md §1.7)
            base = num(Fraction(sum(scale[p - 1] for p in range(rank, rank + heat) if p <= count), heat))
        append(base if whole else num(base * factor_n))


def _award(
    bonus: Bonus,
    session: RoundSession,
    admitted: Sequence[CarResult],
    class_rank: list[int | None],
    decisions: Sequence[ChampionshipDecision],
    shared: SharedDrive,
    v: _Values,
) -> None:
    """Credit one bonus to its holder(s), when the conditions of the rules are met."""
    credited: list[tuple[int, tuple[str, ...]]] = []  # (car index, drivers credited in it)
    credit = [d for d in decisions if d.kind is ChampionshipDecisionKind.FASTEST_LAP]
    share = Fraction(1)
    if bonus.kind is BonusKind.FASTEST_LAP and credit:  # a recorded fact (timing missing, or no point)
        record = credit[-1]
        for driver in record.drivers:
            cars = [
                i
                for i, r in enumerate(admitted)
                if driver in r.drivers and (not record.car or r.car == record.car)
            ]
            if cars:  # the driver's best-placed car when he drove several
                credited.append((min(cars, key=lambda i: admitted[i].order), (driver,)))
        # each credited driver's share: the decision's factor when it gives one (1954 British GP: seven on
        # the same time, 1/7 each, the official tables crediting only four), else an equal split
        share = record.factor if record.factor != 1 else Fraction(1, len(record.drivers) or 1)
    else:
        pool = [i for i in range(len(admitted)) if not bonus.best_eligible or i not in v.ineligible]
        holders: list[int] = []
        if bonus.kind is BonusKind.FASTEST_LAP:
            timed = [i for i in pool if admitted[i].best_lap is not None]
            if timed:
                best = min(admitted[i].best_lap or 0 for i in timed)
                holders = [i for i in timed if admitted[i].best_lap == best]
                if len(holders) > 1 and not bonus.share_ties:  # the first to set it (RULES.md §1.7)
                    holders = [
                        min(
                            holders,
                            key=lambda i: (admitted[i].best_lap_number or NO_RANK, admitted[i].order),
                        )
                    ]
        else:
            by_car = {admitted[i].car: i for i in pool}
            first = next((by_car[c] for c in session.qualifying if c in by_car), None)
            holders = [first] if first is not None else []
        credited = [(i, admitted[i].drivers) for i in holders]
        share = Fraction(1, len(holders) or 1)
    points = num(bonus.points * share)
    for i, drivers in credited:
        if i in v.ineligible or not _conditions_met(bonus, session, admitted[i], class_rank[i]):
            continue
        v.car_bonus[i] = v.car_bonus.get(i, 0) + points
        each = points
        if len(drivers) > 1:  # credited to a shared car rather than to the driver who set it
            if shared is SharedDrive.NONE:
                continue
            if shared is SharedDrive.SPLIT:
                each = num(Fraction(points) / len(drivers))
        for driver in drivers:
            v.driver_bonus[i, driver] = v.driver_bonus.get((i, driver), 0) + each


def _conditions_met(bonus: Bonus, session: RoundSession, car: CarResult, rank: int | None) -> bool:
    if bonus.requires_classified and car.position is None:
        return False
    if bonus.max_position is not None and (rank is None or rank > bonus.max_position):
        return False
    if bonus.min_distance is not None and session.scheduled_laps:
        return Fraction(session.leader_laps, session.scheduled_laps) >= bonus.min_distance
    return True


def _driver_recs(
    admitted: Sequence[CarResult], class_rank: list[int | None], v: _Values, shared: SharedDrive
) -> list[Rec]:
    recs: list[Rec] = []
    append = recs.append
    car_points, car_bonus, driver_bonus = v.car_points, v.car_bonus, v.driver_bonus
    special = bool(v.ineligible or v.withheld_cars or v.withheld_shares or v.credits)
    for i, r in enumerate(admitted):
        rank = class_rank[i]
        positions = SINGLES[rank] if rank is not None and 0 <= rank < _SMALL else single(rank)
        drivers = r.drivers
        value = car_points[i]
        if len(drivers) == 1 and not special:
            order = r.order
            orders = SINGLES[order] if 0 <= order < _SMALL else single(order)
            if car_bonus:
                bonus = driver_bonus.get((i, drivers[0]), 0)
                append((drivers[0], value + bonus, positions, orders, bonus, r.car, ""))
            else:
                append((drivers[0], value, positions, orders, 0, r.car, ""))
            continue
        sharers = v.credits.get(r.car, drivers)
        n = len(sharers)
        if n > 1 and value:
            if shared is SharedDrive.SPLIT:
                value = num(Fraction(value) / n)
            elif shared is SharedDrive.NONE:
                value = 0
        for driver in drivers:
            key = (i, driver)
            own = 0 if key in v.withheld_shares or driver not in sharers else value
            bonus = driver_bonus.get(key, 0)
            note = ""
            if i in v.ineligible:
                note = f"car {r.car}: not eligible for points"
            elif i in v.withheld_cars or key in v.withheld_shares:
                note = f"car {r.car}: points withheld"
            elif len(drivers) > 1:
                note = f"car {r.car} shared by {len(drivers)} drivers ({shared.value}, {n} scoring)"
            append((driver, own + bonus, positions, single(r.order), bonus, r.car, note))
    return recs


def _team_recs(
    admitted: Sequence[CarResult], class_rank: list[int | None], v: _Values, rules: PointsRules
) -> list[Rec]:
    team_rules = rules.teams
    assert team_rules is not None
    cars: dict[str, list[int]] = {}
    for i, r in enumerate(admitted):
        team = r.team
        if team:
            found = cars.get(team)
            if found is None:
                cars[team] = [i]
            else:
                found.append(i)
    car_points, car_bonus = v.car_points, v.car_bonus
    best = team_rules.cars is CarsCounted.BEST
    count = team_rules.count
    recs: list[Rec] = []
    append = recs.append
    for team, idx in cars.items():
        if len(idx) == 1 and count >= 1:  # one car (a privateer): nothing to choose or sort
            i = idx[0]
            rank_ = class_rank[i]
            order = admitted[i].order
            b = car_bonus.get(i, 0) if car_bonus else 0
            append(
                (
                    team,
                    car_points[i] + b,
                    SINGLES[rank_] if rank_ is not None and 0 <= rank_ < _SMALL else single(rank_),
                    SINGLES[order] if 0 <= order < _SMALL else single(order),
                    b,
                    "",
                    "",
                )
            )
            continue
        if len(idx) == 2:  # the usual two cars, without the general machinery
            i, j = idx
            points: Num
            bonus: Num
            bi = car_bonus.get(i, 0) if car_bonus else 0
            bj = car_bonus.get(j, 0) if car_bonus else 0
            pi, pj = car_points[i] + bi, car_points[j] + bj
            if not best or count >= 2:
                points, bonus = pi + pj, bi + bj
            elif count == 1:  # the better car (points, place, then finishing order), the first on a tie
                ri, rj = class_rank[i] or NO_RANK, class_rank[j] or NO_RANK
                first = (-pi, ri, admitted[i].order) <= (-pj, rj, admitted[j].order)
                points, bonus = (pi, bi) if first else (pj, bj)
            else:
                points, bonus = 0, 0
            a, b2 = class_rank[i], class_rank[j]
            if a is None or b2 is None:
                positions = single(b2 if a is None else a)
            else:
                positions = (a, b2) if a <= b2 else (b2, a)
            o1, o2 = admitted[i].order, admitted[j].order
            append((team, points, positions, (o1, o2) if o1 <= o2 else (o2, o1), bonus, "", ""))
            continue
        if best and len(idx) > count:

            def rank(i: int) -> tuple[Num, int, int]:
                return (-(car_points[i] + car_bonus.get(i, 0)), class_rank[i] or NO_RANK, admitted[i].order)

            counted = [min(idx, key=rank)] if count == 1 else sorted(idx, key=rank)[:count]
        else:
            counted = idx
        points = bonus = 0
        for i in counted:
            b = car_bonus.get(i, 0) if car_bonus else 0
            points += car_points[i] + b
            bonus += b
        # countback looks at every car's place, counted or not (the official 1958–1978 tables rank so)
        if len(idx) == 1:
            i = idx[0]
            positions = single(class_rank[i])
            orders = single(admitted[i].order)
        elif len(idx) == 2:
            a, b2 = class_rank[idx[0]], class_rank[idx[1]]
            if a is None or b2 is None:
                positions = single(b2 if a is None else a)
            else:
                positions = (a, b2) if a <= b2 else (b2, a)
            o1, o2 = admitted[idx[0]].order, admitted[idx[1]].order
            orders = (o1, o2) if o1 <= o2 else (o2, o1)
        else:
            positions = sorted_places(tuple(p for p in (class_rank[i] for i in idx) if p is not None))
            orders = sorted_places(tuple(admitted[i].order for i in idx))
        append((team, points, positions, orders, bonus, "", ""))
    return recs


def score_tables(
    session: RoundSession,
    round_number: int,
    prep: Prepared,
    *,
    drivers: Sequence[ChampionshipDecision] | None,
    teams: Sequence[ChampionshipDecision] | None,
    classification: Classification | None = None,
    round_factor: Fraction = Fraction(1),
) -> SessionScores:
    """Score a session for the drivers' table (when `drivers` is not None: that table's decisions of this
    round) and/or the teams' table (likewise). Decisions of other sessions of the round are ignored."""
    rules = prep.rules
    results = session.results
    unrestricted = classification is None or (not classification.require and not classification.exclude)
    admitted: Sequence[CarResult]
    others: Sequence[CarResult]
    if unrestricted:
        admitted, others = results, ()
    else:
        admitted = [r for r in results if admits(classification, r)]
        kept = {id(r) for r in admitted}
        others = [r for r in results if id(r) not in kept and r.position is not None]
    class_rank = ranks(admitted, others)
    inherit = rules.classification_mode is ClassificationMode.INHERIT and not unrestricted
    sid = session.id
    dd = [d for d in drivers if d.session is None or d.session == sid] if drivers else []
    td = [d for d in teams if d.session is None or d.session == sid] if teams else []
    not_counted_d = bool(dd) and any(d.kind is ChampionshipDecisionKind.NOT_COUNTED for d in dd)
    not_counted_t = bool(td) and any(d.kind is ChampionshipDecisionKind.NOT_COUNTED for d in td)
    out = SessionScores(round_number, session)
    vd: _Values | None = None
    if drivers is not None:
        vd = _values(session, admitted, others, class_rank, prep, dd, False, round_factor, inherit)
        if not_counted_d:
            _nothing(vd, len(admitted))
        out.drivers = _driver_recs(admitted, class_rank, vd, rules.shared_drives)
        out.drivers_counted = not not_counted_d
        out.driver_notes = vd.notes
    if teams is not None:
        if rules.teams is None:
            raise RuleError(f"rule set {rules.id!r} has no team championship")
        # the drivers' values serve the teams too when nothing differs: the same scale, no decisions, and
        # the same bonuses (they count for teams, or the rules have none)
        same = (
            vd is not None
            and not td
            and not dd
            and not rules.teams.scales
            and (rules.teams.bonuses or not rules.bonuses)
        )
        vt = vd if same and vd is not None else None
        if vt is None:
            vt = _values(session, admitted, others, class_rank, prep, td, True, round_factor, inherit)
        if not_counted_t:
            _nothing(vt, len(admitted))
        out.teams = _team_recs(admitted, class_rank, vt, rules)
        out.teams_counted = not not_counted_t
        out.team_notes = vt.notes
    return out


def _nothing(v: _Values, cars: int) -> None:
    """A session that does not count for the table (the Indianapolis 500 for the constructors, 1958–1960):
    results stay on record for countback — the official 1959 table ranks Kurtis Kraft on its places there."""
    v.car_points = [0] * cars
    v.car_bonus = {}
    v.driver_bonus = {}
    v.notes = (*v.notes, "not counted for this table")


def score_session(
    session: RoundSession,
    *,
    round_number: int,
    rules: PointsRules,
    table: Table = Table.DRIVERS,
    decisions: Sequence[ChampionshipDecision] = (),
    classification: Classification | None = None,
    round_factor: Fraction = Fraction(1),
) -> dict[str, tuple[Score, ...]]:
    """Each competitor's scores in one session: a driver has one per car driven, a team one in all.

    `decisions` are those of this table and season (only this round's and session's are used). The cars a
    classification does not admit are left out; a car made ineligible by a decision takes part (its
    competitors are listed) but scores nothing, and the cars behind move up. Raises RuleError for TEAMS
    when the rules have no team championship.
    """
    mine = [d for d in decisions if d.round == round_number]
    teams = table is Table.TEAMS
    scored = score_tables(
        session,
        round_number,
        Prepared(rules),
        drivers=None if teams else mine,
        teams=mine if teams else None,
        classification=classification,
        round_factor=round_factor,
    )
    out: dict[str, list[Score]] = {}
    for rec in scored.teams if teams else scored.drivers:
        out.setdefault(rec[0], []).append(scored.score(rec, teams))
    return {c: tuple(s) for c, s in out.items()}
