"""`reconcile`: each reason applies only where its condition holds, and the smallest set is reported."""

from __future__ import annotations

from parcferme.formats.sims.compare import Reason, reconcile
from parcferme.formats.sims.result import ServerRow, ServerSession, ServerStatus
from parcferme.model import Lap, ResultRow, SessionResult, Status

S = 1_000_000
RUN = ServerStatus.FINISHED


def result(*rows: tuple[str, Status, int, int | None]) -> SessionResult:
    position = 0
    out = []
    for car, status, laps, time in rows:
        if status is Status.CLASSIFIED:
            position += 1
        out.append(ResultRow(position if status is Status.CLASSIFIED else None, car, status, laps, time))
    return SessionResult("R", "overall", tuple(out))


def server(
    *rows: tuple[str, int | None, int | None, int | None], status: dict[str, ServerStatus] | None = None
) -> ServerSession:
    status = status or {}
    return ServerSession(
        "R",
        tuple(
            ServerRow(car, pos, status.get(car, RUN), laps=laps, time=time) for car, pos, laps, time in rows
        ),
    )


def held(**counts: int) -> list[Lap]:
    return [Lap(car, n, 0, 1, 1) for car, count in counts.items() for n in range(1, count + 1)]


def test_exact() -> None:
    check = reconcile(
        result(("1", Status.CLASSIFIED, 3, 300 * S), ("2", Status.CLASSIFIED, 2, 200 * S)),
        server(("1", 1, 3, 300 * S), ("2", 2, 2, 200 * S)),
        held(**{"1": 3, "2": 2}),
        race=True,
    )
    assert check.exact and check.agreed and check.differences == ()


def test_missing_laps_leaves_a_car_out() -> None:
    check = reconcile(
        result(("1", Status.CLASSIFIED, 3, 300 * S), ("2", Status.DNS, 0, None)),
        server(("2", 1, 3, 299 * S), ("1", 2, 3, 300 * S)),
        held(**{"1": 3}),
        race=True,
    )
    assert check.agreed and check.reasons == (Reason.MISSING_LAPS,)


def test_a_real_difference_is_reported() -> None:
    check = reconcile(
        result(("1", Status.CLASSIFIED, 3, 300 * S), ("2", Status.CLASSIFIED, 3, 310 * S)),
        server(("2", 1, 3, 290 * S), ("1", 2, 3, 300 * S)),  # the server's own figures put 2 first
        held(**{"1": 3, "2": 3}),
        race=True,
    )
    # consistent server, engine disagrees: no reason may excuse it
    assert not check.agreed
    assert check.differences and check.differences[0].startswith("order:")


def test_lap_counts_are_compared_in_races() -> None:
    check = reconcile(
        result(("1", Status.CLASSIFIED, 3, 300 * S)),
        server(("1", 1, 4, 300 * S)),
        held(**{"1": 4}),  # the file holds 4 laps: the engine counting 3 is not excused
        race=True,
    )
    assert not check.agreed and check.differences == ("car 1: parcferme 3 laps / server 4",)


def test_unranked_cars_are_compared_as_a_set() -> None:
    check = reconcile(
        result(("1", Status.CLASSIFIED, 3, 100 * S), ("2", Status.NC, 2, None), ("3", Status.DNS, 0, None)),
        server(("1", 1, None, 100 * S), ("3", 2, None, None), ("2", 3, None, None)),
        held(**{"1": 3, "2": 2}),
        race=False,
    )
    assert check.agreed and check.reasons == (Reason.UNRANKED,)


def test_no_server_position() -> None:
    check = reconcile(
        result(("1", Status.CLASSIFIED, 3, 100 * S), ("2", Status.CLASSIFIED, 3, 101 * S)),
        server(("2", None, 3, 101 * S), ("1", 1, 3, 100 * S)),
        held(**{"1": 3, "2": 3}),
        race=False,
    )
    assert check.agreed and check.reasons == (Reason.NO_SERVER_POSITION,)


def test_server_inconsistent_with_its_own_figures() -> None:
    check = reconcile(
        result(("1", Status.CLASSIFIED, 3, 300 * S), ("2", Status.CLASSIFIED, 3, 310 * S)),
        server(("2", 1, 3, 310 * S), ("1", 2, 3, 300 * S)),
        held(**{"1": 3, "2": 3}),
        race=True,
    )
    assert check.agreed and check.reasons == (Reason.SERVER_INCONSISTENT,)


def test_disqualified_cars_come_last_in_parcferme() -> None:
    check = reconcile(
        result(
            ("1", Status.CLASSIFIED, 3, 300 * S),
            ("3", Status.CLASSIFIED, 2, 300 * S),
            ("2", Status.DSQ, 3, 290 * S),
        ),
        server(("1", 1, 3, 300 * S), ("2", 2, 3, None), ("3", 3, 2, 300 * S), status={"2": ServerStatus.DSQ}),
        held(**{"1": 3, "2": 3, "3": 2}),
        race=True,
    )
    assert check.agreed and check.reasons == (Reason.DSQ_LAST,)
