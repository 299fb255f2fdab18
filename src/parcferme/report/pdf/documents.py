"""Timing documents as PDF: which documents a session has, their HTML (Jinja2) and their PDF (WeasyPrint).

Every document is a pure function of (results, session, classification, version, status, publication
time, language): nothing here reads a clock, so the same arguments give the same document. Document
numbers follow the habit of timing providers (Al Kamel: 03 Results, 05 Results by class, 13 Best sector
times, 17 Fastest lap sequence…): a fixed code per kind, prefixed with the session id.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, get_args
from xml.etree import ElementTree

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from matplotlib.figure import Figure

from parcferme.engine import EventResults, SessionOutcome
from parcferme.errors import ParcFermeError
from parcferme.model.championship import Table
from parcferme.model.classification import OVERALL
from parcferme.report.charts import figures
from parcferme.report.charts.data import select_session
from parcferme.report.charts.style import ChartFormat, to_bytes
from parcferme.report.pdf import sheets, timecards
from parcferme.report.pdf.context import Sheet, document_number, make_round_sheet, make_sheet
from parcferme.report.pdf.labels import labels
from parcferme.report.pdf.standings import (
    ChampionshipStandings,
    circuit_line,
    round_heading,
    standings_sheet,
)

DocumentKind = Literal[
    "classification",
    "grid",
    "lap-chart",
    "gap-chart",
    "lap-times",
    "lap-analysis",
    "best-sectors",
    "fastest-laps",
    "penalties",
]
DOCUMENT_KINDS: tuple[DocumentKind, ...] = get_args(DocumentKind)
RoundDocumentKind = Literal["standings", "team-standings"]  # documents about a round, not a session
ROUND_DOCUMENT_KINDS: tuple[RoundDocumentKind, ...] = get_args(RoundDocumentKind)

CHART_KINDS: tuple[DocumentKind, ...] = ("lap-chart", "gap-chart", "lap-times")
LANDSCAPE_CHART = figures.LANDSCAPE  # inches: the size the chart documents' pages hold
PORTRAIT_CHART = figures.PORTRAIT


@dataclass(frozen=True, slots=True)
class _Spec:
    code: str
    template: str
    landscape: bool = False
    race_only: bool = False


_SPECS: Mapping[str, _Spec] = {
    "grid": _Spec("01", "grid.html", race_only=True),
    "classification": _Spec("03", "classification.html"),
    "lap-chart": _Spec("10", "chart.html", landscape=True, race_only=True),
    "gap-chart": _Spec("11", "chart.html", landscape=True, race_only=True),
    "lap-times": _Spec("12", "chart.html"),
    "best-sectors": _Spec("13", "best_sectors.html"),
    "fastest-laps": _Spec("17", "fastest_laps.html"),
    "lap-analysis": _Spec("23", "lap_analysis.html", landscape=True),
    "penalties": _Spec("30", "penalties.html"),
    "standings": _Spec("40", "standings.html"),  # drivers' championship, per classification
    "team-standings": _Spec("41", "standings.html"),  # teams' championship, per classification
}
_BY_CLASS_CODE = "05"  # a classification other than overall: "results by class"


def _number(kind: str, session_id: str, classification: str) -> str:
    spec = _spec(kind)
    code = _BY_CLASS_CODE if kind == "classification" and classification != OVERALL else spec.code
    return document_number(session_id, code, classification)


def _spec(kind: str) -> _Spec:
    """The spec of a session document's kind; `kind` may come from a user (a CLI option), so an unknown
    one is a ParcFermeError listing the kinds."""
    spec = _SPECS.get(kind)
    if spec is None or kind not in DOCUMENT_KINDS:
        raise ParcFermeError(f"no document kind {kind!r} (kinds: {', '.join(DOCUMENT_KINDS)})")
    return spec


# ── HTML ───────────────────────────────────────────────────────────────────────────────────────────────


def _css_string(text: str) -> Markup:
    """A CSS string literal for the page-number words written into the template's <style>."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return Markup(f'"{escaped}"')


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("parcferme.report.pdf", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["css_string"] = _css_string
    return env


def document_html(
    kind: DocumentKind,
    event_results: EventResults,
    session_id: str,
    *,
    classification: str = OVERALL,
    version: int = 1,
    status: str = "PROVISIONAL",
    published: str,
    lang: str = "en",
    chart: bytes | None = None,
) -> str:
    """The document as HTML, ready for WeasyPrint (`chart`: the chart's SVG when already drawn)."""
    spec = _spec(kind)
    outcome, result = select_session(event_results, session_id, classification)
    if spec.race_only and not outcome.session.is_race:
        raise ParcFermeError(f"a {kind} document needs a race; {session_id} is a {outcome.session.kind}")
    sheet = make_sheet(
        event_results,
        outcome,
        title_key=f"doc.{kind}",
        number=_number(kind, session_id, classification),
        classification=classification,
        version=version,
        status=status,
        published=published,
        lang=lang,
        landscape=spec.landscape,
    )
    cars = None if classification == OVERALL else frozenset(result.order)
    content = _content(kind, event_results, outcome, classification, cars, lang, chart)
    template = _environment().get_template(spec.template)
    return template.render(sheet=sheet, L=labels(lang), **content)


def _content(
    kind: DocumentKind,
    results: EventResults,
    outcome: SessionOutcome,
    classification: str,
    cars: frozenset[str] | None,
    lang: str,
    chart: bytes | None,
) -> dict[str, Any]:
    event = results.event
    session_id = outcome.session.id
    if kind == "classification":
        return {"data": sheets.classification(event, outcome, outcome.results[classification], lang)}
    if kind == "grid":
        rows, pit = sheets.grid_rows(event, outcome, cars)
        return {"rows": rows, "pit": pit, "notes": sheets.grid_notes(results, outcome, cars, lang)}
    if kind in CHART_KINDS:
        svg = chart or chart_bytes(kind, results, session_id, classification, lang, "svg")
        notes = sheets.track_notes(event, outcome, lang) if kind != "lap-times" else []
        return {"image": _data_uri(svg), "caption": _chart_caption(kind, lang), "notes": notes}
    if kind == "lap-analysis":
        return {"pages": timecards.lap_analysis(event, outcome, cars, lang)}
    if kind == "best-sectors":
        count, rankings, ideal = timecards.best_sectors(event, outcome, cars)
        return {"sectors": count, "rankings": rankings, "ideal": ideal}
    if kind == "fastest-laps":
        return {"rows": timecards.fastest_laps(event, outcome, cars)}
    return {"rows": sheets.decision_rows(event, session_id, cars, lang)}


def _chart_caption(kind: DocumentKind, lang: str) -> str:
    key = {"lap-chart": "lap_chart_note", "gap-chart": "gap_note", "lap-times": "pace_note"}[kind]
    return labels(lang)[key]


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def chart_figure(
    kind: DocumentKind,
    results: EventResults,
    session_id: str,
    classification: str = OVERALL,
    lang: str = "en",
) -> Figure:
    """The chart of a chart document (`lap-chart`, `gap-chart`, `lap-times`) at the size its page holds."""
    if kind == "lap-chart":
        return figures.lap_chart_figure(
            results, session_id, lang=lang, classification=classification, size=LANDSCAPE_CHART
        )
    if kind == "gap-chart":
        return figures.gap_chart_figure(
            results, session_id, lang=lang, classification=classification, size=LANDSCAPE_CHART
        )
    if kind == "lap-times":
        return figures.lap_time_figure(
            results, session_id, lang=lang, classification=classification, size=PORTRAIT_CHART
        )
    raise ParcFermeError(f"{kind!r} is not a chart (charts: {', '.join(CHART_KINDS)})")


def translate_chart(figure: Figure, lang: str) -> Figure:
    """A chart figure with its words in another language: the figure of `chart_figure(…, lang)`, without
    drawing its data again (a pack draws each chart once for all its languages)."""
    return figures.translate(figure, lang)


def chart_bytes(
    kind: DocumentKind,
    results: EventResults,
    session_id: str,
    classification: str = OVERALL,
    lang: str = "en",
    fmt: ChartFormat = "svg",
) -> bytes:
    """A chart document's chart as SVG or PNG bytes."""
    return to_bytes(chart_figure(kind, results, session_id, classification, lang), fmt)


# ── PDF ────────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Renderer:
    """WeasyPrint's HTML class, the parsed stylesheet, the font configuration it was parsed with, and the
    state of a document made from a string (see _parse)."""

    html: Any
    stylesheet: Any
    fonts: Any
    shape: tuple[tuple[str, Any], ...] | None  # see _parse


@lru_cache(maxsize=1)
def _renderer() -> _Renderer:
    """Loaded once: importing WeasyPrint takes a second, and every document of a pack shares the parsed
    stylesheet and the fonts it loaded."""
    from weasyprint import CSS, HTML  # type: ignore[import-untyped]
    from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

    fonts = FontConfiguration()
    source = (resources.files("parcferme.report.pdf") / "templates" / "style.css").read_text(encoding="utf-8")
    html = _lean_html(HTML, CSS)
    return _Renderer(html, CSS(string=source, font_config=fonts), fonts, _document_shape(html))


def _parse(renderer: _Renderer, html: str) -> Any:
    """WeasyPrint's document for the HTML. The templates are well-formed XML (void elements closed,
    tables with their tbody), so the tree is built by the C XML parser, ten times faster than WeasyPrint's
    pure-Python HTML5 parser, and given to a document made as `HTML(string=…)` makes one. Anything that
    is not well-formed, or a WeasyPrint whose documents hold other state, takes the HTML5 parser; a test
    checks that both give the same bytes."""
    shape = renderer.shape
    if shape is not None:
        try:
            root = ElementTree.fromstring(html)
        except ElementTree.ParseError:
            pass
        else:
            import cssselect2  # type: ignore[import-untyped]

            document = renderer.html.__new__(renderer.html)
            document.__dict__.update(dict(shape))
            document.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
            document.etree_element = document.wrapper_element.etree_element
            return document
    return renderer.html(string=html)


_TREE_STATE = frozenset({"wrapper_element", "etree_element"})
_PLAIN_STATE = frozenset({"base_url", "url_fetcher", "media_type"})


def _document_shape(html: Any) -> tuple[tuple[str, Any], ...] | None:
    """The state of a document parsed from a string other than its tree (no base URL, the default URL
    fetcher, print media), or None when WeasyPrint's documents are not made of that state alone."""
    probe = html(string="<p></p>")
    state = vars(probe)
    if set(state) != _TREE_STATE | _PLAIN_STATE or probe.base_url is not None:
        return None
    return tuple((key, state[key]) for key in sorted(_PLAIN_STATE))


# WeasyPrint's user-agent stylesheet styles pseudo-elements of *every* element (`::marker`, footnote and
# note calls and markers): each element then gets six more computed styles, a sixth of a document's
# rendering time. The documents have no list, footnote or note, so those rules change nothing on them.
# Its @counter-style rules are left out too: WeasyPrint has registered them already, once, when it loaded
# its own copy (registering them twice logs a warning for each).
_UNUSED_UA_RULES = re.compile(
    r"^::(?:marker|footnote-[a-z]+|note-[a-z]+) \{[^}]*\}\n|@counter-style [^{]*\{[^}]*\}", re.MULTILINE
)


def _lean_html(html: Any, css: Any) -> Any:
    """WeasyPrint's HTML class, with its user-agent stylesheet less the rules above (the same PDF bytes,
    a test checks it). Any other WeasyPrint layout than the one this was written for: the class as is."""
    try:
        from weasyprint.html import UA, UA_COUNTER_STYLE  # type: ignore[import-untyped]
    except ImportError:
        return html
    if not callable(getattr(html, "_ua_stylesheets", None)) or not isinstance(UA, str):
        return html
    lean = css(string=_UNUSED_UA_RULES.sub("", UA), counter_style=UA_COUNTER_STYLE)

    class LeanHTML(html):  # type: ignore[misc]
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [lean, *super()._ua_stylesheets(forms)[1:]]

    return LeanHTML


def prepare() -> None:
    """Load the templates, WeasyPrint and the stylesheet now rather than on the first document."""
    _environment()
    _renderer()


def html_to_pdf(html: str) -> bytes:
    """A document's HTML as PDF bytes (the same HTML always gives the same bytes)."""
    renderer = _renderer()
    document = _parse(renderer, html)
    pdf = document.write_pdf(stylesheets=[renderer.stylesheet], font_config=renderer.fonts)
    if not isinstance(pdf, bytes):  # write_pdf returns bytes when given no target
        raise TypeError(f"WeasyPrint returned {type(pdf).__name__}, not bytes")
    return pdf


def render_document(
    kind: DocumentKind,
    event_results: EventResults,
    session_id: str,
    *,
    classification: str = OVERALL,
    version: int = 1,
    status: str = "PROVISIONAL",
    published: str,
    lang: str = "en",
) -> bytes:
    """One timing document of one session as PDF bytes.

    `kind` is one of DOCUMENT_KINDS; `classification` restricts it to a classification's cars (a
    classification document re-ranks them; the others keep overall positions); `status` is PROVISIONAL or
    OFFICIAL; `published` is printed as given (the caller owns the clock).
    """
    html = document_html(
        kind,
        event_results,
        session_id,
        classification=classification,
        version=version,
        status=status,
        published=published,
        lang=lang,
    )
    return html_to_pdf(html)


# ── championship standings (a round's documents) ──────────────────────────────────────────────────────


def standings_kind(table: Table) -> RoundDocumentKind:
    return "team-standings" if table is Table.TEAMS else "standings"


def _round_number(kind: RoundDocumentKind, classification: str) -> str:
    """`40` (overall drivers), `40-FR`, `41` (overall teams): a round's documents have no session."""
    code = _SPECS[kind].code
    return code if classification == OVERALL else f"{code}-{classification.upper()}"


def standings_html(
    standings: ChampionshipStandings,
    table: Table = Table.DRIVERS,
    classification: str = OVERALL,
    *,
    version: int = 1,
    status: str = "PROVISIONAL",
    published: str,
    lang: str = "en",
) -> str:
    """The championship standings of one table (drivers or teams, one classification) after the round, as
    HTML ready for WeasyPrint."""
    kind = standings_kind(table)
    words = labels(lang)
    data = standings_sheet(standings, table, classification, lang)
    current = standings.history(table, classification).after(standings.after_round)
    heading, info = round_heading(standings, current, lang)
    season = standings.season
    sheet = make_round_sheet(
        series=f"{season.series} {season.year}".strip(),
        round_number=standings.after_round,
        round_name=standings.round.name,
        circuit=circuit_line(standings, lang),
        heading=heading,
        info=info,
        title=words[f"doc.{kind}"],
        subtitle="" if classification == OVERALL else standings.classification_name(classification, lang),
        number=_round_number(kind, classification),
        version=version,
        status=status,
        published=published,
        lang=lang,
        landscape=data.landscape,
    )
    template = _environment().get_template(_SPECS[kind].template)
    return template.render(sheet=sheet, L=words, data=data)


def render_standings(
    standings: ChampionshipStandings,
    table: Table = Table.DRIVERS,
    classification: str = OVERALL,
    *,
    version: int = 1,
    status: str = "PROVISIONAL",
    published: str,
    lang: str = "en",
) -> bytes:
    """One championship standings document as PDF bytes: `table` (drivers or teams) of `classification`
    (`overall` or a classification id) after `standings.after_round`. `published` is printed as given."""
    html = standings_html(
        standings, table, classification, version=version, status=status, published=published, lang=lang
    )
    return html_to_pdf(html)


def standings_filename(table: Table, classification: str, lang: str, ext: str = "pdf") -> str:
    """`40-standings-en.pdf`, `40-FR-standings-fr.pdf`, `41-team-standings-en.pdf`."""
    kind = standings_kind(table)
    return f"{_round_number(kind, classification)}-{kind}-{lang}.{ext}"


# ── a whole pack ───────────────────────────────────────────────────────────────────────────────────────


def session_documents(event_results: EventResults, session_id: str) -> list[tuple[DocumentKind, str]]:
    """Every (kind, classification) a session publishes: a classification per classification, then the
    overall analysis documents; the grid and charts of positions only for races, decisions when any."""
    outcome, _ = select_session(event_results, session_id)
    race = outcome.session.is_race
    docs: list[tuple[DocumentKind, str]] = [("classification", c) for c in outcome.results]
    if race and outcome.grid is not None:
        docs.insert(0, ("grid", OVERALL))
    kinds: list[DocumentKind] = ["lap-chart", "gap-chart"] if race else []
    kinds += ["lap-times", "lap-analysis", "best-sectors", "fastest-laps"]
    if sheets.decisions_of(event_results.event, session_id):
        kinds.append("penalties")
    docs += [(kind, OVERALL) for kind in kinds]
    return docs


def document_filename(kind: DocumentKind, session_id: str, classification: str, lang: str, ext: str) -> str:
    """`R1-03-classification-en.pdf`, `R1-05-FR-classification-fr.pdf`, `R2-10-lap-chart-en.svg`."""
    return f"{_number(kind, session_id, classification)}-{kind}-{lang}.{ext}"


__all__ = [
    "CHART_KINDS",
    "DOCUMENT_KINDS",
    "ROUND_DOCUMENT_KINDS",
    "DocumentKind",
    "RoundDocumentKind",
    "Sheet",
    "chart_bytes",
    "chart_figure",
    "document_filename",
    "document_html",
    "html_to_pdf",
    "prepare",
    "render_document",
    "render_standings",
    "session_documents",
    "standings_filename",
    "standings_html",
    "standings_kind",
    "translate_chart",
]
