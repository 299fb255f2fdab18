"""The Al Kamel analysis CSV as a table of columns, converted in bulk, with errors located to the line.

Format facts (../shared/data/wec/README.md): ';'-separated with a trailing ';' on every line, the first 15
header names carry a leading space, CRLF or LF, no quoting. A 24-hour race is ~1.6·10⁴ rows of 30 cells,
so the usual file is split in one `str.split` and each column is a strided slice of the cells (no list per
row); a file with quoted cells (a writer quotes a cell holding ';') or lines of unequal length goes through
`csv` and a list per row. Each column is then converted in one C-level `map` after one check over the whole
column; only a column that fails that is walked cell by cell, to name the line of the first bad cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import repeat
from operator import add, itemgetter, mul
from typing import NoReturn, TypeVar, cast

from parcferme.errors import InputError

_T = TypeVar("_T")
Wanted = Callable[[tuple[str, ...]], Iterable[str]]
_BLANK = " \t;\r"
_CHUNK = 1000  # lines split at a time
CLOCK_CHARS = str.maketrans("", "", "0123456789:.")
DECIMAL_CHARS = str.maketrans("", "", "0123456789.")
DIGITS = str.maketrans("", "", "0123456789")
_CLOCK = "a time such as 3:53.276, 45.985 or 24:01:28.482"
_SECONDS = "a number of seconds such as 86.214"
_EMPTY_AS_ZERO = {"": "0"}
_dot_at_minus_4 = itemgetter(-4)
_SCALE = (0, 100_000, 10_000, 1000, 100, 10, 1)  # µs per unit of a fraction with 1…6 digits


class Table:
    """A CSV table's named columns: `cells(name)` gives one column, row i being data line `lines[i]`."""

    def __init__(self, text: str, source: str, wanted: Wanted | None = None) -> None:
        """`wanted` picks, from the header's (upper-case) names, the columns the caller will read: only
        those are kept (None keeps them all)."""
        self.source = source
        self._wanted = wanted
        lines: list[str] = []
        if '"' in text:
            numbered = _quoted_rows(text, source)
        else:
            # CRLF: split on LF alone; each line keeps its CR, which lands in the last cell (stripped there)
            lines = text.split("\n")
            if "\r" in text and text.count("\r") != sum(map(str.endswith, lines, repeat("\r"))):
                # a CR that does not end a line: old Mac line ends, or mixed
                lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            first = next((i for i, line in enumerate(lines) if line.strip(_BLANK)), len(lines))
            numbered = [(first + 1, lines[first].split(";"))] if first < len(lines) else []
            del lines[: first + 1]
        if not numbered:
            raise InputError("empty file: expected a header line naming the columns", source=source, line=1)
        self.header_line, header = numbered[0]
        self._header(header)
        self._data: dict[int, list[str]] = {}
        self._padded = True
        if lines:
            self._split(lines)
        else:
            self.lines = [n for n, _ in numbered[1:]]
            self._from_rows([row for _, row in numbered[1:]])
        self.size = len(self.lines)
        self._cache: dict[str, list[str]] = {}

    def _header(self, header: list[str]) -> None:
        names = [cell.strip().upper() for cell in header]
        while names and not names[-1]:
            names.pop()  # the trailing ';' leaves an empty last name
        self.names = [cell.strip() for cell in header[: len(names)]]
        self.columns: dict[str, int] = {}
        for index, name in enumerate(names):
            if not name:
                self.fail(f"column {index + 1} of the header has no name", self.header_line)
            if name in self.columns:
                self.fail(f"column {name!r} appears twice in the header", self.header_line, name)
            self.columns[name] = index

    def _kept(self) -> list[int]:
        if self._wanted is None:
            return list(self.columns.values())
        wanted = set(self._wanted(tuple(self.columns)))
        return [i for name, i in self.columns.items() if name in wanted]

    def _split(self, lines: list[str]) -> None:
        """The data lines. When all have as many cells (no fewer than the header names), they are split
        in chunks of joined lines, keeping the wanted columns as strided slices (a chunk's other cells are
        freed before the next is split, so their memory is reused); else a padded row per line."""
        while lines and not lines[-1].strip(_BLANK):
            lines.pop()  # the newline that ends the file, and any blank lines after the data
        first = self.header_line + 1
        counts = set(map(str.count, lines, repeat(";")))
        width = len(self.columns)
        if not (len(counts) == 1 and all(lines) and (stride := counts.pop() + 1) >= width):
            numbered = [(n, line.split(";")) for n, line in enumerate(lines, first) if line.strip(_BLANK)]
            self.lines = [n for n, _ in numbered]
            self._from_rows([row for _, row in numbered])
            return
        self.lines = list(range(first, first + len(lines)))
        kept = self._kept()
        data: dict[int, list[str]] = {j: [] for j in kept}
        padded = False
        for start in range(0, len(lines), _CHUNK):
            chunk = ";".join(lines[start : start + _CHUNK])
            padded = padded or "; " in chunk or " ;" in chunk or "\t" in chunk or chunk[:1] == " "
            padded = padded or chunk.endswith((" ", " \r"))
            flat = chunk.split(";")
            for j in kept:
                data[j] += flat[j::stride]
            for j in range(width, stride):  # cells beyond the named columns (the trailing ';') must be empty
                cells = flat[j::stride]
                if any(cells) and any(map(str.strip, cells)):
                    row = start + next(i for i, cell in enumerate(cells) if cell.strip())
                    self.fail(f"{stride} cells but the header names {width} columns", self.lines[row])
        last = stride - 1
        if last in data and any(map(str.endswith, lines, repeat("\r"))):
            data[last] = list(map(str.strip, data[last]))  # CRLF: the CR ends every line's last cell
        self._padded = padded
        self._data = data

    def _from_rows(self, rows: list[list[str]]) -> None:
        """Rows of any length: padded (a spreadsheet drops trailing empty cells) or cut (extra cells must be
        empty); every column is then probed for padding spaces."""
        width = len(self.columns)
        for i, row in enumerate(rows):
            if len(row) < width:
                rows[i] = row + [""] * (width - len(row))
            elif len(row) > width and any(cell.strip() for cell in row[width:]):
                self.fail(f"{len(row)} cells but the header names {width} columns", self.lines[i])
        self._data = {j: [row[j] for row in rows] for j in self._kept()}

    def fail(self, message: str, line: int | None = None, field: str | None = None) -> NoReturn:
        raise InputError(message, source=self.source, line=line, field=field)

    def fail_at(self, row: int, message: str, column: str | None = None) -> NoReturn:
        self.fail(message, self.lines[row], None if column is None else self.field(column))

    def field(self, column: str) -> str:
        """The column's name as the header spells it (without the padding spaces)."""
        index = self.columns.get(column)
        return column if index is None else self.names[index]

    def has(self, column: str) -> bool:
        return column in self.columns

    def require(self, *columns: str) -> None:
        for column in columns:
            if column not in self.columns:
                self.fail(
                    f"missing column {column!r}: not an Al Kamel analysis file? (the header has: "
                    f"{', '.join(self.names)})",
                    self.header_line,
                    column,
                )

    def cells(self, column: str) -> list[str]:
        """The column's cells without padding spaces; all "" when the file has no such column."""
        cached = self._cache.get(column)
        if cached is not None:
            return cached
        index = self.columns.get(column)
        if index is None:
            return [""] * self.size
        if index not in self._data:
            raise KeyError(f"{column} was not asked for when the table was read")  # a bug, not bad input
        cells = self._data[index]
        if self._padded:
            probe = "\n".join(cells)
            if (
                probe[:1].isspace()
                or probe[-1:].isspace()
                or " \n" in probe
                or "\n " in probe
                or "\t" in probe
                or "\r" in probe
            ):
                cells = list(map(str.strip, cells))
        self._cache[column] = cells
        return cells

    def convert(
        self,
        column: str,
        cells: list[str],
        convert: Callable[[str], _T],
        allowed: dict[int, int | None],
        what: str,
    ) -> list[_T | None]:
        """Each non-empty cell converted (None for an empty one); a bad cell is an InputError on its line.

        `allowed` deletes (str.translate) the characters the column may hold: a column that holds nothing
        else can go through `convert` in bulk, since int() and float() then meet no sign, space, underscore,
        exponent, "nan" or non-ASCII digit.
        """
        joined = "".join(cells)
        if joined.isascii() and not joined.translate(allowed):
            try:
                if "" not in cells:
                    return list(map(convert, cells))
                return [convert(cell) if cell else None for cell in cells]
            except (ValueError, OverflowError):
                pass  # locate the bad cell below
        for row, cell in enumerate(cells):
            if cell:
                self.convert_cell(row, column, cell, convert, allowed, what)
        raise AssertionError("unreachable: a column that failed in bulk has a bad cell")  # pragma: no cover

    def convert_cell(
        self,
        row: int,
        column: str,
        cell: str,
        convert: Callable[[str], _T],
        allowed: dict[int, int | None],
        what: str,
    ) -> _T:
        """One cell converted, or an InputError naming its line and column."""
        try:
            if not cell.isascii() or cell.translate(allowed):
                raise ValueError(cell)
            return convert(cell)
        except (ValueError, OverflowError):
            self.fail_at(row, f"not {what}: {cell!r}", column)

    def clocks(self, column: str) -> list[int | None]:
        """Durations in µs (`3:53.276`, `45.985`, `24:01:28.482`, `0:01:27.261`); None for an empty cell."""
        cells = self.cells(column)
        if "" not in cells:
            fast = _clock_column(cells)
            if fast is not None:
                return fast  # type: ignore[return-value]  # list[int] is a list[int | None] here
        return self.convert(column, cells, parse_clock, CLOCK_CHARS, _CLOCK)

    def required_clocks(self, column: str) -> list[int]:
        return _no_gap(self, column, self.clocks(column), "a time")

    def seconds(self, column: str) -> list[int | None]:
        """Decimal seconds (`86.214`) in µs. With exactly three decimals everywhere (as Al Kamel writes
        them), the cells are whole milliseconds once the dot is dropped: one `int` per cell, no parsing."""
        cells = self.cells(column)
        empty = [i for i, c in enumerate(cells) if not c] if "" in cells else []
        filled = [c for c in cells if c] if empty else cells
        joined = "".join(filled)
        if (
            joined.isascii()
            and not joined.translate(DECIMAL_CHARS)
            and joined.count(".") == len(filled)
            and min(map(len, filled), default=5) >= 5  # `s.fff` at the least
            and set(map(_dot_at_minus_4, filled)) <= {"."}
        ):
            text = map(_EMPTY_AS_ZERO.get, cells, cells) if empty else cells
            values: list[int | None] = list(
                map(mul, map(int, map(str.replace, text, repeat("."), repeat(""))), repeat(1000))
            )
            for i in empty:
                values[i] = None
            return values
        return self.convert(column, cells, parse_clock, DECIMAL_CHARS, _SECONDS)

    def decimals(self, column: str) -> list[float | None]:
        """Speeds (`316.3`) as floats: km/h are not timing, so no exact integer is needed."""
        return self.convert(column, self.cells(column), float, DECIMAL_CHARS, "a number such as 316.3")

    def whole_numbers(self, column: str, minimum: int) -> list[int | None]:
        values = self.convert(column, self.cells(column), int, DIGITS, "a whole number")
        low = min((v for v in values if v is not None), default=minimum)
        if low < minimum:
            self.fail_at(
                values.index(low), f"expected a whole number of at least {minimum}, got {low}", column
            )
        return values

    def required_whole_numbers(self, column: str, minimum: int) -> list[int]:
        return _no_gap(self, column, self.whole_numbers(column, minimum), "a whole number")


def _no_gap(table: Table, column: str, values: list[_T | None], what: str) -> list[_T]:
    if None in values:
        table.fail_at(values.index(None), f"empty cell: expected {what}", column)
    return cast(list[_T], values)  # no None left


def _clock_column(cells: list[str]) -> list[int] | None:
    """A column of `[h:mm:|m:]ss.fff` in bulk, or None when a cell has another shape (then parsed one by
    one). Each cell splits at its last ':' into a head (`3`, `24:01`: a few hundred distinct values in 24
    hours, each parsed once) and `ss.fff`, whole milliseconds once the dot is dropped."""
    joined = "".join(cells)
    if not joined.isascii() or joined.translate(CLOCK_CHARS):
        return None
    parts = list(map(str.rpartition, cells, repeat(":")))
    tails = list(map(_third, parts))
    if (
        set(map(len, tails)) != {6}
        or set(map(_third, tails)) != {"."}
        or not set(map(_first, tails)) <= _TENS
        or "".join(tails).count(".") != len(tails)  # one dot in each `ss.fff`
    ):
        return None
    heads = list(map(_first, parts))
    try:
        offsets = {head: parse_clock(head + ":00") if head else 0 for head in set(heads)}
    except ValueError:
        return None
    millis = map(int, map(str.replace, tails, repeat("."), repeat("")))  # digits only: checked above
    return list(map(add, map(offsets.__getitem__, heads), map(mul, millis, repeat(1000))))


_first = itemgetter(0)
_third = itemgetter(2)
_TENS = frozenset("012345")


def parse_clock(text: str) -> int:
    """`[[h:]mm:]ss[.ffffff]` → µs. The caller has checked the text holds only digits, ':' and '.'.

    Hand-written rather than a regular expression: it runs once per cell of a few columns of a
    10⁴–10⁵-row file, and this is about twice as fast as `model.time.parse_time`.
    """
    whole, dot, frac = text.partition(".")
    head, colon, secs = whole.rpartition(":")
    seconds = int(secs)
    if colon:
        if seconds >= 60 or len(secs) != 2:
            raise ValueError(text)
        hours, colon, mins = head.rpartition(":")
        minutes = int(mins)
        if colon:
            if minutes >= 60 or len(mins) != 2:
                raise ValueError(text)
            minutes += int(hours) * 60
        seconds += minutes * 60
    if not dot:
        return seconds * 1_000_000
    digits = len(frac)
    if digits == 3:
        return seconds * 1_000_000 + int(frac) * 1000
    if not 0 < digits <= 6:
        raise ValueError(text)
    return seconds * 1_000_000 + int(frac) * _SCALE[digits]


def _quoted_rows(text: str, source: str) -> list[tuple[int, list[str]]]:
    """Rows through the csv module, for a file with quoted cells; blank lines left out."""
    import csv  # only here: Al Kamel files have no quotes, and the module is not needed at start-up
    import io

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if any(cell.strip(_BLANK) for cell in row):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise InputError(f"malformed CSV: {exc}", source=source, line=reader.line_num) from exc
    return rows
