"""Reading TOML files into checked values, with errors that name the file, the line and the key.

tomllib gives no line numbers for values, so `TomlDoc` keeps the text and finds the line of a key by
scanning the table headers and `key =` lines: good enough to point a person at the right place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, NoReturn

from parcferme.errors import InputError
from parcferme.formats.values import kind_of, parse_time_of_day, read_text, seconds_to_micros
from parcferme.model.time import MICROS_PER_SECOND

# patterns for error messages only: compiled (and cached by `re`) the first time an error needs them
_DECODE_POSITION = r"\s*\(at line (\d+), column \d+\)\s*$|\s*\(at end of document\)\s*$"
_HEADER = r"^\s*(\[\[?)\s*([^\]#]+?)\s*\]\]?\s*(?:#.*)?$"
_KEY = r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_-]+)\s*="""

Path_ = tuple[str | int, ...]


class TomlDoc:
    """A parsed TOML document and the means to locate its keys for error messages (the line index is
    built the first time a line is asked for: a document without errors never needs it)."""

    def __init__(self, text: str, source: str) -> None:
        import tomllib  # here: a process that only uses parsed documents (TomlDoc.parsed) never loads it

        self.source = source
        try:
            self.data: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            message = str(exc)
            line: int | None = None
            match = re.search(r"at line (\d+)", message)
            if match is not None:
                line = int(match[1])
            elif "end of document" in message:
                line = text.count("\n") + 1
            message = re.sub(_DECODE_POSITION, "", message)
            raise InputError(f"invalid TOML: {message}", source=source, line=line) from exc
        self._text: str | Callable[[], str] = text
        self._index: tuple[list[str], list[tuple[int, str, bool]]] | None = None

    @classmethod
    def read(cls, path: Path, source: str) -> TomlDoc:
        return cls(read_text(path, source), source)

    @classmethod
    def parsed(cls, data: dict[str, Any], source: str, text: Callable[[], str]) -> TomlDoc:
        """A document parsed earlier (what tomllib gave for its text); `text` gives the text again, for
        the line numbers of error messages."""
        doc = cls.__new__(cls)
        doc.source = source
        doc.data = data
        doc._text = text
        doc._index = None
        return doc

    def root(self) -> Table:
        return Table(self, self.data, ())

    def _lines_and_headers(self) -> tuple[list[str], list[tuple[int, str, bool]]]:
        """The text's lines, and its table headers as (line, dotted name, is an array of tables)."""
        if self._index is None:
            text = self._text if isinstance(self._text, str) else self._text()
            lines = text.splitlines()
            headers: list[tuple[int, str, bool]] = []
            for number, raw in enumerate(lines, start=1):
                match = re.match(_HEADER, raw)
                if match is not None:
                    name = ".".join(part.strip().strip("\"'") for part in match[2].split("."))
                    headers.append((number, name, match[1] == "[["))
            self._index = (lines, headers)
        return self._index

    def line_of(self, path: Path_) -> int | None:
        """Best-effort line of the value at `path` (keys and 0-based array indexes)."""
        lines, headers = self._lines_and_headers()
        # Find the deepest table header that is a prefix of the path.
        # The region (0-based, half-open) holding the remaining keys: before any header, at first.
        start, end = 0, headers[0][0] - 1 if headers else len(lines)
        header_line: int | None = None
        rest: Path_ = path
        for depth in range(len(path), 0, -1):
            prefix = path[:depth]
            found = self._find_header(prefix)
            if found is not None:
                header_index, header_line = found
                start = header_line  # the line after the header (0-based index == 1-based header line)
                following = headers[header_index + 1 :]
                end = following[0][0] - 1 if following else len(lines)
                rest = path[depth:]
                break
        keys = [k for k in rest if isinstance(k, str)]
        if keys:
            for index in range(start, end):
                match = re.match(_KEY, lines[index])
                if match is not None and match[1].strip("\"'") == keys[0]:
                    return index + 1
        return header_line

    def _find_header(self, prefix: Path_) -> tuple[int, int] | None:
        """(index in headers, line) of the header for a table path such as ("sessions", 2, "grid")."""
        headers = self._lines_and_headers()[1]
        names = [k for k in prefix if isinstance(k, str)]
        if isinstance(prefix[-1], int):
            # an array of tables: the n-th [[name]] header
            name = ".".join(names)
            seen = -1
            for index, (line, header, is_array) in enumerate(headers):
                if is_array and header == name:
                    seen += 1
                    if seen == prefix[-1]:
                        return index, line
            return None
        name = ".".join(names)
        # a sub-table of the n-th array element: the first [name] header after that element's header
        after = 0
        if any(isinstance(k, int) for k in prefix):
            last_int = max(i for i, k in enumerate(prefix) if isinstance(k, int))
            owner = self._find_header(prefix[: last_int + 1])
            if owner is None:
                return None
            after = owner[0] + 1
        for index in range(after, len(headers)):
            line, header, is_array = headers[index]
            if not is_array and header == name:
                return index, line
        return None


def describe(path: Path_) -> str:
    """`sessions[2].grid.session` (array indexes shown from 1, as a person counts [[sessions]] tables)."""
    out = ""
    for key in path:
        if isinstance(key, int):
            out += f"[{key + 1}]"
        else:
            out += f".{key}" if out else key
    return out


class Table:
    """A TOML table being read: typed getters that raise an InputError naming the file, line and key."""

    def __init__(self, doc: TomlDoc, data: Mapping[str, Any], path: Path_) -> None:
        self.doc = doc
        self.data = data
        self.path = path

    def fail(self, message: str, *keys: str | int) -> NoReturn:
        """Raise an InputError at this table, or at the value under `keys` (e.g. "require", "class")."""
        path = (*self.path, *keys)
        line = self.doc.line_of(path)
        raise InputError(message, source=self.doc.source, line=line, field=describe(path) or None)

    def check_keys(self, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        for key in self.data:
            if key not in allowed:
                self.fail(f"unknown key {key!r} (allowed keys: {', '.join(allowed)})", key)

    def has(self, key: str) -> bool:
        return key in self.data

    def get(self, key: str) -> Any:
        """The raw value of a required key."""
        if key not in self.data:
            self.fail(f"missing key {key!r}", key)
        return self.data[key]

    # Each typed getter comes in two forms: get_X(key) for a required key, opt_X(key) → None when absent.

    def get_str(self, key: str, *, allow_empty: bool = False) -> str:
        value = self.get(key)
        if not isinstance(value, str):
            self.fail(f"expected a string, got {kind_of(value)}", key)
        if not allow_empty and not value.strip():
            self.fail("expected a non-empty string", key)
        return value.strip()

    def opt_str(self, key: str, *, allow_empty: bool = False) -> str | None:
        return self.get_str(key, allow_empty=allow_empty) if key in self.data else None

    def get_text(self, key: str) -> tuple[str, dict[str, str]]:
        """Free text, given once or per language: "…" → ("…", {}); { en = "…", fr = "…" } → (the English
        text, or the first one given, and every text by language code)."""
        value = self.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip(), {}
        if (
            isinstance(value, dict)
            and value
            and all(isinstance(v, str) and v.strip() for v in value.values())
        ):
            texts = {str(k): v.strip() for k, v in value.items()}
            return texts.get("en", next(iter(texts.values()))), texts
        self.fail('expected text, or texts by language such as { en = "…", fr = "…" }', key)

    def get_int(self, key: str, *, minimum: int | None = None) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"expected an integer, got {kind_of(value)}", key)
        if minimum is not None and value < minimum:
            self.fail(f"expected an integer of at least {minimum}, got {value}", key)
        return value

    def opt_int(self, key: str, *, minimum: int | None = None) -> int | None:
        return self.get_int(key, minimum=minimum) if key in self.data else None

    def get_bool(self, key: str) -> bool:
        value = self.get(key)
        if not isinstance(value, bool):
            self.fail(f"expected true or false, got {kind_of(value)}", key)
        return value

    def opt_bool(self, key: str) -> bool | None:
        return self.get_bool(key) if key in self.data else None

    def get_seconds(self, key: str) -> int:
        """A duration in µs from a number of seconds (5, 2.5) or a string ("20:00", "1:02.5", "83")."""
        try:
            return seconds_to_micros(self.get(key))
        except ValueError as exc:
            self.fail(str(exc), key)

    def opt_seconds(self, key: str) -> int | None:
        return self.get_seconds(key) if key in self.data else None

    def get_time_of_day(self, key: str) -> int:
        """µs since midnight from "14:05:00[.ffffff]" or a TOML local time (14:05:00)."""
        value = self.get(key)
        if isinstance(value, dt.time) and value.tzinfo is None:
            seconds = (value.hour * 60 + value.minute) * 60 + value.second
            return seconds * MICROS_PER_SECOND + value.microsecond
        if not isinstance(value, str):
            self.fail(f'expected a time of day "HH:MM:SS[.ffffff]", got {kind_of(value)}', key)
        try:
            return parse_time_of_day(value)
        except ValueError as exc:
            self.fail(str(exc), key)

    def table(self, key: str, *, required: bool = False) -> Table | None:
        if key not in self.data:
            if required:
                self.fail(f"missing table [{describe((*self.path, key))}]", key)
            return None
        value = self.data[key]
        if not isinstance(value, dict):
            self.fail(f"expected a table, got {kind_of(value)}", key)
        return Table(self.doc, value, (*self.path, key))

    def tables(self, key: str) -> list[Table]:
        """An array of tables ([[key]]); empty when absent."""
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            self.fail(f"expected an array of tables [[{describe((*self.path, key))}]]", key)
        return [Table(self.doc, item, (*self.path, key, i)) for i, item in enumerate(value)]
