"""Pausing the cyclic garbage collector while parcferme allocates in bulk.

Building the laps of a 24-hour race, reading a 10⁶-row passings file or generating a synthetic race
allocates 10⁵–10⁶ small tuples. None of them can form a reference cycle, yet each allocation burst makes
CPython's cycle collector walk every young object again, and every live one at a full collection —
including the 10⁵–10⁶ passings the caller holds: about a third of the lap builder's time and ~40 % of
reading a passings file (measured in benchmarks/). Reference counting still frees everything; the
collector resumes, in its previous state, afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def paused_collector() -> Iterator[None]:
    """A block (or, as a decorator, a function) run with the cycle collector paused."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def bulk_allocation(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the cycle collector paused (a typed decorator form of paused_collector)."""

    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        with paused_collector():
            return function(*args, **kwargs)

    return paused
