"""Starting grids from a qualifying session, with grid drops and pit-lane starts (RULES.md §2)."""

from __future__ import annotations

from collections.abc import Sequence

from parcferme.model.decisions import Decision, DecisionKind
from parcferme.model.entries import Entry
from parcferme.model.results import Grid, GridSlot, SessionResult
from parcferme.model.session import GridRule, GridSource


def build_grid(
    race_session: str,
    rule: GridRule,
    source: SessionResult,
    entries: Sequence[Entry],
    decisions: Sequence[Decision] = (),
) -> Grid:
    """The grid of a race from its source session's best (or second-best) laps.

    Second-best: a car with a single valid lap goes behind every car with two (RULES.md §2.2), ties go
    to the better best lap. Cars with no time follow in entry order. Pit-lane starters go to the back,
    then grid drops apply among the others.
    """
    if rule.lap is GridSource.BEST:
        timed = [(r.car, r.time) for r in source.rows if r.position is not None]
    else:
        with_two = sorted(
            (r for r in source.rows if r.second_best is not None),
            key=lambda r: (r.second_best, r.time),
        )
        only_one = [r for r in source.rows if r.position is not None and r.second_best is None]
        timed = [(r.car, r.second_best) for r in with_two] + [(r.car, None) for r in only_one]
    placed = {car for car, _ in timed}
    untimed = [e.number for e in entries if e.number not in placed]
    order: list[tuple[str, int | None, str]] = [(car, t, "") for car, t in timed]
    order += [(car, None, "no time") for car in untimed]

    race_decisions = [d for d in decisions if d.session == race_session]
    drops: dict[str, int] = {}
    for d in race_decisions:
        if d.kind is DecisionKind.GRID_DROP:
            drops[d.car] = drops.get(d.car, 0) + d.places
    pit_lane = {d.car for d in race_decisions if d.kind is DecisionKind.PIT_LANE_START}

    # pit-lane starters leave the grid first; drops then apply among the cars that line up on it
    on_grid = _apply_drops([o for o in order if o[0] not in pit_lane], drops)
    in_pits = [o for o in order if o[0] in pit_lane]
    slots = [GridSlot(i, car, t, note=note) for i, (car, t, note) in enumerate(on_grid, start=1)]
    slots += [
        GridSlot(len(on_grid) + i, car, t, pit_lane=True, note="pit-lane start")
        for i, (car, t, _) in enumerate(in_pits, start=1)
    ]
    return Grid(session=race_session, slots=tuple(slots))


def _apply_drops(
    order: list[tuple[str, int | None, str]], drops: dict[str, int]
) -> list[tuple[str, int | None, str]]:
    """Grid drops after F1 2025 Art 42.3: a dropped car takes qualifying place + penalty (capped at the
    back); when two land on one slot the slower qualifier keeps it and the other moves just ahead;
    unpenalised cars fill the free slots in qualifying order."""
    if not drops:
        return order
    size = len(order)
    slots: dict[int, tuple[str, int | None, str]] = {}
    penalised = [(i, o) for i, o in enumerate(order) if o[0] in drops]
    for i, (car, t, _) in reversed(penalised):  # slowest qualifier first keeps a contested slot
        target = min(i + drops[car], size - 1)
        while target in slots and target > 0:
            target -= 1
        while target in slots:
            target += 1
        slots[target] = (car, t, f"{drops[car]}-place grid drop")
    free = (s for s in range(size) if s not in slots)
    for o in order:
        if o[0] not in drops:
            slots[next(free)] = o
    return [slots[s] for s in sorted(slots)]
