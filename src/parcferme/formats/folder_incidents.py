"""incidents.toml of a session folder: race control's incident log → Incident.

```toml
[[incidents]]
lap = 2
kind = "spin"                 # spin | off | contact | crash | stopped | mechanical
cars = ["16"]                 # the car it happened to; for a contact, every car involved
hit_by = "47"                 # optional: a car that then struck the first one
neutralisation = "sc"         # optional: the status it brought out (sc, vsc, fcy, code60, red)
retired = ["16", "47"]        # optional: the cars it put out
note = { en = "…", fr = "…" } # optional free text, once or per language
```
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from parcferme.formats.tomlio import Table, TomlDoc
from parcferme.model.entries import Entry
from parcferme.model.incidents import NEUTRALISATIONS, Incident, IncidentKind
from parcferme.model.session import Session
from parcferme.model.timing import TrackStatus

INCIDENT_KEYS = ("lap", "kind", "cars", "hit_by", "neutralisation", "retired", "note")


def read_incidents(
    path: Path, source: str, session: Session, entries: tuple[Entry, ...]
) -> tuple[Incident, ...]:
    """The incidents in file order; `session` is the folder's session."""
    root = TomlDoc.read(path, source).root()
    root.check_keys(("incidents",))
    numbers = frozenset(e.number for e in entries)
    return tuple(_incident(table, session, numbers) for table in root.tables("incidents"))


def _incident(table: Table, session: Session, numbers: frozenset[str]) -> Incident:
    table.check_keys(INCIDENT_KEYS)
    kind_name = table.get_str("kind")
    try:
        kind = IncidentKind(kind_name)
    except ValueError:
        allowed = ", ".join(k.value for k in IncidentKind)
        table.fail(f"unknown incident kind {kind_name!r} (expected one of: {allowed})", "kind")
    cars = _cars(table, "cars", numbers)
    if not cars:
        table.fail("expected at least one car number", "cars")
    if kind is IncidentKind.CONTACT and len(cars) < 2:
        table.fail("a contact involves at least two cars", "cars")
    hit_by = ""
    if table.has("hit_by"):
        hit_by = _car(table, table.get("hit_by"), numbers, "hit_by")
        if hit_by in cars:
            table.fail(f"car {hit_by!r} cannot hit itself: it is already in 'cars'", "hit_by")
    neutralisation = None
    if table.has("neutralisation"):
        name = table.get_str("neutralisation")
        statuses = sorted(s.value for s in NEUTRALISATIONS)
        if name not in statuses:
            table.fail(
                f"unknown neutralisation {name!r} (expected one of: {', '.join(statuses)})", "neutralisation"
            )
        neutralisation = TrackStatus(name)
    retired = _cars(table, "retired", numbers) if table.has("retired") else ()
    involved = (*cars, hit_by)
    for car in retired:
        if car not in involved:
            table.fail(f"car {car!r} retired but is not involved (cars, hit_by)", "retired")
    note = MappingProxyType(_note(table)) if table.has("note") else MappingProxyType({})
    return Incident(
        session=session.id,
        kind=kind,
        cars=cars,
        lap=table.opt_int("lap", minimum=1),
        hit_by=hit_by,
        neutralisation=neutralisation,
        retired=retired,
        note=note,
    )


def _note(table: Table) -> dict[str, str]:
    text, texts = table.get_text("note")
    return texts or {"": text}  # "": a note given once, in no stated language


def _cars(table: Table, key: str, numbers: frozenset[str]) -> tuple[str, ...]:
    value = table.get(key)
    if not isinstance(value, list):
        table.fail('expected a list of car numbers such as ["16", "47"]', key)
    cars = tuple(_car(table, v, numbers, key, i) for i, v in enumerate(value))
    if len(set(cars)) != len(cars):
        table.fail("a car is listed twice", key)
    return cars


def _car(table: Table, value: object, numbers: frozenset[str], *keys: str | int) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        table.fail(f'car numbers are strings: write "{value}"', *keys)
    if not isinstance(value, str) or not value.strip():
        table.fail("expected a car number as a string", *keys)
    car = value.strip()
    if car not in numbers:
        table.fail(f"unknown car number {car!r}: not in entries.csv", *keys)
    return car
