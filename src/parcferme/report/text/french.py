"""Phrases françaises pour les faits d'un meeting, au présent de narration d'un service de presse.

French typography is applied to every sentence: a non-breaking space before « : » and inside « », a narrow
one before ; ! ?, decimal commas (2,182 s; lap times keep the timing sheets' 2:23.998), ordinals 2e, 1re.
Sentences are built so that nothing has to agree with a driver's gender, which the entry list does not
give: compound tenses take « avoir », and a participle never refers back to a driver.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from parcferme.engine.facts import (
    ChampionshipLead,
    Comeback,
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
from parcferme.model.decisions import DecisionKind
from parcferme.model.incidents import Incident, IncidentKind
from parcferme.model.session import Session, SessionKind
from parcferme.model.time import MICROS_PER_SECOND, format_time
from parcferme.model.timing import TrackStatus
from parcferme.report.text.language import Voice, is_race_name

NBSP, NNBSP = "\u00a0", "\u202f"
_WORDS = ("aucun", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix")
_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip
_NEUTRALISATION = {  # (name, feminine)
    TrackStatus.SC: ("la voiture de sécurité", True),
    TrackStatus.VSC: ("la voiture de sécurité virtuelle", True),
    TrackStatus.FCY: ("le Full Course Yellow", False),
    TrackStatus.CODE60: ("le Code 60", False),
    TrackStatus.RED: ("le drapeau rouge", False),
}
_BARE = {
    TrackStatus.SC: "voiture de sécurité",
    TrackStatus.VSC: "voiture de sécurité virtuelle",
    TrackStatus.FCY: "Full Course Yellow",
    TrackStatus.CODE60: "Code 60",
}
MAX_NAMED = 3  # retirements named one by one; more are counted
_SPACE_BEFORE = re.compile(r" ([;!?])")


def typography(text: str) -> str:
    """French spacing: non-breaking before a colon and inside guillemets, narrow before ; ! ?."""
    text = text.replace(" :", NBSP + ":").replace("« ", "«" + NBSP).replace(" »", NBSP + "»")
    return _SPACE_BEFORE.sub(NNBSP + r"\1", text)


class French(Voice):
    lang = "fr"
    car_prefix = "la n°"
    conjunction = " et "

    # ── mots et nombres ───────────────────────────────────────────────────────────────────────────────

    @staticmethod
    def number(n: int) -> str:
        return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)

    @staticmethod
    def ordinal(n: int, feminine: bool = True) -> str:
        if n == 1:
            return "1re" if feminine else "1er"
        return f"{n}e"

    @staticmethod
    def seconds(micros: int) -> str:
        return f"{micros / MICROS_PER_SECOND:.3f}".replace(".", ",") + NBSP + "s"

    def laps(self, n: int) -> str:
        return "un tour" if n == 1 else f"{self.number(n)} tours"

    @staticmethod
    def lap_time(micros: int) -> str:
        return format_time(micros)

    @staticmethod
    def date(iso: str | dt.date) -> str:
        day = iso if isinstance(iso, dt.date) else dt.date.fromisoformat(iso)
        return f"{'1er' if day.day == 1 else day.day} {_MONTHS[day.month - 1]} {day.year}"

    @staticmethod
    def quote(text: str) -> str:
        body = text.strip().rstrip(".")
        return f"« {body[:1].lower() + body[1:]} »"

    @staticmethod
    def de(name: str) -> str:
        """« de » before a name, elided before a vowel: d'Andlauer, de Narda."""
        return f"d'{name}" if name[:1].lower() in "aeiouyéèêh" else f"de {name}"

    # ── les noms ──────────────────────────────────────────────────────────────────────────────────────

    def of_who(self, car: str) -> str:
        """« de » + the name: « d'Andlauer », « de la n°50 »."""
        return self.de(self.who(car))

    def session_name(self, session: Session) -> str:
        words = {
            SessionKind.RACE: "course",
            SessionKind.QUALIFYING: "qualifications",
            SessionKind.PRACTICE: "essais libres",
        }
        digits = re.search(r"(\d+)\s*$", session.name or "")
        base = words.get(session.kind, session.name)
        return f"{base} {digits.group(1)}" if digits else base

    def the_session(self, session: Session) -> str:
        name = self.session_name(session)
        return f"la {name}" if session.kind is SessionKind.RACE else f"les {name}"

    @staticmethod
    def classification_name(names: dict[str, str], cid: str) -> str:
        return names.get("fr") or names.get("en") or cid

    # ── le meeting ────────────────────────────────────────────────────────────────────────────────────

    def title(self, wins: Sequence[str], venue: str) -> str:
        place = f"{venue} : " if venue else ""
        winners = list(dict.fromkeys(wins))
        if len(winners) == 1 and len(wins) > 1:
            what = "doublé" if len(wins) == 2 else "triplé"
            return typography(f"{place}{what} pour {self.cast.full_name(winners[0])}")
        if len(winners) == 1:
            return typography(f"{place}victoire {self.de(self._title_name(winners[0]))}")
        names = [self._title_name(c) for c in winners]
        return typography(f"{place}victoires pour {self.listing(names)}")

    def _title_name(self, car: str) -> str:
        return f"la n°{car}" if self.cast.crewed(car) else self.cast.full_name(car)

    def dateline(self, venue: str, day: dt.date | None) -> str:
        return ", ".join(x for x in (venue, f"le {self.date(day)}" if day is not None else "") if x)

    def meeting(self) -> str:
        event = self.event
        series = event.series or "championnat"
        if event.round == 1 and event.season:
            return f"la manche d'ouverture de la saison {event.season} de la {series}"
        return f"la {event.round}e manche de la {series}" if event.round else f"la {series}"

    def opening_timed(self, fact: Pole, session: Session) -> str:
        """The lead of an event with no race result yet: its fastest driver."""
        venue = f" à {self.event.name}" if self.event.name else ""
        meeting = f", {self.meeting()}" if self.event.series else ""
        who = self.who(fact.car, team=True)
        return typography(f"{who} signe le meilleur temps des {self.session_name(session)}{venue}{meeting}.")

    def title_pole(self, car: str, venue: str) -> str:
        return typography(f"{venue} : " * bool(venue) + f"meilleur temps pour {self._title_name(car)}")

    def opening(self, wins: Sequence[tuple[Session, str]], poles: int) -> str:
        event = self.event
        meeting = self.meeting()
        venue = f" à {event.name}" if event.name else ""
        winners = list(dict.fromkeys(car for _, car in wins))
        if len(winners) == 1 and len(wins) > 1:
            both = "les deux courses" if len(wins) == 2 else f"les {self.number(len(wins))} courses"
            from_pole = ", chaque fois depuis la pole position" if poles == len(wins) else ""
            text = f"{self.who(winners[0], team=True)} remporte {both} de {meeting}{venue}{from_pole}."
        elif len(wins) == 1:
            race = (
                f"« {event.name} »"
                if is_race_name(event.name)
                else f"la course de {event.name or 'ce meeting'}"
            )
            text = f"{self.who(wins[0][1], team=True)} remporte {race}" + (
                f", {meeting}." if event.series else "."
            )
        else:
            parts = [f"{self.who(car, team=True)} {self.the_session(s)}" for s, car in wins]
            count = self.number(len(winners))
            text = f"{count.capitalize()} vainqueurs{venue} pour {meeting} : {self.listing(parts)}."
        return typography(text)

    def lead_penalty(self, fact: Penalty, session: Session) -> str:
        who = self.who(fact.decision.car)
        return typography(
            f"La victoire {self.de(who)} dans {self.the_session(session)} "
            f"a résisté à une {self.penalty_name(fact)}."
        )

    def lead_championship(self, fact: ChampionshipLead, name: str | None) -> str:
        venue = self.event.name or "ce meeting"
        return typography(f"{self.standing_name(fact.leader)} quitte {venue} en tête du championnat.")

    # ── qualifications ────────────────────────────────────────────────────────────────────────────────

    def pole(self, fact: Pole, session: Session) -> str:
        who = self.who(fact.car)
        name, time = self.session_name(session), self.lap_time(fact.time)
        if session.kind is SessionKind.PRACTICE:
            text = f"{who} signe le meilleur temps des {name}, en {time}"
        else:
            text = self.rotation.pick(
                "pole",
                (
                    f"{who} signe la pole position des {name} en {time}",
                    f"{who} réalise le meilleur temps des {name}, en {time}",
                ),
            )
        if fact.second is not None and fact.gap is not None:
            text += f", avec {self.seconds(fact.gap)} d'avance sur {self.who(fact.second)}"
        rest = [self.who(c) for c in fact.top[2:]]
        if rest:
            text += f" ; {self.listing(rest)} complètent le top {self.number(len(fact.top))}"
        return typography(text + ".")

    def class_pole(self, fact: Pole, name: str) -> str:
        others = [self.who(c) for c in fact.top[1:3]]
        lead = self.rotation.pick(
            "class-pole",
            (
                f"{name} : meilleur temps pour {self.who(fact.car)}",
                f"{name} : {self.who(fact.car)} se montre le plus rapide",
                f"{name} : {self.who(fact.car)} signe la référence",
            ),
        )
        return typography(lead + (f", devant {self.listing(others)}." if others else "."))

    def red_flag(self, fact: RedFlag) -> str:
        minutes = fact.minutes_left
        plural = "s" if (minutes or 0) > 1 else ""
        cause = f", après {self.incident_clause(fact.cause)}," if fact.cause is not None else ""
        if not fact.resumed:
            early = f" à {self.number(minutes)} minute{plural} du terme" if minutes else ""
            return typography(f"Un drapeau rouge{cause} met fin à la séance{early}.")
        when = f" à {self.number(minutes)} minute{plural} de la fin" if minutes else ""
        return typography(f"Un drapeau rouge{cause} interrompt la séance{when}.")

    # ── courses ───────────────────────────────────────────────────────────────────────────────────────

    def race_win(self, fact: Podium, session: Session, lead: Lead | None) -> str:
        winner = self.who(fact.cars[0])
        name = self.the_session(session)
        start = ""
        if fact.winner_grid == 1:
            start = " depuis la pole position"
        elif fact.winner_grid is not None:
            start = f" depuis la {self.ordinal(fact.winner_grid)} place sur la grille"
        margin = self.gap(fact.gaps[0]) if fact.gaps else ""
        if len(fact.cars) < 2:
            return typography(f"{winner} remporte {name}{start}.")
        second = self.who(fact.cars[1])
        text = self.rotation.pick(
            "race-win",
            (
                f"{winner} remporte {name}{start}, avec {margin} d'avance sur {second}",
                f"{winner} s'impose dans {name}{start}, {margin} devant {second}",
                f"{name[:1].upper() + name[1:]} revient à {winner}{start}, {second} terminant à {margin}",
            ),
        )
        if len(fact.cars) > 2:
            text += f" ; {self.who(fact.cars[2])} complète le podium"
        text += "."
        if lead is not None and lead.flag_to_flag == fact.cars[0]:
            surname = self.cast.surname(fact.cars[0])
            text += " " + self.rotation.pick(
                "led-all",
                (
                    f"{surname} a mené les {self.number(lead.total_laps)} tours de l'épreuve.",
                    f"{surname} n'a jamais cédé la tête.",
                ),
            )
        elif lead is not None and lead.changes:
            n = len(lead.changes)
            led = [f"{self.who(car)} ({self.laps(laps)})" for car, laps in lead.laps_led[:2]]
            text += (
                f" La tête a changé de mains {'une fois' if n == 1 else f'{self.number(n)} fois'} ;"
                f" le plus souvent en tête : {self.listing(led)}."
            )
        return typography(text)

    def penalty_name(self, fact: Penalty) -> str:
        d = fact.decision
        if d.kind is DecisionKind.TIME_PENALTY:
            seconds = d.time // MICROS_PER_SECOND
            return f"pénalité de {self.number(seconds)} seconde{'s' if seconds > 1 else ''}"
        if d.kind is DecisionKind.LAP_PENALTY:
            return f"pénalité de {self.laps(d.laps)}"
        return {
            DecisionKind.DRIVE_THROUGH: "pénalité de passage par la voie des stands",
            DecisionKind.STOP_GO: "pénalité de stop and go",
            DecisionKind.DISQUALIFICATION: "disqualification",
            DecisionKind.EXCLUSION: "exclusion",
            DecisionKind.REPRIMAND: "réprimande",
        }.get(d.kind, d.kind.value)

    def penalty(self, fact: Penalty) -> str:
        d = fact.decision
        given = f"{self.who(d.car)} écope d'une {self.penalty_name(fact)} ({self.quote(d.reason_in('fr'))})"
        if fact.after is None:
            return typography(given + ".")
        if fact.before == fact.after and fact.margin_kept:
            kept = "la victoire" if fact.after == 1 else f"la {self.ordinal(fact.after)} place"
            road = self.seconds(fact.margin_kept + fact.time_added)
            return typography(
                f"{given}, mais son avance de {road} sur la route lui permet de conserver {kept}, "
                f"avec {self.seconds(fact.margin_kept)} de marge."
            )
        if fact.before is not None and fact.after is not None and fact.before != fact.after:
            before, after = self.ordinal(fact.before), self.ordinal(fact.after)
            moved = f"de la {before} place sur la route à la {after} au classement"
            return typography(f"{given} : {moved}.")
        return typography(given + ".")

    def comebacks(self, facts: Sequence[Comeback]) -> str:
        parts = []
        for i, f in enumerate(facts):
            if i == 0:
                parts.append(
                    f"{self.who(f.car)} remonte de la {self.ordinal(f.grid)} place sur la grille "
                    f"à la {self.ordinal(f.finish)}"
                )
            else:
                parts.append(f"{self.who(f.car)} de la {self.ordinal(f.grid)} à la {self.ordinal(f.finish)}")
        opener = self.rotation.pick("comeback", ("Plus loin, ", "Dans le peloton, ", "Derrière, "))
        return typography(opener + self.listing(parts) + ".")

    def first_lap(self, fact: FirstLapGain) -> str:
        return typography(
            self.rotation.pick(
                "first-lap",
                (
                    f"{self.who(fact.car)} réussit le meilleur départ : {self.number(fact.gained)} places "
                    "gagnées dans le premier tour.",
                    f"Personne ne gagne plus de places dans le premier tour que {self.who(fact.car)} "
                    f"({self.number(fact.gained)}).",
                ),
            )
        )

    def fastest_lap(self, fact: FastestLap) -> str:
        time = self.lap_time(fact.time)
        return typography(
            self.rotation.pick(
                "fastest-lap",
                (
                    f"{self.who(fact.car)} signe aussi le meilleur tour en course, en {time} "
                    f"au {self.ordinal(fact.lap, feminine=False)} tour.",
                    f"Le meilleur tour en course, {time}, revient à {self.who(fact.car)} "
                    f"au {self.ordinal(fact.lap, feminine=False)} tour.",
                ),
            )
        )

    def neutralisation(self, fact: Neutralisation) -> str:
        name, feminine = _NEUTRALISATION.get(fact.status, (fact.status.value, False))
        laps = fact.laps
        lap = fact.cause.lap if fact.cause is not None and fact.cause.lap else laps[0]
        verb = "intervient" if fact.status is TrackStatus.SC else "est déclenché" + ("e" if feminine else "")
        out = f"{name[:1].upper() + name[1:]} {verb} dès le {self.ordinal(lap, feminine=False)} tour"
        if fact.cause is not None:
            out += f" : {self.incident_clause(fact.cause)}"
        span = (
            f"le {self.ordinal(laps[0], feminine=False)} tour"
            if len(laps) == 1
            else (f"les tours {laps[0]} à {laps[-1]}")
        )
        if len(laps) == 2:
            span = f"tours {laps[0]} et {laps[1]}"
        out += f". La course est neutralisée pendant {self.laps(len(laps))} ({span})."
        if fact.cause is not None and fact.cause.retired:
            out += " " + self.retired_clause(fact.cause.retired)
        return typography(out)

    def retired_clause(self, cars: Sequence[str]) -> str:
        if len(cars) == 2:
            return (
                f"Pour {self.cast.surname(cars[0])} comme pour {self.cast.surname(cars[1])}, c'est l'abandon."
            )
        return f"Abandon de {self.listing([self.who(c) for c in cars])}."

    def incident_clause(self, x: Incident) -> str:
        first = self.who(x.cars[0])
        if x.kind is IncidentKind.CONTACT:
            return f"accrochage entre {self.listing([self.who(c) for c in x.cars])}"
        text = {
            IncidentKind.SPIN: f"{first} part en tête-à-queue",
            IncidentKind.OFF: f"{first} sort de la piste",
            IncidentKind.CRASH: f"{first} heurte les barrières",
            IncidentKind.STOPPED: f"{first} s'arrête en piste",
            IncidentKind.MECHANICAL: f"{first} est trahi par la mécanique",
        }[x.kind]
        if x.hit_by:
            text += f" et {self.who(x.hit_by)} ne peut l'éviter"
        return text

    def incident(self, fact: Incidents) -> str:
        x = fact.incident
        when = (
            " dans le dernier tour"
            if fact.last_lap
            else f" au {self.ordinal(x.lap, False)} tour"
            if x.lap
            else ""
        )
        if x.kind is IncidentKind.CONTACT:
            text = f"{self.listing([self.who(c) for c in x.cars])} s'accrochent{when}"
            if x.retired:
                text += f" ; abandon de {self.listing([self.cast.surname(c) for c in x.retired])}"
            text += ", sans neutralisation de la course"
        else:
            text = self.incident_clause(x) + when
            if x.retired:
                text += " et ne voit pas le drapeau à damier"
        return typography(text[:1].upper() + text[1:] + ".")

    def retirements(self, facts: Sequence[Retirement]) -> str:
        parts = [f"{self.who(f.car)} (après {self.laps(f.laps)})" for f in facts[:MAX_NAMED]]
        if len(facts) > MAX_NAMED:
            return typography(f"On compte {len(facts)} abandons, dont en dernier {self.listing(parts)}.")
        return typography(f"Abandons également : {self.listing(parts)}.")

    def neutralisations(self, facts: Sequence[Neutralisation]) -> str:
        """Several neutralisations without a logged cause, in one sentence."""
        kinds = []
        for status in dict.fromkeys(f.status for f in facts):
            runs = [self.span(f.laps) for f in facts if f.status is status]
            name = _BARE.get(status, status.value)
            periods = "période" if len(runs) == 1 else "périodes"
            kinds.append(f"{self.number(len(runs))} {periods} sous {name} ({self.listing(runs)})")
        total = sum(len(f.laps) for f in facts)
        return typography(
            f"La course est neutralisée à {len(facts)} reprises, pendant {self.laps(total)} au total : "
            f"{self.listing(kinds)}."
        )

    def span(self, laps: Sequence[int]) -> str:
        return f"tour {laps[0]}" if len(laps) == 1 else f"tours {laps[0]} à {laps[-1]}"

    def class_podium(self, fact: Podium, name: str) -> str:
        cars = fact.cars
        winner = self.who(cars[0])
        others = [self.who(c) for c in cars[1:]]
        text = self.rotation.pick(
            "class-podium",
            (
                f"{name} : victoire {self.de(winner)}"
                + (f" devant {self.listing(others)}." if others else "."),
                f"{name} : {winner} l'emporte" + (f" devant {self.listing(others)}." if others else "."),
                f"{name} : {winner} s'impose" + (f", suivi par {self.listing(others)}." if others else "."),
                f"{name} : succès {self.de(winner)}"
                + (f", {self.listing(others)} complétant le podium." if others else "."),
            ),
        )
        return typography(text)

    # ── le championnat ────────────────────────────────────────────────────────────────────────────────

    def championship(self, fact: ChampionshipLead, name: str | None) -> str:
        leader = self.standing_name(fact.leader)
        second = self.standing_name(fact.second) if fact.second is not None else None
        if fact.shared and second is not None:
            text = f"{leader} et {second} en tête à égalité, avec {fact.points} points"
        else:
            text = f"{leader} en tête avec {fact.points} points"
            if second is not None and fact.margin == "0":
                text += f", à égalité avec {second} mais devant au départage"
            elif second is not None and fact.margin is not None:
                text += f", {fact.margin} de plus que {second}"
            if fact.changed and fact.previous_leader is not None:
                text += f", à la place de {self.standing_name(fact.previous_leader)}"
        return typography(f"{name} : {text}." if name else f"Championnat : {text}.")

    def next_round(self, fact: NextRound) -> str:
        when = f", le {self.date(fact.date)}" if fact.date else ""
        return typography(f"Prochain rendez-vous : {fact.name}{when}, pour la {fact.number}e manche.")

    # ── titres ────────────────────────────────────────────────────────────────────────────────────────

    def heading(self, key: str) -> str:
        return {
            "classes": "Les classements",
            "championship": "Le championnat",
            "qualifying": "Qualifications",
        }[key]

    def kind_name(self, kind: SessionKind) -> str:
        return {
            SessionKind.RACE: "Course",
            SessionKind.QUALIFYING: "Qualifications",
            SessionKind.PRACTICE: "Essais",
        }[kind]
