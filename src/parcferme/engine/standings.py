"""Championship standings after every round: points that count, dropped results, wins, positions, ties.

`season_standings` computes the drivers' and the teams' tables of a season together (each session is
scored once for both); `standings_history` one table; `standings` the table after one round. A season's
results, its points rules and the decisions on record go in; the table after every round held comes out.
Everything is exact and does not depend on the order in which cars, sessions or decisions are given.

Every round's points and positions are computed up front, in ints where whole; the table and score objects
are built on first use (see StandingsHistory), so all of F1 history takes a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import chain
from operator import attrgetter

from parcferme.engine.allocation import bulk_allocation
from parcferme.engine.points import DecisionIndex, Prepared, score_tables
from parcferme.engine.table import TableWork
from parcferme.errors import RuleError
from parcferme.model.championship import ChampionshipDecision, Season, Table
from parcferme.model.classification import Classification
from parcferme.model.points import PointsRules
from parcferme.model.standings import StandingsHistory, StandingsTable

__all__ = ["season_standings", "seasons_standings", "standings", "standings_history"]


def _widths(season: Season) -> tuple[int, int]:
    """The largest place and finishing order of the season (the size of the countback records)."""
    results = list(chain.from_iterable(s.results for rnd in season.rounds for s in rnd.sessions))
    places = max(filter(None, map(_position, results)), default=1)
    orders = max(map(_order, results), default=1)
    return max(places, 1), max(orders, 1)


_position, _order = attrgetter("position"), attrgetter("order")


@bulk_allocation
def season_standings(
    season: Season,
    rules: PointsRules,
    *,
    tables: Iterable[Table] = (Table.DRIVERS, Table.TEAMS),
    decisions: Iterable[ChampionshipDecision] = (),
    classification: Classification | None = None,
) -> dict[Table, StandingsHistory]:
    """The history of each table asked for; the teams' table is left out when the rules have none."""
    wanted = [t for t in dict.fromkeys(tables) if t is Table.DRIVERS or rules.teams is not None]
    decisions = tuple(decisions)
    prep = Prepared(rules)
    class_id = classification.id if classification is not None else "overall"
    widths = _widths(season)
    work: dict[Table, TableWork] = {}
    for t in wanted:
        chosen = rules.table(t is Table.TEAMS)
        assert chosen is not None
        work[t] = TableWork(season, t, chosen, DecisionIndex(decisions, t, season.year), class_id, widths)
    final = season.final_round
    drivers_w, teams_w = work.get(Table.DRIVERS), work.get(Table.TEAMS)
    for rnd in sorted(season.rounds, key=lambda r: r.number):
        if not rnd.held:
            continue
        factor = rules.round_factor(rnd.number, final)
        dd = drivers_w.index.of_round(rnd.number) if drivers_w is not None else None
        td = teams_w.index.of_round(rnd.number) if teams_w is not None else None
        scored = [
            score_tables(
                s, rnd.number, prep, drivers=dd, teams=td, classification=classification, round_factor=factor
            )
            for s in rnd.sessions
            if s.held
        ]
        for w in work.values():
            w.add_round(rnd, scored, rnd.number == final)
    return {t: w.history() for t, w in work.items()}


@bulk_allocation
def seasons_standings(
    seasons: Iterable[Season],
    rules: Callable[[int], PointsRules],
    *,
    tables: Iterable[Table] = (Table.DRIVERS, Table.TEAMS),
    decisions: Iterable[ChampionshipDecision] = (),
    classification: Classification | None = None,
) -> dict[int, dict[Table, StandingsHistory]]:
    """`season_standings` for many seasons (all of F1 history), `rules(year)` giving each season's rules."""
    tables, decisions = tuple(tables), tuple(decisions)
    return {
        s.year: season_standings(
            s, rules(s.year), tables=tables, decisions=decisions, classification=classification
        )
        for s in seasons
    }


def standings_history(
    season: Season,
    rules: PointsRules,
    *,
    table: Table = Table.DRIVERS,
    decisions: Iterable[ChampionshipDecision] = (),
    classification: Classification | None = None,
) -> StandingsHistory:
    """The table after every round held. Raises RuleError for TEAMS when the rules have no team table."""
    if table is Table.TEAMS and rules.teams is None:
        raise RuleError(f"rule set {rules.id!r} has no team championship")
    return season_standings(
        season, rules, tables=(table,), decisions=decisions, classification=classification
    )[table]


def standings(
    season: Season,
    rules: PointsRules,
    *,
    after_round: int | None = None,
    table: Table = Table.DRIVERS,
    decisions: Iterable[ChampionshipDecision] = (),
    classification: Classification | None = None,
) -> StandingsTable | None:
    """The table after a round (the latest held when None); None when no round has been held yet."""
    history = standings_history(
        season, rules, table=table, decisions=decisions, classification=classification
    )
    return history.latest if after_round is None else history.after(after_round)
