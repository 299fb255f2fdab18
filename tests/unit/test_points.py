"""Points of one session: scales, dead heats, shared drives, vacant places, ineligible cars, bonuses,
reduced points and decisions (RULES.md §1.7, §1.8, §4, §5)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest
from test_standings_helpers import F, car, race

from parcferme.engine.points import score_session
from parcferme.errors import RuleError
from parcferme.model.championship import ChampionshipDecision, ChampionshipDecisionKind, RoundSession, Table
from parcferme.model.classification import Classification
from parcferme.model.points import (
    Bonus,
    BonusKind,
    CarsCounted,
    ClassificationMode,
    DistanceBand,
    PointsRules,
    ReducedPoints,
    Scale,
    SharedDrive,
    TeamRules,
)
from parcferme.model.results import Status


def scale(*points: int | Fraction, kind: str | None = "race") -> Scale:
    return Scale(tuple(Fraction(p) for p in points), kind=kind)


RULES = PointsRules("test", scales=(scale(10, 6, 4, 3, 2, 1), scale(3, 2, 1, kind="sprint")))
FL = Bonus(BonusKind.FASTEST_LAP, Fraction(1))


def pts(session: RoundSession, rules: PointsRules = RULES, **kw: Any) -> dict[str, Fraction]:
    scores = score_session(session, round_number=1, rules=rules, **kw)
    return {c: sum((s.points for s in ss), Fraction(0)) for c, ss in scores.items()}


def test_scale_by_kind_and_nothing_beyond_it() -> None:
    r = race("R", *(car(str(i), f"d{i}", i) for i in range(1, 9)))
    assert pts(r) == {"d1": 10, "d2": 6, "d3": 4, "d4": 3, "d5": 2, "d6": 1, "d7": 0, "d8": 0}
    s = race("S", car("1", "a", 1), car("2", "b", 2), car("3", "c", 3), car("4", "d", 4), kind="sprint")
    assert pts(s) == {"a": 3, "b": 2, "c": 1, "d": 0}


def test_a_session_scale_beats_a_kind_scale() -> None:
    rules = PointsRules("x", scales=(scale(10, 5), Scale((F(26), F(21)), session="R2")))
    assert pts(race("R2", car("1", "a", 1), car("2", "b", 2)), rules) == {"a": 26, "b": 21}
    assert pts(race("R1", car("1", "a", 1), car("2", "b", 2)), rules) == {"a": 10, "b": 5}


def test_dead_heat_shares_the_points_of_the_tied_places() -> None:
    r = race("R", car("1", "a", 1), car("2", "b", 2), car("3", "c", 2), car("4", "d", 4))
    assert pts(r) == {"a": 10, "b": 5, "c": 5, "d": 3}  # (6 + 4) / 2 each, the next car keeps 4th


def test_a_vacant_place_stays_vacant() -> None:
    # 1983 Brazil: 2nd disqualified, 3rd keeps third-place points
    r = race("R", car("1", "a", 1), car("3", "c", 3), car("2", "b", None, status=Status.DSQ))
    assert pts(r) == {"a": 10, "c": 4, "b": 0}


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (SharedDrive.SPLIT, {"a": 5, "b": 5, "c": 6}),
        (SharedDrive.NONE, {"a": 0, "b": 0, "c": 6}),
        (SharedDrive.FULL, {"a": 10, "b": 10, "c": 6}),
    ],
)
def test_shared_drives(rule: SharedDrive, expected: dict[str, int]) -> None:
    rules = PointsRules("x", scales=RULES.scales, shared_drives=rule)
    assert pts(race("R", car("1", ("a", "b"), 1), car("2", "c", 2)), rules) == expected


def test_a_driver_adds_up_shares_of_several_cars() -> None:
    # 1955 Argentina: Farina 6/3 + 4/3
    rules = PointsRules("x", scales=(scale(8, 6, 4, 3, 2),), shared_drives=SharedDrive.SPLIT)
    r = race("R", car("2", "fangio", 1), car("12", ("gonzalez", "farina", "trintignant"), 2),
             car("10", ("farina", "trintignant", "maglioli"), 3))  # fmt: skip
    got = pts(r, rules)
    assert got["farina"] == got["trintignant"] == F(10, 3)
    assert got["maglioli"] == F(4, 3)
    scores = score_session(r, round_number=1, rules=rules)
    assert [s.car for s in scores["farina"]] == ["12", "10"]  # one score per car driven


def test_sub_classification_reranks_and_guests_move_the_others_up() -> None:
    fr = Classification("fr", exclude={"guest": True})
    r = race("R", car("9", "guest", 1, guest=True), car("1", "a", 2), car("2", "b", 3))
    assert pts(r, classification=fr) == {"a": 10, "b": 6}
    inherit = PointsRules("x", scales=RULES.scales, classification_mode=ClassificationMode.INHERIT)
    assert pts(r, inherit, classification=fr) == {"a": 6, "b": 4}  # keep the overall points


def test_fastest_lap_bonus_and_its_conditions() -> None:
    r = race("R", car("1", "a", 1, best=80.0), car("2", "b", 2, best=79.5), car("3", "c", None, best=79.0))
    rules = PointsRules("x", scales=RULES.scales, bonuses=(FL,))
    assert pts(r, rules) == {"a": 10, "b": 6, "c": 1}  # 1950s: even to a retired driver
    classified = Bonus(BonusKind.FASTEST_LAP, F(1), requires_classified=True)
    assert pts(r, PointsRules("x", scales=RULES.scales, bonuses=(classified,)))["b"] == 6  # nobody gets it
    top1 = Bonus(BonusKind.FASTEST_LAP, F(1), max_position=1)
    r2 = race("R", car("1", "a", 1, best=80.0), car("2", "b", 2, best=79.5))
    assert pts(r2, PointsRules("x", scales=RULES.scales, bonuses=(top1,))) == {"a": 10, "b": 6}


def test_equal_fastest_laps_share_or_go_to_the_first() -> None:
    r = race("R", car("1", "a", 1, best=80.0, lap=9), car("2", "b", 2, best=80.0, lap=4), car("3", "c", 3))
    shared = PointsRules("x", scales=RULES.scales, bonuses=(FL,))
    assert pts(r, shared) == {"a": F(21, 2), "b": F(13, 2), "c": 4}
    first = PointsRules(
        "x", scales=RULES.scales, bonuses=(Bonus(BonusKind.FASTEST_LAP, F(1), share_ties=False),)
    )
    assert pts(r, first) == {"a": 10, "b": 7, "c": 4}


def test_fastest_lap_needs_half_the_distance_when_the_rules_say_so() -> None:
    bonus = Bonus(BonusKind.FASTEST_LAP, F(1), min_distance=F(1, 2))
    rules = PointsRules("x", scales=RULES.scales, bonuses=(bonus,))
    short = race("R", car("1", "a", 1, laps=20, best=70.0), car("2", "b", 2, laps=20), scheduled_laps=50)
    assert pts(short, rules)["a"] == 10
    full = race("R", car("1", "a", 1, laps=50, best=70.0), car("2", "b", 2, laps=50), scheduled_laps=50)
    assert pts(full, rules)["a"] == 11


def test_pole_goes_to_the_first_eligible_car_in_qualifying() -> None:
    pole = Bonus(BonusKind.POLE, F(1))
    rules = PointsRules("x", scales=RULES.scales, bonuses=(pole,))
    r = race(
        "R", car("1", "a", 1), car("2", "b", 2, rookie=True), car("3", "c", 3), qualifying=["3", "2", "1"]
    )
    assert pts(r, rules) == {"a": 10, "b": 6, "c": 5}
    rookies = Classification("rookie", require={"rookie": True})
    assert pts(r, rules, classification=rookies) == {"b": 11}


def test_reduced_points_by_distance() -> None:
    reduced = ReducedPoints(
        min_laps=3,
        bands=(DistanceBand(F(1, 4), scale=(F(6), F(4))), DistanceBand(F(3, 4), factor=F(1, 2))),
        only_if_suspended=True,
    )
    rules = PointsRules("x", scales=RULES.scales, reduced=reduced)

    def result(laps: int, suspended: bool = True) -> dict[str, Fraction]:
        r = race(
            "R",
            car("1", "a", 1, laps=laps),
            car("2", "b", 2, laps=laps),
            scheduled_laps=60,
            suspended=suspended,
        )
        return pts(r, rules)

    assert result(2) == {"a": 0, "b": 0}  # fewer than 3 laps: nothing
    assert result(10) == {"a": 6, "b": 4}  # below 25 %: a scale of its own
    assert result(30) == {"a": 5, "b": 3}  # below 75 %: half points
    assert result(45) == {"a": 10, "b": 6}
    assert result(30, suspended=False) == {"a": 10, "b": 6}


def test_decisions_half_points_withhold_ineligible_and_credit() -> None:
    r = race("R", car("1", "a", 1), car("2", "b", 2), car("3", "c", 3), car("4", "d", 4))
    half = ChampionshipDecision(ChampionshipDecisionKind.POINTS_FACTOR, 1, session="R", factor=F(1, 2))
    assert pts(r, decisions=[half]) == {"a": 5, "b": 3, "c": 2, "d": F(3, 2)}
    withhold = ChampionshipDecision(ChampionshipDecisionKind.WITHHOLD, 1, car="2")
    assert pts(r, decisions=[withhold]) == {"a": 10, "b": 0, "c": 4, "d": 3}  # nobody moves up
    ineligible = ChampionshipDecision(ChampionshipDecisionKind.INELIGIBLE, 1, competitor="b")
    assert pts(r, decisions=[ineligible]) == {"a": 10, "b": 0, "c": 6, "d": 4}  # those behind move up
    other_round = ChampionshipDecision(ChampionshipDecisionKind.WITHHOLD, 2, car="2")
    assert pts(r, decisions=[other_round])["b"] == 6
    shared = race("R", car("16", ("trintignant", "collins"), 1))
    credit = ChampionshipDecision(
        ChampionshipDecisionKind.SHARED_DRIVE, 1, car="16", drivers=("trintignant",)
    )
    assert pts(shared, decisions=[credit]) == {"trintignant": 10, "collins": 0}


def test_fastest_lap_credit_as_a_recorded_fact() -> None:
    rules = PointsRules("x", scales=RULES.scales, bonuses=(FL,))
    r = race("R", car("1", "a", 1), car("2", "b", 2), car("3", "c", 3))
    seven = ChampionshipDecision(ChampionshipDecisionKind.FASTEST_LAP, 1, drivers=("b", "c"), factor=F(1, 7))
    got = pts(r, rules, decisions=[seven])
    assert got == {"a": 10, "b": 6 + F(1, 7), "c": 4 + F(1, 7)}
    nobody = ChampionshipDecision(ChampionshipDecisionKind.FASTEST_LAP, 1, drivers=())
    assert pts(race("R", car("1", "a", 1, best=60.0)), rules, decisions=[nobody]) == {"a": 10}


def test_teams_all_cars_or_the_best_ones() -> None:
    r = race("R", car("1", "a", 1, team="x"), car("2", "b", 2, team="y"), car("3", "c", 3, team="x"),
             car("4", "d", 4, team="y"), car("5", "e", 5, team="x"))  # fmt: skip
    every = PointsRules("x", scales=RULES.scales, teams=TeamRules())
    assert pts(r, every, table=Table.TEAMS) == {"x": 10 + 4 + 2, "y": 6 + 3}
    best = PointsRules("x", scales=RULES.scales, teams=TeamRules(cars=CarsCounted.BEST, count=1))
    assert pts(r, best, table=Table.TEAMS) == {"x": 10, "y": 6}
    own = PointsRules("x", scales=RULES.scales, teams=TeamRules(scales=(scale(8, 6, 4, 3, 2, 1),)))
    assert pts(r, own, table=Table.TEAMS) == {"x": 8 + 4 + 2, "y": 6 + 3}
    scores = score_session(r, round_number=1, rules=every, table=Table.TEAMS)
    assert scores["x"][0].positions == (1, 3, 5)


def test_team_bonus_counts_only_when_the_rules_say_so() -> None:
    r = race("R", car("1", "a", 1, team="x", best=70.0), car("2", "b", 2, team="y"))
    with_bonus = PointsRules("x", scales=RULES.scales, bonuses=(FL,), teams=TeamRules())
    assert pts(r, with_bonus, table=Table.TEAMS) == {"x": 11, "y": 6}
    without = PointsRules("x", scales=RULES.scales, bonuses=(FL,), teams=TeamRules(bonuses=False))
    assert pts(r, without, table=Table.TEAMS) == {"x": 10, "y": 6}


def test_no_team_table_is_a_rule_error() -> None:
    with pytest.raises(RuleError, match="no team championship"):
        score_session(race("R", car("1", "a", 1)), round_number=1, rules=RULES, table=Table.TEAMS)


def test_not_counted_session_keeps_its_places_on_record() -> None:
    r = race("R", car("1", "a", 1), car("2", "b", 2))
    decision = ChampionshipDecision(ChampionshipDecisionKind.NOT_COUNTED, 1)
    scores = score_session(r, round_number=1, rules=RULES, decisions=[decision])
    assert [(c, s[0].points, s[0].positions, s[0].counted) for c, s in scores.items()] == [
        ("a", 0, (1,), False),
        ("b", 0, (2,), False),
    ]
