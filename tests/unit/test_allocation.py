"""The collector pause around bulk allocation: it resumes as it was, and a block that leaves many objects
behind hands them to the oldest generation instead of the next young collection."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from parcferme.engine.allocation import PROMOTE_AT, bulk_allocation, paused_collector


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def _in_young_generations(objects: list[list[int]]) -> int:
    young = {id(o) for generation in (0, 1) for o in gc.get_objects(generation)}
    return sum(id(o) in young for o in objects)


def test_the_collector_is_paused_inside_and_resumes_after() -> None:
    with paused_collector():
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    with paused_collector():
        pass
    assert not gc.isenabled()  # paused by the caller: left paused


def test_a_bulk_block_promotes_what_it_leaves_to_the_oldest_generation() -> None:
    @bulk_allocation
    def build(n: int) -> list[list[int]]:
        return [[i] for i in range(n)]

    kept = build(2 * PROMOTE_AT)
    assert gc.isenabled()
    assert _in_young_generations(kept) == 0
    assert gc.get_freeze_count() == 0


def test_a_small_block_leaves_its_objects_young() -> None:
    gc.collect()
    with paused_collector():
        kept = [[i] for i in range(100)]
    assert _in_young_generations(kept) == len(kept)


def test_objects_the_caller_froze_stay_frozen() -> None:
    gc.collect()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with paused_collector():
            kept = [[i] for i in range(2 * PROMOTE_AT)]
        assert gc.get_freeze_count() == frozen
        assert _in_young_generations(kept) == len(kept)  # nothing promoted: it would unfreeze everything
    finally:
        gc.unfreeze()
