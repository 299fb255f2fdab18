"""The Ergast cache (formats.ergast_cache): a round trip gives read_ergast's seasons back; a changed CSV
makes it stale; anything that is not a cache this version wrote raises InputError, never anything else."""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parcferme.errors import InputError
from parcferme.formats.ergast import read_ergast
from parcferme.formats.ergast_cache import (
    FORMAT_VERSION,
    MAGIC,
    StaleCacheError,
    dump_seasons,
    import_ergast,
    is_ergast_cache,
    is_ergast_folder,
    load_ergast_cache,
    open_ergast_cache,
    source_stamp,
)

MINI = Path(__file__).parents[1] / "fixtures" / "ergast-mini"


def framed(value: object) -> bytes:
    """A cache file holding `value`, with a valid header and checksum (to test what comes after them)."""
    payload = marshal.dumps(value)
    return MAGIC + hashlib.blake2b(payload, digest_size=16).digest() + payload


def unframed(blob: bytes) -> object:
    return marshal.loads(blob[len(MAGIC) + 16 :])


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    folder = tmp_path / "ergast"
    shutil.copytree(MINI, folder)
    return folder


@pytest.fixture
def cache(copy: Path, tmp_path: Path) -> Path:
    return import_ergast(copy, tmp_path / "ergast.pfcache")


def test_round_trip_gives_the_seasons_read_from_the_csvs(cache: Path, copy: Path) -> None:
    assert is_ergast_cache(cache) and not is_ergast_cache(copy / "races.csv")
    assert is_ergast_folder(copy) and not is_ergast_folder(cache.parent)
    seasons = load_ergast_cache(cache)
    assert seasons == read_ergast(copy)
    assert load_ergast_cache(cache, seasons=[2021]) == read_ergast(copy, seasons=[2021])
    shared = seasons[1955].rounds[0].sessions[0].results
    assert any(len(r.drivers) > 1 for r in shared)  # shared drives survive


def test_the_default_cache_goes_to_the_current_directory(copy: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    cwd = Path.cwd()
    try:
        os.chdir(work)
        path = import_ergast(copy)
    finally:
        os.chdir(cwd)
    assert path == work / "ergast.pfcache" and path.is_file()


def test_a_changed_csv_makes_the_cache_stale(cache: Path, copy: Path) -> None:
    results = copy / "results.csv"
    results.write_bytes(results.read_bytes() + b"\n")
    with pytest.raises(StaleCacheError, match=r"stale cache: results\.csv changed") as caught:
        load_ergast_cache(cache)
    assert caught.value.folder == copy.resolve()
    assert isinstance(caught.value, InputError)
    assert load_ergast_cache(cache, check=False)  # still readable when asked not to check


def test_a_touched_csv_is_stale_too(cache: Path, copy: Path) -> None:
    drivers = copy / "drivers.csv"
    stat = drivers.stat()
    os.utime(drivers, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    with pytest.raises(StaleCacheError, match=r"drivers\.csv"):
        load_ergast_cache(cache)


def test_a_cache_whose_source_is_gone_stands_on_its_own(cache: Path, copy: Path) -> None:
    expected = read_ergast(copy)
    shutil.rmtree(copy)
    assert load_ergast_cache(cache) == expected


def test_sprint_results_are_optional_in_the_stamp(copy: Path) -> None:
    (copy / "sprint_results.csv").unlink()
    stamp = dict((name, size) for name, size, _ in source_stamp(copy))
    assert stamp["sprint_results.csv"] == -1 and stamp["results.csv"] > 0


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[: len(MAGIC) + 3],
        lambda b: b"not a cache\n" + b[len(MAGIC) :],
        lambda b: MAGIC + b"\x00garbage",
        lambda b: b"",
    ],
    ids=["half", "header-only", "other-header", "garbage", "empty"],
)
def test_a_damaged_cache_is_an_input_error(cache: Path, damage: object) -> None:
    assert callable(damage)
    cache.write_bytes(damage(cache.read_bytes()))
    with pytest.raises(InputError) as caught:
        load_ergast_cache(cache)
    assert caught.value.source == str(cache)


def test_another_version_or_shape_is_an_input_error(cache: Path) -> None:
    version, source, stamp, data = unframed(cache.read_bytes())  # type: ignore[misc]
    assert version == FORMAT_VERSION
    cache.write_bytes(framed((FORMAT_VERSION + 1, source, stamp, data)))
    with pytest.raises(InputError, match="import it again"):
        load_ergast_cache(cache)
    series, competitors, seasons, rules = data
    year, blob = seasons[0]
    rounds, columns = marshal.loads(blob)

    def season(rounds_: object, columns_: object) -> tuple[object, ...]:
        return ((year, marshal.dumps((rounds_, columns_))), *seasons[1:])

    wrong = [
        (series, competitors, season(rounds, columns[:-1]), rules),  # a column missing
        (series, competitors, season(rounds, (columns[0][:-1], *columns[1:])), rules),  # a short column
        (
            series,
            competitors,
            season(rounds, (columns[0], columns[1], (1,) * len(columns[2]), *columns[3:])),
            rules,
        ),
        (series, competitors, ((str(year), blob), *seasons[1:]), rules),  # a year as text
        (series, competitors, ((year, b"\xff" + blob), *seasons[1:]), rules),  # not marshal data
        (1, competitors, seasons, rules),
        (series, competitors, season(rounds[1:], columns), rules),  # more cars than places
        (series, competitors, seasons, "rules"),  # rule files that are not a snapshot
        (series, competitors, seasons),  # format 2
        (series, competitors),
    ]
    for data_ in wrong:
        cache.write_bytes(framed((FORMAT_VERSION, source, stamp, data_)))
        with pytest.raises(InputError, match="corrupt cache"):
            load_ergast_cache(cache, check=False)


def test_seasons_are_decoded_only_when_asked_for(cache: Path, copy: Path) -> None:
    opened = open_ergast_cache(cache)
    assert opened.years == tuple(sorted(read_ergast(copy))) and set(opened.weights) == set(opened.years)
    assert all(w > 0 for w in opened.weights.values())
    first, *rest = opened.years
    assert opened.seasons([first, 1800]) == read_ergast(copy, seasons=[first])
    assert opened.seasons(rest) == read_ergast(copy, seasons=rest)
    assert opened.seasons() == read_ergast(copy)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read"):
        load_ergast_cache(tmp_path / "nothing.pfcache")
    with pytest.raises(InputError, match="not an Ergast folder"):
        import_ergast(tmp_path, tmp_path / "x.pfcache")


def test_dump_is_deterministic() -> None:
    seasons = read_ergast(MINI)
    stamp = (("races.csv", 1, 2),)
    assert dump_seasons(seasons.values(), "/x", stamp) == dump_seasons(
        read_ergast(MINI).values(), "/x", stamp
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(noise=st.binary(max_size=200), cut=st.integers(min_value=0, max_value=4000))
def test_no_bytes_raise_anything_but_input_error(tmp_path: Path, noise: bytes, cut: int) -> None:
    season = ((2000, marshal.dumps(((), ()))),)
    blob = framed((FORMAT_VERSION, "/nowhere", (), ("F1", ((), ()), season, None)))
    path = tmp_path / "fuzz.pfcache"
    for candidate in (MAGIC + noise, blob[:cut] + noise):
        path.write_bytes(candidate)
        with contextlib.suppress(InputError):  # anything else fails the test
            load_ergast_cache(path)
