"""Race reports in prose, French and English, from the facts of an event (engine.facts)."""

from parcferme.report.text.document import Figure, Report, Section, to_html, to_markdown
from parcferme.report.text.writer import LANGUAGES, write_report

__all__ = ["LANGUAGES", "Figure", "Report", "Section", "to_html", "to_markdown", "write_report"]
