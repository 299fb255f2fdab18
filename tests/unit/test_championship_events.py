"""Classified events → a championship season (engine.championship), and season calendars (formats.calendar).

The mini event (tests/fixtures/mini-event): four cars — 1 (Durand), 007 (de Smet, a rookie entered in FR
and BNL), 7 (Van den Berg, a Benelux guest), 25 (Moreau / Petit, B, shared) — a qualifying, a race and a
second race scheduled without data.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from parcferme.engine.championship import competitor_id, scoring_sessions, season_from_events
from parcferme.engine.event import EventResults, classify_event
from parcferme.engine.standings import standings_history
from parcferme.errors import InputError, RuleError
from parcferme.formats.calendar import packaged_calendar, read_calendar
from parcferme.formats.event_folder import read_event
from parcferme.model.championship import Round, RoundSession
from parcferme.model.results import Status
from parcferme.model.session import GridRule, GridSource
from parcferme.rules.points_loader import load_points_rules

MINI = Path(__file__).parents[1] / "fixtures" / "mini-event"
RULES = load_points_rules("carrera-cup-france-2017")
# a second round to come, so that the two results dropped "at season end" are not dropped yet
LATER = (Round(2, "Le Mans", (RoundSession("R", "race"),)),)


@pytest.fixture(scope="module")
def mini() -> EventResults:
    return classify_event(read_event(MINI))


def test_competitor_ids_are_stable_ascii_names() -> None:
    assert competitor_id("Julien Andlauer") == "julien_andlauer"
    assert competitor_id("Sylvain Noël") == "sylvain_noel"
    assert competitor_id("Valentin Hasse-Clot") == "valentin_hasse_clot"
    assert competitor_id("Team 85 / Bourgoin Racing") == "team_85_bourgoin_racing"
    assert competitor_id("  ", "car_7") == "car_7"


def test_one_round_per_event_with_its_races(mini: EventResults) -> None:
    season = season_from_events([mini], RULES)
    assert (season.series, season.year, season.final_round) == ("Porsche Carrera Cup France", 2017, 1)
    (rnd,) = season.rounds
    assert (rnd.number, rnd.name, rnd.date) == (1, "Spa-Francorchamps (mini)", "2017-05-21")
    assert [(s.id, s.kind, s.held) for s in rnd.sessions] == [("R1", "race", True), ("R2", "race", False)]
    assert [o.session.id for o in scoring_sessions(mini, RULES)] == ["R1", "R2"]  # not FP, not Q1


def test_car_results_come_from_the_overall_result_and_the_entries(mini: EventResults) -> None:
    race = season_from_events([mini], RULES).rounds[0].sessions[0]
    overall = mini.session("R1").overall
    assert [r.car for r in race.results] == list(overall.order)
    assert [r.order for r in race.results] == [1, 2, 3, 4]
    by_car = {r.car: r for r in race.results}
    assert by_car["1"].drivers == ("lea_durand",) and by_car["1"].team == "equipe_alpha"
    assert by_car["25"].drivers == ("hugo_moreau", "jules_petit")  # a shared car lists its crew
    assert by_car["7"].attributes["guest"] is True  # eligibility is decided per classification later
    row = overall.row("1")
    assert row.best_lap is not None
    assert (by_car["1"].best_lap, by_car["1"].best_lap_number) == (row.best_lap.time, row.best_lap.lap)
    assert all(r.status is Status.CLASSIFIED for r in race.results)
    assert (by_car["007"].position, by_car["007"].grid) == (1, 2)
    season = season_from_events([mini], RULES)
    assert season.drivers["pieter_de_smet"].name == "Pieter de Smet"
    assert season.drivers["pieter_de_smet"].nationality == "BEL"
    assert season.teams["equipe_alpha"].name == "Équipe Alpha"


def test_pole_comes_from_the_qualifying_order_that_set_the_grid(mini: EventResults) -> None:
    race = season_from_events([mini], RULES).rounds[0].sessions[0]
    assert race.qualifying == ("1", "007", "7", "25")  # Q1 best laps (R1 grid = best lap)
    # the same race with its grid formed on second-best laps: the order of those laps
    r1 = mini.session("R1")
    second = replace(r1, session=replace(r1.session, grid=GridRule("Q1", GridSource.SECOND_BEST)))
    sessions = tuple(second if o.session.id == "R1" else o for o in mini.sessions)
    season = season_from_events([replace(mini, sessions=sessions)], RULES)
    assert season.rounds[0].sessions[0].qualifying == ("1", "7", "007", "25")


def test_guests_score_nothing_in_the_french_championship_and_those_behind_move_up(
    mini: EventResults,
) -> None:
    event = mini.event
    fr = next(c for c in event.classifications if c.id == "fr")
    season = season_from_events([mini], RULES, calendar=LATER)
    table = standings_history(season, RULES, classification=fr).latest
    assert table is not None and not table.final
    points = {r.competitor: r.points for r in table.rows}
    # R1: 007 1st (20), Durand 2nd (18) + pole + fastest lap, the guest 7 is left out, the shared B car
    # moves up to 3rd: 16 split between its two drivers
    assert points == {"pieter_de_smet": 20, "lea_durand": 20, "hugo_moreau": 8, "jules_petit": 8}
    assert "sam_van_den_berg" not in points
    overall = standings_history(season, RULES).latest
    assert overall is not None and overall.row("sam_van_den_berg") is not None


def test_a_calendar_adds_the_rounds_to_come(mini: EventResults) -> None:
    calendar = [
        Round(1, "ignored: the event is round 1", (RoundSession("R1", "race"),)),
        Round(2, "Le Mans", (RoundSession("R", "race"),), "2017-06-17"),
    ]
    season = season_from_events([mini], RULES, calendar=calendar)
    assert [(r.number, r.name, r.held) for r in season.rounds] == [
        (1, "Spa-Francorchamps (mini)", True),
        (2, "Le Mans", False),
    ]
    # without the calendar, the only round is the last: "two results dropped at season end" applies
    final = standings_history(season_from_events([mini], RULES), RULES).latest
    with_calendar = standings_history(season, RULES).latest
    assert final is not None and with_calendar is not None
    assert final.final and not with_calendar.final
    assert sum(r.points for r in final.rows) == 0
    assert sum(r.points for r in with_calendar.rows) > 0


def test_events_must_make_one_season(mini: EventResults) -> None:
    with pytest.raises(RuleError, match="given twice"):
        season_from_events([mini, mini], RULES)
    other = replace(mini, event=replace(mini.event, season=2018, round=2))
    with pytest.raises(RuleError, match="one season at a time"):
        season_from_events([mini, other], RULES)
    with pytest.raises(RuleError, match="no event"):
        season_from_events([], RULES)
    later = replace(mini, event=replace(mini.event, round=3))
    season = season_from_events([later, mini], RULES)  # any order: rounds are sorted
    assert [r.number for r in season.rounds] == [1, 3]


def test_the_packaged_carrera_cup_calendar() -> None:
    calendar = packaged_calendar("carrera-cup-france-2017")
    assert calendar is not None and calendar.season == 2017
    assert [r.name for r in calendar.rounds] == [
        "Spa-Francorchamps",
        "Le Mans",
        "Dijon-Prenois",
        "Magny-Cours",
        "Barcelona",
        "Paul Ricard",
    ]
    assert [len(r.sessions) for r in calendar.rounds] == [2, 1, 2, 2, 2, 2]
    assert packaged_calendar("fia-default") is None
    assert packaged_calendar("../points/carrera-cup-france-2017") is None


def test_a_bad_calendar_names_the_file_line_and_key(tmp_path: Path) -> None:
    path = tmp_path / "calendar.toml"
    path.write_text('season = 2017\n\n[[round]]\nnumber = 1\nraces = "R1"\n', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_calendar(path)
    assert caught.value.line == 5 and caught.value.field is not None and "races" in caught.value.field
    path.write_text("season = 2017\n[[round]]\nnumber = 1\nraces = ['R1']\nlaps = 3\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown key 'laps'"):
        read_calendar(path)
    path.write_text("season = 2017\n", encoding="utf-8")
    with pytest.raises(InputError, match="at least one"):
        read_calendar(path)
    path.write_text("season = 2017\n[[round]]\nnumber = 2\ndate = 'soon'\nraces = ['R']\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected a date"):
        read_calendar(path)


def test_points_are_exact_fractions_for_shared_cars(mini: EventResults) -> None:
    history = standings_history(season_from_events([mini], RULES), RULES)
    scores = history.scores_of("hugo_moreau")
    assert scores and all(isinstance(s.points, Fraction) for s in scores)
