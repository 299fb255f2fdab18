"""Sub-classifications: a session result re-ranked among the entries a classification admits."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from parcferme.engine.race import gap_between
from parcferme.model.classification import Classification
from parcferme.model.entries import Entry
from parcferme.model.results import ResultRow, SessionResult, Status
from parcferme.model.session import SessionKind
from parcferme.model.time import Gap


def reclassify(
    result: SessionResult,
    entries: Sequence[Entry],
    classification: Classification,
    kind: SessionKind = SessionKind.RACE,
) -> SessionResult:
    """Keep the overall order, drop ineligible entries, renumber 1..n, recompute gaps and intervals, and
    take the fastest lap (race) or pole (qualifying) among eligible entries only (RULES.md §4.3)."""
    admitted = {e.number for e in entries if classification.admits(e)}
    kept = [r for r in result.rows if r.car in admitted]
    rows: list[ResultRow] = []
    position = 0
    leader: ResultRow | None = None
    ahead: ResultRow | None = None
    for r in kept:
        timed = r.time is not None and r.status not in (Status.DSQ, Status.EXCL, Status.DNS)
        if r.position is not None:
            position += 1
        if leader is None and timed:
            leader = r
        rows.append(
            replace(
                r,
                position=position if r.position is not None else None,
                overall_position=r.position,
                gap=_gap(leader, r, kind) if timed and r is not leader else None,
                interval=_gap(ahead, r, kind) if timed else None,
            )
        )
        if timed:
            ahead = r
    best = [r.best_lap for r in kept if r.best_lap is not None and r.status not in (Status.DSQ, Status.EXCL)]
    fastest = min(best, key=lambda b: (b.time, b.at), default=None)
    return replace(result, classification=classification.id, rows=tuple(rows), fastest_lap=fastest)


def _gap(ahead: ResultRow | None, behind: ResultRow, kind: SessionKind) -> Gap | None:
    if ahead is None or ahead.time is None or behind.time is None:
        return None
    if kind is SessionKind.RACE:
        return gap_between(ahead, behind)
    return Gap(time=behind.time - ahead.time)
