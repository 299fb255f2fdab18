"""What a sim reader returns: the event it read, and the game server's own classification kept beside it.

The event holds what parcferme computes from (entries, laps, decisions); the server's classification is
what the game itself published. Keeping both lets a test rebuild the result with parcferme's engine and
compare it with the server's, and lets a league publish the server's result when the file has no laps
(iRacing).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from parcferme.model.event import Event


class Game(StrEnum):
    """The games whose result files parcferme reads; the value is the name used on the command line."""

    ACC = "acc"  # Assetto Corsa Competizione server JSON
    AC = "ac"  # Assetto Corsa server JSON
    RF2 = "rf2"  # rFactor 2 XML
    IRACING = "iracing"  # iRacing results JSON (the member site's "results" export)

    @property
    def display_name(self) -> str:
        return _NAMES[self]


_NAMES = {
    Game.ACC: "Assetto Corsa Competizione",
    Game.AC: "Assetto Corsa",
    Game.RF2: "rFactor 2",
    Game.IRACING: "iRacing",
}


class ServerStatus(StrEnum):
    """A car's status as the game server gave it, in parcferme's words."""

    FINISHED = "finished"  # took the flag (or ran to the end of a practice/qualifying session)
    RUNNING = "running"  # the server gives no finish state (most practice and qualifying files)
    DNF = "dnf"  # retired
    DSQ = "dsq"  # disqualified by the server or its admin
    DNS = "dns"  # listed, never completed a lap
    DISCONNECTED = "disconnected"  # left the server before the end


@dataclass(frozen=True, slots=True)
class ServerRow:
    """One car's line in the game server's classification, as the file states it (times in µs).

    `position` is the server's position (None when the server gives none, e.g. rFactor 2's -1). Race:
    `time` is the server's total race time; practice and qualifying: the best lap.
    """

    car: str
    position: int | None
    status: ServerStatus
    laps: int | None = None
    time: int | None = None
    best_lap: int | None = None
    grid: int | None = None
    class_position: int | None = None
    pit_stops: int | None = None
    detail: str = ""  # the server's own words ("Finished Normally", "DNF: Engine", "Running")


@dataclass(frozen=True, slots=True)
class ServerSession:
    """The game server's classification of one session, in its order.

    `info` keeps what the file says of the session that the model has no place for (ACC's wet flag…).
    """

    session: str
    rows: tuple[ServerRow, ...]
    info: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(r.car for r in self.rows)

    def row(self, car: str) -> ServerRow:
        for r in self.rows:
            if r.car == car:
                return r
        raise KeyError(car)


@dataclass(frozen=True, slots=True)
class SimResult:
    """A sim result file read: the event (sessions, entries, laps, decisions) and the server's view.

    `servers` has one classification per session of the event, in the same order. `notes` say what the
    reader derived or set aside (a renamed duplicate car number, laps of a driver who left the server…),
    so nothing is dropped silently.
    """

    game: Game
    event: Event
    servers: tuple[ServerSession, ...]
    notes: tuple[str, ...] = ()

    def server(self, session: str) -> ServerSession:
        for s in self.servers:
            if s.session == session:
                return s
        raise KeyError(session)

    @property
    def server_order(self) -> tuple[str, ...]:
        """The server's order of the file's main session: the last one (the race when there is one)."""
        return self.servers[-1].order if self.servers else ()
