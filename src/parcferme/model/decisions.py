"""Stewards' and race direction's decisions: the only way a result changes after the timing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from enum import StrEnum
from types import MappingProxyType

from parcferme.model._dataclass import dataclass


class DecisionKind(StrEnum):
    TIME_PENALTY = "time-penalty"  # seconds added to race time
    DRIVE_THROUGH = "drive-through"  # served in the race, or converted to time when given late
    STOP_GO = "stop-go"
    LAP_PENALTY = "lap-penalty"  # laps removed from the laps completed
    DELETE_LAP = "delete-lap"  # track limits: the lap counts, but not for best lap or grid
    GRID_DROP = "grid-drop"  # places on the grid of this race
    PIT_LANE_START = "pit-lane-start"
    DISQUALIFICATION = "disqualification"
    EXCLUSION = "exclusion"
    REPRIMAND = "reprimand"


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision about one car in one session.

    `time` (µs) for time penalties and stop-go length; `laps` for lap penalties; `lap` names the lap a
    deletion applies to; `places` for grid drops. `served` marks a drive-through or stop-go served during
    the race (its cost is already in the lap times); an unserved one is converted to time per the rules.
    `reason` is the text as given; `reason_translations` the same reason in other languages, by language
    code, for documents and reports in those languages.
    """

    session: str
    car: str
    kind: DecisionKind
    reason: str
    reference: str = ""
    issued_at: str = ""  # as published ("15:42", "after the race"): kept for documents, not computed on
    time: int = 0  # µs
    laps: int = 0
    lap: int = 0
    places: int = 0
    served: bool = False
    reason_translations: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def reason_in(self, lang: str) -> str:
        """The reason in `lang` when it was given in that language, else as given."""
        return self.reason_translations.get(lang, self.reason)
