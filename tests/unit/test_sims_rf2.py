"""The rFactor 2 reader on a hand-made results file (tests/fixtures/sims/rf2_race.xml).

The fixture has what real rFactor files have: it declares UTF-8 but holds Latin-1 names, a bare `&`, a
stray byte after the root element, three cars sharing two numbers, a driver swap, a lap without a time, a
disqualification and a retirement.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from parcferme.engine import classify_event
from parcferme.errors import InputError
from parcferme.formats.sims import Game, ServerStatus, parse_sim_result, read_sim_result
from parcferme.formats.sims.compare import Reason, reconcile
from parcferme.model import DecisionKind, SessionKind, Status

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sims" / "rf2_race.xml"
S = 1_000_000
CLOCK = (20 * 3600 + 30 * 60) * S  # <TimeString>2020/11/05 20:30:00</TimeString>


def test_latin1_inside_utf8_and_repairs_are_noted() -> None:
    sim = read_sim_result(FIXTURE)
    assert sim.game is Game.RF2
    assert sim.event.entry("01~2").name == "Gérard"
    assert sim.event.entry("01~2").team == "Écurie Bonnier"
    notes = " | ".join(sim.notes)
    assert "trailing bytes" in notes and "bare '&'" in notes
    assert "car number 01 is used by more than one car: Gérard is keyed 01~2" in notes


def test_entries_and_session() -> None:
    sim = read_sim_result(FIXTURE)
    event = sim.event
    assert [e.number for e in event.entries] == ["01", "01~2", "31", "44"]
    jo = event.entry("01")
    assert [d.name for d in jo.drivers] == ["Jo", "Kim"]  # the Swap elements
    assert jo.car == "Lola T280 Fudji" and jo.attribute("class") == "LolaT280"
    assert event.circuit.name == "Sebring 12h Course" and event.circuit.length_m == 5856
    session = event.sessions[0].session
    assert (session.id, session.kind) == ("R", SessionKind.RACE)
    assert session.schedule.date == dt.date(2020, 11, 5)
    assert session.schedule.duration == 300 * S
    assert session.schedule.laps is None  # 2147483647: no lap limit
    assert session.schedule.start == CLOCK + 10 * S  # every car's lap 1 begins at et 10.0


def test_laps_from_elapsed_times() -> None:
    data = read_sim_result(FIXTURE).event.sessions[0]
    assert data.laps is not None
    laps = {(lap.car, lap.number): lap for lap in data.laps}
    first = laps["01~2", 1]
    assert (first.start, first.end, first.time) == (CLOCK + 10 * S, CLOCK + 115 * S, 105 * S)
    assert first.sectors == (35 * S, 35 * S, 35 * S)
    # Jo's lap 2 has no et and no time: it runs from the end of lap 1 to the start of lap 3
    gap = laps["01", 2]
    assert (gap.start, gap.end) == (CLOCK + 120 * S, CLOCK + 230 * S)
    assert gap.deleted and gap.in_pit
    assert laps["01", 3].driver == 1  # Kim's stint
    assert laps["31", 1].sectors == ()


def test_server_rows_and_decisions() -> None:
    sim = read_sim_result(FIXTURE)
    server = sim.server("R")
    assert server.order == ("01~2", "01", "31", "44")
    jo = server.row("01")
    assert (jo.position, jo.grid, jo.laps, jo.pit_stops, jo.time) == (2, 1, 3, 1, 330 * S)
    assert server.row("31").status is ServerStatus.DSQ
    assert server.row("44").detail == "DNF: Engine"
    decisions = sim.event.sessions[0].decisions
    assert [(d.car, d.kind) for d in decisions] == [("31", DecisionKind.DISQUALIFICATION)]


def test_engine_agrees_but_lists_the_disqualified_car_last() -> None:
    sim = read_sim_result(FIXTURE)
    outcome = classify_event(sim.event).sessions[0]
    result = outcome.overall
    assert result.order == ("01~2", "01", "44", "31")
    assert result.row("01~2").time == 310 * S
    assert result.row("01").time == 330 * S
    assert result.row("31").status is Status.DSQ
    check = reconcile(result, sim.servers[0], outcome.laps, race=True)
    assert check.agreed and check.reasons == (Reason.DSQ_LAST,)


def test_practice_and_qualifying_names() -> None:
    text = FIXTURE.read_bytes().replace(b"<Race>", b"<Qualify2>").replace(b"</Race>", b"</Qualify2>")
    session = parse_sim_result(text, "q.xml").event.sessions[0].session
    assert (session.id, session.kind, session.schedule.start) == ("Q2", SessionKind.QUALIFYING, CLOCK)
    text = FIXTURE.read_bytes().replace(b"<Race>", b"<Warmup>").replace(b"</Race>", b"</Warmup>")
    assert parse_sim_result(text, "w.xml").event.sessions[0].session.kind is SessionKind.PRACTICE


def test_a_file_without_a_session_is_refused() -> None:
    head = FIXTURE.read_bytes().split(b"<Race>")[0]
    with pytest.raises(InputError, match="no session"):
        parse_sim_result(head + b"</RaceResults></rFactorXML>", "empty.xml")


def test_broken_xml_names_the_line() -> None:
    text = FIXTURE.read_bytes().replace(b"</Lap>", b"</Lapp>", 1)
    with pytest.raises(InputError) as caught:
        parse_sim_result(text, "broken.xml")
    assert caught.value.line is not None and caught.value.line > 20


def test_entity_declarations_are_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE rF [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        b"<rFactorXML><RaceResults><Race><Driver><Name>&b;</Name></Driver></Race></RaceResults></rFactorXML>"
    )
    with pytest.raises(InputError, match="entity"):
        parse_sim_result(bomb, "bomb.xml")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (b'<Lap num="3" p="1"', b'<Lap num="x" p="1"', "rFactorXML.RaceResults.Race[0].Driver[1].Lap[2].num"),
        (b"<Laps>1</Laps>", b"<Laps>one</Laps>", "rFactorXML.RaceResults.Race[0].Driver[3].Laps"),
    ],
)
def test_bad_values_name_the_element(old: bytes, new: bytes, field: str) -> None:
    text = FIXTURE.read_bytes().replace(old, new)
    with pytest.raises(InputError) as caught:
        parse_sim_result(text, "bad.xml")
    assert caught.value.field == field
