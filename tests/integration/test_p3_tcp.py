"""P3 over a real loopback socket: simulator → client → build_laps gives the laps of the simulated race,
through drops, garbage, half frames, a decoder restart and a silent link. Every test is bounded in time."""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import socket
from collections.abc import Callable, Coroutine
from typing import Any

from parcferme.engine import build_laps
from parcferme.errors import FeedError, InputError, ParcFermeError
from parcferme.formats.ambp3 import PassingResolver
from parcferme.live.p3_client import P3Client, parse_address
from parcferme.live.p3_simulator import P3Simulator
from parcferme.model import SF, Lap, Passing, RuleSet
from parcferme.synthetic import SyntheticRace, generate_race

S = 1_000_000
RULES = RuleSet(id="p3")
LIMIT = 10.0  # seconds: no test may hang


def bounded(coro: Coroutine[Any, Any, None]) -> None:
    asyncio.run(asyncio.wait_for(coro, LIMIT))


async def until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.005)


def small_race() -> SyntheticRace:
    return generate_race(6, 10 * 60 * S, seed=11, lap_time=60 * S, pit_stops_every=4)


def cars_of(race: SyntheticRace) -> dict[str, str]:
    return {entry.transponders[0]: entry.number for entry in race.entries}


def laps_of(passings: list[Passing] | tuple[Passing, ...], race: SyntheticRace) -> list[Lap]:
    return sorted(build_laps(passings, race.session, RULES).laps)


def identity(passings: list[Passing] | tuple[Passing, ...]) -> list[tuple[int, str, str, str]]:
    """A passing without its sequence number (the decoder numbers its own passings)."""
    return sorted((p.time, p.line, p.car, p.transponder) for p in passings)


class Collector:
    def __init__(self, race: SyntheticRace, sim: P3Simulator, **options: Any) -> None:
        self.passings: list[Passing] = []
        self.errors: list[ParcFermeError] = []
        resolver = PassingResolver(race.session.schedule.date, cars_of(race), lines=sim.lines)
        options.setdefault("reconnect_delay", 0.02)
        self.client = P3Client(
            "127.0.0.1",
            sim.port,
            resolver=resolver,
            on_passing=self.passings.append,
            on_error=self.errors.append,
            **options,
        )
        self.task = asyncio.create_task(self.client.run())

    async def stop(self) -> None:
        self.client.stop()
        await asyncio.wait_for(self.task, 2.0)


def test_a_simulated_race_arrives_whole_and_gives_its_laps() -> None:
    race = small_race()

    async def main() -> None:
        async with P3Simulator.from_race(race, speed=math.inf) as sim:
            got = Collector(race, sim)
            await until(lambda: len(got.passings) == len(race.passings))
            await sim.finished.wait()
            await asyncio.sleep(0.05)  # nothing more arrives
            await got.stop()
        assert got.errors == []
        assert len(got.passings) == len(race.passings)
        assert identity(got.passings) == identity(race.passings)
        assert laps_of(got.passings, race) == laps_of(race.passings, race) == sorted(race.laps)
        assert set(sim.lines.values()) == {SF, "S1", "S2", "S3", "PIT_IN", "PIT_OUT"}
        assert got.client.stats.connections == 1 and got.client.stats.records > len(race.passings)

    bounded(main())


def test_drops_garbage_half_frames_and_a_restart_lose_nothing() -> None:
    race = small_race()

    async def main() -> None:
        async with P3Simulator.from_race(race, speed=math.inf) as sim:
            total = len(sim.timeline)
            sim.hold(total // 3)
            got = Collector(race, sim)
            await asyncio.wait_for(sim.held.wait(), 5)
            await until(lambda: got.client.stats.records >= total // 3)
            sim.drop()  # a pulled cable
            await until(lambda: got.client.stats.connections == 2)
            sim.inject(b"line noise \x8f more noise")  # an end byte without a start
            sim.inject(sim.frames[0][:17])  # half a frame, then the next frames arrive
            sim.hold(2 * total // 3)
            await asyncio.wait_for(sim.held.wait(), 5)
            sim.restart(down_for=0.2)  # the decoder reboots: refuses connections for a while
            await asyncio.sleep(0.05)
            sim.resume()
            await asyncio.wait_for(sim.finished.wait(), 5)
            await until(lambda: len(got.passings) == len(race.passings))
            await got.stop()
        assert identity(got.passings) == identity(race.passings)
        assert laps_of(got.passings, race) == sorted(race.laps)
        feed = [e for e in got.errors if isinstance(e, FeedError)]
        frames = [e for e in got.errors if isinstance(e, InputError)]
        # the pulled cable, the restart, and at least one connection refused while the decoder reboots
        assert got.client.stats.drops >= 3 and len(feed) == got.client.stats.drops
        assert got.client.stats.connections == sim.connections >= 4
        assert {e.field for e in frames} >= {"start", "truncated"}
        assert all(e.source == f"p3://127.0.0.1:{sim.port}" and "byte " in e.message for e in frames)

    bounded(main())


def test_the_speed_factor_paces_the_passings() -> None:
    passings = [(14 * 3600 * S + k * S, "1234567") for k in range(4)]  # one a second on the Line

    async def main() -> None:
        loop = asyncio.get_running_loop()
        arrivals: list[float] = []
        sim = P3Simulator(passings, session_date=dt.date(2024, 6, 15), speed=10.0, status_every=None)
        async with sim:
            client = P3Client(
                "127.0.0.1",
                sim.port,
                resolver=PassingResolver(dt.date(2024, 6, 15)),
                on_passing=lambda p: arrivals.append(loop.time()),
            )
            began = loop.time()  # before playback starts (it starts when the client connects)
            task = asyncio.create_task(client.run())
            await until(lambda: len(arrivals) == 4)
            client.stop()
            await asyncio.wait_for(task, 2)
        # 3 s of race time at 10x: never sooner than 0.3 s (the player does not run early), far below 3 s
        assert 0.3 <= arrivals[-1] - began < 2.5
        assert arrivals == sorted(arrivals)

    bounded(main())


def test_an_unreachable_decoder_is_reported_and_retried_until_stopped() -> None:
    with socket.socket() as probe:  # a port nobody listens on: bound to port 0, then released
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    async def main() -> None:
        errors: list[ParcFermeError] = []
        client = P3Client(
            "127.0.0.1", port, on_error=errors.append, reconnect_delay=0.01, max_reconnect_delay=0.05
        )
        task = asyncio.create_task(client.run())
        await until(lambda: client.stats.connect_failures >= 3)
        client.stop()
        await asyncio.wait_for(task, 1)
        assert errors and all(isinstance(e, FeedError) and "cannot connect" in str(e) for e in errors)

    bounded(main())


def test_a_silent_link_is_dropped_and_reconnected() -> None:
    async def main() -> None:
        sim = P3Simulator([(0, "1")], session_date=dt.date(2024, 6, 15), status_every=None)
        sim.hold(0)  # connected, but the decoder never says anything
        async with sim:
            errors: list[ParcFermeError] = []
            client = P3Client(
                "127.0.0.1", sim.port, on_error=errors.append, idle_timeout=0.1, reconnect_delay=0.01
            )
            task = asyncio.create_task(client.run())
            await until(lambda: client.stats.connections >= 2)
            client.stop()
            await asyncio.wait_for(task, 1)
        assert any("nothing received for 0.1 s" in str(e) for e in errors)

    bounded(main())


def test_stop_returns_promptly_while_connected() -> None:
    async def main() -> None:
        sim = P3Simulator([(0, "1")], session_date=dt.date(2024, 6, 15), status_every=None)
        sim.hold(0)
        async with sim:
            client = P3Client("127.0.0.1", sim.port, idle_timeout=None)
            task = asyncio.create_task(client.run())
            await asyncio.wait_for(client.connected.wait(), 2)
            client.stop()
            await asyncio.wait_for(task, 1)
            assert client.stats.drops == 0

    bounded(main())


def test_parse_address() -> None:
    assert parse_address("10.33.11.50:5403") == ("10.33.11.50", 5403)
    assert parse_address("decoder.local") == ("decoder.local", 5403)
    assert parse_address("[::1]:6000") == ("::1", 6000)
    assert parse_address("::1") == ("::1", 5403)
    for bad in ("", ":5403", "host:port", "host:70000"):
        try:
            parse_address(bad)
        except InputError:
            continue
        raise AssertionError(f"{bad!r} accepted")
