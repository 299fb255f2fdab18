"""entries.csv of the event folder: one line per car → Entry (docs/event-format.md#entriescsv)."""

from __future__ import annotations

import re
from pathlib import Path
from types import MappingProxyType

from parcferme.formats.csvio import CsvFile
from parcferme.formats.values import parse_bool, split_list
from parcferme.model.entries import AttributeValue, Driver, Entry

ENTRY_COLUMNS = ("number", "drivers", "nationality", "team", "car", "transponder")
BOOL_ATTRIBUTES = frozenset({"rookie", "guest"})
LIST_ATTRIBUTES = frozenset({"championships"})
# Attributes with a meaning parcferme knows; any other extra column is a free string attribute.
STANDARD_ATTRIBUTES = frozenset({"class"}) | BOOL_ATTRIBUTES | LIST_ATTRIBUTES

_NUMBER = re.compile(r"^[A-Za-z0-9_-]+$")
_TRANSPONDER = re.compile(r"^[A-Za-z0-9]+$")


def read_entries(path: Path, source: str) -> tuple[tuple[Entry, ...], frozenset[str]]:
    """The entries, in file order, and the names of the file's attribute columns."""
    f = CsvFile(path, source)
    f.require("number", "drivers")
    attribute_columns = [(name, i) for i, name in enumerate(f.header) if name not in ENTRY_COLUMNS]
    i_number, i_drivers = f.index("number"), f.index("drivers")
    i_nationality, i_team, i_car, i_transponder = (
        f.index(c) for c in ("nationality", "team", "car", "transponder")
    )

    entries: list[Entry] = []
    number_lines: dict[str, int] = {}
    transponder_owner: dict[str, str] = {}
    for row in f.rows():
        number = row[i_number].strip()
        if not number:
            f.fail("empty car number", field="number")
        if _NUMBER.match(number) is None:
            f.fail(f"not a car number: {number!r} (expected letters, digits, '-' or '_')", field="number")
        if number in number_lines:
            f.fail(f"car number {number!r} already entered on line {number_lines[number]}", field="number")
        number_lines[number] = f.line

        drivers = _drivers(f, row[i_drivers], row[i_nationality] if i_nationality >= 0 else "")

        transponders = split_list(row[i_transponder]) if i_transponder >= 0 else ()
        for transponder in transponders:
            if _TRANSPONDER.match(transponder) is None:
                f.fail(
                    f"not a transponder id: {transponder!r} (expected letters and digits)",
                    field="transponder",
                )
            owner = transponder_owner.get(transponder)
            if owner is not None:
                whose = "this entry" if owner == number else f"car {owner!r}"
                f.fail(f"transponder {transponder!r} is already given to {whose}", field="transponder")
            transponder_owner[transponder] = number

        attributes: dict[str, AttributeValue] = {}
        for name, i in attribute_columns:
            cell = row[i].strip()
            if name in BOOL_ATTRIBUTES:
                try:
                    attributes[name] = parse_bool(cell)
                except ValueError as exc:
                    f.fail(str(exc), field=name)
            elif name in LIST_ATTRIBUTES:
                if items := split_list(cell):
                    attributes[name] = items
            elif cell:
                attributes[name] = cell

        entries.append(
            Entry(
                number=number,
                drivers=drivers,
                team=row[i_team].strip() if i_team >= 0 else "",
                car=row[i_car].strip() if i_car >= 0 else "",
                transponders=transponders,
                attributes=MappingProxyType(attributes),
            )
        )
    return tuple(entries), frozenset(name for name, _ in attribute_columns)


def _drivers(f: CsvFile, cell: str, nationality_cell: str) -> tuple[Driver, ...]:
    """`de Narda, Joffrey; Lapierre, Christophe` with `FRA;FRA` → drivers in order."""
    names = [part.strip() for part in cell.split(";") if part.strip()]
    if not names:
        f.fail('no driver: expected "Last, First", several separated by ";"', field="drivers")
    nationalities = [""] * len(names)
    if nationality_cell.strip():
        nationalities = [part.strip() for part in nationality_cell.split(";")]
        if len(nationalities) != len(names):
            f.fail(
                f"{len(nationalities)} nationalities for {len(names)} drivers "
                '(expected one per driver, separated by ";")',
                field="nationality",
            )
    drivers: list[Driver] = []
    for name, nationality in zip(names, nationalities, strict=True):
        last, comma, first = name.partition(",")
        if not comma:
            f.fail(
                f'driver {name!r} has no comma: expected "Last, First" (e.g. "de Narda, Joffrey")',
                field="drivers",
            )
        if not last.strip():
            f.fail(f'driver {name!r} has no last name: expected "Last, First"', field="drivers")
        drivers.append(Driver(first_name=first.strip(), last_name=last.strip(), nationality=nationality))
    return tuple(drivers)
