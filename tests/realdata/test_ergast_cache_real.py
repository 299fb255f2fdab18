"""The Ergast cache on the real data (../shared/data/ergast, 1950–2025): the round trip gives exactly the
seasons read from the CSVs, and `parcferme standings` prints the same tables from both."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from parcferme.commands.standings import standings
from parcferme.formats.ergast import read_ergast
from parcferme.formats.ergast_cache import import_ergast, load_ergast_cache

ERGAST = Path(__file__).parents[2].parent / "shared" / "data" / "ergast"

pytestmark = pytest.mark.skipif(
    not (ERGAST / "results.csv").is_file(),
    reason="the shared Ergast data set (../shared/data/ergast) is absent",
)


def test_round_trip_of_every_season(tmp_path: Path) -> None:
    cache = import_ergast(ERGAST, tmp_path / "ergast.pfcache")
    seasons = load_ergast_cache(cache)
    assert seasons == read_ergast(ERGAST)
    assert min(seasons) == 1950 and len(seasons) >= 76


def test_standings_from_the_cache_equal_those_from_the_csvs(tmp_path: Path) -> None:
    cache = import_ergast(ERGAST, tmp_path / "ergast.pfcache")
    runner = CliRunner()
    args = ["--season", "1988", "--teams", "--explain"]
    from_cache = runner.invoke(standings, [str(cache), *args], catch_exceptions=False)
    from_csv = runner.invoke(standings, [str(ERGAST), *args], catch_exceptions=False)
    assert from_cache.exit_code == 0 and from_cache.stdout == from_csv.stdout
    # Senna's 1988 title: 90 points counted of 94 scored (best 11 results)
    assert "Ayrton Senna" in from_cache.stdout.split("\n")[2]
    assert " 90 " in from_cache.stdout.split("\n")[2]


def test_worker_processes_print_the_same_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All of F1 from the cache, the seasons shared out between two worker processes, and in one."""
    if not hasattr(os, "fork"):
        pytest.skip("worker processes need os.fork")
    from parcferme.commands import standings_parallel as parallel

    cache = import_ergast(ERGAST, tmp_path / "ergast.pfcache")
    runner = CliRunner()
    outputs = []
    for cpus in (2, 1):
        monkeypatch.setattr(parallel, "cpus", lambda n=cpus: n)
        for args in (["--teams"], ["--teams", "--format", "csv"]):
            result = runner.invoke(standings, [str(cache), *args], catch_exceptions=False)
            assert result.exit_code == 0
            outputs.append(result.stdout)
    assert outputs[:2] == outputs[2:]
    assert outputs[0].count(" — overall, drivers — ") >= 76
