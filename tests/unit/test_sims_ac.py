"""The Assetto Corsa reader on a hand-made server file (tests/fixtures/sims/2020_11_5_20_30_RACE.json)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from parcferme.engine import classify_event
from parcferme.errors import InputError
from parcferme.formats.sims import Game, ServerStatus, parse_sim_result, read_sim_result
from parcferme.formats.sims.compare import reconcile
from parcferme.model import SessionKind, Status

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sims" / "2020_11_5_20_30_RACE.json"
S = 1_000_000


def mutated(change: Any) -> bytes:
    doc = json.loads(FIXTURE.read_text("utf-8"))
    change(doc)
    return json.dumps(doc).encode()


def test_entries_are_car_slots_with_their_last_driver() -> None:
    sim = read_sim_result(FIXTURE)
    assert sim.game is Game.AC
    event = sim.event
    assert [e.number for e in event.entries] == ["0", "1", "2"]
    ann = event.entry("0")
    assert ann.name == "Ann Lead" and ann.team == "Team A" and ann.car == "ks_audi_r8_lms"
    assert dict(ann.attributes) == {"ballast_kg": "10", "restrictor": "5", "player_id": ("G0",)}
    assert event.entry("1").name == "Cid Late"
    assert event.sessions[0].session.schedule.date == dt.date(2020, 11, 5)
    assert event.sessions[0].session.schedule.laps == 3


def test_laps_sit_on_the_server_clock_and_cuts_delete_a_lap() -> None:
    data = read_sim_result(FIXTURE).event.sessions[0]
    assert data.laps is not None
    laps = {(lap.car, lap.number): lap for lap in data.laps}
    assert laps["0", 1].end == 1_101_000 * 1000
    assert laps["0", 1].sectors == (34 * S, 33 * S, 34 * S)
    assert laps["0", 2].deleted == "2 cut(s)"
    # the start signal: each car's last crossing minus its total time (here 1 000 000 ms for both)
    assert data.session.schedule.start == 1_000_000 * 1000


def test_laps_of_an_earlier_occupant_are_set_aside() -> None:
    sim = read_sim_result(FIXTURE)
    data = sim.event.sessions[0]
    assert data.laps is not None
    assert [lap.number for lap in data.laps if lap.car == "1"] == [1, 2]
    assert any("Old Timer" in note and "set aside" in note for note in sim.notes)


def test_engine_agrees_with_the_server() -> None:
    sim = read_sim_result(FIXTURE)
    outcome = classify_event(sim.event).sessions[0]
    result = outcome.overall
    assert result.order == sim.server_order == ("0", "1", "2")
    assert result.row("0").time == sim.server("R").row("0").time == 300_500 * 1000
    assert (
        result.row("0").best_lap is not None and result.row("0").best_lap.time == 101 * S
    )  # not the cut lap
    assert result.row("2").status is Status.DNS
    assert sim.server("R").row("2").status is ServerStatus.DNS
    assert reconcile(result, sim.servers[0], outcome.laps, race=True).exact


def test_qualifying_orders_by_best_lap() -> None:
    sim = parse_sim_result(mutated(lambda d: d.update(Type="QUALIFY")), "q.json")
    outcome = classify_event(sim.event).sessions[0]
    assert outcome.session.kind is SessionKind.QUALIFYING
    assert sim.server("Q").row("0").time == 101 * S
    assert outcome.overall.order == ("0", "1", "2")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(Type="BOOK"), "Type"),
        (lambda d: d["Result"][1].update(CarId=0), "Result[1].CarId"),
        (lambda d: d["Laps"][2].update(LapTime="fast"), "Laps[2].LapTime"),
        (lambda d: d["Laps"][0].update(Timestamp=-1), "Laps[0]"),
        (lambda d: d["Laps"][0]["Sectors"].__setitem__(1, -3), "Laps[0].Sectors[1]"),
        (lambda d: d.update(Result=None), "Result"),
    ],
)
def test_errors_name_the_json_path(change: Any, field: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_sim_result(mutated(change), "bad.json", "ac")
    assert caught.value.field == field
