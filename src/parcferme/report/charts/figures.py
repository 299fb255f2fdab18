"""The three charts of a session: lap chart, gap chart (race history) and lap-time distribution.

Each chart is a pure function of (results, session, classification, language) returning a Figure, and a
wrapper returning its SVG or PNG bytes. The numbers come from `charts.data`; only drawing happens here.

Words are few in a chart (axis titles, the grid's tick, a neutralisation mark): `translate` rewrites them
in another language, so that a pack in French and English draws and lays out each chart once. Every text
that depends on the language is set through `_say`, which remembers how to set it again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import FuncFormatter, MaxNLocator

from parcferme.engine import EventResults, SessionOutcome
from parcferme.errors import ParcFermeError
from parcferme.model.classification import OVERALL
from parcferme.model.entries import Entry
from parcferme.model.event import Event
from parcferme.model.time import MICROS_PER_SECOND
from parcferme.report.charts.data import (
    BoxStats,
    PerLapData,
    box_stats,
    gap_chart_data,
    lap_chart_data,
    lap_time_data,
    neutralisation_kinds,
    select_session,
    spread_labels,
)
from parcferme.report.charts.style import (
    BOX_FILL,
    INK,
    ChartFormat,
    car_style,
    freeze_layout,
    new_figure,
    relayout,
    shade_laps,
    style_axes,
    to_bytes,
)
from parcferme.report.pdf.labels import STATUS_MARKS, labels

LANDSCAPE = (10.9, 5.4)  # inches: what an A4 landscape page holds under a sheet header and a caption
PORTRAIT = (7.45, 8.8)
LABEL_INCHES = 0.085  # a 5.8 pt car number, with a little air


@dataclass(frozen=True, slots=True)
class _Context:
    """What every chart of one session needs: the event (names, colours), the outcome, cars shown."""

    event: Event
    outcome: SessionOutcome
    cars: frozenset[str] | None
    words: Mapping[str, str]
    index: Mapping[str, int]  # car → its place in the entry list, which picks its colour

    def style(self, car: str) -> tuple[str, str]:
        return car_style(self.index.get(car, len(self.index)))


def _context(results: EventResults, session_id: str, classification: str, lang: str) -> _Context:
    outcome, result = select_session(results, session_id, classification)
    cars = None if classification == OVERALL else frozenset(result.order)
    index = {e.number: i for i, e in enumerate(results.event.entries)}
    return _Context(results.event, outcome, cars, labels(lang), index)


# how to set each figure's words again, in another language (see translate)
_WORDED: WeakKeyDictionary[Figure, list[Callable[[Mapping[str, str]], object]]] = WeakKeyDictionary()


def _say(figure: Figure, words: Mapping[str, str], setter: Callable[[Mapping[str, str]], object]) -> None:
    """Set a text of the figure from the words of its language now, and remember how for `translate`."""
    _WORDED.setdefault(figure, []).append(setter)
    setter(words)


def translate(figure: Figure, lang: str) -> Figure:
    """The chart with its words in `lang` — axis titles, the grid's tick, neutralisation marks — and
    everything else as drawn, laid out again for the new words: the same figure as one drawn in `lang`
    (a test checks the bytes), without drawing its data again."""
    words = labels(lang)
    for setter in _WORDED.get(figure, ()):
        setter(words)
    return relayout(figure)


def _require_race(ctx: _Context, chart: str) -> None:
    if not ctx.outcome.session.is_race:
        raise ParcFermeError(
            f"a {chart} needs a race; {ctx.outcome.session.id} is a {ctx.outcome.session.kind}"
        )


def short_name(entry: Entry | None) -> str:
    """`J. Andlauer`; a driver known by one name only keeps it whole."""
    if entry is None:
        return ""
    driver = entry.driver
    if driver.first_name and driver.last_name:
        return f"{driver.first_name[0]}. {driver.last_name}"
    return driver.name


def _entry(event: Event, car: str) -> Entry | None:
    try:
        return event.entry(car)
    except KeyError:
        return None


def _neutral_label(ctx: _Context, words: Mapping[str, str]) -> str:
    kinds = neutralisation_kinds(ctx.outcome)
    if len(kinds) == 1:
        return STATUS_MARKS[next(iter(kinds))]
    return words["neutralised"]


def _shade(figure: Figure, ax: Axes, ctx: _Context, laps: Sequence[int]) -> None:
    texts = shade_laps(ax, laps, _neutral_label(ctx, ctx.words))

    def say(words: Mapping[str, str]) -> None:
        for text in texts:
            text.set_text(_neutral_label(ctx, words))

    _say(figure, ctx.words, say)


def _lap_axis(figure: Figure, ax: Axes, ctx: _Context, laps: int, *, grid: bool) -> None:
    ax.set_xlim(-1.1 if grid else 0.0, laps + 1.1)
    ax.set_xticks(range(0 if grid else 1, laps + 1))
    if grid:
        numbers = [str(n) for n in range(1, laps + 1)]
        _say(figure, ctx.words, lambda words: ax.set_xticklabels([words["grid"], *numbers]))
    _say(figure, ctx.words, lambda words: ax.set_xlabel(words["lap"]))


def _plot_series(
    ax: Axes, ctx: _Context, data: PerLapData, scale: Callable[[int], float], label_gap: float
) -> None:
    """One line per car, its number at both ends in its colour (spread `label_gap` apart, in data units,
    where cars end side by side), a cross where it retired."""
    ends: dict[tuple[float, str], list[tuple[float, str, str]]] = {}
    for series in data.cars:
        if not series.points:
            continue
        colour, dash = ctx.style(series.car)
        xs = [lap for lap, _ in series.points]
        ys = [scale(value) for _, value in series.points]
        # no marker per lap: hundreds of tiny symbols cost more to draw (and to embed) than they say
        ax.plot(xs, ys, color=colour, linestyle=dash, linewidth=1.0)
        if xs[0] == 0:
            ends.setdefault((xs[0] - 0.18, "right"), []).append((ys[0], series.car, colour))
        ends.setdefault((xs[-1] + 0.18, "left"), []).append((ys[-1], series.car, colour))
        if series.retired:
            ax.plot(xs[-1], ys[-1], marker="x", markersize=4.5, color=colour, markeredgewidth=1.2)
    for (x, align), wanted in ends.items():
        placed = spread_labels([y for y, _, _ in wanted], label_gap)
        for (_, car, colour), y in zip(wanted, placed, strict=True):
            ax.text(x, y, car, ha=align, va="center", color=colour, fontsize=5.8, fontweight="bold")


def _label_gap(size: tuple[float, float], span: float) -> float:
    """The height of a car-number label in data units, for an axis of `span` units on a figure `size`
    inches high (the plot takes about four fifths of it)."""
    return span * LABEL_INCHES / (size[1] * 0.8)


# ── lap chart ──────────────────────────────────────────────────────────────────────────────────────────


def lap_chart_figure(
    results: EventResults,
    session_id: str,
    *,
    lang: str = "en",
    classification: str = OVERALL,
    size: tuple[float, float] = LANDSCAPE,
) -> Figure:
    """Position of every car at each crossing of the Line, from the grid (lap 0) to its last lap."""
    ctx = _context(results, session_id, classification, lang)
    _require_race(ctx, "lap chart")
    data = lap_chart_data(ctx.outcome, ctx.cars)
    field = max((value for s in lap_chart_data(ctx.outcome).cars for _, value in s.points), default=1)
    figure = new_figure(size)
    ax = figure.add_subplot()
    style_axes(ax)
    _shade(figure, ax, ctx, data.neutralised)
    _plot_series(ax, ctx, data, float, _label_gap(size, field))
    ax.set_ylim(field + 0.6, 0.4)  # P1 at the top
    ax.set_yticks(range(1, field + 1))
    ax.tick_params(axis="y", labelsize=5.8, left=False)  # the grid lines mark positions
    _say(figure, ctx.words, lambda words: ax.set_ylabel(words["position"]))
    _lap_axis(figure, ax, ctx, data.laps, grid=ctx.outcome.grid is not None)
    return freeze_layout(figure)


def lap_chart(
    results: EventResults,
    session_id: str,
    *,
    fmt: ChartFormat = "svg",
    lang: str = "en",
    classification: str = OVERALL,
    size: tuple[float, float] = LANDSCAPE,
) -> bytes:
    """The lap chart as SVG or PNG bytes."""
    figure = lap_chart_figure(results, session_id, lang=lang, classification=classification, size=size)
    return to_bytes(figure, fmt)


# ── gap chart (race history) ───────────────────────────────────────────────────────────────────────────


def _seconds(micros: int) -> float:
    return micros / MICROS_PER_SECOND


def gap_chart_figure(
    results: EventResults,
    session_id: str,
    *,
    lang: str = "en",
    classification: str = OVERALL,
    size: tuple[float, float] = LANDSCAPE,
) -> Figure:
    """Gap of every car to the first car to complete each lap, lap by lap (the leader runs along 0)."""
    ctx = _context(results, session_id, classification, lang)
    _require_race(ctx, "gap chart")
    data = gap_chart_data(ctx.outcome, ctx.cars)
    figure = new_figure(size)
    ax = figure.add_subplot()
    style_axes(ax)
    _shade(figure, ax, ctx, data.neutralised)
    limit = _gap_limit(data)
    _plot_series(ax, ctx, data, _seconds, _label_gap(size, limit + 1.0))
    ax.set_ylim(bottom=limit, top=-1.0)  # the leader at the top, like the lap chart
    _say(figure, ctx.words, lambda words: ax.set_ylabel(words["gap_axis"]))
    ax.yaxis.set_major_locator(MaxNLocator(nbins=14, steps=[1, 2, 5, 10]))
    _lap_axis(figure, ax, ctx, data.laps, grid=False)
    return freeze_layout(figure)


def _gap_limit(data: PerLapData) -> float:
    """Room for every line, plus a margin for the car numbers written at the line ends."""
    largest = max((value for s in data.cars for _, value in s.points), default=0)
    return _seconds(largest) * 1.04 + 2.0


def gap_chart(
    results: EventResults,
    session_id: str,
    *,
    fmt: ChartFormat = "svg",
    lang: str = "en",
    classification: str = OVERALL,
    size: tuple[float, float] = LANDSCAPE,
) -> bytes:
    """The gap chart as SVG or PNG bytes."""
    figure = gap_chart_figure(results, session_id, lang=lang, classification=classification, size=size)
    return to_bytes(figure, fmt)


# ── lap-time distribution ──────────────────────────────────────────────────────────────────────────────


def _clock(seconds: float, _position: object = None) -> str:
    minutes, rest = divmod(seconds, 60.0)
    return f"{int(minutes)}:{rest:04.1f}" if minutes else f"{rest:.1f}"


def lap_time_figure(
    results: EventResults,
    session_id: str,
    *,
    lang: str = "en",
    classification: str = OVERALL,
    size: tuple[float, float] = PORTRAIT,
) -> Figure:
    """Each car's pace laps as a box (quartiles, whiskers within 1.5 IQR) and the laps themselves as ticks.

    In and out laps, deleted laps, neutralised or red-flagged laps and a race's lap 1 are left out
    (`charts.data.is_pace_lap`); the document says so under the chart.
    """
    ctx = _context(results, session_id, classification, lang)
    samples = lap_time_data(ctx.outcome, ctx.cars)
    figure = new_figure(size)
    ax = figure.add_subplot()
    style_axes(ax)
    ax.grid(False, axis="y")
    if not samples:
        return figure
    positions = list(range(1, len(samples) + 1))
    for y, (car, times) in zip(positions, samples, strict=True):
        _box(ax, y, box_stats(times))
        colour, _ = ctx.style(car)
        _rug(ax, y, times, colour)
    names = [f"{car}  {short_name(_entry(ctx.event, car))}".rstrip() for car, _ in samples]
    ax.set_yticks(positions, names)
    ax.tick_params(axis="y", labelsize=6.2, left=False)
    ax.set_ylim(len(samples) + 0.7, 0.3)  # first car of the result at the top
    ax.xaxis.set_major_formatter(FuncFormatter(_clock))
    _say(figure, ctx.words, lambda words: ax.set_xlabel(words["lap_time_axis"]))
    return freeze_layout(figure)


def _box(ax: Axes, y: float, stats: BoxStats, height: float = 0.62) -> None:
    """One horizontal box: quartiles as a filled box; median, whiskers and caps as one broken line.

    One line rather than five: every artist is an SVG element, which the PDF renderer draws one by one.
    """
    q1, q3 = _seconds(stats.q1), _seconds(stats.q3)
    ax.add_patch(
        Rectangle((q1, y - height / 2), q3 - q1, height, facecolor=BOX_FILL, edgecolor=INK, linewidth=0.6)
    )
    low, median, high = _seconds(stats.low), _seconds(stats.median), _seconds(stats.high)
    top, bottom, cap = y - height / 2, y + height / 2, height / 4
    nan = math.nan
    xs = [median, median, nan, low, q1, nan, q3, high, nan, low, low, nan, high, high]
    ys = [top, bottom, nan, y, y, nan, y, y, nan, y - cap, y + cap, nan, y - cap, y + cap]
    ax.plot(xs, ys, color=INK, linewidth=0.7, solid_capstyle="butt")


def _rug(ax: Axes, y: float, times: tuple[int, ...], colour: str, height: float = 0.34) -> None:
    """Every lap as a short tick inside the box (the median, full height, stays visible); one path a car.

    One path with breaks (NaN) rather than a marker per lap: a marker is a separate SVG element, and a
    session's hundreds of them made the chart slow to draw and several times slower to embed in a PDF.
    """
    xs: list[float] = []
    ys: list[float] = []
    for t in times:
        x = _seconds(t)
        xs += [x, x, math.nan]
        ys += [y - height / 2, y + height / 2, math.nan]
    ax.plot(xs, ys, color=colour, linewidth=0.9, alpha=0.85, solid_capstyle="butt")


def lap_time_chart(
    results: EventResults,
    session_id: str,
    *,
    fmt: ChartFormat = "svg",
    lang: str = "en",
    classification: str = OVERALL,
    size: tuple[float, float] = PORTRAIT,
) -> bytes:
    """The lap-time distribution as SVG or PNG bytes."""
    figure = lap_time_figure(results, session_id, lang=lang, classification=classification, size=size)
    return to_bytes(figure, fmt)
