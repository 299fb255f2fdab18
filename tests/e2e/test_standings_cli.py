"""`parcferme standings` and `parcferme import ergast` end to end, through the click command objects.

The commands are invoked with click's CliRunner (the CLI group mounts them; the last test runs
`python -m parcferme standings` in a subprocess once it does). Sources: the Ergast fixture
(tests/fixtures/ergast-mini), its cache, the Spa 2017 demo event folder, and a series folder of two events.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from parcferme.commands.standings import import_ergast_command, standings
from parcferme.commands.standings_output import CSV_COLUMNS, SCHEMA

ROOT = Path(__file__).resolve().parents[2]
ERGAST = ROOT / "tests" / "fixtures" / "ergast-mini"
SPA = ROOT / "src" / "parcferme" / "demo" / "spa-2017"
MINI_EVENT = ROOT / "tests" / "fixtures" / "mini-event"


def invoke(*args: str | Path) -> Result:
    return CliRunner().invoke(standings, [str(a) for a in args], catch_exceptions=False)


def as_json(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    assert doc["schema"] == SCHEMA
    return doc


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cache") / "mini.pfcache"
    result = CliRunner().invoke(import_ergast_command, [str(ERGAST), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}\n"
    return out


# ── Ergast ─────────────────────────────────────────────────────────────────────────────────────────────


def test_ergast_folder_every_season_as_a_table() -> None:
    result = invoke(ERGAST)
    assert result.exit_code == 0, result.output
    titles = [line for line in result.stdout.splitlines() if " — overall, " in line]
    f1 = "FIA Formula One World Championship"
    assert titles == [
        f"{f1} 1955 — overall, drivers — after round 2 (Monaco Grand Prix), final",
        f"{f1} 2021 — overall, drivers — after round 1 (British Grand Prix)",
    ]  # 2025 has no round held yet: no table
    assert re.search(r"^\s+1\s+Lewis Hamilton\s+Mercedes\s+27\s+1\s+1 counted$", result.stdout, re.M)


def test_ergast_one_season_with_teams_and_explanations() -> None:
    result = invoke(ERGAST, "--season", "2021", "--teams", "--explain")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "2021 — overall, teams — after round 1" in out
    assert "counted: 1: 27" in out  # Hamilton: win, fastest lap, sprint points
    assert "Still possible: 1 round left" in out and "can still win: Lewis Hamilton" in out


def test_ergast_json_and_csv_schemas() -> None:
    doc = as_json(invoke(ERGAST, "--season", "1955", "--format", "json", "--explain"))
    (table,) = doc["standings"]
    assert (table["season"], table["table"], table["after_round"], table["final"]) == (
        1955,
        "drivers",
        2,
        True,
    )
    first = table["rows"][0]
    assert set(first) == {
        *("position", "position_text", "competitor", "name", "team", "points", "scored", "deductions"),
        *("wins", "status", "counted", "dropped", "tie"),
    }
    assert all(isinstance(r["points"], str) for r in table["rows"])
    assert table["outlook"]["rounds_left"] == 0
    tied = [r for r in table["rows"] if r["tie"] is not None]
    assert tied and tied[0]["tie"]["rule"] == "countback"
    result = invoke(ERGAST, "--format", "csv", "--teams")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert {(r["season"], r["table"]) for r in rows} == {
        ("1955", "drivers"),
        ("2021", "drivers"),
        ("2021", "teams"),
    }
    hamilton = next(r for r in rows if r["competitor"] == "hamilton")
    assert (hamilton["points"], hamilton["counted"], hamilton["team"]) == ("27", "1=27", "Mercedes")


def test_after_round_and_unknown_season() -> None:
    doc = as_json(invoke(ERGAST, "--season", "1955", "--after-round", "1", "--format", "json"))
    assert doc["standings"][0]["after_round"] == 1 and not doc["standings"][0]["final"]
    result = invoke(ERGAST, "--season", "1999")
    assert result.exit_code == 2
    assert result.stderr == "parcferme: error: no season 1999 in the source (it has no season)\n"
    result = invoke(ERGAST, "--season", "2025")
    assert result.exit_code == 2 and "no round held" in result.stderr


def test_the_cache_gives_the_same_tables(cache: Path) -> None:
    for args in ([], ["--teams", "--explain"], ["--format", "json"], ["--format", "csv"]):
        from_cache, from_csv = invoke(cache, *args), invoke(ERGAST, *args)
        assert from_cache.exit_code == 0, from_cache.output
        if "json" in args:  # the document names its source
            assert json.loads(from_cache.stdout)["standings"] == json.loads(from_csv.stdout)["standings"]
        else:
            assert from_cache.stdout == from_csv.stdout


def test_a_stale_cache_warns_and_reads_the_csvs(tmp_path: Path) -> None:
    folder = tmp_path / "ergast"
    shutil.copytree(ERGAST, folder)
    cache = tmp_path / "e.pfcache"
    assert CliRunner().invoke(import_ergast_command, [str(folder), "--out", str(cache)]).exit_code == 0
    results = folder / "results.csv"
    results.write_text(results.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    result = invoke(cache, "--season", "2021")
    assert result.exit_code == 0
    assert result.stderr.startswith(f"warning: {cache}: stale cache: results.csv changed")
    assert "Lewis Hamilton" in result.stdout


def test_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pfcache"
    bad.write_bytes(b"parcferme ergast cache\n\x00\x01")
    for args, message in [
        ((bad,), f"parcferme: error: {bad}: corrupt cache"),
        ((tmp_path,), f"parcferme: error: {tmp_path}: not a standings source"),
        ((ERGAST, "--classification", "b"), "parcferme: error: unknown classification 'b'"),
        (
            (SPA, "--classification", "gt4"),
            "parcferme: error: unknown classification 'gt4' (valid: overall, fr",
        ),
        ((SPA, "--teams"), "parcferme: error: rule set 'carrera-cup-france-2017' has no team championship"),
        ((SPA, "--rules", "nope"), "parcferme: error: unknown points rule set 'nope'"),
    ]:
        result = invoke(*args)
        assert result.exit_code == 2, (args, result.output)
        assert result.stderr.startswith(message), result.stderr
        assert result.stderr.count("\n") == 1 and result.stdout == ""


# ── events ─────────────────────────────────────────────────────────────────────────────────────────────


def test_the_spa_demo_folder() -> None:
    doc = as_json(invoke(SPA, "--format", "json", "--explain"))
    tables = {t["classification"]: t for t in doc["standings"]}
    assert list(tables) == ["fr", "b", "rookie"]
    leaders = {c: (t["rows"][0]["name"], t["rows"][0]["points"]) for c, t in tables.items()}
    assert leaders["fr"] == ("Julien Andlauer", "44") and leaders["b"] == ("Nicolas Misslin", "41")
    assert tables["b"]["classification_name"] == "B drivers"
    assert tables["fr"]["outlook"]["rounds_left"] == 5  # the packaged 2017 calendar: five meetings to come
    assert all(r["outlook"] == "contender" for r in tables["b"]["outlook"]["rows"])
    result = invoke(SPA, "--classification", "overall")
    assert result.exit_code == 0
    assert "Porsche Carrera Cup France 2017 — overall, drivers — after round 1" in result.stdout
    assert "Dylan Derdaele" in result.stdout  # the overall classification has everyone


def test_a_series_folder_of_two_events_drops_nothing_before_the_end(tmp_path: Path) -> None:
    series = tmp_path / "series"
    for number, name in ((1, "spa"), (2, "le-mans")):
        folder = series / name
        shutil.copytree(MINI_EVENT, folder)
        toml = folder / "event.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace("round = 1", f"round = {number}"), "utf-8")
    (series / "calendar.toml").write_text(
        "season = 2017\n" + "".join(f"[[round]]\nnumber = {n}\nraces = ['R1', 'R2']\n" for n in (1, 2, 3)),
        encoding="utf-8",
    )
    doc = as_json(invoke(series, "--classification", "fr", "--format", "json", "--explain"))
    (table,) = doc["standings"]
    assert (table["after_round"], table["final"], table["outlook"]["rounds_left"]) == (2, False, 1)
    durand = next(r for r in table["rows"] if r["competitor"] == "lea_durand")
    # each meeting's race 2 has no data yet: a race scheduled, not held
    assert durand["points"] == "40" and [(c["round"], c["session"]) for c in durand["counted"]] == [
        (1, "R1"),
        (2, "R1"),
    ]
    # with a calendar of two rounds, round 2 is the last: the two results dropped at season end go
    (series / "calendar.toml").write_text(
        "season = 2017\n" + "".join(f"[[round]]\nnumber = {n}\nraces = ['R1', 'R2']\n" for n in (1, 2)),
        encoding="utf-8",
    )
    (table,) = as_json(invoke(series, "--classification", "fr", "--format", "json"))["standings"]
    durand = next(r for r in table["rows"] if r["competitor"] == "lea_durand")
    assert table["final"] and len(durand["dropped"]) == 2


def test_output_is_written_atomically(tmp_path: Path) -> None:
    target = tmp_path / "standings.csv"
    result = invoke(SPA, "--format", "csv", "--output", target)
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith(",".join(CSV_COLUMNS) + "\n")
    assert [p.name for p in tmp_path.iterdir()] == ["standings.csv"]
    before = target.read_bytes()
    assert invoke(tmp_path / "missing", "--output", target).exit_code == 2
    assert target.read_bytes() == before  # a failed run leaves the file as it was


def test_python_m_parcferme_standings() -> None:
    probe = [sys.executable, "-m", "parcferme", "standings", "--help"]
    if subprocess.run(probe, capture_output=True, check=False).returncode != 0:
        pytest.skip("`standings` is not registered in parcferme.cli yet")
    done = subprocess.run(
        [sys.executable, "-m", "parcferme", "standings", str(SPA), "--classification", "b"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"^\s+1\s+Nicolas Misslin\s", done.stdout, re.M)
    done = subprocess.run(
        [sys.executable, "-m", "parcferme", "standings", str(ERGAST), "--season", "1900"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and done.stderr.startswith("parcferme: error: ")
