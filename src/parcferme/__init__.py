"""parcferme: timing, scoring and championship engine for racing series.

The public API: the domain model, the pure engine, and the error tree. Readers and writers live in
`parcferme.formats`, the command line in `parcferme.cli`.
"""

from typing import TYPE_CHECKING

from parcferme._lazy import lazy_exports

if TYPE_CHECKING:  # the names below are imported on first use: a reader or the CLI starts fast
    from parcferme.engine import (
        EventResults,
        SessionOutcome,
        build_grid,
        build_laps,
        classify_event,
        classify_race,
        classify_timed,
        reclassify,
    )
    from parcferme.errors import InputError, NotBuiltError, ParcFermeError, RuleError
    from parcferme.model import (
        Classification,
        Decision,
        DecisionKind,
        Entry,
        Event,
        Gap,
        Lap,
        Passing,
        ResultRow,
        RuleSet,
        Session,
        SessionResult,
        Status,
        format_gap,
        format_time,
        parse_gap,
        parse_time,
    )

_EXPORTS = {
    "Classification": "parcferme.model",
    "Decision": "parcferme.model",
    "DecisionKind": "parcferme.model",
    "Entry": "parcferme.model",
    "Event": "parcferme.model",
    "EventResults": "parcferme.engine",
    "Gap": "parcferme.model",
    "InputError": "parcferme.errors",
    "Lap": "parcferme.model",
    "NotBuiltError": "parcferme.errors",
    "ParcFermeError": "parcferme.errors",
    "Passing": "parcferme.model",
    "ResultRow": "parcferme.model",
    "RuleError": "parcferme.errors",
    "RuleSet": "parcferme.model",
    "Session": "parcferme.model",
    "SessionOutcome": "parcferme.engine",
    "SessionResult": "parcferme.model",
    "Status": "parcferme.model",
    "build_grid": "parcferme.engine",
    "build_laps": "parcferme.engine",
    "classify_event": "parcferme.engine",
    "classify_race": "parcferme.engine",
    "classify_timed": "parcferme.engine",
    "format_gap": "parcferme.model",
    "format_time": "parcferme.model",
    "parse_gap": "parcferme.model",
    "parse_time": "parcferme.model",
    "reclassify": "parcferme.engine",
}


__getattr__ = lazy_exports(__name__, globals(), _EXPORTS)


__version__ = "0.1.0"

__all__ = [
    "Classification",
    "Decision",
    "DecisionKind",
    "Entry",
    "Event",
    "EventResults",
    "Gap",
    "InputError",
    "Lap",
    "NotBuiltError",
    "ParcFermeError",
    "Passing",
    "ResultRow",
    "RuleError",
    "RuleSet",
    "Session",
    "SessionOutcome",
    "SessionResult",
    "Status",
    "__version__",
    "build_grid",
    "build_laps",
    "classify_event",
    "classify_race",
    "classify_timed",
    "format_gap",
    "format_time",
    "parse_gap",
    "parse_time",
    "reclassify",
]
