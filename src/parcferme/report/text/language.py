"""What every language's phrasebook shares: naming the cast, choosing among phrasings, sentence hygiene.

A phrasebook turns one fact into one sentence. It names a driver in full the first time and by surname
afterwards (a car with several drivers by its number), and rotates through the phrasings it has for each
kind of sentence so that two races told one after the other do not read alike.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence

from parcferme.model.entries import Driver, Entry
from parcferme.model.event import Event
from parcferme.model.time import Gap

__all__ = ["Cast", "Rotation", "Voice", "capitalise", "display_surname", "is_race_name"]

# An event named like a race ("24 Hours of Le Mans", "Grand Prix de Pau") rather than like a place ("Spa")
_RACE_NAME = re.compile(
    r"\b(hours|heures|grand prix|gp|race|course|cup|coupe|trophy|trophée)\b", re.IGNORECASE
)


def is_race_name(name: str) -> bool:
    return bool(name) and _RACE_NAME.search(name) is not None


def display_surname(name: str) -> str:
    """Timing exports often write surnames in capitals (CULLEN): a report writes them as names (Cullen);
    particles stay as given otherwise (de Narda)."""
    if name.isupper() and len(name) > 1:
        return "-".join(" ".join(w.capitalize() for w in part.split()) for part in name.split("-"))
    return name


def _full(driver: Driver) -> str:
    return f"{driver.first_name} {display_surname(driver.last_name)}".strip()


def capitalise(sentence: str) -> str:
    """The first letter in capitals (a sentence may open on "de Narda" or "the #50")."""
    return sentence[:1].upper() + sentence[1:] if sentence else sentence


class Cast:
    """The entries of an event, named as a report names them: in full once, then shorter."""

    def __init__(self, event: Event) -> None:
        self._entries: Mapping[str, Entry] = {e.number: e for e in event.entries}
        self._named: set[str] = set()

    def entry(self, car: str) -> Entry | None:
        return self._entries.get(car)

    def crewed(self, car: str) -> bool:
        """More than one driver: the car, not a driver, is the subject."""
        entry = self._entries.get(car)
        return entry is not None and len(entry.drivers) > 1

    def car_of(self, name: str) -> str | None:
        """The car of the driver with this full name (as the standings name them), if one."""
        for number, entry in self._entries.items():
            if len(entry.drivers) == 1 and _full(entry.drivers[0]) == name:
                return number
        return None

    def first_mention(self, car: str) -> bool:
        return car not in self._named

    def surname(self, car: str) -> str:
        entry = self._entries.get(car)
        if entry is None or not entry.drivers:
            return f"#{car}"
        return display_surname(entry.drivers[0].last_name) or entry.drivers[0].first_name

    def full_name(self, car: str) -> str:
        entry = self._entries.get(car)
        if entry is None or not entry.drivers:
            return f"#{car}"
        return _full(entry.drivers[0])

    def crew(self, car: str) -> str:
        """The drivers' surnames: "Fuoco / Molina / Nielsen"."""
        entry = self._entries.get(car)
        if entry is None:
            return ""
        return " / ".join(display_surname(d.last_name) or d.first_name for d in entry.drivers)

    def team(self, car: str) -> str:
        entry = self._entries.get(car)
        return entry.team if entry is not None else ""

    def make(self, car: str) -> str:
        entry = self._entries.get(car)
        return entry.car if entry is not None else ""

    def label(self, car: str) -> str:
        """Make and team, the make said once: "Ferrari AF Corse", not "Ferrari Ferrari AF Corse"."""
        make, team = self.make(car), self.team(car)
        if make and team.lower().startswith(make.lower()):
            return team
        return " ".join(x for x in (make, team) if x)

    def mark_named(self, car: str) -> None:
        self._named.add(car)


class Rotation:
    """Chooses among phrasings: each kind of sentence takes its phrasings in turn."""

    def __init__(self) -> None:
        self._uses: dict[str, int] = {}

    def pick(self, key: str, options: Sequence[str]) -> str:
        used = self._uses.get(key, 0)
        self._uses[key] = used + 1
        return options[used % len(options)]


class Voice(ABC):
    """What a language's phrasebook shares: the cast, the rotation of phrasings, naming, lists, gaps.

    A subclass gives its language code, how it prefixes a car number ("the #", "la n°"), the word that
    ends a list (" and ", " et "), and its `seconds` and `laps` wordings.
    """

    lang: str
    car_prefix: str
    conjunction: str

    def __init__(self, event: Event) -> None:
        self.event = event
        self.cast = Cast(event)
        self.rotation = Rotation()

    @abstractmethod
    def seconds(self, micros: int) -> str: ...

    @abstractmethod
    def laps(self, n: int) -> str: ...

    def who(self, car: str, *, team: bool = False) -> str:
        """A driver in full the first time ("Julien Andlauer", with the team when asked), by surname
        afterwards; a crewed car by number, with make, team and crew the first time."""
        cast = self.cast
        first = cast.first_mention(car)
        cast.mark_named(car)
        if cast.crewed(car):
            number = f"{self.car_prefix}{car}"
            if not first:
                return number
            label = cast.label(car)
            return number + (f" {label}" if label else "") + f" ({cast.crew(car)})"
        if not first:
            return cast.surname(car)
        name = cast.full_name(car)
        return f"{name} ({cast.team(car)})" if team and cast.team(car) else name

    def standing_name(self, name: str) -> str:
        """A driver of the standings, named like the cars of the results when one matches."""
        car = self.cast.car_of(name)
        return self.who(car) if car is not None else name

    def listing(self, items: Sequence[str]) -> str:
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + self.conjunction + items[-1]

    def gap(self, gap: Gap | None) -> str:
        if gap is None:
            return ""
        return self.laps(gap.laps) if gap.laps else self.seconds(gap.time or 0)
