"""`parcferme replay` and `parcferme listen`: following a timing feed in a terminal.

- `replay_capture_file`: an RMonitor capture played back at a speed, printed and optionally served to
  scoreboards (live.replay, live.rmonitor_server);
- `follow_rmonitor`: an Orbits/RMonitor feed over TCP, its live order printed (live.rmonitor_client);
- `follow_p3`: a MYLAPS P3 decoder over TCP; passings go into the engine's LiveRace and its order is
  printed (live.p3_client, engine.live).

Each prints through the `write` and `inform` callables it is given (stdout and stderr in the CLI), at most
every `interval` seconds, and once more when it stops: at the end of the capture, after `duration`
seconds, or when cancelled (Ctrl-C). Output is plain text so that it can be piped or logged; `clear`
redraws in place on a terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from parcferme.engine.live import LiveRace
from parcferme.errors import InputError
from parcferme.formats.ambp3 import PassingResolver
from parcferme.formats.event_folder import DEFAULT_RULES, read_event
from parcferme.formats.rmonitor import render_standings
from parcferme.formats.rmonitor_capture import CaptureLine
from parcferme.formats.rmonitor_state import RMonitorState
from parcferme.live.p3_client import listen_p3, parse_address
from parcferme.live.replay import printing_sink, replay
from parcferme.live.rmonitor_client import FeedEvent, listen
from parcferme.live.rmonitor_server import RMonitorServer
from parcferme.model.entries import Entry
from parcferme.model.event import Event, SessionData
from parcferme.model.results import SessionResult
from parcferme.model.session import Schedule, Session, SessionKind
from parcferme.model.time import format_gap, format_time, format_time_of_day
from parcferme.model.timing import Passing
from parcferme.rules import load_rule_set

__all__ = [
    "RMONITOR_PORT",
    "P3Race",
    "follow_p3",
    "follow_rmonitor",
    "render_live",
    "replay_capture_file",
]

RMONITOR_PORT = 50000  # Orbits' default scoreboard port
CLEAR = "\x1b[H\x1b[2J"  # cursor home, clear screen: redraw the order in place on a terminal
Write = Callable[[str], object]


def _screen(write: Write, clear: bool) -> Write:
    return (lambda text: write(CLEAR + text)) if clear else write


# ----------------------------------------------------------------------------------------------- replay


async def replay_capture_file(
    path: Path,
    speed: float,
    write: Write,
    inform: Write,
    *,
    serve: int | None = None,
    max_gap: float | None = None,
    interval: float = 0.5,
    clear: bool = False,
) -> RMonitorState:
    """Replay the capture, printing its live order; with `serve`, also relay it to scoreboards on
    127.0.0.1:`serve` (0: any free port, announced through `inform`)."""
    state = RMonitorState(str(path))
    shown = -1

    def show(text: str) -> None:
        nonlocal shown
        shown = state.version
        _screen(write, clear)(text)

    printer = printing_sink(show, interval=interval)
    try:
        if serve is None:
            await replay(path, speed, printer, state=state, max_gap=max_gap)
        else:
            # a scoreboard that connects late first gets the state so far, as Orbits sends it
            async with RMonitorServer("127.0.0.1", serve, snapshot=state.snapshot) as server:
                inform(f"serving RMonitor on 127.0.0.1:{server.port}")

                def relay(line: CaptureLine, current: RMonitorState) -> None:
                    server.publish(line.text)
                    printer(line, current)

                await replay(path, speed, relay, state=state, max_gap=max_gap)
                with contextlib.suppress(TimeoutError):
                    await server.drain(timeout=5.0)
    finally:
        if state.version != shown:
            show(render_standings(state))
    _report_issues(state, inform)
    return state


def _report_issues(state: RMonitorState, inform: Write, shown: int = 5) -> None:
    for issue in state.issues[:shown]:
        inform(f"warning: {issue}")
    if len(state.issues) > shown:
        inform(f"warning: … and {len(state.issues) - shown} more")


# --------------------------------------------------------------------------------------------- rmonitor


async def follow_rmonitor(
    address: str,
    write: Write,
    inform: Write,
    *,
    duration: float | None = None,
    interval: float = 0.5,
    clear: bool = False,
) -> RMonitorState:
    """Follow the RMonitor feed at HOST[:PORT] (port 50000 by default) until `duration` or cancelled."""
    host, port = parse_address(address, default_port=RMONITOR_PORT)
    state = RMonitorState(f"rmonitor://{host}:{port}")
    show = _screen(write, clear)

    def on_event(event: FeedEvent) -> None:
        inform(f"rmonitor: {event.kind}: {event.message}")

    try:
        return await listen(
            host,
            port,
            on_update=lambda s: show(render_standings(s)),
            on_event=on_event,
            interval=interval,
            duration=duration,
            state=state,
        )
    except asyncio.CancelledError:
        show(render_standings(state))  # Ctrl-C: the order as it stood
        raise


# --------------------------------------------------------------------------------------------------- p3


@dataclass(slots=True)
class P3Race:
    """What `listen p3` follows: the race, its entries (transponder → car) and the decoder's calendar."""

    date: dt.date
    tz: dt.tzinfo = dt.UTC  # the zone whose times of day the session uses (the decoder clock is UTC)
    entries: tuple[Entry, ...] = ()
    session: Session | None = None  # None: the race starts at the first passing
    data: SessionData | None = None
    event: Event | None = None
    cars: Mapping[str, str] | None = None  # None: the transponder is the car
    live: LiveRace | None = field(default=None, init=False)
    rolling_start: bool = field(default=False, init=False)  # the start was taken from the first passing


def p3_race(
    event_dir: Path | None,
    session_id: str | None,
    date: dt.date | None,
    start: int | None,
    tz: dt.tzinfo = dt.UTC,
) -> P3Race:
    """The race to follow: a race session of an event folder, or one that starts at `start` (or at the
    first passing received) on `date` (default: today in `tz`). Times of day are in `tz`."""
    if event_dir is None:
        if session_id is not None:
            raise InputError(
                "--session needs --event (the event folder holding the session)", field="session"
            )
        day = date or dt.datetime.now(tz).date()
        race = P3Race(day, tz)
        if start is not None:
            race.session = _bare_race(day, start)
        return race
    event = read_event(event_dir)
    races = [s for s in event.sessions if s.session.is_race]
    if session_id is not None:
        chosen = next((s for s in event.sessions if s.session.id == session_id), None)
        if chosen is None or not chosen.session.is_race:
            known = ", ".join(s.session.id for s in races) or "none"
            raise InputError(f"no race {session_id!r} in the event (races: {known})", field="session")
    else:
        # the race being run: the first without timing yet, else the last one
        empty = [s for s in races if not s.passings and not s.laps]
        if not races:
            raise InputError("the event has no race session to follow", source=str(event_dir))
        chosen = empty[0] if empty else races[-1]
    session = chosen.session
    if start is not None:
        session = Session(
            session.id, session.kind, session.name, _bare_race(session.schedule.date, start).schedule
        )
    cars = {t: e.number for e in event.entries for t in e.transponders}
    return P3Race(date or session.schedule.date, tz, event.entries, session, chosen, event, cars)


def _bare_race(date: dt.date, start: int) -> Session:
    return Session("P3", SessionKind.RACE, "P3 race", Schedule(date=date, start=start), sector_lines=())


def _start(race: P3Race, first: Passing) -> LiveRace:
    """The LiveRace, made at the first passing when the start is not known beforehand."""
    if race.session is None:
        # no start signal known: the race starts at the second of the first crossing; crossings within the
        # minimum lap time of it start lap 1 (a rolling start), later ones end a short lap 1
        race.session = _bare_race(race.date, first.time // 1_000_000 * 1_000_000)
        race.rolling_start = True
    if race.event is not None and race.data is not None:
        live = LiveRace(
            race.session,
            race.entries,
            race.event.rules,
            track_status=race.data.track_status,
            decisions=race.data.decisions,
        )
        for passing in sorted(race.data.passings):  # the passings already in the folder come first
            live.add_passing(passing)
    else:
        live = LiveRace(race.session, race.entries, load_rule_set(DEFAULT_RULES))
    return live


async def follow_p3(
    address: str,
    race: P3Race,
    write: Write,
    inform: Write,
    *,
    decoders: Mapping[int, str] | None = None,
    duration: float | None = None,
    interval: float = 0.5,
    clear: bool = False,
) -> P3Race:
    """Follow the P3 decoder at HOST[:PORT] (5403 by default), printing the race order as passings come."""
    resolver = PassingResolver(race.date, race.cars, tz=race.tz, lines=decoders)
    show = _screen(write, clear)
    last = float("-inf")

    def render() -> str:
        return render_live(race.live.result(), race.entries, race.session) if race.live else "no passing yet"

    def on_passing(passing: Passing) -> None:
        nonlocal last
        if race.live is None:
            race.live = _start(race, passing)
        race.live.add_passing(passing)
        now = time.monotonic()
        if now - last >= interval:
            last = now
            show(render())

    try:
        async with asyncio.timeout(duration):
            await listen_p3(address, resolver, on_passing, on_error=lambda e: inform(f"p3: {e}"))
    except TimeoutError:
        pass  # --duration elapsed: a normal end
    finally:
        show(render())
        _p3_report(race, resolver, inform)
    return race


def _p3_report(race: P3Race, resolver: PassingResolver, inform: Write) -> None:
    unknown = sum(resolver.unknown_transponders.values())
    if unknown:
        tags = ", ".join(sorted(resolver.unknown_transponders)[:10])
        inform(f"warning: {unknown} passing(s) of transponders no entry has, set aside: {tags}")
    if resolver.unknown_decoders:
        decoders = ", ".join(str(d) for d in sorted(resolver.unknown_decoders, key=str))
        inform(f"warning: passings of decoders without a --decoder line set aside: {decoders}")
    if race.live is None:
        return
    warnings = race.live.warnings
    if race.rolling_start and race.session is not None:
        # the start was taken from the first passing: each car's first crossing (a rolling start) closes
        # a "lap" shorter than the minimum, which the lap builder rightly sets aside; not a problem
        limit = race.session.schedule.start + race.live.rules.min_lap_time
        warnings = [w for w in warnings if not (w.kind == "below-minimum" and w.time < limit)]
    if warnings:
        inform(f"warning: {len(warnings)} timing warning(s): passings set aside by the lap builder")
        for w in warnings[:5]:
            inform(f"warning: {w.message} [{w.kind}]")


def render_live(result: SessionResult, entries: Sequence[Entry], session: Session | None = None) -> str:
    """The race order as a compact plain table: position, car, driver, laps, time or gap, best lap."""
    names = {e.number: e.driver.name for e in entries if e.drivers}
    heading = f"{session.name} ({session.id})" if session else "Race"
    if session is not None:
        heading += f" — start {format_time_of_day(session.schedule.start)}"
    rows = [("Pos", "No", "Driver", "Laps", "Time/Gap", "Best")]
    for row in result.rows:
        if not row.laps and row.time is None:
            continue  # entered, not seen yet
        gap = format_time(row.time) if row.gap is None and row.time is not None else ""
        rows.append(
            (
                str(row.position) if row.position is not None else row.status.short,
                row.car,
                names.get(row.car, ""),
                str(row.laps),
                format_gap(row.gap) if row.gap is not None else gap,
                format_time(row.best_lap.time) if row.best_lap else "",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    right = {0, 3, 4, 5}
    laps = result.laps_completed
    lines = [f"{heading} — {laps} lap{'' if laps == 1 else 's'}"]
    for r in rows:
        cells = (
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def parse_zone(name: str) -> dt.tzinfo:
    """`UTC`, or an IANA zone name (`Europe/Brussels`): the zone of the session's times of day."""
    if name.strip().upper() == "UTC":
        return dt.UTC
    try:
        return zoneinfo.ZoneInfo(name.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(
            f"unknown time zone {name!r} (expected UTC or a name such as Europe/Paris)", field="tz"
        ) from exc


def parse_decoders(specs: Sequence[str]) -> dict[int, str] | None:
    """`4001=SF` `4002=S1` → {4001: "SF", 4002: "S1"}; None when none given (every passing on the Line)."""
    out: dict[int, str] = {}
    for spec in specs:
        number, sep, line = spec.partition("=")
        if not sep or not number.strip().isdigit() or not line.strip():
            raise InputError(f"not DECODER_ID=LINE: {spec!r} (e.g. 4001=SF)", field="decoder")
        out[int(number)] = line.strip()
    return out or None
