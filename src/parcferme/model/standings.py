"""Championship standings: what each competitor scored, what counts, the table after every round."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import field
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple, Protocol

from parcferme.model._dataclass import dataclass
from parcferme.model.championship import Table
from parcferme.model.points import TieBreak

ZERO = Fraction(0)


def format_points(points: Fraction) -> str:
    """`25`, `10.5`, `11⅓`, `25 1/7`: exact points for people, at the edge."""
    if points < 0:
        return "-" + format_points(-points)
    whole, rest = divmod(points.numerator, points.denominator)
    if rest == 0:
        return str(whole)
    frac = Fraction(rest, points.denominator)
    if frac.denominator in (2, 4, 5, 8, 10, 20, 25, 50, 100):  # an exact decimal: 10.5, 0.25
        return f"{points.numerator / points.denominator:.4f}".rstrip("0")
    glyph = _VULGAR.get((frac.numerator, frac.denominator))
    if glyph is not None:
        return f"{whole}{glyph}" if whole else glyph
    return f"{whole} {frac}" if whole else str(frac)


_VULGAR = {(1, 3): "⅓", (2, 3): "⅔", (1, 6): "⅙", (5, 6): "⅚"}


@dataclass(frozen=True, slots=True)
class Score:
    """What one competitor scored in one session (a driver: in one car): points, positions, and why.

    `positions` are the classified positions within the classification (a team has one per counted car).
    `bonus` is the part of `points` that came from bonuses; `notes` say what changed the points.
    """

    round: int
    session: str
    kind: str
    points: Fraction
    positions: tuple[int, ...] = ()
    orders: tuple[int, ...] = ()  # finishing order of the competitor's cars, classified or not
    bonus: Fraction = ZERO
    notes: tuple[str, ...] = ()
    car: str = ""  # drivers: the car this score was made in (a driver can share several in a race)
    counted: bool = True  # False: the session does not count for this table (no points; countback only)


class CountedResult(NamedTuple):
    """One result as the drop rules see it: a round total (session ""), a session's points, or one car's.

    A named tuple rather than a frozen dataclass: a table of all of F1 holds ~40 000 of them, and a tuple
    is built at C speed (engine.table), ~5× faster than a slotted object."""

    round: int
    session: str
    points: Fraction
    car: str = ""


class StandingStatus(StrEnum):
    RANKED = "ranked"
    EXCLUDED = "excluded"  # excluded from the championship (shown "E", 2007 McLaren)
    DISQUALIFIED = "disqualified"  # disqualified from the championship (shown "D", 1997 Schumacher)


@dataclass(frozen=True, slots=True)
class TieNote:
    """Why a competitor is behind the one above although level on points, or why they share a position."""

    other: str  # the competitor above
    points: Fraction
    rule: TieBreak | None  # the tie-break that separated them; None: not separated (position shared)
    detail: str  # "3 wins to 2"

    @property
    def text(self) -> str:
        head = f"tied on {format_points(self.points)} pts"
        return f"{head}: {self.detail}" if self.detail else head


@dataclass(frozen=True, slots=True)
class StandingRow:
    """One competitor's line in a table after a round.

    `points` are the points that count (after dropped results and deductions); `scored` is everything
    scored. `position` is None for a competitor excluded from the championship; `shared` marks a position
    that the tie-break chain could not separate (the regulations leave it to the governing body).
    """

    competitor: str
    name: str
    position: int | None
    points: Fraction
    scored: Fraction
    counted: tuple[CountedResult, ...]
    dropped: tuple[CountedResult, ...]
    wins: int
    deductions: Fraction = ZERO
    status: StandingStatus = StandingStatus.RANKED
    shared: bool = False
    tie: TieNote | None = None

    @property
    def position_text(self) -> str:
        if self.status is StandingStatus.DISQUALIFIED:
            return "D"
        if self.status is StandingStatus.EXCLUDED:
            return "E"
        if self.position is None:
            return "-"
        return f"={self.position}" if self.shared else str(self.position)


@dataclass(frozen=True, slots=True)
class StandingsTable:
    """The table of one championship (drivers or teams, one classification) after one round."""

    season: int
    table: Table
    classification: str
    after_round: int
    round_name: str
    rows: tuple[StandingRow, ...]
    final: bool = False  # after the season's last scheduled round

    def row(self, competitor: str) -> StandingRow | None:
        for r in self.rows:
            if r.competitor == competitor:
                return r
        return None

    @property
    def leader(self) -> StandingRow | None:
        return self.rows[0] if self.rows and self.rows[0].position == 1 else None


class HistorySource(Protocol):
    """What builds a history's tables and scores on demand (the standings engine provides it)."""

    def table(self, index: int) -> StandingsTable: ...

    def scores(self, competitor: str) -> tuple[Score, ...]: ...

    def competitors(self) -> tuple[str, ...]: ...


@dataclass(frozen=True, slots=True)
class StandingsHistory:
    """The table after every round held, in order, and every competitor's scores.

    The engine computes every round's points and positions up front; the table and score objects are
    built when first asked for (`after`, `tables`, `scores_of`), so a whole season costs little until read.
    """

    season: int
    table: Table
    classification: str
    rounds: tuple[int, ...]  # the rounds held, in order
    source: HistorySource = field(repr=False, compare=False)

    def after(self, round_number: int) -> StandingsTable | None:
        """The table after a round; after an unheld round, the table after the last round held before it."""
        index = bisect_right(self.rounds, round_number) - 1
        return self.source.table(index) if index >= 0 else None

    @property
    def tables(self) -> tuple[StandingsTable, ...]:
        return tuple(self.source.table(i) for i in range(len(self.rounds)))

    @property
    def latest(self) -> StandingsTable | None:
        return self.source.table(len(self.rounds) - 1) if self.rounds else None

    @property
    def competitors(self) -> tuple[str, ...]:
        """Everyone who scored or took part, sorted by id."""
        return self.source.competitors()

    def scores_of(self, competitor: str) -> tuple[Score, ...]:
        """A competitor's scores, round by round (a driver has one per car driven in a session)."""
        return self.source.scores(competitor)


class Outlook(StrEnum):
    CLINCHED = "clinched"  # nobody can catch them any more
    CONTENDER = "contender"  # can still win (or tie for the lead)
    ELIMINATED = "eliminated"  # cannot reach the leader's guaranteed total


@dataclass(frozen=True, slots=True)
class OutlookRow:
    """One competitor's range of final points: now, at best (everything left won), at worst (nothing)."""

    competitor: str
    name: str
    points: Fraction
    best: Fraction
    worst: Fraction
    outlook: Outlook


@dataclass(frozen=True, slots=True)
class ChampionshipOutlook:
    """What is still possible after a round: the points still available and each competitor's chances."""

    season: int
    table: Table
    classification: str
    after_round: int
    rounds_left: int
    available: Fraction  # most points one competitor can still score (before drops)
    rows: tuple[OutlookRow, ...]

    def row(self, competitor: str) -> OutlookRow | None:
        for r in self.rows:
            if r.competitor == competitor:
                return r
        return None
