"""RMonitorState: the live order rebuilt from passings, Orbits' quirks, and the hand-over to the engine."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parcferme.engine.live import LiveRace
from parcferme.formats.rmonitor import render_standings
from parcferme.formats.rmonitor_records import Record, RunInfo, format_record
from parcferme.formats.rmonitor_state import RMonitorState
from parcferme.live.rmonitor_server import LivePublisher, RMonitorServer
from parcferme.model import Gap, RuleSet, SessionKind, Status, TrackStatus
from parcferme.synthetic import generate_race

S = 1_000_000

ENTRIES = """\
$B,67,"Saturday 8 Hour"
$E,"TRACKNAME","Road America"
$C,1,"GTO"
$C,2,"GP2"
$A,"70","70",58488,"Round 3 Racing","","",1
$COMP,"70","70",1,"Round 3 Racing","","","Trim-Tex"
$A,"2","2",7031721,"Tangerine","","",1
$A,"149","149",16765537,"Forty48","","",2
$G,1,"70",,"00:00:00.000"
$G,2,"2",,"00:00:00.000"
$G,3,"149",,"00:00:00.000"
$F,9999,"08:00:00","08:58:48","00:00:00","      "
"""

START = """\
$F,9999,"07:59:59","09:00:01","00:00:01","Green "
$J,"70","00:00:00.000","00:00:55.099"
$G,1,"70",,"00:00:55.099"
$J,"2","00:00:00.000","00:00:55.119"
$G,2,"2",,"00:00:55.119"
$J,"149","00:00:00.000","00:02:01.488"
$G,3,"149",,"00:02:01.488"
$J,"70","00:02:25.077","00:03:20.176"
$G,1,"70",1,"00:03:20.176"
$J,"2","00:02:24.594","00:03:19.713"
$G,1,"2",1,"00:03:19.713"
$G,2,"70",1,"00:03:20.176"
$J,"2","00:02:24.564","00:03:19.683"
$G,1,"2",1,"00:03:19.683"
$J,"70","00:02:21.740","00:05:41.916"
$G,1,"70",2,"00:05:41.916"
$J,"70","00:02:25.077","00:03:20.176"
$SP,"70","S1","00:00:31.000"
$F,9999,"07:55:00","09:05:00","00:05:00","Yellow"
$J,"2","00:02:23.425","00:05:43.108"
$G,2,"2",2,"00:05:43.108"
$J,"149","00:02:52.476","00:04:53.964"
$G,3,"149",1,"00:04:53.964"
"""


def _state(*texts: str) -> RMonitorState:
    state = RMonitorState("test")
    state.feed_lines("".join(texts).splitlines())
    return state


def test_the_order_is_rebuilt_from_passings() -> None:
    state = _state(ENTRIES, START)
    rows = state.standings()
    assert [(r.number, r.laps) for r in rows] == [("70", 2), ("2", 2), ("149", 1)]
    leader, second, third = rows
    assert leader.total_time == 341_916_000 and leader.last_lap == 141_740_000
    assert (leader.best_lap, leader.best_lap_number) == (141_740_000, 2)
    assert second.gap == Gap(time=1_192_000) and second.interval == Gap(time=1_192_000)
    assert third.gap == Gap(laps=1) and third.class_position == 1 and third.class_gap is None
    assert [r.class_name for r in rows] == ["GTO", "GTO", "GP2"]
    assert [r.orbits_position for r in rows] == [1, 2, 3]


def test_orbits_quirks_are_counted() -> None:
    state = _state(ENTRIES, START)
    # car 2's lap 1 re-sent 30 ms faster; car 70's lap 1 re-sent long after (an old passing)
    assert state.counts["correction"] == 1 and state.counts["stale"] == 1
    assert state.cars["2"].crossings[0][1:] == [144_564_000, 199_683_000]
    assert [str(issue) for issue in state.issues] == ["test:30: unknown record $SP kept, not read"]


def test_a_bad_line_does_not_lose_the_lines_around_it() -> None:
    state = _state(ENTRIES, START.replace('$SP,"70","S1","00:00:31.000"', "garbage, it is"))
    assert [r.laps for r in state.standings()] == [2, 2, 1]
    assert [issue.line for issue in state.issues] == [30]


def test_the_flag_and_the_race_clock() -> None:
    state = _state(ENTRIES, START)
    assert state.race_start == (9 * 3600) * S
    assert [p.status for p in state.track_status()] == [TrackStatus.GREEN, TrackStatus.FCY]
    assert state.track_status()[1].start == state.race_start + 300 * S


def test_joining_mid_race_starts_from_orbits_positions() -> None:
    state = _state(
        '$G,1,"9",41,"01:40:10.000"\n$G,2,"8",41,"01:40:12.500"\n'
        '$J,"8","00:02:20.000","01:42:32.500"\n$G,1,"8",42,"01:42:32.500"\n'
        '$J,"5","00:02:30.000","01:42:40.000"\n$G,3,"5",40,"01:42:40.000"\n'
    )
    assert [(r.number, r.laps) for r in state.standings()] == [("8", 42), ("9", 41), ("5", 40)]
    assert state.cars["8"].crossings == [[42, 140 * S, 6152_500_000]]
    assert state.cars["5"].crossings == [[40, 150 * S, 6160 * S]]  # numbered when its $G arrived


def test_a_lost_passing_is_inferred_from_the_next_position() -> None:
    state = _state(ENTRIES, START, '$G,1,"149",2,"00:07:40.000"\n')
    assert state.counts["inferred"] == 1
    assert state.cars["149"].crossings[-1] == [2, 166_036_000, 460 * S]


def test_a_new_run_clears_timing_but_keeps_competitors() -> None:
    state = _state(ENTRIES, START, '$I,"00:00:00","0/0/0000"\n$B,67,"Saturday 8 Hour"\n')
    assert state.standings()[0].laps == 2  # $I and the same run: a refresh
    state.feed_line('$B,68,"Sunday race"')
    assert state.run == RunInfo(68, "Sunday race")
    assert all(r.laps == 0 and r.total_time is None for r in state.standings())
    assert state.cars["70"].additional == "Trim-Tex" and state.counts["sessions"] == 1


def test_the_engine_classifies_what_the_feed_showed() -> None:
    state = _state(ENTRIES, START)
    session = state.session()
    assert session.id == "67" and session.kind is SessionKind.RACE and session.schedule.start == 9 * 3600 * S
    assert [e.number for e in state.entries()] == ["70", "2", "149"]
    assert state.entries()[0].attribute("class") == "GTO" and state.entries()[0].transponders == ("58488",)
    laps = state.laps()
    assert [(lap.car, lap.number) for lap in laps] == [("70", 1), ("70", 2), ("2", 1), ("2", 2), ("149", 1)]
    assert TrackStatus.FCY in laps[3].statuses
    result = state.classify()
    assert result.order == ("70", "2", "149")
    assert result.row("2").gap == Gap(time=1_192_000) and result.row("149").status is Status.CLASSIFIED


def test_timed_sessions_are_recognised_by_name() -> None:
    state = _state('$B,64,"GTO/GTU Qualifying"\n')
    assert state.session().kind is SessionKind.QUALIFYING
    state.feed_line('$B,65,"Race Practice 4"')
    assert state.session().kind is SessionKind.PRACTICE


def test_a_snapshot_brings_a_new_scoreboard_to_the_same_order() -> None:
    state = _state(ENTRIES, START)
    late = RMonitorState()
    late.feed_lines(format_record(r) for r in state.snapshot())
    assert [(r.number, r.laps, r.total_time) for r in late.standings()] == [
        (r.number, r.laps, r.total_time) for r in state.standings()
    ]


def test_render_standings_is_plain_text() -> None:
    text = render_standings(_state(ENTRIES, START))
    lines = text.splitlines()
    assert lines[0].startswith("Saturday 8 Hour — Road America — Yellow — race 0:05:00")
    assert lines[1].split() == ["Pos", "No", "Class", "Laps", "Total", "Last", "Best", "Gap", "Int"]
    assert "+1 Lap" in lines[4] and "\x1b" not in text
    assert render_standings(RMonitorState()).splitlines()[0] == "RMonitor feed"


class _Recorder(RMonitorServer):
    """A server that keeps what it is asked to publish instead of sending it."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def publish(self, *items: Record | str) -> None:
        self.lines.extend(i if isinstance(i, str) else format_record(i) for i in items)


def test_parcferme_classification_published_as_rmonitor_reads_back_the_same() -> None:
    race = generate_race(6, 12 * 60 * S, seed=5, lap_time=90 * S, retirements=1)
    live = LiveRace(race.session, race.entries, RuleSet("live"))
    server = _Recorder()
    publisher = LivePublisher(server, live)
    publisher.start()
    scoreboard = RMonitorState()
    for passing in race.passings:
        if publisher.add_passing(passing) is not None:
            scoreboard.feed_lines(server.lines)
            server.lines.clear()
            running = [r for r in live.result().rows if r.laps]
            shown = scoreboard.standings()[: len(running)]
            assert [r.car for r in running] == [s.number for s in shown]
            assert [r.laps for r in running] == [s.laps for s in shown]
    assert scoreboard.counts["correction"] == scoreboard.counts["stale"] == 0
    assert not scoreboard.issues


_EVENTS = st.lists(
    st.tuples(st.sampled_from(["1", "2", "3"]), st.integers(0, 6), st.integers(0, 900), st.integers(-2, 9)),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(_EVENTS)
def test_any_record_sequence_folds_into_a_consistent_order(events: list[tuple[str, int, int, int]]) -> None:
    """Passings, corrections, re-sends, positions, refreshes and new runs in any order: the state never
    raises, ranks every car once, and hands the engine laps it can classify."""
    state = RMonitorState()
    for car, kind, seconds, n in events:
        total = f"00:{seconds // 60:02d}:{seconds % 60:02d}.000"
        lap = f"00:0{abs(n) % 4}:{(seconds * 7) % 60:02d}.000"
        line = {
            0: f'$J,"{car}","00:00:00.000","{total}"',
            1: f'$J,"{car}","{lap}","{total}"',
            2: f'$G,{abs(n)},"{car}",{n if n else ""},"{total}"',
            3: f'$H,{abs(n)},"{car}",{abs(n)},"{lap}"',
            4: '$I,"00:00:00","0/0/0000"',
            5: f'$B,{abs(n) % 2},"Run"',
            6: f'$F,9999,"01:00:00","10:00:00","{total[:8]}","{["Green", "Yellow", "Finish"][n % 3]}"',
        }[kind]
        state.feed_line(line)
    rows = state.standings()
    assert [r.position for r in rows] == list(range(1, len(rows) + 1))
    assert sorted(r.reg for r in rows) == sorted(state.cars)
    result = state.classify()
    assert sorted(r.car for r in result.rows) == sorted({car.number for car in state.cars.values()})
