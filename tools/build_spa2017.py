#!/usr/bin/env python3
"""Build the Spa 2017 demo event folder: a deterministic reconstruction from simulated passings.

    python tools/build_spa2017.py                 # writes src/parcferme/demo/spa-2017/
    python tools/build_spa2017.py --out DIR       # writes elsewhere (the build test uses this)
    python tools/build_spa2017.py --check         # verifies the facts, writes nothing

No official timing of the Porsche Carrera Cup France round at Spa (5–6 May 2017) is public. The
generator simulates every car's passings so that the facts of /work/shared/reference/SPA-2017.md come
out of a timing engine; before writing, it reads its own passings back with an independent classifier
(spa2017/check.py) and fails loudly if any fact does not hold. Standard library only; same output on
every run. README.md in the event folder says what is sourced and what is invented.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from spa2017 import check, weekend, write
from spa2017.entrants import name
from spa2017.timing import clock

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src" / "parcferme" / "demo" / "spa-2017"


def build() -> tuple[dict[str, str], str]:
    """Simulate, verify the facts, and return the folder's files (relative path → text) and a summary."""
    runs = weekend.build()
    outcome = check.verify(runs)
    lines = []
    for sid in ("R1", "R2"):
        race = outcome[sid]
        assert isinstance(race, check.Race)
        top = ", ".join(name(c) for c in race.order[:6])
        t, car, lap = race.fastest
        lines.append(f"{sid}: {top}; fastest lap {name(car)} {clock(t)} (lap {lap})")
    return write.files(runs), "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").strip().splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="event folder to write")
    parser.add_argument("--check", action="store_true", help="verify the facts only, write nothing")
    args = parser.parse_args(argv)
    try:
        contents, summary = build()
    except check.FactError as exc:
        print(f"build_spa2017: a fact does not hold: {exc}", file=sys.stderr)
        return 1
    if not args.check:
        write.write(args.out, contents)
        print(f"wrote {len(contents)} files to {args.out}")
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
