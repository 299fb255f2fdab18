"""The numbers under the charts and the analysis documents: positions and gaps per lap, pace laps, box
statistics, best sectors, ideal laps and the fastest-lap sequence — from hand-made laps, then on Spa."""

from __future__ import annotations

import statistics
from itertools import pairwise

import pytest

from parcferme.demo import load_spa2017
from parcferme.engine import EventResults, classify_event
from parcferme.model import Lap, Status, TrackStatus
from parcferme.report.charts.data import (
    box_stats,
    counted_laps,
    gap_chart_data,
    gaps_per_lap,
    is_pace_lap,
    lap_chart_data,
    lap_time_samples,
    positions_per_lap,
    spread_labels,
)
from parcferme.report.pdf.analysis import (
    best_sectors_by_car,
    fastest_lap_sequence,
    ideal_laps,
    sector_rankings,
    valid_sector,
)

S = 1_000_000
START = 14 * 3600 * S


def laps_from(times: dict[str, list[float]], **flags: dict[int, dict[str, object]]) -> list[Lap]:
    """Laps from lap times in seconds per car, from a common start; `flags[car][lap]` sets Lap fields."""
    laps: list[Lap] = []
    for car, seconds in times.items():
        end = START
        for number, lap_time in enumerate(seconds, start=1):
            start, end = end, end + int(lap_time * S)
            fields = flags.get(f"c{car}", {}).get(number, {})
            laps.append(Lap(car, number, start, end, end - start, **fields))  # type: ignore[arg-type]
    return laps


# ── positions per lap ──────────────────────────────────────────────────────────────────────────────────


def test_positions_follow_the_order_of_crossing_the_line_lap_by_lap() -> None:
    # crossings: car 1 at 100, 200, 300; car 2 at 99, 201, 304; car 3 at 101, 202, 303
    laps = laps_from({"1": [100, 100, 100], "2": [99, 102, 103], "3": [101, 101, 101]})
    positions = positions_per_lap(laps)
    assert positions["2"] == ((1, 1), (2, 2), (3, 3))  # leads lap 1, then drops behind 1 and 3
    assert positions["1"] == ((1, 2), (2, 1), (3, 1))
    assert positions["3"] == ((1, 3), (2, 3), (3, 2))


def test_lap_zero_is_the_grid_renumbered_among_the_cars_that_ran() -> None:
    laps = laps_from({"1": [100], "2": [99]})
    positions = positions_per_lap(laps, grid_order=["1", "9", "2"])  # 9 did not start
    assert positions["1"][0] == (0, 1)
    assert positions["2"][0] == (0, 2)
    assert "9" not in positions


def test_a_retired_car_stops_and_the_others_close_up() -> None:
    laps = laps_from({"1": [100, 100, 100], "2": [99]})  # 2 leads lap 1, then retires
    positions = positions_per_lap(laps)
    assert positions["2"] == ((1, 1),)
    assert positions["1"] == ((1, 2), (2, 1), (3, 1))


def test_a_lapped_car_is_behind_everyone_who_completed_that_lap_before_it() -> None:
    laps = laps_from({"1": [100] * 3, "2": [150] * 2})
    positions = positions_per_lap(laps)
    assert positions["2"] == ((1, 2), (2, 2))


def test_every_lap_ranks_its_cars_one_to_n() -> None:
    laps = laps_from({"1": [100] * 4, "2": [101] * 4, "3": [99, 110, 90, 95], "4": [105, 105]})
    by_lap: dict[int, list[int]] = {}
    for points in positions_per_lap(laps).values():
        for lap, position in points:
            by_lap.setdefault(lap, []).append(position)
    assert all(sorted(p) == list(range(1, len(p) + 1)) for p in by_lap.values())


# ── gaps per lap ───────────────────────────────────────────────────────────────────────────────────────


def test_gap_is_the_difference_of_crossing_times_at_the_same_lap_count() -> None:
    laps = laps_from({"1": [100, 100], "2": [101.5, 100.25]})
    gaps = gaps_per_lap(laps)
    assert gaps["1"] == ((1, 0), (2, 0))
    assert gaps["2"] == ((1, 1_500_000), (2, 1_750_000))


def test_a_lapped_cars_gap_keeps_growing_instead_of_collapsing_to_a_lap() -> None:
    laps = laps_from({"1": [100] * 3, "2": [160] * 3})
    assert [gap for _, gap in gaps_per_lap(laps)["2"]] == [60 * S, 120 * S, 180 * S]


def test_the_leader_of_each_lap_is_whoever_completed_it_first() -> None:
    laps = laps_from({"1": [100, 105], "2": [101, 101]})
    gaps = gaps_per_lap(laps)
    assert gaps["1"][1] == (2, 3 * S)
    assert gaps["2"][1] == (2, 0)


# ── counted laps ───────────────────────────────────────────────────────────────────────────────────────


def test_the_cool_down_lap_is_not_counted() -> None:
    laps = laps_from({"1": [100, 100, 100], "2": [102, 102, 102], "3": [130, 130]})
    kept = counted_laps(laps, finish_lap=2)
    assert [(lap.car, lap.number) for lap in kept] == [
        ("1", 1),
        ("1", 2),
        ("2", 1),
        ("2", 2),
        ("3", 1),
        ("3", 2),
    ]


def test_no_finish_lap_keeps_every_lap() -> None:
    laps = laps_from({"1": [100, 100]})
    assert len(counted_laps(laps, finish_lap=0)) == 2


# ── pace laps ──────────────────────────────────────────────────────────────────────────────────────────


def test_in_out_deleted_neutralised_and_race_lap_one_are_not_pace_laps() -> None:
    base = Lap("1", 5, 0, 100 * S, 100 * S)
    assert is_pace_lap(base, race=True)
    assert not is_pace_lap(base._replace(in_pit=True), race=True)
    assert not is_pace_lap(base._replace(out_lap=True), race=True)
    assert not is_pace_lap(base._replace(deleted="track limits"), race=True)
    assert not is_pace_lap(base._replace(statuses=frozenset({TrackStatus.SC})), race=True)
    assert not is_pace_lap(base._replace(statuses=frozenset({TrackStatus.RED})), race=True)
    assert is_pace_lap(base._replace(statuses=frozenset({TrackStatus.YELLOW})), race=True)
    assert not is_pace_lap(base._replace(number=1), race=True)
    assert is_pace_lap(base._replace(number=1), race=False)


def test_laps_slower_than_107_percent_of_the_fastest_are_left_out() -> None:
    laps = laps_from({"1": [100, 100, 106.9, 107.1, 101]})
    assert lap_time_samples(laps, race=False)["1"] == (100 * S, 100 * S, 106_900_000, 101 * S)


def test_box_stats_match_numpy_style_quartiles() -> None:
    times = [100, 101, 102, 104, 107, 150]
    stats = box_stats(times)
    q1, median, q3 = statistics.quantiles(times, n=4, method="inclusive")
    assert (stats.q1, stats.median, stats.q3) == (round(q1), round(median), round(q3))
    assert stats.low == 100
    assert stats.high == 107  # 150 is beyond 1.5 IQR: the whisker stops at the last lap inside


def test_box_stats_of_one_lap_is_that_lap() -> None:
    stats = box_stats([123])
    assert (stats.low, stats.q1, stats.median, stats.q3, stats.high) == (123,) * 5
    with pytest.raises(ValueError):
        box_stats([])


# ── labels at line ends ────────────────────────────────────────────────────────────────────────────────


def test_labels_far_apart_stay_where_they_are() -> None:
    assert spread_labels([5.0, 1.0, 9.0], 1.0) == [5.0, 1.0, 9.0]


def test_crowded_labels_are_spread_around_their_mean_in_their_order() -> None:
    placed = spread_labels([10.2, 10.0, 10.1, 30.0], 1.0)
    assert placed[1] < placed[2] < placed[0]  # the order of the wanted positions is kept
    assert placed[2] - placed[1] == pytest.approx(1.0)
    assert placed[0] - placed[2] == pytest.approx(1.0)
    assert sum(placed[:3]) / 3 == pytest.approx((10.2 + 10.0 + 10.1) / 3)
    assert placed[3] == 30.0


def test_clusters_that_grow_into_each_other_merge() -> None:
    placed = sorted(spread_labels([0.0, 0.1, 1.5, 1.6], 1.0))
    assert all(b - a >= 1.0 - 1e-9 for a, b in pairwise(placed))


# ── sectors, ideal laps, fastest-lap sequence ──────────────────────────────────────────────────────────


def sectored(car: str, number: int, sectors: tuple[int, ...], **fields: object) -> Lap:
    time = sum(sectors)
    return Lap(car, number, number * 1000, number * 1000 + time, time, sectors, **fields)  # type: ignore[arg-type]


def test_pit_lane_sectors_and_deleted_laps_never_stand_as_bests() -> None:
    assert valid_sector(sectored("1", 1, (30, 40, 50), out_lap=True), 0) is None
    assert valid_sector(sectored("1", 1, (30, 40, 50), out_lap=True), 1) == 40
    assert valid_sector(sectored("1", 1, (30, 40, 50), in_pit=True), 2) is None
    assert valid_sector(sectored("1", 1, (30, 40, 50), deleted="track limits"), 1) is None


def test_ideal_lap_sums_the_best_sectors_from_different_laps() -> None:
    laps = [sectored("1", 1, (30, 41, 50)), sectored("1", 2, (31, 40, 51)), sectored("2", 1, (29, 42, 52))]
    best = best_sectors_by_car(laps)
    assert [s.time for s in best["1"] if s] == [30, 40, 50]
    assert [s.lap for s in best["1"] if s] == [1, 2, 1]
    ideal = {i.car: i for i in ideal_laps(laps, race=True)}
    assert ideal["1"].time == 120
    assert ideal["1"].best_lap == 121
    rankings = sector_rankings(laps)
    assert [s.car for s in rankings[0]] == ["2", "1"]
    assert [s.car for s in rankings[1]] == ["1", "2"]


def test_fastest_lap_sequence_lists_each_improvement_in_time_order() -> None:
    # laps end: car 1 at 105, 208, 312; car 2 at 104, 207.5, 309.5
    laps = laps_from({"1": [105, 103, 104], "2": [104, 103.5, 102]})
    steps = fastest_lap_sequence(laps, race=True)
    assert [(s.car, s.lap) for s in steps] == [("2", 1), ("2", 2), ("1", 2), ("2", 3)]
    assert [s.gain for s in steps] == [None, S // 2, S // 2, 1 * S]


def test_fastest_lap_sequence_skips_deleted_laps_and_qualifying_out_laps() -> None:
    laps = laps_from({"1": [90, 100, 99]}, c1={1: {"out_lap": True}, 3: {"deleted": "track limits"}})
    assert [s.lap for s in fastest_lap_sequence(laps, race=False)] == [2]
    assert [s.lap for s in fastest_lap_sequence(laps, race=True)] == [1]


# ── on the Spa 2017 weekend ────────────────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def spa() -> EventResults:
    return classify_event(load_spa2017())


def test_spa_race_2_lap_chart_ranks_every_lap_and_ends_in_result_order(spa: EventResults) -> None:
    outcome = spa.session("R2")
    data = lap_chart_data(outcome)
    assert data.laps == outcome.overall.laps_completed == 13
    assert data.neutralised == (2, 3)  # the safety car of lap 2
    by_lap: dict[int, list[int]] = {}
    for series in data.cars:
        for lap, position in series.points:
            by_lap.setdefault(lap, []).append(position)
    assert all(sorted(p) == list(range(1, len(p) + 1)) for p in by_lap.values())
    finishers = [s for s in data.cars if s.last_lap == data.laps]
    assert [s.car for s in sorted(finishers, key=lambda s: s.points[-1][1])] == [
        r.car for r in outcome.overall.rows if r.laps == data.laps
    ]


def test_spa_race_2_retirements_end_their_lines(spa: EventResults) -> None:
    outcome = spa.session("R2")
    data = lap_chart_data(outcome)
    dnf = {r.car for r in outcome.overall.rows if r.status is Status.DNF}
    assert {s.car for s in data.cars if s.retired} == dnf
    assert data.series("16").last_lap == 1  # Gimbert, out on lap 2 (the safety car)


def test_spa_race_1_lap_zero_is_the_grid(spa: EventResults) -> None:
    outcome = spa.session("R1")
    data = lap_chart_data(outcome)
    assert outcome.grid is not None
    assert data.series(outcome.grid.slots[0].car).points[0] == (0, 1)


def test_spa_gap_chart_leader_runs_along_zero(spa: EventResults) -> None:
    data = gap_chart_data(spa.session("R1"))
    winner = spa.session("R1").overall.rows[0].car
    assert all(gap == 0 for _, gap in data.series(winner).points)
    assert all(gap >= 0 for s in data.cars for _, gap in s.points)


def test_spa_sub_classification_chart_keeps_overall_positions(spa: EventResults) -> None:
    outcome = spa.session("R1")
    b_cars = set(outcome.results["b"].order)
    data = lap_chart_data(outcome, b_cars)
    assert {s.car for s in data.cars} == b_cars
    overall = lap_chart_data(outcome)
    assert all(s.points == overall.series(s.car).points for s in data.cars)
