"""Classified events → a championship season: the bridge from the timing engine to the standings engine.

`season_from_events` turns each event's scoring sessions (its races) into a `Round` of `RoundSession`s of
`CarResult`s, as the standings engine reads them (docs/standings.md):

- drivers and teams come from the entries, keyed by an id made from the name (`competitor_id`: "Julien
  Andlauer" → `julien_andlauer`), never by car number: numbers change between meetings and joint races;
- a car's entry attributes ride along, so that each classification's eligibility (`Classification.admits`)
  and re-ranking are done by the standings engine, as for any other source;
- pole: the qualifying order of the session that sets the race's grid (its `grid` rule names the session
  and the lap: best or second-best, RULES.md §2.2), before grid penalties — a grid drop does not take the
  pole away; the first *eligible* car of that order gets the pole point in each classification;
- fastest lap: each car's best race lap and the lap it was set on (equal times go to the earlier lap);
- a race that has not been run (no car completed a lap) is listed, not held: the season's last scheduled
  round matters for "results dropped at season end" and for what is still possible.

Rounds of a season's calendar that have no event yet are given as `calendar` rounds without results.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from parcferme.engine.event import EventResults, SessionOutcome
from parcferme.engine.grid import build_grid
from parcferme.errors import RuleError
from parcferme.model.championship import CarResult, Competitor, Round, RoundSession, Season
from parcferme.model.entries import Entry
from parcferme.model.points import PointsRules
from parcferme.model.session import SessionKind

__all__ = ["competitor_id", "scoring_sessions", "season_from_events"]

RACE = "race"  # the points rules' kind for a race session


def competitor_id(name: str, fallback: str = "") -> str:
    """A stable id from a name: ASCII lower case, accents dropped, words joined by `_` ("Noël" → "noel").

    The same driver (or team) keeps the same id from one event to the next, whatever car number he has.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    words = "".join(c if c.isalnum() else " " for c in ascii_name).split()
    return "_".join(words) or fallback


def scoring_sessions(results: EventResults, rules: PointsRules) -> tuple[SessionOutcome, ...]:
    """The sessions of an event that score points under the rules: its races that have a scale."""
    return tuple(
        o
        for o in results.sessions
        if o.session.kind is SessionKind.RACE and rules.scale_for(o.session.id, RACE) is not None
    )


def season_from_events(
    events_results: Sequence[EventResults],
    rules: PointsRules,
    *,
    calendar: Iterable[Round] = (),
) -> Season:
    """The season the events make up: one round per event (its number from the event), in round order.

    `calendar` lists the season's scheduled rounds; those no event covers are added as not yet held.
    Raises RuleError when the events belong to different seasons or two events claim the same round.
    """
    if not events_results:
        raise RuleError("no event given: a season needs at least one event")
    first = events_results[0].event
    drivers: dict[str, Competitor] = {}
    teams: dict[str, Competitor] = {}
    rounds: dict[int, Round] = {}
    for results in events_results:
        event = results.event
        if event.season != first.season:
            raise RuleError(
                f"{event.name} is in season {event.season}, {first.name} in {first.season}: "
                "one season at a time"
            )
        if event.round in rounds:
            raise RuleError(f"round {event.round} is given twice ({rounds[event.round].name}, {event.name})")
        rounds[event.round] = _round(results, rules, drivers, teams)
    for scheduled in calendar:
        rounds.setdefault(scheduled.number, scheduled)
    return Season(
        series=first.series,
        year=first.season,
        rounds=tuple(rounds[n] for n in sorted(rounds)),
        drivers=MappingProxyType(drivers),
        teams=MappingProxyType(teams),
    )


def _round(
    results: EventResults,
    rules: PointsRules,
    drivers: dict[str, Competitor],
    teams: dict[str, Competitor],
) -> Round:
    event = results.event
    entries = {e.number: e for e in event.entries}
    earlier = {o.session.id: o for o in results.sessions}
    scoring = scoring_sessions(results, rules)
    sessions = [_session(outcome, entries, earlier, drivers, teams) for outcome in scoring]
    dates = [o.session.schedule.date for o in scoring]
    return Round(event.round, event.name, tuple(sessions), max(dates).isoformat() if dates else "")


def _session(
    outcome: SessionOutcome,
    entries: Mapping[str, Entry],
    earlier: Mapping[str, SessionOutcome],
    drivers: dict[str, Competitor],
    teams: dict[str, Competitor],
) -> RoundSession:
    session = outcome.session
    rows = outcome.overall.rows
    held = any(r.laps > 0 or r.position is not None for r in rows)
    cars: list[CarResult] = []
    if held:
        for order, row in enumerate(rows, start=1):
            entry = entries.get(row.car)
            best = row.best_lap
            cars.append(
                CarResult(
                    car=row.car,
                    drivers=_drivers(entry, row.car, drivers),
                    team=_team(entry, teams),
                    status=row.status,
                    position=row.position,
                    order=order,
                    laps=row.laps,
                    best_lap=best.time if best is not None else None,
                    best_lap_number=best.lap if best is not None else None,
                    grid=row.grid,
                    attributes=entry.attributes if entry is not None else MappingProxyType({}),
                )
            )
    return RoundSession(
        id=session.id,
        kind=RACE,
        results=tuple(cars),
        qualifying=_qualifying(outcome, earlier) if held else (),
        scheduled_laps=session.schedule.laps,
        suspended=outcome.overall.red_flag_countback,
    )


def _qualifying(outcome: SessionOutcome, earlier: Mapping[str, SessionOutcome]) -> tuple[str, ...]:
    """Car numbers in the qualifying order that formed this race's grid (pole: the first eligible one).

    The grid builder orders the source session by the grid rule's lap; without the race's decisions it
    applies no grid drop or pit-lane start, so the order is the qualifying one.
    """
    rule = outcome.session.grid
    source = earlier.get(rule.session) if rule is not None else None
    if rule is None or source is None:
        return ()
    grid = build_grid(outcome.session.id, rule, source.overall, ())
    return tuple(slot.car for slot in grid.slots)


def _drivers(entry: Entry | None, car: str, known: dict[str, Competitor]) -> tuple[str, ...]:
    if entry is None or not entry.drivers:  # a car on the timing but not entered: it scores as itself
        cid = f"car_{competitor_id(car, car)}"
        known.setdefault(cid, Competitor(cid, f"Car {car}", nationality=""))
        return (cid,)
    ids: list[str] = []
    for driver in entry.drivers:
        cid = competitor_id(driver.name, f"car_{competitor_id(car, car)}")
        known.setdefault(cid, Competitor(cid, driver.name or f"Car {car}", nationality=driver.nationality))
        if cid not in ids:
            ids.append(cid)
    return tuple(ids)


def _team(entry: Entry | None, known: dict[str, Competitor]) -> str:
    if entry is None or not entry.team:
        return ""
    tid = competitor_id(entry.team)
    if tid:
        known.setdefault(tid, Competitor(tid, entry.team))
    return tid
