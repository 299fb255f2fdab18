"""Standings after every round: dropped results, tie-breaks in words, exclusions, deductions, resets, and
what is still possible."""

from __future__ import annotations

from fractions import Fraction

import pytest
from test_standings_helpers import F, car, points, race, season

from parcferme.engine.possible import championship_outlook, max_round_points
from parcferme.engine.standings import season_standings, seasons_standings, standings, standings_history
from parcferme.errors import RuleError
from parcferme.model.championship import (
    ChampionshipDecision,
    ChampionshipDecisionKind,
    Round,
    RoundSession,
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
    RoundFactor,
    Scale,
    TeamRules,
    TieBreak,
)
from parcferme.model.standings import Outlook, StandingStatus, format_points

SCALE = (
    Scale(tuple(F(p) for p in (10, 6, 4, 3, 2, 1)), kind="race"),
    Scale((F(3), F(2), F(1)), kind="sprint"),
)
RULES = PointsRules("t", scales=SCALE, teams=TeamRules())


def grand_prix(*order: str, team: dict[str, str] | None = None) -> list[RoundSession]:
    """One race finishing in the given order (a '-' prefix: retired)."""
    cars = []
    for i, name in enumerate(order, start=1):
        retired = name.startswith("-")
        d = name.lstrip("-")
        cars.append(car(d, d, None if retired else i, team=(team or {}).get(d, "")))
    return [race("R", *cars)]


def with_drops(*segments: DropSegment, unit: DropUnit = DropUnit.ROUND, at_end: bool = False) -> PointsRules:
    return PointsRules("t", scales=SCALE, drivers=ChampionshipRules(drops=DropRule(segments, unit, at_end)))


def test_a_table_after_every_round() -> None:
    s = season(grand_prix("a", "b", "c"), grand_prix("b", "a", "c"), grand_prix("c", "b", "a"))
    history = standings_history(s, RULES)
    assert history.rounds == (1, 2, 3)
    assert [points(t) for t in history.tables] == [
        {"a": 10, "b": 6, "c": 4},
        {"a": 16, "b": 16, "c": 8},
        {"a": 20, "b": 22, "c": 18},
    ]
    after_2 = history.after(2)
    assert after_2 is not None and [r.competitor for r in after_2.rows] == ["a", "b", "c"]
    # level on 16, a win and a 2nd place each: the tie-break cannot separate them
    assert [r.position_text for r in after_2.rows] == ["=1", "=1", "3"]
    assert after_2.rows[1].tie is not None and after_2.rows[1].tie.rule is None
    assert history.after(0) is None and history.after(99) == history.latest
    table = standings(s, RULES, after_round=1)
    assert table is not None and table.round_name == "Round 1" and not table.final
    assert history.latest is not None and history.latest.final and history.latest.leader.competitor == "b"  # type: ignore[union-attr]


def test_ties_are_explained_in_words() -> None:
    rules = PointsRules(
        "t", scales=(Scale(tuple(F(p) for p in (25, 18, 15, 12, 10, 8, 6, 4, 2, 1)), kind="race"),)
    )
    fill = [f"x{i}" for i in range(9)]
    rounds = [
        grand_prix("a", "b"),
        grand_prix("a", "b"),
        grand_prix("a", *fill[:3], "b"),
        grand_prix("b", *fill[:2], "a"),
        grand_prix("b", *fill[:4], "a"),
        grand_prix(*fill, "a"),
    ]
    table = standings_history(season(*rounds), rules).latest
    assert table is not None
    a, b = table.row("a"), table.row("b")
    assert a is not None and b is not None and a.points == b.points == 96
    assert (a.position, b.position, a.wins, b.wins) == (1, 2, 3, 2)
    assert b.tie is not None and b.tie.text == "tied on 96 pts: 3 wins to 2"
    assert b.tie.rule is TieBreak.COUNTBACK and b.tie.other == "a"


def test_countback_goes_down_the_places_and_ignores_sprints() -> None:
    s = season(
        [
            race("S", car("b", "b", 1), car("a", "a", 2), kind="sprint"),
            race("R", car("a", "a", 2), car("b", "b", 3)),
        ],
    )
    rules = PointsRules(
        "t", scales=(Scale((F(0), F(6), F(5)), kind="race"), Scale((F(1), F(2)), kind="sprint"))
    )
    table = standings_history(s, rules).latest
    assert table is not None and points(table) == {"a": 8, "b": 6}
    rules2 = PointsRules(
        "t", scales=(Scale((F(0), F(6), F(5)), kind="race"), Scale((F(2), F(1)), kind="sprint"))
    )
    table2 = standings_history(s, rules2).latest
    assert table2 is not None and points(table2) == {"a": 7, "b": 7}
    b = table2.row("b")
    assert b is not None and b.position == 2 and b.tie is not None and b.tie.detail == "1 2nd place to 0"
    assert table2.rows[0].wins == 0  # a sprint win is not a win


def test_last_result_tie_break() -> None:
    rules = PointsRules(
        "t", scales=SCALE, drivers=ChampionshipRules(tiebreak=(TieBreak.COUNTBACK, TieBreak.LAST_RESULT))
    )
    s = season(grand_prix("a", "b"), grand_prix("b", "a"))
    table = standings_history(s, rules).latest
    assert table is not None and [r.competitor for r in table.rows] == ["b", "a"]
    a = table.row("a")
    assert a is not None and a.tie is not None and a.tie.detail == "better result in round 2: 1st to 2nd"


LAST_RESULT_RULES = PointsRules(
    "t",
    scales=SCALE,
    drivers=ChampionshipRules(tiebreak=(TieBreak.COUNTBACK, TieBreak.LAST_RESULT)),
    teams=TeamRules(tiebreak=(TieBreak.COUNTBACK, TieBreak.LAST_RESULT)),
)


def test_last_result_compares_races_not_rounds() -> None:
    # two races in a round (the Carrera Cup weekend): a wins race 1, b race 2; level on points and
    # countback, b is ahead on the latest race, the second of the round
    s = season(
        [race("R1", car("1", "a", 1), car("2", "b", 2)), race("R2", car("2", "b", 1), car("1", "a", 2))]
    )
    table = standings_history(s, LAST_RESULT_RULES).latest
    assert table is not None and [(r.competitor, r.position_text) for r in table.rows] == [
        ("b", "1"),
        ("a", "2"),
    ]
    a = table.row("a")
    assert a is not None and a.tie is not None and a.tie.rule is TieBreak.LAST_RESULT
    assert a.tie.detail == "better result in round 1 R2: 1st to 2nd"


def test_last_result_goes_back_race_by_race_to_the_latest_difference() -> None:
    # round 2: neither classified in its race (no result each: equal), nor scoring; round 1 R2 decides
    s = season(
        [race("R1", car("1", "a", 1), car("2", "b", 2)), race("R2", car("2", "b", 1), car("1", "a", 2))],
        [race("R1", car("3", "c", 1), car("1", "a", None), car("2", "b", None))],
    )
    history = standings_history(s, LAST_RESULT_RULES)
    table = history.latest
    assert table is not None and [r.competitor for r in table.rows[:2]] == ["b", "a"]
    a = table.row("a")
    assert a is not None and a.tie is not None
    assert a.tie.detail == "better result in round 1 R2: 1st to 2nd"
    # no result is behind any place: b is 7th (no points) in round 3, a in round 4, each unclassified in
    # the other; level on countback, a is ahead on the latest race
    field = [car("3", "c", 1), *(car(str(i), f"x{i}", i - 2) for i in range(4, 9))]
    s4 = season(
        *s.rounds,
        [race("R1", *field, car("2", "b", 7), car("1", "a", None))],
        [race("R1", *field, car("1", "a", 7), car("2", "b", None))],
    )
    after4 = standings_history(s4, LAST_RESULT_RULES).latest
    assert after4 is not None
    assert [r.competitor for r in after4.rows if r.competitor in ("a", "b")] == ["a", "b"]
    b = after4.row("b")
    assert b is not None and b.tie is not None
    assert b.tie.detail == "better result in round 4: 7th to no result"


def test_last_result_for_teams_takes_the_best_car_of_each_race() -> None:
    teams = {"a1": "ta", "a2": "ta", "b1": "tb", "b2": "tb"}
    r1 = race("R1", *(car(str(i), d, i, team=teams[d]) for i, d in enumerate(("a1", "b1", "b2", "a2"), 1)))
    r2 = race("R2", *(car(str(i), d, i, team=teams[d]) for i, d in enumerate(("b1", "a1", "a2", "b2"), 1)))
    table = standings_history(season([r1, r2]), LAST_RESULT_RULES, table=Table.TEAMS).latest
    # ta: 10 + 3 and 6 + 4 = 23; tb: 6 + 4 and 10 + 3 = 23; one win, one 2nd each; tb won R2
    assert table is not None and points(table) == {"ta": 23, "tb": 23}
    assert [r.competitor for r in table.rows] == ["tb", "ta"]
    ta = table.row("ta")
    assert (
        ta is not None and ta.tie is not None and ta.tie.detail == "better result in round 1 R2: 1st to 2nd"
    )


def test_best_n_results_count_after_every_round() -> None:
    s = season(grand_prix("a", "b"), grand_prix("b", "a"), grand_prix("a", "b"), grand_prix("-a", "b"))
    rules = with_drops(DropSegment(best=2))
    history = standings_history(s, rules)
    assert [points(t)["a"] for t in history.tables] == [10, 16, 20, 20]
    final = history.latest
    assert final is not None
    a = final.row("a")
    assert a is not None and a.scored == 26 and a.points == 20
    assert [(r.round, r.points) for r in a.counted] == [(1, 10), (3, 10)]
    assert [(r.round, r.points) for r in a.dropped] == [(2, 6), (4, 0)]


def test_split_season_counts_best_n_of_each_part() -> None:
    s = season(grand_prix("a", "b"), grand_prix("a", "b"), grand_prix("b", "a"), grand_prix("b", "a"))
    rules = with_drops(DropSegment(1, 2, best=1), DropSegment(3, None, best=1))
    table = standings_history(s, rules).latest
    assert table is not None and points(table) == {"a": 16, "b": 16}


def test_all_but_n_at_season_end_drops_missed_races_first() -> None:
    s = season(grand_prix("a", "b"), grand_prix("b"), grand_prix("a", "b"), grand_prix("b", "a"))
    rules = with_drops(DropSegment(drop=1), unit=DropUnit.SESSION, at_end=True)
    history = standings_history(s, rules)
    assert [points(t) for t in history.tables[:3]] == [
        {"a": 10, "b": 6},
        {"a": 10, "b": 16},
        {"a": 20, "b": 22},
    ]
    final = history.latest
    assert final is not None and points(final) == {"a": 26, "b": 26}  # a's missed race is the one dropped
    a = final.row("a")
    assert a is not None and not a.dropped and a.points == a.scored


def test_an_unheld_final_round_keeps_drops_at_season_end_waiting() -> None:
    s = season(grand_prix("a", "b"), grand_prix("a", "b"), [RoundSession("R", "race")])
    rules = with_drops(DropSegment(drop=1), unit=DropUnit.SESSION, at_end=True)
    history = standings_history(s, rules)
    assert history.rounds == (1, 2)
    assert history.latest is not None and not history.latest.final and points(history.latest)["a"] == 20


def test_exclusion_deduction_and_withholding_decisions() -> None:
    s = season(grand_prix("a", "b", "c"), grand_prix("a", "b", "c"), grand_prix("b", "a", "c"))
    decisions = [
        ChampionshipDecision(
            ChampionshipDecisionKind.EXCLUDE, 3, competitor="a", label="disqualified", reason="Jerez"
        ),
        ChampionshipDecision(
            ChampionshipDecisionKind.DEDUCTION, 2, competitor="c", points=F(5), until_round=2
        ),
    ]
    history = standings_history(s, RULES, decisions=decisions)
    after_2 = history.after(2)
    assert after_2 is not None and points(after_2) == {"a": 20, "b": 12, "c": 3}
    c = after_2.row("c")
    assert c is not None and c.deductions == 5 and c.scored == 8
    final = history.latest
    assert final is not None
    assert [(r.competitor, r.position, r.position_text, r.points) for r in final.rows] == [
        ("b", 1, "1", 22),
        ("c", 2, "2", 12),
        ("a", None, "D", 26),  # results and points kept on record, not ranked, nobody moved up
    ]
    assert final.row("a").status is StandingStatus.DISQUALIFIED  # type: ignore[union-attr]


def test_team_tables_and_a_team_reset() -> None:
    team = {"a": "x", "b": "y", "c": "x"}
    s = season(grand_prix("a", "b", "c", team=team), grand_prix("b", "c", "a", team=team))
    histories = season_standings(s, RULES)
    assert points(histories[Table.TEAMS].latest) == {"x": 10 + 4 + 6 + 4, "y": 6 + 10}
    reset = ChampionshipDecision(ChampionshipDecisionKind.RESET, 2, table=Table.TEAMS, competitor="x")
    teams = standings_history(s, RULES, table=Table.TEAMS, decisions=[reset])
    assert points(teams.latest) == {"x": 10, "y": 16}
    assert len(teams.scores_of("x")) == 2  # the history keeps both entries' results
    best = PointsRules("t", scales=SCALE, teams=TeamRules(cars=CarsCounted.BEST, count=1))
    assert points(standings_history(s, best, table=Table.TEAMS).latest) == {"x": 10 + 6, "y": 16}
    with pytest.raises(RuleError):
        standings_history(s, PointsRules("t", scales=SCALE), table=Table.TEAMS)
    assert Table.TEAMS not in season_standings(s, PointsRules("t", scales=SCALE))


def test_not_counted_round_lists_nobody_new_but_keeps_places() -> None:
    s = season(grand_prix("a", "b"), grand_prix("indy", "a"), grand_prix("b", "a"))
    decision = ChampionshipDecision(ChampionshipDecisionKind.NOT_COUNTED, 2)
    table = standings_history(s, RULES, decisions=[decision]).latest
    assert table is not None and points(table) == {"a": 16, "b": 16}  # "indy" not listed
    b = table.row("b")
    assert b is not None and b.tie is not None and b.tie.detail == "2 2nd places to 1"  # a's Indy 2nd counts


def test_round_factor_on_the_final_round() -> None:
    rules = PointsRules("t", scales=SCALE, round_factors=(RoundFactor(0, F(2)),))
    s = season(grand_prix("a", "b"), grand_prix("b", "a"))
    assert points(standings_history(s, rules).latest) == {"a": 22, "b": 26}


def test_seasons_standings_runs_many_seasons() -> None:
    one, two = season(grand_prix("a"), year=2000), season(grand_prix("b"), year=2001)
    out = seasons_standings([one, two], lambda year: RULES, tables=(Table.DRIVERS,))
    assert sorted(out) == [2000, 2001] and points(out[2001][Table.DRIVERS].latest) == {"b": 10}


def test_what_is_still_possible() -> None:
    scheduled = [RoundSession("S", "sprint"), RoundSession("R", "race")]
    s = season(grand_prix("a", "b", "c"), grand_prix("a", "b", "c"), grand_prix("a", "c", "b"), scheduled)
    outlook = championship_outlook(s, RULES)
    assert outlook is not None and outlook.rounds_left == 1 and outlook.available == 13
    by = {r.competitor: r for r in outlook.rows}
    assert (by["a"].points, by["a"].worst, by["a"].best) == (30, 30, 43)
    assert by["b"].best == 16 + 13 and by["c"].best == 14 + 13
    assert by["a"].outlook is Outlook.CLINCHED
    assert by["b"].outlook is Outlook.ELIMINATED and by["c"].outlook is Outlook.ELIMINATED
    earlier = championship_outlook(s, RULES, after_round=1)
    assert earlier is not None and earlier.rounds_left == 3
    assert {r.competitor: r.outlook for r in earlier.rows} == {
        "a": Outlook.CONTENDER,
        "b": Outlook.CONTENDER,
        "c": Outlook.CONTENDER,
    }
    assert championship_outlook(season([RoundSession("R", "race")]), RULES) is None


def test_what_is_still_possible_with_drops_bonuses_and_teams() -> None:
    fl = Bonus(BonusKind.FASTEST_LAP, F(1))
    rules = PointsRules(
        "t", scales=SCALE, bonuses=(fl,), drivers=ChampionshipRules(drops=DropRule((DropSegment(best=2),)))
    )
    s = season(grand_prix("a", "b"), grand_prix("a", "b"), grand_prix("b", "a"), [RoundSession("R", "race")])
    outlook = championship_outlook(s, rules)
    assert outlook is not None
    by = {r.competitor: r for r in outlook.rows}
    assert by["a"].points == 20 and by["a"].best == 21  # a win and the fastest lap (11) replace a 10
    assert by["b"].points == 16 and by["b"].best == 21 and by["b"].outlook is Outlook.CONTENDER
    teams = PointsRules("t", scales=SCALE, teams=TeamRules())
    offer = max_round_points(Round(9, "x", (RoundSession("R", "race"),)), teams, 9, table=Table.TEAMS, cars=2)
    assert offer == {"R": 16}


def test_points_print_for_people() -> None:
    assert [format_points(p) for p in (F(25), F(21, 2), F(34, 3), F(176, 7), F(-3, 2), Fraction(0))] == [
        "25",
        "10.5",
        "11⅓",
        "25 1/7",
        "-1.5",
        "0",
    ]
