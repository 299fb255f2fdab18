"""`parcferme standings` on all of F1 history with more than one CPU: the seasons shared out between worker
processes.

Seasons are independent. Each worker (a forked child) takes the next season from a shared queue (a pipe
holding the seasons' indexes, biggest first), decodes it from the Ergast cache, computes its tables after
every round and renders them as text or CSV; when the queue is empty it sends its seasons' texts to the
parent and leaves with `os._exit`, so the ~10⁵ objects it built are never freed one by one. A worker
slowed down by other work on the machine simply takes fewer seasons. The parent prints the texts in the
order of the seasons: the output is the same as one process gives, byte for byte.

Only where it pays and is safe: an Ergast cache that is not stale, several seasons' worth of data, plain
text or CSV, `os.fork` available, more than one CPU, and no other thread in the process (forking a
threaded process is unsafe). Anything else runs in the process itself, and so does any season that a
failed worker did not deliver: errors are reported exactly as without workers.
"""

from __future__ import annotations

import gc
import os
import struct
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from parcferme.errors import ParcFermeError
from parcferme.model._dataclass import dataclass

if TYPE_CHECKING:
    from parcferme.commands.standings_output import Block

__all__ = [
    "MAX_WORKERS",
    "MIN_WEIGHT",
    "Part",
    "cpus",
    "join_parts",
    "render_part",
    "run_in_workers",
    "standings_in_workers",
]

MAX_WORKERS = 4
MIN_WEIGHT = 200_000  # bytes of cached seasons (~15 F1 seasons) below which one process is quicker
_TASK = struct.Struct("<I")  # a task's index in the queue pipe (reads of 4 bytes from a pipe are whole)
_HEAD = struct.Struct("<IQ")  # a result in a worker's answer: its task index and its length in bytes


@dataclass(frozen=True, slots=True)
class Part:
    """One season's share of the output: how many tables, whether the season has a team championship under
    its rules, and the text of its tables."""

    tables: int
    team_rules: bool
    text: str

    def encode(self) -> bytes:
        return f"{self.tables} {int(self.team_rules)}\n{self.text}".encode("utf-8", "surrogatepass")

    @classmethod
    def decode(cls, data: bytes) -> Part:
        head, _, text = data.decode("utf-8", "surrogatepass").partition("\n")
        tables, team_rules = head.split(" ")
        return cls(int(tables), team_rules == "1", text)


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_in_workers(
    task: Callable[[int], bytes], count: int, workers: int, order: Iterable[int] | None = None
) -> list[bytes]:
    """task(i) for i in 0..count-1, run by `workers` forked children that take the indexes from a shared
    queue (in `order`: put the longest first). The results come back in index order; one that a failed
    worker did not deliver is computed here (and raises here what it raised there)."""
    queue_read, queue_write = os.pipe()
    children: list[tuple[int, int]] = []
    for _ in range(workers):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # a worker: never returns
            code = 1
            try:
                os.close(read_end)
                os.close(queue_write)
                gc.disable()  # it exits when done: nothing to collect
                done = bytearray()
                while (index := _next_task(queue_read)) is not None:
                    data = task(index)
                    done += _HEAD.pack(index, len(data))
                    done += data
                with os.fdopen(write_end, "wb") as pipe:
                    pipe.write(done)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        children.append((pid, read_end))
    os.close(queue_read)
    with os.fdopen(queue_write, "wb") as queue:  # beyond 16 384 tasks (64 KiB) this waits for the workers
        queue.write(b"".join(_TASK.pack(i) for i in (range(count) if order is None else order)))
    results: dict[int, bytes] = {}
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as pipe:
            answer = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            results.update(_answers(answer))
    return [results[i] if i in results else task(i) for i in range(count)]


def _next_task(queue: int) -> int | None:
    """The next index from the queue pipe; None when it is empty and closed."""
    data = os.read(queue, _TASK.size)
    while data and len(data) < _TASK.size:  # not expected (the queue is written in whole pages): be sure
        more = os.read(queue, _TASK.size - len(data))
        if not more:
            break
        data += more
    return _TASK.unpack(data)[0] if len(data) == _TASK.size else None


def _answers(answer: bytes) -> Iterable[tuple[int, bytes]]:
    at = 0
    while at < len(answer):
        index, size = _HEAD.unpack_from(answer, at)
        at += _HEAD.size
        yield index, answer[at : at + size]
        at += size


def standings_in_workers(
    source: Path,
    *,
    season: int | None,
    classification: str | None,
    rules_ref: str | None,
    teams: bool,
    after_round: int | None,
    explain: bool,
    fmt: str,
) -> list[Part] | None:
    """The parts of the output for SOURCE (text or CSV, see `render_part`), one per season in order,
    computed by worker processes; None when workers would not help (see the module docstring): the
    caller computes in process."""
    if fmt not in ("table", "csv") or season is not None or not hasattr(os, "fork"):
        return None
    workers = min(cpus(), MAX_WORKERS)
    if workers < 2 or threading.active_count() > 1:
        return None
    from parcferme.commands.standings_sources import no_team_championship, open_ergast_source

    cache = open_ergast_source(source, classification)
    if cache is None:
        return None
    years = cache.years
    weights = [cache.weights[y] for y in years]
    if sum(weights) < MIN_WEIGHT:
        return None
    # what every worker needs, imported and loaded once before forking (the children share it)
    from parcferme.commands import standings_output  # noqa: F401
    from parcferme.commands.standings import compute_blocks
    from parcferme.commands.standings_sources import ergast_cache_jobs
    from parcferme.engine import standings as engine  # noqa: F401
    from parcferme.rules.points_loader import f1_decisions, f1_rules

    if explain:
        from parcferme.engine import possible  # noqa: F401
    f1_decisions()
    if rules_ref is None:
        f1_rules(years[0])  # reads every F1 era file once, here rather than in each worker
    cache.competitors()

    def one_season(index: int) -> bytes:
        jobs = ergast_cache_jobs(cache, [years[index]], rules_ref)
        blocks = compute_blocks(jobs, after_round=after_round, teams=teams, explain=explain)
        has_teams = any(job.rules.teams is not None for job in jobs)
        return Part(len(blocks), has_teams, render_part(fmt, blocks, explain=explain)).encode()

    biggest_first = sorted(range(len(years)), key=lambda i: -weights[i])
    answers = run_in_workers(one_season, len(years), workers, biggest_first)
    parts = [Part.decode(data) for data in answers]
    if teams and not any(p.team_rules for p in parts):
        raise ParcFermeError(no_team_championship(years))
    return parts


def render_part(fmt: str, blocks: Sequence[Block], *, explain: bool) -> str:
    """The text of some of the tables: plain text, or CSV lines without the header."""
    from parcferme.commands.standings_output import render_csv, render_text

    if fmt == "csv":
        return render_csv(blocks, header=False)
    return render_text(blocks, explain=explain)


def join_parts(fmt: str, parts: Sequence[Part]) -> str:
    """The parts' texts as one process prints them."""
    if fmt == "csv":
        from parcferme.commands.standings_output import render_csv

        return render_csv([]) + "".join(p.text for p in parts)
    return "\n".join(p.text for p in parts if p.text)
