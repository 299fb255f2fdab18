"""RMonitor over TCP on 127.0.0.1: server → client end to end, bad lines, drops, restarts, slow clients.

Every server binds 127.0.0.1 port 0; every test runs under a timeout, so a bug makes it fail, not hang.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Awaitable, Callable
from pathlib import Path

from parcferme.engine.live import LiveRace
from parcferme.formats.rmonitor_capture import read_capture
from parcferme.formats.rmonitor_records import Record, format_record
from parcferme.formats.rmonitor_state import RMonitorState
from parcferme.live.replay import replay
from parcferme.live.rmonitor_client import RMonitorClient, listen
from parcferme.live.rmonitor_server import LivePublisher, RMonitorServer
from parcferme.model import RuleSet
from parcferme.synthetic import generate_race

S = 1_000_000
HOST = "127.0.0.1"
FAST_BACKOFF = (0.02, 0.1)


def run(test: Callable[[], Awaitable[None]], timeout: float = 10.0) -> None:
    async def bounded() -> None:
        async with asyncio.timeout(timeout):
            await test()

    asyncio.run(bounded())


async def until(predicate: Callable[[], bool], timeout: float = 5.0) -> None:
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.005)


class _Recorder(RMonitorServer):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def publish(self, *items: Record | str) -> None:
        self.lines.extend(i if isinstance(i, str) else format_record(i) for i in items)


def write_capture(path: Path, cars: int = 8, minutes: int = 15, seed: int = 4) -> Path:
    """A stamped capture of a synthetic race as parcferme's own publisher would send it."""
    race = generate_race(cars, minutes * 60 * S, seed=seed, lap_time=100 * S, retirements=1)
    recorder = _Recorder()
    publisher = LivePublisher(recorder, LiveRace(race.session, race.entries, RuleSet("tcp")))
    publisher.start()
    day = dt.datetime(2025, 4, 26)
    out: list[str] = ["\ufeff##" + str(day + dt.timedelta(microseconds=race.session.schedule.start))[:23]]
    out += recorder.lines
    for passing in race.passings:
        recorder.lines.clear()
        if publisher.add_passing(passing) is not None:
            out.append("##" + (day + dt.timedelta(microseconds=passing.time)).isoformat(" ", "milliseconds"))
            out += recorder.lines
            out.append("")
    path.write_text("\r\n".join(out), encoding="utf-8")
    return path


def _order(state: RMonitorState) -> list[tuple[str, int, int | None, int | None]]:
    return [(r.number, r.laps, r.total_time, r.best_lap) for r in state.standings()]


def test_a_capture_replayed_through_the_server_reaches_the_client_unchanged(tmp_path: Path) -> None:
    path = write_capture(tmp_path / "race.txt")
    expected = RMonitorState()
    for line in read_capture(path).lines:
        expected.feed_line(line.text, line.number)

    async def scenario() -> None:
        async with RMonitorServer(HOST, 0) as server:
            client = RMonitorClient(HOST, server.port, backoff=FAST_BACKOFF)
            task = asyncio.create_task(client.run())
            await until(lambda: server.clients == 1)
            replayed = await replay(path, math.inf, server)
            await until(lambda: client.lines == len(read_capture(path).lines))
            client.stop()
            await task
            assert _order(client.state) == _order(replayed) == _order(expected)
            assert client.state.classify() == expected.classify()
            assert [e.kind for e in client.events] == ["connected"]

    run(scenario)


def test_the_scoreboard_follows_parcferme_classification_and_a_late_one_catches_up() -> None:
    race = generate_race(6, 10 * 60 * S, seed=9, lap_time=90 * S)
    live = LiveRace(race.session, race.entries, RuleSet("tcp"))

    async def scenario() -> None:
        async with RMonitorServer(HOST, 0) as server:
            publisher = LivePublisher(server, live)
            early = RMonitorClient(HOST, server.port, backoff=FAST_BACKOFF)
            tasks = [asyncio.create_task(early.run())]
            await until(lambda: server.clients == 1)
            half = len(race.passings) // 2
            for passing in race.passings[:half]:
                publisher.add_passing(passing)
            late = RMonitorClient(HOST, server.port, backoff=FAST_BACKOFF)
            tasks.append(asyncio.create_task(late.run()))
            await until(lambda: server.clients == 2)
            for passing in race.passings[half:]:
                publisher.add_passing(passing)
            await server.drain()
            result = live.result()
            # the protocol carries milliseconds
            want = [(r.car, r.laps, r.time // 1000 * 1000) for r in result.rows if r.laps and r.time]
            for client in (early, late):
                await until(
                    lambda c=client: (
                        [(r.number, r.laps, r.total_time) for r in c.state.standings()][: len(want)] == want
                    )
                )  # type: ignore[misc]
                client.stop()
            await asyncio.gather(*tasks)

    run(scenario)


def test_a_malformed_record_is_reported_and_the_good_ones_around_it_kept() -> None:
    async def scenario() -> None:
        async with RMonitorServer(HOST, 0) as server:
            client = RMonitorClient(HOST, server.port, backoff=FAST_BACKOFF)
            task = asyncio.create_task(client.run())
            await until(lambda: server.clients == 1)
            server.publish('$J,"7","00:00:00.000","00:00:50.000"', '$J,"7","garbage', "\xff\x00junk", "")
            server.publish('$J,"7","00:01:40.000","00:02:30.000"', '$SR,"7",1')
            await until(lambda: client.lines == 6)
            client.stop()
            await task
        assert client.state.standings()[0].laps == 1
        kinds = [e.kind for e in client.events]
        assert kinds == ["connected", "malformed", "malformed", "unknown"]
        assert [e.error.line for e in client.events if e.error] == [2, 3]
        assert client.state.issues[0].source == client.source

    run(scenario)


def test_the_client_survives_a_server_restart_and_keeps_its_state() -> None:
    async def scenario() -> None:
        first = await RMonitorServer(HOST, 0).start()
        port = first.port
        client = RMonitorClient(HOST, port, backoff=FAST_BACKOFF)
        task = asyncio.create_task(client.run())
        await until(lambda: first.clients == 1)
        first.publish('$J,"7","00:00:00.000","00:00:50.000"', '$J,"7","00:01:40.000","00:02:30.000"')
        await until(lambda: client.lines == 2)
        await first.close()  # the timing PC goes away
        await until(lambda: any(e.kind == "disconnected" for e in client.events))
        await asyncio.sleep(0.15)  # a few failed reconnections
        second = await RMonitorServer(HOST, port).start()
        await until(lambda: second.clients == 1)
        second.publish('$J,"7","00:01:41.000","00:04:11.000"')
        await until(lambda: client.lines == 3)
        client.stop()
        await task
        await second.close()
        assert client.state.standings()[0].laps == 2  # one lap before the drop, one after
        kinds = [e.kind for e in client.events]
        assert kinds[:2] == ["connected", "disconnected"] and kinds[-1] == "connected"
        assert "connect-failed" in kinds and client.connections == 2

    run(scenario)


def test_a_silent_feed_is_dropped_and_reconnected() -> None:
    async def scenario() -> None:
        async with RMonitorServer(HOST, 0) as server:
            client = RMonitorClient(HOST, server.port, idle_timeout=0.1, backoff=FAST_BACKOFF)
            task = asyncio.create_task(client.run())
            await until(lambda: client.connections >= 2)
            client.stop()
            await task
        assert any(e.kind == "disconnected" and "no data" in e.message for e in client.events)

    run(scenario)


def test_the_client_gives_up_when_asked_to() -> None:
    async def scenario() -> None:
        server = await RMonitorServer(HOST, 0).start()
        port = server.port
        await server.close()  # nothing listens on that port any more
        client = RMonitorClient(HOST, port, backoff=FAST_BACKOFF, max_attempts=3)
        await client.run()
        assert [e.kind for e in client.events] == ["connect-failed"] * 3 + ["gave-up"]

    run(scenario)


def test_a_slow_scoreboard_is_dropped_not_waited_for() -> None:
    async def scenario() -> None:
        async with RMonitorServer(HOST, 0, queue_size=10) as server:
            reader, writer = await asyncio.open_connection(HOST, server.port)
            await until(lambda: server.clients == 1)
            server.publish(*(f'$B,{i},"run"' for i in range(50)))  # faster than anyone can write
            assert server.clients == 0 and server.dropped_clients == 1
            assert (await asyncio.wait_for(reader.read(), 2.0)) == b""
            writer.close()

    run(scenario)


def test_a_heartbeat_is_sent_every_interval() -> None:
    race = generate_race(2, 60 * S, seed=1)
    live = LiveRace(race.session, race.entries, RuleSet("tcp"))

    async def scenario() -> None:
        async with RMonitorServer(HOST, 0, heartbeat_interval=0.02) as server:
            LivePublisher(server, live)  # becomes the server's snapshot and heartbeat
            client = RMonitorClient(HOST, server.port, backoff=FAST_BACKOFF)
            task = asyncio.create_task(client.run())
            await until(lambda: client.state.counts["Heartbeat"] >= 3)
            client.stop()
            await task
            assert client.state.counts["Competitor"] == 2  # the snapshot came first

    run(scenario)


def test_listen_stops_after_its_duration_and_reports_the_state() -> None:
    updates: list[int] = []

    async def scenario() -> None:
        async with RMonitorServer(HOST, 0) as server:
            server.snapshot = lambda: ['$B,3,"Race"', '$J,"7","00:00:00.000","00:00:50.000"']
            state = await listen(
                HOST, server.port, lambda s: updates.append(s.version), duration=0.3, interval=0
            )
            assert state.run is not None and state.run.name == "Race"
            stop = asyncio.Event()
            stop.set()
            await listen(HOST, server.port, lambda s: None, stop=stop)

    run(scenario)
    assert updates and updates[-1] == 2
