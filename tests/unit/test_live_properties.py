"""The live classification equals the batch one after every passing (DESIGN.md, "Tests and benchmarks").

Batch: build_laps over the passings so far, lap deletions, classify_race. Live: engine.live.LiveRace fed
one passing at a time. Races are small (up to 4 cars, a handful of laps) so each example, which classifies
the race in batch once per passing, stays in the milliseconds.
"""

from __future__ import annotations

from random import Random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import LapTable, S, generated_races, lap_tables

from parcferme.engine import build_laps, classify_race, delete_laps
from parcferme.engine.live import LiveRace, replay_passings
from parcferme.errors import RuleError
from parcferme.model import (
    Decision,
    DecisionKind,
    Lap,
    RuleSet,
    Session,
    SessionKind,
    SessionResult,
    TrackStatus,
    TrackStatusPeriod,
)
from parcferme.synthetic import SyntheticRace, generate_race

RULES = RuleSet(id="live")
FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
races = generated_races(max_cars=4) | lap_tables(max_cars=4)


def _batch(
    race: SyntheticRace | LapTable,
    upto: int,
    track: tuple[TrackStatusPeriod, ...] = (),
    decisions: tuple[Decision, ...] = (),
    rules: RuleSet = RULES,
) -> SessionResult:
    built = build_laps(race.passings[:upto], race.session, rules, track)
    laps = delete_laps(built.laps, decisions)
    return classify_race(race.session, laps, race.entries, rules, decisions, track_status=track)


@st.composite
def track_statuses(draw: st.DrawFn, race: SyntheticRace | LapTable) -> tuple[TrackStatusPeriod, ...]:
    """0–2 periods over the race: yellows, safety cars, an early chequered flag or a red flag."""
    start = race.session.schedule.start
    end = max((p.time for p in race.passings), default=start) + S
    periods = []
    for _ in range(draw(st.integers(0, 2))):
        status = draw(
            st.sampled_from([TrackStatus.FCY, TrackStatus.SC, TrackStatus.CHEQUERED, TrackStatus.RED])
        )
        begin = draw(st.integers(start, end))
        stop = draw(st.none() | st.integers(begin + 1, end + S))
        periods.append(TrackStatusPeriod(status, begin, stop))
    return tuple(periods)


@st.composite
def decisions_for(draw: st.DrawFn, race: SyntheticRace | LapTable) -> tuple[Decision, ...]:
    cars = [e.number for e in race.entries]
    out = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(
            st.sampled_from(
                [
                    DecisionKind.TIME_PENALTY,
                    DecisionKind.DELETE_LAP,
                    DecisionKind.DISQUALIFICATION,
                    DecisionKind.LAP_PENALTY,
                ]
            )
        )
        out.append(
            Decision(
                session=race.session.id,
                car=draw(st.sampled_from(cars)),
                kind=kind,
                time=draw(st.integers(1, 30)) * S if kind is DecisionKind.TIME_PENALTY else 0,
                laps=1 if kind is DecisionKind.LAP_PENALTY else 0,
                lap=draw(st.integers(1, 4)) if kind is DecisionKind.DELETE_LAP else None,
                reason="property",
            )
        )
    return tuple(out)


@FAST
@given(races)
def test_live_equals_batch_after_every_passing(race: SyntheticRace | LapTable) -> None:
    live = LiveRace(race.session, race.entries, RULES)
    for k, passing in enumerate(race.passings, 1):
        live.add_passing(passing)
        assert live.result() == _batch(race, k), f"after passing {k}: {passing}"


@FAST
@given(st.data())
def test_live_equals_batch_with_flags_and_decisions(data: st.DataObject) -> None:
    race = data.draw(races)
    track = data.draw(track_statuses(race))
    decisions = data.draw(decisions_for(race))
    live = LiveRace(race.session, race.entries, RULES, track_status=track, decisions=decisions)
    for k, passing in enumerate(race.passings, 1):
        live.add_passing(passing)
        assert live.result() == _batch(race, k, track, decisions), f"after passing {k}: {passing}"


@FAST
@given(races)
def test_live_fed_laps_equals_batch_on_the_same_laps(race: SyntheticRace | LapTable) -> None:
    laps = sorted(build_laps(race.passings, race.session, RULES).laps, key=lambda lap: lap.end)
    live = LiveRace(race.session, race.entries, RULES)
    for k, lap in enumerate(laps, 1):
        live.add_lap(lap)
        assert live.result() == classify_race(race.session, laps[:k], race.entries, RULES)


@FAST
@given(races, st.randoms(use_true_random=False))
def test_laps_arriving_late_still_classify_like_batch(race: SyntheticRace | LapTable, rnd: Random) -> None:
    """Each car's laps in order, but cars interleaved at random: a lap may end before laps already fed."""
    per_car: dict[str, list[Lap]] = {}
    for lap in build_laps(race.passings, race.session, RULES).laps:
        per_car.setdefault(lap.car, []).append(lap)
    turns = [car for car, laps in per_car.items() for _ in laps]
    rnd.shuffle(turns)
    queues = {car: iter(laps) for car, laps in per_car.items()}
    laps = [next(queues[car]) for car in turns]
    live = LiveRace(race.session, race.entries, RULES)
    for k, lap in enumerate(laps, 1):
        live.add_lap(lap)
        assert live.result() == classify_race(race.session, laps[:k], race.entries, RULES)


def test_laps_out_of_sequence_are_sorted_by_number() -> None:
    race = generate_race(3, 6 * 60 * S, seed=11, lap_time=60 * S)
    laps = build_laps(race.passings, race.session, RULES).laps
    live = LiveRace(race.session, race.entries, RULES)
    for lap in reversed(laps):  # every car's laps last to first
        live.add_lap(lap)
    assert live.result() == classify_race(race.session, laps, race.entries, RULES)


def test_warnings_match_the_lap_builder() -> None:
    race = generate_race(3, 5 * 60 * S, seed=7, lap_time=60 * S)
    noisy = list(race.passings)
    noisy.insert(5, noisy[4]._replace(time=noisy[4].time + 10))  # a duplicate
    noisy.insert(0, noisy[0]._replace(time=race.session.schedule.start - S))  # before the start
    noisy.sort(key=lambda p: p.time)
    live = LiveRace(race.session, race.entries, RULES)
    replay_passings(live, noisy)
    batch = build_laps(noisy, race.session, RULES)
    assert sorted(w.kind for w in live.warnings) == sorted(w.kind for w in batch.warnings)
    assert live.laps() == batch.laps


def test_a_late_flag_reannotates_laps() -> None:
    race = generate_race(3, 5 * 60 * S, seed=3, lap_time=60 * S)
    start = race.session.schedule.start
    live = LiveRace(race.session, race.entries, RULES)
    replay_passings(live, race.passings)
    sc = (TrackStatusPeriod(TrackStatus.SC, start + 60 * S, start + 130 * S),)
    live.set_track_status(sc)
    built = build_laps(race.passings, race.session, RULES, sc)
    assert live.laps() == built.laps
    assert live.result() == classify_race(race.session, built.laps, race.entries, RULES, track_status=sc)
    assert live.result().neutralised_laps


def test_a_live_result_is_cached_until_the_next_lap() -> None:
    race = generate_race(2, 3 * 60 * S, seed=1, lap_time=60 * S)
    live = LiveRace(race.session, race.entries, RULES)
    replay_passings(live, race.passings[:3])
    assert live.result() is live.result()
    first: Lap | None = None
    for passing in race.passings[3:]:
        first = first or live.add_passing(passing)
    assert first is not None and live.last_lap(first.car) is not None


def test_only_races_are_classified_live() -> None:
    race = generate_race(2, 60 * S, seed=1)
    practice = Session("P1", SessionKind.PRACTICE, "Practice", race.session.schedule)
    try:
        LiveRace(practice, race.entries, RULES)
    except RuleError as exc:
        assert "races" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("a practice session was accepted")
