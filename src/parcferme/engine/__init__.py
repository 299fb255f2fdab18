"""The pure engine: model objects and rules in, results out. No I/O, no clock.

The names below load with their module on first use: `from parcferme.engine import classify_race` brings
in the race classification, not the event, grid and qualifying engines as well.
"""

from typing import TYPE_CHECKING

from parcferme._lazy import lazy_exports

if TYPE_CHECKING:
    from parcferme.engine.classifications import reclassify
    from parcferme.engine.decisions import delete_laps, penalties_by_car
    from parcferme.engine.event import EventResults, SessionOutcome, classify_event, classify_session
    from parcferme.engine.grid import build_grid
    from parcferme.engine.laps import LapBuild, annotate_statuses, build_laps, laps_by_car
    from parcferme.engine.race import classify_race, race_ending
    from parcferme.engine.timed import classify_timed

_EXPORTS = {
    "EventResults": "parcferme.engine.event",
    "LapBuild": "parcferme.engine.laps",
    "SessionOutcome": "parcferme.engine.event",
    "annotate_statuses": "parcferme.engine.laps",
    "build_grid": "parcferme.engine.grid",
    "build_laps": "parcferme.engine.laps",
    "classify_event": "parcferme.engine.event",
    "classify_race": "parcferme.engine.race",
    "classify_session": "parcferme.engine.event",
    "classify_timed": "parcferme.engine.timed",
    "delete_laps": "parcferme.engine.decisions",
    "laps_by_car": "parcferme.engine.laps",
    "penalties_by_car": "parcferme.engine.decisions",
    "race_ending": "parcferme.engine.race",
    "reclassify": "parcferme.engine.classifications",
}


__getattr__ = lazy_exports(__name__, globals(), _EXPORTS)


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
