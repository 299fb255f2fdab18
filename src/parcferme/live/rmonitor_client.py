"""An RMonitor scoreboard client: follows an Orbits (or parcferme) feed over TCP into an RMonitorState.

The state outlives connections: when the feed drops, the client reconnects with exponential backoff and
goes on folding records into the same state (Orbits re-sends competitors and positions on connection, so
what was missed while away is caught up by the $G records). A bad line is reported and skipped; the lines
around it are applied. Every connection, drop and bad line is reported as a FeedEvent.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parcferme.errors import FeedError
from parcferme.formats.rmonitor_records import Record, UnknownRecord, parse_record
from parcferme.formats.rmonitor_state import RMonitorState

__all__ = ["FeedEvent", "RMonitorClient", "listen"]

# Orbits sends a heartbeat every second: this long without a line means the feed is dead even if the
# socket still looks open (a switched-off timing PC does not close its connections).
DEFAULT_IDLE_TIMEOUT = 10.0
MAX_LINE = 64 * 1024


@dataclass(frozen=True, slots=True)
class FeedEvent:
    """Something that happened to the feed: kind is one of connected, disconnected, connect-failed,
    malformed (a line that could not be read), unknown (a record kept but not understood), gave-up."""

    kind: str
    message: str
    at: float  # time.monotonic()
    error: FeedError | None = None


RecordCallback = Callable[[RMonitorState, Record], object]
EventCallback = Callable[[FeedEvent], object]


class RMonitorClient:
    """Follows HOST:PORT until `stop()` (or `max_attempts` consecutive failed connections)."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        state: RMonitorState | None = None,
        on_record: RecordCallback | None = None,
        on_event: EventCallback | None = None,
        connect_timeout: float = 5.0,
        idle_timeout: float | None = DEFAULT_IDLE_TIMEOUT,
        backoff: tuple[float, float] = (0.2, 10.0),
        max_attempts: int | None = None,
    ) -> None:
        self.host, self.port = host, port
        self.source = f"rmonitor://{host}:{port}"
        self.state = state if state is not None else RMonitorState(self.source)
        self.on_record = on_record
        self.on_event = on_event
        self.connect_timeout = connect_timeout
        self.idle_timeout = idle_timeout
        self.backoff = backoff
        self.max_attempts = max_attempts
        self.events: list[FeedEvent] = []
        self.lines = 0  # lines received over every connection (their numbers in issues)
        self.connections = 0
        self._stop = asyncio.Event()
        self._writer: asyncio.StreamWriter | None = None

    def _event(self, kind: str, message: str, error: FeedError | None = None) -> None:
        event = FeedEvent(kind, message, time.monotonic(), error)
        self.events.append(event)
        if self.on_event is not None:
            self.on_event(event)

    def stop(self) -> None:
        """Ask `run()` to return; safe to call from a callback or another task."""
        self._stop.set()
        if self._writer is not None:
            self._writer.close()  # wakes the pending read with an end of file

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    async def run(self) -> RMonitorState:
        """Connect, follow, reconnect; returns the state once stopped or given up."""
        delay, ceiling = self.backoff
        failures = 0
        while not self._stop.is_set():
            try:
                # asyncio.timeout rather than wait_for: on 3.11, wait_for can swallow a cancellation
                # that lands as the inner call completes, and this loop would then never end
                async with asyncio.timeout(self.connect_timeout):
                    reader, writer = await asyncio.open_connection(self.host, self.port, limit=MAX_LINE)
            except (OSError, TimeoutError) as exc:
                failures += 1
                self._event("connect-failed", f"{self.source}: {exc or type(exc).__name__}")
                if self.max_attempts is not None and failures >= self.max_attempts:
                    self._event("gave-up", f"{self.source}: {failures} failed connection attempts")
                    break
                await self._pause(delay)
                delay = min(delay * 2, ceiling)
                continue
            failures = 0
            self.connections += 1
            self._writer = writer
            self._event("connected", f"connected to {self.source}")
            before = self.lines
            reason = await self._follow(reader)
            # back off again only from a server that accepts and hangs up without sending anything
            delay = self.backoff[0] if self.lines > before else min(delay * 2, ceiling)
            self._writer = None
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()
            if self._stop.is_set():
                break
            self._event("disconnected", f"{self.source}: {reason}; reconnecting")
            await self._pause(delay)
        return self.state

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stop.wait()

    async def _follow(self, reader: asyncio.StreamReader) -> str:
        """Read lines until the connection ends; returns why it ended."""
        while not self._stop.is_set():
            try:
                async with asyncio.timeout(self.idle_timeout):
                    raw = await reader.readline()
            except TimeoutError:
                return f"no data for {self.idle_timeout:g} s"
            except ValueError:  # a line longer than MAX_LINE: the stream dropped it
                self.lines += 1
                self._malformed(f"line longer than {MAX_LINE} bytes dropped", "")
                continue
            except OSError as exc:
                return f"connection error: {exc}"
            if not raw:
                return "connection closed by the server"
            self.lines += 1
            self._line(raw)
        return "stopped"

    def _line(self, raw: bytes) -> None:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
            self._malformed("not UTF-8; read as Latin-1", text)
        for piece in text.strip("\r\n\ufeff").split("\r"):
            if piece.strip():
                self._apply(piece)

    def _apply(self, text: str) -> None:
        try:
            record = parse_record(text)
        except FeedError as exc:
            error = exc.located(self.source, self.lines)
            self.state.issues.append(error)
            self._event("malformed", str(error), error)
            return
        self.state.apply(record, self.lines)
        if isinstance(record, UnknownRecord):
            self._event("unknown", f"{self.source}:{self.lines}: unknown record {record.tag}")
        if self.on_record is not None:
            self.on_record(self.state, record)

    def _malformed(self, message: str, text: str) -> None:
        error = FeedError(message, source=self.source, line=self.lines, text=text)
        self.state.issues.append(error)
        self._event("malformed", str(error), error)


async def listen(
    host: str,
    port: int,
    on_update: Callable[[RMonitorState], object],
    *,
    on_event: EventCallback | None = None,
    interval: float = 0.5,
    duration: float | None = None,
    stop: asyncio.Event | None = None,
    state: RMonitorState | None = None,
    connect_timeout: float = 5.0,
    idle_timeout: float | None = DEFAULT_IDLE_TIMEOUT,
    backoff: tuple[float, float] = (0.2, 10.0),
    max_attempts: int | None = None,
) -> RMonitorState:
    """Follow an RMonitor feed, calling `on_update(state)` at most every `interval` seconds while records
    arrive, and once at the end. Runs until `stop` is set, `duration` seconds have passed, or the client
    gives up after `max_attempts` failed connections in a row (None: never)."""
    last = float("-inf")

    def on_record(current: RMonitorState, record: Record) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last >= interval:
            last = now
            on_update(current)

    client = RMonitorClient(
        host,
        port,
        state=state,
        on_record=on_record,
        on_event=on_event,
        connect_timeout=connect_timeout,
        idle_timeout=idle_timeout,
        backoff=backoff,
        max_attempts=max_attempts,
    )
    runner = asyncio.create_task(client.run())
    waiting: list[asyncio.Task[Any]] = [runner]
    if stop is not None:
        waiting.append(asyncio.create_task(stop.wait()))
    await asyncio.wait(waiting, timeout=duration, return_when=asyncio.FIRST_COMPLETED)
    client.stop()
    result = await runner
    for task in waiting[1:]:
        task.cancel()
    on_update(result)
    return result
