"""One table of a championship (drivers or teams) computed round by round, and built for people on demand.

`TableWork.add_round` takes a round's scored sessions and updates every competitor's record: points,
results as the drop rules see them, countback, wins; then ranks the table. It keeps compact snapshots per
round (ints where whole, tuples, no objects); `table_at` builds the `StandingsTable` of a round the first
time it is asked for, with counted and dropped results and the tie explanations.

Dropped results: each competitor keeps the points of its results per drop segment in a sorted list, so a
round's total is its gross points less the tail of each list past the results that count (no sorting per
round); which of its results those are is worked out (drops.select) only for a table that is built.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections import deque
from collections.abc import Callable, Sequence
from fractions import Fraction
from itertools import repeat
from operator import attrgetter, itemgetter
from typing import Any, Final, TypeVar

from parcferme.engine.allocation import bulk_allocation
from parcferme.engine.drops import Unit, kept, segment_of, select
from parcferme.engine.points import SessionScores
from parcferme.engine.scoring import DecisionIndex, Num, Rec
from parcferme.engine.tiebreak import MISSING, Countback, explain_tie
from parcferme.model.championship import ChampionshipDecisionKind, Round, Season, Table
from parcferme.model.points import ChampionshipRules, DropUnit, TieBreak
from parcferme.model.standings import (
    CountedResult,
    Score,
    StandingRow,
    StandingsHistory,
    StandingsTable,
    StandingStatus,
    TieNote,
)

__all__ = ["TableWork"]

# A competitor's state after a round, one tuple: (-total, -packed countback, id) first, so that sorting
# snapshots ranks the table (F1's chain: points, then countback; ids are unique, nothing further is
# compared), then total, scored, wins, records so far, units so far, the units held per drop segment when
# some of the competitor's results are dropped (None: all count), and the competitor's record (its lists
# are kept by reference).
_Snap = tuple[Num, int, str, Num, Num, int, int, int, "dict[int, int] | None", "_Record"]
_TOTAL: Final = 3
_SCORED: Final = 4
_WINS: Final = 5
_RECS: Final = 6
_UNITS: Final = 7
_DROPPING: Final = 8
_RECORD: Final = 9
_RankKey = tuple[object, ...]


class _Record:
    """A competitor's results, kept by reference from the snapshots (no reference back: no cycles)."""

    __slots__ = ("cr", "id", "recs", "sessions", "units")

    def __init__(self, competitor: str) -> None:
        self.id = competitor
        self.sessions: list[SessionScores] = []
        self.recs: list[Rec] = []
        # results as the drop rules see them (one per round, session or result); without drops, one per
        # round in which the competitor took part
        self.units: list[Unit] = []
        self.cr: list[CountedResult] = []  # the units for display, built when a table is read


class _Competitor:
    """One competitor's running state through the season (a reset starts a new one under the same id)."""

    __slots__ = (
        "base",
        "cb",
        "gross",
        "id",
        "last",
        "listed",
        "ob",
        "record",
        "seen",
        "segs",
        "snap",
        "wins",
    )

    def __init__(self, competitor: str) -> None:
        self.id = competitor
        self.record = _Record(competitor)
        self.gross: Num = 0
        self.base: Num = 0  # gross points before the round being added (round units, no drops)
        self.seen = 0  # without drops: records before the round being added
        self.cb = 0  # packed countback of places
        self.ob = 0  # packed countback of finishing order
        self.last: dict[int, int] = {}  # race (index in TableWork.races) → best place (last-result rule)
        self.wins = 0
        self.listed = False  # in the table once it took part in a session that counts
        # drop segment (-1: none) → the negated points of its units, sorted: the best results first
        self.segs: dict[int, list[Num]] = {}
        self.snap: _Snap = (0, 0, competitor, 0, 0, 0, 0, 0, None, self.record)

    def add_unit(self, segment: int, points: Num) -> None:
        found = self.segs.get(segment)
        if found is None:
            self.segs[segment] = [-points]
        else:
            insort(found, -points)

    def replace_unit(self, segment: int, old: Num, new: Num) -> None:
        found = self.segs[segment]
        del found[bisect_left(found, -old)]
        insort(found, -new)


_snapshot = attrgetter("snap")
_scored = itemgetter(_SCORED)
_ZERO = Fraction(0)


class TableWork:
    """One table (drivers or teams) being computed round by round; then the source of its history."""

    def __init__(
        self,
        season: Season,
        table: Table,
        rules: ChampionshipRules,
        index: DecisionIndex,
        class_id: str,
        widths: tuple[int, int],
    ) -> None:
        self.season = season
        self.which = table
        self.team = table is Table.TEAMS
        self.rules = rules
        self.index = index
        self.class_id = class_id
        self.chain = rules.tiebreak
        self.places = Countback(widths[0])
        self.orders = Countback(widths[1])
        self.decoders = {TieBreak.COUNTBACK: self.places, TieBreak.FINISHING_ORDER: self.orders}
        self.kinds = frozenset(rules.countback_kinds)
        self.comps: dict[str, _Competitor] = {}
        self.former: dict[str, list[_Record]] = {}  # records before a reset
        self.listed: list[_Competitor] = []  # kept sorted round after round (nearly sorted: a cheap sort)
        self.held: dict[int, int] = {}  # drop segment → units held
        self.rounds: list[int] = []
        self.races: list[tuple[int, str]] = []  # (round, session) of the races so far (last-result rule)
        self.race_counts: list[int] = []  # per round: races held up to it
        self.names: list[str] = []
        self.finals: list[bool] = []
        # per round: snapshots in table order, positions (None: excluded), deductions, status, and the rank
        # keys when they are not the snapshots' own (another tie-break chain, deductions, exclusions)
        self.snaps: list[tuple[_Snap, ...]] = []
        self.keys: list[tuple[_RankKey, ...] | None] = []
        self.positions: list[tuple[int | None, ...] | None] = []  # None: from the snapshots (_positions)
        self.deductions: list[dict[str, Num]] = []
        self.status: list[dict[str, StandingStatus]] = []
        self.built: dict[int, StandingsTable] = {}
        self.fast = self.chain == (TieBreak.COUNTBACK,)
        drop = rules.drops
        self.segments = (
            {r.number: segment_of(drop, r.number) for r in season.rounds} if drop is not None else {}
        )
        self.has_deductions = any(d.kind is ChampionshipDecisionKind.DEDUCTION for d in index.all)
        self.has_exclusions = any(d.kind is ChampionshipDecisionKind.EXCLUDE for d in index.all)

    # ------------------------------------------------------------------------------------ computing

    def add_round(self, rnd: Round, scored: Sequence[SessionScores], final: bool) -> None:
        team, comps, drop = self.team, self.comps, self.rules.drops
        unit_kind = DropUnit.ROUND if drop is None else drop.unit
        keep_units = drop is not None
        weights = self.places.weights
        width = self.places.width
        orders_rule = TieBreak.FINISHING_ORDER in self.chain
        last_rule = TieBreak.LAST_RESULT in self.chain
        segment = self.segments.get(rnd.number, -1)
        number = rnd.number
        changed: dict[str, _Competitor] = {}
        for d in self.index.of_round(number):
            if d.kind is ChampionshipDecisionKind.RESET and d.competitor in comps:
                old = comps[d.competitor]
                self.former.setdefault(d.competitor, []).append(old.record)
                if old in self.listed:
                    self.listed.remove(old)
                changed[d.competitor] = comps[d.competitor] = _Competitor(d.competitor)
        # a round's result for the drop rules (round units) is the gross points it added: no per-record work
        simple = not orders_rule and not last_rule and (not keep_units or unit_kind is DropUnit.ROUND)
        listed = self.listed
        for ss in scored:
            recs = ss.teams if team else ss.drivers
            counted = ss.counted(team)
            countback = ss.kind in self.kinds
            race = len(self.races)
            if last_rule and countback:
                self.races.append((number, ss.session))
            if simple:  # the common case, kept lean: F1 from 1958 runs through here
                for rec in recs:
                    cid = rec[0]
                    c = comps.get(cid)
                    if c is None:
                        c = comps[cid] = _Competitor(cid)
                    record = c.record
                    record.sessions.append(ss)
                    record.recs.append(rec)
                    if counted and not c.listed:
                        c.listed = True
                        listed.append(c)
                    c.gross += rec[1]
                    if countback:
                        for p in rec[2]:  # places never exceed the width: it is the season's largest
                            c.cb += weights[p]
                            if p == 1:
                                c.wins += 1
                    changed[cid] = c
                continue
            for rec in recs:
                cid = rec[0]
                c = comps.get(cid)
                if c is None:
                    c = comps[cid] = _Competitor(cid)
                record = c.record
                record.sessions.append(ss)
                record.recs.append(rec)
                if counted and not c.listed:
                    c.listed = True
                    self.listed.append(c)
                points = rec[1]
                c.gross += points
                if countback:
                    places = rec[2]
                    for p in places:
                        if p <= width:
                            c.cb += weights[p]
                        if p == 1:
                            c.wins += 1
                    if last_rule and places:
                        c.last[race] = min(min(places), c.last.get(race, MISSING))
                    if orders_rule:
                        for o in rec[3]:
                            c.ob += self.orders.weight(o)
                if keep_units and unit_kind is not DropUnit.ROUND:  # round units: once the round is added
                    if unit_kind is DropUnit.RESULT:
                        record.units.append((number, ss.session, rec[5], points))
                        c.add_unit(segment, points)
                    else:  # one unit per session
                        u = record.units[-1] if record.units else None
                        if u is not None and u[0] == number and u[1] == ss.session:
                            record.units[-1] = (number, u[1], "", u[3] + points)
                            c.replace_unit(segment, u[3], u[3] + points)
                        else:
                            record.units.append((number, ss.session, "", points))
                            c.add_unit(segment, points)
                changed[cid] = c
        everyone = False
        if drop is not None:
            if unit_kind is DropUnit.ROUND:
                for c in changed.values():
                    points = c.gross - c.base
                    c.record.units.append((number, "", "", points))
                    found = c.segs.get(segment)
                    if found is None:
                        c.segs[segment] = [-points]
                    else:
                        insort(found, -points)
                    c.base = c.gross
            units = 1 if unit_kind is DropUnit.ROUND else len(scored)
            for i, seg in enumerate(drop.segments):
                if seg.contains(number):
                    self.held[i] = self.held.get(i, 0) + units
            everyone = (drop.at_season_end and final) or any(seg.drop is not None for seg in drop.segments)
        drops_now = drop if drop is not None and (not drop.at_season_end or final) else None
        if drops_now is None:
            per_round = drop is None  # no drop rule: a unit per round taken part in, for display
            for c in changed.values():
                record = c.record
                gross = c.gross
                if per_round and len(record.recs) > c.seen:
                    record.units.append((number, "", "", gross - c.base))
                    c.base, c.seen = gross, len(record.recs)
                c.snap = (
                    -gross,
                    -c.cb,
                    c.id,
                    gross,
                    gross,
                    c.wins,
                    len(record.recs),
                    len(record.units),
                    None,
                    record,
                )
        else:
            held = dict(self.held)  # as it stands after this round, shared by the snapshots that drop
            # per segment (-1: none) how many results count; None: all of them
            keeps: dict[int, int | None] = {-1: None}
            for index, seg in enumerate(drops_now.segments):
                keeps[index] = kept(seg, held.get(index, 0))
            for c in comps.values() if everyone else changed.values():
                record = c.record
                gross = total = c.gross
                dropping: dict[int, int] | None = None
                for index, results in c.segs.items():
                    keep = keeps[index]
                    if keep is not None and len(results) > keep:
                        total += sum(results[keep:], 0)  # less the points past the best `keep` results
                        dropping = held
                c.snap = (
                    -total,
                    -c.cb,
                    c.id,
                    total,
                    gross,
                    c.wins,
                    len(record.recs),
                    len(record.units),
                    dropping,
                    record,
                )
        self.rounds.append(number)
        self.race_counts.append(len(self.races))
        self.names.append(rnd.name)
        self.finals.append(final)
        self._rank(number)

    def _rank(self, round_number: int) -> None:
        deductions: dict[str, Num] = {}
        if self.has_deductions:
            for d in self.index.effective(ChampionshipDecisionKind.DEDUCTION, round_number):
                deductions[d.competitor] = deductions.get(d.competitor, 0) + _num(d.points)
        excluded: dict[str, StandingStatus] = {}
        if self.has_exclusions:
            for d in self.index.effective(ChampionshipDecisionKind.EXCLUDE, round_number):
                label = StandingStatus.DISQUALIFIED if d.label == "disqualified" else StandingStatus.EXCLUDED
                excluded[d.competitor] = label
        listed = self.listed
        positions: list[int | None] = []
        if self.fast and not deductions and not excluded:
            listed.sort(key=_snapshot)
            self.snaps.append(tuple(map(_snapshot, listed)))
            self.keys.append(None)
            self.positions.append(None)  # the snapshots' order says it all: numbered when a table is built
            self.deductions.append(deductions)
            self.status.append(excluded)
            return
        races = len(self.races)
        keyed: list[tuple[_RankKey, str, _Competitor]] = []
        out: list[_Competitor] = []
        for c in listed:
            if c.id in excluded:
                out.append(c)
            else:
                points = c.snap[_TOTAL] - deductions.get(c.id, 0)
                keyed.append(((-points, *self._parts(c, races)), c.id, c))
        keyed.sort(key=lambda item: (item[0], item[1]))
        ranked = [item[2] for item in keyed]
        keys = [item[0] for item in keyed]
        out.sort(key=lambda c: (-(c.snap[_TOTAL] - deductions.get(c.id, 0)), c.id))
        previous: _RankKey | None = None
        position = 0
        for i, key in enumerate(keys, start=1):
            if key != previous:
                position = i
                previous = key
            positions.append(position)
        ordered = [c.snap for c in ranked]
        if out:
            ordered.extend(c.snap for c in out)
            positions.extend([None] * len(out))
        self.snaps.append(tuple(ordered))
        self.keys.append(tuple(keys))
        self.positions.append(tuple(positions))
        self.deductions.append(deductions)
        self.status.append(excluded)

    def _parts(self, c: _Competitor, races: int) -> tuple[object, ...]:
        """The sort key after points; `races`: the races held so far (last-result: newest first)."""
        parts: list[object] = []
        for rule in self.chain:
            if rule is TieBreak.COUNTBACK:
                parts.append(-c.cb)
            elif rule is TieBreak.FINISHING_ORDER:
                parts.append(-c.ob)
            else:
                last = c.last
                parts.append(tuple(last.get(r, MISSING) for r in range(races - 1, -1, -1)))
        return tuple(parts)

    def _race_labels(self, races: int) -> list[str]:
        """The first `races` races, newest first, as a tie note names them: "round 2", or "round 1 R2" in a
        round of several races."""
        held = self.races[:races]
        per_round: dict[int, int] = {}
        for number, _ in held:
            per_round[number] = per_round.get(number, 0) + 1
        return [
            f"round {number} {session}" if per_round[number] > 1 else f"round {number}"
            for number, session in reversed(held)
        ]

    # ------------------------------------------------------------------------------------ the source

    @bulk_allocation
    def table_at(self, index: int) -> StandingsTable:
        built = self.built.get(index)
        if built is not None:
            return built
        races = self._race_labels(self.race_counts[index]) if TieBreak.LAST_RESULT in self.chain else []
        snaps, keys, positions = self.snaps[index], self.keys[index], self.positions[index]
        if positions is None:
            positions = _positions(snaps)
        deductions, status = self.deductions[index], self.status[index]
        self._counted_results(snaps)
        ids = [snap[_RECORD].id for snap in snaps]
        totals = [snap[_TOTAL] for snap in snaps]
        taken = [deductions.get(c, 0) for c in ids] if deductions else [0] * len(snaps)
        points = [t - d for t, d in zip(totals, taken, strict=True)] if deductions else totals
        ranked = sum(1 for p in positions if p is not None)
        shared: list[bool] = []
        ties: list[TieNote | None] = []
        counted: list[tuple[CountedResult, ...]] = []
        dropped: list[tuple[CountedResult, ...]] = []
        for i, snap in enumerate(snaps):
            position = positions[i]
            tie: TieNote | None = None
            level = False
            if position is not None and i > 0:
                level = positions[i - 1] == position
                if points[i - 1] == points[i]:
                    if keys is None:  # the snapshots' own keys: points, then the packed countback
                        before: _RankKey = (snaps[i - 1][1],)
                        mine: _RankKey = (snap[1],)
                    else:
                        before, mine = keys[i - 1][1:], keys[i][1:]
                    tie = explain_tie(
                        ids[i - 1], before, mine, self.chain, _frac(points[i]), self.decoders, races
                    )
            if position is not None and not level and i + 1 < ranked:
                level = positions[i + 1] == position
            shared.append(level)
            ties.append(tie)
            mine_counted, mine_dropped = self._results(snap)
            counted.append(mine_counted)
            dropped.append(mine_dropped)
        known = self.season.teams if self.team else self.season.drivers
        names = [c.name if (c := known.get(cid)) is not None else cid for cid in ids]
        ranked_status = StandingStatus.RANKED
        rows = _build(
            StandingRow,
            _ROW_SLOTS,
            (
                ids,
                names,
                positions,
                list(map(_frac, points)),
                list(map(_frac, map(_scored, snaps))),
                counted,
                dropped,
                [snap[_WINS] for snap in snaps],
                list(map(_frac, taken)) if deductions else [_ZERO] * len(snaps),
                [status.get(c, ranked_status) for c in ids] if status else [ranked_status] * len(snaps),
                shared,
                ties,
            ),
        )
        table = StandingsTable(
            season=self.season.year,
            table=self.which,
            classification=self.class_id,
            after_round=self.rounds[index],
            round_name=self.names[index],
            rows=tuple(rows),
            final=self.finals[index],
        )
        self.built[index] = table
        return table

    @staticmethod
    def _counted_results(snaps: Sequence[_Snap]) -> None:
        """Extend each record's results for display (`cr`) to its units up to the snapshots, the new ones
        built all at once."""
        wanted: list[Unit] = []
        owners: list[tuple[_Record, int]] = []
        for snap in snaps:
            r = snap[_RECORD]
            have, n = len(r.cr), snap[_UNITS]
            if have < n:
                wanted.extend(r.units if have == 0 and n == len(r.units) else r.units[have:n])
                owners.append((r, n - have))
        if not wanted:
            return
        built = _build_counted(wanted)
        at = 0
        for r, k in owners:
            r.cr.extend(built[at : at + k])
            at += k

    def _results(self, snap: _Snap) -> tuple[tuple[CountedResult, ...], tuple[CountedResult, ...]]:
        """The competitor's results up to the snapshot, as the drop rules saw them: (counted, dropped)."""
        n, held, r = snap[_UNITS], snap[_DROPPING], snap[_RECORD]
        cr, units = r.cr, r.units
        drop = self.rules.drops
        if held is None or drop is None:
            return tuple(cr) if n == len(cr) else tuple(cr[:n]), ()
        chosen = select(units[:n], drop, held, self.segments)
        keep = set(chosen)
        return tuple(cr[i] for i in chosen), tuple(x for i, x in enumerate(cr[:n]) if i not in keep)

    def table(self, index: int) -> StandingsTable:
        return self.table_at(index)

    def scores(self, competitor: str) -> tuple[Score, ...]:
        records = [*self.former.get(competitor, [])]
        if competitor in self.comps:
            records.append(self.comps[competitor].record)
        return tuple(
            ss.score(rec, self.team) for r in records for ss, rec in zip(r.sessions, r.recs, strict=True)
        )

    def competitors(self) -> tuple[str, ...]:
        return tuple(sorted(self.comps))

    def history(self) -> StandingsHistory:
        return StandingsHistory(self.season.year, self.which, self.class_id, tuple(self.rounds), self)


def _positions(snaps: Sequence[_Snap]) -> tuple[int, ...]:
    """The positions of snapshots in table order under F1's chain (points, then countback): level on
    both, a competitor shares the position of the first of them."""
    positions: list[int] = []
    append = positions.append
    position, p0, p1 = 0, None, None
    for i, snap in enumerate(snaps, start=1):
        if snap[0] != p0 or snap[1] != p1:
            position, p0, p1 = i, snap[0], snap[1]
        append(position)
    return tuple(positions)


Slots = tuple[Callable[[Any, Any], None], ...]


def _slot_setters(cls: type, fields: tuple[str, ...]) -> Slots:
    """The slot descriptors' setters of a frozen slotted dataclass, for `_build`; its fields must be `fields`
    in order, and it must not validate in __post_init__ (checked when the module loads)."""
    assert cls.__slots__ == fields, f"{cls.__name__} changed: update its fields here"  # type: ignore[attr-defined]
    assert not hasattr(cls, "__post_init__"), f"{cls.__name__} validates: build it through __init__"
    return tuple(vars(cls)[name].__set__ for name in fields)


# A frozen dataclass's __init__ sets each field through object.__setattr__: ~2.5 µs a StandingRow; tables of
# all of F1 hold ~4 000 rows. _build sets the same slots column by column, at C speed (as
# formats.ergast_cache does for car results).
_ROW_SLOTS = _slot_setters(
    StandingRow,
    (
        *("competitor", "name", "position", "points", "scored", "counted", "dropped", "wins"),
        *("deductions", "status", "shared", "tie"),
    ),
)
_T = TypeVar("_T")


def _build(cls: type[_T], slots: Slots, columns: Sequence[Sequence[Any]]) -> list[_T]:
    """Objects of a frozen slotted dataclass, one per row of `columns` (one column per field, in order)."""
    new = cls.__new__
    out = [new(cls) for _ in columns[0]]
    for setter, column in zip(slots, columns, strict=True):
        deque(map(setter, out, column), maxlen=0)
    return out


def _build_counted(units: Sequence[Unit]) -> list[CountedResult]:
    """CountedResult(round, session, points, car) for each unit (round, session, car, points), built by
    tuple.__new__ at C speed (a named tuple's own constructor is a Python function)."""
    rounds, sessions, cars, points = zip(*units, strict=True)
    exact = {p: _frac(p) for p in set(points)}
    rows = zip(rounds, sessions, map(exact.__getitem__, points), cars, strict=True)
    return list(map(tuple.__new__, repeat(CountedResult), rows))


class _Exact(dict[Num, Fraction]):
    """A point total → its exact Fraction. Whole numbers are memoised (tables repeat them thousands of
    times); a hit is a dict lookup at C speed when the lookup is `map`ped over a column."""

    def __missing__(self, value: Num) -> Fraction:
        if not isinstance(value, int):  # a Fraction already (not whole, or it would have been found)
            return value
        exact = Fraction(value)
        if -10_000 < value < 10_000:
            self[value] = exact
        return exact


_frac: Callable[[Num], Fraction] = _Exact().__getitem__


def _num(value: Fraction) -> Num:
    return value.numerator if value.denominator == 1 else value
