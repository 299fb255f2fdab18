"""Every word the timing documents and charts print, in English and French, in one place.

A small dict per language until the Babel catalogs arrive (DESIGN.md: text for people goes through
catalogs); the keys are the same in both, a test checks it. French typography is applied to the French
texts as a whole (a non-breaking space before `: ; ! ? %`); times keep their dot (`2:23.998`) as French
timing sheets do, other decimals take a comma (`7,004 km`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from fractions import Fraction
from types import MappingProxyType

from parcferme.errors import ParcFermeError
from parcferme.model.decisions import Decision, DecisionKind
from parcferme.model.results import Status
from parcferme.model.session import SessionKind
from parcferme.model.standings import TieNote, format_points
from parcferme.model.time import MICROS_PER_SECOND, Gap, format_time
from parcferme.model.timing import TrackStatus

NBSP = "\u00a0"

_EN: dict[str, str] = {
    # documents
    "doc.classification": "Classification",
    "doc.grid": "Starting grid",
    "doc.lap-chart": "Lap chart",
    "doc.gap-chart": "Race history",
    "doc.lap-times": "Lap time distribution",
    "doc.lap-analysis": "Lap analysis",
    "doc.best-sectors": "Best sector times",
    "doc.fastest-laps": "Fastest lap sequence",
    "doc.penalties": "Decisions and penalties",
    "doc.standings": "Drivers' championship",
    "doc.team-standings": "Teams' championship",
    # header and footer
    "provisional": "PROVISIONAL",
    "official": "OFFICIAL",
    "document": "Document",
    "version": "Version",
    "published": "Published",
    "page": "Page",
    "of": "of",
    "round": "Round",
    "km": "km",
    "start": "Start",
    "duration": "Length",
    "min": "min",
    "plus_lap": "+ 1 lap",
    # session kinds
    "kind.practice": "Practice",
    "kind.qualifying": "Qualifying",
    "kind.race": "Race",
    # columns
    "pos": "Pos",
    "ovr": "Ovr",
    "no": "No",
    "driver": "Driver",
    "nat": "Nat",
    "team": "Team",
    "laps": "Laps",
    "time": "Time",
    "time_gap": "Time / Gap",
    "gap": "Gap",
    "int": "Int",
    "kph": "km/h",
    "best": "Best",
    "lap": "Lap",
    "grid": "Grid",
    "gained": "+/-",
    "pen": "Pen",
    "second_best": "2nd best",
    "total_time": "Total time",
    "pit": "Pit",
    "status": "Status",
    "sector": "Sector",
    "ideal": "Ideal lap",
    "best_lap": "Best lap",
    "diff": "Diff",
    "time_of_day": "Time of day",
    "improvement": "Gain",
    "reference": "Ref",
    "issued": "Issued",
    "decision": "Decision",
    "reason": "Reason",
    # statuses
    "status.NC": "NC",
    "status.DNF": "DNF",
    "status.DNS": "DNS",
    "status.DSQ": "DSQ",
    "status.EXCL": "EXCL",
    "not_classified": "Not classified",
    # notes
    "colon": ":",
    "fastest_lap": "Fastest lap",
    "pole": "Pole position",
    "best_time": "Best time",
    "lap_word": "lap",
    "laps_word": "laps",
    "gap_lap": "Lap",
    "gap_laps": "Laps",
    "ts.sc": "Safety car",
    "ts.vsc": "Virtual safety car",
    "ts.fcy": "Full-course yellow",
    "ts.code60": "Code 60",
    "ts.neutralised": "Neutralised",
    "ts.red": "Red flag",
    "countback": "Result taken at the end of lap {lap} (red flag)",
    "penalty": "Penalty",
    "no_decision": "No decision was issued in this session.",
    "pace_note": (
        "Pace laps only: in and out laps, deleted laps, laps run under safety car, full-course yellow, "
        "VSC, Code 60 or red flag, lap 1 of a race and laps slower than 107% of the session's fastest "
        "are left out. Box: middle half of a car's laps, bar: median, whiskers: 1.5 × the box; "
        "each tick is one lap."
    ),
    "fastest_note": "Each lap that was the fastest of the session when it was completed; gain: on the "
    "previous fastest. Deleted laps (and, outside races, out laps) do not count.",
    "gap_note": "Gap to the first car to complete each lap, on the road (before time penalties).",
    "lap_chart_note": "Position at each crossing of the Line; lap 0 is the starting grid.",
    "analysis_note": (
        "IN: lap ended in the pit lane · OUT: lap started from the pit lane · bold: the car's best lap · "
        "purple: best of the session (lap or sector) · struck through: deleted lap · "
        "SC, VSC, FCY, C60, Y, RED: track status during the lap"
    ),
    "sectors_note": "Ideal lap: sum of the car's best sectors (out-lap first sectors and in-lap last "
    "sectors left out).",
    "pit_in": "In",
    "pit_out": "Out",
    "pit_in_short": "IN",
    "pit_out_short": "OUT",
    "pit_lane": "Pit lane",
    "no_time": "No time",
    "grid_from": "Grid set by the best laps of {session}",
    "grid_from_second": "Grid set by the second-best laps of {session}",
    "neutralised": "Neutralised",
    "position": "Position",
    "gap_axis": "Gap to leader (s)",
    "lap_time_axis": "Lap time",
    "deleted": "deleted",
    # decisions
    "dk.time-penalty": "{seconds}{nbsp}s time penalty",
    "dk.drive-through": "Drive-through penalty",
    "dk.stop-go": "{seconds}{nbsp}s stop-and-go penalty",
    "dk.lap-penalty": "{laps}-lap penalty",
    "dk.delete-lap": "Lap {lap} time deleted",
    "dk.grid-drop": "{places}-place grid drop",
    "dk.pit-lane-start": "Start from the pit lane",
    "dk.disqualification": "Disqualified",
    "dk.exclusion": "Excluded",
    "dk.reprimand": "Reprimand",
    "served": "served",
    "continued": "continued",
    # championship standings
    "after_round": "After round {round}",
    "final_standings": "Final standings",
    "round_of": "Round {round} of {rounds}",
    "races_held": "{races} races held",
    "race_held": "1 race held",
    "total": "Total",
    "gap_points": "Gap",
    "deducted": "Points deducted",
    "pts": "pts",
    "standings_note": "Points scored in each race, bonuses included; gap: points behind the leader.",
    "dropped_note": "In brackets and italics: results dropped under the championship rules.",
    "ties": "Competitors level on points",
    "excluded_note": "D: disqualified from the championship · E: excluded from the championship",
    "no_standings": "No race of the championship has been held yet.",
}

_FR_TEXT: dict[str, str] = {
    "doc.classification": "Classement",
    "doc.grid": "Grille de départ",
    "doc.lap-chart": "Positions tour par tour",
    "doc.gap-chart": "Historique de la course",
    "doc.lap-times": "Distribution des temps au tour",
    "doc.lap-analysis": "Analyse des tours",
    "doc.best-sectors": "Meilleurs temps par secteur",
    "doc.fastest-laps": "Progression du meilleur tour",
    "doc.penalties": "Décisions et pénalités",
    "doc.standings": "Championnat pilotes",
    "doc.team-standings": "Championnat équipes",
    "provisional": "PROVISOIRE",
    "official": "OFFICIEL",
    "document": "Document",
    "version": "Version",
    "published": "Publié le",
    "page": "Page",
    "of": "sur",
    "round": "Manche",
    "km": "km",
    "start": "Départ",
    "duration": "Durée",
    "min": "min",
    "plus_lap": "+ 1 tour",
    "kind.practice": "Essais libres",
    "kind.qualifying": "Qualifications",
    "kind.race": "Course",
    "pos": "Pos",
    "ovr": "Gén",
    "no": "No",
    "driver": "Pilote",
    "nat": "Nat",
    "team": "Équipe",
    "laps": "Tours",
    "time": "Temps",
    "time_gap": "Temps / Écart",
    "gap": "Écart",
    "int": "Int",
    "kph": "km/h",
    "best": "Meilleur",
    "lap": "Tour",
    "grid": "Grille",
    "gained": "+/-",
    "pen": "Pén",
    "second_best": "2e meilleur",
    "total_time": "Temps total",
    "pit": "Stand",
    "status": "Régime",
    "sector": "Secteur",
    "ideal": "Tour idéal",
    "best_lap": "Meilleur tour",
    "diff": "Diff",
    "time_of_day": "Heure",
    "improvement": "Gain",
    "reference": "Réf",
    "issued": "Heure",
    "decision": "Décision",
    "reason": "Motif",
    "status.NC": "NC",
    "status.DNF": "AB",
    "status.DNS": "NP",
    "status.DSQ": "DSQ",
    "status.EXCL": "EXCL",
    "not_classified": "Non classés",
    "colon": " :",
    "fastest_lap": "Meilleur tour en course",
    "pole": "Pole position",
    "best_time": "Meilleur temps",
    "lap_word": "tour",
    "laps_word": "tours",
    "gap_lap": "tour",
    "gap_laps": "tours",
    "ts.sc": "Voiture de sécurité",
    "ts.vsc": "Voiture de sécurité virtuelle",
    "ts.fcy": "Neutralisation (FCY)",
    "ts.code60": "Code 60",
    "ts.neutralised": "Neutralisation",
    "ts.red": "Drapeau rouge",
    "countback": "Résultat pris à la fin du tour {lap} (drapeau rouge)",
    "penalty": "Pénalité",
    "no_decision": "Aucune décision n’a été prise pendant cette séance.",
    "pace_note": (
        "Tours représentatifs seulement : les tours d’entrée et de sortie des stands, les tours annulés, "
        "les tours sous voiture de sécurité, FCY, VSC, Code 60 ou drapeau rouge, le premier tour d’une "
        "course et les tours plus lents que 107 % du meilleur tour de la séance sont écartés. Boîte : "
        "moitié centrale des tours du pilote, barre : médiane, moustaches : 1,5 × la boîte ; chaque trait "
        "est un tour."
    ),
    "fastest_note": "Chaque tour qui était le plus rapide de la séance quand il a été bouclé ; gain : sur "
    "le meilleur tour précédent. Les tours annulés (et, hors course, les tours de sortie) ne comptent pas.",
    "gap_note": "Écart au premier pilote ayant bouclé chaque tour, en piste (avant pénalités en temps).",
    "lap_chart_note": "Position à chaque passage sur la ligne ; le tour 0 est la grille de départ.",
    "analysis_note": (
        "ENT : tour terminé dans la voie des stands · SOR : tour commencé dans la voie des stands · "
        "gras : meilleur tour du pilote · violet : meilleur de la séance (tour ou secteur) · barré : "
        "tour annulé · SC, VSC, FCY, C60, Y, RED : régime de course pendant le tour"
    ),
    "sectors_note": "Tour idéal : somme des meilleurs secteurs du pilote (premiers secteurs des tours de "
    "sortie et derniers secteurs des tours d’entrée écartés).",
    "pit_in": "Entrée",
    "pit_out": "Sortie",
    "pit_in_short": "ENT",
    "pit_out_short": "SOR",
    "pit_lane": "Voie des stands",
    "no_time": "Sans temps",
    "grid_from": "Grille établie d’après les meilleurs tours de la séance {session}",
    "grid_from_second": "Grille établie d’après les deuxièmes meilleurs tours de la séance {session}",
    "neutralised": "Neutralisation",
    "position": "Position",
    "gap_axis": "Écart au leader (s)",
    "lap_time_axis": "Temps au tour",
    "deleted": "annulé",
    "dk.time-penalty": "Pénalité de {seconds}{nbsp}s",
    "dk.drive-through": "Drive-through",
    "dk.stop-go": "Stop-and-go de {seconds}{nbsp}s",
    "dk.lap-penalty": "Pénalité de {laps}{nbsp}tour(s)",
    "dk.delete-lap": "Temps du tour {lap} annulé",
    "dk.grid-drop": "Recul de {places}{nbsp}places sur la grille",
    "dk.pit-lane-start": "Départ depuis la voie des stands",
    "dk.disqualification": "Disqualifié",
    "dk.exclusion": "Exclu",
    "dk.reprimand": "Réprimande",
    "served": "effectuée",
    "continued": "suite",
    "after_round": "Après la manche {round}",
    "final_standings": "Classement final",
    "round_of": "Manche {round} sur {rounds}",
    "races_held": "{races} courses disputées",
    "race_held": "1 course disputée",
    "total": "Total",
    "gap_points": "Écart",
    "deducted": "Points retirés",
    "pts": "pts",
    "standings_note": "Points marqués dans chaque course, bonus compris ; écart : points de retard sur le "
    "premier.",
    "dropped_note": "Entre parenthèses, en italique : résultats non retenus selon le règlement du "
    "championnat.",
    "ties": "Pilotes à égalité de points",
    "excluded_note": "D : disqualifié du championnat · E : exclu du championnat",
    "no_standings": "Aucune course du championnat n’a encore été disputée.",
}


def _french(text: str) -> str:
    """French typography: a non-breaking space before : ; ! ? and % (written with a plain space)."""
    return re.sub(r" ([:;!?%])", NBSP + r"\1", text)


_FR = {key: _french(text) for key, text in _FR_TEXT.items()}

LANGUAGES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"en": MappingProxyType(_EN), "fr": MappingProxyType(_FR)}
)

_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
}
_WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
}


def labels(lang: str) -> Mapping[str, str]:
    """The labels of `lang`; an unknown language is a ParcFermeError naming the known ones."""
    try:
        return LANGUAGES[lang]
    except KeyError:
        known = ", ".join(sorted(LANGUAGES))
        raise ParcFermeError(f"no labels for language {lang!r} (languages: {known})") from None


def format_date(day: dt.date, lang: str) -> str:
    """`Friday 5 May 2017` / `vendredi 5 mai 2017`."""
    weekday = _WEEKDAYS[lang].split()[day.weekday()]
    month = _MONTHS[lang].split()[day.month - 1]
    number = "1er" if lang == "fr" and day.day == 1 else str(day.day)
    return f"{weekday} {number} {month} {day.year}"


def format_decimal(value: float, places: int, lang: str) -> str:
    """A number for people: `168.4` in English, `168,4` in French (times keep their dot)."""
    text = f"{value:.{places}f}"
    return text.replace(".", ",") if lang == "fr" else text


def gap_text(gap: Gap | None, lang: str) -> str:
    """`+2.500`, `+1 Lap` / `+1 tour`, `+2 Laps` / `+2 tours`."""
    if gap is None:
        return ""
    words = labels(lang)
    if gap.laps > 0:
        return f"+{gap.laps} {words['gap_lap'] if gap.laps == 1 else words['gap_laps']}"
    return "" if gap.time is None else "+" + format_time(gap.time)


def status_text(status: Status, lang: str) -> str:
    return "" if status is Status.CLASSIFIED else labels(lang)[f"status.{status.value}"]


def session_name(session_id: str, kind: SessionKind, name: str, lang: str) -> str:
    """The session's display name; in French built from its kind and number (`Course 1`) when the
    event data names it the English way (`Race 1`), since event files hold one name only."""
    if lang == "en":
        return name or session_id
    digits = "".join(ch for ch in session_id if ch.isdigit())
    english = f"{_EN['kind.' + kind.value]} {digits}".strip()
    if not name or name in (english, session_id):
        return f"{labels(lang)['kind.' + kind.value]} {digits}".strip()
    return name


def decision_text(decision: Decision, lang: str) -> str:
    """What was decided, in words: `5 s time penalty`, `Pénalité de 5 s`, `3-place grid drop`…"""
    template = labels(lang)[f"dk.{decision.kind.value}"]
    text = template.format(
        seconds=_seconds(decision.time),
        laps=decision.laps,
        lap=decision.lap,
        places=decision.places,
        nbsp=NBSP,
    )
    if decision.served and decision.kind in (DecisionKind.DRIVE_THROUGH, DecisionKind.STOP_GO):
        text += f" ({labels(lang)['served']})"
    return text


def _seconds(micros: int) -> str:
    whole, rest = divmod(micros, MICROS_PER_SECOND)
    return str(whole) if not rest else format_time(micros)


NEUTRALISATION_KEYS: Mapping[TrackStatus, str] = MappingProxyType(
    {
        TrackStatus.SC: "ts.sc",
        TrackStatus.VSC: "ts.vsc",
        TrackStatus.FCY: "ts.fcy",
        TrackStatus.CODE60: "ts.code60",
    }
)

# Short marks in the lap analysis' status column; the same in both languages, as on timing screens.
STATUS_MARKS: Mapping[TrackStatus, str] = MappingProxyType(
    {
        TrackStatus.SC: "SC",
        TrackStatus.VSC: "VSC",
        TrackStatus.FCY: "FCY",
        TrackStatus.CODE60: "C60",
        TrackStatus.YELLOW: "Y",
        TrackStatus.RED: "RED",
    }
)


# ── championship tie notes ─────────────────────────────────────────────────────────────────────────────
#
# The standings engine words its tie notes in English (`TieNote.text`: "tied on 30 pts: 1 2nd place to 0").
# French documents translate the phrasings it produces (engine/tiebreak.py); anything else is left as the
# engine wrote it rather than guessed at.

_FR_TIE: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\d+) wins? to (\d+)$"), "{0} victoire{s0} contre {1}"),
    (re.compile(r"^(\d+) (\d+)(?:st|nd|rd|th) places? to (\d+)$"), "{0} place{s0} de {1}e contre {2}"),
    (re.compile(r"^better result in (.+): (.+) to (.+)$"), "meilleur résultat en {0} : {1} contre {2}"),
    (re.compile(r"^not separated by the tie-break rules: .*$"), "non départagés : place partagée"),
)
_FR_SUFFIX = (" (finishing order, classified or not)", " (ordre d’arrivée, classés ou non)")


def _fr_place(text: str) -> str:
    """`round 1 R2` → `manche 1 R2`, `1st` → `1er`, `5th` → `5e`, `no result` → `aucun résultat`."""
    if text == "no result":
        return "aucun résultat"
    if text.startswith("round "):
        return "manche " + text[len("round ") :]
    found = re.fullmatch(r"(\d+)(?:st|nd|rd|th)", text)
    if found:
        number = int(found.group(1))
        return "1er" if number == 1 else f"{number}e"
    return text


def _fr_tie_detail(detail: str) -> str:
    suffix = ""
    if detail.endswith(_FR_SUFFIX[0]):
        detail, suffix = detail[: -len(_FR_SUFFIX[0])], _FR_SUFFIX[1]
    for pattern, template in _FR_TIE:
        found = pattern.match(detail)
        if found:
            parts = [_fr_place(g) for g in found.groups()]
            plural = "s" if parts and parts[0].isdigit() and int(parts[0]) > 1 else ""
            return template.format(*parts, s0=plural) + suffix
    return detail + (_FR_SUFFIX[0] if suffix else "")


def points_text(points: Fraction, lang: str) -> str:
    """Championship points for people: `25`, `10.5` / `10,5`, `11⅓`."""
    text = format_points(points)
    return text.replace(".", ",") if lang == "fr" else text


def tie_text(note: TieNote, lang: str) -> str:
    """A tie note in words: the engine's own in English (`tied on 30 pts: 1 2nd place to 0`), translated
    in French (`ex æquo à 30 pts : 1 place de 2e contre 0`)."""
    if lang != "fr":
        return note.text
    head = f"ex æquo à {points_text(note.points, lang)} pts"
    return _french(f"{head} : {_fr_tie_detail(note.detail)}") if note.detail else head
