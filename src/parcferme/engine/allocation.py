"""Pausing the cyclic garbage collector while the engine allocates in bulk.

Building the laps of a 24-hour race allocates ~10⁵ small tuples. None of them can form a reference
cycle, yet each allocation burst makes CPython's cycle collector scan every live object — including the
10⁵–10⁶ passings the caller holds — which costs about a third of the lap builder's time (measured in
benchmarks/classify.py). Reference counting still frees everything; the collector resumes afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def bulk_allocation(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` with the cycle collector paused (restored to its previous state afterwards)."""

    @wraps(function)
    def paused(*args: P.args, **kwargs: P.kwargs) -> R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused
