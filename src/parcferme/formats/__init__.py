"""Readers (and later writers) of external formats, one module per format.

Import a reader from its module, e.g. `from parcferme.formats.event_folder import read_event`. This module
deliberately imports nothing: `parcferme.rules` uses `formats.tomlio`, and `formats.event_folder` uses
`parcferme.rules`, so an eager import here would make the two packages import each other.
"""
