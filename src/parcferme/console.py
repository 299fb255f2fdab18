"""The `parcferme` console script and `python -m parcferme`.

The command line's modules are imported with the cycle collector paused, then frozen: importing makes
~10⁵ objects (classes, functions, code) that live as long as the process and cannot be garbage, and the
collector would otherwise walk them again and again while they load and while a command runs.
"""

from __future__ import annotations

import gc


def main() -> None:
    """Run the CLI (parcferme.cli)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        from parcferme.cli import main as run
    finally:
        gc.freeze()  # what is loaded so far stays out of every later collection
        if was_enabled:
            gc.enable()
    run()
