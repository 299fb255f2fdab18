from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scenario import RULES, START, S, qualifying_session, race_passings, race_session
from strategies import LapTable, generated_races, lap_tables

from parcferme.engine import annotate_statuses, build_laps
from parcferme.engine import laps as laps_module
from parcferme.engine.laps import StatusTimeline, _CarLaps
from parcferme.model import (
    PIT_IN,
    PIT_OUT,
    SF,
    Lap,
    Passing,
    RuleSet,
    Session,
    TimingWarning,
    TrackStatus,
    TrackStatusPeriod,
)
from parcferme.synthetic import SyntheticRace, generate_race


def test_race_laps_start_at_the_signal_and_sectors_split_the_lap() -> None:
    session = race_session(laps=2, sectors=("S1", "S2"))
    passings = [
        Passing(START + 40 * S, "S1", "1"),
        Passing(START + 100 * S, "S2", "1"),
        Passing(START + 150 * S, SF, "1"),
        Passing(START + 190 * S, "S1", "1"),
        Passing(START + 300 * S, SF, "1"),  # S2 missed on lap 2
    ]
    built = build_laps(passings, session, RULES)
    first, second = built.laps
    assert (first.number, first.start, first.time) == (1, START, 150 * S)
    assert first.sectors == (40 * S, 60 * S, 50 * S)
    assert second.sectors == (40 * S, None, None)
    assert built.warnings == ()


def test_duplicates_short_laps_and_early_passings_are_warned_not_dropped_silently() -> None:
    session = race_session(laps=3)
    passings = [
        Passing(START - 5 * S, SF, "1"),
        Passing(START + 150 * S, SF, "1"),
        Passing(START + 150 * S + 200_000, SF, "1"),  # decoder duplicate
        Passing(START + 160 * S, SF, "1"),  # 10 s lap: impossible
        Passing(START + 300 * S, SF, "1"),
    ]
    built = build_laps(reversed(passings), session, RULES)  # out of order on purpose
    assert [lap.time for lap in built.laps] == [150 * S, 150 * S]
    assert sorted(w.kind for w in built.warnings) == ["before-start", "below-minimum", "duplicate"]


def test_pit_laps_and_out_laps() -> None:
    session = qualifying_session()
    passings = [
        Passing(START + 10 * S, PIT_OUT, "7"),
        Passing(START + 160 * S, SF, "7"),
        Passing(START + 300 * S, SF, "7"),
        Passing(START + 430 * S, PIT_IN, "7"),
        Passing(START + 445 * S, SF, "7"),
        Passing(START + 700 * S, PIT_OUT, "7"),
        Passing(START + 850 * S, SF, "7"),
    ]
    laps = build_laps(passings, session, RULES).laps
    assert [(lap.number, lap.out_lap, lap.in_pit) for lap in laps] == [
        (1, True, False),
        (2, False, False),
        (3, False, True),
        (4, True, False),
    ]
    assert laps[0].start == START + 10 * S


def test_track_status_marks_every_lap_it_overlaps() -> None:
    session = race_session(laps=4)
    periods = [TrackStatusPeriod(TrackStatus.SC, START + 200 * S, START + 420 * S, "crash")]
    built = build_laps(race_passings({"1": [150, 150, 150, 150]}), session, RULES, periods)
    assert [bool(lap.statuses) for lap in built.laps] == [False, True, True, False]
    assert annotate_statuses(built.laps, periods) == built.laps


def test_column_wise_fast_path_equals_the_passing_by_passing_path() -> None:
    from parcferme.engine.laps import StatusTimeline, _CarLaps
    from parcferme.synthetic import generate_race

    race = generate_race(6, 3 * 3600 * S, seed=7, retirements=2)
    periods = [TrackStatusPeriod(TrackStatus.SC, START + 1800 * S, START + 2100 * S)]
    fast = build_laps(race.passings, race.session, RULES, periods)
    careful: list = []
    warnings: list = []
    timeline = StatusTimeline(periods)
    for entry in race.entries:
        merged = sorted((p.time, p.line) for p in race.passings if p.car == entry.number)
        _CarLaps(entry.number, race.session, RULES, timeline, careful, warnings).run(merged)
    assert warnings == [] and fast.warnings == ()
    assert sorted(fast.laps) == sorted(careful)
    assert sorted(fast.laps) == sorted(
        lap._replace(statuses=timeline.during(lap.start, lap.end)) for lap in race.laps
    )


def _careful(
    passings: Sequence[Passing], session: Session, rules: RuleSet, periods: Sequence[TrackStatusPeriod] = ()
) -> tuple[tuple[Lap, ...], tuple[TimingWarning, ...]]:
    """Every car through the passing-by-passing path, cars in order of first appearance: the reference."""
    per_car: dict[str, list[tuple[int, str]]] = {}
    for p in passings:
        per_car.setdefault(p.car, []).append((p.time, p.line))
    laps: list[Lap] = []
    warnings: list[TimingWarning] = []
    timeline = StatusTimeline(periods)
    for car, crossings in per_car.items():
        _CarLaps(car, session, rules, timeline, laps, warnings).run(sorted(crossings))
    return tuple(laps), tuple(warnings)


@st.composite
def noisy_passings(draw: st.DrawFn, race: SyntheticRace | LapTable) -> list[Passing]:
    """The race's passings with what a decoder gets wrong: duplicates, misses, crossings before the start
    or after a car's last lap, unknown lines, jitter and ties; then in any order."""
    passings = list(race.passings)
    start = race.session.schedule.start
    lines = [SF, PIT_IN, PIT_OUT, *race.session.sector_lines, "X"]
    for _ in range(draw(st.integers(0, 5))):
        if not passings:
            break
        i = draw(st.integers(0, len(passings) - 1))
        p = passings[i]
        kind = draw(st.sampled_from(("duplicate", "miss", "early", "line", "late", "jitter")))
        if kind == "duplicate":
            passings.insert(i, p._replace(time=p.time + draw(st.sampled_from((0, 1, S // 2, S - 1, S)))))
        elif kind == "miss":
            del passings[i]
        elif kind == "early":
            passings.append(p._replace(time=start - draw(st.integers(1, 10 * S))))
        elif kind == "line":  # another line at the same instant or a moment away
            passings.append(
                p._replace(line=draw(st.sampled_from(lines)), time=p.time + draw(st.integers(-S, S)))
            )
        elif kind == "late":  # on the lap after the car's last crossing
            last = max(q.time for q in passings if q.car == p.car)
            passings.append(
                p._replace(line=draw(st.sampled_from(lines)), time=last + draw(st.integers(0, 5 * S)))
            )
        else:
            passings[i] = p._replace(time=p.time + draw(st.integers(-20 * S, 20 * S)))
    if draw(st.booleans()):
        draw(st.randoms(use_true_random=False)).shuffle(passings)
    else:
        passings.sort(key=lambda p: p.time)
    return passings


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_races(max_cars=4) | lap_tables(max_cars=4), st.data())
def test_build_laps_equals_the_passing_by_passing_path_on_noisy_passings_in_any_order(
    race: SyntheticRace | LapTable, data: st.DataObject
) -> None:
    # the column-wise path takes a car only when the careful path would set nothing aside: same laps, same
    # warnings, whatever the input order (its buckets are not sorted) and whatever the rules' thresholds
    passings = data.draw(noisy_passings(race), label="passings")
    rules = data.draw(
        st.sampled_from(
            (RULES, RuleSet("short", min_lap_time=S), RuleSet("wide", duplicate_window=25 * S)),
        ),
        label="rules",
    )
    built = build_laps(iter(passings), race.session, rules)
    assert (built.laps, built.warnings) == _careful(passings, race.session, rules)


def test_clean_race_cars_take_the_column_wise_path(monkeypatch: pytest.MonkeyPatch) -> None:
    race = generate_race(6, 3 * 3600 * S, seed=3, retirements=2)

    def careful(*args: object) -> None:
        raise AssertionError("a clean car went through the passing-by-passing path")

    monkeypatch.setattr(laps_module._CarLaps, "run", careful)
    assert len(build_laps(race.passings, race.session, RULES).laps) == len(race.laps)


def test_a_loop_crossed_twice_after_the_last_lap_is_reported() -> None:
    # the car stops on its second lap: its S1 crossing there is doubled by the decoder
    session = race_session(duration=3600 * S, sectors=("S1", "S2"))
    passings = [
        Passing(START + 40 * S, "S1", "1"),
        Passing(START + 100 * S, "S2", "1"),
        Passing(START + 150 * S, SF, "1"),
        Passing(START + 190 * S, "S1", "1"),
        Passing(START + 190 * S + 300_000, "S1", "1"),
    ]
    built = build_laps(passings, session, RULES)
    assert [lap.number for lap in built.laps] == [1]
    assert [w.kind for w in built.warnings] == ["duplicate"]
