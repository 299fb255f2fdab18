from scenario import RULES, START, S, qualifying_session, race_passings, race_session

from parcferme.engine import annotate_statuses, build_laps
from parcferme.model import PIT_IN, PIT_OUT, SF, Passing, TrackStatus, TrackStatusPeriod


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
