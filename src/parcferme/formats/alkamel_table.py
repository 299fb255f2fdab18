"""The Al Kamel analysis CSV as a table of columns, converted in bulk, with errors located to the line.

Format facts (../shared/data/wec/README.md): ';'-separated with a trailing ';' on every line, the first 15
header names carry a leading space, CRLF or LF, no quoting. A 24-hour race is ~1.6·10⁴ rows of 30 cells,
so the usual file is split a thousand lines at a time by `str.split` and each column is a strided slice of
the cells (no list per row); a file with quoted cells (a writer quotes a cell holding ';') or lines of
unequal length goes through `csv` and a list per row. A column of times is then checked whole, its cells
joined, by one regular expression for the shapes Al Kamel writes, and converted from that joined text by a
few C-level passes (`_clock_micros`, `_seconds_micros`); only a column that fails is converted cell by cell
with `parse_clock`, to name the line of the first bad cell.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import compress, repeat
from operator import floordiv, not_, sub
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
_SCALE = (0, 100_000, 10_000, 1000, 100, 10, 1)  # µs per unit of a fraction with 1…6 digits
_FEW_EMPTY = 64  # empty cells in a column found one by one in its joined text (`_empty_rows`)
_CHUNK_CHARS = 150_000  # about a thousand lines of a 24-hour WEC file (`Table._uniform`)


class Table:
    """A CSV table's named columns: `cells(name)` gives one column, row i being data line `lines[i]`."""

    def __init__(self, text: str, source: str, wanted: Wanted | None = None) -> None:
        """`wanted` picks, from the header's (upper-case) names, the columns the caller will read: only
        those are kept (None keeps them all)."""
        self.source = source
        self._wanted = wanted
        self._data: dict[int, list[str]] = {}
        self._padded = True
        self._cache: dict[str, list[str]] = {}
        self.lines: list[int] = []  # the line number of each data row
        if '"' not in text and self._uniform(text):
            self.size = len(self.lines)
            return
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
        if lines:
            self._split(lines)
        else:
            self.lines = [n for n, _ in numbered[1:]]
            self._from_rows([row for _, row in numbered[1:]])
        self.size = len(self.lines)

    def _uniform(self, text: str) -> bool:
        """The usual file — the header on line 1, then lines that all have as many cells as the header
        names or more, LF or CRLF line ends — read as `_split` reads lines, but in chunks cut from the text
        itself (no list of lines to make and join again). Anything else returns False and the file is read
        line by line. The only errors raised are those that reading would raise too: the header's, and a
        cell beyond the named columns (only once every line is known to be of one length)."""
        newline = text.find("\n")
        header = text[:newline]
        if newline < 0 or not header.strip(_BLANK) or "\r" in header[:-1]:
            return False  # one line, a blank first line, a CR that does not end a line
        end = len(text)  # the data: up to the end of the last line that is not blank
        while not text[(cut := text.rfind("\n", newline, end)) + 1 : end].strip(_BLANK):
            if cut == newline:
                return False  # no data line
            end = cut
        data_end = text.find("\n", newline + 1, end)
        stride = text[newline + 1 : data_end if data_end >= 0 else end].count(";") + 2  # cells, marker
        cells = stride - 1
        self.header_line = 1
        self._header(header.split(";"))
        width = len(self.columns)
        if cells < max(width, 2):  # fewer cells than names; one column (an empty line would pass)
            return False
        kept = self._kept()
        data: dict[int, list[str]] = {j: [] for j in kept}
        padded = False
        too_long: int | None = None  # the first row with a cell beyond the named columns
        row = 0  # of the chunk's first line, from 0
        ending_cr = 0  # data lines that end with a CR
        start = newline + 1
        while start <= end:
            stop = text.find("\n", start + _CHUNK_CHARS, end)
            stop = end if stop < 0 else stop
            size = text.count("\n", start, stop) + 1
            chunk = text[start:stop].replace("\n", ";\n;")  # as `_split` joins lines
            flat = chunk.split(";")
            if len(flat) != size * stride - 1 or flat[cells::stride].count("\n") != size - 1:
                return False  # lines of unequal length, or an empty line
            padded = padded or "; " in chunk or " ;" in chunk or "\t" in chunk or chunk[:1] == " "
            padded = padded or chunk.endswith(" ")
            last_cells = flat[cells - 1 :: stride]
            crs = last_cells.count("\r")
            ending_cr += crs if crs == size else sum(map(str.endswith, last_cells, repeat("\r")))
            # `_split` joins lines a thousand at a time, and a chunk ending " \r" counts as padded there
            for k in range((_CHUNK - 1 - row) % _CHUNK, size, _CHUNK):
                padded = padded or last_cells[k].endswith(" \r")
            for j in kept:
                data[j] += flat[j::stride]
            for j in range(width, cells if too_long is None else width):
                extra = flat[j::stride]  # beyond the named columns (the trailing ';'): must be empty
                if extra.count("\r") + extra.count("") == len(extra):  # CRs or nothing (the usual)
                    continue
                if any(extra) and any(map(str.strip, extra)):
                    too_long = row + next(i for i, cell in enumerate(extra) if cell.strip())
                    break
            row += size
            start = stop + 1
        padded = padded or flat[-1].endswith(" \r")  # the last line ends the last chunk of `_split`
        after = text[end:].split("\n")  # "" and the blank lines after the data
        other_cr = header.endswith("\r") + sum(map(str.endswith, after, repeat("\r")))
        if text.count("\r") != ending_cr + other_cr:
            return False  # a CR that does not end a line: the lines are cut at every CR then
        self.lines = list(range(2, 2 + row))
        if too_long is not None:
            self.fail(f"{cells} cells but the header names {width} columns", self.lines[too_long])
        last = cells - 1
        if last in data and ending_cr:
            data[last] = list(map(str.strip, data[last]))  # CRLF: the CR ends every line's last cell
        self._padded = padded
        self._data = data
        return True

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
        freed before the next is split, so their memory is reused); else a padded row per line.

        Lines are joined with ';\\n;', which adds a cell "\\n" after each line but a chunk's last: every
        line has as many cells as the first exactly when these markers fall every `stride` cells (no line
        holds a "\\n"). That spares counting each line's ';'.
        """
        while lines and not lines[-1].strip(_BLANK):
            lines.pop()  # the newline that ends the file, and any blank lines after the data
        first = self.header_line + 1
        width = len(self.columns)
        stride = lines[0].count(";") + 2 if lines and all(lines) else 0  # a line's cells, then the marker
        cells = stride - 1
        if cells >= width:
            kept = self._kept()
            data: dict[int, list[str]] = {j: [] for j in kept}
            padded = False
            too_long: int | None = None  # the first row with a cell beyond the named columns
            for start in range(0, len(lines), _CHUNK):
                chunk = ";\n;".join(lines[start : start + _CHUNK])
                flat = chunk.split(";")
                size = min(_CHUNK, len(lines) - start)
                if len(flat) != size * stride - 1 or flat[cells::stride].count("\n") != size - 1:
                    break  # lines of unequal length
                # a cell starting or ending with a space, or a tab: the columns' cells are probed (`cells`)
                padded = padded or "; " in chunk or " ;" in chunk or "\t" in chunk or chunk[:1] == " "
                padded = padded or chunk.endswith((" ", " \r"))
                for j in kept:
                    data[j] += flat[j::stride]
                for j in range(width, cells if too_long is None else width):
                    extra = flat[j::stride]  # beyond the named columns (the trailing ';'): must be empty
                    if extra.count("\r") + extra.count("") == len(extra):  # CRs or nothing (the usual)
                        continue
                    if any(extra) and any(map(str.strip, extra)):
                        too_long = start + next(i for i, cell in enumerate(extra) if cell.strip())
                        break
            else:
                self.lines = list(range(first, first + len(lines)))
                if too_long is not None:
                    self.fail(f"{cells} cells but the header names {width} columns", self.lines[too_long])
                last = cells - 1
                if last in data and any(map(str.endswith, lines, repeat("\r"))):
                    data[last] = list(map(str.strip, data[last]))  # CRLF: the CR ends every line's last cell
                self._padded = padded
                self._data = data
                return
        numbered = [(n, line.split(";")) for n, line in enumerate(lines, first) if line.strip(_BLANK)]
        self.lines = [n for n, _ in numbered]
        self._from_rows([row for _, row in numbered])

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

    def release(self) -> None:
        """Drop the cells: a reader done with the table frees them at once."""
        self._data = {}
        self._cache = {}

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
        fast = _in_bulk(cells, _CLOCK_COLUMN, _clock_micros)
        if fast is not None:
            return fast
        return self.convert(column, cells, parse_clock, CLOCK_CHARS, _CLOCK)

    def required_clocks(self, column: str) -> list[int]:
        return _no_gap(self, column, self.clocks(column), "a time")

    def seconds(self, column: str) -> list[int | None]:
        """Decimal seconds (`86.214`) in µs. With exactly three decimals everywhere (as Al Kamel writes
        them), the cells are whole milliseconds once the dot is dropped: one `int` per cell, no parsing."""
        cells = self.cells(column)
        fast = _in_bulk(cells, _SECONDS_COLUMN, _seconds_micros)
        if fast is not None:
            return fast
        return self.convert(column, cells, parse_clock, DECIMAL_CHARS, _SECONDS)

    def decimals(self, column: str) -> list[float | None]:
        """Speeds (`316.3`) as floats: km/h are not timing, so no exact integer is needed."""
        return self.convert(column, self.cells(column), float, DECIMAL_CHARS, "a number such as 316.3")

    def whole_numbers(self, column: str, minimum: int) -> list[int | None]:
        cells = self.cells(column)
        joined = "".join(cells)
        if joined.isascii() and joined.isdigit() and "" not in cells:  # ASCII digits only: int() takes them
            try:
                numbers = list(map(int, cells))
            except ValueError:  # a number too long for int() (sys.get_int_max_str_digits): located below
                pass
            else:
                low = min(numbers, default=minimum)
                if low < minimum:
                    self.fail_at(
                        numbers.index(low),
                        f"expected a whole number of at least {minimum}, got {low}",
                        column,
                    )
                return cast(list[int | None], numbers)
        values = self.convert(column, cells, int, DIGITS, "a whole number")
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


# The shapes converted in bulk, each cell (possibly empty) followed by ';' but the last: a clock with whole
# milliseconds — `ss.fff` (at most 99 s), `m:ss.fff` (at most 99 min) or `h:mm:ss.fff` — and decimal seconds
# with three decimals. ASCII digits only ([0-9], not \d): int() would take other scripts' digits too.
_CLOCK_CELL = r"(?>(?:[0-9]++:[0-5][0-9]:|[0-9]{1,2}+:)[0-5][0-9]|[0-9]{1,2}+)\.[0-9]{3}"
_CLOCK_COLUMN = re.compile(rf"(?:{_CLOCK_CELL})?+(?:;(?:{_CLOCK_CELL})?+)*+")
_MILLIS_CELL = r"[0-9]++\.[0-9]{3}"
_SECONDS_COLUMN = re.compile(rf"(?:{_MILLIS_CELL})?+(?:;(?:{_MILLIS_CELL})?+)*+")


def _in_bulk(
    cells: list[str], shape: re.Pattern[str], convert: Callable[[str], list[int]]
) -> list[int | None] | None:
    """A column converted in a few C-level passes, or None when a cell has another shape (the caller
    then converts cell by cell, naming the first bad one). `shape` checks every cell at once on the
    cells joined by ';'; `convert` turns that joined text into one value per cell (0 for an empty one,
    which becomes None here)."""
    count = len(cells)
    joined = ";".join(cells)
    if not cells or joined.count(";") != count - 1:  # no cells; a ';' inside a (quoted) cell
        return [] if not cells else None
    if count == 1 and not joined:
        return [None]
    if ";;" in joined or joined[:1] == ";" or joined[-1:] == ";":  # empty cells
        pairs = joined.count(";;")  # about half the empty cells, at the least
        filled = list(filter(None, cells)) if pairs > _FEW_EMPTY else cells
        if len(filled) * 2 < count:  # mostly empty (PIT_TIME): convert the filled cells only
            if not filled:
                return [None] * count
            values = _in_bulk(filled, shape, convert)
            return None if values is None else list(map(dict(zip(filled, values, strict=True)).get, cells))
        result = _converted(joined, shape, convert)
        if result is not None:
            for row in _empty_rows(cells, joined, pairs):
                result[row] = None
        return result
    return _converted(joined, shape, convert)


def _empty_rows(cells: list[str], joined: str, pairs: int) -> Iterable[int]:
    """The rows of the empty cells, found in the joined text when there are a few (a ';' at either end
    or two together)."""
    if pairs > _FEW_EMPTY:
        return compress(range(len(cells)), map(not_, cells))
    rows = [0] if joined[:1] == ";" else []
    at = joined.find(";;")
    while at >= 0:
        rows.append(joined.count(";", 0, at) + 1)
        at = joined.find(";;", at + 1)
    if joined[-1:] == ";":
        rows.append(len(cells) - 1)
    return rows


def _converted(
    joined: str, shape: re.Pattern[str], convert: Callable[[str], list[int]]
) -> list[int | None] | None:
    if shape.fullmatch(joined) is None:
        return None
    try:
        return cast(list[int | None], convert(joined))
    except ValueError:  # a number too long for int() (sys.get_int_max_str_digits)
        return None


def _seconds_micros(joined: str) -> list[int]:
    """`86.214;99.894` → µs: whole milliseconds once the dot is dropped, µs with three more zeros."""
    return list(map(int, (joined.replace(".", "").replace(";", "000;") + "000").split(";")))


def _clock_micros(joined: str) -> list[int]:
    """`3:53.276;24:01:28.482` → µs, the cells' shapes checked by `_CLOCK_COLUMN`.

    With the ':' and '.' dropped and three zeros added, a cell reads as one number N = (h·100 + m)·10⁸ +
    ss·10⁶ + fff·10³, and its µs are N − 40·10⁶·q − 2.4·10⁹·(q // 100) with q = N // 10⁸ = h·100 + m: a
    hundred minutes counted where there are sixty, a hundred hours where there are sixty minutes (for
    `m:ss.fff`, m < 100 and q = m). The few distinct q of a column (a few hundred in 24 hours) each have
    their offset computed once.
    """
    digits = joined.replace(":", "").replace(".", "").replace(";", "000;") + "000"
    micros = list(map(int, digits.split(";")))
    heads = list(map(floordiv, micros, repeat(100_000_000)))
    offsets = {q: q * 40_000_000 + q // 100 * 2_400_000_000 for q in set(heads)}
    return list(map(sub, micros, map(offsets.__getitem__, heads)))


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
