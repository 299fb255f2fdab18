"""The race report: the facts of an event told as a press office tells them, in English or French.

The writer chooses and orders; the phrasebook of the language (english.py, french.py) words each fact.
The order is the one readers expect: a title and a lead that give the weekend in two or three sentences,
then each session in schedule order — qualifying with its poles, each race with its result, what changed
it (penalties, neutralisations), who came through the field, the class winners — and the championship.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Protocol

from parcferme.engine.event import SessionOutcome
from parcferme.engine.facts import (
    ChampionshipLead,
    Comeback,
    EventFacts,
    FastestLap,
    FirstLapGain,
    Incidents,
    Lead,
    Neutralisation,
    NextRound,
    Penalty,
    Podium,
    Pole,
    RedFlag,
    Retirement,
)
from parcferme.errors import ParcFermeError
from parcferme.model.classification import OVERALL
from parcferme.model.event import Event
from parcferme.model.session import Session
from parcferme.report.text.document import Figure, Report, Section
from parcferme.report.text.english import English
from parcferme.report.text.french import French
from parcferme.report.text.language import capitalise

__all__ = ["LANGUAGES", "write_report"]

LANGUAGES = ("en", "fr")


class Phrasebook(Protocol):
    lang: str

    def title(self, wins: Sequence[str], venue: str) -> str: ...
    def dateline(self, venue: str, day: dt.date | None) -> str: ...
    def opening(self, wins: Sequence[tuple[Session, str]], poles: int) -> str: ...
    def opening_timed(self, fact: Pole, session: Session) -> str: ...
    def title_pole(self, car: str, venue: str) -> str: ...
    def lead_penalty(self, fact: Penalty, session: Session) -> str: ...
    def lead_championship(self, fact: ChampionshipLead, name: str | None) -> str: ...
    def session_name(self, session: Session) -> str: ...
    def classification_name(self, names: dict[str, str], cid: str) -> str: ...
    def pole(self, fact: Pole, session: Session) -> str: ...
    def class_pole(self, fact: Pole, name: str) -> str: ...
    def red_flag(self, fact: RedFlag) -> str: ...
    def race_win(self, fact: Podium, session: Session, lead: Lead | None) -> str: ...
    def penalty(self, fact: Penalty) -> str: ...
    def comebacks(self, facts: Sequence[Comeback]) -> str: ...
    def first_lap(self, fact: FirstLapGain) -> str: ...
    def fastest_lap(self, fact: FastestLap) -> str: ...
    def neutralisation(self, fact: Neutralisation) -> str: ...
    def neutralisations(self, facts: Sequence[Neutralisation]) -> str: ...
    def incident(self, fact: Incidents) -> str: ...
    def retirements(self, facts: Sequence[Retirement]) -> str: ...
    def class_podium(self, fact: Podium, name: str) -> str: ...
    def championship(self, fact: ChampionshipLead, name: str | None) -> str: ...
    def next_round(self, fact: NextRound) -> str: ...
    def heading(self, key: str) -> str: ...


def _phrasebook(lang: str, event: Event) -> Phrasebook:
    """The language's phrasebook; every sentence it gives opens on a capital ("The #50", "De Narda")."""
    if lang == "en":
        return English(event)
    if lang == "fr":
        return French(event)
    raise ParcFermeError(f"reports are written in {' or '.join(LANGUAGES)}, not {lang!r}")


def write_report(
    facts: EventFacts, lang: str, *, figures: Mapping[str, Sequence[Figure]] | None = None
) -> Report:
    """The report of the event in `lang` ("en" or "fr"); `figures` (per session id) are shown after the
    session's section — the charts the report command wrote beside it."""
    event = facts.results.event
    book = _phrasebook(lang, event)
    names = {c.id: book.classification_name(dict(c.names), c.id) for c in event.classifications}
    played = [o for o in facts.results.sessions if o.overall.rows]
    races = [o for o in played if o.session.is_race]
    wins: list[tuple[Session, str]] = []
    poles = 0
    for outcome in races:
        podium = facts.one(Podium, outcome.session.id, OVERALL)
        if podium is not None:
            wins.append((outcome.session, podium.cars[0]))
            poles += podium.winner_grid == 1
    venue = event.name or event.circuit.name
    fastest = [(o.session, p) for o in played if (p := facts.one(Pole, o.session.id, OVERALL)) is not None]
    if wins:
        title = capitalise(book.title([car for _, car in wins], venue))
        lead = [book.opening(wins, poles)]
    elif fastest:  # no race run yet: the story so far is practice and qualifying
        session, pole = fastest[-1]
        title = capitalise(book.title_pole(pole.car, venue))
        lead = [book.opening_timed(pole, session)]
    else:
        raise ParcFermeError(
            f"{event.name or 'the event'}: no session has a result yet, there is nothing to report"
        )
    last_day = max((o.session.schedule.date for o in played), default=None)
    dateline = book.dateline(venue, last_day if last_day is not None and last_day.year > 1 else None)

    for outcome in races:
        for penalty in facts.of(Penalty, outcome.session.id):
            if penalty.after == 1 and penalty.before == 1:
                lead.append(book.lead_penalty(penalty, outcome.session))
    leads = _championship_order(facts, names)
    if leads:  # the main table: the overall one, else the event's first classification
        lead.append(book.lead_championship(leads[0], names.get(leads[0].classification)))

    sections: list[Section] = []
    shown = figures or {}
    for outcome in played:
        section = (
            _race(book, facts, outcome, names)
            if outcome.session.is_race
            else _timed(book, facts, outcome, names)
        )
        if section is not None:
            sections.append(
                Section(
                    section.heading,
                    section.paragraphs,
                    section.subsections,
                    tuple(shown.get(outcome.session.id, ())),
                )
            )
    championship = _championship(book, facts, names)
    if championship is not None:
        sections.append(championship)
    return Report(lang, title, dateline, _capitals(" ".join(lead)), tuple(_capitalised(s) for s in sections))


def _capitals(paragraph: str) -> str:
    """Each sentence of a paragraph opens on a capital: phrasings may begin with "the #50" or "de Narda"."""
    return re.sub(r"(^|[.!?]\s+)([a-zà-ÿ])", lambda m: m.group(1) + m.group(2).upper(), paragraph)


def _capitalised(section: Section) -> Section:
    return Section(
        section.heading,
        tuple(_capitals(p) for p in section.paragraphs),
        tuple(_capitalised(s) for s in section.subsections),
        section.figures,
    )


def _heading(book: Phrasebook, session: Session) -> str:
    return capitalise(book.session_name(session))


def _timed(
    book: Phrasebook, facts: EventFacts, outcome: SessionOutcome, names: Mapping[str, str]
) -> Section | None:
    sid = outcome.session.id
    pole = facts.one(Pole, sid, OVERALL)
    if pole is None:
        return None
    first = [book.pole(pole, outcome.session)]
    first += [book.red_flag(f) for f in facts.of(RedFlag, sid)]
    classes = [
        book.class_pole(p, names[cid])
        for cid in names
        if (p := facts.one(Pole, sid, cid)) is not None and cid in _distinct(facts, sid, cid)
    ]
    paragraphs = [" ".join(first)] + ([" ".join(classes)] if classes else [])
    return Section(_heading(book, outcome.session), tuple(paragraphs))


def _distinct(facts: EventFacts, sid: str, cid: str) -> set[str]:
    """A classification is worth a sentence when its leader differs from the overall one."""
    overall = facts.one(Pole, sid, OVERALL) or facts.one(Podium, sid, OVERALL)
    own = facts.one(Pole, sid, cid) or facts.one(Podium, sid, cid)
    if overall is None or own is None:
        return set()
    return set() if _cars(own) == _cars(overall) else {cid}


def _cars(fact: Pole | Podium) -> tuple[str, ...]:
    return fact.top[:3] if isinstance(fact, Pole) else fact.cars


def _race(
    book: Phrasebook, facts: EventFacts, outcome: SessionOutcome, names: Mapping[str, str]
) -> Section | None:
    sid = outcome.session.id
    podium = facts.one(Podium, sid, OVERALL)
    if podium is None:
        return None
    paragraphs = [book.race_win(podium, outcome.session, facts.one(Lead, sid))]
    paragraphs += [book.penalty(p) for p in facts.of(Penalty, sid)]
    neutralisations = sorted(facts.of(Neutralisation, sid), key=lambda n: n.laps)
    unexplained = [n for n in neutralisations if n.cause is None]
    if len(unexplained) > 2:  # a long race's many yellows: one sentence, not one each
        paragraphs += [book.neutralisation(n) for n in neutralisations if n.cause is not None]
        paragraphs.append(book.neutralisations(unexplained))
    else:
        paragraphs += [book.neutralisation(n) for n in neutralisations]
    field = []
    comebacks = facts.of(Comeback, sid, OVERALL)
    if comebacks:
        field.append(book.comebacks(comebacks))
    for gain in facts.of(FirstLapGain, sid):
        if gain.car not in {c.car for c in comebacks}:
            field.append(book.first_lap(gain))
    if field:
        paragraphs.append(" ".join(field))
    rest = []
    fastest = facts.one(FastestLap, sid, OVERALL)
    if fastest is not None:
        rest.append(book.fastest_lap(fastest))
    told = {car for n in facts.of(Neutralisation, sid) if n.cause is not None for car in n.cause.retired}
    incidents = sorted(facts.of(Incidents, sid), key=lambda f: f.incident.lap or 0)
    rest += [book.incident(f) for f in incidents]
    told |= {car for f in incidents for car in f.incident.retired}
    others = sorted((r for r in facts.of(Retirement, sid) if r.car not in told), key=lambda r: -r.laps)
    if others:
        rest.append(book.retirements(others))
    if rest:
        paragraphs.append(" ".join(rest))
    classes = [
        book.class_podium(p, names[cid]) for cid in names if (p := facts.one(Podium, sid, cid)) is not None
    ]
    subsections = (Section(book.heading("classes"), (" ".join(classes),)),) if classes else ()
    return Section(_heading(book, outcome.session), tuple(paragraphs), subsections)


def _championship(book: Phrasebook, facts: EventFacts, names: Mapping[str, str]) -> Section | None:
    leads = _championship_order(facts, names)
    paragraphs = []
    if leads:
        paragraphs.append(" ".join(book.championship(f, names.get(f.classification)) for f in leads))
    upcoming = facts.one(NextRound)
    if upcoming is not None:
        paragraphs.append(book.next_round(upcoming))
    if not paragraphs:
        return None
    return Section(book.heading("championship"), tuple(paragraphs))


def _championship_order(facts: EventFacts, names: Mapping[str, str]) -> list[ChampionshipLead]:
    order = {OVERALL: -1, **{cid: i for i, cid in enumerate(names)}}
    return sorted(facts.of(ChampionshipLead), key=lambda f: order.get(f.classification, len(order)))
