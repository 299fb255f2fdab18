"""The domain model: immutable values shared by every reader, engine function and writer."""

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
