"""A season's calendar as TOML: the rounds scheduled, so that standings know the season goes on.

The standings after a round depend on the rounds still to come: results dropped "at season end" are
dropped only after the last scheduled round, and what is still possible depends on the points left. A
series given as event folders knows only the rounds it has; its calendar lists the others:

```toml
series = "Porsche Carrera Cup France"
season = 2017

[[round]]
number = 2
name = "Le Mans"
date = 2017-06-17          # optional: a TOML date or "YYYY-MM-DD"
races = ["R"]              # the ids of its scoring sessions (races)
```

`calendar.toml` in a series folder (or an event folder) is read first; otherwise the packaged calendar of
the event's rule set, `rules/calendars/<rule-set id>.toml`, when there is one.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from parcferme.formats.tomlio import Table, TomlDoc
from parcferme.model.championship import Round, RoundSession

__all__ = ["CALENDAR_FILE", "Calendar", "packaged_calendar", "read_calendar"]

CALENDAR_FILE = "calendar.toml"
_PACKAGED = Path(__file__).resolve().parents[1] / "rules" / "calendars"
_TOP_KEYS = ("series", "season", "round")
_ROUND_KEYS = ("number", "name", "date", "races")


@dataclass(frozen=True, slots=True)
class Calendar:
    """A season's scheduled rounds, each with its race ids and no results."""

    series: str
    season: int
    rounds: tuple[Round, ...]


def read_calendar(path: str | os.PathLike[str], source: str | None = None) -> Calendar:
    """Read a calendar file; InputError (file, line, key) for anything wrong in it."""
    file = Path(path)
    doc = TomlDoc.read(file, source or str(file))
    top = doc.root()
    top.check_keys(_TOP_KEYS)
    rounds: dict[int, Round] = {}
    for t in top.tables("round"):
        t.check_keys(_ROUND_KEYS)
        number = t.get_int("number", minimum=1)
        if number in rounds:
            t.fail(f"round {number} is listed twice", "number")
        races = _races(t)
        sessions = tuple(RoundSession(race, "race") for race in races)
        rounds[number] = Round(number, t.opt_str("name") or f"Round {number}", sessions, _date(t))
    if not rounds:
        top.fail("a calendar lists at least one [[round]]", "round")
    return Calendar(
        series=top.opt_str("series") or "",
        season=top.get_int("season", minimum=1),
        rounds=tuple(rounds[n] for n in sorted(rounds)),
    )


def packaged_calendar(rules_id: str) -> Calendar | None:
    """The packaged calendar of a rule set (`rules/calendars/<id>.toml`), None when there is none."""
    path = _PACKAGED / f"{rules_id}.toml"
    if "/" in rules_id or "\\" in rules_id or not path.is_file():
        return None
    return read_calendar(path, f"parcferme/rules/calendars/{rules_id}.toml")


def _races(t: Table) -> tuple[str, ...]:
    value = t.get("races")
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
        t.fail('expected a non-empty list of session ids, e.g. ["R1", "R2"]', "races")
    races = tuple(v.strip() for v in value)
    if len(set(races)) != len(races):
        t.fail("a session id is listed twice", "races")
    return races


def _date(t: Table) -> str:
    if not t.has("date"):
        return ""
    value = t.get("date")
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    t.fail(f"expected a date (2017-06-17), got {value!r}", "date")
