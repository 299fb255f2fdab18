"""A championship season as the standings engine reads it: rounds, sessions, car results, decisions.

Independent of any source: the Ergast reader builds it for F1 history, and an event-folder series can build
it from its classified sessions. Competitors are keyed by id, never by car number (a car number can change
between rounds and joint races give different numbers, RULES.md §4.3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType
from typing import NamedTuple

from parcferme.model._dataclass import dataclass
from parcferme.model.entries import AttributeValue
from parcferme.model.results import Status


class Table(StrEnum):
    """The two tables of a championship."""

    DRIVERS = "drivers"
    TEAMS = "teams"


@dataclass(frozen=True, slots=True)
class Competitor:
    """A driver or a team (an F1 constructor is chassis + engine: "Lotus-Climax", RULES.md §5.3)."""

    id: str
    name: str
    short: str = ""  # a three-letter code or an abbreviation, for narrow tables
    nationality: str = ""


NO_ATTRIBUTES: Mapping[str, AttributeValue] = MappingProxyType({})


class CarResult(NamedTuple):
    """One car's result in one session.

    `position` is the classified position (None when not classified; equal for a dead heat). `order` is the
    finishing order of every car, classified or not, 1..n. `drivers` lists everyone who drove the car (a
    shared drive has several); `attributes` are what classification eligibility looks at (class, rookie,
    guest, championships…), as they stood at this session.

    A named tuple (as timing's Lap) rather than a frozen dataclass: all of F1 is ~27 000 of them, and the
    Ergast cache builds them at C speed from its columns (formats.ergast_cache).
    """

    car: str
    drivers: tuple[str, ...]
    team: str
    status: Status
    position: int | None
    order: int
    laps: int = 0
    best_lap: int | None = None  # µs
    best_lap_number: int | None = None  # the lap it was set on: an equal time set earlier ranks first
    grid: int | None = None
    attributes: Mapping[str, AttributeValue] = NO_ATTRIBUTES  # read-only: one empty mapping serves all


@dataclass(frozen=True, slots=True)
class RoundSession:
    """A session of a round that can score points (a race, a sprint), with its results once it has run.

    `qualifying` lists car keys in qualifying order for this session's grid (the pole bonus goes to the first
    eligible one). `scheduled_laps` and `suspended` drive reduced points for short races (RULES.md §1.8).
    """

    id: str
    kind: str
    results: tuple[CarResult, ...] = ()
    qualifying: tuple[str, ...] = ()
    scheduled_laps: int | None = None
    suspended: bool = False

    @property
    def held(self) -> bool:
        return bool(self.results)

    @property
    def leader_laps(self) -> int:
        return max((r.laps for r in self.results if r.position == 1), default=0)


@dataclass(frozen=True, slots=True)
class Round:
    """A round (meeting) of the season: its scoring sessions, in the order they were run."""

    number: int
    name: str
    sessions: tuple[RoundSession, ...]
    date: str = ""

    @property
    def held(self) -> bool:
        return any(s.held for s in self.sessions)


@dataclass(frozen=True, slots=True)
class Season:
    """A season's schedule and results. Rounds not yet held are listed with sessions that have no results."""

    series: str
    year: int
    rounds: tuple[Round, ...]
    drivers: Mapping[str, Competitor] = field(default_factory=lambda: MappingProxyType({}))
    teams: Mapping[str, Competitor] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def final_round(self) -> int:
        """The last scheduled round's number (0 for an empty season)."""
        return max((r.number for r in self.rounds), default=0)

    @property
    def held_rounds(self) -> tuple[Round, ...]:
        return tuple(r for r in self.rounds if r.held)

    def competitor(self, table: Table, competitor_id: str) -> Competitor:
        """The competitor with this id; an unnamed one when the season does not list it."""
        known = self.drivers if table is Table.DRIVERS else self.teams
        return known.get(competitor_id) or Competitor(competitor_id, competitor_id)


class ChampionshipDecisionKind(StrEnum):
    """Championship decisions: one-off facts of history and stewards' rulings on points (never code)."""

    DEDUCTION = "points-deduction"  # the competitor loses `points`
    WITHHOLD = "withhold"  # a result stands but its points are not awarded; nobody moves up
    INELIGIBLE = "ineligible"  # a car is not eligible for points in a session; the cars behind move up
    EXCLUDE = "exclude"  # the competitor is excluded from the championship: results kept, not ranked
    POINTS_FACTOR = "points-factor"  # a session's (or the whole round's) points multiplied (half points)
    FASTEST_LAP = "fastest-lap"  # who is credited with the fastest lap (nobody when `drivers` is empty)
    SHARED_DRIVE = "shared-drive"  # a shared car's points go to the listed `drivers` only, split equally
    NOT_COUNTED = (
        "not-counted"  # the session (or round) scores nothing for this table (results stay on record)
    )
    RESET = "reset"  # the competitor starts again from zero: a new entry under the same name


@dataclass(frozen=True, slots=True)
class ChampionshipDecision:
    """One decision about championship points, effective from `round` onwards (to `until_round`).

    `table` None applies to both tables. `session` None applies to every session of the round. `competitor`
    names a driver (drivers table) or a team (teams table); `car` names a car in the session. A withholding
    with both applies to that competitor's share of that car only. `label` says how an exclusion is shown
    ("disqualified" for 1997 Schumacher, "excluded" for 2007 McLaren).
    """

    kind: ChampionshipDecisionKind
    round: int
    season: int | None = None
    until_round: int | None = None  # deductions and exclusions: last round it applies to (None: the end)
    table: Table | None = None
    session: str | None = None
    competitor: str = ""
    car: str = ""
    drivers: tuple[str, ...] = ()
    points: Fraction = Fraction(0)
    factor: Fraction = Fraction(1)
    label: str = ""
    reason: str = ""
    reference: str = ""

    def applies(self, table: Table, season: int) -> bool:
        return (self.table is None or self.table is table) and (self.season is None or self.season == season)

    def in_session(self, round_number: int, session: str) -> bool:
        return self.round == round_number and (self.session is None or self.session == session)
