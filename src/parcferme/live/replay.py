"""Replaying an RMonitor capture in real time, or `speed` times faster, as if the feed were live.

The pace comes from the capture's `##timestamp` lines: each block is released when as much time has
passed (divided by `speed`) as separated it from the first block in the capture. A capture without stamps,
or `speed=math.inf`, replays as fast as it can. Long silences in a capture (a lunch break, captures put end
to end) can be shortened with `max_gap`. The clock and the sleep are injectable, so tests run a one-hour
capture in no time.

Each line is folded into an RMonitorState, then handed to the sink: a callable (sync or async) taking the
line and the state, or an RMonitorServer, which relays the line verbatim to its scoreboards.
"""

from __future__ import annotations

import asyncio
import inspect
import math
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from parcferme.errors import InputError
from parcferme.formats.rmonitor import render_standings
from parcferme.formats.rmonitor_capture import Capture, CaptureLine, read_capture
from parcferme.formats.rmonitor_state import RMonitorState
from parcferme.live.rmonitor_server import RMonitorServer

__all__ = ["Sink", "printing_sink", "replay", "replay_capture"]

Sink = Callable[[CaptureLine, RMonitorState], object]


async def replay(
    path: Path | str,
    speed: float = 1.0,
    sink: Sink | RMonitorServer | None = None,
    *,
    state: RMonitorState | None = None,
    max_gap: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> RMonitorState:
    """Replay the capture at `path`; returns the state it leaves (InputError when it cannot be read)."""
    capture = read_capture(path)
    return await replay_capture(capture, speed, sink, state=state, max_gap=max_gap, clock=clock, sleep=sleep)


async def replay_capture(
    capture: Capture,
    speed: float = 1.0,
    sink: Sink | RMonitorServer | None = None,
    *,
    state: RMonitorState | None = None,
    max_gap: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> RMonitorState:
    """Replay an already read capture (see `replay`)."""
    if not speed > 0:
        raise InputError(f"replay speed must be positive, not {speed!r}", field="speed")
    state = state if state is not None else RMonitorState(capture.source)
    state.issues.extend(capture.issues)
    deliver = _deliver(sink)
    origin: float | None = None  # clock reading at the first stamp
    first: int | None = None  # the first stamp (µs)
    previous: int | None = None
    skipped = 0  # µs of capture time cut out by max_gap
    paced = math.isfinite(speed)
    for line in capture.lines:
        stamp = line.stamp
        if paced and stamp is not None:
            if first is None:
                first, previous, origin = stamp, stamp, clock()
            assert previous is not None and origin is not None
            if max_gap is not None and stamp - previous > max_gap * 1e6:
                skipped += stamp - previous - int(max_gap * 1e6)
            previous = stamp
            due = origin + (stamp - first - skipped) / 1e6 / speed
            delay = due - clock()
            if delay > 0:
                await sleep(delay)
        state.feed_line(line.text, line.number)
        if deliver is not None:
            outcome = deliver(line, state)
            if inspect.isawaitable(outcome):
                await outcome
    return state


def _deliver(sink: Sink | RMonitorServer | None) -> Sink | None:
    if isinstance(sink, RMonitorServer):
        server = sink

        def relay(line: CaptureLine, state: RMonitorState) -> None:
            server.publish(line.text)

        return relay
    return sink


def printing_sink(
    write: Callable[[str], object],
    *,
    interval: float = 1.0,
    limit: int | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Sink:
    """A sink that writes the live order (render_standings) at most every `interval` seconds of wall
    time, whenever a record changed it — what `parcferme replay FILE` shows in a terminal."""
    last = float("-inf")
    shown = -1

    def sink(line: CaptureLine, state: RMonitorState) -> None:
        nonlocal last, shown
        now = clock()
        if state.version != shown and now - last >= interval:
            last, shown = now, state.version
            write(render_standings(state, limit=limit))

    return sink
