"""The command line (click + rich). Thin: parse the arguments, call the library, print.

A ParcFermeError becomes one line on stderr and exit status 2; a traceback means a bug. Timing warnings go to
stderr as `warning:` lines. Results go to stdout, or to a file written all at once (formats.atomic).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from parcferme.demo import load_spa2017
from parcferme.engine import SessionOutcome, classify_event
from parcferme.errors import ParcFermeError
from parcferme.formats.atomic import write_atomic
from parcferme.formats.event_folder import read_event
from parcferme.formats.results_csv import results_to_csv
from parcferme.formats.results_json import results_to_json
from parcferme.model.classification import OVERALL
from parcferme.model.event import Event
from parcferme.report.tables import print_results, render_results_text

PROG = "parcferme"
EXIT_ERROR = 2
FORMATS = ("table", "csv", "json")
TABLE_WIDTH = 120  # when the output is not a terminal: wide enough for a race sheet without truncation
MAX_WARNINGS_SHOWN = 5

Step = Callable[[str], None]


class _Cli(click.Group):
    """A group that turns a ParcFermeError into one line on stderr and exit status 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ParcFermeError as exc:
            message = " ".join(str(exc).split()) or type(exc).__name__
            click.echo(f"{PROG}: error: {message}", err=True)
            ctx.exit(EXIT_ERROR)


@click.group(cls=_Cli, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parcferme", prog_name=PROG)
def cli() -> None:
    """parcferme: timing, scoring and championship engine for racing series."""


@cli.command(short_help="Print the packaged Spa 2017 weekend, classified.")
def demo() -> None:
    """Classify the packaged Spa 2017 weekend (Porsche Carrera Cup France, round 1) and print it."""
    err = _stderr()
    with _progress(err) as step:
        step("Loading Spa-Francorchamps 2017")
        event = load_spa2017()
        results = classify_event(event, progress=lambda label: step(f"Classifying {label}"))
    _print_warnings(results.sessions)
    _print_tables(event, results.sessions, None)


@cli.command(short_help="Classify an event folder; print or write its results.")
@click.argument("event_dir", type=click.Path(path_type=Path))
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
    """Classify the sessions of the event folder EVENT_DIR and print (or write) the results."""
    event = read_event(event_dir)
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
        write_atomic(output, text)


def _render(fmt: str, event: Event, outcomes: Sequence[SessionOutcome], classification: str | None) -> str:
    if fmt == "json":
        return results_to_json(event, outcomes, classification=classification)
    if fmt == "csv":
        return results_to_csv(event, outcomes, classification=classification)
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
    console = Console(highlight=False)
    if console.is_terminal:
        print_results(console, event, outcomes, classification=classification)
    else:
        click.echo(_render("table", event, outcomes, classification), nl=False)


def _stderr() -> Console:
    return Console(stderr=True, highlight=False)


@contextmanager
def _progress(console: Console) -> Iterator[Step]:
    """A transient spinner showing the current step, on a terminal only (pipes and logs stay clean)."""
    if not console.is_terminal:
        yield _ignore
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("", total=None)
        yield lambda label: progress.update(task, description=f"{label}…")


def _ignore(label: str) -> None:
    del label


def main() -> None:
    """The `parcferme` console script."""
    cli(prog_name=PROG)
