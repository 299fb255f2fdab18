"""The synthetic race generator: deterministic, realistic, and consistent with its own ground truth."""

from __future__ import annotations

import gc
import statistics
from collections import Counter
from itertools import pairwise

import pytest

from parcferme.engine import build_laps
from parcferme.errors import InputError
from parcferme.model import PIT_IN, PIT_OUT, SF, Lap, RaceEnd, RuleSet, SessionKind
from parcferme.synthetic import CLASSES, DEFAULT_START, SyntheticRace, generate_race, race_from_laps

S = 1_000_000
HOUR = 3600 * S
SECTORS = ("S1", "S2", "S3")


def _race(**kwargs: object) -> SyntheticRace:
    args: dict[str, object] = {"cars": 8, "duration": HOUR, "seed": 7, "pit_stops_every": 4}
    args.update(kwargs)
    return generate_race(**args)  # type: ignore[arg-type]


def _ints(lap: Lap) -> tuple[int, ...]:
    """A generated lap's sector times: all known (the generator never misses a loop)."""
    sectors = tuple(s for s in lap.sectors if s is not None)
    assert len(sectors) == len(lap.sectors)
    return sectors


def _transponders(race: SyntheticRace) -> dict[str, str]:
    return {e.number: e.transponders[0] for e in race.entries}


def test_same_seed_same_race_other_seed_other_race() -> None:
    assert _race() == _race()
    assert _race().passings != _race(seed=8).passings


def test_session_entries_and_classifications() -> None:
    race = _race(cars=20)
    session = race.session
    assert session.kind is SessionKind.RACE
    assert session.schedule.start == DEFAULT_START
    assert session.schedule.duration == HOUR
    assert session.schedule.end_mode is RaceEnd.TIME
    assert session.sector_lines == SECTORS
    numbers = [e.number for e in race.entries]
    assert len(set(numbers)) == 20 and all(isinstance(n, str) and n.isdigit() for n in numbers)
    assert all(len(e.transponders) == 1 for e in race.entries)
    assert len({e.transponders[0] for e in race.entries}) == 20
    by_class = Counter(e.attribute("class") for e in race.entries)
    assert by_class == {"HYPERCAR": 6, "LMP2": 6, "GT3": 8}
    assert [c.id for c in race.classifications] == [c.id.lower() for c in CLASSES]
    for classification in race.classifications:
        assert sum(classification.admits(e) for e in race.entries) == by_class[classification.id.upper()]


def test_passings_are_sorted_numbered_and_carry_car_and_transponder() -> None:
    race = _race(retirements=2)
    times = [p.time for p in race.passings]
    assert times == sorted(times)
    assert [p.seq for p in race.passings] == list(range(1, len(race.passings) + 1))
    transponders = _transponders(race)
    assert all(p.transponder == transponders[p.car] for p in race.passings)
    assert {p.line for p in race.passings} == {SF, PIT_IN, PIT_OUT, *SECTORS}


def test_laps_are_contiguous_from_the_start_and_sectors_add_up() -> None:
    race = _race(retirements=1)
    for entry in race.entries:
        laps = race.laps_of(entry.number)
        if not laps:
            continue
        assert laps[0].start == DEFAULT_START
        assert [lap.number for lap in laps] == list(range(1, len(laps) + 1))
        assert all(a.end == b.start for a, b in pairwise(laps))
        for lap in laps:
            assert lap.time == lap.end - lap.start > 0
            assert len(lap.sectors) == len(SECTORS) + 1
            assert sum(_ints(lap)) == lap.time


def test_passing_counts_follow_the_laps() -> None:
    race = _race()
    expected = sum(1 + len(SECTORS) + lap.in_pit + lap.out_lap for lap in race.laps)
    assert len(race.passings) == expected
    counts = Counter(p.line for p in race.passings)
    assert counts[SF] == len(race.laps)
    assert counts[PIT_IN] == sum(lap.in_pit for lap in race.laps)
    assert counts[PIT_OUT] == sum(lap.out_lap for lap in race.laps)


def test_pit_stops_span_an_in_lap_and_the_next_out_lap() -> None:
    race = _race(pit_stops_every=3)
    by_car: dict[str, list[tuple[int, str]]] = {}
    for p in race.passings:
        by_car.setdefault(p.car, []).append((p.time, p.line))
    stops = 0
    for entry in race.entries:
        laps = race.laps_of(entry.number)
        crossings = by_car[entry.number]
        for lap, following in pairwise(laps):
            assert following.out_lap == lap.in_pit
        for lap in laps:
            inside = [line for t, line in crossings if lap.start < t <= lap.end]
            if lap.in_pit:
                stops += 1
                assert inside[-2:] == [PIT_IN, SF]  # pit entry in the last sector, the Line in the pit lane
            if lap.out_lap:
                assert inside[0] == PIT_OUT  # the stop is past the Line: pit exit before the first loop
                assert _ints(lap)[0] > max(_ints(other)[0] for other in laps if not other.out_lap)
    assert stops >= 8 * 4  # ~20 laps a car in an hour at 3:25-3:45, a stop every 2-4 laps


def test_no_pit_stops() -> None:
    race = _race(pit_stops_every=None)
    assert not any(lap.in_pit or lap.out_lap for lap in race.laps)
    assert {p.line for p in race.passings} == {SF, *SECTORS}


def test_time_certain_finish_at_the_leaders_first_crossing_after_time() -> None:
    race = _race(retirements=2)
    assert race.flag is not None
    time_up = DEFAULT_START + HOUR
    running = [e.number for e in race.entries if e.number not in race.retired]
    last = {car: race.laps_of(car)[-1] for car in running}
    leader = min(last.values(), key=lambda lap: (-lap.number, lap.end))
    # the leader is first on the road: its lap before the flag was completed before anyone else's
    assert leader.end == race.flag >= time_up
    assert race.laps_of(leader.car)[-2].end < time_up
    for car in running:
        laps = race.laps_of(car)
        assert laps[-1].end >= race.flag  # each running car takes the flag …
        assert len(laps) == 1 or laps[-2].end < race.flag  # … at its first crossing after it
        assert laps[-1].number <= leader.number
    assert max(p.time for p in race.passings) == max(lap.end for lap in last.values())


def test_retired_cars_stop_before_the_flag_with_a_partial_lap() -> None:
    race = _race(cars=6, retirements=3, seed=11)
    assert len(race.retired) == 3
    for car in race.retired:
        laps = race.laps_of(car)
        last_line = max(
            (p.time for p in race.passings if p.car == car and p.line == SF), default=DEFAULT_START
        )
        assert not laps or laps[-1].end == last_line
        assert race.flag is None or last_line < race.flag
    # every car retired: no flag, still a valid race
    assert generate_race(3, HOUR, seed=1, retirements=3).flag is None


def test_the_24_hour_benchmark_race() -> None:
    race = generate_race(62, 24 * HOUR, seed=1)
    laps_per_car = Counter(lap.car for lap in race.laps)
    assert 370 <= statistics.median(laps_per_car.values()) <= 410
    assert 95_000 <= len(race.passings) <= 105_000
    classes = {e.number: e.attribute("class") for e in race.entries}
    pace = {
        cls.id: statistics.median(
            lap.time for lap in race.laps if classes[lap.car] == cls.id and not (lap.in_pit or lap.out_lap)
        )
        for cls in CLASSES
    }
    assert pace["HYPERCAR"] < pace["LMP2"] < pace["GT3"]


def test_the_lap_builder_recovers_the_laps() -> None:
    race = _race(retirements=2)
    built = build_laps(race.passings, race.session, RuleSet(id="test"))
    assert built.warnings == ()
    assert sorted(_fields(lap) for lap in built.laps) == sorted(_fields(lap) for lap in race.laps)


def _fields(lap: Lap) -> tuple[object, ...]:
    return (lap.car, lap.number, lap.start, lap.end, lap.time, lap.sectors, lap.in_pit, lap.out_lap)


def test_race_from_laps_is_what_the_generator_records() -> None:
    race = _race()
    assert race_from_laps(race.laps, SECTORS, transponders=_transponders(race)) == race.passings


def test_race_from_laps_without_sectors_and_with_a_lap_both_in_and_out() -> None:
    lap = Lap("7", 1, 0, 100 * S, 100 * S, (), in_pit=True, out_lap=True)
    passings = race_from_laps([lap])
    assert [(p.line, p.time) for p in passings] == [(PIT_OUT, 75 * S), (PIT_IN, 87_500_000), (SF, 100 * S)]
    assert [p.seq for p in passings] == [1, 2, 3]


def test_race_from_laps_rejects_laps_it_cannot_record() -> None:
    first = Lap("7", 1, 0, 100 * S, 100 * S, (50 * S, 50 * S))
    with pytest.raises(InputError, match="does not follow"):
        race_from_laps([first, first._replace(number=2)], ("S1",))
    with pytest.raises(InputError, match="sectors"):
        race_from_laps([first._replace(sectors=(50 * S, 40 * S))], ("S1",))
    with pytest.raises(InputError, match="sectors"):
        race_from_laps([first], ("S1", "S2"))
    with pytest.raises(InputError, match="time"):
        race_from_laps([first._replace(time=1)], ("S1",))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cars": 0},
        {"duration": 0},
        {"retirements": 9},
        {"pit_stops_every": 0},
        {"sector_lines": ("S1", "S1")},
        {"sector_lines": ("S1", SF)},
        {"lap_time": 10},
    ],
)
def test_bad_arguments_raise_an_input_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(InputError):
        _race(**kwargs)


def test_the_garbage_collector_is_left_as_it_was() -> None:
    assert gc.isenabled()
    _race(cars=2)
    assert gc.isenabled()
    gc.disable()
    try:
        _race(cars=2)
        assert not gc.isenabled()
    finally:
        gc.enable()
