"""Result writers (JSON, CSV), the atomic file writer and the rich sheets, on hand-built results."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import stat
from pathlib import Path
from types import MappingProxyType

import pytest

from parcferme.engine import SessionOutcome
from parcferme.errors import ParcFermeError
from parcferme.formats import atomic
from parcferme.formats.atomic import write_atomic
from parcferme.formats.results_csv import COLUMNS, results_to_csv
from parcferme.formats.results_json import SCHEMA, results_document, results_to_json
from parcferme.model import (
    OVERALL,
    BestLap,
    Circuit,
    Classification,
    Decision,
    DecisionKind,
    Driver,
    Entry,
    Event,
    Gap,
    Grid,
    GridSlot,
    ResultRow,
    RuleSet,
    Schedule,
    Session,
    SessionData,
    SessionKind,
    SessionResult,
    Status,
    TimingWarning,
    TrackStatus,
    TrackStatusPeriod,
)
from parcferme.report.tables import _lap_ranges, grid_table, render_results_text

DOCS = Path(__file__).resolve().parents[2] / "docs" / "output-format.md"
S = 1_000_000


def _entry(number: str, first: str, last: str, team: str, **attributes: object) -> Entry:
    return Entry(
        number=number,
        drivers=(Driver(first, last, "FRA"),),
        team=team,
        attributes=MappingProxyType(dict(attributes)),  # type: ignore[arg-type]
    )


ENTRIES = (
    _entry("1", "Julien", "Andlauer", "Martinet by Alméras", championships=("FR",)),
    _entry("15", "Dylan", "Derdaele", "Entrant team", championships=("BNL",)),
    _entry("2", "Florian", "Latorre", "Martinet by Alméras", championships=("FR",)),
    _entry("007", "Nicolas", "Misslin", "Martinet by Alméras", championships=("FR",), **{"class": "B"}),
)
FR = Classification(
    id="fr",
    names=MappingProxyType({"en": "French championship", "fr": "Championnat de France"}),
    require=MappingProxyType({"championships": "FR"}),
)
H, M = 3600 * S, 60 * S
Q = Session("Q", SessionKind.QUALIFYING, "Qualifying", Schedule(dt.date(2017, 5, 5), 10 * H, 30 * M))
R1 = Session("R1", SessionKind.RACE, "Race 1", Schedule(dt.date(2017, 5, 6), 15 * H + 5 * M, 30 * M))
DECISION = Decision("R1", "1", DecisionKind.TIME_PENALTY, "overshot his grid slot", "Doc 12", time=5 * S)
EVENT = Event(
    series="Porsche Carrera Cup France",
    season=2017,
    round=1,
    name="Spa",
    circuit=Circuit("Spa-Francorchamps", 7004),
    entries=ENTRIES,
    classifications=(FR,),
    sessions=(
        SessionData(Q, track_status=(TrackStatusPeriod(TrackStatus.RED, 10 * H + 26 * M),)),
        SessionData(
            R1,
            track_status=(TrackStatusPeriod(TrackStatus.SC, 15 * H + 10 * M, 15 * H + 15 * M),),
            decisions=(DECISION,),
        ),
    ),
    rules=RuleSet(id="test"),
)

WINNER_TIME = 29 * 60 * S + 1_234_567  # 29:01.234567 → shown 29:01.234 (truncated)
R1_OVERALL = SessionResult(
    session="R1",
    classification=OVERALL,
    rows=(
        ResultRow(
            position=1,
            car="1",
            status=Status.CLASSIFIED,
            laps=12,
            time=WINNER_TIME,
            best_lap=BestLap("1", 5, 143_998_999),
            grid=1,
            positions_gained=0,
            laps_led=12,
            penalty_time=5 * S,
            penalties=("5 s time penalty: overshot his grid slot",),
        ),
        ResultRow(
            position=2,
            car="15",
            status=Status.CLASSIFIED,
            laps=12,
            time=WINNER_TIME + 2_500_000,
            gap=Gap(0, 2_500_000),
            interval=Gap(0, 2_500_000),
            best_lap=BestLap("15", 7, 144_100_000),
            grid=3,
            positions_gained=1,
        ),
        ResultRow(
            position=3,
            car="2",
            status=Status.CLASSIFIED,
            laps=11,
            time=WINNER_TIME + 10 * S,
            gap=Gap(1, 150 * S),
            interval=Gap(1, 147 * S),
            best_lap=BestLap("2", 3, 145_000_000),
            grid=None,
            pit_lane_start=True,
        ),
        ResultRow(position=None, car="007", status=Status.DNF, laps=1, time=None, grid=2),
    ),
    fastest_lap=BestLap("1", 5, 143_998_999),
    laps_completed=12,
    neutralised_laps=(2, 3),
)
R1_FR = SessionResult(
    session="R1",
    classification="fr",
    rows=(
        ResultRow(
            position=1, car="1", status=Status.CLASSIFIED, laps=12, time=WINNER_TIME, overall_position=1
        ),
        ResultRow(
            position=2,
            car="2",
            status=Status.CLASSIFIED,
            laps=11,
            time=WINNER_TIME + 10 * S,
            gap=Gap(1, 150 * S),
            interval=Gap(1, 150 * S),
            overall_position=3,
        ),
        ResultRow(position=None, car="007", status=Status.DNF, laps=1, time=None),
    ),
    fastest_lap=BestLap("1", 5, 143_998_999),
    laps_completed=12,
    neutralised_laps=(2, 3),
)
Q_OVERALL = SessionResult(
    session="Q",
    classification=OVERALL,
    rows=(
        ResultRow(1, "1", Status.CLASSIFIED, 6, 142_773_000, best_lap=BestLap("1", 4, 142_773_000)),
        ResultRow(
            2,
            "2",
            Status.CLASSIFIED,
            6,
            143_001_000,
            gap=Gap(0, 228_000),
            interval=Gap(0, 228_000),
            best_lap=BestLap("2", 5, 143_001_000),
        ),
    ),
    fastest_lap=BestLap("1", 4, 142_773_000),
)
GRID = Grid("R1", (GridSlot(1, "1", 142_773_000), GridSlot(2, "007", None, note="no time set")))
OUTCOMES = (
    SessionOutcome(Q, (), (), None, MappingProxyType({OVERALL: Q_OVERALL})),
    SessionOutcome(
        R1,
        (),
        (TimingWarning("15", 0, "duplicate", "two crossings 0.2 s apart"),),
        GRID,
        MappingProxyType({OVERALL: R1_OVERALL, "fr": R1_FR}),
    ),
)


# ── JSON ───────────────────────────────────────────────────────────────────────────────────────────────

ROW_KEYS = [
    "position",
    "overall_position",
    "car",
    "drivers",
    "team",
    "status",
    "laps",
    "time_us",
    "time",
    "gap",
    "interval",
    "best_lap",
    "second_best",
    "grid",
    "pit_lane_start",
    "positions_gained",
    "laps_led",
    "penalty_time_us",
    "penalties",
]


def test_json_document_header_and_sessions() -> None:
    doc = json.loads(results_to_json(EVENT, OUTCOMES))
    assert list(doc) == ["schema", "event", "sessions"]
    assert doc["schema"] == SCHEMA == "parcferme.results/1"
    assert doc["event"] == {
        "series": "Porsche Carrera Cup France",
        "season": 2017,
        "round": 1,
        "name": "Spa",
        "circuit": {"name": "Spa-Francorchamps", "length_m": 7004},
    }
    q, r1 = doc["sessions"]
    assert list(r1) == ["id", "kind", "name", "date", "start", "warnings", "grid", "classifications"]
    assert (r1["id"], r1["kind"], r1["name"], r1["date"], r1["start"]) == (
        "R1",
        "race",
        "Race 1",
        "2017-05-06",
        "15:05:00.000",
    )
    assert r1["warnings"] == 1 and q["warnings"] == 0
    assert q["grid"] is None
    assert r1["grid"][1] == {
        "position": 2,
        "car": "007",
        "drivers": ["Nicolas Misslin"],
        "time_us": None,
        "time": None,
        "pit_lane": False,
        "note": "no time set",
    }
    assert [c["id"] for c in r1["classifications"]] == ["overall", "fr"]
    fr = r1["classifications"][1]
    assert fr["names"] == {"en": "French championship", "fr": "Championnat de France"}
    assert fr["neutralised_laps"] == [2, 3]
    assert fr["fastest_lap"] == {
        "car": "1",
        "drivers": ["Julien Andlauer"],
        "lap": 5,
        "time_us": 143_998_999,
        "text": "2:23.998",
    }


def test_json_rows_carry_exact_and_formatted_times() -> None:
    doc = results_document(EVENT, OUTCOMES)
    assert json.loads(json.dumps(doc)) == json.loads(results_to_json(EVENT, OUTCOMES))
    rows = json.loads(results_to_json(EVENT, OUTCOMES))["sessions"][1]["classifications"][0]["rows"]
    winner, second, lapped, dnf = rows
    assert list(winner) == ROW_KEYS
    assert winner["time_us"] == WINNER_TIME and winner["time"] == "29:01.234"
    assert winner["gap"] is None and winner["interval"] is None
    assert winner["best_lap"] == {"lap": 5, "time_us": 143_998_999, "text": "2:23.998"}
    assert winner["penalty_time_us"] == 5 * S
    assert winner["penalties"] == ["5 s time penalty: overshot his grid slot"]
    assert winner["team"] == "Martinet by Alméras" and winner["laps_led"] == 12
    assert second["gap"] == {"laps": 0, "time_us": 2_500_000, "text": "+2.500"}
    assert lapped["gap"] == {"laps": 1, "time_us": 150 * S, "text": "+1 Lap"}
    assert lapped["grid"] is None and lapped["pit_lane_start"] is True
    assert dnf["position"] is None and dnf["status"] == "DNF" and dnf["time"] is None
    assert dnf["car"] == "007"  # car numbers stay strings


def test_json_is_deterministic_and_keeps_accents() -> None:
    first = results_to_json(EVENT, OUTCOMES)
    assert first == results_to_json(EVENT, OUTCOMES)
    assert "Alméras" in first  # not \u00e9
    assert first.endswith("}\n")


def test_json_classification_filter() -> None:
    doc = json.loads(results_to_json(EVENT, OUTCOMES, classification="fr"))
    q, r1 = doc["sessions"]
    assert q["classifications"] == []  # Q has no "fr" result here
    assert [c["id"] for c in r1["classifications"]] == ["fr"]
    assert [r["overall_position"] for r in r1["classifications"][0]["rows"]] == [1, 3, None]


def test_json_unknown_car_is_written_without_names() -> None:
    result = SessionResult("Q", OVERALL, (ResultRow(1, "99", Status.CLASSIFIED, 1, 150 * S),))
    outcome = SessionOutcome(Q, (), (), None, MappingProxyType({OVERALL: result}))
    row = json.loads(results_to_json(EVENT, [outcome]))["sessions"][0]["classifications"][0]["rows"][0]
    assert row["drivers"] == [] and row["team"] == ""


# ── CSV ────────────────────────────────────────────────────────────────────────────────────────────────


def test_csv_columns_and_rows() -> None:
    text = results_to_csv(EVENT, OUTCOMES)
    reader = csv.DictReader(io.StringIO(text))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    rows = list(reader)
    assert len(rows) == 2 + 4 + 3
    assert [r["session"] for r in rows] == ["Q"] * 2 + ["R1"] * 7
    winner = rows[2]
    assert winner == {
        "session": "R1",
        "classification": "overall",
        "position": "1",
        "number": "1",
        "drivers": "Julien Andlauer",
        "team": "Martinet by Alméras",
        "status": "classified",
        "laps": "12",
        "time": "29:01.234",
        "gap": "",
        "interval": "",
        "best_lap": "2:23.998",
        "best_lap_no": "5",
        "grid": "1",
        "gained": "0",
        "laps_led": "12",
        "penalty": "5.000",
    }
    assert rows[3]["gap"] == "+2.500" and rows[3]["gained"] == "1"
    assert rows[4]["gap"] == "+1 Lap" and rows[4]["grid"] == "pit"
    assert rows[5]["status"] == "DNF" and rows[5]["position"] == "" and rows[5]["number"] == "007"
    assert [r["classification"] for r in rows[6:]] == ["fr"] * 3


def test_csv_filter_quotes_and_line_ends() -> None:
    entries = (Entry("9", (Driver("A", "One"), Driver("B", "Two")), team='Team "Quote", Ltd'),)
    event = Event("S", 2020, 1, "E", Circuit("C"), entries, (), (), RuleSet(id="t"))
    result = SessionResult("Q", OVERALL, (ResultRow(1, "9", Status.CLASSIFIED, 3, 61 * S),))
    outcome = SessionOutcome(Q, (), (), None, MappingProxyType({OVERALL: result}))
    text = results_to_csv(event, [outcome], classification=OVERALL)
    assert "\r" not in text
    (row,) = csv.DictReader(io.StringIO(text))
    assert row["drivers"] == "A One / B Two"
    assert row["team"] == 'Team "Quote", Ltd'
    assert row["time"] == "1:01.000"
    assert results_to_csv(event, [outcome], classification="fr") == ",".join(COLUMNS) + "\n"


def test_docs_list_the_csv_columns_and_json_keys() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for column in COLUMNS:
        assert f"`{column}`" in docs, column
    for key in ROW_KEYS:
        assert f"`{key}`" in docs, key
    assert SCHEMA in docs


# ── atomic writer ──────────────────────────────────────────────────────────────────────────────────────


def test_write_atomic_creates_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_atomic(target, "first\n")
    assert target.read_text() == "first\n"
    os.chmod(target, 0o640)
    write_atomic(target, "é second\n")
    assert target.read_text(encoding="utf-8") == "é second\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_write_atomic_failure_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old\n")

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", broken_replace)
    with pytest.raises(ParcFermeError, match=r"cannot write .*out\.csv: No space left on device"):
        write_atomic(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_write_atomic_missing_directory_is_a_parcferme_error(tmp_path: Path) -> None:
    with pytest.raises(ParcFermeError, match="cannot write"):
        write_atomic(tmp_path / "missing" / "out.txt", "x")


# ── tables ─────────────────────────────────────────────────────────────────────────────────────────────


def test_text_sheets() -> None:
    text = render_results_text(EVENT, OUTCOMES)
    assert text.startswith("Porsche Carrera Cup France 2017 · Round 1 · Spa · Spa-Francorchamps (7.004 km)")
    assert "Race 1 (R1) · 2017-05-06 15:05 · 30 min" in text
    assert "Race 1 — Overall" in text and "Race 1 — French championship" in text
    assert "Fastest lap: 2:23.998 — No 1 Julien Andlauer (lap 5)" in text
    assert "Pole: 1:01.000" not in text and "Pole: 2:22.773 — No 1 Julien Andlauer" in text
    assert "Safety car: laps 2–3" in text
    assert "Red flag: 10:26:00" in text
    assert "Penalty: No 1 Julien Andlauer — 5 s time penalty: overshot his grid slot" in text
    assert "29:01.234" in text and "+1 Lap" in text and "+5.000" in text
    assert "\x1b" not in text
    for line in text.splitlines():
        assert len(line) <= 120
    assert text == render_results_text(EVENT, OUTCOMES)


def test_text_sheet_of_one_classification_has_overall_positions() -> None:
    text = render_results_text(EVENT, OUTCOMES[1:], classification="fr")
    assert "Overall" not in text and "Ovr" in text
    assert "Derdaele" not in text
    assert "Safety car: laps 2–3" in text  # the session's notes stay when the overall table is left out


def test_markup_in_names_is_printed_verbatim() -> None:
    entries = (Entry("5", (Driver("[bold]Al", "Bracket[/]"),), team="[red]T"),)
    event = Event("S", 2020, 1, "E", Circuit("C"), entries, (), (), RuleSet(id="t"))
    result = SessionResult("Q", OVERALL, (ResultRow(1, "5", Status.CLASSIFIED, 3, 61 * S),))
    outcome = SessionOutcome(Q, (), (), None, MappingProxyType({OVERALL: result}))
    text = render_results_text(event, [outcome])
    assert "[bold]Al Bracket[/]" in text and "[red]T" in text


def test_grid_table() -> None:
    from rich.console import Console

    console = Console(file=io.StringIO(), width=100, color_system=None)
    console.print(grid_table(EVENT, GRID, title="Race 1 — Starting grid"))
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "Julien Andlauer" in text and "2:22.773" in text and "no time set" in text


@pytest.mark.parametrize(
    ("laps", "text"),
    [((7,), "lap 7"), ((2, 3, 4), "laps 2–4"), ((9, 2, 3), "laps 2–3, 9"), ((3, 3), "lap 3")],
)
def test_lap_ranges(laps: tuple[int, ...], text: str) -> None:
    assert _lap_ranges(laps) == text


def test_narrow_sheet_leaves_out_team_and_details() -> None:
    text = render_results_text(EVENT, OUTCOMES, width=80)
    assert "Team" not in text and "Martinet" not in text and "Led" not in text
    assert "Julien Andlauer" in text and "+5.000" in text and "Grid" in text
    assert all(len(line) <= 80 for line in text.splitlines())
