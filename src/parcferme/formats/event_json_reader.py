"""Reading the JSON export of an Event (schema `parcferme.event/1`, docs/event-json.md).

Every value is checked; a problem raises `InputError` naming the source and the JSON path of the value
(`sessions[2].laps.rows[17][4]`, counting from 0 as JSON does). Kept apart from the writer in
`formats.event_json`, which imports this module only when a document is read.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any, NoReturn, TypeVar

from parcferme.errors import InputError
from parcferme.formats.encoding import decode, read_decoded
from parcferme.formats.event_json import LAP_COLUMNS, OLDER_SCHEMAS, PASSING_COLUMNS, SCHEMA
from parcferme.model.classification import Classification
from parcferme.model.decisions import Decision, DecisionKind
from parcferme.model.entries import AttributeValue, Driver, Entry
from parcferme.model.event import Circuit, Event, SessionData
from parcferme.model.incidents import NEUTRALISATIONS, Incident, IncidentKind
from parcferme.model.rules import Rounding, RuleSet
from parcferme.model.session import GridRule, GridSource, RaceEnd, Schedule, Session, SessionKind
from parcferme.model.timing import Lap, Passing, TrackStatus, TrackStatusPeriod

__all__ = ["event_from_json", "read_event_json"]

_T = TypeVar("_T")
_FRACTION = re.compile(r"^[0-9]{1,9}(?:/0*[1-9][0-9]{0,8})?$", re.ASCII)  # as the writer gives str(Fraction)
Json = Any  # what json.loads gives: dict, list, str, int, float, bool or None


def read_event_json(path: str | os.PathLike[str], source: str | None = None) -> Event:
    """Read an event exported by `write_event_json`; `source` names the file in errors (its name)."""
    source = source if source is not None else Path(path).name
    return event_from_json(read_decoded(path, source).text, source)


def event_from_json(data: str | bytes, source: str = "<json>") -> Event:
    """The Event a `parcferme.event/1` document describes; any problem is an InputError."""
    text = decode(data, source).text if isinstance(data, bytes) else data
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"invalid JSON: {exc.msg} (column {exc.colno})", source=source, line=exc.lineno
        ) from exc
    except RecursionError as exc:
        raise InputError("invalid JSON: nested too deeply", source=source) from exc
    except ValueError as exc:  # a number with more digits than int() converts (sys.get_int_max_str_digits)
        raise InputError(f"invalid JSON: {exc}", source=source) from exc
    root = _Node(document, "", source)
    schema = root.key("schema").text()
    if schema != SCHEMA and schema not in OLDER_SCHEMAS:
        root.key("schema").fail(f"expected {SCHEMA!r}, got {schema!r} (a newer or unknown format?)")
    version1 = schema == "parcferme.event/1"
    root.keys(
        "schema",
        "series",
        "season",
        "round",
        "name",
        "circuit",
        "rules",
        "classifications",
        "entries",
        "sessions",
    )
    circuit = root.key("circuit")
    circuit.keys("name", "length_m")
    return Event(
        series=root.key("series").text(),
        season=root.key("season").integer(),
        round=root.key("round").integer(),
        name=root.key("name").text(),
        circuit=Circuit(name=circuit.key("name").text(), length_m=circuit.key("length_m").integer(minimum=0)),
        entries=tuple(_read_entry(n) for n in root.key("entries").items()),
        classifications=tuple(_read_classification(n) for n in root.key("classifications").items()),
        sessions=tuple(_read_session(n, version1) for n in root.key("sessions").items()),
        rules=_read_rules(root.key("rules")),
    )


class _Node:
    """A JSON value and its path, with typed accessors that raise InputError naming the path."""

    __slots__ = ("path", "source", "value")

    def __init__(self, value: Json, path: str, source: str) -> None:
        self.value = value
        self.path = path
        self.source = source

    def fail(self, message: str) -> NoReturn:
        raise InputError(message, source=self.source, field=self.path or "(document)")

    def _expect(self, kind: type | tuple[type, ...], what: str) -> Any:
        value = self.value
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _kinds(kind)):
            self.fail(f"expected {what}, got {_describe(value)}")
        return value

    def key(self, name: str) -> _Node:
        mapping = self._expect(dict, "an object")
        if name not in mapping:
            self.fail(f"missing key {name!r}")
        return _Node(mapping[name], f"{self.path}.{name}" if self.path else name, self.source)

    def keys(self, *allowed: str) -> None:
        unknown = [k for k in self._expect(dict, "an object") if k not in allowed]
        if unknown:
            self.fail(f"unknown key {unknown[0]!r} (expected: {', '.join(allowed)})")

    def items(self) -> list[_Node]:
        return [
            _Node(v, f"{self.path}[{i}]", self.source) for i, v in enumerate(self._expect(list, "an array"))
        ]

    def text(self) -> str:
        return self._expect(str, "a string")  # type: ignore[no-any-return]

    def boolean(self) -> bool:
        return self._expect(bool, "true or false")  # type: ignore[no-any-return]

    def integer(self, minimum: int | None = None) -> int:
        value: int = self._expect(int, "a whole number")
        if minimum is not None and value < minimum:
            self.fail(f"expected a whole number of at least {minimum}, got {value}")
        return value

    def optional_int(self, minimum: int | None = None) -> int | None:
        return None if self.value is None else self.integer(minimum)

    def choice(self, kind: Callable[[str], _T], allowed: Sequence[str]) -> _T:
        text = self.text()
        if text not in allowed:
            self.fail(f"unknown value {text!r} (expected one of: {', '.join(allowed)})")
        return kind(text)

    def attributes(self) -> Mapping[str, AttributeValue]:
        out: dict[str, AttributeValue] = {}
        for name in self._expect(dict, "an object"):
            node = self.key(name)
            if isinstance(node.value, list):
                out[name] = tuple(n.text() for n in node.items())
            elif isinstance(node.value, bool):
                out[name] = node.value
            else:
                out[name] = node._expect(str, "a string, true, false or an array of strings")
        return MappingProxyType(out)

    def strings(self) -> Mapping[str, str]:
        return MappingProxyType({name: self.key(name).text() for name in self._expect(dict, "an object")})


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _describe(value: Json) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return f"a string ({value[:40]!r})"
    return "an array" if isinstance(value, list) else "an object"


def _values(enum: Any) -> list[str]:
    return [member.value for member in enum]


def _read_rules(node: _Node) -> RuleSet:
    node.keys(
        "id",
        "name",
        "min_classified",
        "min_classified_rounding",
        "late_conversions",
        "late_laps",
        "min_lap_time_us",
        "must_take_flag",
        "red_flag_countback_laps",
        "duplicate_window_us",
    )
    share_node = node.key("min_classified")
    share_text = share_node.text()
    if _FRACTION.match(share_text) is None:
        share_node.fail(f"expected a fraction such as '9/10', got {share_text!r}")
    share = Fraction(share_text)
    if not 0 < share <= 1:
        share_node.fail(f"expected a share between 0 (excluded) and 1, got {share_node.value!r}")
    conversions = []
    for item in node.key("late_conversions").items():
        item.keys("kind", "time_us")
        kind = item.key("kind").choice(DecisionKind, _values(DecisionKind))
        conversions.append((kind, item.key("time_us").integer(minimum=1)))
    return RuleSet(
        id=node.key("id").text(),
        name=node.key("name").text(),
        min_classified=share,
        min_classified_rounding=node.key("min_classified_rounding").choice(Rounding, _values(Rounding)),
        late_conversions=tuple(conversions),
        late_laps=node.key("late_laps").integer(minimum=0),
        min_lap_time=node.key("min_lap_time_us").integer(minimum=1),
        must_take_flag=node.key("must_take_flag").boolean(),
        red_flag_countback_laps=node.key("red_flag_countback_laps").integer(minimum=0),
        duplicate_window=node.key("duplicate_window_us").integer(minimum=0),
    )


def _read_classification(node: _Node) -> Classification:
    node.keys("id", "names", "require", "exclude")
    return Classification(
        id=node.key("id").text(),
        names=node.key("names").strings(),
        require=node.key("require").attributes(),
        exclude=node.key("exclude").attributes(),
    )


def _read_entry(node: _Node) -> Entry:
    node.keys("number", "drivers", "team", "car", "transponders", "attributes")
    drivers = []
    for d in node.key("drivers").items():
        d.keys("first_name", "last_name", "nationality")
        drivers.append(
            Driver(d.key("first_name").text(), d.key("last_name").text(), d.key("nationality").text())
        )
    return Entry(
        number=node.key("number").text(),
        drivers=tuple(drivers),
        team=node.key("team").text(),
        car=node.key("car").text(),
        transponders=tuple(t.text() for t in node.key("transponders").items()),
        attributes=node.key("attributes").attributes(),
    )


def _read_session(node: _Node, version1: bool) -> SessionData:
    """A session; `version1`: a parcferme.event/1 document, without incidents or reason translations."""
    node.keys(
        "id",
        "kind",
        "name",
        "schedule",
        "sector_lines",
        "grid",
        "passings",
        "laps",
        "track_status",
        "decisions",
        *(() if version1 else ("incidents",)),
    )
    schedule = node.key("schedule")
    schedule.keys("date", "start_us", "duration_us", "laps", "end_mode")
    date_node = schedule.key("date")
    try:
        date = dt.date.fromisoformat(date_node.text())
    except ValueError:
        date_node.fail(f"expected an ISO date such as 2024-06-15, got {date_node.value!r}")
    grid_node = node.key("grid")
    grid = None
    if grid_node.value is not None:
        grid_node.keys("session", "lap")
        grid = GridRule(
            grid_node.key("session").text(), grid_node.key("lap").choice(GridSource, _values(GridSource))
        )
    session = Session(
        id=node.key("id").text(),
        kind=node.key("kind").choice(SessionKind, _values(SessionKind)),
        name=node.key("name").text(),
        schedule=Schedule(
            date=date,
            start=schedule.key("start_us").integer(minimum=0),
            duration=schedule.key("duration_us").optional_int(minimum=1),
            laps=schedule.key("laps").optional_int(minimum=1),
            end_mode=schedule.key("end_mode").choice(RaceEnd, _values(RaceEnd)),
        ),
        sector_lines=tuple(n.text() for n in node.key("sector_lines").items()),
        grid=grid,
    )
    laps_node = node.key("laps")
    return SessionData(
        session=session,
        passings=tuple(_read_passings(node.key("passings"))),
        laps=None if laps_node.value is None else tuple(_read_laps(laps_node)),
        track_status=tuple(_read_period(n) for n in node.key("track_status").items()),
        decisions=tuple(_read_decision(n, version1) for n in node.key("decisions").items()),
        incidents=() if version1 else tuple(_read_incident(n) for n in node.key("incidents").items()),
    )


def _rows(node: _Node, columns: Sequence[str]) -> _Node:
    """The `rows` of a table whose `columns` are exactly the documented ones."""
    node.keys("columns", "rows")
    given = [c.text() for c in node.key("columns").items()]
    if given != list(columns):
        node.key("columns").fail(f"expected the columns {list(columns)}, got {given}")
    rows = node.key("rows")
    rows.items()  # an array
    return rows


def _cells(row: _Node, columns: Sequence[str]) -> list[_Node]:
    if not isinstance(row.value, list) or len(row.value) != len(columns):
        row.fail(f"expected an array of {len(columns)} values ({', '.join(columns)})")
    return [_Node(v, f"{row.path}[{i}]", row.source) for i, v in enumerate(row.value)]


def _read_passings(node: _Node) -> list[Passing]:
    """Rows checked by type in one expression each (10⁵–10⁶ of them); a row that fails goes through the
    `_Node` accessors, which name the bad cell."""
    rows = _rows(node, PASSING_COLUMNS)
    out: list[Passing] = []
    for i, row in enumerate(rows.value):
        if (
            type(row) is list
            and len(row) == 5
            and type(row[0]) is int
            and row[0] >= 0
            and type(row[1]) is str
            and type(row[2]) is str
            and type(row[3]) is str
            and type(row[4]) is int
            and row[4] >= -1
        ):
            out.append(Passing(*row))
            continue
        time, line, car, transponder, seq = _cells(
            _Node(row, f"{rows.path}[{i}]", rows.source), PASSING_COLUMNS
        )
        out.append(Passing(time.integer(0), line.text(), car.text(), transponder.text(), seq.integer(-1)))
    return out


_STATUS_SETS: dict[tuple[str, ...], frozenset[TrackStatus]] = {}


def _statuses(names: list[str]) -> frozenset[TrackStatus]:
    """The frozenset of statuses named (cached: laps share a handful of combinations); KeyError if unknown."""
    key = tuple(names)
    found = _STATUS_SETS.get(key)
    if found is None:
        found = _STATUS_SETS[key] = frozenset(map(_STATUS_BY_NAME.__getitem__, key))
    return found


_STATUS_BY_NAME = {s.value: s for s in TrackStatus}


def _read_laps(node: _Node) -> list[Lap]:
    """As `_read_passings`: a fast check per row, the `_Node` accessors for a row that fails it."""
    rows = _rows(node, LAP_COLUMNS)
    out: list[Lap] = []
    for i, row in enumerate(rows.value):
        try:
            car, number, start, end, time, sectors, in_pit, out_lap, statuses, deleted, driver = row
            if (
                type(car) is str
                and type(number) is int
                and number >= 1
                and type(start) is int
                and type(end) is int
                and type(time) is int
                and time >= 0
                and type(sectors) is list
                and all(s is None or (type(s) is int and s >= 0) for s in sectors)
                and type(in_pit) is bool
                and type(out_lap) is bool
                and type(statuses) is list
                and type(deleted) is str
                and type(driver) is int
                and driver >= 0
            ):
                status_set = _statuses(statuses)
                out.append(
                    Lap(
                        car,
                        number,
                        start,
                        end,
                        time,
                        tuple(sectors),
                        in_pit,
                        out_lap,
                        status_set,
                        deleted,
                        driver,
                    )
                )
                continue
        except (TypeError, ValueError, KeyError):
            pass  # not a list of 11 values, or an unknown status: the slow path says which
        out.append(_read_lap(_Node(row, f"{rows.path}[{i}]", rows.source)))
    return out


def _read_lap(row: _Node) -> Lap:
    car, number, start, end, time, sectors, in_pit, out_lap, statuses, deleted, driver = _cells(
        row, LAP_COLUMNS
    )
    return Lap(
        car=car.text(),
        number=number.integer(minimum=1),
        start=start.integer(),
        end=end.integer(),
        time=time.integer(minimum=0),
        sectors=tuple(s.optional_int(minimum=0) for s in sectors.items()),
        in_pit=in_pit.boolean(),
        out_lap=out_lap.boolean(),
        statuses=frozenset(s.choice(TrackStatus, _values(TrackStatus)) for s in statuses.items()),
        deleted=deleted.text(),
        driver=driver.integer(minimum=0),
    )


def _read_period(node: _Node) -> TrackStatusPeriod:
    node.keys("status", "start_us", "end_us", "note")
    return TrackStatusPeriod(
        status=node.key("status").choice(TrackStatus, _values(TrackStatus)),
        start=node.key("start_us").integer(),
        end=node.key("end_us").optional_int(),
        note=node.key("note").text(),
    )


def _read_decision(node: _Node, version1: bool) -> Decision:
    keys = (
        "session",
        "car",
        "kind",
        "reason",
        "reference",
        "issued_at",
        "time_us",
        "laps",
        "lap",
        "places",
        "served",
        *(() if version1 else ("reason_translations",)),
    )
    node.keys(*keys)
    return Decision(
        session=node.key("session").text(),
        car=node.key("car").text(),
        kind=node.key("kind").choice(DecisionKind, _values(DecisionKind)),
        reason=node.key("reason").text(),
        reference=node.key("reference").text(),
        issued_at=node.key("issued_at").text(),
        time=node.key("time_us").integer(),
        laps=node.key("laps").integer(minimum=0),
        lap=node.key("lap").integer(minimum=0),
        places=node.key("places").integer(minimum=0),
        served=node.key("served").boolean(),
        reason_translations=MappingProxyType({}) if version1 else node.key("reason_translations").strings(),
    )


def _read_incident(node: _Node) -> Incident:
    node.keys("session", "kind", "cars", "lap", "hit_by", "neutralisation", "retired", "note")
    neutralisation = node.key("neutralisation")
    return Incident(
        session=node.key("session").text(),
        kind=node.key("kind").choice(IncidentKind, _values(IncidentKind)),
        cars=tuple(n.text() for n in node.key("cars").items()),
        lap=node.key("lap").optional_int(minimum=1),
        hit_by=node.key("hit_by").text(),
        neutralisation=None
        if neutralisation.value is None
        else neutralisation.choice(TrackStatus, sorted(s.value for s in NEUTRALISATIONS)),
        retired=tuple(n.text() for n in node.key("retired").items()),
        note=node.key("note").strings(),
    )
