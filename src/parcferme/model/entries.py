"""Drivers, teams and entries (a car with its number, drivers and attributes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from types import MappingProxyType

from parcferme.model._dataclass import dataclass

AttributeValue = str | bool | tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Driver:
    """A driver as timing and results name them; `name` joins first and last names."""

    first_name: str
    last_name: str
    nationality: str = ""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True, slots=True)
class Entry:
    """A car entered in an event. `number` is a string: "007" and "7" are different cars.

    Attributes describe what eligibility rules look at: class ("B"), rookie (True), championships
    entered (("FR",)), guest, nationality… Values are strings, booleans or tuples of strings.
    """

    number: str
    drivers: tuple[Driver, ...]
    team: str = ""
    car: str = ""
    transponders: tuple[str, ...] = ()
    attributes: Mapping[str, AttributeValue] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def driver(self) -> Driver:
        """The first (nominated) driver, used where one name stands for the car."""
        return self.drivers[0]

    @property
    def name(self) -> str:
        return " / ".join(d.name for d in self.drivers)

    def attribute(self, key: str) -> AttributeValue | None:
        return self.attributes.get(key)

    def __hash__(self) -> int:
        return hash(self.number)
