"""Championship tables for people and programs: plain text, rich tables, CSV and JSON.

Pure: each function turns computed tables (`Block`s) into a string, or prints them on a rich console.
The JSON and CSV schemas (`parcferme.standings/1`) are described in docs/standings.md. Points are exact
there: "44", "10.5", "34/3"; tables for people show them as `format_points` does ("11⅓").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from parcferme.model._dataclass import dataclass
from parcferme.model.championship import Table
from parcferme.model.standings import (
    ChampionshipOutlook,
    CountedResult,
    Outlook,
    StandingRow,
    StandingsTable,
    format_points,
)

if TYPE_CHECKING:  # rich is imported only to print on a terminal
    from rich.console import Console

__all__ = [
    "CSV_COLUMNS",
    "SCHEMA",
    "Block",
    "exact",
    "print_blocks",
    "render_csv",
    "render_json",
    "render_text",
]

SCHEMA = "parcferme.standings/1"
_NAMED = 6  # contenders named in a table's outlook line (JSON and CSV list everyone)
CSV_COLUMNS = (
    *("series", "season", "table", "classification", "after_round", "round_name", "final", "position"),
    *("competitor", "name", "team", "points", "scored", "deductions", "wins", "status", "counted"),
    *("dropped", "tie", "best", "worst", "outlook"),
)


@dataclass(frozen=True, slots=True)
class Block:
    """One computed table to show: which championship, the table, and what explains it."""

    series: str
    table: StandingsTable
    classification_name: str = ""
    teams: Mapping[str, str] = field(default_factory=dict)  # drivers: competitor → team name
    outlook: ChampionshipOutlook | None = None

    @property
    def title(self) -> str:
        what = "teams" if self.table.table is Table.TEAMS else "drivers"
        name = self.classification_name or self.table.classification
        head = f"{self.series} {self.table.season}".strip()
        after = f"after round {self.table.after_round}"
        if self.table.round_name:
            after += f" ({self.table.round_name})"
        if self.table.final:
            after += ", final"
        return f"{head} — {name}, {what} — {after}"


def points_text(points: Fraction) -> str:
    """`format_points`, quicker for the usual whole number of points."""
    return str(points.numerator) if points.denominator == 1 else format_points(points)


def exact(points: Fraction) -> str:
    """Exact points for programs: "44", "10.5" (an exact decimal), otherwise "34/3"."""
    if points.denominator == 1:
        return str(points.numerator)
    shown = points_text(points)
    return shown if "." in shown and shown.replace(".", "").lstrip("-").isdigit() else str(points)


def result_label(result: CountedResult) -> str:
    """ "1" (a round), "1 R2" (a race of round 1), "1 #7" (one car's result)."""
    label = str(result.round)
    if result.session:
        label += f" {result.session}"
    if result.car:
        label += f" #{result.car}"
    return label


def results_text(row: StandingRow) -> str:
    """ "2 counted" or "11 counted, 5 dropped (3: 0, 9: 2, …)": what counts and what does not."""
    text = f"{len(row.counted)} counted"
    if row.dropped:
        shown = ", ".join(f"{result_label(r)}: {points_text(r.points)}" for r in row.dropped)
        text += f", {len(row.dropped)} dropped ({shown})"
    return text


def _counted_line(row: StandingRow) -> str:
    return ", ".join(f"{result_label(r)}: {points_text(r.points)}" for r in row.counted)


def _outlook_lines(outlook: ChampionshipOutlook) -> list[str]:
    if outlook.rounds_left == 0:
        return ["Season over: no points left to score."]
    plural = "" if outlook.rounds_left == 1 else "s"
    lines = [
        f"Still possible: {outlook.rounds_left} round{plural} left, "
        f"up to {points_text(outlook.available)} pts for one competitor."
    ]
    for kind in (Outlook.CLINCHED, Outlook.CONTENDER):
        rows = [r for r in outlook.rows if r.outlook is kind]
        if rows:
            shown = ", ".join(
                f"{r.name} ({points_text(r.points)}, at most {points_text(r.best)})" for r in rows[:_NAMED]
            )
            if len(rows) > _NAMED:
                shown += f" and {len(rows) - _NAMED} more"
            lines.append(f"  {'clinched' if kind is Outlook.CLINCHED else 'can still win'}: {shown}")
    out = sum(1 for r in outlook.rows if r.outlook is Outlook.ELIMINATED)
    if out:
        lines.append(f"  out of contention: {out}")
    return lines


def render_text(blocks: Sequence[Block], *, explain: bool = False) -> str:
    """Plain text tables (what a pipe or a file receives)."""
    parts: list[str] = []
    for block in blocks:
        rows = block.table.rows
        who = "Team" if block.table.table is Table.TEAMS else "Driver"
        name_w = max([len(who), *(len(r.name) for r in rows)])
        team_w = max([4, *(len(t) for t in block.teams.values())]) if block.teams else 0
        lines = [block.title]
        head = f"{'Pos':>4}  {who:<{name_w}}  "
        if block.teams:
            head += f"{'Team':<{team_w}}  "
        lines.append(head + f"{'Points':>7}  {'Wins':>4}  Results")
        teams = block.teams
        for r in rows:
            team = f"{teams.get(r.competitor, ''):<{team_w}}  " if teams else ""
            results = results_text(r) if r.dropped else f"{len(r.counted)} counted"
            points = points_text(r.points)
            lines.append(
                f"{r.position_text:>4}  {r.name:<{name_w}}  {team}{points:>7}  {r.wins:>4}  {results}"
            )
            if explain:
                if r.tie is not None:
                    lines.append(f"{'':6}{r.tie.text}")
                if r.counted:
                    lines.append(f"{'':6}counted: {_counted_line(r)}")
                if r.deductions:
                    lines.append(f"{'':6}deducted: {points_text(r.deductions)} pts")
        if explain and block.outlook is not None:
            lines.extend(_outlook_lines(block.outlook))
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def print_blocks(console: Console, blocks: Sequence[Block], *, explain: bool = False) -> None:
    """The same tables with rich, for a terminal."""
    from rich.markup import escape
    from rich.table import Table as RichTable

    for block in blocks:
        teams = bool(block.teams)
        # the title on a line of its own: as a table title, rich would wrap it to the table's width
        console.print(f"[bold]{escape(block.title)}[/bold]")
        table = RichTable(show_edge=False, pad_edge=False)
        table.add_column("Pos", justify="right")
        table.add_column("Team" if block.table.table is Table.TEAMS else "Driver")
        if teams:
            table.add_column("Team")
        table.add_column("Points", justify="right")
        table.add_column("Wins", justify="right")
        table.add_column("Results")
        for r in block.table.rows:
            detail = results_text(r)
            if explain:
                notes = [f"counted: {_counted_line(r)}"] if r.counted else []
                if r.tie is not None:
                    notes.insert(0, r.tie.text)
                if notes:
                    detail += "\n" + "\n".join(notes)
            cells = [r.position_text, r.name]
            if teams:
                cells.append(block.teams.get(r.competitor, ""))
            cells += [points_text(r.points), str(r.wins), detail]
            table.add_row(*(escape(c) for c in cells))  # names are text, not rich markup
        console.print(table)
        if explain and block.outlook is not None:
            for line in _outlook_lines(block.outlook):
                console.print(escape(line))
        console.print()


def _results_cell(results: Sequence[CountedResult]) -> str:
    return ";".join(f"{result_label(r)}={exact(r.points)}" for r in results)


def render_csv(blocks: Sequence[Block], *, header: bool = True) -> str:
    """One line per competitor per table, columns CSV_COLUMNS (docs/standings.md), after a header line
    (unless `header` is false)."""
    import csv  # imported when used: a table printed on a terminal needs neither csv nor json
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(CSV_COLUMNS)
    for block in blocks:
        t = block.table
        head = [block.series, t.season, t.table.value, t.classification, t.after_round, t.round_name]
        outlook = {o.competitor: o for o in block.outlook.rows} if block.outlook is not None else {}
        for r in t.rows:
            o = outlook.get(r.competitor)
            writer.writerow(
                [
                    *head,
                    "true" if t.final else "false",
                    r.position_text,
                    r.competitor,
                    r.name,
                    block.teams.get(r.competitor, ""),
                    exact(r.points),
                    exact(r.scored),
                    exact(r.deductions),
                    r.wins,
                    r.status.value,
                    _results_cell(r.counted),
                    _results_cell(r.dropped),
                    r.tie.text if r.tie is not None else "",
                    exact(o.best) if o is not None else "",
                    exact(o.worst) if o is not None else "",
                    o.outlook.value if o is not None else "",
                ]
            )
    return buffer.getvalue()


def _result(r: CountedResult) -> dict[str, Any]:
    return {"round": r.round, "session": r.session, "car": r.car, "points": exact(r.points)}


def _row(r: StandingRow, team: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "position": r.position,
        "position_text": r.position_text,
        "competitor": r.competitor,
        "name": r.name,
    }
    if team is not None:
        out["team"] = team
    out.update(
        points=exact(r.points),
        scored=exact(r.scored),
        deductions=exact(r.deductions),
        wins=r.wins,
        status=r.status.value,
        counted=[_result(x) for x in r.counted],
        dropped=[_result(x) for x in r.dropped],
        tie=None
        if r.tie is None
        else {"other": r.tie.other, "rule": r.tie.rule.value if r.tie.rule else None, "text": r.tie.text},
    )
    return out


def _outlook(o: ChampionshipOutlook) -> dict[str, Any]:
    return {
        "rounds_left": o.rounds_left,
        "available": exact(o.available),
        "rows": [
            {
                "competitor": r.competitor,
                "name": r.name,
                "points": exact(r.points),
                "best": exact(r.best),
                "worst": exact(r.worst),
                "outlook": r.outlook.value,
            }
            for r in o.rows
        ],
    }


def render_json(blocks: Sequence[Block], *, source: str) -> str:
    """The JSON document (schema parcferme.standings/1): one entry per table, in the order computed."""
    import json

    standings: list[dict[str, Any]] = []
    for block in blocks:
        t = block.table
        drivers = t.table is Table.DRIVERS
        entry: dict[str, Any] = {
            "series": block.series,
            "season": t.season,
            "table": t.table.value,
            "classification": t.classification,
            "classification_name": block.classification_name or t.classification,
            "after_round": t.after_round,
            "round_name": t.round_name,
            "final": t.final,
            "rows": [_row(r, block.teams.get(r.competitor, "") if drivers else None) for r in t.rows],
        }
        if block.outlook is not None:
            entry["outlook"] = _outlook(block.outlook)
        standings.append(entry)
    document = {"schema": SCHEMA, "source": source, "standings": standings}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
