"""A TCP client of a MYLAPS / AMB P3 decoder: decode its stream live and hand passings to a callback.

A decoder pushes its records (passings, periodic status) to every client connected to its P3 port. At a
track the link drops: a cable is pulled, the decoder reboots, a switch restarts. The client therefore
never gives up: it reconnects with a growing pause (reset after each successful connection), treats a
silent link as dead after `idle_timeout` (a decoder sends STATUS every few seconds, so silence means a
half-open connection), and reports every problem — connection failures and drops as `FeedError`, rejected
frames as `InputError` naming the byte offset — through `on_error` instead of raising. Each connection
gets a fresh `P3Decoder`: a frame cut by a drop is reported as truncated, never glued to the next stream.

Records that arrive twice (a decoder replaying or resending after a reconnection) are kept once by the
`PassingResolver`, which recognises a passing by decoder, passing number, transponder and time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass

from parcferme.errors import FeedError, InputError, ParcFermeError
from parcferme.formats.ambp3 import DEFAULT_PORT, FrameError, P3Decoder, P3Passing, P3Record, PassingResolver
from parcferme.model.timing import Passing

__all__ = ["FeedError", "P3Client", "P3ClientStats", "listen_p3", "parse_address"]

_log = logging.getLogger(__name__)


def parse_address(text: str, default_port: int = DEFAULT_PORT) -> tuple[str, int]:
    """`HOST:PORT`, `HOST` or `[IPv6]:PORT` → (host, port); an InputError for anything else."""
    host, sep, port_text = text.strip().rpartition(":")
    if not sep or (host.count(":") and not host.startswith("[")):
        host, port_text = text.strip(), ""  # no port, or a bare IPv6 address
    host = host.removeprefix("[").removesuffix("]")
    if not host:
        raise InputError(f"no host in {text!r}", source="address", field="host")
    if not port_text:
        return host, default_port
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise InputError(f"port {port_text!r} is not a number in 1–65535", source="address", field="port")
    return host, int(port_text)


@dataclass(slots=True)
class P3ClientStats:
    """What the client has seen since it started (across reconnections)."""

    connections: int = 0  # successful connections
    drops: int = 0  # connections lost (or closed by the decoder) while running
    connect_failures: int = 0
    bytes: int = 0
    records: int = 0
    passings: int = 0  # handed to on_passing
    frame_errors: int = 0


class P3Client:
    """Connects to a P3 decoder at host:port and dispatches what it decodes until `stop()` is called.

    - `on_record(record)`: every decoded record (passings, status, …);
    - `on_passing(passing)`: each new `model.Passing`, resolved by `resolver` (required with it);
    - `on_error(error)`: a `FeedError` (connection) or an `InputError` (rejected frame, field "crc",
      "escape", "length", "truncated"…). Without it, problems go to the `parcferme.live.p3_client` logger.

    Exceptions raised by the callbacks propagate out of `run()`: a bug in a consumer is not a feed problem.
    """

    def __init__(
        self,
        host: str,
        port: int = DEFAULT_PORT,
        *,
        on_record: Callable[[P3Record], object] | None = None,
        on_passing: Callable[[Passing], object] | None = None,
        resolver: PassingResolver | None = None,
        on_error: Callable[[ParcFermeError], object] | None = None,
        reconnect_delay: float = 0.5,
        max_reconnect_delay: float = 10.0,
        connect_timeout: float = 5.0,
        idle_timeout: float | None = 30.0,
        read_size: int = 65536,
    ) -> None:
        if on_passing is not None and resolver is None:
            raise TypeError("on_passing needs a resolver (transponder → car, decoder clock → time of day)")
        self.host = host
        self.port = port
        self.source = f"p3://{host}:{port}"
        self.on_record = on_record
        self.on_passing = on_passing
        self.resolver = resolver
        self.on_error = on_error
        self.reconnect_delay = reconnect_delay
        self.max_reconnect_delay = max(max_reconnect_delay, reconnect_delay)
        self.connect_timeout = connect_timeout
        self.idle_timeout = idle_timeout
        self.read_size = read_size
        self.stats = P3ClientStats()
        self.connected = (
            asyncio.Event()
        )  # set while a connection is up (tests and status displays wait on it)
        self._stopping = False
        self._wake = asyncio.Event()
        self._writer: asyncio.StreamWriter | None = None

    def stop(self) -> None:
        """Make `run()` return soon: closes the connection and cuts short a pause before reconnecting."""
        self._stopping = True
        self._wake.set()
        if self._writer is not None:
            self._writer.close()

    async def run(self) -> None:
        """Connect, decode and dispatch, reconnecting after every failure, until `stop()`."""
        delay = self.reconnect_delay
        while not self._stopping:
            try:
                reader, writer = await asyncio.wait_for(
                    asyncio.open_connection(self.host, self.port), self.connect_timeout
                )
            except (OSError, TimeoutError) as exc:
                self.stats.connect_failures += 1
                self._report(FeedError(f"cannot connect: {_reason(exc)}", source=self.source))
                await self._pause(delay)
                delay = min(2 * delay, self.max_reconnect_delay)
                continue
            self.stats.connections += 1
            received = self.stats.bytes
            self._writer = writer
            self.connected.set()
            try:
                reason = await self._receive(reader)
            finally:
                self.connected.clear()
                self._writer = None
                writer.close()
                with suppress(OSError, TimeoutError):
                    await asyncio.wait_for(writer.wait_closed(), 1.0)
            if not self._stopping:
                self.stats.drops += 1
                self._report(FeedError(f"{reason}; reconnecting", source=self.source))
                # a decoder that accepts and hangs up at once (still booting) is retried ever more slowly
                delay = (
                    self.reconnect_delay
                    if self.stats.bytes > received
                    else min(2 * delay, self.max_reconnect_delay)
                )
                await self._pause(delay)

    async def _receive(self, reader: asyncio.StreamReader) -> str:
        """Read and dispatch until the connection ends; why it ended."""
        decoder = P3Decoder()
        reason = "connection closed by the decoder"
        try:
            while True:
                if self.idle_timeout is None:
                    data = await reader.read(self.read_size)
                else:
                    data = await asyncio.wait_for(reader.read(self.read_size), self.idle_timeout)
                if not data:
                    break
                self.stats.bytes += len(data)
                self._dispatch(decoder.feed(data))
        except TimeoutError:
            reason = f"nothing received for {self.idle_timeout} s"
        except OSError as exc:
            reason = f"connection lost: {_reason(exc)}"
        self._dispatch(decoder.close())
        return reason

    def _dispatch(self, items: list[P3Record | FrameError]) -> None:
        on_record = self.on_record
        on_passing = self.on_passing
        resolver = self.resolver
        stats = self.stats
        for item in items:
            if isinstance(item, FrameError):
                stats.frame_errors += 1
                self._report(item.as_input_error(self.source))
                continue
            stats.records += 1
            if on_record is not None:
                on_record(item)
            if on_passing is not None and resolver is not None and type(item) is P3Passing:
                passing = resolver.resolve(item)
                if passing is not None:
                    stats.passings += 1
                    on_passing(passing)

    def _report(self, error: ParcFermeError) -> None:
        if self.on_error is not None:
            self.on_error(error)
        else:
            _log.warning("%s", error)

    async def _pause(self, seconds: float) -> None:
        """Sleep before reconnecting; `stop()` wakes it at once."""
        with suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), seconds)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


async def listen_p3(
    address: str,
    resolver: PassingResolver,
    on_passing: Callable[[Passing], object],
    *,
    on_error: Callable[[ParcFermeError], object] | None = None,
    on_record: Callable[[P3Record], object] | None = None,
) -> None:
    """Listen to the decoder at `address` ("HOST:PORT", port 5403 by default) until cancelled."""
    host, port = parse_address(address)
    client = P3Client(
        host, port, on_passing=on_passing, resolver=resolver, on_error=on_error, on_record=on_record
    )
    try:
        await client.run()
    finally:
        client.stop()
