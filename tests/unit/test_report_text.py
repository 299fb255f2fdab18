"""Facts and the report writer on the small fixture event: a penalty that costs the win, a red flag in
qualifying, classes of one car, and an event with no championship or calendar."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from parcferme.engine import classify_event
from parcferme.engine.facts import (
    ChampionshipLead,
    EventFacts,
    NextRound,
    Penalty,
    Podium,
    RedFlag,
    event_facts,
)
from parcferme.formats.event_folder import read_event
from parcferme.model.classification import OVERALL
from parcferme.report.text import write_report

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "mini-event"


@cache
def facts() -> EventFacts:
    return event_facts(classify_event(read_event(FIXTURE)))


def test_a_penalty_that_costs_the_win_is_a_fact_with_its_effect() -> None:
    (penalty,) = facts().of(Penalty, "R1")
    assert penalty.decision.car == "1" and (penalty.before, penalty.after) == (1, 2)
    assert penalty.time_added == 5_000_000 and penalty.margin_kept is None
    podium = facts().one(Podium, "R1", OVERALL)
    assert podium is not None and podium.cars[:2] == ("007", "1") and podium.winner_grid == 2


def test_red_flag_minutes_left_and_no_championship_without_rules() -> None:
    (red,) = facts().of(RedFlag, "Q1")
    assert red.minutes_left == 4 and not red.resumed
    assert facts().of(ChampionshipLead) == [] and facts().one(NextRound) is None


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            (
                "1st on the road, 2nd in the result",
                "A red flag ended the session four minutes early",
                "from 2nd on the grid",
            ),
        ),
        (
            "fr",
            (
                "de la 1re place sur la route à la 2e au classement",
                "met fin à la séance à quatre minutes du terme",
                "2e place sur la grille",
            ),
        ),
    ],
)
def test_the_report_tells_the_penalty_and_the_red_flag(lang: str, words: tuple[str, ...]) -> None:
    report = write_report(facts(), lang)
    text = report.text()
    for expected in words:
        assert expected in text, (expected, text)
    assert all(
        s.heading != ("The championship" if lang == "en" else "Le championnat") for s in report.sections
    )


def test_an_event_without_a_race_yet_is_told_from_its_fastest_times() -> None:
    import dataclasses

    from parcferme.errors import ParcFermeError

    event = read_event(FIXTURE)
    before_the_race = event_facts(classify_event(dataclasses.replace(event, sessions=event.sessions[:2])))
    report = write_report(before_the_race, "en")
    assert report.title == "Spa-Francorchamps (mini): fastest time for Léa Durand"
    assert report.lead.startswith("Léa Durand (Équipe Alpha) was fastest in Qualifying")
    assert "meilleur temps pour Léa Durand" in write_report(before_the_race, "fr").title
    nothing = event_facts(classify_event(dataclasses.replace(event, sessions=())))
    with pytest.raises(ParcFermeError, match="nothing to report"):
        write_report(nothing, "en")
