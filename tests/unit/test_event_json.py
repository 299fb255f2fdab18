"""The event JSON export (schema `parcferme.event/2`, docs/event-json.md) and its reader.

Round trips give an equal Event (frozen dataclasses compare field by field; the attribute mappings are
MappingProxyType, which compare as the dicts they wrap, so equality is exact, tuples against tuples).
"""

from __future__ import annotations

import datetime as dt
import json
import os
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcferme.demo import load_spa2017
from parcferme.engine import classify_event
from parcferme.errors import InputError, ParcFermeError
from parcferme.formats.alkamel import read_alkamel
from parcferme.formats.event_json import (
    LAP_COLUMNS,
    SCHEMA,
    event_from_json,
    event_to_json,
    read_event_json,
    write_event_json,
)
from parcferme.model import (
    Classification,
    Decision,
    DecisionKind,
    Driver,
    Entry,
    Event,
    GridRule,
    GridSource,
    Lap,
    Passing,
    RaceEnd,
    RuleSet,
    Schedule,
    Session,
    SessionData,
    SessionKind,
    TrackStatus,
    TrackStatusPeriod,
)
from parcferme.model.event import Circuit
from parcferme.model.rules import Rounding

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "alkamel" / "mini.csv"


def test_spa2017_round_trip() -> None:
    event = load_spa2017()
    assert any(s.passings for s in event.sessions) and any(s.decisions for s in event.sessions)
    back = event_from_json(event_to_json(event))
    assert back == event
    assert classify_event(back).session("R1").overall == classify_event(event).session("R1").overall


def test_al_kamel_race_round_trip_with_laps_and_statuses() -> None:
    event = read_alkamel(MINI).event
    back = event_from_json(event_to_json(event).encode("utf-8"))
    assert back == event
    assert back.sessions[0].passings == () and back.sessions[0].laps == event.sessions[0].laps


def test_text_is_deterministic_readable_and_one_row_per_line() -> None:
    event = read_alkamel(MINI).event
    text = event_to_json(event)
    assert text == event_to_json(event)
    assert text.startswith('{\n  "schema": "parcferme.event/2",') and text.endswith("}\n")
    assert "Sébastien" in text  # not \u00e9
    row = (
        '["007", 1, 50400000000, 50513000000, 113000000, [30000000, 50000000, 33000000], false, false, [], ""'
    )
    assert f"\n          {row}, 0],\n" in text  # one lap per line, inside the indented document
    document = json.loads(text)
    assert document["schema"] == SCHEMA
    assert document["sessions"][0]["laps"]["columns"] == list(LAP_COLUMNS)
    assert document["rules"]["min_classified"] == "7/10"


def test_write_is_atomic(tmp_path: Path) -> None:
    event = read_alkamel(MINI).event
    target = tmp_path / "event.json"
    write_event_json(target, event)
    assert read_event_json(target) == event
    assert os.listdir(tmp_path) == ["event.json"]
    with pytest.raises(ParcFermeError, match="cannot write"):
        write_event_json(tmp_path / "missing" / "event.json", event)
    assert os.listdir(tmp_path) == ["event.json"]


def small_event(**changes: object) -> Event:
    schedule = Schedule(
        date=dt.date(2024, 6, 8), start=15 * 3600 * 10**6, duration=None, laps=3, end_mode=RaceEnd.LAPS
    )
    session = Session("R", SessionKind.RACE, "Race", schedule, ("S1",), GridRule("Q", GridSource.SECOND_BEST))
    data = SessionData(
        session,
        passings=(Passing(1, "SF", "3", "7301", 4), Passing(2, "S1", "03", "", -1)),
        track_status=(TrackStatusPeriod(TrackStatus.SC, 5, None, "car stopped"),),
        decisions=(
            Decision("R", "3", DecisionKind.TIME_PENALTY, "track limits", "Doc 3", "15:42", time=5_000_000),
        ),
    )
    entry = Entry(
        "03",
        (Driver("Paul", "Leroy", "FRA"), Driver("Anne", "Roux")),
        team="Roux Racing",
        car="Porsche",
        transponders=("7302", "7312"),
        attributes=MappingProxyType({"class": "Am", "rookie": True, "championships": ("CC", "NL")}),
    )
    classification = Classification(
        "am",
        MappingProxyType({"fr": "Am", "en": "Am"}),
        MappingProxyType({"class": ("Am", "B")}),
        MappingProxyType({"guest": True}),
    )
    rules = RuleSet(
        id="club", name="Club", min_classified=Fraction(3, 4), min_classified_rounding=Rounding.ROUND
    )
    fields: dict[str, object] = {
        "series": "Club Cup",
        "season": 2024,
        "round": 3,
        "name": "Dijon",
        "circuit": Circuit("Dijon-Prenois", 3801),
        "entries": (entry,),
        "classifications": (classification,),
        "sessions": (data,),
        "rules": rules,
    }
    fields.update(changes)
    return Event(**fields)  # type: ignore[arg-type]


def test_every_field_survives() -> None:
    event = small_event()
    assert event_from_json(event_to_json(event)) == event


def test_an_event_without_sessions_and_a_session_with_empty_laps() -> None:
    empty = small_event(sessions=(), entries=(), classifications=())
    assert event_from_json(event_to_json(empty)) == empty
    data = SessionData(small_event().sessions[0].session, laps=())
    with_laps = small_event(sessions=(data,))
    assert event_from_json(event_to_json(with_laps)).sessions[0].laps == ()


def edited(path: tuple[object, ...], value: object) -> str:
    """The small event's JSON with the value at `path` replaced (or the key deleted with value ...)."""
    document = json.loads(event_to_json(small_event()))
    node = document
    for key in path[:-1]:
        node = node[key]
    if value is ...:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return json.dumps(document)


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        (("schema",), "parcferme.event/3", "schema", "expected 'parcferme.event/2'"),
        (("season",), "2024", "season", "expected a whole number"),
        (("season",), True, "season", "expected a whole number"),
        (("round",), 1.5, "round", "expected a whole number"),
        (("name",), ..., "(document)", "missing key 'name'"),
        (("extra",), 1, "(document)", "unknown key 'extra'"),
        (("circuit", "length_m"), -1, "circuit.length_m", "at least 0"),
        (("rules", "min_classified"), "1e9999", "rules.min_classified", "expected a fraction"),
        (("rules", "min_classified"), "3/0", "rules.min_classified", "expected a fraction"),
        (("rules", "min_classified"), "5/4", "rules.min_classified", "between 0"),
        (("rules", "min_classified_rounding"), "up", "rules.min_classified_rounding", "unknown value"),
        (("entries", 0, "attributes", "rookie"), 1, "entries[0].attributes.rookie", "expected a string"),
        (("entries", 0, "drivers", 0, "nationality"), None, "entries[0].drivers[0].nationality", "got null"),
        (("sessions", 0, "kind"), "sprint", "sessions[0].kind", "unknown value 'sprint'"),
        (("sessions", 0, "schedule", "date"), "2024-13-01", "sessions[0].schedule.date", "ISO date"),
        (("sessions", 0, "grid", "lap"), "worst", "sessions[0].grid.lap", "unknown value"),
        (("sessions", 0, "passings", "rows", 1, 4), -2, "sessions[0].passings.rows[1][4]", "at least -1"),
        (("sessions", 0, "passings", "rows", 1), [1, "SF"], "sessions[0].passings.rows[1]", "array of 5"),
        (
            ("sessions", 0, "passings", "columns", 0),
            "time",
            "sessions[0].passings.columns",
            "expected the columns",
        ),
        (
            ("sessions", 0, "track_status", 0, "status"),
            "purple",
            "sessions[0].track_status[0].status",
            "unknown",
        ),
        (("sessions", 0, "decisions", 0, "kind"), "fine", "sessions[0].decisions[0].kind", "unknown value"),
        (
            ("sessions", 0, "decisions", 0, "served"),
            "yes",
            "sessions[0].decisions[0].served",
            "true or false",
        ),
    ],
)
def test_errors_name_the_json_path(path: tuple[object, ...], value: object, field: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        event_from_json(edited(path, value), "e.json")
    assert caught.value.source == "e.json"
    assert caught.value.field == field
    assert words in caught.value.message


@pytest.mark.parametrize(
    ("index", "value", "words"),
    [
        (6, "yes", "true or false"),
        (8, ["purple"], "unknown value"),
        (5, [-1], "at least 0"),
        (1, 0, "at least 1"),
    ],
)
def test_bad_lap_rows_name_the_cell(index: int, value: object, words: str) -> None:
    document = json.loads(event_to_json(read_alkamel(MINI).event))
    document["sessions"][0]["laps"]["rows"][3][index] = value
    with pytest.raises(InputError) as caught:
        event_from_json(json.dumps(document), "e.json")
    assert (caught.value.field or "").startswith(f"sessions[0].laps.rows[3][{index}]")
    assert words in caught.value.message


def test_invalid_json_names_the_line() -> None:
    with pytest.raises(InputError) as caught:
        event_from_json('{\n  "schema": "parcferme.event/1",\n  "season": 20x4\n}', "e.json")
    assert caught.value.line == 3 and "invalid JSON" in caught.value.message


EVENTS = st.builds(
    small_event,
    series=st.text(max_size=10),
    season=st.integers(-(10**12), 10**12),
    round=st.integers(0, 99),
    name=st.text(max_size=10),
    circuit=st.builds(Circuit, st.text(max_size=8), st.integers(0, 10**6)),
)


@settings(max_examples=50, deadline=None)
@given(EVENTS, st.lists(st.tuples(st.integers(0, 10**12), st.integers(1, 10**9)), max_size=5))
def test_round_trip_property(event: Event, lap_times: list[tuple[int, int]]) -> None:
    laps = tuple(
        Lap(
            "03",
            n,
            end - time,
            end,
            time,
            (None, time),
            n % 2 == 0,
            False,
            frozenset({TrackStatus.SC}),
            "",
            1,
        )
        for n, (end, time) in enumerate(lap_times, 1)
    )
    data = SessionData(event.sessions[0].session, laps=laps, decisions=event.sessions[0].decisions)
    event = Event(**{**{f: getattr(event, f) for f in Event.__slots__}, "sessions": (data,)})  # type: ignore[arg-type]
    assert event_from_json(event_to_json(event)) == event
