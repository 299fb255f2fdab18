"""The TOML files of an event folder, written by hand: event.toml, rules.toml, sessions/<ID>/decisions.toml.

There is no TOML writer in the standard library (tomllib only reads), and the files are small and of a fixed
shape, so they are rendered here: every string goes through `toml_string` (TOML basic strings: quote,
backslash and control characters escaped, everything else written as it is, in UTF-8). Each function checks
first that the folder reader will accept what it writes, and raises an InputError naming the file and the
key (`sessions[2].grid.session`, tables counted from 1 as the reader counts them) when it would not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction

from parcferme.errors import InputError
from parcferme.formats.folder_decisions import _APPLIES, _RACE_ONLY, _REQUIRED  # the reader's own tables
from parcferme.formats.folder_entries import BOOL_ATTRIBUTES
from parcferme.formats.values import seconds_to_micros
from parcferme.model.classification import OVERALL, Classification
from parcferme.model.decisions import Decision, DecisionKind
from parcferme.model.entries import AttributeValue, Entry
from parcferme.model.event import Event, SessionData
from parcferme.model.incidents import Incident
from parcferme.model.rules import RuleSet
from parcferme.model.session import Session
from parcferme.model.timing import PIT_IN, PIT_OUT, SF

__all__ = [
    "RULES_FILE",
    "decisions_toml",
    "duration_text",
    "event_toml",
    "incidents_toml",
    "rules_toml",
    "seconds_text",
    "time_of_day_text",
    "toml_key",
    "toml_string",
]

RULES_FILE = "rules.toml"  # an event's own rule set, when it is not a packaged one
_ID = re.compile(r"^[A-Za-z0-9_-]+$")  # session, classification and sector ids (event_folder._ID)
_RULES_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")  # rules._ID
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def toml_string(text: str) -> str:
    """A TOML basic string: `"…"` with `"`, `\\` and every control character escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else toml_string(key)


def seconds_text(micros: int) -> str:
    """A number of seconds as TOML: `5`, `2.5`, or a string when a float literal would not be exact."""
    whole, frac = divmod(micros, 1_000_000)
    if not frac:
        return str(whole)
    text = f"{whole}.{frac:06d}".rstrip("0")
    # the reader takes a float through its shortest repr: exact for any decimal of up to 15 digits
    return text if seconds_to_micros(float(text)) == micros else toml_string(text)


def time_of_day_text(micros: int) -> str:
    """`14:05:09.123` (thousandths when exact, else microseconds); hours pass 23 after midnight."""
    seconds, frac = divmod(micros, 1_000_000)
    clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return f"{clock}.{frac // 1000:03d}" if frac % 1000 == 0 else f"{clock}.{frac:06d}"


def duration_text(micros: int) -> str:
    """`2:23.998`, `59.100`, `1:01:44.742`, exactly (six decimals when thousandths are not enough)."""
    seconds, frac = divmod(micros, 1_000_000)
    fraction = f"{frac // 1000:03d}" if frac % 1000 == 0 else f"{frac:06d}"
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}.{fraction}"
    if minutes:
        return f"{minutes}:{secs:02d}.{fraction}"
    return f"{secs}.{fraction}"


def _short(text: str) -> str:
    """`14:05:00` rather than `14:05:00.000` in event.toml, which people edit by hand."""
    return text.removesuffix(".000")


def _value(value: AttributeValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_string(value.strip())
    return "[" + ", ".join(toml_string(v.strip()) for v in value) + "]"


def _inline(pairs: Mapping[str, str]) -> str:
    return "{ " + ", ".join(f"{toml_key(k)} = {v}" for k, v in pairs.items()) + " }"


def _text(value: str, what: str, source: str, field: str) -> str:
    if not value.strip():
        raise InputError(f"{what} is empty: the event folder requires one", source=source, field=field)
    return toml_string(value.strip())


# ------------------------------------------------------------------------------------------ event.toml


def event_toml(event: Event, rules_ref: str, source: str) -> str:
    """event.toml; `rules_ref` is a packaged id or the rules file's path in the folder."""
    if event.round < 0:
        raise InputError(f"round {event.round}: expected 0 or more", source=source, field="round")
    if event.circuit.length_m < 0:
        raise InputError("negative circuit length", source=source, field="circuit.length_m")
    lines = [
        f"series = {_text(event.series, 'the series', source, 'series')}",
        f"season = {event.season}",
        f"round = {event.round}",
        f"name = {_text(event.name, 'the event name', source, 'name')}",
        f"rules = {toml_string(rules_ref)}",
        "",
        "[circuit]",
        f"name = {_text(event.circuit.name, 'the circuit name', source, 'circuit.name')}",
    ]
    if event.circuit.length_m:
        lines.append(f"length_m = {event.circuit.length_m}")
    seen: set[str] = set()
    for i, classification in enumerate(event.classifications, start=1):
        lines += ["", "[[classifications]]", *_classification(classification, seen, source, i)]
    earlier: dict[str, Session] = {}
    for i, data in enumerate(event.sessions, start=1):
        lines += ["", "[[sessions]]", *_session(data.session, earlier, source, i)]
        earlier[data.session.id] = data.session
    return "\n".join(lines) + "\n"


def _classification(c: Classification, seen: set[str], source: str, i: int) -> list[str]:
    where = f"classifications[{i}]"
    if _ID.match(c.id) is None or c.id == OVERALL or c.id in seen:
        problem = "is not an id (letters, digits, '-', '_'), is 'overall' (implicit) or is used twice"
        raise InputError(f"classification {c.id!r} {problem}", source=source, field=f"{where}.id")
    seen.add(c.id)
    lines = [f"id = {toml_string(c.id)}"]
    if c.names:
        if not all(name.strip() for name in c.names.values()):
            raise InputError("an empty name", source=source, field=f"{where}.name")
        lines.append(f"name = {_inline({lang: toml_string(name.strip()) for lang, name in c.names.items()})}")
    for key, rule in (("require", c.require), ("exclude", c.exclude)):
        if not rule:
            continue
        for attribute, value in rule.items():
            bool_column = attribute.lower() in BOOL_ATTRIBUTES
            if bool_column != isinstance(value, bool) or value == ():
                expected = "true or false" if bool_column else "a string or a non-empty list of strings"
                raise InputError(
                    f"{attribute!r} is compared with {value!r}: expected {expected}",
                    source=source,
                    field=f"{where}.{key}.{attribute}",
                )
        lines.append(f"{key} = {_inline({a.lower(): _value(v) for a, v in rule.items()})}")
    return lines


def _session(session: Session, earlier: Mapping[str, Session], source: str, i: int) -> list[str]:
    where = f"sessions[{i}]"

    def fail(message: str, key: str) -> InputError:
        return InputError(f"session {session.id!r}: {message}", source=source, field=f"{where}.{key}")

    if _ID.match(session.id) is None or session.id in earlier:
        raise fail("not an id (letters, digits, '-', '_'), or used twice", "id")
    schedule = session.schedule
    lines = [f"id = {toml_string(session.id)}", f"kind = {toml_string(session.kind.value)}"]
    if session.name.strip():
        lines.append(f"name = {toml_string(session.name.strip())}")
    if schedule.start < 0:
        raise fail("a start before midnight", "start")
    lines += [
        f"date = {schedule.date.isoformat()}",
        f"start = {toml_string(_short(time_of_day_text(schedule.start)))}",
    ]
    if schedule.duration is not None:
        if schedule.duration <= 0:
            raise fail("a duration that is not positive", "duration")
        lines.append(f"duration = {toml_string(_short(duration_text(schedule.duration)))}")
    if session.is_race:
        if schedule.laps is None and schedule.duration is None:
            raise fail("a race needs a number of laps, a duration or both", "laps")
        if schedule.laps is not None:
            if schedule.laps < 1:
                raise fail("a number of laps below 1", "laps")
            lines.append(f"laps = {schedule.laps}")
        if schedule.duration is not None:  # without a duration the reader's default is the only end
            if schedule.end_mode.value == "laps" and schedule.laps is None:
                raise fail('end = "laps" without a number of laps', "end")
            lines.append(f"end = {toml_string(schedule.end_mode.value)}")
    else:
        for key, value in (("laps", schedule.laps), ("grid", session.grid)):
            if value is not None:
                raise fail(f"{key} applies to races only; this session is a {session.kind.value}", key)
    sectors = session.sector_lines
    if len(set(sectors)) != len(sectors) or any(
        _ID.match(s) is None or s in (SF, PIT_IN, PIT_OUT) for s in sectors
    ):
        raise fail(
            f"sector loops {list(sectors)}: names must be ids, unique, not SF/PIT_IN/PIT_OUT", "sectors"
        )
    lines.append("sectors = [" + ", ".join(toml_string(s) for s in sectors) + "]")
    grid = session.grid
    if grid is not None:
        source_session = earlier.get(grid.session)
        if source_session is None or source_session.is_race:
            raise fail(f"grid from {grid.session!r}: not a practice or qualifying defined before", "grid")
        lines.append(
            f"grid = {_inline({'session': toml_string(grid.session), 'lap': toml_string(grid.lap.value)})}"
        )
    return lines


# ------------------------------------------------------------------------------------------ rules.toml


def rules_toml(rules: RuleSet, source: str) -> str:
    """A rule-set file in the loader's shape (docs/event-format.md#rule-sets), every value given."""
    if _RULES_ID.match(rules.id) is None:
        raise InputError(
            f"rule-set id {rules.id!r}: expected lower-case letters, digits, '-', '_', '.'",
            source=source,
            field="id",
        )
    conversions = dict(rules.late_conversions)
    if (
        set(conversions) != {DecisionKind.DRIVE_THROUGH, DecisionKind.STOP_GO}
        or len(rules.late_conversions) != 2
    ):
        raise InputError(
            "a rule-set file gives a time for a drive-through and for a stop-go, nothing else",
            source=source,
            field="penalties",
        )
    problems = {
        "classification.min_share": not 0 < rules.min_classified <= 1,
        "classification.red_flag_countback_laps": rules.red_flag_countback_laps < 0,
        "penalties.late_laps": rules.late_laps < 0,
        "penalties": any(v <= 0 for v in conversions.values()),
        "timing.min_lap_time": rules.min_lap_time <= 0,
        "timing.duplicate_window": rules.duplicate_window < 0,
    }
    for field, bad in problems.items():
        if bad:
            raise InputError("a value the rule-set loader does not accept", source=source, field=field)
    lines = [f"id = {toml_string(rules.id)}"]
    if rules.name.strip():
        lines.append(f"name = {toml_string(rules.name.strip())}")
    lines += [
        "",
        "[classification]",
        f"min_share = {toml_string(_share(rules.min_classified))}",
        f"rounding = {toml_string(rules.min_classified_rounding.value)}",
        f"must_take_flag = {'true' if rules.must_take_flag else 'false'}",
        f"red_flag_countback_laps = {rules.red_flag_countback_laps}",
        "",
        "[penalties]",
        f"late_laps = {rules.late_laps}",
        f"drive_through = {seconds_text(conversions[DecisionKind.DRIVE_THROUGH])}",
        f"stop_go = {seconds_text(conversions[DecisionKind.STOP_GO])}",
        "",
        "[timing]",
        f"min_lap_time = {seconds_text(rules.min_lap_time)}",
        f"duplicate_window = {seconds_text(rules.duplicate_window)}",
    ]
    return "\n".join(lines) + "\n"


def _share(share: Fraction) -> str:
    """`90%` when a whole percentage, else the exact fraction (`2/3`)."""
    percent = share * 100
    return f"{percent.numerator}%" if percent.denominator == 1 else f"{share.numerator}/{share.denominator}"


# ------------------------------------------------------------------------------------- decisions.toml


def decisions_toml(data: SessionData, entries: Mapping[str, Entry], source: str) -> str:
    blocks = [_decision(d, data.session, entries, source, i) for i, d in enumerate(data.decisions, start=1)]
    return "\n\n".join(blocks) + "\n"


def _reason(d: Decision) -> str:
    """The reason as the reader takes it back: one text, or texts by language when translations exist
    (the reader takes the English one, else the first, as the reason)."""
    texts = {k: v.strip() for k, v in d.reason_translations.items() if v.strip()}
    if texts:
        ordered = dict(sorted(texts.items(), key=lambda kv: kv[1] != d.reason.strip()))
        if ordered.get("en", next(iter(ordered.values()))) == d.reason.strip():
            return _inline({k: toml_string(v) for k, v in ordered.items()})
    return toml_string(d.reason.strip())


def _decision(d: Decision, session: Session, entries: Mapping[str, Entry], source: str, i: int) -> str:
    where = f"decisions[{i}]"

    def fail(message: str, key: str) -> InputError:
        return InputError(
            f"{d.kind.value} for car {d.car!r}: {message}", source=source, field=f"{where}.{key}"
        )

    if d.car not in entries:
        raise fail("the car is not entered", "car")
    if d.kind in _RACE_ONLY and not session.is_race:
        raise fail(f"applies to a race; session {session.id} is a {session.kind.value}", "kind")
    if not d.reason.strip():
        raise fail("no reason: every decision says why it was taken", "reason")
    given = {"seconds": d.time, "laps": d.laps, "lap": d.lap, "places": d.places, "served": d.served}
    for key, value in given.items():
        if not isinstance(value, bool) and value < 0:
            raise fail("a negative quantity", key)
        if value and d.kind not in _APPLIES[key]:
            raise fail(f"{key!r} does not apply to this kind of decision", key)
    required = _REQUIRED.get(d.kind)
    if required is not None and not given[required]:
        raise fail(f"needs a positive {required!r}", required)
    lines = ["[[decisions]]", f"car = {toml_string(d.car)}", f"kind = {toml_string(d.kind.value)}"]
    if d.time:
        lines.append(f"seconds = {seconds_text(d.time)}")
    lines += [f"{key} = {given[key]}" for key in ("laps", "lap", "places") if given[key]]
    if d.served:
        lines.append("served = true")
    lines.append(f"reason = {_reason(d)}")
    if d.reference.strip():
        lines.append(f"reference = {toml_string(d.reference.strip())}")
    if d.issued_at.strip():
        lines.append(f"issued_at = {toml_string(d.issued_at.strip())}")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------- incidents.toml


def incidents_toml(data: SessionData, entries: Mapping[str, Entry], source: str) -> str:
    blocks = [_incident(x, entries, source, i) for i, x in enumerate(data.incidents, start=1)]
    return "\n\n".join(blocks) + "\n"


def _incident(x: Incident, entries: Mapping[str, Entry], source: str, i: int) -> str:
    where = f"incidents[{i}]"
    for key, cars in (("cars", x.cars), ("hit_by", (x.hit_by,) if x.hit_by else ()), ("retired", x.retired)):
        for car in cars:
            if car not in entries:
                raise InputError(f"car {car!r} is not entered", source=source, field=f"{where}.{key}")
    if not x.cars:
        raise InputError("an incident names at least one car", source=source, field=f"{where}.cars")
    lines = ["[[incidents]]"]
    if x.lap is not None:
        lines.append(f"lap = {x.lap}")
    lines += [f"kind = {toml_string(x.kind.value)}", f"cars = {_car_list(x.cars)}"]
    if x.hit_by:
        lines.append(f"hit_by = {toml_string(x.hit_by)}")
    if x.neutralisation is not None:
        lines.append(f"neutralisation = {toml_string(x.neutralisation.value)}")
    if x.retired:
        lines.append(f"retired = {_car_list(x.retired)}")
    notes = {k: v.strip() for k, v in x.note.items() if v.strip()}
    if list(notes) == [""]:
        lines.append(f"note = {toml_string(notes[''])}")
    elif notes:
        lines.append(f"note = {_inline({k: toml_string(v) for k, v in notes.items() if k})}")
    return "\n".join(lines)


def _car_list(cars: tuple[str, ...]) -> str:
    return "[" + ", ".join(toml_string(c) for c in cars) + "]"
