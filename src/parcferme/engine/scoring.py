"""The building blocks of scoring: exact numbers, decision look-up, eligibility, places after removals.

Inside the engine, points are `int` where whole and `Fraction` otherwise (both exact; ints are fast), and a
competitor's result in a session is a plain tuple (`Rec`) rather than an object.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from fractions import Fraction

from parcferme.model.championship import (
    CarResult,
    ChampionshipDecision,
    ChampionshipDecisionKind,
    RoundSession,
    Table,
)
from parcferme.model.classification import Classification
from parcferme.model.entries import Entry
from parcferme.model.points import PointsRules, ReducedPoints

__all__ = [
    "NO_RANK",
    "SINGLES",
    "DecisionIndex",
    "Num",
    "Prepared",
    "Rec",
    "admits",
    "distance_factor",
    "names",
    "num",
    "ranks",
    "single",
    "sorted_places",
]

Num = int | Fraction  # exact points: an int when whole (fast), a Fraction otherwise
# one competitor's result in a session: (competitor, points, positions, orders, bonus, car, note)
Rec = tuple[str, Num, tuple[int, ...], tuple[int, ...], Num, str, str]
NO_RANK = 10**9
_NONE: tuple[int, ...] = ()
SINGLES: tuple[tuple[int, ...], ...] = tuple((i,) for i in range(256))  # (i,) for the usual small i


def sorted_places(values: tuple[int, ...]) -> tuple[int, ...]:
    """Sorted, cheaply for the usual two cars of a team (already in order more often than not)."""
    if len(values) == 2:
        return values if values[0] <= values[1] else (values[1], values[0])
    return tuple(sorted(values)) if len(values) > 2 else values


def single(value: int | None) -> tuple[int, ...]:
    """(value,) without allocating for the usual small places; () for None."""
    if value is None:
        return _NONE
    return SINGLES[value] if 0 <= value < 256 else (value,)


def num(value: Fraction | int) -> Num:
    """An exact number as an int when it is whole."""
    if isinstance(value, int):
        return value
    return value.numerator if value.denominator == 1 else value


class DecisionIndex:
    """The decisions that apply to one table of one season, grouped by round for quick look-up."""

    def __init__(self, decisions: Iterable[ChampionshipDecision], table: Table, season: int) -> None:
        self.table = table
        self.season = season
        self.all: tuple[ChampionshipDecision, ...] = tuple(d for d in decisions if d.applies(table, season))
        self._by_round: dict[int, list[ChampionshipDecision]] = {}
        for d in self.all:
            self._by_round.setdefault(d.round, []).append(d)

    def of_round(self, round_number: int) -> list[ChampionshipDecision]:
        return self._by_round.get(round_number, [])

    def effective(self, kind: ChampionshipDecisionKind, after_round: int) -> list[ChampionshipDecision]:
        """Decisions of a kind in force after a round (deductions, exclusions)."""
        return [
            d
            for d in self.all
            if d.kind is kind
            and d.round <= after_round
            and (d.until_round is None or after_round <= d.until_round)
        ]


class Prepared:
    """A rule set with its scales turned into exact ints where whole, looked up once per session kind."""

    def __init__(self, rules: PointsRules) -> None:
        self.rules = rules
        self._scales: dict[tuple[str, str, bool], tuple[Num, ...]] = {}

    def scale(self, session: str, kind: str, team: bool) -> tuple[Num, ...]:
        key = (session, kind, team)
        found = self._scales.get(key)
        if found is None:
            scale = self.rules.scale_for(session, kind, team=team)
            found = self._scales[key] = tuple(num(p) for p in scale.points) if scale is not None else ()
        return found


def admits(classification: Classification | None, result: CarResult) -> bool:
    """Whether a car's entry is eligible for a classification (always, for the overall one)."""
    if classification is None or (not classification.require and not classification.exclude):
        return True
    entry = Entry(number=result.car, drivers=(), team=result.team, attributes=result.attributes)
    return classification.admits(entry)


def names(decision: ChampionshipDecision, result: CarResult) -> bool:
    """Whether a decision names this car: by car number, by a driver of it, or by its team."""
    if decision.car and decision.car != result.car:
        return False
    if decision.competitor:
        return decision.competitor in result.drivers or decision.competitor == result.team
    return bool(decision.car)


def distance_factor(
    session: RoundSession, reduced: ReducedPoints | None
) -> tuple[Fraction, tuple[Fraction, ...] | None]:
    """The factor (or replacement scale) for a short race; only when the scheduled distance is known."""
    if reduced is None or session.kind not in reduced.session_kinds or not session.scheduled_laps:
        return Fraction(1), None
    if reduced.only_if_suspended and not session.suspended:
        return Fraction(1), None
    laps = session.leader_laps
    if laps < reduced.min_laps:
        return Fraction(0), None
    share = Fraction(laps, session.scheduled_laps)
    for band in reduced.bands:
        if share < band.below:
            return band.factor, band.scale
    return Fraction(1), None


def ranks(cars: Sequence[CarResult], out: Iterable[CarResult]) -> list[int | None]:
    """Positions of `cars` once the classified cars `out` are taken out: the official position, less the
    places of those ahead of it (a vacant place stays vacant)."""
    gone = sorted(r.position for r in out if r.position is not None)
    if not gone:
        return [r.position for r in cars]
    return [None if r.position is None else r.position - bisect_left(gone, r.position) for r in cars]
