"""Which format a timing file (or folder) is in, from its content, never from its name.

`detect_format(path)` answers with the name the command line uses for the format:

- `folder`: a folder holding event.toml (docs/event-format.md);
- `p3`: a MYLAPS / AMB P3 decoder capture, raw frames, which start with the byte 0x8E (after one line of
  text when a terminal program saved it);
- `event-json`: a parcferme event export, a JSON object whose `"schema"` is `parcferme.event/…`;
- `acc`, `ac`, `rf2`, `iracing`: a sim result file (`formats.sims.detect`);
- `alkamel`: an Al Kamel analysis CSV, recognised by its header (`NUMBER; DRIVER_NUMBER; LAP_NUMBER; …`);
- `rmonitor`: an RMonitor capture, whose lines are `$`-records and `##timestamp` lines.

Text is decoded as the readers decode it (formats.encoding: BOM or none, UTF-16 without a mark…), so a
file a reader accepts is recognised. Anything else is an InputError listing what is supported.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from parcferme.errors import InputError
from parcferme.formats.encoding import decode
from parcferme.formats.source_formats import FORMATS

__all__ = ["FORMATS", "SUPPORTED", "detect_format"]

SUPPORTED = (
    "an event folder (event.toml), an Al Kamel analysis CSV, an ACC / Assetto Corsa / iRacing result JSON, "
    "an rFactor 2 result XML, an RMonitor capture, a P3 decoder capture or a parcferme event JSON"
)
P3_START = 0x8E  # the start-of-record byte of every P3 frame (formats.ambp3_frame)
_HEAD = 256 * 1024  # bytes looked at: a sim file's telltale keys sit near its top
_SCHEMA = re.compile(r'^\s*\{.*?"schema"\s*:\s*"parcferme\.event/', re.DOTALL)
_ALKAMEL_COLUMNS = frozenset({"NUMBER", "LAP_NUMBER", "LAP_TIME"})
_RMONITOR_LINE = re.compile(r"^(?:\$[A-Z]+,|##\d{4}-\d{2}-\d{2}[ T]\d)")
_EVENT_FILE = "event.toml"
_P3_HEADER_MAX = 256  # bytes of a text header line allowed before the first P3 frame


def detect_format(path: str | os.PathLike[str]) -> str:
    """The format of the file or folder at `path` (one of FORMATS); an InputError when it is none."""
    where = Path(path)
    source = str(path)
    if where.is_dir():
        if (where / _EVENT_FILE).is_file():
            return "folder"
        raise InputError(
            f"a folder without {_EVENT_FILE}: not an event folder (expected {SUPPORTED})", source=source
        )
    try:
        with where.open("rb") as handle:
            head = handle.read(_HEAD)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", source=source) from exc
    if not head:
        raise InputError(f"empty file: expected {SUPPORTED}", source=source)
    if _is_p3(head):
        return "p3"
    text = _text(head, source)
    if _SCHEMA.match(text):
        return "event-json"
    if text.lstrip().startswith(("{", "<")):
        from parcferme.formats.sims import detect as detect_sim  # the sim readers load only when needed

        try:
            return detect_sim(where)
        except InputError:
            pass  # JSON or XML, but of no game parcferme reads: the error below says what is
    lines = [line.strip() for line in text.splitlines() if line.strip()][:20]
    if lines and {cell.strip().upper() for cell in lines[0].split(";")} >= _ALKAMEL_COLUMNS:
        return "alkamel"
    if (
        lines
        and _RMONITOR_LINE.match(lines[0])
        and sum(bool(_RMONITOR_LINE.match(s)) for s in lines) * 2 >= len(lines)
    ):
        return "rmonitor"
    raise InputError(f"not a format parcferme reads: expected {SUPPORTED}", source=source)


def _is_p3(head: bytes) -> bool:
    """P3 frames from the first byte, or after one line of text: a decoder stream saved by a terminal
    program starts with its header line (PuTTY: `=~=~=~ PuTTY log 2022.05.01 14:55:57 =~=~=~`)."""
    if head[0] == P3_START:
        return True
    at = head.find(bytes([P3_START]), 0, _P3_HEADER_MAX)
    if at <= 0 or not head[:at].endswith(b"\n") or head[:at].count(b"\n") > 1 or not head[:at].isascii():
        return False
    from parcferme.formats.ambp3 import decode_p3

    return bool(decode_p3(head[at : at + 4096]).records)


def _text(head: bytes, source: str) -> str:
    """The head of the file as text; its last bytes may be a character cut in two, which is harmless."""
    try:
        return decode(head, source).text.lstrip("\ufeff")
    except InputError:
        return ""
