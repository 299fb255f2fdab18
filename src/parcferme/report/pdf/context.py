"""What every timing document prints around its content (the sheet header and footer), and the cells
shared by its tables: names, times, gaps and speeds formatted for one language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from parcferme.engine import EventResults, SessionOutcome
from parcferme.errors import ParcFermeError
from parcferme.model.classification import OVERALL
from parcferme.model.entries import Entry
from parcferme.model.event import Event
from parcferme.model.session import Schedule, Session
from parcferme.model.time import MICROS_PER_SECOND, format_time, format_time_of_day
from parcferme.report.pdf.labels import format_date, format_decimal, labels, session_name

STATUSES = ("PROVISIONAL", "OFFICIAL")


@dataclass(frozen=True, slots=True)
class Sheet:
    """The header and footer of one document: who, where, which session, which document and version."""

    lang: str
    series: str  # `Porsche Carrera Cup France 2017`
    event: str  # `Round 1 · Spa-Francorchamps`
    circuit: str  # `Circuit de Spa-Francorchamps · 7.004 km`
    session: str  # `Race 1`
    session_info: tuple[str, ...]  # (`Friday 5 May 2017 · Start 16:35`, `30 min + 1 lap`)
    title: str  # `Classification`
    subtitle: str  # the classification's name, or ""
    number: str  # document number, `R1-03`
    version: int
    status: str  # PROVISIONAL / OFFICIAL as printed in this language
    status_class: str  # `provisional` / `official`, for the stamp's colour
    published: str
    landscape: bool = False


def check_status(status: str) -> str:
    wanted = status.strip().upper()
    if wanted not in STATUSES:
        raise ParcFermeError(f"document status must be one of {', '.join(STATUSES)}, not {status!r}")
    return wanted


def make_sheet(
    results: EventResults,
    outcome: SessionOutcome,
    *,
    title_key: str,
    number: str,
    classification: str,
    version: int,
    status: str,
    published: str,
    lang: str,
    landscape: bool = False,
) -> Sheet:
    words = labels(lang)
    if version < 1:
        raise ParcFermeError(f"document version must be 1 or more, not {version}")
    wanted = check_status(status)
    event = results.event
    session = outcome.session
    subtitle = "" if classification == OVERALL else classification_name(event, classification, lang)
    return Sheet(
        lang=lang,
        series=f"{event.series} {event.season}".strip(),
        event=round_text(event.round, event.name, lang),
        circuit=circuit_text(event, lang),
        session=session_name(session.id, session.kind, session.name, lang),
        session_info=_session_info(session, lang),
        title=words[title_key],
        subtitle=subtitle,
        number=number,
        version=version,
        status=words[wanted.lower()],
        status_class=wanted.lower(),
        published=published,
        landscape=landscape,
    )


def make_round_sheet(
    *,
    series: str,
    round_number: int,
    round_name: str,
    circuit: str,
    heading: str,
    info: tuple[str, ...],
    title: str,
    subtitle: str,
    number: str,
    version: int,
    status: str,
    published: str,
    lang: str,
    landscape: bool = False,
) -> Sheet:
    """The header and footer of a document about a whole round (championship standings): the round
    where a session document names its session."""
    words = labels(lang)
    if version < 1:
        raise ParcFermeError(f"document version must be 1 or more, not {version}")
    wanted = check_status(status)
    return Sheet(
        lang=lang,
        series=series,
        event=round_text(round_number, round_name, lang),
        circuit=circuit,
        session=heading,
        session_info=info,
        title=title,
        subtitle=subtitle,
        number=number,
        version=version,
        status=words[wanted.lower()],
        status_class=wanted.lower(),
        published=published,
        landscape=landscape,
    )


def round_text(number: int, name: str, lang: str) -> str:
    """`Round 1 · Spa-Francorchamps` / `Manche 1 · Spa-Francorchamps`."""
    return " · ".join(p for p in (f"{labels(lang)['round']} {number}", name) if p)


def circuit_text(event: Event, lang: str) -> str:
    """`Circuit de Spa-Francorchamps · 7.004 km` (`7,004 km` in French)."""
    words = labels(lang)
    circuit = event.circuit.name
    if event.circuit.length_m:
        length = format_decimal(event.circuit.length_m / 1000, 3, lang)
        circuit = f"{circuit} · {length}\u00a0{words['km']}" if circuit else f"{length}\u00a0{words['km']}"
    return circuit


def _session_info(session: Session, lang: str) -> tuple[str, ...]:
    """The day and start time on one line, the scheduled length on the next."""
    words = labels(lang)
    start = format_time_of_day(session.schedule.start)[:5]
    when = f"{format_date(session.schedule.date, lang)} · {words['start']} {start}"
    length = _length(session.schedule, words)
    return (when, f"{words['duration']}{words['colon']} {length}") if length else (when,)


def _length(schedule: Schedule, words: Mapping[str, str]) -> str:
    duration = ""
    if schedule.duration is not None:
        duration = f"{schedule.duration // (60 * MICROS_PER_SECOND)}\u00a0{words['min']}"
        if schedule.end_mode.value == "time+1" and schedule.laps is None:
            duration += f" {words['plus_lap']}"
    laps = "" if schedule.laps is None else f"{schedule.laps}\u00a0{words['laps_word']}"
    return " / ".join(p for p in (duration, laps) if p)


def classification_name(event: Event, classification: str, lang: str) -> str:
    for c in event.classifications:
        if c.id == classification:
            return c.name(lang)
    return classification


# ── cells ──────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class People:
    """Names of a car's crew, looked up once per document rather than once per cell."""

    event: Event

    def entry(self, car: str) -> Entry | None:
        try:
            return self.event.entry(car)
        except KeyError:
            return None

    def drivers(self, car: str) -> str:
        entry = self.entry(car)
        return "" if entry is None else entry.name

    def team(self, car: str) -> str:
        entry = self.entry(car)
        return "" if entry is None else entry.team

    def nationality(self, car: str) -> str:
        entry = self.entry(car)
        return "" if entry is None else entry.driver.nationality


def time_text(micros: int | None) -> str:
    return "" if micros is None else format_time(micros)


def delta_text(micros: int | None) -> str:
    return "" if micros is None else "+" + format_time(micros)


def kph(length_m: int, laps: int, micros: int | None, lang: str) -> str:
    """Average speed over `laps` laps of the circuit in `micros`; empty when it cannot be known."""
    if not length_m or not laps or not micros:
        return ""
    return format_decimal(length_m * laps * 3.6 * MICROS_PER_SECOND / micros, 1, lang)


def document_number(session_id: str, code: str, classification: str) -> str:
    """`R1-03`; a document about one classification carries its id: `R1-05-FR`."""
    number = f"{session_id}-{code}"
    return number if classification == OVERALL else f"{number}-{classification.upper()}"
