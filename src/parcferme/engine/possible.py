"""What is still possible: who can still win the championship, given the points still on offer.

After a round, each competitor's final total lies between two bounds under the rules: the worst case
(nothing more scored) and the best case (the most one competitor can score in every round left: the win,
and every bonus it can collect, in each scoring session; the best cars of a team), both through the
dropped-results rule. A competitor is eliminated when someone's worst case beats its best case, and has
clinched the title when its worst case beats everyone else's best case. These are the bounds a press
officer uses; they ignore that rivals take points from each other, so "contender" means "not ruled out".
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

from parcferme.engine.drops import Unit, select
from parcferme.engine.standings import standings_history
from parcferme.errors import RuleError
from parcferme.model.championship import ChampionshipDecision, Round, Season, Table
from parcferme.model.classification import Classification
from parcferme.model.points import CarsCounted, DropRule, DropUnit, PointsRules
from parcferme.model.standings import (
    ChampionshipOutlook,
    Outlook,
    OutlookRow,
    StandingRow,
    StandingsHistory,
    StandingStatus,
)

__all__ = ["championship_outlook", "max_round_points"]

ZERO = Fraction(0)


def _sessions(rnd: Round) -> list[tuple[str, str]]:
    return [(s.id, s.kind) for s in rnd.sessions]


def max_round_points(
    rnd: Round, rules: PointsRules, final_round: int, *, table: Table = Table.DRIVERS, cars: int = 1
) -> dict[str, Fraction]:
    """The most one competitor can score in each session of a round, session id → points.

    A driver: the win, times the round's factor, plus every bonus of the session (pole, fastest lap). A
    team: the best `cars` places (the rules' count for "best cars", or the cars it runs), plus the bonuses
    when they count for teams.
    """
    teams = table is Table.TEAMS
    team_rules = rules.teams
    if teams and team_rules is None:
        raise RuleError(f"rule set {rules.id!r} has no team championship")
    factor = rules.round_factor(rnd.number, final_round)
    out: dict[str, Fraction] = {}
    for session, kind in _sessions(rnd):
        scale = rules.scale_for(session, kind, team=teams)
        points = scale.points if scale is not None else ()
        if teams and team_rules is not None:
            n = team_rules.count if team_rules.cars is CarsCounted.BEST else cars
            best = sum(points[:n], ZERO)
        else:
            best = points[0] if points else ZERO
        total = best * factor
        if not teams or (team_rules is not None and team_rules.bonuses):
            total += sum((b.points for b in rules.bonuses if b.applies_to(session, kind)), ZERO)
        out[session] = total
    return out


def _units(row: StandingRow) -> list[Unit]:
    results = sorted((*row.counted, *row.dropped), key=lambda r: (r.round, r.session, r.car))
    return [(r.round, r.session, r.car, r.points) for r in results]


def _final(units: list[Unit], drop: DropRule | None, held: dict[int, int]) -> Fraction:
    if drop is None:
        return sum((Fraction(u[3]) for u in units), ZERO)
    chosen = select(units, drop, held)
    return sum((Fraction(units[i][3]) for i in chosen), ZERO)


def championship_outlook(
    season: Season,
    rules: PointsRules,
    *,
    after_round: int | None = None,
    table: Table = Table.DRIVERS,
    decisions: Iterable[ChampionshipDecision] = (),
    classification: Classification | None = None,
    history: StandingsHistory | None = None,
) -> ChampionshipOutlook | None:
    """Each competitor's range of final points after a round (the latest held when None), and its chances.

    The rounds left are the season's scheduled rounds after that one (held or not). None when no round
    has been held. Pass `history` to reuse standings already computed with the same arguments.
    """
    if history is None:
        history = standings_history(
            season, rules, table=table, decisions=decisions, classification=classification
        )
    current = history.latest if after_round is None else history.after(after_round)
    if current is None:
        return None
    ch = rules.table(table is Table.TEAMS)
    drop = ch.drops if ch is not None else None
    final = season.final_round
    left = [r for r in sorted(season.rounds, key=lambda r: r.number) if r.number > current.after_round]
    # the units the whole season will have held, per drop segment (for "all but N")
    held: dict[int, int] = {}
    if drop is not None:
        for rnd in season.rounds:
            n = 1 if drop.unit is DropUnit.ROUND else len(rnd.sessions)
            for i, segment in enumerate(drop.segments):
                if segment.contains(rnd.number):
                    held[i] = held.get(i, 0) + n
    cars: dict[str, int] = {}
    if table is Table.TEAMS:
        for competitor in history.competitors:
            cars[competitor] = max((len(s.orders) for s in history.scores_of(competitor)), default=1) or 1
    available = ZERO
    per_round: dict[int, dict[str, Fraction]] = {}
    for rnd in left:
        per_round[rnd.number] = max_round_points(rnd, rules, final, table=table)
        available += sum(per_round[rnd.number].values(), ZERO)

    bounds: list[tuple[StandingRow, Fraction, Fraction]] = []
    for row in current.rows:
        units = _units(row)
        best_units = list(units)
        for rnd in left:
            offer = per_round[rnd.number]
            if table is Table.TEAMS and cars.get(row.competitor, 1) > 1:
                offer = max_round_points(rnd, rules, final, table=table, cars=cars[row.competitor])
            if drop is not None and drop.unit is not DropUnit.ROUND:
                best_units.extend((rnd.number, session, "", points) for session, points in offer.items())
            else:
                best_units.append((rnd.number, "", "", sum(offer.values(), ZERO)))
        deductions = row.deductions
        best = _final(best_units, drop, held) - deductions
        worst = _final(units, drop, held) - deductions
        bounds.append((row, best, worst))

    ranked = [(row, best, worst) for row, best, worst in bounds if row.status is StandingStatus.RANKED]
    rows: list[OutlookRow] = []
    for row, best, worst in bounds:
        others = [(b, w) for r, b, w in ranked if r.competitor != row.competitor]
        if row.status is not StandingStatus.RANKED or any(w > best for _, w in others):
            outlook = Outlook.ELIMINATED
        elif all(b < worst for b, _ in others):
            outlook = Outlook.CLINCHED
        else:
            outlook = Outlook.CONTENDER
        rows.append(OutlookRow(row.competitor, row.name, row.points, best, worst, outlook))
    return ChampionshipOutlook(
        season=season.year,
        table=table,
        classification=history.classification,
        after_round=current.after_round,
        rounds_left=len(left),
        available=available,
        rows=tuple(rows),
    )
