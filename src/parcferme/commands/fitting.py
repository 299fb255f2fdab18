"""Adapting an imported Event so that an event folder can hold it, saying what was changed.

Readers keep what a source says, which an event folder cannot always hold: an rFactor 2 car keyed `01~2`
(two cars numbered 01), an Assetto Corsa slot with no driver name, ACC's list-valued `player_id`, a race
an RMonitor feed or iRacing describes without laps or duration, an Al Kamel file that names neither series
nor circuit. The folder writer refuses those (formats.event_folder_writer); `fit_for_folder` changes them,
as little as it can and never in a way that changes a result, and returns one note per change so that
`parcferme import` can print them. What it cannot fix without changing results (a lap below the rules'
minimum, a passing before the start…) it sets aside, with a note.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from types import MappingProxyType

from parcferme.formats.folder_decisions import _APPLIES, _RACE_ONLY, _REQUIRED  # the reader's own tables
from parcferme.formats.folder_entries import BOOL_ATTRIBUTES, ENTRY_COLUMNS, LIST_ATTRIBUTES
from parcferme.formats.values import parse_bool
from parcferme.model.classification import Classification
from parcferme.model.decisions import Decision
from parcferme.model.entries import AttributeValue, Driver, Entry
from parcferme.model.event import Circuit, Event, SessionData
from parcferme.model.incidents import Incident
from parcferme.model.rules import RuleSet
from parcferme.model.session import Schedule, Session
from parcferme.model.time import format_time, format_time_of_day
from parcferme.model.timing import PIT_IN, PIT_OUT, SF, Lap, Passing, TrackStatusPeriod

__all__ = ["fit_for_folder"]

_NOT_ID = re.compile(r"[^A-Za-z0-9_-]+")
_TRANSPONDER = re.compile(r"^[A-Za-z0-9]+$")


class _Fit:
    """One pass over the event; `notes` collects what was changed, each kind of change said once."""

    def __init__(self) -> None:
        self.notes: list[str] = []
        self.counts: Counter[str] = Counter()
        self.numbers: dict[str, str] = {}  # car number as read → as written
        self.keys: dict[str, str] = {}  # attribute name as read → column

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def count(self, text: str) -> None:
        """A change that happens many times: counted, reported once with its count."""
        self.counts[text] += 1

    def report(self) -> list[str]:
        return self.notes + [f"{text} ({n})" if n > 1 else text for text, n in self.counts.items()]


def fit_for_folder(event: Event) -> tuple[Event, list[str]]:
    """The event changed so that `write_event_folder` accepts it, and what was changed."""
    fit = _Fit()
    series = event.series.strip() or "Unknown series"
    name = event.name.strip() or "Unnamed event"
    circuit = event.circuit.name.strip() or "Unknown circuit"
    for label, before, after in (("series", event.series, series), ("event name", event.name, name)):
        if not before.strip():
            fit.note(f"the source gives no {label}: written as {after!r} (edit event.toml)")
    if not event.circuit.name.strip():
        fit.note(f"the source names no circuit: written as {circuit!r} (edit event.toml)")
    fit.numbers = _unique_ids([e.number for e in event.entries], fit, "car number")
    entries = [_entry(e, fit) for e in event.entries]
    entries = _own_transponders(entries, fit)
    rules = _rules(event, fit)
    sessions = _sessions(replace(event, rules=rules), entries, fit)
    classifications = tuple(_classification(c, fit) for c in event.classifications)
    fitted = replace(
        event,
        series=series,
        name=name,
        circuit=Circuit(circuit, max(event.circuit.length_m, 0)),
        round=max(event.round, 0),
        entries=tuple(entries),
        classifications=classifications,
        sessions=sessions,
        rules=rules,
    )
    return fitted, fit.report()


def _rules(event: Event, fit: _Fit) -> RuleSet:
    """A lap source may hold laps shorter than the rules' minimum (a sim's pit-lane laps): the engine takes
    them as given, the folder reader refuses them. When no session has passings the minimum decides
    nothing else, so it is lowered to the shortest lap rather than the laps dropped."""
    shortest = min((lap.time for s in event.sessions for lap in s.laps or () if lap.time > 0), default=None)
    rules = event.rules
    if shortest is None or shortest >= rules.min_lap_time or any(s.passings for s in event.sessions):
        return rules
    minimum = shortest // 1000 * 1000 or shortest  # a round figure in the file, at or below the shortest lap
    fit.note(
        f"laps shorter than the rules' minimum ({format_time(rules.min_lap_time)}): the event's rule set "
        f"takes {format_time(minimum)} instead, in rules.toml (it decides nothing else for lap-by-lap timing)"
    )
    return replace(rules, min_lap_time=minimum)


def _unique_ids(ids: Iterable[str], fit: _Fit, what: str) -> dict[str, str]:
    """Each id made of letters, digits, `-`, `_` (others become `-`), unique (a suffix when taken)."""
    given = list(ids)
    taken = {i for i in given if _NOT_ID.search(i) is None and i}
    out: dict[str, str] = {}
    for old in given:
        if old in out:
            continue
        if _NOT_ID.search(old) is None and old:
            out[old] = old
            continue
        base = _NOT_ID.sub("-", old).strip("-") or "x"
        new, k = base, 2
        while new in taken:
            new, k = f"{base}-{k}", k + 1
        taken.add(new)
        out[old] = new
        fit.note(f"{what} {old!r} written as {new!r} (letters, digits, '-' and '_' only)")
    return out


def _entry(entry: Entry, fit: _Fit) -> Entry:
    number = fit.numbers[entry.number]
    drivers = tuple(_driver(d, number, fit) for d in entry.drivers) or (_driver(Driver("", ""), number, fit),)
    attributes: dict[str, AttributeValue] = {}
    for key, value in entry.attributes.items():
        column = _column(key, fit)
        fitted = _attribute(column, value, fit)
        if fitted is not None and column not in attributes:
            attributes[column] = fitted
    return replace(entry, number=number, drivers=drivers, attributes=MappingProxyType(attributes))


def _driver(driver: Driver, number: str, fit: _Fit) -> Driver:
    first, last = driver.first_name.strip(), driver.last_name.strip()
    if not last:
        first, last = "", first or f"Car {number}"
        if last.startswith("Car "):
            fit.note(f"car {number}: a driver without a name is written as {last!r}")
    if "," in last or ";" in last + first:
        fit.count("a ',' in a last name or a ';' in a name replaced by a space")
        last, first = last.replace(",", " ").replace(";", " "), first.replace(";", " ")
    return Driver(first, last, driver.nationality.replace(";", " ").strip())


def _column(key: str, fit: _Fit) -> str:
    column = fit.keys.get(key)
    if column is None:
        column = key.strip().lower() or "attribute"
        if column in ENTRY_COLUMNS:
            column = f"{column}_attribute"
        if column != key.strip().lower():
            fit.note(f"attribute {key!r} written as column {column!r}")
        fit.keys[key] = column
    return column


def _attribute(column: str, value: AttributeValue, fit: _Fit) -> AttributeValue | None:
    if column in BOOL_ATTRIBUTES:
        if isinstance(value, str):
            try:
                return parse_bool(value)
            except ValueError:
                fit.note(f"attribute {column!r}: values that are not yes/no left out")
                return None
        return value if isinstance(value, bool) else None
    if column in LIST_ATTRIBUTES:
        items = value if isinstance(value, tuple) else (value,) if isinstance(value, str) else ()
        return tuple(part.strip() for item in items for part in item.split(";") if part.strip())
    if isinstance(value, bool):
        fit.note(
            f"attribute {column!r}: booleans written as yes/no text (only rookie and guest are booleans)"
        )
        return "yes" if value else "no"
    if isinstance(value, tuple):
        fit.note(f"attribute {column!r}: lists written as text joined by ';' (only championships is a list)")
        return ";".join(value)
    return value


def _classification(c: Classification, fit: _Fit) -> Classification:
    def rule(values: Iterable[tuple[str, AttributeValue]]) -> MappingProxyType[str, AttributeValue]:
        out: dict[str, AttributeValue] = {}
        for key, value in values:
            column = _column(key, fit)
            if column in BOOL_ATTRIBUTES or not isinstance(value, bool):
                out[column] = value
            else:  # the entries' booleans became yes/no text: compare with the same text (an entry
                # without the attribute then matches neither, where it matched false before)
                out[column] = "yes" if value else "no"
        return MappingProxyType(out)

    names = {lang: name.strip() for lang, name in c.names.items() if name.strip()}
    return replace(
        c, names=MappingProxyType(names), require=rule(c.require.items()), exclude=rule(c.exclude.items())
    )


def _own_transponders(entries: list[Entry], fit: _Fit) -> list[Entry]:
    owners: set[str] = set()
    out = []
    for entry in entries:
        kept = []
        for t in entry.transponders:
            if _TRANSPONDER.match(t) is None or t in owners:
                fit.note(
                    f"car {entry.number}: transponder {t!r} left out (not letters and digits, or not unique)"
                )
                continue
            owners.add(t)
            kept.append(t)
        out.append(replace(entry, transponders=tuple(kept)))
    return out


def _sessions(event: Event, entries: list[Entry], fit: _Fit) -> tuple[SessionData, ...]:
    ids = _unique_ids([s.session.id for s in event.sessions], fit, "session id")
    known = {e.number for e in entries}
    out: list[SessionData] = []
    defined: dict[str, Session] = {}
    for data in event.sessions:
        session = _schedule(data, ids, defined, fit)
        defined[session.id] = session
        extra = _missing_cars(data, known, fit)
        entries.extend(extra)
        known.update(e.number for e in extra)
        owners = {t: e.number for e in entries for t in e.transponders}
        laps = (
            None if data.laps is None else _laps(data.laps, session, event.rules.min_lap_time, entries, fit)
        )
        passings = data.passings
        if laps is not None and passings:
            fit.note(f"session {session.id}: both laps and passings; the passings are left out")
            passings = ()
        out.append(
            SessionData(
                session=session,
                passings=tuple(_passings(passings, session, owners, fit)),
                laps=laps,
                track_status=_track_status(data.track_status, session, fit),
                decisions=tuple(_decisions(data.decisions, session, known, fit)),
                incidents=tuple(_incidents(data.incidents, session, known, fit)),
            )
        )
    return tuple(out)


def _schedule(data: SessionData, ids: dict[str, str], defined: dict[str, Session], fit: _Fit) -> Session:
    session = data.session
    schedule = _start_before_laps(data, ids[session.id], fit)
    sid = ids[session.id]
    grid = session.grid
    if grid is not None:
        source = defined.get(ids.get(grid.session, grid.session))
        if session.is_race and source is not None and not source.is_race:
            grid = replace(grid, session=source.id)
        else:
            fit.note(
                f"session {sid}: grid from {grid.session!r} left out (not an earlier practice or qualifying)"
            )
            grid = None
    laps = schedule.laps
    if not session.is_race and laps is not None:
        fit.note(f"session {sid}: a distance in laps applies to races only; left out")
        laps = None
    if session.is_race and laps is None and (schedule.duration is None or schedule.end_mode.value == "laps"):
        # the race ends at its last leader lap anyway: a distance of at least that many laps changes nothing
        laps = max(_laps_run(data), 1)
        distance = f"{laps} lap" if laps == 1 else f"{laps} laps"
        fit.note(f"session {sid}: the source gives no race distance; written as {distance} (the laps run)")
    return replace(session, id=sid, schedule=replace(schedule, laps=laps), grid=grid)


def _start_before_laps(data: SessionData, sid: str, fit: _Fit) -> Schedule:
    """laps.csv holds laps completed after the session start; ACC places a race's first laps, run before
    the start signal, before it. The start is moved back before them, and a duration lengthened as much so
    that time still runs out at the same moment: every car's race time grows by the same amount, and
    order, laps, gaps and intervals stay as they were."""
    schedule = data.session.schedule
    if not data.laps or min(lap.end for lap in data.laps) > schedule.start:
        return schedule
    start = max(min(min(lap.start for lap in data.laps), min(lap.end for lap in data.laps) - 1), 0)
    start = start // 1_000_000 * 1_000_000
    shift = schedule.start - start
    fit.note(
        f"session {sid}: laps end before the session start; the start is moved back to "
        f"{format_time_of_day(start)}, race times {format_time(shift)} longer (order, gaps unchanged)"
    )
    duration = None if schedule.duration is None else schedule.duration + shift
    return replace(schedule, start=start, duration=duration)


def _laps_run(data: SessionData) -> int:
    """At least the laps the leader can have run: the highest lap number (a feed may miss some laps), or
    for passings every crossing of the Line."""
    if data.laps is not None:
        return max((lap.number for lap in data.laps), default=0)
    return max(Counter(p.car for p in data.passings if p.line == SF).values(), default=0)


def _missing_cars(data: SessionData, known: set[str], fit: _Fit) -> list[Entry]:
    """Entries for cars the timing has but the entry list lacks (a feed joined late, a guest car)."""
    cars = [lap.car for lap in data.laps or ()] + [p.car for p in data.passings]
    added: list[Entry] = []
    for car in dict.fromkeys(cars):
        number = fit.numbers.setdefault(car, _NOT_ID.sub("-", car).strip("-") or "x")
        if number not in known and number not in {e.number for e in added}:
            added.append(Entry(number=number, drivers=(Driver("", f"Car {number}"),)))
            fit.note(f"car {number} has timing but no entry: entered as 'Car {number}'")
    return added


def _laps(
    laps: Iterable[Lap], session: Session, minimum: int, entries: list[Entry], fit: _Fit
) -> tuple[Lap, ...]:
    drivers = {e.number: len(e.drivers) for e in entries}
    sectors = len(session.sector_lines) + 1
    last: dict[str, int] = {}
    out: list[Lap] = []
    for lap in laps:
        car = fit.numbers.get(lap.car, lap.car)
        reason = ""
        if lap.number <= last.get(car, 0):
            reason = "lap numbers not increasing"
        elif lap.end <= session.schedule.start:
            reason = "laps ending before the session start"
        elif lap.time < minimum:
            reason = "laps below the rules' minimum lap time"
        if reason:
            fit.count(f"session {session.id}: {reason} left out")
            continue
        last[car] = lap.number
        cut = lap.sectors
        if cut and len(cut) != sectors:
            fit.count(
                f"session {session.id}: sector times of laps with {len(cut)} sectors, not {sectors}, left out"
            )
            cut = ()
        cut = tuple(s if s is None or s > 0 else None for s in cut)
        driver = lap.driver if 0 <= lap.driver < drivers.get(car, 1) else 0
        out.append(lap._replace(car=car, sectors=cut, driver=driver))
    return tuple(out)


def _passings(
    passings: Iterable[Passing], session: Session, owners: dict[str, str], fit: _Fit
) -> list[Passing]:
    lines = frozenset((SF, PIT_IN, PIT_OUT, *session.sector_lines))
    out = []
    for p in passings:
        car = fit.numbers.get(p.car, p.car)
        if p.time < session.schedule.start or p.line not in lines:
            fit.count(f"session {session.id}: passings before the start or on an unknown line left out")
            continue
        transponder = p.transponder if owners.get(p.transponder) == car else ""
        out.append(p._replace(car=car, transponder=transponder))
    return out


def _track_status(
    periods: tuple[TrackStatusPeriod, ...], session: Session, fit: _Fit
) -> tuple[TrackStatusPeriod, ...]:
    kept = tuple(p for p in periods if p.end is None or p.end > p.start)
    if len(kept) != len(periods):
        fit.note(f"session {session.id}: track-status periods that end before they start left out")
    return kept


def _decisions(decisions: Iterable[Decision], session: Session, known: set[str], fit: _Fit) -> list[Decision]:
    out = []
    for d in decisions:
        d = replace(d, car=fit.numbers.get(d.car, d.car), session=session.id)
        d = _without_stray_quantities(d, session, fit)
        given = {"seconds": d.time, "laps": d.laps, "lap": d.lap, "places": d.places}
        required = _REQUIRED.get(d.kind)
        race_only = d.kind in _RACE_ONLY and not session.is_race
        if d.car not in known or race_only or (required is not None and not given[required]):
            fit.count(f"session {session.id}: decisions the folder cannot hold left out")
            continue
        out.append(d if d.reason.strip() else replace(d, reason=d.kind.value))
    return out


def _incidents(incidents: Iterable[Incident], session: Session, known: set[str], fit: _Fit) -> list[Incident]:
    out = []
    for x in incidents:
        number = fit.numbers.get
        x = replace(
            x,
            session=session.id,
            cars=tuple(number(c, c) for c in x.cars),
            hit_by=number(x.hit_by, x.hit_by) if x.hit_by else "",
            retired=tuple(number(c, c) for c in x.retired),
        )
        if not set(x.involved) <= known:
            fit.count(f"session {session.id}: incidents about cars not entered left out")
            continue
        out.append(x)
    return out


def _without_stray_quantities(d: Decision, session: Session, fit: _Fit) -> Decision:
    """A quantity the decision's kind does not take (ACC gives the lap of every drive-through): the engine
    never reads it, and the folder refuses it; it is dropped, and kept in the reference when that is empty."""
    given = {"seconds": d.time, "laps": d.laps, "lap": d.lap, "places": d.places, "served": d.served}
    stray = [key for key, value in given.items() if value and d.kind not in _APPLIES[key]]
    if not stray:
        return d
    fit.note(
        f"session {session.id}: {'/'.join(stray)} of {d.kind.value} decisions left out (the engine uses none)"
    )
    cleared = replace(
        d,
        time=0 if "seconds" in stray else d.time,
        laps=0 if "laps" in stray else d.laps,
        lap=0 if "lap" in stray else d.lap,
        places=0 if "places" in stray else d.places,
        served=False if "served" in stray else d.served,
    )
    if not d.reference.strip():
        cleared = replace(cleared, reference=", ".join(f"{key} {given[key]}" for key in stray))
    return cleared
