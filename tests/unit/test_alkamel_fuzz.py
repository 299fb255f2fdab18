"""Fuzzing the readers of this issue: whatever the bytes, only a ParcFermeError may escape (DESIGN.md).

Arbitrary bytes, and the fixture's bytes mutated (bytes flipped, inserted, deleted, lines duplicated or
dropped, cells swapped), for the Al Kamel CSV reader and the event JSON reader.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcferme.errors import ParcFermeError
from parcferme.formats.alkamel import parse_alkamel
from parcferme.formats.event_json import event_from_json, event_to_json
from parcferme.rules import load_rule_set

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "alkamel"
MINI = (FIXTURES / "mini.csv").read_bytes()
RED = (FIXTURES / "red-flag.csv").read_bytes()
RULES = load_rule_set("wec")
FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def read_csv(data: bytes) -> None:
    with contextlib.suppress(ParcFermeError):
        parse_alkamel(data, "fuzz.csv", rules=RULES)


def read_json(data: bytes) -> None:
    with contextlib.suppress(ParcFermeError):
        event_from_json(data, "fuzz.json")


@st.composite
def mutated(draw: st.DrawFn, original: bytes) -> bytes:
    """The original with a few byte-level and line-level edits."""
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["flip", "insert", "delete", "dup-line", "drop-line", "swap-cells"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(
                st.sampled_from([b";", b"\n", b"\r", b'"', b":", b".", b"\x00", b"\xff", b" ", b"B", b"RF"])
            )
        elif kind == "delete" and data:
            del data[at : at + draw(st.integers(1, 8))]
        else:
            lines = bytes(data).split(b"\n")
            k = draw(st.integers(0, len(lines) - 1))
            if kind == "dup-line":
                lines.insert(k, lines[k])
            elif kind == "drop-line":
                del lines[k]
            else:
                cells = lines[k].split(b";")
                i, j = draw(st.integers(0, len(cells) - 1)), draw(st.integers(0, len(cells) - 1))
                cells[i], cells[j] = cells[j], cells[i]
                lines[k] = b";".join(cells)
            data = bytearray(b"\n".join(lines))
    return bytes(data)


@FUZZ
@given(st.binary(max_size=3000))
def test_alkamel_arbitrary_bytes(data: bytes) -> None:
    read_csv(data)


@FUZZ
@given(st.sampled_from([MINI, RED]).flatmap(mutated))
def test_alkamel_mutated_fixtures(data: bytes) -> None:
    read_csv(data)


@FUZZ
@given(st.sampled_from([MINI, RED]).flatmap(mutated))
def test_alkamel_mutated_fixtures_in_utf16(data: bytes) -> None:
    read_csv(data.decode("utf-8", errors="replace").encode("utf-16-le"))


JSON = event_to_json(parse_alkamel(RED, "red-flag.csv", rules=RULES).event).encode()


@FUZZ
@given(st.binary(max_size=3000))
def test_event_json_arbitrary_bytes(data: bytes) -> None:
    read_json(data)


@FUZZ
@given(mutated(JSON))
def test_event_json_mutated(data: bytes) -> None:
    read_json(data)


SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES)
def test_event_json_any_json_value(value: object) -> None:
    read_json(json.dumps(value).encode())
    read_json(b'{"schema": "parcferme.event/1", "x": ' + json.dumps(value).encode() + b"}")


def test_event_json_deep_nesting_and_huge_numbers() -> None:
    read_json(b"[" * 100_000)
    read_json(b'{"schema": "parcferme.event/1", "season": ' + b"9" * 5000 + b"}")
