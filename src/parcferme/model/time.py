"""Time: an int of microseconds everywhere inside; parsed and formatted only at the edges.

Display truncates to thousandths, as timing screens do (2:23.9989 is shown 2:23.998).
"""

from __future__ import annotations

import re

from parcferme.model._dataclass import dataclass

MICROS_PER_SECOND = 1_000_000
MICROS_PER_MILLI = 1_000

_CLOCK = re.compile(
    r"^(?:(?P<h>\d+):(?=\d{1,2}:))?(?:(?P<m>\d+):)?(?P<s>\d+)(?:\.(?P<frac>\d{1,6}))?$",
    re.ASCII,
)
_LAPS_GAP = re.compile(r"^\+?\s*(?P<n>\d+)\s*laps?$", re.IGNORECASE | re.ASCII)


def parse_time(text: str) -> int:
    """Parse `2:23.998`, `1:01:44.742`, `59.1` or `83` (seconds) into microseconds.

    Raises ValueError with the offending text; readers wrap it into an InputError.
    """
    match = _CLOCK.match(text.strip())
    if match is None:
        raise ValueError(f"not a time: {text!r} (expected [[H:]M:]S[.fff])")
    hours = int(match["h"] or 0)
    minutes = int(match["m"] or 0)
    seconds = int(match["s"])
    if (match["h"] or match["m"]) and seconds >= 60:
        raise ValueError(f"not a time: {text!r} (seconds must be below 60)")
    if match["h"] and minutes >= 60:
        raise ValueError(f"not a time: {text!r} (minutes must be below 60)")
    frac = (match["frac"] or "").ljust(6, "0")
    return ((hours * 60 + minutes) * 60 + seconds) * MICROS_PER_SECOND + int(frac or 0)


def format_time(micros: int) -> str:
    """`2:23.998`, `1:01:44.742`, `59.100`; truncated (never rounded) to thousandths."""
    if micros < 0:
        return "-" + format_time(-micros)
    millis = micros // MICROS_PER_MILLI
    seconds, ms = divmod(millis, 1000)
    minutes, secs = divmod(seconds, 60)
    hours, mins = divmod(minutes, 60)
    if hours:
        return f"{hours}:{mins:02d}:{secs:02d}.{ms:03d}"
    if mins:
        return f"{mins}:{secs:02d}.{ms:03d}"
    return f"{secs}.{ms:03d}"


def format_time_of_day(micros: int) -> str:
    """`14:05:09.123` for a time of day held as microseconds since midnight."""
    millis = micros // MICROS_PER_MILLI
    seconds, ms = divmod(millis, 1000)
    minutes, secs = divmod(seconds, 60)
    hours, mins = divmod(minutes, 60)
    return f"{hours:02d}:{mins:02d}:{secs:02d}.{ms:03d}"


def parse_time_of_day(text: str) -> int:
    """`14:05:09.123` (or a plain number of seconds since midnight) into microseconds since midnight."""
    return parse_time(text)


@dataclass(frozen=True, slots=True)
class Gap:
    """A distance between two cars: laps behind, and time when they are on the same lap.

    `laps == 0` means same lap and `time` is set; `laps > 0` means lapped (time kept when known,
    but shown as laps).
    """

    laps: int = 0
    time: int | None = None

    def __str__(self) -> str:
        return format_gap(self)


def format_gap(gap: Gap) -> str:
    """`+12.345`, `+1:02.004`, `+1 Lap`, `+2 Laps`."""
    if gap.laps > 0:
        return f"+{gap.laps} Lap" if gap.laps == 1 else f"+{gap.laps} Laps"
    if gap.time is None:
        return ""
    return "+" + format_time(gap.time)


def parse_gap(text: str) -> Gap:
    """Inverse of format_gap: `+12.345` → Gap(time=12_345_000), `+2 Laps` → Gap(laps=2)."""
    stripped = text.strip()
    laps = _LAPS_GAP.match(stripped)
    if laps is not None:
        return Gap(laps=int(laps["n"]))
    if not stripped.startswith("+"):
        raise ValueError(f"not a gap: {text!r} (expected +S.fff, +M:SS.fff or +N Lap(s))")
    return Gap(time=parse_time(stripped[1:]))
