"""The championship an event belongs to, as the reports need it: standings after the event, the calendar.

An event names its rule set; the packaged points rules of the same id, and the packaged calendar, make the
championship after this one event (a series folder gives the earlier rounds; a single event folder starts
the season). A rule set without points rules has no championship: the report simply says nothing of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from parcferme.commands.standings_sources import event_classifications
from parcferme.engine.championship import season_from_events
from parcferme.engine.event import EventResults
from parcferme.engine.standings import season_standings
from parcferme.formats.calendar import packaged_calendar
from parcferme.model.championship import Round, Season, Table
from parcferme.model.classification import OVERALL
from parcferme.model.points import PointsRules
from parcferme.model.standings import StandingsHistory
from parcferme.rules.points_loader import available_points_rules, load_points_rules

__all__ = ["Championship", "championship_after"]


@dataclass(frozen=True, slots=True)
class Championship:
    season: Season
    rules: PointsRules
    calendar: tuple[Round, ...]
    drivers: dict[str, StandingsHistory]  # classification id ("overall" when the event has none) → history


def championship_after(results: EventResults) -> Championship | None:
    """The drivers' standings after the event in each of its classifications, or None when its rule set has
    no packaged points rules."""
    event = results.event
    if event.rules.id not in available_points_rules():
        return None
    rules = load_points_rules(event.rules.id, season=event.season)
    calendar = packaged_calendar(event.rules.id)
    rounds = calendar.rounds if calendar is not None and calendar.season == event.season else ()
    season = season_from_events([results], rules, calendar=rounds)
    drivers: dict[str, StandingsHistory] = {}
    for classification in event_classifications(event, None):
        history = season_standings(season, rules, tables=(Table.DRIVERS,), classification=classification)
        drivers[classification.id if classification is not None else OVERALL] = history[Table.DRIVERS]
    return Championship(season, rules, tuple(rounds), drivers)
