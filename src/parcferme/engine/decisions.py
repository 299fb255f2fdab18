"""Applying stewards' decisions: what each kind does to laps, race time and status."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from parcferme.errors import RuleError
from parcferme.model.decisions import Decision, DecisionKind
from parcferme.model.rules import RuleSet
from parcferme.model.time import format_time
from parcferme.model.timing import Lap


@dataclass(frozen=True, slots=True)
class CarPenalties:
    """The combined effect of one car's decisions in one session."""

    time: int = 0  # µs added to race time
    laps: int = 0  # laps taken off the laps completed
    disqualified: bool = False
    excluded: bool = False
    notes: tuple[str, ...] = ()


def penalties_by_car(decisions: Iterable[Decision], rules: RuleSet) -> dict[str, CarPenalties]:
    """Fold decisions into per-car penalties.

    An unserved drive-through or stop-go (given in the last laps or after the race) becomes time, per the
    rules' conversion table (F1 2025 Art 54.3: 20 s and 30 s); a served one is already in the lap times.
    """
    out: dict[str, CarPenalties] = {}
    for d in decisions:
        current = out.get(d.car, CarPenalties())
        time, laps = current.time, current.laps
        dsq, excl = current.disqualified, current.excluded
        note = _describe(d)
        if d.kind is DecisionKind.TIME_PENALTY:
            time += d.time
        elif d.kind in (DecisionKind.DRIVE_THROUGH, DecisionKind.STOP_GO) and not d.served:
            converted = rules.late_conversion(d.kind)
            if converted is None:
                raise RuleError(f"rule set {rules.id!r} gives no time for an unserved {d.kind.value}")
            time += converted
            note = f"{note} (not served: +{_seconds(converted)})"
        elif d.kind is DecisionKind.LAP_PENALTY:
            laps += d.laps
        elif d.kind is DecisionKind.DISQUALIFICATION:
            dsq = True
        elif d.kind is DecisionKind.EXCLUSION:
            excl = True
        out[d.car] = CarPenalties(time, laps, dsq, excl, (*current.notes, note))
    return out


def _describe(d: Decision) -> str:
    what = {
        DecisionKind.TIME_PENALTY: f"{_seconds(d.time)} time penalty",
        DecisionKind.LAP_PENALTY: f"{d.laps}-lap penalty",
        DecisionKind.DELETE_LAP: f"lap {d.lap} deleted",
        DecisionKind.GRID_DROP: f"{d.places}-place grid drop",
    }.get(d.kind, d.kind.value.replace("-", " "))
    return f"{what}: {d.reason}" if d.reason else what


def _seconds(micros: int) -> str:
    """`5 s`, `2.5 s` — a penalty as stewards write it."""
    whole, rest = divmod(micros, 1_000_000)
    return f"{whole} s" if rest == 0 else f"{format_time(micros)} s"


def delete_laps(laps: Sequence[Lap], decisions: Iterable[Decision]) -> tuple[Lap, ...]:
    """Mark the laps named by delete-lap decisions (track limits): they count, but not for best lap."""
    reasons = {(d.car, d.lap): d.reason or "deleted" for d in decisions if d.kind is DecisionKind.DELETE_LAP}
    if not reasons:
        return tuple(laps)
    return tuple(
        lap._replace(deleted=reasons[(lap.car, lap.number)]) if (lap.car, lap.number) in reasons else lap
        for lap in laps
    )
