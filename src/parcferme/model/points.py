"""Championship points rules as data: scales, bonuses, shared drives, reduced points, drops, tie-breaks.

One `PointsRules` describes how one championship season scores (RULES.md §4, §5): the F1 eras and the
Carrera Cup are the same dataclasses with different values, loaded from TOML by
`parcferme.rules.points_loader`. Points are exact `Fraction`s.
"""

from __future__ import annotations

from enum import StrEnum
from fractions import Fraction

from parcferme.model._dataclass import dataclass

ZERO = Fraction(0)
FINAL_ROUND = 0  # a RoundFactor on round 0 applies to the season's last scheduled round


class SharedDrive(StrEnum):
    """What the drivers of a car driven by several people score (RULES.md §5.4)."""

    SPLIT = "split"  # the car's points divided equally among its drivers (F1 1950–1957)
    NONE = "none"  # a shared car scores nothing for its drivers (F1 from 1958)
    FULL = "full"  # every driver of the crew scores the car's points (endurance)


class BonusKind(StrEnum):
    POLE = "pole"
    FASTEST_LAP = "fastest-lap"


class TieBreak(StrEnum):
    """One link of a tie-break chain, applied in order to competitors level on points."""

    COUNTBACK = "countback"  # most wins, then most second places… (F1 Art 7.2, RULES.md §1.7)
    LAST_RESULT = "last-result"  # the better result in the most recent race, then the one before…
    FINISHING_ORDER = "finishing-order"  # countback over the full finishing order, unclassified cars too


class ClassificationMode(StrEnum):
    """How a sub-classification scores (RULES.md §4.3)."""

    RERANK = "rerank"  # eligible cars are re-ranked 1..n and the scale applies to that order
    INHERIT = "inherit"  # eligible cars keep the points they scored in the overall classification


class DropUnit(StrEnum):
    """What one "result" is when results are dropped."""

    ROUND = "round"  # the competitor's total for a round (sprint and race together)
    SESSION = "session"  # each race on its own (Carrera Cup: two races per meeting)
    RESULT = "result"  # each car result on its own: a driver who shared two cars has two (F1 1950s)


class CarsCounted(StrEnum):
    """Which results a team's points come from (RULES.md §5.3)."""

    ALL = "all"  # every car's points (F1 from 1979)
    BEST = "best"  # the best `count` cars in each session (1 = best-placed car only, F1 1958–1978)


@dataclass(frozen=True, slots=True)
class Scale:
    """Points for positions 1, 2, 3… in the sessions it matches: a session id beats a session kind."""

    points: tuple[Fraction, ...]
    kind: str | None = None  # "race", "sprint"; None with session None: any session that scores
    session: str | None = None  # a session id ("R1"): a scale of its own for that session

    def at(self, position: int) -> Fraction:
        return self.points[position - 1] if 0 < position <= len(self.points) else ZERO

    def matches(self, session: str, kind: str) -> bool:
        if self.session is not None:
            return self.session == session
        return self.kind is None or self.kind == kind


@dataclass(frozen=True, slots=True)
class Bonus:
    """Points for pole position or the fastest lap, with the conditions that govern who receives them.

    - requires_classified: the holder must be classified in the session.
    - max_position: the holder must finish in this position or better, else nobody receives it (F1 2019:
      top 10).
    - min_distance: the leader must have covered this share of the scheduled distance (F1 2022: 50 %).
    - share_ties: equal times share the points (F1 1954 British GP: seven drivers, 1/7 each); otherwise the
      driver who set the time first takes them.
    - best_eligible: in a sub-classification, the fastest *eligible* driver receives it; when False, it is
      awarded only if the overall holder is eligible.
    """

    kind: BonusKind
    points: Fraction
    session_kinds: tuple[str, ...] = ("race",)
    sessions: tuple[str, ...] = ()  # session ids; when given they replace session_kinds
    requires_classified: bool = False
    max_position: int | None = None
    min_distance: Fraction | None = None
    share_ties: bool = True
    best_eligible: bool = True

    def applies_to(self, session: str, kind: str) -> bool:
        if self.sessions:
            return session in self.sessions
        return kind in self.session_kinds


@dataclass(frozen=True, slots=True)
class DistanceBand:
    """Reduced points when the leader covered less than `below` of the scheduled distance."""

    below: Fraction
    factor: Fraction = Fraction(1)
    scale: tuple[Fraction, ...] | None = None  # a scale of its own (F1 2022 sliding scale) instead of ×factor


@dataclass(frozen=True, slots=True)
class ReducedPoints:
    """Points for a short race (RULES.md §1.8): nothing below `min_laps`, then the first matching band.

    `only_if_suspended`: the bands apply only to a race suspended and not resumed (F1 up to 2022).
    """

    min_laps: int = 0
    bands: tuple[DistanceBand, ...] = ()
    only_if_suspended: bool = False
    session_kinds: tuple[str, ...] = ("race",)


@dataclass(frozen=True, slots=True)
class RoundFactor:
    """All points of a round multiplied (F1 2014 finale: double points). Round FINAL_ROUND = the last."""

    round: int
    factor: Fraction


@dataclass(frozen=True, slots=True)
class DropSegment:
    """A part of the season (rounds first..last, inclusive) and how many of its results count."""

    first_round: int = 1
    last_round: int | None = None  # None: to the end of the season
    best: int | None = None  # count the best N results
    drop: int | None = None  # count all but the worst N

    def contains(self, round_number: int) -> bool:
        return self.first_round <= round_number and (
            self.last_round is None or round_number <= self.last_round
        )


@dataclass(frozen=True, slots=True)
class DropRule:
    """Dropped results: best N of the season, best N per part of a split season, or all but N.

    `at_season_end`: drops are applied only in the standings after the season's last scheduled round
    (Carrera Cup: "two results dropped at season end"); otherwise after every round (F1 best-N rules).
    """

    segments: tuple[DropSegment, ...]
    unit: DropUnit = DropUnit.ROUND
    at_season_end: bool = False


@dataclass(frozen=True, slots=True)
class ChampionshipRules:
    """How one table (drivers or teams) counts results and breaks ties."""

    drops: DropRule | None = None
    tiebreak: tuple[TieBreak, ...] = (TieBreak.COUNTBACK,)
    countback_kinds: tuple[str, ...] = ("race",)  # sessions whose positions countback and wins look at


@dataclass(frozen=True, slots=True)
class TeamRules(ChampionshipRules):
    """The team (constructors') table: which cars count, whether bonuses count, an optional own scale."""

    cars: CarsCounted = CarsCounted.ALL
    count: int = 1  # with cars = BEST: how many cars count per session
    bonuses: bool = True
    scales: tuple[Scale, ...] = ()  # empty: the drivers' scales


@dataclass(frozen=True, slots=True)
class PointsRules:
    """A championship season's points rules (see the module docstring)."""

    id: str
    name: str = ""
    scales: tuple[Scale, ...] = ()
    bonuses: tuple[Bonus, ...] = ()
    shared_drives: SharedDrive = SharedDrive.SPLIT
    reduced: ReducedPoints | None = None
    round_factors: tuple[RoundFactor, ...] = ()
    drivers: ChampionshipRules = ChampionshipRules()
    teams: TeamRules | None = None  # None: no team championship
    classification_mode: ClassificationMode = ClassificationMode.RERANK

    def scale_for(self, session: str, kind: str, team: bool = False) -> Scale | None:
        """The scale that applies to a session (a session-id scale first), or None when it scores nothing."""
        scales = self.teams.scales if team and self.teams is not None and self.teams.scales else self.scales
        by_kind: Scale | None = None
        for scale in scales:
            if scale.session is not None and scale.session == session:
                return scale
            if by_kind is None and scale.session is None and scale.matches(session, kind):
                by_kind = scale
        return by_kind

    def round_factor(self, round_number: int, final_round: int) -> Fraction:
        factor = Fraction(1)
        for rf in self.round_factors:
            if rf.round == round_number or (rf.round == FINAL_ROUND and round_number == final_round):
                factor *= rf.factor
        return factor

    def table(self, teams: bool) -> ChampionshipRules | None:
        """The drivers' or the teams' table rules; None for teams when there is no team championship."""
        return self.teams if teams else self.drivers
