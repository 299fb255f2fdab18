"""MYLAPS / AMB P3 decoding speed: records per second of `P3Decoder`, against a bare framing baseline.

    .venv/bin/python benchmarks/formats_p3.py            # 7 runs per measure
    .venv/bin/python benchmarks/formats_p3.py --runs 15
    .venv/bin/python benchmarks/formats_p3.py --quick    # 3 runs (a smoke check)

Streams (built beforehand, not timed):
- simulated: a 24-hour race of 62 cars made by `parcferme.synthetic.generate_race`, every passing of every
  line encoded as the P3 frames `live.p3_simulator` plays (one decoder per line, STATUS every 5 s per
  decoder): ~10⁵ PASSING frames and ~10⁵ STATUS frames. About a third of the frames hold an escaped byte.
- real: the valid frames of the real decoder capture (../shared/data/amb_p3, read in place), repeated to
  10⁵ frames; skipped when the data is absent.

What is timed (in-process, `time.perf_counter`, after a warm-up run, garbage collected before each run):
the stream fed to a fresh `P3Decoder` in 64 KiB chunks, as TCP reads deliver it — framing, unescaping,
length and CRC check, TLV decoding into typed records. Baseline, same stream, same run: a bare
`bytes.split(b"\\x8f")` framing pass (no escape, no check, no field), the least any Python reader does.
Target: >= 200 000 records/s.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from parcferme.formats.ambp3 import P3Decoder, read_p3_file
from parcferme.live.p3_simulator import P3Simulator
from parcferme.synthetic import generate_race

TARGET = 200_000  # records/s
CHUNK = 65536
REAL_CAPTURE = (
    Path(__file__).resolve().parents[1].parent
    / "shared"
    / "data"
    / "amb_p3"
    / "tests"
    / "test_data"
    / "amb-2022-05-01 145557-10.33.11.50.log"
)


def simulated_stream() -> bytes:
    race = generate_race(62, 24 * 3600 * 10**6, seed=2024)
    return b"".join(P3Simulator.from_race(race, status_every=5_000_000).frames)


def real_stream(frames: int) -> bytes | None:
    if not REAL_CAPTURE.is_file():
        return None
    raw = REAL_CAPTURE.read_bytes()
    capture = read_p3_file(REAL_CAPTURE)
    bad = {e.offset for e in capture.errors}
    spans = [m for m in re.finditer(rb"\x8e[^\x8e\x8f]*\x8f", raw) if m.start() not in bad]
    one = b"".join(m.group() for m in spans)
    return one * (frames // len(spans) + 1)


def decode(data: bytes) -> int:
    decoder = P3Decoder()
    feed = decoder.feed
    count = 0
    for i in range(0, len(data), CHUNK):
        count += len(feed(data[i : i + CHUNK]))
    count += len(decoder.close())
    if decoder.errors:
        raise SystemExit(f"{decoder.errors} frame errors in a clean stream")
    return count


def split_baseline(data: bytes) -> int:
    return len(data.split(b"\x8f")) - 1


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def measure(name: str, data: bytes, runs: int) -> float:
    records = decode(data)
    frames = split_baseline(data)
    decoder_s = statistics.median(timed(lambda: decode(data), runs))
    baseline_s = statistics.median(timed(lambda: split_baseline(data), runs))
    rate = records / decoder_s
    base_rate = frames / baseline_s
    print(f"\n{name}: {records:,} records, {len(data) / 1e6:.1f} MB")
    print(f"  P3Decoder (64 KiB chunks)  median {decoder_s * 1000:8.1f} ms  {rate:12,.0f} records/s")
    print(f"  baseline bytes.split       median {baseline_s * 1000:8.1f} ms  {base_rate:12,.0f} frames/s")
    print(f"  ratio baseline/decoder     {base_rate / rate:.1f}x   target {TARGET:,} records/s: ", end="")
    print("met" if rate >= TARGET else "MISSED")
    return rate


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=None, help="timed runs per measure (default 7, quick 3)")
    parser.add_argument("--quick", action="store_true", help="3 runs per measure")
    args = parser.parse_args(argv)
    runs = args.runs or (3 if args.quick else 7)
    print(
        f"parcferme P3 decoding benchmark: {os.cpu_count()} CPUs ({platform.machine()}), "
        f"Python {platform.python_version()}, median of {runs} runs per measure"
    )
    rates = [measure("simulated 24 h race, 62 cars", simulated_stream(), runs)]
    real = real_stream(100_000)
    if real is None:
        print(f"\nreal capture: skipped ({REAL_CAPTURE} not found)")
    else:
        rates.append(measure("real decoder capture, repeated", real, runs))
    print("\nall targets met" if min(rates) >= TARGET else "\ntarget missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
