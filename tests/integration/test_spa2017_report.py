"""The Spa 2017 race report in French and English: every fact SPA-2017.md asks for, in the facts and the text.

The facts are checked against what the engine computes (engine.facts reads the results, never a script);
the text is checked for each fact, worded by the language's own phrasebook, and for sentences or paragraphs
that appear twice.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from parcferme.commands.championship import championship_after
from parcferme.demo import load_spa2017
from parcferme.engine import classify_event
from parcferme.engine.facts import (
    ChampionshipLead,
    Comeback,
    EventFacts,
    FastestLap,
    Neutralisation,
    NextRound,
    Penalty,
    Podium,
    Pole,
    event_facts,
)
from parcferme.model.classification import OVERALL
from parcferme.model.incidents import IncidentKind
from parcferme.model.time import format_time
from parcferme.model.timing import TrackStatus
from parcferme.report.text import Report, Section, to_html, to_markdown, write_report

ANDLAUER, DERDAELE, LATORRE, BELTOISE, ROVERA, DE_NARDA = "7", "40", "8", "3", "18", "25"
LINDLAND, MISSLIN, LAPIERRE, PERFETTI = "26", "9", "27", "44"
HASSE_CLOT, JUNG, CYPRIANO, GIMBERT, MEULDERS = "24", "11", "33", "16", "47"


@cache
def facts() -> EventFacts:
    results = classify_event(load_spa2017())
    championship = championship_after(results)
    assert championship is not None
    return event_facts(results, standings=championship.drivers, calendar=championship.calendar)


@cache
def report(lang: str) -> Report:
    return write_report(facts(), lang)


# ── the facts ─────────────────────────────────────────────────────────────────────────────────────────


def test_pole_winners_and_podiums() -> None:
    f = facts()
    pole = f.one(Pole, "Q1", OVERALL)
    assert pole is not None and (pole.car, format_time(pole.time)) == (ANDLAUER, "2:22.773")
    r1 = f.one(Podium, "R1", OVERALL)
    assert r1 is not None and r1.cars == (ANDLAUER, DERDAELE, LATORRE) and r1.winner_grid == 1
    assert r1.gaps[0] is not None and r1.gaps[0].laps == 0 and (r1.gaps[0].time or 0) > 0
    assert f.one(Podium, "R1", "fr").cars == (ANDLAUER, LATORRE, BELTOISE)  # type: ignore[union-attr]
    assert f.one(Podium, "R1", "b").cars == (LINDLAND, MISSLIN, LAPIERRE)  # type: ignore[union-attr]
    assert f.one(Podium, "R1", "rookie").cars == (HASSE_CLOT, JUNG, CYPRIANO)  # type: ignore[union-attr]
    r2 = f.one(Podium, "R2", OVERALL)
    assert r2 is not None and r2.cars == (ANDLAUER, DE_NARDA, JUNG) and r2.winner_grid == 1
    assert f.one(Podium, "R2", "b").cars == (MISSLIN, PERFETTI, LAPIERRE)  # type: ignore[union-attr]


def test_the_penalty_its_reason_and_its_effect() -> None:
    (penalty,) = facts().of(Penalty, "R1")
    assert penalty.decision.car == ANDLAUER and penalty.time_added == 5_000_000
    assert "grid" in penalty.decision.reason_in("en") and "grille" in penalty.decision.reason_in("fr")
    assert (penalty.before, penalty.after) == (1, 1)  # first with or without it
    assert penalty.margin_kept is not None and 0 < penalty.margin_kept < penalty.margin_kept + 5_000_000


def test_the_safety_car_and_its_cause() -> None:
    (sc,) = facts().of(Neutralisation, "R2")
    assert sc.status is TrackStatus.SC and sc.laps == (2, 3)
    assert sc.cause is not None and sc.cause.kind is IncidentKind.SPIN
    assert (sc.cause.cars, sc.cause.hit_by, sc.cause.lap) == ((GIMBERT,), MEULDERS, 2)
    assert facts().of(Neutralisation, "R1") == []


def test_the_two_comebacks_of_race_1() -> None:
    moves = {c.car: (c.grid, c.finish) for c in facts().of(Comeback, "R1")}
    assert moves[ROVERA] == (22, 5) and moves[DE_NARDA] == (33, 6)


def test_fastest_lap_championship_and_next_round() -> None:
    f = facts()
    fastest = f.one(FastestLap, "R1", OVERALL)
    assert fastest is not None and (fastest.car, format_time(fastest.time)) == (ANDLAUER, "2:23.998")
    leaders = {c.classification: c.leader for c in f.of(ChampionshipLead)}
    assert leaders["fr"] == "Julien Andlauer" and leaders["b"] == "Nicolas Misslin"
    upcoming = f.one(NextRound)
    assert upcoming is not None and (upcoming.number, upcoming.name) == (2, "Le Mans")


# ── the text ──────────────────────────────────────────────────────────────────────────────────────────


def _section(r: Report, heading: str) -> str:
    def text(s: Section) -> str:
        return " ".join([*s.paragraphs, *(text(x) for x in s.subsections)])

    found = [text(s) for s in r.sections if s.heading == heading]
    assert found, f"no section {heading!r} in {[s.heading for s in r.sections]}"
    return found[0]


WORDS = {
    "en": {
        "q1": "Qualifying 1",
        "r1": "Race 1",
        "r2": "Race 2",
        "pole": "pole",
        "penalty": "five-second time penalty",
        "sc": "safety car",
        "margin": "2.182 s",
        "moves": ("from 22nd", "to 5th", "from 33rd", "to 6th"),
        "classes": ("French championship", "B drivers", "Rookies"),
        "next": ("Le Mans", "17 June 2017"),
    },
    "fr": {
        "q1": "Qualifications 1",
        "r1": "Course 1",
        "r2": "Course 2",
        "pole": "pole position",
        "penalty": "pénalité de cinq secondes",
        "sc": "voiture de sécurité",
        "margin": "2,182\u00a0s",
        "moves": ("de la 22e", "à la 5e", "de la 33e", "à la 6e"),
        "classes": ("Championnat de France", "Classement B", "Rookies"),
        "next": ("Le Mans", "17 juin 2017"),
    },
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_report_states_every_fact(lang: str) -> None:
    r, w = report(lang), WORDS[lang]
    assert "Andlauer" in r.title
    whole = r.text()
    q1, r1, r2 = _section(r, w["q1"]), _section(r, w["r1"]), _section(r, w["r2"])  # type: ignore[arg-type]
    assert "Andlauer" in q1 and "2:22.773" in q1 and w["pole"] in q1
    # race 1: winner, margin, podium, the penalty and its reason, the comebacks, classes, fastest lap
    assert r1.index("Andlauer") < r1.index("Derdaele") < r1.index("Latorre")
    assert w["margin"] in r1 and w["pole"] in r1
    reason = facts().of(Penalty, "R1")[0].decision.reason_in(lang)
    assert w["penalty"] in r1 and reason.lower()[1:] in r1
    assert "Rovera" in r1 and "de Narda" in r1 and all(m in r1 for m in w["moves"])
    assert "Beltoise" in r1 and "2:23.998" in r1
    for words in w["classes"]:
        assert words in r1 and words in r2
    b_r1 = r1[r1.index(w["classes"][1]) :]
    assert b_r1.index("Lindland") < b_r1.index("Misslin") < b_r1.index("Lapierre")
    rookies_r1 = r1[r1.index(w["classes"][2]) :]
    assert rookies_r1.index("Hasse-Clot") < rookies_r1.index("Jung") < rookies_r1.index("Cypriano")
    # race 2: winner and podium, the safety car and its cause, B winners
    assert r2.index("Andlauer") < r2.index("de Narda") < r2.index("Jung")
    assert w["sc"] in r2 and "Gimbert" in r2 and "Meulders" in r2
    b_r2 = r2[r2.index(w["classes"][1]) :]
    assert b_r2.index("Misslin") < b_r2.index("Perfetti") < b_r2.index("Lapierre")
    # the championship and the next round
    assert "Andlauer" in whole.split(r.sections[-1].heading)[-1]
    championship = _section(r, r.sections[-1].heading)
    assert "Misslin" in championship and all(x in championship for x in w["next"])


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«“])", text) if s.strip()]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_sentence_or_paragraph_appears_twice(lang: str) -> None:
    paragraphs = report(lang).paragraphs()
    assert len(paragraphs) == len(set(paragraphs))
    sentences = [s for p in paragraphs for s in _sentences(p)]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert not repeated, repeated


def test_french_typography() -> None:
    text = report("fr").text()
    assert " :" not in text and " ;" not in text and "« " not in text and " »" not in text
    assert "\u00a0:" in text and "\u202f;" in text
    assert re.search(r"\d\.\d{3}\u00a0s", text) is None  # gaps take a decimal comma; lap times keep 2:23.998


def test_markdown_and_html_forms() -> None:
    fr = report("fr")
    markdown = to_markdown(fr)
    assert (
        markdown.startswith(f"# {fr.title}\n")
        and "## Course 1" in markdown
        and "### Les classements" in markdown
    )
    page = to_html(fr)
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert "33<sup>e</sup>" in page and page.count("<h2>") == len(fr.sections)
    assert fr.paragraphs()[1][:40] in page


def test_an_unknown_language_is_refused() -> None:
    from parcferme.errors import ParcFermeError

    with pytest.raises(ParcFermeError, match="not 'de'"):
        write_report(facts(), "de")
