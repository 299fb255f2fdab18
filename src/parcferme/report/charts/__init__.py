"""Charts of a session (matplotlib, no pyplot): lap chart, gap chart, lap-time distribution, as SVG or PNG.

The data under each chart is computed by the pure functions of `charts.data`, tested apart from drawing.
"""

from parcferme.report.charts.data import (
    CarSeries,
    PerLapData,
    counted_laps,
    gap_chart_data,
    gaps_per_lap,
    is_pace_lap,
    lap_chart_data,
    lap_time_data,
    lap_time_samples,
    positions_per_lap,
)
from parcferme.report.charts.figures import (
    gap_chart,
    gap_chart_figure,
    lap_chart,
    lap_chart_figure,
    lap_time_chart,
    lap_time_figure,
)
from parcferme.report.charts.style import ChartFormat

__all__ = [
    "CarSeries",
    "ChartFormat",
    "PerLapData",
    "counted_laps",
    "gap_chart",
    "gap_chart_data",
    "gap_chart_figure",
    "gaps_per_lap",
    "is_pace_lap",
    "lap_chart",
    "lap_chart_data",
    "lap_chart_figure",
    "lap_time_chart",
    "lap_time_data",
    "lap_time_figure",
    "lap_time_samples",
    "positions_per_lap",
]
