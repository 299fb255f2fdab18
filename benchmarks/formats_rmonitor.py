"""RMonitor (Orbits) parsing speed: capture lines per second, against a plain `split(',')` baseline.

    .venv/bin/python benchmarks/formats_rmonitor.py            # 7 runs per measure
    .venv/bin/python benchmarks/formats_rmonitor.py --runs 15
    .venv/bin/python benchmarks/formats_rmonitor.py --quick    # 3 runs (a smoke check)

Input (built beforehand, not timed): the largest real capture, ../shared/data/rmonitor/.../
TestSessionChanges.txt (a 25-hour day of Orbits output: 126 000 lines, of which 46 000 records — mostly
$F heartbeats, $G/$H positions, $J passings — the rest `##timestamp` stamps and blank lines), read in
place and repeated to >= 10⁶ lines. Without the data folder, a synthetic capture made by parcferme's own
RMonitor publisher for a 24-hour race stands in (and the figures say so).

What is timed (in-process, `time.perf_counter`, after a warm-up run, garbage collected before each run):
- capture: bytes → `parse_capture` (decoding, line splitting, stamps) → `parse_record` for every line
  (typed records, times in µs): what `read_records` does to a file;
- records: `parse_record` alone over the record lines, already split;
- state: the capture's lines folded into an `RMonitorState` (parse + apply: laps, corrections, positions).

Baseline, same text, same run: `for line in text.split("\\n"): line.split(",")` — splitting without
unquoting, typing or checking anything, the least any Python reader does. Target: >= 300 000 lines/s
(capture, every line of the file counted).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from parcferme.engine.live import LiveRace
from parcferme.formats.rmonitor_capture import parse_capture, records
from parcferme.formats.rmonitor_records import FeedError, Record, format_record, parse_record
from parcferme.formats.rmonitor_state import RMonitorState
from parcferme.live.rmonitor_server import LivePublisher, RMonitorServer
from parcferme.model import RuleSet
from parcferme.synthetic import generate_race

TARGET = 300_000  # lines/s
MIN_LINES = 1_000_000
REAL_CAPTURE = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "rmonitor"
    / "RedMist.TimingAndScoringService.Tests"
    / "EventStatus"
    / "ProcessingPipeline"
    / "TestSessionChanges.txt"
)


class _Recorder(RMonitorServer):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def publish(self, *items: Record | str) -> None:
        self.lines.extend(i if isinstance(i, str) else format_record(i) for i in items)


def synthetic_capture() -> bytes:
    """A stamped capture of a 24-hour, 62-car race as parcferme's publisher sends it."""
    race = generate_race(62, 24 * 3600 * 10**6, seed=2024, sector_lines=())
    recorder = _Recorder()
    publisher = LivePublisher(recorder, LiveRace(race.session, race.entries, RuleSet("bench")))
    publisher.start()
    day = dt.datetime(2025, 4, 26)
    out = list(recorder.lines)
    for passing in race.passings:
        recorder.lines.clear()
        if publisher.add_passing(passing) is not None:
            out.append("##" + (day + dt.timedelta(microseconds=passing.time)).isoformat(" ", "milliseconds"))
            out.extend(recorder.lines)
    return "\r\n".join(out).encode("utf-8")


def load() -> tuple[bytes, str]:
    if REAL_CAPTURE.is_file():
        return REAL_CAPTURE.read_bytes(), f"real capture {REAL_CAPTURE.name}"
    return synthetic_capture(), "synthetic capture (real data absent)"


def repeated(one: bytes) -> bytes:
    """The capture end to end until it has >= 10⁶ lines (a BOM only at the very start)."""
    body = one.removeprefix(b"\xef\xbb\xbf")
    if not body.endswith(b"\n"):
        body += b"\r\n"
    times = -(-MIN_LINES // body.count(b"\n"))
    return b"\xef\xbb\xbf" + body * times


def read_capture_bytes(data: bytes) -> int:
    bad = 0
    for _, item in records(parse_capture(data, "bench")):
        bad += isinstance(item, FeedError)
    return bad


def parse_lines(lines: Sequence[str]) -> int:
    bad = 0
    parse = parse_record
    for line in lines:
        try:
            parse(line)
        except FeedError:
            bad += 1
    return bad


def fold(lines: Sequence[str]) -> int:
    state = RMonitorState("bench")
    feed = state.feed_line
    for line in lines:
        feed(line)
    return len(state.issues)


def baseline(text: str) -> int:
    n = 0
    for line in text.split("\n"):
        n += len(line.split(","))
    return n


def timed(fn: Callable[..., Any], arg: Any, runs: int) -> list[float]:
    fn(arg)  # warm-up
    out = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        result = fn(arg)
        out.append(time.perf_counter() - start)
        del result
    return out


def rate(count: int, seconds: list[float]) -> tuple[float, float, float]:
    """(median, best, worst) rate: count per second over the runs."""
    return count / statistics.median(seconds), count / min(seconds), count / max(seconds)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quick", action="store_true", help="3 runs")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else args.runs

    one, what = load()
    data = repeated(one)
    text = data.decode("utf-8-sig")
    file_lines = text.count("\n") + 1
    capture = parse_capture(data, "bench")
    record_lines = [line.text for line in capture.lines]
    print(
        f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; {runs} runs each"
    )
    print(
        f"input: {what} x{len(data) // len(one)}: {file_lines:,} lines ({len(record_lines):,} records), "
        f"{len(data) / 1e6:.1f} MB"
    )
    bad = parse_lines(record_lines)
    print(f"lines that do not parse (reported, not fatal): {bad:,}\n")

    base = rate(file_lines, timed(baseline, text, runs))
    capture_rate = rate(file_lines, timed(read_capture_bytes, data, runs))
    records_rate = rate(len(record_lines), timed(parse_lines, record_lines, runs))
    state_rate = rate(len(record_lines), timed(fold, record_lines, runs))
    measures = [
        ("capture: bytes -> typed records", file_lines, capture_rate),
        ("records: parse_record only", len(record_lines), records_rate),
        ("state: parse + fold into RMonitorState", len(record_lines), state_rate),
    ]
    print(
        f"{'measure':42} {'lines':>10} {'median lines/s':>15} {'best':>11} {'worst':>11} {'vs baseline':>12}"
    )
    label = "baseline: split lines, then split(',')"
    print(f"{label:42} {file_lines:>10,} {base[0]:>15,.0f} {base[1]:>11,.0f} {base[2]:>11,.0f}")
    for name, count, (median, best, worst) in measures:
        ratio = base[0] / median
        print(f"{name:42} {count:>10,} {median:>15,.0f} {best:>11,.0f} {worst:>11,.0f} {ratio:>10.1f}x")
    lines_per_s = capture_rate[0]
    records_per_s = lines_per_s * len(record_lines) / file_lines
    print(f"\ncapture: {lines_per_s:,.0f} lines/s = {records_per_s:,.0f} records/s (median)")
    verdict = "met" if lines_per_s >= TARGET else "NOT met"
    print(f"target >= {TARGET:,} lines/s: {verdict}")
    return 0 if lines_per_s >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
