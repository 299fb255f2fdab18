"""Incidents of a session as race control logs them: who spun, who collided, what it brought out.

Timing alone cannot say why a safety car came out or why a car stopped; the incident log can. It is data
for the story of a session (engine.facts), never for the classification: results come from the timing and
the decisions only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from enum import StrEnum
from types import MappingProxyType

from parcferme.model._dataclass import dataclass
from parcferme.model.timing import TrackStatus


class IncidentKind(StrEnum):
    SPIN = "spin"
    OFF = "off"  # left the track
    CONTACT = "contact"  # between the cars listed
    CRASH = "crash"  # hit the barriers
    STOPPED = "stopped"  # stopped on track
    MECHANICAL = "mechanical"  # a failure


# The track statuses an incident can bring out.
NEUTRALISATIONS = frozenset(
    {TrackStatus.SC, TrackStatus.VSC, TrackStatus.FCY, TrackStatus.CODE60, TrackStatus.RED}
)


@dataclass(frozen=True, slots=True)
class Incident:
    """One incident: `cars[0]` is the car it happened to (for a contact, every car involved, in order).

    `hit_by` is a car that then struck the first one; `neutralisation` the track status it brought out;
    `retired` the cars it put out of the session; `lap` the first car's lap when it happened; `note` free
    text per language code, for what the fields cannot say.
    """

    session: str
    kind: IncidentKind
    cars: tuple[str, ...]
    lap: int | None = None
    hit_by: str = ""
    neutralisation: TrackStatus | None = None
    retired: tuple[str, ...] = ()
    note: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def involved(self) -> tuple[str, ...]:
        """Every car involved, the first car first."""
        return self.cars + ((self.hit_by,) if self.hit_by and self.hit_by not in self.cars else ())
