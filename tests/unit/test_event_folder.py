"""The event folder reader: a happy-path read of the mini event, then one test per error it reports.

Every error test copies the fixture into tmp_path (as `spa/`), breaks one thing, and checks that the
InputError names the file, the line and the field.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcferme.errors import InputError, ParcFermeError, RuleError
from parcferme.formats.event_folder import read_event
from parcferme.formats.values import parse_time_of_day
from parcferme.model import (
    PIT_OUT,
    SF,
    DecisionKind,
    GridSource,
    RaceEnd,
    SessionKind,
    TrackStatus,
)
from parcferme.model.time import parse_time

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "mini-event"
DOC = ROOT / "docs" / "event-format.md"


def tod(text: str) -> int:
    return parse_time_of_day(text)


@pytest.fixture
def spa(tmp_path: Path) -> Path:
    folder = tmp_path / "spa"
    shutil.copytree(FIXTURE, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in {path}")


def fails(folder: Path, source: str, line: int | None, field: str | None, *fragments: str) -> InputError:
    """read_event raises an InputError at spa/<source>:<line> [<field>] whose message holds the fragments."""
    with pytest.raises(InputError) as info:
        read_event(folder)
    error = info.value
    assert (error.source, error.line, error.field) == (f"spa/{source}", line, field), str(error)
    where = f"spa/{source}" + (f":{line}" if line is not None else "")
    assert str(error).startswith(where), str(error)
    if field is not None:
        assert f"[{field}]" in str(error)
    for fragment in fragments:
        assert fragment in error.message, error.message
    return error


# ----------------------------------------------------------------------------------------- happy path


def test_reads_the_mini_event() -> None:
    event = read_event(FIXTURE)
    assert (event.series, event.season, event.round) == ("Porsche Carrera Cup France", 2017, 1)
    assert event.name == "Spa-Francorchamps (mini)"
    assert (event.circuit.name, event.circuit.length_m) == ("Circuit de Spa-Francorchamps", 7004)
    assert event.rules.id == "carrera-cup-france-2017"
    assert event.rules.min_classified == Fraction(3, 4)


def test_entries() -> None:
    event = read_event(FIXTURE)
    assert [e.number for e in event.entries] == ["1", "007", "7", "25"]  # "007" and "7" are two cars
    first = event.entry("1")
    assert first.driver.name == "Léa Durand"  # UTF-8 with a byte-order mark
    assert (first.team, first.car, first.transponders) == ("Équipe Alpha", "Porsche 911 GT3 Cup", ("1001",))
    assert dict(first.attributes) == {"rookie": False, "guest": False, "championships": ("FR",)}
    rookie = event.entry("007")
    assert (rookie.driver.last_name, rookie.driver.first_name) == ("de Smet", "Pieter")
    assert rookie.attributes["rookie"] is True
    assert rookie.attributes["guest"] is False  # an empty cell is "no"
    assert rookie.attributes["championships"] == ("FR", "BNL")
    assert rookie.attributes["sponsor"] == "Frites & Co"  # an extra column is a string attribute
    shared = event.entry("25")
    assert [(d.first_name, d.last_name, d.nationality) for d in shared.drivers] == [
        ("Hugo", "Moreau", "FRA"),
        ("Jules", "Petit", "FRA"),
    ]
    assert shared.transponders == ("4025", "4026")
    assert shared.attributes["class"] == "B"
    assert "sponsor" not in shared.attributes  # empty cells are omitted


def test_classifications() -> None:
    event = read_event(FIXTURE)
    fr, b, rookie = event.classifications
    assert (
        fr.id == "fr" and fr.name("fr") == "Championnat de France" and fr.name("en") == "French championship"
    )
    assert dict(fr.require) == {"championships": "FR"} and dict(fr.exclude) == {"guest": True}
    assert [e.number for e in event.entries if fr.admits(e)] == ["1", "007", "25"]
    assert [e.number for e in event.entries if b.admits(e)] == ["25"]
    assert [e.number for e in event.entries if rookie.admits(e)] == ["007"]


def test_sessions() -> None:
    event = read_event(FIXTURE)
    assert [s.session.id for s in event.sessions] == ["FP", "Q1", "R1", "R2"]
    fp, q1, r1, r2 = (s.session for s in event.sessions)
    assert fp.kind is SessionKind.PRACTICE and fp.name == "Free practice"
    assert q1.schedule.date == dt.date(2017, 5, 19)
    assert q1.schedule.start == tod("14:05:00") and q1.schedule.duration == 20 * 60 * 1_000_000
    assert q1.sector_lines == ("S1", "S2") and q1.grid is None
    assert r1.kind is SessionKind.RACE and r1.schedule.laps == 3 and r1.schedule.duration is None
    assert r1.schedule.end_mode is RaceEnd.LAPS  # only laps given
    assert r1.grid is not None and (r1.grid.session, r1.grid.lap) == ("Q1", GridSource.BEST)
    assert r2.schedule.start == tod("09:35:00.500000")
    assert r2.schedule.end_mode is RaceEnd.TIME_PLUS_LAP
    assert r2.grid is not None and r2.grid.lap is GridSource.SECOND_BEST


def test_session_without_folder_has_no_data() -> None:
    r2 = read_event(FIXTURE).session("R2")
    assert r2.passings == () and r2.laps is None and r2.track_status == () and r2.decisions == ()


def test_passings() -> None:
    event = read_event(FIXTURE)
    q1 = event.session("Q1")
    assert q1.laps is None and len(q1.passings) == 68
    first = q1.passings[0]
    assert (first.time, first.line, first.car, first.transponder, first.seq) == (
        tod("14:06:02.000"),
        PIT_OUT,
        "1",
        "1001",
        1,
    )
    r1 = event.session("R1").passings
    assert {p.car for p in r1} == {"1", "007", "7", "25"}
    by_number_only = next(p for p in r1 if p.car == "007")
    assert (by_number_only.transponder, by_number_only.seq) == ("", -1)
    assert next(p for p in r1 if p.car == "25").transponder == "4026"  # the entry's second transponder
    assert sum(1 for p in r1 if p.line == SF and p.car == "1") == 3


def test_laps() -> None:
    laps = read_event(FIXTURE).session("FP").laps
    assert laps is not None and len(laps) == 11
    out_lap = laps[0]
    assert (out_lap.car, out_lap.number, out_lap.time) == ("1", 1, 182_400_000)
    assert out_lap.end == tod("10:04:02.4") and out_lap.start == out_lap.end - out_lap.time
    assert out_lap.out_lap and not out_lap.in_pit and out_lap.sectors == (53_808_000, 82_992_000, 45_600_000)
    assert laps[2].in_pit
    deleted = next(lap for lap in laps if lap.deleted)
    assert (deleted.car, deleted.number, deleted.deleted) == ("007", 2, "Track limits at Raidillon")
    assert [lap.driver for lap in laps if lap.car == "25"] == [0, 1, 1]
    assert all(lap.statuses == frozenset() for lap in laps)


def test_track_status_and_decisions() -> None:
    event = read_event(FIXTURE)
    (red,) = event.session("Q1").track_status
    assert (red.status, red.start, red.end) == (TrackStatus.RED, tod("14:21:00"), None)
    assert red.note.startswith("Red flag")
    yellow, chequered = event.session("R1").track_status
    assert (yellow.status, yellow.end) == (TrackStatus.YELLOW, tod("11:03:10"))
    assert chequered.status is TrackStatus.CHEQUERED
    (penalty,) = event.session("R1").decisions
    assert (penalty.session, penalty.car, penalty.kind, penalty.time) == (
        "R1",
        "1",
        DecisionKind.TIME_PENALTY,
        5_000_000,
    )
    assert penalty.reason.startswith("Overshot grid slot") and penalty.issued_at == "after the race"
    (deletion,) = event.session("Q1").decisions
    assert (deletion.kind, deletion.lap, deletion.issued_at) == (DecisionKind.DELETE_LAP, 3, "14:30")


def test_accepts_a_path_string_and_lenient_forms(spa: Path) -> None:
    # A TOML local time, a header in capitals with spaces, cells with stray spaces.
    edit(spa / "event.toml", 'start = "14:05:00"', "start = 14:05:00")
    edit(
        spa / "sessions/R1/passings.csv", "time,line,transponder,number", " Time , LINE ,transponder, number"
    )
    edit(spa / "sessions/R1/passings.csv", "11:00:44.397,S1,1001,1", " 11:00:44.397 , S1 , 1001 , 1 ")
    event = read_event(str(spa))
    assert event.session("Q1").session.schedule.start == tod("14:05:00")
    first = event.session("R1").passings[0]
    assert (first.time, first.line, first.car, first.transponder) == (tod("11:00:44.397"), "S1", "1", "1001")


def test_session_past_midnight(spa: Path) -> None:
    edit(spa / "sessions/R1/passings.csv", "11:07:24.500,SF,4026,25", "25:10:04.5,SF,4026,25")
    passings = read_event(spa).session("R1").passings
    assert passings[-1].time == (25 * 3600 + 10 * 60 + 4) * 1_000_000 + 500_000


def test_rules_from_a_file_in_the_event_folder(spa: Path) -> None:
    (spa / "rules.toml").write_text('id = "club"\n[classification]\nmin_share = "2/3"\n', encoding="utf-8")
    edit(spa / "event.toml", 'rules = "carrera-cup-france-2017"', 'rules = "rules.toml"')
    assert read_event(spa).rules.min_classified == Fraction(2, 3)


def test_error_in_a_rules_file_of_the_event(spa: Path) -> None:
    (spa / "rules.toml").write_text('id = "club"\n[timing]\nmin_lap_time = "soon"\n', encoding="utf-8")
    edit(spa / "event.toml", 'rules = "carrera-cup-france-2017"', 'rules = "rules.toml"')
    error = fails(spa, "rules.toml", 3, "timing.min_lap_time", "not a time")
    assert isinstance(error, RuleError)


def test_rules_default_to_fia(spa: Path) -> None:
    edit(spa / "event.toml", 'rules = "carrera-cup-france-2017"\n', "")
    assert read_event(spa).rules.id == "fia-default"


def test_docs_example_reads(tmp_path: Path) -> None:
    """The complete example in docs/event-format.md is a valid event folder."""
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- file: (\S+) -->\s*```\w*\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 5
    folder = tmp_path / "example"
    for name, body in blocks:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(body, encoding="utf-8")
    event = read_event(folder)
    assert event.entries and event.sessions
    race = event.sessions[-1]
    assert race.session.is_race and race.passings and race.decisions and race.track_status


# ------------------------------------------------------------------------------------- folder layout


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a folder"):
        read_event(tmp_path / "nowhere")


def test_missing_event_toml(spa: Path) -> None:
    (spa / "event.toml").unlink()
    fails(spa, "event.toml", None, None, "missing file")


def test_missing_entries(spa: Path) -> None:
    (spa / "entries.csv").unlink()
    fails(spa, "entries.csv", None, None, "missing file")


def test_session_folder_not_in_event_toml(spa: Path) -> None:
    (spa / "sessions/Q2").mkdir()
    fails(spa, "sessions/Q2", None, None, "not a session of event.toml")


def test_unknown_file_in_session_folder(spa: Path) -> None:
    (spa / "sessions/R1/passing.csv").write_text("time\n", encoding="utf-8")
    fails(spa, "sessions/R1/passing.csv", None, None, "unknown file", "passings.csv")


def test_both_passings_and_laps(spa: Path) -> None:
    shutil.copy(spa / "sessions/FP/laps.csv", spa / "sessions/R1/laps.csv")
    fails(spa, "sessions/R1", None, None, "both passings.csv and laps.csv")


# ---------------------------------------------------------------------------------------- event.toml


def test_malformed_toml(spa: Path) -> None:
    edit(spa / "event.toml", "season = 2017", "season = 2017 2018")
    fails(spa, "event.toml", line_of(spa / "event.toml", "season ="), None, "invalid TOML")


def test_unknown_top_level_key(spa: Path) -> None:
    edit(spa / "event.toml", "round = 1\n", "round = 1\nseason_name = 'x'\n")
    fails(spa, "event.toml", 6, "season_name", "unknown key", "allowed keys: series, season, round")


@pytest.mark.parametrize(
    ("old", "new", "field", "fragment"),
    [
        ('id = "R2"', 'id = "Q1"', "sessions[4].id", "defined twice"),
        ('id = "R2"', 'id = "R 2"', "sessions[4].id", "not a session id"),
        (
            'kind = "race"\nname = "Race 2"',
            'kind = "sprint"\nname = "Race 2"',
            "sessions[4].kind",
            "practice, ",
        ),
        ('duration = "30:00"\nend', 'duration = "-5"\nend', "sessions[4].duration", "not a time"),
        ('start = "09:35:00.5"', 'start = "09:35"', "sessions[4].start", "HH:MM:SS"),
        ('start = "09:35:00.5"', "start = 935", "sessions[4].start", "a time of day"),
        ("date = 2017-05-21", 'date = "21/05/2017"', "sessions[4].date", "a date such as"),
        ('end = "time+1"', 'end = "time+2"', "sessions[4].end", "laps, time, time+1"),
        ('end = "time+1"', 'end = "laps"', "sessions[4].end", "needs 'laps'"),
        ('lap = "second-best"', 'lap = "third-best"', "sessions[4].grid.lap", "best, second-best"),
        (
            'session = "Q1", lap = "second-best"',
            'session = "Q9"',
            "sessions[4].grid.session",
            "unknown session",
        ),
        ('session = "Q1", lap = "second-best"', 'session = "R1"', "sessions[4].grid.session", "is a race"),
        (
            "grid = { session",
            'sectors = ["S1", "SF"]\ngrid = { session',
            "sessions[4].sectors",
            "not a sector",
        ),
        ("grid = { session", "timing = 3\ngrid = { session", "sessions[4].timing", "allowed keys: id, kind"),
    ],
)
def test_bad_session(spa: Path, old: str, new: str, field: str, fragment: str) -> None:
    text = (spa / "event.toml").read_text(encoding="utf-8")
    race2 = text.index('id = "R2"')
    assert old in text[race2:]
    (spa / "event.toml").write_text(text[:race2] + text[race2:].replace(old, new, 1), encoding="utf-8")
    fails(spa, "event.toml", line_in_table(spa / "event.toml", field), field, fragment)


def line_in_table(path: Path, field: str) -> int:
    """The line of `key =` for a field such as `sessions[4].grid.session` (the line of `grid =`)."""
    match = re.match(r"(\w+)\[(\d+)\]\.(\w+)", field)
    assert match is not None
    lines = path.read_text(encoding="utf-8").splitlines()
    headers = [i for i, line in enumerate(lines) if line.strip() == f"[[{match[1]}]]"]
    start = headers[int(match[2]) - 1]
    for index in range(start, len(lines)):
        if lines[index].split("=")[0].strip() == match[3]:
            return index + 1
    raise AssertionError(field)


def test_race_needs_laps_or_duration(spa: Path) -> None:
    edit(spa / "event.toml", "laps = 3\n", "")
    fails(spa, "event.toml", line_of(spa / "event.toml", 'id = "R1"') - 1, "sessions[3].laps", "needs 'laps'")


def test_laps_on_a_qualifying(spa: Path) -> None:
    edit(spa / "event.toml", 'duration = "20:00"\n', 'duration = "20:00"\nlaps = 10\n')
    line = line_of(spa / "event.toml", "laps = 10")
    fails(spa, "event.toml", line, "sessions[2].laps", "races only")


def test_grid_from_a_later_session(spa: Path) -> None:
    edit(spa / "event.toml", 'grid = { session = "Q1", lap = "best" }', 'grid = { session = "R2" }')
    line = line_of(spa / "event.toml", 'grid = { session = "R2" }')
    fails(spa, "event.toml", line, "sessions[3].grid.session", "defined before")


def test_unknown_rule_set(spa: Path) -> None:
    edit(spa / "event.toml", '"carrera-cup-france-2017"', '"carrera-cup-france-2099"')
    error = fails(spa, "event.toml", 7, "rules", "unknown rule set", "fia-default")
    assert isinstance(error, RuleError)


@pytest.mark.parametrize(
    ("old", "new", "field", "fragment"),
    [
        ('id = "b"', 'id = "fr"', "classifications[2].id", "defined twice"),
        ('id = "b"', 'id = "overall"', "classifications[2].id", "implicit"),
        (
            'require = { class = "B" }',
            'require = { klass = "B" }',
            "classifications[2].require.klass",
            "unknown attribute",
        ),
        (
            "require = { rookie = true }",
            'require = { rookie = "yes" }',
            "classifications[3].require.rookie",
            "true or false",
        ),
        (
            'require = { class = "B" }',
            "require = { class = 2 }",
            "classifications[2].require.class",
            "a number (2)",
        ),
        ('require = { class = "B" }', 'require = "B"', "classifications[2].require", "attribute = value"),
        (
            'name = { fr = "Classement B", en = "B classification" }',
            "name = 3",
            "classifications[2].name",
            "a name",
        ),
    ],
)
def test_bad_classification(spa: Path, old: str, new: str, field: str, fragment: str) -> None:
    edit(spa / "event.toml", old, new)
    fails(spa, "event.toml", line_in_table(spa / "event.toml", field), field, fragment)


def test_missing_circuit(spa: Path) -> None:
    edit(spa / "event.toml", '[circuit]\nname = "Circuit de Spa-Francorchamps"\nlength_m = 7004\n', "")
    fails(spa, "event.toml", None, "circuit", "missing table [circuit]")


def test_missing_key(spa: Path) -> None:
    edit(spa / "event.toml", "season = 2017\n", "")
    fails(spa, "event.toml", None, "season", "missing key 'season'")


# --------------------------------------------------------------------------------------- entries.csv


@pytest.mark.parametrize(
    ("old", "new", "field", "fragment"),
    [
        ('7,"Van den Berg', '007,"Van den Berg', "number", "already entered on line 3"),
        ('7,"Van den Berg', ',"Van den Berg', "number", "empty car number"),
        ('7,"Van den Berg', '7 7,"Van den Berg', "number", "not a car number"),
        ('"Van den Berg, Sam"', '"Sam Van den Berg"', "drivers", "no comma"),
        ('"Van den Berg, Sam"', '", Sam"', "drivers", "no last name"),
        ('"Van den Berg, Sam"', '""', "drivers", "no driver"),
        (",NLD,", ",NLD;BEL,", "nationality", "2 nationalities for 1 drivers"),
        (",3007,", ",4025,", "transponder", "already given to car '25'"),
        (",3007,", ",3007;3007,", "transponder", "already given to this entry"),
        (",3007,", ",30-07,", "transponder", "not a transponder id"),
        (",,no,yes,BNL,", ",,no,maybe,BNL,", "guest", "not a yes/no value"),
    ],
)
def test_bad_entry(spa: Path, old: str, new: str, field: str, fragment: str) -> None:
    line = line_of(spa / "entries.csv", old)
    edit(spa / "entries.csv", old, new)
    if "already given to car" in fragment:  # the duplicate is found on the later line
        line = line_of(spa / "entries.csv", '25,"Moreau')
        edit(spa / "entries.csv", new, old)
        edit(spa / "entries.csv", ",4025;4026,", ",3007;4026,")
        fragment = "already given to car '7'"
    fails(spa, "entries.csv", line, field, fragment)


def test_entries_missing_column(spa: Path) -> None:
    (spa / "entries.csv").write_text("number,team\n1,X\n", encoding="utf-8")
    fails(spa, "entries.csv", 1, "drivers", "missing column 'drivers'")


def test_entries_duplicated_column(spa: Path) -> None:
    (spa / "entries.csv").write_text('number,drivers,Number\n1,"A, B",1\n', encoding="utf-8")
    fails(spa, "entries.csv", 1, "number", "appears twice")


def test_entries_empty_file(spa: Path) -> None:
    (spa / "entries.csv").write_text("\n\n", encoding="utf-8")
    fails(spa, "entries.csv", 1, None, "empty file")


def test_entries_not_utf8(spa: Path) -> None:
    data = (spa / "entries.csv").read_bytes().replace("Léa".encode(), "Léa".encode("latin-1"))
    (spa / "entries.csv").write_bytes(data)
    fails(spa, "entries.csv", 2, None, "not UTF-8")


def test_entries_malformed_csv(spa: Path) -> None:
    edit(spa / "entries.csv", '"Durand, Léa"', '"Durand, Léa"x')
    fails(spa, "entries.csv", 2, None, "malformed CSV")


def test_entries_too_many_cells(spa: Path) -> None:
    edit(spa / "entries.csv", ",no,yes,BNL,\n", ",no,yes,BNL,,extra\n")
    fails(spa, "entries.csv", 5, None, "12 cells but the header names 11 columns")


def test_entries_short_rows_are_padded(spa: Path) -> None:
    edit(spa / "entries.csv", ",no,yes,BNL,\n", ",no,yes,BNL\n")
    assert read_event(spa).entry("7").attributes["championships"] == ("BNL",)


# -------------------------------------------------------------------------------------- passings.csv

R1_PASSINGS = "sessions/R1/passings.csv"


@pytest.mark.parametrize(
    ("old", "new", "field", "fragment"),
    [
        ("11:00:44.397,S1,1001,1", "11:00:44.397,S1,9999,1", "transponder", "unknown transponder '9999'"),
        ("11:00:44.810,S1,,007", "11:00:44.810,S1,,8", "number", "unknown car number '8'"),
        ("11:00:44.810,S1,,007", "11:00:44.810,S1,2007,7", "number", "belongs to car '007', not '7'"),
        ("11:00:44.810,S1,,007", "11:00:44.810,S1,,", "transponder", "no transponder and no car number"),
        ("11:00:44.397,S1,1001,1", "11:00:44.397,S3,1001,1", "line", "unknown timing line 'S3'"),
        (
            "11:00:44.397,S1,1001,1",
            "10:59:59.999,S1,1001,1",
            "time",
            "before the session starts (11:00:00.000)",
        ),
        ("11:00:44.397,S1,1001,1", "11:00:44.1234567,S1,1001,1", "time", "not a time of day"),
        ("11:00:44.397,S1,1001,1", "11:60:44.397,S1,1001,1", "time", "not a time of day"),
        ("11:00:44.397,S1,1001,1", "11:00,S1,1001,1", "time", "HH:MM:SS"),
        ("11:00:44.397,S1,1001,1", ",S1,1001,1", "time", "not a time of day"),
    ],
)
def test_bad_passing(spa: Path, old: str, new: str, field: str, fragment: str) -> None:
    line = line_of(spa / R1_PASSINGS, old)
    edit(spa / R1_PASSINGS, old, new)
    fails(spa, R1_PASSINGS, line, field, fragment)


def test_bad_sequence_number(spa: Path) -> None:
    path = spa / "sessions/Q1/passings.csv"
    line = line_of(path, "14:06:05.500,PIT_OUT,2007,2")
    edit(path, "14:06:05.500,PIT_OUT,2007,2", "14:06:05.500,PIT_OUT,2007,two")
    fails(spa, "sessions/Q1/passings.csv", line, "seq", "not a sequence number")
    edit(path, "14:06:05.500,PIT_OUT,2007,two", "14:06:05.500,PIT_OUT,2007,-2")
    fails(spa, "sessions/Q1/passings.csv", line, "seq", "not a sequence number")
    edit(path, "14:06:05.500,PIT_OUT,2007,-2", "14:06:05.500,PIT_OUT,2007, ")
    assert read_event(spa).session("Q1").passings[1].seq == -1


def test_passings_unknown_column(spa: Path) -> None:
    edit(spa / R1_PASSINGS, "time,line,transponder,number", "time,line,tranponder,number")
    fails(spa, R1_PASSINGS, 1, "tranponder", "unknown column", "allowed columns: time, line")


def test_passings_need_a_car_column(spa: Path) -> None:
    (spa / R1_PASSINGS).write_text("time,line\n11:00:44.397,S1\n", encoding="utf-8")
    fails(spa, R1_PASSINGS, 1, "transponder", "'transponder', 'number' or both")


# ------------------------------------------------------------------------------------------ laps.csv

FP_LAPS = "sessions/FP/laps.csv"


@pytest.mark.parametrize(
    ("old", "new", "field", "fragment"),
    [
        ("7,1,10:04:29.000", "8,1,10:04:29.000", "number", "unknown car number '8'"),
        ("7,2,10:06:55.450,2:26.450", "7,2,10:06:55.450,12.5", "time", "impossible lap time 12.500"),
        ("7,2,10:06:55.450,2:26.450", "7,2,10:06:55.450,0", "time", "not a positive time"),
        ("7,2,10:06:55.450,2:26.450", "7,2,10:06:55.450,fast", "time", "not a time"),
        ("7,2,10:06:55.450", "7,1,10:06:55.450", "lap", "lap 1 of car '7' comes after its lap 1"),
        ("7,2,10:06:55.450", "7,0,10:06:55.450", "lap", "at least 1"),
        ("7,2,10:06:55.450", "7,2,09:59:55.450", "end", "before the session starts"),
        ("36.614,,,,1", "36.614,,,,2", "driver", "no driver 2"),
        ("36.614,,,,1", "36.614,maybe,,,1", "in_pit", "not a yes/no value"),
        ("36.614,,,,1", "-1,,,,1", "s3", "not a time"),
    ],
)
def test_bad_lap(spa: Path, old: str, new: str, field: str, fragment: str) -> None:
    line = line_of(spa / FP_LAPS, old)
    edit(spa / FP_LAPS, old, new)
    fails(spa, FP_LAPS, line, field, fragment)


def test_laps_sector_columns_go_together(spa: Path) -> None:
    edit(spa / FP_LAPS, "s1,s2,s3,", "s1,s2,notes,")
    fails(spa, FP_LAPS, 1, "notes", "unknown column")
    edit(spa / FP_LAPS, "s1,s2,notes,", "s1,s2,deleted_,")
    edit(spa / "event.toml", 'sectors = ["S1", "S2"]', 'sectors = ["S1", "S2", "S3"]')
    edit(spa / FP_LAPS, "s1,s2,deleted_,", "s1,s2,s3,")
    fails(spa, FP_LAPS, 1, "s4", "go together", "missing: s4")


def test_laps_without_sectors(spa: Path) -> None:
    rows = [line.split(",") for line in (spa / FP_LAPS).read_text(encoding="utf-8").splitlines()]
    (spa / FP_LAPS).write_text("\n".join(",".join(r[:4]) for r in rows) + "\n", encoding="utf-8")
    laps = read_event(spa).session("FP").laps
    assert laps is not None and laps[0].sectors == () and laps[0].driver == 0 and not laps[0].out_lap


# ---------------------------------------------------------------------------------- track-status.csv

Q1_STATUS = "sessions/Q1/track-status.csv"


def test_unknown_track_status(spa: Path) -> None:
    edit(spa / Q1_STATUS, "red,14:21:00", "purple,14:21:00")
    fails(spa, Q1_STATUS, 2, "status", "unknown track status 'purple'", "green, yellow, fcy")


def test_track_status_ends_before_it_starts(spa: Path) -> None:
    append(spa / Q1_STATUS, "SC,14:10:00,14:09:00,\n")
    fails(spa, Q1_STATUS, 3, "end", "not after it starts")


def test_track_status_bad_time(spa: Path) -> None:
    append(spa / Q1_STATUS, "fcy,later,,\n")
    fails(spa, Q1_STATUS, 3, "start", "not a time of day")


# ------------------------------------------------------------------------------------ decisions.toml

R1_DECISIONS = "sessions/R1/decisions.toml"


@pytest.mark.parametrize(
    ("old", "new", "field", "fragment"),
    [
        ('car = "1"', 'car = "99"', "car", "unknown car number '99'"),
        ('car = "1"', "car = 1", "car", 'write car = "1"'),
        ('kind = "time-penalty"', 'kind = "warning"', "kind", "unknown decision kind 'warning'"),
        (
            'reason = "Overshot grid slot and reversed into it at the start"\n',
            "",
            "reason",
            "missing key 'reason'",
        ),
        ("seconds = 5\n", "", "seconds", "needs 'seconds'"),
        ("seconds = 5\n", "seconds = 5\nplaces = 3\n", "places", "does not apply to a time-penalty"),
        ("seconds = 5\n", "seconds = 1.0000001\n", "seconds", "at most 6 decimals"),
        ("seconds = 5\n", "seconds = true\n", "seconds", "a boolean"),
        ("seconds = 5\n", "seconds = 5\nsession = 'R2'\n", "session", "unknown key"),
    ],
)
def test_bad_decision(spa: Path, old: str, new: str, field: str, fragment: str) -> None:
    edit(spa / R1_DECISIONS, old, new)
    path = spa / R1_DECISIONS
    lines = path.read_text(encoding="utf-8").splitlines()
    found = [i + 1 for i, line in enumerate(lines) if line.split("=")[0].strip() == field]
    line = found[0] if found else 2  # a missing key points at its [[decisions]] header
    fails(spa, R1_DECISIONS, line, f"decisions[1].{field}", fragment)


def test_decision_in_seconds_with_decimals(spa: Path) -> None:
    edit(spa / R1_DECISIONS, "seconds = 5\n", "seconds = 2.5\n")
    assert read_event(spa).session("R1").decisions[0].time == 2_500_000


def test_delete_lap_needs_a_lap(spa: Path) -> None:
    edit(spa / "sessions/Q1/decisions.toml", "lap = 3\n", "lap = 0\n")
    fails(spa, "sessions/Q1/decisions.toml", 4, "decisions[1].lap", "a delete-lap needs 'lap'")


def test_grid_drop_in_a_qualifying(spa: Path) -> None:
    edit(spa / "sessions/Q1/decisions.toml", 'kind = "delete-lap"\nlap = 3', 'kind = "grid-drop"\nplaces = 3')
    fails(spa, "sessions/Q1/decisions.toml", 3, "decisions[1].kind", "applies to a race", "qualifying")


def test_malformed_decisions(spa: Path) -> None:
    append(spa / R1_DECISIONS, "[[decisions]\n")
    fails(spa, R1_DECISIONS, 9, None, "invalid TOML")


def test_decisions_of_every_kind(spa: Path) -> None:
    (spa / R1_DECISIONS).write_text(
        """
[[decisions]]
car = "007"
kind = "drive-through"
served = true
reason = "Jump start"
[[decisions]]
car = "25"
kind = "stop-go"
seconds = 10
reason = "Unsafe release"
issued_at = 11:05:00
[[decisions]]
car = "7"
kind = "lap-penalty"
laps = 1
laps_ = 0
reason = "Pit-lane speeding"
""",
        encoding="utf-8",
    )
    fails(spa, R1_DECISIONS, 17, "decisions[3].laps_", "unknown key")
    edit(spa / R1_DECISIONS, "laps_ = 0\n", "")
    drive, stop_go, laps = read_event(spa).session("R1").decisions
    assert drive.kind is DecisionKind.DRIVE_THROUGH and drive.served
    assert (stop_go.time, stop_go.issued_at) == (10_000_000, "11:05:00")
    assert (laps.kind, laps.laps) == (DecisionKind.LAP_PENALTY, 1)


# ------------------------------------------------------------------------------------------- fuzzing


@given(
    hours=st.integers(0, 47),
    minutes=st.integers(0, 59),
    seconds=st.integers(0, 59),
    frac=st.text("0123456789", max_size=6),
    short_hour=st.booleans(),
)
def test_time_of_day_fast_path_agrees_with_parse_time(
    hours: int, minutes: int, seconds: int, frac: str, short_hour: bool
) -> None:
    text = (
        f"{hours}:{minutes:02d}:{seconds:02d}" if short_hour else f"{hours:02d}:{minutes:02d}:{seconds:02d}"
    )
    text += f".{frac}" if frac else ""
    assert parse_time_of_day(text) == parse_time(text)


@pytest.mark.parametrize(
    "text",
    [
        "14:05",
        "140509",
        "14:05:09Z",
        "14:05:09,5",
        "T14:05:09",
        "14:05:09.5+01:00",
        "１４:05:09",
        "14:05:09.",
        "14:05:60",
        "14:60:00",
        "",
        "14:05:09.1234567",
        "-1:00:00",
    ],
)
def test_time_of_day_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a time of day"):
        parse_time_of_day(text)


@pytest.mark.parametrize(
    "target", ["event.toml", "entries.csv", R1_PASSINGS, FP_LAPS, R1_DECISIONS, Q1_STATUS]
)
def test_garbage_raises_only_parcferme_errors(spa: Path, target: str) -> None:
    """Truncations and byte flips of every file: the reader reports them, never crashes."""
    original = (spa / target).read_bytes()
    variants = [original[:n] for n in range(0, len(original), max(1, len(original) // 40))]
    variants += [
        original.replace(b",", b";"),
        original.replace(b"\n", b"\r"),
        original.replace(b"1", b"\xff"),
    ]
    variants += [original.replace(b'"', b""), original.replace(b":", b"")]
    for data in variants:
        (spa / target).write_bytes(data)
        with contextlib.suppress(ParcFermeError):
            read_event(spa)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    target=st.sampled_from(["event.toml", "entries.csv", R1_PASSINGS, FP_LAPS, R1_DECISIONS, Q1_STATUS]),
    data=st.one_of(st.binary(max_size=200), st.text(max_size=200).map(str.encode)),
    keep=st.integers(0, 400),
)
def test_arbitrary_bytes_raise_only_parcferme_errors(target: str, data: bytes, keep: int) -> None:
    """DESIGN.md: no reader raises anything but ParcFermeError on arbitrary bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "spa"
        shutil.copytree(FIXTURE, folder)
        original = (folder / target).read_bytes()
        (folder / target).write_bytes(original[:keep] + data)  # garbage after a valid start, too
        with contextlib.suppress(ParcFermeError):
            read_event(folder)
