"""Al Kamel "23_Analysis" lap-by-lap CSV (FIA WEC, ELMS, IMSA) → an Event with one race session of laps.

Format facts come from ../shared/data/wec/README.md and the three files beside it. One row per lap
completed: NUMBER (a string: "007" ≠ "7"), DRIVER_NUMBER and DRIVER_NAME, LAP_NUMBER, LAP_TIME, sector
times S1…Sn (and S1_SECONDS… in decimal seconds), ELAPSED (race time at the crossing), HOUR (time of day,
wrapping at midnight), CROSSING_FINISH_LINE_IN_PIT ('B': the lap ended in the pit lane), PIT_TIME, KPH,
TOP_SPEED, CLASS, GROUP, TEAM, MANUFACTURER and FLAG_AT_FL (the flag at the Line when the car crossed it:
GF green, FCY full-course yellow, SF safety car, RF red, FF finish). Other columns (*_IMPROVEMENT, *_LARGE,
mini-sectors) are ignored. Encodings are detected (formats/encoding.py): BOM or none, UTF-16 without BOM.

Choices, each checked against the three WEC files:
- Lap end = race start + ELAPSED; lap start = end − LAP_TIME (ELAPSED(n) − ELAPSED(n−1) = LAP_TIME(n) on
  every row of the files). The race start is HOUR − ELAPSED (the same on every row of a file).
- Out lap: the lap after one that ended in the pit lane, or a lap with a PIT_TIME. In the files PIT_TIME is
  on every lap after a 'B' and nowhere else, except lap 1 of a car that started from the pit lane (Le Mans
  2024 #78).
- Drivers: ordered by DRIVER_NUMBER, `Lap.driver` indexing them; a number nobody drove under is skipped
  (Spa 2025 #99 lists only driver 2), so indices stay 0…n−1.
- Track status: each run of one FLAG_AT_FL over the crossings in time order is one period (see
  `LapColumns._track_status`); laps carry the statuses they ran under.
- Schedule: a time race, flag at the leader's first crossing once time is up ("time + 0 laps", RULES.md
  §1.2). The duration is the roundest time consistent with the leader's first crossing under the chequered
  flag (`scheduled_duration`): 24 h at Le Mans, 6 h at Spa and COTA. Without a chequered flag (a race cut
  short, a file ending mid-race) there is no duration and the race ends at its last leader lap.
- Classes: CLASS, GROUP and MANUFACTURER become entry attributes `class`, `group`, `manufacturer`; one
  classification per class requires `class` = its name.
- TOP_SPEED, KPH and PIT_TIME have no place in `Lap`: they come back beside the event, per (car, lap).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from parcferme.engine.allocation import bulk_allocation
from parcferme.errors import InputError
from parcferme.formats.alkamel_laps import FLAGS, LapColumns, LapExtra, wanted_columns
from parcferme.formats.alkamel_table import Table
from parcferme.formats.encoding import decode, read_decoded
from parcferme.model._dataclass import dataclass
from parcferme.model.event import Circuit, Event, SessionData
from parcferme.model.rules import RuleSet
from parcferme.model.session import RaceEnd, Schedule, Session, SessionKind
from parcferme.model.timing import Lap, TrackStatus, TrackStatusPeriod

__all__ = [
    "FLAGS",
    "WEC_RULES",
    "AlKamelRace",
    "EventInfo",
    "LapExtra",
    "parse_alkamel",
    "read_alkamel",
    "scheduled_duration",
]

WEC_RULES = "wec"
_NO_CIRCUIT = Circuit(name="")
_ROUND_UNITS = tuple(s * 1_000_000 for s in (3600, 1800, 900, 600, 300, 60, 1))


@dataclass(frozen=True, slots=True)
class AlKamelRace:
    """The event read from the file, the per-lap extras keyed by (car, lap number), each car's
    DRIVER_NUMBER for each of its drivers (`Lap.driver` indexes the drivers, not these numbers: a number
    nobody drove under is skipped), and the encoding the file was in."""

    event: Event
    extras: Mapping[tuple[str, int], LapExtra]
    driver_numbers: Mapping[str, tuple[int, ...]]
    encoding: str

    @property
    def session(self) -> SessionData:
        return self.event.sessions[0]


@dataclass(frozen=True, slots=True)
class EventInfo:
    """What the file does not say: the event around the race. `date` None gives 0001-01-01, season 0."""

    series: str = ""
    name: str | None = None  # default: the file name without extension
    round: int = 0
    circuit: Circuit = _NO_CIRCUIT
    date: dt.date | None = None
    session_id: str = "R"
    session_name: str = "Race"


def read_alkamel(
    path: str | os.PathLike[str],
    *,
    source: str | None = None,
    rules: RuleSet | None = None,
    info: EventInfo | None = None,
    duration: int | None = None,
) -> AlKamelRace:
    """Read an Al Kamel analysis CSV file; see `parse_alkamel`. `source` names it in errors (its name)."""
    source = source if source is not None else Path(path).name
    decoded = read_decoded(path, source)
    info = info or EventInfo()
    if info.name is None:
        info = replace(info, name=Path(path).stem)
    return _build(decoded.text, decoded.encoding, source, rules, info, duration)


def parse_alkamel(
    data: bytes,
    source: str,
    *,
    rules: RuleSet | None = None,
    info: EventInfo | None = None,
    duration: int | None = None,
) -> AlKamelRace:
    """Parse the bytes of an Al Kamel analysis CSV (encoding detected) into an event with one race.

    `rules` defaults to the packaged `wec` rule set; `info` describes the event (the file has only the
    race); `duration` (µs) replaces the one inferred from the chequered flag. Every problem raises an
    InputError naming `source`, the line and the column.
    """
    decoded = decode(data, source)
    return _build(decoded.text, decoded.encoding, source, rules, info or EventInfo(), duration)


def _build(
    text: str, encoding: str, source: str, rules: RuleSet | None, info: EventInfo, duration: int | None
) -> AlKamelRace:
    if rules is None:
        from parcferme.rules import load_rule_set  # the TOML loader only when no rule set is given

        rules = load_rule_set(WEC_RULES)
    columns = _read(text, source, rules)
    if not columns.laps:
        raise InputError(
            "no laps: the file has a header but no rows", source=source, line=columns.header_line
        )
    if duration is None:
        duration = scheduled_duration(columns.laps, columns.periods, columns.start)
    elif duration <= 0:
        raise InputError(f"the race duration must be positive, got {duration} µs", source=source)
    session = Session(
        id=info.session_id,
        kind=SessionKind.RACE,
        name=info.session_name,
        schedule=Schedule(
            date=dt.date.min if info.date is None else info.date,
            start=columns.start,
            duration=duration,
            end_mode=RaceEnd.TIME,
        ),
        sector_lines=tuple(f"S{k}" for k in range(1, columns.sectors)),
    )
    event = Event(
        series=info.series,
        season=0 if info.date is None else info.date.year,
        round=info.round,
        name=source if info.name is None else info.name,
        circuit=info.circuit,
        entries=columns.entries,
        classifications=columns.classifications,
        sessions=(SessionData(session=session, laps=columns.laps, track_status=columns.periods),),
        rules=rules,
    )
    return AlKamelRace(event, columns.extras, MappingProxyType(columns.driver_numbers), encoding)


@bulk_allocation
def _read(text: str, source: str, rules: RuleSet) -> LapColumns:
    return LapColumns(Table(text, source, wanted_columns), rules)


def scheduled_duration(laps: Sequence[Lap], periods: Sequence[TrackStatusPeriod], start: int) -> int | None:
    """The race duration the chequered flag implies: the roundest time after the previous leader lap.

    With the flag at the leader's first crossing of lap L (time + 0 laps), time expired after the first
    completion of lap L−1 and no later than that crossing; every duration in between gives the same
    result, so the roundest is taken (24:00:00 rather than 24:01:55.856). None without a chequered flag.
    """
    flag = next((p.start for p in periods if p.status is TrackStatus.CHEQUERED), None)
    if flag is None:
        return None
    crossing = flag + 1  # periods start 1 µs before the crossing that shows them
    leader_lap = next((lap.number for lap in laps if lap.end == crossing), None)
    if leader_lap is None:
        return None  # pragma: no cover - a chequered period always starts at a crossing
    before = min((lap.end for lap in laps if lap.number == leader_lap - 1), default=start) - start
    finish = crossing - start
    for unit in _ROUND_UNITS:
        rounded = finish // unit * unit
        if rounded > max(before, 0):
            return rounded
    return finish
