"""The content of the result documents: classification (race, qualifying, practice), starting grid and
the list of decisions. Each function turns results into plain rows for a template; nothing is formatted
in the templates but layout."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from parcferme.engine import EventResults, SessionOutcome
from parcferme.model.classification import OVERALL
from parcferme.model.decisions import Decision, DecisionKind
from parcferme.model.event import Event, SessionData
from parcferme.model.results import ResultRow, SessionResult
from parcferme.model.session import GridSource, SessionKind
from parcferme.model.time import format_time_of_day
from parcferme.model.timing import NEUTRALISED, TrackStatus, TrackStatusPeriod
from parcferme.report.pdf.context import People, delta_text, kph, time_text
from parcferme.report.pdf.labels import (
    NEUTRALISATION_KEYS,
    decision_text,
    gap_text,
    labels,
    session_name,
    status_text,
)


@dataclass(frozen=True, slots=True)
class Note:
    label: str
    text: str
    tone: str = ""  # "fastest", "penalty": a colour cue only


@dataclass(frozen=True, slots=True)
class Row:
    """A classification line, every cell already text; `first_unclassified` opens the NC block."""

    cells: Mapping[str, str]
    classified: bool
    fastest: bool = False
    first_unclassified: bool = False
    penalised: bool = False


@dataclass(frozen=True, slots=True)
class ClassificationSheet:
    """A classification document's table: its columns, its rows, and the notes under it."""

    race: bool
    sub: bool  # a sub-classification: show the overall position
    columns: tuple[tuple[str, str], ...]  # (cell key, header)
    rows: tuple[Row, ...]
    notes: tuple[Note, ...] = ()


def session_data(event: Event, session_id: str) -> SessionData | None:
    try:
        return event.session(session_id)
    except KeyError:
        return None


def decisions_of(event: Event, session_id: str, cars: Iterable[str] | None = None) -> tuple[Decision, ...]:
    data = session_data(event, session_id)
    if data is None:
        return ()
    wanted = None if cars is None else set(cars)
    return tuple(d for d in data.decisions if wanted is None or d.car in wanted)


# ── classification ─────────────────────────────────────────────────────────────────────────────────────


def classification(
    event: Event, outcome: SessionOutcome, result: SessionResult, lang: str
) -> ClassificationSheet:
    """The rows and notes of one classification of a session, race or timed."""
    race = outcome.session.is_race
    sub = result.classification != OVERALL
    people = People(event)
    length = event.circuit.length_m
    rows: list[Row] = []
    seen_unclassified = False
    for index, row in enumerate(result.rows):
        fastest = _is_fastest(row, result)
        cells = _common_cells(row, people, lang)
        cells |= _race_cells(row, index, length, lang) if race else _timed_cells(row, length, lang)
        first_nc = not row.classified and not seen_unclassified
        seen_unclassified = seen_unclassified or not row.classified
        rows.append(Row(cells, row.classified, fastest, first_nc, bool(row.penalty_time)))
    keys = _race_columns(sub) if race else _timed_columns(sub, result)
    for optional in ("nat", "pen"):
        if not any(row.cells.get(optional) for row in rows):
            keys = tuple(k for k in keys if k != optional)  # no nationality known, no penalty: no column
    words = labels(lang)
    columns = tuple((k, words["time_gap"] if race and k == "time" else words[k]) for k in keys)
    notes = (*_result_notes(event, outcome, result, lang), *session_notes(event, outcome, result, lang))
    return ClassificationSheet(race, sub, columns, tuple(rows), notes)


def _is_fastest(row: ResultRow, result: SessionResult) -> bool:
    best = result.fastest_lap
    return (
        best is not None
        and row.best_lap is not None
        and best.car == row.car
        and best.time == row.best_lap.time
    )


def _common_cells(row: ResultRow, people: People, lang: str) -> dict[str, str]:
    return {
        "pos": str(row.position) if row.position is not None else status_text(row.status, lang),
        "ovr": "" if row.overall_position is None else str(row.overall_position),
        "no": row.car,
        "driver": people.drivers(row.car),
        "nat": people.nationality(row.car),
        "team": people.team(row.car),
        "laps": str(row.laps),
        "best": "" if row.best_lap is None else time_text(row.best_lap.time),
        "lap": "" if row.best_lap is None else str(row.best_lap.lap),
    }


def _race_cells(row: ResultRow, index: int, length: int, lang: str) -> dict[str, str]:
    first = index == 0 and row.classified
    gained = row.positions_gained
    race_time = row.time if row.classified else None
    return {
        "time": time_text(row.time) if first else gap_text(row.gap, lang),
        "int": "" if first else gap_text(row.interval, lang),
        "kph": kph(length, row.laps, race_time, lang),
        "grid": "PL" if row.pit_lane_start else ("" if row.grid is None else str(row.grid)),
        "gained": "" if gained is None else (f"+{gained}" if gained > 0 else str(gained)),
        "pen": delta_text(row.penalty_time or None),
    }


def _timed_cells(row: ResultRow, length: int, lang: str) -> dict[str, str]:
    return {
        "gap": gap_text(row.gap, lang),
        "int": gap_text(row.interval, lang),
        "kph": kph(length, 1, None if row.best_lap is None else row.best_lap.time, lang),
        "second_best": time_text(row.second_best),
    }


def _race_columns(sub: bool) -> tuple[str, ...]:
    """The columns of a race sheet. Laps led are left to the race report and the JSON: A4 portrait has
    room for driver and team names, or for one more column, and a classification sheet needs the names."""
    head = ("pos", "ovr") if sub else ("pos",)
    tail = ("laps", "time", "int", "kph", "best", "lap")
    extra = ("pen",) if sub else ("grid", "gained", "pen")
    return (*head, "no", "driver", "nat", "team", *tail, *extra)


def _timed_columns(sub: bool, result: SessionResult) -> tuple[str, ...]:
    head = ("pos", "ovr") if sub else ("pos",)
    second = ("second_best",) if any(r.second_best is not None for r in result.rows) else ()
    return (*head, "no", "driver", "nat", "team", "best", "lap", "gap", "int", "kph", *second, "laps")


def _result_notes(event: Event, outcome: SessionOutcome, result: SessionResult, lang: str) -> list[Note]:
    """Fastest lap (race), pole (qualifying) or best time (practice) of this classification."""
    words = labels(lang)
    best = result.fastest_lap
    if best is None:
        return []
    key = {SessionKind.RACE: "fastest_lap", SessionKind.QUALIFYING: "pole"}.get(
        outcome.session.kind, "best_time"
    )
    text = f"{time_text(best.time)} — No {best.car} {People(event).drivers(best.car)}".rstrip()
    if outcome.session.is_race:
        text += f" ({words['lap_word']} {best.lap})"
    speed = kph(event.circuit.length_m, 1, best.time, lang)
    if speed:
        text += f" — {speed}\u00a0{words['kph']}"
    return [Note(words[key], text, "fastest")]


def session_notes(event: Event, outcome: SessionOutcome, result: SessionResult, lang: str) -> list[Note]:
    """What concerns the whole session (`track_notes`), and the decisions about the cars of this
    classification."""
    words = labels(lang)
    notes = track_notes(event, outcome, lang)
    people = People(event)
    for decision in decisions_of(event, outcome.session.id, result.order):
        text = f"No {decision.car} {people.drivers(decision.car)} — {decision_text(decision, lang)}"
        if decision.reason:
            text += f"{words['colon']} {decision.reason_in(lang)}"
        notes.append(Note(words["penalty"], text, "penalty"))
    return notes


def track_notes(event: Event, outcome: SessionOutcome, lang: str) -> list[Note]:
    """Neutralisations (by leader laps), red flags (by time of day) and a count-back result."""
    words = labels(lang)
    data = session_data(event, outcome.session.id)
    periods = () if data is None else data.track_status
    notes: list[Note] = []
    overall = outcome.overall
    if overall.neutralised_laps:
        notes.append(Note(_neutralisation_label(periods, words), lap_ranges(overall.neutralised_laps, words)))
    for period in periods:
        if period.status is TrackStatus.RED:
            notes.append(Note(words["ts.red"], _period_text(period)))
    if overall.red_flag_countback:
        notes.append(Note(words["ts.red"], words["countback"].format(lap=overall.laps_completed)))
    return notes


def _neutralisation_label(periods: Iterable[TrackStatusPeriod], words: Mapping[str, str]) -> str:
    kinds = {p.status for p in periods if p.status in NEUTRALISED}
    if len(kinds) == 1:
        return words[NEUTRALISATION_KEYS[kinds.pop()]]
    return words["ts.neutralised"]


def _period_text(period: TrackStatusPeriod) -> str:
    text = format_time_of_day(period.start)[:8]
    if period.end is not None:
        text += f"–{format_time_of_day(period.end)[:8]}"
    return text + (f" ({period.note})" if period.note else "")


def lap_ranges(laps: Iterable[int], words: Mapping[str, str]) -> str:
    """`lap 7`, `laps 2–4`, `tours 2–3, 9`."""
    ordered = sorted(set(laps))
    spans: list[tuple[int, int]] = []
    for lap in ordered:
        if spans and lap == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], lap)
        else:
            spans.append((lap, lap))
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
    return f"{words['lap_word'] if len(ordered) == 1 else words['laps_word']} {text}"


# ── starting grid ──────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class Slot:
    position: str
    car: str
    driver: str
    team: str
    time: str
    note: str


def grid_rows(
    event: Event, outcome: SessionOutcome, cars: Iterable[str] | None
) -> tuple[tuple[tuple[Slot | None, Slot | None], ...], tuple[Slot, ...]]:
    """The grid as rows of two staggered slots (odd positions on the left, the pole side as grid sheets
    draw it), and the cars starting from the pit lane."""
    if outcome.grid is None:
        return (), ()
    wanted = None if cars is None else set(cars)
    people = People(event)
    slots = [s for s in outcome.grid.slots if wanted is None or s.car in wanted]
    on_grid = {
        s.position: Slot(
            str(s.position), s.car, people.drivers(s.car), people.team(s.car), time_text(s.time), s.note
        )
        for s in slots
        if not s.pit_lane
    }
    pit = tuple(
        Slot("", s.car, people.drivers(s.car), people.team(s.car), time_text(s.time), s.note)
        for s in slots
        if s.pit_lane
    )
    last = max(on_grid, default=0)
    rows = tuple((on_grid.get(p), on_grid.get(p + 1)) for p in range(1, last + 1, 2))
    return rows, pit


def grid_notes(
    results: EventResults, outcome: SessionOutcome, cars: Iterable[str] | None, lang: str
) -> list[Note]:
    """Which session and lap set the grid, and the decisions that moved cars on it."""
    words = labels(lang)
    notes: list[Note] = []
    rule = outcome.session.grid
    if rule is not None:
        source = next((o.session for o in results.sessions if o.session.id == rule.session), None)
        name = rule.session if source is None else session_name(source.id, source.kind, source.name, lang)
        key = "grid_from_second" if rule.lap is GridSource.SECOND_BEST else "grid_from"
        notes.append(Note(words["grid"], words[key].format(session=name)))
    for decision in decisions_of(results.event, outcome.session.id, cars):
        if decision.kind in (DecisionKind.GRID_DROP, DecisionKind.PIT_LANE_START):
            text = f"No {decision.car} — {decision_text(decision, lang)}"
            if decision.reason:
                text += f"{words['colon']} {decision.reason_in(lang)}"
            notes.append(Note(words["penalty"], text, "penalty"))
    return notes


# ── decisions ──────────────────────────────────────────────────────────────────────────────────────────


def decision_rows(
    event: Event, session_id: str, cars: Iterable[str] | None, lang: str
) -> tuple[Mapping[str, str], ...]:
    people = People(event)
    return tuple(
        {
            "reference": d.reference,
            "issued": d.issued_at,
            "no": d.car,
            "driver": people.drivers(d.car),
            "decision": decision_text(d, lang),
            "reason": d.reason_in(lang),
        }
        for d in decisions_of(event, session_id, cars)
    )
