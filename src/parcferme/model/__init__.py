"""The domain model: immutable values shared by every reader, engine function and writer.

The names below load with their module on first use (as in `parcferme.engine`).
"""

from typing import TYPE_CHECKING

from parcferme._lazy import lazy_exports

if TYPE_CHECKING:
    from parcferme.model.classification import OVERALL, OVERALL_CLASSIFICATION, Classification
    from parcferme.model.decisions import Decision, DecisionKind
    from parcferme.model.entries import Driver, Entry
    from parcferme.model.event import Circuit, Event, SessionData
    from parcferme.model.results import BestLap, Grid, GridSlot, ResultRow, SessionResult, Status
    from parcferme.model.rules import Rounding, RuleSet
    from parcferme.model.session import GridRule, GridSource, RaceEnd, Schedule, Session, SessionKind
    from parcferme.model.time import Gap, format_gap, format_time, parse_gap, parse_time
    from parcferme.model.timing import (
        PIT_IN,
        PIT_OUT,
        SF,
        Lap,
        Passing,
        TimingWarning,
        TrackStatus,
        TrackStatusPeriod,
    )

_EXPORTS = {
    "BestLap": "parcferme.model.results",
    "Circuit": "parcferme.model.event",
    "Classification": "parcferme.model.classification",
    "Decision": "parcferme.model.decisions",
    "DecisionKind": "parcferme.model.decisions",
    "Driver": "parcferme.model.entries",
    "Entry": "parcferme.model.entries",
    "Event": "parcferme.model.event",
    "Gap": "parcferme.model.time",
    "Grid": "parcferme.model.results",
    "GridRule": "parcferme.model.session",
    "GridSlot": "parcferme.model.results",
    "GridSource": "parcferme.model.session",
    "Lap": "parcferme.model.timing",
    "OVERALL": "parcferme.model.classification",
    "OVERALL_CLASSIFICATION": "parcferme.model.classification",
    "PIT_IN": "parcferme.model.timing",
    "PIT_OUT": "parcferme.model.timing",
    "Passing": "parcferme.model.timing",
    "RaceEnd": "parcferme.model.session",
    "ResultRow": "parcferme.model.results",
    "Rounding": "parcferme.model.rules",
    "RuleSet": "parcferme.model.rules",
    "SF": "parcferme.model.timing",
    "Schedule": "parcferme.model.session",
    "Session": "parcferme.model.session",
    "SessionData": "parcferme.model.event",
    "SessionKind": "parcferme.model.session",
    "SessionResult": "parcferme.model.results",
    "Status": "parcferme.model.results",
    "TimingWarning": "parcferme.model.timing",
    "TrackStatus": "parcferme.model.timing",
    "TrackStatusPeriod": "parcferme.model.timing",
    "format_gap": "parcferme.model.time",
    "format_time": "parcferme.model.time",
    "parse_gap": "parcferme.model.time",
    "parse_time": "parcferme.model.time",
}

__getattr__ = lazy_exports(__name__, globals(), _EXPORTS)

__all__ = [
    "OVERALL",
    "OVERALL_CLASSIFICATION",
    "PIT_IN",
    "PIT_OUT",
    "SF",
    "BestLap",
    "Circuit",
    "Classification",
    "Decision",
    "DecisionKind",
    "Driver",
    "Entry",
    "Event",
    "Gap",
    "Grid",
    "GridRule",
    "GridSlot",
    "GridSource",
    "Lap",
    "Passing",
    "RaceEnd",
    "ResultRow",
    "Rounding",
    "RuleSet",
    "Schedule",
    "Session",
    "SessionData",
    "SessionKind",
    "SessionResult",
    "Status",
    "TimingWarning",
    "TrackStatus",
    "TrackStatusPeriod",
    "format_gap",
    "format_time",
    "parse_gap",
    "parse_time",
]
