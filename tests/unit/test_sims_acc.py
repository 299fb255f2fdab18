"""The ACC reader on a hand-made server file (tests/fixtures/sims/201105_203000_R.json).

The fixture is kept as readable UTF-8; the tests feed it as the server writes it: UTF-16LE without a
byte-order mark.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from parcferme.engine import classify_event
from parcferme.errors import InputError
from parcferme.formats.sims import Game, ServerStatus, parse_sim_result
from parcferme.formats.sims.compare import reconcile
from parcferme.model import DecisionKind, SessionKind, Status

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sims" / "201105_203000_R.json"
SOURCE = "results/201105_203000_R.json"
S = 1_000_000


def utf16(text: str) -> bytes:
    return text.encode("utf-16-le")  # what accServer writes: no byte-order mark


def read(text: str | None = None, source: str = SOURCE) -> Any:
    return parse_sim_result(utf16(text if text is not None else FIXTURE.read_text("utf-8")), source, "acc")


def mutated(change: Any) -> str:
    """The fixture with one change applied to its parsed JSON."""
    doc = json.loads(FIXTURE.read_text("utf-8"))
    change(doc)
    return json.dumps(doc)


def test_entries_drivers_teams_classes_and_cups() -> None:
    sim = read()
    assert sim.game is Game.ACC
    event = sim.event
    assert [e.number for e in event.entries] == ["7", "77", "9", "11"]
    seven = event.entry("7")
    assert [d.name for d in seven.drivers] == ["Ann Lead", "Bob Second"]
    assert seven.team == "Team Alpha"  # from the second line of the driver's name
    assert seven.car == "Mercedes AMG GT3 2020"
    assert dict(seven.attributes) == {"class": "GT3", "cup": "Overall", "player_id": ("S1", "S2")}
    assert event.entry("77").attribute("cup") == "Pro-Am"
    assert event.entry("77").attribute("class") == "GT4"
    unknown = event.entry("9")
    assert unknown.car == "ACC car model 999" and unknown.attribute("class") is None
    assert {c.id for c in event.classifications} >= {"class-gt3", "class-gt4", "cup-pro-am"}
    assert event.circuit.name == "monza" and event.name == "Fixture Cup"
    assert event.rules.id == "sim-default"


def test_session_from_type_and_file_name() -> None:
    sim = read()
    session = sim.event.sessions[0].session
    assert (session.id, session.kind) == ("R", SessionKind.RACE)
    assert session.schedule.date == dt.date(2020, 11, 5)
    assert sim.servers[0].info["wet"] == "yes"
    undated = read(source="acc.json")
    assert undated.event.season == 0  # no date in the file or its name


def test_race_laps_are_placed_back_from_the_total_time() -> None:
    sim = read()
    data = sim.event.sessions[0]
    start = data.session.schedule.start
    assert data.laps is not None
    laps = {(lap.car, lap.number): lap for lap in data.laps}
    # car 7: its last crossing is totalTime after the start; lap 1 keeps the server's (pre-start) time
    assert laps["7", 3].end - start == 300 * S
    assert laps["7", 2].end - start == (300_000 - 101_500) * 1000
    assert laps["7", 1].time == 200 * S
    # car 77: the 5 s post-race penalty inside its totalTime is taken out of its crossings
    assert laps["77", 3].end - start == 310 * S
    assert min(lap.start for lap in data.laps) == 0  # times of day begin at the earliest lap
    assert laps["7", 2].deleted and not laps["7", 3].deleted
    assert laps["7", 3].driver == 1
    assert laps["7", 1].sectors == (134 * S, 33 * S, 33 * S)
    assert ("11", 1) not in laps


def test_penalties_become_decisions() -> None:
    decisions = {(d.car, d.kind): d for d in read().event.sessions[0].decisions}
    assert decisions["7", DecisionKind.DRIVE_THROUGH].served
    # the unserved drive-through of 77 became post-race time: only the time penalty stays
    assert ("77", DecisionKind.DRIVE_THROUGH) not in decisions
    assert decisions["77", DecisionKind.TIME_PENALTY].time == 5 * S
    stop_go = decisions["9", DecisionKind.STOP_GO]
    assert not stop_go.served and stop_go.time == 10 * S
    assert ("11", DecisionKind.DISQUALIFICATION) in decisions
    assert len(decisions) == 4  # the "None" record is a warning, not a penalty


def test_set_aside_data_is_noted() -> None:
    notes = " | ".join(read().notes)
    assert "1 lap(s) of carId 4242" in notes
    assert "PostRaceTime penalty of carId 4242" in notes


def test_engine_agrees_with_the_server() -> None:
    sim = read()
    outcome = classify_event(sim.event).sessions[0]
    result = outcome.overall
    assert result.order == sim.server_order == ("7", "77", "9", "11")
    assert result.row("77").time == sim.server("R").row("77").time == 315 * S
    assert result.row("11").status is Status.DSQ
    assert sim.server("R").row("11").status is ServerStatus.DSQ
    assert sim.server("R").row("9").detail == "missing mandatory pit stop"
    check = reconcile(result, sim.servers[0], outcome.laps, race=True)
    assert check.exact


def test_a_byte_order_mark_and_utf8_read_the_same() -> None:
    text = FIXTURE.read_text("utf-8")
    plain = read(text)
    with_bom = parse_sim_result(b"\xff\xfe" + utf16(text), SOURCE)
    utf8 = parse_sim_result(text.encode("utf-8"), SOURCE)
    assert plain.event == with_bom.event == utf8.event


def test_qualifying_and_numbered_session_types() -> None:
    sim = read(mutated(lambda d: d.update(sessionType="Q2")))
    session = sim.event.sessions[0].session
    assert (session.id, session.kind) == ("Q2", SessionKind.QUALIFYING)
    assert sim.servers[0].row("7").time == 99 * S  # the best lap, in practice and qualifying
    fp = read(mutated(lambda d: d.update(sessionType="FP")))
    assert fp.event.sessions[0].session.kind is SessionKind.PRACTICE


def test_remove_best_laptime_deletes_the_lap() -> None:
    def penalty(doc: dict[str, Any]) -> None:
        doc["sessionType"] = "Q"
        doc["penalties"] = [
            {"carId": 1002, "penalty": "RemoveBestLaptime", "penaltyValue": 3, "violationInLap": 3}
        ]

    sim = read(mutated(penalty))
    outcome = classify_event(sim.event).sessions[0]
    assert outcome.overall.row("77").best_lap is not None
    assert outcome.overall.row("77").best_lap.time == 102 * S  # lap 3 (100 s) no longer counts


def test_missing_optional_fields_are_tolerated() -> None:
    def strip(doc: dict[str, Any]) -> None:
        car = doc["sessionResult"]["leaderBoardLines"][0]["car"]
        del car["carModel"], car["teamName"], car["cupCategory"]
        del doc["penalties"], doc["post_race_penalties"]

    entry = read(mutated(strip)).event.entry("7")
    assert entry.car == "" and entry.attribute("class") is None


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        (lambda d: d.update(sessionType="XX"), "sessionType", "unknown session type"),
        (lambda d: d.pop("sessionResult"), "sessionResult", "missing"),
        (
            lambda d: d["sessionResult"]["leaderBoardLines"][2]["car"].pop("carId"),
            "sessionResult.leaderBoardLines[2].car.carId",
            "missing",
        ),
        (
            lambda d: d["sessionResult"]["leaderBoardLines"][1]["timing"].update(lapCount="3"),
            "sessionResult.leaderBoardLines[1].timing.lapCount",
            "whole number",
        ),
        (
            lambda d: d["sessionResult"]["leaderBoardLines"][1]["car"].update(carId=1001),
            "sessionResult.leaderBoardLines[1].car.carId",
            "listed twice",
        ),
        (lambda d: d["laps"][0].update(laptime=-5), "laps[0].laptime", "at least 0"),
        (lambda d: d.update(laps={}), "laps", "array"),
        (
            lambda d: d["post_race_penalties"][0].update(penaltyValue=-1),
            "post_race_penalties[0].penaltyValue",
            "",
        ),
    ],
)
def test_errors_name_the_json_path(change: Any, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        read(mutated(change))
    assert caught.value.field == field
    assert caught.value.source == SOURCE
    assert words in caught.value.message


def test_malformed_json_names_the_line() -> None:
    with pytest.raises(InputError) as caught:
        read('{\n  "sessionType": "R",\n  "trackName": }')
    assert caught.value.line == 3
