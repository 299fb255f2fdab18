"""The columns of an Al Kamel analysis table turned into laps, entries, classes, track status and extras.

Format facts are those of ../shared/data/wec/README.md, each choice checked against the three WEC files
(the list is in the docstring of `formats.alkamel`). Work goes column by column with C-level `map`, `zip`
and `compress`: Al Kamel writes each car's laps together and in order, so "the previous lap" is the
previous row whenever the car is the same; a file in any other order takes a row-by-row path.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import chain, compress, repeat
from operator import add, and_, eq, is_not, le, lt, ne, not_, or_, sub
from types import MappingProxyType
from typing import NamedTuple

from parcferme.engine.laps import StatusTimeline
from parcferme.formats.alkamel_table import CLOCK_CHARS, DECIMAL_CHARS, DIGITS, Table, parse_clock
from parcferme.model.classification import Classification
from parcferme.model.entries import AttributeValue, Driver, Entry
from parcferme.model.rules import RuleSet
from parcferme.model.time import format_time
from parcferme.model.timing import Lap, TrackStatus, TrackStatusPeriod

DAY = 86_400_000_000  # µs
FLAGS: Mapping[str, TrackStatus | None] = MappingProxyType(
    {
        "GF": None,  # green: no period
        "FCY": TrackStatus.FCY,
        "SF": TrackStatus.SC,
        "RF": TrackStatus.RED,
        "FF": TrackStatus.CHEQUERED,
        "": None,  # no flag recorded: taken as green
    }
)
_FLAG_STATUS = dict(FLAGS)  # a plain dict: looked up once per row
REQUIRED = ("NUMBER", "LAP_NUMBER", "LAP_TIME", "ELAPSED")
READ = (
    *REQUIRED,
    *("HOUR", "CROSSING_FINISH_LINE_IN_PIT", "PIT_TIME", "DRIVER_NUMBER", "DRIVER_NAME", "FLAG_AT_FL"),
    *("KPH", "TOP_SPEED", "TEAM", "CLASS", "GROUP", "MANUFACTURER"),
)
ENTRY_ATTRIBUTES = (("CLASS", "class"), ("GROUP", "group"), ("MANUFACTURER", "manufacturer"))
_UPPER_WORD = re.compile(r"^[^a-z]*[A-Z][^a-z]*$")
# a speed: digits with at most one dot somewhere (not a lone dot), or nothing; cells joined by ';'
_SPEED = r"(?:[0-9]++(?:\.[0-9]*+)?+|\.[0-9]++)?+"
_SPEED_COLUMN = re.compile(rf"{_SPEED}(?:;{_SPEED})*+")


class LapExtra(NamedTuple):
    """What an Al Kamel lap has and `Lap` does not: speeds in km/h, and the time spent in the pit lane."""

    kph: float | None = None  # average speed over the lap
    top_speed: float | None = None
    pit_time: int | None = None  # µs, on the out lap


class LapExtras(Mapping[tuple[str, int], LapExtra]):
    """Extras per (car, lap number): checked when the file is read, built on the first lookup.

    Classifying a race never looks one up, so the 10⁴ tuples and floats are only made on demand. The
    speed cells were checked to hold digits and at most one dot, which `float` always accepts.
    """

    def __init__(
        self, cars: list[str], laps: list[int], kph: list[str], top: list[str], pit: list[int | None]
    ) -> None:
        self._cars = cars
        self._laps = laps
        self._kph = kph
        self._top = top
        self._pit = pit
        self._index: dict[tuple[str, int], LapExtra] | None = None

    def _built(self) -> dict[tuple[str, int], LapExtra]:
        if self._index is None:
            kph = [float(v) if v else None for v in self._kph]
            top = [float(v) if v else None for v in self._top]
            keys = zip(self._cars, self._laps, strict=True)
            self._index = dict(zip(keys, map(LapExtra, kph, top, self._pit), strict=True))
        return self._index

    def __getitem__(self, key: tuple[str, int]) -> LapExtra:
        return self._built()[key]

    def __iter__(self) -> Iterator[tuple[str, int]]:
        return iter(self._built())

    def __len__(self) -> int:
        return len(self._cars)


def wanted_columns(names: tuple[str, ...]) -> list[str]:
    """The columns `LapColumns` reads, of those a header names: for sector k, S<k>_SECONDS when the file
    has it, else S<k>."""
    present = set(names)
    wanted = [name for name in READ if name in present]
    k = 1
    while f"S{k}" in present:
        wanted.append(f"S{k}_SECONDS" if f"S{k}_SECONDS" in present else f"S{k}")
        k += 1
    return wanted


class LapColumns:
    """Everything the reader makes of the table; every problem is an InputError on its line and column."""

    def __init__(self, table: Table, rules: RuleSet) -> None:
        self.table = table
        self.header_line = table.header_line
        self.driver_numbers: dict[str, tuple[int, ...]] = {}  # car → DRIVER_NUMBER of each of its drivers
        table.require(*REQUIRED)
        cars = table.cells("NUMBER")
        if "" in cars:
            table.fail_at(cars.index(""), "empty car number", "NUMBER")
        numbers = table.required_whole_numbers("LAP_NUMBER", minimum=1)
        times = table.required_clocks("LAP_TIME")
        elapsed = table.required_clocks("ELAPSED")
        self._check_times(times, elapsed, rules)
        self.start = self._start(elapsed)
        # same_car[i]: row i+1 is the next lap of row i's car (when each car's rows are together, in order)
        self.same_car = self._same_car(cars, numbers, elapsed)
        in_pit = self._in_pit()
        pit_times = table.clocks("PIT_TIME")
        out_laps = self._out_laps(cars, numbers, elapsed, in_pit, pit_times)
        drivers, driver_index = self._drivers(cars)
        ends = list(map(add, elapsed, repeat(self.start)))
        starts = list(map(sub, ends, times))
        self.periods = self._track_status(ends)
        statuses = lap_statuses(self.periods, starts, ends)
        self.sectors = self._sector_count()
        fields = zip(
            cars, numbers, starts, ends, times, self._sector_times(), in_pit, out_laps, statuses, repeat(""),
            driver_index,
        )  # fmt: skip
        self.laps: tuple[Lap, ...] = tuple(map(tuple.__new__, repeat(Lap), fields))
        self.entries = self._entries(cars, drivers)
        self.classifications = self._classifications(times)
        speeds = (self._speeds("KPH"), self._speeds("TOP_SPEED"))
        self.extras = LapExtras(cars, numbers, *speeds, pit_times)
        table.release()  # the cells are no longer needed: freed now, before the collector resumes

    def _check_times(self, times: list[int], elapsed: list[int], rules: RuleSet) -> None:
        table = self.table
        fastest = min(times, default=rules.min_lap_time)
        if fastest < rules.min_lap_time:
            table.fail_at(
                times.index(fastest),
                f"impossible lap time {format_time(fastest)}: the rules' minimum is "
                f"{format_time(rules.min_lap_time)}",
                "LAP_TIME",
            )
        if any(map(lt, elapsed, times)):
            row = next(i for i, (e, t) in enumerate(zip(elapsed, times, strict=True)) if e < t)
            table.fail_at(
                row,
                f"the lap ({format_time(times[row])}) is longer than the race time at its end "
                f"({format_time(elapsed[row])}): it would start before the race",
                "ELAPSED",
            )

    def _start(self, elapsed: list[int]) -> int:
        """The start signal as a time of day: HOUR − ELAPSED of the first row (midnight without HOUR)."""
        table = self.table
        hours = table.cells("HOUR")
        row = next((i for i, h in enumerate(hours) if h), None)
        if row is None:
            return 0
        hour = table.convert_cell(row, "HOUR", hours[row], parse_clock, CLOCK_CHARS, "a time of day")
        if hour >= DAY:
            table.fail_at(row, f"not a time of day: {hours[row]!r}", "HOUR")
        return (hour - elapsed[row]) % DAY

    def _same_car(self, cars: list[str], numbers: list[int], elapsed: list[int]) -> list[bool] | None:
        """For rows grouped by car and in order, whether each row continues the car of the row before it;
        None when the rows are in any other order (then checked row by row in `_out_laps`)."""
        same = list(map(eq, cars[1:], cars))
        new_car = list(compress(range(1, len(cars)), map(not_, same)))  # the rows where a car starts
        if len(new_car) != len(set(cars)) - 1:
            return None  # a car's rows are not together
        starts = set(new_car)  # lap numbers and times go up from row to row, but where a car starts
        if not starts.issuperset(compress(range(1, len(cars)), map(le, numbers[1:], numbers))):
            return None
        if not starts.issuperset(compress(range(1, len(cars)), map(le, elapsed[1:], elapsed))):
            return None
        self._new_car = new_car
        return same

    def _in_pit(self) -> list[bool]:
        table = self.table
        cells = table.cells("CROSSING_FINISH_LINE_IN_PIT")
        if not set(cells) <= {"", "B"}:
            row = next(i for i, c in enumerate(cells) if c not in ("", "B"))
            message = f"expected 'B' (crossed the Line in the pit lane) or nothing, got {cells[row]!r}"
            table.fail_at(row, message, "CROSSING_FINISH_LINE_IN_PIT")
        return list(map(eq, cells, repeat("B")))

    def _out_laps(
        self,
        cars: list[str],
        numbers: list[int],
        elapsed: list[int],
        in_pit: list[bool],
        pit_times: list[int | None],
    ) -> list[bool]:
        """Out laps: after a lap that ended in the pit lane, or with a PIT_TIME. Rows not grouped by car
        in order are checked here, the first lap out of sequence being an error."""
        has_pit_time = list(map(is_not, pit_times, repeat(None)))
        if not cars:
            return []
        if self.same_car is not None:
            after_pit = map(and_, self.same_car, in_pit[:-1])
            return [has_pit_time[0], *map(or_, has_pit_time[1:], after_pit)]
        table = self.table
        last: dict[str, tuple[int, int, bool]] = {}
        out_laps: list[bool] = []
        for row, car in enumerate(cars):
            number = numbers[row]
            previous = last.get(car)
            if previous is None:
                out_laps.append(has_pit_time[row])
            else:
                if number <= previous[0]:
                    message = f"lap {number} of car {car!r} comes after its lap {previous[0]}"
                    table.fail_at(row, message, "LAP_NUMBER")
                if elapsed[row] <= previous[1]:
                    table.fail_at(
                        row,
                        f"car {car!r} completes lap {number} at {format_time(elapsed[row])}, "
                        f"not after its previous lap ({format_time(previous[1])})",
                        "ELAPSED",
                    )
                out_laps.append(previous[2] or has_pit_time[row])
            last[car] = (number, elapsed[row], in_pit[row])
        return out_laps

    def _drivers(self, cars: list[str]) -> tuple[dict[str, tuple[Driver, ...]], list[int]]:
        """Each car's drivers in DRIVER_NUMBER order (appearance order without it) and each lap's index.

        Only the rows where the car, the driver number or the name changes are looked at (a few hundred
        in 24 hours); driver numbers are checked for digits in bulk and converted only there.
        """
        table = self.table
        names = table.cells("DRIVER_NAME")
        numbered = table.has("DRIVER_NUMBER")
        keys = table.cells("DRIVER_NUMBER") if numbered else names
        if numbered:
            joined = "".join(keys)
            if "" in keys or not (joined.isascii() and joined.isdigit()):
                table.required_whole_numbers("DRIVER_NUMBER", minimum=1)  # names the first bad cell
        rows = range(1, len(cars))
        changes = {0, *compress(rows, map(ne, keys[1:], keys))} if cars else set()
        if keys is not names:
            changes.update(compress(rows, map(ne, names[1:], names)))
        changes.update(
            self._new_car if self.same_car is not None else compress(rows, map(ne, cars[1:], cars))
        )
        runs = sorted(changes)  # the rows where the car, the driver number or the name changes
        seen: dict[tuple[str, int | str], str] = {}
        run_keys: list[tuple[str, int | str]] = []
        for row in runs:
            car, name = cars[row], names[row]
            key: int | str = keys[row]
            if numbered:
                try:
                    key = int(keys[row])  # checked above: ASCII digits
                except ValueError:  # too many digits for int(): named as a bad cell
                    key = table.convert_cell(row, "DRIVER_NUMBER", keys[row], int, DIGITS, "a whole number")
                if key < 1:
                    table.fail_at(row, f"expected a whole number of at least 1, got {key}", "DRIVER_NUMBER")
            run_keys.append((car, key))
            known = seen.setdefault((car, key), name)
            if known != name:
                message = f"car {car!r}: driver {key} is {known!r} on an earlier lap, not {name!r}"
                table.fail_at(row, message, "DRIVER_NAME")
        per_car: dict[str, list[tuple[int | str, str]]] = {}
        for (car, key), name in seen.items():
            per_car.setdefault(car, []).append((key, name))
        drivers: dict[str, tuple[Driver, ...]] = {}
        slot: dict[tuple[str, int | str], int] = {}
        for car, listed in per_car.items():
            if numbered:
                listed.sort(key=lambda pair: pair[0])
                self.driver_numbers[car] = tuple(int(key) for key, _ in listed)
            drivers[car] = tuple(split_name(name) for _, name in listed)
            for index, (key, _) in enumerate(listed):
                slot[car, key] = index
        lengths = map(sub, [*runs[1:], len(cars)], runs)
        return drivers, list(chain.from_iterable(map(repeat, map(slot.__getitem__, run_keys), lengths)))

    def _track_status(self, ends: list[int]) -> tuple[TrackStatusPeriod, ...]:
        """Periods from FLAG_AT_FL: each run of one flag over the crossings in time order is one period.

        The flag is known only at crossings. It was in force when a car crossed the Line showing it, so a
        period starts 1 µs before the first crossing showing its flag and ends 1 µs before the first
        crossing showing another (the last one has no end): a lap, which runs [start, end), then carries
        the status it ended under. Green makes no period. The flag may have changed up to a lap earlier;
        no Al Kamel column says when.
        """
        table = self.table
        if not table.has("FLAG_AT_FL"):
            return ()
        flags = table.cells("FLAG_AT_FL")
        kinds = set(flags)
        unknown = kinds - FLAGS.keys()
        if unknown:
            row = next(i for i, f in enumerate(flags) if f in unknown)
            expected = ", ".join(k for k in FLAGS if k)
            table.fail_at(row, f"unknown flag {flags[row]!r} (expected one of: {expected})", "FLAG_AT_FL")
        if kinds <= {"GF", ""}:
            return ()
        statuses = list(map(_FLAG_STATUS.__getitem__, flags))
        order = sorted(range(len(ends)), key=ends.__getitem__)
        ordered = list(map(statuses.__getitem__, order))
        changes = [0, *compress(range(1, len(ordered)), map(is_not, ordered[1:], ordered[:-1]))]
        runs = [(ordered[i], ends[order[i]] - 1) for i in changes]
        periods: list[TrackStatusPeriod] = []
        for k, (status, start) in enumerate(runs):
            if status is not None:
                end = runs[k + 1][1] if k + 1 < len(runs) else None
                periods.append(TrackStatusPeriod(status=status, start=start, end=end))
        return tuple(periods)

    def _sector_count(self) -> int:
        """S1, S2, … as far as they go without a gap."""
        count = 0
        while self.table.has(f"S{count + 1}"):
            count += 1
        return count

    def _sector_times(self) -> Sequence[tuple[int | None, ...]]:
        """Sector times per lap, from S<k>_SECONDS when the file has it: the same value in decimal seconds
        (`86.214` for S2 = `1:26.214` on every row of the WEC files), which converts with one `int`."""
        table = self.table
        if not self.sectors:
            return list(repeat((), table.size))
        columns = []
        for k in range(1, self.sectors + 1):
            decimal = f"S{k}_SECONDS"
            columns.append(table.seconds(decimal) if table.has(decimal) else table.clocks(f"S{k}"))
        return list(zip(*columns, strict=True))

    def _speeds(self, column: str) -> list[str]:
        """A speed column's cells, checked to be numbers (digits and at most one dot) and left as text."""
        table = self.table
        cells = table.cells(column)
        joined = ";".join(cells)
        if joined.count(";") == len(cells) - 1 and _SPEED_COLUMN.fullmatch(joined) is not None:
            return cells
        joined = "".join(cells)
        valid = joined.isascii() and not joined.translate(DECIMAL_CHARS) and "." not in cells
        if valid and "." in joined:
            valid = max(map(str.count, cells, repeat("."))) <= 1
        if not valid:
            table.decimals(column)  # raises, naming the first bad cell
        return cells

    def _entries(self, cars: list[str], drivers: Mapping[str, tuple[Driver, ...]]) -> tuple[Entry, ...]:
        """One entry per car, in order of appearance; team, class, group and make from its first row."""
        table = self.table
        classes = table.cells("CLASS")
        if self.same_car is not None:
            first_rows = [0, *self._new_car] if cars else []
            ends = [*first_rows[1:], len(cars)]
            self._car_rows = first_rows, ends  # each car's rows: first_rows[k] up to ends[k]
            first = dict(zip(map(cars.__getitem__, first_rows), first_rows, strict=True))
            # a car changes class when its rows do not all hold the class of its first row
            same_class = map(
                list.count,
                map(classes.__getitem__, map(slice, first_rows, ends)),
                map(classes.__getitem__, first_rows),
            )
            changes_class = any(map(ne, same_class, map(sub, ends, first_rows)))
        else:
            first = {}
            for row, car in enumerate(cars):
                first.setdefault(car, row)
            changes_class = len(set(zip(cars, classes, strict=True))) != len(first)
        if changes_class:
            row = next(
                i for i, (c, k) in enumerate(zip(cars, classes, strict=True)) if k != classes[first[c]]
            )
            table.fail_at(
                row, f"car {cars[row]!r} changes class (was {classes[first[cars[row]]]!r})", "CLASS"
            )
        columns = {column: table.cells(column) for column, _ in ENTRY_ATTRIBUTES}
        teams = table.cells("TEAM")
        entries: list[Entry] = []
        for car, row in first.items():
            attributes: dict[str, AttributeValue] = {}
            for column, key in ENTRY_ATTRIBUTES:
                if columns[column][row]:
                    attributes[key] = columns[column][row]
            entries.append(
                Entry(
                    number=car,
                    drivers=drivers[car],
                    team=teams[row],
                    car=columns["MANUFACTURER"][row],
                    attributes=MappingProxyType(attributes),
                )
            )
        return tuple(entries)

    def _classifications(self, times: list[int]) -> tuple[Classification, ...]:
        """One per CLASS, fastest class first (by its best lap): HYPERCAR, LMP2, LMGT3."""
        classes = self.table.cells("CLASS")
        best: dict[str, int] = {}
        if self.same_car is not None:  # each car's rows together, its class the same on all (_entries)
            first_rows, ends = self._car_rows
            car_bests = map(min, map(times.__getitem__, map(slice, first_rows, ends)))
            for klass, car_best in zip(map(classes.__getitem__, first_rows), car_bests, strict=True):
                if klass:
                    best[klass] = min(best.get(klass, car_best), car_best)
        else:
            best = {k: min(compress(times, map(eq, classes, repeat(k)))) for k in dict.fromkeys(classes) if k}
        out: list[Classification] = []
        used: set[str] = set()
        for klass in sorted(best, key=best.__getitem__):
            cid = class_id(klass)
            while cid in used:
                cid += "_"
            used.add(cid)
            names = MappingProxyType({"en": klass, "fr": klass})
            out.append(Classification(id=cid, names=names, require=MappingProxyType({"class": klass})))
        return tuple(out)


def lap_statuses(
    periods: Sequence[TrackStatusPeriod], starts: list[int], ends: list[int]
) -> Iterable[frozenset[TrackStatus]]:
    """Each lap's statuses, as `StatusTimeline.during` gives them, but column-wise: two bisections per
    lap in C and a look-up of the segment it falls in; only a lap across a period boundary (a few
    hundred in 24 hours) asks the timeline. The boundaries are the timeline's: every start and end of a
    non-green period."""
    timeline = StatusTimeline(periods)
    if timeline.empty:
        return repeat(timeline.during(0, 1), len(starts))
    relevant = [p for p in periods if p.status is not TrackStatus.GREEN]
    bounds = sorted({p.start for p in relevant} | {p.end for p in relevant if p.end is not None})
    # segment i runs from bounds[i - 1] to bounds[i]: a 1 µs lap at its start lies inside it
    segments = [timeline.during(probe, probe + 1) for probe in (bounds[0] - 1, *bounds)]
    firsts = list(map(bisect_right, repeat(bounds), starts))
    lasts = map(bisect_left, repeat(bounds), ends)
    statuses = list(map(segments.__getitem__, firsts))
    for row in compress(range(len(firsts)), map(lt, firsts, lasts)):
        statuses[row] = timeline.during(starts[row], ends[row])
    return statuses


def split_name(text: str) -> Driver:
    """`Patrick PILET` → Driver("Patrick", "PILET"): Al Kamel writes the last name in capitals.

    The last name is the trailing run of all-capital words; when there is none, or every word is in
    capitals, it is the last word.
    """
    words = text.split()
    if not words:
        return Driver("", "")
    cut = len(words)
    while cut > 0 and _UPPER_WORD.match(words[cut - 1]):
        cut -= 1
    if cut == 0 or cut == len(words):
        cut = len(words) - 1
    return Driver(" ".join(words[:cut]), " ".join(words[cut:]))


def class_id(klass: str) -> str:
    """A classification id from a class name: `LMGT3` → `lmgt3`, `LMP2 Pro/Am` → `lmp2-pro-am`."""
    return re.sub(r"[^a-z0-9_]+", "-", klass.lower()).strip("-") or "class"
