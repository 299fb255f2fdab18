"""Sporting rules that shape a classification, as data (RULES.md §1–§3)."""

from __future__ import annotations

import math
from enum import StrEnum
from fractions import Fraction

from parcferme.model._dataclass import dataclass
from parcferme.model.decisions import DecisionKind


class Rounding(StrEnum):
    FLOOR = "floor"
    ROUND = "round"
    CEIL = "ceil"

    def apply(self, value: Fraction) -> int:
        if self is Rounding.FLOOR:
            return math.floor(value)
        if self is Rounding.CEIL:
            return math.ceil(value)
        # half up, as a person rounds a lap count (Python's round() would round half to even)
        return math.floor(value + Fraction(1, 2))


@dataclass(frozen=True, slots=True)
class RuleSet:
    """How a series classifies its sessions.

    - min_classified: share of the winner's laps a car must complete to be classified, and its rounding
      (FIA ISC / F1 Art 62.2: 90 %, rounded down; WEC 70 %).
    - late_conversions: time added for a drive-through or stop-go that could not be served because it was
      given in the last `late_laps` laps or after the race (F1 2025 Art 54.3: 20 s and 30 s).
    - min_lap_time: a lap shorter than this is impossible; the passing that would close it is set aside.
    - must_take_flag: only cars that cross the Line under the chequered flag are classified (RULES.md §1.2).
    - red_flag_countback_laps: a race suspended and not resumed is classified at the end of the lap this
      many laps before the one during which the red flag was shown (RULES.md §1.8).
    """

    id: str
    name: str = ""
    min_classified: Fraction = Fraction(9, 10)
    min_classified_rounding: Rounding = Rounding.FLOOR
    late_conversions: tuple[tuple[DecisionKind, int], ...] = (
        (DecisionKind.DRIVE_THROUGH, 20_000_000),
        (DecisionKind.STOP_GO, 30_000_000),
    )
    late_laps: int = 3
    min_lap_time: int = 20_000_000
    must_take_flag: bool = False
    red_flag_countback_laps: int = 2  # F1 Art 58.14: result at the end of lap N-2 for a red in lap N
    duplicate_window: int = 1_000_000  # two passings of one line by one car closer than this are one

    def late_conversion(self, kind: DecisionKind) -> int | None:
        """Time that replaces an unserved drive-through or stop-go; None when the rules give none."""
        return dict(self.late_conversions).get(kind)

    def classified_threshold(self, winner_laps: int) -> int:
        return self.min_classified_rounding.apply(self.min_classified * winner_laps)
