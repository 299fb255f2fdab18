"""Parsing the values text files hold (times, durations, booleans, lists), shared by the readers.

Each parser raises ValueError with the offending text and what was expected; readers wrap it into an
InputError that names the file, the line and the field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

from parcferme.errors import InputError
from parcferme.model.time import MICROS_PER_SECOND, parse_time

TRUE_WORDS = frozenset({"yes", "true", "1"})
FALSE_WORDS = frozenset({"no", "false", "0", ""})
_from_iso = dt.time.fromisoformat
_TIME_OF_DAY = "expected a time of day HH:MM:SS[.ffffff]"
_DURATION = 'expected a number of seconds or a duration such as "1:02.5"'


def read_text(path: Path, source: str) -> str:
    """The file's text (UTF-8, optional BOM), or an InputError naming the line of the first bad byte."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", source=source) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8", source=source, line=line
        ) from exc


def parse_time_of_day(text: str) -> int:
    """`14:05:09.123456` → µs since midnight; hours may pass 23 for a session that runs past midnight.

    The usual HH:MM:SS[.f…] goes through datetime.time.fromisoformat (C, ~4× faster than anything in
    Python; benchmarks read 10⁶ rows), guarded so that none of the other forms it accepts (`14:05`,
    `140509`, a comma, a time zone) gets through. Anything else goes through parse_time, but the three
    fields are still demanded: `14:05` is not 14 min 5 s after midnight.
    """
    n = len(text)
    if 8 <= n <= 15 and text[2] == ":" and text[5] == ":" and (n == 8 or text[8] == "."):
        try:
            t = _from_iso(text)
        except ValueError:
            pass  # hours past 23, or malformed: the general path decides
        else:
            if t.tzinfo is None:
                return ((t.hour * 60 + t.minute) * 60 + t.second) * MICROS_PER_SECOND + t.microsecond
    stripped = text.strip()
    if stripped.count(":") != 2 or not stripped.isascii():
        raise ValueError(f"not a time of day: {text!r} ({_TIME_OF_DAY})")
    try:
        return parse_time(stripped)
    except ValueError as exc:
        raise ValueError(f"not a time of day: {text!r} ({_TIME_OF_DAY})") from exc


def parse_duration(text: str) -> int:
    """A lap or sector time: `2:23.998`, `1:01:44.742` or plain seconds `83.5` → µs."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty: expected a time such as 2:23.998 or 83.5")
    if not stripped.isascii():  # parse_time's \d would take any script's digits
        raise ValueError(f"not a time: {text!r} (expected [[H:]M:]S[.fff])")
    return parse_time(stripped)


def seconds_to_micros(value: object) -> int:
    """A TOML value: 5 → 5_000_000; 2.5 → 2_500_000 (exactly, through its decimal text); "1:02.5" → µs."""
    if isinstance(value, bool):
        raise ValueError(f"{_DURATION}, got {kind_of(value)}")
    if isinstance(value, int):
        return value * MICROS_PER_SECOND
    if isinstance(value, float):
        try:
            micros = Decimal(repr(value)) * MICROS_PER_SECOND
        except InvalidOperation as exc:
            raise ValueError(f"{_DURATION}, got {value!r}") from exc
        if not micros.is_finite() or micros != micros.to_integral_value():
            raise ValueError(f"expected a number of seconds with at most 6 decimals, got {value!r}")
        return int(micros)
    if isinstance(value, str):
        return parse_duration(value)
    raise ValueError(f"{_DURATION}, got {kind_of(value)}")


def parse_bool(text: str) -> bool:
    """yes/no, true/false, 1/0 (any case); empty means no."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"not a yes/no value: {text!r} (expected yes, no, true, false, 1, 0 or empty)")


def split_list(text: str) -> tuple[str, ...]:
    """`FR; BNL` → ("FR", "BNL"); empty items dropped."""
    return tuple(item for item in (part.strip() for part in text.split(";")) if item)


def kind_of(value: object) -> str:
    """How a value reads in an error message: `a string ('x')`, `a number (3)`, `a table`…"""
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"a string ({value!r})"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dt.datetime):
        return "a date-time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    return type(value).__name__
