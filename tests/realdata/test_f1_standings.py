"""F1 drivers' standings 1950–2024 recomputed from race results equal the official tables, after every round.

Points come from positions, statuses, fastest laps and the rule sets in parcferme/rules/f1 (never from
Ergast's points columns); the official tables are Ergast's driver_standings.csv. A season that still differs
must be listed, with the reason, in parcferme/rules/f1/KNOWN_DIFFERENCES.toml. Positions are compared
exactly where the F1 tie-break separates drivers, and within the shared places where it does not.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from importlib import resources
from pathlib import Path

import pytest

from parcferme.engine.standings import seasons_standings
from parcferme.formats.ergast import OfficialStanding, read_ergast, read_official_standings
from parcferme.model.championship import Season, Table
from parcferme.model.standings import StandingsHistory, StandingStatus
from parcferme.rules.points_loader import f1_decisions, f1_rules

DATA = Path(__file__).parents[2].parent / "shared" / "data"
ERGAST = DATA / "ergast"
TOLERANCE = Fraction(1, 100)  # the official tables round points to 2 decimals (1/3 → 0.33, 1/7 → 0.14)

pytestmark = pytest.mark.skipif(
    not (ERGAST / "results.csv").is_file(), reason=f"the Ergast F1 data set is not present at {ERGAST}"
)


@dataclass
class Report:
    """What a comparison found, per (season, kind): round → competitors."""

    table: Table
    seasons: list[int] = field(default_factory=list)
    rows: int = 0  # official rows compared
    shared: int = 0  # of which inside a position the tie-break leaves shared
    extra: int = 0  # competitors the engine lists and the official table leaves out (all on 0 points)
    problems: dict[tuple[int, str], dict[int, set[str]]] = field(default_factory=dict)

    def add(self, season: int, kind: str, rnd: int, competitor: str) -> None:
        self.problems.setdefault((season, kind), defaultdict(set))[rnd].add(competitor)

    @property
    def differing(self) -> set[int]:
        return {season for season, _ in self.problems}


def compare(
    table: Table,
    seasons: dict[int, Season],
    histories: dict[int, dict[Table, StandingsHistory]],
    official: dict[tuple[int, int], tuple[OfficialStanding, ...]],
) -> Report:
    report = Report(table)
    for year in sorted(seasons):
        history = histories[year].get(table)
        if history is None:
            continue
        report.seasons.append(year)
        for rnd in history.rounds:
            rows = official.get((year, rnd))
            if rows is None:
                report.add(year, "missing table", rnd, "")
                continue
            ours = history.after(rnd)
            assert ours is not None
            by_id = {r.competitor: r for r in ours.rows}
            block: dict[int, int] = defaultdict(int)
            for r in ours.rows:
                if r.position is not None:
                    block[r.position] += 1
            listed = {o.competitor for o in rows}
            for r in ours.rows:
                if r.competitor not in listed:
                    report.extra += 1
                    if r.points != 0:
                        report.add(year, "extra", rnd, r.competitor)
            for o in rows:
                report.rows += 1
                r = by_id.get(o.competitor)
                if r is None:
                    report.add(year, "missing", rnd, o.competitor)
                    continue
                if abs(r.points - o.points) > TOLERANCE:
                    report.add(year, "points", rnd, o.competitor)
                if o.position_text in ("D", "E"):
                    wanted = (
                        StandingStatus.DISQUALIFIED if o.position_text == "D" else StandingStatus.EXCLUDED
                    )
                    if r.status is not wanted:
                        report.add(year, "status", rnd, o.competitor)
                    continue
                if r.status is not StandingStatus.RANKED:
                    report.add(year, "status", rnd, o.competitor)
                    continue
                if r.wins != o.wins:
                    report.add(year, "wins", rnd, o.competitor)
                if o.position is None:  # not ranked in the official table (2025: no result yet)
                    continue
                assert r.position is not None
                last = r.position + block[r.position] - 1
                if not r.position <= o.position <= last:
                    report.add(year, "position", rnd, o.competitor)
                elif last > r.position:
                    report.shared += 1
    return report


def known_differences(table: Table) -> dict[tuple[int, str], set[int]]:
    text = resources.files("parcferme.rules").joinpath("f1", "KNOWN_DIFFERENCES.toml").read_text("utf-8")
    out: dict[tuple[int, str], set[int]] = {}
    for entry in tomllib.loads(text).get("difference", []):
        assert set(entry) <= {"table", "season", "kind", "rounds", "competitors", "reason"}, entry
        assert entry["reason"].strip(), entry
        if entry["table"] == table.value:
            out[entry["season"], entry["kind"]] = set(entry["rounds"])
    return out


def check(report: Report, first: int, last: int, capsys: pytest.CaptureFixture[str]) -> None:
    """Every difference is known (same season, kind and round), and every known difference still occurs.

    Prints how many seasons match (shown even when pytest captures the output)."""
    known = known_differences(report.table)
    unexplained = {
        key: {rnd: sorted(c) for rnd, c in rounds.items() if rnd not in known.get(key, set())}
        for key, rounds in report.problems.items()
    }
    unexplained = {key: v for key, v in unexplained.items() if v}
    stale = {key: sorted(rounds - set(report.problems.get(key, {}))) for key, rounds in known.items()}
    stale = {key: v for key, v in stale.items() if v}
    wanted = [y for y in report.seasons if first <= y <= last]
    matching = [y for y in wanted if y not in report.differing]
    differing = ", ".join(map(str, sorted(report.differing))) or "none"
    with capsys.disabled():
        print(
            f"\nF1 {report.table.value}: {len(matching)} of {len(wanted)} seasons {first}–{last} equal the "
            f"official tables after every round; {len(report.differing)} listed in KNOWN_DIFFERENCES.toml "
            f"({differing}). Rows compared: {report.rows}, of which {report.shared} inside a position the "
            f"tie-break leaves shared; {report.extra} rows on 0 points that the official tables leave out."
        )
    assert not unexplained, f"differences not in KNOWN_DIFFERENCES.toml: {unexplained}"
    assert not stale, f"KNOWN_DIFFERENCES.toml entries that no longer occur: {stale}"


@pytest.fixture(scope="module")
def drivers() -> Report:
    seasons = read_ergast(ERGAST)
    histories = seasons_standings(
        seasons.values(), f1_rules, tables=(Table.DRIVERS,), decisions=f1_decisions()
    )
    return compare(Table.DRIVERS, seasons, histories, read_official_standings(ERGAST, Table.DRIVERS))


def test_every_season_from_1950_equals_the_official_drivers_standings(
    drivers: Report, capsys: pytest.CaptureFixture[str]
) -> None:
    assert drivers.seasons[0] == 1950 and 2024 in drivers.seasons
    check(drivers, 1950, 2024, capsys)


def test_points_and_exclusions_match_everywhere(drivers: Report) -> None:
    # positions aside, every official row's points, wins and status (1997 Schumacher "D") are reproduced
    wrong = {key: v for key, v in drivers.problems.items() if key[1] != "position"}
    assert not wrong, wrong
