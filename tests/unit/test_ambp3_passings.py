"""P3 passings → model passings: decoder clock to time of day, transponder to car, decoder to line."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from scenario import RULES, START, S, race_session

from parcferme.engine import build_laps
from parcferme.formats.ambp3 import (
    P3Passing,
    P3Status,
    PassingResolver,
    decode_p3,
    encode_record,
    midnight_epoch_us,
    to_passings,
)
from parcferme.model import SF, Passing

DAY = dt.date(2017, 5, 6)  # the date of scenario.race_session
MIDNIGHT = 1_494_028_800_000_000  # 2017-05-06T00:00:00Z in µs since the epoch


def p3(number: int, transponder: int, time_of_day: int, decoder: int = 4001) -> P3Passing:
    return P3Passing(number, transponder, MIDNIGHT + time_of_day, 100, 40, 0, decoder)


def test_midnight_in_utc_and_in_a_local_zone() -> None:
    assert midnight_epoch_us(DAY) == MIDNIGHT
    paris = ZoneInfo("Europe/Paris")  # UTC+2 in May
    assert midnight_epoch_us(DAY, paris) == MIDNIGHT - 2 * 3600 * S


def test_decoder_clock_becomes_time_of_day_and_transponder_a_car() -> None:
    resolver = PassingResolver(DAY, {"2906141": "7"})
    assert resolver.resolve(p3(113736, 2906141, START + 5 * S)) == Passing(
        START + 5 * S, SF, "7", "2906141", 113736
    )


def test_a_local_timezone_shifts_the_time_of_day() -> None:
    resolver = PassingResolver(DAY, None, tz=ZoneInfo("Europe/Paris"))
    passing = resolver.resolve(p3(1, 55, 12 * 3600 * S))
    assert passing is not None and passing.time == 14 * 3600 * S and passing.car == "55"


def test_times_after_midnight_keep_counting_for_a_race_across_it() -> None:
    resolver = PassingResolver(DAY)
    passing = resolver.resolve(p3(1, 55, 25 * 3600 * S))
    assert passing is not None and passing.time == 25 * 3600 * S


def test_unknown_transponders_duplicates_and_incomplete_passings_are_set_aside_and_counted() -> None:
    resolver = PassingResolver(DAY, {"11": "1"})
    records = [
        p3(1, 11, START + S),
        p3(1, 11, START + S),  # the same passing resent
        p3(2, 99, START + 2 * S),  # nobody's transponder
        P3Passing(3, None, MIDNIGHT + START),  # no transponder
        P3Passing(4, 11, None),  # no time
        P3Status(noise=3),  # not a passing at all
    ]
    assert to_passings(records, resolver) == (Passing(START + S, SF, "1", "11", 1),)
    assert resolver.duplicates == 1
    assert resolver.unknown_transponders == {"99": 1}
    assert resolver.incomplete == 2


def test_a_passing_number_reused_after_a_decoder_restart_is_not_a_duplicate() -> None:
    resolver = PassingResolver(DAY)
    first = resolver.resolve(p3(1, 11, START + S))
    again = resolver.resolve(p3(1, 11, START + 90 * S))
    assert first is not None and again is not None and resolver.duplicates == 0


def test_decoder_ids_map_to_lines() -> None:
    resolver = PassingResolver(DAY, lines={4001: SF, 4002: "S1"})
    got = to_passings(
        [p3(1, 11, START + S, 4002), p3(1, 11, START + 2 * S, 4001), p3(1, 11, START, 9)], resolver
    )
    assert [(p.line, p.time) for p in got] == [("S1", START + S), (SF, START + 2 * S)]
    assert resolver.unknown_decoders == {9: 1}


def test_decoded_passings_feed_the_lap_builder() -> None:
    session = race_session(laps=3)
    laps = {"7": [100, 101, 99], "12": [102, 100, 100]}
    records = []
    number = 0
    for car, transponder in (("7", 7007), ("12", 1212)):
        t = START
        for seconds in laps[car]:
            t += seconds * S
            number += 1
            records.append(p3(number, transponder, t))
    data = b"".join(encode_record(r) for r in sorted(records, key=lambda r: r.rtc_time or 0))
    passings = to_passings(decode_p3(data).records, PassingResolver(DAY, {"7007": "7", "1212": "12"}))
    built = build_laps(passings, session, RULES)
    assert built.warnings == ()
    assert {car: [lap.time // S for lap in built.laps if lap.car == car] for car in laps} == laps
