"""Where `parcferme standings` gets its seasons: Ergast data, an Ergast cache, event folders.

SOURCE is one of:

- an Ergast folder (it has races.csv and results.csv): F1 1950 onwards, each season under its F1 rule set
  and the decisions on record (rules/f1);
- an Ergast cache written by `parcferme import ergast` (formats.ergast_cache): the same, loaded fast;
- an event folder (event.toml): one round;
- a series folder: every subfolder with an event.toml is a round (its number is the event's `round`); an
  event whose races have no timing data yet is a round scheduled, not held.

An event names its points rules through its rule set: the packaged points rule set with the same id as the
event's `rules` (carrera-cup-france-2017 → rules/points/carrera-cup-france-2017.toml), unless the series
folder (or the event folder) has a `points.toml`, or `--rules` names one. The season's calendar (rounds not
held yet) comes from `calendar.toml` in the series or event folder, or the packaged calendar of the rule
set (formats.calendar). Everything heavy is imported when it is needed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from parcferme.errors import ParcFermeError
from parcferme.model._dataclass import dataclass

if TYPE_CHECKING:
    from parcferme.formats.ergast_cache import ErgastCache
    from parcferme.model.championship import ChampionshipDecision, Season
    from parcferme.model.classification import Classification
    from parcferme.model.event import Event
    from parcferme.model.points import PointsRules

__all__ = [
    "OVERALL",
    "POINTS_FILE",
    "SeasonJob",
    "ergast_cache_jobs",
    "event_classifications",
    "load_source",
    "no_team_championship",
    "open_ergast_source",
]

POINTS_FILE = "points.toml"
OVERALL = "overall"


@dataclass(frozen=True, slots=True)
class SeasonJob:
    """One season to compute: its results, rules, decisions, and the classifications to show (None: all
    cars, the overall championship)."""

    season: Season
    rules: PointsRules
    decisions: tuple[ChampionshipDecision, ...] = ()
    classifications: tuple[Classification | None, ...] = (None,)


def load_source(
    source: Path,
    *,
    season: int | None = None,
    classification: str | None = None,
    rules_ref: str | None = None,
    teams: bool = False,
    warn: Callable[[str], None] = lambda message: None,
) -> list[SeasonJob]:
    """The seasons SOURCE holds (only `season` when given), ready to compute. With `teams`, a source
    whose rules have no team championship in any season is an error."""
    from parcferme.formats.ergast_cache import is_ergast_cache, is_ergast_folder

    if source.is_dir() and is_ergast_folder(source):
        return _ergast(source, None, season, classification, rules_ref, teams, warn)
    if source.is_file() and is_ergast_cache(source):
        return _ergast(None, source, season, classification, rules_ref, teams, warn)
    if source.is_dir():
        if (source / "event.toml").is_file():
            return _events(source, [source], season, classification, rules_ref, teams, warn)
        folders = sorted(p for p in source.iterdir() if (p / "event.toml").is_file())
        if folders:
            return _events(source, folders, season, classification, rules_ref, teams, warn)
    raise ParcFermeError(
        f"{source}: not a standings source (expected an Ergast folder with races.csv and results.csv, "
        "an Ergast cache, an event folder or a folder of event folders)"
    )


def open_ergast_source(source: Path, classification: str | None) -> ErgastCache | None:
    """SOURCE opened as an Ergast cache, ready for `ergast_cache_jobs`; None when SOURCE is not a cache or
    the cache is stale (load_source then reads it, or the CSVs it came from, and says so)."""
    from parcferme.formats.ergast_cache import StaleCacheError, is_ergast_cache, open_ergast_cache

    if not (source.is_file() and is_ergast_cache(source)):
        return None
    _check_ergast_classification(classification)
    try:
        return _opened(open_ergast_cache(source))
    except StaleCacheError:
        return None


def _opened(cache: ErgastCache) -> ErgastCache:
    """The cache, its snapshot of the F1 rule files handed to the rules loader (which then need not parse
    the files that have not changed since)."""
    from parcferme.rules.packaged import use_snapshot

    use_snapshot(cache.rules)
    return cache


def ergast_cache_jobs(
    cache: ErgastCache, years: Collection[int], rules_ref: str | None = None
) -> list[SeasonJob]:
    """The jobs of the seasons `years` of an opened Ergast cache (those it holds), as load_source makes
    them; a part of them when the seasons are shared out between worker processes."""
    return _ergast_jobs(cache.seasons(sorted(years)), rules_ref)


def _check_ergast_classification(classification: str | None) -> None:
    if classification not in (None, OVERALL):
        raise ParcFermeError(f"unknown classification {classification!r}: Ergast data has only 'overall'")


def _ergast(
    folder: Path | None,
    cache: Path | None,
    season: int | None,
    classification: str | None,
    rules_ref: str | None,
    teams: bool,
    warn: Callable[[str], None],
) -> list[SeasonJob]:
    from parcferme.formats.ergast_cache import StaleCacheError, open_ergast_cache

    _check_ergast_classification(classification)
    wanted = None if season is None else [season]
    seasons: dict[int, Season] | None = None
    if cache is not None:
        try:
            seasons = _opened(open_ergast_cache(cache)).seasons(wanted)
        except StaleCacheError as exc:
            warn(f"{exc}; reading the CSVs instead")
            folder = exc.folder
    if seasons is None:
        from parcferme.formats.ergast import read_ergast  # the CSV reader only when there is no cache

        assert folder is not None
        seasons = read_ergast(folder, seasons=wanted)
    if season is not None and season not in seasons:
        raise ParcFermeError(f"no season {season} in the source (it has {_span(seasons)})")
    jobs = _ergast_jobs(seasons, rules_ref)
    if teams:
        check_team_rules(jobs, seasons)
    return jobs


def _ergast_jobs(seasons: dict[int, Season], rules_ref: str | None) -> list[SeasonJob]:
    from parcferme.rules.points_loader import f1_decisions, f1_rules, load_points_rules

    decisions = f1_decisions()

    def rules(year: int) -> PointsRules:
        return f1_rules(year) if rules_ref is None else load_points_rules(rules_ref, season=year)

    return [SeasonJob(s, rules(year), decisions) for year, s in sorted(seasons.items())]


def check_team_rules(jobs: Sequence[SeasonJob], seasons: Collection[int]) -> None:
    """With --teams: an error when no season of the source has a team championship under its rules."""
    if not any(job.rules.teams is not None for job in jobs):  # F1 before 1958: drivers only
        raise ParcFermeError(no_team_championship(seasons))


def no_team_championship(seasons: Collection[int]) -> str:
    return f"no team championship in {_span(seasons)} under these rules"


def _span(seasons: Collection[int]) -> str:
    return f"{min(seasons)}–{max(seasons)}" if seasons else "no season"


def _events(
    root: Path,
    folders: Sequence[Path],
    season: int | None,
    classification: str | None,
    rules_ref: str | None,
    teams: bool,
    warn: Callable[[str], None],
) -> list[SeasonJob]:
    from parcferme.formats.event_folder import read_event

    events = [read_event(folder) for folder in folders]
    for event in events:  # a wrong --classification is an error before any session is classified
        event_classifications(event, classification)
    seasons = sorted({e.season for e in events})
    if season is not None:
        if season not in seasons:
            raise ParcFermeError(f"no event of season {season} in {root} (seasons: {seasons})")
        seasons = [season]
    jobs: list[SeasonJob] = []
    for year in seasons:
        mine = sorted((e for e in events if e.season == year), key=lambda e: e.round)
        jobs.append(_event_job(root, mine, classification, rules_ref, teams, warn))
    return jobs


def _event_job(
    root: Path,
    events: Sequence[Event],
    classification: str | None,
    rules_ref: str | None,
    teams: bool,
    warn: Callable[[str], None],
) -> SeasonJob:
    """One season of events: its points rules and calendar (checked first), then the events classified."""
    from parcferme.engine.championship import season_from_events
    from parcferme.engine.event import classify_event
    from parcferme.formats.calendar import CALENDAR_FILE, Calendar, packaged_calendar, read_calendar
    from parcferme.rules.points_loader import load_points_rules

    latest = events[-1]
    year = latest.season
    ref: str | Path | None = rules_ref
    if ref is None and (root / POINTS_FILE).is_file():
        ref = root / POINTS_FILE
    if ref is None:
        ids = {e.rules.id for e in events}
        if len(ids) > 1:
            raise ParcFermeError(
                f"the events use different rule sets ({', '.join(sorted(ids))}): give --rules"
            )
        ref = latest.rules.id
    rules = load_points_rules(ref, season=year, base_dir=root)
    if teams and rules.teams is None:
        raise ParcFermeError(f"rule set {rules.id!r} has no team championship")
    calendar: Calendar | None = None
    if (root / CALENDAR_FILE).is_file():
        calendar = read_calendar(root / CALENDAR_FILE)
        if calendar.season != year:
            raise ParcFermeError(f"{root / CALENDAR_FILE} is the calendar of {calendar.season}, not {year}")
    else:
        calendar = packaged_calendar(latest.rules.id)
        if calendar is not None and calendar.season != year:
            calendar = None
    results = []
    for event in events:
        done = classify_event(event)
        for outcome in done.sessions:
            if outcome.warnings:
                n = len(outcome.warnings)
                plural = "s" if n != 1 else ""
                warn(f"{event.name} {outcome.session.id}: {n} timing warning{plural} (data set aside)")
        results.append(done)
    season = season_from_events(results, rules, calendar=calendar.rounds if calendar is not None else ())
    return SeasonJob(season, rules, (), event_classifications(latest, classification))


def event_classifications(event: Event, wanted: str | None) -> tuple[Classification | None, ...]:
    """The classification asked for, or every one the event defines (the overall one when it has none)."""
    known = {c.id: c for c in event.classifications}
    if wanted is None:
        return tuple(known.values()) or (None,)
    if wanted == OVERALL:
        return (None,)
    if wanted not in known:
        valid = ", ".join([OVERALL, *known])
        raise ParcFermeError(f"unknown classification {wanted!r} (valid: {valid})")
    return (known[wanted],)
