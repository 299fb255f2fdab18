"""RMonitor capture files: the raw feed as recorded, with or without `##timestamp` lines.

A capture is the feed's lines in arrival order. Recorders usually precede each block of lines read from
the socket with the wall-clock time it arrived, `##2025-04-26 13:58:48.222`; a stamp may name its source
(`##… |rmonitor`, `|flags`, `|ftcar` in mixed captures), and only `rmonitor` blocks (or unnamed ones) are
RMonitor. Files seen in the wild start with a BOM and mix LF, CRLF and CR CR LF line endings; all are read,
and line numbers are counted as an editor shows them (one per LF).

Reading never stops at a bad line: lines that cannot be decoded or parsed come back as FeedErrors with their
line number, between the good records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from parcferme.errors import FeedError, InputError
from parcferme.formats.rmonitor_records import Record, parse_record

__all__ = ["Capture", "CaptureLine", "parse_capture", "read_capture", "read_records", "records"]

_EPOCH = dt.datetime(1970, 1, 1)
_ONE_US = dt.timedelta(microseconds=1)
_RMONITOR_SOURCES = frozenset({"", "rmonitor"})


class CaptureLine(NamedTuple):
    """One feed line: its number in the file, the stamp of its block (µs since 1970, as written; None
    when the capture has no stamps) and its text without the line ending."""

    number: int
    stamp: int | None
    text: str


@dataclass(frozen=True, slots=True)
class Capture:
    """The RMonitor lines of a capture and what was set aside while reading it."""

    source: str
    lines: tuple[CaptureLine, ...]
    issues: tuple[FeedError, ...] = ()

    @property
    def stamped(self) -> bool:
        return any(line.stamp is not None for line in self.lines)


def read_capture(path: Path | str) -> Capture:
    """Read a capture file. Raises InputError when the file cannot be read at all."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the capture: {exc.strerror or exc}", source=str(path)) from exc
    return parse_capture(data, source=str(path))


def parse_capture(data: bytes | str, source: str = "<capture>") -> Capture:
    """Split a capture into its stamped RMonitor lines (no record is parsed yet)."""
    issues: list[FeedError] = []
    rows = _decoded_lines(data, source, issues) if isinstance(data, bytes) else _split(data)
    lines: list[CaptureLine] = []
    append = lines.append
    new = tuple.__new__
    from_iso = dt.datetime.fromisoformat
    stamp: int | None = None
    foreign = ""  # the source of the current block when it is not RMonitor
    skipped: dict[str, int] = {}
    for number, line in rows:
        if not line:
            continue
        if line[:2] == "##":
            # the common stamp (naive, no source) inline: a capture has one every few lines
            try:
                when = from_iso(line[2:])
            except ValueError:
                stamp, foreign = _stamp(line, number, source, stamp, issues)
            else:
                if when.tzinfo is None:
                    stamp, foreign = (when - _EPOCH) // _ONE_US, ""
                else:
                    stamp, foreign = _stamp(line, number, source, stamp, issues)
        elif foreign:
            skipped[foreign] = skipped.get(foreign, 0) + 1
        else:
            append(new(CaptureLine, (number, stamp, line)))
    for name, count in skipped.items():
        issues.append(FeedError(f"{count} lines of {name!r} blocks skipped (not RMonitor)", source=source))
    return Capture(source, tuple(lines), tuple(issues))


def _split(text: str) -> list[tuple[int, str]]:
    """(line number, line) per LF; trailing CRs dropped, a CR inside a line splits it (same number)."""
    if text[:1] == "\ufeff":
        text = text[1:]
    raw = text.split("\n")
    stripped = [line.rstrip("\r") for line in raw]
    rows = list(zip(range(1, len(raw) + 1), stripped, strict=True))
    if "\r" not in text or not any("\r" in line for line in stripped):
        return rows
    out: list[tuple[int, str]] = []
    for number, line in rows:
        if "\r" in line:
            out.extend((number, piece) for piece in line.split("\r"))
        else:
            out.append((number, line))
    return out


def _decoded_lines(data: bytes, source: str, issues: list[FeedError]) -> Iterable[tuple[int, str]]:
    try:
        return _split(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    # Not UTF-8 as a whole: decode line by line so that one bad byte costs one line's accents, not the file.
    rows: list[tuple[int, str]] = []
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").split(b"\n"), 1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = raw.decode("latin-1")
            issues.append(
                FeedError(f"not UTF-8 ({exc.reason}); read as Latin-1", source=source, line=number, text=text)
            )
        rows.extend((number, piece) for _, piece in _split(text))
    return rows


def _stamp(
    line: str, number: int, source: str, previous: int | None, issues: list[FeedError]
) -> tuple[int | None, str]:
    """A `##YYYY-MM-DD HH:MM:SS.fff[|source]` line → (µs since 1970, foreign source name or "")."""
    body, _, origin = line[2:].partition("|")
    origin = origin.strip().lower()
    try:
        when = dt.datetime.fromisoformat(body.strip())
    except ValueError:
        issues.append(FeedError(f"bad timestamp line {line[:40]!r}", source=source, line=number, text=line))
        return previous, "" if origin in _RMONITOR_SOURCES else origin
    if when.tzinfo is not None:
        when = when.astimezone(dt.UTC).replace(tzinfo=None)
    return (when - _EPOCH) // _ONE_US, "" if origin in _RMONITOR_SOURCES else origin


def records(capture: Capture) -> Iterator[tuple[CaptureLine, Record | FeedError]]:
    """Each line with its record, or with the FeedError (source and line filled in) that reading it gave."""
    source = capture.source
    for line in capture.lines:
        try:
            yield line, parse_record(line.text)
        except FeedError as exc:
            yield line, exc.located(source, line.number)


def read_records(path: Path | str) -> tuple[list[tuple[CaptureLine, Record]], list[FeedError]]:
    """A capture file's good records in order, and every issue (decoding, stamps, unreadable lines)."""
    capture = read_capture(path)
    good: list[tuple[CaptureLine, Record]] = []
    issues = list(capture.issues)
    for line, item in records(capture):
        if isinstance(item, FeedError):
            issues.append(item)
        else:
            good.append((line, item))
    return good, issues
