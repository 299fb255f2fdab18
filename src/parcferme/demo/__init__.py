"""The Spa 2017 weekend as package data: the embedded default event.

`spa-2017/` is an event folder (docs/event-format.md) reconstructed by `tools/build_spa2017.py` from
simulated passings; its README.md says which facts are sourced and which values are invented.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from parcferme.model.event import Event

__all__ = ["SPA2017_FOLDER", "load_spa2017", "spa2017_path"]

SPA2017_FOLDER = "spa-2017"


@contextmanager
def spa2017_path() -> Iterator[Path]:
    """A real filesystem path to the packaged event folder, valid inside the `with` block.

    Installed as plain files (the usual case) this is the folder itself; from a zip or another loader the
    folder is copied to a temporary directory that is removed on exit.
    """
    folder = resources.files(__name__) / SPA2017_FOLDER
    if isinstance(folder, Path):
        yield folder
        return
    with tempfile.TemporaryDirectory(prefix="parcferme-") as tmp:
        target = Path(tmp) / SPA2017_FOLDER
        _copy(folder, target)
        yield target


def _copy(source: Traversable, target: Path) -> None:
    if source.is_dir():
        target.mkdir(parents=True, exist_ok=True)
        for child in source.iterdir():
            _copy(child, target / child.name)
    else:
        with source.open("rb") as src, target.open("wb") as dst:
            shutil.copyfileobj(src, dst)


def load_spa2017() -> Event:
    """Read the packaged Spa 2017 event (Porsche Carrera Cup France, round 1)."""
    from parcferme.formats.event_folder import read_event  # the demo is data for the readers, not core

    with spa2017_path() as path:
        return read_event(path)
