"""The championship after Spa 2017 (the demo weekend), computed from the two races' results.

Points (RULES.md §4.1; rules/points/carrera-cup-france-2017.toml): 20-18-16-14-12-10-9-8-7-6-5-4-3-2-1
for places 1–15 of each classification, +1 for the pole of each race (race 1's grid is set by Q1, race
2's by Q2), +1 for the fastest race lap, both to the best *eligible* driver of the classification. Benelux
entrants (Derdaele…) are not in the French classifications: those behind them move up. The season goes on
after Spa (the packaged 2017 calendar), so nothing is dropped yet.

The hand computation below reads only the classified sessions (each classification's re-ranked result,
its qualifying order and fastest lap), never the standings engine, and the exact figures are written out.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from rich.console import Console

from parcferme.commands.standings import print_event_standings
from parcferme.demo import load_spa2017
from parcferme.engine.championship import competitor_id, season_from_events
from parcferme.engine.event import EventResults, classify_event
from parcferme.engine.standings import standings_history
from parcferme.formats.calendar import packaged_calendar
from parcferme.model.standings import StandingsTable
from parcferme.rules.points_loader import load_points_rules

SCALE = (20, 18, 16, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)
GRIDS = {"R1": "Q1", "R2": "Q2"}  # event.toml: grid = { session = "Q1" } / "Q2"


@pytest.fixture(scope="module")
def spa() -> EventResults:
    return classify_event(load_spa2017())


@pytest.fixture(scope="module")
def tables(spa: EventResults) -> dict[str, StandingsTable]:
    rules = load_points_rules("carrera-cup-france-2017")
    calendar = packaged_calendar("carrera-cup-france-2017")
    assert calendar is not None
    season = season_from_events([spa], rules, calendar=calendar.rounds)
    out: dict[str, StandingsTable] = {}
    for classification in spa.event.classifications:
        table = standings_history(season, rules, classification=classification).latest
        assert table is not None
        out[classification.id] = table
    return out


def by_hand(spa: EventResults, classification: str) -> dict[str, int]:
    """Each driver's points from the classified sessions: place, pole, fastest lap."""
    name = {e.number: competitor_id(e.driver.name) for e in spa.event.entries}
    points: dict[str, int] = {}
    for race, qualifying in GRIDS.items():
        result = spa.session(race).results[classification]
        for row in result.rows:
            points.setdefault(name[row.car], 0)
            if row.position is not None and row.position <= len(SCALE):
                points[name[row.car]] += SCALE[row.position - 1]
        pole = spa.session(qualifying).results[classification].rows[0]  # first eligible in qualifying
        points[name[pole.car]] += 1
        fastest = result.fastest_lap  # fastest eligible lap; the point needs a classified driver
        assert fastest is not None
        if result.row(fastest.car).classified:
            points[name[fastest.car]] += 1
    return points


@pytest.mark.parametrize("classification", ["fr", "b", "rookie"])
def test_every_drivers_points_match_the_hand_computation(
    spa: EventResults, tables: dict[str, StandingsTable], classification: str
) -> None:
    table = tables[classification]
    computed = {r.competitor: r.points for r in table.rows}
    assert computed == {k: Fraction(v) for k, v in by_hand(spa, classification).items()}
    assert all(not r.dropped and len(r.counted) == 2 for r in table.rows)  # the season goes on
    assert table.after_round == 1 and not table.final


def test_french_championship_andlauer_leads(tables: dict[str, StandingsTable]) -> None:
    rows = tables["fr"].rows
    # Andlauer: R1 20 + pole (Q1) + fastest lap (2:23.998); R2 20 + pole (Q2) + fastest lap
    assert (rows[0].competitor, rows[0].position, rows[0].points, rows[0].wins) == (
        "julien_andlauer",
        1,
        44,
        2,
    )
    # three on 30: de Narda (R1 5th of the French classification, behind the Benelux 2nd: 12; R2 2nd: 18),
    # Latorre (R1 2nd: 18; R2 5th: 12), Beltoise (R1 3rd: 16; R2 4th: 14). Beltoise loses the countback
    # (no 2nd place); de Narda and Latorre have the same places, and the last-result rule looks at the
    # latest race, R2, where de Narda was 2nd and Latorre 5th
    top = [(r.competitor, r.position_text, r.points) for r in rows[1:4]]
    assert top == [
        ("joffrey_de_narda", "2", 30),
        ("florian_latorre", "3", 30),
        ("vincent_beltoise", "4", 30),
    ]
    latorre = tables["fr"].row("florian_latorre")
    assert latorre is not None and latorre.tie is not None
    assert latorre.tie.text == "tied on 30 pts: better result in round 1 R2: 2nd to 5th"
    beltoise = tables["fr"].row("vincent_beltoise")
    assert beltoise is not None and beltoise.tie is not None
    assert beltoise.tie.text == "tied on 30 pts: 1 2nd place to 0"
    assert tables["fr"].row("dylan_derdaele") is None  # France/Benelux trophy: not in the French table


def test_misslin_leads_the_b_classification(tables: dict[str, StandingsTable]) -> None:
    rows = tables["b"].rows
    # Misslin: R1 2nd of B 18 + fastest B lap; R2 1st 20 + pole of B (Q2) + fastest B lap = 41
    # Lindland: R1 1st 20 + pole of B (Q1); R2 4th 14 = 35. Lapierre: 3rd and 3rd, 16 + 16 = 32
    assert [(r.competitor, r.position, r.points) for r in rows[:3]] == [
        ("nicolas_misslin", 1, 41),
        ("roar_lindland", 2, 35),
        ("christophe_lapierre", 3, 32),
    ]


def test_rookies_hasse_clot_and_jung_level_on_points_jung_ahead(tables: dict[str, StandingsTable]) -> None:
    rows = tables["rookie"].rows
    # Hasse-Clot: R1 1st 20 + pole (Q1) + fastest lap; R2 2nd 18 = 40. Jung: R1 2nd 18; R2 1st 20 + pole
    # (Q2) + fastest lap = 40. One win and one 2nd place each: countback leaves them level, and the
    # last-result rule gives it to Jung, who won the latest race (R2). Cypriano: 3rd and 3rd = 32
    assert [(r.competitor, r.position_text, r.points) for r in rows[:3]] == [
        ("antoine_jung", "1", 40),
        ("valentin_hasse_clot", "2", 40),
        ("lucile_cypriano", "3", 32),
    ]
    tie = rows[1].tie
    assert tie is not None and tie.other == "antoine_jung"
    assert tie.text == "tied on 40 pts: better result in round 1 R2: 1st to 2nd"


def test_the_demo_prints_the_three_championships(spa: EventResults) -> None:
    console = Console(record=True, width=140, color_system=None)
    print_event_standings(console, spa.event, spa)
    text = console.export_text()
    for title in ("French championship", "B drivers", "Rookies"):
        assert f"— {title}, drivers — after round 1 (Spa-Francorchamps)" in text
    assert "Nicolas Misslin" in text and "Martinet by Alméras" in text
    assert "Derdaele" not in text
