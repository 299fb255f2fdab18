"""Pausing the cyclic garbage collector while parcferme allocates in bulk.

Building the laps of a 24-hour race, reading a 10⁶-row passings file or generating a synthetic race
allocates 10⁵–10⁶ small tuples. None of them can form a reference cycle, yet each allocation burst makes
CPython's cycle collector walk every young object again, and every live one at a full collection —
including the 10⁵–10⁶ passings the caller holds: about a third of the lap builder's time and ~40 % of
reading a passings file (measured in benchmarks/). Reference counting still frees everything; the
collector resumes, in its previous state, afterwards.

Pausing alone only defers the first walk: the objects a block leaves behind are all young when the
collector resumes, and the first allocation after it walks every one of them (10⁶ passings → laps: ~60 ms
in whatever runs next), finds them reachable, and walks them again in the middle generation. A block that
leaves many objects behind therefore promotes them straight to the oldest generation, as those two walks
would have: `gc.freeze()` then `gc.unfreeze()`, two list splices. Full collections still walk them, and
they are not hastened by it (promoted objects are not counted as pending). Young garbage cycles made before
the block are promoted with them and wait for the next full collection. Nothing is promoted when the caller
has frozen objects itself (unfreezing would release them) or paused the collector itself.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

PROMOTE_AT = 10_000
"""Net new objects tracked by the collector, left by a paused block, from which they are promoted.

A live timing update allocates a handful; a 10⁵-passing race ~60 000 (laps and their sector tuples)."""


@contextmanager
def paused_collector() -> Iterator[None]:
    """A block (or, as a decorator, a function) run with the cycle collector paused."""
    was_enabled = gc.isenabled()
    gc.disable()
    young = gc.get_count()[0]
    try:
        yield
    finally:
        if was_enabled:
            if gc.get_count()[0] - young >= PROMOTE_AT and not gc.get_freeze_count():
                gc.freeze()  # every tracked object into the permanent generation…
                gc.unfreeze()  # …and all of them back, into the oldest one
            gc.enable()


def bulk_allocation(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the cycle collector paused (a typed decorator form of paused_collector)."""

    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_collector():
            return function(*args, **kwargs)

    return paused
