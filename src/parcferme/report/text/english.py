"""English sentences for the facts of an event, in the voice of a series press office (past tense)."""

from __future__ import annotations

import datetime as dt
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
from parcferme.report.text.language import Voice, capitalise, is_race_name

MAX_NAMED = 3  # retirements named one by one; more are counted
_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
_NEUTRALISATION = {
    TrackStatus.SC: "safety car",
    TrackStatus.VSC: "virtual safety car",
    TrackStatus.FCY: "full-course yellow",
    TrackStatus.CODE60: "Code 60",
    TrackStatus.RED: "red flag",
}


class English(Voice):
    lang = "en"
    car_prefix = "the #"
    conjunction = " and "

    # ── words and numbers ─────────────────────────────────────────────────────────────────────────────

    @staticmethod
    def number(n: int) -> str:
        return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)

    @staticmethod
    def ordinal(n: int) -> str:
        suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
        return f"{n}{suffix}"

    @staticmethod
    def seconds(micros: int) -> str:
        return f"{micros / MICROS_PER_SECOND:.3f} s"

    def laps(self, n: int) -> str:
        return "one lap" if n == 1 else f"{self.number(n)} laps"

    @staticmethod
    def lap_time(micros: int) -> str:
        return format_time(micros)

    @staticmethod
    def date(iso: str | dt.date) -> str:
        day = iso if isinstance(iso, dt.date) else dt.date.fromisoformat(iso)
        return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"

    @staticmethod
    def quote(text: str) -> str:
        return f"“{text.strip().rstrip('.')}”"

    # ── names ─────────────────────────────────────────────────────────────────────────────────────────

    def session_name(self, session: Session) -> str:
        """As scheduled ("Race 1"); a lone, unnumbered race is "the race"."""
        name = session.name or session.id
        return "the race" if name.lower() == "race" else name

    @staticmethod
    def classification_name(names: dict[str, str], cid: str) -> str:
        return names.get("en") or next(iter(names.values()), cid)

    # ── the weekend ───────────────────────────────────────────────────────────────────────────────────

    def title(self, wins: Sequence[str], venue: str) -> str:
        place = f"{venue}: " if venue else ""
        winners = list(dict.fromkeys(wins))
        if len(winners) == 1 and len(wins) > 1:
            what = "double" if len(wins) == 2 else "clean sweep"
            return f"{place}{what} for {self.cast.full_name(winners[0])}"
        if len(winners) == 1:
            return f"{place}victory for {self._title_name(winners[0])}"
        return f"{place}wins for {self.listing([self._title_name(c) for c in winners])}"

    def _title_name(self, car: str) -> str:
        return f"the #{car}" if self.cast.crewed(car) else self.cast.full_name(car)

    def dateline(self, venue: str, day: dt.date | None) -> str:
        return ", ".join(x for x in (venue, self.date(day) if day is not None else "") if x)

    def meeting(self) -> str:
        event = self.event
        series = event.series or "the championship"
        if event.round == 1 and event.season:
            return f"the opening round of the {event.season} {series}"
        return f"round {event.round} of the {series}" if event.round else series

    def opening_timed(self, fact: Pole, session: Session) -> str:
        """The lead of an event with no race result yet: its fastest driver."""
        venue = f" at {self.event.name}" if self.event.name else ""
        meeting = f", {self.meeting()}" if self.event.series else ""
        return f"{self.who(fact.car, team=True)} was fastest in {self.session_name(session)}{venue}{meeting}."

    def title_pole(self, car: str, venue: str) -> str:
        return f"{venue}: " * bool(venue) + f"fastest time for {self._title_name(car)}"

    def opening(self, wins: Sequence[tuple[Session, str]], poles: int) -> str:
        event = self.event
        meeting = self.meeting()
        venue = f" at {event.name}" if event.name else ""
        winners = list(dict.fromkeys(car for _, car in wins))
        if len(winners) == 1 and len(wins) > 1:
            both = "both races" if len(wins) == 2 else f"all {self.number(len(wins))} races"
            from_pole = ", each time from pole position" if poles == len(wins) else ""
            return f"{self.who(winners[0], team=True)} won {both} of {meeting}{venue}{from_pole}."
        if len(wins) == 1:
            race = (
                f"the {event.name}"
                if is_race_name(event.name)
                else f"the race at {event.name or 'the meeting'}"
            )
            return f"{self.who(wins[0][1], team=True)} won {race}" + (
                f", {meeting}." if event.series else "."
            )
        parts = [f"{self.who(car, team=True)} {self.session_name(s)}" for s, car in wins]
        count = self.number(len(winners))
        return f"{meeting[0].upper() + meeting[1:]}{venue} produced {count} winners: {self.listing(parts)}."

    def lead_penalty(self, fact: Penalty, session: Session) -> str:
        who = self.who(fact.decision.car)
        return f"{who}'s {self.session_name(session)} win survived a {self.penalty_name(fact)}."

    def lead_championship(self, fact: ChampionshipLead, name: str | None) -> str:
        table = f"the {name}" if name else "the championship"
        venue = self.event.name or "the meeting"
        return f"{self.standing_name(fact.leader)} leaves {venue} at the top of {table}."

    # ── qualifying ────────────────────────────────────────────────────────────────────────────────────

    def pole(self, fact: Pole, session: Session) -> str:
        who = self.who(fact.car)
        name, time = session.name or "qualifying", self.lap_time(fact.time)
        if session.kind is SessionKind.PRACTICE:
            text = f"{who} set the fastest time in {name}, {time}"
        else:
            text = self.rotation.pick(
                "pole",
                (
                    f"{who} took pole position in {name} with a {time}",
                    f"{who} was quickest in {name}, in {time}",
                ),
            )
        if fact.second is not None and fact.gap is not None:
            text += f", {self.seconds(fact.gap)} clear of {self.who(fact.second)}"
        rest = [self.who(c) for c in fact.top[2:]]
        if rest:
            text += f"; {self.listing(rest)} completed the top {self.number(len(fact.top))}"
        return text + "."

    def class_pole(self, fact: Pole, name: str) -> str:
        others = [self.who(c) for c in fact.top[1:3]]
        lead = self.rotation.pick(
            "class-pole",
            (
                f"{name}: best time for {self.who(fact.car)}",
                f"{name}: {self.who(fact.car)} fastest",
                f"{name}: {self.who(fact.car)} on top",
            ),
        )
        return lead + (f", ahead of {self.listing(others)}." if others else ".")

    def red_flag(self, fact: RedFlag) -> str:
        minutes = fact.minutes_left
        plural = "s" if minutes != 1 else ""
        cause = f" after {self.incident_clause(fact.cause)}" if fact.cause is not None else ""
        if not fact.resumed:
            early = f" {self.number(minutes)} minute{plural} early" if minutes else ""
            return f"A red flag{cause} ended the session{early}."
        when = f" {self.number(minutes)} minute{plural} from the end" if minutes else ""
        return f"A red flag{cause} interrupted the session{when}."

    # ── races ─────────────────────────────────────────────────────────────────────────────────────────

    def race_win(self, fact: Podium, session: Session, lead: Lead | None) -> str:
        winner = self.who(fact.cars[0])
        name = self.session_name(session)
        start = ""
        if fact.winner_grid == 1:
            start = " from pole"
        elif fact.winner_grid is not None:
            start = f" from {self.ordinal(fact.winner_grid)} on the grid"
        margin = self.gap(fact.gaps[0]) if fact.gaps else ""
        if len(fact.cars) < 2:
            return f"{winner} won {name}{start}."
        second = self.who(fact.cars[1])
        text = self.rotation.pick(
            "race-win",
            (
                f"{winner} won {name}{start}, {margin} ahead of {second}",
                f"{winner} took {name}{start} by {margin} from {second}",
                f"{name} went to {winner}{start}, with {second} {margin} behind",
            ),
        )
        if len(fact.cars) > 2:
            text += f", and {self.who(fact.cars[2])} completed the podium"
        text += "."
        if lead is not None and lead.flag_to_flag == fact.cars[0]:
            surname = self.cast.surname(fact.cars[0])
            text += " " + self.rotation.pick(
                "led-all",
                (
                    f"{surname} led every one of the {self.number(lead.total_laps)} laps.",
                    f"{surname} was never headed.",
                ),
            )
        elif lead is not None and lead.changes:
            led = [f"{self.who(car)} ({self.laps(n)})" for car, n in lead.laps_led[:2]]
            changes = self.times(len(lead.changes))
            text += f" The lead changed hands {changes}; most laps led: {self.listing(led)}."
        return text

    def times(self, n: int) -> str:
        return {1: "once", 2: "twice"}.get(n, f"{self.number(n)} times")

    def penalty_name(self, fact: Penalty) -> str:
        d = fact.decision
        if d.kind is DecisionKind.TIME_PENALTY:
            return f"{self.number(d.time // MICROS_PER_SECOND)}-second time penalty"
        if d.kind is DecisionKind.LAP_PENALTY:
            return f"{self.laps(d.laps)} penalty"
        return {
            DecisionKind.DRIVE_THROUGH: "drive-through penalty",
            DecisionKind.STOP_GO: "stop-and-go penalty",
            DecisionKind.DISQUALIFICATION: "disqualification",
            DecisionKind.EXCLUSION: "exclusion",
            DecisionKind.REPRIMAND: "reprimand",
        }.get(d.kind, d.kind.value)

    def penalty(self, fact: Penalty) -> str:
        d = fact.decision
        given = f"{self.who(d.car)} was handed a {self.penalty_name(fact)} ({self.quote(d.reason_in('en'))})"
        if fact.after is None:
            return given + "."
        if fact.before == fact.after and fact.margin_kept:
            kept = "the win" if fact.after == 1 else f"{self.ordinal(fact.after)} place"
            road = self.seconds(fact.margin_kept + fact.time_added)
            return (
                f"{given}, but a lead of {road} on the road was enough to keep {kept}, "
                f"by {self.seconds(fact.margin_kept)}."
            )
        if fact.before is not None and fact.before != fact.after and fact.after is not None:
            return (
                f"{given}: {self.ordinal(fact.before)} on the road, {self.ordinal(fact.after)} in the result."
            )
        return given + "."

    def comebacks(self, facts: Sequence[Comeback]) -> str:
        parts = []
        for i, f in enumerate(facts):
            move = f"from {self.ordinal(f.grid)} on the grid to {self.ordinal(f.finish)}"
            if i == 0:
                parts.append(f"{self.who(f.car)} climbed {move}")
            else:
                parts.append(f"{self.who(f.car)} from {self.ordinal(f.grid)} to {self.ordinal(f.finish)}")
        opener = self.rotation.pick("comeback", ("Further back, ", "Through the field, ", "Behind them, "))
        return opener + self.listing(parts) + "."

    def first_lap(self, fact: FirstLapGain) -> str:
        return self.rotation.pick(
            "first-lap",
            (
                f"{self.who(fact.car)} made the best start, gaining {self.number(fact.gained)} places"
                " on the opening lap.",
                f"Nobody gained more on lap 1 than {self.who(fact.car)}: {self.number(fact.gained)} places.",
            ),
        )

    def fastest_lap(self, fact: FastestLap) -> str:
        time = self.lap_time(fact.time)
        return self.rotation.pick(
            "fastest-lap",
            (
                f"{self.who(fact.car)} also set the fastest lap, {time} on lap {fact.lap}.",
                f"The fastest lap, {time}, went to {self.who(fact.car)} on lap {fact.lap}.",
            ),
        )

    def neutralisation(self, fact: Neutralisation) -> str:
        kind = _NEUTRALISATION.get(fact.status, fact.status.value)
        laps = fact.laps
        span = f"lap {laps[0]}" if len(laps) == 1 else f"laps {laps[0]} to {laps[-1]}"
        if len(laps) == 2:
            span = f"laps {laps[0]} and {laps[1]}"
        if fact.cause is not None:
            lap = fact.cause.lap or laps[0]
            out = f"The {kind} was called on lap {lap} after {self.incident_clause(fact.cause)}"
        else:
            out = f"The {kind} was deployed"
        out += f"; the race was neutralised for {self.laps(len(laps))} ({span})."
        if fact.cause is not None and fact.cause.retired:
            out += " " + self.retired_clause(fact.cause.retired)
        return out

    def retired_clause(self, cars: Sequence[str]) -> str:
        if len(cars) == 2:
            return f"Both {self.cast.surname(cars[0])} and {self.cast.surname(cars[1])} were out on the spot."
        return f"{self.listing([self.who(c) for c in cars])} retired."

    def incident_clause(self, x: Incident) -> str:
        first = self.who(x.cars[0])
        if x.kind is IncidentKind.CONTACT:
            text = (
                f"contact between {self.listing([self.who(c) for c in x.cars]) if len(x.cars) > 1 else first}"
            )
        else:
            text = {
                IncidentKind.SPIN: f"{first} spun",
                IncidentKind.OFF: f"{first} went off",
                IncidentKind.CRASH: f"{first} crashed",
                IncidentKind.STOPPED: f"{first} stopped on track",
                IncidentKind.MECHANICAL: f"{first} suffered a mechanical failure",
            }[x.kind]
        if x.hit_by:
            text += f" and was hit by {self.who(x.hit_by)}"
        return text

    def incident(self, fact: Incidents) -> str:
        x = fact.incident
        when = " on the last lap" if fact.last_lap else f" on lap {x.lap}" if x.lap else ""
        if x.kind is IncidentKind.CONTACT:
            text = f"{self.listing([self.who(c) for c in x.cars])} made contact{when}"
            if x.retired:
                text += f"; {self.listing([self.cast.surname(c) for c in x.retired])} retired"
            text += ", and the race went on without a neutralisation"
        else:
            text = self.incident_clause(x) + when
            if x.retired:
                text += " and did not see the chequered flag"
        return capitalise(text) + "."

    def retirements(self, facts: Sequence[Retirement]) -> str:
        parts = [f"{self.who(f.car)} (after {self.laps(f.laps)})" for f in facts[:MAX_NAMED]]
        if len(facts) > MAX_NAMED:
            count = self.number(len(facts)).capitalize()
            return f"{count} cars retired, the last of them {self.listing(parts)}."
        return f"Also out: {self.listing(parts)}."

    def neutralisations(self, facts: Sequence[Neutralisation]) -> str:
        """Several neutralisations without a logged cause, in one sentence."""
        kinds = []
        for status in dict.fromkeys(f.status for f in facts):
            runs = [self.span(f.laps) for f in facts if f.status is status]
            name = _NEUTRALISATION.get(status, status.value)
            periods = "period" if len(runs) == 1 else "periods"
            kinds.append(f"{self.number(len(runs))} {name} {periods} ({self.listing(runs)})")
        total = sum(len(f.laps) for f in facts)
        times = self.times(len(facts))
        return f"The race was neutralised {times}, {self.laps(total)} in all: {self.listing(kinds)}."

    def span(self, laps: Sequence[int]) -> str:
        return f"lap {laps[0]}" if len(laps) == 1 else f"laps {laps[0]}–{laps[-1]}"

    def class_podium(self, fact: Podium, name: str) -> str:
        cars = fact.cars
        winner = self.who(cars[0])
        others = [self.who(c) for c in cars[1:]]
        return self.rotation.pick(
            "class-podium",
            (
                f"{name}: win for {winner}" + (f", ahead of {self.listing(others)}." if others else "."),
                f"{name}: {winner} first" + (f", from {self.listing(others)}." if others else "."),
                f"{name}: {winner} took the honours" + (f" from {self.listing(others)}." if others else "."),
                f"{name}: victory went to {winner}"
                + (f", with {self.listing(others)} next." if others else "."),
            ),
        )

    # ── the championship ──────────────────────────────────────────────────────────────────────────────

    def championship(self, fact: ChampionshipLead, name: str | None) -> str:
        leader = self.standing_name(fact.leader)
        second = self.standing_name(fact.second) if fact.second is not None else None
        if fact.shared and second is not None:
            text = f"{leader} and {second} share the lead on {fact.points} points"
        else:
            text = f"{leader} leads on {fact.points} points"
            if second is not None and fact.margin == "0":
                text += f", level with {second} but ahead on the tie-break"
            elif second is not None and fact.margin is not None:
                text += f", {fact.margin} clear of {second}"
            if fact.changed and fact.previous_leader is not None:
                text += f", taking over from {self.standing_name(fact.previous_leader)}"
        return f"{name}: {text}." if name else f"{capitalise(text)} in the championship."

    def next_round(self, fact: NextRound) -> str:
        when = f" on {self.date(fact.date)}" if fact.date else ""
        return f"Next up is round {fact.number} at {fact.name}{when}."

    # ── headings ──────────────────────────────────────────────────────────────────────────────────────

    def heading(self, key: str) -> str:
        return {
            "classes": "The classifications",
            "championship": "The championship",
            "qualifying": "Qualifying",
        }[key]

    def kind_name(self, kind: SessionKind) -> str:
        return {
            SessionKind.RACE: "Race",
            SessionKind.QUALIFYING: "Qualifying",
            SessionKind.PRACTICE: "Practice",
        }[kind]
