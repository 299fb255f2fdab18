"""The event folder: event.toml, entries.csv and sessions/<ID>/… → an Event (docs/event-format.md).

Reading validates everything; any problem raises an InputError naming the file (relative to the folder's
parent, e.g. `spa/entries.csv`), the line and the field, and saying what was expected.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from parcferme.errors import InputError
from parcferme.formats.folder_decisions import read_decisions
from parcferme.formats.folder_entries import BOOL_ATTRIBUTES, STANDARD_ATTRIBUTES, read_entries
from parcferme.formats.folder_incidents import read_incidents
from parcferme.formats.folder_timing import read_laps, read_passings, read_track_status
from parcferme.formats.tomlio import Table, TomlDoc
from parcferme.formats.values import kind_of
from parcferme.model.classification import OVERALL, Classification
from parcferme.model.entries import AttributeValue, Entry
from parcferme.model.event import Circuit, Event, SessionData
from parcferme.model.rules import RuleSet
from parcferme.model.session import GridRule, GridSource, RaceEnd, Schedule, Session, SessionKind
from parcferme.model.timing import PIT_IN, PIT_OUT, SF, Lap, Passing
from parcferme.rules import RuleSetError, load_rule_set

__all__ = ["DEFAULT_RULES", "read_event"]

DEFAULT_RULES = "fia-default"
EVENT_FILE = "event.toml"
ENTRIES_FILE = "entries.csv"
SESSIONS_DIR = "sessions"
PASSINGS_FILE = "passings.csv"
LAPS_FILE = "laps.csv"
TRACK_STATUS_FILE = "track-status.csv"
DECISIONS_FILE = "decisions.toml"
INCIDENTS_FILE = "incidents.toml"
SESSION_FILES = (PASSINGS_FILE, LAPS_FILE, TRACK_STATUS_FILE, DECISIONS_FILE, INCIDENTS_FILE)

_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_EVENT_KEYS = ("series", "season", "round", "name", "rules", "circuit", "classifications", "sessions")
_CIRCUIT_KEYS = ("name", "length_m")
_CLASSIFICATION_KEYS = ("id", "name", "require", "exclude")
_SESSION_KEYS = ("id", "kind", "name", "date", "start", "duration", "laps", "end", "sectors", "grid")
_RACE_ONLY = ("laps", "end", "grid")
_GRID_KEYS = ("session", "lap")
_DEFAULT_SECTORS = ("S1", "S2")


def read_event(path: str | os.PathLike[str]) -> Event:
    """Read and validate an event folder."""
    root = Path(path)
    name = root.resolve().name or str(root)
    if not root.is_dir():
        raise InputError("not a folder: expected an event folder holding event.toml", source=str(path))
    event_file = root / EVENT_FILE
    event_source = f"{name}/{EVENT_FILE}"
    if not event_file.is_file():
        raise InputError("missing file: every event folder has an event.toml", source=event_source)
    doc = TomlDoc.read(event_file, event_source)
    top = doc.root()
    top.check_keys(_EVENT_KEYS)

    series = top.get_str("series")
    season = top.get_int("season")
    round_ = top.get_int("round", minimum=0)
    event_name = top.get_str("name")
    circuit = _circuit(top)
    classifications = _classifications(top)
    sessions = _sessions(top)
    rules = _rules(top, root)

    entries_file = root / ENTRIES_FILE
    entries_source = f"{name}/{ENTRIES_FILE}"
    if not entries_file.is_file():
        raise InputError("missing file: every event folder has an entries.csv", source=entries_source)
    entries, attribute_columns = read_entries(entries_file, entries_source)
    _check_attributes(classifications, attribute_columns)

    data = _sessions_data(root, name, sessions, entries, rules)
    return Event(
        series=series,
        season=season,
        round=round_,
        name=event_name,
        circuit=circuit,
        entries=entries,
        classifications=tuple(c for c, _ in classifications),
        sessions=data,
        rules=rules,
    )


def _rules(top: Table, root: Path) -> RuleSet:
    ref = top.opt_str("rules") or DEFAULT_RULES
    try:
        return load_rule_set(ref, base_dir=root)
    except RuleSetError as exc:
        if exc.source is None:  # the reference itself is wrong: point at event.toml
            line = top.doc.line_of(("rules",))
            raise RuleSetError(exc.message, source=top.doc.source, line=line, field="rules") from exc
        raise


def _circuit(top: Table) -> Circuit:
    table = top.table("circuit")
    if table is None:
        top.fail("missing table [circuit] (name, length_m)", "circuit")
    table.check_keys(_CIRCUIT_KEYS)
    return Circuit(name=table.get_str("name"), length_m=table.opt_int("length_m", minimum=0) or 0)


def _classifications(top: Table) -> list[tuple[Classification, Table]]:
    out: list[tuple[Classification, Table]] = []
    seen: set[str] = set()
    for table in top.tables("classifications"):
        table.check_keys(_CLASSIFICATION_KEYS)
        cid = table.get_str("id")
        if _ID.match(cid) is None:
            table.fail(f"not an id: {cid!r} (expected letters, digits, '-' or '_')", "id")
        if cid == OVERALL:
            table.fail("the overall classification is implicit: do not list it", "id")
        if cid in seen:
            table.fail(f"classification {cid!r} is defined twice", "id")
        seen.add(cid)
        names = _names(table)
        require = _attribute_rule(table, "require")
        exclude = _attribute_rule(table, "exclude")
        out.append((Classification(id=cid, names=names, require=require, exclude=exclude), table))
    return out


def _names(table: Table) -> Mapping[str, str]:
    if not table.has("name"):
        return MappingProxyType({})
    value = table.get("name")
    if isinstance(value, str) and value.strip():
        return MappingProxyType({"en": value.strip()})
    if isinstance(value, dict) and value and all(isinstance(v, str) and v.strip() for v in value.values()):
        return MappingProxyType({str(k): v.strip() for k, v in value.items()})
    table.fail('expected a name, or names by language such as { fr = "…", en = "…" }', "name")


def _attribute_rule(table: Table, key: str) -> Mapping[str, AttributeValue]:
    """`{ championships = "FR", class = ["B", "Am"] }`: attribute → value, or list of values (any of)."""
    if not table.has(key):
        return MappingProxyType({})
    rule = table.get(key)
    if not isinstance(rule, dict):
        table.fail(
            f'expected a table of attribute = value, such as {{ class = "B" }}, got {kind_of(rule)}', key
        )
    out: dict[str, AttributeValue] = {}
    for attribute, value in rule.items():
        where = (key, attribute)
        if isinstance(value, str | bool):
            out[attribute.lower()] = value.strip() if isinstance(value, str) else value
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            out[attribute.lower()] = tuple(v.strip() for v in value)
        else:
            table.fail(
                f"expected a string, a boolean or a non-empty list of strings, got {kind_of(value)}", *where
            )
    return MappingProxyType(out)


def _check_attributes(classifications: list[tuple[Classification, Table]], columns: frozenset[str]) -> None:
    """A rule on an attribute that entries.csv does not have, or of the wrong type, is a typo: say so."""
    known = columns | STANDARD_ATTRIBUTES
    for classification, table in classifications:
        for key, rule in (("require", classification.require), ("exclude", classification.exclude)):
            for attribute, value in rule.items():
                where = (key, attribute)
                if attribute not in known:
                    have = ", ".join(sorted(columns)) or "none"
                    table.fail(
                        f"unknown attribute {attribute!r}: entries.csv has no such column "
                        f"(its attribute columns: {have})",
                        *where,
                    )
                if (attribute in BOOL_ATTRIBUTES) != isinstance(value, bool):
                    expected = (
                        "true or false" if attribute in BOOL_ATTRIBUTES else "a string or list of strings"
                    )
                    table.fail(f"{attribute!r} is compared with {expected}, got {kind_of(value)}", *where)


def _sessions(top: Table) -> list[Session]:
    sessions: list[Session] = []
    by_id: dict[str, Session] = {}
    for table in top.tables("sessions"):
        session = _session(table, by_id)
        by_id[session.id] = session
        sessions.append(session)
    return sessions


def _session(table: Table, earlier: Mapping[str, Session]) -> Session:
    table.check_keys(_SESSION_KEYS)
    sid = table.get_str("id")
    if _ID.match(sid) is None:
        table.fail(f"not a session id: {sid!r} (expected letters, digits, '-' or '_')", "id")
    if sid in earlier:
        table.fail(f"session {sid!r} is defined twice", "id")
    kind_name = table.get_str("kind")
    try:
        kind = SessionKind(kind_name)
    except ValueError:
        allowed = ", ".join(k.value for k in SessionKind)
        table.fail(f"unknown session kind {kind_name!r} (expected one of: {allowed})", "kind")
    is_race = kind is SessionKind.RACE
    if not is_race:
        for key in _RACE_ONLY:
            if table.has(key):
                table.fail(f"{key!r} applies to races only; this session is a {kind.value}", key)

    date = _date(table)
    start = table.get_time_of_day("start")
    duration = table.opt_seconds("duration")
    if duration is not None and duration <= 0:
        table.fail('expected a positive duration such as "30:00"', "duration")
    laps = table.opt_int("laps", minimum=1)
    if is_race and laps is None and duration is None:
        table.fail("a race needs 'laps', 'duration' or both", "laps")
    end_mode = _end_mode(table, laps, duration)
    return Session(
        id=sid,
        kind=kind,
        name=table.opt_str("name") or sid,
        schedule=Schedule(date=date, start=start, duration=duration, laps=laps, end_mode=end_mode),
        sector_lines=_sectors(table),
        grid=_grid(table, earlier) if is_race else None,
    )


def _date(table: Table) -> dt.date:
    value = table.get("date")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    table.fail(f"expected a date such as 2017-05-19, got {kind_of(value)}", "date")


def _end_mode(table: Table, laps: int | None, duration: int | None) -> RaceEnd:
    name = table.opt_str("end")
    if name is None:
        return RaceEnd.LAPS if laps is not None and duration is None else RaceEnd.TIME
    try:
        mode = RaceEnd(name)
    except ValueError:
        allowed = ", ".join(m.value for m in RaceEnd)
        table.fail(f"unknown race end {name!r} (expected one of: {allowed})", "end")
    if mode is RaceEnd.LAPS and laps is None:
        table.fail("end = \"laps\" needs 'laps'", "end")
    if mode is not RaceEnd.LAPS and duration is None:
        table.fail(f"end = {mode.value!r} needs 'duration'", "end")
    return mode


def _sectors(table: Table) -> tuple[str, ...]:
    if not table.has("sectors"):
        return _DEFAULT_SECTORS
    value = table.get("sectors")
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        table.fail(
            f'expected a list of sector loop names such as ["S1", "S2"], got {kind_of(value)}', "sectors"
        )
    names = tuple(v.strip() for v in value)
    for name in names:
        if _ID.match(name) is None or name in (SF, PIT_IN, PIT_OUT):
            table.fail(
                f"not a sector loop name: {name!r} (letters, digits, '-', '_'; not SF/PIT_IN/PIT_OUT)",
                "sectors",
            )
    if len(set(names)) != len(names):
        table.fail("a sector loop is listed twice", "sectors")
    return names


def _grid(table: Table, earlier: Mapping[str, Session]) -> GridRule | None:
    grid = table.table("grid")
    if grid is None:
        return None
    grid.check_keys(_GRID_KEYS)
    source = grid.get_str("session")
    source_session = earlier.get(source)
    if source_session is None:
        known = ", ".join(earlier) or "none"
        grid.fail(
            f"unknown session {source!r}: a grid comes from a session defined before (defined: {known})",
            "session",
        )
    if source_session.is_race:
        grid.fail(f"session {source!r} is a race: a grid comes from practice or qualifying", "session")
    lap_name = grid.opt_str("lap") or GridSource.BEST.value
    try:
        lap = GridSource(lap_name)
    except ValueError:
        allowed = ", ".join(g.value for g in GridSource)
        grid.fail(f"unknown grid lap {lap_name!r} (expected one of: {allowed})", "lap")
    return GridRule(session=source, lap=lap)


def _sessions_data(
    root: Path, name: str, sessions: list[Session], entries: tuple[Entry, ...], rules: RuleSet
) -> tuple[SessionData, ...]:
    sessions_dir = root / SESSIONS_DIR
    ids = {s.id for s in sessions}
    if sessions_dir.is_dir():
        for folder in sorted(sessions_dir.iterdir()):
            if folder.is_dir() and folder.name not in ids:
                raise InputError(
                    f"session folder {folder.name!r} is not a session of event.toml "
                    f"(sessions: {', '.join(s.id for s in sessions) or 'none'})",
                    source=f"{name}/{SESSIONS_DIR}/{folder.name}",
                )
    return tuple(
        _session_data(sessions_dir / s.id, f"{name}/{SESSIONS_DIR}/{s.id}", s, entries, rules)
        for s in sessions
    )


def _session_data(
    folder: Path, source: str, session: Session, entries: tuple[Entry, ...], rules: RuleSet
) -> SessionData:
    if not folder.is_dir():
        return SessionData(session=session)  # scheduled, no data yet
    for item in sorted(folder.iterdir()):
        if item.suffix.lower() in (".csv", ".toml") and item.name not in SESSION_FILES:
            raise InputError(
                f"unknown file {item.name!r} in a session folder (expected: {', '.join(SESSION_FILES)})",
                source=f"{source}/{item.name}",
            )
    passings_file, laps_file = folder / PASSINGS_FILE, folder / LAPS_FILE
    if passings_file.is_file() and laps_file.is_file():
        raise InputError(
            f"both {PASSINGS_FILE} and {LAPS_FILE}: "
            "a session has raw passings or lap-by-lap timing, not both",
            source=source,
        )
    passings: tuple[Passing, ...] = ()
    laps: tuple[Lap, ...] | None = None
    if passings_file.is_file():
        passings = read_passings(passings_file, f"{source}/{PASSINGS_FILE}", session, entries)
    elif laps_file.is_file():
        laps = read_laps(laps_file, f"{source}/{LAPS_FILE}", session, entries, rules)
    status_file = folder / TRACK_STATUS_FILE
    track_status = (
        read_track_status(status_file, f"{source}/{TRACK_STATUS_FILE}") if status_file.is_file() else ()
    )
    decisions_file = folder / DECISIONS_FILE
    decisions = (
        read_decisions(decisions_file, f"{source}/{DECISIONS_FILE}", session, entries)
        if decisions_file.is_file()
        else ()
    )
    incidents_file = folder / INCIDENTS_FILE
    incidents = (
        read_incidents(incidents_file, f"{source}/{INCIDENTS_FILE}", session, entries)
        if incidents_file.is_file()
        else ()
    )
    return SessionData(
        session=session,
        passings=passings,
        laps=laps,
        track_status=track_status,
        decisions=decisions,
        incidents=incidents,
    )
