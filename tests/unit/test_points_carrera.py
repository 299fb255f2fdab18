"""The Carrera Cup France 2017 points rules on a hand-built meeting: classifications re-ranked, guests
left out (those behind move up), pole and fastest-lap points to the best eligible driver, two results
dropped at season end."""

from __future__ import annotations

from fractions import Fraction

from test_standings_helpers import car, points, race, season

from parcferme.engine.standings import standings_history
from parcferme.model.championship import CarResult, RoundSession
from parcferme.model.classification import Classification
from parcferme.model.results import Status
from parcferme.rules.points_loader import load_points_rules

RULES = load_points_rules("carrera-cup-france-2017")
FR = Classification("fr", require={"championships": "FR"}, exclude={"guest": True})
B = Classification("b", require={"class": "B"})
ROOKIE = Classification("rookie", require={"rookie": True})

# six cars: a Benelux guest, two B drivers, a rookie
ATTRS = {
    "1": {"championships": "FR"},
    "2": {"championships": "BNL", "guest": True},
    "3": {"championships": "FR"},
    "4": {"championships": "FR", "class": "B"},
    "5": {"championships": "FR", "class": "B"},
    "6": {"championships": "FR", "rookie": True},
}
DRIVER = {
    "1": "andlauer",
    "2": "derdaele",
    "3": "latorre",
    "4": "lindland",
    "5": "misslin",
    "6": "hasse_clot",
}


def c(
    number: str, position: int | None, best: float | None = None, status: Status | None = None
) -> CarResult:
    return car(number, DRIVER[number], position, best=best, status=status, **ATTRS[number])


SPA = [
    # race 1: the guest is 2nd, on pole and sets the fastest lap
    race(
        "R1",
        c("1", 1, 143.998), c("2", 2, 143.5), c("3", 3, 144.2),
        c("6", 4, 144.9), c("4", 5, 145.3), c("5", 6, 145.1),
        qualifying=["2", "1", "3", "4", "6", "5"],
    ),
    # race 2: Latorre sets the fastest lap but retires (the point needs a classified driver); Lindland
    # does not start
    race(
        "R2",
        c("1", 1, 144.1), c("6", 2, 144.6), c("2", 3, 144.3), c("5", 4, 144.4), c("3", None, 143.9),
        c("4", None, status=Status.DNS),
        qualifying=["1", "2", "6", "3", "5", "4"],
    ),
]  # fmt: skip
# the final meeting before it is run, then as run: no qualifying and no lap times given, so no bonuses
SCHEDULED = [RoundSession("R1", "race"), RoundSession("R2", "race")]
FINAL = [
    race("R1", c("3", 1), c("5", 2), c("6", 3), c("1", 4), c("4", 5)),
    race("R2", c("3", 1), c("1", 2), c("5", 3), c("6", 4), c("4", 5)),
]


def test_french_championship_after_the_first_meeting() -> None:
    history = standings_history(season(SPA, SCHEDULED), RULES, classification=FR)
    table = history.latest
    # R1: Andlauer 20 + pole + fastest lap (the guest's taken away), Latorre 18 (moved up past the guest),
    # Hasse-Clot 16, Lindland 14, Misslin 12. R2: Andlauer 20 + pole, Hasse-Clot 18, Misslin 16.
    assert points(table) == {"andlauer": 43, "hasse_clot": 34, "misslin": 28, "latorre": 18, "lindland": 14}
    assert "derdaele" not in points(table)
    assert [r.competitor for r in table.rows] == ["andlauer", "hasse_clot", "misslin", "latorre", "lindland"]
    scores = history.scores_of("andlauer")
    assert [(s.session, s.positions, s.points, s.bonus) for s in scores] == [
        ("R1", (1,), 22, 2),
        ("R2", (1,), 21, 1),
    ]


def test_b_and_rookie_classifications_rerank_and_award_their_own_bonuses() -> None:
    b = standings_history(season(SPA, SCHEDULED), RULES, classification=B).latest
    # R1: Lindland 1st of B (+ pole of B: ahead of Misslin in qualifying), Misslin 2nd + fastest B lap;
    # R2: Misslin 1st + pole + fastest lap among B (Latorre's faster lap is not B)
    assert points(b) == {"misslin": 18 + 1 + 20 + 1 + 1, "lindland": 20 + 1}
    rookie = standings_history(season(SPA, SCHEDULED), RULES, classification=ROOKIE).latest
    assert points(rookie) == {"hasse_clot": 22 + 22}


def test_two_results_dropped_at_season_end_only() -> None:
    history = standings_history(season(SPA, FINAL), RULES, classification=FR)
    after_spa = history.after(1)
    assert after_spa is not None and all(not r.dropped for r in after_spa.rows)
    final = history.latest
    assert final is not None and final.final
    assert points(final) == {"andlauer": 43, "latorre": 40, "hasse_clot": 34, "misslin": 34, "lindland": 26}
    latorre = final.row("latorre")
    assert latorre is not None
    assert latorre.scored == 58 and latorre.points == 40
    assert sorted(r.points for r in latorre.dropped) == [0, 18]  # his retirement is one of the two dropped
    lindland = final.row("lindland")
    assert lindland is not None and [r.points for r in lindland.dropped] == [0, 12]  # the race he missed
    # Hasse-Clot and Misslin tie on 34: countback over every race (dropped ones too)
    hasse, misslin = final.row("hasse_clot"), final.row("misslin")
    assert hasse is not None and misslin is not None
    assert (hasse.position, misslin.position) == (3, 4)
    assert misslin.tie is not None and misslin.tie.text == "tied on 34 pts: 1 4th place to 0"


def test_a_season_of_one_meeting_drops_both_races() -> None:
    # with the last meeting the season ends: two of its two races are dropped, nothing is left
    final = standings_history(season(SPA), RULES, classification=FR).latest
    assert final is not None and final.final
    assert set(points(final).values()) == {0}


def test_points_are_fractions_and_the_rules_file_round_trips() -> None:
    assert RULES.id == "carrera-cup-france-2017"
    assert RULES.scales[0].points[:3] == (Fraction(20), Fraction(18), Fraction(16))
    assert RULES.teams is None
