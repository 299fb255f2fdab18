"""The English race report of a real WEC race (../shared/data/wec, Le Mans 2024): the writer is not tied to
the demo — crewed cars named by number and crew, classes, a long race's many neutralisations.

Skipped, with the reason, when the data folder is absent.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from parcferme.engine import classify_event
from parcferme.engine.facts import Neutralisation, Podium, event_facts
from parcferme.formats.alkamel import read_alkamel
from parcferme.model.classification import OVERALL
from parcferme.report.text import to_html, to_markdown, write_report

LE_MANS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "wec" / "2024_le_mans_24h.csv"

pytestmark = pytest.mark.skipif(
    not LE_MANS.is_file(), reason=f"{LE_MANS} is absent (shared real-data set not beside the checkout)"
)


def test_the_le_mans_2024_report_in_english() -> None:
    read = read_alkamel(LE_MANS)
    # an analysis CSV does not name its event: the organiser's names, as a user gives them on import
    event = dataclasses.replace(
        read.event,
        series="FIA World Endurance Championship",
        season=2024,
        round=4,
        name="24 Hours of Le Mans",
    )
    facts = event_facts(classify_event(event))
    podium = facts.one(Podium, "R", OVERALL)
    assert podium is not None and podium.cars == ("50", "7", "51")
    assert len(facts.of(Neutralisation, "R")) >= 3

    report = write_report(facts, "en")
    text = report.text()
    assert report.title == "24 Hours of Le Mans: victory for the #50"
    assert report.lead.startswith(
        "The #50 Ferrari AF Corse (Fuoco / Molina / Nielsen) won the 24 Hours of Le Mans"
    )
    assert "14.221 s ahead of the #7" in text
    classes = report.sections[0].subsections[0].paragraphs[0]
    assert "LMP2: " in classes and "the #22" in classes.split("LMP2: ")[1][:20]
    assert "LMGT3: " in classes and "the #91" in classes.split("LMGT3: ")[1][:20]
    assert "safety car" in text and "full-course yellow" in text
    sentences = re.split(r"(?<=[.])\s+", text)
    assert len(sentences) == len(set(sentences))
    assert all(s[:1].isupper() or s[:1].isdigit() for s in sentences if s)
    assert "<h2>The race</h2>" in to_html(report) and to_markdown(report).startswith("# 24 Hours of Le Mans")
