"""Dropped results: which of a competitor's results count (best N, best N per part of a season, all but N)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction

from parcferme.model.points import DropRule, DropSegment
from parcferme.model.standings import CountedResult

__all__ = ["Unit", "apply_drops", "kept", "segment_of", "select"]

Unit = tuple[int, str, str, int | Fraction]  # (round, session, car, points): one result as drops see it


def kept(segment: DropSegment, held: int) -> int | None:
    """How many results of a segment count when `held` units of it have been held; None: all of them."""
    if segment.best is not None:
        return segment.best
    if segment.drop is not None:
        return max(0, held - segment.drop)
    return None


def segment_of(rule: DropRule, round_number: int) -> int:
    """The index of the segment a round belongs to; -1 when none (its results always count)."""
    for index, segment in enumerate(rule.segments):
        if segment.contains(round_number):
            return index
    return -1


def select(
    units: Sequence[Unit], rule: DropRule, held: Mapping[int, int], segments: Mapping[int, int] | None = None
) -> tuple[int, ...]:
    """The indexes of the units that count, in order. `held[i]` = units held so far in segment i;
    `segments` may map round numbers to segment indexes (looked up when absent).

    The best results count: higher points first, the earlier one on equal points. A result outside every
    segment always counts. For "all but N", units a competitor missed count as zeros and are dropped first,
    so only `held - N - missed` of the real results need to go.
    """
    if len(rule.segments) == 1 and rule.segments[0].first_round == 1:
        only = rule.segments[0]
        if only.last_round is None:  # the usual case: one rule for the whole season
            keep = kept(only, held.get(0, 0))
            return tuple(range(len(units))) if keep is None or keep >= len(units) else _best(units, keep)
    groups: dict[int, list[int]] = {}
    for i, unit in enumerate(units):
        known = segments.get(unit[0]) if segments is not None else None
        groups.setdefault(segment_of(rule, unit[0]) if known is None else known, []).append(i)
    chosen: list[int] = []
    for index, group in groups.items():
        keep = None if index < 0 else kept(rule.segments[index], held.get(index, 0))
        if keep is None or keep >= len(group):
            chosen.extend(group)
        else:
            chosen.extend(_best([units[i] for i in group], keep, group))
    chosen.sort()
    return tuple(chosen)


def _best(units: Sequence[Unit], keep: int, indexes: Sequence[int] | None = None) -> tuple[int, ...]:
    """The indexes of the `keep` best units (points, then the earlier: units are in the order held)."""
    ranked = sorted([(-u[3], u[0], u[1], u[2], i) for i, u in enumerate(units)])[:keep]
    positions = sorted(r[4] for r in ranked)
    return tuple(positions) if indexes is None else tuple(indexes[i] for i in positions)


def apply_drops(
    results: Sequence[CountedResult], rule: DropRule, held: Mapping[int, int]
) -> tuple[tuple[CountedResult, ...], tuple[CountedResult, ...]]:
    """(counted, dropped), each in the order given; see `select`."""
    counted = set(select([(r.round, r.session, r.car, r.points) for r in results], rule, held))
    return (
        tuple(r for i, r in enumerate(results) if i in counted),
        tuple(r for i, r in enumerate(results) if i not in counted),
    )
