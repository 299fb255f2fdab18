"""Classification sheets as rich tables: session results (race, qualifying, practice) and starting grids.

What a timing provider prints on paper, for a terminal: a title per session, one table per classification,
then the notes that go under a sheet (fastest lap or pole, neutralisations, penalties, red flags). Times are
formatted at this edge only, truncated to thousandths (model.time).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rich import box
from rich.console import Console, Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from parcferme.engine import SessionOutcome
from parcferme.model.classification import OVERALL, OVERALL_CLASSIFICATION, Classification
from parcferme.model.event import Event, SessionData
from parcferme.model.results import BestLap, Grid, ResultRow, SessionResult
from parcferme.model.session import Schedule, Session, SessionKind
from parcferme.model.time import MICROS_PER_SECOND, Gap, format_gap, format_time, format_time_of_day
from parcferme.model.timing import NEUTRALISED, TrackStatus

_NEUTRALISATION_NAMES = {
    TrackStatus.SC: "Safety car",
    TrackStatus.VSC: "Virtual safety car",
    TrackStatus.FCY: "Full-course yellow",
    TrackStatus.CODE60: "Code 60",
}
_FASTEST = "bold magenta"  # the fastest lap of the table, as timing screens show it (purple)
_PENALTY = "yellow"
_MUTED = "dim"
WIDE_SHEET = 110  # columns a console needs for the full sheet; below, team and details are left out


# ── titles ─────────────────────────────────────────────────────────────────────────────────────────────


def event_title(event: Event) -> str:
    """`Porsche Carrera Cup France 2017 · Round 1 · Spa 2017 · Spa-Francorchamps (7.004 km)`."""
    parts = [f"{event.series} {event.season}".strip(), f"Round {event.round}"]
    if event.name:
        parts.append(event.name)
    circuit = event.circuit.name
    if event.circuit.length_m:
        circuit += f" ({event.circuit.length_m / 1000:.3f} km)"
    if circuit:
        parts.append(circuit)
    return " · ".join(parts)


def session_title(session: Session) -> str:
    """`Race 1 (R1) · 2017-05-06 15:05 · 30 min`."""
    name = f"{session.name} ({session.id})" if session.name and session.name != session.id else session.id
    when = f"{session.schedule.date.isoformat()} {format_time_of_day(session.schedule.start)[:5]}"
    distance = _distance(session.schedule)
    return " · ".join(p for p in (name, when, distance) if p)


def _distance(schedule: Schedule) -> str:
    duration = "" if schedule.duration is None else f"{schedule.duration // (60 * MICROS_PER_SECOND)} min"
    laps = "" if schedule.laps is None else f"{schedule.laps} laps"
    if duration and laps:
        return f"{duration} or {laps}"
    return duration or laps


def classification_of(event: Event, classification_id: str) -> Classification:
    if classification_id == OVERALL:
        return OVERALL_CLASSIFICATION
    for c in event.classifications:
        if c.id == classification_id:
            return c
    return Classification(id=classification_id)


# ── cells ──────────────────────────────────────────────────────────────────────────────────────────────


def _drivers(event: Event, car: str) -> str:
    try:
        return event.entry(car).name
    except KeyError:
        return ""


def _team(event: Event, car: str) -> str:
    try:
        return event.entry(car).team
    except KeyError:
        return ""


def _name_cell(text: str) -> Text:
    """Driver and team cells give way first when the sheet is too wide: cut with an ellipsis, never wrapped.

    Their columns are left wrapable so that rich narrows them before the time columns; the cell itself
    refuses to wrap.
    """
    return Text(text, no_wrap=True, overflow="ellipsis")


def _position(row: ResultRow) -> Text:
    if row.position is not None:
        return Text(str(row.position))
    return Text(row.status.value if row.status.short == "" else row.status.short, style=_MUTED)


def _int(value: int | None) -> str:
    return "" if value is None else str(value)


def _time(value: int | None) -> str:
    return "" if value is None else format_time(value)


def _gap_cell(gap: Gap | None) -> str:
    return "" if gap is None else format_gap(gap)


def _best_lap_no(row: ResultRow) -> str:
    return "" if row.best_lap is None else str(row.best_lap.lap)


def _gained(value: int | None) -> str:
    if value is None:
        return ""
    return f"+{value}" if value > 0 else str(value)


def _grid_cell(row: ResultRow) -> str:
    if row.pit_lane_start:
        return "PL"
    return "" if row.grid is None else str(row.grid)


def _best_cell(row: ResultRow, fastest: BestLap | None) -> Text:
    if row.best_lap is None:
        return Text("")
    is_fastest = fastest is not None and fastest.car == row.car and fastest.time == row.best_lap.time
    return Text(format_time(row.best_lap.time), style=_FASTEST if is_fastest else "")


def _race_time_cell(row: ResultRow, first: bool) -> str:
    if first and row.time is not None:
        return format_time(row.time)
    return "" if row.gap is None else format_gap(row.gap)


def _penalty_cell(row: ResultRow) -> Text:
    return Text(f"+{format_time(row.penalty_time)}", style=_PENALTY) if row.penalty_time else Text("")


# ── tables ─────────────────────────────────────────────────────────────────────────────────────────────


def _table(title: str | None) -> Table:
    return Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        header_style="bold",
        pad_edge=False,
        show_edge=False,
        collapse_padding=True,
    )


@dataclass(frozen=True, slots=True)
class _Column:
    """A column of a result table: its header, how a row fills it, and when it is left out."""

    header: str
    cell: Callable[[ResultRow, int], str | Text]  # (row, index in the table) → cell
    right: bool = True
    style: str = ""
    name: bool = False  # driver or team: narrowed first, cut with an ellipsis
    detail: bool = False  # left out of a narrow sheet (WIDE_SHEET)
    overall_only: bool = False  # only in the overall table (grid, positions gained, laps led)
    sub_only: bool = False  # only in a sub-classification (overall position)


def result_table(
    event: Event,
    session: Session,
    result: SessionResult,
    *,
    title: str | None = None,
    wide: bool = True,
) -> Table:
    """One classification of one session; a sub-classification also shows each car's overall position.

    `wide=False` leaves out the team and the detail columns, for terminals narrower than WIDE_SHEET.
    """
    sub = result.classification != OVERALL
    if session.kind is SessionKind.RACE:
        columns = _race_columns(event, result)
    else:
        columns = _timed_columns(event, result)
    chosen = [
        c
        for c in columns
        if (wide or not c.detail) and not (sub and c.overall_only) and (sub or not c.sub_only)
    ]
    table = _table(title)
    for c in chosen:
        if c.name:
            table.add_column(c.header, min_width=8, max_width=26)
        else:
            table.add_column(c.header, justify="right" if c.right else "left", no_wrap=True, style=c.style)
    for index, row in enumerate(result.rows):
        cells = [c.cell(row, index) for c in chosen]
        _add_row(table, cells, end_section=_last_classified(result.rows, index))
    return table


def _common_columns(event: Event) -> list[_Column]:
    return [
        _Column("Pos", lambda r, i: _position(r)),
        _Column("Ovr", lambda r, i: _int(r.overall_position), style=_MUTED, sub_only=True),
        _Column("No", lambda r, i: r.car),
        _Column("Driver", lambda r, i: _name_cell(_drivers(event, r.car)), right=False, name=True),
        _Column("Team", lambda r, i: _name_cell(_team(event, r.car)), right=False, name=True, detail=True),
    ]


def _race_columns(event: Event, result: SessionResult) -> list[_Column]:
    fastest = result.fastest_lap
    return [
        *_common_columns(event),
        _Column("Laps", lambda r, i: str(r.laps)),
        _Column("Time/Gap", lambda r, i: _race_time_cell(r, i == 0)),
        _Column("Int", lambda r, i: _gap_cell(r.interval), detail=True),
        _Column("Best", lambda r, i: _best_cell(r, fastest)),
        _Column("Lap", lambda r, i: _best_lap_no(r), style=_MUTED, detail=True),
        _Column("Grid", lambda r, i: _grid_cell(r), overall_only=True),
        _Column("+/-", lambda r, i: _gained(r.positions_gained), overall_only=True),
        _Column("Led", lambda r, i: str(r.laps_led) if r.laps_led else "", overall_only=True, detail=True),
        _Column("Pen", lambda r, i: _penalty_cell(r)),
    ]


def _timed_columns(event: Event, result: SessionResult) -> list[_Column]:
    fastest = result.fastest_lap
    columns = [
        *_common_columns(event),
        _Column("Best", lambda r, i: _best_cell(r, fastest)),
        _Column("Lap", lambda r, i: _best_lap_no(r), style=_MUTED, detail=True),
        _Column("Gap", lambda r, i: _gap_cell(r.gap)),
        _Column("Int", lambda r, i: _gap_cell(r.interval), detail=True),
    ]
    if any(r.second_best is not None for r in result.rows):
        columns.append(_Column("2nd best", lambda r, i: _time(r.second_best), detail=True))
    columns.append(_Column("Laps", lambda r, i: str(r.laps)))
    return columns


def _add_row(table: Table, cells: Sequence[str | Text], *, end_section: bool = False) -> None:
    # plain strings become Text so that a name holding "[…]" is never read as console markup
    table.add_row(*(c if isinstance(c, Text) else Text(c) for c in cells), end_section=end_section)


def _last_classified(rows: Sequence[ResultRow], index: int) -> bool:
    """A rule under the last classified car, above the not classified ones."""
    return rows[index].classified and index + 1 < len(rows) and not rows[index + 1].classified


def grid_table(event: Event, grid: Grid, *, title: str | None = None) -> Table:
    """A starting grid, in order, with the lap time that set each slot and any note (drops, pit lane)."""
    table = _table(title)
    table.add_column("Grid", justify="right", no_wrap=True)
    table.add_column("No", justify="right", no_wrap=True)
    table.add_column("Driver", min_width=10)
    table.add_column("Team", min_width=8, max_width=26)
    table.add_column("Time", justify="right", no_wrap=True)
    table.add_column("Note", style=_MUTED)
    for slot in grid.slots:
        _add_row(
            table,
            [
                "PL" if slot.pit_lane else str(slot.position),
                slot.car,
                _name_cell(_drivers(event, slot.car)),
                _name_cell(_team(event, slot.car)),
                "" if slot.time is None else format_time(slot.time),
                slot.note,
            ],
        )
    return table


# ── notes under a sheet ────────────────────────────────────────────────────────────────────────────────


def result_notes(event: Event, session: Session, result: SessionResult) -> list[Text]:
    """Fastest lap (race) or pole (qualifying, practice: best time) of this classification."""
    best = result.fastest_lap
    if best is None:
        return []
    label = {SessionKind.RACE: "Fastest lap", SessionKind.QUALIFYING: "Pole"}.get(session.kind, "Best time")
    text = Text(f"{label}: ", style="bold")
    text.append(format_time(best.time), style=_FASTEST)
    text.append(f" — No {best.car} {_drivers(event, best.car)}".rstrip())
    if session.kind is SessionKind.RACE:
        text.append(f" (lap {best.lap})")
    return [text]


def session_notes(event: Event, outcome: SessionOutcome) -> list[Text]:
    """What happened to the whole session: neutralisations, red flags, count-back, penalties."""
    notes: list[Text] = []
    data = _session_data(event, outcome.session.id)
    overall = outcome.results.get(OVERALL)
    if overall is not None and overall.neutralised_laps:
        notes.append(_note(_neutralisation_label(data), f"{_lap_ranges(overall.neutralised_laps)}"))
    if data is not None:
        for period in data.track_status:
            if period.status is TrackStatus.RED:
                when = format_time_of_day(period.start)[:8]
                if period.end is not None:
                    when += f"–{format_time_of_day(period.end)[:8]}"
                notes.append(_note("Red flag", when + (f" ({period.note})" if period.note else "")))
    if overall is not None and overall.red_flag_countback:
        notes.append(_note("Result", f"taken at the end of lap {overall.laps_completed} (red flag)"))
    if overall is not None:
        for row in overall.rows:
            for penalty in row.penalties:
                label = "Penalty" if row.penalty_time or not row.classified else "Decision"
                notes.append(_note(label, f"No {row.car} {_drivers(event, row.car)} — {penalty}", _PENALTY))
    return notes


def _note(label: str, body: str, style: str = "") -> Text:
    text = Text(f"{label}: ", style="bold")
    text.append(body, style=style)
    return text


def _session_data(event: Event, session_id: str) -> SessionData | None:
    try:
        return event.session(session_id)
    except KeyError:
        return None


def _neutralisation_label(data: SessionData | None) -> str:
    kinds = {p.status for p in data.track_status if p.status in NEUTRALISED} if data is not None else set()
    if len(kinds) == 1:
        return _NEUTRALISATION_NAMES[kinds.pop()]
    return "Neutralised"


def _lap_ranges(laps: Iterable[int]) -> str:
    """`lap 7`, `laps 2–4`, `laps 2–3, 9`."""
    ordered = sorted(set(laps))
    spans: list[tuple[int, int]] = []
    for lap in ordered:
        if spans and lap == spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], lap)
        else:
            spans.append((lap, lap))
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)
    return f"lap {text}" if len(ordered) == 1 else f"laps {text}"


# ── a whole event ──────────────────────────────────────────────────────────────────────────────────────


def session_sheet(
    event: Event,
    outcome: SessionOutcome,
    *,
    classification: str | None = None,
    lang: str = "en",
    wide: bool = True,
) -> Group:
    """One session: its title, a table per classification (or just `classification`), and its notes."""
    session = outcome.session
    parts: list[RenderableType] = [Rule(Text(session_title(session), style="bold"), align="left")]
    results = list(outcome.results.values())
    if classification is not None:
        results = [r for r in results if r.classification == classification]
    for index, result in enumerate(results):
        name = classification_of(event, result.classification).name(lang)
        parts.append(Text(""))
        title = f"{session.name or session.id} — {name}"
        parts.append(result_table(event, session, result, title=title, wide=wide))
        parts.extend(result_notes(event, session, result))
        if index == 0:
            # under the first table (the overall one unless filtered out): they concern the whole session
            parts.extend(session_notes(event, outcome))
    parts.append(Text(""))
    return Group(*parts)


def print_results(
    console: Console,
    event: Event,
    outcomes: Sequence[SessionOutcome],
    *,
    classification: str | None = None,
    lang: str = "en",
) -> None:
    """The event header, then every session's sheet (narrowed on a console narrower than WIDE_SHEET)."""
    wide = console.width >= WIDE_SHEET
    console.print(Text(event_title(event), style="bold"))
    console.print()
    for outcome in outcomes:
        console.print(session_sheet(event, outcome, classification=classification, lang=lang, wide=wide))


def render_results_text(
    event: Event,
    outcomes: Sequence[SessionOutcome],
    *,
    classification: str | None = None,
    lang: str = "en",
    width: int = 120,
) -> str:
    """The same sheets as plain text (no colour, fixed width): for files and golden tests."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False, highlight=False)
    print_results(console, event, outcomes, classification=classification, lang=lang)
    # rich pads every line to the table's width; a file or a golden test wants no trailing blanks
    return "".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines())
