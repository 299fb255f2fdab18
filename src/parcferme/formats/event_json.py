"""A whole Event as JSON (schema `parcferme.event/1`, docs/event-json.md): the writer and its reader.

The export holds everything the engine needs to classify the event again — entries, classifications,
the rule set, and per session its schedule, raw passings or laps, track status and decisions — so that
reading it back gives an equal `Event`. Times are integers of microseconds (keys ending in `_us`); the
10⁴–10⁶ passings and laps are tables (`columns` once, then one array per row) written one row per line.

Output is deterministic (fixed key order, nothing from the clock) and written atomically. The reader
checks every value and raises `InputError` naming the source and the JSON path of the bad value
(`sessions[2].laps.rows[17][4]`, counting from 0 as JSON does).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import Any

from parcferme.formats.atomic import write_atomic
from parcferme.model.classification import Classification
from parcferme.model.decisions import Decision
from parcferme.model.entries import AttributeValue, Entry
from parcferme.model.event import Event, SessionData
from parcferme.model.incidents import Incident
from parcferme.model.rules import RuleSet
from parcferme.model.timing import Lap, TrackStatus

__all__ = [
    "LAP_COLUMNS",
    "OLDER_SCHEMAS",
    "PASSING_COLUMNS",
    "SCHEMA",
    "event_from_json",
    "event_to_json",
    "read_event_json",
    "write_event_json",
]

SCHEMA = "parcferme.event/2"  # /2 added decisions' reason_translations and sessions' incidents
OLDER_SCHEMAS = ("parcferme.event/1",)  # still read: the same document without those keys
PASSING_COLUMNS = ("time_us", "line", "car", "transponder", "seq")
LAP_COLUMNS = (
    "car",
    "number",
    "start_us",
    "end_us",
    "time_us",
    "sectors_us",
    "in_pit",
    "out_lap",
    "statuses",
    "deleted",
    "driver",
)
_STATUS_ORDER = {status: i for i, status in enumerate(TrackStatus)}
Json = Any  # what json.loads gives: dict, list, str, int, float, bool or None


# ---------------------------------------------------------------------------------------------- writer


def event_to_json(event: Event) -> str:
    """The JSON text of the event: indented, with each passing and lap on one line."""
    tables: list[list[str]] = []
    text = json.dumps(_event(event, tables), indent=2, ensure_ascii=False)
    for n, rows in enumerate(tables):
        # a table's rows stand in the indented text as a placeholder string, replaced by one row per line
        placeholder = json.dumps(_placeholder(n))
        at = text.index(placeholder)
        line_start = text.rfind("\n", 0, at) + 1
        indent = " " * (len(text[line_start:at]) - len(text[line_start:at].lstrip()))
        inner = indent + "  "
        body = "[]" if not rows else "[\n" + ",\n".join(inner + row for row in rows) + "\n" + indent + "]"
        text = text[:at] + body + text[at + len(placeholder) :]
    return text + "\n"


def write_event_json(path: str | os.PathLike[str], event: Event) -> None:
    """Write the event's JSON to `path` all at once (a temporary file renamed over it)."""
    write_atomic(path, event_to_json(event))


def _placeholder(n: int) -> str:
    return f"\x00rows {n}\x00"


def _event(event: Event, tables: list[list[str]]) -> dict[str, Json]:
    return {
        "schema": SCHEMA,
        "series": event.series,
        "season": event.season,
        "round": event.round,
        "name": event.name,
        "circuit": {"name": event.circuit.name, "length_m": event.circuit.length_m},
        "rules": _rules(event.rules),
        "classifications": [_classification(c) for c in event.classifications],
        "entries": [_entry(e) for e in event.entries],
        "sessions": [_session(s, tables) for s in event.sessions],
    }


def _rules(rules: RuleSet) -> dict[str, Json]:
    return {
        "id": rules.id,
        "name": rules.name,
        "min_classified": str(rules.min_classified),
        "min_classified_rounding": rules.min_classified_rounding.value,
        "late_conversions": [{"kind": kind.value, "time_us": time} for kind, time in rules.late_conversions],
        "late_laps": rules.late_laps,
        "min_lap_time_us": rules.min_lap_time,
        "must_take_flag": rules.must_take_flag,
        "red_flag_countback_laps": rules.red_flag_countback_laps,
        "duplicate_window_us": rules.duplicate_window,
    }


def _attributes(values: Mapping[str, AttributeValue]) -> dict[str, Json]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in sorted(values.items())}


def _classification(c: Classification) -> dict[str, Json]:
    return {
        "id": c.id,
        "names": dict(sorted(c.names.items())),
        "require": _attributes(c.require),
        "exclude": _attributes(c.exclude),
    }


def _entry(e: Entry) -> dict[str, Json]:
    return {
        "number": e.number,
        "drivers": [
            {"first_name": d.first_name, "last_name": d.last_name, "nationality": d.nationality}
            for d in e.drivers
        ],
        "team": e.team,
        "car": e.car,
        "transponders": list(e.transponders),
        "attributes": _attributes(e.attributes),
    }


def _session(data: SessionData, tables: list[list[str]]) -> dict[str, Json]:
    s = data.session
    schedule = s.schedule
    return {
        "id": s.id,
        "kind": s.kind.value,
        "name": s.name,
        "schedule": {
            "date": schedule.date.isoformat(),
            "start_us": schedule.start,
            "duration_us": schedule.duration,
            "laps": schedule.laps,
            "end_mode": schedule.end_mode.value,
        },
        "sector_lines": list(s.sector_lines),
        "grid": None if s.grid is None else {"session": s.grid.session, "lap": s.grid.lap.value},
        "passings": _table(PASSING_COLUMNS, [_dumps(list(p)) for p in data.passings], tables),
        "laps": None
        if data.laps is None
        else _table(LAP_COLUMNS, [_lap_row(lap) for lap in data.laps], tables),
        "track_status": [
            {"status": p.status.value, "start_us": p.start, "end_us": p.end, "note": p.note}
            for p in data.track_status
        ],
        "decisions": [_decision(d) for d in data.decisions],
        "incidents": [_incident(x) for x in data.incidents],
    }


def _table(columns: Sequence[str], rows: list[str], tables: list[list[str]]) -> dict[str, Json]:
    tables.append(rows)
    return {"columns": list(columns), "rows": _placeholder(len(tables) - 1)}


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _lap_row(lap: Lap) -> str:
    statuses = sorted((s.value for s in lap.statuses), key=lambda v: _STATUS_ORDER[TrackStatus(v)])
    return _dumps(
        [
            lap.car,
            lap.number,
            lap.start,
            lap.end,
            lap.time,
            list(lap.sectors),
            lap.in_pit,
            lap.out_lap,
            statuses,
            lap.deleted,
            lap.driver,
        ]
    )


def _decision(d: Decision) -> dict[str, Json]:
    return {
        "session": d.session,
        "car": d.car,
        "kind": d.kind.value,
        "reason": d.reason,
        "reference": d.reference,
        "issued_at": d.issued_at,
        "time_us": d.time,
        "laps": d.laps,
        "lap": d.lap,
        "places": d.places,
        "served": d.served,
        "reason_translations": dict(d.reason_translations),
    }


def _incident(x: Incident) -> dict[str, Json]:
    return {
        "session": x.session,
        "kind": x.kind.value,
        "cars": list(x.cars),
        "lap": x.lap,
        "hit_by": x.hit_by,
        "neutralisation": None if x.neutralisation is None else x.neutralisation.value,
        "retired": list(x.retired),
        "note": dict(x.note),
    }


def read_event_json(path: str | os.PathLike[str], source: str | None = None) -> Event:
    """Read an event written by `write_event_json`; `source` names the file in errors (default: its name)."""
    from parcferme.formats.event_json_reader import read_event_json as read

    return read(path, source)


def event_from_json(data: str | bytes, source: str = "<json>") -> Event:
    """The Event a `parcferme.event/1` document describes; any problem is an InputError."""
    from parcferme.formats.event_json_reader import event_from_json as parse

    return parse(data, source)
