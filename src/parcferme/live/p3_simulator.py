"""A MYLAPS / AMB P3 decoder simulator: a real asyncio TCP server that plays passings as P3 frames.

It stands in for the decoder in tests and demonstrations. Each timing line is one decoder (its own decoder
id, its own passing numbers from 1), and all of them speak through this one server; the clock of the
race is played at `speed` times real time (`math.inf`: as fast as the socket takes it), starting when the
first client connects. STATUS records are interleaved every `status_every` µs of race time per decoder, as
a real decoder sends its health report every few seconds.

A real decoder keeps its passings in memory and a timing program asks for the ones it missed; the
simulator's stand-in is `replay`: a client that connects is first sent every frame already played. With
the client's duplicate filter this gives every passing exactly once across drops and restarts.

For tests it can misbehave on purpose: `inject` sends raw bytes (garbage, half a frame), `drop` cuts
every connection, `restart` also refuses connections for a while (accepting and closing them at once,
like a booting decoder, on the same listening socket), and `hold` stops playback after a given number of
frames so a test can act at an exact point of the stream. The server binds to 127.0.0.1, port 0.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from types import TracebackType

from parcferme.errors import InputError
from parcferme.formats.ambp3 import P3Passing, P3Status, encode_record, midnight_epoch_us
from parcferme.model.timing import SF, Passing
from parcferme.synthetic import SyntheticRace

__all__ = ["FIRST_DECODER_ID", "P3Simulator"]

FIRST_DECODER_ID = 4001  # decoder ids are given in order of first appearance of each line
_BATCH = 512  # frames written at once when playing faster than real time


class P3Simulator:
    """Plays `passings` — `model.Passing`s, or (time of day µs, transponder) pairs on the Line — over TCP.

    `decoders` maps line → decoder id (default: one id per line from FIRST_DECODER_ID); passings on a line
    not in it are not played. `lines` is the reverse map, to give a `PassingResolver`.
    """

    def __init__(
        self,
        passings: Iterable[Passing | tuple[int, str]],
        *,
        session_date: dt.date,
        tz: dt.tzinfo = dt.UTC,
        speed: float = 1.0,
        decoders: Mapping[str, int] | None = None,
        status_every: int | None = 5_000_000,
        replay: bool = True,
        host: str = "127.0.0.1",
    ) -> None:
        if not speed > 0:
            raise InputError("speed must be positive (math.inf: as fast as possible)", field="speed")
        rows = [_row(p) for p in passings]
        rows.sort(key=lambda row: row[0])
        if decoders is None:
            decoders = {}
            for _, line, _ in rows:
                decoders.setdefault(line, FIRST_DECODER_ID + len(decoders))
        self.decoders: Mapping[str, int] = dict(decoders)
        self.lines: Mapping[int, str] = {d: line for line, d in self.decoders.items()}
        self.speed = speed
        self.replay = replay
        self.host = host
        self.timeline = _timeline(rows, self.decoders, midnight_epoch_us(session_date, tz), status_every)
        self.sent = 0  # frames of the timeline played so far
        self.finished = asyncio.Event()  # every frame played
        self.held = asyncio.Event()  # playback reached the hold point
        self.connections = 0  # connections accepted (refused ones included)
        self._hold_at: int | None = None
        self._wake = asyncio.Event()  # set to make a held player look at its hold point again
        self._played: list[bytes] = []
        self._clients: dict[asyncio.StreamWriter, asyncio.Queue[bytes | None]] = {}
        self._down = False
        self._server: asyncio.Server | None = None
        self._port: int | None = None
        self._player: asyncio.Task[None] | None = None

    @classmethod
    def from_race(
        cls,
        race: SyntheticRace,
        *,
        speed: float = 1.0,
        decoders: Mapping[str, int] | None = None,
        status_every: int | None = 5_000_000,
        replay: bool = True,
    ) -> P3Simulator:
        """A simulator playing a synthetic race: every line, each car's transponder, the session's date."""
        return cls(
            race.passings,
            session_date=race.session.schedule.date,
            speed=speed,
            decoders=decoders,
            status_every=status_every,
            replay=replay,
        )

    @property
    def port(self) -> int:
        if self._port is None:
            raise InputError("the simulator is not started", field="port")
        return self._port

    @property
    def frames(self) -> tuple[bytes, ...]:
        """Every frame of the timeline, in playing order."""
        return tuple(frame for _, frame in self.timeline)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, 0)
        self._port = int(self._server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self._player is not None:
            self._player.cancel()
            with suppress(asyncio.CancelledError):
                await self._player
        self.drop()
        if self._server is not None:
            self._server.close()
            with suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 2.0)

    async def __aenter__(self) -> P3Simulator:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        await self.close()

    def inject(self, data: bytes) -> None:
        """Send raw bytes to every connected client now (not replayed to later clients)."""
        for queue in self._clients.values():
            queue.put_nowait(data)

    def drop(self) -> None:
        """Cut every connection at once (a reset, as when a cable is pulled)."""
        for writer, queue in list(self._clients.items()):
            writer.transport.abort()
            queue.put_nowait(None)
        self._clients.clear()

    def restart(self, down_for: float) -> None:
        """Drop every connection and refuse new ones for `down_for` seconds; playback goes on meanwhile."""
        self.drop()
        self._down = True

        def up() -> None:
            self._down = False

        asyncio.get_running_loop().call_later(down_for, up)

    def hold(self, after: int) -> None:
        """Play until `after` frames of the timeline have been sent, then wait (`held` is set then).

        Called while held, it moves the hold point: playback goes on up to the new one.
        """
        self._hold_at = after
        self.held.clear()
        self._wake.set()

    def resume(self) -> None:
        self._hold_at = None
        self.held.clear()
        self._wake.set()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        if self._down:
            writer.transport.abort()
            return
        queue: asyncio.Queue[bytes | None] = asyncio.Queue()
        if self.replay and self._played:
            queue.put_nowait(b"".join(self._played))
        self._clients[writer] = queue
        if self._player is None:
            self._player = asyncio.create_task(self._play())
        try:
            while (chunk := await queue.get()) is not None:
                writer.write(chunk)
                await writer.drain()
        except OSError:
            pass  # the client went away; it will come back or not
        finally:
            self._clients.pop(writer, None)
            writer.transport.abort()

    async def _play(self) -> None:
        loop = asyncio.get_running_loop()
        timeline = self.timeline
        if not timeline:
            self.finished.set()
            return
        origin = timeline[0][0]
        started = loop.time()
        scale = 1e-6 / self.speed  # s of wall time per µs of race time (0 at infinite speed)
        i = 0
        while i < len(timeline):
            if self._hold_at is not None and self.sent >= self._hold_at:
                self.held.set()
                self._wake.clear()
                await self._wake.wait()
                started = loop.time() - (timeline[i][0] - origin) * scale  # no catching up after a hold
                continue
            delay = started + (timeline[i][0] - origin) * scale - loop.time()
            if delay > 0:
                await asyncio.sleep(delay)
            now = loop.time()
            limit = len(timeline) if self._hold_at is None else self._hold_at
            batch: list[bytes] = []
            while i < limit and len(batch) < _BATCH and started + (timeline[i][0] - origin) * scale <= now:
                batch.append(timeline[i][1])
                i += 1
            self._emit(batch)
            await asyncio.sleep(0)  # let the clients' writers run
        self.finished.set()

    def _emit(self, frames: Sequence[bytes]) -> None:
        if not frames:
            return
        self.sent += len(frames)
        self._played.extend(frames)
        chunk = b"".join(frames)
        for queue in self._clients.values():
            queue.put_nowait(chunk)


def _row(item: Passing | tuple[int, str]) -> tuple[int, str, int]:
    """(time of day µs, line, transponder number) of one passing to play."""
    if isinstance(item, Passing):
        time, line, transponder = item.time, item.line, item.transponder
    else:
        time, transponder = item
        line = SF
    text = str(transponder)
    if not text.isdigit() or int(text) >= 1 << 32:
        raise InputError(f"transponder {text!r} is not a P3 transponder number", field="transponder")
    return time, line, int(text)


def _timeline(
    rows: list[tuple[int, str, int]], decoders: Mapping[str, int], midnight: int, status_every: int | None
) -> list[tuple[int, bytes]]:
    """Every frame to play with its race time: the passings, and each decoder's status reports."""
    events: list[tuple[int, bytes]] = []
    numbers = dict.fromkeys(decoders.values(), 0)
    for time, line, transponder in rows:
        decoder = decoders.get(line)
        if decoder is None:
            continue
        numbers[decoder] += 1
        # plausible signal figures that vary from passing to passing, deterministically
        record = P3Passing(
            passing_number=numbers[decoder],
            transponder=transponder,
            rtc_time=midnight + time,
            strength=80 + transponder % 40,
            hits=20 + (time // 1000) % 50,
            flags=0,
            decoder_id=decoder,
        )
        events.append((time, encode_record(record)))
    if status_every and rows:
        first, last = rows[0][0], rows[-1][0]
        steps = math.floor((last - first) / status_every) + 1
        for decoder in decoders.values():
            for k in range(steps):
                status = P3Status(
                    noise=25 + k % 6, temperature=30, input_voltage=120, gps=1, decoder_id=decoder
                )
                events.append((first + k * status_every, encode_record(status)))
    events.sort(key=lambda event: event[0])  # stable: a passing stays before a status at the same time
    return events
