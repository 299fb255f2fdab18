"""The whole `parcferme standings` process for every F1 season 1950–2025 against the pandas baseline.

    .venv/bin/python benchmarks/standings_process.py                  # 9 alternating runs of each
    .venv/bin/python benchmarks/standings_process.py --runs 15 --breakdown

What is timed (wall clock of a fresh process, interpreter start and imports included; alternating runs,
one untimed warm-up each, bytecode cached in a private PYTHONPYCACHEPREFIX, output to a pipe):

- cache, CLI: `parcferme standings CACHE --teams` — the Ergast cache written by `parcferme import ergast`
  (made once before the clock starts, its time reported), both tables of every season computed after
  every round, the final tables printed (plain text: stdout is a pipe). Target: median ≤ 60 % of pandas.
  Run through the `parcferme` console script installed beside the interpreter, as a user runs it
  (`python -m parcferme` where there is none; runpy adds ~5 ms). On a machine with more
  than one CPU the command shares the seasons out between worker processes (commands.standings_parallel);
  the wall time of the whole process, children included, is what is timed;
- cache, cmd: the same through the click command object alone (`python -c`), without cli.py's imports;
- CSV, cmd: the command object on the Ergast folder (the CSVs parsed in the process);
- pandas: benchmarks/standings_pandas_baseline.py, which only sums Ergast's points column per season.

`--breakdown` times the steps of the cached run in one process, without workers, the collector paused as
the command pauses it: imports, load, compute, tables, text.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FOLDER = ROOT.parent / "shared" / "data" / "ergast"
BASELINE = ROOT / "benchmarks" / "standings_pandas_baseline.py"
TARGET = 0.60
DIRECT = "from parcferme.commands.standings import standings; standings(prog_name='parcferme')"
VIA_CLI = (
    "from parcferme.cli import cli; from parcferme.commands.standings import standings; "
    "cli.add_command(standings); cli(prog_name='parcferme')"
)

BREAKDOWN = """
import gc, sys, time
gc.disable()
t0 = time.perf_counter()
from pathlib import Path
from parcferme.commands.standings import compute_blocks
from parcferme.commands.standings_sources import load_source
from parcferme.commands.standings_output import render_text
t1 = time.perf_counter()
jobs = load_source(Path(sys.argv[1]))
t2 = time.perf_counter()
from parcferme.engine.standings import season_standings
from parcferme.model.championship import Table
histories = [season_standings(j.season, j.rules, decisions=j.decisions) for j in jobs]
t3 = time.perf_counter()
blocks = compute_blocks(jobs, teams=True)
t4 = time.perf_counter()
text = render_text(blocks)
t5 = time.perf_counter()
print(f"{t1 - t0:.4f} {t2 - t1:.4f} {t3 - t2:.4f} {t4 - t3 - (t3 - t2):.4f} {t5 - t4:.4f}")
"""
STEPS = ("imports", "load (cache, rules)", "compute", "tables as objects", "text")


def cli_command(python: str, source: Path) -> list[str]:
    """`parcferme standings SOURCE --teams` as a user runs it: the console script installed beside the
    interpreter (it imports `parcferme.cli` directly); `python -m parcferme` where there is none (that adds
    runpy's start-up); until cli.py registers the command, the same CLI group with the command added at run
    time (what registering it will do)."""
    script = Path(python).parent / "parcferme"
    if script.is_file():
        return [str(script), "standings", str(source), "--teams"]
    check = subprocess.run(
        [python, "-m", "parcferme", "standings", "--help"], capture_output=True, text=True, check=False
    )
    if check.returncode == 0:
        return [python, "-m", "parcferme", "standings", str(source), "--teams"]
    return [python, "-c", VIA_CLI, "standings", str(source), "--teams"]


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(cmd[:4])}…\n{done.stderr}")
    return elapsed, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--folder", type=Path, default=DEFAULT_FOLDER, help="the Ergast CSV folder")
    parser.add_argument("--runs", type=int, default=9, help="alternating runs of each (default 9)")
    parser.add_argument("--pandas-python", default=sys.executable, help="an interpreter that has pandas")
    parser.add_argument("--breakdown", action="store_true", help="time the steps of the cached run")
    args = parser.parse_args(argv)
    if not (args.folder / "results.csv").is_file():
        print(f"skipped: {args.folder} has no results.csv (the shared Ergast data set is absent)")
        return 0
    if subprocess.run([args.pandas_python, "-c", "import pandas"], capture_output=True).returncode != 0:
        print(f"skipped: no pandas for {args.pandas_python} (pip install '.[bench]', or --pandas-python)")
        return 0
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="parcferme-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        cache = Path(tmp) / "ergast.pfcache"
        made, size = _import(python, args.folder, cache, env)
        commands = {
            "cache, CLI": cli_command(python, cache),
            "cache, cmd": [python, "-c", DIRECT, str(cache), "--teams"],
            "CSV, cmd": [python, "-c", DIRECT, str(args.folder), "--teams"],
            "pandas": [args.pandas_python, str(BASELINE), str(args.folder)],
        }
        outputs = {name: run(cmd, env)[1] for name, cmd in commands.items()}  # warm-up, untimed
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, cmd in commands.items():
                times[name].append(run(cmd, env)[0])
        steps: list[list[float]] = []
        if args.breakdown:
            for _ in range(args.runs):
                out = run([python, "-c", BREAKDOWN, str(cache)], env)[1]
                steps.append([float(x) for x in out.split()])
    print("parcferme standings, every F1 season (drivers and constructors, every round), whole process")
    load = os.getloadavg()[0]
    print(f"  machine: {os.cpu_count()} CPUs, 1-minute load average {load:.2f} after the runs")
    print(f"  cache, CLI: {' '.join(commands['cache, CLI'][:4])} … standings CACHE --teams")
    print("  cache, cmd / CSV, cmd: the click command object alone (python -c), without cli.py's imports")
    print(f"  import ergast (once): {made * 1000:.0f} ms, cache {size / 1e6:.2f} MB")
    print(f"  worker processes for the cached runs: {_workers()} (1: none, all in one process)")
    baseline = statistics.median(times["pandas"])
    for name, values in times.items():
        median = statistics.median(values)
        spread = ", ".join(f"{v * 1000:.0f}" for v in sorted(values))
        share = "" if name == "pandas" else f"  {median / baseline:6.1%} of pandas"
        print(f"  {name:<11} {median * 1000:6.0f} ms median{share}   (runs: {spread})")
    for name in ("cache, CLI", "cache, cmd"):
        ratio = statistics.median(times[name]) / baseline
        verdict = "ok" if ratio <= TARGET else "MISSED"
        print(f"  {name}: {ratio:.1%} of pandas (target ≤ {TARGET:.0%}: {verdict})")
    if steps:
        print("  where the cached run's time goes (in-process medians, after interpreter start):")
        for i, name in enumerate(STEPS):
            print(f"    {name:<20} {statistics.median(s[i] for s in steps) * 1000:6.1f} ms")
    lines = outputs["cache, CLI"].count("\n")
    same = outputs["cache, CLI"] == outputs["cache, cmd"] == outputs["CSV, cmd"]
    print(f"  output: {lines} lines, identical from the cache and the CSVs: {'yes' if same else 'NO'}")
    return 0


def _workers() -> int:
    """How many worker processes `parcferme standings` uses for all of F1 from a cache on this machine."""
    try:
        from parcferme.commands.standings_parallel import MAX_WORKERS, cpus
    except ImportError:  # a parcferme without workers
        return 1
    workers = min(cpus(), MAX_WORKERS)
    return workers if workers > 1 and hasattr(os, "fork") else 1


def _import(python: str, folder: Path, cache: Path, env: dict[str, str]) -> tuple[float, int]:
    """`parcferme import ergast FOLDER --out CACHE`: its time and the cache's size."""
    code = "from parcferme.commands.standings import import_ergast_command as c; c(prog_name='parcferme')"
    elapsed, _ = run([python, "-c", code, str(folder), "--out", str(cache)], env)
    return elapsed, cache.stat().st_size


if __name__ == "__main__":
    raise SystemExit(main())
