"""parcferme: timing, scoring and championship engine for racing series.

The public API: the domain model, the pure engine, and the error tree. Readers and writers live in
`parcferme.formats`, the command line in `parcferme.cli`.
"""

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
