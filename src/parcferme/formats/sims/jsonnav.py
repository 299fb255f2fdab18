"""JSON for the sim readers: parsed once, then walked through nodes that know their path.

Every value is reached through a `Node`, so a wrong type or a missing key becomes an InputError naming the
file and the JSON path of the field (`sessionResult.leaderBoardLines[3].car.carId`), never a KeyError or a
TypeError. Parsing errors carry the line the parser stopped at.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import NoReturn

from parcferme.errors import InputError

__all__ = ["Node", "parse_json"]


def parse_json(text: str, source: str) -> Node:
    """The document's root node; malformed JSON is an InputError with the line where parsing failed."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON ({exc.msg})", source=source, line=exc.lineno) from exc
    except RecursionError as exc:  # "[[[[…" nested deeper than the interpreter's stack
        raise InputError("not usable JSON (nested too deeply)", source=source) from exc
    except ValueError as exc:  # an integer literal longer than Python's digit limit
        raise InputError(f"not usable JSON ({exc})", source=source) from exc
    return Node(value, "", source)


class Node:
    """One JSON value and where it sits in the document."""

    __slots__ = ("path", "source", "value")

    def __init__(self, value: object, path: str, source: str) -> None:
        self.value = value
        self.path = path
        self.source = source

    def fail(self, message: str) -> NoReturn:
        raise InputError(message, source=self.source, field=self.path or None)

    # -- structure -------------------------------------------------------------------------------------

    def _child_path(self, key: str | int) -> str:
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def _object(self) -> dict[str, object]:
        if not isinstance(self.value, dict):
            self.fail(f"expected a JSON object, got {_kind(self.value)}")
        return self.value

    def has(self, key: str) -> bool:
        """Whether the object holds `key` with a non-null value."""
        return self._object().get(key) is not None

    def key(self, key: str) -> Node:
        """A required member of an object (null counts as missing)."""
        obj = self._object()
        if obj.get(key) is None:
            Node(None, self._child_path(key), self.source).fail("missing (required)")
        return Node(obj[key], self._child_path(key), self.source)

    def opt(self, key: str) -> Node | None:
        """An optional member: None when absent or null."""
        value = self._object().get(key)
        return None if value is None else Node(value, self._child_path(key), self.source)

    def items(self) -> Iterator[Node]:
        """The elements of an array."""
        if not isinstance(self.value, list):
            self.fail(f"expected a JSON array, got {_kind(self.value)}")
        for i, value in enumerate(self.value):
            yield Node(value, self._child_path(i), self.source)

    def opt_items(self, key: str) -> list[Node]:
        """The elements of an optional array member (absent or null: none)."""
        child = self.opt(key)
        return [] if child is None else list(child.items())

    # -- scalars ---------------------------------------------------------------------------------------

    def as_int(self) -> int:
        """An integer; a float with an integral value is accepted (some servers write `0.0`)."""
        value = self.value
        if isinstance(value, bool):
            self.fail("expected a whole number, got a boolean")
        if isinstance(value, int):
            return value
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            return int(value)
        self.fail(f"expected a whole number, got {_kind(value)}")

    def as_number(self) -> float:
        value = self.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"expected a number, got {_kind(value)}")
        if not math.isfinite(value):
            self.fail(f"expected a finite number, got {value!r}")
        return float(value)

    def as_str(self) -> str:
        if not isinstance(self.value, str):
            self.fail(f"expected a string, got {_kind(self.value)}")
        return self.value

    def as_bool(self) -> bool:
        """A boolean; 0 and 1 are accepted (ACC writes flags as numbers)."""
        value = self.value
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        self.fail(f"expected true or false, got {_kind(value)}")

    # -- members by name ------------------------------------------------------------------------------

    def get_int(self, key: str) -> int:
        return self.key(key).as_int()

    def get_str(self, key: str) -> str:
        return self.key(key).as_str()

    def opt_int(self, key: str) -> int | None:
        child = self.opt(key)
        return None if child is None else child.as_int()

    def opt_str(self, key: str, default: str = "") -> str:
        child = self.opt(key)
        return default if child is None else child.as_str()

    def opt_bool(self, key: str, default: bool = False) -> bool:
        child = self.opt(key)
        return default if child is None else child.as_bool()


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    if isinstance(value, list):
        return "an array"
    return "an object"
