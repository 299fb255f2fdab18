"""Baseline for benchmarks/standings.py: a plain pandas script that only sums points per season.

    python benchmarks/standings_pandas_baseline.py ../shared/data/ergast

What an analyst would write: read races, results and sprint results, add up Ergast's `points` column per
season and driver and per season and constructor, print each season's leaders. It does far less than
parcferme: no points computed from positions, no dropped results, no best-placed car, no decisions, no
tie-breaks, no table after every round — which is the point of the comparison.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def main(folder: str) -> None:
    root = Path(folder)
    races = pd.read_csv(root / "races.csv", usecols=["raceId", "year"])
    columns = ["raceId", "driverId", "constructorId", "points"]
    results = pd.concat(
        [
            pd.read_csv(root / "results.csv", usecols=columns, na_values="\\N"),
            pd.read_csv(root / "sprint_results.csv", usecols=columns, na_values="\\N"),
        ]
    ).merge(races, on="raceId")
    for who in ("driverId", "constructorId"):
        totals = results.groupby(["year", who])["points"].sum().reset_index()
        leaders = totals.sort_values("points", ascending=False).groupby("year").head(1).sort_values("year")
        print(
            who,
            len(totals),
            "totals;",
            " ".join(f"{y}:{p:g}" for y, p in zip(leaders.year, leaders.points, strict=True)),
        )


if __name__ == "__main__":
    main(sys.argv[1])
