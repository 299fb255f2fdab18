"""Session results as CSV: one line per result row, with the fixed columns of docs/output-format.md.

Pure: returns the text; the CLI writes it atomically. Times are the strings people read (truncated to
thousandths); a program that needs microseconds should read the JSON export instead.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from parcferme.engine import SessionOutcome
from parcferme.formats.results_json import selected_results
from parcferme.model.event import Event
from parcferme.model.results import ResultRow
from parcferme.model.time import format_gap, format_time

COLUMNS: tuple[str, ...] = (
    "session",
    "classification",
    "position",
    "number",
    "drivers",
    "team",
    "status",
    "laps",
    "time",
    "gap",
    "interval",
    "best_lap",
    "best_lap_no",
    "grid",
    "gained",
    "laps_led",
    "penalty",
)

DRIVER_SEPARATOR = " / "
PIT_LANE = "pit"


def results_to_csv(
    event: Event, outcomes: Sequence[SessionOutcome], *, classification: str | None = None
) -> str:
    """The CSV text (header line first, `\\n` line ends) for these sessions' results."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for outcome in outcomes:
        for result in selected_results(outcome, classification):
            for row in result.rows:
                writer.writerow(_cells(event, outcome.session.id, result.classification, row))
    return buffer.getvalue()


def _cells(event: Event, session: str, classification: str, row: ResultRow) -> list[str]:
    try:
        entry = event.entry(row.car)
        drivers, team = DRIVER_SEPARATOR.join(d.name for d in entry.drivers), entry.team
    except KeyError:
        drivers, team = "", ""
    grid = PIT_LANE if row.pit_lane_start else _int(row.grid)
    return [
        session,
        classification,
        _int(row.position),
        row.car,
        drivers,
        team,
        row.status.value,
        str(row.laps),
        "" if row.time is None else format_time(row.time),
        "" if row.gap is None else format_gap(row.gap),
        "" if row.interval is None else format_gap(row.interval),
        "" if row.best_lap is None else format_time(row.best_lap.time),
        "" if row.best_lap is None else str(row.best_lap.lap),
        grid,
        _int(row.positions_gained),
        str(row.laps_led),
        format_time(row.penalty_time) if row.penalty_time else "",
    ]


def _int(value: int | None) -> str:
    return "" if value is None else str(value)
