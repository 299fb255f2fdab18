"""Session results as JSON (schema `parcferme.results/1`, described in docs/output-format.md).

Pure: builds a string, never touches a file (the CLI writes it with `formats.atomic.write_atomic`). Keys come
in a fixed order and nothing depends on a clock or a dict's hash order, so the same results always give the
same bytes, which is what golden tests need. Times are given twice: exact integer microseconds (`*_us`) for
programs, and the text people read (truncated to thousandths, as timing screens show them).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from parcferme.engine import SessionOutcome
from parcferme.model.classification import OVERALL_CLASSIFICATION, Classification
from parcferme.model.event import Event
from parcferme.model.results import BestLap, Grid, ResultRow, SessionResult
from parcferme.model.time import Gap, format_gap, format_time, format_time_of_day

SCHEMA = "parcferme.results/1"

JsonValue = None | bool | int | str | list["JsonValue"] | dict[str, "JsonValue"]
JsonObject = dict[str, JsonValue]


def selected_results(outcome: SessionOutcome, classification: str | None) -> list[SessionResult]:
    """The outcome's results in their order, or only the one classification asked for (if it has it)."""
    if classification is None:
        return list(outcome.results.values())
    result = outcome.results.get(classification)
    return [] if result is None else [result]


def find_classification(event: Event, classification_id: str) -> Classification:
    """The classification with this id (the implied overall one included); a bare one if unknown."""
    if classification_id == OVERALL_CLASSIFICATION.id:
        return OVERALL_CLASSIFICATION
    for c in event.classifications:
        if c.id == classification_id:
            return c
    return Classification(id=classification_id)


def results_to_json(
    event: Event, outcomes: Sequence[SessionOutcome], *, classification: str | None = None
) -> str:
    """The JSON document for these sessions (all their classifications, or only `classification`)."""
    document = results_document(event, outcomes, classification=classification)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def results_document(
    event: Event, outcomes: Sequence[SessionOutcome], *, classification: str | None = None
) -> JsonObject:
    """The JSON document as plain dicts and lists, before serialisation."""
    return {
        "schema": SCHEMA,
        "event": {
            "series": event.series,
            "season": event.season,
            "round": event.round,
            "name": event.name,
            "circuit": {"name": event.circuit.name, "length_m": event.circuit.length_m},
        },
        "sessions": [_session(event, outcome, classification) for outcome in outcomes],
    }


def _session(event: Event, outcome: SessionOutcome, classification: str | None) -> JsonObject:
    session = outcome.session
    return {
        "id": session.id,
        "kind": session.kind.value,
        "name": session.name,
        "date": session.schedule.date.isoformat(),
        "start": format_time_of_day(session.schedule.start),
        "warnings": len(outcome.warnings),
        "grid": None if outcome.grid is None else _grid(event, outcome.grid),
        "classifications": [_result(event, r) for r in selected_results(outcome, classification)],
    }


def _grid(event: Event, grid: Grid) -> list[JsonValue]:
    return [
        {
            "position": slot.position,
            "car": slot.car,
            "drivers": _drivers(event, slot.car),
            "time_us": slot.time,
            "time": None if slot.time is None else format_time(slot.time),
            "pit_lane": slot.pit_lane,
            "note": slot.note,
        }
        for slot in grid.slots
    ]


def _result(event: Event, result: SessionResult) -> JsonObject:
    c = find_classification(event, result.classification)
    return {
        "id": c.id,
        "names": {lang: c.names[lang] for lang in sorted(c.names)},
        "laps_completed": result.laps_completed,
        "fastest_lap": _fastest(event, result.fastest_lap),
        "neutralised_laps": list(result.neutralised_laps),
        "red_flag_countback": result.red_flag_countback,
        "rows": [_row(event, row) for row in result.rows],
    }


def _fastest(event: Event, best: BestLap | None) -> JsonValue:
    if best is None:
        return None
    return {
        "car": best.car,
        "drivers": _drivers(event, best.car),
        "lap": best.lap,
        "time_us": best.time,
        "text": format_time(best.time),
    }


def _row(event: Event, row: ResultRow) -> JsonObject:
    return {
        "position": row.position,
        "overall_position": row.overall_position,
        "car": row.car,
        "drivers": _drivers(event, row.car),
        "team": _team(event, row.car),
        "status": row.status.value,
        "laps": row.laps,
        "time_us": row.time,
        "time": None if row.time is None else format_time(row.time),
        "gap": _gap(row.gap),
        "interval": _gap(row.interval),
        "best_lap": None
        if row.best_lap is None
        else {"lap": row.best_lap.lap, "time_us": row.best_lap.time, "text": format_time(row.best_lap.time)},
        "second_best": None
        if row.second_best is None
        else {"time_us": row.second_best, "text": format_time(row.second_best)},
        "grid": row.grid,
        "pit_lane_start": row.pit_lane_start,
        "positions_gained": row.positions_gained,
        "laps_led": row.laps_led,
        "penalty_time_us": row.penalty_time,
        "penalties": list(row.penalties),
    }


def _gap(gap: Gap | None) -> JsonValue:
    if gap is None:
        return None
    return {"laps": gap.laps, "time_us": gap.time, "text": format_gap(gap)}


def _drivers(event: Event, car: str) -> list[JsonValue]:
    try:
        return [d.name for d in event.entry(car).drivers]
    except KeyError:
        return []


def _team(event: Event, car: str) -> str:
    try:
        return event.entry(car).team
    except KeyError:
        return ""
