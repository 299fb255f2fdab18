"""incidents.toml and translated decision reasons in an event folder: read, checked, written back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from parcferme.errors import InputError
from parcferme.formats.event_folder import read_event
from parcferme.formats.event_folder_writer import write_event_folder
from parcferme.formats.event_json import event_from_json, event_to_json
from parcferme.model.incidents import IncidentKind
from parcferme.model.timing import TrackStatus

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "mini-event"

LOG = """
[[incidents]]
lap = 2
kind = "spin"
cars = ["1"]
hit_by = "007"
neutralisation = "sc"
retired = ["1", "007"]
note = { en = "Spun at Eau Rouge", fr = "Tête-à-queue au Raidillon" }

[[incidents]]
kind = "contact"
cars = ["007", "1"]
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "spa"
    shutil.copytree(FIXTURE, out)
    return out


def _r1(event_folder: Path) -> Path:
    return event_folder / "sessions" / "R1"


def test_the_log_is_read_in_file_order(folder: Path) -> None:
    (_r1(folder) / "incidents.toml").write_text(LOG, encoding="utf-8")
    data = next(s for s in read_event(folder).sessions if s.session.id == "R1")
    spin, contact = data.incidents
    assert (spin.kind, spin.cars, spin.hit_by, spin.lap) == (IncidentKind.SPIN, ("1",), "007", 2)
    assert spin.neutralisation is TrackStatus.SC and spin.retired == ("1", "007")
    assert spin.involved == ("1", "007") and spin.note["fr"] == "Tête-à-queue au Raidillon"
    assert (contact.kind, contact.lap, contact.neutralisation, contact.note) == (
        IncidentKind.CONTACT,
        None,
        None,
        {},
    )


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('kind = "spin"', 'kind = "explosion"', "unknown incident kind 'explosion'"),
        ('cars = ["1"]', 'cars = ["99"]', "unknown car number '99'"),
        ('cars = ["1"]', "cars = [1]", "car numbers are strings"),
        ('cars = ["1"]', "cars = []", "at least one car"),
        ('hit_by = "007"', 'hit_by = "1"', "cannot hit itself"),
        ('neutralisation = "sc"', 'neutralisation = "green"', "unknown neutralisation 'green'"),
        ('retired = ["1", "007"]', 'retired = ["7"]', "not involved"),
        ('cars = ["007", "1"]', 'cars = ["007"]', "a contact involves at least two cars"),
        ("lap = 2", "lap = 0", "at least 1"),
        ("lap = 2", "laps = 2", "unknown key 'laps'"),
    ],
)
def test_a_bad_log_names_the_file_line_and_field(folder: Path, old: str, new: str, words: str) -> None:
    (_r1(folder) / "incidents.toml").write_text(LOG.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_event(folder)
    error = info.value
    assert error.source == "spa/sessions/R1/incidents.toml" and error.line is not None, str(error)
    assert words in str(error)


def test_a_reason_can_be_given_per_language(folder: Path) -> None:
    decisions = _r1(folder) / "decisions.toml"
    text = decisions.read_text(encoding="utf-8")
    start = text.index("reason = ")
    end = text.index("\n", start)
    decisions.write_text(
        text[:start] + 'reason = { fr = "Départ anticipé", en = "Jump start" }' + text[end:], encoding="utf-8"
    )
    decision = next(s for s in read_event(folder).sessions if s.session.id == "R1").decisions[0]
    assert decision.reason == "Jump start"  # English first, whatever the order in the file
    assert decision.reason_in("fr") == "Départ anticipé" and decision.reason_in("de") == "Jump start"


def test_folder_and_json_give_the_log_and_translations_back(folder: Path, tmp_path: Path) -> None:
    (_r1(folder) / "incidents.toml").write_text(LOG, encoding="utf-8")
    decisions = _r1(folder) / "decisions.toml"
    text = decisions.read_text(encoding="utf-8")
    start = text.index("reason = ")
    end = text.index("\n", start)
    decisions.write_text(text[:start] + 'reason = { en = "Jump start", fr = "Départ anticipé" }' + text[end:])
    event = read_event(folder)
    copy = tmp_path / "copy"
    write_event_folder(event, copy)
    assert read_event(copy) == event
    assert event_from_json(event_to_json(event)) == event


def test_a_version_1_json_document_is_still_read(folder: Path) -> None:
    import json

    event = read_event(folder)
    document = json.loads(event_to_json(event))
    document["schema"] = "parcferme.event/1"
    for session in document["sessions"]:
        del session["incidents"]
        for decision in session["decisions"]:
            del decision["reason_translations"]
    again = event_from_json(json.dumps(document))
    assert again == event  # the fixture has no incidents and no translations: nothing is lost
