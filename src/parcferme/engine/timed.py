"""Practice and qualifying classification: best valid lap, ties to whoever set it first (RULES.md §2.1)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from parcferme.engine.decisions import penalties_by_car
from parcferme.engine.laps import laps_by_car
from parcferme.model.decisions import Decision
from parcferme.model.entries import Entry
from parcferme.model.results import BestLap, ResultRow, SessionResult, Status
from parcferme.model.rules import RuleSet
from parcferme.model.session import Session
from parcferme.model.time import Gap
from parcferme.model.timing import Lap


def classify_timed(
    session: Session,
    laps: Iterable[Lap],
    entries: Sequence[Entry],
    rules: RuleSet,
    decisions: Sequence[Decision] = (),
) -> SessionResult:
    """Order cars by best valid lap (deleted laps and out laps excluded); cars without a time follow,
    unpositioned."""
    per_car = laps_by_car(laps)
    penalties = penalties_by_car((d for d in decisions if d.session == session.id), rules)
    known = {e.number for e in entries}
    cars = [e.number for e in entries] + [c for c in per_car if c not in known]

    timed: list[tuple[tuple[int, int], str, BestLap, int | None, int]] = []
    untimed: list[tuple[str, int, Status]] = []
    for car in cars:
        car_laps = per_car.get(car, [])
        pen = penalties.get(car)
        # an out lap starts in the pit lane, not at the Line: it is not a timed lap for best, second-best
        # or grid (RULES.md §2.2: "at least two timed laps")
        timed_laps = (lap for lap in car_laps if not lap.deleted and not lap.out_lap)
        valid = sorted(timed_laps, key=lambda lap: (lap.time, lap.end))
        if pen is not None and (pen.disqualified or pen.excluded):
            untimed.append((car, len(car_laps), Status.EXCL if pen.excluded else Status.DSQ))
        elif valid:
            top = valid[0]
            second = valid[1].time if len(valid) > 1 else None
            best_lap = BestLap(car, top.number, top.time, top.end)
            timed.append(((top.time, top.end), car, best_lap, second, len(car_laps)))
        else:
            untimed.append((car, len(car_laps), Status.NC if car_laps else Status.DNS))
    timed.sort(key=lambda t: t[0])

    rows: list[ResultRow] = []
    pole = timed[0][2].time if timed else 0
    previous: int | None = None
    notes = {car: pen.notes for car, pen in penalties.items()}
    for position, (_, car, best, second, n_laps) in enumerate(timed, start=1):
        rows.append(
            ResultRow(
                position=position,
                car=car,
                status=Status.CLASSIFIED,
                laps=n_laps,
                time=best.time,
                gap=Gap(time=best.time - pole) if position > 1 else None,
                interval=Gap(time=best.time - previous) if previous is not None else None,
                best_lap=best,
                second_best=second,
                penalties=notes.get(car, ()),
            )
        )
        previous = best.time
    order = {Status.NC: 0, Status.DNS: 1, Status.DSQ: 2, Status.EXCL: 2}
    for car, n_laps, status in sorted(untimed, key=lambda u: (order[u[2]], -u[1])):
        rows.append(
            ResultRow(
                position=None, car=car, status=status, laps=n_laps, time=None, penalties=notes.get(car, ())
            )
        )
    return SessionResult(
        session=session.id,
        classification="overall",
        rows=tuple(rows),
        fastest_lap=timed[0][2] if timed else None,
    )
