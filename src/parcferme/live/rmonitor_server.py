"""An RMonitor server: publishes live timing to every connected scoreboard, as Orbits does.

`RMonitorServer` fans lines out to clients: each client has its own bounded queue and writer task, so a
slow scoreboard never holds up the publisher or the others (one that falls `queue_size` lines behind is
disconnected; it will reconnect and get a fresh snapshot). A newly connected client first receives the
`snapshot()` records — competitors, positions, best laps, flag — then everything published after.

`LivePublisher` turns parcferme's own live classification (engine.live.LiveRace) into those records:
$A/$COMP for the entries, $J for each completed lap, $G and $H for the positions that changed, and $F
heartbeats. Relaying a feed or a capture is `server.publish(line)` for each line (see live.replay).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from types import TracebackType

from parcferme.engine.live import LiveRace
from parcferme.formats.rmonitor_records import (
    BestLapPosition,
    ClassInfo,
    Competitor,
    CompetitorExt,
    Heartbeat,
    Init,
    LinePassing,
    RacePosition,
    Record,
    RunInfo,
    format_record,
)
from parcferme.model.results import ResultRow, SessionResult
from parcferme.model.timing import Lap, Passing

__all__ = ["LivePublisher", "RMonitorServer"]

Snapshot = Callable[[], Iterable[Record | str]]


class RMonitorServer:
    """Serves RMonitor lines on host:port (port 0: any free port, see `.port` once started)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        snapshot: Snapshot | None = None,
        heartbeat: Callable[[], Heartbeat | None] | None = None,
        heartbeat_interval: float = 1.0,
        queue_size: int = 100_000,
    ) -> None:
        self.host, self.requested_port = host, port
        self.snapshot = snapshot
        self.heartbeat = heartbeat
        self.heartbeat_interval = heartbeat_interval
        self.queue_size = queue_size
        self.published = 0
        self.dropped_clients = 0
        self._server: asyncio.Server | None = None
        self._queues: dict[asyncio.StreamWriter, asyncio.Queue[str]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._heartbeat_task: asyncio.Task[None] | None = None

    @property
    def port(self) -> int:
        if self._server is None or not self._server.sockets:
            raise RuntimeError("the server is not started")
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def clients(self) -> int:
        return len(self._queues)

    async def start(self) -> RMonitorServer:
        self._server = await asyncio.start_server(self._serve, self.host, self.requested_port)
        self._heartbeat_task = asyncio.create_task(self._beat())
        return self

    async def __aenter__(self) -> RMonitorServer:
        return await self.start()

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        """Stop listening and disconnect every client (what a timing PC switched off looks like)."""
        if self._heartbeat_task is not None:
            self._heartbeat_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._heartbeat_task
            self._heartbeat_task = None
        if self._server is not None:
            self._server.close()
        for writer in list(self._queues):
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    def publish(self, *items: Record | str) -> None:
        """Send records (or ready-made lines) to every client; never blocks."""
        lines = [item if isinstance(item, str) else format_record(item) for item in items]
        self.published += len(lines)
        for writer, queue in list(self._queues.items()):
            for line in lines:
                try:
                    queue.put_nowait(line)
                except asyncio.QueueFull:
                    self._drop(writer)
                    break

    def _drop(self, writer: asyncio.StreamWriter) -> None:
        """A client too slow to keep up: disconnect it rather than hold up everyone."""
        self.dropped_clients += 1
        self._queues.pop(writer, None)
        writer.close()

    async def drain(self, timeout: float = 5.0) -> None:
        """Wait until every client's queue is written out (for tests and orderly shutdowns)."""
        async with asyncio.timeout(timeout):
            while any(not q.empty() for q in self._queues.values()):
                await asyncio.sleep(0.005)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        # the snapshot is queued before this client can see any later publish: nothing is missed
        first = (
            [i if isinstance(i, str) else format_record(i) for i in self.snapshot()] if self.snapshot else []
        )
        queue: asyncio.Queue[str] = asyncio.Queue(self.queue_size + len(first))
        for line in first:
            queue.put_nowait(line)
        self._queues[writer] = queue
        eof = asyncio.create_task(_until_eof(reader))
        try:
            while True:
                get = asyncio.create_task(queue.get())
                done, _ = await asyncio.wait({get, eof}, return_when=asyncio.FIRST_COMPLETED)
                if eof in done:
                    get.cancel()
                    break
                batch = [get.result()]
                while not queue.empty() and len(batch) < 512:  # write what is waiting in one go
                    batch.append(queue.get_nowait())
                writer.write(("\r\n".join(batch) + "\r\n").encode("utf-8"))
                await writer.drain()
        except (ConnectionError, OSError):
            pass  # the client went away
        except asyncio.CancelledError:
            pass  # the server is closing: ending quietly is this handler's whole job
        finally:
            eof.cancel()
            self._queues.pop(writer, None)
            writer.close()
            with contextlib.suppress(ConnectionError, OSError, asyncio.CancelledError):
                await writer.wait_closed()
            if task is not None:
                self._tasks.discard(task)

    async def _beat(self) -> None:
        """$F every interval, when a heartbeat source is set (it may be set after the start)."""
        while True:
            record = self.heartbeat() if self.heartbeat is not None else None
            if record is not None:
                self.publish(record)
            await asyncio.sleep(self.heartbeat_interval)


async def _until_eof(reader: asyncio.StreamReader) -> None:
    """Scoreboards send nothing; read (and drop) whatever comes until they hang up."""
    while await reader.read(4096):
        pass


class LivePublisher:
    """Publishes a LiveRace through a server: feed it passings, scoreboards follow the classification.

    Car numbers are the RMonitor registration keys; classes are the entries' `class` attribute, numbered
    in order of appearance ($C). Times of day come from the passings: the feed has no clock of its own.
    """

    def __init__(self, server: RMonitorServer, live: LiveRace, *, run_id: int = 1) -> None:
        self.server = server
        self.live = live
        self.run = RunInfo(run_id, live.session.name or live.session.id)
        self.classes: dict[str, int] = {}
        for entry in live.entries:
            cls = entry.attribute("class")
            if isinstance(cls, str) and cls not in self.classes:
                self.classes[cls] = len(self.classes) + 1
        self._g: dict[str, RacePosition] = {}
        self._h: dict[str, BestLapPosition] = {}
        self.flag = ""
        self.clock = live.session.schedule.start  # latest time of day seen (µs)
        server.snapshot = self.snapshot
        if server.heartbeat is None:
            server.heartbeat = self.heartbeat

    def _class_id(self, number: str) -> int:
        for entry in self.live.entries:
            if entry.number == number:
                cls = entry.attribute("class")
                return self.classes.get(cls, 0) if isinstance(cls, str) else 0
        return 0

    def competitors(self) -> list[Record]:
        out: list[Record] = []
        for entry in self.live.entries:
            driver = entry.driver if entry.drivers else None
            first, last = (driver.first_name, driver.last_name) if driver else ("", "")
            nat = driver.nationality if driver else ""
            cls = self._class_id(entry.number)
            tp = entry.transponders[0] if entry.transponders else ""
            out.append(Competitor(entry.number, entry.number, tp, first, last, nat, cls))
            out.append(CompetitorExt(entry.number, entry.number, cls, first, last, nat, entry.team))
        return out

    def heartbeat(self) -> Heartbeat:
        """$F now: time to go from the schedule's duration (9999 laps to go: a timed race)."""
        schedule = self.live.session.schedule
        race_time = max(self.clock - schedule.start, 0)
        to_go = max(schedule.duration - race_time, 0) if schedule.duration is not None else 0
        laps_to_go = 9999
        if schedule.laps is not None:
            laps_to_go = max(schedule.laps - self.live.result().laps_completed, 0)
        return Heartbeat(laps_to_go, to_go, self.clock, race_time, self.flag)

    def positions(self, result: SessionResult) -> tuple[dict[str, RacePosition], dict[str, BestLapPosition]]:
        """$G for every row (Orbits numbers every car, classified or not) and $H by best lap."""
        g = {
            row.car: RacePosition(i, row.car, row.laps or None, row.time or 0)
            for i, row in enumerate(result.rows, 1)
        }
        timed = sorted((r for r in result.rows if r.best_lap is not None), key=_best_key)
        untimed = [r for r in result.rows if r.best_lap is None]
        h: dict[str, BestLapPosition] = {}
        for i, row in enumerate([*timed, *untimed], 1):
            best = row.best_lap
            h[row.car] = BestLapPosition(i, row.car, best.lap if best else 0, best.time if best else 0)
        return g, h

    def snapshot(self) -> list[Record]:
        g, h = self.positions(self.live.result())
        return [
            Init(self.clock, ""),
            self.run,
            *(ClassInfo(id_, name) for name, id_ in self.classes.items()),
            *self.competitors(),
            *g.values(),
            *h.values(),
            self.heartbeat(),
        ]

    def start(self, flag: str = "Green") -> None:
        """Announce the run: competitors, starting order and the flag."""
        self.flag = flag
        self.server.publish(*self.snapshot())

    def add_passing(self, passing: Passing) -> Lap | None:
        """Feed one passing; when it completes a lap, publish the $J and the $G/$H that changed."""
        self.clock = max(self.clock, passing.time)
        lap = self.live.add_passing(passing)
        if lap is not None:
            start = self.live.session.schedule.start
            self.server.publish(LinePassing(lap.car, lap.time, lap.end - start), *self._changes())
        return lap

    def set_flag(self, flag: str, now: int | None = None) -> None:
        self.flag = flag
        if now is not None:
            self.clock = max(self.clock, now)
        self.server.publish(self.heartbeat())

    def _changes(self) -> list[Record]:
        g, h = self.positions(self.live.result())
        out: list[Record] = [r for car, r in g.items() if self._g.get(car) != r]
        out.extend(r for car, r in h.items() if self._h.get(car) != r)
        self._g, self._h = g, h
        return out


def _best_key(row: ResultRow) -> tuple[int, int]:
    best = row.best_lap
    return (best.time, best.at) if best is not None else (0, 0)
