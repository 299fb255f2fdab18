"""RMonitor (the Orbits scoreboard protocol) records: one line of text ⇄ one typed, immutable record.

A feed is CRLF-terminated lines of comma-separated fields; text fields are double-quoted, numbers are not:

    $A,"reg","number",transponder,"first name","last name","nationality",class   competitor
    $COMP,"reg","number",class,"first name","last name","nationality","additional"  competitor (extended)
    $B,id,"description"           run (session)       $C,id,"description"   class
    $E,"name","value"             setting (TRACKNAME, TRACKLENGTH…)
    $F,laps_to_go,"time_to_go","time_of_day","race_time","flag"              heartbeat, once a second
    $G,position,"reg",laps,"total_time"          race position (laps empty before the first lap)
    $H,position,"reg",best_lap,"best_time"       best-lap (practice/qualifying) position
    $I,"time_of_day","date"                      init: the scoreboard refreshes everything that follows
    $J,"reg","lap_time","total_time"             passing: a crossing of the Line

Records are NamedTuples rather than frozen dataclasses: a day's capture holds 10⁵–10⁶ of them and the
parser must run at several hundred thousand lines a second (docs/architecture.md, "Passing and Lap are
NamedTuples"). Times are ints of µs; `HH:MM:SS.fff`, `HH:MM:SS`, hours beyond 24 and the negative
pre-start countdown Orbits prints as `00:00:-47` are all read.

Anything else starting with `$` ($SP, $SR, $COR…) becomes an `UnknownRecord`: kept, reported by the
caller, never fatal. A line that cannot be read raises `FeedError` naming the source and line.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from typing import NamedTuple

from parcferme.errors import FeedError

__all__ = [
    "BestLapPosition",
    "ClassInfo",
    "Competitor",
    "CompetitorExt",
    "FeedError",
    "Heartbeat",
    "Init",
    "LinePassing",
    "RacePosition",
    "Record",
    "RunInfo",
    "Setting",
    "UnknownRecord",
    "format_clock",
    "format_record",
    "parse_clock",
    "parse_record",
]


class Competitor(NamedTuple):
    """$A: a competitor. `reg` is the registration key every other record refers to."""

    reg: str
    number: str
    transponder: str
    first_name: str
    last_name: str
    nationality: str
    class_id: int


class CompetitorExt(NamedTuple):
    """$COMP: a competitor with its `additional` text (sponsor, car…), without the transponder."""

    reg: str
    number: str
    class_id: int
    first_name: str
    last_name: str
    nationality: str
    additional: str


class RunInfo(NamedTuple):
    """$B: the current run (session); a new `id` means a new session."""

    id: int
    name: str


class ClassInfo(NamedTuple):
    """$C: a class number and its name."""

    id: int
    name: str


class Setting(NamedTuple):
    """$E: a setting such as TRACKNAME or TRACKLENGTH."""

    name: str
    value: str


class Heartbeat(NamedTuple):
    """$F: sent every second. `laps_to_go` 9999 means a timed run; `flag` is stripped ("" before the start,
    "Green", "Yellow", "Red", "Finish"…); `race_time` is negative during a countdown."""

    laps_to_go: int
    time_to_go: int
    time_of_day: int
    race_time: int
    flag: str


class RacePosition(NamedTuple):
    """$G: a car's race position, laps (None when the field is empty: no lap yet) and total time."""

    position: int
    reg: str
    laps: int | None
    total_time: int


class BestLapPosition(NamedTuple):
    """$H: a car's position by best lap, the lap number and its time (0 when no lap is timed)."""

    position: int
    reg: str
    best_lap: int
    best_time: int


class Init(NamedTuple):
    """$I: the scoreboard should refresh; Orbits sends it mid-race too, before re-sending everything."""

    time_of_day: int
    date: str


class LinePassing(NamedTuple):
    """$J: a crossing of the Line: the lap time (0 for the first crossing) and the total race time."""

    reg: str
    lap_time: int
    total_time: int


class UnknownRecord(NamedTuple):
    """Any other `$` record ($SP, $SR, $COR…): its tag and fields, kept verbatim."""

    tag: str
    fields: tuple[str, ...]


Record = (
    Competitor
    | CompetitorExt
    | RunInfo
    | ClassInfo
    | Setting
    | Heartbeat
    | RacePosition
    | BestLapPosition
    | Init
    | LinePassing
    | UnknownRecord
)

# --- times ---------------------------------------------------------------------------------------------

_US = 1_000_000
_from_iso = dt.time.fromisoformat  # C code: ~3x faster than a regex with four int() calls
_CLOCK = re.compile(r"(-?)(\d+):(-?\d+):(-?\d+)(?:\.(\d{1,6}))?", re.ASCII)


def parse_clock(text: str) -> int:
    """`HH:MM:SS.fff` or `HH:MM:SS` (hours may pass 24; a `-` anywhere makes it negative) → µs.

    Raises ValueError; the record parser turns it into a FeedError.
    """
    # The common case (a time below 24 h, 0 or 3 decimals) goes through datetime's C parser. Its other
    # ISO forms (offsets, "Z", compact HHMMSS) have other lengths or a tzinfo and fall to the regex.
    if (len(text) == 12 and text[8] == ".") or len(text) == 8:
        try:
            t = _from_iso(text)
        except ValueError:
            pass
        else:
            if t.tzinfo is None and text[2] == ":":
                return ((t.hour * 60 + t.minute) * 60 + t.second) * _US + t.microsecond
    match = _CLOCK.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a time: {text!r} (expected HH:MM:SS.fff)")
    sign, h, m, s, frac = match.groups()
    negative = bool(sign) or m.startswith("-") or s.startswith("-")
    total = (int(h) * 60 + abs(int(m))) * 60 + abs(int(s))
    micros = total * _US + int((frac or "").ljust(6, "0"))
    return -micros if negative else micros


def format_clock(micros: int, *, millis: bool = True) -> str:
    """µs → `HH:MM:SS.fff` (or `HH:MM:SS`), truncated like every timing screen; `-` before a negative."""
    if micros < 0:
        return "-" + format_clock(-micros, millis=millis)
    seconds, us = divmod(micros, _US)
    minutes, secs = divmod(seconds, 60)
    hours, mins = divmod(minutes, 60)
    if millis:
        return f"{hours:02d}:{mins:02d}:{secs:02d}.{us // 1000:03d}"
    return f"{hours:02d}:{mins:02d}:{secs:02d}"


# --- fields --------------------------------------------------------------------------------------------


def _csv_fields(text: str) -> list[str]:
    """The fields of a line whose quoting the fast path cannot take (commas or quotes inside a field)."""
    try:
        return next(csv.reader((text,), skipinitialspace=True, strict=True))
    except (csv.Error, StopIteration) as exc:
        raise FeedError(f"unreadable quoting: {exc}", text=text) from exc


def _int(text: str) -> int:
    return int(text) if text.strip() else 0


_new = tuple.__new__  # builds a NamedTuple without its Python-level __new__: 2x faster


def _a(f: list[str]) -> Record:
    return _new(Competitor, (f[1], f[2], f[3].strip(), f[4], f[5], f[6], _int(f[7])))


def _comp(f: list[str]) -> Record:
    return _new(CompetitorExt, (f[1], f[2], _int(f[3]), f[4], f[5], f[6], f[7]))


def _b(f: list[str]) -> Record:
    return _new(RunInfo, (int(f[1]), f[2]))


def _c(f: list[str]) -> Record:
    return _new(ClassInfo, (int(f[1]), f[2]))


def _e(f: list[str]) -> Record:
    return _new(Setting, (f[1], f[2]))


def _f(f: list[str]) -> Record:
    clock = parse_clock
    return _new(Heartbeat, (int(f[1]), clock(f[2]), clock(f[3]), clock(f[4]), f[5].strip()))


def _g(f: list[str]) -> Record:
    laps = f[3]
    return _new(RacePosition, (int(f[1]), f[2], int(laps) if laps else None, parse_clock(f[4])))


def _h(f: list[str]) -> Record:
    return _new(BestLapPosition, (int(f[1]), f[2], _int(f[3]), parse_clock(f[4])))


def _i(f: list[str]) -> Record:
    return _new(Init, (parse_clock(f[1].strip()), f[2].strip()))


def _j(f: list[str]) -> Record:
    return _new(LinePassing, (f[1], parse_clock(f[2]), parse_clock(f[3])))


# tag → builder. A builder indexes the fields it needs (IndexError: too few); extra trailing fields are
# ignored, since later protocol versions append fields and a reader of the older ones must not reject them.
_PARSERS: dict[str, Callable[[list[str]], Record]] = {
    "$A": _a,
    "$COMP": _comp,
    "$B": _b,
    "$C": _c,
    "$E": _e,
    "$F": _f,
    "$G": _g,
    "$H": _h,
    "$I": _i,
    "$J": _j,
}


def parse_record(text: str) -> Record:
    """One line (without its line ending) → its record. Raises FeedError (without a location)."""
    # Fields: split on commas and strip the quotes of fields that are exactly "…". That is exact when no
    # quote is left afterwards; one left over means a quoted field held a comma or a doubled quote (or
    # spaces stood outside the quotes), and the csv module reads the line instead. Inlined: this runs
    # for every line of a day's capture.
    fields = text.split(",")
    if '"' in text:
        fields = [p[1:-1] if p[:1] == '"' == p[-1:] and len(p) > 1 else p for p in fields]
        if '"' in "".join(fields):
            fields = _csv_fields(text)
    build = _PARSERS.get(fields[0])
    if build is None:
        tag = fields[0].strip()
        build = _PARSERS.get(tag)
        if build is None:
            if tag[:1] == "$" and len(tag) > 1:
                return _new(UnknownRecord, (tag, tuple(fields[1:])))
            raise FeedError(f"not an RMonitor record: {_excerpt(text)}", text=text)
    try:
        return build(fields)
    except ValueError as exc:
        raise FeedError(f"bad {fields[0].strip()} record ({exc}): {_excerpt(text)}", text=text) from exc
    except IndexError:
        tag = fields[0].strip()
        raise FeedError(
            f"{tag} record with too few fields ({len(fields) - 1}): {_excerpt(text)}", text=text
        ) from None


def _excerpt(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


# --- writing -------------------------------------------------------------------------------------------


def _q(text: str) -> str:
    """A quoted field. A line protocol cannot carry line breaks: they become spaces."""
    if '"' in text or "\r" in text or "\n" in text:
        text = text.replace('"', '""').replace("\r", " ").replace("\n", " ")
    return f'"{text}"'


def _bare(text: str) -> str:
    """An unquoted field (a number), quoted only when it would not survive the split otherwise."""
    return _q(text) if "," in text or '"' in text or "\r" in text or "\n" in text else text


def _flag(flag: str) -> str:
    return flag.ljust(6)  # Orbits pads the flag to six characters ("Green ", "      ")


def format_record(record: Record) -> str:
    """A record as one RMonitor line (no line ending): the inverse of parse_record."""
    match record:
        case Competitor(reg, number, transponder, first, last, nat, class_id):
            return (
                f"$A,{_q(reg)},{_q(number)},{_bare(transponder)},{_q(first)},{_q(last)},{_q(nat)},{class_id}"
            )
        case CompetitorExt(reg, number, class_id, first, last, nat, additional):
            return (
                f"$COMP,{_q(reg)},{_q(number)},{class_id},{_q(first)},{_q(last)},{_q(nat)},{_q(additional)}"
            )
        case RunInfo(id_, name):
            return f"$B,{id_},{_q(name)}"
        case ClassInfo(id_, name):
            return f"$C,{id_},{_q(name)}"
        case Setting(name, value):
            return f"$E,{_q(name)},{_q(value)}"
        case Heartbeat(laps_to_go, time_to_go, tod, race_time, flag):
            clocks = ",".join(_q(format_clock(t, millis=False)) for t in (time_to_go, tod, race_time))
            return f"$F,{laps_to_go},{clocks},{_q(_flag(flag))}"
        case RacePosition(position, reg, laps, total):
            return f"$G,{position},{_q(reg)},{'' if laps is None else laps},{_q(format_clock(total))}"
        case BestLapPosition(position, reg, best_lap, best_time):
            return f"$H,{position},{_q(reg)},{best_lap},{_q(format_clock(best_time))}"
        case Init(tod, date):
            return f"$I,{_q(format_clock(tod))},{_q(date)}"
        case LinePassing(reg, lap_time, total):
            return f"$J,{_q(reg)},{_q(format_clock(lap_time))},{_q(format_clock(total))}"
        case UnknownRecord(tag, fields):
            return ",".join((tag, *map(_bare, fields)))
    raise TypeError(f"not an RMonitor record: {record!r}")  # pragma: no cover - exhaustive above
