"""What reading back an event folder gives, compared with the Event that was written (`folder_form`).

The event folder holds everything the engine uses, but not every detail of the model; reading back what
`event_folder_writer` wrote gives the event with these changes, none of which the engine sees:

- text is stripped of surrounding spaces (the readers strip CSV cells and TOML strings);
- attribute names are lower-cased (CSV headers are matched without case), empty attributes are left out,
  and an entry without `rookie`/`guest` gets `false` once the column exists (an absent boolean and `false`
  select the same entries);
- a session without a name is named after its id; `end` is kept only where it decides something (a race
  with a duration), elsewhere it is the reader's default;
- a lap's start is `end − time` and its track statuses are empty (laps.csv holds neither: the engine sets
  statuses from track-status.csv); a lap without sector times, in a session whose laps.csv has sector
  columns, gets one missing (None) time per sector;
- decisions belong to the session whose folder holds them; a rule set's late conversions come in the
  loader's order (drive-through, then stop-go).

Everything else the folder cannot hold is refused by the writer, never changed silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from parcferme.errors import InputError
from parcferme.formats.folder_entries import BOOL_ATTRIBUTES, ENTRY_COLUMNS, STANDARD_ATTRIBUTES
from parcferme.model.decisions import DecisionKind
from parcferme.model.entries import AttributeValue, Entry
from parcferme.model.event import Event, SessionData
from parcferme.model.rules import RuleSet
from parcferme.model.session import RaceEnd, Session

__all__ = ["attribute_columns", "folder_form", "ordered_conversions"]

_CONVERSION_ORDER = (DecisionKind.DRIVE_THROUGH, DecisionKind.STOP_GO)  # as rules.load_rule_set builds it
_STANDARD_ORDER = ("class", "rookie", "guest", "championships")  # docs/event-format.md#entriescsv


def ordered_conversions(rules: RuleSet) -> RuleSet:
    """The rule set with its late conversions in the loader's order (drive-through, then stop-go)."""
    order = {kind: i for i, kind in enumerate(_CONVERSION_ORDER)}
    conversions = tuple(sorted(rules.late_conversions, key=lambda kv: order.get(kv[0], len(order))))
    return replace(rules, late_conversions=conversions)


def attribute_columns(event: Event, source: str) -> list[str]:
    """entries.csv's attribute columns, as the entries spell them: every entry attribute, and every attribute
    a classification names that is not a standard one (the reader rejects a rule on a column that does not
    exist). The standard ones come first, in the documentation's order."""
    seen: dict[str, str] = {}
    ruled = [key for c in event.classifications for rule in (c.require, c.exclude) for key in rule]
    keys = [key for e in event.entries for key in e.attributes]
    keys += [key for key in ruled if key.strip().lower() not in STANDARD_ATTRIBUTES]
    for key in keys:
        column = key.strip().lower()
        if not column or column in ENTRY_COLUMNS:
            raise InputError(
                f"attribute {key!r} cannot be a column of entries.csv "
                f"(empty, or one of {', '.join(ENTRY_COLUMNS)})",
                source=source,
                field=key,
            )
        first = seen.setdefault(column, key)
        if first != key:
            raise InputError(
                f"attributes {first!r} and {key!r} would be the same column {column!r}",
                source=source,
                field=key,
            )
    standard = [seen[c] for c in _STANDARD_ORDER if c in seen]
    return standard + [key for column, key in seen.items() if column not in _STANDARD_ORDER]


def folder_form(event: Event) -> Event:
    """The event as reading its folder back gives it (see the module docstring): for round-trip checks."""
    columns = {c.lower() for c in attribute_columns(event, "entries.csv")}
    return replace(
        event,
        series=event.series.strip(),
        name=event.name.strip(),
        circuit=replace(event.circuit, name=event.circuit.name.strip()),
        entries=tuple(_entry_form(e, columns) for e in event.entries),
        classifications=tuple(
            replace(
                c,
                names=MappingProxyType({k: v.strip() for k, v in c.names.items()}),
                require=_rule_form(c.require),
                exclude=_rule_form(c.exclude),
            )
            for c in event.classifications
        ),
        sessions=tuple(_session_form(s) for s in event.sessions),
        rules=ordered_conversions(event.rules),
    )


def _entry_form(entry: Entry, columns: set[str]) -> Entry:
    attributes: dict[str, AttributeValue] = {}
    for key, value in entry.attributes.items():
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, tuple):
            value = tuple(v.strip() for v in value if v.strip())
        if value != "" and value != ():
            attributes[key.lower()] = value
    for column in BOOL_ATTRIBUTES & columns:
        attributes.setdefault(column, False)
    return replace(
        entry,
        team=entry.team.strip(),
        car=entry.car.strip(),
        drivers=tuple(
            replace(
                d,
                first_name=d.first_name.strip(),
                last_name=d.last_name.strip(),
                nationality=d.nationality.strip(),
            )
            for d in entry.drivers
        ),
        attributes=MappingProxyType(attributes),
    )


def _rule_form(rule: Mapping[str, AttributeValue]) -> Mapping[str, AttributeValue]:
    out: dict[str, AttributeValue] = {}
    for key, value in rule.items():
        if isinstance(value, str):
            value = value.strip()
        elif isinstance(value, tuple):
            value = tuple(v.strip() for v in value)
        out[key.lower()] = value
    return MappingProxyType(out)


def _session_form(data: SessionData) -> SessionData:
    session = _schedule_form(data.session)
    laps = data.laps
    if laps is not None:
        blank = (None,) * (len(session.sector_lines) + 1) if any(lap.sectors for lap in laps) else ()
        laps = tuple(
            lap._replace(
                start=lap.end - lap.time,
                statuses=frozenset(),
                sectors=lap.sectors or blank,
                deleted=lap.deleted.strip(),
            )
            for lap in laps
        )
    return replace(
        data,
        session=session,
        laps=laps,
        track_status=tuple(replace(p, note=p.note.strip()) for p in data.track_status),
        decisions=tuple(
            replace(
                d,
                session=session.id,
                reason=d.reason.strip(),
                reference=d.reference.strip(),
                issued_at=d.issued_at.strip(),
            )
            for d in data.decisions
        ),
    )


def _schedule_form(session: Session) -> Session:
    schedule = session.schedule
    if session.is_race and schedule.duration is not None:
        end_mode = schedule.end_mode  # written out: it decides when the flag falls
    elif schedule.laps is not None and schedule.duration is None:
        end_mode = RaceEnd.LAPS
    else:
        end_mode = RaceEnd.TIME
    return replace(
        session, name=session.name.strip() or session.id, schedule=replace(schedule, end_mode=end_mode)
    )
