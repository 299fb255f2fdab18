"""A session folder's timing files: passings.csv, laps.csv and track-status.csv (docs/event-format.md).

passings.csv may hold 10⁵–10⁶ rows, so its loop indexes cells by position, tries the common case first
(cells without stray spaces, HH:MM:SS.ffffff times) and only then the general one.
"""

from __future__ import annotations

from pathlib import Path

from parcferme.engine.allocation import paused_collector
from parcferme.formats.csvio import CsvFile
from parcferme.formats.values import parse_bool, parse_duration, parse_time_of_day
from parcferme.model.entries import Entry
from parcferme.model.rules import RuleSet
from parcferme.model.session import Session
from parcferme.model.time import format_time, format_time_of_day
from parcferme.model.timing import PIT_IN, PIT_OUT, SF, Lap, Passing, TrackStatus, TrackStatusPeriod

PASSING_COLUMNS = ("time", "line", "transponder", "number", "seq")
LAP_COLUMNS = ("number", "lap", "end", "time", "in_pit", "out_lap", "deleted", "driver")
TRACK_STATUS_COLUMNS = ("status", "start", "end", "note")

_new_passing = tuple.__new__  # Passing(...) without the NamedTuple __new__ wrapper: same object, faster


def read_passings(
    path: Path, source: str, session: Session, entries: tuple[Entry, ...]
) -> tuple[Passing, ...]:
    """Passings in file order (the lap builder sorts), each resolved to a car number."""
    f = CsvFile(path, source)
    f.check_columns(PASSING_COLUMNS)
    f.require("time", "line")
    i_time, i_line = f.index("time"), f.index("line")
    i_transponder, i_number, i_seq = f.index("transponder"), f.index("number"), f.index("seq")
    if i_transponder < 0 and i_number < 0:
        f.fail(
            "missing column: expected 'transponder', 'number' or both",
            line=f.header_line,
            field="transponder",
        )

    by_transponder = {t: e.number for e in entries for t in e.transponders}
    numbers = frozenset(e.number for e in entries)
    lines = frozenset((SF, PIT_IN, PIT_OUT, *session.sector_lines))
    start = session.schedule.start
    out: list[Passing] = []
    append = out.append
    width = len(f.header)
    with f.guard(), paused_collector():
        for row in f.reader:
            if len(row) != width:
                fixed = f.normalise(row)
                if fixed is None:
                    continue
                row = fixed
            try:
                time = parse_time_of_day(row[i_time])
            except ValueError as exc:
                f.fail(str(exc), field="time")
            if time < start:
                f.fail(
                    f"passing at {format_time_of_day(time)}, before the session starts "
                    f"({format_time_of_day(start)})",
                    field="time",
                )
            line = row[i_line]
            if line not in lines:
                line = line.strip()
                if line not in lines:
                    f.fail(
                        f"unknown timing line {line!r} (expected one of: {', '.join(sorted(lines))})",
                        field="line",
                    )

            transponder = row[i_transponder] if i_transponder >= 0 else ""
            car = by_transponder.get(transponder) if transponder else None
            if car is None and transponder:
                transponder = transponder.strip()
                if transponder:
                    car = by_transponder.get(transponder)
                    if car is None:
                        f.fail(f"unknown transponder {transponder!r}: no entry has it", field="transponder")
            if i_number >= 0:
                number = row[i_number]
                if number not in numbers:
                    number = number.strip()
                    if number and number not in numbers:
                        f.fail(f"unknown car number {number!r}: not in entries.csv", field="number")
                if number:
                    if car is None:
                        car = number
                    elif car != number:
                        f.fail(
                            f"transponder {transponder!r} belongs to car {car!r}, not {number!r}",
                            field="number",
                        )
            if car is None:
                f.fail("no transponder and no car number: expected one or both", field="transponder")

            seq = -1
            if i_seq >= 0 and (cell := row[i_seq]):
                try:
                    seq = int(cell)
                except ValueError:
                    if cell.strip():
                        f.fail(
                            f"not a sequence number: {cell!r} (expected a whole number, 0 or more)",
                            field="seq",
                        )
                else:
                    if seq < 0:
                        f.fail(
                            f"not a sequence number: {cell!r} (expected a whole number, 0 or more)",
                            field="seq",
                        )
            append(_new_passing(Passing, (time, line, car, transponder, seq)))
    return tuple(out)


def read_laps(
    path: Path, source: str, session: Session, entries: tuple[Entry, ...], rules: RuleSet
) -> tuple[Lap, ...]:
    """Lap-by-lap timing in file order; lap numbers must increase per car."""
    f = CsvFile(path, source)
    n_sectors = len(session.sector_lines) + 1
    sector_columns = tuple(f"s{i}" for i in range(1, n_sectors + 1))
    f.check_columns((*LAP_COLUMNS, *sector_columns))
    f.require("number", "lap", "end", "time")
    present = [c for c in sector_columns if c in f.columns]
    if present and len(present) != n_sectors:
        missing = ", ".join(c for c in sector_columns if c not in f.columns)
        f.fail(
            f"sector columns s1..s{n_sectors} go together ({len(session.sector_lines)} sector loops "
            f"make {n_sectors} sectors); missing: {missing}",
            line=f.header_line,
            field=missing.split(",")[0],
        )
    i_sectors = [f.index(c) for c in present]
    i_number, i_lap, i_end, i_time = (f.index(c) for c in ("number", "lap", "end", "time"))
    i_in_pit, i_out_lap, i_deleted, i_driver = (
        f.index(c) for c in ("in_pit", "out_lap", "deleted", "driver")
    )

    entry_by_number = {e.number: e for e in entries}
    last_lap: dict[str, int] = {}
    start = session.schedule.start
    out: list[Lap] = []
    with paused_collector():
        for row in f.rows():
            number = row[i_number].strip()
            entry = entry_by_number.get(number)
            if entry is None:
                f.fail(f"unknown car number {number!r}: not in entries.csv", field="number")
            lap_no = _int(f, row[i_lap], "lap", minimum=1)
            if lap_no <= last_lap.get(number, 0):
                f.fail(f"lap {lap_no} of car {number!r} comes after its lap {last_lap[number]}", field="lap")
            last_lap[number] = lap_no
            try:
                end = parse_time_of_day(row[i_end])
            except ValueError as exc:
                f.fail(str(exc), field="end")
            if end <= start:
                f.fail(
                    f"lap completed at {format_time_of_day(end)}, before the session starts "
                    f"({format_time_of_day(start)})",
                    field="end",
                )
            time = _duration(f, row[i_time], "time")
            if time < rules.min_lap_time:
                f.fail(
                    f"impossible lap time {format_time(time)}: "
                    f"the rules' minimum is {format_time(rules.min_lap_time)}",
                    field="time",
                )
            sectors: tuple[int | None, ...] = ()
            if i_sectors:
                sectors = tuple(
                    _duration(f, row[i], sector_columns[k]) if row[i].strip() else None
                    for k, i in enumerate(i_sectors)
                )
            driver = 1
            if i_driver >= 0 and row[i_driver].strip():
                driver = _int(f, row[i_driver], "driver", minimum=1)
                if driver > len(entry.drivers):
                    f.fail(
                        f"car {number!r} has {len(entry.drivers)} driver(s); no driver {driver}",
                        field="driver",
                    )
            out.append(
                Lap(
                    car=number,
                    number=lap_no,
                    start=end - time,
                    end=end,
                    time=time,
                    sectors=sectors,
                    in_pit=_bool(f, row, i_in_pit, "in_pit"),
                    out_lap=_bool(f, row, i_out_lap, "out_lap"),
                    statuses=frozenset(),
                    deleted=row[i_deleted].strip() if i_deleted >= 0 else "",
                    driver=driver - 1,
                )
            )
    return tuple(out)


def read_track_status(path: Path, source: str) -> tuple[TrackStatusPeriod, ...]:
    """Track-status periods in file order; an empty end means until the session ends."""
    f = CsvFile(path, source)
    f.check_columns(TRACK_STATUS_COLUMNS)
    f.require("status", "start")
    i_status, i_start, i_end, i_note = (f.index(c) for c in TRACK_STATUS_COLUMNS)
    out: list[TrackStatusPeriod] = []
    for row in f.rows():
        name = row[i_status].strip().lower()
        try:
            status = TrackStatus(name)
        except ValueError:
            allowed = ", ".join(s.value for s in TrackStatus)
            f.fail(f"unknown track status {name!r} (expected one of: {allowed})", field="status")
        try:
            start = parse_time_of_day(row[i_start])
        except ValueError as exc:
            f.fail(str(exc), field="start")
        end: int | None = None
        if i_end >= 0 and row[i_end].strip():
            try:
                end = parse_time_of_day(row[i_end])
            except ValueError as exc:
                f.fail(str(exc), field="end")
            if end <= start:
                f.fail(
                    f"ends at {format_time_of_day(end)}, not after it starts ({format_time_of_day(start)})",
                    field="end",
                )
        note = row[i_note].strip() if i_note >= 0 else ""
        out.append(TrackStatusPeriod(status=status, start=start, end=end, note=note))
    return tuple(out)


def _int(f: CsvFile, cell: str, field: str, *, minimum: int) -> int:
    text = cell.strip()
    if not (text.isascii() and text.isdigit()) or int(text) < minimum:
        f.fail(f"not a whole number of at least {minimum}: {cell!r}", field=field)
    return int(text)


def _duration(f: CsvFile, cell: str, field: str) -> int:
    try:
        value = parse_duration(cell)
    except ValueError as exc:
        f.fail(str(exc), field=field)
    if value <= 0:
        f.fail(f"not a positive time: {cell!r}", field=field)
    return value


def _bool(f: CsvFile, row: list[str], index: int, field: str) -> bool:
    if index < 0:
        return False
    try:
        return parse_bool(row[index])
    except ValueError as exc:
        f.fail(str(exc), field=field)
