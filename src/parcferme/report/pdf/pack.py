"""A session pack: every timing document of an event's sessions, written to one folder.

Each document is independent of the others, so a pack can be rendered by several processes at once
(`workers`): WeasyPrint and matplotlib are pure Python-bound work, one core per document. Workers are
forked (Linux, macOS): they inherit the results, the parsed stylesheet and the loaded fonts instead of
receiving them pickled. Where fork does not exist the pack is rendered in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from parcferme.engine import EventResults
from parcferme.errors import ParcFermeError
from parcferme.formats.atomic import write_atomic
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
)
from parcferme.report.pdf.labels import labels


@dataclass(frozen=True, slots=True)
class _Job:
    session_id: str
    kind: DocumentKind
    classification: str

    @property
    def weight(self) -> int:
        """A rough cost, to start the slow documents first and keep every worker busy to the end."""
        if self.kind in CHART_KINDS or self.kind == "lap-analysis":
            return 3
        if self.kind == "best-sectors" or (
            self.kind == "classification" and self.classification == "overall"
        ):
            return 2
        return 1


@dataclass(frozen=True, slots=True)
class _Pack:
    results: EventResults
    target: Path
    lang: str
    version: int
    status: str
    published: str
    chart_formats: tuple[ChartFormat, ...]

    def render(self, job: _Job) -> list[Path]:
        """Write one document (and its chart files): the paths written, PDF last."""
        written: list[Path] = []
        svg = None
        if job.kind in CHART_KINDS:
            # one figure for the PDF and every file: it is laid out once (style.freeze_layout)
            figure = chart_figure(job.kind, self.results, job.session_id, job.classification, self.lang)
            svg = to_bytes(figure, "svg")
            for fmt in self.chart_formats:
                written.append(self._write(job, fmt, svg if fmt == "svg" else to_bytes(figure, fmt)))
        html = document_html(
            job.kind,
            self.results,
            job.session_id,
            classification=job.classification,
            version=self.version,
            status=self.status,
            published=self.published,
            lang=self.lang,
            chart=svg,
        )
        written.append(self._write(job, "pdf", html_to_pdf(html)))
        return written

    def _write(self, job: _Job, ext: str, data: bytes) -> Path:
        name = document_filename(job.kind, job.session_id, job.classification, self.lang, ext)
        path = self.target / name
        write_atomic(path, data)
        return path


_WORKER_PACK: _Pack | None = None  # the pack a forked worker renders, set once by _start_worker


def _start_worker(pack: _Pack) -> None:
    global _WORKER_PACK
    _WORKER_PACK = pack


def _render_in_worker(job: _Job) -> list[Path]:
    assert _WORKER_PACK is not None, "worker started without its pack"
    return _WORKER_PACK.render(job)


def write_session_pack(
    event_results: EventResults,
    out_dir: str | os.PathLike[str],
    lang: str,
    *,
    sessions: Sequence[str] | None = None,
    version: int = 1,
    status: str = "PROVISIONAL",
    published: str = "2017-05-05 17:20",
    chart_formats: Sequence[ChartFormat] = ("svg", "png"),
    workers: int = 1,
) -> list[Path]:
    """Write every document of every session (or of `sessions`) into `out_dir` as PDF, and each chart
    also in `chart_formats` beside it; return the paths written, in document order.

    Every argument is checked before the first file is written; each file is written atomically.
    `workers` > 1 renders documents in that many forked processes.
    """
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
    target = Path(out_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParcFermeError(f"cannot create {target}: {exc.strerror or exc}") from exc
    pack = _Pack(event_results, target, lang, version, status, published, tuple(dict.fromkeys(chart_formats)))
    jobs = [_Job(s, kind, c) for s in wanted for kind, c in session_documents(event_results, s)]
    if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [path for job in jobs for path in pack.render(job)]
    return _render_in_parallel(pack, jobs, workers)


def _render_in_parallel(pack: _Pack, jobs: list[_Job], workers: int) -> list[Path]:
    prepare()  # load WeasyPrint and parse the stylesheet once, before forking: every worker inherits them
    order = sorted(range(len(jobs)), key=lambda i: (-jobs[i].weight, i))
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        max_workers=min(workers, len(jobs)), mp_context=context, initializer=_start_worker, initargs=(pack,)
    ) as pool:
        done = dict(zip(order, pool.map(_render_in_worker, [jobs[i] for i in order]), strict=True))
    return [path for i in range(len(jobs)) for path in done[i]]
