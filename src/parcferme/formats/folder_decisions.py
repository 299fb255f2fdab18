"""decisions.toml of a session folder: the stewards' decisions for that session → Decision.

Each kind takes the quantity it needs (time-penalty: seconds; lap-penalty: laps; delete-lap: lap;
grid-drop: places); a quantity that does not apply to the kind must be absent or zero. `reason` is text, or
texts by language (`reason = { en = "…", fr = "…" }`) for reports in several languages.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import MappingProxyType

from parcferme.formats.tomlio import Table, TomlDoc
from parcferme.model.decisions import Decision, DecisionKind
from parcferme.model.entries import Entry
from parcferme.model.session import Session

DECISION_KEYS = (
    "car",
    "kind",
    "seconds",
    "laps",
    "lap",
    "places",
    "served",
    "reason",
    "reference",
    "issued_at",
)

# The quantity each kind requires, and the kinds that may carry it.
_REQUIRED = {
    DecisionKind.TIME_PENALTY: "seconds",
    DecisionKind.LAP_PENALTY: "laps",
    DecisionKind.DELETE_LAP: "lap",
    DecisionKind.GRID_DROP: "places",
}
_APPLIES = {
    "seconds": frozenset({DecisionKind.TIME_PENALTY, DecisionKind.STOP_GO}),
    "laps": frozenset({DecisionKind.LAP_PENALTY}),
    "lap": frozenset({DecisionKind.DELETE_LAP}),
    "places": frozenset({DecisionKind.GRID_DROP}),
    "served": frozenset({DecisionKind.DRIVE_THROUGH, DecisionKind.STOP_GO}),
}
# Decisions about the start of a race.
_RACE_ONLY = frozenset({DecisionKind.GRID_DROP, DecisionKind.PIT_LANE_START})


def read_decisions(
    path: Path, source: str, session: Session, entries: tuple[Entry, ...]
) -> tuple[Decision, ...]:
    """The decisions in file order; `session` is the folder's session."""
    root = TomlDoc.read(path, source).root()
    root.check_keys(("decisions",))
    numbers = frozenset(e.number for e in entries)
    return tuple(_decision(table, session, numbers) for table in root.tables("decisions"))


def _decision(table: Table, session: Session, numbers: frozenset[str]) -> Decision:
    table.check_keys(DECISION_KEYS)
    car = table.get("car")
    if isinstance(car, int) and not isinstance(car, bool):
        table.fail(f'car numbers are strings: write car = "{car}"', "car")
    car = table.get_str("car")
    if car not in numbers:
        table.fail(f"unknown car number {car!r}: not in entries.csv", "car")
    kind_name = table.get_str("kind")
    try:
        kind = DecisionKind(kind_name)
    except ValueError:
        allowed = ", ".join(k.value for k in DecisionKind)
        table.fail(f"unknown decision kind {kind_name!r} (expected one of: {allowed})", "kind")
    if kind in _RACE_ONLY and not session.is_race:
        table.fail(
            f"a {kind.value} applies to a race; session {session.id} is a {session.kind.value}", "kind"
        )
    if not table.has("reason"):
        table.fail("missing key 'reason': every decision says why it was taken", "reason")
    reason, translations = table.get_text("reason")

    time = table.opt_seconds("seconds") or 0
    laps = table.opt_int("laps", minimum=0) or 0
    lap = table.opt_int("lap", minimum=0) or 0
    places = table.opt_int("places", minimum=0) or 0
    served = table.opt_bool("served") or False
    if time < 0:
        table.fail("expected a positive number of seconds", "seconds")
    given = {"seconds": time, "laps": laps, "lap": lap, "places": places, "served": served}
    required = _REQUIRED.get(kind)
    if required is not None and not given[required]:
        table.fail(f"a {kind.value} needs '{required}' (a positive value)", required)
    for key, value in given.items():
        if value and kind not in _APPLIES[key]:
            table.fail(f"'{key}' does not apply to a {kind.value}", key)

    return Decision(
        session=session.id,
        car=car,
        kind=kind,
        reason=reason,
        reference=table.opt_str("reference", allow_empty=True) or "",
        issued_at=_issued_at(table),
        time=time,
        laps=laps,
        lap=lap,
        places=places,
        served=served,
        reason_translations=MappingProxyType(translations),
    )


def _issued_at(table: Table) -> str:
    """As published: "after the race", "15:42" (a TOML time such as 15:42:00 is kept as text too)."""
    if not table.has("issued_at"):
        return ""
    value = table.get("issued_at")
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, dt.time):
        return value.isoformat()
    table.fail('expected text such as "15:42" or "after the race"', "issued_at")
