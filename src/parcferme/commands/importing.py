"""`parcferme import` and the file side of `parcferme classify`: any supported source → an Event.

`read_source(fmt, path)` reads an event folder, an Al Kamel CSV, a sim result (ACC, AC, rFactor 2,
iRacing), an RMonitor capture, a P3 decoder capture or a parcferme event JSON, `fmt="auto"` detecting which
(formats.detect). It returns the Event with the reader's notes (what it derived or set aside) and warnings
(bad lines or frames in the source). `import_to_folder` writes it as an event folder after fitting it to
the format (commands.fitting), and `summary` describes it for people.

RMonitor and P3 captures describe less than an event: a capture gives one session, its date comes from the
capture's timestamps (RMonitor `##` lines, the P3 decoder clock, UTC), and series, circuit and rule set
are placeholders (`fia-default`) to edit in event.toml.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from parcferme.commands.fitting import fit_for_folder
from parcferme.errors import InputError
from parcferme.formats.alkamel import read_alkamel
from parcferme.formats.ambp3 import PassingResolver, read_p3_file, to_passings
from parcferme.formats.detect import FORMATS, SUPPORTED, detect_format
from parcferme.formats.event_folder import DEFAULT_RULES, read_event
from parcferme.formats.event_folder_writer import write_event_folder
from parcferme.formats.event_json import read_event_json
from parcferme.formats.rmonitor_capture import read_capture
from parcferme.formats.rmonitor_state import RMonitorState
from parcferme.formats.sims import read_sim_result
from parcferme.model.classification import Classification
from parcferme.model.entries import Driver, Entry
from parcferme.model.event import Circuit, Event, SessionData
from parcferme.model.session import Schedule, Session, SessionKind
from parcferme.model.time import format_time_of_day
from parcferme.rules import load_rule_set

__all__ = ["IMPORT_FORMATS", "Imported", "import_to_folder", "load_event", "read_source", "summary"]

IMPORT_FORMATS = (*FORMATS, "auto")
_EPOCH = dt.datetime(1970, 1, 1)
_SIM_GAMES = ("acc", "ac", "rf2", "iracing")
_SLUG = re.compile(r"[^a-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class Imported:
    """An event read from a source: `notes` say what the reader derived or set aside, `warnings` what
    was wrong in the source (lines or frames that could not be read)."""

    format: str
    event: Event
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def read_source(fmt: str, path: str | os.PathLike[str]) -> Imported:
    """Read `path` as `fmt` (one of IMPORT_FORMATS; "auto" detects it)."""
    if fmt not in IMPORT_FORMATS:
        raise InputError(
            f"unknown format {fmt!r} (expected one of: {', '.join(IMPORT_FORMATS)})", field="format"
        )
    if fmt == "auto":
        fmt = detect_format(path)
    where = Path(path)
    if fmt != "folder" and where.is_dir():
        raise InputError(f"a folder, not a {fmt} file", source=str(path))
    if fmt == "folder":
        return Imported(fmt, read_event(where))
    if fmt == "event-json":
        return Imported(fmt, read_event_json(where))
    if fmt in _SIM_GAMES:
        sim = read_sim_result(where, fmt)
        kept = "the game server's own classification is not part of the event (parcferme classifies the laps)"
        return Imported(fmt, sim.event, (*sim.notes, kept))
    if fmt == "alkamel":
        race = read_alkamel(where)
        return Imported(fmt, race.event, ("top speeds, KPH and pit times of the file are not kept",))
    if fmt == "rmonitor":
        return _rmonitor(where)
    if fmt == "p3":
        return _p3(where)
    raise InputError(f"unknown format {fmt!r}: expected {SUPPORTED}", source=str(path))  # pragma: no cover


def load_event(path: str | os.PathLike[str]) -> Imported:
    """What `parcferme classify PATH` classifies: an event folder, or any file whose format is detected."""
    return read_source("auto", path)


def import_to_folder(
    imported: Imported, out_dir: Path, *, overwrite: bool = False
) -> tuple[list[Path], list[str]]:
    """Write the imported event as an event folder; the files written and what fitting it changed."""
    event, changes = fit_for_folder(imported.event)
    return write_event_folder(event, out_dir, overwrite=overwrite), changes


# --------------------------------------------------------------------------------------------- captures


def _rmonitor(path: Path) -> Imported:
    capture = read_capture(path)
    state = RMonitorState(capture.source)
    state.issues.extend(capture.issues)
    for line in capture.lines:
        state.feed_line(line.text, line.number)
    if not state.cars:
        raise InputError("no competitor in the capture: not an RMonitor feed of a session", source=str(path))
    stamp = next((line.stamp for line in capture.lines if line.stamp is not None), None)
    date = (_EPOCH + dt.timedelta(microseconds=stamp)).date() if stamp is not None else None
    data = state.session_data(date)
    notes = []
    if date is None:
        notes.append("the capture has no timestamps: the session is dated 1970-01-01")
    if state.finished_runs:
        notes.append(
            f"{len(state.finished_runs)} earlier run(s) in the capture left out: only the last is read"
        )
    entries = state.entries()
    event = Event(
        series="RMonitor",
        season=data.session.schedule.date.year,
        round=0,
        name=data.session.name or path.stem,
        circuit=Circuit(state.settings.get("TRACKNAME", "").strip()),
        entries=entries,
        classifications=_class_classifications(entries),
        sessions=(data,),
        rules=load_rule_set(DEFAULT_RULES),
    )
    return Imported("rmonitor", event, tuple(notes), tuple(str(issue) for issue in state.issues))


def _class_classifications(entries: tuple[Entry, ...]) -> tuple[Classification, ...]:
    """One sub-classification per class the feed names, as the Al Kamel and sim readers make them."""
    out: list[Classification] = []
    seen: set[str] = set()
    for entry in entries:
        name = entry.attributes.get("class")
        if not isinstance(name, str) or not name:
            continue
        cid = _SLUG.sub("-", name.lower()).strip("-") or "class"
        if cid in seen or cid == "overall":
            continue
        seen.add(cid)
        names = MappingProxyType({"en": name, "fr": name})
        out.append(Classification(cid, names, MappingProxyType({"class": name})))
    return tuple(out)


def _p3(path: Path) -> Imported:
    capture = read_p3_file(path)
    passings = capture.passings
    stamps = [p.rtc_time for p in passings if p.rtc_time is not None]
    if not stamps:
        raise InputError("no passing in the capture", source=str(path))
    date = (_EPOCH + dt.timedelta(microseconds=min(stamps))).date()
    resolver = PassingResolver(date)  # no entry list: the transponder stands for the car
    model = to_passings(capture.records, resolver)
    transponders = list(dict.fromkeys(p.transponder for p in model))
    entries = tuple(
        Entry(number=t, drivers=(Driver("", f"Transponder {t}"),), transponders=(t,)) for t in transponders
    )
    start = min(p.time for p in model) // 1_000_000 * 1_000_000  # the second of the first passing
    session = Session(
        "P3", SessionKind.PRACTICE, "P3 capture", Schedule(date=date, start=start), sector_lines=()
    )
    decoders = {p.decoder_id for p in passings}
    notes = [
        f"dated {date.isoformat()} from the decoder clock (UTC); the session starts at the first passing, "
        f"{format_time_of_day(start)}: edit event.toml for the real schedule",
        "each transponder is entered as a car of its own number: edit entries.csv for numbers and drivers",
    ]
    if len(decoders) > 1:
        notes.append(
            f"{len(decoders)} decoders in the capture: every passing is read as a crossing of the Line"
        )
    if resolver.duplicates:
        notes.append(f"{resolver.duplicates} passing(s) sent twice kept once")
    if resolver.incomplete:
        notes.append(f"{resolver.incomplete} passing(s) without transponder or time left out")
    event = Event(
        series="MYLAPS P3",
        season=date.year,
        round=0,
        name=path.stem,
        circuit=Circuit(""),
        entries=entries,
        classifications=(),
        sessions=(SessionData(session, passings=model),),
        rules=load_rule_set(DEFAULT_RULES),
    )
    warnings = tuple(str(error.as_input_error(str(path))) for error in capture.errors)
    return Imported("p3", event, tuple(notes), warnings)


# ---------------------------------------------------------------------------------------------- summary


def summary(imported: Imported, *, max_warnings: int = 5) -> list[str]:
    """A few lines describing what was read: the event, each session's data, notes and warnings."""
    event = imported.event
    title = " · ".join(part for part in (event.series, event.name, event.circuit.name) if part.strip())
    about = f"{imported.format}, season {event.season}, round {event.round}, rules {event.rules.id}"
    lines = [
        f"{title or 'Event'} ({about})",
        f"entries: {len(event.entries)}; classifications: overall"
        + "".join(f", {c.id}" for c in event.classifications),
    ]
    for data in event.sessions:
        s = data.session
        timing = f"{len(data.laps)} laps" if data.laps is not None else f"{len(data.passings)} passings"
        cars = {lap.car for lap in data.laps} if data.laps is not None else {p.car for p in data.passings}
        lines.append(
            f"session {s.id} ({s.kind.value}, {s.name}) {s.schedule.date.isoformat()} "
            f"{format_time_of_day(s.schedule.start)}: {timing} of {len(cars)} cars, "
            f"{len(data.track_status)} track-status periods, {len(data.decisions)} decisions"
        )
    lines += [f"note: {note}" for note in imported.notes]
    lines += [f"warning: {w}" for w in imported.warnings[:max_warnings]]
    if len(imported.warnings) > max_warnings:
        lines.append(f"warning: … and {len(imported.warnings) - max_warnings} more")
    return lines
