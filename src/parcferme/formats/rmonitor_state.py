"""The state an RMonitor feed describes: competitors, laps, positions, flag — folded one record at a time.

The live race order is rebuilt from the passings ($J), not copied from Orbits' own positions ($G): a car
ranks by laps completed, then by whether it has crossed the Line at all, then by total race time. $G is
still read, for what passings cannot tell: a feed joined mid-race starts from each car's $G laps and
time, and a crossing the feed never sent as a $J shows up as a $G ahead of what the passings say.

What real Orbits feeds do, and how it is read (tests/realdata/test_rmonitor.py checks it on captures):

- the first crossing of each car has a lap time of 0: it starts lap 1 (a rolling start), it completes none;
- a passing is re-sent with a corrected time (same lap start, a few ms apart): it replaces the last one;
- old passings are re-sent (a car's best lap, long after): a $J older than what is known is ignored;
- $I arrives mid-race before a full refresh of competitors and positions: timing state is kept;
- a new $B run id starts a new session: laps and positions are cleared, competitors and classes kept.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from types import MappingProxyType
from typing import Any, NamedTuple

from parcferme.engine.laps import annotate_statuses
from parcferme.engine.race import classify_race
from parcferme.formats.rmonitor_records import (
    BestLapPosition,
    ClassInfo,
    Competitor,
    CompetitorExt,
    FeedError,
    Heartbeat,
    Init,
    LinePassing,
    RacePosition,
    Record,
    RunInfo,
    Setting,
    UnknownRecord,
    parse_record,
)
from parcferme.model.entries import AttributeValue, Driver, Entry
from parcferme.model.event import SessionData
from parcferme.model.results import SessionResult
from parcferme.model.rules import RuleSet
from parcferme.model.session import RaceEnd, Schedule, Session, SessionKind
from parcferme.model.time import Gap
from parcferme.model.timing import Lap, TrackStatus, TrackStatusPeriod

__all__ = ["FLAG_STATUS", "CarState", "RMonitorState", "Standing"]

DAY = 86_400_000_000
_START_CORRECTION = 60_000_000  # a re-sent first crossing within a minute of the first is a correction

# $F flag → track status. A session-wide "Yellow" is a full-course yellow; "" is before the start.
FLAG_STATUS: dict[str, TrackStatus] = {
    "Green": TrackStatus.GREEN,
    "Yellow": TrackStatus.FCY,
    "Red": TrackStatus.RED,
    "Finish": TrackStatus.CHEQUERED,
}
_TIMED_WORDS = ("practice", "qualif", "warm", "test", "hpde")


class CarState:
    """Everything the feed said about one car (keyed by its registration `reg`)."""

    __slots__ = (
        "additional",
        "best",
        "best_index",
        "class_id",
        "crossings",
        "first_name",
        "lap_start",
        "laps",
        "last_lap",
        "last_name",
        "nationality",
        "number",
        "order",
        "position",
        "reg",
        "total",
        "transponder",
    )

    def __init__(self, reg: str, order: int) -> None:
        self.reg = reg
        self.order = order  # first-seen order: the last tie-break
        self.number = reg
        self.transponder = ""
        self.first_name = ""
        self.last_name = ""
        self.nationality = ""
        self.class_id = 0
        self.additional = ""
        self.laps: int | None = 0  # None: unknown until the next $G says (feed joined mid-race)
        self.total = 0  # race time at the last crossing, µs; 0 = not crossed yet
        self.lap_start: int | None = None  # race time the last timed lap started (to spot corrections)
        self.last_lap = 0
        # timed laps seen, as [lap number or None while unknown, lap time, total time]
        self.crossings: list[list[Any]] = []
        self.best_index = -1  # index in crossings of the best lap
        self.position: RacePosition | None = None  # Orbits' last $G
        self.best: BestLapPosition | None = None  # Orbits' last $H

    def best_lap(self) -> tuple[int, int] | None:
        """(lap number, time) of the fastest lap seen in passings, else Orbits' $H; None without one."""
        if self.best_index >= 0:
            number, time, _ = self.crossings[self.best_index]
            return (number or 0, time)
        if self.best is not None and self.best.best_time > 0:
            return (self.best.best_lap, self.best.best_time)
        return None


class Standing(NamedTuple):
    """One car in the live order rebuilt from the passings. Times are µs of race time; gaps are to the
    leader, intervals to the car ahead (both None for the first car and for cars that have not crossed)."""

    position: int
    reg: str
    number: str
    class_name: str
    class_position: int
    laps: int
    total_time: int | None
    last_lap: int | None
    best_lap: int | None
    best_lap_number: int | None
    gap: Gap | None
    interval: Gap | None
    class_gap: Gap | None
    class_interval: Gap | None
    orbits_position: int | None  # Orbits' own position ($G), for comparison


class RMonitorState:
    """Folds RMonitor records into the state of the session they describe; never raises on bad lines.

    `feed_line` parses and applies one line, reporting unreadable and unknown records in `issues`.
    `standings()` is the live order; `entries()`, `session()`, `laps()`, `track_status()` and `classify()`
    hand the same data to the parcferme engine.
    """

    def __init__(self, source: str = "<feed>") -> None:
        self.source = source
        self.run: RunInfo | None = None
        self.classes: dict[int, str] = {}
        self.settings: dict[str, str] = {}
        self.cars: dict[str, CarState] = {}
        self.heartbeat: Heartbeat | None = None
        self.flags: list[tuple[int, str]] = []  # (race time, flag) at each change of flag
        self.race_start: int | None = None  # time of day (µs) at race time 0, from the first running $F
        self.issues: list[FeedError] = []
        self.finished_runs: list[RunInfo] = []  # runs that showed the chequered flag before the next began
        self.counts: Counter[str] = Counter()
        self.version = 0  # bumped by every applied record: cheap change detection for renderers
        self._handlers: dict[type, Callable[[Any], None]] = {
            Competitor: self._competitor,
            CompetitorExt: self._competitor_ext,
            RunInfo: self._run,
            ClassInfo: self._class,
            Setting: self._setting,
            Heartbeat: self._heartbeat,
            RacePosition: self._race_position,
            BestLapPosition: self._best_position,
            Init: self._init,
            LinePassing: self._passing,
            UnknownRecord: self._unknown,
        }

    # --- feeding ---------------------------------------------------------------------------------------

    def feed_line(self, text: str, line: int | None = None) -> Record | None:
        """Parse and apply one line; a bad line is reported in `issues` and None returned."""
        try:
            record = parse_record(text)
        except FeedError as exc:
            self.issues.append(exc.located(self.source, line))
            return None
        self.apply(record, line)
        return record

    def feed_lines(self, lines: Iterable[str]) -> None:
        for number, text in enumerate(lines, 1):
            if text.strip():
                self.feed_line(text, number)

    def apply(self, record: Record, line: int | None = None) -> None:
        """Fold one record into the state."""
        self.counts[record.__class__.__name__] += 1
        self.version += 1
        if isinstance(record, UnknownRecord):
            self.issues.append(
                FeedError(f"unknown record {record.tag} kept, not read", source=self.source, line=line)
            )
        self._handlers[type(record)](record)

    def _car(self, reg: str) -> CarState:
        car = self.cars.get(reg)
        if car is None:
            car = self.cars[reg] = CarState(reg, len(self.cars))
        return car

    def _competitor(self, r: Competitor) -> None:
        car = self._car(r.reg)
        car.number, car.transponder, car.class_id = r.number or r.reg, r.transponder, r.class_id
        car.first_name, car.last_name, car.nationality = r.first_name, r.last_name, r.nationality

    def _competitor_ext(self, r: CompetitorExt) -> None:
        car = self._car(r.reg)
        car.number, car.class_id, car.additional = r.number or r.reg, r.class_id, r.additional
        car.first_name, car.last_name, car.nationality = r.first_name, r.last_name, r.nationality

    def _run(self, r: RunInfo) -> None:
        if self.run is not None and r.id != self.run.id:
            self._new_session()
        self.run = r

    def _new_session(self) -> None:
        self.counts["sessions"] += 1
        if self.run is not None and self.finished:
            self.finished_runs.append(self.run)
        self.flags.clear()
        self.race_start = None
        self.heartbeat = None
        for reg, car in list(self.cars.items()):
            fresh = CarState(reg, car.order)
            fresh.number, fresh.transponder, fresh.class_id = car.number, car.transponder, car.class_id
            fresh.first_name, fresh.last_name = car.first_name, car.last_name
            fresh.nationality, fresh.additional = car.nationality, car.additional
            self.cars[reg] = fresh

    @property
    def finished(self) -> bool:
        """The current run has shown the chequered flag ($F "Finish")."""
        return any(flag == "Finish" for _, flag in self.flags)

    def _class(self, r: ClassInfo) -> None:
        self.classes[r.id] = r.name

    def _setting(self, r: Setting) -> None:
        self.settings[r.name] = r.value

    def _heartbeat(self, r: Heartbeat) -> None:
        self.heartbeat = r
        if not self.flags or self.flags[-1][1] != r.flag:
            self.flags.append((r.race_time, r.flag))
        if self.race_start is None and r.race_time > 0:
            self.race_start = (r.time_of_day - r.race_time) % DAY

    def _race_position(self, r: RacePosition) -> None:
        car = self._car(r.reg)
        car.position = r
        laps = r.laps or 0
        if r.total_time > car.total:
            # Orbits knows a crossing the passings did not show (joined mid-race, or a $J was lost)
            if car.total and car.laps is not None and laps == car.laps + 1:
                # exactly one lap more than known: the lost $J is that lap, from the last crossing to this
                self.counts["inferred"] += 1
                self._add_lap(car, laps, r.total_time - car.total, r.total_time)
                return
            self.counts["seeded"] += 1
            car.laps, car.total, car.lap_start = laps, r.total_time, None
        elif car.laps is None or (car.total == 0 == r.total_time and not car.crossings):
            # a count the passings cannot give: a car joined mid-race, or one that has not crossed yet
            # but starts with laps taken off (Orbits shows negative laps for late or penalised entries)
            car.laps = laps
            number = laps  # the crossings still unnumbered end at this lap
            for crossing in reversed(car.crossings):
                if crossing[0] is not None:
                    break
                crossing[0] = number
                number -= 1

    def _best_position(self, r: BestLapPosition) -> None:
        self._car(r.reg).best = r

    def _init(self, r: Init) -> None:
        pass  # a refresh follows: everything it re-sends is applied as usual

    def _unknown(self, r: UnknownRecord) -> None:
        pass

    def _passing(self, r: LinePassing) -> None:
        car = self._car(r.reg)
        lap_time, total = r.lap_time, r.total_time
        counts = self.counts
        if lap_time <= 0:
            if car.laps in (0, None) and car.total and 0 < abs(total - car.total) < _START_CORRECTION:
                counts["correction"] += 1
                car.total = total
            elif total > car.total and (car.laps or 0) <= 0:
                # (a zero lap time after laps is not a restart: Orbits never sends one; it is ignored
                # as stale rather than allowed to wipe a car's laps)
                counts["start"] += 1
                car.laps, car.total, car.lap_start, car.last_lap = 0, total, None, 0
            else:
                counts["stale"] += 1
            return
        start = total - lap_time
        half = lap_time // 2
        if car.total == 0 or start >= car.total - half:
            # a new lap: it starts where the last one ended (a start well after it means lost crossings,
            # so the count is unknown until the next $G)
            if car.total and start > car.total + half:
                counts["gap"] += 1
                car.laps = None
            elif car.total == 0:
                car.laps = None  # first sight of this car is a lap: its count comes with the next $G
            elif car.laps is not None:
                car.laps += 1
            counts["lap"] += 1
            self._add_lap(car, car.laps, lap_time, total)
        elif total > car.total - half:
            # the last crossing again, with a corrected time
            if total == car.total and lap_time == car.last_lap:
                counts["repeat"] += 1
                return
            counts["correction"] += 1
            crossings = car.crossings
            if car.lap_start is not None and crossings and crossings[-1][2] == car.total:
                crossings[-1][1:] = [lap_time, total]
                best = min(range(len(crossings)), key=lambda i: crossings[i][1])
                car.best_index = best
            car.total, car.lap_start, car.last_lap = total, start, lap_time
        else:
            counts["stale"] += 1  # an old passing re-sent

    @staticmethod
    def _add_lap(car: CarState, number: int | None, lap_time: int, total: int) -> None:
        car.laps = number
        car.total, car.lap_start, car.last_lap = total, total - lap_time, lap_time
        car.crossings.append([number, lap_time, total])
        if car.best_index < 0 or lap_time < car.crossings[car.best_index][1]:
            car.best_index = len(car.crossings) - 1

    # --- the live order --------------------------------------------------------------------------------

    def class_name(self, car: CarState) -> str:
        return self.classes.get(car.class_id, "")

    def ordered(self) -> list[CarState]:
        """Cars in race order: laps, then crossed the Line or not, then total time, then first seen."""
        return sorted(self.cars.values(), key=_race_key)

    def standings(self) -> tuple[Standing, ...]:
        """The live order with gaps, intervals, class positions and best laps."""
        rows: list[Standing] = []
        leader: CarState | None = None
        class_leaders: dict[int, CarState] = {}
        class_ahead: dict[int, CarState] = {}
        class_counts: Counter[int] = Counter()
        ahead: CarState | None = None
        for position, car in enumerate(self.ordered(), 1):
            cls = car.class_id
            class_counts[cls] += 1
            best = car.best_lap()
            rows.append(
                Standing(
                    position=position,
                    reg=car.reg,
                    number=car.number,
                    class_name=self.class_name(car),
                    class_position=class_counts[cls],
                    laps=car.laps or 0,
                    total_time=car.total or None,
                    last_lap=car.last_lap or None,
                    best_lap=best[1] if best else None,
                    best_lap_number=best[0] if best else None,
                    gap=_gap(leader, car),
                    interval=_gap(ahead, car),
                    class_gap=_gap(class_leaders.get(cls), car),
                    class_interval=_gap(class_ahead.get(cls), car),
                    orbits_position=car.position.position if car.position else None,
                )
            )
            leader = leader or car
            class_leaders.setdefault(cls, car)
            class_ahead[cls] = car
            ahead = car
        return tuple(rows)

    # --- parcferme model -------------------------------------------------------------------------------

    def entries(self) -> tuple[Entry, ...]:
        """One entry per car (numbers as Orbits shows them), its class as the `class` attribute."""
        out: list[Entry] = []
        seen: set[str] = set()
        for car in self.cars.values():
            if car.number in seen:
                continue
            seen.add(car.number)
            attributes: dict[str, AttributeValue] = {}
            if self.class_name(car):
                attributes["class"] = self.class_name(car)
            out.append(
                Entry(
                    number=car.number,
                    drivers=(Driver(car.first_name, car.last_name, car.nationality),),
                    car=car.additional,
                    transponders=(car.transponder,) if car.transponder.strip("0 ") else (),
                    attributes=MappingProxyType(attributes),
                )
            )
        return tuple(out)

    def session(self, date: dt.date | None = None) -> Session:
        """The current run as a parcferme session; its start is race time 0 as a time of day."""
        run = self.run
        name = run.name if run else ""
        lowered = name.lower()
        kind = SessionKind.RACE
        if any(word in lowered for word in _TIMED_WORDS):
            kind = SessionKind.QUALIFYING if "qualif" in lowered else SessionKind.PRACTICE
        return Session(
            id=str(run.id) if run else "rmonitor",
            kind=kind,
            name=name,
            schedule=Schedule(date=date or dt.date(1970, 1, 1), start=self._start(), end_mode=RaceEnd.TIME),
            sector_lines=(),
        )

    def _start(self) -> int:
        return self.race_start or 0

    def track_status(self) -> tuple[TrackStatusPeriod, ...]:
        """Flag periods from the heartbeats' flag changes (to the second: $F has no finer time)."""
        start = self._start()
        periods: list[TrackStatusPeriod] = []
        for i, (race_time, flag) in enumerate(self.flags):
            status = FLAG_STATUS.get(flag)
            if status is None:
                continue
            end = self.flags[i + 1][0] + start if i + 1 < len(self.flags) else None
            periods.append(TrackStatusPeriod(status, race_time + start, end))
        return tuple(periods)

    def laps(self) -> tuple[Lap, ...]:
        """Every timed lap seen in passings whose number is known, per car in first-seen order."""
        start = self._start()
        laps = [
            Lap(car.number, number, start + total - lap_time, start + total, lap_time)
            for car in self.cars.values()
            for number, lap_time, total in car.crossings
            if number is not None and number > 0
        ]
        return annotate_statuses(laps, self.track_status())

    def session_data(self, date: dt.date | None = None) -> SessionData:
        return SessionData(self.session(date), laps=self.laps(), track_status=self.track_status())

    def classify(self, rules: RuleSet | None = None) -> SessionResult:
        """The engine's race classification of what the feed has shown so far."""
        return classify_race(
            self.session(),
            self.laps(),
            self.entries(),
            rules or RuleSet(id="rmonitor"),
            track_status=self.track_status(),
        )

    def snapshot(self) -> list[Record]:
        """Records that bring a newly connected scoreboard up to date (as Orbits does after $I)."""
        out: list[Record] = [Init(self.heartbeat.time_of_day if self.heartbeat else 0, "")]
        if self.run is not None:
            out.append(self.run)
        out.extend(Setting(name, value) for name, value in self.settings.items())
        out.extend(ClassInfo(id_, name) for id_, name in self.classes.items())
        for car in self.cars.values():
            names = (car.first_name, car.last_name, car.nationality)
            out.append(Competitor(car.reg, car.number, car.transponder, *names, car.class_id))
            out.append(CompetitorExt(car.reg, car.number, car.class_id, *names, car.additional))
        for position, car in enumerate(self.ordered(), 1):
            out.append(RacePosition(position, car.reg, car.laps or None, car.total))
        out.extend(car.best for car in self.cars.values() if car.best is not None)
        if self.heartbeat is not None:
            out.append(self.heartbeat)
        return out


def _race_key(car: CarState) -> tuple[int, bool, int, int]:
    return (-(car.laps or 0), car.total == 0, car.total, car.order)


def _gap(ahead: CarState | None, car: CarState) -> Gap | None:
    if ahead is None or ahead is car or not car.total or not ahead.total:
        return None
    laps = (ahead.laps or 0) - (car.laps or 0)
    return Gap(laps=laps) if laps > 0 else Gap(time=car.total - ahead.total)
