"""The Al Kamel analysis CSV reader on hand-made fixtures (tests/fixtures/alkamel/), then one test per trap
of the format (../shared/data/README.md) and per error it reports.

mini.csv: a 10-minute race, UTF-8 with BOM, CRLF, trailing ';', padded header names; cars "7" and "007"
(different cars), "31" (a lap down), "99" (retires in the pit lane after starting from it); a safety car
between 5:37 and 7:47; #7 pits on lap 4 and changes driver. red-flag.csv: a 20-minute race without BOM and
with LF, suspended by a red flag after 6 minutes and resumed behind the safety car.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parcferme.engine import classify_event
from parcferme.engine.laps import StatusTimeline
from parcferme.errors import InputError
from parcferme.formats import alkamel_table
from parcferme.formats.alkamel import EventInfo, parse_alkamel, read_alkamel, scheduled_duration
from parcferme.formats.alkamel_laps import class_id, lap_statuses, split_name
from parcferme.formats.alkamel_table import Table, parse_clock
from parcferme.formats.alkamel_writer import clock
from parcferme.model import Circuit, Driver, RaceEnd, Status, TrackStatus, TrackStatusPeriod
from parcferme.rules import load_rule_set

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "alkamel"
MINI = FIXTURES / "mini.csv"
RED = FIXTURES / "red-flag.csv"
START = 14 * 3600 * 10**6  # 14:00:00, HOUR − ELAPSED in mini.csv
S = 10**6


def mini_bytes() -> bytes:
    return MINI.read_bytes()


def parse(data: bytes) -> object:
    return parse_alkamel(data, "mini.csv")


def error(data: bytes) -> InputError:
    with pytest.raises(InputError) as caught:
        parse_alkamel(data, "mini.csv")
    return caught.value


def replace_cell(data: bytes, line: int, column: int, value: str) -> bytes:
    """mini.csv with one cell changed (line counted from 1, column from 0)."""
    lines = data.decode("utf-8-sig").split("\r\n")
    cells = lines[line - 1].split(";")
    cells[column] = value
    lines[line - 1] = ";".join(cells)
    return "\r\n".join(lines).encode("utf-8")


# ------------------------------------------------------------------------------------------ happy path


def test_mini_reads_entries_in_file_order_with_string_numbers() -> None:
    race = read_alkamel(MINI)
    assert [e.number for e in race.event.entries] == ["007", "31", "7", "99"]
    seven = race.event.entry("7")
    assert seven.drivers == (Driver("Kamui", "KOBAYASHI"), Driver("Mike", "CONWAY"))
    assert seven.team == "Toyota Gazoo Racing"
    assert seven.car == "Toyota"
    assert dict(seven.attributes) == {"class": "HYPERCAR", "group": "H", "manufacturer": "Toyota"}
    assert "group" not in race.event.entry("31").attributes  # an empty GROUP cell leaves it out
    assert race.event.entry("007").drivers == (Driver("Sébastien", "BUEMI"),)
    assert race.encoding == "utf-8"


def test_mini_event_info_and_schedule() -> None:
    info = EventInfo(series="FIA WEC", round=3, circuit=Circuit("Spa", 7004), date=dt.date(2025, 5, 10))
    race = read_alkamel(MINI, info=info)
    event = race.event
    assert (event.series, event.season, event.round, event.name) == ("FIA WEC", 2025, 3, "mini")
    assert event.circuit == Circuit("Spa", 7004)
    assert event.rules == load_rule_set("wec")
    session = race.session.session
    assert (session.id, session.name, session.is_race) == ("R", "Race", True)
    assert session.schedule.date == dt.date(2025, 5, 10)
    assert session.schedule.start == START
    assert session.schedule.duration == 600 * S  # 10:00, the roundest time in (7:47, 10:17]
    assert session.schedule.end_mode is RaceEnd.TIME
    assert session.sector_lines == ("S1", "S2")  # three sectors


def test_mini_laps() -> None:
    laps = {(lap.car, lap.number): lap for lap in read_alkamel(MINI).session.laps or ()}
    assert len(laps) == 16
    first = laps["7", 1]
    assert (first.start, first.end, first.time) == (START, START + 112 * S, 112 * S)
    assert first.sectors == (29_800_000, 49_800_000, 32_400_000)
    fifth = laps["7", 5]
    assert fifth.start == START + 467 * S and fifth.end == START + 617 * S
    assert laps["7", 4].in_pit and not laps["7", 4].out_lap
    assert fifth.out_lap and fifth.driver == 1  # after the pit lap; Mike CONWAY, driver 2
    assert laps["99", 1].out_lap  # a PIT_TIME on lap 1: started from the pit lane
    assert laps["99", 2].in_pit
    assert laps["31", 1].driver == 0  # only DRIVER_NUMBER 2 drove: the only driver, index 0
    assert not any(lap.deleted for lap in laps.values())


def test_mini_track_status_from_flags() -> None:
    race = read_alkamel(MINI)
    periods = race.session.track_status
    # SF first shown at #7's crossing at 5:37, GF again at its crossing at 7:47; FF from 10:17
    assert [(p.status, p.start, p.end) for p in periods] == [
        (TrackStatus.SC, START + 337 * S - 1, START + 467 * S - 1),
        (TrackStatus.CHEQUERED, START + 617 * S - 1, None),
    ]
    laps = {(lap.car, lap.number): lap for lap in race.session.laps or ()}
    assert laps["7", 3].statuses == {TrackStatus.SC}  # ended under the safety car
    assert laps["7", 2].statuses == frozenset()
    assert laps["31", 4].statuses == {TrackStatus.SC, TrackStatus.CHEQUERED}


def test_mini_extras() -> None:
    race = read_alkamel(MINI)
    assert race.extras["7", 5].pit_time == 65 * S
    assert race.extras["7", 5].top_speed == 300.5
    assert race.extras["31", 3].top_speed is None
    assert race.extras["007", 1].kph == 172.3
    assert len(race.extras) == 16


def test_mini_classification_overall_and_per_class() -> None:
    race = read_alkamel(MINI)
    outcome = classify_event(race.event).sessions[0]
    overall = outcome.overall
    assert [(r.position, r.car, r.laps, r.status) for r in overall.rows] == [
        (1, "7", 5, Status.CLASSIFIED),
        (2, "007", 5, Status.CLASSIFIED),
        (3, "31", 4, Status.CLASSIFIED),  # 70 % of 5, rounded up: 4 laps
        (None, "99", 2, Status.DNF),
    ]
    assert str(overall.rows[1].gap) == "+1.200"
    assert str(overall.rows[2].gap) == "+1 Lap"
    assert overall.neutralised_laps == (3, 4)
    assert [c.id for c in race.event.classifications] == ["hypercar", "lmgt3"]  # fastest class first
    assert [r.car for r in outcome.results["lmgt3"].rows] == ["31", "99"]
    assert outcome.results["lmgt3"].rows[0].position == 1
    assert dict(race.event.classifications[1].require) == {"class": "LMGT3"}


def test_red_flag_race_without_bom_and_with_lf() -> None:
    race = read_alkamel(RED)
    session = race.session
    assert session.session.schedule.duration == 1200 * S
    statuses = [p.status for p in session.track_status]
    assert statuses == [TrackStatus.RED, TrackStatus.SC, TrackStatus.CHEQUERED]
    assert session.track_status[0].end is not None  # resumed: not a race suspended for good
    red_laps = {(lap.car, lap.number) for lap in session.laps or () if TrackStatus.RED in lap.statuses}
    assert red_laps == {("1", 3), ("1", 4), ("1", 5), ("2", 3), ("2", 4), ("2", 5)}
    result = classify_event(race.event).sessions[0].overall
    assert [(r.car, r.laps) for r in result.rows] == [("1", 7), ("2", 7)]
    assert not result.red_flag_countback


def test_red_flag_not_resumed_takes_the_count_back() -> None:
    lines = RED.read_text(encoding="utf-8").splitlines()
    cut = [lines[0], *(line for line in lines[1:] if line.split(";")[2] in ("1", "2", "3"))]
    race = parse_alkamel(("\n".join(cut) + "\n").encode(), "red-flag.csv")
    assert race.session.session.schedule.duration is None  # no chequered flag
    assert race.session.track_status[-1].status is TrackStatus.RED
    assert race.session.track_status[-1].end is None
    result = classify_event(race.event).sessions[0].overall
    assert result.red_flag_countback and result.laps_completed == 1  # red during lap 3: lap 3 − 2


# ----------------------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encode", "label"),
    [
        (lambda text: text.encode("utf-8"), "utf-8"),
        (lambda text: ("\ufeff" + text).encode("utf-8"), "utf-8"),
        (lambda text: text.encode("utf-16-le"), "utf-16-le"),
        (lambda text: text.encode("utf-16-be"), "utf-16-be"),
        (lambda text: text.encode("utf-16"), "utf-16-le"),  # with its BOM
        (lambda text: text.encode("cp1252"), "cp1252"),
        (lambda text: text.replace("\r\n", "\n").encode("utf-8"), "utf-8"),
        (lambda text: text.replace("\r\n", "\r").encode("utf-8"), "utf-8"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-no-bom", "utf16be-no-bom", "utf16-bom", "cp1252", "lf", "cr"],
)
def test_encodings_and_line_ends_give_the_same_race(encode: object, label: str) -> None:
    text = MINI.read_bytes().decode("utf-8-sig")
    race = parse_alkamel(encode(text), "mini.csv")  # type: ignore[operator]
    reference = read_alkamel(MINI)
    assert race.encoding == label
    assert race.session.laps == reference.session.laps
    assert race.event.entries == reference.event.entries


def test_latin1_line_in_a_utf8_file_is_decoded_per_line() -> None:
    text = MINI.read_bytes().decode("utf-8-sig")
    lines = text.split("\r\n")
    lines[5] = lines[5].replace("Sébastien", "Sébastien") + ""
    data = "\r\n".join(lines[:5]).encode("utf-8") + b"\r\n" + lines[5].encode("cp1252") + b"\r\n"
    data += "\r\n".join(lines[6:]).encode("utf-8")
    race = parse_alkamel(data, "mini.csv")
    assert race.encoding == "utf-8+cp1252"
    assert race.event.entry("007").drivers == (Driver("Sébastien", "BUEMI"),)


def test_header_names_any_case_and_padding_and_cells_padded() -> None:
    text = MINI.read_bytes().decode("utf-8-sig")
    header, *rest = text.split("\r\n")
    padded = [";".join(f" {cell} " if cell else cell for cell in line.split(";")) for line in rest]
    data = "\r\n".join([header.lower(), *padded]).encode()
    race = parse_alkamel(data, "mini.csv")
    assert race.session.laps == read_alkamel(MINI).session.laps


def test_quoted_cells_go_through_the_csv_module() -> None:
    data = replace_cell(mini_bytes(), 2, 23, '"Aston Martin; Thor ""Team"""')
    race = parse_alkamel(data, "mini.csv")
    assert race.event.entry("007").team == 'Aston Martin; Thor "Team"'
    assert race.session.laps == read_alkamel(MINI).session.laps


def test_rows_without_the_trailing_semicolon_and_blank_lines() -> None:
    text = MINI.read_bytes().decode("utf-8-sig")
    lines = [line.removesuffix(";") for line in text.split("\r\n")]
    lines.insert(3, "")
    lines.insert(7, "   ")
    race = parse_alkamel("\n".join(lines).encode(), "mini.csv")
    assert race.session.laps == read_alkamel(MINI).session.laps


def test_rows_in_time_order_give_the_same_laps() -> None:
    """Cars interleaved (as a live feed writes them) rather than each car's laps together."""
    text = MINI.read_bytes().decode("utf-8-sig")
    header, *rows = [line for line in text.split("\r\n") if line]
    rows.sort(key=lambda row: parse_clock(row.split(";")[13]))
    race = parse_alkamel("\n".join([header, *rows]).encode(), "mini.csv")
    assert sorted(race.session.laps or ()) == sorted(read_alkamel(MINI).session.laps or ())
    assert {e.number for e in race.event.entries} == {"7", "007", "31", "99"}


def test_a_file_without_optional_columns() -> None:
    data = b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n1;1;1:40.000;1:40.000\n1;2;1:41.5;3:21.5\n"
    race = parse_alkamel(data, "bare.csv")
    laps = race.session.laps or ()
    assert [(lap.number, lap.time, lap.end) for lap in laps] == [
        (1, 100 * S, 100 * S),
        (2, 101_500_000, 201_500_000),
    ]
    assert race.event.entries[0].drivers == (Driver("", ""),)
    assert race.session.session.schedule.start == 0 and race.session.session.schedule.duration is None
    assert race.session.track_status == () and race.event.classifications == ()
    assert race.session.session.sector_lines == () and laps[0].sectors == ()


def test_duration_given_replaces_the_inferred_one() -> None:
    race = read_alkamel(MINI, duration=540 * S)
    assert race.session.session.schedule.duration == 540 * S


# --------------------------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("line", "column", "value", "field", "words"),
    [
        (3, 0, "", "NUMBER", "empty car number"),
        (3, 2, "x", "LAP_NUMBER", "not a whole number"),
        (3, 2, "0", "LAP_NUMBER", "at least 1"),
        (3, 2, "1", "LAP_NUMBER", "comes after"),
        (3, 3, "1:5x.000", "LAP_TIME", "not a time"),
        (3, 3, "1:75.000", "LAP_TIME", "not a time"),
        (3, 3, "", "LAP_TIME", "empty cell"),
        (3, 3, "10.000", "LAP_TIME", "impossible lap time"),
        (3, 3, "4:00.000", "ELAPSED", "longer than the race time"),
        (3, 13, "1:52.000", "ELAPSED", "not after its previous lap"),
        (3, 5, "P", "CROSSING_FINISH_LINE_IN_PIT", "expected 'B'"),
        (3, 25, "YF", "FLAG_AT_FL", "unknown flag"),
        (3, 1, "x", "DRIVER_NUMBER", "not a whole number"),
        (3, 19, "Tom GAMBLE", "DRIVER_NAME", "driver 1 is"),
        (3, 21, "LMP2", "CLASS", "changes class"),
        (3, 18, "3O1.2", "TOP_SPEED", "not a number"),
        (3, 18, "30.1.2", "TOP_SPEED", "not a number"),
        (3, 20, "1:2:3:4.5", "PIT_TIME", "not a time"),
        (3, 26, "29,500", "S1_SECONDS", "not a number of seconds"),
        (2, 14, "25:00:00.000", "HOUR", "not a time of day"),
        (3, 13, "٣:44.000", "ELAPSED", "not a time"),
    ],
)
def test_each_bad_cell_is_an_input_error_naming_line_and_column(
    line: int, column: int, value: str, field: str, words: str
) -> None:
    exc = error(replace_cell(mini_bytes(), line, column, value))
    assert exc.source == "mini.csv"
    assert exc.line == line
    assert exc.field == field
    assert words in exc.message


def test_missing_required_column() -> None:
    data = mini_bytes().decode("utf-8-sig").replace(" ELAPSED;", " ELAPSED_TIME;").encode()
    exc = error(data)
    assert exc.line == 1 and exc.field == "ELAPSED" and "missing column" in exc.message


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty file"),
        (b"\n \n;;\n", "empty file"),
        (b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED;\n", "no laps"),
        (b"NUMBER;;LAP_TIME;ELAPSED\n", "has no name"),
        (b"NUMBER;NUMBER;LAP_TIME;ELAPSED\n", "appears twice"),
        (b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n1;1;1:40.000;1:40.000;x\n", "header names 4 columns"),
        (b'NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n"1;1;1:40.000;1:40.000\n', "malformed CSV"),
        (b"\xff\xfeN\x00\x00\xd8", "not UTF-16-LE"),
    ],
)
def test_structural_errors(data: bytes, words: str) -> None:
    assert words in error(data).message


def test_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        read_alkamel(tmp_path / "absent.csv")


# ----------------------------------------------------------------------------------------------- parts


@pytest.mark.parametrize(
    ("text", "micros"),
    [
        ("45.985", 45_985_000),
        ("3:53.276", 233_276_000),
        ("24:01:28.482", 86_488_482_000),
        ("0:01:27.261", 87_261_000),
        ("83", 83_000_000),
        ("1:02.5", 62_500_000),
        ("1:02.123456", 62_123_456),
        ("125.5", 125_500_000),
    ],
)
def test_parse_clock(text: str, micros: int) -> None:
    assert parse_clock(text) == micros


@pytest.mark.parametrize(
    "text", ["", ".5", "5.", "1:2.000", "1:60.000", "1:60:00.000", ":05.0", "1.1234567", "1:2:3:4"]
)
def test_parse_clock_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_clock(text)


@pytest.mark.parametrize(
    ("text", "driver"),
    [
        ("Patrick PILET", Driver("Patrick", "PILET")),
        ("Luis Felipe DERANI", Driver("Luis Felipe", "DERANI")),
        ("José María LÓPEZ", Driver("José María", "LÓPEZ")),
        ("Nyck DE VRIES", Driver("Nyck", "DE VRIES")),
        ("Pierre-Louis CHOVET", Driver("Pierre-Louis", "CHOVET")),
        ("Jules Gounon", Driver("Jules", "Gounon")),
        ("ALL CAPS", Driver("ALL", "CAPS")),
        ("Mononym", Driver("", "Mononym")),
        ("  ", Driver("", "")),
    ],
)
def test_split_name(text: str, driver: Driver) -> None:
    assert split_name(text) == driver


def test_class_id() -> None:
    assert class_id("LMGT3") == "lmgt3"
    assert class_id("LMP2 Pro/Am") == "lmp2-pro-am"
    assert class_id("!!") == "class"


def test_duplicate_class_ids_are_made_unique() -> None:
    text = MINI.read_bytes().decode("utf-8-sig").replace(";LMGT3;", ";LM GT3;")
    text = text.replace("99;1;1;", "99;1;1;", 1)
    lines = text.split("\r\n")
    lines = [line.replace(";LM GT3;", ";LM-GT3;") if line.startswith("99;") else line for line in lines]
    race = parse_alkamel("\r\n".join(lines).encode(), "mini.csv")
    assert sorted(c.id for c in race.event.classifications) == ["hypercar", "lm-gt3", "lm-gt3_"]


def test_scheduled_duration_falls_back_to_the_finish_time() -> None:
    race = read_alkamel(MINI)
    session = race.session
    assert (
        scheduled_duration(session.laps or (), session.track_status, session.session.schedule.start)
        == 600 * S
    )
    assert scheduled_duration(session.laps or (), (), 0) is None


@given(
    st.lists(st.integers(0, 30 * 3600 * 1000).map(lambda ms: ms * 1000), min_size=1, max_size=30),
    st.booleans(),
)
def test_clock_columns_in_bulk_agree_with_parse_clock(micros: list[int], odd_one: bool) -> None:
    """The bulk path (`ss.fff` tails, parsed heads) and the cell-by-cell path give the same values."""
    cells = [clock(m) for m in micros]
    if odd_one:
        cells[0] = cells[0][:-2]  # one cell with a shorter fraction sends the column cell by cell
    text = "NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n" + "".join(
        f"1;{i};{c};{c}\n" for i, c in enumerate(cells, 1)
    )
    table = Table(text, "t.csv")
    assert table.clocks("LAP_TIME") == [parse_clock(c) for c in cells]


def test_mixed_line_ends_and_rows_without_trailing_semicolon() -> None:
    """CRLF on some lines only, no trailing ';': the CR ends up in the last column and is stripped."""
    data = b"NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED\n1;1;1:40.000;1:40.000\r\n1;2;1:41.000;3:21.000\n"
    laps = parse_alkamel(data, "x.csv").session.laps or ()
    assert [lap.end for lap in laps] == [100 * S, 201 * S]
    uneven = data.replace(b"1;2;1:41.000;3:21.000", b"1;2;1:41.000;3:21.000;")
    assert (parse_alkamel(uneven, "x.csv").session.laps or ()) == laps


# ------------------------------------------------------------------------- bulk paths against cell by cell

CLOCK_CELL = st.one_of(
    st.integers(0, 30 * 3600 * 1000).map(lambda ms: clock(ms * 1000)),  # as Al Kamel writes them
    st.text(alphabet="0123456789:.", min_size=1, max_size=12),  # anything of those characters
    st.sampled_from(["", ":51.000", "1:5:03.000", "100:00.000", "1:60.000", "5.1", "0:00:00.000", "99.999"]),
)


def cell_by_cell(cells: list[str]) -> list[int | None] | str:
    """What converting each cell alone gives: the values, or "error" when a cell is not valid."""
    try:
        return [parse_clock(c) if c else None for c in cells]
    except ValueError:
        return "error"


def table_of(column: str, cells: list[str]) -> Table:
    text = f"NUMBER;{column}\n" + "".join(f"1;{c}\n" for c in cells)
    return Table(text, "t.csv")


@given(st.lists(CLOCK_CELL, min_size=1, max_size=30))
def test_clock_columns_in_bulk_give_what_parse_clock_gives_or_the_same_error(cells: list[str]) -> None:
    """Any mix of shapes and empty cells: the bulk path converts exactly what parse_clock accepts."""
    expected = cell_by_cell(cells)
    table = table_of("LAP_TIME", cells)
    if expected == "error":
        with pytest.raises(InputError, match="not a time"):
            table.clocks("LAP_TIME")
    else:
        assert table.clocks("LAP_TIME") == expected


@given(
    st.lists(
        st.one_of(
            st.integers(0, 10**7).map(lambda ms: f"{ms // 1000}.{ms % 1000:03d}"),
            st.sampled_from(["", "", "86.2", "86.2140", ".214", "86.", "1e3", "8 6.214"]),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_seconds_columns_in_bulk_give_what_parse_clock_gives_or_the_same_error(cells: list[str]) -> None:
    valid = all(not c or (c.replace(".", "", 1).isdigit() and c.count(".") <= 1) for c in cells)
    table = table_of("S1_SECONDS", cells)
    if not valid or cell_by_cell(cells) == "error":
        with pytest.raises(InputError, match="not a number of seconds"):
            table.seconds("S1_SECONDS")
    else:
        assert table.seconds("S1_SECONDS") == cell_by_cell(cells)


def test_a_clock_without_minutes_before_its_colon_is_an_error() -> None:
    """`:51.000` was once taken as 51 s by the bulk path; parse_clock, and now every path, rejects it."""
    exc = error(replace_cell(mini_bytes(), 3, 3, ":51.000"))
    assert (exc.line, exc.field) == (3, "LAP_TIME") and "not a time" in exc.message


def test_mostly_empty_and_quoted_columns_in_bulk() -> None:
    cells = ["", "", "1:05:00.000", "", "2:00:00.500", ""]
    assert table_of("PIT_TIME", cells).clocks("PIT_TIME") == [
        None,
        None,
        3900 * S,
        None,
        7200 * S + 500_000,
        None,
    ]
    quoted = 'NUMBER;LAP_TIME\n1;"1:00.000;2:00.000"\n1;1:00.000\n'  # a ';' inside a cell: not two cells
    with pytest.raises(InputError, match="not a time"):
        Table(quoted, "t.csv").clocks("LAP_TIME")
    assert table_of("LAP_NUMBER", ["1", "2"]).whole_numbers("LAP_NUMBER", 1) == [1, 2]
    with pytest.raises(InputError, match="not a whole number"):
        table_of("LAP_NUMBER", ["1", "9" * 5000]).whole_numbers("LAP_NUMBER", 1)  # too long for int()


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("5.", True),
        (".5", True),
        ("316.3", True),
        ("", True),
        (".", False),
        ("3.1.6", False),
        ('"3;1"', False),
    ],
)
def test_speed_cells(value: str, valid: bool) -> None:
    data = replace_cell(mini_bytes(), 3, 18, value)
    if valid:
        parse(data)
    else:
        assert error(data).field == "TOP_SPEED"


def test_lines_of_unequal_length_after_the_first_chunk_are_read_row_by_row() -> None:
    """The file is split 1000 lines at a time; a short line far down still sends it row by row, and a
    cell beyond the header's columns is reported on its line whichever chunk it is in."""
    header = "NUMBER;LAP_NUMBER;LAP_TIME;ELAPSED;"
    rows = [f"1;{n};1:40.000;{clock(n * 100 * S)};" for n in range(1, 2501)]
    reference = parse_alkamel("\n".join([header, *rows]).encode(), "x.csv").session.laps
    short = rows.copy()
    short[1800] = short[1800].removesuffix(";")
    assert parse_alkamel("\n".join([header, *short]).encode(), "x.csv").session.laps == reference
    long = rows.copy()
    long[2100] += "x;"
    exc = error("\n".join([header, *long]).encode())
    assert exc.line == 2102 and "header names 4 columns" in exc.message


@given(
    st.lists(
        st.tuples(
            st.sampled_from(list(TrackStatus)), st.integers(0, 50), st.one_of(st.none(), st.integers(1, 30))
        ),
        max_size=6,
    ),
    st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), min_size=1, max_size=40),
)
def test_lap_statuses_column_wise_agree_with_the_timeline(
    periods: list[tuple[TrackStatus, int, int | None]], laps: list[tuple[int, int]]
) -> None:
    """Any periods (overlapping, open, green ones among them) and laps, boundaries included."""
    track = [
        TrackStatusPeriod(s, start, None if length is None else start + length)
        for s, start, length in periods
    ]
    starts = [start for start, _ in laps]
    ends = [start + length for start, length in laps]
    timeline = StatusTimeline(track)
    assert list(lap_statuses(track, starts, ends)) == list(map(timeline.during, starts, ends))


def _read_table(text: str) -> tuple[object, ...] | str:
    """Everything a Table gives (or its error), comparable between the two ways of reading the lines."""
    try:
        table = Table(text, "t.csv")
    except InputError as exc:
        return f"{exc.line} {exc.message}"
    return (table.header_line, table.names, table.lines, *(tuple(table.cells(c)) for c in table.columns))


LINE_PIECES = st.sampled_from(
    ["1", "22", "a b", " x", "y ", "\t", "", "", ";", ";", ";", "\r", " \r", "\xa0"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(LINE_PIECES, max_size=7).map("".join), min_size=1, max_size=14),
    st.sampled_from(["\n", "\r\n"]),
    st.integers(1, 4),
    st.integers(1, 40),
)
def test_lines_cut_from_the_text_read_as_lines_split_one_by_one(
    lines: list[str], end: str, chunk_lines: int, chunk_chars: int
) -> None:
    """The usual file is cut in chunks straight from the text (`Table._uniform`); any file reads the same
    as through the list of its lines. Chunks are made tiny here so that their edges fall everywhere."""
    text = end.join(["NUMBER;LAP_NUMBER;X;", *lines])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(alkamel_table, "_CHUNK", chunk_lines)
        patch.setattr(alkamel_table, "_CHUNK_CHARS", chunk_chars)
        fast = _read_table(text)
        patch.setattr(Table, "_uniform", lambda self, text: False)
        assert fast == _read_table(text)
