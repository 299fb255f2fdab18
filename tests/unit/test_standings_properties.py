"""Properties of the standings engine, on random seasons (hypothesis).

- The tables do not depend on the order in which cars, sessions' results or decisions are supplied.
- Dropping results never increases a total.
- A decision that removes a result (an ineligible car) never raises anyone else's points above what
  re-ranking allows: at most one place higher, plus the fastest-lap bonus when the removed car set it.
"""

from __future__ import annotations

import random
from dataclasses import replace
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from test_standings_helpers import F

from parcferme.engine.drops import apply_drops
from parcferme.engine.points import score_session
from parcferme.engine.standings import season_standings
from parcferme.model.championship import (
    CarResult,
    ChampionshipDecision,
    ChampionshipDecisionKind,
    Round,
    RoundSession,
    Season,
    Table,
)
from parcferme.model.points import (
    Bonus,
    BonusKind,
    CarsCounted,
    ChampionshipRules,
    DropRule,
    DropSegment,
    DropUnit,
    PointsRules,
    Scale,
    TeamRules,
)
from parcferme.model.results import Status
from parcferme.model.standings import CountedResult, StandingRow

RACE = Scale(tuple(F(p) for p in (10, 6, 4, 3, 2, 1)), kind="race")
SPRINT = Scale((F(3), F(2), F(1)), kind="sprint")
FL_SHARED = Bonus(BonusKind.FASTEST_LAP, F(1))
FL_FIRST = Bonus(BonusKind.FASTEST_LAP, F(1), share_ties=False, requires_classified=True, max_position=3)

RULE_SETS = [
    PointsRules("plain", scales=(RACE, SPRINT), teams=TeamRules()),
    PointsRules(
        "fl", scales=(RACE, SPRINT), bonuses=(FL_SHARED,), teams=TeamRules(cars=CarsCounted.BEST, count=1)
    ),
    PointsRules(
        "best-2",
        scales=(RACE, SPRINT),
        bonuses=(FL_FIRST,),
        drivers=ChampionshipRules(drops=DropRule((DropSegment(best=2),))),
        teams=TeamRules(drops=DropRule((DropSegment(1, 2, best=1), DropSegment(3, None, best=1)))),
    ),
    PointsRules(
        "all-but-1",
        scales=(RACE, SPRINT),
        drivers=ChampionshipRules(
            drops=DropRule((DropSegment(drop=1),), DropUnit.SESSION, at_season_end=True)
        ),
        teams=TeamRules(),
    ),
]
NO_DROPS = {
    r.id: replace(r, drivers=ChampionshipRules(), teams=replace(r.teams, drops=None)) for r in RULE_SETS
}  # type: ignore[arg-type]


@st.composite
def seasons(draw: st.DrawFn) -> Season:
    n = draw(st.integers(2, 7))
    drivers = [f"d{i}" for i in range(n)]
    teams = {d: draw(st.sampled_from(["t0", "t1", "t2"])) for d in drivers}
    rounds = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        sessions = []
        kinds = ["sprint", "race"] if draw(st.booleans()) else ["race"]
        for kind in kinds:
            order = draw(st.permutations(drivers))
            classified = draw(st.integers(0, n))
            laps = draw(st.lists(st.one_of(st.none(), st.integers(60, 63)), min_size=n, max_size=n))
            cars = tuple(
                CarResult(
                    car=d,
                    drivers=(d,),
                    team=teams[d],
                    status=Status.CLASSIFIED if i < classified else Status.DNF,
                    position=i + 1 if i < classified else None,
                    order=i + 1,
                    best_lap=None if laps[i] is None else laps[i] * 1_000_000,
                    best_lap_number=i + 1,
                )
                for i, d in enumerate(order)
            )
            sessions.append(RoundSession("S" if kind == "sprint" else "R", kind, cars))
        rounds.append(Round(number, f"Round {number}", tuple(sessions)))
    if draw(st.booleans()):
        rounds.append(Round(len(rounds) + 1, "to come", (RoundSession("R", "race"),)))
    return Season("Random", 2000, tuple(rounds))


def tables(
    season: Season, rules: PointsRules, decisions: list[ChampionshipDecision] | None = None
) -> list[object]:
    out: list[object] = []
    for table, history in sorted(season_standings(season, rules, decisions=decisions or []).items()):
        for t in history.tables:
            rows = [
                (r.competitor, r.position, r.shared, r.points, r.wins, r.status, r.scored, _dropped(r))
                for r in t.rows
            ]
            out.append((table, t.after_round, rows))
    return out


def _dropped(row: StandingRow) -> list[tuple[int, str, Fraction]]:
    return sorted((c.round, c.session, c.points) for c in row.dropped)


def shuffled(season: Season, seed: int) -> Season:
    rng = random.Random(seed)
    rounds = []
    for rnd in season.rounds:
        sessions = []
        for s in rnd.sessions:
            results = list(s.results)
            rng.shuffle(results)
            sessions.append(replace(s, results=tuple(results)))
        rounds.append(replace(rnd, sessions=tuple(sessions)))
    rng.shuffle(rounds)
    return replace(season, rounds=tuple(rounds))


@settings(max_examples=150, deadline=None)
@given(seasons(), st.sampled_from(RULE_SETS), st.integers(0, 10**6))
def test_standings_do_not_depend_on_the_order_of_the_input(
    season: Season, rules: PointsRules, seed: int
) -> None:
    decisions = [
        ChampionshipDecision(ChampionshipDecisionKind.DEDUCTION, 1, competitor="d0", points=F(2)),
        ChampionshipDecision(ChampionshipDecisionKind.WITHHOLD, 1, session="R", car="d1"),
        ChampionshipDecision(ChampionshipDecisionKind.POINTS_FACTOR, 1, session="R", factor=F(1, 2)),
    ]
    reordered = list(decisions)
    random.Random(seed).shuffle(reordered)
    assert tables(season, rules, decisions) == tables(shuffled(season, seed), rules, reordered)


@settings(max_examples=150, deadline=None)
@given(seasons(), st.sampled_from(RULE_SETS))
def test_dropping_results_never_increases_a_total(season: Season, rules: PointsRules) -> None:
    with_drops = season_standings(season, rules)
    without = season_standings(season, NO_DROPS[rules.id])
    for table, history in with_drops.items():
        for t in history.tables:
            plain = without[table].after(t.after_round)
            assert plain is not None
            for row in t.rows:
                other = plain.row(row.competitor)
                assert other is not None
                assert row.points <= other.points == row.scored
                assert sum((r.points for r in row.counted), Fraction(0)) == row.points
                assert sum((r.points for r in (*row.counted, *row.dropped)), Fraction(0)) == row.scored


@given(
    st.lists(st.tuples(st.integers(1, 6), st.integers(0, 25)), max_size=12),
    st.integers(1, 5),
    st.integers(0, 3),
)
def test_apply_drops_keeps_a_subset_and_never_adds(
    results: list[tuple[int, int]], best: int, drop: int
) -> None:
    counted_results = [CountedResult(r, "", F(p)) for r, p in results]
    for rule in (DropRule((DropSegment(best=best),)), DropRule((DropSegment(drop=drop),))):
        counted, dropped = apply_drops(counted_results, rule, {0: len(results)})
        assert sorted(map(id, counted + dropped)) == sorted(map(id, counted_results))
        total = sum((r.points for r in counted), Fraction(0))
        assert total <= sum((r.points for r in counted_results), Fraction(0))
        assert all(c.points >= d.points for c in counted for d in dropped)


@settings(max_examples=200, deadline=None)
@given(seasons(), st.sampled_from(RULE_SETS[:3]), st.data())
def test_removing_a_result_raises_others_only_as_far_as_re_ranking_allows(
    season: Season, rules: PointsRules, data: st.DataObject
) -> None:
    held = [(rnd, s) for rnd in season.rounds for s in rnd.sessions if s.held]
    rnd, session = data.draw(st.sampled_from(held))
    removed = data.draw(st.sampled_from(session.results))
    decision = ChampionshipDecision(
        ChampionshipDecisionKind.INELIGIBLE, rnd.number, session=session.id, car=removed.car
    )
    scale = rules.scale_for(session.id, session.kind)
    values = scale.points if scale is not None else ()

    def at(place: int) -> Fraction:
        return values[place - 1] if 0 < place <= len(values) else Fraction(0)

    bonus = sum((b.points for b in rules.bonuses if b.applies_to(session.id, session.kind)), Fraction(0))
    before = score_session(session, round_number=rnd.number, rules=rules)
    after = score_session(session, round_number=rnd.number, rules=rules, decisions=[decision])
    # the removed car set the fastest lap (whether or not it could score it): the next fastest may now
    times = [r.best_lap for r in session.results if r.best_lap is not None]
    removed_had_bonus = removed.best_lap is not None and removed.best_lap == min(times)
    for r in session.results:
        if r is removed:
            assert sum(s.points for s in after[r.drivers[0]]) == 0
            continue
        old = sum((s.points for s in before[r.drivers[0]]), Fraction(0))
        new = sum((s.points for s in after[r.drivers[0]]), Fraction(0))
        allowance = Fraction(0)
        if r.position is not None and removed.position is not None and r.position > removed.position:
            allowance += at(r.position - 1) - at(r.position)
        if removed_had_bonus:
            allowance += bonus
        old_bonus = sum((s.bonus for s in before[r.drivers[0]]), Fraction(0))
        new_bonus = sum((s.bonus for s in after[r.drivers[0]]), Fraction(0))
        assert new - new_bonus >= old - old_bonus  # nobody's place points go down
        assert new - old <= allowance, (r.car, old, new, allowance)
    # and over the season: nobody else ends above what those per-session gains allow
    table_before = season_standings(season, NO_DROPS[rules.id], tables=(Table.DRIVERS,))[Table.DRIVERS].latest
    table_after = season_standings(season, NO_DROPS[rules.id], tables=(Table.DRIVERS,), decisions=[decision])
    latest = table_after[Table.DRIVERS].latest
    assert table_before is not None and latest is not None
    for row in latest.rows:
        old_row = table_before.row(row.competitor)
        assert old_row is not None
        if row.competitor != removed.drivers[0]:
            assert row.points - old_row.points <= (at(1) if values else 0) + bonus
