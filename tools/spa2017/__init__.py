"""The Spa 2017 reconstruction: a deterministic simulation of the weekend's timing, as an event folder.

`tools/build_spa2017.py` is the entry point. Modules: `entrants` (who raced), `timing` (units, lines,
crossings), `qualifying` and `race` (the two simulators), `weekend` (what happened, as designs), `check`
(a small independent classifier that asserts the facts before anything is written) and `write` (the files).
"""
