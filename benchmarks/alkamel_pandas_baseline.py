"""Baseline for benchmarks/formats.py: a plain pandas script that classifies an Al Kamel analysis CSV.

    .venv/bin/python benchmarks/alkamel_pandas_baseline.py ../shared/data/wec/2024_le_mans_24h.csv

What an analyst would write: read the CSV (';', BOM, padded header names), keep each car's last lap, sort
by laps completed then race time at that crossing, print the top three. It does far less than parcferme
(no validation, race end, statuses, gaps, classes, track status), which is the point of the comparison.
"""

from __future__ import annotations

import sys

import pandas as pd


def elapsed_seconds(text: pd.Series) -> pd.Series:
    """`45.985`, `3:53.276` or `24:01:28.482` → seconds (padded to h:m:s for `to_timedelta`)."""
    colons = text.str.count(":")
    padded = text.mask(colons == 1, "0:" + text).mask(colons == 0, "0:0:" + text)
    return pd.to_timedelta(padded).dt.total_seconds()


def main(path: str) -> None:
    laps = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype={"NUMBER": str})
    laps.columns = [c.strip() for c in laps.columns]
    laps["ELAPSED_S"] = elapsed_seconds(laps["ELAPSED"])
    last = laps.sort_values(["NUMBER", "LAP_NUMBER"]).groupby("NUMBER", sort=False).tail(1)
    order = last.sort_values(["LAP_NUMBER", "ELAPSED_S"], ascending=[False, True])
    print(order[["NUMBER", "LAP_NUMBER", "ELAPSED"]].head(3).to_string(index=False))


if __name__ == "__main__":
    main(sys.argv[1])
