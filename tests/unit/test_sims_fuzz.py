"""No sim reader lets anything but a ParcFermeError escape, whatever the bytes (DESIGN.md, "Tests").

Arbitrary bytes, byte-level damage to the fixtures (flips, cuts, insertions), and JSON-level damage (a value
replaced by another of any type). Whatever reads successfully is also classified and compared with the
server: the engine must take what the readers produce.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcferme.engine import classify_event
from parcferme.errors import ParcFermeError
from parcferme.formats.sims import SimResult, parse_sim_result
from parcferme.formats.sims.compare import reconcile

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "sims"
FILES = {
    "acc": FIXTURES / "201105_203000_R.json",
    "ac": FIXTURES / "2020_11_5_20_30_RACE.json",
    "rf2": FIXTURES / "rf2_race.xml",
    "iracing": FIXTURES / "iracing_result.json",
}
GAMES = [None, *FILES]
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def survive(data: bytes, game: str | None) -> None:
    """Read, classify and compare; a ParcFermeError is an acceptable outcome, nothing else is."""
    try:
        sim = parse_sim_result(data, "fuzz.json", game)
        exercise(sim)
    except ParcFermeError:
        pass


def exercise(sim: SimResult) -> None:
    results = classify_event(sim.event)
    for outcome, server in zip(results.sessions, sim.servers, strict=True):
        reconcile(outcome.overall, server, outcome.laps, outcome.session.is_race)


@FUZZ
@given(data=st.binary(max_size=2000), game=st.sampled_from(GAMES))
def test_arbitrary_bytes(data: bytes, game: str | None) -> None:
    survive(data, game)


@st.composite
def damaged(draw: st.DrawFn, original: bytes) -> bytes:
    data = bytearray(original)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "cut", "insert", "truncate"]))
        if action == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
        else:
            del data[at:]
    return bytes(data)


@pytest.mark.parametrize("game", sorted(FILES))
def test_damaged_fixtures(game: str) -> None:
    original = FILES[game].read_bytes()
    if game == "acc":
        original = original.decode("utf-8").encode("utf-16-le")

    @FUZZ
    @given(data=damaged(original))
    def run(data: bytes) -> None:
        survive(data, None)
        survive(data, game)

    run()


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            found += paths(child, (*prefix, i))
    return found


@pytest.mark.parametrize("game", ["acc", "ac", "iracing"])
def test_json_values_of_any_type(game: str) -> None:
    document = json.loads(FILES[game].read_text("utf-8"))
    targets = [p for p in paths(document) if p]

    @FUZZ
    @given(where=st.sampled_from(targets), value=JSON_VALUES, drop=st.booleans())
    def run(where: tuple[Any, ...], value: Any, drop: bool) -> None:
        doc = json.loads(FILES[game].read_text("utf-8"))
        parent = doc
        for step in where[:-1]:
            parent = parent[step]
        if drop and isinstance(parent, dict):
            del parent[where[-1]]
        else:
            parent[where[-1]] = value
        survive(json.dumps(doc).encode(), game)

    run()
