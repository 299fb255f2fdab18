"""Reading formats, whole process: an Al Kamel analysis CSV read and classified, against plain pandas.

    .venv/bin/python benchmarks/formats.py                 # Le Mans 2024 (15 593 laps), 7 runs each
    .venv/bin/python benchmarks/formats.py --runs 11
    .venv/bin/python benchmarks/formats.py --file ../shared/data/wec/2025_spa_6h.csv

What is timed: the wall time of a whole fresh process (`subprocess.run`, interpreter start and imports
included), because a command-line user pays for all of it:
- parcferme: `python -c` reading the file with `formats.alkamel.read_alkamel` (encoding detection,
  validation, laps, entries, classes, track status, the packaged `wec` rule set), then `classify_race`
  (overall) and `reclassify` for every class, printing the winners;
- baseline: `benchmarks/alkamel_pandas_baseline.py`, plain pandas (read the CSV, last lap per car, sort by
  laps and race time, print the top three).
Runs alternate between the two so that both see the same machine load; one untimed warm-up run each
first (page cache, bytecode). Both run with bytecode caching on, in a private PYTHONPYCACHEPREFIX (a
temporary folder, so nothing is written in the source tree), as an installed package would: a development
environment that sets PYTHONDONTWRITEBYTECODE makes every parcferme run compile its ~60 modules again
(about 60 ms), while pandas comes with its bytecode already compiled.

Printed: each median; parcferme's median as a share of pandas' (target: at most 50 %); and the median of
each stage of the parcferme process as it measures itself (imports, reading, classifying; the rest is
interpreter start-up and exit). RMonitor and P3 readers have their own scripts (formats_rmonitor.py, …).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_FILE = ROOT.parent / "shared" / "data" / "wec" / "2024_le_mans_24h.csv"
BASELINE = ROOT / "benchmarks" / "alkamel_pandas_baseline.py"
TARGET = 0.50

# What a user of the library writes to classify an Al Kamel file (the laps carry their track statuses).
PARCFERME = """
import sys, time
t0 = time.perf_counter()
from parcferme.engine import classify_race, reclassify
from parcferme.formats.alkamel import read_alkamel
t1 = time.perf_counter()
race = read_alkamel(sys.argv[1])
t2 = time.perf_counter()
event, data = race.event, race.session
overall = classify_race(data.session, data.laps, event.entries, event.rules, track_status=data.track_status)
results = [reclassify(overall, event.entries, c) for c in event.classifications]
t3 = time.perf_counter()
print("overall", overall.rows[0].car, overall.rows[0].laps)
for c, result in zip(event.classifications, results):
    print(c.id, result.rows[0].car)
print("stages", (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000, file=sys.stderr)
"""
STAGES = ("imports", "read (incl. the wec rule set)", "classify (overall + classes)")


def run(
    command: list[str], env: dict[str, str], stages: list[list[float]] | None = None
) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed ({done.returncode}): {' '.join(command[:3])}…\n{done.stderr}")
    if stages is not None:
        line = next(line for line in done.stderr.splitlines() if line.startswith("stages "))
        for values, value in zip(stages, line.split()[1:], strict=True):
            values.append(float(value))
    return elapsed, done.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="an Al Kamel analysis CSV")
    parser.add_argument("--runs", type=int, default=7, help="timed runs of each (default 7)")
    args = parser.parse_args(argv)
    if not args.file.is_file():
        print(f"skipped: {args.file} not found (the shared WEC data set is absent)")
        return 0
    ours = [sys.executable, "-c", PARCFERME, str(args.file)]
    pandas = [sys.executable, str(BASELINE), str(args.file)]
    with tempfile.TemporaryDirectory(prefix="parcferme-bench-") as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        _, our_output = run(ours, env)
        _, pandas_output = run(pandas, env)
        times: dict[str, list[float]] = {"parcferme": [], "pandas": []}
        stages: list[list[float]] = [[] for _ in STAGES]
        for _ in range(args.runs):
            times["parcferme"].append(run(ours, env, stages)[0])
            times["pandas"].append(run(pandas, env)[0])
    ours_median = statistics.median(times["parcferme"])
    pandas_median = statistics.median(times["pandas"])
    ratio = ours_median / pandas_median
    print(f"Al Kamel CSV, whole process: {args.file.name} ({args.runs} runs each, medians)")
    print(f"  machine: {platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    for name, values in times.items():
        spread = ", ".join(f"{v * 1000:.0f}" for v in sorted(values))
        print(f"  {name:<10} {statistics.median(values) * 1000:7.0f} ms   (runs: {spread})")
    verdict = "ok" if ratio <= TARGET else "MISSED"
    print(f"  ratio      {ratio:7.1%}  of pandas (target ≤ {TARGET:.0%}: {verdict})")
    breakdown = ", ".join(
        f"{name} {statistics.median(values):.0f} ms" for name, values in zip(STAGES, stages, strict=True)
    )
    print(f"  parcferme stages (medians): {breakdown}")
    print("  parcferme says: " + " | ".join(our_output.split("\n")[:4]))
    print("  pandas says:    " + " | ".join(line.strip() for line in pandas_output.split("\n")[1:3]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
