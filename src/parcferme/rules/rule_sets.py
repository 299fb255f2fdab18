"""Race rule sets (classification, penalties, timing) as data: the packaged TOML files beside this module,
and the loader that checks them.

A rule set is referred to by a packaged id (`carrera-cup-france-2017` → `rules/carrera-cup-france-2017.toml`)
or by the path of a TOML file (any reference containing `/` or `\\`, or ending in `.toml`), relative to
`base_dir` (the event folder). Every problem raises `RuleSetError` (see `parcferme.rules`).
"""

from __future__ import annotations

import codecs
import math
import re
from fractions import Fraction
from pathlib import Path
from typing import TypeVar

from parcferme.errors import InputError
from parcferme.formats.tomlio import Table, TomlDoc
from parcferme.model.decisions import DecisionKind
from parcferme.model.rules import Rounding, RuleSet
from parcferme.rules import RuleSetError

__all__ = ["available_rule_sets", "is_path_reference", "load_rule_set", "parse_share"]

_T = TypeVar("_T")
# packaged rule sets sit beside this module (setuptools installs package data as plain files; reading them
# by path avoids importlib.resources, whose import costs ~7 ms of start-up)
_PACKAGED = Path(__file__).parent
_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
_SHARE = re.compile(
    r"^(?:(?P<pct>\d+(?:\.\d+)?)\s*%|(?P<num>\d+)\s*/\s*(?P<den>\d+)|(?P<dec>\d+(?:\.\d+)?))$",
)
_ID_EXPECTED = "expected lower-case letters, digits, '-', '_', '.'"

_TOP_KEYS = ("id", "name", "classification", "penalties", "timing")
_CLASSIFICATION_KEYS = ("min_share", "rounding", "must_take_flag", "red_flag_countback_laps")
_PENALTY_KEYS = ("late_laps", "drive_through", "stop_go")
_TIMING_KEYS = ("min_lap_time", "duplicate_window")


def available_rule_sets() -> tuple[str, ...]:
    """The ids of the packaged rule sets, sorted."""
    root = _PACKAGED
    return tuple(sorted(item.name[: -len(".toml")] for item in root.iterdir() if item.name.endswith(".toml")))


def is_path_reference(ref: str) -> bool:
    """A reference names a file (rather than a packaged rule set) when it looks like a path."""
    return "/" in ref or "\\" in ref or ref.endswith(".toml")


def load_rule_set(ref: str, base_dir: Path | None = None) -> RuleSet:
    """The rule set a reference names: a packaged id, or a TOML file path relative to `base_dir`."""
    ref = ref.strip()
    if is_path_reference(ref):
        path = Path(ref)
        source = ref
        if not path.is_absolute() and base_dir is not None:
            path = Path(base_dir) / path
            source = f"{Path(base_dir).resolve().name}/{ref}"  # as the event folder's files are named
        if not path.is_file():
            raise RuleSetError(f"rule-set file not found: {ref} (looked for {path})")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise RuleSetError(
                f"cannot read the rule-set file ({exc.strerror or exc})", source=source
            ) from exc
        return _load(data, source, expected_id=None)
    if _ID.match(ref) is None:
        raise RuleSetError(f"not a rule-set id: {ref!r} ({_ID_EXPECTED})")
    resource = _PACKAGED / f"{ref}.toml"
    if not resource.is_file():
        known = ", ".join(available_rule_sets())
        raise RuleSetError(f"unknown rule set {ref!r} (packaged rule sets: {known}; or give a .toml path)")
    return _load(resource.read_bytes(), f"parcferme/rules/{ref}.toml", expected_id=ref)


def _load(data: bytes, source: str, expected_id: str | None) -> RuleSet:
    try:
        try:
            # a byte-order mark dropped by hand: decoding "utf-8-sig" would import one more codec module
            text = data.removeprefix(codecs.BOM_UTF8).decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError("not UTF-8 text", source=source, line=line) from exc
        return _rule_set(TomlDoc(text, source).root(), expected_id)
    except RuleSetError:
        raise
    except InputError as exc:
        raise RuleSetError(exc.message, source=exc.source, line=exc.line, field=exc.field) from exc


def _rule_set(root: Table, expected_id: str | None) -> RuleSet:
    root.check_keys(_TOP_KEYS)
    rule_id = root.get_str("id")
    if _ID.match(rule_id) is None:
        root.fail(f"not a rule-set id: {rule_id!r} ({_ID_EXPECTED})", "id")
    if expected_id is not None and rule_id != expected_id:
        root.fail(f"the id must match the file name: expected {expected_id!r}, got {rule_id!r}", "id")
    defaults = RuleSet(id=rule_id)
    min_classified = defaults.min_classified
    rounding = defaults.min_classified_rounding
    must_take_flag = defaults.must_take_flag
    countback = defaults.red_flag_countback_laps
    late_laps = defaults.late_laps
    conversions = dict(defaults.late_conversions)
    min_lap_time = defaults.min_lap_time
    duplicate_window = defaults.duplicate_window

    classification = root.table("classification")
    if classification is not None:
        classification.check_keys(_CLASSIFICATION_KEYS)
        if classification.has("min_share"):
            try:
                min_classified = parse_share(classification.get("min_share"))
            except ValueError as exc:
                classification.fail(str(exc), "min_share")
        rounding_name = classification.opt_str("rounding")
        if rounding_name is not None:
            try:
                rounding = Rounding(rounding_name)
            except ValueError:
                allowed = ", ".join(r.value for r in Rounding)
                message = f"unknown rounding {rounding_name!r} (expected one of: {allowed})"
                classification.fail(message, "rounding")
        must_take_flag = _or(classification.opt_bool("must_take_flag"), must_take_flag)
        countback = _or(classification.opt_int("red_flag_countback_laps", minimum=0), countback)

    penalties = root.table("penalties")
    if penalties is not None:
        penalties.check_keys(_PENALTY_KEYS)
        late_laps = _or(penalties.opt_int("late_laps", minimum=0), late_laps)
        for key, kind in (("drive_through", DecisionKind.DRIVE_THROUGH), ("stop_go", DecisionKind.STOP_GO)):
            micros = penalties.opt_seconds(key)
            if micros is not None:
                if micros <= 0:
                    penalties.fail("expected a positive number of seconds", key)
                conversions[kind] = micros

    timing = root.table("timing")
    if timing is not None:
        timing.check_keys(_TIMING_KEYS)
        min_lap_time = _or(timing.opt_seconds("min_lap_time"), min_lap_time)
        if min_lap_time <= 0:
            timing.fail("expected a positive number of seconds", "min_lap_time")
        duplicate_window = _or(timing.opt_seconds("duplicate_window"), duplicate_window)
        if duplicate_window < 0:
            timing.fail("expected a number of seconds of at least 0", "duplicate_window")

    return RuleSet(
        id=rule_id,
        name=root.opt_str("name") or "",
        min_classified=min_classified,
        min_classified_rounding=rounding,
        late_conversions=tuple(conversions.items()),
        late_laps=late_laps,
        min_lap_time=min_lap_time,
        must_take_flag=must_take_flag,
        red_flag_countback_laps=countback,
        duplicate_window=duplicate_window,
    )


def _or(value: _T | None, default: _T) -> _T:
    return default if value is None else value


def parse_share(value: object) -> Fraction:
    """`"75%"`, `"9/10"`, `0.9`, `"0.9"` or `1` → an exact Fraction in (0, 1]. Raises ValueError."""
    expected = 'expected a share such as "75%", "9/10" or 0.9'
    if isinstance(value, bool):
        raise ValueError(f"{expected}, got a boolean")
    if isinstance(value, int):
        share = Fraction(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{expected}, got {value!r}")
        share = Fraction(repr(value))  # the decimal the file wrote, not the binary float
    elif isinstance(value, str):
        match = _SHARE.match(value.strip())
        if match is None:
            raise ValueError(f"{expected}, got {value!r}")
        if match["pct"] is not None:
            share = Fraction(match["pct"]) / 100
        elif match["num"] is not None:
            if int(match["den"]) == 0:
                raise ValueError(f"{expected}, got {value!r} (division by zero)")
            share = Fraction(int(match["num"]), int(match["den"]))
        else:
            share = Fraction(match["dec"])
    else:
        raise ValueError(f"{expected}, got {type(value).__name__}")
    if not 0 < share <= 1:
        raise ValueError(f"{expected}, between 0 (excluded) and 100 %, got {value!r}")
    return share
