"""The content of the championship standings documents: one table per classification of the championship
(drivers, and teams where the rules have a team championship) after a round, with the points of every race
so far, dropped results in brackets, the total, the gap to the leader and the tie notes.

Pure: the tables come in already computed by the standings engine (`ChampionshipStandings`, which
`championship_standings` builds from a season for convenience); nothing here reads a file or a clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from parcferme.engine.standings import season_standings
from parcferme.errors import ParcFermeError
from parcferme.model.championship import ChampionshipDecision, Round, Season, Table
from parcferme.model.classification import OVERALL, OVERALL_CLASSIFICATION, Classification
from parcferme.model.event import Event
from parcferme.model.points import PointsRules
from parcferme.model.standings import (
    CountedResult,
    Score,
    StandingRow,
    StandingsHistory,
    StandingsTable,
    StandingStatus,
)
from parcferme.report.pdf.context import circuit_text
from parcferme.report.pdf.labels import format_date, labels, points_text, tie_text
from parcferme.report.pdf.sheets import Note

# Column widths in mm. The race columns share what the names leave, within these bounds: when they would
# be narrower than PORTRAIT_RACE_MM on A4 portrait the table turns to landscape (a season of six meetings
# of two races does); past MAX_RACE_COLUMNS races (F1 with sprints) a column is a round.
PORTRAIT_MM = 190.0
LANDSCAPE_MM = 277.0
FIXED_MM = {"pos": 8.0, "no": 7.5, "nat": 8.0, "total": 11.0, "gap": 10.0}
DRIVER_MM = 34.0  # at least
TEAM_MM = 30.0  # at least; dropped before a race column goes under RACE_MIN_MM
PORTRAIT_RACE_MM = 9.0
RACE_MIN_MM = 6.6
RACE_MAX_MM = 10.0
MAX_RACE_COLUMNS = 24


# ── the input ──────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class ChampionshipStandings:
    """A championship after one round: every table to publish, as the standings engine computed them.

    `tables` are the histories of each table (drivers' and teams', per classification), in the order the
    documents are published; each is read after `after_round`. `classifications` give the display names
    of the classifications the tables name (the overall one needs none). `event` is the round's meeting,
    for the circuit line of the header (optional).
    """

    season: Season
    after_round: int
    tables: tuple[StandingsHistory, ...]
    classifications: tuple[Classification, ...] = ()
    event: Event | None = None

    def history(self, table: Table, classification: str = OVERALL) -> StandingsHistory:
        for history in self.tables:
            if history.table is table and history.classification == classification:
                return history
        known = ", ".join(f"{h.table.value}/{h.classification}" for h in self.tables)
        raise ParcFermeError(f"no {table.value} standings for {classification!r} (tables: {known})")

    def classification_name(self, classification: str, lang: str) -> str:
        for c in (*self.classifications, OVERALL_CLASSIFICATION):
            if c.id == classification:
                return c.name(lang)
        return classification

    def with_event(self, event: Event) -> ChampionshipStandings:
        """The same standings with the round's meeting named (for the circuit line of the header)."""
        return replace(self, event=event)

    @property
    def round(self) -> Round:
        for rnd in self.season.rounds:
            if rnd.number == self.after_round:
                return rnd
        return Round(self.after_round, "", ())


def championship_standings(
    season: Season,
    rules: PointsRules,
    *,
    after_round: int | None = None,
    classifications: Iterable[Classification] = (),
    decisions: Iterable[ChampionshipDecision] = (),
    teams: bool = True,
    event: Event | None = None,
) -> ChampionshipStandings:
    """The standings engine's tables for the standings documents: overall, then each classification;
    drivers' tables first, then teams' (when `teams` and the rules have a team championship).
    `after_round` defaults to the latest round held."""
    wanted = (Table.DRIVERS, Table.TEAMS) if teams else (Table.DRIVERS,)
    chosen = tuple(c for c in classifications if c.id != OVERALL)
    decisions = tuple(decisions)
    by_table: dict[Table, list[StandingsHistory]] = {Table.DRIVERS: [], Table.TEAMS: []}
    for classification in (None, *chosen):
        histories = season_standings(
            season, rules, tables=wanted, decisions=decisions, classification=classification
        )
        for table, history in histories.items():
            by_table[table].append(history)
    if after_round is None:
        held = [r.number for r in season.rounds if r.held]
        if not held:
            raise ParcFermeError(f"{season.series} {season.year}: no round held yet")
        after_round = max(held)
    return ChampionshipStandings(
        season, after_round, (*by_table[Table.DRIVERS], *by_table[Table.TEAMS]), chosen, event
    )


def standings_documents(standings: ChampionshipStandings) -> list[tuple[Table, str]]:
    """Every (table, classification) with a document: those with a round held by `after_round`."""
    return [
        (h.table, h.classification) for h in standings.tables if h.after(standings.after_round) is not None
    ]


# ── the sheet ──────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    dropped: bool = False
    zero: bool = False


@dataclass(frozen=True, slots=True)
class Line:
    """A competitor's line, every cell already text."""

    position: str
    number: str
    name: str
    nationality: str
    team: str
    races: tuple[Cell, ...]
    total: str
    gap: str
    ranked: bool


@dataclass(frozen=True, slots=True)
class Span:
    """A round over its race columns in the table's top header row."""

    label: str
    span: int


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # pos, no, name, nat, team
    header: str
    width: float  # mm


@dataclass(frozen=True, slots=True)
class StandingsSheet:
    """A standings document's table: the columns before the races, the race columns (their round over
    them), the lines and the notes under the table. Widths in mm; total and gap have FIXED_MM's."""

    lead: tuple[Column, ...]
    rounds: tuple[Span, ...]  # empty when each column is a round
    races: tuple[str, ...]  # the race columns' headers: `R1`, `R2` (or the round's number)
    race_width: float
    rows: tuple[Line, ...]
    ties: tuple[tuple[Note, Note | None], ...] = ()  # the tie notes, two to a line
    notes: tuple[Note, ...] = ()
    caption: str = ""
    landscape: bool = False
    total_width: float = FIXED_MM["total"]
    gap_width: float = FIXED_MM["gap"]

    @property
    def empty(self) -> bool:
        return not self.rows


@dataclass(frozen=True, slots=True)
class _Race:
    round: int
    session: str  # "": every race of the round in one column


def standings_sheet(
    standings: ChampionshipStandings, table: Table, classification: str, lang: str
) -> StandingsSheet:
    """The table of one championship after the round, in `lang`."""
    history = standings.history(table, classification)
    current = history.after(standings.after_round)
    races, spans = _race_columns(standings.season, standings.after_round)
    drivers = table is Table.DRIVERS
    if current is None:
        return StandingsSheet((), (), (), RACE_MAX_MM, ())
    cars, teams = _last_cars(standings.season, standings.after_round) if drivers else ({}, {})
    nationalities = {k: c.nationality for k, c in standings.season.drivers.items()} if drivers else {}
    show_nat = any(nationalities.get(r.competitor) for r in current.rows)
    show_team = drivers and any(teams.get(r.competitor) for r in current.rows)
    keys = ["pos", *(("no",) if drivers else ()), "name", *(("nat",) if show_nat else ())]
    keys += ["team"] if show_team else []
    landscape, race_mm, show_team = _layout(keys, len(races), show_team)
    race_mm = round(race_mm, 2)
    if not show_team and "team" in keys:
        keys.remove("team")
    widths = _widths(keys, race_mm, landscape, len(races))
    words = labels(lang)
    headers = {"pos": words["pos"], "no": words["no"], "nat": words["nat"], "team": words["team"]}
    headers["name"] = words["driver"] if drivers else words["team"]
    lead = tuple(Column(k, headers[k], widths[k]) for k in keys)
    leader = current.leader
    rows = tuple(
        _line(
            row,
            history,
            races,
            leader,
            cars.get(row.competitor, ""),
            nationalities.get(row.competitor, "") if show_nat else "",
            teams.get(row.competitor, "") if show_team else "",
            standings.after_round,
            lang,
        )
        for row in current.rows
    )
    race_headers = tuple(r.session or str(r.round) for r in races)
    ties = _ties(current, lang)
    pairs = tuple((ties[i], ties[i + 1] if i + 1 < len(ties) else None) for i in range(0, len(ties), 2))
    caption = words["standings_note"] + (
        " " + words["dropped_note"] if any(c.dropped for r in rows for c in r.races) else ""
    )
    return StandingsSheet(
        lead, spans, race_headers, race_mm, rows, pairs, _notes(current, lang), caption, landscape
    )


def _race_columns(season: Season, after_round: int) -> tuple[tuple[_Race, ...], tuple[Span, ...]]:
    """A column per race held so far (a column per round when that makes too many), and the rounds over
    them."""
    held = [r for r in sorted(season.rounds, key=lambda r: r.number) if r.number <= after_round and r.held]
    per_race = [(r, s.id) for r in held for s in r.sessions if s.held]
    if len(per_race) > MAX_RACE_COLUMNS:  # a column per round, headed by its number
        return tuple(_Race(r.number, "") for r in held), ()
    spans = tuple(Span(r.name or str(r.number), sum(1 for s in r.sessions if s.held)) for r in held)
    return tuple(_Race(r.number, s) for r, s in per_race), spans


def _layout(keys: Sequence[str], races: int, team: bool) -> tuple[bool, float, bool]:
    """(landscape, width of a race column, whether the team column stays)."""
    fixed = sum(FIXED_MM.get(k, 0.0) for k in keys) + FIXED_MM["total"] + FIXED_MM["gap"] + DRIVER_MM
    for width, landscape in ((PORTRAIT_MM, False), (LANDSCAPE_MM, True)):
        room = width - fixed - (TEAM_MM if team else 0.0)
        if races == 0 or room / races >= (RACE_MIN_MM if landscape else PORTRAIT_RACE_MM):
            return landscape, min(RACE_MAX_MM, room / races if races else RACE_MAX_MM), team
    room = LANDSCAPE_MM - fixed
    return True, max(min(RACE_MAX_MM, room / races), RACE_MIN_MM), False


def _widths(keys: Sequence[str], race_mm: float, landscape: bool, races: int) -> dict[str, float]:
    """The lead columns' widths: the fixed ones, and the names sharing what the others leave."""
    page = LANDSCAPE_MM if landscape else PORTRAIT_MM
    fixed = sum(FIXED_MM.get(k, 0.0) for k in keys) + FIXED_MM["total"] + FIXED_MM["gap"] + race_mm * races
    names = page - fixed - 0.5  # a little air: rounding must never push the table past the page
    team_mm = round(names * 0.45, 2) if "team" in keys else 0.0
    return {**FIXED_MM, "name": round(names - team_mm, 2), "team": team_mm}


def _last_cars(season: Season, after_round: int) -> tuple[dict[str, str], dict[str, str]]:
    """Each driver's car number and team name: those of the last car they drove up to the round."""
    cars: dict[str, str] = {}
    teams: dict[str, str] = {}
    for rnd in sorted(season.rounds, key=lambda r: r.number):
        if rnd.number > after_round:
            break
        for session in rnd.sessions:
            for result in session.results:
                team = season.teams[result.team].name if result.team in season.teams else result.team
                for driver in result.drivers:
                    cars[driver] = result.car
                    if team:
                        teams[driver] = team
    return cars, teams


def _line(
    row: StandingRow,
    history: StandingsHistory,
    races: Sequence[_Race],
    leader: StandingRow | None,
    car: str,
    nationality: str,
    team: str,
    after_round: int,
    lang: str,
) -> Line:
    scores = [s for s in history.scores_of(row.competitor) if s.round <= after_round]
    cells = tuple(_cell(race, scores, row.dropped, lang) for race in races)
    ranked = row.status is StandingStatus.RANKED
    gap = ""
    if ranked and leader is not None and leader.competitor != row.competitor:
        behind = leader.points - row.points
        gap = f"−{points_text(behind, lang)}" if behind else "0"
    return Line(
        position=row.position_text,
        number=car,
        name=row.name,
        nationality=nationality,
        team=team,
        races=cells,
        total=points_text(row.points, lang),
        gap=gap,
        ranked=ranked,
    )


def _matches(result: CountedResult, score: Score) -> bool:
    return (
        result.round == score.round
        and (not result.session or result.session == score.session)
        and (not result.car or result.car == score.car)
    )


def _cell(race: _Race, scores: Sequence[Score], dropped: Sequence[CountedResult], lang: str) -> Cell:
    """A race's points: empty when the competitor was not in it, `(12)` when dropped, `12 (3)` when one
    of several cars' results is dropped."""
    mine = [s for s in scores if s.round == race.round and (not race.session or s.session == race.session)]
    if not mine:
        return Cell("")
    total = sum((s.points for s in mine), Fraction(0))
    gone = sum((s.points for s in mine if any(_matches(d, s) for d in dropped)), Fraction(0))
    all_gone = all(any(_matches(d, s) for d in dropped) for s in mine)
    if all_gone:
        return Cell(f"({points_text(total, lang)})", dropped=True)
    if gone:
        return Cell(f"{points_text(total - gone, lang)} ({points_text(gone, lang)})", dropped=True)
    return Cell(points_text(total, lang), zero=not total)


def _ties(table: StandingsTable, lang: str) -> list[Note]:
    """Why each competitor level on points with the one above is behind it (or shares its place), in
    the standings engine's words: labelled with the line (position and name)."""
    return [Note(f"{row.position_text} {row.name}", tie_text(row.tie, lang)) for row in table.rows if row.tie]


def _notes(table: StandingsTable, lang: str) -> tuple[Note, ...]:
    words = labels(lang)
    notes: list[Note] = []
    for row in table.rows:
        if row.deductions:
            text = f"{row.name}{words['colon']} {points_text(row.deductions, lang)}"
            notes.append(Note(words["deducted"], text, "penalty"))
    if any(row.status is not StandingStatus.RANKED for row in table.rows):
        notes.append(Note("D / E", words["excluded_note"]))
    return tuple(notes)


# ── the header ─────────────────────────────────────────────────────────────────────────────────────────


def round_heading(
    standings: ChampionshipStandings, table: StandingsTable | None, lang: str
) -> tuple[str, tuple[str, ...]]:
    """The header's right-hand block: `After round 1` (or `Final standings`), then the round's date and
    how far into the season it is."""
    words = labels(lang)
    final = table is not None and table.final
    heading = words["final_standings"] if final else words["after_round"].format(round=standings.after_round)
    info: list[str] = []
    rnd = standings.round
    if rnd.date:
        try:
            info.append(format_date(dt.date.fromisoformat(rnd.date), lang))
        except ValueError:
            info.append(rnd.date)
    season = standings.season
    scheduled = len(season.rounds)
    races = sum(1 for r in season.rounds if r.number <= standings.after_round for s in r.sessions if s.held)
    held = words["race_held"] if races == 1 else words["races_held"].format(races=races)
    info.append(f"{words['round_of'].format(round=standings.after_round, rounds=scheduled)} · {held}")
    return heading, tuple(info)


def circuit_line(standings: ChampionshipStandings, lang: str) -> str:
    """The circuit of the round's meeting, when the standings name it (and it is that round's)."""
    event = standings.event
    if event is None or event.round != standings.after_round:
        return ""
    return circuit_text(event, lang)


__all__ = [
    "ChampionshipStandings",
    "Column",
    "StandingsSheet",
    "championship_standings",
    "round_heading",
    "standings_documents",
    "standings_sheet",
]
