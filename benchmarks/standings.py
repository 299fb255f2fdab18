"""Championship standings: every F1 season 1950–2025 from the Ergast CSVs, drivers and constructors,
the table after every round; in-process, and as a whole process against a plain pandas script.

    .venv/bin/python benchmarks/standings.py                   # 11 in-process runs, 7 process runs each
    .venv/bin/python benchmarks/standings.py --runs 21 --process-runs 11
    .venv/bin/python benchmarks/standings.py --pandas-python /path/to/python-with-pandas
    .venv/bin/python benchmarks/standings.py --profile         # where the compute time goes (cProfile)

In-process (`time.perf_counter`, one warm-up run, `gc.collect()` before each run, the result freed after
the clock stops):
- read: `formats.ergast.read_ergast` of the whole folder (races, results, sprint results, drivers,
  constructors) into `Season` models — reported, not part of the compute target;
- compute (target ≤ 150 ms median): `engine.standings.seasons_standings` for every season, both tables:
  every session scored from positions, statuses and fastest laps under the season's rule set, the
  decisions on record applied, dropped results, countback, positions after every round (1 143 rounds,
  ~49 000 table rows). Rule sets and decisions are loaded (and cached) before the clock starts;
- materialise: building every one of those tables as `StandingsTable`/`StandingRow` objects (with counted
  and dropped results and tie explanations), which the engine otherwise does on first use — reported.

Whole process (target: parcferme's median ≤ 60 % of the baseline's): the wall time of a fresh process
(`subprocess.run`, interpreter start and imports included), alternating runs, one untimed warm-up each,
bytecode cached in a private PYTHONPYCACHEPREFIX:
- parcferme: `python -c` reading the folder, loading the rule sets, computing both tables of every season
  after every round, printing each season's leaders (the `parcferme standings` command is not written
  yet: this is the library call it will make). It calls `gc.freeze()` once the input is read, as the
  command should: the process keeps its ~10⁵ input objects to the end, and without it the cycle collector
  walks them again and again while the tables are built (about +250 ms here);
- parcferme, one season (`--season`, default 2024): the usual command, reading that season's results and
  computing its two tables;
- baseline: `benchmarks/standings_pandas_baseline.py` (pandas: sum Ergast's points column per season).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from parcferme.engine.standings import seasons_standings
from parcferme.formats.ergast import read_ergast
from parcferme.rules.points_loader import f1_decisions, f1_rules

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT.parent / "shared" / "data" / "ergast"
BASELINE = ROOT / "benchmarks" / "standings_pandas_baseline.py"
COMPUTE_TARGET = 0.150
PROCESS_TARGET = 0.60

PARCFERME = """
import gc
import sys
from pathlib import Path
from parcferme.engine.standings import seasons_standings
from parcferme.formats.ergast import read_ergast
from parcferme.rules.points_loader import f1_decisions, f1_rules
seasons = read_ergast(Path(sys.argv[1]))
gc.freeze()  # a one-shot process keeps its input to the end: spare the collector from walking it again
histories = seasons_standings(seasons.values(), f1_rules, decisions=f1_decisions())
for table in ("drivers", "teams"):
    leaders = []
    for year, tables in histories.items():
        latest = next((h.latest for t, h in tables.items() if t.value == table), None)
        if latest is not None and latest.rows:
            leaders.append(f"{year}:{latest.rows[0].competitor}")
    print(table, len(leaders), "seasons;", " ".join(leaders[-3:]))
"""


# The usual command: one season's tables (`parcferme standings ERGAST --season Y`).
PARCFERME_ONE = """
import sys
from pathlib import Path
from parcferme.engine.standings import season_standings
from parcferme.formats.ergast import read_ergast
from parcferme.rules.points_loader import f1_decisions, f1_rules
year = int(sys.argv[2])
season = read_ergast(Path(sys.argv[1]), seasons=[year])[year]
for table, history in season_standings(season, f1_rules(year), decisions=f1_decisions()).items():
    latest = history.latest
    print(table.value, year, [(r.competitor, str(r.points)) for r in latest.rows[:3]])
"""


def timed(function: Callable[[], Any], runs: int) -> list[float]:
    function()  # warm-up
    times = []
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
        del result
    return times


def show(name: str, times: list[float], target: float | None = None) -> None:
    spread = f"min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}"
    line = f"  {name:<12} {statistics.median(times) * 1000:7.1f} ms median ({spread}, {len(times)} runs)"
    if target is not None:
        line += (
            f"   target ≤ {target * 1000:.0f} ms: {'ok' if statistics.median(times) <= target else 'MISSED'}"
        )
    print(line)


def run(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command[:3])}…\n{done.stderr}")
    return elapsed, done.stdout


def in_process(folder: Path, runs: int, profile: bool) -> None:
    reads = timed(lambda: read_ergast(folder), max(3, runs // 2))
    seasons = read_ergast(folder)
    decisions = f1_decisions()
    for year in seasons:
        f1_rules(year)  # parse and cache the rule sets before the clock starts

    def compute() -> dict[int, Any]:
        return seasons_standings(seasons.values(), f1_rules, decisions=decisions)

    computes = timed(compute, runs)
    histories = compute()
    gc.collect()
    started = time.perf_counter()
    rows = sum(len(t.rows) for tables in histories.values() for h in tables.values() for t in h.tables)
    materialise = time.perf_counter() - started
    rounds = sum(len(s.held_rounds) for s in seasons.values())
    span = f"{min(seasons)}–{max(seasons)}"
    print(f"F1 standings, {span}: {len(seasons)} seasons, {rounds} rounds, drivers and constructors")
    print(f"  after every round: {rows} table rows")
    machine = f"{platform.python_implementation()} {platform.python_version()}, {platform.machine()}"
    print(f"  machine: {machine}, {os.cpu_count()} CPUs")
    show("read CSVs", reads)
    show("compute", computes, COMPUTE_TARGET)
    print(f"  {'materialise':<12} {materialise * 1000:7.1f} ms (every table as objects, once)")
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(compute)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def whole_process(folder: Path, runs: int, python: str, season: int) -> None:
    ours = [sys.executable, "-c", PARCFERME, str(folder)]
    one = [sys.executable, "-c", PARCFERME_ONE, str(folder), str(season)]
    pandas = [python, str(BASELINE), str(folder)]
    check = subprocess.run([python, "-c", "import pandas"], capture_output=True, check=False)
    if check.returncode != 0:
        print(f"  whole process: skipped, no pandas for {python} (pip install pandas, or --pandas-python)")
        return
    with tempfile.TemporaryDirectory(prefix="parcferme-bench-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        _, our_output = run(ours, env)
        _, one_output = run(one, env)
        _, pandas_output = run(pandas, env)
        times: dict[str, list[float]] = {"all seasons": [], f"season {season}": [], "pandas": []}
        for _ in range(runs):
            times["all seasons"].append(run(ours, env)[0])
            times[f"season {season}"].append(run(one, env)[0])
            times["pandas"].append(run(pandas, env)[0])
    print(f"  whole process ({runs} runs each, alternating; pandas sums every season):")
    baseline = statistics.median(times["pandas"])
    for name, values in times.items():
        spread = ", ".join(f"{v * 1000:.0f}" for v in sorted(values))
        median = statistics.median(values)
        share = "" if name == "pandas" else f"  {median / baseline:6.1%} of pandas"
        print(f"    {name:<12} {median * 1000:6.0f} ms median{share} (runs: {spread})")
    ratio = statistics.median(times["all seasons"]) / baseline
    verdict = "ok" if ratio <= PROCESS_TARGET else "MISSED"
    print(f"    all seasons: {ratio:.1%} of pandas (target ≤ {PROCESS_TARGET:.0%}: {verdict})")
    print("    parcferme says: " + " | ".join(our_output.strip().split("\n")))
    print("    one season:     " + " | ".join(one_output.strip().split("\n")))
    print("    pandas says:    " + " | ".join(line[:80] for line in pandas_output.strip().split("\n")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER, help="the Ergast CSV folder")
    parser.add_argument("--runs", type=int, default=11, help="in-process runs (default 11)")
    parser.add_argument("--process-runs", type=int, default=7, help="whole-process runs of each (default 7)")
    parser.add_argument("--pandas-python", default=sys.executable, help="an interpreter that has pandas")
    parser.add_argument("--season", type=int, default=2024, help="the one-season process run (default 2024)")
    parser.add_argument("--profile", action="store_true", help="profile one compute run")
    parser.add_argument("--no-process", action="store_true", help="in-process figures only")
    args = parser.parse_args(argv)
    if not (args.folder / "results.csv").is_file():
        print(f"skipped: {args.folder} has no results.csv (the shared Ergast data set is absent)")
        return 0
    in_process(args.folder, args.runs, args.profile)
    if not args.no_process:
        whole_process(args.folder, args.process_runs, args.pandas_python, args.season)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
