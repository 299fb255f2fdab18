"""The look shared by every chart, and figures turned into bytes without touching pyplot's global state.

Figures are built with `matplotlib.figure.Figure` directly: pyplot keeps a registry of open figures (a leak
in a long-running server) and picks a GUI backend; a bare Figure saves through Agg (PNG) or the SVG
backend and is freed like any other object.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

if TYPE_CHECKING:  # a type alias only; matplotlib releases before 3.8 have no matplotlib.typing
    from matplotlib.typing import RcKeyType

ChartFormat = Literal["svg", "png"]

FONT = "DejaVu Sans"
INK = "#1a1a1a"
GRID = "#d9d9d9"
BOX_FILL = "#e8eef7"
NEUTRAL_FILL = "#fff1b8"  # laps under SC / FCY / VSC: the yellow of the flag, faded
SVG_SALT = "parcferme"  # fixed ids in SVG output: the same chart gives the same bytes
PNG_DPI = 150

# 16 hues that stay apart on white paper, times three line styles: 48 cars before a repeat.
PALETTE = (
    "#d62728",
    "#1f77b4",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#7f7f7f",
    "#bcbd22",
    "#393b79",
    "#ad494a",
    "#637939",
    "#843c39",
    "#3182bd",
    "#e6550d",
)
LINESTYLES = ("-", "--", ":")

_RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": SVG_SALT,
    # text stays text: a third smaller, searchable in the PDF, and WeasyPrint draws it twice as fast as
    # glyph paths; a viewer without DejaVu Sans substitutes a similar sans-serif
    "svg.fonttype": "none",
    "font.family": FONT,
    "font.size": 7.5,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}


def car_style(index: int) -> tuple[str, str]:
    """(colour, line style) of the car at `index` in the entry list: the same in every chart of an event."""
    return PALETTE[index % len(PALETTE)], LINESTYLES[(index // len(PALETTE)) % len(LINESTYLES)]


def new_figure(size: tuple[float, float]) -> Figure:
    """A figure of `size` inches, rc settings applied at creation (fonts are resolved when drawn)."""
    with matplotlib.rc_context(_RC):
        return Figure(figsize=size, layout="constrained")


def freeze_layout(figure: Figure) -> Figure:
    """Lay the figure out now, once, and keep that layout for every save.

    A constrained-layout figure is laid out again on every `savefig`, which measures every text: half the
    cost of an SVG. Saving the same chart as SVG and PNG would pay it twice.
    """
    engine = figure.get_layout_engine()
    if engine is not None:
        with matplotlib.rc_context(_RC):
            engine.execute(figure)
        figure.set_layout_engine("none")
    return figure


def relayout(figure: Figure) -> Figure:
    """Lay a frozen figure out again, after its texts changed (a chart translated into another language:
    an accent or a longer word can need a wider margin), and freeze it again."""
    for ax in figure.axes:  # back where a new figure starts, so that the layout is a new figure's
        spec = ax.get_subplotspec()
        if spec is not None:
            ax.set_subplotspec(spec)  # also puts the axes back at the spec's position
    with matplotlib.rc_context(_RC):
        figure.set_layout_engine("constrained")
    return freeze_layout(figure)


def style_axes(ax: Axes) -> None:
    ax.grid(True, color=GRID, linewidth=0.5)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=7, length=2.5, width=0.5)
    ax.tick_params(axis="x", bottom=False)  # lap numbers sit on the vertical grid lines: no tick marks


def shade_laps(ax: Axes, laps: Sequence[int], label: str) -> list[Text]:
    """Shade each neutralised lap n as the span between crossings n-1 and n, labelled once per run;
    return the labels (a chart translated into another language rewrites them)."""
    runs: list[tuple[int, int]] = []
    for lap in sorted(set(laps)):
        if runs and lap == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], lap)
        else:
            runs.append((lap, lap))
    texts: list[Text] = []
    for first, last in runs:
        ax.axvspan(first - 1, last, color=NEUTRAL_FILL, zorder=0, linewidth=0)
        text = ax.text(
            (first - 1 + last) / 2,
            1.0,
            label,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=6.5,
            color="#8a6d00",
        )
        texts.append(text)
    return texts


def to_bytes(figure: Figure, fmt: ChartFormat) -> bytes:
    """The figure as SVG or PNG bytes, identical for identical figures (no date, fixed SVG ids)."""
    buffer = io.BytesIO()
    # rc_context restores the previous settings on exit, so no global state leaks out of a render
    with matplotlib.rc_context(_RC):
        if fmt == "svg":
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        else:
            figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return buffer.getvalue()
