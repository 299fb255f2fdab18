"""Replaying a capture: paced by its stamps and the speed factor, with an injected clock (no real waiting)."""

from __future__ import annotations

import asyncio
import math
from pathlib import Path

import pytest

from parcferme.errors import InputError
from parcferme.formats.rmonitor_capture import CaptureLine
from parcferme.formats.rmonitor_state import RMonitorState
from parcferme.live.replay import printing_sink, replay

CAPTURE = (
    "##2025-04-26 14:00:00.000\n"
    '$B,1,"Race"\n'
    "##2025-04-26 14:00:01.000\n"
    '$J,"7","00:00:00.000","00:00:50.000"\n'
    "##2025-04-26 14:00:03.000\n"
    '$J,"7","00:01:40.000","00:02:30.000"\n'
    "not a record\n"
    "##2025-04-26 15:00:03.500\n"
    '$J,"7","00:01:41.000","00:04:11.000"\n'
)


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def capture(tmp_path: Path) -> Path:
    path = tmp_path / "capture.txt"
    path.write_text(CAPTURE, encoding="utf-8")
    return path


def test_the_stamps_pace_the_replay(capture: Path) -> None:
    fake = FakeTime()
    state = asyncio.run(replay(capture, 2.0, clock=fake.clock, sleep=fake.sleep))
    assert fake.sleeps == [0.5, 1.0, 1800.25]
    assert state.standings()[0].laps == 2
    assert [issue.line for issue in state.issues] == [7]


def test_long_silences_can_be_cut(capture: Path) -> None:
    fake = FakeTime()
    asyncio.run(replay(capture, 1.0, clock=fake.clock, sleep=fake.sleep, max_gap=5.0))
    assert fake.sleeps == [1.0, 2.0, 5.0]


def test_as_fast_as_possible(capture: Path) -> None:
    fake = FakeTime()
    asyncio.run(replay(capture, math.inf, clock=fake.clock, sleep=fake.sleep))
    assert fake.sleeps == []


def test_a_slow_sink_is_not_waited_for_twice(capture: Path) -> None:
    fake = FakeTime()

    async def slow(line: CaptureLine, state: RMonitorState) -> None:
        fake.now += 0.75  # the sink itself takes time: the next wait is shorter

    asyncio.run(replay(capture, 1.0, slow, clock=fake.clock, sleep=fake.sleep))
    assert fake.sleeps == [0.25, 1.25, 3599.0]


def test_the_sink_sees_every_line_after_it_is_applied(capture: Path) -> None:
    seen: list[tuple[int, int]] = []
    asyncio.run(replay(capture, math.inf, lambda line, state: seen.append((line.number, state.version))))
    assert seen == [(2, 1), (4, 2), (6, 3), (7, 3), (9, 4)]


def test_a_capture_without_stamps_replays_at_once(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text('$B,1,"Race"\n$J,"7","00:00:00.000","00:00:50.000"\n', encoding="utf-8")
    fake = FakeTime()
    state = asyncio.run(replay(path, 1.0, clock=fake.clock, sleep=fake.sleep))
    assert fake.sleeps == [] and state.run is not None


@pytest.mark.parametrize("speed", [0.0, -1.0, math.nan])
def test_the_speed_must_be_positive(capture: Path, speed: float) -> None:
    with pytest.raises(InputError, match="speed"):
        asyncio.run(replay(capture, speed))


def test_a_missing_capture_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        asyncio.run(replay(tmp_path / "none.txt"))


def test_the_printing_sink_writes_the_order_at_most_every_interval(capture: Path) -> None:
    fake = FakeTime()
    shown: list[str] = []
    sink = printing_sink(shown.append, interval=2.0, clock=fake.clock)
    asyncio.run(replay(capture, 1.0, sink, clock=fake.clock, sleep=fake.sleep))
    assert len(shown) == 3  # at 0 s, at 3 s (1 s was too soon) and an hour later
    assert shown[-1].splitlines()[0].startswith("Race")
