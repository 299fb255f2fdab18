"""Championship standings documents after Spa 2017 (code 40, per classification; 41 for teams): they open,
their text holds each table in the order the standings engine computed it, with the points of each race,
the total and the engine's tie notes; dropped results are in brackets; the round pack writes them beside
the session documents, in every language, in one pool.

Expectations come from the standings engine itself (computed here), plus a few facts of the weekend:
Misslin leads the B classification, Andlauer the French championship.
"""

from __future__ import annotations

import gc
import io
import shutil
import subprocess
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pypdf
import pytest
from PIL import Image, ImageStat

from parcferme.demo import load_spa2017
from parcferme.engine import EventResults, classify_event
from parcferme.engine.championship import season_from_events
from parcferme.errors import ParcFermeError
from parcferme.formats.calendar import packaged_calendar
from parcferme.model.championship import Season, Table
from parcferme.model.points import DropRule, DropSegment, DropUnit, PointsRules, TeamRules
from parcferme.model.standings import StandingsTable, TieNote, format_points
from parcferme.report.pdf import (
    ChampionshipStandings,
    championship_standings,
    render_standings,
    standings_documents,
    standings_html,
    write_round_pack,
)
from parcferme.report.pdf import pack as pack_module
from parcferme.report.pdf.documents import standings_filename
from parcferme.report.pdf.labels import tie_text
from parcferme.report.pdf.standings import MAX_RACE_COLUMNS, _layout
from parcferme.rules.points_loader import load_points_rules

PUBLISHED = "2017-05-06 18:00"


@pytest.fixture(scope="module")
def spa() -> EventResults:
    return classify_event(load_spa2017())


@pytest.fixture(scope="module")
def rules() -> PointsRules:
    return load_points_rules("carrera-cup-france-2017")


@pytest.fixture(scope="module")
def season(spa: EventResults, rules: PointsRules) -> Season:
    calendar = packaged_calendar("carrera-cup-france-2017")
    assert calendar is not None
    return season_from_events([spa], rules, calendar=calendar.rounds)


@pytest.fixture(scope="module")
def standings(spa: EventResults, season: Season, rules: PointsRules) -> ChampionshipStandings:
    return championship_standings(season, rules, classifications=spa.event.classifications, event=spa.event)


def table_of(
    standings: ChampionshipStandings, classification: str, table: Table = Table.DRIVERS
) -> StandingsTable:
    found = standings.history(table, classification).after(standings.after_round)
    assert found is not None
    return found


@pytest.fixture(scope="module")
def b_pdf(standings: ChampionshipStandings) -> bytes:
    return render_standings(standings, Table.DRIVERS, "b", published=PUBLISHED)


@pytest.fixture(scope="module")
def overall_pdf(standings: ChampionshipStandings) -> bytes:
    return render_standings(standings, published=PUBLISHED)


@pytest.fixture(scope="module")
def fr_pdf_in_french(standings: ChampionshipStandings) -> bytes:
    return render_standings(standings, Table.DRIVERS, "fr", published=PUBLISHED, lang="fr", status="OFFICIAL")


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    """Whitespace (line ends of wrapped cells, no-break spaces) as single spaces."""
    return " ".join(text.replace("\u00a0", " ").split())


def in_order(text: str, needles: list[str]) -> bool:
    at = 0
    for needle in needles:
        found = text.find(needle, at)
        if found < 0:
            return False
        at = found + len(needle)
    return True


def lines_of(standings: ChampionshipStandings, table: StandingsTable) -> list[list[str]]:
    """Each row as the document should print it: position, car, name, then each race's points and the
    total, from the standings engine (round 1's two races)."""
    history = standings.history(table.table, table.classification)
    cars = {d: r.car for s in standings.season.rounds[0].sessions for r in s.results for d in r.drivers}
    out = []
    for row in table.rows:
        points = {s.session: s.points for s in history.scores_of(row.competitor)}
        races = [format_points(points[r]) for r in ("R1", "R2") if r in points]
        out.append(
            [f"{row.position_text} {cars[row.competitor]} {row.name}", *races, format_points(row.points)]
        )
    return out


# ── what the engine computed is what the documents print ───────────────────────────────────────────────


def test_b_standings_misslin_first_in_the_engines_order(
    standings: ChampionshipStandings, b_pdf: bytes
) -> None:
    (page,) = pages_of(b_pdf)
    table = table_of(standings, "b")
    assert table.rows[0].competitor == "nicolas_misslin"  # a fact of the weekend: Misslin leads B
    text = flat(page)
    assert in_order(text, [cell for line in lines_of(standings, table) for cell in line])
    assert "1 9 Nicolas Misslin FRA Martinet by Alméras 19 22 41" in text
    for expected in (
        "PORSCHE CARRERA CUP FRANCE 2017",
        "Round 1 · Spa-Francorchamps",
        "Circuit de Spa-Francorchamps · 7.004 km",
        "AFTER ROUND 1",
        "Saturday 6 May 2017",
        "Round 1 of 6 · 2 races held",
        "DRIVERS' CHAMPIONSHIP — B drivers",
        "PROVISIONAL",
        "Document 40-B · Version 1",
        f"Published {PUBLISHED}",
        "Page 1 of 1",
        "Spa-",  # the round over its two races (in two lines: "Spa-" / "Francorchamps")
    ):
        assert expected in text, expected


def test_overall_and_french_standings_follow_the_engine(
    standings: ChampionshipStandings, overall_pdf: bytes
) -> None:
    pages = pages_of(overall_pdf)
    assert len(pages) == 1  # 38 drivers and their tie notes on one page
    text = flat(pages[0])
    overall = table_of(standings, "overall")
    assert in_order(text, [cell for line in lines_of(standings, overall) for cell in line])
    assert "Document 40 · Version 1" in text
    leader = overall.rows[0]
    for row in overall.rows[1:]:  # the gap to the leader, in points
        if row.points != leader.points:
            assert f"−{format_points(leader.points - row.points)}" in text
    french = table_of(standings, "fr")
    assert french.rows[0].competitor == "julien_andlauer"  # a fact of the weekend: Andlauer leads FR
    assert french.row("dylan_derdaele") is None  # Benelux trophy: not in the French championship


def test_tie_notes_are_the_engines_words(standings: ChampionshipStandings, overall_pdf: bytes) -> None:
    text = flat(pages_of(overall_pdf)[0])
    ties = [row for row in table_of(standings, "overall").rows if row.tie is not None]
    assert ties  # the weekend has drivers level on points
    assert "Competitors level on points".upper() in text
    for row in ties:
        assert row.tie is not None
        assert f"{row.position_text} {row.name} {row.tie.text}" in text


def test_french_standings_in_french(standings: ChampionshipStandings, fr_pdf_in_french: bytes) -> None:
    (page,) = pages_of(fr_pdf_in_french)
    text = flat(page)
    table = table_of(standings, "fr")
    assert in_order(text, [row.name for row in table.rows])
    for expected in (
        "CHAMPIONNAT PILOTES — Championnat de France",
        "APRÈS LA MANCHE 1",
        "samedi 6 mai 2017",
        "Manche 1 sur 6 · 2 courses disputées",
        "OFFICIEL",
        "Document 40-FR",
        "Page 1 sur 1",
        "PILOTES À ÉGALITÉ DE POINTS",
    ):
        assert expected in text, expected
    for row in table.rows:
        if row.tie is not None:
            assert flat(tie_text(row.tie, "fr")) in text
            assert "ex æquo à" in text


def test_tie_notes_in_french() -> None:
    def note(detail: str) -> str:
        return tie_text(TieNote("x", Fraction(61, 2), None, detail), "fr").replace("\u00a0", " ")

    assert note("3 wins to 2") == "ex æquo à 30,5 pts : 3 victoires contre 2"
    assert note("1 2nd place to 0") == "ex æquo à 30,5 pts : 1 place de 2e contre 0"
    assert note("better result in round 1 R2: 1st to 5th") == (
        "ex æquo à 30,5 pts : meilleur résultat en manche 1 R2 : 1er contre 5e"
    )
    assert note("2 3rd places to 1 (finishing order, classified or not)") == (
        "ex æquo à 30,5 pts : 2 places de 3e contre 1 (ordre d’arrivée, classés ou non)"
    )
    assert note("something new") == "ex æquo à 30,5 pts : something new"  # never guessed at
    assert tie_text(TieNote("x", Fraction(30), None, "1 win to 0"), "en") == "tied on 30 pts: 1 win to 0"


def test_dropped_results_are_in_brackets(spa: EventResults, season: Season, rules: PointsRules) -> None:
    drop_one = DropRule((DropSegment(drop=1),), unit=DropUnit.SESSION)
    dropping = replace(rules, drivers=replace(rules.drivers, drops=drop_one))
    classes = [c for c in spa.event.classifications if c.id == "b"]
    standings = championship_standings(season, dropping, classifications=classes, event=spa.event)
    table = table_of(standings, "b")
    text = flat(pages_of(render_standings(standings, Table.DRIVERS, "b", published=PUBLISHED))[0])
    misslin = table.row("nicolas_misslin")
    assert misslin is not None and [d.session for d in misslin.dropped] == ["R1"]  # his 19 of R1
    assert f"Nicolas Misslin FRA Martinet by Alméras (19) 22 {format_points(misslin.points)}" in text
    assert "In brackets and italics: results dropped" in text


def test_a_team_championship_has_its_own_document(
    spa: EventResults, season: Season, rules: PointsRules
) -> None:
    with_teams = replace(rules, teams=TeamRules())
    standings = championship_standings(season, with_teams, event=spa.event)
    assert standings_documents(standings) == [(Table.DRIVERS, "overall"), (Table.TEAMS, "overall")]
    html = standings_html(standings, Table.TEAMS, published=PUBLISHED)
    teams = table_of(standings, "overall", Table.TEAMS)
    assert "Teams&#39; championship" in html or "Teams' championship" in html
    assert "Document 41 ·" in html
    positions = [html.index(f">{row.name}<") for row in teams.rows]
    assert positions == sorted(positions)
    assert standings_filename(Table.TEAMS, "fr", "en") == "41-FR-team-standings-en.pdf"


def test_many_races_turn_the_page_and_many_more_make_a_column_a_round() -> None:
    keys = ["pos", "no", "name", "nat", "team"]
    assert _layout(keys, 2, True)[:1] == (False,)  # a season's start: portrait
    landscape, width, team = _layout(keys, 12, True)  # six meetings of two races
    assert landscape and width >= 6.6 and team
    landscape, width, team = _layout(keys, MAX_RACE_COLUMNS, True)  # an F1 season's 24 rounds
    assert landscape and width >= 6.6 and team
    landscape, width, team = _layout(keys, MAX_RACE_COLUMNS + 4, True)  # the team goes before the races
    assert landscape and width >= 6.6 and not team


def test_unknown_table_is_a_parcferme_error(standings: ChampionshipStandings) -> None:
    with pytest.raises(ParcFermeError, match="no teams standings"):
        standings_html(standings, Table.TEAMS, published=PUBLISHED)


# ── the round pack ─────────────────────────────────────────────────────────────────────────────────────


def only_b(standings: ChampionshipStandings) -> ChampionshipStandings:
    """The B table alone: the pack tests need one cheap standings document."""
    return replace(standings, tables=(standings.history(Table.DRIVERS, "b"),))


@pytest.mark.parametrize("workers", [1, 2])
def test_round_pack_writes_sessions_then_standings_language_by_language(
    spa: EventResults,
    standings: ChampionshipStandings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    workers: int,
) -> None:
    # two cheap session documents stand for the whole list, which the benchmark renders
    monkeypatch.setattr(
        pack_module, "session_documents", lambda r, s: [("penalties", "overall"), ("lap-chart", "overall")]
    )
    thresholds = gc.get_threshold()
    written = write_round_pack(
        spa,
        only_b(standings),
        tmp_path / "out",
        langs=("fr", "en"),
        published=PUBLISHED,
        sessions=["R1"],
        chart_formats=("svg",),
        workers=workers,
    )
    assert [p.name for p in written] == [
        "R1-30-penalties-fr.pdf",
        "R1-10-lap-chart-fr.svg",
        "R1-10-lap-chart-fr.pdf",
        "40-B-standings-fr.pdf",
        "R1-30-penalties-en.pdf",
        "R1-10-lap-chart-en.svg",
        "R1-10-lap-chart-en.pdf",
        "40-B-standings-en.pdf",
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)
    assert gc.get_threshold() == thresholds and gc.get_freeze_count() == 0  # the collector as it was
    # the chart is drawn once and translated: its words are each language's own
    assert b">Tour</text>" in (tmp_path / "out" / "R1-10-lap-chart-fr.svg").read_bytes()
    assert b">Lap</text>" in (tmp_path / "out" / "R1-10-lap-chart-en.svg").read_bytes()
    assert "APRÈS LA MANCHE 1" in flat(pages_of((tmp_path / "out" / "40-B-standings-fr.pdf").read_bytes())[0])


def test_round_pack_checks_its_arguments_before_writing_anything(
    spa: EventResults, standings: ChampionshipStandings, tmp_path: Path
) -> None:
    for options in ({"langs": ()}, {"langs": ("fr", "de")}, {"status": "draft"}, {"sessions": ["R9"]}):
        with pytest.raises(ParcFermeError):
            write_round_pack(spa, standings, tmp_path / "out", published=PUBLISHED, **options)  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


# ── the page as an image ───────────────────────────────────────────────────────────────────────────────


def test_b_standings_page_renders_and_is_not_blank(b_pdf: bytes, tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
    source = tmp_path / "standings.pdf"
    source.write_bytes(b_pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")],
        check=True,
    )
    (image,) = sorted(tmp_path.glob("page-*.png"))
    with Image.open(image) as picture:
        assert picture.width > 100 and picture.height > 100
        grey = picture.convert("L")
        (deviation,) = ImageStat.Stat(grey).stddev
        dark = sum(grey.histogram()[:128]) / (grey.width * grey.height)
    assert deviation > 20  # a blank page has none
    assert dark > 0.02  # the header bars and eight lines of text
