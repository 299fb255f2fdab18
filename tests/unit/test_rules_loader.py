"""The rule-set loader: packaged rule sets, rule-set files, and the errors they report."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from parcferme.errors import InputError, RuleError
from parcferme.model import DecisionKind, Rounding, RuleSet
from parcferme.rules import RuleSetError, available_rule_sets, load_rule_set, parse_share


def test_available_rule_sets() -> None:
    names = available_rule_sets()
    assert names == tuple(sorted(names))
    assert {"carrera-cup-france-2017", "fia-default"} <= set(names)


@pytest.mark.parametrize("rule_id", available_rule_sets())
def test_every_packaged_rule_set_loads(rule_id: str) -> None:
    rules = load_rule_set(rule_id)
    assert rules.id == rule_id and rules.name


def test_carrera_cup_france_2017() -> None:
    rules = load_rule_set("carrera-cup-france-2017")
    assert rules.min_classified == Fraction(3, 4)  # [M] unverified, see the file's comments
    assert rules.min_classified_rounding is Rounding.FLOOR
    assert rules.classified_threshold(14) == 10  # 10.5 rounded down
    assert rules.late_conversion(DecisionKind.DRIVE_THROUGH) == 20_000_000
    assert rules.late_conversion(DecisionKind.STOP_GO) == 30_000_000
    assert (rules.late_laps, rules.min_lap_time, rules.duplicate_window) == (3, 20_000_000, 1_000_000)
    assert rules.must_take_flag is False


def test_fia_default() -> None:
    rules = load_rule_set("fia-default")
    assert rules.min_classified == Fraction(9, 10)
    assert rules.classified_threshold(56) == 50  # RULES.md §1.3 worked example
    assert rules.red_flag_countback_laps == 2


def write(tmp_path: Path, text: str, name: str = "club.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_file_relative_to_base_dir(tmp_path: Path) -> None:
    write(tmp_path, 'id = "club"\n[classification]\nmin_share = 0.7\nrounding = "round"\n')
    rules = load_rule_set("club.toml", base_dir=tmp_path)
    assert (rules.min_classified, rules.min_classified_rounding) == (Fraction(7, 10), Rounding.ROUND)
    # whatever the file does not say keeps the model's default
    defaults = RuleSet(id="club")
    assert (rules.late_conversions, rules.min_lap_time) == (defaults.late_conversions, defaults.min_lap_time)


def test_absolute_path_and_subfolder(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    path = write(tmp_path / "rules", 'id = "club"\n[penalties]\ndrive_through = 25.5\n')
    assert load_rule_set(str(path)).late_conversion(DecisionKind.DRIVE_THROUGH) == 25_500_000
    assert load_rule_set("rules/club.toml", base_dir=tmp_path).id == "club"


def test_unknown_id() -> None:
    with pytest.raises(RuleSetError, match=r"unknown rule set 'f1-1950'.*fia-default") as info:
        load_rule_set("f1-1950")
    assert isinstance(info.value, RuleError) and isinstance(info.value, InputError)


def test_not_an_id() -> None:
    with pytest.raises(RuleSetError, match="not a rule-set id"):
        load_rule_set("FIA Default")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError, match=r"rule-set file not found: nope\.toml"):
        load_rule_set("nope.toml", base_dir=tmp_path)


@pytest.mark.parametrize(
    ("value", "share"),
    [
        ('"75%"', Fraction(3, 4)),
        ('"75 %"', Fraction(3, 4)),
        ('"90.5%"', Fraction(181, 200)),
        ('"9/10"', Fraction(9, 10)),
        ("0.9", Fraction(9, 10)),  # exact: the decimal written, not the binary float
        ('"0.7"', Fraction(7, 10)),
        ("1", Fraction(1)),
    ],
)
def test_min_share_forms(tmp_path: Path, value: str, share: Fraction) -> None:
    write(tmp_path, f'id = "club"\n[classification]\nmin_share = {value}\n')
    assert load_rule_set("club.toml", base_dir=tmp_path).min_classified == share


@pytest.mark.parametrize("value", ["0", '"0%"', '"110%"', '"3/0"', '"most"', "true", "[1]", "1.5", "nan"])
def test_bad_min_share(value: str) -> None:
    with pytest.raises(ValueError, match="expected a share"):
        parse_share(__import__("tomllib").loads(f"v = {value}")["v"])


def fails(tmp_path: Path, text: str, line: int | None, field: str | None, fragment: str) -> RuleSetError:
    write(tmp_path, text)
    with pytest.raises(RuleSetError) as info:
        load_rule_set("club.toml", base_dir=tmp_path)
    error = info.value
    source = f"{tmp_path.name}/club.toml"  # named like the event folder's files: "spa/club.toml"
    assert (error.source, error.line, error.field) == (source, line, field), str(error)
    assert fragment in error.message, error.message
    assert str(error).startswith(source + (f":{line}" if line else ""))
    return error


def test_bad_share_in_file(tmp_path: Path) -> None:
    fails(
        tmp_path,
        'id = "club"\n[classification]\nmin_share = "110%"\n',
        3,
        "classification.min_share",
        "share",
    )


def test_unknown_top_level_key(tmp_path: Path) -> None:
    error = fails(
        tmp_path, 'id = "club"\n\n[points]\nscale = [25, 18]\n', 3, "points", "unknown key 'points'"
    )
    assert "allowed keys: id, name, classification, penalties, timing" in error.message


def test_unknown_key_in_a_table(tmp_path: Path) -> None:
    text = 'id = "club"\n[timing]\nmin_lap_time = 20\nmin_laptime = 30\n'
    fails(tmp_path, text, 4, "timing.min_laptime", "allowed keys: min_lap_time, duplicate_window")


def test_bad_rounding(tmp_path: Path) -> None:
    text = 'id = "club"\n[classification]\nrounding = "down"\n'
    fails(tmp_path, text, 3, "classification.rounding", "floor, round, ceil")


def test_malformed_toml(tmp_path: Path) -> None:
    fails(tmp_path, 'id = "club"\n[timing\n', 2, None, "invalid TOML")


def test_missing_id(tmp_path: Path) -> None:
    fails(tmp_path, 'name = "Club"\n', None, "id", "missing key 'id'")


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ("[timing]\nmin_lap_time = 0", "timing.min_lap_time", "positive"),
        ("[timing]\nmin_lap_time = 1e-9", "timing.min_lap_time", "at most 6 decimals"),
        ("[timing]\nduplicate_window = -1", "timing.duplicate_window", "at least 0"),
        ("[penalties]\nstop_go = 0", "penalties.stop_go", "positive"),
        ("[penalties]\nlate_laps = -1", "penalties.late_laps", "at least 0"),
        ('[penalties]\nlate_laps = "3"', "penalties.late_laps", "expected an integer"),
        ('[classification]\nmust_take_flag = "no"', "classification.must_take_flag", "true or false"),
        ("classification = 3", "classification", "expected a table"),
    ],
)
def test_bad_values(tmp_path: Path, body: str, field: str, fragment: str) -> None:
    fails(tmp_path, f'id = "club"\n{body}\n', 2 if "\n" not in body else 3, field, fragment)


def test_packaged_id_must_match_file_name(tmp_path: Path) -> None:
    # A packaged file whose id differs from its name would be a packaging bug; a user's file may use any id.
    write(tmp_path, 'id = "other"\n')
    assert load_rule_set("club.toml", base_dir=tmp_path).id == "other"


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "club.toml").write_bytes(b'id = "club"\nname = "Coupe de l\'\xe9t\xe9"\n')
    with pytest.raises(RuleSetError, match="not UTF-8") as info:
        load_rule_set("club.toml", base_dir=tmp_path)
    assert info.value.line == 2
