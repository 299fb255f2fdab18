"""The command line on every source format, in a subprocess: import, classify a file, replay, listen.

Every test is bounded: the listeners run with --duration against an in-test server on 127.0.0.1, port 0.
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from parcferme.engine.live import LiveRace, replay_passings
from parcferme.formats.event_folder_writer import write_event_folder
from parcferme.live.p3_simulator import P3Simulator
from parcferme.live.rmonitor_server import RMonitorServer
from parcferme.model import Circuit, Event, SessionData
from parcferme.rules import load_rule_set
from parcferme.synthetic import generate_race

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SOURCES = [
    *sorted((FIXTURES / "sims").iterdir()),
    *sorted((FIXTURES / "alkamel").glob("*.csv")),
    FIXTURES / "mini-event",
]
S = 1_000_000
LIMIT = 20.0  # seconds: no subprocess may hang

CAPTURE = """\
##2025-04-26 14:00:00.000
$B,5,"Club Race"
$E,"TRACKNAME","Dijon"
$C,1,"GT"
$A,"3","3",7301,"Claire","Martin","FRA",1
$A,"44","44",7344,"Tom","van Leeuwen","NLD",1
$F,9999,"00:10:00","14:00:00","00:00:00","Green "
##2025-04-26 14:01:30.000
$J,"3","00:00:00.000","00:01:30.000"
$J,"44","00:00:00.000","00:01:31.000"
##2025-04-26 14:03:00.000
$J,"3","00:01:30.000","00:03:00.000"
$J,"44","00:01:32.000","00:03:03.000"
not a record
##2025-04-26 14:04:30.000
$F,9999,"00:05:30","14:04:30","00:04:30","Finish"
$J,"3","00:01:29.000","00:04:29.000"
$J,"44","00:01:31.000","00:04:34.000"
"""


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "parcferme", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=LIMIT,
        check=False,
    )


async def run_async(*args: str | Path) -> tuple[int, str, str]:
    """The CLI in a subprocess while this process's event loop serves it."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "parcferme",
        *map(str, args),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), LIMIT)
    assert process.returncode is not None
    return process.returncode, out.decode("utf-8"), err.decode("utf-8")


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("parcferme: error: "), done.stderr
    return lines[0]


def capture_file(tmp_path: Path) -> Path:
    path = tmp_path / "capture.txt"
    path.write_text(CAPTURE, encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------------------ import


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_import_then_classify_the_folder(source: Path, tmp_path: Path) -> None:
    out = tmp_path / "event"
    done = run("import", "auto", source, "--out", out)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {out} (")
    assert all(line.startswith(("note: ", "warning: ")) for line in done.stderr.splitlines())
    classified = run("classify", out, "--format", "json")
    assert classified.returncode == 0, classified.stderr
    doc: dict[str, Any] = json.loads(classified.stdout)
    assert doc["sessions"] and all(s["classifications"][0]["id"] == "overall" for s in doc["sessions"])


def test_import_summary(tmp_path: Path) -> None:
    done = run("import", "acc", FIXTURES / "sims" / "201105_203000_R.json")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Assetto Corsa Competizione · Fixture Cup · monza (acc")
    assert "entries: 4" in lines[1]
    assert any(line.startswith("session R (race, Race) 2020-11-05") and "7 laps" in line for line in lines)
    assert any(line.startswith("note: ") for line in lines)
    assert list(tmp_path.iterdir()) == []


def test_import_an_rmonitor_capture(tmp_path: Path) -> None:
    out = tmp_path / "event"
    done = run("import", "rmonitor", capture_file(tmp_path), "--out", out)
    assert done.returncode == 0, done.stderr
    assert "not an RMonitor record" in done.stderr  # the bad line is reported, the rest imported
    assert 'name = "Dijon"' in (out / "event.toml").read_text(encoding="utf-8")
    table = run("classify", out, "--classification", "overall")
    assert table.returncode == 0, table.stderr
    assert "Claire Martin" in table.stdout and "+5.000" in table.stdout


def test_classify_a_sim_file_directly() -> None:
    done = run("classify", FIXTURES / "sims" / "rf2_race.xml", "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = done.stdout.splitlines()
    assert rows[1].startswith("R,overall,1,01~2,")  # read as the file says: no folder, no renaming
    assert "note: " in done.stderr


# ------------------------------------------------------------------------------------------------ errors


def test_a_bad_file_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("nothing a timing system writes\n", encoding="utf-8")
    out = tmp_path / "out"
    line = one_error_line(run("import", "auto", bad, "--out", out))
    assert "not a format parcferme reads" in line and "RMonitor capture" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt"]
    one_error_line(run("classify", bad))


@pytest.mark.skipif(not (FIXTURES / "alkamel" / "mini.csv").is_file(), reason="no Al Kamel fixture")
def test_a_broken_alkamel_file_leaves_nothing_behind(tmp_path: Path) -> None:
    text = (FIXTURES / "alkamel" / "mini.csv").read_text(encoding="utf-8-sig").splitlines()
    text[3] = text[3].replace("1:54.000", "1:5x.000")  # a lap time that is no time
    bad = tmp_path / "23_Analysis.CSV"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    line = one_error_line(run("import", "alkamel", bad, "--out", tmp_path / "out"))
    assert "23_Analysis.CSV:" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["23_Analysis.CSV"]


def test_an_existing_folder_is_kept_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.md").write_text("mine\n", encoding="utf-8")
    line = one_error_line(run("import", "auto", FIXTURES / "mini-event", "--out", out))
    assert "not empty" in line
    assert [p.name for p in out.iterdir()] == ["notes.md"]
    done = run("import", "auto", FIXTURES / "mini-event", "--out", out, "--force")
    assert done.returncode == 0, done.stderr
    assert (out / "event.toml").is_file() and not (out / "notes.md").exists()


# ------------------------------------------------------------------------------------------------ replay


def test_replay_a_capture(tmp_path: Path) -> None:
    done = run("replay", capture_file(tmp_path), "--speed", "inf")
    assert done.returncode == 0, done.stderr
    last = done.stdout.split("Club Race — Dijon")[-1]
    assert last.index("  3  ") < last.index("  44  ")  # the final order, 3 ahead of 44
    assert "+5.000" in last
    assert "not an RMonitor record" in done.stderr


def test_replay_serves_scoreboards(tmp_path: Path) -> None:
    """`replay --serve 0` announces its port; a scoreboard that connects gets the feed."""
    capture = capture_file(tmp_path)

    async def scenario() -> tuple[int, str]:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "parcferme",
            "replay",
            capture,
            "--speed",
            "600",  # the 4.5-minute capture in under half a second
            "--serve",
            "0",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        assert process.stderr is not None
        announce = (await asyncio.wait_for(process.stderr.readline(), LIMIT)).decode()
        port = int(announce.rsplit(":", 1)[1])
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        received = (await asyncio.wait_for(reader.read(), LIMIT)).decode()  # until the replay ends
        writer.close()
        return await asyncio.wait_for(process.wait(), LIMIT), received

    code, received = asyncio.run(scenario())
    assert code == 0
    assert '$A,"44","44",7344' in received  # from the snapshot, or relayed as it was played


# ------------------------------------------------------------------------------------------------ listen


def test_listen_rmonitor() -> None:
    lines = [line for line in CAPTURE.splitlines() if line.startswith("$")]

    async def scenario() -> tuple[int, str, str]:
        async with RMonitorServer("127.0.0.1", 0, snapshot=lambda: lines) as server:
            return await run_async("listen", "rmonitor", f"127.0.0.1:{server.port}", "--duration", "1.5")

    code, out, err = asyncio.run(scenario())
    assert code == 0, err
    final = out.split("Club Race — Dijon")[-1]
    assert final.index("  3  ") < final.index("  44  ")
    assert "connected to rmonitor://127.0.0.1:" in err


def test_listen_p3_with_an_event_folder(tmp_path: Path) -> None:
    race = generate_race(4, 5 * 60 * S, seed=3, lap_time=60 * S, sector_lines=(), pit_stops_every=None)
    event = Event(
        "Synthetic",
        2024,
        1,
        "P3 test",
        Circuit("Test"),
        race.entries,
        (),
        (SessionData(race.session),),
        load_rule_set("fia-default"),
    )
    folder = tmp_path / "event"
    write_event_folder(event, folder)
    expected = replay_passings(LiveRace(race.session, race.entries, event.rules), race.passings)

    async def scenario() -> tuple[int, str, str]:
        async with P3Simulator.from_race(race, speed=float("inf")) as sim:
            return await run_async(
                "listen", "p3", f"127.0.0.1:{sim.port}", "--event", folder, "--duration", "1.5"
            )

    code, out, err = asyncio.run(scenario())
    assert code == 0, err
    final = out.split("Synthetic race (R1)")[-1].splitlines()[2:]
    assert [line.split()[1] for line in final if line.strip()] == [r.car for r in expected.rows if r.laps]
    assert "warning" not in err


def test_listen_p3_without_an_event(tmp_path: Path) -> None:
    race = generate_race(3, 4 * 60 * S, seed=8, lap_time=60 * S, sector_lines=(), pit_stops_every=None)
    day = race.session.schedule.date.isoformat()

    async def scenario() -> tuple[int, str, str]:
        async with P3Simulator.from_race(race, speed=float("inf")) as sim:
            return await run_async(
                "listen", "p3", f"127.0.0.1:{sim.port}", "--date", day, "--duration", "1.5"
            )

    code, out, err = asyncio.run(scenario())
    assert code == 0, err
    final = out.split("P3 race (P3)")[-1]
    for entry in race.entries:
        assert entry.transponders[0] in final  # each transponder is a car
    assert "warning" not in err  # the rolling start's short first crossings are expected, not warned


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is POSIX")
def test_ctrl_c_stops_a_listener_cleanly() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "parcferme", "listen", "rmonitor", "127.0.0.1:1"],  # nobody listens there
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert process.stderr is not None
        assert "connect-failed" in process.stderr.readline()  # running, and retrying
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=LIMIT)
    finally:
        process.kill()
    assert process.returncode == 0
    assert err.splitlines()[-1] == "stopped" and "Traceback" not in err
    assert out.startswith("RMonitor feed")  # the order as it stood (empty: nothing was received)
