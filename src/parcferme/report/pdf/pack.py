"""Packs of timing documents written to one folder: a session pack (every document of an event's sessions,
one language) and a round pack (the session documents and the championship standings after the round, in
every language asked for).

Each document is independent of the others, so a pack can be rendered by several processes at once
(`workers`): WeasyPrint and matplotlib are pure Python-bound work, one core per document. Workers are
forked (Linux, macOS): they inherit the results, the standings, the parsed stylesheet and the loaded fonts
instead of receiving them pickled. Where fork does not exist the pack is rendered in this process. A round
pack renders all its languages in one pool, so that no worker waits for the last document of a language.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from parcferme.engine import EventResults
from parcferme.errors import ParcFermeError
from parcferme.formats.atomic import write_atomic
from parcferme.model.championship import Table
from parcferme.model.classification import OVERALL
from parcferme.report.charts.data import select_session
from parcferme.report.charts.style import ChartFormat, to_bytes
from parcferme.report.pdf.context import check_status
from parcferme.report.pdf.documents import (
    CHART_KINDS,
    DocumentKind,
    chart_figure,
    document_filename,
    document_html,
    html_to_pdf,
    prepare,
    session_documents,
    standings_filename,
    standings_html,
    translate_chart,
)
from parcferme.report.pdf.labels import labels
from parcferme.report.pdf.standings import ChampionshipStandings, standings_documents


@dataclass(frozen=True, slots=True)
class _Job:
    """One document in one or more languages: a session's (`table` None) or a championship table's
    (`session_id` ""). A chart document is one job for all its languages: the chart is drawn once."""

    langs: tuple[str, ...]
    session_id: str
    kind: DocumentKind | None
    classification: str
    table: Table | None = None

    @property
    def weight(self) -> int:
        """A rough cost, to start the slow documents first and keep every worker busy to the end."""
        if self.kind in CHART_KINDS or self.kind == "lap-analysis":
            each = 3
        elif self.kind == "best-sectors" or (
            self.kind in ("classification", None) and self.classification == OVERALL
        ):
            each = 2  # best sectors; the overall classification and the overall standings: the longest
        else:
            each = 1
        return each * len(self.langs)


@dataclass(frozen=True, slots=True)
class _Pack:
    results: EventResults
    standings: ChampionshipStandings | None
    target: Path
    version: int
    status: str
    published: str
    chart_formats: tuple[ChartFormat, ...]

    def render(self, job: _Job) -> list[list[Path]]:
        """Write one document in each of the job's languages (and its chart files): the paths written per
        language, PDF last."""
        if job.table is not None:
            return [[self._standings(job.table, job.classification, lang)] for lang in job.langs]
        assert job.kind is not None, "a session job without a kind"
        kind, session_id, classification = job.kind, job.session_id, job.classification
        if kind not in CHART_KINDS:
            return [[self._document(kind, session_id, classification, lang)] for lang in job.langs]
        written: list[list[Path]] = []
        figure = None
        for lang in job.langs:
            # one figure for every language (its data drawn once), laid out and saved in each language
            if figure is None:
                figure = chart_figure(kind, self.results, session_id, classification, lang)
            else:
                figure = translate_chart(figure, lang)
            svg = to_bytes(figure, "svg")
            paths: list[Path] = []
            for fmt in self.chart_formats:
                name = document_filename(kind, session_id, classification, lang, fmt)
                paths.append(self._write(name, svg if fmt == "svg" else to_bytes(figure, fmt)))
            paths.append(self._document(kind, session_id, classification, lang, svg))
            written.append(paths)
        return written

    def _document(
        self, kind: DocumentKind, session_id: str, classification: str, lang: str, chart: bytes | None = None
    ) -> Path:
        html = document_html(
            kind,
            self.results,
            session_id,
            classification=classification,
            version=self.version,
            status=self.status,
            published=self.published,
            lang=lang,
            chart=chart,
        )
        name = document_filename(kind, session_id, classification, lang, "pdf")
        return self._write(name, html_to_pdf(html))

    def _standings(self, table: Table, classification: str, lang: str) -> Path:
        assert self.standings is not None, "a standings job without standings"
        html = standings_html(
            self.standings,
            table,
            classification,
            version=self.version,
            status=self.status,
            published=self.published,
            lang=lang,
        )
        return self._write(standings_filename(table, classification, lang), html_to_pdf(html))

    def _write(self, name: str, data: bytes) -> Path:
        path = self.target / name
        write_atomic(path, data)
        return path


_WORKER_PACK: _Pack | None = None  # the pack a forked worker renders, set once by _start_worker


def _start_worker(pack: _Pack) -> None:
    global _WORKER_PACK
    _WORKER_PACK = pack


def _render_in_worker(job: _Job) -> list[list[Path]]:
    assert _WORKER_PACK is not None, "worker started without its pack"
    return _WORKER_PACK.render(job)


def write_session_pack(
    event_results: EventResults,
    out_dir: str | os.PathLike[str],
    lang: str,
    *,
    published: str,
    sessions: Sequence[str] | None = None,
    version: int = 1,
    status: str = "PROVISIONAL",
    chart_formats: Sequence[ChartFormat] = ("svg", "png"),
    workers: int = 1,
) -> list[Path]:
    """Write every document of every session (or of `sessions`) into `out_dir` as PDF, and each chart
    also in `chart_formats` beside it; return the paths written, in document order.

    `published` is the publication time printed on every document, as given (the caller owns the clock).
    Every argument is checked before the first file is written; each file is written atomically.
    `workers` > 1 renders documents in that many forked processes.
    """
    return write_round_pack(
        event_results,
        None,
        out_dir,
        langs=(lang,),
        published=published,
        sessions=sessions,
        version=version,
        status=status,
        chart_formats=chart_formats,
        workers=workers,
    )


def write_round_pack(
    event_results: EventResults,
    standings: ChampionshipStandings | None,
    out_dir: str | os.PathLike[str],
    *,
    published: str,
    langs: Sequence[str] = ("fr", "en"),
    sessions: Sequence[str] | None = None,
    version: int = 1,
    status: str = "PROVISIONAL",
    chart_formats: Sequence[ChartFormat] = ("svg", "png"),
    workers: int = 1,
) -> list[Path]:
    """Write a round's documents into `out_dir`, in each language of `langs`: every document of every
    session of the event (or of `sessions`; `()` for none) as PDF with each chart also in `chart_formats`
    beside it, then the championship standings after the round — one document per table of `standings`
    (drivers' and teams', overall and per classification; `standings_documents` lists them), None for
    none. Return the paths written: language by language, session documents in session order, then the
    standings.

    `standings` is computed by the caller (`report.pdf.standings.championship_standings`, or built from
    the standings engine's histories); `published` is the publication time printed on every document, as
    given. Every argument is checked before the first file is written; each file is written atomically.
    `workers` > 1 renders the documents of every language in one pool of that many forked processes.

    Files: `R1-03-classification-en.pdf`, `R1-05-FR-classification-fr.pdf`, `R2-10-lap-chart-en.svg`…,
    `40-standings-en.pdf` (overall drivers), `40-FR-standings-fr.pdf`, `41-team-standings-en.pdf`.
    """
    if not langs:
        raise ParcFermeError("no language asked for")
    for lang in langs:
        labels(lang)  # an unknown language, status, version or session fails before anything is written
    check_status(status)
    if version < 1:
        raise ParcFermeError(f"document version must be 1 or more, not {version}")
    unknown = [f for f in chart_formats if f not in ("svg", "png")]
    if unknown:
        raise ParcFermeError(f"chart formats are svg and png, not {', '.join(map(repr, unknown))}")
    wanted = [o.session.id for o in event_results.sessions] if sessions is None else list(sessions)
    for session_id in wanted:
        select_session(event_results, session_id)
    tables = standings_documents(standings) if standings is not None else []
    if standings is not None and standings.event is None:
        standings = standings.with_event(event_results.event)
    target = Path(out_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParcFermeError(f"cannot create {target}: {exc.strerror or exc}") from exc
    formats = tuple(dict.fromkeys(chart_formats))
    pack = _Pack(event_results, standings, target, version, status, published, formats)
    languages = tuple(dict.fromkeys(langs))
    jobs: list[_Job] = []
    for s in wanted:
        for kind, c in session_documents(event_results, s):
            if kind in CHART_KINDS:
                jobs.append(_Job(languages, s, kind, c))
            else:
                jobs += [_Job((lang,), s, kind, c) for lang in languages]
    for lang in languages:
        jobs += [_Job((lang,), "", None, c, table) for table, c in tables]
    with few_collections():
        if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            done = [pack.render(job) for job in jobs]
        else:
            done = _render_in_parallel(pack, jobs, workers)
    # language by language, each in document order: session documents, then the standings
    by_lang: dict[str, list[Path]] = {lang: [] for lang in languages}
    for job, paths in zip(jobs, done, strict=True):
        for lang, written in zip(job.langs, paths, strict=True):
            by_lang[lang] += written
    return [path for lang in languages for path in by_lang[lang]]


@contextmanager
def few_collections(young: int = 20_000) -> Iterator[None]:
    """Rendering allocates boxes by the hundred thousand; the cycle collector ran every 700 of them and
    walked the hundred thousand objects of WeasyPrint, matplotlib and the results each time it reached the
    oldest generation: an eighth of a pack's time. Those objects are moved out of its reach (`gc.freeze`;
    forked workers inherit it, and copy fewer of the pages they share with this process), and it runs
    every `young` allocations instead; both are undone on the way out. Memory still goes back to the
    system by reference counting; the cycles a document leaves are collected a little later (a worker's
    peak grows by ~15 MB)."""
    thresholds = gc.get_threshold()
    freeze = gc.get_freeze_count() == 0  # a caller that froze objects itself keeps them frozen
    if freeze:
        gc.freeze()
    gc.set_threshold(max(young, thresholds[0]), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        if freeze:
            gc.unfreeze()


def _render_in_parallel(pack: _Pack, jobs: list[_Job], workers: int) -> list[list[list[Path]]]:
    """Each job's paths per language, in job order; the heaviest jobs start first."""
    prepare()  # load WeasyPrint and parse the stylesheet once, before forking: every worker inherits them
    order = sorted(range(len(jobs)), key=lambda i: (-jobs[i].weight, i))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)), mp_context=context, initializer=_start_worker, initargs=(pack,)
    ) as pool:
        done = dict(zip(order, pool.map(_render_in_worker, [jobs[i] for i in order]), strict=True))
    return [done[i] for i in range(len(jobs))]
