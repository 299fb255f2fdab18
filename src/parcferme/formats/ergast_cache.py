"""A compact local cache of the Ergast seasons: parsed once, loaded in milliseconds.

`parcferme import ergast DIR` reads the Ergast CSVs (formats.ergast) and writes their seasons as plain
data — tuples, strings, ints and None — with `marshal`, behind a header line and a format version;
`load_ergast_cache` reads them back into the same `Season` models. Reading ~27 000 car results from the
CSVs costs ~130 ms; loading the cache a fraction of that.

Each season is stored as its own marshal blob inside the file, so that `open_ergast_cache` checks the file
(header, checksum, version, staleness) without decoding any season, and `ErgastCache.seasons` decodes only
the seasons asked for: `parcferme standings` splits the seasons between worker processes, each decoding
its own.

It also keeps a snapshot of the packaged F1 rule files as parsed (rules.packaged), which `parcferme
standings` hands to the rules loader so that the files need not be parsed again before the seasons are
shared out; a rule file changed since is parsed as usual.

The cache records the source folder and the size and modification time of each CSV it was made from. A
cache whose source folder still exists and whose CSVs have changed is *stale* (`StaleCacheError`): import
again. A cache whose source folder is gone stands on its own.

The cache is a local file, made and read by the same user: marshal (unlike pickle) runs no code when it
loads, but it is not hardened against crafted data either, so never load a cache from an untrusted
source. Anything that is not a cache this version wrote — truncated, corrupt, another version — raises
InputError naming the file.
"""

from __future__ import annotations

import marshal
import os
from array import array
from collections.abc import Iterable, Mapping
from itertools import chain, repeat
from pathlib import Path
from types import MappingProxyType
from typing import Any

from parcferme.engine.allocation import bulk_allocation
from parcferme.errors import InputError
from parcferme.model.championship import NO_ATTRIBUTES, CarResult, Competitor, Round, RoundSession, Season
from parcferme.model.results import Status

__all__ = [
    "CACHE_SUFFIX",
    "FORMAT_VERSION",
    "SOURCE_FILES",
    "ErgastCache",
    "StaleCacheError",
    "dump_seasons",
    "import_ergast",
    "is_ergast_cache",
    "is_ergast_folder",
    "load_ergast_cache",
    "open_ergast_cache",
    "source_stamp",
]

MAGIC = b"parcferme ergast cache\n"
FORMAT_VERSION = 3  # 2: one marshal blob per season; 3: the F1 rule files, parsed (rules.packaged)
CACHE_SUFFIX = ".pfcache"
# what read_ergast reads: a change in any of them makes the cache stale (sprint results are optional)
SOURCE_FILES = ("races.csv", "results.csv", "sprint_results.csv", "drivers.csv", "constructors.csv")
_STATUS = {s.value: s for s in Status}

# the stored fields of a CarResult, in order (its `attributes` are not stored: Ergast has none)
_COLUMNS = (
    *("car", "drivers", "team", "status", "position", "order", "laps", "best_lap", "best_lap_number"),
    "grid",
)
_TEXT = frozenset({"car", "team", "status"})
_OPTIONAL = frozenset({"position", "best_lap", "best_lap_number", "grid"})  # ints or None; the rest ints
assert CarResult._fields == (*_COLUMNS, "attributes"), "CarResult changed: update the cache format"

Stamp = tuple[tuple[str, int, int], ...]  # (file name, size, mtime in ns); size -1: the file is absent


class StaleCacheError(InputError):
    """The cache's source CSVs have changed since it was written; `folder` is that source."""

    def __init__(self, message: str, *, source: str, folder: Path) -> None:
        super().__init__(message, source=source)
        self.folder = folder


def is_ergast_folder(path: Path) -> bool:
    """An Ergast folder: it has races.csv and results.csv."""
    return (path / "races.csv").is_file() and (path / "results.csv").is_file()


def is_ergast_cache(path: Path) -> bool:
    """A file that starts like a cache (its content is checked when it is loaded)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def source_stamp(folder: Path) -> Stamp:
    """The size and modification time of each source CSV of an Ergast folder."""
    stamps: list[tuple[str, int, int]] = []
    for name in SOURCE_FILES:
        try:
            st = os.stat(folder / name)
        except FileNotFoundError:
            stamps.append((name, -1, 0))
        except OSError as exc:
            raise InputError(
                f"cannot read the file ({exc.strerror or exc})", source=str(folder / name)
            ) from exc
        else:
            stamps.append((name, st.st_size, st.st_mtime_ns))
    return tuple(stamps)


def import_ergast(folder: str | os.PathLike[str], out: str | os.PathLike[str] | None = None) -> Path:
    """Read the Ergast folder and write its cache (atomically) to `out`; returns the cache's path.

    By default the cache is `<folder name>.pfcache` in the current directory (the Ergast folder itself is
    often read-only). Raises InputError for anything the Ergast reader cannot read.
    """
    from parcferme.formats.atomic import write_atomic  # only when writing
    from parcferme.formats.ergast import read_ergast

    source = Path(folder).resolve()
    if not is_ergast_folder(source):
        raise InputError("not an Ergast folder: expected races.csv and results.csv", source=str(folder))
    stamp = source_stamp(source)  # before reading: a file changed while it is read makes the cache stale
    seasons = read_ergast(source)
    target = Path(out) if out is not None else Path.cwd() / f"{source.name}{CACHE_SUFFIX}"
    from parcferme.rules.packaged import snapshot

    write_atomic(target, dump_seasons(seasons.values(), str(source), stamp, rules=snapshot()))
    return target


def dump_seasons(
    seasons: Iterable[Season], source: str, stamp: Stamp, *, rules: bytes | None = None
) -> bytes:
    """The cache's bytes: the header line, a checksum, then marshal of (version, source, stamp, data).

    data = (series, (drivers, teams), seasons, rules): the competitors of every season as rows of strings;
    each season as (year, blob), the blob being marshal of (rounds, columns): the rounds and sessions as
    nested tuples that say how many cars each session has, and the season's car results column by column
    (one tuple per field, in order); and `rules`, a snapshot of the packaged F1 rule files
    (rules.packaged.snapshot), which `parcferme standings` takes instead of parsing them, or None.
    """
    drivers: dict[str, Competitor] = {}
    teams: dict[str, Competitor] = {}
    stored: list[tuple[int, bytes]] = []
    series = ""
    for season in seasons:
        series = season.series
        drivers.update(season.drivers)
        teams.update(season.teams)
        cars: list[CarResult] = []
        rounds: list[tuple[Any, ...]] = []
        for rnd in season.rounds:
            sessions = []
            for s in rnd.sessions:
                sessions.append((s.id, s.kind, s.qualifying, s.scheduled_laps, s.suspended, len(s.results)))
                cars.extend(s.results)
            rounds.append((rnd.number, rnd.name, rnd.date, tuple(sessions)))
        # attributes are not kept: Ergast has none
        columns = tuple(
            tuple(r.status.value for r in cars) if name == "status" else tuple(getattr(r, name) for r in cars)
            for name in _COLUMNS
        )
        stored.append((season.year, marshal.dumps((tuple(rounds), columns))))
    competitors = tuple(
        tuple((c.id, c.name, c.short, c.nationality) for c in group.values()) for group in (drivers, teams)
    )
    data = (series, competitors, tuple(stored), rules)
    payload = marshal.dumps((FORMAT_VERSION, source, stamp, data))
    return MAGIC + _digest(payload) + payload


def _digest(payload: bytes | memoryview) -> bytes:
    """A checksum of the payload: marshal is not meant for damaged input (a flipped length byte can make it
    allocate gigabytes), so a damaged cache is refused before it reaches marshal.loads."""
    try:  # the module hashlib takes BLAKE2 from; hashlib itself also loads OpenSSL (~3 ms)
        from _blake2 import blake2b
    except ImportError:  # another Python implementation
        from hashlib import blake2b

    return blake2b(payload, digest_size=_DIGEST_SIZE).digest()


_DIGEST_SIZE = 16


class ErgastCache:
    """An Ergast cache whose file has been checked (header, checksum, version, source); its seasons are
    decoded when asked for. `years` are the seasons it holds, `weights` a rough cost of each (its size)."""

    def __init__(self, path: Path, source: str, data: Any) -> None:
        self.path = path
        self.source = source
        try:
            series, (self._driver_rows, self._team_rows), stored, rules = data
            if not isinstance(series, str):
                raise TypeError("series is not a string")
            if rules is not None and not isinstance(rules, bytes):
                raise TypeError("the rule files are not a snapshot")
            blobs: dict[int, bytes] = {}
            for year, blob in stored:
                if type(year) is not int or not isinstance(blob, bytes):
                    raise TypeError("season is not a number and its data")
                blobs[year] = blob
        except (ValueError, TypeError) as exc:
            raise self._corrupt(exc) from exc
        self.series: str = series
        self.rules: bytes | None = rules  # the F1 rule files when it was written (rules.packaged.snapshot)
        self._blobs = blobs
        self.years: tuple[int, ...] = tuple(blobs)
        self.weights: dict[int, int] = {year: len(blob) for year, blob in blobs.items()}
        self._competitors: tuple[Mapping[str, Competitor], Mapping[str, Competitor]] | None = None

    def competitors(self) -> tuple[Mapping[str, Competitor], Mapping[str, Competitor]]:
        """The drivers and the teams of every season (each season lists them all, as read_ergast does)."""
        if self._competitors is None:
            try:
                self._competitors = (
                    MappingProxyType({row[0]: Competitor(*_strings(row)) for row in self._driver_rows}),
                    MappingProxyType({row[0]: Competitor(*_strings(row)) for row in self._team_rows}),
                )
            except (ValueError, TypeError, IndexError) as exc:
                raise self._corrupt(exc) from exc
        return self._competitors

    def _corrupt(self, exc: Exception) -> InputError:
        return InputError(f"corrupt cache ({type(exc).__name__}: {exc})", source=str(self.path))

    @bulk_allocation  # ~10⁵ objects that cannot form cycles: the collector would only walk them again
    def seasons(self, years: Iterable[int] | None = None) -> dict[int, Season]:
        """The seasons asked for (every one when None) that the cache holds, in the order stored, as
        `read_ergast` gives them. InputError when their data is not what this version wrote."""
        wanted = self.years if years is None else [y for y in dict.fromkeys(years) if y in self._blobs]
        drivers, teams = self.competitors()
        try:
            out: dict[int, Season] = {}
            for year in wanted:
                try:
                    rounds, columns = marshal.loads(self._blobs[year])
                except (EOFError, ValueError, TypeError) as exc:
                    raise ValueError(f"season {year}: {exc}") from exc
                out[year] = Season(self.series, year, _rounds(rounds, _car_results(columns)), drivers, teams)
            return out
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise self._corrupt(exc) from exc


def open_ergast_cache(path: str | os.PathLike[str], *, check: bool = True) -> ErgastCache:
    """The cache at `path`, checked but with no season decoded yet.

    Raises StaleCacheError when `check` is set and the source CSVs have changed; InputError when the file
    is not a cache this version of parcferme wrote.
    """
    file = Path(path)
    try:
        blob = file.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", source=str(file)) from exc
    if not blob.startswith(MAGIC):
        raise InputError("not a parcferme Ergast cache (no cache header)", source=str(file))
    digest = blob[len(MAGIC) : len(MAGIC) + _DIGEST_SIZE]
    payload = memoryview(blob)[len(MAGIC) + _DIGEST_SIZE :]  # not copied
    if digest != _digest(payload):
        raise InputError("corrupt cache (checksum mismatch): import it again", source=str(file))
    try:
        version, source, stamp, data = marshal.loads(payload)
    except (EOFError, ValueError, TypeError) as exc:
        raise InputError(f"corrupt cache ({exc}): import it again", source=str(file)) from exc
    if version != FORMAT_VERSION:
        raise InputError(
            f"cache format {version!r}, this parcferme reads {FORMAT_VERSION}: import it again",
            source=str(file),
        )
    if not isinstance(source, str) or not _is_stamp(stamp):
        raise InputError("corrupt cache (its source record): import it again", source=str(file))
    if check and os.path.isdir(source):
        now = source_stamp(Path(source))
        if now != stamp:
            changed = [new[0] for old, new in zip(stamp, now, strict=False) if old != new]
            raise StaleCacheError(
                f"stale cache: {', '.join(changed) or 'the source'} changed in {source} since it was "
                "written: run `parcferme import ergast` again",
                source=str(file),
                folder=Path(source),
            )
    return ErgastCache(file, source, data)


def load_ergast_cache(
    path: str | os.PathLike[str], *, seasons: Iterable[int] | None = None, check: bool = True
) -> dict[int, Season]:
    """The seasons in a cache (or only `seasons`), as `read_ergast` gives them.

    Raises StaleCacheError when `check` is set and the source CSVs have changed; InputError when the file
    is not a cache this version of parcferme wrote.
    """
    return open_ergast_cache(path, check=check).seasons(seasons)


def _is_stamp(stamp: Any) -> bool:
    return isinstance(stamp, tuple) and all(
        isinstance(s, tuple) and len(s) == 3 and isinstance(s[0], str) and type(s[1]) is type(s[2]) is int
        for s in stamp
    )


def _rounds(rounds: Any, results: list[CarResult]) -> tuple[Round, ...]:
    """A season's rounds from their stored tuples, each session taking its cars from `results` in order."""
    built: list[Round] = []
    at = 0
    for number, name, date, sessions in rounds:
        if type(number) is not int or not isinstance(name, str) or not isinstance(date, str):
            raise TypeError("round number, name or date")
        built_sessions: list[RoundSession] = []
        for sid, kind, qualifying, scheduled, suspended, n in sessions:
            if not isinstance(sid, str) or not isinstance(kind, str) or type(n) is not int or n < 0:
                raise TypeError("session id, kind or size")
            cars = tuple(results[at : at + n])
            at += n
            built_sessions.append(RoundSession(sid, kind, cars, tuple(qualifying), scheduled, suspended))
        built.append(Round(number, name, tuple(built_sessions), date))
    if at != len(results):
        raise ValueError(f"{len(results)} car results for {at} places")
    return tuple(built)


def _car_results(columns: Any) -> list[CarResult]:
    """Car results from the stored columns, their types checked (the engine trusts the model's types).

    CarResult is a named tuple: the rows are zipped from the columns and made CarResults by tuple.__new__,
    at C speed (~0.3 µs a car; its own constructor, a Python function, takes ~1 µs). The cache's
    round-trip test compares the result with read_ergast's.
    """
    if len(columns) != len(_COLUMNS):
        raise ValueError(f"{len(columns)} columns, expected {len(_COLUMNS)}")
    size = len(columns[0])
    named = dict(zip(_COLUMNS, columns, strict=True))
    for name, col in named.items():
        if not isinstance(col, tuple) or len(col) != size:
            raise ValueError(f"column {name}: not {size} values")
        _check_column(name, col)
    named["status"] = tuple(map(_STATUS.__getitem__, named["status"]))
    rows = zip(*named.values(), repeat(NO_ATTRIBUTES, size), strict=True)
    return list(map(tuple.__new__, repeat(CarResult), rows))


def _check_column(name: str, col: tuple[Any, ...]) -> None:
    """Raise TypeError unless every value has the column's type. Checked at C speed: joining text fails
    on anything but strings, an array of 64-bit ints on anything but ints (None filtered out first)."""
    try:
        if name in _TEXT:
            "".join(col)
        elif name == "drivers":
            if not set(map(type, col)) <= {tuple}:
                raise TypeError("not tuples")
            "".join(chain.from_iterable(col))
        else:
            array("q", filter(None, col) if name in _OPTIONAL else col)
    except (TypeError, OverflowError) as exc:
        raise TypeError(f"column {name}: {exc}") from exc


def _strings(row: Any) -> tuple[str, str, str, str]:
    cid, name, short, nationality = row
    if not all(isinstance(v, str) for v in (cid, name, short, nationality)):
        raise TypeError("competitor fields are not strings")
    return cid, name, short, nationality
