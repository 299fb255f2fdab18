"""RMonitor (Orbits scoreboard protocol): the public face of the reader, and a plain-text live order.

- `rmonitor_records`: one line ⇄ one typed record (`parse_record`, `format_record`), FeedError;
- `rmonitor_capture`: capture files with or without `##timestamp` lines (`read_capture`, `read_records`);
- `rmonitor_state`: `RMonitorState`, the records folded into the live order and parcferme model objects.

`render_standings` prints the live order without rich, for a terminal or a log.
"""

from __future__ import annotations

from parcferme.errors import FeedError
from parcferme.formats.rmonitor_capture import Capture, CaptureLine, read_capture, read_records, records
from parcferme.formats.rmonitor_records import (
    BestLapPosition,
    ClassInfo,
    Competitor,
    CompetitorExt,
    Heartbeat,
    Init,
    LinePassing,
    RacePosition,
    Record,
    RunInfo,
    Setting,
    UnknownRecord,
    format_record,
    parse_record,
)
from parcferme.formats.rmonitor_state import RMonitorState, Standing
from parcferme.model.time import format_gap, format_time

__all__ = [
    "BestLapPosition",
    "Capture",
    "CaptureLine",
    "ClassInfo",
    "Competitor",
    "CompetitorExt",
    "FeedError",
    "Heartbeat",
    "Init",
    "LinePassing",
    "RMonitorState",
    "RacePosition",
    "Record",
    "RunInfo",
    "Setting",
    "Standing",
    "UnknownRecord",
    "format_record",
    "parse_record",
    "read_capture",
    "read_records",
    "records",
    "render_standings",
]

_COLUMNS = ("Pos", "No", "Class", "Laps", "Total", "Last", "Best", "Gap", "Int")


def _clock(micros: int) -> str:
    seconds = max(micros, 0) // 1_000_000
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def render_standings(state: RMonitorState, *, limit: int | None = None) -> str:
    """The live order as a text table, under a line with the run, the flag and the clocks."""
    heading = [state.run.name if state.run else "RMonitor feed"]
    if "TRACKNAME" in state.settings:
        heading.append(state.settings["TRACKNAME"])
    beat = state.heartbeat
    if beat is not None:
        heading.append(beat.flag or "no flag")
        heading.append(f"race {_clock(beat.race_time)}")
        heading.append(
            f"{beat.laps_to_go} laps to go" if beat.laps_to_go < 9999 else f"to go {_clock(beat.time_to_go)}"
        )
    rows = [_COLUMNS]
    for s in state.standings()[:limit]:
        best = f"{format_time(s.best_lap)} ({s.best_lap_number})" if s.best_lap else ""
        rows.append(
            (
                str(s.position),
                s.number,
                s.class_name,
                str(s.laps),
                format_time(s.total_time) if s.total_time else "",
                format_time(s.last_lap) if s.last_lap else "",
                best,
                format_gap(s.gap) if s.gap else "",
                format_gap(s.interval) if s.interval else "",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
    right = {0, 3, 4, 5, 7, 8}  # numbers and times line up on the right
    lines = [" — ".join(heading)]
    for row in rows:
        cells = (
            c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))
        )
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
