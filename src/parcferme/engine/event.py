"""A whole event: every session's laps, grid and results for every classification."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from parcferme.engine.classifications import reclassify
from parcferme.engine.decisions import delete_laps
from parcferme.engine.grid import build_grid
from parcferme.engine.laps import annotate_statuses, build_laps
from parcferme.engine.race import classify_race
from parcferme.engine.timed import classify_timed
from parcferme.errors import RuleError
from parcferme.model.classification import OVERALL
from parcferme.model.event import Event, SessionData
from parcferme.model.results import Grid, SessionResult
from parcferme.model.session import Session
from parcferme.model.timing import Lap, TimingWarning

Progress = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class SessionOutcome:
    session: Session
    laps: tuple[Lap, ...]
    warnings: tuple[TimingWarning, ...]
    grid: Grid | None
    results: Mapping[str, SessionResult]  # classification id → result; "overall" first

    @property
    def overall(self) -> SessionResult:
        return self.results[OVERALL]


@dataclass(frozen=True, slots=True)
class EventResults:
    event: Event
    sessions: tuple[SessionOutcome, ...]

    def session(self, session_id: str) -> SessionOutcome:
        for outcome in self.sessions:
            if outcome.session.id == session_id:
                return outcome
        known = ", ".join(o.session.id for o in self.sessions)
        raise KeyError(f"no session {session_id!r} (sessions: {known})")


def classify_event(event: Event, progress: Progress | None = None) -> EventResults:
    """Classify every session of the event, in schedule order, for every classification."""
    done: dict[str, SessionOutcome] = {}
    for data in event.sessions:
        if progress is not None:
            progress(data.session.name or data.session.id)
        done[data.session.id] = classify_session(event, data, done)
    return EventResults(event, tuple(done.values()))


def classify_session(
    event: Event, data: SessionData, earlier: Mapping[str, SessionOutcome]
) -> SessionOutcome:
    session = data.session
    warnings: tuple[TimingWarning, ...] = ()
    if data.laps is not None:
        laps = annotate_statuses(data.laps, data.track_status)
    else:
        built = build_laps(data.passings, session, event.rules, data.track_status)
        laps, warnings = built.laps, built.warnings
    laps = delete_laps(laps, data.decisions)
    grid: Grid | None = None
    if session.is_race:
        if session.grid is not None:
            source = earlier.get(session.grid.session)
            if source is None:
                raise RuleError(
                    f"session {session.id}: grid comes from {session.grid.session!r}, "
                    "which is not an earlier session of the event"
                )
            grid = build_grid(session.id, session.grid, source.overall, event.entries, data.decisions)
        overall = classify_race(
            session, laps, event.entries, event.rules, data.decisions, grid, data.track_status
        )
    else:
        overall = classify_timed(session, laps, event.entries, event.rules, data.decisions)
    results = {OVERALL: overall}
    for classification in event.classifications:
        results[classification.id] = reclassify(overall, event.entries, classification, session.kind)
    return SessionOutcome(session, laps, warnings, grid, MappingProxyType(results))
