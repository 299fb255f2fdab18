"""Writing an Event as an event folder (docs/event-format.md), the inverse of `event_folder.read_event`.

`write_event_folder(event, out_dir)` checks that the folder format can hold the event, renders every file
in memory, writes them (each atomically) into a temporary folder beside `out_dir`, reads that folder back
with `read_event` (so a folder parcferme writes is always one parcferme reads), and only then renames it
to `out_dir`. A bad event raises an InputError naming the file and the field that cannot be written, and
leaves nothing behind.

What the folder cannot hold is refused, never changed silently: car numbers outside letters, digits, `-`
and `_`; a driver without a last name; a boolean or list attribute other than rookie/guest and
championships; a quantity on a decision kind that does not take it; a race with neither laps nor duration…
(`commands.importing.fit_for_folder` adapts an imported event first, and says what it changed). What
reading back gives differs from the event only in ways the engine does not see: `event_folder_form`.
"""

from __future__ import annotations

import csv
import io
import os
import re
import secrets
import shutil
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from parcferme.errors import InputError, ParcFermeError
from parcferme.formats.atomic import write_atomic
from parcferme.formats.event_folder import (
    DECISIONS_FILE,
    ENTRIES_FILE,
    EVENT_FILE,
    INCIDENTS_FILE,
    LAPS_FILE,
    PASSINGS_FILE,
    SESSIONS_DIR,
    TRACK_STATUS_FILE,
    read_event,
)
from parcferme.formats.event_folder_form import attribute_columns, ordered_conversions
from parcferme.formats.event_folder_toml import (
    RULES_FILE,
    decisions_toml,
    duration_text,
    event_toml,
    incidents_toml,
    rules_toml,
    time_of_day_text,
)
from parcferme.formats.folder_entries import BOOL_ATTRIBUTES, ENTRY_COLUMNS, LIST_ATTRIBUTES
from parcferme.model.entries import Entry
from parcferme.model.event import Event, SessionData
from parcferme.model.timing import PIT_IN, PIT_OUT, SF, Lap
from parcferme.rules import available_rule_sets, load_rule_set

_NUMBER = re.compile(r"^[A-Za-z0-9_-]+$")  # folder_entries._NUMBER
_TRANSPONDER = re.compile(r"^[A-Za-z0-9]+$")  # folder_entries._TRANSPONDER

__all__ = [
    "event_folder_files",
    "packaged_rules_id",
    "write_event_folder",
]


def write_event_folder(
    event: Event, out_dir: str | os.PathLike[str], *, overwrite: bool = False, verify: bool = True
) -> list[Path]:
    """Write `event` as the event folder `out_dir`; returns the files written (inside `out_dir`).

    `out_dir` must not exist, or be an empty folder; with `overwrite` an existing folder is replaced as a
    whole (never merged: a stale session file would otherwise survive). `verify` reads the written folder
    back before it takes the place of `out_dir`.
    """
    out = Path(os.path.abspath(out_dir))  # "." or "events/spa/" name a folder too: work on its full path
    _check_target(out, overwrite)
    files = event_folder_files(event, out.name or "event")
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        temp = parent / f".{out.name}.{secrets.token_hex(4)}.tmp"
        temp.mkdir()
    except OSError as exc:
        raise ParcFermeError(f"cannot write {out}: {exc.strerror or exc}") from exc
    try:
        for relative, text in files.items():
            target = temp / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, text)
        if verify:
            _verify(temp, out.name)
        _install(temp, out, overwrite)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return [out / relative for relative in files]


def _check_target(out: Path, overwrite: bool) -> None:
    if out.is_file() or (out.exists() and not out.is_dir()):
        raise InputError("exists and is not a folder", source=str(out))
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise InputError(
            "the folder exists and is not empty (choose another, or replace it)", source=str(out)
        )


def _install(temp: Path, out: Path, overwrite: bool) -> None:
    """Rename the finished folder into place; an existing one is moved aside first, then removed."""
    try:
        if out.is_dir() and any(out.iterdir()):
            if not overwrite:  # appeared while we were writing
                raise InputError("the folder exists and is not empty", source=str(out))
            aside = out.parent / f".{out.name}.{secrets.token_hex(4)}.old"
            os.rename(out, aside)
            try:
                os.rename(temp, out)
            except OSError:
                os.rename(aside, out)  # put the old folder back: never leave the user with neither
                raise
            shutil.rmtree(aside, ignore_errors=True)
        else:
            os.replace(temp, out)  # POSIX renames over an empty folder
    except OSError as exc:
        raise ParcFermeError(f"cannot write {out}: {exc.strerror or exc}") from exc


def _verify(temp: Path, name: str) -> None:
    """Read the written folder back; a failure is a writer bug or a gap in the checks: name the file."""
    try:
        read_event(temp)
    except InputError as exc:
        source = exc.source.replace(temp.name, name, 1) if exc.source else exc.source
        raise type(exc)(
            f"the written folder does not read back: {exc.message}",
            source=source,
            line=exc.line,
            field=exc.field,
        ) from exc


# ------------------------------------------------------------------------------------------------ render


def event_folder_files(event: Event, name: str = "event") -> dict[str, str]:
    """The folder's files (relative path → text), after checking the event fits the format.

    `name` is the folder's name, used in error messages as the readers use it (`spa/entries.csv`).
    """
    rules_ref = packaged_rules_id(event)
    columns = attribute_columns(event, f"{name}/{ENTRIES_FILE}")
    files = {EVENT_FILE: event_toml(event, rules_ref or RULES_FILE, f"{name}/{EVENT_FILE}")}
    if rules_ref is None:
        files[RULES_FILE] = rules_toml(event.rules, f"{name}/{RULES_FILE}")
    files[ENTRIES_FILE] = entries_csv(event.entries, columns, f"{name}/{ENTRIES_FILE}")
    owners = {t: e.number for e in event.entries for t in e.transponders}
    entries = {e.number: e for e in event.entries}
    for data in event.sessions:
        folder = f"{SESSIONS_DIR}/{data.session.id}"
        source = f"{name}/{folder}"
        if data.laps is not None:
            if data.passings:
                raise InputError(
                    "a session has raw passings or lap-by-lap timing, not both", source=source, field="laps"
                )
            text = laps_csv(data, entries, event.rules.min_lap_time, f"{source}/{LAPS_FILE}")
            files[f"{folder}/{LAPS_FILE}"] = text
        elif data.passings:
            text = passings_csv(data, owners, frozenset(entries), f"{source}/{PASSINGS_FILE}")
            files[f"{folder}/{PASSINGS_FILE}"] = text
        if data.track_status:
            files[f"{folder}/{TRACK_STATUS_FILE}"] = track_status_csv(data, f"{source}/{TRACK_STATUS_FILE}")
        if data.decisions:
            files[f"{folder}/{DECISIONS_FILE}"] = decisions_toml(data, entries, f"{source}/{DECISIONS_FILE}")
        if data.incidents:
            files[f"{folder}/{INCIDENTS_FILE}"] = incidents_toml(data, entries, f"{source}/{INCIDENTS_FILE}")
    return files


@cache
def _packaged(rule_id: str) -> object:
    return load_rule_set(rule_id)


def packaged_rules_id(event: Event) -> str | None:
    """The packaged rule set's id when the event's rules are exactly that rule set, else None."""
    rules = event.rules
    if rules.id in available_rule_sets() and _packaged(rules.id) == ordered_conversions(event.rules):
        return rules.id
    return None


def entries_csv(entries: Iterable[Entry], columns: list[str], source: str) -> str:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow([*ENTRY_COLUMNS, *(c.lower() for c in columns)])
    numbers: set[str] = set()
    owners: dict[str, str] = {}
    for line, entry in enumerate(entries, start=2):
        if _NUMBER.match(entry.number) is None or entry.number in numbers:
            raise InputError(
                f"car number {entry.number!r}: letters, digits, '-' and '_' only, and once",
                source=source,
                line=line,
                field="number",
            )
        numbers.add(entry.number)
        for transponder in entry.transponders:
            if (
                _TRANSPONDER.match(transponder) is None
                or owners.setdefault(transponder, entry.number) != entry.number
            ):
                raise InputError(
                    f"car {entry.number}: transponder {transponder!r}: letters and digits only, one car each",
                    source=source,
                    line=line,
                    field="transponder",
                )
        drivers, nationalities = [], []
        for driver in entry.drivers:
            last, first, nationality = driver.last_name.strip(), driver.first_name.strip(), driver.nationality
            if not last or "," in last or ";" in last + first + nationality:
                raise InputError(
                    f'car {entry.number}: driver {driver.name!r} cannot be written as "Last, First" '
                    "(a last name is required and holds no ',' and neither name a ';')",
                    source=source,
                    line=line,
                    field="drivers",
                )
            drivers.append(f"{last}, {first}" if first else f"{last},")
            nationalities.append(nationality.strip())
        if not drivers:
            raise InputError(f"car {entry.number}: no driver", source=source, line=line, field="drivers")
        out.writerow(
            [
                entry.number,
                "; ".join(drivers),
                ";".join(nationalities) if any(nationalities) else "",
                entry.team.strip(),
                entry.car.strip(),
                ";".join(entry.transponders),
                *(_attribute_cell(entry, key, source, line) for key in columns),
            ]
        )
    return buffer.getvalue()


def _attribute_cell(entry: Entry, key: str, source: str, line: int) -> str:
    value = entry.attributes.get(key)
    column = key.lower()
    if value is None:
        return ""
    if column in BOOL_ATTRIBUTES:
        if isinstance(value, bool):
            return "yes" if value else "no"
        expected = "true or false"
    elif column in LIST_ATTRIBUTES:
        if isinstance(value, tuple) and all(";" not in item for item in value):
            return ";".join(item.strip() for item in value)
        expected = "a list of names without ';'"
    elif isinstance(value, str):
        return value.strip()
    else:
        expected = "text (only rookie and guest are booleans, only championships a list)"
    raise InputError(
        f"car {entry.number}: attribute {key!r} = {value!r} cannot be written: expected {expected}",
        source=source,
        line=line,
        field=column,
    )


def passings_csv(data: SessionData, owners: Mapping[str, str], numbers: frozenset[str], source: str) -> str:
    """passings.csv. A 24-hour race has 10⁵–10⁶ rows: each is checked then formatted straight into text;
    no cell needs CSV quoting (times, line and car ids, alphanumeric transponders, integers)."""
    session = data.session
    lines = frozenset((SF, PIT_IN, PIT_OUT, *session.sector_lines))
    has_transponder = any(p.transponder for p in data.passings)
    has_seq = any(p.seq >= 0 for p in data.passings)
    header = ["time", "line", *(["transponder"] if has_transponder else []), "number", *(["seq"] * has_seq)]
    out = [",".join(header)]
    append = out.append
    start = session.schedule.start
    for n, (time, line, car, transponder, seq) in enumerate(data.passings, start=2):
        if (
            time < start
            or line not in lines
            or car not in numbers
            or (transponder and owners.get(transponder) != car)
        ):
            raise InputError(
                _passing_problem(time, line, car, transponder, start, lines, numbers), source=source, line=n
            )
        seconds, frac = divmod(time, 1_000_000)
        clock = f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"  # as time_of_day_text
        cells = f"{clock}.{frac // 1000:03d}" if frac % 1000 == 0 else f"{clock}.{frac:06d}"
        cells += f",{line},{transponder},{car}" if has_transponder else f",{line},{car}"
        if has_seq:
            cells += f",{seq}" if seq >= 0 else ","
        append(cells)
    append("")
    return "\n".join(out)


def _passing_problem(
    time: int,
    line: str,
    car: str,
    transponder: str,
    start: int,
    lines: frozenset[str],
    numbers: frozenset[str],
) -> str:
    if time < start:
        return f"passing at {time_of_day_text(time)}, before the session starts"
    if line not in lines:
        return f"unknown timing line {line!r} (the session's lines: {', '.join(sorted(lines))})"
    if car not in numbers:
        return f"car {car!r} is not entered"
    return f"transponder {transponder!r} is not one of car {car!r}'s (entries.csv)"


def laps_csv(data: SessionData, entries: Mapping[str, Entry], min_lap_time: int, source: str) -> str:
    assert data.laps is not None
    n_sectors = len(data.session.sector_lines) + 1
    with_sectors = any(lap.sectors for lap in data.laps)
    header = ["number", "lap", "end", "time"]
    if with_sectors:
        header += [f"s{i}" for i in range(1, n_sectors + 1)]
    header += ["in_pit", "out_lap", "deleted", "driver"]
    start = data.session.schedule.start
    last: dict[str, int] = {}
    rows: list[list[str | int]] = []
    for n, lap in enumerate(data.laps, start=2):
        entry = entries.get(lap.car)
        problem = _lap_problem(lap, entry, start, min_lap_time, last.get(lap.car, 0), n_sectors)
        if problem:
            raise InputError(f"car {lap.car!r} lap {lap.number}: {problem}", source=source, line=n)
        last[lap.car] = lap.number
        row: list[str | int] = [lap.car, lap.number, time_of_day_text(lap.end), duration_text(lap.time)]
        if with_sectors:
            row += [duration_text(s) if s is not None else "" for s in lap.sectors or (None,) * n_sectors]
        row += [_yes(lap.in_pit), _yes(lap.out_lap), lap.deleted.strip(), lap.driver + 1]
        rows.append(row)
    return _csv(header, rows)


def _lap_problem(lap: Lap, entry: Entry | None, start: int, minimum: int, previous: int, sectors: int) -> str:
    if entry is None:
        return "the car is not entered"
    if lap.number <= previous:
        return f"lap numbers must increase for each car (after lap {previous})"
    if lap.end <= start:
        return "completed before the session starts"
    if lap.time < minimum:
        return f"lap time below the rules' minimum ({duration_text(minimum)})"
    if lap.sectors and len(lap.sectors) != sectors:
        return f"{len(lap.sectors)} sector times where the session's {sectors - 1} loops make {sectors}"
    if any(s is not None and s <= 0 for s in lap.sectors):
        return "a sector time that is not positive"
    if not 0 <= lap.driver < len(entry.drivers):
        return f"driver index {lap.driver} for a car with {len(entry.drivers)} driver(s)"
    return ""


def track_status_csv(data: SessionData, source: str) -> str:
    rows: list[list[str | int]] = []
    for n, period in enumerate(data.track_status, start=2):
        if period.end is not None and period.end <= period.start:
            raise InputError("the period ends before it starts", source=source, line=n, field="end")
        end = "" if period.end is None else time_of_day_text(period.end)
        rows.append([period.status.value, time_of_day_text(period.start), end, period.note.strip()])
    return _csv(["status", "start", "end", "note"], rows)


def _csv(header: list[str], rows: list[list[str | int]]) -> str:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(header)
    out.writerows(rows)
    return buffer.getvalue()


def _yes(flag: bool) -> str:
    return "yes" if flag else ""
