import pytest
from scenario import RULES, START, S, entries, race_passings, race_session

from parcferme.engine import build_laps, classify_race
from parcferme.model import (
    Decision,
    DecisionKind,
    Gap,
    Grid,
    GridSlot,
    RaceEnd,
    RuleSet,
    Status,
    TrackStatus,
    TrackStatusPeriod,
)


def classify(lap_times, *, decisions=(), rules=RULES, track_status=(), grid=None, **schedule):  # type: ignore[no-untyped-def]
    session = race_session(**schedule)
    laps = build_laps(race_passings(lap_times), session, rules, track_status).laps
    cars = entries(*lap_times)
    return classify_race(session, laps, cars, rules, decisions, grid, track_status)


def test_distance_race_every_car_finishes_on_its_first_crossing_after_the_leader() -> None:
    result = classify(
        {"1": [100] * 6, "2": [101] * 6, "3": [130] * 6},  # car 3 is lapped; 6 laps of data (cool-down)
        laps=5,
    )
    assert result.order == ("1", "2", "3")
    assert [r.laps for r in result.rows] == [5, 5, 4]
    assert result.rows[0].time == 500 * S
    assert result.rows[1].gap == Gap(time=5 * S)
    assert result.rows[2].gap == Gap(laps=1)
    assert str(result.rows[2].gap) == "+1 Lap"
    assert result.laps_completed == 5


@pytest.mark.parametrize(
    ("end", "expected_laps"),
    [(RaceEnd.TIME, 4), (RaceEnd.TIME_PLUS_LAP, 5)],
)
def test_timed_races_end_at_the_right_leader_crossing(end: RaceEnd, expected_laps: int) -> None:
    # 5:50 of racing: leader crosses at 100, 200, 300, 400 (first crossing after 350), 500
    result = classify({"1": [100] * 8, "2": [102] * 8}, duration=350 * S, end=end)
    assert result.laps_completed == expected_laps
    assert [r.laps for r in result.rows] == [expected_laps, expected_laps]


def test_chequered_flag_shown_early_cuts_the_race_at_the_previous_leader_crossing() -> None:
    flag = [TrackStatusPeriod(TrackStatus.CHEQUERED, START + 250 * S)]
    result = classify({"1": [100] * 6, "2": [102] * 6}, laps=5, track_status=flag)
    assert result.laps_completed == 2


def test_chequered_flag_shown_late_does_not_extend_the_race() -> None:
    flag = [TrackStatusPeriod(TrackStatus.CHEQUERED, START + 600 * S)]
    result = classify({"1": [100] * 7, "2": [102] * 7}, laps=5, track_status=flag)
    assert result.laps_completed == 5


def test_red_flag_not_resumed_takes_the_order_two_laps_before() -> None:
    # red shown during lap 5 (between 400 and 500): result at the end of lap 3
    red = [TrackStatusPeriod(TrackStatus.RED, START + 450 * S)]
    result = classify({"1": [100] * 6, "2": [99, 99, 99, 110, 110, 110]}, laps=10, track_status=red)
    assert result.red_flag_countback
    assert result.laps_completed == 3
    assert result.order == ("2", "1")


def test_minimum_distance_and_statuses() -> None:
    # winner 10 laps; 90 % rounded down = 9: a car with 9 laps is classified, one with 8 is not
    lap_times = {"1": [100] * 10, "2": [100.5] * 9, "3": [101] * 8, "4": [101] * 3}
    result = classify(lap_times, laps=10)
    by_car = {r.car: r for r in result.rows}
    assert by_car["2"].status is Status.CLASSIFIED
    assert by_car["3"].status is Status.DNF  # stopped before the flag, below distance
    assert by_car["3"].position is None
    assert by_car["4"].status is Status.DNF
    assert [r.position for r in result.rows] == [1, 2, None, None]


def test_a_car_with_no_passings_did_not_start() -> None:
    session = race_session(laps=2)
    laps = build_laps(race_passings({"1": [100, 100]}), session, RULES).laps
    result = classify_race(session, laps, entries("1", "2"), RULES)
    assert result.row("2").status is Status.DNS


def test_time_penalty_resorts_only_among_cars_on_the_same_lap() -> None:
    lap_times = {"1": [100] * 5, "2": [101] * 5, "3": [102] * 5, "4": [125] * 5}
    penalty = Decision("R1", "1", DecisionKind.TIME_PENALTY, "grid", time=60 * S)
    result = classify(lap_times, laps=5, decisions=[penalty])
    # car 1 (500 + 60) drops behind 2 (505) and 3 (510) but never behind the lapped car 4
    assert result.order == ("2", "3", "1", "4")
    assert result.row("1").laps == 5
    assert result.row("1").gap == Gap(time=55 * S)
    assert result.row("1").penalty_time == 60 * S


def test_five_second_penalty_within_the_margin_keeps_the_win() -> None:
    penalty = Decision("R1", "1", DecisionKind.TIME_PENALTY, "overshot grid slot", time=5 * S)
    result = classify({"1": [100] * 5, "2": [101.4] * 5}, laps=5, decisions=[penalty])
    assert result.order == ("1", "2")
    assert result.row("2").gap == Gap(time=2 * S)
    assert "5 s time penalty" in result.row("1").penalties[0]


def test_unserved_drive_through_is_converted_served_is_not() -> None:
    late = Decision("R1", "1", DecisionKind.DRIVE_THROUGH, "speeding in pit lane")
    served = Decision("R1", "2", DecisionKind.DRIVE_THROUGH, "jump start", served=True)
    result = classify({"1": [100] * 3, "2": [100.5] * 3}, laps=3, decisions=[late, served])
    assert result.row("1").penalty_time == RuleSet(id="x").late_conversion(DecisionKind.DRIVE_THROUGH)
    assert result.row("2").penalty_time == 0


def test_lap_penalty_and_disqualification() -> None:
    decisions = [
        Decision("R1", "1", DecisionKind.LAP_PENALTY, "short cut", laps=1),
        Decision("R1", "2", DecisionKind.DISQUALIFICATION, "technical"),
    ]
    result = classify({"1": [100] * 5, "2": [101] * 5, "3": [102] * 5}, laps=5, decisions=decisions)
    assert result.order == ("3", "1", "2")
    assert result.row("1").laps == 4
    assert result.row("2").status is Status.DSQ and result.row("2").position is None


def test_best_laps_fastest_lap_laps_led_and_positions_gained() -> None:
    grid = Grid("R1", (GridSlot(1, "2", None), GridSlot(2, "1", None)))
    result = classify({"1": [99, 100, 98.5, 100], "2": [100, 99.5, 100, 100]}, laps=4, grid=grid)
    assert result.order == ("1", "2")
    assert result.fastest_lap is not None
    assert (result.fastest_lap.car, result.fastest_lap.lap, result.fastest_lap.time) == ("1", 3, 98_500_000)
    assert result.row("1").laps_led == 4
    assert result.row("1").positions_gained == 1
    assert result.row("2").positions_gained == -1


def test_deleted_laps_count_but_never_as_best() -> None:
    session = race_session(laps=3)
    laps = build_laps(race_passings({"1": [100, 90, 100]}), session, RULES).laps
    laps = tuple(lap._replace(deleted="track limits") if lap.number == 2 else lap for lap in laps)
    result = classify_race(session, laps, entries("1"), RULES)
    assert result.row("1").laps == 3
    assert result.row("1").best_lap is not None and result.row("1").best_lap.time == 100 * S


def test_neutralised_laps_follow_the_leader() -> None:
    sc = [TrackStatusPeriod(TrackStatus.SC, START + 210 * S, START + 380 * S)]
    result = classify({"1": [100] * 5, "2": [101] * 5}, laps=5, track_status=sc)
    assert result.neutralised_laps == (3, 4)


def test_leader_retiring_before_time_expires_hands_the_flag_to_the_next_leader() -> None:
    # car 1 leads, completes lap 3 at 300 s and stops; time expires at 310 s; car 2 completes its lap 3
    # at 312 s as leader on the road and takes the flag (time + 0): the race is 3 laps, not 4
    result = classify({"1": [100, 100, 100], "2": [104, 104, 104, 104]}, duration=310 * S, end=RaceEnd.TIME)
    assert result.laps_completed == 3
    assert [r.laps for r in result.rows] == [3, 3]
