"""`parcferme standings` with worker processes (commands.standings_parallel): the same output, byte for byte,
as one process; a failed worker's seasons computed in the process; workers only where they can help."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from parcferme.commands import standings_parallel as parallel
from parcferme.commands.standings import standings
from parcferme.formats.ergast_cache import import_ergast

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="worker processes need os.fork")

MINI = Path(__file__).parents[1] / "fixtures" / "ergast-mini"
PARENT = os.getpid()


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return import_ergast(MINI, tmp_path_factory.mktemp("cache") / "mini.pfcache")


@pytest.fixture
def workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Workers on for the tiny fixture (two, whatever the machine); counts the runs that used them."""
    monkeypatch.setattr(parallel, "MIN_WEIGHT", 0)
    monkeypatch.setattr(parallel, "cpus", lambda: 2)
    used: list[int] = []
    run = parallel.run_in_workers

    def counting(*args: object, **kwargs: object) -> list[bytes]:
        used.append(1)
        return run(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "run_in_workers", counting)
    return used


def output(*args: str | Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(standings, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--teams",),
        (),
        ("--teams", "--explain"),
        ("--teams", "--format", "csv"),
        ("--after-round", "1", "--teams"),
        ("--rules", "carrera-cup-france-2017", "--explain"),
    ],
    ids=["teams", "drivers", "explain", "csv", "after-round", "rules"],
)
def test_workers_print_what_one_process_prints(
    cache: Path, monkeypatch: pytest.MonkeyPatch, workers: list[int], args: tuple[str, ...]
) -> None:
    with_workers = output(cache, *args)
    assert workers == [1]
    monkeypatch.setattr(parallel, "cpus", lambda: 1)
    alone = output(cache, *args)
    assert workers == [1]  # not used again
    assert with_workers == alone and alone[0] == 0 and alone[1]


def test_errors_are_the_same_with_workers(
    cache: Path, monkeypatch: pytest.MonkeyPatch, workers: list[int]
) -> None:
    for args in (("--teams", "--rules", "f1-1950-1957"), ("--after-round", "0"), ("--rules", "nope")):
        with_workers = output(cache, *args)
        monkeypatch.setattr(parallel, "cpus", lambda: 1)
        alone = output(cache, *args)
        monkeypatch.setattr(parallel, "cpus", lambda: 2)
        assert with_workers == alone and alone[0] == 2 and alone[2].startswith("parcferme: error: ")
    assert workers


def test_no_workers_for_one_season_json_or_a_folder(cache: Path, workers: list[int]) -> None:
    assert output(cache, "--season", "2021")[0] == 0
    assert output(cache, "--format", "json")[0] == 0
    assert output(MINI)[0] == 0
    assert workers == []


def test_results_come_back_in_order_whatever_the_queue_order() -> None:
    def square(i: int) -> bytes:
        return str(i * i).encode()

    expected = [str(i * i).encode() for i in range(50)]
    assert parallel.run_in_workers(square, 50, 2) == expected
    assert parallel.run_in_workers(square, 50, 3, order=reversed(range(50))) == expected
    assert parallel.run_in_workers(square, 0, 2) == []


def test_what_a_failed_worker_did_not_deliver_is_computed_here() -> None:
    def fragile(i: int) -> bytes:
        if i == 7 and os.getpid() != PARENT:
            raise RuntimeError("worker trouble")
        if i == 3 and os.getpid() != PARENT:
            os._exit(3)
        return bytes([i])

    assert parallel.run_in_workers(fragile, 20, 2) == [bytes([i]) for i in range(20)]

    def broken(i: int) -> bytes:
        raise ValueError(f"task {i}")

    with pytest.raises(ValueError, match="task 0"):  # raised again here, where it can be reported
        parallel.run_in_workers(broken, 3, 2)


def test_a_part_round_trips() -> None:
    part = parallel.Part(3, True, "Pos  Driver…\nÉ ✓\n")
    assert parallel.Part.decode(part.encode()) == part
