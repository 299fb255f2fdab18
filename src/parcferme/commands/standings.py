"""`parcferme standings` and `parcferme import ergast`: championship tables from Ergast data, an Ergast
cache, an event folder or a folder of event folders (commands.standings_sources says how each is read).

`compute_blocks` computes the tables of the seasons a source holds; `print_event_standings` prints the
championship after one classified event (the end of `parcferme demo`). All of F1 from a cache, printed as
text or CSV, is shared out between worker processes on a machine with several CPUs
(commands.standings_parallel). Module-level imports stay light: the engine is imported when a command
runs, rich only when a table is printed on a terminal.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from parcferme.commands.errors import invoke_reporting_errors
from parcferme.errors import ParcFermeError

if TYPE_CHECKING:
    from rich.console import Console

    from parcferme.commands.standings_output import Block
    from parcferme.commands.standings_sources import SeasonJob
    from parcferme.engine.event import EventResults
    from parcferme.model.championship import Season
    from parcferme.model.event import Event

__all__ = ["compute_blocks", "import_ergast_command", "print_event_standings", "standings"]

FORMATS = ("table", "csv", "json")


class _Command(click.Command):
    """A ParcFermeError becomes one line on stderr and exit status 2, mounted in the CLI group or not."""

    def invoke(self, ctx: click.Context) -> Any:
        return invoke_reporting_errors(super().invoke, ctx)


# --------------------------------------------------------------------------------------- computing


def compute_blocks(
    jobs: Sequence[SeasonJob], *, after_round: int | None = None, teams: bool = False, explain: bool = False
) -> list[Block]:
    """The tables after `after_round` (the latest round held when None) of every job, drivers first."""
    from parcferme.commands.standings_output import Block
    from parcferme.engine.standings import season_standings
    from parcferme.model.championship import Table

    blocks: list[Block] = []
    for job in jobs:
        wanted = (Table.DRIVERS, Table.TEAMS) if teams else (Table.DRIVERS,)
        team_names: dict[int, dict[str, str]] = {}
        for classification in job.classifications:
            histories = season_standings(
                job.season, job.rules, tables=wanted, decisions=job.decisions, classification=classification
            )
            name = classification.name() if classification is not None else ""
            for which, history in histories.items():
                table = history.latest if after_round is None else history.after(after_round)
                if table is None:  # no round held yet (or none by `after_round`)
                    continue
                outlook = None
                if explain:
                    from parcferme.engine.possible import championship_outlook

                    outlook = championship_outlook(
                        job.season,
                        job.rules,
                        after_round=table.after_round,
                        table=which,
                        decisions=job.decisions,
                        classification=classification,
                        history=history,
                    )
                drivers_teams: dict[str, str] = {}
                if which is Table.DRIVERS:
                    found = team_names.get(table.after_round)
                    if found is None:
                        found = team_names[table.after_round] = _teams_of(job.season, table.after_round)
                    drivers_teams = found
                blocks.append(Block(job.season.series, table, name, drivers_teams, outlook))
    return blocks


def _teams_of(season: Season, after_round: int) -> dict[str, str]:
    """Each driver's team name: the team of the last car they drove up to the round."""
    out: dict[str, str] = {}
    teams = season.teams
    for rnd in season.rounds:
        if rnd.number > after_round:
            break
        for session in rnd.sessions:
            for r in session.results:
                if r.team:
                    for driver in r.drivers:
                        out[driver] = r.team
    names = {t: (teams[t].name if t in teams else t) for t in set(out.values())}
    return {d: names[t] for d, t in out.items()}


# ---------------------------------------------------------------------------------------- the demo


def print_event_standings(console: Console, event: Event, results: EventResults) -> None:
    """The championship after one classified event, in each of its classifications (the demo's last part).

    The points rules are the packaged set with the event's rule-set id; the season's calendar, when one is
    packaged, says which rounds are still to come (so that nothing is dropped yet after round 1).
    """
    from parcferme.commands.standings_output import print_blocks, render_text
    from parcferme.commands.standings_sources import SeasonJob, event_classifications
    from parcferme.engine.championship import season_from_events
    from parcferme.formats.calendar import packaged_calendar
    from parcferme.rules.points_loader import load_points_rules

    rules = load_points_rules(event.rules.id, season=event.season)
    calendar = packaged_calendar(event.rules.id)
    rounds = calendar.rounds if calendar is not None and calendar.season == event.season else ()
    season = season_from_events([results], rules, calendar=rounds)
    job = SeasonJob(season, rules, (), event_classifications(event, None))
    from rich.markup import escape

    blocks = compute_blocks([job], after_round=event.round)
    console.print(f"[bold]Championship standings after round {event.round} ({escape(event.name)})[/bold]")
    console.print()
    if console.is_terminal:
        print_blocks(console, blocks)
    else:  # piped or recorded: the plain text a file gets, never squeezed to the console's width
        console.print(render_text(blocks), markup=False, highlight=False, soft_wrap=True, end="")


# -------------------------------------------------------------------------------------- the commands


@click.command("standings", cls=_Command, short_help="Championship standings after every round.")
@click.argument("source", type=click.Path(path_type=Path, exists=True))
@click.option("--season", type=int, metavar="YEAR", help="Only this season (default: every season).")
@click.option(
    "--after-round", type=int, metavar="N", help="The table after round N (default: the latest held)."
)
@click.option(
    "--classification",
    "classification_id",
    metavar="ID",
    help="Only this classification (default: each one the events define; Ergast: overall).",
)
@click.option("--teams", is_flag=True, help="Also the teams' (constructors') table.")
@click.option(
    "--explain", is_flag=True, help="Tie-break notes, counted results and who can still win the title."
)
@click.option(
    "--rules",
    "rules_ref",
    metavar="ID|FILE",
    help="Points rules: a packaged id or a TOML file (default: from the source, see docs/standings.md).",
)
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True, help="Output format."
)
@click.option(
    "--output",
    "-o",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write to this file (atomically) instead of stdout.",
)
def standings(
    source: Path,
    season: int | None,
    after_round: int | None,
    classification_id: str | None,
    teams: bool,
    explain: bool,
    rules_ref: str | None,
    fmt: str,
    output: Path | None,
) -> None:
    """Championship standings from SOURCE: an Ergast folder, an Ergast cache (`parcferme import ergast`),
    an event folder, or a folder of event folders (one per round)."""
    # The command builds ~10⁵ objects (all of F1) that cannot form cycles and that it keeps to the end:
    # the cycle collector, which would walk them again and again, is paused meanwhile.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        text = _standings_text(
            source, season, after_round, classification_id, teams, explain, rules_ref, fmt, output
        )
    finally:
        if was_enabled:  # back to normal when the command runs inside a longer process (tests)
            gc.enable()
    if text is None:  # printed on the terminal
        return
    if output is None:
        click.echo(text, nl=False)
    else:
        from parcferme.formats.atomic import write_atomic

        write_atomic(output, text)


def _standings_text(
    source: Path,
    season: int | None,
    after_round: int | None,
    classification_id: str | None,
    teams: bool,
    explain: bool,
    rules_ref: str | None,
    fmt: str,
    output: Path | None,
) -> str | None:
    """The command's output as text; None when it printed the tables on the terminal itself."""
    from parcferme.commands import standings_output as out

    terminal = fmt == "table" and output is None and _terminal()
    if not terminal:  # all of F1 from a cache: the seasons shared out between worker processes
        from parcferme.commands.standings_parallel import join_parts, standings_in_workers

        parts = standings_in_workers(
            source,
            season=season,
            classification=classification_id,
            rules_ref=rules_ref,
            teams=teams,
            after_round=after_round,
            explain=explain,
            fmt=fmt,
        )
        if parts is not None:
            if not any(p.tables for p in parts):
                raise _nothing_held(source, after_round)
            return join_parts(fmt, parts)
    from parcferme.commands.standings_sources import load_source

    def warn(message: str) -> None:
        click.echo(f"warning: {message}", err=True)

    jobs = load_source(
        source, season=season, classification=classification_id, rules_ref=rules_ref, teams=teams, warn=warn
    )
    blocks = compute_blocks(jobs, after_round=after_round, teams=teams, explain=explain)
    if not blocks:
        raise _nothing_held(source, after_round)
    if terminal:
        from rich.console import Console

        out.print_blocks(Console(highlight=False), blocks, explain=explain)
        return None
    if fmt == "json":
        return out.render_json(blocks, source=str(source))
    if fmt == "csv":
        return out.render_csv(blocks)
    return out.render_text(blocks, explain=explain)


def _nothing_held(source: Path, after_round: int | None) -> ParcFermeError:
    return ParcFermeError(f"{source}: no round held" + (f" by round {after_round}" if after_round else ""))


def _terminal() -> bool:
    return sys.stdout.isatty()


@click.command("ergast", cls=_Command, short_help="Cache Ergast CSVs for fast `parcferme standings`.")
@click.argument("folder", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The cache file (default: FOLDER's name + .pfcache, in the current directory).",
)
def import_ergast_command(folder: Path, out: Path | None) -> None:
    """Read the Ergast CSVs of FOLDER once and write a local cache of its seasons, which
    `parcferme standings CACHE` loads in a fraction of the time. The cache notices when the CSVs change."""
    from parcferme.formats.ergast_cache import import_ergast

    path = import_ergast(folder, out)
    click.echo(f"wrote {path}")
