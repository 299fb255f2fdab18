"""Units, timing lines and crossings shared by the two simulators.

Every time is an int of microseconds: race and session clocks count from the session start, crossings
are written as times of day. Spa's lines (invented positions, as fractions of the 7.004 km lap from the
Line): S1 at Les Combes, S2 after Pouhon/Fagnes, pit entry after the Bus Stop, pit exit after La Source.
"""

from __future__ import annotations

import random
from typing import NamedTuple

US = 1_000_000
SF, S1, S2, PIT_IN, PIT_OUT = "SF", "S1", "S2", "PIT_IN", "PIT_OUT"

F_S1 = 0.29  # sector 1 ≈ 29 % of the lap, sector 2 ≈ 43 %, sector 3 ≈ 28 %
F_S2 = 0.72
F_PIT_IN = 0.965
F_PIT_OUT = 0.06
PIT_LANE_TO_LINE = 14 * US  # pit entry → the Line, at the pit-lane speed limit
LINE_TO_PIT_EXIT = 16 * US  # the Line → pit exit, at the pit-lane speed limit, without the stop


def us(seconds: float) -> int:
    return round(seconds * US)


def rng(*key: object) -> random.Random:
    """A generator of its own per (session, car, purpose): changing one car never reshuffles another."""
    return random.Random("spa2017/" + "/".join(str(k) for k in key))


def jittered(r: random.Random, spread: float = 0.004) -> tuple[float, float]:
    """Where S1 and S2 fall in one lap, as fractions of it (drivers differ corner to corner)."""
    return F_S1 + r.uniform(-spread, spread), F_S2 + r.uniform(-spread, spread)


class Crossing(NamedTuple):
    time: int  # µs since the session start
    line: str
    car: str


def hms(micros: int) -> str:
    """`16:35:07.123456`: a time of day for passings.csv and track-status.csv."""
    seconds, frac = divmod(micros, US)
    minutes, secs = divmod(seconds, 60)
    hours, mins = divmod(minutes, 60)
    return f"{hours:02d}:{mins:02d}:{secs:02d}.{frac:06d}"


def clock(micros: int) -> str:
    """`2:23.998` for messages (truncated to thousandths, as timing screens show)."""
    millis = micros // 1000
    minutes, ms = divmod(millis, 60_000)
    return f"{minutes}:{ms // 1000:02d}.{ms % 1000:03d}" if minutes else f"{ms // 1000}.{ms % 1000:03d}"


def zero_sum_noise(r: random.Random, n: int, sigma: float) -> list[int]:
    """n integer µs offsets, each within about ±2σ, that add up to exactly 0."""
    raw = [max(-2 * sigma, min(2 * sigma, r.gauss(0.0, sigma))) for _ in range(n)]
    mean = sum(raw) / n
    out = [us(x - mean) for x in raw]
    out[-1] -= sum(out)
    return out
