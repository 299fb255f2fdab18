"""One table of a championship (drivers or teams) computed round by round, and built for people on demand.

`TableWork.add_round` takes a round's scored sessions and updates every competitor's record: points,
results as the drop rules see them, countback, wins; then ranks the table. It keeps compact snapshots per
round (ints where whole, tuples, no objects); `table_at` builds the `StandingsTable` of a round the first
time it is asked for, with counted and dropped results and the tie explanations.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from fractions import Fraction
from typing import Final

from parcferme.engine.allocation import bulk_allocation
from parcferme.engine.drops import Unit, kept, segment_of, select
from parcferme.engine.points import SessionScores
from parcferme.engine.scoring import DecisionIndex, Num, Rec
from parcferme.engine.tiebreak import MISSING, Countback, explain_tie
from parcferme.model.championship import ChampionshipDecisionKind, Round, Season, Table
from parcferme.model.points import ChampionshipRules, DropRule, DropUnit, TieBreak
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
# compared), then total, scored, wins, records so far, units so far, counted unit indexes (None: all), and
# the competitor's record (its lists are kept by reference).
_Snap = tuple[Num, int, str, Num, Num, int, int, int, "tuple[int, ...] | None", "_Record"]
_TOTAL: Final = 3
_SCORED: Final = 4
_WINS: Final = 5
_RECS: Final = 6
_UNITS: Final = 7
_CHOSEN: Final = 8
_RECORD: Final = 9
_RankKey = tuple[object, ...]


class _Record:
    """A competitor's results, kept by reference from the snapshots (no reference back: no cycles)."""

    __slots__ = ("cr", "cr_n", "id", "recs", "sessions", "units")

    def __init__(self, competitor: str) -> None:
        self.id = competitor
        self.sessions: list[SessionScores] = []
        self.recs: list[Rec] = []
        self.units: list[Unit] = []  # kept when results are dropped (otherwise built for display)
        self.cr: list[CountedResult] = []  # results for display, built when a table is read
        self.cr_n: list[int] = []  # records covered by cr[:i + 1] (no drops: one result per round)


class _Competitor:
    """One competitor's running state through the season (a reset starts a new one under the same id)."""

    __slots__ = ("acc", "cb", "gross", "id", "last", "listed", "ob", "record", "seg_n", "snap", "wins")

    def __init__(self, competitor: str) -> None:
        self.id = competitor
        self.record = _Record(competitor)
        self.acc: Num = 0  # points of the round being added (round units)
        self.gross: Num = 0
        self.cb = 0  # packed countback of places
        self.ob = 0  # packed countback of finishing order
        self.last: dict[int, int] = {}  # round → best place (last-result rule)
        self.wins = 0
        self.listed = False  # in the table once it took part in a session that counts
        self.seg_n: dict[int, int] = {}  # drop segment → units in it
        self.snap: _Snap = (0, 0, competitor, 0, 0, 0, 0, 0, None, self.record)


def _snapshot(c: _Competitor) -> _Snap:
    return c.snap


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
        self.names: list[str] = []
        self.finals: list[bool] = []
        # per round: snapshots in table order, positions (None: excluded), deductions, status, and the rank
        # keys when they are not the snapshots' own (another tie-break chain, deductions, exclusions)
        self.snaps: list[tuple[_Snap, ...]] = []
        self.keys: list[tuple[_RankKey, ...] | None] = []
        self.positions: list[tuple[int | None, ...]] = []
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
        simple = not keep_units and not orders_rule and not last_rule
        listed = self.listed
        for ss in scored:
            recs = ss.teams if team else ss.drivers
            counted = ss.counted(team)
            countback = ss.kind in self.kinds
            if simple:  # the common case, kept lean: all of F1 history runs through here
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
                    for p in rec[2]:
                        if p <= width:
                            c.cb += weights[p]
                        if p == 1:
                            c.wins += 1
                        if last_rule:
                            c.last[number] = min(p, c.last.get(number, MISSING))
                    if orders_rule:
                        for o in rec[3]:
                            c.ob += self.orders.weight(o)
                if keep_units:
                    if unit_kind is DropUnit.ROUND:
                        c.acc += points
                    elif unit_kind is DropUnit.RESULT:
                        record.units.append((number, ss.session, rec[5], points))
                        c.seg_n[segment] = c.seg_n.get(segment, 0) + 1
                    else:  # one unit per session
                        u = record.units[-1] if record.units else None
                        if u is not None and u[0] == number and u[1] == ss.session:
                            record.units[-1] = (number, u[1], "", u[3] + points)
                        else:
                            record.units.append((number, ss.session, "", points))
                            c.seg_n[segment] = c.seg_n.get(segment, 0) + 1
                changed[cid] = c
        everyone = False
        if drop is not None:
            if unit_kind is DropUnit.ROUND:
                for c in changed.values():
                    c.record.units.append((number, "", "", c.acc))
                    c.acc = 0
                    c.seg_n[segment] = c.seg_n.get(segment, 0) + 1
            units = 1 if unit_kind is DropUnit.ROUND else len(scored)
            for i, seg in enumerate(drop.segments):
                if seg.contains(number):
                    self.held[i] = self.held.get(i, 0) + units
            everyone = (drop.at_season_end and final) or any(seg.drop is not None for seg in drop.segments)
        drops_now = drop if drop is not None and (not drop.at_season_end or final) else None
        if drops_now is None:
            for c in changed.values():
                record = c.record
                gross = c.gross
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
            for c in comps.values() if everyone else changed.values():
                c.snap = self._snap(c, drops_now)
        self.rounds.append(number)
        self.names.append(rnd.name)
        self.finals.append(final)
        self._rank(number)

    def _snap(self, c: _Competitor, drop: DropRule | None) -> _Snap:
        record = c.record
        units = record.units
        if drop is not None:
            for index, n in c.seg_n.items():
                keep = kept(drop.segments[index], self.held.get(index, 0)) if index >= 0 else None
                if keep is not None and n > keep:
                    chosen = select(units, drop, self.held, self.segments)
                    total: Num = sum((units[i][3] for i in chosen), 0)
                    return (
                        -total,
                        -c.cb,
                        c.id,
                        total,
                        c.gross,
                        c.wins,
                        len(record.recs),
                        len(units),
                        chosen,
                        record,
                    )
        gross = c.gross
        return (-gross, -c.cb, c.id, gross, gross, c.wins, len(record.recs), len(units), None, record)

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
            snaps = [c.snap for c in listed]
            position, p0, p1 = 0, None, None
            for i, snap in enumerate(snaps, start=1):
                if snap[0] != p0 or snap[1] != p1:
                    position, p0, p1 = i, snap[0], snap[1]
                positions.append(position)
            self.snaps.append(tuple(snaps))
            self.keys.append(None)
            self.positions.append(tuple(positions))
            self.deductions.append(deductions)
            self.status.append(excluded)
            return
        rounds_newest = self.rounds[::-1]
        keyed: list[tuple[_RankKey, str, _Competitor]] = []
        out: list[_Competitor] = []
        for c in listed:
            if c.id in excluded:
                out.append(c)
            else:
                points = c.snap[_TOTAL] - deductions.get(c.id, 0)
                keyed.append(((-points, *self._parts(c, rounds_newest)), c.id, c))
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
        snaps = [c.snap for c in ranked]
        if out:
            snaps.extend(c.snap for c in out)
            positions.extend([None] * len(out))
        self.snaps.append(tuple(snaps))
        self.keys.append(tuple(keys))
        self.positions.append(tuple(positions))
        self.deductions.append(deductions)
        self.status.append(excluded)

    def _parts(self, c: _Competitor, rounds_newest: list[int]) -> tuple[object, ...]:
        parts: list[object] = []
        for rule in self.chain:
            if rule is TieBreak.COUNTBACK:
                parts.append(-c.cb)
            elif rule is TieBreak.FINISHING_ORDER:
                parts.append(-c.ob)
            else:
                parts.append(tuple(c.last.get(r, MISSING) for r in rounds_newest))
        return tuple(parts)

    # ------------------------------------------------------------------------------------ the source

    @bulk_allocation
    def table_at(self, index: int) -> StandingsTable:
        built = self.built.get(index)
        if built is not None:
            return built
        rounds_newest = self.rounds[index::-1]
        snaps, keys, positions = self.snaps[index], self.keys[index], self.positions[index]
        deductions, status = self.deductions[index], self.status[index]
        rows: list[StandingRow] = []
        n = sum(1 for p in positions if p is not None)
        for i, snap in enumerate(snaps):
            r = snap[_RECORD]
            position = positions[i]
            deduction = deductions.get(r.id, 0)
            points = snap[_TOTAL] - deduction
            tie: TieNote | None = None
            shared = False
            if position is not None:
                shared = (i > 0 and positions[i - 1] == position) or (
                    i + 1 < n and positions[i + 1] == position
                )
                above = snaps[i - 1][_RECORD].id if i > 0 else ""
                if i > 0 and snaps[i - 1][_TOTAL] - deductions.get(above, 0) == points:
                    if keys is None:  # the snapshots' own keys: points, then the packed countback
                        before: _RankKey = (snaps[i - 1][1],)
                        mine: _RankKey = (snap[1],)
                    else:
                        before, mine = keys[i - 1][1:], keys[i][1:]
                    tie = explain_tie(
                        above, before, mine, self.chain, _frac(points), self.decoders, rounds_newest
                    )
            counted, dropped = self._results(snap)
            rows.append(
                StandingRow(
                    competitor=r.id,
                    name=self.season.competitor(self.which, r.id).name,
                    position=position,
                    points=_frac(points),
                    scored=_frac(snap[_SCORED]),
                    counted=counted,
                    dropped=dropped,
                    wins=snap[_WINS],
                    deductions=_frac(deduction),
                    status=status.get(r.id, StandingStatus.RANKED),
                    shared=shared,
                    tie=tie,
                )
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

    def _results(self, snap: _Snap) -> tuple[tuple[CountedResult, ...], tuple[CountedResult, ...]]:
        """The competitor's results up to the snapshot, as the drop rules saw them: (counted, dropped)."""
        n_recs, n, chosen, r = snap[_RECS], snap[_UNITS], snap[_CHOSEN], snap[_RECORD]
        if self.rules.drops is not None:  # units were kept; one per round/session/result
            cr, units = r.cr, r.units
            for u in units[len(cr) : n]:
                cr.append(CountedResult(u[0], u[1], _frac(u[3]), u[2]))
            if chosen is None:
                return tuple(cr[:n]), ()
            keep = set(chosen)
            return tuple(cr[i] for i in chosen), tuple(x for i, x in enumerate(cr[:n]) if i not in keep)
        # no drops: one result per round, built from the records
        cr, cr_n, recs, sessions = r.cr, r.cr_n, r.recs, r.sessions
        done = cr_n[-1] if cr_n else 0
        while done < len(recs):
            number = sessions[done].round
            total: Num = 0
            while done < len(recs) and sessions[done].round == number:
                total += recs[done][1]
                done += 1
            cr.append(CountedResult(number, "", _frac(total)))
            cr_n.append(done)
        return tuple(cr[: bisect_right(cr_n, n_recs)]), ()

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


_FRACTIONS: dict[int, Fraction] = {}


def _frac(value: Num) -> Fraction:
    """An exact Fraction for a point total (whole numbers memoised: tables repeat them thousands of times)."""
    if not isinstance(value, int):  # int is a concrete class: a cheap check, unlike the Fraction ABC
        return value
    found = _FRACTIONS.get(value)
    if found is None:
        found = Fraction(value)
        if -10_000 < value < 10_000:
            _FRACTIONS[value] = found
    return found


def _num(value: Fraction) -> Num:
    return value.numerator if value.denominator == 1 else value
