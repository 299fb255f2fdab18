"""Timing documents of the Spa 2017 weekend as PDF: they open, their text holds the results in order,
their header says what, where, which version and status, and every page renders to an image.

A subset is rendered (R1 and Q1 classifications, R2 lap chart, R1 lap analysis): WeasyPrint takes about
half a second a page, and the whole pack is the benchmark's business (benchmarks/report.py).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pytest
from PIL import Image, ImageStat

from parcferme.demo import load_spa2017
from parcferme.engine import EventResults, classify_event
from parcferme.errors import ParcFermeError
from parcferme.report.pdf import document_html, render_document, session_documents, write_session_pack
from parcferme.report.pdf import pack as pack_module

PUBLISHED = "2017-05-05 17:20"


@pytest.fixture(scope="module")
def spa() -> EventResults:
    return classify_event(load_spa2017())


@pytest.fixture(scope="module")
def r1_classification(spa: EventResults) -> bytes:
    return render_document("classification", spa, "R1", published=PUBLISHED)


@pytest.fixture(scope="module")
def q1_classification(spa: EventResults) -> bytes:
    return render_document(
        "classification", spa, "Q1", lang="fr", status="OFFICIAL", version=2, published=PUBLISHED
    )


@pytest.fixture(scope="module")
def r2_lap_chart(spa: EventResults) -> bytes:
    return render_document("lap-chart", spa, "R2", published=PUBLISHED)


@pytest.fixture(scope="module")
def r1_lap_analysis(spa: EventResults) -> bytes:
    return render_document("lap-analysis", spa, "R1", published=PUBLISHED)


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


def in_order(text: str, needles: list[str]) -> bool:
    """Every needle occurs in `text`, each after the previous one."""
    at = 0
    for needle in needles:
        found = text.find(needle, at)
        if found < 0:
            return False
        at = found + len(needle)
    return True


def names(spa: EventResults, session: str, classification: str = "overall") -> list[str]:
    rows = spa.session(session).results[classification].rows
    return [spa.event.entry(r.car).name for r in rows]


# ── content ────────────────────────────────────────────────────────────────────────────────────────────


def test_race_1_classification_lists_drivers_in_result_order(
    spa: EventResults, r1_classification: bytes
) -> None:
    (page,) = text_of(r1_classification)
    assert in_order(page, names(spa, "R1"))
    rows = spa.session("R1").overall.rows
    lines = [f"{r.position} {r.car} {spa.event.entry(r.car).name}" for r in rows if r.position is not None]
    assert in_order(page, lines)  # position, car number and driver on one line, in order


def test_race_1_classification_header_footer_and_notes(r1_classification: bytes) -> None:
    (page,) = text_of(r1_classification)
    for expected in (
        "PORSCHE CARRERA CUP FRANCE 2017",
        "Round 1 · Spa-Francorchamps",
        "Circuit de Spa-Francorchamps · 7.004",
        "RACE 1",
        "Friday 5 May 2017",
        "PROVISIONAL",
        "Document R1-03",
        "Version 1",
        f"Published {PUBLISHED}",
        "Page 1 of 1",
        "Fastest lap",
        "5\u00a0s time penalty",  # Andlauer's penalty, with its reason
        "Overshot his grid position",
        "NOT CLASSIFIED",
    ):
        assert expected in page, expected


def test_qualifying_classification_in_french_official_version_2(
    spa: EventResults, q1_classification: bytes
) -> None:
    (page,) = text_of(q1_classification)
    assert in_order(page, names(spa, "Q1"))
    for expected in (
        "OFFICIEL",
        "Version 2",
        "Page 1 sur 1",
        "Pole position",
        "QUALIFICATIONS 1",
        "CLASSEMENT",
    ):
        assert expected in page, expected
    assert "Drapeau rouge" in page  # the red flag four minutes from the end


def test_sub_classification_is_renumbered_and_shows_overall_positions(spa: EventResults) -> None:
    html = document_html("classification", spa, "R2", classification="b", published=PUBLISHED)
    for row in spa.session("R2").results["b"].rows:
        assert f">{row.overall_position}<" in html
    assert "Document R2-05-B" in html
    assert "B drivers" in html


def test_race_2_lap_chart_is_one_landscape_page(r2_lap_chart: bytes) -> None:
    reader = pypdf.PdfReader(io.BytesIO(r2_lap_chart))
    (page,) = reader.pages
    assert page.mediabox.width > page.mediabox.height
    text = page.extract_text()
    assert "LAP CHART" in text
    assert "Safety car" in text  # the neutralisation, under the chart


def test_race_1_lap_analysis_has_every_car_and_every_lap(spa: EventResults, r1_lap_analysis: bytes) -> None:
    pages = text_of(r1_lap_analysis)
    assert len(pages) > 1
    assert all(f"Page {i} of {len(pages)}" in page for i, page in enumerate(pages, start=1))
    text = "\n".join(pages)
    assert in_order(text, [spa.event.entry(r.car).name for r in spa.session("R1").overall.rows if r.laps])
    outcome = spa.session("R1")
    winner = outcome.overall.rows[0]
    assert winner.best_lap is not None
    assert "2:23.998" in text  # the fastest lap of the race, on its lap line
    assert text.count("IN") >= sum(1 for lap in outcome.laps if lap.in_pit)


def test_documents_are_the_same_bytes_every_time(spa: EventResults) -> None:
    first = render_document("penalties", spa, "R1", lang="fr", published=PUBLISHED)
    assert render_document("penalties", spa, "R1", lang="fr", published=PUBLISHED) == first


def test_every_document_of_a_session_is_listed(spa: EventResults) -> None:
    kinds = session_documents(spa, "R1")
    assert kinds[0] == ("grid", "overall")
    assert [c for k, c in kinds if k == "classification"] == ["overall", "fr", "b", "rookie"]
    assert ("penalties", "overall") in kinds  # R1 has a decision
    assert ("lap-chart", "overall") not in session_documents(spa, "Q1")


@pytest.mark.parametrize(
    ("kind", "session", "options", "message"),
    [
        ("menu", "R1", {}, "no document kind"),
        ("grid", "Q1", {}, "needs a race"),
        ("classification", "R1", {"classification": "gold"}, "no classification"),
        ("classification", "R1", {"status": "FINAL"}, "PROVISIONAL, OFFICIAL"),
        ("classification", "R1", {"version": 0}, "version"),
        ("classification", "R1", {"lang": "de"}, "language"),
    ],
)
def test_bad_arguments_are_a_parcferme_error(
    spa: EventResults, kind: str, session: str, options: dict[str, object], message: str
) -> None:
    with pytest.raises(ParcFermeError, match=message):
        render_document(kind, spa, session, published=PUBLISHED, **options)  # type: ignore[arg-type]


# ── the pack ───────────────────────────────────────────────────────────────────────────────────────────


def test_pack_writes_each_document_and_its_charts(
    spa: EventResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # two cheap documents stand for the whole list, which the benchmark renders
    monkeypatch.setattr(
        pack_module, "session_documents", lambda r, s: [("penalties", "overall"), ("lap-chart", "overall")]
    )
    written = write_session_pack(
        spa, tmp_path / "out", "en", published=PUBLISHED, sessions=["R1"], chart_formats=("svg", "png")
    )
    assert [p.name for p in written] == [
        "R1-30-penalties-en.pdf",
        "R1-10-lap-chart-en.svg",
        "R1-10-lap-chart-en.png",
        "R1-10-lap-chart-en.pdf",
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)
    assert all(p.read_bytes() for p in written)


def test_pack_checks_its_arguments_before_writing_anything(spa: EventResults, tmp_path: Path) -> None:
    for options in ({"status": "draft"}, {"sessions": ["R9"]}, {"chart_formats": ("gif",)}):
        with pytest.raises(ParcFermeError):
            write_session_pack(spa, tmp_path / "out", "en", published=PUBLISHED, **options)  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()


# ── pages as images ────────────────────────────────────────────────────────────────────────────────────


def render_pages(pdf: bytes, folder: Path) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed (Debian: apt-get install poppler-utils)")
    source = folder / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(source), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


@pytest.mark.parametrize(
    "document", ["r1_classification", "q1_classification", "r2_lap_chart", "r1_lap_analysis"]
)
def test_every_page_renders_to_an_image(
    document: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    pdf: bytes = request.getfixturevalue(document)
    images = render_pages(pdf, tmp_path)
    assert len(images) == len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    for image in images:
        with Image.open(image) as picture:
            assert picture.width > 100 and picture.height > 100


def test_race_1_classification_first_page_is_not_blank(r1_classification: bytes, tmp_path: Path) -> None:
    first = render_pages(r1_classification, tmp_path)[0]
    with Image.open(first) as picture:
        grey = picture.convert("L")
        (deviation,) = ImageStat.Stat(grey).stddev
        dark = sum(grey.histogram()[:128]) / (grey.width * grey.height)
    assert deviation > 20  # a blank page has none; a full results table is around 60
    assert dark > 0.03  # text and the dark title bars cover a real share of the page


# ── labels and lap-analysis layout (no rendering) ──────────────────────────────────────────────────────


def test_every_label_exists_in_both_languages() -> None:
    from parcferme.report.pdf.labels import LANGUAGES

    assert set(LANGUAGES["en"]) == set(LANGUAGES["fr"])
    assert all(text for words in LANGUAGES.values() for text in words.values())


def test_lap_analysis_cards_fill_columns_and_only_overlong_cards_are_cut() -> None:
    from markupsafe import Markup

    from parcferme.report.pdf.timecards import COLUMN_MM, COLUMNS, CardPiece, _height, paginate

    def card(car: str, laps: int) -> CardPiece:
        return CardPiece(
            car, f"Driver {car}", "P1", "2:23.998", Markup(""), tuple(Markup(str(i)) for i in range(laps))
        )

    per_column = int(COLUMN_MM // _height(14))
    pages = paginate([card(str(i), 14) for i in range(per_column * COLUMNS + 1)])
    assert [len(column) for column in pages[0]] == [per_column] * COLUMNS
    assert [[c.car for c in column] for column in pages[1]] == [[str(per_column * COLUMNS)]]
    long = paginate([card("1", 14), card("2", 120)])  # a 24-hour race's worth of laps in one card
    pieces = [c for page in long for column in page for c in column if c.car == "2"]
    assert sum(len(c.lines) for c in pieces) == 120
    assert [c.continued for c in pieces] == [False] + [True] * (len(pieces) - 1)
    assert all(
        sum(_height(len(c.lines)) for c in column) <= COLUMN_MM + 1e-6 for page in long for column in page
    )


# ── the shortcuts to speed give the documents WeasyPrint and matplotlib would give anyway ──────────────


SHORTCUT_DOCUMENTS = [
    ("penalties", "R1", "overall"),
    ("grid", "R1", "overall"),
    ("classification", "R1", "b"),
    ("fastest-laps", "Q1", "overall"),
    ("lap-analysis", "Q2", "overall"),
]


@pytest.mark.parametrize(("kind", "session", "classification"), SHORTCUT_DOCUMENTS)
def test_xml_parsed_lean_documents_are_the_bytes_of_plain_weasyprint(
    spa: EventResults, kind: str, session: str, classification: str
) -> None:
    from weasyprint import HTML  # type: ignore[import-untyped]

    from parcferme.report.pdf import documents

    html = document_html(kind, spa, session, classification=classification, published=PUBLISHED)  # type: ignore[arg-type]
    renderer = documents._renderer()
    assert renderer.shape is not None, "WeasyPrint's documents changed: the XML parser is no longer used"
    assert renderer.html is not HTML, "WeasyPrint's HTML changed: the lean user-agent stylesheet is not used"
    ElementTree.fromstring(html)  # the templates are well-formed XML: the fast parser takes every document
    plain = HTML(string=html).write_pdf(stylesheets=[renderer.stylesheet], font_config=renderer.fonts)
    assert documents.html_to_pdf(html) == plain


@pytest.mark.parametrize(("kind", "session"), [("lap-times", "Q1"), ("gap-chart", "R1"), ("lap-chart", "R2")])
def test_a_translated_chart_is_the_chart_drawn_in_that_language(
    spa: EventResults, kind: str, session: str
) -> None:
    from parcferme.report.charts.style import to_bytes
    from parcferme.report.pdf.documents import chart_figure, translate_chart

    drawn = to_bytes(chart_figure(kind, spa, session, lang="en"), "svg")  # type: ignore[arg-type]
    translated = to_bytes(translate_chart(chart_figure(kind, spa, session, lang="fr"), "en"), "svg")  # type: ignore[arg-type]
    assert translated == drawn


def test_a_decision_reason_is_given_in_the_document_language(spa: EventResults) -> None:
    french = document_html("classification", spa, "R1", lang="fr", published=PUBLISHED)
    penalties = document_html("penalties", spa, "R1", lang="fr", published=PUBLISHED)
    for html in (french, penalties):
        assert "Emplacement de grille dépassé au départ" in html and "Overshot" not in html
    assert "Overshot his grid position" in document_html(
        "penalties", spa, "R1", lang="en", published=PUBLISHED
    )
