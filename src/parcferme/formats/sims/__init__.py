"""Sim-racing result files: Assetto Corsa Competizione, Assetto Corsa, rFactor 2, iRacing → `SimResult`.

`read_sim_result(path)` recognises the game from the file's content (`detect`), decodes it whatever its
encoding (UTF-16 without a byte-order mark, Latin-1 inside "UTF-8"…, see `formats.encoding`) and returns the
event (entries, sessions, laps, decisions) with the game server's own classification beside it. Every
problem is an InputError naming the file and the JSON path or XML element at fault. docs/sim-results.md
documents each format's mapping and how parcferme's classification compares with the servers'.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from parcferme.errors import InputError
from parcferme.formats.encoding import decode
from parcferme.formats.sims.ac import read_ac
from parcferme.formats.sims.acc import read_acc
from parcferme.formats.sims.iracing import read_iracing
from parcferme.formats.sims.result import Game, ServerRow, ServerSession, ServerStatus, SimResult
from parcferme.formats.sims.rf2 import read_rf2

__all__ = [
    "MAX_BYTES",
    "Game",
    "ServerRow",
    "ServerSession",
    "ServerStatus",
    "SimResult",
    "detect",
    "parse_sim_result",
    "read_sim_result",
]

MAX_BYTES = 64 * 1024 * 1024  # the largest result file read (a 24-hour ACC race is a few MB)

_READERS: dict[Game, Callable[[str, str], SimResult]] = {
    Game.ACC: read_acc,
    Game.AC: read_ac,
    Game.RF2: read_rf2,
    Game.IRACING: read_iracing,
}
# Keys only one game writes at the top of its document (or the root element, for XML).
_SIGNS = (
    (Game.RF2, re.compile(r"<rFactorXML\b")),
    (Game.ACC, re.compile(r'"(?:sessionResult|leaderBoardLines|sessionType)"\s*:')),
    (Game.IRACING, re.compile(r'"(?:session_results|subsession_id)"\s*:')),
    (Game.AC, re.compile(r'"(?:TrackName|TrackConfig)"\s*:')),
)


def read_sim_result(path: str | os.PathLike[str], game: Game | str | None = None) -> SimResult:
    """Read a sim result file; `game` ("acc", "ac", "rf2", "iracing") skips the detection."""
    data = _read(path)
    return parse_sim_result(data, str(path), game)


def parse_sim_result(data: bytes, source: str, game: Game | str | None = None) -> SimResult:
    """Read a sim result from bytes; `source` names it in errors (and its file name may carry the date)."""
    text = decode(data, source).text
    chosen = _game(game, source) if game is not None else _detect_text(text, source)
    return _READERS[chosen](text, source)


def detect(path: str | os.PathLike[str]) -> str:
    """Which game wrote the file: "acc", "ac", "rf2" or "iracing". An InputError when it is none of them."""
    data = _read(path)
    return _detect_text(decode(data, str(path)).text, str(path)).value


def _detect_text(text: str, source: str) -> Game:
    head = text[:200_000]
    for game, sign in _SIGNS:
        if sign.search(head):
            return game
    raise InputError(
        "not a sim result file: expected ACC or Assetto Corsa server JSON, rFactor 2 XML or iRacing JSON",
        source=source,
    )


def _game(game: Game | str, source: str) -> Game:
    try:
        return Game(str(game).lower())
    except ValueError:
        known = ", ".join(g.value for g in Game)
        raise InputError(f"unknown game {game!r} (expected one of: {known})", source=source) from None


def _read(path: str | os.PathLike[str]) -> bytes:
    source = str(path)
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", source=source) from exc
    if len(data) > MAX_BYTES:
        raise InputError(f"file larger than {MAX_BYTES // (1024 * 1024)} MB: not a sim result", source=source)
    return data
