"""From passings to every classification of a race: speed and memory of the engine, against a baseline.

    .venv/bin/python benchmarks/classify.py            # 10⁵ and 10⁶ passings, 11 runs each, memory
    .venv/bin/python benchmarks/classify.py --quick    # 10⁵ only, 5 runs, no memory (a smoke check)
    .venv/bin/python benchmarks/classify.py --runs 15
    .venv/bin/python benchmarks/classify.py --profile 1e6   # where the time goes (cProfile)

What is timed (in-process, `time.perf_counter`, after a warm-up run, garbage collected before each run,
the result freed after the clock stops): `build_laps(passings)` then `classify_race` (overall) then
`reclassify` for each class (three sub-classifications), as one pipeline and stage by stage. The race is
made by `parcferme.synthetic.generate_race` beforehand and is not timed.

Baseline, measured in the same run on the same passings: a naive plain-Python classifier (count SF
passings per car in a dict, remember the last one, sort by (-laps, last time)). It computes far less than
the engine (no sectors, pit flags, race end, statuses, gaps, sub-classifications); the ratio says what
the whole job costs against the least a Python classifier can do.

Peak memory is measured in a fresh process that only loads the race (pickled by this one, without the
ground-truth laps), as a reader would hand it to the engine — so neither the generator nor this process'
garbage is counted. There:
- the engine's own peak: tracemalloc's peak over one pipeline run (every byte the engine allocates above
  what existed when it started, the input passings excluded). This is what the target is checked on;
- the process' real RSS peak during the engine run (input passings included): the kernel's peak-RSS
  counter (VmHWM) is reset just before the run by writing 5 to /proc/self/clear_refs (Linux ≥ 4.0), then
  read after it; and the RSS peak while loading. (ru_maxrss is not used: on Linux a child inherits the
  parent's high-water mark across fork + exec.)
"""

from __future__ import annotations

import argparse
import copyreg
import gc
import json
import os
import pickle
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from parcferme.engine import LapBuild, build_laps, classify_race, reclassify
from parcferme.model import SF, Passing, RuleSet, SessionResult
from parcferme.synthetic import SyntheticRace, generate_race

HOUR = 3600 * 10**6
RULES = RuleSet(id="benchmark")


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    cars: int
    hours: int
    target_ms: float | None = None  # median, engine pipeline
    target_mb: float | None = None  # peak RSS increment of the engine run

    def race(self) -> SyntheticRace:
        return generate_race(self.cars, self.hours * HOUR, seed=2024)


SCENARIOS = {
    s.key: s
    for s in (
        Scenario("1e5", "24 h, 62 cars (~390 laps each)", 62, 24, target_ms=50),
        Scenario("1e6", "24 h, 620 cars (10x the field)", 620, 24, target_ms=500, target_mb=300),
        Scenario("1e6-long", "240 h, 62 cars (10x the duration)", 62, 240, target_ms=500, target_mb=300),
    )
}


def pipeline(race: SyntheticRace) -> tuple[LapBuild, SessionResult, list[SessionResult]]:
    """Everything a race publishes from its passings: laps, overall result, one result per class.

    The laps are returned with the results (a timing system keeps them: lap charts, documents).
    """
    built = build_laps(race.passings, race.session, RULES)
    overall = classify_race(race.session, built.laps, race.entries, RULES)
    return built, overall, [reclassify(overall, race.entries, c) for c in race.classifications]


def naive_classify(passings: Sequence[Passing]) -> list[str]:
    """The baseline: laps = SF passings per car, ties broken by the last crossing."""
    laps: dict[str, int] = {}
    last: dict[str, int] = {}
    for p in passings:
        if p.line == SF:
            laps[p.car] = laps.get(p.car, 0) + 1
            last[p.car] = p.time
    return sorted(laps, key=lambda car: (-laps[car], last[car]))


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()  # warm-up: first-call costs (imports, caches) are not what a timing system pays per race
    out = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        result = fn()
        out.append(time.perf_counter() - t0)
        del result  # freeing the result is not timed: a caller keeps what it computed
    return out


def stages(race: SyntheticRace, runs: int) -> dict[str, list[float]]:
    """Each stage alone, to show where the time goes."""
    built = build_laps(race.passings, race.session, RULES)
    overall = classify_race(race.session, built.laps, race.entries, RULES)
    return {
        "build_laps": timed(lambda: build_laps(race.passings, race.session, RULES), runs),
        "classify_race": timed(lambda: classify_race(race.session, built.laps, race.entries, RULES), runs),
        "reclassify x3": timed(
            lambda: [reclassify(overall, race.entries, c) for c in race.classifications], runs
        ),
    }


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def summary(samples: list[float]) -> str:
    return f"median {ms(statistics.median(samples))}  (min {ms(min(samples))}, max {ms(max(samples))})"


def _proc_status() -> dict[str, int]:
    with open("/proc/self/status", encoding="ascii") as f:
        text = f.read()
    return {k: int(m.group(1)) * 1024 for k in ("VmRSS", "VmHWM") if (m := re.search(rf"{k}:\s+(\d+)", text))}


def memory_child(path: str) -> None:
    """Run in a subprocess: load a pickled race, print the engine's peak memory on it as JSON."""
    start_rss = _proc_status()["VmRSS"]  # the interpreter with parcferme imported
    with open(path, "rb") as f:
        race = pickle.load(f)
    gc.collect()
    loaded = _proc_status()
    result: dict[str, Any] = {"input": loaded["VmRSS"] - start_rss, "load_peak": loaded["VmHWM"]}
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")  # reset VmHWM (the peak RSS) to the current RSS
        before = _proc_status()
        pipeline(race)
        result |= {"rss_before": before["VmRSS"], "rss_peak": _proc_status()["VmHWM"]}
    except OSError:
        pass  # no clear_refs (not Linux, or not allowed): tracemalloc only
    gc.collect()
    tracemalloc.start()
    pipeline(race)
    result["traced_peak"] = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(json.dumps(result))


def _mapping_proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


def _reduce_mapping_proxy(proxy: MappingProxyType[Any, Any]) -> tuple[Any, tuple[dict[Any, Any]]]:
    return _mapping_proxy, (dict(proxy),)  # entry attributes are read-only mappings: not picklable as such


def measure_memory(race: SyntheticRace) -> dict[str, Any]:
    """Peak memory of the pipeline in a fresh process that only loads the race (as a reader would)."""
    without_truth = SyntheticRace(race.session, race.entries, race.passings, (), race.classifications)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "race.pickle")
        with open(path, "wb") as f:
            pickler = pickle.Pickler(f, protocol=pickle.HIGHEST_PROTOCOL)
            pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _reduce_mapping_proxy}
            pickler.dump(without_truth)
        out = subprocess.run(
            [sys.executable, __file__, "--memory-child", path], check=True, capture_output=True, text=True
        )
    data: dict[str, Any] = json.loads(out.stdout)
    return data


def _load() -> str:
    """The 1, 5 and 15 minute load averages: on a shared machine, how much the medians can be trusted."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def mb(n: float) -> str:
    return f"{n / 2**20:6.0f} MB"


def run_scenario(scenario: Scenario, runs: int, memory: bool) -> list[str]:
    t0 = time.perf_counter()
    race = scenario.race()
    generation = time.perf_counter() - t0
    n = len(race.passings)
    print(f"\n== {scenario.key}: {scenario.title}: {n:,} passings, {len(race.laps):,} laps")
    print(f"   generation (not timed below)   {ms(generation)}")

    _, overall, subs = pipeline(race)
    agree = list(overall.order) == naive_classify(race.passings)
    engine = timed(lambda: pipeline(race), runs)
    baseline = timed(lambda: naive_classify(race.passings), runs)
    for name, samples in stages(race, runs).items():
        print(f"   {name:<30} {summary(samples)}")
    print(f"   engine, passings → {1 + len(subs)} results {summary(engine)}")
    print(f"   baseline (naive classifier)    {summary(baseline)}")
    ratio = statistics.median(engine) / statistics.median(baseline)
    print(f"   engine / baseline              {ratio:8.2f}x   (overall order identical: {agree})")
    print(f"   load average after the runs    {_load()}")
    misses = []
    median_ms = statistics.median(engine) * 1000
    if scenario.target_ms is not None:
        ok = median_ms <= scenario.target_ms
        print(f"   target median <= {scenario.target_ms:g} ms       {'met' if ok else 'MISSED'}")
        if not ok:
            misses.append(f"{scenario.key}: median {median_ms:.0f} ms > {scenario.target_ms:g} ms")
    if memory:
        mem = measure_memory(race)
        engine_mb = mem["traced_peak"] / 2**20
        print(f"   memory (fresh process)         passings loaded: RSS +{mb(mem['input']).strip()}")
        print(f"   {'':<30} engine's own peak (tracemalloc) {mb(mem['traced_peak'])}")
        if "rss_peak" in mem:
            grown = (mem["rss_peak"] - mem["rss_before"]) / 2**20
            print(
                f"   {'':<30} RSS peak, engine run      {mb(mem['rss_peak'])} (+{grown:.0f} MB over loaded)"
            )
            print(f"   {'':<30} RSS peak, loading         {mb(mem['load_peak'])}")
        if scenario.target_mb is not None:
            ok = engine_mb <= scenario.target_mb
            print(f"   target engine memory <= {scenario.target_mb:g} MB {'met' if ok else 'MISSED'}")
            if not ok:
                misses.append(f"{scenario.key}: engine memory {engine_mb:.0f} MB > {scenario.target_mb:g} MB")
    return misses


def profile(scenario: Scenario) -> None:
    """cProfile one pipeline run (after a warm-up) and print the top functions by own time."""
    import cProfile
    import pstats

    race = scenario.race()
    pipeline(race)
    profiler = cProfile.Profile()
    profiler.runcall(pipeline, race)
    print(f"{scenario.key}: {scenario.title}, {len(race.passings):,} passings (times inflated by cProfile)")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=None, help="timed runs per measure (default 11, quick 5)")
    parser.add_argument("--quick", action="store_true", help="10⁵ passings only, no memory measure")
    parser.add_argument(
        "--profile", choices=sorted(SCENARIOS), help="print the pipeline's cProfile hotspots on one race"
    )
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        memory_child(args.memory_child)
        return 0
    if args.profile:
        profile(SCENARIOS[args.profile])
        return 0
    runs = args.runs or (5 if args.quick else 11)
    print(
        f"parcferme classify benchmark: {os.cpu_count()} CPUs ({platform.machine()}), "
        f"Python {platform.python_version()}, {runs} runs per measure, load average {_load()}"
    )
    keys = ["1e5"] if args.quick else list(SCENARIOS)
    misses: list[str] = []
    for key in keys:
        misses += run_scenario(SCENARIOS[key], runs, memory=not args.quick)
    print("\nall targets met" if not misses else "\nmissed: " + "; ".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
