"""How every parcferme command reports a ParcFermeError: one line on stderr, exit status 2, no traceback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from parcferme.errors import ParcFermeError

PROG = "parcferme"
EXIT_ERROR = 2


def invoke_reporting_errors(invoke: Callable[[click.Context], Any], ctx: click.Context) -> Any:
    """Run a click command or group's `invoke`, turning a ParcFermeError into one line and exit 2."""
    try:
        return invoke(ctx)
    except ParcFermeError as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__
        click.echo(f"{PROG}: error: {message}", err=True)
        ctx.exit(EXIT_ERROR)
