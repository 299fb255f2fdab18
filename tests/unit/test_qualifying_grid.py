from types import MappingProxyType

from scenario import RULES, START, S, entries, qualifying_session

from parcferme.engine import build_grid, classify_timed, reclassify
from parcferme.model import (
    Classification,
    Decision,
    DecisionKind,
    Entry,
    GridRule,
    GridSource,
    Lap,
    SessionKind,
    Status,
)


def lap(car: str, number: int, seconds: float, end: float, deleted: str = "") -> Lap:
    time = round(seconds * S)
    return Lap(car, number, START + round(end * S) - time, START + round(end * S), time, deleted=deleted)


def qualifying():  # type: ignore[no-untyped-def]
    laps = [
        lap("1", 1, 143.0, 300),
        lap("1", 2, 142.773, 450),
        lap("2", 1, 142.900, 290),
        lap("2", 2, 142.773, 500),  # same time as car 1, set later: behind
        lap("3", 1, 141.0, 280, deleted="track limits"),
        lap("3", 2, 143.5, 430),
        lap("4", 1, 144.0, 300),  # only one valid lap
    ]
    return classify_timed(qualifying_session(), laps, entries("1", "2", "3", "4", "5"), RULES)


def test_qualifying_best_valid_lap_ties_to_the_first_to_set_it() -> None:
    result = qualifying()
    assert result.order == ("1", "2", "3", "4", "5")
    assert result.row("3").time == 143_500_000  # deleted 2:21.000 ignored
    assert result.row("5").status is Status.DNS and result.row("5").position is None
    assert str(result.row("2").gap) == "+0.000"
    assert result.fastest_lap is not None and result.fastest_lap.time == 142_773_000


def test_grid_from_best_and_second_best_lap() -> None:
    result = qualifying()
    cars = entries("1", "2", "3", "4", "5")
    best = build_grid("R1", GridRule("Q1"), result, cars)
    assert [s.car for s in best.slots] == ["1", "2", "3", "4", "5"]
    assert best.slots[-1].note == "no time"
    second = build_grid("R2", GridRule("Q1", GridSource.SECOND_BEST), result, cars)
    # second-best laps: 2 → 142.900, 1 → 143.000; car 3 has one valid lap, like car 4
    assert [s.car for s in second.slots] == ["2", "1", "3", "4", "5"]


def test_grid_drop_and_pit_lane_start() -> None:
    result = qualifying()
    cars = entries("1", "2", "3", "4", "5")
    decisions = [
        Decision("R1", "1", DecisionKind.GRID_DROP, "gearbox", places=2),
        Decision("R1", "2", DecisionKind.PIT_LANE_START, "set-up change in parc fermé"),
    ]
    grid = build_grid("R1", GridRule("Q1"), result, cars, decisions)
    assert [s.car for s in grid.slots] == ["3", "4", "1", "5", "2"]
    assert grid.slots[-1].pit_lane and grid.position_of("2") is None
    assert grid.position_of("1") == 3


def test_qualifying_disqualification() -> None:
    laps = [lap("1", 1, 140, 300), lap("2", 1, 141, 300)]
    dsq = Decision("Q1", "1", DecisionKind.DISQUALIFICATION, "ride height")
    result = classify_timed(qualifying_session(), laps, entries("1", "2"), RULES, [dsq])
    assert result.order == ("2", "1")
    assert result.row("1").status is Status.DSQ


def test_sub_classification_reranks_and_takes_pole_among_eligible_entries() -> None:
    cars = (
        Entry("1", entries("1")[0].drivers, attributes=MappingProxyType({"championships": ("FR",)})),
        Entry("2", entries("2")[0].drivers, attributes=MappingProxyType({"championships": ("BNL",)})),
        Entry("3", entries("3")[0].drivers, attributes=MappingProxyType({"championships": ("FR", "BNL")})),
    )
    laps = [lap("2", 1, 140, 300), lap("3", 1, 141, 300), lap("1", 1, 142, 300)]
    overall = classify_timed(qualifying_session(), laps, cars, RULES)
    french = Classification("fr", require=MappingProxyType({"championships": "FR"}))
    result = reclassify(overall, cars, french, SessionKind.QUALIFYING)
    assert result.order == ("3", "1")
    assert [r.position for r in result.rows] == [1, 2]
    assert [r.overall_position for r in result.rows] == [2, 3]
    assert result.rows[0].gap is None and str(result.rows[1].gap) == "+1.000"
    assert result.fastest_lap is not None and result.fastest_lap.car == "3"


def test_out_laps_are_not_timed_laps() -> None:
    laps = [lap("1", 1, 150, 160)._replace(out_lap=True), lap("1", 2, 143, 303)]
    result = classify_timed(qualifying_session(), laps, entries("1"), RULES)
    assert result.row("1").time == 143 * S
    assert result.row("1").second_best is None
