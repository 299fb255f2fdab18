"""The pure engine: model objects and rules in, results out. No I/O, no clock."""

from parcferme.engine.classifications import reclassify
from parcferme.engine.decisions import delete_laps, penalties_by_car
from parcferme.engine.event import EventResults, SessionOutcome, classify_event, classify_session
from parcferme.engine.grid import build_grid
from parcferme.engine.laps import LapBuild, annotate_statuses, build_laps, laps_by_car
from parcferme.engine.race import classify_race, race_ending
from parcferme.engine.timed import classify_timed

__all__ = [
    "EventResults",
    "LapBuild",
    "SessionOutcome",
    "annotate_statuses",
    "build_grid",
    "build_laps",
    "classify_event",
    "classify_race",
    "classify_session",
    "classify_timed",
    "delete_laps",
    "laps_by_car",
    "penalties_by_car",
    "race_ending",
    "reclassify",
]
