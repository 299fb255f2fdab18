"""Properties of the lap builder and the race classification (DESIGN.md, "Tests and benchmarks").

Races are small and examples few (see strategies.py): the whole file runs in a few seconds.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import LapTable, S, generated_races, lap_tables

from parcferme.engine import build_laps, classify_race, reclassify
from parcferme.model import Decision, DecisionKind, Lap, RuleSet, SessionResult, Status
from parcferme.synthetic import SyntheticRace

RULES = RuleSet(id="properties")
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
races = generated_races() | lap_tables()


def _fields(lap: Lap) -> tuple[object, ...]:
    return (lap.car, lap.number, lap.start, lap.end, lap.time, lap.sectors, lap.in_pit, lap.out_lap)


def _classify(race: SyntheticRace | LapTable, decisions: tuple[Decision, ...] = ()) -> SessionResult:
    built = build_laps(race.passings, race.session, RULES)
    return classify_race(race.session, built.laps, race.entries, RULES, decisions)


def _check_positions(result: SessionResult) -> None:
    positions = [r.position for r in result.rows if r.position is not None]
    assert positions == list(range(1, len(positions) + 1))
    assert all((r.position is not None) == (r.status is Status.CLASSIFIED) for r in result.rows)


@FAST
@given(races)
def test_rebuilding_laps_from_passings_gives_back_the_laps(race: SyntheticRace | LapTable) -> None:
    built = build_laps(race.passings, race.session, RULES)
    assert built.warnings == ()
    assert sorted(map(_fields, built.laps)) == sorted(map(_fields, race.laps))


@FAST
@given(races)
def test_positions_are_a_permutation_of_the_classified_rows(race: SyntheticRace | LapTable) -> None:
    result = _classify(race)
    assert sorted(r.car for r in result.rows) == sorted(e.number for e in race.entries)
    _check_positions(result)


@FAST
@given(races)
def test_a_car_with_more_laps_is_never_behind_one_with_fewer(race: SyntheticRace | LapTable) -> None:
    # default rules (no must_take_flag, no disqualification): status order follows laps
    laps = [r.laps for r in _classify(race).rows]
    assert laps == sorted(laps, reverse=True)


@FAST
@given(races, st.data())
def test_a_time_penalty_moves_a_car_only_among_cars_on_its_lap(
    race: SyntheticRace | LapTable, data: st.DataObject
) -> None:
    car = data.draw(st.sampled_from([e.number for e in race.entries]), label="car")
    penalty = data.draw(st.integers(1, 600 * S), label="penalty")
    decision = Decision(race.session.id, car, DecisionKind.TIME_PENALTY, reason="test", time=penalty)
    before, after = _classify(race), _classify(race, (decision,))

    # laps completed and statuses never change
    assert {r.car: (r.laps, r.status) for r in before.rows} == {r.car: (r.laps, r.status) for r in after.rows}
    _check_positions(after)

    # every other car keeps its relative order
    assert [c for c in before.order if c != car] == [c for c in after.order if c != car]

    # the penalised car only drops back, and only past cars on its lap
    ahead_before = set(before.order[: before.order.index(car)])
    ahead_after = set(after.order[: after.order.index(car)])
    assert ahead_before <= ahead_after
    own_laps = before.row(car).laps
    assert all(before.row(c).laps == own_laps for c in ahead_after - ahead_before)

    # positions change only for the cars on the penalised car's lap
    for row in after.rows:
        if row.laps != own_laps:
            assert row.position == before.row(row.car).position


@FAST
@given(generated_races())
def test_a_sub_classification_keeps_the_overall_order(race: SyntheticRace) -> None:
    overall = _classify(race)
    for classification in race.classifications:
        sub = reclassify(overall, race.entries, classification)
        admitted = {e.number for e in race.entries if classification.admits(e)}
        assert sub.order == tuple(c for c in overall.order if c in admitted)
        _check_positions(sub)
