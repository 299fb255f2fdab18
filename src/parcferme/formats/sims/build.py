"""Pieces every sim reader shares: car keys, driver names, session ids, sub-classifications, the event.

Sim servers identify cars loosely: rFactor 2 lets three players pick the same number, Assetto Corsa has no
number at all. parcferme keys entries by car number, so `CarKeys` gives every car a unique key — its number
when free, the number with a suffix (`01~2`) when taken — and records each renaming as a note.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from fractions import Fraction
from functools import cache
from pathlib import PurePath
from types import MappingProxyType

from parcferme.model.classification import Classification
from parcferme.model.entries import AttributeValue, Driver, Entry
from parcferme.model.event import Circuit, Event, SessionData
from parcferme.model.rules import RuleSet
from parcferme.model.session import Schedule, Session, SessionKind
from parcferme.rules import load_rule_set

SIM_RULES = "sim-default"
# A file without a date (ACC writes none inside) is dated on this day: the Schedule needs one.
UNKNOWN_DATE = dt.date(1970, 1, 1)
MICROS = 1_000_000
_DECIMAL = re.compile(r"^\s*(-?\d{1,12})(?:\.(\d{1,9}))?\s*$", re.ASCII)
_ID_PREFIX = {SessionKind.PRACTICE: "P", SessionKind.QUALIFYING: "Q", SessionKind.RACE: "R"}


@cache
def sim_rules() -> RuleSet:
    """The packaged rule set for sim results (rules/sim-default.toml)."""
    return load_rule_set(SIM_RULES)


def micros(text: str) -> int | None:
    """A plain decimal times a million, exactly (no float on the way): `"130.7517"` s → 130 751 700 µs.

    None when the text is not a plain decimal (rFactor writes `--.----` for "no time").
    """
    match = _DECIMAL.match(text)
    if match is None:
        return None
    whole, frac = match[1], match[2] or ""
    value = Fraction(int(whole + frac), 10 ** len(frac)) * MICROS
    return round(value)


def driver_from_name(name: str) -> Driver:
    """A one-string name ("Andrea Sorlini") as first and last names: the last word is the family name."""
    words = name.split()
    if not words:
        return Driver("", "")
    if len(words) == 1:
        return Driver("", words[0])
    return Driver(" ".join(words[:-1]), words[-1])


class CarKeys:
    """Unique entry keys from the car numbers a file gives, and a note for every number given twice.

    One holder (number and driver) keeps its key across the sessions of a file; within a session every
    key is given once.
    """

    def __init__(self) -> None:
        self._taken: set[str] = set()
        self._by_holder: dict[tuple[str, str], str] = {}
        self._in_session: set[str] = set()
        self.notes: list[str] = []

    def next_session(self) -> None:
        self._in_session = set()

    def key(self, number: str, who: str) -> str:
        number = number.strip() or "?"
        known = self._by_holder.get((number, who))
        if known is not None and known not in self._in_session:
            self._in_session.add(known)
            return known
        key, n = number, 1
        while key in self._taken:
            n += 1
            key = f"{number}~{n}"
        self._taken.add(key)
        self._in_session.add(key)
        self._by_holder.setdefault((number, who), key)
        if key != number:
            self.notes.append(f"car number {number} is used by more than one car: {who} is keyed {key}")
        return key


class SessionIds:
    """Session ids in parcferme's style (P, Q, R; with the file's number: Q2, P3), unique in an event."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def id(self, kind: SessionKind, number: str = "") -> str:
        base = _ID_PREFIX[kind] + number
        candidate, n = base, 1
        while candidate in self._taken:
            n += 1
            candidate = f"{base}-{n}"
        self._taken.add(candidate)
        return candidate


def sector_lines(sector_count: int) -> tuple[str, ...]:
    """The sector loops a lap of `sector_count` sectors crosses (S1, S2 for three sectors)."""
    return tuple(f"S{i}" for i in range(1, max(sector_count, 1)))


def make_session(
    session_id: str,
    kind: SessionKind,
    name: str,
    date: dt.date,
    start: int,
    *,
    sectors: int = 3,
    duration: int | None = None,
    laps: int | None = None,
) -> Session:
    schedule = Schedule(date=date, start=start, duration=duration, laps=laps)
    return Session(session_id, kind, name, schedule, sector_lines=sector_lines(sectors))


def entry(
    key: str,
    drivers: Iterable[Driver],
    *,
    team: str = "",
    car: str = "",
    attributes: Mapping[str, AttributeValue] | None = None,
) -> Entry:
    crew = tuple(drivers) or (Driver("", ""),)
    attrs = {k: v for k, v in (attributes or {}).items() if v not in ("", ())}
    return Entry(key, crew, team=team.strip(), car=car.strip(), attributes=MappingProxyType(attrs))


def classifications(entries: Iterable[Entry]) -> tuple[Classification, ...]:
    """One sub-classification per car class and per cup, when a file has more than one of either."""
    entries = tuple(entries)
    found: list[Classification] = []
    for attribute in ("class", "cup"):
        values = sorted({v for e in entries if isinstance(v := e.attribute(attribute), str)})
        if len(values) < 2:
            continue
        for value in values:
            slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-") or "x"
            names = MappingProxyType({"en": value, "fr": value})
            found.append(
                Classification(f"{attribute}-{slug}", names, require=MappingProxyType({attribute: value}))
            )
    unique: dict[str, Classification] = {}
    for c in found:
        unique.setdefault(c.id, c)
    return tuple(unique.values())


def make_event(
    series: str,
    name: str,
    circuit: Circuit,
    date: dt.date,
    entries: Iterable[Entry],
    sessions: Iterable[SessionData],
) -> Event:
    entries = tuple(entries)
    return Event(
        series=series,
        season=0 if date == UNKNOWN_DATE else date.year,
        round=0,
        name=name.strip() or circuit.name,
        circuit=circuit,
        entries=entries,
        classifications=classifications(entries),
        sessions=tuple(sessions),
        rules=sim_rules(),
    )


def file_name(source: str) -> str:
    return PurePath(source).name
