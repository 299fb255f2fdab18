"""The event folder writer: what it writes reads back as the same event, and a bad event writes nothing.

Reading back gives `folder_form(event)`: the event with the normalisations docs describe (stripped text,
lower-case attribute names, lap start = end − time, no lap statuses…), none of which the engine sees. An
event that was itself read from a folder comes back exactly equal.
"""

from __future__ import annotations

import dataclasses
import datetime
import importlib.util
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

import pytest

from parcferme.commands.fitting import fit_for_folder
from parcferme.demo import load_spa2017
from parcferme.engine import classify_event
from parcferme.errors import InputError
from parcferme.formats import event_folder_writer
from parcferme.formats.event_folder import read_event
from parcferme.formats.event_folder_form import folder_form
from parcferme.formats.event_folder_toml import RULES_FILE, seconds_text, toml_string
from parcferme.formats.event_folder_writer import write_event_folder
from parcferme.formats.sims import read_sim_result
from parcferme.model import (
    Circuit,
    Classification,
    Decision,
    DecisionKind,
    Driver,
    Entry,
    Event,
    GridRule,
    Lap,
    Passing,
    RaceEnd,
    Rounding,
    RuleSet,
    Schedule,
    Session,
    SessionData,
    SessionKind,
    TrackStatus,
    TrackStatusPeriod,
)
from parcferme.rules import load_rule_set
from parcferme.synthetic import generate_race

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = FIXTURES / "mini-event"
SIMS = sorted((FIXTURES / "sims").iterdir())
ALKAMEL = sorted((FIXTURES / "alkamel").glob("*.csv")) if (FIXTURES / "alkamel").is_dir() else []
HAVE_ALKAMEL = importlib.util.find_spec("parcferme.formats.alkamel") is not None
S = 1_000_000
DAY = datetime.date(2024, 6, 8)


def round_trip(event: Event, tmp_path: Path) -> Event:
    out = tmp_path / "event"
    files = write_event_folder(event, out)
    assert all(f.is_file() and out in f.parents for f in files)
    assert leftovers(tmp_path) == []
    return read_event(out)


def leftovers(folder: Path) -> list[str]:
    """Temporary files or folders the writer would have left behind."""
    return sorted(p.name for p in folder.rglob(".*"))


def results(event: Event) -> list[tuple[str, str, str, list[tuple[int | None, str, str, int, int | None]]]]:
    """Every result row of every session and classification: what the engine makes of the event."""
    out = []
    for outcome in classify_event(event).sessions:
        for cid, result in outcome.results.items():
            rows = [(r.position, r.car, r.status.value, r.laps, r.time) for r in result.rows]
            out.append((outcome.session.id, cid, str(result.laps_completed), rows))
    return out


# ---------------------------------------------------------------------------------------- round trips


def test_the_mini_event_comes_back_exactly(tmp_path: Path) -> None:
    event = read_event(MINI)
    assert round_trip(event, tmp_path) == event
    assert folder_form(event) == event  # read from a folder: already in folder form


def test_the_spa_demo_comes_back_exactly(tmp_path: Path) -> None:
    event = load_spa2017()
    assert round_trip(event, tmp_path) == event
    assert (tmp_path / "event" / "event.toml").read_text(encoding="utf-8").count("[[sessions]]") == 4
    assert not (tmp_path / "event" / RULES_FILE).exists()  # a packaged rule set is referred to by id


@pytest.mark.parametrize("path", SIMS, ids=lambda p: p.name)
def test_sim_results_round_trip(path: Path, tmp_path: Path) -> None:
    original = read_sim_result(path).event
    fitted, _ = fit_for_folder(original)
    back = round_trip(fitted, tmp_path)
    assert back == folder_form(fitted)
    # fitting renames what the folder cannot hold (rFactor 2's `01~2`), and changes no result
    renamed = {e.number: f.number for e, f in zip(original.entries, fitted.entries, strict=True)}
    expected = [
        (sid, cid, laps, [(p, renamed.get(car, car), st, n, t) for p, car, st, n, t in rows])
        for sid, cid, laps, rows in results(original)
    ]
    assert results(back) == expected


@pytest.mark.skipif(not HAVE_ALKAMEL or not ALKAMEL, reason="Al Kamel reader or fixtures absent")
@pytest.mark.parametrize("path", ALKAMEL, ids=lambda p: p.name)
def test_alkamel_files_round_trip(path: Path, tmp_path: Path) -> None:
    from parcferme.formats.alkamel import read_alkamel

    original = read_alkamel(path).event
    fitted, notes = fit_for_folder(original)
    assert any("series" in note for note in notes)  # the file names no series: a placeholder, said
    back = round_trip(fitted, tmp_path)
    assert back == folder_form(fitted)
    assert results(back) == results(original)  # lap statuses dropped, recomputed from track status


def test_a_synthetic_race_with_sector_loops_and_pit_stops_comes_back_exactly(tmp_path: Path) -> None:
    race = generate_race(6, 20 * 60 * S, seed=5, lap_time=70 * S, pit_stops_every=3, retirements=1)
    event = Event(
        series="Synthetic",
        season=2024,
        round=2,
        name="Generated",
        circuit=Circuit("Nowhere", 4321),
        entries=race.entries,
        classifications=race.classifications,
        sessions=(SessionData(race.session, passings=race.passings),),
        rules=load_rule_set("wec"),
    )
    assert round_trip(event, tmp_path) == event


# --------------------------------------------------------------------------- what the folder normalises


def tricky_event() -> Event:
    """Text that needs escaping, µs times past midnight, a rule set of its own, and details the folder
    normalises (attribute case, lap statuses and starts, an unnamed session…)."""
    entries = (
        Entry(
            "007",
            (Driver("Anne-Marie", 'O\'Neil "Jr"', "IRL"), Driver("", "Solo")),
            team="Team, with comma",
            car='Car "quoted"\\ back',
            transponders=("A1", "B2"),
            attributes=MappingProxyType({"Sponsor": "  Big & Co ", "rookie": True, "championships": ("FR",)}),
        ),
        Entry("7", (Driver("Zoé", "Ñúñez"),), attributes=MappingProxyType({"class": "", "guest": True})),
    )
    rules = RuleSet(
        id="club-2024",
        name="Club\tCup",
        min_classified=Fraction(2, 3),
        min_classified_rounding=Rounding.CEIL,
        late_conversions=((DecisionKind.STOP_GO, 35_500_000), (DecisionKind.DRIVE_THROUGH, 20_000_001)),
        min_lap_time=30 * S,
        duplicate_window=250_000,
    )
    practice = Session("FP", SessionKind.PRACTICE, "", Schedule(DAY, 23 * 3600 * S, 90 * 60 * S), ("S1",))
    race = Session(
        "R",
        SessionKind.RACE,
        "Race — night",
        Schedule(DAY, 23 * 3600 * S + 1, 3600 * S + 7, 40, RaceEnd.TIME_PLUS_LAP),
        ("S1", "S-2"),
        GridRule("FP"),
    )
    laps = (
        Lap("007", 1, 0, 82_800_000_000 + 95 * S, 95 * S, (), True, False, frozenset({TrackStatus.SC})),
        Lap(
            "007", 3, 0, 82_800_000_000 + 190 * S + 1, 95 * S + 1, (40 * S, None), deleted="limits", driver=1
        ),
        Lap("7", 1, 0, 90_000 * S, 99 * S, (49 * S, 30 * S, 20 * S)),  # 25:00:00, the next morning
    )
    passings = (
        Passing(23 * 3600 * S + 90 * S, "SF", "007", "A1", 0),
        Passing(23 * 3600 * S + 91 * S + 123, "S-2", "7", "", -1),
        Passing(25 * 3600 * S, "PIT_IN", "007", "B2", 17),
    )
    decisions = (
        Decision(
            "other", "007", DecisionKind.STOP_GO, 'Unsafe "release"\nline two', "D1", "23:50", 10 * S + 5
        ),
        Decision("R", "7", DecisionKind.GRID_DROP, "Gearbox", places=5),
        Decision("R", "7", DecisionKind.DRIVE_THROUGH, "Speeding", served=True),
    )
    status = (
        TrackStatusPeriod(TrackStatus.CODE60, 23 * 3600 * S + 5, 23 * 3600 * S + 60 * S, " Oil, lots "),
    )
    return Event(
        series='The "Series" \\ \x01',
        season=2024,
        round=0,
        name="Ünïcode ✓",
        circuit=Circuit("Dijon-Prenois"),
        entries=entries,
        classifications=(
            Classification(
                "sponsored", MappingProxyType({"en": "Sponsored"}), MappingProxyType({"Sponsor": "Big & Co"})
            ),
            Classification("rookies", require=MappingProxyType({"rookie": True})),
        ),
        sessions=(
            SessionData(practice, laps=laps[:2]),
            SessionData(race, passings=passings, track_status=status, decisions=decisions),
            SessionData(dataclasses.replace(race, id="R2", grid=None), laps=laps[2:]),
        ),
        rules=rules,
    )


def test_normalisations_are_exactly_folder_form(tmp_path: Path) -> None:
    event = tricky_event()
    back = round_trip(event, tmp_path)
    assert back == folder_form(event)
    assert back != event
    assert back.rules == dataclasses.replace(
        event.rules, late_conversions=tuple(reversed(event.rules.late_conversions))
    )
    assert back.series == event.series and back.name == event.name  # escapes come back as they were
    expected = {"sponsor": "Big & Co", "rookie": True, "guest": False, "championships": ("FR",)}
    assert back.entries[0].attributes == expected
    assert back.entries[1].attributes == {"guest": True, "rookie": False}  # the column gives every car one
    assert back.sessions[0].session.name == "FP"
    assert back.sessions[0].laps is not None and back.sessions[0].laps[0].sectors == (None, None)
    assert back.sessions[1].decisions[0].session == "R"
    assert (tmp_path / "event" / RULES_FILE).is_file()


def test_toml_values() -> None:
    assert toml_string('a "b" \\ c\n\t\x7f é') == '"a \\"b\\" \\\\ c\\n\\t\\u007F é"'
    assert seconds_text(5 * S) == "5"
    assert seconds_text(2_500_000) == "2.5"
    assert seconds_text(20_000_001) == "20.000001"


# ------------------------------------------------------------------------------ what the folder refuses


def base_event() -> Event:
    return read_event(MINI)


def with_entry(event: Event, index: int, **changes: object) -> Event:
    entries = list(event.entries)
    entries[index] = dataclasses.replace(entries[index], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(event, entries=tuple(entries))


def with_session(event: Event, index: int, **changes: object) -> Event:
    sessions = list(event.sessions)
    sessions[index] = dataclasses.replace(sessions[index], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(event, sessions=tuple(sessions))


def bad_events() -> dict[str, tuple[Event, str]]:
    """Events the folder cannot hold, each with (a pattern of) the error it gives."""
    e = base_event()
    fp, q1, r1, r2 = e.sessions
    assert fp.laps is not None
    race = r1.session
    first_passing = q1.passings[0]
    return {
        "car number": (with_entry(e, 0, number="1~2"), r"car number '1~2'"),
        "transponder twice": (with_entry(e, 1, transponders=("1001",)), r"transponder '1001'"),
        "driver without last name": (with_entry(e, 0, drivers=(Driver("Léa", ""),)), "Last, First"),
        "boolean attribute": (with_entry(e, 0, attributes=MappingProxyType({"pro": True})), "'pro'"),
        "list attribute": (with_entry(e, 0, attributes=MappingProxyType({"class": ("A", "B")})), "'class'"),
        "attributes by case": (
            with_entry(e, 0, attributes=MappingProxyType({"Class": "B", "class": "A"})),
            "same column",
        ),
        "empty series": (dataclasses.replace(e, series=" "), "series"),
        "lap below minimum": (
            with_session(e, 0, laps=(fp.laps[0]._replace(time=10 * S), *fp.laps[1:])),
            "below the rules' minimum",
        ),
        "lap numbers": (with_session(e, 0, laps=(fp.laps[1], fp.laps[0], *fp.laps[2:])), "must increase"),
        "passing before start": (
            with_session(e, 1, passings=(first_passing._replace(time=q1.session.schedule.start - 1),)),
            "before the session starts",
        ),
        "passing of another car's transponder": (
            with_session(e, 1, passings=(first_passing._replace(transponder="2007"),)),
            "transponder '2007'",
        ),
        "passing on an unknown line": (
            with_session(e, 1, passings=(first_passing._replace(line="S9"),)),
            "unknown timing line",
        ),
        "laps and passings": (with_session(e, 1, laps=fp.laps), "not both"),
        "stray quantity": (
            with_session(
                e, 2, decisions=(Decision("R1", "1", DecisionKind.DRIVE_THROUGH, "Speeding", lap=3),)
            ),
            "'lap' does not apply",
        ),
        "no reason": (
            with_session(e, 2, decisions=(Decision("R1", "1", DecisionKind.REPRIMAND, " "),)),
            "reason",
        ),
        "race without distance": (
            with_session(e, 3, session=dataclasses.replace(r2.session, schedule=Schedule(DAY, 0))),
            "a race needs",
        ),
        "grid of a practice": (
            with_session(e, 0, session=dataclasses.replace(fp.session, grid=race.grid)),
            "grid applies to races only",
        ),
        "grid from a later session": (dataclasses.replace(e, sessions=(r1, fp, q1, r2)), "defined before"),
        "rules id": (dataclasses.replace(e, rules=RuleSet(id="Not An Id")), "rule-set id"),
        "rules without stop-go": (
            dataclasses.replace(
                e, rules=RuleSet(id="x", late_conversions=((DecisionKind.DRIVE_THROUGH, S),))
            ),
            "drive-through and for a stop-go",
        ),
    }


@pytest.mark.parametrize("problem", sorted(bad_events()))
def test_an_event_the_folder_cannot_hold_writes_nothing(problem: str, tmp_path: Path) -> None:
    event, pattern = bad_events()[problem]
    with pytest.raises(InputError, match=pattern) as caught:
        write_event_folder(event, tmp_path / "out")
    assert caught.value.source is not None and caught.value.source.startswith("out/")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_does_not_read_back_is_never_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = event_folder_writer.event_folder_files

    def broken(event: Event, name: str = "event") -> dict[str, str]:
        files = real(event, name)
        files["entries.csv"] += '1,"Again, Léa",,,,,,,,,\n'  # a car entered twice: the read-back check fails
        return files

    monkeypatch.setattr(event_folder_writer, "event_folder_files", broken)
    with pytest.raises(InputError, match="does not read back") as caught:
        write_event_folder(base_event(), tmp_path / "out")
    assert caught.value.source == "out/entries.csv"  # named after the target, not the temporary folder
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_replaced_only_when_asked(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_event_folder(base_event(), out)
    with pytest.raises(InputError, match="not empty"):
        write_event_folder(load_spa2017(), out)
    assert read_event(out) == base_event()
    write_event_folder(load_spa2017(), out, overwrite=True)
    assert read_event(out) == load_spa2017()
    assert not (out / "sessions" / "FP").exists()  # replaced as a whole, never merged
    assert leftovers(tmp_path) == []


def test_an_empty_folder_is_filled(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_event_folder(base_event(), out)
    assert read_event(out) == base_event()


# ----------------------------------------------------------------------- fitting an imported event to it


def test_fitting_moves_the_start_before_laps_run_before_it(tmp_path: Path) -> None:
    """ACC places a race's first laps before the start signal: the start moves back, the duration grows
    as much, and every race time grows by the same amount (order and gaps unchanged)."""
    event = base_event()
    fp = event.sessions[0]
    assert fp.laps is not None
    session = fp.session
    race = dataclasses.replace(
        session,
        id="R",
        kind=SessionKind.RACE,
        schedule=dataclasses.replace(session.schedule, start=fp.laps[0].end + S, duration=3600 * S),
    )
    original = dataclasses.replace(event, sessions=(dataclasses.replace(fp, session=race),))
    fitted, notes = fit_for_folder(original)
    assert any("start is moved back" in note for note in notes)
    schedule = fitted.sessions[0].session.schedule
    shift = race.schedule.start - schedule.start
    assert shift > 0 and schedule.duration == 3600 * S + shift
    before, after = results(original), results(round_trip(fitted, tmp_path))
    for (sid, cid, laps, rows), (sid2, cid2, laps2, rows2) in zip(before, after, strict=True):
        assert (sid, cid, laps) == (sid2, cid2, laps2)
        assert [r[:4] for r in rows] == [r[:4] for r in rows2]
        assert {b[4] - a[4] for a, b in zip(rows, rows2, strict=True) if a[4] is not None} == {shift}


def test_fitting_lowers_the_minimum_lap_time_for_lap_by_lap_timing(tmp_path: Path) -> None:
    event = base_event()
    fp = event.sessions[0]
    assert fp.laps is not None
    short = (fp.laps[0]._replace(time=12_345_678, start=fp.laps[0].end - 12_345_678), *fp.laps[1:])
    only_laps = dataclasses.replace(event, sessions=(dataclasses.replace(fp, laps=short),))
    fitted, notes = fit_for_folder(only_laps)
    assert fitted.rules.min_lap_time == 12_345_000 and any("rules.toml" in note for note in notes)
    assert round_trip(fitted, tmp_path).sessions[0].laps == folder_form(fitted).sessions[0].laps
    assert results(fitted) == results(only_laps)
    # with passings in the event the minimum builds laps: the short lap is left out instead
    with_passings = dataclasses.replace(
        event, sessions=(dataclasses.replace(fp, laps=short), *event.sessions[1:])
    )
    fitted, notes = fit_for_folder(with_passings)
    assert fitted.rules == event.rules and any("below the rules' minimum" in note for note in notes)


def test_fitting_gives_a_race_without_distance_the_laps_run(tmp_path: Path) -> None:
    event = base_event()
    r1 = event.sessions[2]
    open_race = dataclasses.replace(
        r1.session, schedule=Schedule(r1.session.schedule.date, r1.session.schedule.start)
    )
    original = dataclasses.replace(
        event, sessions=(*event.sessions[:2], dataclasses.replace(r1, session=open_race))
    )
    fitted, notes = fit_for_folder(original)
    crossings = max(sum(p.line == "SF" and p.car == e.number for p in r1.passings) for e in event.entries)
    assert fitted.sessions[2].session.schedule.laps == crossings  # the busiest car's crossings of the Line
    assert any("no race distance" in note for note in notes)
    assert results(round_trip(fitted, tmp_path)) == results(original)


def test_fitting_an_event_the_folder_holds_changes_nothing() -> None:
    event = load_spa2017()
    assert fit_for_folder(event) == (event, [])
