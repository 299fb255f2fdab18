"""iRacing results JSON (the member site's subsession results; also accepted wrapped in `{"data": …}`).

Mapping (docs/sim-results.md has the full table):

- `session_results[]` → sessions, in `simsession_number` order (practice −2, qualifying −1, race 0); the
  kind from `simsession_type_name` (Practice, Qualifying, Race…).
- `results[]` → entries: `livery.car_number`, `display_name` (a team's `driver_results` in team events),
  the club as team when there is no team (as iRacing's own result pages show it), the car class name as car
  and class. The server's row: `finish_position` (0-based in the file), `laps_complete`, `best_lap_time`,
  `starting_position`, `reason_out`.
- Times are in 1/10 000 s.

The file holds no lap chart (iRacing serves it separately), only each car's best lap. Practice and
qualifying get one lap per car, the best one, which is all a timed classification looks at; its time of day
is `best_qual_lap_at` when given, else the session start (unknown: ties then keep the file's order). A race
gets no laps at all: one best lap would misstate the laps covered.
"""

from __future__ import annotations

import datetime as dt
import re

from parcferme.formats.sims.build import (
    UNKNOWN_DATE,
    CarKeys,
    SessionIds,
    driver_from_name,
    entry,
    make_event,
)
from parcferme.formats.sims.build import make_session as new_session
from parcferme.formats.sims.jsonnav import Node, parse_json
from parcferme.formats.sims.result import Game, ServerRow, ServerSession, ServerStatus, SimResult
from parcferme.model.decisions import Decision, DecisionKind
from parcferme.model.entries import AttributeValue, Entry
from parcferme.model.event import Circuit, SessionData
from parcferme.model.session import SessionKind
from parcferme.model.timing import Lap

__all__ = ["read_iracing"]

_TICKS = 100  # µs per 1/10 000 s
_DAY = 86_400_000_000
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z?$")
_STATUS = {
    "running": ServerStatus.FINISHED,
    "disconnected": ServerStatus.DISCONNECTED,
    "disqualified": ServerStatus.DSQ,
}


def read_iracing(text: str, source: str) -> SimResult:
    root = parse_json(text, source)
    wrapped = root.opt("data")
    if wrapped is not None and not root.has("session_results"):
        root = wrapped
    date, clock = _instant(root.opt("start_time"))
    classes = _classes(root)
    ids = SessionIds()
    keys = CarKeys()
    entries: dict[str, Entry] = {}
    sessions: list[SessionData] = []
    servers: list[ServerSession] = []
    nodes = sorted(root.key("session_results").items(), key=lambda n: n.opt_int("simsession_number") or 0)
    for node in nodes:
        kind = _kind(node)
        session_id = ids.id(kind)
        keys.next_session()
        rows: list[ServerRow] = []
        laps: list[Lap] = []
        decisions: list[Decision] = []
        for result in node.key("results").items():
            key, car_entry = _entry(result, keys, classes)
            entries.setdefault(key, car_entry)
            row = _row(result, key, kind)
            rows.append(row)
            if row.status is ServerStatus.DSQ:
                decisions.append(Decision(session_id, key, DecisionKind.DISQUALIFICATION, "disqualified"))
            if kind is not SessionKind.RACE and row.best_lap is not None:
                laps.append(_best_lap(result, key, row.best_lap, date, clock))
        rows.sort(key=lambda r: (r.position is None, r.position or 0))
        name = node.opt_str("simsession_type_name") or kind.value.capitalize()
        session = new_session(session_id, kind, name, date, clock, sectors=1)
        sessions.append(SessionData(session, laps=tuple(laps), decisions=tuple(decisions)))
        servers.append(ServerSession(session_id, tuple(rows)))
    if not sessions:
        root.key("session_results").fail("no session in the file")
    track = root.opt("track")
    circuit = Circuit(track.opt_str("track_name") if track is not None else "")
    title = root.opt_str("session_name") or root.opt_str("league_name") or root.opt_str("series_name")
    event = make_event(Game.IRACING.display_name, title, circuit, date, entries.values(), sessions)
    notes = ["iRacing results hold no lap chart: laps are not rebuilt (best laps only, in timed sessions)"]
    return SimResult(Game.IRACING, event, tuple(servers), (*notes, *keys.notes))


def _instant(node: Node | None) -> tuple[dt.date, int]:
    """An ISO instant (UTC) as a date and µs since its midnight; the unknown date when absent or odd."""
    if node is None:
        return UNKNOWN_DATE, 0
    match = _ISO.match(node.as_str().strip())
    if match is None:
        node.fail("expected an ISO date and time such as 2021-01-08T19:00:12Z")
    year, month, day, hour, minute, second = (int(g) for g in match.groups())
    try:
        date = dt.date(year, month, day)
    except ValueError:
        node.fail("not a calendar date")
    if hour > 23 or minute > 59 or second > 59:
        node.fail("not a time of day")
    if date.year < 1980:  # iRacing writes 1970-01-01T00:00:00Z for "never"
        return UNKNOWN_DATE, 0
    return date, ((hour * 60 + minute) * 60 + second) * 1_000_000


def _classes(root: Node) -> dict[int, str]:
    """Car id → the name of its class (iRacing names a one-make class after its car)."""
    names: dict[int, str] = {}
    for node in root.opt_items("car_classes"):
        name = node.opt_str("name") or node.opt_str("short_name")
        for car in node.opt_items("cars_in_class"):
            names.setdefault(car.get_int("car_id"), name)
    return names


def _kind(node: Node) -> SessionKind:
    label = node.opt_str("simsession_type_name") or node.opt_str("simsession_name")
    low = label.lower()
    if "qualif" in low:
        return SessionKind.QUALIFYING
    if "practice" in low or "warmup" in low or "warm up" in low:
        return SessionKind.PRACTICE
    if any(word in low for word in ("race", "heat", "feature", "consolation")):
        return SessionKind.RACE
    node.fail(f"unknown session type {label!r} (expected practice, qualifying or race)")


def _entry(result: Node, keys: CarKeys, classes: dict[int, str]) -> tuple[str, Entry]:
    livery = result.opt("livery")
    number = livery.opt_str("car_number") if livery is not None else ""
    number = number or result.opt_str("car_number")
    name = result.opt_str("display_name").strip()
    crew = [d.opt_str("display_name").strip() for d in result.opt_items("driver_results")]
    key = keys.key(number, name or result.path)
    car_id = result.opt_int("car_id")
    car_class = classes.get(car_id, "") if car_id is not None else ""
    car = result.opt_str("car_name") or car_class or (f"iRacing car {car_id}" if car_id is not None else "")
    team = name if crew else result.opt_str("club_name")
    drivers = (driver_from_name(n) for n in (crew or [name]))
    ids = [d.opt_int("cust_id") for d in result.opt_items("driver_results")] or [result.opt_int("cust_id")]
    players = tuple(str(i) for i in ids if i is not None)
    attributes: dict[str, AttributeValue] = {"class": car_class, "player_id": players}
    return key, entry(key, drivers, team=team, car=car, attributes=attributes)


def _row(result: Node, key: str, kind: SessionKind) -> ServerRow:
    position = result.opt_int("finish_position")
    class_position = result.opt_int("finish_position_in_class")
    laps = max(result.opt_int("laps_complete") or 0, 0)
    best = _ticks(result.opt_int("best_lap_time"))
    reason = result.opt_str("reason_out") or "Running"
    status = _STATUS.get(reason.strip().lower(), ServerStatus.DNF)
    if status is ServerStatus.FINISHED and kind is not SessionKind.RACE:
        status = ServerStatus.RUNNING
    if laps == 0 and status in (ServerStatus.FINISHED, ServerStatus.RUNNING):
        status = ServerStatus.DNS
    start = result.opt_int("starting_position")
    return ServerRow(
        car=key,
        position=None if position is None or position < 0 else position + 1,
        status=status,
        laps=laps,
        time=best if kind is not SessionKind.RACE else None,
        best_lap=best,
        grid=None if start is None or start < 0 else start + 1,
        class_position=None if class_position is None or class_position < 0 else class_position + 1,
        detail=reason,
    )


def _ticks(value: int | None) -> int | None:
    return None if value is None or value <= 0 else value * _TICKS


def _best_lap(result: Node, key: str, best: int, day: dt.date, clock: int) -> Lap:
    """The car's best lap, ending when the file says it was set, else at the session start + its time."""
    number = max(result.opt_int("best_lap_num") or 1, 1)
    at = result.opt("best_qual_lap_at")
    end = clock + best
    if at is not None and day != UNKNOWN_DATE and _ticks(result.opt_int("best_qual_lap_time")) == best:
        date, tod = _instant(at)
        if date != UNKNOWN_DATE:
            end = (date - day).days * _DAY + tod  # µs since midnight of the event's date
    return Lap(key, number, end - best, end, best)
