"""Small builders for championship tests: cars, sessions, rounds and seasons written in a line each.

Imported by the other test_points*/test_standings* modules; the one test here checks the builders.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from types import MappingProxyType

from parcferme.model.championship import CarResult, Competitor, Round, RoundSession, Season
from parcferme.model.entries import AttributeValue
from parcferme.model.results import Status
from parcferme.model.standings import StandingsTable

F = Fraction


def car(
    number: str,
    drivers: str | Sequence[str],
    position: int | None,
    *,
    order: int | None = None,
    team: str = "",
    status: Status | None = None,
    laps: int = 10,
    best: float | None = None,
    lap: int | None = None,
    **attributes: AttributeValue,
) -> CarResult:
    """A car result: classified when `position` is given (DNF otherwise, unless `status` says)."""
    names = (drivers,) if isinstance(drivers, str) else tuple(drivers)
    if status is None:
        status = Status.CLASSIFIED if position is not None else Status.DNF
    return CarResult(
        car=number,
        drivers=names,
        team=team or f"team-{number}",
        status=status,
        position=position,
        order=order if order is not None else (position or 99),
        laps=laps,
        best_lap=None if best is None else round(best * 1_000_000),
        best_lap_number=lap,
        attributes=MappingProxyType(dict(attributes)),
    )


def race(
    session: str,
    *cars: CarResult,
    kind: str = "race",
    qualifying: Sequence[str] = (),
    scheduled_laps: int | None = None,
    suspended: bool = False,
) -> RoundSession:
    """A session whose finishing order is the order of `cars` (their `order` is renumbered 1..n)."""
    ordered = tuple(_with_order(c, i) for i, c in enumerate(cars, start=1))
    return RoundSession(session, kind, ordered, tuple(qualifying), scheduled_laps, suspended)


def _with_order(c: CarResult, order: int) -> CarResult:
    return c._replace(order=order)


def season(
    *rounds: Round | Sequence[RoundSession], year: int = 2017, names: dict[str, str] | None = None
) -> Season:
    """A season of rounds numbered 1..n (a round may be given as its sessions)."""
    built = tuple(
        r if isinstance(r, Round) else Round(i, f"Round {i}", tuple(r)) for i, r in enumerate(rounds, start=1)
    )
    drivers = {k: Competitor(k, v) for k, v in (names or {}).items()}
    return Season("Test series", year, built, MappingProxyType(drivers))


def points(table: StandingsTable | None) -> dict[str, Fraction]:
    """competitor → points of a table."""
    assert table is not None
    return {row.competitor: row.points for row in table.rows}


def test_builders() -> None:
    s = season([race("R", car("1", "a", 1), car("2", "b", None))])
    assert s.rounds[0].sessions[0].results[1].status is Status.DNF
    assert s.rounds[0].sessions[0].results[1].order == 2
    assert s.final_round == 1
