"""The 38 entrants of the reconstruction.

Named drivers and their teams come from /work/shared/reference/SPA-2017.md. Car numbers, transponder ids,
unknown teams ("Team 40") and all placeholder entrants ("Entrant 41") are invented.
"""

from __future__ import annotations

from dataclasses import dataclass

CAR = "Porsche 911 GT3 Cup (991)"
MARTINET = "Martinet by Alméras"
LOEB = "Sébastien Loeb Racing"


@dataclass(frozen=True)
class Entrant:
    number: str
    last: str
    first: str = ""
    team: str = ""  # empty: a neutral "Team <number>" placeholder
    nationality: str = ""
    klass: str = ""  # "B" for gentlemen drivers; empty otherwise
    rookie: bool = False
    championship: str = "FR"  # "FR": French championship; "BNL": France/Benelux trophy only

    @property
    def driver(self) -> str:
        """`Last, First` as entries.csv wants it; placeholders have no first name."""
        return f"{self.last}, {self.first}" if self.first else f"{self.last},"

    @property
    def team_name(self) -> str:
        return self.team or f"Team {self.number}"


def _placeholder(number: str, **kwargs: object) -> Entrant:
    return Entrant(number, f"Entrant {number}", **kwargs)  # type: ignore[arg-type]


# The entrants SPA-2017.md names (numbers invented), then the placeholders.
NAMED = (
    Entrant("7", "Andlauer", "Julien", MARTINET, "FRA"),
    Entrant("8", "Latorre", "Florian", MARTINET, "FRA"),
    Entrant("9", "Misslin", "Nicolas", MARTINET, "FRA", klass="B"),
    Entrant("24", "Hasse-Clot", "Valentin", LOEB, "FRA", rookie=True),
    Entrant("25", "de Narda", "Joffrey", LOEB, "FRA"),
    Entrant("26", "Lindland", "Roar", LOEB, "NOR", klass="B"),
    Entrant("27", "Lapierre", "Christophe", LOEB, "FRA", klass="B"),
    Entrant("3", "Beltoise", "Vincent", "Saintéloc", "FRA"),
    Entrant("18", "Rovera", "Alessio", "Tsunami RT", "ITA"),
    Entrant("11", "Jung", "Antoine", "Team 85 / Bourgoin Racing", "FRA", rookie=True),
    Entrant("33", "Cypriano", "Lucile", "Racing Technology", "FRA", rookie=True),
    Entrant("40", "Derdaele", "Dylan", nationality="BEL", championship="BNL"),
    Entrant("44", "Perfetti", "Egidio", klass="B"),
    Entrant("16", "Gimbert", "Maxime"),
    Entrant("47", "Meulders", "Wim", nationality="BEL", championship="BNL"),
    Entrant("21", "Noël", "Sylvain"),
    Entrant("50", "Despriet", "Vincent", "Speedlover", championship="BNL"),
)
PLACEHOLDERS = (
    *(_placeholder(n) for n in ("2", "4", "5", "6", "10", "12", "14", "15", "17", "19", "20", "23")),
    *(_placeholder(n, rookie=True) for n in ("22", "34")),
    *(_placeholder(n, klass="B") for n in ("28", "29", "30", "31")),
    *(_placeholder(n, championship="BNL") for n in ("36", "41", "55")),
)
ENTRANTS = tuple(sorted((*NAMED, *PLACEHOLDERS), key=lambda e: int(e.number)))
BY_NUMBER = {e.number: e for e in ENTRANTS}

# Car numbers of the named drivers, for readable designs.
ANDLAUER, LATORRE, MISSLIN, HASSE_CLOT, DE_NARDA, LINDLAND, LAPIERRE = "7", "8", "9", "24", "25", "26", "27"
BELTOISE, ROVERA, JUNG, CYPRIANO, DERDAELE, PERFETTI = "3", "18", "11", "33", "40", "44"
GIMBERT, MEULDERS, NOEL, DESPRIET = "16", "47", "21", "50"

assert len(ENTRANTS) == 38 and len(BY_NUMBER) == 38, "38 cars on the grid (SPA-2017.md)"


def is_b(car: str) -> bool:
    e = BY_NUMBER[car]
    return e.championship == "FR" and e.klass == "B"


def is_rookie(car: str) -> bool:
    e = BY_NUMBER[car]
    return e.championship == "FR" and e.rookie


def is_french(car: str) -> bool:
    return BY_NUMBER[car].championship == "FR"


def name(car: str) -> str:
    return BY_NUMBER[car].last
