"""The sim readers on real game-server files (../shared/data/simresults, ISC), read where they lie.

For every file, parcferme's engine rebuilds each session's classification from the file's laps and it must
equal the game server's own, or differ only for the reasons docs/sim-results.md lists for that file (the
table there and `OUTCOMES` here are checked against each other). Then every value of EXPECTED.md that
parcferme represents, and fuzzing on damaged real files.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcferme.engine import EventResults, classify_event, reclassify
from parcferme.errors import InputError, ParcFermeError
from parcferme.formats.sims import ServerStatus, SimResult, parse_sim_result, read_sim_result
from parcferme.formats.sims.compare import reconcile
from parcferme.model import Classification, Lap, Status
from parcferme.rules import load_rule_set

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "simresults"
DOC = ROOT / "docs" / "sim-results.md"
S = 1_000_000

pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"sim result files not found at {DATA}")

MATCH: tuple[str, ...] = ()
# file → {session: reasons it needs}, or the field (or message) of the InputError that refuses it
OUTCOMES: dict[str, dict[str, tuple[str, ...]] | str] = {
    "ac/2015_10_17_9_30_QUALIFY.json": {"Q": ("unranked-order",)},
    "ac/2015_10_17_9_49_RACE.json": {"R": MATCH},
    "ac/duplicate.result.info.for.miguel.json": {"R": MATCH},
    "ac/no.ballastkg.json": {"R": MATCH},
    "ac/race.changed.with.null.events.json": {"R": MATCH},
    "ac/tyre.info.json": {"R": MATCH},
    "acc/190924_194407_Q.json": {"Q": MATCH},
    "acc/191003_224358_FP.json": {"P": MATCH},
    "acc/191003_225901_Q.json": {"Q": MATCH},
    "acc/191003_235558_R.json": {"R": MATCH},
    "acc/cuts.with.no.penalty.json": {"P": MATCH},
    "acc/laps.with.unknown.carid.json": {"Q": MATCH},
    "acc/no.laps.json": {"R": ("missing-laps",)},
    "acc/numeric.session.type.json": {"Q2": MATCH},
    "acc/race.to.fix.positions.json": {"R": MATCH},
    "acc/race.with.missing.carId.attribute.json": "sessionResult.leaderBoardLines[0].car.carId",
    "acc/race.with.missing.carModel.attribute.json": {"R": MATCH},
    "acc/race.with.missing.driver.teamName.attribute.json": {"R": MATCH},
    "acc/race.without.leaderBoardLines,attribute.json": "sessionResult.leaderBoardLines",
    "iracing/iracing-result-36788868.json": {"P": MATCH, "Q": MATCH, "R": ("missing-laps",)},
    "rf2/multiple.qualy.xml": {"Q3": MATCH},
    "rf2/nosession.xml": "no session in the file",
    "rf2/practice.xml": {"P1": MATCH},
    "rf2/practice_changed_as_warmup.xml": {"P": MATCH},
    "rf2/practice_with_compound_info.xml": {"P1": MATCH},
    "rf2/practice_without_laps.xml": {"P1": MATCH},
    "rf2/qualify.xml": {"Q": MATCH},
    "rf2/qualify_with_corrupted_positions.xml": {"Q": ("no-server-position",)},
    "rf2/qualify_with_invalid_chars.xml": {"Q": MATCH},
    "rf2/race.xml": {"R": MATCH},
    "rf2/race_changed_finish_states.xml": {"R": ("dsq-last",)},
    "rf2/race_changed_human_state.xml": {"R": MATCH},
    "rf2/race_with_amp_chars_in_vehicle.xml": {"R": MATCH},
    "rf2/race_with_corrupted_lap_positions.xml": {"R": ("missing-laps",)},
    "rf2/race_with_corrupted_lap_positions2.xml": {"R": ("missing-laps",)},
    "rf2/race_with_corrupted_positions.xml": {"R": ("server-inconsistent",)},
    "rf2/race_with_corrupted_positions_added_DQ_driver.xml": {"R": ("missing-laps", "server-inconsistent")},
    "rf2/race_with_corrupted_positions_changed_as_qualify.xml": {"Q": ("server-inconsistent",)},
    "rf2/race_with_corrupted_positions_changed_as_qualify_and_removed_best_lap_for_position_2_driver.xml": {
        "Q": MATCH
    },
}
# how far parcferme's race time may be from the server's, per game (docs/sim-results.md, "Race times")
TIME_TOLERANCE = {"acc": 0, "rf2": 100, "ac": 100_000, "iracing": 0}


def sim_files() -> list[str]:
    if not DATA.is_dir():
        return []
    return sorted(
        str(p.relative_to(DATA)) for p in DATA.glob("*/*") if p.is_file() and p.suffix in (".json", ".xml")
    )


def read(name: str) -> tuple[SimResult, EventResults]:
    sim = read_sim_result(DATA / name)
    return sim, classify_event(sim.event)


def test_every_file_has_a_documented_outcome() -> None:
    assert sim_files() == sorted(OUTCOMES)


def test_the_documentation_lists_the_same_outcomes() -> None:
    section = DOC.read_text("utf-8").split("### Every real file", 1)[1]
    rows = re.findall(r"^\| `([^`]+)` \| ([^|]+) \| ([^|]+) \|$", section, re.MULTILINE)
    documented: dict[str, dict[str, tuple[str, ...]] | str] = {}
    for name, session, outcome in rows:
        session, outcome = session.strip(), outcome.strip()
        if outcome.startswith("refused"):
            documented[name] = "refused"
            continue
        reasons = () if outcome == "match" else tuple(r.strip() for r in outcome.split(","))
        entry = documented.setdefault(name, {})
        assert isinstance(entry, dict)
        entry[session] = reasons
    expected = {k: ("refused" if isinstance(v, str) else v) for k, v in OUTCOMES.items()}
    assert documented == expected


@pytest.mark.parametrize("name", sorted(OUTCOMES))
def test_engine_against_the_server(name: str) -> None:
    expected = OUTCOMES[name]
    if isinstance(expected, str):
        with pytest.raises(InputError) as caught:
            read_sim_result(DATA / name)
        assert caught.value.field == expected or expected in caught.value.message
        return
    sim, results = read(name)
    checks = {}
    for outcome, server in zip(results.sessions, sim.servers, strict=True):
        check = reconcile(outcome.overall, server, outcome.laps, outcome.session.is_race)
        assert check.agreed, check.differences
        checks[outcome.session.id] = tuple(r.value for r in check.reasons)
    assert checks == expected


@pytest.mark.parametrize("name", [n for n, v in sorted(OUTCOMES.items()) if isinstance(v, dict)])
def test_race_times_agree_with_the_server(name: str) -> None:
    sim, results = read(name)
    tolerance = TIME_TOLERANCE[sim.game.value]
    for outcome, server in zip(results.sessions, sim.servers, strict=True):
        if not outcome.session.is_race:
            continue
        for row in outcome.overall.rows:
            theirs = server.row(row.car)
            if row.time is None or theirs.time is None or row.status is not Status.CLASSIFIED:
                continue
            if theirs.laps is None or theirs.laps == row.laps:
                assert abs(row.time - theirs.time) <= tolerance, (row.car, row.time, theirs.time)


def lap_position(laps: tuple[Lap, ...], car: str, number: int) -> int:
    """A car's place at the end of lap `number`: cars that completed that lap earlier are ahead."""
    ends = sorted((lap.end, lap.car) for lap in laps if lap.number == number)
    return [c for _, c in ends].index(car) + 1


# -- EXPECTED.md: Assetto Corsa Competizione ---------------------------------------------------------------


def test_acc_race() -> None:
    sim, results = read("acc/191003_235558_R.json")
    event, outcome = sim.event, results.sessions[0]
    assert outcome.session.name == "Race" and outcome.session.is_race
    assert event.circuit.name == "brands_hatch"
    assert event.name == "Simresults ServerName 7 of 10 (Practice 90' RACE Sept-27th)"
    assert sim.server("R").info["wet"] == "yes"
    assert outcome.overall.laps_completed == 23
    assert sim.server_order == ("82", "107", "17")
    first = event.entry("82")
    assert (first.driver.name, first.car) == ("Andrea Mel", "Mercedes AMG GT3")
    assert (first.attribute("class"), first.attribute("cup")) == ("GT3", "Overall")
    assert event.entry("107").attribute("cup") == "Pro-Am"
    assert (event.entry("17").driver.name, event.entry("17").team) == ("Federico Siv", "TEAMname")
    row = outcome.overall.row("82")
    assert (row.status, row.laps, row.time) == (Status.CLASSIFIED, 23, 2_329_129 * 1000)
    gt3 = Classification("gt3", require=MappingProxyType({"class": "GT3"}))
    by_class = reclassify(outcome.overall, event.entries, gt3)
    assert [(r.car, r.position) for r in by_class.rows] == [("82", 1), ("107", 2), ("17", 3)]
    laps = outcome.laps
    leader_lap_2 = next(lap for lap in laps if lap.car == "82" and lap.number == 2)
    assert leader_lap_2.time == 336_123 * 1000
    assert lap_position(laps, "82", 2) == 1
    assert lap_position(laps, "17", 2) == 2


def test_acc_race_to_fix_positions() -> None:
    sim, results = read("acc/race.to.fix.positions.json")
    rows = results.sessions[0].overall.rows
    assert sim.event.entry(rows[5].car).driver.first_name == "Kevin"
    # sim-default classifies every car that covered a lap, in the server's positions
    server = sim.server("R")
    assert all(r.position == server.row(r.car).position for r in rows if r.laps > 0)
    # under the FIA's 90 % rule the order is the same, but the 11 cars under 27 laps lose their positions
    fia = classify_event(replace(sim.event, rules=load_rule_set("fia-default"))).sessions[0].overall
    assert fia.order == results.sessions[0].overall.order
    assert sum(1 for r in fia.rows if r.laps > 0 and r.position is None) == 11


# -- EXPECTED.md: Assetto Corsa --------------------------------------------------------------------------


def test_ac_race() -> None:
    sim, results = read("ac/2015_10_17_9_49_RACE.json")
    outcome = results.sessions[0]
    assert outcome.overall.laps_completed == 10
    winner = sim.event.entry(outcome.overall.rows[0].car)
    assert (winner.driver.name, winner.car, winner.team) == ("Andrea Sorlini", "lotus_exos_125", "TEST TEAM")
    assert winner.attribute("ballast_kg") == "20" and winner.attribute("restrictor") == "15"
    assert winner.attribute("player_id") == ("76561198213775428",)
    assert sim.server("R").row(winner.number).time == 1_003_035 * 1000
    assert outcome.overall.rows[0].laps == 10 and outcome.overall.rows[0].status is Status.CLASSIFIED
    laps = [lap for lap in outcome.laps if lap.car == winner.number]
    assert laps[0].time == 104_357 * 1000
    assert laps[0].sectors == (38_437 * 1000, 34_564 * 1000, 31_356 * 1000)
    assert laps[1].time == 100_735 * 1000
    assert lap_position(outcome.laps, winner.number, 1) == 1
    assert lap_position(outcome.laps, winner.number, 2) == 1
    last = sim.server("R").rows[-1]
    assert last.time is None and last.status is ServerStatus.DNS  # EXPECTED's "DNF, total 0"


# -- EXPECTED.md: rFactor 2 ------------------------------------------------------------------------------


def test_rf2_race() -> None:
    sim, results = read("rf2/race.xml")
    outcome = results.sessions[0]
    assert outcome.overall.laps_completed == 10
    top = [
        (r.position, r.grid, r.car.split("~")[0], sim.event.entry(r.car).team, sim.event.entry(r.car).car)
        for r in sim.server("R").rows
    ]
    assert top == [
        (1, 3, "31", "jl lafosse", "Lola T280 JL Lafosse"),
        (2, 1, "01", "Ecurie Bonnier", "Lola T280 le mans 1972"),
        (3, 5, "01", "Ecurie Bonnier", "Lola T280 1000 Kms Paris"),
        (4, 2, "01", "Noritake Takahara", "Lola T280 Fudji 1972"),
        (5, 4, "31", "scuderia filipinetti", "Lola T280 Tanaka 1972"),
    ]
    assert all(r.status is ServerStatus.FINISHED for r in sim.server("R").rows)
    assert [r.pit_stops for r in sim.server("R").rows] == [0, 1, 1, 0, 0]
    first = next(lap for lap in outcome.laps if lap.car == "31" and lap.number == 1)
    clock = outcome.session.schedule.start - 40_706_700  # the session clock's zero: TimeString
    assert (first.time, first.start - clock) == (130_751_700, 40_706_700)
    assert first.sectors == (53_231_200, 32_299_000, 45_221_500)
    assert lap_position(outcome.laps, "31", 1) == 1
    assert sim.event.entry("01").name == "Gérard larrousse"  # Latin-1 in a file that says UTF-8


def drivers_in_order(name: str) -> list[str]:
    sim, results = read(name)
    return [sim.event.entry(r.car).name for r in results.sessions[0].overall.rows]


def test_rf2_corrupted_positions_are_repaired_by_the_engine() -> None:
    order = drivers_in_order("rf2/race_with_corrupted_positions_added_DQ_driver.xml")
    assert order[:4] == ["mauserrifle", "Leonardo Saponti", "Tig_green", "Malek1th"]
    order = drivers_in_order("rf2/qualify_with_corrupted_positions.xml")
    assert order[:4] == ["Capeta", "lemming77", "Coutie", "CoNa"]


def test_rf2_finish_states() -> None:
    sim, _ = read("rf2/race_changed_finish_states.xml")
    states = {sim.event.entry(r.car).name: r.status for r in sim.server("R").rows}
    assert states == {
        "Malek1th": ServerStatus.FINISHED,
        "Jo Bonnier": ServerStatus.DSQ,
        "Gérard larrousse": ServerStatus.FINISHED,
        "Tig_green": ServerStatus.DNF,
        "mauserrifle": ServerStatus.DNF,
    }
    assert [r.status for r in sim.server("R").rows][:2] == [ServerStatus.FINISHED, ServerStatus.DSQ]
    assert sim.server("R").rows[-1].status is ServerStatus.DNF


# -- EXPECTED.md: iRacing --------------------------------------------------------------------------------


def test_iracing() -> None:
    sim, _ = read("iracing/iracing-result-36788868.json")
    names = [d.session.name for d in sim.event.sessions]
    assert names == ["Open Practice", "Open Qualifying", "Race"]
    schedule = sim.event.sessions[0].session.schedule
    assert (str(schedule.date), schedule.start) == ("2021-01-08", (19 * 3600 + 12) * S)
    race = sim.server("R")
    assert len(race.rows) == 17
    first = race.rows[0]
    entry = sim.event.entry(first.car)
    assert (entry.driver.name, entry.car, entry.number, entry.team) == (
        "Dave N",
        "Porsche 911 GT3 Cup",
        "8",
        "UK and I",
    )
    assert (first.grid, first.position, first.class_position, first.laps) == (1, 1, 1, 5)
    assert first.status is ServerStatus.FINISHED


# -- damaged real files --------------------------------------------------------------------------------

SAMPLES = [
    "acc/191003_235558_R.json",
    "ac/no.ballastkg.json",
    "rf2/race.xml",
    "iracing/iracing-result-36788868.json",
]


@pytest.mark.parametrize("name", SAMPLES)
def test_damaged_real_files_raise_only_parcferme_errors(name: str) -> None:
    original = (DATA / name).read_bytes()

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        at=st.integers(0, len(original) - 1),
        action=st.sampled_from(["flip", "cut", "insert", "truncate"]),
        payload=st.binary(min_size=1, max_size=6),
        bit=st.integers(0, 7),
    )
    def run(at: int, action: str, payload: bytes, bit: int) -> None:
        data = bytearray(original)
        if action == "flip":
            data[at] ^= 1 << bit
        elif action == "cut":
            del data[at : at + 64]
        elif action == "insert":
            data[at:at] = payload
        else:
            del data[at:]
        try:
            sim = parse_sim_result(bytes(data), name)
            results = classify_event(sim.event)
            for outcome, server in zip(results.sessions, sim.servers, strict=True):
                reconcile(outcome.overall, server, outcome.laps, outcome.session.is_race)
        except ParcFermeError:
            pass

    run()
