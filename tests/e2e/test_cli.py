"""The command line in a subprocess: exit statuses, stdout/stderr, the three formats, atomic --output."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from parcferme.formats.results_csv import COLUMNS
from parcferme.formats.results_json import SCHEMA
from parcferme.model.time import Gap as GapValue
from parcferme.model.time import format_gap, format_time

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "mini-event"
SESSIONS = ["FP", "Q1", "R1", "R2"]
CLASSIFICATIONS = ["overall", "fr", "b", "rookie"]


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m parcferme ARGS` with the interpreter running the tests (the project's venv)."""
    return subprocess.run(
        [sys.executable, "-m", "parcferme", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=180,
        cwd=cwd,
        check=False,
    )


def broken_event(tmp_path: Path) -> Path:
    """A copy of the fixture whose entries.csv has a row with a car number missing."""
    event = tmp_path / "broken-event"
    shutil.copytree(FIXTURE, event)
    entries = event / "entries.csv"
    entries.write_text(
        entries.read_text(encoding="utf-8-sig") + ',"Nobody, Anna",FRA,Team X,Porsche,9999,,no,no,FR,\n',
        encoding="utf-8",
    )
    return event


@pytest.fixture(scope="module")
def json_doc() -> dict[str, Any]:
    done = run("classify", FIXTURE, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    doc: dict[str, Any] = json.loads(done.stdout)
    return doc


# ── classify ───────────────────────────────────────────────────────────────────────────────────────────


def test_classify_table() -> None:
    done = run("classify", FIXTURE)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Porsche Carrera Cup France 2017 · Round 1")
    for title in ("Free practice — Overall", "Qualifying — Rookies", "Race 1 — French championship"):
        assert title in out
    assert "Pole: 2:22.773 — No 1 Léa Durand" in out
    assert "Penalty: No 1 Léa Durand — 5 s time penalty" in out
    assert "\x1b[" not in out  # no colour codes when stdout is not a terminal


def test_classify_json_matches_the_schema(json_doc: dict[str, Any]) -> None:
    assert json_doc["schema"] == SCHEMA
    assert set(json_doc["event"]) == {"series", "season", "round", "name", "circuit"}
    assert json_doc["event"]["circuit"] == {"name": "Circuit de Spa-Francorchamps", "length_m": 7004}
    assert [s["id"] for s in json_doc["sessions"]] == SESSIONS
    for session in json_doc["sessions"]:
        assert session["kind"] in ("practice", "qualifying", "race")
        assert isinstance(session["warnings"], int)
        assert (session["grid"] is not None) == (session["kind"] == "race")
        assert [c["id"] for c in session["classifications"]] == CLASSIFICATIONS
        for classification in session["classifications"]:
            assert isinstance(classification["names"]["en"], str)
            assert all(isinstance(n, int) for n in classification["neutralised_laps"])
            _check_timed(classification["fastest_lap"], "text")
            for row in classification["rows"]:
                _check_row(row)


def _check_timed(value: dict[str, Any] | None, text_key: str) -> None:
    if value is None:
        return
    assert isinstance(value["time_us"], int)
    assert value[text_key] == format_time(value["time_us"])


def _check_row(row: dict[str, Any]) -> None:
    assert isinstance(row["car"], str)
    assert row["status"] in ("classified", "NC", "DNF", "DNS", "DSQ", "EXCL")
    assert (row["position"] is None) == (row["status"] != "classified")
    assert all(isinstance(d, str) for d in row["drivers"]) and row["drivers"]
    assert isinstance(row["laps"], int) and isinstance(row["penalty_time_us"], int)
    if row["time_us"] is None:
        assert row["time"] is None
    else:
        _check_timed(row, "time")
    _check_timed(row["best_lap"], "text")
    for key in ("gap", "interval"):
        gap = row[key]
        if gap is not None:
            assert gap["text"] == format_gap(GapValue(gap["laps"], gap["time_us"]))


def test_classify_json_content(json_doc: dict[str, Any]) -> None:
    r1 = json_doc["sessions"][2]
    overall = r1["classifications"][0]
    winner, second = overall["rows"][:2]
    assert (second["car"], second["penalty_time_us"], second["drivers"]) == ("1", 5_000_000, ["Léa Durand"])
    assert winner["position"] == 1 and winner["gap"] is None
    assert overall["fastest_lap"]["text"] == "2:23.998"
    b = r1["classifications"][2]
    assert [r["car"] for r in b["rows"]] == ["25"]
    assert b["rows"][0]["drivers"] == ["Hugo Moreau", "Jules Petit"]


def test_classify_csv_with_filters() -> None:
    done = run("classify", FIXTURE, "--session", "R1", "--classification", "fr", "--format", "csv")
    assert done.returncode == 0, done.stderr
    reader = csv.DictReader(io.StringIO(done.stdout))
    assert tuple(reader.fieldnames or ()) == COLUMNS
    rows = list(reader)
    assert {(r["session"], r["classification"]) for r in rows} == {("R1", "fr")}
    assert [r["position"] for r in rows] == ["1", "2", "3"]
    assert "7" not in [r["number"] for r in rows]  # the guest is not in the French championship


def test_output_file_is_what_stdout_would_be(tmp_path: Path, json_doc: dict[str, Any]) -> None:
    target = tmp_path / "results.json"
    done = run("classify", FIXTURE, "--format", "json", "--output", target)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8")) == json_doc
    table = tmp_path / "results.txt"
    assert run("classify", FIXTURE, "--session", "Q1", "-o", table).returncode == 0
    text = table.read_text(encoding="utf-8")
    assert "Qualifying — Overall" in text and "Race 1" not in text
    assert all(line == line.rstrip() for line in text.splitlines())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.json", "results.txt"]


# ── errors ─────────────────────────────────────────────────────────────────────────────────────────────


def test_invalid_event_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    event = broken_event(tmp_path)
    target = tmp_path / "out.csv"
    done = run("classify", event, "--format", "csv", "--output", target)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("parcferme: error: ") and "entries.csv" in lines[0]
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken-event"]


def test_error_leaves_an_existing_output_untouched(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    target.write_text("previous\n")
    done = run("classify", broken_event(tmp_path), "--format", "json", "-o", target)
    assert done.returncode == 2
    assert target.read_text() == "previous\n"


@pytest.mark.parametrize(
    ("option", "value", "valid"),
    [("--session", "R9", "FP, Q1, R1, R2"), ("--classification", "gentlemen", "overall, fr, b, rookie")],
)
def test_unknown_id_lists_the_valid_ones(option: str, value: str, valid: str) -> None:
    done = run("classify", FIXTURE, option, value)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"parcferme: error: unknown {option[2:]} '{value}' (valid: {valid})",
    ]


def test_timing_warnings_go_to_stderr(tmp_path: Path) -> None:
    event = tmp_path / "event"
    shutil.copytree(FIXTURE, event)
    passings = event / "sessions" / "R1" / "passings.csv"
    # the same Line crossing reported twice, 0.2 s apart: the lap builder keeps one and warns
    passings.write_text(passings.read_text(encoding="utf-8") + "11:02:30.700,SF,1001,1\n", encoding="utf-8")
    done = run("classify", event, "--session", "R1", "--format", "csv")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines and all(line.startswith("warning: ") for line in lines)
    assert lines[0] == "warning: R1: 1 timing warning (data set aside)"
    assert lines[1].startswith("warning: R1: car 1 at 11:02:30.700") and lines[1].endswith("[duplicate]")
    assert done.stdout.startswith("session,")


def test_version_and_console_script() -> None:
    done = run("--version")
    assert done.returncode == 0 and done.stdout.startswith("parcferme, version ")
    script = Path(sys.executable).parent / "parcferme"
    if not script.exists():
        pytest.skip("no parcferme console script beside this interpreter")
    done = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and "classify" in done.stdout and "demo" in done.stdout


# ── demo ───────────────────────────────────────────────────────────────────────────────────────────────


def test_demo(tmp_path: Path) -> None:
    done = run("demo", "--out", tmp_path / "pack")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "pack" / "report-fr.html").is_file() and (tmp_path / "pack" / "report-en.md").is_file()
    assert len(list((tmp_path / "pack").glob("*.pdf"))) > 50
    out = done.stdout
    assert "Andlauer" in out
    assert "2:22.773" in out  # pole
    assert "2:23.998" in out  # race-1 fastest lap
    assert "Penalty: No " in out  # the race-1 time penalty
    assert "Safety car: lap" in out  # race 2


def test_report_of_an_invalid_event_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "pack"
    done = run("report", broken_event(tmp_path), "--out", out)
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("parcferme: error: ") and "entries.csv" in line
    assert not out.exists()


def test_report_of_the_fixture_event_in_one_language(tmp_path: Path) -> None:
    out = tmp_path / "pack"
    done = run("report", FIXTURE, "--out", out, "--lang", "en", "--published", "2017-05-21 18:00")
    assert done.returncode == 0, done.stderr
    names = {p.name for p in out.iterdir()}
    assert {"report-en.md", "report-en.html", "R1-results.csv", "R1-03-classification-en.pdf"} <= names
    assert not any(name.endswith("-fr.pdf") for name in names)
    assert "De Smet won Race 1" in (out / "report-en.md").read_text(encoding="utf-8")
