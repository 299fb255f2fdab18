"""Points rule sets and championship decisions as TOML data, and the loader that checks them.

A points rule-set file describes one championship's scoring; a family file (the F1 eras in `rules/f1/`)
covers a range of seasons (`seasons = [1967, 1980]`) and overrides keys per season in `[season.YEAR]`
tables: a season table replaces the values it names and merges the tables it names. The file format is
described in docs/standings.md. Every problem raises `RuleSetError` (a RuleError and an InputError) naming
the file, the line and the key.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from parcferme.errors import InputError
from parcferme.formats.tomlio import Table, TomlDoc
from parcferme.model.championship import ChampionshipDecision, ChampionshipDecisionKind
from parcferme.model.championship import Table as StandingsTable
from parcferme.model.points import (
    FINAL_ROUND,
    Bonus,
    BonusKind,
    CarsCounted,
    ChampionshipRules,
    ClassificationMode,
    DistanceBand,
    DropRule,
    DropSegment,
    DropUnit,
    PointsRules,
    ReducedPoints,
    RoundFactor,
    Scale,
    SharedDrive,
    TeamRules,
    TieBreak,
)
from parcferme.rules import RuleSetError
from parcferme.rules.packaged import PACKAGED_ROOT, packaged_doc, packaged_path

__all__ = [
    "available_points_rules",
    "f1_decisions",
    "f1_rules",
    "load_decisions",
    "load_points_rules",
    "parse_points",
]

_FOLDERS = ("points", "f1")
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_NUMBER = re.compile(
    r"^\s*(?:(?P<num>-?\d+)\s*/\s*(?P<den>\d+)|(?P<dec>-?\d+(?:\.\d+)?)|(?P<pct>\d+(?:\.\d+)?)\s*%)\s*$"
)

_TOP_KEYS = (
    "id",
    "name",
    "seasons",
    "shared_drives",
    "classification_mode",
    "scale",
    "bonus",
    "reduced",
    "round_factor",
    "drivers",
    "teams",
    "season",
)
_SCALE_KEYS = ("kind", "session", "points")
_BONUS_KEYS = (
    "kind",
    "points",
    "session_kinds",
    "sessions",
    "requires_classified",
    "max_position",
    "min_distance",
    "share_ties",
    "best_eligible",
)
_REDUCED_KEYS = ("min_laps", "only_if_suspended", "session_kinds", "band")
_BAND_KEYS = ("below", "factor", "scale")
_FACTOR_KEYS = ("round", "factor")
_TABLE_KEYS = ("drops", "tiebreak", "countback_kinds")
_TEAM_KEYS = (*_TABLE_KEYS, "cars", "count", "bonuses", "scale")
_DROP_KEYS = ("unit", "at_season_end", "best", "drop", "segments")
_SEGMENT_KEYS = ("rounds", "best", "drop")
_DECISION_KEYS = (
    *("season", "round", "until_round", "kind", "table", "session", "competitor", "car", "drivers", "points"),
    *("factor", "label", "reason", "reference"),
)
_UNTIL = (ChampionshipDecisionKind.DEDUCTION, ChampionshipDecisionKind.EXCLUDE)
_FL_KEYS = ("season", "round", "session", "car", "drivers", "factor", "reason", "reference")


def _error(exc: InputError) -> RuleSetError:
    return RuleSetError(exc.message, source=exc.source, line=exc.line, field=exc.field)


def parse_points(value: object) -> Fraction:
    """A number of points or a factor: 8, 0.5, "1/2", "2.5", "75%" → an exact Fraction. Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError("expected a number, got a boolean")
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, float):
        return Fraction(repr(value))  # the decimal the file wrote, not the binary float
    if isinstance(value, str):
        match = _NUMBER.match(value)
        if match is not None:
            if match["num"] is not None:
                if int(match["den"]) == 0:
                    raise ValueError(f"division by zero in {value!r}")
                return Fraction(int(match["num"]), int(match["den"]))
            if match["dec"] is not None:
                return Fraction(match["dec"])
            return Fraction(match["pct"]) / 100
    raise ValueError(f'expected a number such as 8, 0.5, "1/2" or "75%", got {value!r}')


# ---------------------------------------------------------------------------------------------- reading


def _packaged(ref: str) -> TomlDoc | None:
    """The packaged rule file with this id, parsed; None when there is none."""
    for folder in _FOLDERS:
        if packaged_path(folder, f"{ref}.toml").is_file():
            return _packaged_file(folder, f"{ref}.toml")
    return None


def _packaged_file(folder: str, name: str) -> TomlDoc:
    try:
        return packaged_doc(folder, name)
    except InputError as exc:
        raise _error(exc) from exc


_DECISION_FILES = ("decisions", "fastest-laps")  # rules/f1: files of decisions, not rule sets


def _is_rule_set(name: str) -> bool:
    """A rule-set file, as opposed to decisions (decisions*.toml, fastest-laps*.toml) or notes."""
    return name.endswith(".toml") and not name.startswith((*_DECISION_FILES, "KNOWN"))


def available_points_rules() -> tuple[str, ...]:
    """The ids of the packaged points rule sets (Carrera Cup examples and the F1 eras), sorted."""
    ids: list[str] = []
    for folder in _FOLDERS:
        root = PACKAGED_ROOT / folder
        if root.is_dir():
            ids.extend(i.name[:-5] for i in root.iterdir() if _is_rule_set(i.name))
    return tuple(sorted(ids))


@lru_cache(maxsize=64)
def _doc(data: bytes, source: str) -> TomlDoc:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleSetError("not UTF-8 text", source=source, line=data.count(b"\n", 0, exc.start) + 1) from exc
    try:
        return TomlDoc(text, source)
    except InputError as exc:
        raise _error(exc) from exc


def _read(ref: str | Path, base_dir: Path | None) -> TomlDoc:
    text_ref = str(ref).strip()
    if isinstance(ref, Path) or "/" in text_ref or "\\" in text_ref or text_ref.endswith(".toml"):
        path = Path(text_ref)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        if not path.is_file():
            raise RuleSetError(f"points rule-set file not found: {text_ref} (looked for {path})")
        return _doc(path.read_bytes(), text_ref)
    if _ID.match(text_ref) is None:
        raise RuleSetError(f"not a rule-set id: {text_ref!r} (lower-case letters, digits, '-', '_', '.')")
    found = _packaged(text_ref)
    if found is None:
        known = ", ".join(available_points_rules())
        raise RuleSetError(f"unknown points rule set {text_ref!r} (packaged: {known}; or give a .toml path)")
    return found


def load_points_rules(
    ref: str | Path, *, season: int | None = None, base_dir: Path | None = None
) -> PointsRules:
    """The points rules a reference names (a packaged id or a TOML path), for `season` in a family file."""
    doc = _read(ref, base_dir)
    try:
        return _rules(doc, season)
    except RuleSetError:
        raise
    except InputError as exc:
        raise _error(exc) from exc


@lru_cache(maxsize=1)
def _f1_eras() -> tuple[tuple[int, int, str], ...]:
    """(first, last, rule-set id) of every F1 era file in rules/f1."""
    root = PACKAGED_ROOT / "f1"
    eras: list[tuple[int, int, str]] = []
    for item in sorted(root.iterdir(), key=lambda i: i.name):
        if item.name.startswith("f1-") and item.name.endswith(".toml"):
            doc = _packaged_file("f1", item.name)
            first, last = _seasons(doc.root())
            if first is not None and last is not None:
                eras.append((first, last, item.name[:-5]))
    return tuple(eras)


@lru_cache(maxsize=128)
def f1_rules(season: int) -> PointsRules:
    """The F1 World Championship rules for a season, from the era file in rules/f1 that covers it."""
    for first, last, ref in _f1_eras():
        if first <= season <= last:
            return load_points_rules(ref, season=season)
    raise RuleSetError(f"no F1 rule set covers the {season} season (rules/f1/f1-*.toml)")


def _seasons(root: Table) -> tuple[int | None, int | None]:
    if not root.has("seasons"):
        return None, None
    value = root.get("seasons")
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or value[0] > value[1]
    ):
        root.fail("expected [first, last] seasons, e.g. [1967, 1980]", "seasons")
    return value[0], value[1]


def _merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _rules(doc: TomlDoc, season: int | None) -> PointsRules:
    """The rules of a rule-set file, for `season` in a family file. Built once per document and season
    table: a family's seasons without a `[season.YEAR]` table of their own share one object."""
    rule_id, first, last, years = _header(doc)
    if season is not None and first is not None and last is not None and not first <= season <= last:
        doc.root().fail(f"rule set {rule_id!r} covers {first}–{last}, not {season}", "seasons")
    return _built(doc, season if season in years else None)


@lru_cache(maxsize=64)
def _header(doc: TomlDoc) -> tuple[str, int | None, int | None, frozenset[int]]:
    """A rule-set file's id, first and last seasons, and the seasons with a table of their own; checked."""
    root = doc.root()
    root.check_keys(_TOP_KEYS)
    rule_id = root.get_str("id")
    if _ID.match(rule_id) is None:
        root.fail(f"not a rule-set id: {rule_id!r}", "id")
    first, last = _seasons(root)
    overrides = root.table("season")
    if overrides is None:
        return rule_id, first, last, frozenset()
    for key in overrides.data:
        if not key.isdigit() or not isinstance(overrides.data[key], dict):
            overrides.fail("expected [season.YEAR] tables", key)
        if first is not None and last is not None and not first <= int(key) <= last:
            overrides.fail(f"season {key} is outside the seasons of the file ({first}–{last})", key)
    return rule_id, first, last, frozenset(int(key) for key in overrides.data)


@lru_cache(maxsize=256)
def _built(doc: TomlDoc, season: int | None) -> PointsRules:
    """The rules of a checked rule-set file (`_header`), with the `[season.YEAR]` table of `season`."""
    root = doc.root()
    rule_id = root.get_str("id")
    data: Mapping[str, Any] = root.data
    overrides = root.table("season")
    chosen = overrides.table(str(season)) if overrides is not None and season is not None else None
    if chosen is not None:
        chosen.check_keys([k for k in _TOP_KEYS if k not in ("id", "seasons", "season")])
        data = _merge({k: v for k, v in data.items() if k != "season"}, chosen.data)
    # read the merged data with the original document (for line numbers of the base keys)
    top = Table(doc, data, ())
    scales = tuple(_scale(t) for t in top.tables("scale"))
    bonuses = tuple(_bonus(t) for t in top.tables("bonus"))
    reduced_table = top.table("reduced")
    teams: TeamRules | None = None
    if top.has("teams") and top.get("teams") is not False:
        teams_table = top.table("teams")
        assert teams_table is not None
        teams = _teams(teams_table)
    drivers_table = top.table("drivers")
    return PointsRules(
        id=rule_id,
        name=top.opt_str("name") or "",
        scales=scales,
        bonuses=bonuses,
        shared_drives=_enum(top, "shared_drives", SharedDrive, SharedDrive.SPLIT),
        reduced=_reduced(reduced_table) if reduced_table is not None else None,
        round_factors=tuple(_round_factor(t) for t in top.tables("round_factor")),
        drivers=_table_rules(drivers_table) if drivers_table is not None else ChampionshipRules(),
        teams=teams,
        classification_mode=_enum(top, "classification_mode", ClassificationMode, ClassificationMode.RERANK),
    )


def _enum(table: Table, key: str, kind: Any, default: Any) -> Any:
    name = table.opt_str(key)
    if name is None:
        return default
    try:
        return kind(name)
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        table.fail(f"unknown value {name!r} (expected one of: {allowed})", key)


def _number(table: Table, key: str, *, minimum: Fraction | None = None) -> Fraction:
    try:
        value = parse_points(table.get(key))
    except ValueError as exc:
        table.fail(str(exc), key)
    if minimum is not None and value < minimum:
        table.fail(f"expected at least {minimum}, got {value}", key)
    return value


def _points_list(table: Table, key: str) -> tuple[Fraction, ...]:
    value = table.get(key)
    if not isinstance(value, list) or not value:
        table.fail("expected a non-empty list of points, e.g. [25, 18, 15]", key)
    out: list[Fraction] = []
    for i, item in enumerate(value):
        try:
            points = parse_points(item)
        except ValueError as exc:
            table.fail(f"item {i + 1}: {exc}", key)
        if points < 0:
            table.fail(f"item {i + 1}: points cannot be negative ({points})", key)
        if out and points > out[-1]:
            table.fail(
                f"item {i + 1}: a scale cannot give more points to a lower place ({points} > {out[-1]})", key
            )
        out.append(points)
    return tuple(out)


def _strings(table: Table, key: str, default: tuple[str, ...]) -> tuple[str, ...]:
    if not table.has(key):
        return default
    value = table.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        table.fail("expected a list of strings", key)
    return tuple(v.strip() for v in value)


def _scale(t: Table) -> Scale:
    t.check_keys(_SCALE_KEYS)
    kind, session = t.opt_str("kind"), t.opt_str("session")
    if kind is not None and session is not None:
        t.fail("give either kind or session, not both", "session")
    return Scale(points=_points_list(t, "points"), kind=kind, session=session)


def _bonus(t: Table) -> Bonus:
    t.check_keys(_BONUS_KEYS)
    return Bonus(
        kind=_enum(t, "kind", BonusKind, None) or t.fail("missing key 'kind'", "kind"),
        points=_number(t, "points", minimum=Fraction(0)),
        session_kinds=_strings(t, "session_kinds", ("race",)),
        sessions=_strings(t, "sessions", ()),
        requires_classified=bool(t.opt_bool("requires_classified")),
        max_position=t.opt_int("max_position", minimum=1),
        min_distance=_number(t, "min_distance", minimum=Fraction(0)) if t.has("min_distance") else None,
        share_ties=t.opt_bool("share_ties") is not False,
        best_eligible=t.opt_bool("best_eligible") is not False,
    )


def _reduced(t: Table) -> ReducedPoints:
    t.check_keys(_REDUCED_KEYS)
    bands: list[DistanceBand] = []
    for b in t.tables("band"):
        b.check_keys(_BAND_KEYS)
        below = _number(b, "below", minimum=Fraction(0))
        if bands and below <= bands[-1].below:
            b.fail("bands must be listed from the shortest distance up", "below")
        factor = _number(b, "factor", minimum=Fraction(0)) if b.has("factor") else Fraction(1)
        scale = _points_list(b, "scale") if b.has("scale") else None
        bands.append(DistanceBand(below=below, factor=factor, scale=scale))
    return ReducedPoints(
        min_laps=t.opt_int("min_laps", minimum=0) or 0,
        bands=tuple(bands),
        only_if_suspended=bool(t.opt_bool("only_if_suspended")),
        session_kinds=_strings(t, "session_kinds", ("race",)),
    )


def _round_factor(t: Table) -> RoundFactor:
    t.check_keys(_FACTOR_KEYS)
    value = t.get("round")
    if value == "final":
        number = FINAL_ROUND
    elif isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        number = value
    else:
        t.fail('expected a round number or "final"', "round")
    return RoundFactor(round=number, factor=_number(t, "factor", minimum=Fraction(0)))


def _segment_rounds(t: Table) -> tuple[int, int | None]:
    if not t.has("rounds"):
        return 1, None
    text = t.get("rounds")
    match = re.fullmatch(r"\s*(\d+)\s*-\s*(\d*)\s*", text) if isinstance(text, str) else None
    if match is None:
        t.fail('expected rounds as "FIRST-LAST" or "FIRST-" (to the end), e.g. "1-6"', "rounds")
    first, last = int(match[1]), int(match[2]) if match[2] else None
    if first < 1 or (last is not None and last < first):
        t.fail(f"not a range of rounds: {text!r}", "rounds")
    return first, last


def _segment(t: Table) -> DropSegment:
    first, last = _segment_rounds(t)
    best, drop = t.opt_int("best", minimum=1), t.opt_int("drop", minimum=0)
    if (best is None) == (drop is None):
        t.fail("give exactly one of best (count the best N) or drop (count all but the worst N)", "best")
    return DropSegment(first_round=first, last_round=last, best=best, drop=drop)


def _drops(t: Table) -> DropRule:
    t.check_keys(_DROP_KEYS)
    unit = _enum(t, "unit", DropUnit, DropUnit.ROUND)
    if t.has("segments"):
        if t.has("best") or t.has("drop"):
            t.fail("give either segments or best/drop for the whole season", "segments")
        segments = []
        for s in t.tables("segments"):
            s.check_keys(_SEGMENT_KEYS)
            segments.append(_segment(s))
        for a, b in pairwise(segments):
            if a.last_round is None or b.first_round <= a.last_round:
                t.fail("segments must follow each other without overlapping", "segments")
    else:
        segments = [_segment(t)]
    return DropRule(segments=tuple(segments), unit=unit, at_season_end=bool(t.opt_bool("at_season_end")))


def _chain(t: Table) -> tuple[TieBreak, ...]:
    names = _strings(t, "tiebreak", (TieBreak.COUNTBACK.value,))
    chain: list[TieBreak] = []
    for name in names:
        try:
            chain.append(TieBreak(name))
        except ValueError:
            allowed = ", ".join(k.value for k in TieBreak)
            t.fail(f"unknown tie-break {name!r} (expected any of: {allowed})", "tiebreak")
    return tuple(chain)


def _table_rules(t: Table) -> ChampionshipRules:
    t.check_keys(_TABLE_KEYS)
    drops = t.table("drops")
    return ChampionshipRules(
        drops=_drops(drops) if drops is not None else None,
        tiebreak=_chain(t),
        countback_kinds=_strings(t, "countback_kinds", ("race",)),
    )


def _teams(t: Table) -> TeamRules:
    t.check_keys(_TEAM_KEYS)
    drops = t.table("drops")
    cars = _enum(t, "cars", CarsCounted, CarsCounted.ALL)
    count = t.opt_int("count", minimum=1)
    if count is not None and cars is not CarsCounted.BEST:
        t.fail('count needs cars = "best"', "count")
    return TeamRules(
        drops=_drops(drops) if drops is not None else None,
        tiebreak=_chain(t),
        countback_kinds=_strings(t, "countback_kinds", ("race",)),
        cars=cars,
        count=count or 1,
        bonuses=t.opt_bool("bonuses") is not False,
        scales=tuple(_scale(s) for s in t.tables("scale")),
    )


# ---------------------------------------------------------------------------------------------- decisions


def load_decisions(ref: str | Path, *, base_dir: Path | None = None) -> tuple[ChampionshipDecision, ...]:
    """Championship decisions from a TOML file: `[[decision]]` records and `[[fastest_lap]]` credits."""
    doc = _read(ref, base_dir)
    try:
        return _decisions(doc)
    except RuleSetError:
        raise
    except InputError as exc:
        raise _error(exc) from exc


@lru_cache(maxsize=1)
def f1_decisions() -> tuple[ChampionshipDecision, ...]:
    """Every F1 decision on record in rules/f1 (decisions*.toml and fastest-laps*.toml)."""
    root = PACKAGED_ROOT / "f1"
    out: list[ChampionshipDecision] = []
    for item in sorted(root.iterdir(), key=lambda i: i.name):
        if item.name.endswith(".toml") and item.name.startswith(_DECISION_FILES):
            out.extend(load_decisions(item.name[:-5]))
    return tuple(out)


def _decisions(doc: TomlDoc) -> tuple[ChampionshipDecision, ...]:
    root = doc.root()
    root.check_keys(("decision", "fastest_lap"))
    out: list[ChampionshipDecision] = []
    for t in root.tables("decision"):
        t.check_keys(_DECISION_KEYS)
        kind: ChampionshipDecisionKind = _enum(t, "kind", ChampionshipDecisionKind, None) or t.fail(
            "missing key 'kind'", "kind"
        )
        table_name = t.opt_str("table")
        table = None
        if table_name is not None and table_name != "both":
            table = _enum(t, "table", StandingsTable, None)
        decision = ChampionshipDecision(
            kind=kind,
            round=t.get_int("round", minimum=1),
            season=t.opt_int("season", minimum=1),
            until_round=t.opt_int("until_round", minimum=1),
            table=table,
            session=t.opt_str("session"),
            competitor=t.opt_str("competitor") or "",
            car=t.opt_str("car") or "",
            drivers=_strings(t, "drivers", ()),
            points=_number(t, "points", minimum=Fraction(0)) if t.has("points") else Fraction(0),
            factor=_number(t, "factor", minimum=Fraction(0)) if t.has("factor") else Fraction(1),
            label=t.opt_str("label") or "",
            reason=t.opt_str("reason") or "",
            reference=t.opt_str("reference") or "",
        )
        _check(t, decision)
        out.append(decision)
    for t in root.tables("fastest_lap"):
        t.check_keys(_FL_KEYS)
        out.append(
            ChampionshipDecision(
                kind=ChampionshipDecisionKind.FASTEST_LAP,
                round=t.get_int("round", minimum=1),
                season=t.opt_int("season", minimum=1),
                session=t.opt_str("session") or "R",
                car=t.opt_str("car") or "",
                drivers=_strings(t, "drivers", ()),
                factor=_number(t, "factor", minimum=Fraction(0)) if t.has("factor") else Fraction(1),
                reason=t.opt_str("reason") or "",
                reference=t.opt_str("reference") or "",
            )
        )
    return tuple(out)


def _check(t: Table, d: ChampionshipDecision) -> None:
    kind = d.kind
    if kind is ChampionshipDecisionKind.DEDUCTION and (not d.competitor or d.points <= 0):
        t.fail("a points deduction needs a competitor and points > 0", "points")
    if kind is ChampionshipDecisionKind.EXCLUDE:
        if not d.competitor:
            t.fail("an exclusion needs a competitor", "competitor")
        if d.label not in ("", "excluded", "disqualified"):
            t.fail('label must be "excluded" or "disqualified"', "label")
    if kind in (ChampionshipDecisionKind.WITHHOLD, ChampionshipDecisionKind.INELIGIBLE) and not (
        d.car or d.competitor
    ):
        t.fail(f"a {kind.value} decision needs a car or a competitor", "car")
    if d.until_round is not None and (d.until_round < d.round or kind not in _UNTIL):
        t.fail("until_round: only for points deductions and exclusions, and not before round", "until_round")
    if kind is ChampionshipDecisionKind.SHARED_DRIVE and not (d.car and d.drivers):
        t.fail("a shared-drive decision needs a car and the drivers who score", "drivers")
    if kind is ChampionshipDecisionKind.POINTS_FACTOR and not t.has("factor"):
        t.fail("a points-factor decision needs a factor", "factor")
