"""Every fact of the Spa 2017 weekend (/work/shared/reference/SPA-2017.md) comes out of parcferme's engine,
computed from the reconstructed passings of the packaged demo event."""

from __future__ import annotations

from fractions import Fraction

import pytest

from parcferme.demo import load_spa2017, spa2017_path
from parcferme.engine import EventResults, SessionOutcome, classify_event
from parcferme.model import Event, Lap, SessionResult, Status, TrackStatus, format_time

POINTS = (20, 18, 16, 14, 12, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1)  # 2017, French championship and B alike


@pytest.fixture(scope="module")
def event() -> Event:
    return load_spa2017()


@pytest.fixture(scope="module")
def results(event: Event) -> EventResults:
    return classify_event(event)


@pytest.fixture(scope="module")
def car(event: Event) -> dict[str, str]:
    """Car number by driver's last name ("Andlauer" → "7")."""
    return {e.driver.last_name: e.number for e in event.entries}


def names(event: Event, cars: tuple[str, ...] | list[str]) -> list[str]:
    return [event.entry(c).driver.last_name for c in cars]


def laps_of(outcome: SessionOutcome, number: str) -> list[Lap]:
    return sorted((lap for lap in outcome.laps if lap.car == number), key=lambda lap: lap.number)


def order_after(outcome: SessionOutcome, lap: int) -> list[str]:
    """Cars in the order they completed lap `lap` (the running order at the Line)."""
    return [x.car for x in sorted((x for x in outcome.laps if x.number == lap), key=lambda x: x.end)]


def position(result: SessionResult, number: str) -> int:
    pos = result.row(number).position
    assert pos is not None
    return pos


# --- The event -------------------------------------------------------------------------------------


def test_the_packaged_folder_is_a_real_path() -> None:
    with spa2017_path() as path:
        assert (path / "event.toml").is_file()
        assert (path / "README.md").is_file()


def test_the_event(event: Event, car: dict[str, str]) -> None:
    assert (event.series, event.season, event.round) == ("Porsche Carrera Cup France", 2017, 1)
    assert event.circuit.length_m == 7004
    assert len(event.entries) == 38
    assert [c.id for c in event.classifications] == ["fr", "b", "rookie"]
    assert [s.session.id for s in event.sessions] == ["Q1", "Q2", "R1", "R2"]
    assert event.entry(car["Derdaele"]).attribute("championships") == ("BNL",)
    assert event.entry(car["Misslin"]).attribute("class") == "B"
    assert event.entry(car["Cypriano"]).attribute("rookie") is True
    # Unnamed entrants are neutral placeholders, never invented people.
    named = {"Andlauer", "Latorre", "Misslin", "Hasse-Clot", "de Narda", "Lindland", "Lapierre", "Beltoise"}
    named |= {"Rovera", "Jung", "Cypriano", "Derdaele", "Perfetti", "Gimbert", "Meulders", "Noël", "Despriet"}
    for entry in event.entries:
        if entry.driver.last_name not in named:
            assert entry.driver.last_name == f"Entrant {entry.number}" and not entry.driver.first_name


def test_only_the_deliberate_decoder_glitches_are_reported(results: EventResults) -> None:
    for sid in ("Q1", "R1", "R2"):
        assert results.session(sid).warnings == ()
    assert [(w.car, w.kind) for w in results.session("Q2").warnings] == [("12", "duplicate")]


# --- Qualifying ------------------------------------------------------------------------------------


def test_q1(event: Event, results: EventResults, car: dict[str, str]) -> None:
    q1 = results.session("Q1")
    overall = q1.overall
    assert names(event, overall.order[:4]) == ["Andlauer", "Latorre", "Hasse-Clot", "Beltoise"]
    assert overall.fastest_lap is not None and format_time(overall.fastest_lap.time) == "2:22.773"
    assert names(event, q1.results["b"].order[:3]) == ["Lindland", "Misslin", "Lapierre"]
    assert names(event, q1.results["rookie"].order[:1]) == ["Hasse-Clot"]
    assert position(overall, car["Rovera"]) == 22
    assert position(overall, car["de Narda"]) == 33
    assert position(overall, car["Cypriano"]) in (37, 38)  # the last row
    assert position(overall, car["Misslin"]) >= 20  # he "missed" his first qualifying


def test_q1_red_flag_four_minutes_from_the_end_and_no_improvement(
    event: Event, results: EventResults
) -> None:
    data = event.session("Q1")
    red = [p for p in data.track_status if p.status is TrackStatus.RED]
    assert len(red) == 1
    start = data.session.schedule.start
    assert red[0].start - start == 16 * 60 * 1_000_000
    q1 = results.session("Q1")
    for row in q1.overall.rows:
        assert row.best_lap is not None
        best_end = next(x.end for x in q1.laps if x.car == row.car and x.number == row.best_lap.lap)
        assert best_end <= red[0].start
        assert all(x.time > row.best_lap.time for x in q1.laps if x.car == row.car and x.end > red[0].start)


def test_q2(event: Event, results: EventResults, car: dict[str, str]) -> None:
    overall = results.session("Q2").overall
    assert overall.order[0] == car["Andlauer"]  # pole for race 2 too
    assert position(overall, car["Misslin"]) in (3, 4)  # second row
    assert position(overall, car["Beltoise"]) > position(overall, car["Misslin"])
    assert {car["de Narda"], car["Jung"]} <= set(overall.order[:4])


# --- Race 1 ----------------------------------------------------------------------------------------


def test_r1_grid_comes_from_q1(results: EventResults, car: dict[str, str]) -> None:
    grid = results.session("R1").grid
    assert grid is not None and grid.session == "R1"
    assert grid.position_of(car["Andlauer"]) == 1
    assert grid.position_of(car["Rovera"]) == 22
    assert grid.position_of(car["de Narda"]) == 33
    assert grid.position_of(car["Cypriano"]) == 37


def test_r1_result(event: Event, results: EventResults, car: dict[str, str]) -> None:
    r1 = results.session("R1")
    overall = r1.overall
    top6 = ["Andlauer", "Derdaele", "Latorre", "Beltoise", "Rovera", "de Narda"]
    assert names(event, overall.order[:6]) == top6
    assert names(event, r1.results["fr"].order[:3]) == ["Andlauer", "Latorre", "Beltoise"]
    assert names(event, r1.results["b"].order[:3]) == ["Lindland", "Misslin", "Lapierre"]
    assert names(event, r1.results["rookie"].order[:3]) == ["Hasse-Clot", "Jung", "Cypriano"]
    assert overall.row(car["Rovera"]).positions_gained == 22 - 5
    assert overall.row(car["de Narda"]).positions_gained == 33 - 6


def test_r1_andlauer_wins_despite_his_penalty(results: EventResults, car: dict[str, str]) -> None:
    overall = results.session("R1").overall
    winner = overall.row(car["Andlauer"])
    assert winner.position == 1 and winner.laps_led == winner.laps == overall.laps_completed
    assert winner.penalty_time == 5_000_000 and winner.penalties
    second = overall.row(car["Derdaele"])
    assert second.gap is not None and second.gap.laps == 0 and second.gap.time is not None
    assert second.gap.time > 0  # ahead after the penalty …
    assert second.gap.time + winner.penalty_time > 5_000_000  # … because he led by more than 5 s on the road
    decision = results.event.session("R1").decisions[0]
    assert "reversed" in decision.reason


def test_r1_fastest_lap(results: EventResults, car: dict[str, str]) -> None:
    r1 = results.session("R1")
    fastest = r1.overall.fastest_lap
    assert fastest is not None and fastest.car == car["Andlauer"]
    assert format_time(fastest.time) == "2:23.998"
    others = [x.time for x in r1.laps if (x.car, x.number) != (fastest.car, fastest.lap)]
    assert min(others) >= 143_999_000  # nobody else at or below 2:23.998


def test_r1_lap_one_and_the_early_laps(results: EventResults, car: dict[str, str]) -> None:
    r1 = results.session("R1")
    assert r1.grid is not None
    lap1 = order_after(r1, 1)
    gained = 37 - (lap1.index(car["Cypriano"]) + 1)
    assert 9 <= gained <= 11  # about ten places on lap 1
    assert all(order_after(r1, k)[0] == car["Andlauer"] for k in range(1, 15))
    assert all(order_after(r1, k).index(car["Hasse-Clot"]) < 5 for k in (1, 2, 3))  # with the leaders early
    assert position(r1.overall, car["Hasse-Clot"]) > 6  # then drops back


def test_r1_retirements(results: EventResults) -> None:
    rows = results.session("R1").overall.rows
    assert sum(r.status is Status.DNF for r in rows) >= 2
    assert [r.car for r in rows if r.status is Status.DNS] == ["23"]
    assert all(r.position is None for r in rows if not r.classified)


# --- Race 2 ----------------------------------------------------------------------------------------


def test_r2_grid_comes_from_q2(results: EventResults, car: dict[str, str]) -> None:
    grid = results.session("R2").grid
    assert grid is not None
    assert grid.position_of(car["Andlauer"]) == 1
    assert grid.position_of(car["Misslin"]) in (3, 4)
    assert grid.position_of(car["Beltoise"]) > grid.position_of(car["Misslin"])  # type: ignore[operator]


def test_r2_lap_one(event: Event, results: EventResults) -> None:
    first = order_after(results.session("R2"), 1)[:6]
    assert names(event, first) == ["Andlauer", "de Narda", "Jung", "Beltoise", "Misslin", "Latorre"]


def test_r2_safety_car(event: Event, results: EventResults, car: dict[str, str]) -> None:
    r2 = results.session("R2")
    assert r2.overall.neutralised_laps == (2, 3)
    sc = [p for p in event.session("R2").track_status if p.status is TrackStatus.SC]
    assert len(sc) == 1 and "Gimbert" in sc[0].note and "Meulders" in sc[0].note
    for name in ("Gimbert", "Meulders"):
        row = r2.overall.row(car[name])
        assert row.status is Status.DNF and row.laps == 1
    # No overtaking while neutralised; the field runs laps of three minutes and more behind the car.
    running = [c for c in order_after(r2, 1) if c not in (car["Gimbert"], car["Meulders"])]
    assert running == order_after(r2, 2) == order_after(r2, 3)
    assert laps_of(r2, car["Andlauer"])[2].time >= 180_000_000
    assert TrackStatus.SC in laps_of(r2, car["Andlauer"])[1].statuses
    assert TrackStatus.SC not in laps_of(r2, car["Andlauer"])[3].statuses


def test_r2_restart_and_fastest_lap(results: EventResults, car: dict[str, str]) -> None:
    r2 = results.session("R2")
    andlauer, de_narda = laps_of(r2, car["Andlauer"]), laps_of(r2, car["de Narda"])
    assert 0.5e6 <= de_narda[2].end - andlauer[2].end <= 1.5e6  # about a second at the restart line
    assert 1.8e6 <= de_narda[3].end - andlauer[3].end <= 2.5e6  # two seconds a lap later
    fastest = r2.overall.fastest_lap
    assert fastest is not None and fastest.car == car["Andlauer"] and fastest.lap in (4, 5)


def test_r2_mid_race_and_the_collision(event: Event, results: EventResults, car: dict[str, str]) -> None:
    r2 = results.session("R2")
    b_cars = {row.car for row in r2.results["b"].rows}
    mid = [c for c in order_after(r2, 7) if c in b_cars]
    assert names(event, mid[:3]) == ["Misslin", "Perfetti", "Lapierre"]
    hasse_clot = laps_of(r2, car["Hasse-Clot"])
    assert hasse_clot[6].time > hasse_clot[5].time + 5_000_000  # both lose time on lap 7 …
    assert r2.overall.row(car["Noël"]).status is Status.DNF  # … and Noël retires
    assert r2.overall.neutralised_laps == (2, 3)  # without neutralisation


def test_r2_last_lap(results: EventResults, car: dict[str, str]) -> None:
    r2 = results.session("R2")
    last = r2.overall.laps_completed

    def at_les_combes(name: str) -> int:
        lap = laps_of(r2, car[name])[last - 1]
        assert lap.sectors and lap.sectors[0] is not None
        return lap.start + lap.sectors[0]

    assert at_les_combes("Beltoise") < at_les_combes("Misslin") < at_les_combes("Latorre")
    assert position(r2.overall, car["Latorre"]) == 5 < position(r2.overall, car["Misslin"])
    despriet = r2.overall.row(car["Despriet"])
    assert despriet.laps == last - 1  # off on the last lap
    assert despriet.position is not None
    assert all(r.laps == last for r in r2.overall.rows if r.position and r.position < despriet.position)


def test_r2_result(event: Event, results: EventResults) -> None:
    r2 = results.session("R2")
    assert names(event, r2.overall.order[:5]) == ["Andlauer", "de Narda", "Jung", "Beltoise", "Latorre"]
    assert names(event, r2.results["rookie"].order[:1]) == ["Jung"]
    assert names(event, r2.results["b"].order[:3]) == ["Misslin", "Perfetti", "Lapierre"]


# --- The championship --------------------------------------------------------------------------------


def test_misslin_leads_the_b_championship(results: EventResults, car: dict[str, str]) -> None:
    points: dict[str, Fraction] = {}
    for sid in ("Q1", "Q2"):  # +1 for the pole
        pole = results.session(sid).results["b"].order[0]
        points[pole] = points.get(pole, Fraction(0)) + 1
    for sid in ("R1", "R2"):
        b = results.session(sid).results["b"]
        for row in b.rows:
            if row.position is not None and row.position <= len(POINTS):
                points[row.car] = points.get(row.car, Fraction(0)) + POINTS[row.position - 1]
        assert b.fastest_lap is not None  # +1 for the fastest lap
        points[b.fastest_lap.car] = points.get(b.fastest_lap.car, Fraction(0)) + 1
    leader = max(points, key=points.__getitem__)
    assert leader == car["Misslin"]
    assert points[car["Misslin"]] > points[car["Lindland"]]
