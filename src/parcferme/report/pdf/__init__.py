"""Official timing documents as PDF (WeasyPrint from Jinja2 templates): classification, starting grid,
lap chart, race history, lap times, lap analysis, best sectors, fastest lap sequence, decisions; and per
round, the championship standings of every classification.

The documents are imported on first use (PEP 562): the charts use this package's labels, and the
documents draw the charts, so an eager import here would make the two packages import each other. It also
keeps WeasyPrint (a second to import) out of programs that only want the labels.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from parcferme.report.pdf.documents import (
        DOCUMENT_KINDS,
        DocumentKind,
        chart_bytes,
        document_html,
        render_document,
        render_standings,
        session_documents,
        standings_html,
    )
    from parcferme.report.pdf.pack import write_round_pack, write_session_pack
    from parcferme.report.pdf.standings import (
        ChampionshipStandings,
        championship_standings,
        standings_documents,
    )

_WHERE = {
    "DOCUMENT_KINDS": "documents",
    "DocumentKind": "documents",
    "chart_bytes": "documents",
    "document_html": "documents",
    "render_document": "documents",
    "render_standings": "documents",
    "session_documents": "documents",
    "standings_html": "documents",
    "write_round_pack": "pack",
    "write_session_pack": "pack",
    "ChampionshipStandings": "standings",
    "championship_standings": "standings",
    "standings_documents": "standings",
}

__all__ = [
    "DOCUMENT_KINDS",
    "ChampionshipStandings",
    "DocumentKind",
    "championship_standings",
    "chart_bytes",
    "document_html",
    "render_document",
    "render_standings",
    "session_documents",
    "standings_documents",
    "standings_html",
    "write_round_pack",
    "write_session_pack",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
