"""Any session's laps as an Al Kamel "23_Analysis"-style CSV, which `formats.alkamel` reads back.

The layout follows the WEC files of ../shared/data/wec (README.md there): the same columns in the same
order, ';' after every cell, the first 15 header names after "; ", UTF-8 with a byte-order mark and CRLF,
times as `m:ss.fff` / `h:mm:ss.fff`, HOUR wrapping at midnight, FLAG_AT_FL from the track status. A session
with n sectors gets S1…Sn (and their _IMPROVEMENT, _LARGE and _SECONDS companions) in the same pattern.

What the columns hold that `Lap` does not:
- *_IMPROVEMENT: as in the WEC files, 3 marks the session's best (lap or sector), 2 each car's best, and for
  sectors 1 each driver's best when it is not the car's; deleted laps are left out of the bests;
- KPH, TOP_SPEED, PIT_TIME: from the reader's extras when given; otherwise KPH from the circuit length
  (truncated to 0.1 km/h), no top speed, and PIT_TIME (time from the pit-in line to the pit-out line) from
  the session's passings for an out lap;
- FLAG_AT_FL: the status in force at the crossing (RF red, FF chequered, SF safety car, FCY full-course
  yellow / VSC / code 60, GF otherwise), and FF on a race's crossings from the finish on (the engine's race
  end), as Al Kamel shows the chequered flag.

Not representable, so lost on reading back: a lap's deletion (decisions carry it), an entry's drivers who
never drove (the reader knows only those who did, renumbered from 0 in `Lap.driver`), and an out lap that
neither follows a lap ended in the pit lane nor has a pit time.
Times with microseconds (passings from a decoder) get six decimals, so that they read back exactly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence

from parcferme.engine.laps import laps_by_car
from parcferme.engine.race import leader_crossings, race_ending
from parcferme.formats.alkamel_laps import DAY, LapExtra
from parcferme.formats.atomic import write_atomic
from parcferme.model.entries import Entry
from parcferme.model.event import Event, SessionData
from parcferme.model.timing import PIT_IN, PIT_OUT, Lap, TrackStatus, TrackStatusPeriod

__all__ = ["alkamel_csv", "write_alkamel"]

_FLAG_OF = {
    TrackStatus.RED: "RF",
    TrackStatus.CHEQUERED: "FF",
    TrackStatus.SC: "SF",
    TrackStatus.FCY: "FCY",
    TrackStatus.VSC: "FCY",
    TrackStatus.CODE60: "FCY",
}
_FLAG_PRIORITY = ("RF", "FF", "SF", "FCY")  # when periods overlap at a crossing, the strongest flag shows


def write_alkamel(
    path: str | os.PathLike[str],
    event: Event,
    session_id: str,
    laps: Sequence[Lap],
    *,
    extras: Mapping[tuple[str, int], LapExtra] | None = None,
    driver_numbers: Mapping[str, Sequence[int]] | None = None,
) -> None:
    """Write the CSV to `path` all at once (a temporary file renamed over it), UTF-8 with BOM as Al Kamel."""
    text = alkamel_csv(event, session_id, laps, extras=extras, driver_numbers=driver_numbers)
    write_atomic(path, "\ufeff" + text)


def alkamel_csv(
    event: Event,
    session_id: str,
    laps: Sequence[Lap],
    *,
    extras: Mapping[tuple[str, int], LapExtra] | None = None,
    driver_numbers: Mapping[str, Sequence[int]] | None = None,
    newline: str = "\r\n",
) -> str:
    """The CSV text (without byte-order mark) of a session's laps, one row per lap, by car then lap.

    `laps` are the engine's laps of the session (`SessionOutcome.laps`, or `build_laps(...).laps`);
    `extras` and `driver_numbers` what an Al Kamel reader returned (`AlKamelRace`): speeds and pit times,
    and each car's DRIVER_NUMBERs (default: 1…n in the entry's order). KeyError for an unknown session.
    """
    data = event.session(session_id)
    sectors = max((len(lap.sectors) for lap in laps), default=0)
    entries = {e.number: e for e in event.entries}
    ordered = sorted(laps, key=lambda lap: (lap.car, lap.number))
    bests = _Bests(ordered, sectors)
    flags = _Flags(event, data, laps)
    pit_times = _pit_times(data, ordered) if extras is None else {}
    extras = extras or {}
    length = event.circuit.length_m
    start = data.session.schedule.start
    lines = [_header(sectors)]
    for lap in ordered:
        entry = entries.get(lap.car)
        extra = extras.get((lap.car, lap.number), _NO_EXTRA)
        kph = extra.kph if extra.kph is not None or not length else _kph(length, lap.time)
        pit_time = extra.pit_time if extra.pit_time is not None else pit_times.get((lap.car, lap.number))
        numbers = driver_numbers.get(lap.car, ()) if driver_numbers else ()
        driver_number = numbers[lap.driver] if lap.driver < len(numbers) else lap.driver + 1
        cells = [lap.car, str(driver_number), str(lap.number), clock(lap.time), bests.lap_mark(lap)]
        cells.append("B" if lap.in_pit else "")
        for k in range(sectors):
            cells += (_optional(clock, _sector(lap, k)), bests.sector_mark(lap, k))
        cells += (_speed(kph), clock(lap.end - start), _hour(lap.end))
        cells += (_optional(long_clock, _sector(lap, k)) for k in range(sectors))
        cells += (_speed(extra.top_speed), _driver_name(entry, lap.driver), _optional(pit_clock, pit_time))
        cells += (_attribute(entry, "class"), _attribute(entry, "group"), entry.team if entry else "")
        cells += (_attribute(entry, "manufacturer") or (entry.car if entry else ""), flags.at(lap.end))
        cells += (_optional(seconds, _sector(lap, k)) for k in range(sectors))
        lines.append(";".join(map(_quote, cells)) + ";")
    return newline.join(lines) + newline


_NO_EXTRA = LapExtra()


def _header(sectors: int) -> str:
    first = [
        "NUMBER",
        "DRIVER_NUMBER",
        "LAP_NUMBER",
        "LAP_TIME",
        "LAP_IMPROVEMENT",
        "CROSSING_FINISH_LINE_IN_PIT",
    ]
    for k in range(1, sectors + 1):
        first += (f"S{k}", f"S{k}_IMPROVEMENT")
    first += ("KPH", "ELAPSED", "HOUR")
    rest = [f"S{k}_LARGE" for k in range(1, sectors + 1)]
    rest += ("TOP_SPEED", "DRIVER_NAME", "PIT_TIME", "CLASS", "GROUP", "TEAM", "MANUFACTURER", "FLAG_AT_FL")
    rest += (f"S{k}_SECONDS" for k in range(1, sectors + 1))
    return "; ".join(first) + ";" + ";".join(rest) + ";"


def _sector(lap: Lap, k: int) -> int | None:
    return lap.sectors[k] if k < len(lap.sectors) else None


def _fraction(micros: int) -> str:
    """`.276` for whole milliseconds (as Al Kamel writes), `.276123` otherwise (read back exactly)."""
    ms, us = divmod(micros, 1000)
    return f"{ms:03d}" if not us else f"{micros:06d}"


def clock(micros: int) -> str:
    """`45.985`, `3:53.276`, `24:01:28.482` (LAP_TIME, S1…, ELAPSED)."""
    seconds, frac = divmod(micros, 1_000_000)
    minutes, secs = divmod(seconds, 60)
    hours, mins = divmod(minutes, 60)
    if hours:
        return f"{hours}:{mins:02d}:{secs:02d}.{_fraction(frac)}"
    if mins:
        return f"{mins}:{secs:02d}.{_fraction(frac)}"
    return f"{secs}.{_fraction(frac)}"


def long_clock(micros: int) -> str:
    """`0:45.985`, `1:26.214` (the *_LARGE columns always show minutes)."""
    text = clock(micros)
    return text if ":" in text else "0:" + text.zfill(len(text) + (1 if text.index(".") == 1 else 0))


def pit_clock(micros: int) -> str:
    """`0:01:27.261` (PIT_TIME always shows hours)."""
    seconds, frac = divmod(micros, 1_000_000)
    minutes, secs = divmod(seconds, 60)
    hours, mins = divmod(minutes, 60)
    return f"{hours}:{mins:02d}:{secs:02d}.{_fraction(frac)}"


def seconds(micros: int) -> str:
    """`86.214` (the *_SECONDS columns)."""
    whole, frac = divmod(micros, 1_000_000)
    return f"{whole}.{_fraction(frac)}"


def _hour(time_of_day: int) -> str:
    """`16:04:19.878`, wrapping at midnight as Al Kamel's HOUR does (`01:31:28.064` at Le Mans)."""
    seconds_, frac = divmod(time_of_day % DAY, 1_000_000)
    minutes, secs = divmod(seconds_, 60)
    hours, mins = divmod(minutes, 60)
    return f"{hours:02d}:{mins:02d}:{secs:02d}.{_fraction(frac)}"


def _optional(format_: Callable[[int], str], value: int | None) -> str:
    return "" if value is None else format_(value)


def _kph(length_m: int, micros: int) -> float:
    """Average speed over a lap of the circuit's length, truncated to 0.1 km/h."""
    return (length_m * 36_000_000 // micros) / 10 if micros > 0 else 0.0


def _speed(value: float | None) -> str:
    if value is None:
        return ""
    text = f"{value:.1f}"
    return text if float(text) == value else repr(value)


def _driver_name(entry: Entry | None, index: int) -> str:
    if entry is None or not 0 <= index < len(entry.drivers):
        return ""
    return entry.drivers[index].name


def _attribute(entry: Entry | None, key: str) -> str:
    value = None if entry is None else entry.attribute(key)
    return value if isinstance(value, str) else ""


def _quote(cell: str) -> str:
    """A cell holding ';', a quote or a line break is quoted, CSV-style (the reader then uses `csv`)."""
    if ";" in cell or '"' in cell or "\n" in cell or "\r" in cell:
        return '"' + cell.replace('"', '""') + '"'
    return cell


class _Bests:
    """The *_IMPROVEMENT marks: 3 session best, 2 car best, 1 driver best (sectors only)."""

    def __init__(self, laps: Sequence[Lap], sectors: int) -> None:
        valid = [lap for lap in laps if not lap.deleted]
        self._lap_session = _first_min(valid, lambda lap: lap.time)
        self._lap_car = {
            car: _first_min(car_laps, lambda lap: lap.time) for car, car_laps in _group(valid).items()
        }
        self._sector: list[tuple[Lap | None, dict[str, Lap | None], dict[tuple[str, int], Lap | None]]] = []
        for k in range(sectors):
            timed = [lap for lap in valid if _sector(lap, k) is not None]
            key = _sector_key(k)
            per_car = {car: _first_min(car_laps, key) for car, car_laps in _group(timed).items()}
            per_driver: dict[tuple[str, int], list[Lap]] = {}
            for lap in timed:
                per_driver.setdefault((lap.car, lap.driver), []).append(lap)
            self._sector.append(
                (_first_min(timed, key), per_car, {d: _first_min(ls, key) for d, ls in per_driver.items()})
            )

    def lap_mark(self, lap: Lap) -> str:
        if lap is self._lap_session:
            return "3"
        return "2" if self._lap_car.get(lap.car) is lap else "0"

    def sector_mark(self, lap: Lap, k: int) -> str:
        session, per_car, per_driver = self._sector[k]
        if lap is session:
            return "3"
        if per_car.get(lap.car) is lap:
            return "2"
        return "1" if per_driver.get((lap.car, lap.driver)) is lap else "0"


def _sector_key(k: int) -> Callable[[Lap], int]:
    def key(lap: Lap) -> int:
        value = _sector(lap, k)
        assert value is not None
        return value

    return key


def _first_min(laps: Sequence[Lap], key: Callable[[Lap], int]) -> Lap | None:
    """The lap with the smallest key, the earliest on a tie (the one set first)."""
    return min(laps, key=lambda lap: (key(lap), lap.end), default=None)


def _group(laps: Sequence[Lap]) -> dict[str, list[Lap]]:
    out: dict[str, list[Lap]] = {}
    for lap in laps:
        out.setdefault(lap.car, []).append(lap)
    return out


class _Flags:
    """FLAG_AT_FL at a crossing: the session's track status then, FF from a race's finish on."""

    def __init__(self, event: Event, data: SessionData, laps: Sequence[Lap]) -> None:
        self._periods: Sequence[TrackStatusPeriod] = [p for p in data.track_status if p.status in _FLAG_OF]
        self._finish: int | None = None
        session = data.session
        if session.is_race and laps:
            firsts = leader_crossings(laps_by_car(laps))
            ending = race_ending(session, firsts, data.track_status, event.rules)
            if not ending.countback:  # a race ended by a red flag shows RF to the end, as it ran
                self._finish = ending.time

    def at(self, time: int) -> str:
        if self._finish is not None and time >= self._finish:
            return "FF"
        shown = {
            _FLAG_OF[p.status] for p in self._periods if p.start <= time and (p.end is None or time < p.end)
        }
        return next((flag for flag in _FLAG_PRIORITY if flag in shown), "GF")


def _pit_times(data: SessionData, laps: Sequence[Lap]) -> dict[tuple[str, int], int]:
    """Time in the pit lane on each out lap, from the passings: pit-out minus the pit-in before it (minus
    the lap's start when the car started from the pit lane). Empty for a session read as laps."""
    if not data.passings:
        return {}
    ins: dict[str, list[int]] = {}
    outs: dict[str, list[int]] = {}
    for passing in sorted(data.passings):
        if passing.line == PIT_IN:
            ins.setdefault(passing.car, []).append(passing.time)
        elif passing.line == PIT_OUT:
            outs.setdefault(passing.car, []).append(passing.time)
    found: dict[tuple[str, int], int] = {}
    for lap in laps:
        if not lap.out_lap:
            continue
        car_outs = outs.get(lap.car, [])
        out_time = next((t for t in car_outs if lap.start <= t <= lap.end), None)
        if out_time is None:
            continue
        previous_out = max((t for t in car_outs if t < out_time), default=None)
        entered = max(
            (t for t in ins.get(lap.car, ()) if t <= out_time and (previous_out is None or t > previous_out)),
            default=None,
        )
        found[lap.car, lap.number] = out_time - (entered if entered is not None else lap.start)
    return found
