"""An event (race weekend): the session data it holds, as read from any source."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parcferme.model._dataclass import dataclass
from parcferme.model.classification import Classification
from parcferme.model.decisions import Decision
from parcferme.model.entries import Entry
from parcferme.model.rules import RuleSet
from parcferme.model.session import Session
from parcferme.model.timing import Lap, Passing, TrackStatusPeriod

if TYPE_CHECKING:  # an annotation only: the incident model loads with what reads or tells incidents
    from parcferme.model.incidents import Incident


@dataclass(frozen=True, slots=True)
class Circuit:
    """Where the event runs; `length_m` is the lap length in metres (0 when unknown)."""

    name: str
    length_m: int = 0


@dataclass(frozen=True, slots=True)
class SessionData:
    """Everything recorded in one session: passings or ready-made laps, track status, decisions, incidents."""

    session: Session
    passings: tuple[Passing, ...] = ()
    laps: tuple[Lap, ...] | None = None  # when the source is lap-by-lap rather than passings
    track_status: tuple[TrackStatusPeriod, ...] = ()
    decisions: tuple[Decision, ...] = ()
    incidents: tuple[Incident, ...] = ()  # race control's log: the story, never the result


@dataclass(frozen=True, slots=True)
class Event:
    """A race weekend: its entries, classifications, sessions and the rules they are classified by."""

    series: str
    season: int
    round: int
    name: str
    circuit: Circuit
    entries: tuple[Entry, ...]
    classifications: tuple[Classification, ...]  # the overall classification is implied, not listed
    sessions: tuple[SessionData, ...]
    rules: RuleSet

    def entry(self, number: str) -> Entry:
        for e in self.entries:
            if e.number == number:
                return e
        raise KeyError(number)

    def session(self, session_id: str) -> SessionData:
        for s in self.sessions:
            if s.session.id == session_id:
                return s
        raise KeyError(session_id)
