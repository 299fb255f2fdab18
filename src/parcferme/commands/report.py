"""`parcferme report EVENT_DIR`: the weekend's publications in one folder.

For each language asked: the race report (Markdown and HTML, with the lap and gap charts), every timing
document of every session as PDF with its charts (SVG, PNG), the championship standings documents, and
the results of every session as CSV and JSON. Everything is computed from the event folder; each file is
written atomically, so an interrupted run leaves whole files only.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from parcferme.commands.errors import invoke_reporting_errors
from parcferme.errors import ParcFermeError

if TYPE_CHECKING:
    from parcferme.engine.event import EventResults

__all__ = ["PackSummary", "report", "write_publications"]

Step = Callable[[str], None]


@dataclass(frozen=True, slots=True)
class PackSummary:
    folder: Path
    files: tuple[Path, ...]
    reports: tuple[Path, ...]  # the Markdown and HTML reports, one pair per language


def write_publications(
    results: EventResults,
    out_dir: str | os.PathLike[str],
    langs: Sequence[str],
    *,
    published: str,
    status: str = "PROVISIONAL",
    version: int = 1,
    workers: int = 1,
    step: Step | None = None,
) -> PackSummary:
    """Write the whole pack of a classified event (`results`: engine.EventResults) into `out_dir`."""
    from parcferme.commands.championship import championship_after
    from parcferme.engine.facts import event_facts
    from parcferme.formats.atomic import write_atomic
    from parcferme.formats.results_csv import results_to_csv
    from parcferme.formats.results_json import results_to_json
    from parcferme.report.pdf.documents import document_filename
    from parcferme.report.pdf.pack import write_round_pack
    from parcferme.report.pdf.standings import championship_standings
    from parcferme.report.text import LANGUAGES, Figure, to_html, to_markdown, write_report

    def tell(what: str) -> None:
        if step is not None:
            step(what)

    unknown = [lang for lang in langs if lang not in LANGUAGES]
    if unknown:
        raise ParcFermeError(f"reports are written in {' or '.join(LANGUAGES)}, not {', '.join(unknown)}")
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParcFermeError(f"cannot create {folder}: {exc.strerror or exc}") from exc
    event = results.event
    tell("the championship")
    championship = championship_after(results)
    facts = event_facts(
        results,
        standings=championship.drivers if championship is not None else None,
        calendar=championship.calendar if championship is not None else (),
    )
    written: list[Path] = []
    reports: list[Path] = []
    played = [o for o in results.sessions if o.overall.rows]
    langs = tuple(dict.fromkeys(langs))
    # the reports first: they are quick, and an event they cannot tell fails before any file is written
    texts = {}
    for lang in langs:
        figures = {
            o.session.id: tuple(
                Figure(document_filename(kind, o.session.id, "overall", lang, "svg"), caption)
                for kind, caption in _chart_captions(lang)
            )
            for o in played
            if o.session.is_race
        }
        texts[lang] = write_report(facts, lang, figures=figures)
    tell("timing documents and standings (" + ", ".join(langs) + ")")
    standings = None
    if championship is not None:
        standings = championship_standings(
            championship.season,
            championship.rules,
            after_round=event.round,
            classifications=event.classifications,
            event=event,
        )
    written += write_round_pack(
        results,
        standings,
        folder,
        published=published,
        langs=langs,
        version=version,
        status=status,
        workers=workers,
    )
    tell("race reports")
    for lang, text in texts.items():
        for ext, body in (("md", to_markdown(text)), ("html", to_html(text))):
            path = folder / f"report-{lang}.{ext}"
            write_atomic(path, body.encode("utf-8"))
            reports.append(path)
    tell("results (CSV, JSON)")
    for outcome in played:
        for ext, body in (
            ("csv", results_to_csv(event, [outcome])),
            ("json", results_to_json(event, [outcome])),
        ):
            path = folder / f"{outcome.session.id}-results.{ext}"
            write_atomic(path, body.encode("utf-8"))
            written.append(path)
    return PackSummary(folder, tuple(written + reports), tuple(reports))


def _chart_captions(lang: str) -> tuple[tuple[Any, str], ...]:
    if lang == "fr":
        return (("lap-chart", "Positions tour par tour"), ("gap-chart", "Écart au leader tour par tour"))
    return (("lap-chart", "Positions lap by lap"), ("gap-chart", "Gap to the leader lap by lap"))


class _Command(click.Command):
    def invoke(self, ctx: click.Context) -> Any:
        return invoke_reporting_errors(super().invoke, ctx)


@click.command(cls=_Command, short_help="Write the weekend's reports, timing documents, charts and results.")
@click.argument("event_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--lang",
    "langs",
    multiple=True,
    type=click.Choice(["fr", "en"]),
    help="Language of the publications (repeat for both; default: fr and en).",
)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option(
    "--status", type=click.Choice(["PROVISIONAL", "OFFICIAL"]), default="PROVISIONAL", show_default=True
)
@click.option("--version", "version", type=click.IntRange(min=1), default=1, show_default=True)
@click.option(
    "--published",
    help='Publication time printed on the documents, "YYYY-MM-DD HH:MM" (default: now).',
)
@click.option(
    "--workers", type=click.IntRange(min=1), default=None, help="Processes (default: the CPU count)."
)
def report(
    event_dir: Path,
    langs: tuple[str, ...],
    out_dir: Path,
    status: str,
    version: int,
    published: str | None,
    workers: int | None,
) -> None:
    """Classify EVENT_DIR and write its publications into --out: race reports (Markdown, HTML), timing
    documents (PDF) with their charts (SVG, PNG), standings, and results (CSV, JSON)."""
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from parcferme.engine.event import classify_event
    from parcferme.formats.event_folder import read_event

    stamp = published or dt.datetime.now().strftime("%Y-%m-%d %H:%M")
    err = Console(stderr=True)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("reading the event", total=None)

        def step(what: str) -> None:
            progress.update(task, description=what)

        results = classify_event(read_event(event_dir), progress=lambda name: step(f"classifying {name}"))
        summary = write_publications(
            results,
            out_dir,
            langs or ("fr", "en"),
            published=stamp,
            status=status,
            version=version,
            workers=workers or os.cpu_count() or 1,
            step=step,
        )
    click.echo(f"wrote {len(summary.files)} files to {summary.folder}")
    for path in summary.reports:
        click.echo(f"  {path}")
