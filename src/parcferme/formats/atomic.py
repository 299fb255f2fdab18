"""Writing a file all at once or not at all: a reader never sees half an output (DESIGN.md, Errors).

The text goes to a temporary file in the destination's directory (so the rename stays on one file system),
is flushed to disk, then renamed over the destination with `os.replace`, which is atomic on POSIX and on
Windows. On any failure the temporary file is removed and the destination is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from parcferme.errors import ParcFermeError


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, encoding: str = "utf-8") -> None:
    """Write `data` to `path` atomically; an OSError becomes a ParcFermeError naming the path."""
    target = Path(path)
    payload = data.encode(encoding) if isinstance(data, str) else data
    try:
        _replace(target, payload)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ParcFermeError(f"cannot write {target}: {reason}") from exc


def _replace(target: Path, payload: bytes) -> None:
    directory = target.parent
    # O_EXCL with a random name rather than mkstemp: mkstemp creates the file 0600, while os.open with
    # 0o666 lets the umask give the file the permissions any other new file of the user would have.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp = directory / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(temp, flags, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            # keep the mode of the file being replaced (a report someone made group-readable stays so)
            os.chmod(temp, target.stat().st_mode & 0o7777)
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_directory(directory)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable; not every platform can open a directory, which is harmless."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
