"""Points rule sets and decisions as TOML: every F1 era loads, and bad files fail with file, line and key."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from parcferme.errors import InputError, RuleError
from parcferme.model.championship import ChampionshipDecisionKind, Table
from parcferme.model.points import FINAL_ROUND, BonusKind, CarsCounted, DropUnit, SharedDrive, TieBreak
from parcferme.rules.points_loader import (
    available_points_rules,
    f1_decisions,
    f1_rules,
    load_decisions,
    load_points_rules,
    parse_points,
)


def test_every_f1_season_has_rules() -> None:
    for year in range(1950, 2026):
        rules = f1_rules(year)
        assert rules.scale_for("R", "race") is not None, year
        assert (rules.teams is not None) == (year >= 1958), year
    with pytest.raises(RuleError, match="1949"):
        f1_rules(1949)


@pytest.mark.parametrize(
    ("year", "win", "fl", "best"),
    [(1950, 8, True, 4), (1954, 8, True, 5), (1960, 8, False, 6), (1961, 9, False, 5), (1988, 9, False, 11),
     (1991, 10, False, None), (2003, 10, False, None), (2010, 25, False, None), (2019, 25, True, None),
     (2025, 25, False, None)],
)  # fmt: skip
def test_f1_eras(year: int, win: int, fl: bool, best: int | None) -> None:
    rules = f1_rules(year)
    scale = rules.scale_for("R", "race")
    assert scale is not None and scale.points[0] == win
    assert any(b.kind is BonusKind.FASTEST_LAP for b in rules.bonuses) == fl
    drops = rules.drivers.drops
    assert (drops.segments[0].best if drops else None) == best


def test_f1_special_seasons() -> None:
    assert f1_rules(1957).drivers.drops.unit is DropUnit.RESULT  # type: ignore[union-attr]
    assert f1_rules(1957).shared_drives is SharedDrive.SPLIT
    assert f1_rules(1958).shared_drives is SharedDrive.NONE
    teams = f1_rules(1975).teams
    assert teams is not None and teams.cars is CarsCounted.BEST and teams.count == 1
    split = f1_rules(1979).drivers.drops
    assert split is not None and [(s.first_round, s.last_round, s.best) for s in split.segments] == [
        (1, 7, 4),
        (8, None, 4),
    ]
    t1979 = f1_rules(1979).teams
    assert t1979 is not None and t1979.cars is CarsCounted.ALL and t1979.drops is None
    assert f1_rules(2014).round_factors[0].round == FINAL_ROUND
    assert f1_rules(2014).round_factor(19, 19) == 2 and f1_rules(2014).round_factor(18, 19) == 1
    assert f1_rules(2013).round_factors == ()
    sprint = f1_rules(2021).scale_for("S", "sprint")
    assert sprint is not None and sprint.points == (3, 2, 1)
    assert f1_rules(2022).reduced is not None and f1_rules(2022).reduced.bands[0].scale == (6, 4, 3, 2, 1)  # type: ignore[union-attr]
    assert f1_rules(2000).drivers.tiebreak == (TieBreak.COUNTBACK,)


def test_f1_decisions_are_loaded_and_typed() -> None:
    decisions = f1_decisions()
    kinds = {d.kind for d in decisions}
    assert {
        ChampionshipDecisionKind.FASTEST_LAP,
        ChampionshipDecisionKind.POINTS_FACTOR,
        ChampionshipDecisionKind.EXCLUDE,
    } <= kinds
    msc = [d for d in decisions if d.kind is ChampionshipDecisionKind.EXCLUDE and d.season == 1997]
    assert msc and msc[0].label == "disqualified" and msc[0].table is Table.DRIVERS
    half = [
        d
        for d in decisions
        if d.kind is ChampionshipDecisionKind.POINTS_FACTOR and d.factor == Fraction(1, 2)
    ]
    expected = [(1975, 4), (1975, 12), (1984, 6), (1991, 16), (2009, 2), (2021, 12)]
    assert sorted((d.season, d.round) for d in half) == expected
    assert (
        len(
            [
                d
                for d in decisions
                if d.kind is ChampionshipDecisionKind.FASTEST_LAP and d.season and d.season < 1960
            ]
        )
        == 84
    )


def test_packaged_rule_sets() -> None:
    ids = available_points_rules()
    assert "carrera-cup-france-2017" in ids and "f1-1967-1980" in ids
    assert not any("decisions" in i or "fastest" in i or "KNOWN" in i for i in ids)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (8, Fraction(8)),
        (0.5, Fraction(1, 2)),
        ("1/7", Fraction(1, 7)),
        ("2.5", Fraction(5, 2)),
        ("75%", Fraction(3, 4)),
    ],
)
def test_parse_points(value: object, expected: Fraction) -> None:
    assert parse_points(value) == expected


@pytest.mark.parametrize("value", [True, "x", "1/0", None, [1]])
def test_parse_points_rejects(value: object) -> None:
    with pytest.raises(ValueError):
        parse_points(value)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


BASE = 'id = "x"\n[[scale]]\nkind = "race"\npoints = [10, 6, 4]\n'


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("colour = 'red'\n" + BASE, 1, "colour", "unknown key 'colour'"),
        (BASE + "colour = 'red'\n", 5, "scale[1].colour", "unknown key 'colour'"),
        ('id = "x"\n[[scale]]\nkind = "race"\npoints = [4, 6]\n', 4, "scale[1].points", "to a lower"),
        ('id = "x"\n[[scale]]\nkind = "race"\npoints = [-1]\n', 4, "scale[1].points", "negative"),
        ('id = "x"\n[[scale]]\nkind = "race"\npoints = []\n', 4, "scale[1].points", "non-empty list"),
        (BASE + '[[bonus]]\nkind = "pole"\npoints = "x"\n', 7, "bonus[1].points", "expected a number"),
        (BASE + '[[bonus]]\nkind = "podium"\npoints = 1\n', 6, "bonus[1].kind", "unknown value 'podium'"),
        (BASE + "[drivers]\ntiebreak = ['coin-toss']\n", 6, "drivers.tiebreak", "unknown tie-break"),
        (BASE + "[drivers.drops]\nbest = 4\ndrop = 2\n", 6, "drivers.drops.best", "exactly one of"),
        (BASE + "[drivers.drops]\nsegments = [{rounds = '1-6', best = 5}, {rounds = '5-', best = 4}]\n", 6,
         "drivers.drops.segments", "overlapping"),
        (BASE + "[drivers.drops]\nsegments = [{rounds = 'first half', best = 5}]\n", 6,
         "drivers.drops.segments[1].rounds", "FIRST-LAST"),
        (BASE + '[teams]\ncars = "all"\ncount = 2\n', 7, "teams.count", 'count needs cars = "best"'),
        (BASE + "[[round_factor]]\nround = 0\nfactor = 2\n", 6, "round_factor[1].round", "round number"),
        ('id = "x"\nseasons = [1990, 1980]\n', 2, "seasons", "[first, last]"),
        ('id = "x"\nseasons = [1980, 1990]\n[season.1991]\nbonus = []\n', 3, "season.1991", "outside"),
        ('id = "Bad Id"\n', 1, "id", "not a rule-set id"),
        ("id = \n", 1, None, "invalid TOML"),
    ],
)  # fmt: skip
def test_bad_rule_sets_name_the_file_line_and_key(
    tmp_path: Path, text: str, line: int, field: str | None, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RuleError, match=message) as info:
        load_points_rules(path)
    error = info.value
    assert isinstance(error, InputError)
    assert error.source == str(path) and error.line == line and error.field == field


def test_season_overrides_merge_tables_and_replace_values(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "seasons = [2000, 2002]\n" + BASE + '[drivers]\ntiebreak = ["countback", "last-result"]\n'
        "[drivers.drops]\nbest = 5\n[season.2001.drivers.drops]\nbest = 3\n[season.2002]\n"
        "scale = [{ kind = 'race', points = [25] }]\n",
    )
    base, y2001, y2002 = (load_points_rules(path, season=y) for y in (2000, 2001, 2002))
    assert base.drivers.drops is not None and base.drivers.drops.segments[0].best == 5
    assert y2001.drivers.drops is not None and y2001.drivers.drops.segments[0].best == 3
    assert y2001.drivers.tiebreak == (TieBreak.COUNTBACK, TieBreak.LAST_RESULT)  # merged, not replaced
    assert y2002.scales[0].points == (25,)
    with pytest.raises(RuleError, match="covers 2000–2002, not 1999"):
        load_points_rules(path, season=1999)


def test_unknown_and_missing_rule_sets() -> None:
    with pytest.raises(RuleError, match="unknown points rule set 'nope'"):
        load_points_rules("nope")
    with pytest.raises(RuleError, match="not found"):
        load_points_rules("missing/rules.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[decision]]\nround = 1\nkind = "points-deduction"\ncompetitor = "a"\n', "points > 0"),
        ('[[decision]]\nround = 1\nkind = "exclude"\n', "needs a competitor"),
        ('[[decision]]\nround = 1\nkind = "exclude"\ncompetitor = "a"\nlabel = "banned"\n', "label must be"),
        ('[[decision]]\nround = 1\nkind = "withhold"\n', "needs a car or a competitor"),
        ('[[decision]]\nround = 1\nkind = "shared-drive"\ncar = "1"\n', "needs a car and the drivers"),
        ('[[decision]]\nround = 2\nuntil_round = 1\nkind = "exclude"\ncompetitor = "a"\n', "until_round"),
        ('[[decision]]\nround = 1\nkind = "points-factor"\n', "needs a factor"),
        ('[[decision]]\nround = 1\nkind = "blame"\n', "unknown value 'blame'"),
        ('[[decision]]\nround = 1\nkind = "withhold"\ncar = "1"\ntable = "fans"\n', "unknown value 'fans'"),
        ('[[fastest_lap]]\nround = 1\nwho = "x"\n', "unknown key 'who'"),
        ("[[penalty]]\n", "unknown key 'penalty'"),
    ],
)
def test_bad_decisions(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        load_decisions(write(tmp_path, text))


def test_decisions_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[[decision]]\nseason = 2020\nround = 5\ntable = "teams"\nkind = "points-deduction"\n'
        'competitor = "racing_point"\npoints = 15\nreason = "brake ducts"\n'
        '[[fastest_lap]]\nseason = 1954\nround = 5\ndrivers = ["a", "b"]\nfactor = "1/7"\n',
    )
    deduction, fl = load_decisions(path)
    assert (deduction.kind, deduction.table, deduction.points, deduction.reason) == (
        ChampionshipDecisionKind.DEDUCTION,
        Table.TEAMS,
        15,
        "brake ducts",
    )
    assert (fl.kind, fl.session, fl.drivers, fl.factor) == (
        ChampionshipDecisionKind.FASTEST_LAP,
        "R",
        ("a", "b"),
        Fraction(1, 7),
    )
