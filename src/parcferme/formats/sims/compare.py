"""parcferme's classification of a sim session against the game server's own, and why they differ.

Two classifications agree when they list the cars in the same order and, in a race, credit each car with
the same number of laps. When they do not, the difference must be one of a few documented reasons
(`Reason`, docs/sim-results.md): each one names cars to leave out of the comparison or a reordering, and
applies only where its condition holds in the file. `reconcile` looks for the smallest set of reasons that
makes the two agree, so a file's listed reasons are exactly the ones it needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations

from parcferme.formats.sims.result import ServerRow, ServerSession
from parcferme.model.results import SessionResult, Status
from parcferme.model.timing import Lap

__all__ = ["Reason", "SessionCheck", "reconcile"]


class Reason(StrEnum):
    """Why parcferme's classification of a sim session may differ from the game server's."""

    # The file holds fewer laps for a car than the server credits it with (none at all, in iRacing races
    # and files whose laps were erased), or, in practice and qualifying, none of the laps that gave the
    # server its best time: parcferme cannot count what is not there. Those cars are left out.
    MISSING_LAPS = "missing-laps"
    # The server gives a car no position (rFactor 2's Position -1): there is nothing to compare it with.
    NO_SERVER_POSITION = "no-server-position"
    # Cars without a time on either side (no lap, or no valid lap in qualifying) are not ranked by
    # parcferme beyond laps covered; the server lists them in an order of its own (joining order).
    UNRANKED = "unranked-order"
    # The server's positions contradict its own laps and times (hand-edited or corrupted files): compared
    # with the order the server's own laps and times give (disqualified cars keep their places).
    SERVER_INCONSISTENT = "server-inconsistent"
    # parcferme lists disqualified cars after every other car; the server keeps them in the running order.
    DSQ_LAST = "dsq-last"


@dataclass(frozen=True, slots=True)
class SessionCheck:
    """The outcome of comparing one session: agreed outright, agreed given `reasons`, or not."""

    session: str
    engine_order: tuple[str, ...]
    server_order: tuple[str, ...]
    reasons: tuple[Reason, ...]
    agreed: bool
    differences: tuple[str, ...]  # what still differs with every reason applied (empty when agreed)

    @property
    def exact(self) -> bool:
        return self.agreed and not self.reasons


@dataclass(slots=True)
class _View:
    """The two sides as compared: orders, and the cars whose laps are compared."""

    engine: list[str]
    server: list[str]
    lap_cars: set[str]


class _Sides:
    """parcferme's result and the server's, with what each reason needs to know about them."""

    def __init__(self, result: SessionResult, server: ServerSession, laps: Sequence[Lap], race: bool) -> None:
        self.result = result
        self.server = server
        self.race = race
        self.rows = {r.car: r for r in server.rows}
        self.engine_laps = {r.car: r.laps for r in result.rows}
        self.engine_time = {r.car: r.time for r in result.rows}
        self.disqualified = [r.car for r in result.rows if r.status in (Status.DSQ, Status.EXCL)]
        self.held: dict[str, int] = {}
        for lap in laps:
            self.held[lap.car] = self.held.get(lap.car, 0) + 1

    def steps(self) -> dict[Reason, Callable[[_View], None]]:
        """The reasons whose condition holds, each as a change to the compared view."""
        rows, times, dsq = self.rows, self.engine_time, self.disqualified
        if self.race:
            missing = {c for c, r in rows.items() if r.laps is not None and self.held.get(c, 0) < r.laps}
        else:  # a timed session: only a best lap the file does not hold matters
            missing = {c for c, r in rows.items() if r.time is not None and times.get(c) is None}
        unpositioned = {c for c, r in rows.items() if r.position is None}
        untimed = {c for c, r in rows.items() if r.time is None and times.get(c) is None and c not in dsq}
        steps: dict[Reason, Callable[[_View], None]] = {}
        for reason, cars in (
            (Reason.MISSING_LAPS, missing),
            (Reason.NO_SERVER_POSITION, unpositioned),
            (Reason.UNRANKED, untimed),
        ):
            if cars:
                steps[reason] = _leave_out(cars)
        steps[Reason.SERVER_INCONSISTENT] = self._by_own_figures
        if dsq:
            steps[Reason.DSQ_LAST] = self._disqualified_last
        return steps

    def _by_own_figures(self, view: _View) -> None:
        # disqualified cars keep their places: where the server puts them is DSQ_LAST's business
        slots = [i for i, car in enumerate(view.server) if car not in self.disqualified]
        ranked = sorted((view.server[i] for i in slots), key=lambda car: _own_key(self.rows[car], self.race))
        for i, car in zip(slots, ranked, strict=True):
            view.server[i] = car

    def _disqualified_last(self, view: _View) -> None:
        kept = [c for c in view.server if c not in self.disqualified]
        view.server = kept + [c for c in self.disqualified if c in view.server]

    def differences(
        self, steps: dict[Reason, Callable[[_View], None]], chosen: Sequence[Reason]
    ) -> list[str]:
        """What differs once the chosen reasons are applied (none: they account for everything)."""
        view = _View(list(self.result.order), list(self.server.order), set(self.rows) if self.race else set())
        for reason in Reason:  # a fixed order: leaving cars out before reordering the rest
            if reason in chosen:
                steps[reason](view)
        found = []
        if view.engine != view.server:
            found.append(f"order: parcferme {' '.join(view.engine)} / server {' '.join(view.server)}")
        for car in sorted(view.lap_cars):
            theirs, ours = self.rows[car].laps, self.engine_laps.get(car)
            if theirs is not None and ours != theirs:
                found.append(f"car {car}: parcferme {ours} laps / server {theirs}")
        return found


def reconcile(result: SessionResult, server: ServerSession, laps: Sequence[Lap], race: bool) -> SessionCheck:
    """Compare parcferme's result with the server's; `laps` are the laps the event holds for the session."""
    sides = _Sides(result, server, laps, race)
    steps = sides.steps()
    available = [r for r in Reason if r in steps]
    for size in range(len(available) + 1):
        for chosen in combinations(available, size):
            if not sides.differences(steps, chosen):
                return SessionCheck(result.session, result.order, server.order, chosen, True, ())
    remaining = tuple(sides.differences(steps, available))
    return SessionCheck(result.session, result.order, server.order, tuple(available), False, remaining)


def _leave_out(cars: set[str]) -> Callable[[_View], None]:
    def apply(view: _View) -> None:
        view.engine = [c for c in view.engine if c not in cars]
        view.server = [c for c in view.server if c not in cars]
        view.lap_cars -= cars

    return apply


def _own_key(row: ServerRow, race: bool) -> tuple[int, int]:
    """How the server's own figures rank a car: laps then race time (race), best lap (other sessions).

    Python's sort is stable: cars the figures cannot separate keep the server's order.
    """
    never = 1 << 62
    time = row.time if row.time is not None else never
    return (-(row.laps or 0), time) if race else (0, time)
