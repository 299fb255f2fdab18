"""F1 constructors' standings 1958–2024 recomputed from race results equal the official tables, every round.

Same comparison as test_f1_standings.py, on Ergast's constructor_standings.csv: best-placed car only until
1978, the Indianapolis 500 not counted, the 2007 McLaren exclusion ("E"), points withheld and deducted as
decisions on record.
"""

from __future__ import annotations

import pytest
from test_f1_standings import ERGAST, Report, check, compare

from parcferme.engine.standings import seasons_standings
from parcferme.formats.ergast import read_ergast, read_official_standings
from parcferme.model.championship import Table
from parcferme.rules.points_loader import f1_decisions, f1_rules

pytestmark = pytest.mark.skipif(
    not (ERGAST / "results.csv").is_file(), reason=f"the Ergast F1 data set is not present at {ERGAST}"
)


@pytest.fixture(scope="module")
def teams() -> Report:
    seasons = read_ergast(ERGAST)
    histories = seasons_standings(seasons.values(), f1_rules, tables=(Table.TEAMS,), decisions=f1_decisions())
    return compare(Table.TEAMS, seasons, histories, read_official_standings(ERGAST, Table.TEAMS))


def test_every_season_from_1958_equals_the_official_constructors_standings(
    teams: Report, capsys: pytest.CaptureFixture[str]
) -> None:
    assert teams.seasons[0] == 1958 and 2024 in teams.seasons
    check(teams, 1958, 2024, capsys)


def test_mclaren_2007_is_shown_excluded_with_its_points(teams: Report) -> None:
    assert not any(key == (2007, "status") for key in teams.problems)
