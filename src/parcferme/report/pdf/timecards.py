"""The content of the analysis documents: lap analysis (every lap of every car), best sector times with
ideal laps, and the fastest lap sequence. Rows of text for the templates, computed by `pdf.analysis`."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace

from markupsafe import Markup, escape

from parcferme.engine import SessionOutcome
from parcferme.model.event import Event
from parcferme.model.time import format_time_of_day
from parcferme.model.timing import Lap
from parcferme.report.charts.data import positions_per_lap, session_laps
from parcferme.report.charts.figures import short_name
from parcferme.report.pdf.analysis import (
    best_lap_times,
    counts_for_best,
    fastest_lap_sequence,
    ideal_laps,
    sector_counts,
    sector_rankings,
    session_best_sectors,
)
from parcferme.report.pdf.context import People, delta_text, time_text
from parcferme.report.pdf.labels import STATUS_MARKS, labels, status_text


def _short(people: People, car: str) -> str:
    return short_name(people.entry(car))


# ── lap analysis ───────────────────────────────────────────────────────────────────────────────────────
#
# Lap analysis is set as monospace text, one <pre> per car, not as tables: WeasyPrint lays out a table
# cell in ~0.5 ms, and a race has thousands of lap cells (Spa R1: 4 000, a 24-hour race: 30 000), while a
# line of text costs about as much as one cell. The columns are padded to fixed widths, as the timing
# printouts of TSL or Orbits are. Cards are placed into columns and pages here, from their line counts,
# because CSS multi-column layout is slower still (it re-lays out the content to balance the columns).


@dataclass(frozen=True, slots=True)
class CardPiece:
    """A car's laps, or a run of them when a car has more laps than a column holds."""

    car: str
    drivers: str
    result: str  # `P3`, or the status (`DNF`)
    best: str
    header: Markup
    lines: tuple[Markup, ...]
    continued: bool = False


# Line pitch and fixed heights in mm, as style.css sets them (.card-head, .card, pre.laps). Three cards
# of a 14-lap race fit a column; the team is left out of the cards for that (it is on the
# classification), as FIA lap analyses do.
LINE_MM = 2.9
HEAD_MM = 4.6
GAP_MM = 2.0
COLUMN_MM = 154.0  # an A4 landscape page under the sheet header (161 mm), less room for the caption
_EPSILON = 1e-6  # heights are sums of decimals: 154.0 must not come out as 154.00000000000003
COLUMNS = 3


def _widths(count: int, race: bool) -> tuple[int, ...]:
    """Character widths of lap, (position,) time, each sector, pit and status columns."""
    return (4, *((3,) if race else ()), 8, *(8,) * count, 7, 4)


def _row(cells: list[tuple[str, str]], widths: tuple[int, ...]) -> Markup:
    """Cells padded to their widths: right-aligned, but for the last two (pit and status) left-aligned;
    a cell with a css class is wrapped in a span (padding stays outside it)."""
    parts: list[Markup] = []
    left_from = len(widths) - 2
    for index, ((text, css), width) in enumerate(zip(cells, widths, strict=True)):
        pad = " " * max(width - len(text), 0)
        body = Markup('<span class="{}">{}</span>').format(css, text) if css and text else escape(text)
        parts.append(body + pad if index >= left_from else pad + body)
    return Markup(" ").join(parts).rstrip()


def lap_analysis(
    event: Event, outcome: SessionOutcome, cars: Collection[str] | None, lang: str
) -> tuple[tuple[tuple[CardPiece, ...], ...], ...]:
    """Pages of columns of car cards (result order), each card every lap its car completed."""
    words = labels(lang)
    people = People(event)
    race = outcome.session.is_race
    laps = session_laps(outcome, cars)
    count = sector_counts(laps)
    session_sectors = session_best_sectors(sector_rankings(laps))
    best = best_lap_times(laps, race=race)
    fastest = min(best.values(), default=None)
    positions: dict[str, dict[int, int]] = {}
    if race:
        positions = {
            car: dict(points) for car, points in positions_per_lap(session_laps(outcome, None)).items()
        }
    widths = _widths(count, race)
    titles = [words["lap"][:4], *([words["pos"][:3]] if race else []), words["time"]]
    titles += [f"S{i + 1}" for i in range(count)] + [words["pit"], ""]
    header = _row([(t, "") for t in titles], widths)
    by_car: dict[str, list[Lap]] = {}
    for lap in laps:
        by_car.setdefault(lap.car, []).append(lap)
    cards: list[CardPiece] = []
    for row in outcome.overall.rows:
        own = by_car.get(row.car)
        if not own:
            continue
        context = _Marks(count, session_sectors, positions.get(row.car, {}), best.get(row.car), fastest, race)
        lines = tuple(_row(_cells(lap, context, words), widths) for lap in own)
        result = f"P{row.position}" if row.position is not None else status_text(row.status, lang)
        cards.append(
            CardPiece(
                row.car,
                people.drivers(row.car),
                result,
                time_text(best.get(row.car)),
                header,
                lines,
            )
        )
    return paginate(cards)


@dataclass(frozen=True, slots=True)
class _Marks:
    """What a lap line is compared with: the session's best sectors and lap, the car's best lap, and
    the car's position at each lap (races)."""

    sectors: int
    session_sectors: tuple[int | None, ...]
    positions: Mapping[int, int]
    personal: int | None
    fastest: int | None
    race: bool


def _cells(lap: Lap, marks: _Marks, words: Mapping[str, str]) -> list[tuple[str, str]]:
    """(text, css class) per column of a lap line."""
    valid = lap.valid_for_best
    css = "del" if not valid else ""
    if counts_for_best(lap, race=marks.race):
        css = "sbest" if lap.time == marks.fastest else ("best" if lap.time == marks.personal else "")
    cells = [(str(lap.number), "")]
    if marks.race:
        cells.append((str(marks.positions.get(lap.number, "")), ""))
    cells.append((time_text(lap.time), css))
    for i in range(marks.sectors):
        sector = lap.sectors[i] if i < len(lap.sectors) else None
        best_sector = valid and sector is not None and sector == marks.session_sectors[i]
        cells.append((time_text(sector), "sbest" if best_sector else ""))
    pit = "/".join(
        w for w, on in ((words["pit_in_short"], lap.in_pit), (words["pit_out_short"], lap.out_lap)) if on
    )
    cells.append((pit, "pitc" if pit else ""))
    flags = " ".join(mark for status, mark in STATUS_MARKS.items() if status in lap.statuses)
    cells.append((flags, "flag" if flags else ""))
    return cells


def _height(lines: int) -> float:
    """A card's height with `lines` laps (and its column-header line)."""
    return HEAD_MM + LINE_MM * (lines + 1) + GAP_MM


def paginate(cards: Iterable[CardPiece]) -> tuple[tuple[tuple[CardPiece, ...], ...], ...]:
    """Fill columns top to bottom, COLUMNS to a page. A card that does not fit the rest of a column
    starts the next one; only a card longer than a whole column is cut, into runs marked as continued."""
    columns: list[list[CardPiece]] = [[]]
    used = 0.0
    for card in cards:
        lines = card.lines
        continued = False
        while lines:
            height = _height(len(lines))
            if used + height <= COLUMN_MM + _EPSILON:
                columns[-1].append(replace(card, lines=lines, continued=continued))
                used += height
                break
            if columns[-1] and (height <= COLUMN_MM or used + _height(5) > COLUMN_MM):
                columns.append([])  # a fresh column: never strand a card's first few laps at a foot
                used = 0.0
                continue
            room = max(int((COLUMN_MM - used - _height(0)) / LINE_MM + _EPSILON), 1)
            columns[-1].append(replace(card, lines=lines[:room], continued=continued))
            used += _height(room)
            lines = lines[room:]
            continued = True
    pages = [columns[i : i + COLUMNS] for i in range(0, len(columns), COLUMNS)]
    return tuple(tuple(tuple(column) for column in page) for page in pages)


# ── best sectors and ideal laps ────────────────────────────────────────────────────────────────────────


def best_sectors(
    event: Event, outcome: SessionOutcome, cars: Collection[str] | None
) -> tuple[int, tuple[tuple[Mapping[str, str] | None, ...], ...], tuple[Mapping[str, str], ...]]:
    """(number of sectors; the sector rankings side by side, one row per rank with a cell group per
    sector, None where a sector has fewer cars; the ideal laps as rows, fastest first)."""
    people = People(event)
    laps = session_laps(outcome, cars)
    rankings = sector_rankings(laps)
    columns = [
        [
            {
                "no": s.car,
                "driver": _short(people, s.car),
                "time": time_text(s.time),
                "gap": "" if i == 0 else delta_text(s.time - ranking[0].time),
            }
            for i, s in enumerate(ranking)
        ]
        for ranking in rankings
    ]
    depth = max((len(c) for c in columns), default=0)
    rows = tuple(tuple(c[i] if i < len(c) else None for c in columns) for i in range(depth))
    ideal_rows = tuple(
        {
            "pos": str(i),
            "no": ideal.car,
            "driver": _short(people, ideal.car),
            **{f"s{k + 1}": time_text(s.time) for k, s in enumerate(ideal.sectors)},
            "ideal": time_text(ideal.time),
            "best": time_text(ideal.best_lap),
            "diff": "" if ideal.best_lap is None else delta_text(ideal.best_lap - ideal.time),
        }
        for i, ideal in enumerate(ideal_laps(laps, race=outcome.session.is_race), start=1)
    )
    return len(rankings), rows, ideal_rows


# ── fastest lap sequence ───────────────────────────────────────────────────────────────────────────────


def fastest_laps(
    event: Event, outcome: SessionOutcome, cars: Collection[str] | None
) -> tuple[Mapping[str, str], ...]:
    """Each lap that became the session's fastest, in the order they were set, with the time gained."""
    people = People(event)
    return tuple(
        {
            "time_of_day": format_time_of_day(step.at)[:12],
            "no": step.car,
            "driver": people.drivers(step.car),
            "team": people.team(step.car),
            "lap": str(step.lap),
            "time": time_text(step.time),
            "gain": "" if not step.gain else "−" + time_text(step.gain),
        }
        for step in fastest_lap_sequence(session_laps(outcome, cars), race=outcome.session.is_race)
    )
