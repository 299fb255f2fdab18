"""The Spa 2017 round pack: every document of every session and the championship standings after the round
(overall and each classification), in French and English, with every chart (SVG and PNG beside the PDFs) —
how long it takes and how much memory it needs.

    .venv/bin/python benchmarks/report.py             # sequential breakdown + 3 parallel runs
    .venv/bin/python benchmarks/report.py --quick     # one parallel run, no breakdown
    .venv/bin/python benchmarks/report.py --runs 5 --workers 2

What is measured, each in a fresh child process (python benchmarks/report.py --child …) so that its peak
memory is its own:

- **breakdown** (one worker): the pack rendered document by document with the same public functions
  `write_round_pack` uses, timed per stage (drawing charts, building HTML, WeasyPrint) and per kind of
  document. Its total is the sequential time of the pack.
- **pack**: the championship standings after the round computed (`championship_standings`), then
  `write_round_pack(results, standings, dir, langs=("en", "fr"), workers=N)`, N = the CPU count by
  default: the figure the target (≤ 15 s) is checked on. Median, min and max of `--runs` runs.
- **baseline**, in the same child and run: as many one-line PDFs as the pack writes, through the same
  WeasyPrint setup — the floor any PDF costs; `pack / baseline` says what the content costs on top.

Memory: the child's peak RSS (VmHWM, read from /proc/self/status at the end: the child is a fresh
process, so it is its own peak — imports, classification and pack included) and, with workers, the
largest worker's peak (ru_maxrss of the reaped children; a forked worker's count starts from the pages
it shares with the parent, so this over-counts). The target (≤ 500 MB) is checked on the largest of the
two; the sum is an upper bound of the whole pack's footprint. CPU time (user + system, the child and its
workers) is printed too: unlike wall time it does not depend on what else the machine is running.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parcferme.report.charts.style import ChartFormat

TARGET_S = 15.0
TARGET_MB = 500.0
LANGS = ("en", "fr")
FORMATS: tuple[ChartFormat, ...] = ("svg", "png")
PUBLISHED = "2017-05-06 18:00"


# ── in the child ───────────────────────────────────────────────────────────────────────────────────────


def _peak_rss_mb() -> float:
    """This process' peak resident set (VmHWM), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_s() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _standings(results: Any) -> Any:
    """The championship after Spa: the packaged points rules and calendar of the event's rule set."""
    from parcferme.engine.championship import season_from_events
    from parcferme.formats.calendar import packaged_calendar
    from parcferme.report.pdf import championship_standings
    from parcferme.rules.points_loader import load_points_rules

    event = results.event
    rules = load_points_rules(event.rules.id, season=event.season)
    calendar = packaged_calendar(event.rules.id)
    rounds = calendar.rounds if calendar is not None and calendar.season == event.season else ()
    season = season_from_events([results], rules, calendar=rounds)
    return championship_standings(
        season, rules, after_round=event.round, classifications=event.classifications, event=event
    )


def _child(mode: str, out: Path, workers: int) -> dict[str, Any]:
    started = time.perf_counter()
    from parcferme.demo import load_spa2017
    from parcferme.engine import classify_event
    from parcferme.report.pdf import documents

    results = classify_event(load_spa2017())
    documents.prepare()  # WeasyPrint's import and the stylesheet: once per process, not per pack
    ready = time.perf_counter() - started
    figures: dict[str, Any] = {"setup_s": ready}
    if mode == "breakdown":
        figures |= _breakdown(results, out)
    else:
        from parcferme.report.pdf import write_round_pack

        cpu = _cpu_s()
        clock = time.perf_counter()
        standings = _standings(results)
        figures["standings_s"] = time.perf_counter() - clock
        written = write_round_pack(
            results,
            standings,
            out,
            langs=LANGS,
            published=PUBLISHED,
            chart_formats=FORMATS,
            workers=workers,
        )
        figures["pack_s"] = time.perf_counter() - clock
        figures["cpu_s"] = _cpu_s() - cpu
        figures["files"] = len(written)
        figures["pdfs"] = sum(1 for p in written if p.suffix == ".pdf")
        figures["bytes"] = sum(p.stat().st_size for p in written)
        figures["baseline_s"] = _baseline(figures["pdfs"])
    figures["peak_mb"] = _peak_rss_mb()
    figures["workers_peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return figures


def _breakdown(results: Any, out: Path) -> dict[str, Any]:
    """The pack one document at a time, with the public functions the pack itself uses: as the pack,
    each chart is drawn once and translated for the other language (stage "chart figure")."""
    from parcferme.formats.atomic import write_atomic
    from parcferme.report.pdf import documents
    from parcferme.report.pdf.pack import few_collections

    stages: defaultdict[str, float] = defaultdict(float)
    kinds: defaultdict[str, float] = defaultdict(float)
    counts: Counter[str] = Counter()

    def pdf(kind: str, html: str, name: str, begin: float) -> None:
        t = time.perf_counter()
        data = documents.html_to_pdf(html)
        stages["pdf (WeasyPrint)"] += time.perf_counter() - t
        write_atomic(out / name, data)
        kinds[kind] += time.perf_counter() - begin
        counts[kind] += 1

    with few_collections():  # as the pack renders
        clock = time.perf_counter()
        standings = _standings(results)
        stages["standings (engine)"] += time.perf_counter() - clock
        _render_one_by_one(results, standings, out, stages, pdf)
    return {
        "total_s": time.perf_counter() - clock,
        "stages": dict(stages),
        "kinds": {k: (counts[k], v) for k, v in kinds.items()},
    }


def _render_one_by_one(
    results: Any,
    standings: Any,
    out: Path,
    stages: defaultdict[str, float],
    pdf: Callable[[str, str, str, float], None],
) -> None:
    """Every document as `write_round_pack` renders it, timed by stage; `pdf` renders, writes and times
    one document's PDF."""
    from parcferme.formats.atomic import write_atomic
    from parcferme.report.charts.style import to_bytes
    from parcferme.report.pdf import documents, standings_documents

    for outcome in results.sessions:
        session_id = outcome.session.id
        for kind, classification in documents.session_documents(results, session_id):
            figure = None
            for lang in LANGS:
                begin = time.perf_counter()
                svg = None
                if kind in documents.CHART_KINDS:
                    t = time.perf_counter()
                    if figure is None:
                        figure = documents.chart_figure(kind, results, session_id, classification, lang)
                    else:
                        figure = documents.translate_chart(figure, lang)
                    stages["chart figure"] += time.perf_counter() - t
                    for fmt in FORMATS:
                        t = time.perf_counter()
                        data = to_bytes(figure, fmt)
                        stages[f"chart {fmt}"] += time.perf_counter() - t
                        svg = data if fmt == "svg" else svg
                        name = documents.document_filename(kind, session_id, classification, lang, fmt)
                        write_atomic(out / name, data)
                t = time.perf_counter()
                html = documents.document_html(
                    kind,
                    results,
                    session_id,
                    classification=classification,
                    lang=lang,
                    chart=svg,
                    published=PUBLISHED,
                )
                stages["html (Jinja2)"] += time.perf_counter() - t
                name = documents.document_filename(kind, session_id, classification, lang, "pdf")
                pdf(kind, html, name, begin)
    for lang in LANGS:
        for table, classification in standings_documents(standings):
            begin = time.perf_counter()
            html = documents.standings_html(standings, table, classification, lang=lang, published=PUBLISHED)
            stages["html (Jinja2)"] += time.perf_counter() - begin
            name = documents.standings_filename(table, classification, lang)
            pdf(documents.standings_kind(table), html, name, begin)


def _baseline(count: int) -> float:
    """`count` one-line PDFs through the same WeasyPrint setup: the floor of any document."""
    from parcferme.report.pdf.documents import html_to_pdf

    html = "<!DOCTYPE html><html><body><p>parcferme</p></body></html>"
    clock = time.perf_counter()
    for _ in range(count):
        html_to_pdf(html)
    return time.perf_counter() - clock


# ── in the parent ──────────────────────────────────────────────────────────────────────────────────────


def _machine_busy_s() -> float:
    """CPU-seconds the whole machine has spent busy since boot (all cores), from /proc/stat."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            fields = [int(v) for v in stat.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _children_cpu_s() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run_child(mode: str, workers: int) -> dict[str, Any]:
    """Run one measurement in a fresh process; also note how much CPU the rest of the machine used
    meanwhile (the machine is shared: another process on a core slows a two-worker pack down)."""
    with tempfile.TemporaryDirectory(prefix="parcferme-bench-") as out:
        command = [sys.executable, __file__, "--child", mode, "--out", out, "--workers", str(workers)]
        busy, ours, clock = _machine_busy_s(), _children_cpu_s(), time.perf_counter()
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        busy, ours = _machine_busy_s() - busy, _children_cpu_s() - ours
        wall = time.perf_counter() - clock
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["others_share"] = max(busy - ours, 0.0) / (wall * (os.cpu_count() or 1))
    return figures


def _verdict(ok: bool) -> str:
    return "meets the target" if ok else "MISSES the target"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="parallel pack runs (median reported)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for the pack")
    parser.add_argument("--quick", action="store_true", help="one pack run, no sequential breakdown")
    parser.add_argument("--child", choices=("breakdown", "pack"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.out, args.workers)))
        return

    print(
        f"Spa 2017 document pack — {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.2f}"
    )
    print(f"languages {', '.join(LANGS)}; charts as {', '.join(FORMATS)} beside the PDFs\n")
    if not args.quick:
        seq = _run_child("breakdown", 1)
        print(
            f"sequential, one process: {seq['total_s']:.2f} s (setup {seq['setup_s']:.2f} s: "
            f"import, classify, load WeasyPrint), peak RSS {seq['peak_mb']:.0f} MB; "
            f"other processes used {100 * seq['others_share']:.0f} % of the machine meanwhile"
        )
        for stage, seconds in sorted(seq["stages"].items(), key=lambda kv: -kv[1]):
            print(f"  {stage:<18} {seconds:6.2f} s  {100 * seconds / seq['total_s']:4.0f} %")
        print("  by document (count, seconds, seconds each):")
        for kind, (count, seconds) in sorted(seq["kinds"].items(), key=lambda kv: -kv[1][1]):
            print(f"    {kind:<15} {count:3d}  {seconds:6.2f} s  {seconds / count:5.2f} s")
        print()
    runs = [_run_child("pack", args.workers) for _ in range(1 if args.quick else args.runs)]
    times = [r["pack_s"] for r in runs]
    last = runs[-1]
    median = statistics.median(times)
    peak = max(max(r["peak_mb"], r["workers_peak_mb"]) for r in runs)
    cpu = statistics.median(r["cpu_s"] for r in runs)
    print(
        f"pack, {args.workers} worker(s), {len(runs)} run(s): median {median:.2f} s "
        f"(min {min(times):.2f}, max {max(times):.2f}); CPU {cpu:.1f} s"
    )
    for i, run in enumerate(runs, start=1):
        print(
            f"  run {i}: {run['pack_s']:.2f} s, CPU {run['cpu_s']:.1f} s; "
            f"other processes used {100 * run['others_share']:.0f} % of the machine meanwhile"
        )
    print(f"  {last['files']} files ({last['pdfs']} PDFs), {last['bytes'] / 1e6:.1f} MB on disk")
    print(
        f"  baseline: {last['pdfs']} one-line PDFs in {last['baseline_s']:.2f} s, one process; "
        f"pack / baseline = {median / last['baseline_s']:.1f}"
    )
    bound = last["peak_mb"] + args.workers * last["workers_peak_mb"]
    print(
        f"  peak RSS: pack process {last['peak_mb']:.0f} MB, largest worker {last['workers_peak_mb']:.0f} MB "
        f"(sum with {args.workers} workers ≤ {bound:.0f} MB)"
    )
    print(f"\ntime:   {median:.2f} s vs ≤ {TARGET_S:.0f} s — {_verdict(median <= TARGET_S)}")
    print(f"memory: {peak:.0f} MB vs ≤ {TARGET_MB:.0f} MB per process — {_verdict(peak <= TARGET_MB)}")


if __name__ == "__main__":
    main()
