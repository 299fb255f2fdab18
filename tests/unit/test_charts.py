"""Charts as bytes: valid SVG and PNG, the same bytes every time, no global matplotlib state left behind,
labels in the language asked for, and clear errors for charts that do not apply."""

from __future__ import annotations

import sys

import matplotlib
import pytest

from parcferme.demo import load_spa2017
from parcferme.engine import EventResults, classify_event
from parcferme.errors import ParcFermeError
from parcferme.report.charts import gap_chart, lap_chart, lap_chart_figure, lap_time_chart

SMALL = (6.0, 4.0)  # inches: enough to draw everything, quicker than the page size


@pytest.fixture(scope="module")
def spa() -> EventResults:
    return classify_event(load_spa2017())


@pytest.fixture(scope="module")
def r2_svg(spa: EventResults) -> bytes:
    return lap_chart(spa, "R2", fmt="svg", size=SMALL)


def test_svg_is_a_standalone_svg_without_a_date(r2_svg: bytes) -> None:
    text = r2_svg.decode("utf-8")
    assert text.startswith("<?xml")
    assert "<svg" in text
    assert "<dc:date>" not in text  # metadata={'Date': None}: nothing changes from one run to the next


def test_svg_and_png_are_the_same_bytes_every_time(spa: EventResults, r2_svg: bytes) -> None:
    assert lap_chart(spa, "R2", fmt="svg", size=SMALL) == r2_svg
    first = gap_chart(spa, "R2", fmt="png", size=SMALL)
    assert first.startswith(b"\x89PNG\r\n\x1a\n")
    assert gap_chart(spa, "R2", fmt="png", size=SMALL) == first


def test_rendering_leaves_matplotlib_global_state_as_it_was(spa: EventResults) -> None:
    had_pyplot = "matplotlib.pyplot" in sys.modules
    # through copies: reading the global rcParams' "backend" entry would itself import pyplot
    before = dict(matplotlib.rcParams.copy())
    lap_time_chart(spa, "R1", fmt="svg", size=SMALL)
    lap_chart(spa, "R1", fmt="png", size=SMALL)
    assert dict(matplotlib.rcParams.copy()) == before
    if not had_pyplot:
        assert "matplotlib.pyplot" not in sys.modules  # no pyplot: no figure registry, no GUI backend


def test_labels_follow_the_language(spa: EventResults, r2_svg: bytes) -> None:
    english = r2_svg.decode("utf-8")
    french = lap_chart(spa, "R2", fmt="svg", lang="fr", size=SMALL).decode("utf-8")
    assert ">Lap<" in english and ">Grid<" in english
    assert ">Tour<" in french and ">Grille<" in french
    assert ">SC<" in english  # the safety-car laps are shaded and named


def test_every_car_is_labelled_at_the_end_of_its_line(spa: EventResults, r2_svg: bytes) -> None:
    text = r2_svg.decode("utf-8")
    for row in spa.session("R2").overall.rows:
        if row.laps:
            assert f">{row.car}<" in text


def test_a_sub_classification_chart_draws_only_its_cars(spa: EventResults) -> None:
    figure = lap_chart_figure(spa, "R1", classification="b", size=SMALL)
    (ax,) = figure.axes
    labelled = {t.get_text() for t in ax.texts}
    b_cars = set(spa.session("R1").results["b"].order)
    assert b_cars <= labelled
    assert not labelled & (set(spa.session("R1").overall.order) - b_cars)


def test_lap_time_chart_works_for_qualifying(spa: EventResults) -> None:
    assert lap_time_chart(spa, "Q1", fmt="svg", size=SMALL).startswith(b"<?xml")


@pytest.mark.parametrize(
    ("session", "classification", "message"),
    [
        ("Q1", "overall", "needs a race"),
        ("R9", "overall", "no session 'R9'"),
        ("R1", "gold", "no classification"),
    ],
)
def test_charts_that_do_not_apply_are_a_clear_error(
    spa: EventResults, session: str, classification: str, message: str
) -> None:
    with pytest.raises(ParcFermeError, match=message):
        lap_chart(spa, session, classification=classification, size=SMALL)
