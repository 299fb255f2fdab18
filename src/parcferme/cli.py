"""The command line (click + rich). Thin: parse the arguments, call the library, print.

A ParcFermeError becomes one line on stderr and exit status 2; a traceback means a bug. Timing warnings go to
stderr as `warning:` lines. Results go to stdout, or to a file written all at once (formats.atomic).
Anything beyond parsing and printing lives in `parcferme.commands` (imported when a command needs it, so
that `parcferme --help` stays quick).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Coroutine, Iterator, Sequence
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from parcferme.commands.errors import PROG, invoke_reporting_errors
from parcferme.errors import InputError, ParcFermeError
from parcferme.formats.source_formats import FORMATS as SOURCE_FORMATS

if TYPE_CHECKING:  # everything else is imported by the command that needs it: a command starts fast
    import datetime as dt

    from rich.console import Console

    from parcferme.engine.event import SessionOutcome
    from parcferme.model.event import Event

FORMATS = ("table", "csv", "json")
TABLE_WIDTH = 120  # when the output is not a terminal: wide enough for a race sheet without truncation
MAX_WARNINGS_SHOWN = 5
EXIT_INTERRUPTED = 130  # the shell's convention for a command stopped by Ctrl-C (128 + SIGINT)

Step = Callable[[str], None]

# Commands defined in their own module: name → (module, click command object in it). The module is imported
# only when the command runs or is listed by --help, so that every command starts with the imports it needs
# and no other command's. A new command is one line here.
COMMANDS: dict[str, tuple[str, str]] = {
    "standings": ("parcferme.commands.standings", "standings"),
    "report": ("parcferme.commands.report", "report"),
}


class _Cli(click.Group):
    """The command group: commands defined here plus those of COMMANDS, loaded on demand; a ParcFermeError
    becomes one line on stderr and exit status 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        found = super().get_command(ctx, cmd_name)
        if found is not None or cmd_name not in COMMANDS:
            return found
        module, attribute = COMMANDS[cmd_name]
        command = getattr(import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{module}.{attribute} is not a click command")
        self.add_command(command, cmd_name)
        return command

    def invoke(self, ctx: click.Context) -> Any:
        return invoke_reporting_errors(super().invoke, ctx)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parcferme", prog_name=PROG)
def cli() -> None:
    """parcferme: timing, scoring and championship engine for racing series."""


@cli.command(short_help="Print the packaged Spa 2017 weekend, classified, and write its publications.")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("spa-2017-pack"),
    show_default=True,
    help="Where to write the pack: reports, timing documents, charts, results.",
)
@click.option("--pack/--no-pack", default=True, show_default=True, help="Write the pack (about 15 s).")
def demo(out_dir: Path, pack: bool) -> None:
    """Classify the packaged Spa 2017 weekend (Porsche Carrera Cup France, round 1), print it, and write its
    publications in French and English: race reports, timing documents, charts and results."""
    from rich.console import Console

    from parcferme.commands.standings import print_event_standings
    from parcferme.demo import load_spa2017
    from parcferme.engine.event import classify_event

    err = _stderr()
    with _progress(err) as step:
        step("Loading Spa-Francorchamps 2017")
        event = load_spa2017()
        results = classify_event(event, progress=lambda label: step(f"Classifying {label}"))
    _print_warnings(results.sessions)
    _print_tables(event, results.sessions, None)
    print_event_standings(Console(highlight=False), event, results)
    if pack:
        import os

        from parcferme.commands.report import write_publications

        with _progress(err) as step:
            summary = write_publications(
                results,
                out_dir,
                ("fr", "en"),
                published="2017-05-06 12:00",  # the demo's documents carry the weekend's date, not today's
                workers=os.cpu_count() or 1,
                step=step,
            )
        click.echo(f"\nThe Spa 2017 pack ({len(summary.files)} files) is in {summary.folder}/:")
        for path in summary.reports:
            click.echo(f"  {path}")


@cli.command(short_help="Classify an event (folder or timing file); print or write its results.")
@click.argument("event_dir", metavar="PATH", type=click.Path(path_type=Path))
@click.option("--session", "session_id", metavar="ID", help="Only this session (default: all).")
@click.option(
    "--classification", "classification_id", metavar="ID", help="Only this classification (default: all)."
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
def classify(
    event_dir: Path, session_id: str | None, classification_id: str | None, fmt: str, output: Path | None
) -> None:
    """Classify the sessions of PATH and print (or write) the results.

    PATH is an event folder, or a timing file whose format is recognised from its content: an Al Kamel
    CSV, a sim result (ACC, Assetto Corsa, rFactor 2, iRacing), an RMonitor capture, a P3 decoder capture
    or a parcferme event JSON.
    """
    from parcferme.engine.event import classify_event
    from parcferme.model.classification import OVERALL

    if event_dir.is_dir():
        from parcferme.formats.event_folder import read_event

        event = read_event(event_dir)
    else:
        from parcferme.commands.importing import load_event

        imported = load_event(event_dir)
        event = imported.event
        for note in imported.notes:
            click.echo(f"note: {note}", err=True)
        _print_source_warnings(imported.warnings)
    _check_id("session", session_id, [s.session.id for s in event.sessions])
    _check_id("classification", classification_id, [OVERALL, *(c.id for c in event.classifications)])
    with _progress(_stderr()) as step:
        results = classify_event(event, progress=lambda label: step(f"Classifying {label}"))
    _print_warnings(results.sessions)
    outcomes = results.sessions if session_id is None else (results.session(session_id),)
    if fmt == "table" and output is None:
        _print_tables(event, outcomes, classification_id)
        return
    text = _render(fmt, event, outcomes, classification_id)
    if output is None:
        click.echo(text, nl=False)
    else:
        from parcferme.formats.atomic import write_atomic

        write_atomic(output, text)


@cli.command("import", short_help="Read a timing source; summarise it or write it as an event folder.")
@click.argument("source_format", metavar="FORMAT", type=click.Choice((*SOURCE_FORMATS, "ergast", "auto")))
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--out",
    metavar="EVENT_DIR|FILE",
    type=click.Path(path_type=Path),
    help="Write the event folder EVENT_DIR (all at once) instead of printing a summary; "
    "for ergast, the cache FILE.",
)
@click.option("--force", is_flag=True, help="Replace EVENT_DIR when it already holds files.")
def import_(source_format: str, path: Path, out: Path | None, force: bool) -> None:
    """Read PATH as FORMAT into an event: alkamel, acc, ac, rf2, iracing, rmonitor, p3, event-json,
    folder, or auto (recognised from its content); or ergast: an Ergast CSV folder into a local cache
    for `parcferme standings`.

    Without --out, print what was read: sessions, entries, laps or passings, and the reader's notes and
    warnings. With --out, write it as an event folder (docs/event-format.md), adapted where the folder
    cannot hold the source as it is; each change is printed as a `note:` line on stderr.
    """
    if source_format == "ergast":  # Ergast CSVs → a local cache that `parcferme standings` reads fast
        from parcferme.formats.ergast_cache import import_ergast

        click.echo(f"wrote {import_ergast(path, out)}")
        return
    if out is not None and out.is_file():
        raise click.BadParameter(f"{out} is a file, not an event folder", param_hint="--out")
    from parcferme.commands.importing import import_to_folder, read_source, summary

    imported = read_source(source_format, path)
    if out is None:
        for line in summary(imported, max_warnings=MAX_WARNINGS_SHOWN):
            click.echo(line)
        return
    files, changes = import_to_folder(imported, out, overwrite=force)
    for note in (*imported.notes, *changes):
        click.echo(f"note: {note}", err=True)
    _print_source_warnings(imported.warnings)
    click.echo(f"wrote {out} ({len(files)} files)")


@cli.command(short_help="Replay an RMonitor capture; print it, or serve it to scoreboards.")
@click.argument("capture", metavar="FILE", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--speed",
    type=float,
    default=1.0,
    show_default=True,
    help="Times faster than real time (inf: as fast as possible).",
)
@click.option(
    "--serve", metavar="PORT", type=click.IntRange(0, 65535), help="Also serve the feed on this port."
)
@click.option("--max-gap", metavar="SECONDS", type=float, help="Shorten silences in the capture to this.")
def replay(capture: Path, speed: float, serve: int | None, max_gap: float | None) -> None:
    """Replay the RMonitor capture FILE, paced by its timestamps, printing the live order.

    With --serve PORT the feed is also served to RMonitor scoreboards on 127.0.0.1:PORT (0: any free
    port, announced on stderr). Ctrl-C stops it.
    """
    from parcferme.commands.live import replay_capture_file

    _run_live(
        replay_capture_file(
            capture, speed, click.echo, _inform, serve=serve, max_gap=max_gap, clear=_redraw()
        ),
        interrupted=EXIT_INTERRUPTED,
    )


@cli.group(short_help="Follow a live timing feed (RMonitor or P3) in the terminal.")
def listen() -> None:
    """Follow a live timing feed and print the order as it changes; Ctrl-C (or --duration) stops."""


_DURATION = click.option(
    "--duration", metavar="SECONDS", type=click.FloatRange(min=0), help="Stop after this many seconds."
)


@listen.command("rmonitor")
@click.argument("address", metavar="HOST:PORT")
@_DURATION
def listen_rmonitor(address: str, duration: float | None) -> None:
    """Follow the Orbits / RMonitor scoreboard feed at HOST:PORT (port 50000 when not given)."""
    from parcferme.commands.live import follow_rmonitor

    _run_live(follow_rmonitor(address, click.echo, _inform, duration=duration, clear=_redraw()))


@listen.command("p3")
@click.argument("address", metavar="HOST:PORT")
@click.option(
    "--event",
    "event_dir",
    metavar="EVENT_DIR",
    type=click.Path(path_type=Path, file_okay=False),
    help="Event folder: its entries give transponder → car, its race session the schedule and rules.",
)
@click.option(
    "--session", "session_id", metavar="ID", help="The race of --event to follow (default: the next)."
)
@click.option(
    "--date",
    metavar="YYYY-MM-DD",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Day of the session (default: the session's, or today).",
)
@click.option("--start", metavar="HH:MM:SS", help="Start signal, time of day (default: the first passing).")
@click.option(
    "--tz",
    metavar="ZONE",
    default="UTC",
    show_default=True,
    help="Time zone of the session's times of day (Europe/Brussels…); the decoder clock runs in UTC.",
)
@click.option(
    "--decoder",
    "decoders",
    metavar="ID=LINE",
    multiple=True,
    help="Timing line of a decoder (4001=SF, 4002=S1…); default: every passing is on the Line.",
)
@_DURATION
def listen_p3_command(
    address: str,
    event_dir: Path | None,
    session_id: str | None,
    date: dt.datetime | None,
    start: str | None,
    tz: str,
    decoders: tuple[str, ...],
    duration: float | None,
) -> None:
    """Follow the MYLAPS P3 decoder at HOST:PORT (port 5403 when not given) and print the race order.

    Transponders are cars of --event's entries (or cars of their own number without it). Passings go into
    a live race classification: the race of --event (--session), or one starting at --start, or at the
    first passing received.
    """
    from parcferme.commands.live import follow_p3, p3_race, parse_decoders, parse_zone
    from parcferme.formats.values import parse_time_of_day

    start_at: int | None = None
    if start is not None:
        try:
            start_at = parse_time_of_day(start.strip())
        except ValueError as exc:
            raise InputError(str(exc), field="start") from exc
    race = p3_race(event_dir, session_id, date.date() if date else None, start_at, parse_zone(tz))
    lines = parse_decoders(decoders)
    _run_live(
        follow_p3(address, race, click.echo, _inform, decoders=lines, duration=duration, clear=_redraw())
    )


def _run_live(coroutine: Coroutine[Any, Any, object], *, interrupted: int = 0) -> None:
    """Run a feed until it ends; Ctrl-C is how a listener is meant to stop, so it ends it cleanly."""
    import asyncio

    try:
        asyncio.run(coroutine)
    except KeyboardInterrupt:
        _inform("stopped")
        if interrupted:
            sys.exit(interrupted)


def _inform(message: str) -> None:
    click.echo(message, err=True)


def _redraw() -> bool:
    """Redraw the order in place on a terminal; append it when piped or logged."""
    return sys.stdout.isatty()


def _print_source_warnings(warnings: Sequence[str]) -> None:
    """Problems in the source itself (unreadable lines or frames): a few, and how many more."""
    for warning in warnings[:MAX_WARNINGS_SHOWN]:
        click.echo(f"warning: {warning}", err=True)
    if len(warnings) > MAX_WARNINGS_SHOWN:
        click.echo(f"warning: … and {len(warnings) - MAX_WARNINGS_SHOWN} more", err=True)


def _render(fmt: str, event: Event, outcomes: Sequence[SessionOutcome], classification: str | None) -> str:
    if fmt == "json":
        from parcferme.formats.results_json import results_to_json

        return results_to_json(event, outcomes, classification=classification)
    if fmt == "csv":
        from parcferme.formats.results_csv import results_to_csv

        return results_to_csv(event, outcomes, classification=classification)
    from parcferme.report.tables import render_results_text

    return render_results_text(event, outcomes, classification=classification, width=TABLE_WIDTH)


def _check_id(what: str, given: str | None, valid: Sequence[str]) -> None:
    if given is not None and given not in valid:
        _fail(f"unknown {what} {given!r} (valid: {', '.join(valid)})")


def _fail(message: str) -> NoReturn:
    raise ParcFermeError(message)


def _print_warnings(outcomes: Sequence[SessionOutcome]) -> None:
    """What the lap builder set aside: a count per session and the first few, never dropped silently."""
    for outcome in outcomes:
        warnings = outcome.warnings
        if not warnings:
            continue
        sid = outcome.session.id
        plural = "" if len(warnings) == 1 else "s"
        click.echo(f"warning: {sid}: {len(warnings)} timing warning{plural} (data set aside)", err=True)
        for w in warnings[:MAX_WARNINGS_SHOWN]:
            # the lap builder's message names the car and the time already
            click.echo(f"warning: {sid}: {w.message} [{w.kind}]", err=True)
        if len(warnings) > MAX_WARNINGS_SHOWN:
            click.echo(f"warning: {sid}: … and {len(warnings) - MAX_WARNINGS_SHOWN} more", err=True)


def _print_tables(event: Event, outcomes: Sequence[SessionOutcome], classification: str | None) -> None:
    """In colour on a terminal; piped or redirected, the same plain text as `--output` writes."""
    from rich.console import Console

    console = Console(highlight=False)
    if console.is_terminal:
        from parcferme.report.tables import print_results

        print_results(console, event, outcomes, classification=classification)
    else:
        click.echo(_render("table", event, outcomes, classification), nl=False)


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


@contextmanager
def _progress(console: Console) -> Iterator[Step]:
    """A transient spinner showing the current step, on a terminal only (pipes and logs stay clean)."""
    if not console.is_terminal:
        yield _ignore
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=None)
        yield lambda label: progress.update(task, description=f"{label}…")


def _ignore(label: str) -> None:
    del label


def main() -> None:
    """The `parcferme` console script."""
    cli(prog_name=PROG)
