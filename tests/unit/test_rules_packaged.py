"""rules.packaged: rule files parsed once, and snapshots of the F1 ones (as an Ergast cache keeps them)."""

from __future__ import annotations

import marshal
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from parcferme.errors import InputError
from parcferme.formats.ergast_cache import import_ergast, open_ergast_cache
from parcferme.formats.tomlio import TomlDoc
from parcferme.rules import packaged
from parcferme.rules.packaged import SNAPSHOT_FOLDER, packaged_doc, packaged_path, snapshot, use_snapshot
from parcferme.rules.points_loader import load_points_rules

MINI = Path(__file__).parents[1] / "fixtures" / "ergast-mini"
ERA = "f1-1950-1957.toml"


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    """Each test starts and ends with no snapshot in use and nothing parsed yet."""
    saved = dict(packaged._held)
    packaged._held.clear()
    packaged_doc.cache_clear()
    yield
    packaged._held.clear()
    packaged._held.update(saved)
    packaged_doc.cache_clear()


def parsed(name: str) -> dict[str, object]:
    return tomllib.loads(packaged_path(SNAPSHOT_FOLDER, name).read_text("utf-8"))


def test_a_snapshot_holds_every_f1_file_as_tomllib_reads_it() -> None:
    blob = snapshot()
    assert blob is not None
    _, files = marshal.loads(blob)
    names = [name for name, _, _, _ in files]
    assert ERA in names and "decisions.toml" in names and names == sorted(names)
    for name, size, _, data in files:
        assert size == packaged_path(SNAPSHOT_FOLDER, name).stat().st_size
        assert data == parsed(name)


def test_a_snapshot_in_use_replaces_the_parse_of_an_unchanged_file() -> None:
    blob = snapshot()
    assert blob is not None
    version, files = marshal.loads(blob)
    # the same stamps with other data: what the loader returns shows which one it took
    marked = tuple((n, size, mtime, {**data, "name": "from the snapshot"}) for n, size, mtime, data in files)
    use_snapshot(marshal.dumps((version, marked)))
    doc = packaged_doc(SNAPSHOT_FOLDER, ERA)
    assert doc.data["name"] == "from the snapshot"
    assert load_points_rules("f1-1950-1957", season=1950).name == "from the snapshot"


def test_a_file_changed_since_the_snapshot_is_parsed_again() -> None:
    blob = snapshot()
    assert blob is not None
    version, files = marshal.loads(blob)
    stale = tuple((n, size + 1, mtime, {"name": "stale"}) for n, size, mtime, _ in files)
    use_snapshot(marshal.dumps((version, stale)))
    assert packaged_doc(SNAPSHOT_FOLDER, ERA).data == parsed(ERA)


@pytest.mark.parametrize(
    "blob",
    [None, b"", b"\xff garbage", marshal.dumps((99, ())), marshal.dumps((1, ((1, 2, 3, {}),)))],
)
def test_a_snapshot_of_another_format_is_ignored(blob: bytes | None) -> None:
    use_snapshot(blob)
    assert packaged._held == {}
    assert packaged_doc(SNAPSHOT_FOLDER, ERA).data == parsed(ERA)


def test_a_document_from_a_snapshot_still_names_the_line_of_an_error() -> None:
    text = 'id = "x"\n\n[drivers]\ndrops = 3\n'
    asked: list[str] = []

    def again() -> str:
        asked.append("text")
        return text

    doc = TomlDoc.parsed(tomllib.loads(text), "mine.toml", again)
    drivers = doc.root().table("drivers")
    assert drivers is not None and drivers.get("drops") == 3 and asked == []  # read without the text
    with pytest.raises(InputError) as caught:
        drivers.fail("expected a table", "drops")
    assert (caught.value.source, caught.value.line, asked) == ("mine.toml", 4, ["text"])


def test_an_ergast_cache_keeps_a_snapshot_of_the_f1_rules(tmp_path: Path) -> None:
    cache = open_ergast_cache(import_ergast(MINI, tmp_path / "mini.pfcache"))
    assert cache.rules is not None
    assert marshal.loads(cache.rules) == marshal.loads(snapshot() or b"")
