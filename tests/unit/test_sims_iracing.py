"""The iRacing reader on a hand-made results file (tests/fixtures/sims/iracing_result.json)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from parcferme.engine import classify_event
from parcferme.errors import InputError
from parcferme.formats.sims import Game, ServerStatus, parse_sim_result, read_sim_result
from parcferme.formats.sims.compare import Reason, reconcile
from parcferme.model import DecisionKind, SessionKind, Status

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sims" / "iracing_result.json"
S = 1_000_000
CLOCK = (19 * 3600 + 12) * S  # 2021-01-08T19:00:12Z


def doc() -> Any:
    return json.loads(FIXTURE.read_text("utf-8"))


def test_sessions_in_running_order() -> None:
    sim = read_sim_result(FIXTURE)
    assert sim.game is Game.IRACING
    sessions = [(d.session.id, d.session.kind, d.session.name) for d in sim.event.sessions]
    assert sessions == [("P", SessionKind.PRACTICE, "Open Practice"), ("R", SessionKind.RACE, "Race")]
    assert sim.event.sessions[0].session.schedule.date == dt.date(2021, 1, 8)
    assert sim.event.circuit.name == "Mount Panorama Circuit"
    assert sim.event.name == "Fixture League Round 1"


def test_entries() -> None:
    event = read_sim_result(FIXTURE).event
    assert {e.number for e in event.entries} == {"8", "088", "13"}  # zero padding kept
    dave = event.entry("8")
    assert dave.name == "Dave N" and dave.team == "UK and I" and dave.car == "Porsche 911 GT3 Cup"
    assert dave.attribute("player_id") == ("11",)


def test_timed_sessions_hold_each_cars_best_lap_and_races_no_lap() -> None:
    sim = read_sim_result(FIXTURE)
    practice, race = sim.event.sessions
    assert practice.laps is not None and race.laps == ()
    best = {lap.car: lap for lap in practice.laps}
    assert set(best) == {"8", "088"}  # car 13 set no time
    assert (best["8"].number, best["8"].time) == (11, 128_806_900)
    assert best["8"].end == CLOCK + best["8"].time  # no time of day in the file: from the session start


def test_server_rows() -> None:
    server = read_sim_result(FIXTURE).server("R")
    assert server.order == ("8", "088", "13")
    dave = server.row("8")
    assert (dave.position, dave.class_position, dave.grid, dave.laps) == (1, 1, 1, 5)
    assert dave.status is ServerStatus.FINISHED and dave.best_lap == 129_620_900
    assert server.row("13").status is ServerStatus.DSQ


def test_engine_agrees_where_the_file_allows() -> None:
    sim = read_sim_result(FIXTURE)
    results = classify_event(sim.event)
    practice, race = results.sessions
    assert practice.overall.order == sim.server("P").order == ("8", "088", "13")
    assert reconcile(practice.overall, sim.server("P"), practice.laps, race=False).exact
    assert race.overall.row("13").status is Status.DSQ
    assert [d.kind for d in sim.event.sessions[1].decisions] == [DecisionKind.DISQUALIFICATION]
    check = reconcile(race.overall, sim.server("R"), race.laps, race=True)
    assert check.agreed and check.reasons == (Reason.MISSING_LAPS,)


def test_qualifying_best_lap_time_of_day() -> None:
    data = doc()
    practice = data["session_results"][1]
    practice["simsession_type_name"] = "Open Qualifying"
    practice["results"][1].update(best_qual_lap_at="2021-01-08T19:08:57Z", best_qual_lap_time=1288069)
    sim = parse_sim_result(json.dumps(data).encode(), "q.json")
    laps = sim.event.sessions[0].laps
    assert sim.event.sessions[0].session.kind is SessionKind.QUALIFYING
    assert laps is not None
    assert {lap.car: lap.end for lap in laps}["8"] == (19 * 3600 + 8 * 60 + 57) * S


def test_the_data_api_wrapping_is_accepted() -> None:
    wrapped = json.dumps({"type": "event_result", "data": doc()}).encode()
    assert parse_sim_result(wrapped, "w.json").event == read_sim_result(FIXTURE).event


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["session_results"][0].update(simsession_type_name="Drag"), "session_results[0]"),
        (lambda d: d.update(start_time="yesterday"), "start_time"),
        (lambda d: d["session_results"][1]["results"][0].update(laps_complete=[]), None),
        (lambda d: d["session_results"][0].update(results=None), "session_results[0].results"),
    ],
)
def test_errors_name_the_json_path(change: Any, field: str | None) -> None:
    data = doc()
    change(data)
    with pytest.raises(InputError) as caught:
        parse_sim_result(json.dumps(data).encode(), "bad.json", "iracing")
    if field is not None:
        assert caught.value.field == field
    else:
        assert caught.value.field is not None and caught.value.field.endswith("laps_complete")
