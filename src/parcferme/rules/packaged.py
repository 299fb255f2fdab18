"""The rule files packaged with parcferme, each parsed once per process, and snapshots of the F1 ones.

Parsing TOML is most of what loading the F1 rules costs: about 38 KB of era, decision and fastest-lap
files, ~10 ms with tomllib's own import, paid before `parcferme standings` can share the seasons out
between worker processes. `snapshot` captures what tomllib gives for the files of rules/f1, with each
file's size and modification time, as marshal data; an Ergast cache stores one
(formats.ergast_cache), and `use_snapshot` hands it back. A file whose size and modification time still
match is then not parsed again; a file that changed since is read as usual. A snapshot only saves time:
it never changes what a file says.
"""

from __future__ import annotations

import marshal
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from parcferme.errors import InputError
from parcferme.formats.tomlio import TomlDoc
from parcferme.formats.values import read_text

__all__ = ["PACKAGED_ROOT", "SNAPSHOT_FOLDER", "packaged_doc", "packaged_path", "snapshot", "use_snapshot"]

# the package data beside this module, read by path (importlib.resources would cost ~7 ms of start-up)
PACKAGED_ROOT = Path(__file__).parent
SNAPSHOT_FOLDER = "f1"
_SNAPSHOT_VERSION = 1
# source name → (size, modification time in ns, the parsed data) of the snapshot in use
_held: dict[str, tuple[int, int, dict[str, Any]]] = {}


def packaged_path(folder: str, name: str) -> Path:
    """The packaged file `name` (with its .toml) of rules/`folder`."""
    return PACKAGED_ROOT / folder / name


def _source(folder: str, name: str) -> str:
    return f"parcferme/rules/{folder}/{name}"


@lru_cache(maxsize=64)
def packaged_doc(folder: str, name: str) -> TomlDoc:
    """A packaged rule file, parsed (or taken from the snapshot in use when the file has not changed).
    InputError for a file that is not UTF-8 TOML."""
    path = packaged_path(folder, name)
    source = _source(folder, name)
    held = _held.get(source)
    if held is not None and _stamp(path) == held[:2]:
        return TomlDoc.parsed(held[2], source, lambda: read_text(path, source))
    return TomlDoc.read(path, source)


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def snapshot() -> bytes | None:
    """The files of rules/f1 as parsed now, with their stamps; None when some file cannot be kept so (a
    TOML date, which marshal does not hold) or cannot be parsed (loading the rules will say why)."""
    files: list[tuple[str, int, int, dict[str, Any]]] = []
    folder = PACKAGED_ROOT / SNAPSHOT_FOLDER
    try:
        for item in sorted(folder.iterdir(), key=lambda i: i.name):
            if item.name.endswith(".toml"):
                stamp = _stamp(item)
                if stamp is None:
                    return None
                doc = TomlDoc.read(item, _source(SNAPSHOT_FOLDER, item.name))
                files.append((item.name, *stamp, doc.data))
        return marshal.dumps((_SNAPSHOT_VERSION, tuple(files)))
    except (OSError, InputError, ValueError):  # marshal raises ValueError for a TOML date
        return None


def use_snapshot(blob: bytes | None) -> None:
    """Take the parsed files of a snapshot for those that have not changed since. A snapshot of another
    format is ignored (the files are parsed, as without one)."""
    if blob is None:
        return
    try:
        version, files = marshal.loads(blob)
        if version != _SNAPSHOT_VERSION:
            return
        held = {
            _source(SNAPSHOT_FOLDER, name): (size, mtime, data)
            for name, size, mtime, data in files
            if isinstance(name, str) and type(size) is type(mtime) is int and isinstance(data, dict)
        }
    except (EOFError, ValueError, TypeError):
        return
    _held.update(held)
