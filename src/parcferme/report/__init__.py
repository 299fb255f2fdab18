"""Presenting results to people: classification sheets as rich tables (text, PDF and charts to come)."""

from parcferme.report.tables import (
    event_title,
    grid_table,
    print_results,
    render_results_text,
    result_notes,
    result_table,
    session_notes,
    session_sheet,
    session_title,
)

__all__ = [
    "event_title",
    "grid_table",
    "print_results",
    "render_results_text",
    "result_notes",
    "result_table",
    "session_notes",
    "session_sheet",
    "session_title",
]
